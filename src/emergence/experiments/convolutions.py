"""Chapter 2's experiments (Ingrosso & Goldt 2022): one configuration, one function per run.

A run is a pure function of a :class:`ConvolutionsConfig`, a seed and a device; the chapter calls
:func:`cached_run`, which stores its result on disk under exactly the fields the run reads (and
the package's code), so changing the gain sweep does not retrain the torus.

Every fully connected run shares one path, :func:`train_networks`: ``B`` soft committees, one per
(gain, input type), trained together by exact online SGD (``emergence.models.committee``) with
snapshots at ``t = 0`` and log-spaced times up to ``t_max`` (``t = steps / D``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from emergence.analysis.cumulants import reduced_dynamics, tensor_eigenvectors
from emergence.analysis.localisation import (
    field_centres,
    ipr,
    random_ipr_baseline,
    tiling_test,
)
from emergence.cache import cached
from emergence.data.nlgp import DiscriminationTask
from emergence.models.committee import train_committees
from emergence.models.convcommittee import train_conv_committee
from emergence.profiles import make_generator, require_choice


@dataclass(frozen=True)
class ConvolutionsConfig:
    """Sizes and settings of Chapter 2 (the ``cpu`` profile's values; lattice units).

    Times are ``t = steps / D``. ``lr`` is the paper's learning rate: ``lr·K`` for the weights
    and ``lr·K/D`` for the biases under the authors' loss (see ``train_committees``).
    """

    L1: int = 100  # sites of the ring (1D, D = L1)
    t1: float = 3000.0  # training time of the 1D sweep
    gains: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)  # 1D sweep, NLGP and clone
    L2: int = 20  # side of the torus (2D, D = L2²), the paper's Figure 1
    t2: float = 10000.0  # training time on the torus, the paper's Figure 1
    gains2: tuple[float, ...] = (10.0,)
    K: int = 8  # hidden units, the paper's Figure 1
    K_tiling: int = 24  # hidden units of the wider 1D network for tiling
    t_tiling: float = 3000.0
    cnn_steps: int = 8000  # mini-batch steps of the convolutional network
    n_cov: int = 40000  # samples for the covariance check
    xi: tuple[float, float] = (1.0, 3.0)  # correlation lengths of class 0 (y = +1), class 1
    g_main: float = 10.0  # the gain at which the main result is stated
    lr: float = 0.05
    n_snapshots1: int = 24
    n_snapshots2: int = 16
    localised_factor: float = 5.0  # "localised": IPR ≥ this × the random baseline
    n_random_tiling: int = 4000  # random centre sets for the tiling test
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
    "smoke": dict(L1=32, t1=60.0, gains=(1.0, 10.0), L2=8, t2=20.0, K_tiling=8, t_tiling=60.0,
                  cnn_steps=300, n_cov=4000, n_random_tiling=500, mechanism_gains=(1.0, 10.0),
                  n_mechanism=4000, n_starts=8, max_iter=40, reduced_steps=60, radii=(0.7,)),
    "cpu": {},
    "paper": dict(t1=10000.0, t2=10000.0, gains2=(3.0, 10.0), K_tiling=40, t_tiling=10000.0,
                  cnn_steps=40000, n_cov=200000),
}


def config_for(profile: str, **overrides) -> ConvolutionsConfig:
    """The configuration of ``profile`` (``smoke``, ``cpu`` or ``paper``), with ``overrides``."""
    require_choice("profile", profile, PROFILE_CHANGES)
    return dataclasses.replace(ConvolutionsConfig(), **(PROFILE_CHANGES[profile] | overrides))


def snapshot_times(t_max: float, n: int) -> list[float]:
    """Training times to record: ``t = 0`` and ``n`` log-spaced times from 1 to ``t_max``."""
    return [0.0, *np.geomspace(1.0, t_max, n).tolist()]


def train_networks(cfg: ConvolutionsConfig, L: int, dim: int, gains: Sequence[float], K: int,
                   t_max: float, times: Sequence[float], stream: str, seed: int,
                   device: torch.device, *, with_clones: bool = True) -> dict:
    """Soft committees on the ring (``dim = 1``) or torus: networks ``0 … G−1`` see the NLGP at
    ``gains``, and with ``with_clones`` networks ``G … 2G−1`` its Gaussian clone at the same
    gains. Random stream ``stream`` of ``seed``; snapshots at ``times``."""
    gains = list(gains)
    clones = [False] * len(gains) + ([True] * len(gains) if with_clones else [])
    task = DiscriminationTask(L, dim, gains * (2 if with_clones else 1), gaussian_clone=clones,
                              xi=cfg.xi, device=device)
    return train_committees(task, K, t_max, make_generator(seed, stream, device), lr=cfg.lr,
                            snapshot_times=times, desc=f"{stream}: {len(clones)} network(s), "
                                                       f"K = {K}, D = {L**dim}")


def run_sweep(cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """The 1D gain sweep at ``cfg.gains``, NLGP and clone."""
    return train_networks(cfg, cfg.L1, 1, cfg.gains, cfg.K, cfg.t1,
                          snapshot_times(cfg.t1, cfg.n_snapshots1), "sweep", seed, device)


def run_torus(cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """The paper's Figure 1 on the ``L2 × L2`` torus at ``cfg.gains2``, NLGP and clone."""
    return train_networks(cfg, cfg.L2, 2, cfg.gains2, cfg.K, cfg.t2,
                          snapshot_times(cfg.t2, cfg.n_snapshots2), "torus", seed, device)


def run_tiling(cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """A wider 1D network (``K_tiling`` neurons, NLGP at ``g_main``) whose localised fields can
    tile the ring; snapshots at ``t = 0`` and the end."""
    return train_networks(cfg, cfg.L1, 1, [cfg.g_main], cfg.K_tiling, cfg.t_tiling,
                          [0.0, cfg.t_tiling], "tiling", seed, device, with_clones=False)


def run_cnn(cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """The convolutional committee on the 1D task at ``g_main`` (mini-batch SGD)."""
    task = DiscriminationTask(cfg.L1, 1, [cfg.g_main], xi=cfg.xi, device=device)
    return train_conv_committee(task, cfg.K, cfg.cnn_steps, make_generator(seed, "cnn", device),
                                desc="CNN, NLGP")


def run_mechanism(cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """Section 6 on the ring: fixed points of ``−κ₄`` and the reduced single-neuron dynamics.

    Networks ``0 … G−1`` of the sampled task see the NLGP at ``cfg.mechanism_gains``, network
    ``G`` the clone at ``g_main``. For each, the Z-eigenvectors of the inputs' fourth cumulant
    (:func:`~emergence.analysis.cumulants.tensor_eigenvectors`, maxima of ``−κ₄(w,w,w,w)`` on
    the sphere: the NLGP's projections are platykurtic) from ``n_starts`` random starts. The
    reduced dynamics of a ``b = +1`` neuron with and without the κ₄ term: for the NLGP at
    ``g_main`` at every radius of ``cfg.radii``, for the clone at ``cfg.radius``.
    """
    gains = list(cfg.mechanism_gains)
    task = DiscriminationTask(cfg.L1, 1, gains + [cfg.g_main],
                              gaussian_clone=[False] * len(gains) + [True], xi=cfg.xi,
                              device=device)
    generator = make_generator(seed, "mechanism", device)
    x, y = task.sample(cfg.n_mechanism, generator)
    x, y = x.cpu(), y.cpu()
    cpu = make_generator(seed, "mechanism-starts")
    fixed = [tensor_eigenvectors(x[:, b], cpu, cfg.n_starts, sign=-1.0, max_iter=cfg.max_iter)
             for b in range(task.n_networks)]
    reduced = {}
    for name, b in (("nlgp", gains.index(cfg.g_main)), ("clone", len(gains))):
        classes = [x[:, b][y[:, b] == label] for label in (1.0, -1.0)]
        for with_kappa4 in (True, False):
            for radius in cfg.radii if name == "nlgp" else (cfg.radius,):
                out = reduced_dynamics(classes, make_generator(seed, f"reduced-{radius}"),
                                       include_kappa4=with_kappa4, radius=radius,
                                       n_steps=cfg.reduced_steps, n_starts=cfg.reduced_starts)
                reduced[f"{name}-{'with' if with_kappa4 else 'without'}-{radius:g}"] = out
    return {"gains": torch.tensor(gains + [cfg.g_main]),
            "clone": torch.tensor([False] * len(gains) + [True]),
            "fixed_points": torch.stack([f["vectors"] for f in fixed]),
            "excess_kurtosis": torch.stack([f["excess_kurtosis"] for f in fixed]),
            "converged": torch.stack([f["converged"] for f in fixed]),
            "reduced_steps": next(iter(reduced.values()))["steps"],
            "reduced_ipr": {key: out["ipr"] for key, out in reduced.items()}}


RUNS: dict[str, tuple[Callable[[ConvolutionsConfig, int, torch.device], dict], tuple[str, ...]]] = {
    "sweep": (run_sweep, ("L1", "t1", "gains", "K", "xi", "lr", "n_snapshots1")),
    "torus": (run_torus, ("L2", "t2", "gains2", "K", "xi", "lr", "n_snapshots2")),
    "tiling": (run_tiling, ("L1", "t_tiling", "g_main", "K_tiling", "xi", "lr")),
    "cnn": (run_cnn, ("L1", "g_main", "K", "cnn_steps", "xi")),
    "mechanism": (run_mechanism, ("L1", "xi", "g_main", "mechanism_gains", "n_mechanism",
                                  "n_starts", "max_iter", "reduced_steps", "reduced_starts",
                                  "radius", "radii")),
}


def run_key(name: str, cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """The cache configuration of run ``name``: the fields of ``cfg`` it reads, seed, device."""
    require_choice("run", name, RUNS)
    _, fields = RUNS[name]
    return {field: getattr(cfg, field) for field in fields} | {"seed": seed,
                                                              "device": device.type}


def cached_run(name: str, cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """The result of run ``name`` (a key of :data:`RUNS`), from the cache when it holds one for
    the same :func:`run_key` and code."""
    function, _ = RUNS[name] if name in RUNS else (None, None)
    return cached(f"ch2-{name}", run_key(name, cfg, seed, device),
                  lambda: function(cfg, seed, device))


def population_ipr(weights: torch.Tensor, initial_bias_sign: torch.Tensor) -> torch.Tensor:
    """Mean IPR of the two populations: ``weights (..., K, D)`` → ``(..., 2)``, index 0 for the
    neurons that start with ``b = +1`` (they vote for the short-range class), 1 for ``b = −1``."""
    values = ipr(weights)
    positive = initial_bias_sign > 0
    return torch.stack([values[..., positive].mean(-1), values[..., ~positive].mean(-1)], -1)


def tiling_summary(cfg: ConvolutionsConfig, run: dict, L: int, dim: int, network: int,
                   generator: torch.Generator) -> dict:
    """Do the localised fields of ``network`` tile the input better than random positions?

    Localised: neurons starting with ``b = +1`` whose final IPR is at least
    ``cfg.localised_factor`` × the random baseline. Their centres (circular centre of mass of
    ``w²``) go through :func:`~emergence.analysis.localisation.tiling_test`. The control is the
    same test on the centres of the same neurons' initial weights (``t = 0``), which carry no
    spatial structure. Returns ``n_localised``, ``test`` and ``control`` (``None`` with fewer
    than two localised fields) and the ``centres``.
    """
    baseline = random_ipr_baseline(L**dim)
    final, initial = run["weights"][-1, network], run["weights"][0, network]
    chosen = (run["initial_bias_sign"] > 0) & (ipr(final) >= cfg.localised_factor * baseline)
    centres = field_centres(final[chosen], L, dim)
    n = int(chosen.sum())
    if n < 2:
        return {"n_localised": n, "centres": centres, "test": None, "control": None}
    return {"n_localised": n, "centres": centres,
            "test": tiling_test(centres, L, dim, generator, cfg.n_random_tiling),
            "control": tiling_test(field_centres(initial[chosen], L, dim), L, dim, generator,
                                   cfg.n_random_tiling)}
