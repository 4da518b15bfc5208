import math

import pytest
import torch

from emergence.data.nlgp import (
    DiscriminationTask,
    gp_kernel,
    nlgp_gamma,
    nlgp_kernel,
    nlgp_marginal_excess_kurtosis,
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
