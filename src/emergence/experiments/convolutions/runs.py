"""Chapter 2's runs: each a pure function ``(cfg, seed, device) -> dict``, cached on disk.

:func:`cached_run` stores a run's result under exactly the fields of the configuration it reads
(:data:`RUNS`), the seed, the device type and the science code, so that changing the gain sweep
does not retrain the torus; :func:`load_runs` returns all of them, as the chapter uses them.

Every fully connected run shares one path, :func:`train_networks`: ``B`` soft committees, one per
(gain, input type), trained together by exact online SGD (``emergence.models.committee``) with
snapshots at ``t = 0`` and log-spaced times up to ``t_max`` (``t = steps / D``). Each run draws
from its own named random stream of the seed (``emergence.profiles.make_generator``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

from emergence.analysis.cumulants import (
    class_difference_eigenvectors,
    reduced_dynamics,
    tensor_eigenvectors,
)
from emergence.cache import cached
from emergence.data.nlgp import DiscriminationTask
from emergence.models.committee import train_committees
from emergence.models.convcommittee import train_conv_committee
from emergence.profiles import make_generator, require_choice

from .config import ConvolutionsConfig


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
    """The 1D gain sweep at ``cfg.gains``, NLGP and clone (it holds the main ring networks at
    ``g_main`` too)."""
    return train_networks(cfg, cfg.L1, 1, cfg.gains, cfg.K, cfg.t1,
                          snapshot_times(cfg.t1, cfg.n_snapshots1), "sweep", seed, device)


def run_ring_paper(cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict:
    """The 1D claim's networks trained to the paper's time ``t1_paper``: NLGP and clone at
    ``g_main`` (the sweep stops at ``t1``)."""
    return train_networks(cfg, cfg.L1, 1, [cfg.g_main], cfg.K, cfg.t1_paper,
                          snapshot_times(cfg.t1_paper, cfg.n_snapshots1), "ring-paper", seed,
                          device)


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
    ``g_main`` at every radius of ``cfg.radii``, for the clone at ``cfg.radius``; its final IPRs
    are keyed ``"{nlgp|clone}-{with|without}-{radius:g}"``. ``difference_points``: the
    eigenvectors of the tensor that drives that neuron, the label-weighted ``(κ₄⁰ − κ₄¹)/2`` of
    the NLGP at ``g_main`` (:func:`~emergence.analysis.cumulants.class_difference_eigenvectors`,
    same starts).
    """
    gains = list(cfg.mechanism_gains)
    task = DiscriminationTask(cfg.L1, 1, gains + [cfg.g_main],
                              gaussian_clone=[False] * len(gains) + [True], xi=cfg.xi,
                              device=device)
    generator = make_generator(seed, "mechanism", device)
    x, y = task.sample(cfg.n_mechanism, generator)
    x, y = x.cpu(), y.cpu()
    starts = make_generator(seed, "mechanism-starts")
    fixed = [tensor_eigenvectors(x[:, b], starts, cfg.n_starts, sign=-1.0, max_iter=cfg.max_iter)
             for b in range(task.n_networks)]
    reduced, difference = {}, None
    for name, b in (("nlgp", gains.index(cfg.g_main)), ("clone", len(gains))):
        classes = [x[:, b][y[:, b] == label] for label in (1.0, -1.0)]
        if name == "nlgp":
            difference = class_difference_eigenvectors(
                classes, make_generator(seed, "mechanism-starts"), cfg.n_starts,
                max_iter=cfg.max_iter)["vectors"]
        for with_kappa4 in (True, False):
            for radius in cfg.radii if name == "nlgp" else (cfg.radius,):
                out = reduced_dynamics(classes, make_generator(seed, f"reduced-{radius}"),
                                       include_kappa4=with_kappa4, radius=radius,
                                       n_steps=cfg.reduced_steps, n_starts=cfg.reduced_starts)
                reduced[f"{name}-{'with' if with_kappa4 else 'without'}-{radius:g}"] = out
    return {"gains": torch.tensor(gains + [cfg.g_main]),
            "clone": torch.tensor([False] * len(gains) + [True]),
            "fixed_points": torch.stack([f["vectors"] for f in fixed]),
            "difference_points": difference,
            "excess_kurtosis": torch.stack([f["excess_kurtosis"] for f in fixed]),
            "converged": torch.stack([f["converged"] for f in fixed]),
            "reduced_steps": next(iter(reduced.values()))["steps"],
            "reduced_ipr": {key: out["ipr"] for key, out in reduced.items()}}


RunFunction = Callable[[ConvolutionsConfig, int, torch.device], dict]
#: Each run and the configuration fields it reads (its cache key).
RUNS: dict[str, tuple[RunFunction, tuple[str, ...]]] = {
    "sweep": (run_sweep, ("L1", "t1", "gains", "K", "xi", "lr", "n_snapshots1")),
    "ring_paper": (run_ring_paper, ("L1", "t1_paper", "g_main", "K", "xi", "lr",
                                    "n_snapshots1")),
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
    key = run_key(name, cfg, seed, device)
    function, _ = RUNS[name]
    return cached(f"ch2-{name}", key, lambda: function(cfg, seed, device))


def load_runs(cfg: ConvolutionsConfig, seed: int, device: torch.device) -> dict[str, dict]:
    """Every run of the chapter, by name (trained, or loaded from the cache)."""
    return {name: cached_run(name, cfg, seed, device) for name in RUNS}
