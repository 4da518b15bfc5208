import math

import pytest
import torch

from emergence.analysis.cumulants import (
    best_shift_overlap,
    fourth_cumulant,
    fourth_cumulant_contraction,
    projected_excess_kurtosis,
    reduced_dynamics,
    shifted_power_iteration,
    tensor_eigenvectors,
)
from emergence.analysis.localisation import ipr
from emergence.data.nlgp import DiscriminationTask, gp_kernel, nlgp_kernel, stationary_covariance


def full_fourth_cumulant(x, covariance=None):
    """The D⁴ tensor by its definition, E[x_i x_j x_k x_l] − C_ij C_kl − C_ik C_jl − C_il C_jk."""
    n = x.shape[0]
    c = x.T @ x / n if covariance is None else covariance
    m4 = torch.einsum("ni,nj,nk,nl->ijkl", x, x, x, x) / n
    return (m4 - torch.einsum("ij,kl->ijkl", c, c) - torch.einsum("ik,jl->ijkl", c, c)
            - torch.einsum("il,jk->ijkl", c, c))


def correlated_non_gaussian(n, D, generator):
    """Zero-mean, correlated, non-Gaussian samples: exponential sources mixed by a random matrix."""
    sources = torch.empty((n, D), dtype=torch.float64).exponential_(generator=generator) - 1.0
    return sources @ torch.randn((D, D), generator=generator, dtype=torch.float64)


def planted_bump(D, centre, width):
    a = torch.zeros(D, dtype=torch.float64)
    a[centre - width // 2: centre + width // 2 + 1] = 1.0
    return a / a.norm()


@pytest.mark.parametrize("given_covariance", [False, True])
def test_contraction_equals_full_tensor(generator, given_covariance):
    D = 5
    x = correlated_non_gaussian(4000, D, generator)
    covariance = None
    if given_covariance:  # e.g. an analytic covariance, not the sample one
        a = torch.randn((D, D), generator=generator, dtype=torch.float64)
        covariance = a @ a.T / D + torch.eye(D, dtype=torch.float64)
    tensor = full_fourth_cumulant(x, covariance)
    w = torch.randn((3, D), generator=generator, dtype=torch.float64)
    exact = torch.einsum("ijkl,mj,mk,ml->mi", tensor, w, w, w)
    scalar = torch.einsum("ijkl,mi,mj,mk,ml->m", tensor, w, w, w, w)
    torch.testing.assert_close(fourth_cumulant_contraction(x, w, covariance), exact,
                               rtol=1e-10, atol=1e-10)
    torch.testing.assert_close(fourth_cumulant(x, w, covariance), scalar, rtol=1e-10, atol=1e-10)
    # one vector gives the same as the batch, without the batch dimension
    torch.testing.assert_close(fourth_cumulant_contraction(x, w[1], covariance), exact[1])
    torch.testing.assert_close(fourth_cumulant(x, w[1], covariance), scalar[1])
    c = x.T @ x / x.shape[0] if covariance is None else covariance
    wcw = torch.einsum("mi,ij,mj->m", w, c, w)
    torch.testing.assert_close(projected_excess_kurtosis(x, w, covariance), scalar / wcw**2)


@pytest.mark.parametrize("pixels", ["uniform", "binary"])
def test_independent_pixels_have_diagonal_cumulant(generator, pixels):
    # unit-variance independent pixels with fourth cumulant κ: κ₄(·,w,w,w)_i = κ w_i³
    n, D = 200_000, 6
    if pixels == "uniform":
        x = (torch.rand((n, D), generator=generator, dtype=torch.float64) - 0.5) * math.sqrt(12)
        kappa = -1.2
    else:
        x = torch.randint(0, 2, (n, D), generator=generator).double() * 2 - 1
        kappa = -2.0
    w = torch.randn((4, D), generator=generator, dtype=torch.float64)
    w = w / w.norm(dim=-1, keepdim=True)
    identity = torch.eye(D, dtype=torch.float64)
    for covariance in (None, identity):
        torch.testing.assert_close(fourth_cumulant_contraction(x, w, covariance), kappa * w**3,
                                   rtol=0, atol=0.05)
        torch.testing.assert_close(fourth_cumulant(x, w, covariance),
                                   kappa * w.pow(4).sum(-1), rtol=0, atol=0.05)


def test_gaussian_clone_has_no_fourth_cumulant_within_sampling_error(generator):
    task = DiscriminationTask(40, 1, [10.0, 10.0], gaussian_clone=[True, False])
    w = torch.randn((8, 40), generator=generator)
    pixels = torch.eye(40)[:8]
    for n in (8_000, 64_000):
        x, y = task.sample(n, generator)
        short = y[:, 0] > 0  # one class: a mixture of two Gaussians would not be Gaussian
        clone, nlgp = x[short, 0], x[y[:, 1] > 0, 1]
        # the sample excess kurtosis of a Gaussian projection has standard error √(24/n)
        bound = 5 * math.sqrt(24 / int(short.sum()))
        for v in (w, pixels):
            assert projected_excess_kurtosis(clone, v).abs().max().item() < bound
        # the NLGP pixels are far from Gaussian: their excess kurtosis is ≈ −1.9 at g = 10
        assert projected_excess_kurtosis(nlgp, pixels).max().item() < -1.7


def planted_inputs(n, D, a, generator, amplitude=1.5):
    """Gaussian noise plus a ±1 source along the localised direction ``a``: κ₄ = −2 c⁴ a⊗a⊗a⊗a."""
    noise = torch.randn((n, D), generator=generator, dtype=torch.float64)
    source = torch.randint(0, 2, (n, 1), generator=generator).double() * 2 - 1
    return noise + amplitude * source * a


def test_power_iteration_finds_planted_localised_eigenvector(generator):
    D = 12
    a = planted_bump(D, 5, 3)
    x = planted_inputs(40_000, D, a, generator)
    result = tensor_eigenvectors(x, generator, 16)
    assert result["sign"] == -1  # the planted source is platykurtic
    assert result["converged"].all()
    best = result["kappa4"].argmin()
    assert (result["vectors"][best] @ a).abs().item() > 0.99
    assert ipr(result["vectors"][best]).item() == pytest.approx(ipr(a).item(), rel=0.05)
    # κ₄(a,a,a,a) = −2 c⁴ with c = 1.5; the projected excess kurtosis is −2 c⁴ / (1 + c²)²
    assert result["kappa4"][best].item() == pytest.approx(-2 * 1.5**4, rel=0.1)
    assert result["excess_kurtosis"][best].item() == pytest.approx(-2 * 1.5**4 / 3.25**2, rel=0.1)
    # the fixed points are eigenvectors: κ₄(·,w,w,w) ∥ w
    g = fourth_cumulant_contraction(x, result["vectors"])
    cosine = (g * result["vectors"]).sum(-1) / g.norm(dim=-1)
    assert cosine.abs().min().item() > 1 - 1e-6


def test_power_iteration_is_monotone_and_deterministic(generator):
    D = 10
    x = planted_inputs(10_000, D, planted_bump(D, 4, 3), generator)
    first = tensor_eigenvectors(x, torch.Generator().manual_seed(7), 6, max_iter=50)
    again = tensor_eigenvectors(x, torch.Generator().manual_seed(7), 6, max_iter=50)
    torch.testing.assert_close(first["vectors"], again["vectors"], rtol=0, atol=0)
    start = torch.randn((6, D), generator=generator, dtype=torch.float64)
    start = start / start.norm(dim=-1, keepdim=True)
    # κ₄ only decreases (sign −1) from every start to its fixed point
    result = shifted_power_iteration(x, start, -1)
    assert (result["kappa4"] <= fourth_cumulant(x, start) + 1e-12).all()
    assert (result["vectors"].norm(dim=-1) - 1).abs().max().item() < 1e-12


def test_best_shift_overlap_recovers_shifted_copies():
    L = 30
    bump = planted_bump(L, 10, 5)
    wave = torch.cos(2 * math.pi * 3 * torch.arange(L, dtype=torch.float64) / L)
    fields = torch.stack([-2 * bump.roll(7), wave.roll(2)])
    overlap, index = best_shift_overlap(fields, torch.stack([wave, bump]), L, 1)
    torch.testing.assert_close(overlap, torch.ones(2, dtype=torch.float64))
    assert index.tolist() == [1, 0]


def circulant_covariances(D, xi=(1.0, 3.0), gain=10.0):
    return [stationary_covariance(nlgp_kernel(gp_kernel(D, s), gain)) for s in xi]


def test_reduced_dynamics_without_kappa4_picks_a_fourier_mode(generator):
    D = 30
    covs = circulant_covariances(D)
    x = [torch.randn((10, D), generator=generator, dtype=torch.float64)] * 2  # unused: no κ₄
    # b = −1: the linear flow is (C₀ − C₁)/2, whose top eigenvalue is a degenerate cos/sin pair
    out = reduced_dynamics(x, generator, bias=-1.0, include_kappa4=False, covariances=covs,
                           radius=0.1, lr=1.2, n_steps=800, n_starts=4, record_every=400)
    evals, evecs = torch.linalg.eigh((covs[0] - covs[1]) / 2)
    assert (evals[-1] - evals[-2]).item() < 1e-10
    w = out["w"] / out["w"].norm(dim=-1, keepdim=True)
    assert (w @ evecs[:, -2:]).norm(dim=-1).min().item() > 0.999
    # a real cosine mode cos(kx + φ) has IPR 1.5/D whatever its phase
    torch.testing.assert_close(out["ipr"][-1], torch.full((4,), 1.5 / D, dtype=torch.float64),
                               rtol=1e-3, atol=0)
    assert out["ipr"].shape == (len(out["steps"]), 4) and out["steps"][-1] == 800
    # b = +1: the flow is (C₁ − C₀)/2, whose top mode is the uniform one (k = 0): IPR 1/D
    out = reduced_dynamics(x, generator, bias=1.0, include_kappa4=False, covariances=covs,
                           radius=0.1, lr=0.5, n_steps=300, n_starts=4, record_every=100)
    torch.testing.assert_close(out["ipr"][-1], torch.full((4,), 1 / D, dtype=torch.float64),
                               rtol=1e-3, atol=0)


def test_reduced_dynamics_kappa4_term_pulls_towards_planted_source(generator):
    D, c = 16, 1.5
    a = planted_bump(D, 6, 3)
    covariance = torch.eye(D, dtype=torch.float64) + c**2 * torch.outer(a, a)
    n = 10_000
    # same covariance in both classes, so only κ₄ tells them apart: class y = +1 has a Gaussian
    # source along a (κ₄ = 0), class y = −1 a ±1 one (κ₄ = −2 c⁴ a⊗a⊗a⊗a). At b = +1 the κ₄ drive
    # is mean_c y_c κ₄^c(·,w,w,w) / 3 = (c⁴/3) (a·w)³ a: towards ±a
    gaussian = torch.randn((n, D), generator=generator, dtype=torch.float64) \
        + c * torch.randn((n, 1), generator=generator, dtype=torch.float64) * a
    binary = planted_inputs(n, D, a, generator, c)
    kwargs = dict(covariances=[covariance] * 2, radius=2.0, lr=0.1, n_steps=200, n_starts=4,
                  record_every=50)
    with_k4 = reduced_dynamics([gaussian, binary], torch.Generator().manual_seed(3), **kwargs)
    without = reduced_dynamics([gaussian, binary], torch.Generator().manual_seed(3),
                               include_kappa4=False, **kwargs)
    overlap = (with_k4["w"] @ a).abs() / 2.0
    assert overlap.min().item() > 0.98
    assert with_k4["ipr"][-1].min().item() == pytest.approx(ipr(a).item(), rel=0.1)
    # without κ₄ the drive is zero: w does not move from its random start
    torch.testing.assert_close(without["ipr"][-1], without["ipr"][0])
    # b = −1 reverses the drive, (c⁴/3)(a·w)³ a → −(c⁴/3)(a·w)³ a: no start reaches a
    away = reduced_dynamics([gaussian, binary], torch.Generator().manual_seed(3), bias=-1.0,
                            **kwargs)
    assert (away["w"] @ a).abs().max().item() / 2.0 < 0.6


def test_bad_inputs_are_rejected(generator):
    x = torch.randn((100, 5), generator=generator)
    with pytest.raises(ValueError, match="shape"):
        fourth_cumulant_contraction(x, torch.randn(4))
    with pytest.raises(ValueError, match="shape"):
        fourth_cumulant(x[0], torch.randn(5))
    with pytest.raises(ValueError, match="covariance"):
        fourth_cumulant(x, torch.randn(5), torch.eye(4))
    with pytest.raises(ValueError, match="dtype"):
        fourth_cumulant(torch.ones((10, 5), dtype=torch.long), torch.randn(5))
    with pytest.raises(ValueError, match="sign"):
        shifted_power_iteration(x, torch.randn(2, 5), 0)
    with pytest.raises(ValueError, match="n_starts"):
        tensor_eigenvectors(x, generator, 0)
    with pytest.raises(ValueError, match="fields"):
        best_shift_overlap(torch.randn(3, 7), torch.randn(2, 8), 8, 1)
    with pytest.raises(ValueError, match="label"):
        reduced_dynamics([x], generator, labels=(1.0, -1.0))
    with pytest.raises(ValueError, match="bias"):
        reduced_dynamics([x, x], generator, bias=0.0)
    with pytest.raises(ValueError, match="radius"):
        reduced_dynamics([x, x], generator, radius=-1.0)
