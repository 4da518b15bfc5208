"""Contour-integration stimuli after Field, Hayes & Hess (1993), "Contour integration by the human
visual system: evidence for a local 'association field'", Vision Research 33:173–193.

Each image is a grey field of small Gabor elements. Every image holds a *path*: ``n_path``
elements ``spacing`` px apart along a curve whose direction turns by ±``path_angle`` degrees
(random sign each step) from one element to the next. The label says whether the path elements
are *aligned* with it:

* label 1 — each path element is oriented along the path's local tangent (the mean of the
  incoming and outgoing segment directions; the first and last element take their one
  segment's direction), plus an optional uniform jitter in ±``jitter`` degrees;
* label 0 — the same kind of path positions, but each path element has a uniformly random
  orientation.

The background is the same for both labels: distractors of uniformly random orientation on a
square grid of pitch ``spacing`` (random phase, each point jittered uniformly by ±0.1·spacing
per coordinate), dropping those closer than 0.8·spacing to a path element or within
``spacing / 2`` of the border. Element positions and numbers are therefore drawn identically
for both labels: the only cue to the label is the alignment of the path elements with the path.

Coordinates: ``x`` runs along columns, ``y`` down the rows, pixel ``(row i, column j)`` has its
centre at ``(x, y) = (j + 0.5, i + 0.5)``; an image covers ``[0, size]²``. Orientations are
angles in ``[0, π)`` from the ``x`` axis towards the ``y`` axis, giving the direction along which
an element's carrier stripes run (for an aligned path element, the path's tangent).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from emergence.profiles import require_positive

MIN_DISTANCE = 0.8  # minimum distance between any two elements, in units of ``spacing``
GRID_JITTER = 0.1  # distractor jitter per coordinate; 1 − 2·0.1 = 0.8 keeps grid neighbours apart
MAX_PATH_ROUNDS = 100  # redraws of paths that leave the image before giving up


@dataclass(frozen=True)
class ContourElements:
    """The elements of ``n`` images, padded to a common number ``k`` of slots per image.

    ``centres`` (n, k, 2) x, y in px; ``orientations`` (n, k) radians in [0, π); ``on_path``
    (n, k) bool, true for slots ``0 … n_path − 1``, which hold the path in order along it;
    ``present`` (n, k) bool, false for padding slots; ``labels`` (n,) int64, 1 = aligned path;
    ``size`` the image side in px.
    """

    centres: torch.Tensor
    orientations: torch.Tensor
    on_path: torch.Tensor
    present: torch.Tensor
    labels: torch.Tensor
    size: int


def _uniform(shape, low, high, generator):
    return low + (high - low) * torch.rand(shape, generator=generator, device=generator.device)


def _paths(n, size, generator, n_path, spacing, path_angle):
    """``(points (n, n_path, 2), tangents (n, n_path))`` of paths lying inside the margin.

    Segment k runs in direction φ_k = φ_0 + α·(s_1 + … + s_k), s_i = ±1, φ_0 uniform in
    [0, 2π); point k + 1 = point k + spacing·(cos φ_k, sin φ_k). Paths whose bounding box does
    not fit in ``[spacing/2, size − spacing/2]²``, or whose non-neighbouring elements come closer
    than 0.8·spacing, are redrawn; the fitting ones are placed uniformly at random.
    """
    margin, room = spacing / 2, size - spacing
    points = torch.empty(n, n_path, 2, device=generator.device)
    tangents = torch.empty(n, n_path, device=generator.device)
    todo = torch.arange(n, device=generator.device)
    far_apart = torch.ones(n_path, n_path, dtype=torch.bool, device=generator.device).triu(2)
    for _ in range(MAX_PATH_ROUNDS):
        m = len(todo)
        if m == 0:
            break
        signs = 2.0 * torch.randint(0, 2, (m, n_path - 2), generator=generator,
                                    device=generator.device) - 1
        turns = torch.cat([torch.zeros(m, 1, device=generator.device), signs], 1)
        start = _uniform((m, 1), 0, 2 * math.pi, generator)
        phi = start + math.radians(path_angle) * turns.cumsum(1)
        steps = spacing * torch.stack([phi.cos(), phi.sin()], -1)
        path = torch.cat([torch.zeros(m, 1, 2, device=generator.device), steps.cumsum(1)], 1)
        low, high = path.amin(1), path.amax(1)
        free = room - (high - low)
        distances = torch.cdist(path, path)
        fits = (free >= 0).all(1) & ~((distances < MIN_DISTANCE * spacing) & far_apart).any((1, 2))
        offset = margin - low + free.clamp(min=0) * _uniform((m, 2), 0, 1, generator)
        points[todo[fits]] = (path + offset[:, None])[fits]
        tangent = torch.cat([phi[:, :1], (phi[:, :-1] + phi[:, 1:]) / 2, phi[:, -1:]], 1)
        tangents[todo[fits]] = tangent[fits]
        todo = todo[~fits]
    if len(todo) > 0:
        raise ValueError(f"a path of n_path={n_path} elements spacing={spacing} px apart turning "
                         f"by ±{path_angle}° does not fit in a {size}-px image with a margin of "
                         f"{margin} px (after {MAX_PATH_ROUNDS} redraws); use a larger image, "
                         f"fewer elements or a smaller spacing.")
    return points, tangents


def contour_elements(n: int, generator: torch.Generator, *, size: int = 32, n_path: int = 5,
                     spacing: float = 4.5, path_angle: float = 15.0,
                     jitter: float = 0.0) -> ContourElements:
    """Element positions, orientations and labels of ``n`` images (module docstring).

    Exactly ``n // 2`` images, chosen at random, have label 1 (aligned path); the others label
    0. Path slots come first, in order along the path; distractors follow, then padding.
    """
    require_positive("n", n, integer=True)
    require_positive("size", size, integer=True)
    require_positive("spacing", spacing)
    if isinstance(n_path, bool) or not isinstance(n_path, int) or n_path < 2:
        raise ValueError(f"n_path={n_path!r} is not allowed; it must be an integer ≥ 2.")
    if not 0 <= path_angle < 180:
        raise ValueError(f"path_angle={path_angle!r} is not allowed; it must be in [0, 180).")
    if not 0 <= jitter <= 90:
        raise ValueError(f"jitter={jitter!r} is not allowed; it must be in [0, 90] degrees.")
    device = generator.device
    labels = torch.zeros(n, dtype=torch.int64, device=device)
    labels[torch.randperm(n, generator=generator, device=device)[: n // 2]] = 1
    path, tangents = _paths(n, size, generator, n_path, spacing, path_angle)
    aligned = tangents + math.radians(jitter) * _uniform(tangents.shape, -1, 1, generator)
    random = _uniform(tangents.shape, 0, math.pi, generator)
    path_orientations = torch.where(labels[:, None] == 1, aligned, random) % math.pi

    g = math.ceil(size / spacing) + 1
    axis = spacing * torch.arange(g, device=device, dtype=torch.float32)
    grid = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), -1).reshape(-1, 2)
    grid = (grid + _uniform((n, 1, 2), 0, spacing, generator)
            + _uniform((n, g * g, 2), -GRID_JITTER * spacing, GRID_JITTER * spacing, generator))
    inside = ((grid >= spacing / 2) & (grid <= size - spacing / 2)).all(-1)
    clear = (torch.cdist(grid, path) >= MIN_DISTANCE * spacing).all(-1)
    keep = inside & clear
    order = (~keep).to(torch.int8).argsort(dim=1, stable=True)[:, : int(keep.sum(1).max())]
    distractors = grid.gather(1, order[..., None].expand(-1, -1, 2))
    distractor_orientations = _uniform(order.shape, 0, math.pi, generator)
    kept = keep.gather(1, order)

    path_slots = torch.ones(n, n_path, dtype=torch.bool, device=device)
    return ContourElements(
        centres=torch.cat([path, distractors], 1),
        orientations=torch.cat([path_orientations, distractor_orientations], 1),
        on_path=torch.cat([path_slots, torch.zeros_like(kept)], 1),
        present=torch.cat([path_slots, kept], 1),
        labels=labels,
        size=size,
    )


def render_elements(elements: ContourElements, *, wavelength: float = 4.0,
                    sigma: float = 1.0) -> torch.Tensor:
    """Images (n, 1, size, size) float32: the sum of the present elements' Gabor patches.

    An element at (x₀, y₀) with orientation θ adds g(u, v) = exp(−(u² + v²)/(2σ²))·cos(2πv/λ),
    with u = (x − x₀)cos θ + (y − y₀)sin θ along the stripes and v = −(x − x₀)sin θ +
    (y − y₀)cos θ across them (cosine phase: a bright central stripe along θ), over the pixels
    within ⌈5σ⌉ + 1 px of its centre in x and y (beyond, the envelope is below e^(−12.5) ≈ 4·10⁻⁶).
    Each image is then standardised to zero mean and unit standard deviation (over its pixels,
    divisor size²).
    """
    require_positive("wavelength", wavelength)
    require_positive("sigma", sigma)
    size, n = elements.size, len(elements.centres)
    half = math.ceil(5 * sigma) + 1
    offsets = torch.arange(-half, half + 1, device=elements.centres.device)
    # the patch's pixels: columns and rows around the pixel that holds each centre
    cols = elements.centres[..., 0].floor().long()[..., None, None] + offsets[None, None, None, :]
    rows = elements.centres[..., 1].floor().long()[..., None, None] + offsets[None, None, :, None]
    dx = cols + 0.5 - elements.centres[..., 0, None, None]
    dy = rows + 0.5 - elements.centres[..., 1, None, None]
    theta = elements.orientations[..., None, None]
    v = -dx * theta.sin() + dy * theta.cos()
    patches = torch.exp(-(dx**2 + dy**2) / (2 * sigma**2)) * torch.cos(2 * math.pi * v / wavelength)
    inside = ((rows >= 0) & (rows < size) & (cols >= 0) & (cols < size)
              & elements.present[..., None, None])
    image = torch.arange(n, device=rows.device)[:, None, None, None].expand_as(patches)
    flat = (image * size + rows.clamp(0, size - 1)) * size + cols.clamp(0, size - 1)
    images = torch.zeros(n * size * size, dtype=patches.dtype, device=patches.device)
    images.index_add_(0, flat.flatten(), (patches * inside).flatten())  # zero where outside
    images = images.view(n, size, size)
    mean = images.mean((1, 2), keepdim=True)
    std = images.std((1, 2), keepdim=True, correction=0)
    return ((images - mean) / std)[:, None].float()


def contour_images(n: int, generator: torch.Generator, *, size: int = 32,
                   wavelength: float = 4.0, sigma: float = 1.0,
                   **kw) -> tuple[torch.Tensor, torch.Tensor]:
    """``(x (n, 1, size, size) float32, y (n,) int64)``: :func:`render_elements` of
    :func:`contour_elements` (``kw`` are its path and spacing parameters); y = 1 for a path."""
    elements = contour_elements(n, generator, size=size, **kw)
    return render_elements(elements, wavelength=wavelength, sigma=sigma), elements.labels
