"""Gabor fits of Chapter 1's ℓ¹ filters and of their controls, spread over a few processes.

The fits are of the *effective* filters ``E_i = ℓ⁰ ∗ ℓ¹_i`` (what the image sees), by
:func:`emergence.analysis.filters.fit_gabor`; the controls are the trained ℓ⁰ composed with
white-noise ℓ¹ filters, noise with each trained effective filter's amplitude spectrum, and the
initialisation.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import torch

from emergence.analysis.filters import (
    GABOR_MAX_ERROR,
    carrier_cycles,
    fit_gabor,
    spectrum_matched_noise,
)
from emergence.profiles import make_generator

from .config import FIT_WORKERS, LieConfig
from .training import effective_filters


def pool_map(function: Callable, items: list, workers: int = FIT_WORKERS,
             chunksize: int = 1) -> list:
    """``[function(item) for item in items]``, spread over ``workers`` spawned processes when
    there is more than one of each (the same results, in the same order)."""
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    context = multiprocessing.get_context("spawn")  # no fork of a process running torch
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(function, items, chunksize=chunksize))


def fit_banks(banks: dict[str, np.ndarray], restarts: int,
              workers: int = FIT_WORKERS) -> dict[str, tuple[list, dict]]:
    """Gabor fits of several banks of filters, each as ``(fits, {"error", "cycles"})``
    (relative error and carrier cycles f·σ per filter). The fits are spread over ``workers``
    processes; they are the same fits as in one process."""
    flat = [w for bank in banks.values() for w in bank]
    fit = functools.partial(fit_gabor, n_restarts=restarts)
    fits = pool_map(fit, flat, workers, chunksize=max(1, len(flat) // (8 * workers)))
    out, start = {}, 0
    for name, bank in banks.items():
        part, start = fits[start:start + len(bank)], start + len(bank)
        out[name] = part, {"error": torch.tensor([f.rel_error for f in part]),
                           "cycles": torch.tensor([carrier_cycles(f) for f in part])}
    return out


def fit_bank(filters, restarts: int, workers: int = FIT_WORKERS) -> tuple[list, dict]:
    """:func:`fit_banks` of one bank."""
    return fit_banks({"bank": filters}, restarts, workers)["bank"]


def analyse_filters(cfg: LieConfig, initial: dict, final: dict, seed: int) -> dict:
    """Gabor fits (relative error, carrier cycles f·σ, orientation, frequency, centre, the fit) of
    the effective filters at the ``initial`` and ``final`` snapshots, of the raw ℓ¹, and of two
    controls: the trained ℓ⁰ composed with white-noise ℓ¹ (``control``) and noise with each
    trained effective filter's amplitude spectrum (``spectrum_matched``)."""
    effective = {name: effective_filters(cfg, snap["l0"], snap["l1"])
                 for name, snap in (("initial", initial), ("final", final))}
    noise = torch.randn(final["l1"].shape, generator=make_generator(seed, "gabor-control"))
    rng = np.random.default_rng([seed, 1])
    banks = {**effective,
             **{f"{name}_raw": snap["l1"].numpy()
                for name, snap in (("initial", initial), ("final", final))},
             "control": effective_filters(cfg, final["l0"], noise),
             "spectrum_matched": [spectrum_matched_noise(w, rng) for w in effective["final"]]}
    fitted = fit_banks(banks, cfg.gabor_restarts, cfg.workers)
    out = {}
    for name, eff in effective.items():
        fits, summary = fitted[name]
        out[name] = summary | {
            "effective": torch.from_numpy(eff),
            "fit": torch.from_numpy(np.stack([f.fit for f in fits])),
            "error_raw": fitted[f"{name}_raw"][1]["error"],
            "orientation_raw": torch.tensor([f.orientation for f in fitted[f"{name}_raw"][0]]),
            "centre_raw": torch.tensor([[f.x0, f.y0] for f in fitted[f"{name}_raw"][0]]),
            "orientation": torch.tensor([f.orientation for f in fits]),
            "freq": torch.tensor([f.freq for f in fits]),
            "centre": torch.tensor([[f.x0, f.y0] for f in fits])}
    out["control"] = fitted["control"][1]
    out["spectrum_matched"] = fitted["spectrum_matched"][1]
    return out


def well_fitted(errors: np.ndarray, minimum: int = 4) -> np.ndarray:
    """Indices of the filters whose Gabor fit error is below ``GABOR_MAX_ERROR`` — all filters
    when fewer than ``minimum`` are: the filters whose orientation the K¹ measures trust."""
    good = np.flatnonzero(np.asarray(errors) < GABOR_MAX_ERROR)
    return good if len(good) >= minimum else np.arange(len(errors))
