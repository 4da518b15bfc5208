"""Chapter 1's runs, in the order the page makes them: each a pure function of the configuration,
the seed (and the device and training images where they matter) that returns a dictionary.

* :func:`training_stages` — stage 1 through the task and our Hebbian stage 2, cached;
* :func:`gabor_fits` — the Gabor fits of ℓ¹ and of its controls, cached;
* :func:`direction_process` — the SE(2) model's kernels Γ_σ (Monte Carlo), cached;
* :func:`lateral_kernels` — the four lateral kernels the K¹ claims compare (seconds: not cached);
* :func:`lateral_measures` — their measures and shuffle tests (seconds: not cached);
* :func:`contour_training` — K¹ and a head through contour integration (beyond the paper),
  cached, and :func:`contour_measures`, its kernels' measures (not cached).

The cached runs are stored by :func:`emergence.cache.cached` under ``ch1-<run>``, keyed by the
configuration fields the run depends on and the seed (:func:`run_key`) — and by the science
source code, so a change of either recomputes them.
"""

from __future__ import annotations

import numpy as np
import torch

from emergence.cache import cached
from emergence.models.lateral import white_noise_kernel
from emergence.profiles import make_generator

from .config import CONTOUR_FIELDS, LieConfig, training_fields
from .contours import train_contour_network
from .filter_fits import analyse_filters, well_fitted
from .images import TrainingImages
from .kernels import (
    N_THETA,
    all_kernel_measures,
    lifted_grid,
    plain_model_fit,
    se2_model,
    se2_radius,
)
from .training import load_network, train_network


def run_key(cfg: LieConfig, seed: int, device: torch.device | str, data: str) -> dict:
    """The cache key of a trained network: the configuration's training fields, the seed, the
    device type and a description of the training data."""
    return training_fields(cfg) | {"seed": seed, "device": torch.device(device).type,
                                   "data": data}


def training_stages(cfg: LieConfig, images: TrainingImages, seed: int,
                    device: torch.device) -> dict:
    """:func:`~emergence.experiments.lie.training.train_network` on ``images``: both stages,
    the snapshots of stage 1, the losses and the accuracies (cached)."""
    return cached("ch1-lateral-net", run_key(cfg, seed, device, images.note),
                  lambda: train_network(cfg, images.sample, images.n_classes, seed, device))


def gabor_fits(cfg: LieConfig, stages: dict, images: TrainingImages, seed: int,
               device: torch.device) -> dict:
    """:func:`~emergence.experiments.lie.filter_fits.analyse_filters` of the first and last
    snapshots of :func:`training_stages` (cached with the network's key and the restarts)."""
    snapshots = stages["snapshots"]
    return cached("ch1-gabor-fits", run_key(cfg, seed, device, images.note)
                  | {"restarts": cfg.gabor_restarts},
                  lambda: analyse_filters(cfg, snapshots[0], snapshots[-1], seed))


def direction_process(cfg: LieConfig, seed: int) -> dict:
    """:func:`~emergence.experiments.lie.kernels.se2_model`, its Monte Carlo kernels cached
    (keyed by the grid, the widths, the number of paths and the seed)."""
    radius = se2_radius(cfg)
    key = dict(radius=radius, n_xy=cfg.k_lateral, n_theta=N_THETA, sigmas=cfg.sigmas,
               paths=cfg.mc_paths, seed=seed)
    kernels = cached("ch1-direction-process", key, lambda: {
        s: torch.from_numpy(k) for s, k in se2_model(cfg, seed)["kernels"].items()})
    return {"radius": radius, "grid": lifted_grid(cfg),
            "kernels": {s: k.numpy() for s, k in kernels.items()}}


def lateral_kernels(cfg: LieConfig, stages: dict, seed: int) -> dict[str, np.ndarray]:
    """The four lateral kernels (C, C, k, k) that the K¹ claims compare: ``task`` (learned
    through the task, stage 1: the paper's claim), ``overlap`` (the filter-overlap control, the
    Hebbian fixed point on white noise through the stage-1 ℓ⁰ and ℓ¹ of :func:`training_stages`
    ``stages``; random stream
    ``overlap``), ``hebbian`` (our stage 2, beyond the paper) and ``init``."""
    net = load_network(cfg, stages, "stage1_state")
    snapshots = stages["snapshots"]
    return {
        "task": snapshots[-1]["lateral"].numpy(),
        "overlap": white_noise_kernel(net, cfg.crop, cfg.overlap_batches,
                                      make_generator(seed, "overlap"), batch_size=cfg.batch,
                                      gain=cfg.hebbian_gain).numpy(),
        "hebbian": stages["lateral_stage2"].numpy(),
        "init": snapshots[0]["lateral"].numpy(),
    }


def tuning(cfg: LieConfig, final: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The filters whose orientation the K¹ measures trust, their orientations and their
    centres (px), from the Gabor fits ``final`` (:func:`gabor_fits`' ``"final"``): of the
    effective filters ``ℓ⁰ ∗ ℓ¹ᵢ`` — or, when ℓ⁰ is rectified (``cfg.l0_relu``) and
    ``ℓ⁰ ∗ ℓ¹ᵢ`` is no unit's linear filter, of the raw ℓ¹ filters."""
    suffix = "_raw" if cfg.l0_relu else ""
    keep = well_fitted(final["error" + suffix].numpy())
    return (keep, final["orientation" + suffix].numpy()[keep],
            final["centre" + suffix].numpy()[keep])


def lateral_measures(cfg: LieConfig, kernels: dict[str, np.ndarray], fits: dict, model: dict,
                     seed: int) -> dict:
    """The K¹ measures of the four :func:`lateral_kernels` ``kernels`` over the well-fitted
    trained filters of ``fits`` (:func:`gabor_fits`; which fits: :func:`tuning`), with the
    SE(2) model ``model`` (:func:`direction_process`): ``well_fitted`` (their indices),
    ``theta`` (their orientations), ``centres`` (their fitted centres, px), ``measures`` (per
    kernel; the learned kernels and the control with their shuffle tests, the kernel at
    initialisation with its own shuffle tests, each statistic with one p-value, and its SE(2)
    fit with the fall-off with distance left in, ``se2_plain``) and ``reported`` (two more
    tests of the task kernel)."""
    keep, theta, centres = tuning(cfg, fits["final"])
    among_kept = np.ix_(keep, keep)
    control = kernels["overlap"][among_kept]
    measures, reported = all_kernel_measures(  # in processes; each its own random stream
        cfg, {name: kernels[name][among_kept] for name in ("task", "overlap", "hebbian", "init")},
        control, theta, centres, model, seed)
    measures["init"]["se2_plain"] = plain_model_fit(cfg, kernels["init"][among_kept], theta,
                                                    centres, model)
    return {"well_fitted": keep, "theta": theta, "centres": centres, "measures": measures,
            "reported": reported}


def contour_training(cfg: LieConfig, stages: dict, images: TrainingImages, seed: int,
                     device: torch.device) -> dict:
    """:func:`~emergence.experiments.lie.contours.train_contour_network` from the network of
    :func:`training_stages` after stage 1 (cached with its key and the contour task's fields)."""
    key = run_key(cfg, seed, device, images.note) | {f: getattr(cfg, f) for f in CONTOUR_FIELDS}
    return cached("ch1-contour-net", key,
                  lambda: train_contour_network(cfg, stages["stage1_state"], seed, device))


def contour_measures(cfg: LieConfig, contour: dict, kernels: dict[str, np.ndarray], fits: dict,
                     model: dict, seed: int) -> dict[str, dict]:
    """The K¹ measures (:func:`lateral_measures`' filters, orientations and control: the same
    ℓ⁰ and ℓ¹) of the kernel learned through contour integration (``contour``) and of its
    start (``contour_init``), from :func:`contour_training` ``contour``."""
    keep, theta, centres = tuning(cfg, fits["final"])
    among_kept = np.ix_(keep, keep)
    learned = {"contour": contour["lateral"].numpy()[among_kept],
               "contour_init": contour["init_lateral"].numpy()[among_kept]}
    measures, _ = all_kernel_measures(cfg, learned, kernels["overlap"][among_kept], theta,
                                      centres, model, seed, reported=False)
    return measures
