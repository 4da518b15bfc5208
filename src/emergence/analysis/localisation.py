"""Measures of localisation and convolutional structure of receptive fields (Ingrosso & Goldt).

Inverse participation ratio of a weight vector ``w`` of ``D`` entries::

    IPR(w) = Σ_i w_i⁴ / (Σ_i w_i²)²

It is 1 for a one-hot vector, 1/D for a uniform one, 3/(D+2) on average for a random Gaussian
vector and ≈ 1/n for a vector spread evenly over ``n`` sites.

Tiling: localised fields tile the input when their centres are spread more evenly than the same
number of independent, uniformly random positions. The statistic is the mean distance from each
centre to its nearest neighbour on the ring or torus (periodic distance), which an even tiling
maximises and a cluster drives to 0.
"""

from __future__ import annotations

import math

import numpy as np
import torch


def ipr(w: torch.Tensor) -> torch.Tensor:
    """``IPR`` along the last dimension (module docstring); a zero vector is an error."""
    power = w.double().square()
    norm = power.sum(-1)
    if bool((norm == 0).any()):
        raise ValueError("IPR is undefined for a zero weight vector.")
    return power.square().sum(-1) / norm.square()


def random_ipr_baseline(D: int) -> float:
    """``E[IPR] = 3/(D+2)`` of a random Gaussian vector in ``D`` dimensions.

    The vector points uniformly on the sphere, where ``E[u_i⁴] = 3/(D(D+2))``; the paper quotes
    the leading order ``3/D``.
    """
    return 3.0 / (D + 2)


def gaussian_bump(L: int, sigma: float) -> torch.Tensor:
    """A Gaussian bump on a ring of ``L`` sites centred on site 0: ``w_i = exp(−d_i²/(2σ²))``,
    ``d_i = min(i, L − i)`` the periodic distance. For ``1 ≪ σ ≪ L`` its IPR is
    ``≈ 1/(σ√(2π))``."""
    if not sigma > 0:
        raise ValueError(f"sigma={sigma!r} is not allowed; give a positive width in sites.")
    i = torch.arange(L, dtype=torch.float64)
    d = torch.minimum(i, L - i)
    return torch.exp(-d.square() / (2 * sigma**2))


def box_field(L: int, width: int) -> torch.Tensor:
    """A box on a ring of ``L`` sites: ``1`` on the sites ``0 … width−1``, else 0 (IPR
    ``1/width``)."""
    if not 1 <= width <= L:
        raise ValueError(f"width={width!r} is not allowed; give 1 ≤ width ≤ L = {L}.")
    return (torch.arange(L) < width).double()


def width_matched_bump(target_ipr: float, L: int, tol: float = 1e-10) -> float:
    """The width ``σ`` of the :func:`gaussian_bump` on ``L`` sites whose IPR is ``target_ipr``
    (bisection; the bump's IPR falls monotonically with ``σ`` from 1 towards ``1/L``)."""
    low, high = 1e-3, float(L)
    if not float(ipr(gaussian_bump(L, high))) < target_ipr <= 1.0:
        raise ValueError(f"target_ipr={target_ipr!r} is not allowed; a bump on {L} sites has "
                         f"IPR in ({float(ipr(gaussian_bump(L, high))):.4f}, 1].")
    while high - low > tol:
        middle = (low + high) / 2
        low, high = (middle, high) if float(ipr(gaussian_bump(L, middle))) > target_ipr \
            else (low, middle)
    return (low + high) / 2


def excess_kurtosis(x: torch.Tensor, dim: int = 0) -> torch.Tensor:
    """Sample excess kurtosis ``E[(x−μ)⁴] / E[(x−μ)²]² − 3`` along ``dim``."""
    centred = x.double() - x.double().mean(dim, keepdim=True)
    m2 = centred.square().mean(dim)
    return centred.pow(4).mean(dim) / m2.square() - 3.0


def field_centres(w: torch.Tensor, L: int, dim: int) -> torch.Tensor:
    """Circular centre of mass of ``w²`` on the ring/torus, in lattice units ``[0, L)``.

    ``w`` has shape ``(..., D)``; returns ``(...,)`` in 1D and ``(..., 2)`` (row, column) in 2D.
    Each axis is treated as an angle ``θ = 2π i / L`` and the mean of ``w_i² e^{iθ}`` gives it.
    """
    mass = w.double().square().reshape(*w.shape[:-1], *(L,) * dim)
    mass = mass / mass.flatten(-dim).sum(-1).reshape(*w.shape[:-1], *(1,) * dim)
    angles = 2 * math.pi * torch.arange(L, dtype=torch.float64) / L
    phase = torch.polar(torch.ones_like(angles), angles)
    centres = []
    for axis in range(dim):
        other = tuple(a for a in range(-dim, 0) if a != axis - dim)
        marginal = mass.sum(other) if other else mass
        mean = (marginal * phase).sum(-1)
        centres.append((torch.angle(mean) % (2 * math.pi)) * L / (2 * math.pi))
    return centres[0] if dim == 1 else torch.stack(centres, -1)


def nearest_neighbour_distances(centres: torch.Tensor, L: int, dim: int) -> torch.Tensor:
    """Periodic distance from each of ``n ≥ 2`` centres to its nearest other centre.

    ``centres`` has shape ``(..., n)`` on a ring or ``(..., n, 2)`` on a torus of side ``L``
    (lattice units); the distance on the torus is Euclidean with periodic offsets
    ``min(|Δ|, L − |Δ|)`` per axis. Returns ``(..., n)``.
    """
    points = centres.double() if dim == 2 else centres.double().unsqueeze(-1)
    if points.shape[-2] < 2:
        raise ValueError(f"{points.shape[-2]} centre(s) given; nearest neighbours need at least 2.")
    delta = (points[..., :, None, :] - points[..., None, :, :]).abs() % L
    distance = torch.minimum(delta, L - delta).square().sum(-1).sqrt()
    eye = torch.eye(distance.shape[-1], dtype=torch.bool)
    return distance.masked_fill(eye, math.inf).amin(-1)


def tiling_test(centres: torch.Tensor, L: int, dim: int, generator: torch.Generator,
                n_random: int = 4000) -> dict:
    """Are ``centres`` spread more evenly than random? (module docstring)

    Compares the mean nearest-neighbour distance of the ``n`` centres (``(n,)`` on a ring,
    ``(n, 2)`` on a torus) with ``n_random`` draws of ``n`` independent, uniformly random
    positions. Returns the ``statistic``, the random draws' ``random_mean`` and ``random_sd``,
    ``ratio = statistic / random_mean`` and the one-sided Monte-Carlo ``p_value``
    ``(1 + #{random ≥ statistic}) / (1 + n_random)``: small when the centres tile.
    """
    if dim not in (1, 2):
        raise ValueError(f"dim={dim!r} is not allowed; choose one of 1 (ring), 2 (torus).")
    n = centres.shape[0]
    if centres.shape[1:] != (() if dim == 1 else (2,)):
        raise ValueError(f"centres of shape {tuple(centres.shape)} do not fit dim={dim}.")
    statistic = float(nearest_neighbour_distances(centres, L, dim).mean())
    shape = (n_random, n) if dim == 1 else (n_random, n, 2)
    random = L * torch.rand(shape, generator=generator, dtype=torch.float64)
    null = nearest_neighbour_distances(random, L, dim).mean(-1)
    return {"n": n, "statistic": statistic, "random_mean": float(null.mean()),
            "random_sd": float(null.std()), "ratio": statistic / float(null.mean()),
            "p_value": float((1 + (null >= statistic).sum()) / (1 + n_random))}


def tiled_centres(n: int, L: int, dim: int, generator: torch.Generator, n_sets: int,
                  jitter: float = 0.1) -> torch.Tensor:
    """``n_sets`` synthetic sets of ``n`` truly tiled centres: a lattice of spacing ``a`` with a
    uniformly random offset, each centre moved by Gaussian noise of SD ``jitter · a``.

    Ring: ``a = L/n``, returns ``(n_sets, n)``. Torus: an ``m × m`` lattice, ``a = L/m``, so
    ``n = m²`` must be a square; returns ``(n_sets, n, 2)``.
    """
    if dim == 1:
        spacing, grid = L / n, torch.arange(n, dtype=torch.float64)[:, None]
    elif dim == 2 and math.isqrt(n) ** 2 == n:
        m = math.isqrt(n)
        spacing = L / m
        grid = torch.cartesian_prod(torch.arange(m), torch.arange(m)).double()
    else:
        raise ValueError(f"n={n}, dim={dim} is not allowed; a torus lattice needs a square n.")
    offset = torch.rand((n_sets, 1, dim), generator=generator, dtype=torch.float64)
    noise = jitter * torch.randn((n_sets, n, dim), generator=generator, dtype=torch.float64)
    centres = ((grid + offset + noise) * spacing) % L
    return centres[..., 0] if dim == 1 else centres


def tiling_power(n_values, L: int, dim: int, generator: torch.Generator, n_sets: int = 200,
                 n_random: int = 4000, jitter: float = 0.1, level: float = 0.05) -> list[dict]:
    """The power of :func:`tiling_test` against truly tiled centres (:func:`tiled_centres`).

    For each ``n`` of ``n_values``: ``n_random`` random sets give the null distribution of the
    mean nearest-neighbour distance, and each of ``n_sets`` tiled sets gets the test's p-value
    ``(1 + #{null ≥ statistic}) / (1 + n_random)``. Returns one row per ``n``: ``n`` and
    ``power``, the fraction of tiled sets with ``p < level``.
    """
    rows = []
    for n in n_values:
        shape = (n_random, n) if dim == 1 else (n_random, n, 2)
        null = nearest_neighbour_distances(
            L * torch.rand(shape, generator=generator, dtype=torch.float64), L, dim).mean(-1)
        tiled = tiled_centres(n, L, dim, generator, n_sets, jitter)
        statistic = nearest_neighbour_distances(tiled, L, dim).mean(-1)
        p = (1 + (null[None, :] >= statistic[:, None]).sum(-1)) / (1 + n_random)
        rows.append({"n": n, "power": float((p < level).double().mean())})
    return rows


def fields_needed(rows: list[dict], power: float = 0.8) -> int | None:
    """The smallest ``n`` of :func:`tiling_power`'s rows whose power is at least ``power``."""
    return next((row["n"] for row in rows if row["power"] >= power), None)


def shift_invariant_similarity(a: torch.Tensor, b: torch.Tensor, L: int, dim: int) -> torch.Tensor:
    """Best cosine similarity ``max_s |⟨a, shift_s b⟩| / (‖a‖ ‖b‖)`` over all circular shifts ``s``.

    ``a`` of shape ``(m, D)`` and ``b`` of shape ``(n, D)`` give an ``(m, n)`` matrix: 1 when a
    field is a shifted copy of a filter (up to sign and scale), small for unrelated patterns.
    """
    shape = (L,) * dim
    dims = tuple(range(-dim, 0))
    fa = torch.fft.rfftn(a.double().reshape(-1, 1, *shape), dim=dims)
    fb = torch.fft.rfftn(b.double().reshape(1, -1, *shape), dim=dims)
    corr = torch.fft.irfftn(fa.conj() * fb, s=shape, dim=dims).flatten(2)
    norms = a.double().norm(dim=-1)[:, None] * b.double().norm(dim=-1)[None, :]
    return corr.abs().amax(-1) / norms


def population_ipr(weights: torch.Tensor, initial_bias_sign: torch.Tensor) -> torch.Tensor:
    """Mean IPR of the two populations of a committee: ``weights (..., K, D)`` → ``(..., 2)``,
    index 0 for the neurons that start with ``b = +1`` (they vote for the short-range class), 1
    for those that start with ``b = −1``; ``initial_bias_sign`` is ``(K,)``."""
    values = ipr(weights)
    positive = initial_bias_sign > 0
    return torch.stack([values[..., positive].mean(-1), values[..., ~positive].mean(-1)], -1)


def first_time_above(curve: torch.Tensor, times, threshold: float) -> float | None:
    """The first of ``times`` at which ``curve`` (one value per time) exceeds ``threshold``, or
    ``None`` if it never does: the onset of localisation when ``curve`` is an IPR."""
    above = np.flatnonzero(np.asarray(curve) > threshold)
    return float(times[above[0]]) if len(above) else None
