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
from pathlib import Path

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
from emergence.analysis.filters import fit_gabor, fit_log, radial_symmetry
from emergence.data.natural import PhotoCrops, load_skimage_photos
from emergence.models.lateral import LateralV1Net, train_lateral


def chapter_scales() -> tuple[dict, dict]:
    """SCALES and ARCH as the chapter defines them (read from its source, not copied)."""
    source = (Path(__file__).resolve().parents[1] / "book" / "lie_symmetries.py").read_text()
    namespace: dict = {"math": math}
    for first, last in (("SCALES = {", "scale = SCALES"), ("INIT_SCALE =", "OPTIM =")):
        piece = source[source.index(first):source.index(last)]
        exec(piece, namespace)  # noqa: S102 - the chapter's own literal dicts
    return namespace["SCALES"], namespace["ARCH"]


def training_rate(scale: dict, arch: dict, seconds: float, **stage) -> float:
    data = PhotoCrops(load_skimage_photos(), size=scale["crop"])
    generator = torch.Generator().manual_seed(0)
    net = LateralV1Net(n_filters=scale["n_filters"], n_classes=data.n_classes,
                       generator=generator, **arch)
    steps = 5
    train_lateral(net, data.sample, 2, generator, batch_size=scale["batch"], progress=False,
                  **stage)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train_lateral(net, data.sample, steps, generator, batch_size=scale["batch"],
                      progress=False, **stage)
        done += steps * scale["batch"]
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
    scales, arch = chapter_scales()
    print("training throughput (CPU):")
    for profile in ("cpu", "paper"):
        s = scales[profile]
        rate1 = training_rate(s, arch, args.seconds)
        rate2 = training_rate(s, arch, args.seconds, train_filters=False, hebbian_rate=0.02)
        minutes = (s["steps"] / rate1 + s["stage2_steps"] / rate2) * s["batch"] / 60
        print(f"  {profile:<6s} C = {s['n_filters']:3d}, {s['crop']}x{s['crop']} crops, batch "
              f"{s['batch']}: stage 1 {rate1:6.0f} images/s, stage 2 (Hebbian K¹) "
              f"{rate2:6.0f} images/s  ({s['steps']} + {s['stage2_steps']} steps: "
              f"{minutes:.1f} min)")
    rng = np.random.default_rng(0)
    n = scales["cpu"]["n_filters"]
    print(f"analyses (cpu sizes, {n} filters):")
    l0 = rng.standard_normal((7, 7))
    timed("LoG fit of ℓ⁰ (7x7)", lambda: fit_log(l0))
    timed("radial-symmetry score", lambda: radial_symmetry(l0))
    bank = rng.standard_normal((n, 13, 13))
    timed(f"Gabor fits of {n} effective filters (13x13)", lambda: [fit_gabor(w) for w in bank])
    kernel = rng.standard_normal((n, n, 7, 7))
    theta = rng.uniform(0, math.pi, n)
    timed("orientation selectivity, 1999 permutations",
          lambda: orientation_selectivity(coupling_matrix(kernel), theta, 1999))
    grid = se2_grid(7.0, 7, 6)
    timed("direction-process kernel, 20000 paths x 2",
          lambda: direction_process_kernel(0.5, grid, n_paths=20000))
    timed("lifting K¹ to SE(2), all reference filters",
          lambda: lift_kernel(kernel, theta, grid, 2.0, rng.normal(size=(n, 2))))
    models = {s: direction_process_kernel(s, grid, n_paths=2000) for s in (0.3, 0.8, 2.0)}
    timed("SE(2) model fit at equal distance, 3 σ, 99 shuffles",
          lambda: model_fit_test(kernel, theta, models, grid, 2.0, rng.normal(size=(n, 2)), 99,
                                 at_equal_distance=True))


if __name__ == "__main__":
    if importlib.util.find_spec("skimage") is None:
        raise SystemExit("scikit-image is needed: make install")
    main()
