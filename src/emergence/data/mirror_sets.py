"""Data sets of rendered procedural objects for the mirror-symmetry chapter.

* :func:`training_set` — random views (yaw uniform in ``yaw_range``, by default the full circle;
  pitch in [−10°, 25°]) of exemplars of random categories; ``family="one_plane"`` gives
  bilaterally symmetric categories. ``mirror`` adds every image a second time, horizontally
  flipped — the training-set manipulations of the paper's Fig. 4, meaningful for ``asymmetric``
  categories, whose mirror images are different objects: ``"same_class"`` keeps the label (like
  the paper's "symSVHN"), ``"new_class"`` gives it the label ``label + n_categories`` (like
  "asymSVHN", flip-as-new-class); ``"none"`` (default) adds nothing.
* :func:`analysis_stimuli` — each family's exemplars at the analysis views (−90°…+90°).
"""

from __future__ import annotations

import torch

from emergence.data.objects import (
    FAMILIES,
    asymmetric_exemplar,
    asymmetric_prototype,
    family_objects,
    one_plane_exemplar,
    one_plane_prototype,
)
from emergence.data.render import render, view_angles
from emergence.profiles import require_positive

PROTOTYPES = {"one_plane": (one_plane_prototype, one_plane_exemplar),
              "asymmetric": (asymmetric_prototype, asymmetric_exemplar)}
MIRROR_MODES = ("none", "same_class", "new_class")


def training_set(family: str, n_categories: int, n_exemplars: int, n_views: int,
                 generator: torch.Generator, *, size: int = 32, jitter: float = 0.15,
                 mirror: str = "none", yaw_range: tuple[float, float] = (-180.0, 180.0),
                 device="cpu") -> dict:
    """``{"images": (N, 1, size, size), "labels": (N,), "n_classes"}`` (module docstring)."""
    if family not in PROTOTYPES:
        raise ValueError(f"family={family!r} is not allowed for training; choose one of "
                         f"{tuple(PROTOTYPES)}.")
    for name, value in [("n_categories", n_categories), ("n_exemplars", n_exemplars),
                        ("n_views", n_views)]:
        require_positive(name, value, integer=True)
    if mirror not in MIRROR_MODES:
        raise ValueError(f"mirror={mirror!r} is not allowed; choose one of {MIRROR_MODES}.")
    make_prototype, make_exemplar = PROTOTYPES[family]
    prototypes = [make_prototype(generator) for _ in range(n_categories)]
    objects, labels = [], []
    for c, prototype in enumerate(prototypes):
        for _ in range(n_exemplars):
            objects.append(make_exemplar(generator, prototype, jitter))
            labels.append(c)
    low, high = yaw_range
    yaws = low + (high - low) * torch.rand(len(objects), n_views, generator=generator)
    pitches = -10 + 35 * torch.rand(len(objects), n_views, generator=generator)
    # about 128 images per rendering chunk: larger chunks overflow the CPU caches and run slower
    images = render(objects, yaws, pitches=pitches, size=size, device=device,
                    chunk=max(1, 128 // n_views)).cpu()
    images = images.reshape(-1, 1, size, size)
    labels = torch.tensor(labels).repeat_interleave(n_views)
    n_classes = n_categories
    if mirror != "none":
        images = torch.cat([images, images.flip(-1)])
        labels = torch.cat([labels, labels + (n_categories if mirror == "new_class" else 0)])
        n_classes = 2 * n_categories if mirror == "new_class" else n_categories
    return {"images": images, "labels": labels, "n_classes": n_classes}


def analysis_stimuli(n_per_family: int, generator: torch.Generator, *, n_views: int = 9,
                 n_categories: int = 5, size: int = 32, device="cpu") -> dict:
    """``{"images": (families·n, views, size, size), "family": (families·n,) index into
    FAMILIES, "yaws": (views,)}``; one-plane objects come from fresh (held-out) categories."""
    require_positive("n_per_family", n_per_family, integer=True)
    yaws = view_angles(n_views)
    images, family = [], []
    for f, name in enumerate(FAMILIES):
        objects, _ = family_objects(name, n_per_family, generator, n_categories=n_categories)
        images.append(render(objects, yaws, size=size, device=device).cpu())
        family += [f] * n_per_family
    return {"images": torch.cat(images), "family": torch.tensor(family), "yaws": yaws}
