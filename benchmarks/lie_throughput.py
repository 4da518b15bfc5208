"""Throughput of the Chapter 1 (Lie symmetries) training and time of its analyses; prints
figures, asserts nothing.

    python benchmarks/lie_throughput.py [--seconds 10]

* training images/s of the lateral V1 network at the ``cpu`` and ``paper`` sizes (data drawing,
  noise, forward, backward and Adam step included), on the CPU;
* time of the analyses: LoG fit, radial symmetry, the Gabor fits of a filter bank, the
  orientation-selectivity permutation test, the direction-process kernel, the SE(2) lifting
  and the model fit with its shuffle control.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import time

import numpy as np
import torch

from emergence.analysis.connectivity import (
    coupling_matrix,
    direction_process_kernel,
    lift_kernel,
    model_fit_test,
    orientation_selectivity,
    se2_grid,
)
from emergence.analysis.filters import fit_log, radial_symmetry
from emergence.data.natural import load_skimage_photos
from emergence.experiments.lie.config import FIT_WORKERS, LieConfig, architecture, config_for
from emergence.experiments.lie.filter_fits import fit_bank
from emergence.experiments.lie.images import photo_source
from emergence.models.lateral import LateralV1Net, train_lateral


def training_rate(cfg: LieConfig, seconds: float, **stage) -> float:
    """Training images per second of the chapter's network and data at ``cfg`` (the chapter's
    own configuration, :func:`emergence.experiments.lie.config.config_for`)."""
    sample, n_classes = photo_source(load_skimage_photos(), cfg)
    generator = torch.Generator().manual_seed(0)
    net = LateralV1Net(n_classes=n_classes, generator=generator, **architecture(cfg))
    optim = dict(lr=cfg.lr, weight_decay=cfg.weight_decay, noise=cfg.noise)
    steps = 5
    train_lateral(net, sample, 2, generator, batch_size=cfg.batch, progress=False, **optim,
                  **stage)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train_lateral(net, sample, steps, generator, batch_size=cfg.batch, progress=False,
                      **optim, **stage)
        done += steps * cfg.batch
    return done / (time.perf_counter() - start)


def timed(label: str, work) -> None:
    start = time.perf_counter()
    work()
    print(f"  {label:<52s} {time.perf_counter() - start:8.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("training throughput (CPU; photographs at both sizes):")
    for profile in ("cpu", "paper"):
        cfg = config_for(profile)
        rate1 = training_rate(cfg, args.seconds)
        rate2 = training_rate(cfg, args.seconds, train_filters=False,
                              hebbian_rate=cfg.hebbian_rate, hebbian_gain=cfg.hebbian_gain)
        minutes = (cfg.steps / rate1 + cfg.stage2_steps / rate2) * cfg.batch / 60
        print(f"  {profile:<6s} C = {cfg.n_filters:3d}, {cfg.crop}x{cfg.crop} crops, batch "
              f"{cfg.batch}: stage 1 {rate1:6.0f} images/s, stage 2 (Hebbian K¹) "
              f"{rate2:6.0f} images/s  ({cfg.steps} + {cfg.stage2_steps} steps: "
              f"{minutes:.1f} min)")
    cfg = config_for("cpu")
    rng = np.random.default_rng(0)
    n, k, perms = cfg.n_filters, cfg.k_lateral, cfg.n_permutations
    print(f"analyses (cpu sizes, {n} filters):")
    l0 = rng.standard_normal((cfg.k0, cfg.k0))
    timed(f"LoG fit of ℓ⁰ ({cfg.k0}x{cfg.k0})", lambda: fit_log(l0))
    timed("radial-symmetry score", lambda: radial_symmetry(l0))
    side = cfg.k0 + cfg.k1 - 1
    bank = rng.standard_normal((n, side, side))
    timed(f"Gabor fits of {n} effective filters ({side}x{side}), {FIT_WORKERS} processes",
          lambda: fit_bank(bank, cfg.gabor_restarts))
    kernel = rng.standard_normal((n, n, k, k))
    theta = rng.uniform(0, math.pi, n)
    timed(f"orientation selectivity, {perms} permutations",
          lambda: orientation_selectivity(coupling_matrix(kernel), theta, perms))
    radius = (k // 2) * cfg.stride + 1.0
    grid = se2_grid(radius, k, 6)
    timed(f"direction-process kernel, {cfg.mc_paths} paths x 2",
          lambda: direction_process_kernel(0.5, grid, n_paths=cfg.mc_paths))
    centres = rng.normal(size=(n, 2))
    timed("lifting K¹ to SE(2), all reference filters",
          lambda: lift_kernel(kernel, theta, grid, cfg.stride, centres))
    models = {s: direction_process_kernel(s, grid, n_paths=2000) for s in cfg.sigmas}
    timed(f"SE(2) model fit at equal distance, {len(models)} σ, 99 shuffles",
          lambda: model_fit_test(kernel, theta, models, grid, cfg.stride, centres, 99,
                                 at_equal_distance=True))


if __name__ == "__main__":
    if importlib.util.find_spec("skimage") is None:
        raise SystemExit("scikit-image is needed: make install")
    main()
