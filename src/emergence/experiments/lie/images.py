"""What Chapter 1's network is trained on: random crops of natural photographs (or CIFAR-10 at the
``paper`` profile), each at a random rotation so that every orientation is equally frequent.

A source is ``sample(n, generator) → (x, y)``: ``n`` standardised grey images ``(n, 1, H, W)``
and their labels, drawn from ``generator`` only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from emergence.cache import default_cache_dir
from emergence.data.cifar import cifar10_or_none
from emergence.data.natural import SKIMAGE_PHOTOS, PhotoCrops, load_skimage_photos, standardise

from .config import LieConfig

Sampler = Callable[[int, torch.Generator], tuple[torch.Tensor, torch.Tensor]]


def photo_source(photos: list[torch.Tensor], cfg: LieConfig) -> tuple[Sampler, int]:
    """Random ``crop`` × ``crop`` crops of the photographs at scales 1–3 and rotations 0–360°
    (none without ``cfg.rotate``), labelled by photograph:
    ``(sample(n, generator) → (x, y), n_classes)``."""
    dataset = PhotoCrops(photos, size=cfg.crop, scales=(1.0, 3.0), rotate=cfg.rotate,
                         balanced=cfg.balanced_classes)
    return dataset.sample, dataset.n_classes


def cifar_source(images: torch.Tensor, labels: torch.Tensor) -> tuple[Sampler, int]:
    """CIFAR-10 grey images ``(N, H, W)`` with labels, each drawn with a random rotation
    (reflection padding) and standardised: ``(sample, 10)``."""
    def sample(n: int, generator: torch.Generator):
        idx = torch.randint(len(images), (n,), generator=generator)
        angle = torch.rand(n, generator=generator) * 2 * math.pi
        cos, sin, zero = torch.cos(angle), torch.sin(angle), torch.zeros(n)
        theta = torch.stack([torch.stack([cos, -sin, zero], 1),
                             torch.stack([sin, cos, zero], 1)], 1)
        batch = images[idx][:, None]
        grid = torch.nn.functional.affine_grid(theta, batch.shape, align_corners=False)
        rotated = torch.nn.functional.grid_sample(batch, grid, padding_mode="reflection",
                                                  align_corners=False)
        return standardise(rotated), labels[idx]

    return sample, 10


@dataclass(frozen=True)
class TrainingImages:
    """A training source with what the page says about it."""

    sample: Sampler
    n_classes: int
    label_names: list[str]  # one per label
    labelled_by: str  # what a label names ("photograph", "CIFAR-10 class")
    note: str  # the data in words (the results file's ``dataset``; part of the cache key)


def training_images(cfg: LieConfig) -> TrainingImages:
    """The bundled photographs (random crops, scales and rotations); with ``cfg.use_cifar``,
    CIFAR-10 in grey with random rotations, downloaded once into the cache — when it cannot be
    had (offline), the photographs, with a printed notice that says why."""
    sample, n_classes = photo_source(load_skimage_photos(), cfg)
    photos = TrainingImages(
        sample, n_classes, [name.rsplit(".", 1)[0] for name in SKIMAGE_PHOTOS], "photograph",
        f"scikit-image bundled photographs ({', '.join(SKIMAGE_PHOTOS)}), random "
        f"{cfg.crop}x{cfg.crop} crops, scales 1-3, "
        + ("rotations 0-360 deg" if cfg.rotate else "no rotations"))
    if not cfg.use_cifar:
        return photos
    cifar, notice = cifar10_or_none(default_cache_dir() / "cifar10")
    if cifar is None:
        print(f"Notice. {notice}")
        return photos
    sample, n_classes = cifar_source(torch.from_numpy(cifar[0]), torch.from_numpy(cifar[1]))
    return TrainingImages(sample, n_classes, [f"class {c}" for c in range(n_classes)],
                          "CIFAR-10 class", "CIFAR-10 (train), grey, random rotations")
