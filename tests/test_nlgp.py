import math

import numpy as np
import pytest
import torch

from emergence.data.nlgp import (
    DiscriminationTask,
    gp_kernel,
    nlgp_gamma,
    nlgp_kernel,
    nlgp_marginal_excess_kurtosis,
    periodic_distance,
    stationary_covariance,
)


def class_samples(task, network, label, n, generator):
    x, y = task.sample(n, generator)
    return x[:, network][y[:, network] == label].double()


def assert_covariance_matches(samples, kernel):
    """Every entry of the sample covariance within 6 standard errors (≤ √(2/n)) of the truth."""
    empirical = samples.T @ samples / len(samples)
    analytic = stationary_covariance(kernel)
    tolerance = 6 * math.sqrt(2 / len(samples))
    assert (empirical - analytic).abs().max() < tolerance


@pytest.mark.parametrize("dim,L", [(1, 40), (2, 8)])
@pytest.mark.parametrize("gain", [0.5, 3.0, 30.0])
def test_nlgp_pixels_have_unit_variance(dim, L, gain, generator):
    task = DiscriminationTask(L, dim, [gain])
    x, _ = task.sample(20000, generator)
    assert x.mean().abs() < 0.01
    assert x.var().item() == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("dim,L", [(1, 30), (2, 6)])
def test_nlgp_covariance_equals_analytic_formula(dim, L, generator):
    task = DiscriminationTask(L, dim, [3.0], xi=(1.0, 3.0))
    for cls, label in enumerate([1.0, -1.0]):
        samples = class_samples(task, 0, label, 40000, generator)
        assert_covariance_matches(samples, task.input_kernels[cls][0])


def test_nlgp_covariance_differs_from_the_gp_it_came_from(generator):
    """The arcsin formula is not the identity: a check that the test above can fail."""
    task = DiscriminationTask(30, 1, [3.0])
    samples = class_samples(task, 0, -1.0, 40000, generator)
    empirical = samples.T @ samples / len(samples)
    gp = stationary_covariance(gp_kernel(30, 3.0, 1))
    assert (empirical - gp).abs().max() > 0.05


def test_clone_covariance_equals_nlgp_covariance(generator):
    task = DiscriminationTask(30, 1, [5.0, 5.0], gaussian_clone=[False, True])
    for cls, label in enumerate([1.0, -1.0]):
        nlgp = class_samples(task, 0, label, 40000, generator)
        clone = class_samples(task, 1, label, 40000, generator)
        assert_covariance_matches(nlgp, task.input_kernels[cls][0])
        assert_covariance_matches(clone, task.input_kernels[cls][0])


def test_clone_is_gaussian_and_nlgp_is_not(generator):
    task = DiscriminationTask(30, 1, [10.0, 10.0], gaussian_clone=[False, True])
    x, _ = task.sample(20000, generator)
    kurt = [float((v**4).mean() / (v**2).mean() ** 2 - 3) for v in (x[:, 0], x[:, 1])]
    assert kurt[0] == pytest.approx(nlgp_marginal_excess_kurtosis(10.0), abs=0.05)
    assert abs(kurt[1]) < 0.05


def test_marginal_kurtosis_limits():
    assert nlgp_marginal_excess_kurtosis(1e-3) == pytest.approx(0.0, abs=1e-3)
    assert nlgp_marginal_excess_kurtosis(1.0) == pytest.approx(-1.2, abs=1e-4)  # uniform
    assert nlgp_marginal_excess_kurtosis(1e3) == pytest.approx(-2.0, abs=0.01)  # sign


def test_gamma_and_kernel_normalisation():
    assert nlgp_gamma(1.0) == pytest.approx(1 / 3)  # Var of a uniform on [-1, 1]
    kernel = nlgp_kernel(gp_kernel(20, 2.0, 1), 3.0)
    assert kernel[0].item() == pytest.approx(1.0)
    assert torch.all(kernel[1:] < 1.0)


def test_kernel_is_projected_to_be_positive_semidefinite():
    kernel = gp_kernel(12, 5.0, 1)  # wide kernel on a small ring: not PSD before projection
    eigenvalues = torch.linalg.eigvalsh(stationary_covariance(kernel))
    assert eigenvalues.min() > -1e-10
    assert kernel[0].item() == pytest.approx(1.0)


def test_two_dimensional_gp_kernel_is_separable():
    k1, k2 = gp_kernel(10, 2.0, 1), gp_kernel(10, 2.0, 2)
    assert torch.allclose(k2, torch.outer(k1, k1), atol=1e-12)


def test_labels_are_balanced_and_classes_differ(generator):
    task = DiscriminationTask(40, 1, [3.0])
    x, y = task.sample(20000, generator)
    assert set(y.unique().tolist()) == {-1.0, 1.0}
    assert y.mean().abs() < 0.03
    neighbour = (x[:, 0] * torch.roll(x[:, 0], 1, -1)).mean(-1)
    assert neighbour[y[:, 0] == -1].mean() > neighbour[y[:, 0] == 1].mean() + 0.3


def test_same_seed_same_samples():
    task = DiscriminationTask(20, 2, [3.0, 10.0], gaussian_clone=[False, True])
    a = task.sample(50, torch.Generator().manual_seed(7))
    b = task.sample(50, torch.Generator().manual_seed(7))
    c = task.sample(50, torch.Generator().manual_seed(8))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


@pytest.mark.parametrize("kwargs,name", [
    (dict(L=2, dim=1, gains=[1.0]), "L"),
    (dict(L=10, dim=3, gains=[1.0]), "dim"),
    (dict(L=10, dim=1, gains=[-1.0]), "gain"),
    (dict(L=10, dim=1, gains=[]), "gains"),
    (dict(L=10, dim=1, gains=[1.0], xi=(1.0, 0.0)), "xi"),
    (dict(L=10, dim=1, gains=[1.0, 2.0], gaussian_clone=[True]), "gaussian_clone"),
])
def test_bad_parameters_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        DiscriminationTask(**kwargs)


def test_periodic_distance_by_hand():
    """The ring distance ``min(k, L − k)`` written out for an even and an odd ring."""
    assert periodic_distance(6).tolist() == [0, 1, 2, 3, 2, 1]
    assert periodic_distance(5).tolist() == [0, 1, 2, 2, 1]


def test_gp_kernel_has_the_stated_correlation_length():
    """``C(d) = exp(−d²/ξ²)``: the correlation falls to 1/e at ``d = ξ`` and to e⁻⁴ at ``2ξ``.

    On a ring much longer than ξ the PSD projection changes nothing, so the kernel is the closed
    form itself; a factor 2 in ξ or ξ² (or ``2ξ²`` in the exponent) moves ``C(ξ)`` far from 1/e.
    """
    k1 = gp_kernel(40, 3.0, 1)
    assert k1[3].item() == pytest.approx(math.exp(-1), abs=1e-9)
    assert k1[6].item() == pytest.approx(math.exp(-4), abs=1e-9)
    assert k1[37].item() == pytest.approx(math.exp(-1), abs=1e-9)  # offset −3 on the ring
    assert k1[1].item() == pytest.approx(math.exp(-1 / 9), abs=1e-9)
    k2 = gp_kernel(20, 2.0, 2)
    assert k2[1, 2].item() == pytest.approx(math.exp(-5 / 4), abs=1e-9)
    assert k2[19, 2].item() == pytest.approx(math.exp(-5 / 4), abs=1e-9)
    assert k2[0, 2].item() == pytest.approx(math.exp(-1), abs=1e-9)


def test_gp_kernel_projection_worked_out_on_four_sites():
    """The PSD projection on a ring of 4 sites, by hand.

    The kernel ``(1, a, b, a)`` with ``a = e^{−1/ξ²}``, ``b = e^{−4/ξ²}`` has the Fourier
    eigenvalues ``λ₀ = 1 + 2a + b``, ``λ₁ = λ₃ = 1 − b``, ``λ₂ = 1 − 2a + b``. For ξ = 5,
    ``λ₂ ≈ −0.069 < 0`` is clipped to 0, which leaves ``c(m) = (λ₀ + 2λ₁ cos(πm/2)) / 4``,
    renormalised to ``c(0) = 1``.
    """
    a, b = math.exp(-1 / 25), math.exp(-4 / 25)
    lam0, lam1, lam2 = 1 + 2 * a + b, 1 - b, 1 - 2 * a + b
    assert lam2 < 0
    c = [(lam0 + 2 * lam1), lam0, (lam0 - 2 * lam1), lam0]
    expected = torch.tensor(c, dtype=torch.float64) / c[0]
    assert torch.allclose(gp_kernel(4, 5.0, 1), expected, atol=1e-12)
    assert expected[1].item() == pytest.approx(0.9273333, abs=1e-6)


def test_nlgp_gamma_and_kernel_agree_with_gaussian_quadrature():
    """γ(g) and the arcsin kernel against Gauss–Hermite quadrature over the Gaussian latents.

    For ``z₂ = c z₁ + √(1 − c²) u`` the pair ``(z₁, z₂)`` has correlation ``c``, so
    ``E[erf(g z₁/√2) erf(g z₂/√2)] / E[erf(g z/√2)²]`` is the NLGP covariance at GP covariance
    ``c``, and the fourth moment gives the pixel's excess kurtosis. The quadrature uses none of
    the closed forms; 200 nodes resolve these gains to 1e-6.
    """
    nodes, weights = np.polynomial.hermite_e.hermegauss(200)
    z, wq = torch.tensor(nodes), torch.tensor(weights / weights.sum())
    for gain in (0.5, 1.0, 3.0):
        erf1 = torch.erf(gain * z / math.sqrt(2))
        variance = (wq * erf1**2).sum().item()
        fourth = (wq * erf1**4).sum().item()
        assert nlgp_gamma(gain) == pytest.approx(variance, abs=1e-6)
        assert nlgp_marginal_excess_kurtosis(gain) == pytest.approx(fourth / variance**2 - 3,
                                                                     abs=1e-5)
        for c in (0.9, 0.5, 0.1, -0.3):
            z2 = c * z[:, None] + math.sqrt(1 - c * c) * z[None, :]
            erf2 = torch.erf(gain * z2 / math.sqrt(2))
            covariance = (wq[:, None] * wq[None, :] * erf1[:, None] * erf2).sum().item()
            value = nlgp_kernel(torch.tensor([c], dtype=torch.float64), gain).item()
            assert value == pytest.approx(covariance / variance, abs=1e-6)


def test_nlgp_kernel_limits():
    """Small gain: erf is linear, so ``C_x → C``. Large gain: x → sign(z), whose covariance is
    the arcsine law ``(2/π) arcsin C``: 1/3 at ``C = 1/2``, 1/2 at ``C = 1/√2``.
    """
    gp = torch.tensor([1.0, 1 / math.sqrt(2), 0.5, 0.0, -0.5], dtype=torch.float64)
    assert torch.allclose(nlgp_kernel(gp, 1e-3), gp, atol=1e-6)
    sign = torch.tensor([1.0, 0.5, 1 / 3, 0.0, -1 / 3], dtype=torch.float64)
    assert torch.allclose(nlgp_kernel(gp, 1e4), sign, atol=1e-4)


def test_stationary_covariance_written_out():
    """``Σ_ij = kernel(x_j − x_i)`` for a ring of 4 and a 2 × 2 torus, with asymmetric kernels
    so that the direction of the offset and the order of the axes are pinned.
    """
    ring = stationary_covariance(torch.tensor([1.0, 2.0, 3.0, 4.0]))
    assert ring.tolist() == [[1, 2, 3, 4], [4, 1, 2, 3], [3, 4, 1, 2], [2, 3, 4, 1]]
    # sites in row-major order (0,0), (0,1), (1,0), (1,1)
    torus = stationary_covariance(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert torus.tolist() == [[1, 2, 3, 4], [2, 1, 4, 3], [3, 4, 1, 2], [4, 3, 2, 1]]


def nlgp_covariance_closed_form(squared_distance, xi, gain):
    """The module docstring's ``C_x`` at squared lattice distance ``d²``, from ``math`` alone."""
    s = gain**2 / (1 + gain**2)
    return math.asin(s * math.exp(-squared_distance / xi**2)) / math.asin(s)


@pytest.mark.parametrize("dim,L,offsets", [
    (1, 40, [(1,), (2,), (3,), (6,)]),
    (2, 16, [(0, 1), (1, 0), (1, 1), (2, 1), (0, 3)]),
])
def test_sampled_covariance_has_the_closed_form(dim, L, offsets, generator):
    """Sampled covariance at a few offsets equals the closed form written out from the
    docstring, per class (label +1 ↔ ξ₀ = 1, label −1 ↔ ξ₁ = 3), for the NLGP at g = 3 and for
    a clone at g = 0.01, which is the GP itself: correlation e⁻¹ at offset ξ₁ = 3.

    Averaged over all sites the sampling error is below 0.01 (largest over seeds 0–4 and 1234:
    0.008); a factor 2 in ξ or a swapped label ↔ class map moves some entry by more than 0.1,
    doubling the gain by about 0.05. Both lattices are large enough for the PSD projection to change
    the kernel by less than 1e-3.
    """
    gains = [3.0, 0.01]
    task = DiscriminationTask(L, dim, gains, gaussian_clone=[False, True], xi=(1.0, 3.0))
    x, y = task.sample(10000, generator)
    for b, gain in enumerate(gains):
        for label, xi in [(1.0, 1.0), (-1.0, 3.0)]:
            xs = x[y[:, b] == label, b].double().reshape(-1, *(L,) * dim)
            for offset in offsets:
                shifted = torch.roll(xs, [-o for o in offset], tuple(range(1, dim + 1)))
                expected = nlgp_covariance_closed_form(sum(o * o for o in offset), xi, gain)
                assert (xs * shifted).mean().item() == pytest.approx(expected, abs=0.03)


@pytest.mark.parametrize("dim,L", [(1, 64), (2, 12)])
def test_samples_of_one_draw_are_independent(dim, L, generator):
    """No two samples of a draw may be correlated (a sampler that reuses noise, or pairs
    fields, could make them so). For independent fields of covariance C the overlap
    ``x·x'/D`` has standard deviation ``√tr(C²)/D``; over the ≈ 2·10⁴ pairs of 200 samples the
    largest stays below 6 of those, while a duplicated or partner-correlated pair gives ≈ 1."""
    task = DiscriminationTask(L, dim, [3.0], gaussian_clone=True)
    x, y = task.sample(400, generator)
    for label, kernel in ((1.0, task.input_kernels[0][0]), (-1.0, task.input_kernels[1][0])):
        fields = x[:, 0][y[:, 0] == label].double()
        overlap = fields @ fields.T / task.D
        off_diagonal = overlap[~torch.eye(len(fields), dtype=torch.bool)]
        covariance = stationary_covariance(kernel)
        sd = math.sqrt(float((covariance @ covariance).trace())) / task.D
        assert off_diagonal.abs().max() < 6 * sd
        assert overlap.diagonal().mean().item() == pytest.approx(1.0, abs=0.1)
