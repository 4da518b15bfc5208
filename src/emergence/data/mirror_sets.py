"""Data sets of rendered procedural objects for the mirror-symmetry chapter.

* :func:`training_set` — random views (yaw uniform in ``yaw_range``, by default the full circle;
  pitch in [−10°, 25°]) of exemplars of random categories; ``family="one_plane"`` gives
  bilaterally symmetric categories. ``mirror`` adds every image a second time, horizontally
  flipped — the training-set manipulations of the paper's Fig. 4, meaningful for ``asymmetric``
  categories, whose mirror images are different objects: ``"same_class"`` keeps the label (like
  the paper's "symSVHN"), ``"new_class"`` gives it the label ``label + n_categories`` (like
  "asymSVHN", flip-as-new-class); ``"none"`` (default) adds nothing.
* :func:`analysis_stimuli` — each family's exemplars at the analysis views (−90°…+90°).
* :func:`mirror_half` — the paper's Fig. 4 constructions on a natural data set: a random half
  of the images flipped horizontally, with the same label ("symSVHN") or as new classes
  (``label + n_classes``, "asymSVHN").
* :func:`fig4_training_sets` — CIFAR-10, SVHN and the two mirrored SVHN sets, grey, from the
  download cache; :func:`training_source` decides, per profile, between them and the procedural
  training sets (the offline fallback, with a notice for the page).
"""

from __future__ import annotations

import os
from pathlib import Path

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


NATURAL_SETS = ("cifar10", "svhn", "svhn_mirror_same", "svhn_mirror_new")
OFFLINE_VARIABLE = "EMERGENCE_OFFLINE"  # set to 1: no download is attempted


def mirror_half(images: torch.Tensor, labels: torch.Tensor, n_classes: int,
                generator: torch.Generator, *, new_class: bool) -> dict:
    """A random half of ``images`` (N, 1, H, W) flipped left–right: with the same label
    (``new_class=False``, the paper's "symSVHN") or with the label ``label + n_classes``
    (``new_class=True``, "asymSVHN", 2·n_classes classes). The same ``generator`` state gives
    the same half, so the two constructions can be paired. Returns ``{"images", "labels",
    "n_classes", "flipped"}`` (``flipped``: a boolean mask of the flipped images)."""
    require_positive("n_classes", n_classes, integer=True)
    if len(images) != len(labels):
        raise ValueError(f"images ({len(images)}) and labels ({len(labels)}) differ in length.")
    flipped = torch.zeros(len(images), dtype=torch.bool)
    flipped[torch.randperm(len(images), generator=generator)[: len(images) // 2]] = True
    out = images.clone()
    out[flipped] = images[flipped].flip(-1)
    new_labels = labels.clone()
    if new_class:
        new_labels[flipped] += n_classes
    return {"images": out, "labels": new_labels,
            "n_classes": 2 * n_classes if new_class else n_classes, "flipped": flipped}


def fig4_training_sets(cache_dir: str | Path, generator: torch.Generator, *,
                       allow_download: bool = True, n_images: int | None = None,
                       sources: dict | None = None) -> dict:
    """The paper's Fig. 4 training sets, grey 32×32 in [0, 1]: ``cifar10``, ``svhn``,
    ``svhn_mirror_same`` and ``svhn_mirror_new`` (:func:`mirror_half`, the same flipped half),
    each ``{"images": (N, 1, 32, 32), "labels", "n_classes"}``. CIFAR-10 is read from
    ``cache_dir/cifar10`` (shared with Chapter 1), SVHN from ``cache_dir/svhn``, each downloaded
    once if missing. ``n_images`` keeps a random subset of each; ``sources`` overrides the URL
    and MD5 (``{"cifar10": {"url", "md5"}, "svhn": {...}}``, e.g. a test's own small files).
    Raises :class:`~emergence.data.cifar.DownloadUnavailable` or
    :class:`~emergence.data.cifar.CorruptArchiveError` when a set cannot be had."""
    from emergence.data.cifar import load_cifar10
    from emergence.data.svhn import load_svhn

    sources = sources or {}
    folder = Path(cache_dir).expanduser()
    cifar = load_cifar10(folder / "cifar10", allow_download=allow_download,
                         **sources.get("cifar10", {}))
    svhn = load_svhn(folder / "svhn", allow_download=allow_download, **sources.get("svhn", {}))
    sets = {}
    for name, (x, y) in (("cifar10", cifar), ("svhn", svhn)):
        x, y = torch.from_numpy(x)[:, None], torch.from_numpy(y)
        if n_images is not None and n_images < len(x):
            keep = torch.randperm(len(x), generator=generator)[:n_images]
            x, y = x[keep], y[keep]
        sets[name] = {"images": x, "labels": y, "n_classes": 10}
    svhn = sets["svhn"]
    state = generator.get_state()
    sets["svhn_mirror_same"] = mirror_half(svhn["images"], svhn["labels"], 10, generator,
                                           new_class=False)
    generator.set_state(state)  # the same flipped half for both constructions
    sets["svhn_mirror_new"] = mirror_half(svhn["images"], svhn["labels"], 10, generator,
                                          new_class=True)
    return sets


def training_source(profile: str, cache_dir: str | Path, generator: torch.Generator, *,
                    allow_download: bool | None = None, **options) -> tuple[dict | None, str]:
    """Which training sets the chapter's manipulation uses: ``(sets, notice)``.

    At the ``paper`` profile: the Fig. 4 sets (:func:`fig4_training_sets`) when they can be
    loaded; offline — the download fails, or is not allowed (``allow_download=False``, or the
    environment variable ``EMERGENCE_OFFLINE=1``) — ``None`` and a notice that the page falls
    back to the procedural training sets. At any other profile: ``None`` and an empty notice
    (procedural sets, nothing is downloaded)."""
    from emergence.data.cifar import CorruptArchiveError, DownloadUnavailable

    if profile != "paper":
        return None, ""
    if allow_download is None:
        allow_download = os.environ.get(OFFLINE_VARIABLE, "") not in ("1", "true", "yes")
    try:
        return fig4_training_sets(cache_dir, generator, allow_download=allow_download,
                                  **options), ""
    except (DownloadUnavailable, CorruptArchiveError) as error:
        return None, (f"CIFAR-10 / SVHN could not be used ({error}); the training-set "
                      "manipulation falls back to the procedural training sets.")
