import math

import pytest
import torch

from emergence.analysis.localisation import (
    circular_spread,
    excess_kurtosis,
    field_centres,
    ipr,
    random_ipr_baseline,
    shift_invariant_similarity,
)


def test_ipr_known_answers():
    D = 50
    assert ipr(torch.eye(D)[3]).item() == pytest.approx(1.0)
    assert ipr(torch.ones(D)).item() == pytest.approx(1 / D)
    block = torch.zeros(D)
    block[10:15] = -2.0
    assert ipr(block).item() == pytest.approx(1 / 5)
    assert ipr(3.0 * block).item() == pytest.approx(1 / 5)  # scale-free


def test_ipr_of_random_vectors_is_three_over_d(generator):
    D = 400
    values = ipr(torch.randn(2000, D, generator=generator))
    assert values.mean().item() == pytest.approx(random_ipr_baseline(D), rel=0.03)


def test_ipr_rejects_zero_vector():
    with pytest.raises(ValueError, match="zero"):
        ipr(torch.zeros(5))


def test_excess_kurtosis_known_distributions(generator):
    gaussian = torch.randn(200000, generator=generator)
    uniform = torch.rand(200000, generator=generator)
    assert excess_kurtosis(gaussian).item() == pytest.approx(0.0, abs=0.05)
    assert excess_kurtosis(uniform).item() == pytest.approx(-1.2, abs=0.02)


@pytest.mark.parametrize("centre", [0, 7, 49])
def test_field_centres_find_bumps_on_the_ring(centre):
    L = 50
    offsets = torch.arange(L) - centre
    distance = torch.minimum(offsets % L, (-offsets) % L).double()
    bump = torch.exp(-distance**2 / 4)
    found = field_centres(bump[None], L, 1).item()
    assert min(abs(found - centre), L - abs(found - centre)) < 1e-6


def test_field_centres_in_two_dimensions():
    L = 12
    w = torch.zeros(L, L)
    w[3, 9] = 1.0
    assert torch.allclose(field_centres(w.reshape(1, -1), L, 2), torch.tensor([[3.0, 9.0]],
                                                                               dtype=torch.float64))


def test_circular_spread_limits():
    assert circular_spread(torch.arange(10.0) * 10, 100) == pytest.approx(0.0, abs=1e-12)
    assert circular_spread(torch.full((10,), 42.0), 100) == pytest.approx(1.0)


def test_shift_invariant_similarity_recognises_shifted_copies(generator):
    L = 30
    a = torch.randn(3, L, generator=generator)
    shifted = torch.stack([torch.roll(a[0], 7), -2.0 * torch.roll(a[1], -3)])
    similarity = shift_invariant_similarity(a, shifted, L, 1)
    assert similarity[0, 0].item() == pytest.approx(1.0)
    assert similarity[1, 1].item() == pytest.approx(1.0)
    assert similarity[2].max().item() < 0.9


def test_shift_invariant_similarity_two_dimensional(generator):
    L = 8
    a = torch.randn(1, L, L, generator=generator)
    b = torch.roll(a, shifts=(2, 5), dims=(1, 2))
    value = shift_invariant_similarity(a.reshape(1, -1), b.reshape(1, -1), L, 2).item()
    assert value == pytest.approx(1.0)
    assert math.isfinite(value)
