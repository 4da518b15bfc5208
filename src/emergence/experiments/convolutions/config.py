"""Chapter 2's configuration: the ``cpu`` profile's values, and per profile only what changes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from emergence.profiles import require_choice

#: Torch threads on a CPU. Every tensor here is small (D ≤ 400): extra threads only spin-wait
#: and, on a busy CPU, run many times slower. The committee's engine samples on one thread and
#: trains on another. Fixed, because the order of floating-point sums can depend on it.
CPU_THREADS = 1


@dataclass(frozen=True)
class ConvolutionsConfig:
    """Sizes and settings of Chapter 2 (the ``cpu`` profile's values; lattice units).

    Times are ``t = steps / D``. ``lr`` is the paper's learning rate: ``lr·K`` for the weights
    and ``lr·K/D`` for the biases under the authors' loss (see ``train_committees``).
    """

    L1: int = 100  # sites of the ring (1D, D = L1)
    t1: float = 3000.0  # training time of the 1D gain sweep
    t1_paper: float = 10000.0  # the 1D claim's networks (NLGP and clone at g_main): the paper's
    gains: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)  # 1D sweep, NLGP and clone
    L2: int = 20  # side of the torus (2D, D = L2²), the paper's Figure 1
    t2: float = 10000.0  # training time on the torus, the paper's Figure 1
    gains2: tuple[float, ...] = (10.0,)
    K: int = 8  # hidden units, the paper's Figure 1
    K_tiling: int = 24  # hidden units of the wider 1D network for tiling
    t_tiling: float = 3000.0
    cnn_steps: int = 8000  # mini-batch steps of the convolutional network
    n_cov: int = 40000  # input samples of Section 1 (the covariance check, the projections)
    xi: tuple[float, float] = (1.0, 3.0)  # correlation lengths of class 0 (y = +1), class 1
    g_main: float = 10.0  # the gain at which the main result is stated
    lr: float = 0.05
    n_snapshots1: int = 24
    n_snapshots2: int = 16
    localised_factor: float = 5.0  # a field counted in the tiling test: IPR ≥ this × baseline
    n_random_tiling: int = 4000  # random centre sets for the tiling test
    # the tiling test's power: synthetic lattices of centres, each centre jittered by these
    # fractions of the spacing (our choice: a tight and a loose tiling), n_power_sets per size
    tiling_jitters: tuple[float, ...] = (0.1, 0.25)
    n_power_sets: int = 200
    # the mechanism (Section 6): κ₄ fixed points and the reduced single-neuron dynamics
    mechanism_gains: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0)  # NLGP; the clone at g_main
    n_mechanism: int = 10000  # input samples per network
    n_starts: int = 16  # random starts of the power iteration
    max_iter: int = 200
    reduced_steps: int = 400
    reduced_starts: int = 4
    radius: float = 0.7  # ‖w‖ of the reduced neuron (our choice, from the radius scan)
    radii: tuple[float, ...] = (0.25, 0.5, 0.7, 1.0, 2.0)  # the scan, shown on the page


PROFILE_CHANGES = {
    "smoke": dict(L1=32, t1=60.0, t1_paper=60.0, gains=(1.0, 10.0), L2=8, t2=20.0, K_tiling=8,
                  t_tiling=60.0, cnn_steps=300, n_cov=4000, n_random_tiling=500, n_power_sets=50,
                  mechanism_gains=(1.0, 10.0),
                  n_mechanism=4000, n_starts=8, max_iter=40, reduced_steps=60, radii=(0.7,)),
    "cpu": {},
    "paper": dict(t1=10000.0, t2=10000.0, gains2=(3.0, 10.0), K_tiling=40, t_tiling=10000.0,
                  cnn_steps=40000, n_cov=200000),
}


def config_for(profile: str, **overrides) -> ConvolutionsConfig:
    """The configuration of ``profile`` (``smoke``, ``cpu`` or ``paper``), with ``overrides``."""
    require_choice("profile", profile, PROFILE_CHANGES)
    return dataclasses.replace(ConvolutionsConfig(), **(PROFILE_CHANGES[profile] | overrides))


#: Seeds on which earlier settings (the reduced model's radius, the thresholds) were looked at,
#: and seeds that played no part in any choice (run after every choice was made).
CHOICE_SEEDS, HELD_OUT_SEEDS = (0, 1, 2, 3), (4, 5, 6, 7)
