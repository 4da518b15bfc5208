"""Measures of localisation and convolutional structure of receptive fields (Ingrosso & Goldt).

Inverse participation ratio of a weight vector ``w`` of ``D`` entries::

    IPR(w) = Σ_i w_i⁴ / (Σ_i w_i²)²

It is 1 for a one-hot vector, 1/D for a uniform one, ≈ 3/D for a random Gaussian vector and
≈ 1/n for a vector spread evenly over ``n`` sites.
"""

from __future__ import annotations

import math

import torch


def ipr(w: torch.Tensor) -> torch.Tensor:
    """``IPR`` along the last dimension (module docstring); a zero vector is an error."""
    power = w.double().square()
    norm = power.sum(-1)
    if bool((norm == 0).any()):
        raise ValueError("IPR is undefined for a zero weight vector.")
    return power.square().sum(-1) / norm.square()


def random_ipr_baseline(D: int) -> float:
    """``E[IPR]`` of a random Gaussian vector in ``D`` dimensions to leading order: ``3/D``."""
    return 3.0 / D


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


def circular_spread(centres: torch.Tensor, L: int) -> float:
    """Mean resultant length ``|mean_j e^{2πi c_j / L}|`` of 1D positions on a ring of ``L`` sites.

    0 when the positions tile the ring evenly, 1 when they all coincide; ``n`` uniformly random
    positions give about ``1/√n``.
    """
    angles = 2 * math.pi * centres.double() / L
    return float(torch.polar(torch.ones_like(angles), angles).mean().abs())


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
