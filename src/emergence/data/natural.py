"""Natural-image crops for the Lie-symmetry chapter: scikit-image photographs and CIFAR-10.

Offline source (``cpu``/``smoke`` profiles): the photographs that scikit-image ships *inside its
wheel* (read from the package folder, never fetched). A crop is taken at a random position, a
random scale ``s`` (``s`` image pixels per crop pixel) and a random rotation ``α ∈ [0, 2π)``,
resampled bilinearly, converted to grayscale and standardised (zero mean, unit variance). The
random, continuous rotations make the orientation statistics of the training set isotropic — a
handful of photographs is not. The label of a crop is the photograph it came from (a
discrimination task); with rotations and scales drawn at random, the task can only be solved
from rotation-invariant texture statistics.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

#: Natural photographs shipped in the scikit-image wheel (no download needed).
SKIMAGE_PHOTOS = ("astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png",
                  "coins.png", "grass.png", "gravel.png", "moon.png", "motorcycle_left.png",
                  "rocket.jpg")


def skimage_photo_dir() -> Path:
    """The folder of the installed scikit-image package that holds its bundled images."""
    import skimage

    return Path(skimage.__file__).resolve().parent / "data"


def load_skimage_photos(names=SKIMAGE_PHOTOS) -> list[torch.Tensor]:
    """The bundled photographs as grayscale float tensors in [0, 1] (H, W), read from disk."""
    from skimage import io
    from skimage.color import rgb2gray, rgba2rgb

    folder = skimage_photo_dir()
    photos = []
    for name in names:
        path = folder / name
        if not path.exists():
            raise FileNotFoundError(f"scikit-image does not ship {name} in {folder}.")
        image = io.imread(path)
        if image.ndim == 3:
            if image.shape[-1] == 4:
                image = rgba2rgb(image)
            image = rgb2gray(image)
        image = np.asarray(image, dtype=np.float64)
        if image.max() > 1.0:
            image = image / 255.0
        photos.append(torch.from_numpy(image).float())
    return photos


def standardise(x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Each image (last two dims) to zero mean and unit variance."""
    mean = x.mean(dim=(-2, -1), keepdim=True)
    std = x.std(dim=(-2, -1), keepdim=True)
    return (x - mean) / (std + eps)


class PhotoCrops:
    """Random rotated and scaled crops of a few photographs, labelled by the photograph.

    ``sample(n, generator)`` returns ``(x, y)``: ``x`` of shape (n, 1, size, size), standardised;
    ``y`` the index of the source photograph. Scales are log-uniform in ``scales``; rotations are
    uniform in [0, 2π); positions uniform over the part of the photograph the crop fits in.

    Labels are drawn independently and uniformly (``balanced=False``: a batch of n holds
    ``n / C ± sqrt(n (C − 1)) / C`` crops of each of the C photographs), or with ``balanced``
    as the sequence 0, 1, …, C − 1, 0, 1, … in a random order: every photograph ⌊n / C⌋ or
    ⌈n / C⌉ times in every batch.
    """

    def __init__(self, photos: list[torch.Tensor], size: int = 32,
                 scales: tuple[float, float] = (1.0, 3.0), rotate: bool = True,
                 balanced: bool = False):
        if not photos:
            raise ValueError("PhotoCrops needs at least one photograph.")
        self.photos = [p[None, None] for p in photos]
        self.size, self.scales, self.rotate, self.balanced = size, scales, rotate, balanced
        self.n_classes = len(photos)

    def _crops(self, photo: torch.Tensor, n: int, generator: torch.Generator) -> torch.Tensor:
        _, _, h, w = photo.shape
        u = torch.rand(n, 4, generator=generator)
        lo, hi = math.log(self.scales[0]), math.log(self.scales[1])
        scale = torch.exp(lo + (hi - lo) * u[:, 0])
        angle = 2 * math.pi * u[:, 1] if self.rotate else torch.zeros(n)
        # half-diagonal of the rotated crop, in pixels of the photograph, must stay inside it
        half = scale * self.size * math.sqrt(2) / 2
        half = torch.minimum(half, torch.tensor(min(h, w) / 2 - 1.0))
        cx = half + (w - 2 * half) * u[:, 2]
        cy = half + (h - 2 * half) * u[:, 3]
        # affine_grid maps output coordinates in [-1, 1] to input coordinates in [-1, 1]
        sx = scale * self.size / w
        sy = scale * self.size / h
        cos, sin = torch.cos(angle), torch.sin(angle)
        theta = torch.zeros(n, 2, 3)
        theta[:, 0, 0] = sx * cos
        theta[:, 0, 1] = -sx * sin
        theta[:, 1, 0] = sy * sin
        theta[:, 1, 1] = sy * cos
        theta[:, 0, 2] = 2 * cx / w - 1
        theta[:, 1, 2] = 2 * cy / h - 1
        grid = F.affine_grid(theta, (n, 1, self.size, self.size), align_corners=False)
        return F.grid_sample(photo.expand(n, -1, -1, -1), grid, mode="bilinear",
                             padding_mode="reflection", align_corners=False)

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        if self.balanced:
            order = torch.randperm(n, generator=generator)
            labels = torch.arange(n)[order] % self.n_classes
        else:
            labels = torch.randint(self.n_classes, (n,), generator=generator)
        x = torch.empty(n, 1, self.size, self.size)
        for c in range(self.n_classes):
            idx = (labels == c).nonzero().flatten()
            if len(idx):
                x[idx] = self._crops(self.photos[c], len(idx), generator)
        return standardise(x), labels
