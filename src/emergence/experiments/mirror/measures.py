"""Chapter 3's measurements of its networks on its test stimuli, each a function of the
network (or its responses) and the stimuli it is given.

The indices and statistics themselves are general and live in :mod:`emergence.analysis.mirror`
(the MSVT index, equivariance and invariance, filter symmetry, the authors' pooling, the hflip
margin); here they are applied to the small CNN's layers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from emergence.analysis.mirror import (
    TRANSFORMS,
    equivariances,
    filter_symmetry,
    hflip_margin,
    invariance,
    msvt_index,
    pooled_index,
    pooled_indices,
    transform,
)
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror.config import ALL_LAYERS, CONV, FC
from emergence.experiments.mirror.runs import load
from emergence.experiments.mirror.tables import StatTable, family_members, family_table
from emergence.models.mirrorcnn import MirrorCNN, init_like_pytorch, layer_responses
from emergence.profiles import make_generator, require_choice
from emergence.progress import progress_bar

# ---------------------------------------------------------------------------------- stimuli


def mirror_errors(images: torch.Tensor, family_of: torch.Tensor) -> dict[str, float]:
    """The largest difference between view(−θ) and the flip of view(+θ) over the objects with a
    symmetry plane (``max_symmetric``), and the smallest over the no-plane ones."""
    error = (images - images.flip(1).flip(-1)).abs().amax((1, 2, 3))
    members = family_members(family_of)
    return {"max_symmetric": float(max(error[members[f]].max()
                                       for f in ("one_plane", "head", "two_plane"))),
            "min_asymmetric": float(error[members["asymmetric"]].min())}


def explorer_objects(family_of: torch.Tensor, n_per_family: int) -> list[int]:
    """The first ``n_per_family`` test objects of each family."""
    members = family_members(family_of)
    return [int(i) for f in FAMILIES for i in members[f][:n_per_family]]


# ---------------------------------------------------------------------------- MSVT indices

def stimulus_responses(model: MirrorCNN, images: torch.Tensor) -> dict[str, torch.Tensor]:
    """Responses of every analysed layer to the test stimuli ``images`` (objects, views, H, W),
    as (objects, views, ...)."""
    n, v = images.shape[:2]
    flat = layer_responses(model, images.reshape(n * v, 1, *images.shape[2:]))
    return {layer: r.reshape(n, v, *r.shape[1:]) for layer, r in flat.items()}


def layer_indices(responses: dict[str, torch.Tensor],
                  layers: Sequence[str] = ALL_LAYERS) -> dict[str, torch.Tensor]:
    """The MSVT index per object of each of ``layers``, ``gap``: pool2 (the last pooling layer,
    the analogue of the authors' pool5) pooled over the whole map as the authors pool it
    (z-scored, then averaged), and ``gap_conv4``: the same for conv4, before the max-pooling."""
    out = {layer: msvt_index(responses[layer]) for layer in layers}
    for name, layer in (("gap", "pool2"), ("gap_conv4", "conv4")):
        if layer in responses:
            out[name] = pooled_index(responses[layer], responses[layer].shape[-1])
    return out


def receptive_field(window: int, layer: str = "pool2") -> int:
    """Pixels seen by ``layer`` units pooled over ``window`` × ``window`` positions: a conv4 unit
    sees 14 × 14 pixels of the unpadded network and neighbouring units are 2 pixels apart; a
    pool2 unit takes the maximum of 2 × 2 conv4 units (16 pixels) and its neighbours are 4
    pixels apart."""
    require_choice("layer", layer, ("conv4", "pool2"))
    return 14 + 2 * (window - 1) if layer == "conv4" else 16 + 4 * (window - 1)


def pooling_sweep(maps: dict[str, torch.Tensor], family_of: torch.Tensor) -> StatTable:
    """The MSVT index of one layer's maps (``maps[network]``: objects, views, C, H, W) pooled as
    the authors pool them over every window from 1 position to the whole map: one row per
    network × window × family."""
    return family_table({net: pooled_indices(m, range(1, m.shape[-1] + 1))
                         for net, m in maps.items()}, family_of,
                        ("network", "window", "family"))


# ---------------------------------------------------------------- equivariance and filters

def equivariance_images(images: torch.Tensor, n_per_family: int) -> torch.Tensor:
    """All views of ``n_per_family`` × families test objects spread evenly over the objects
    (every family), as (images, 1, H, W)."""
    n_objects = len(images)
    chosen = torch.linspace(0, n_objects - 1, min(n_objects, n_per_family * len(FAMILIES)))
    return images[chosen.round().long()].reshape(-1, 1, *images.shape[-2:])


def equivariance_values(model: MirrorCNN, images: torch.Tensor) -> dict:
    """Per transform and conv layer, the per-image equivariance; per transform, the per-image
    invariance of the plain spatial mean of pool2 (``gap``)."""
    plain = layer_responses(model, images)
    moved = {name: layer_responses(model, transform(images, name)) for name in TRANSFORMS}
    values = {name: {} for name in TRANSFORMS}
    for layer in CONV:
        for name, per_image in equivariances(plain[layer], {t: m[layer] for t, m in
                                                            moved.items()}).items():
            values[name][layer] = per_image
    for name in TRANSFORMS:
        values[name]["gap"] = invariance(plain["gap"], moved[name]["gap"], per_image=True)
    return values


def margin_of(values: dict, layer: str) -> dict[str, float]:
    """The hflip margin (:func:`emergence.analysis.mirror.hflip_margin`) of ``layer`` from
    :func:`equivariance_values`."""
    return hflip_margin({name: values[name][layer] for name in TRANSFORMS})


def random_margins(n_classes: int, images: torch.Tensor, seed: int, n: int) -> dict:
    """The hflip margin (median) of ``n`` untrained networks drawn like the trained networks'
    start (PyTorch's default initialisation), per conv layer: ``{"margins", "mean", "sd", "n",
    "positive", "bound"}`` with ``bound`` = mean + 2 SD."""
    margins = {layer: [] for layer in CONV}
    with progress_bar(total=n, desc="random networks", mininterval=1.0) as bar:
        for k in range(n):
            control = MirrorCNN(n_classes)
            init_like_pytorch(control, make_generator(seed, f"equivariance-init-{k}"))
            values = equivariance_values(control.eval(), images)
            for layer in CONV:
                margins[layer].append(margin_of(values, layer)["median"])
            bar.update(1)
    out = {}
    for layer, v in margins.items():
        mean, sd = float(np.mean(v)), float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
        out[layer] = {"mean": mean, "sd": sd, "n": len(v), "positive": int(sum(m > 0 for m in v)),
                      "margins": v, "bound": mean + 2 * sd}
    return out


def filter_symmetries(model: MirrorCNN, top_bottom: bool = False) -> dict[str, torch.Tensor]:
    """Left–right symmetry of every conv filter per layer (the authors' figureS5.m); with
    ``top_bottom``, the same measure for the top–bottom mirror (rows for columns)."""
    return {layer: filter_symmetry(getattr(model, layer).weight.detach().transpose(-1, -2)
                                   if top_bottom else getattr(model, layer).weight.detach())
            for layer in CONV}


def mean_over_filters(symmetries: dict[str, torch.Tensor]) -> float:
    """The mean of per-layer filter symmetries (:func:`filter_symmetries`) over every filter."""
    return float(torch.cat(list(symmetries.values())).mean())


def mean_filter_symmetry(model: MirrorCNN, top_bottom: bool = False) -> float:
    """The mean of :func:`filter_symmetries` over every conv filter of ``model``."""
    return mean_over_filters(filter_symmetries(model, top_bottom))


def median_filter_norm(model: MirrorCNN, layer: str = "conv1") -> float:
    """The median L2 norm of ``layer``'s filters."""
    return float(getattr(model, layer).weight.detach().flatten(1).norm(dim=1).median())


def init_alignment(trained: MirrorCNN, untrained: MirrorCNN) -> dict[str, float]:
    """What each layer keeps of its random start: the cosine between its trained and initial
    weights."""
    return {layer: float(torch.nn.functional.cosine_similarity(
        getattr(trained, layer).weight.detach().flatten(),
        getattr(untrained, layer).weight.detach().flatten(), dim=0))
        for layer in (*CONV, *FC)}


# ----------------------------------------------------------------------------- manipulation

def manipulation_record(state: dict, images: torch.Tensor, family_of: torch.Tensor) -> dict:
    """A manipulation network's test accuracy, classes, training images, MSVT index at fc1 and
    fc2 on the test stimuli (``layer → family → {mean, sem, n}``) and mean left–right filter
    symmetry."""
    model = load(state)
    indices = layer_indices(stimulus_responses(model, images), FC)
    table = family_table({layer: indices[layer] for layer in FC}, family_of, ("layer", "family"))
    return {"test_accuracy": float(state["test_accuracy"]), "n_classes": state["n_classes"],
            "n_images": state["n_images"], "msvt": table.nested(),
            "filter_symmetry": mean_filter_symmetry(model)}
