import math

import pytest
import torch

from emergence.analysis.localisation import (
    excess_kurtosis,
    field_centres,
    first_time_above,
    ipr,
    nearest_neighbour_distances,
    population_ipr,
    random_ipr_baseline,
    shift_invariant_similarity,
    tiling_test,
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


def test_ipr_worked_example_and_batch_axis():
    """``IPR(1, 2, 3) = (1 + 16 + 81) / 14² = 1/2``, computed along the last axis of a batch."""
    w = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, -5.0]])
    assert ipr(w).tolist() == pytest.approx([0.5, 1.0], abs=1e-12)


def test_ipr_of_random_vectors_has_the_exact_finite_d_mean(generator):
    """A Gaussian vector points uniformly on the sphere, where ``E[u_i⁴] = 3/(D(D+2))``, so
    ``E[IPR] = 3/(D+2)`` exactly: 0.25 at D = 10, where the leading-order 3/D is 0.3.

    Over 20000 vectors the mean of seeds 0–4 and 1234 lands within 0.0011 of 0.25; the leading
    order 3/D (the paper's "≈ 3/D"), or an IPR with a wrong power, would be off by more than 0.05.
    """
    values = ipr(torch.randn(20000, 10, generator=generator))
    assert values.mean().item() == pytest.approx(0.25, abs=0.005)
    assert random_ipr_baseline(10) == pytest.approx(0.25)


def test_excess_kurtosis_worked_examples():
    """Population moments about the mean, by hand.

    (1, 2, 3, 4, 5): ``m₂ = 10/5 = 2``, ``m₄ = 34/5``, so ``6.8/4 − 3 = −1.3``;
    (0, 0, 0, 0, 10): mean 2, ``m₂ = 80/5 = 16``, ``m₄ = 4160/5 = 832``, so ``832/256 − 3 = 0.25``;
    a symmetric two-point distribution has ``m₄ = m₂²``: −2.
    """
    rows = torch.tensor([[1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 0.0, 0.0, 0.0, 10.0]])
    assert excess_kurtosis(rows, dim=1).tolist() == pytest.approx([-1.3, 0.25], abs=1e-12)
    assert excess_kurtosis(rows.T).tolist() == pytest.approx([-1.3, 0.25], abs=1e-12)
    assert excess_kurtosis(torch.tensor([-3.0, 3.0] * 4)).item() == pytest.approx(-2.0)



def test_field_centres_worked_examples():
    """Circular centres of mass of ``w²``, by hand.

    ``w = (2, 1, 0, 0)`` on 4 sites: ``Σ w² e^{iθ} = 4 + i``, so the centre is
    ``atan(1/4) · 4/(2π) ≈ 0.156`` (weighting by ``|w|`` would give ``atan(1/2) · 2/π ≈ 0.295``).
    Equal mass at sites 7 and 0 of 8 sits at 7.5 across the seam, not at 3.5. On an 8 × 8
    torus equal mass at (1, 3) and (2, 3) sits at row 1.5, column 3.
    """
    centre = field_centres(torch.tensor([[2.0, 1.0, 0.0, 0.0]]), 4, 1)
    assert centre.tolist() == pytest.approx([2 / math.pi * math.atan(0.25)], abs=1e-12)
    seam = torch.zeros(2, 8)
    seam[0, [7, 0]] = torch.tensor([1.0, -1.0])
    seam[1, 5] = 3.0
    assert field_centres(seam, 8, 1).tolist() == pytest.approx([7.5, 5.0], abs=1e-12)
    torus = torch.zeros(8, 8)
    torus[1, 3], torus[2, 3] = 1.0, -1.0
    assert field_centres(torus.reshape(1, -1), 8, 2)[0].tolist() == pytest.approx([1.5, 3.0],
                                                                                   abs=1e-12)


def test_nearest_neighbour_distances_worked_examples():
    """Periodic nearest-neighbour distances by hand.

    Ring of 100: centres 0, 10, 95 → 5 (to 95 across the seam), 10, 5. Torus of 10:
    (0, 0), (0, 9), (5, 5) → 1, 1 and √(4² + 5²) = √41 to (0, 9) via the seams (the offsets
    are 5 and 4). A ring centre set of shape (2,) is two points, not one 2D point.
    """
    ring = nearest_neighbour_distances(torch.tensor([0.0, 10.0, 95.0]), 100, 1)
    assert ring.tolist() == pytest.approx([5.0, 10.0, 5.0])
    torus = nearest_neighbour_distances(torch.tensor([[0.0, 0.0], [0.0, 9.0], [5.0, 5.0]]), 10, 2)
    assert torus.tolist() == pytest.approx([1.0, 1.0, math.sqrt(41)])
    assert nearest_neighbour_distances(torch.tensor([1.0, 4.0]), 10, 1).tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="at least 2"):
        nearest_neighbour_distances(torch.tensor([1.0]), 10, 1)


@pytest.mark.parametrize("dim", [1, 2])
def test_tiling_test_separates_even_clustered_and_random_centres(generator, dim):
    """An even lattice of centres tiles (p at its floor), a cluster does not (p = 1), and
    uniformly random centres give a roughly uniform p-value: over 200 draws of 12 centres the
    fraction below 0.05 stays near 0.05 (a test that always says "tiles" fails this)."""
    L = 24
    if dim == 1:
        even = torch.arange(12.0) * 2
        cluster = torch.full((12,), 7.0) + 0.01 * torch.arange(12.0)
    else:
        grid = torch.stack(torch.meshgrid(torch.arange(4.0), torch.arange(3.0), indexing="ij"), -1)
        even = (grid.reshape(-1, 2) * torch.tensor([6.0, 8.0]))
        cluster = torch.full((12, 2), 7.0) + 0.01 * torch.arange(12.0)[:, None]
    tiled = tiling_test(even, L, dim, generator, n_random=1000)
    assert tiled["p_value"] == pytest.approx(1 / 1001)
    assert tiled["ratio"] > 1.3
    assert tiling_test(cluster, L, dim, generator, n_random=1000)["p_value"] == 1.0
    shape = (12,) if dim == 1 else (12, 2)
    p_values = [tiling_test(L * torch.rand(shape, generator=generator, dtype=torch.float64), L,
                            dim, generator, n_random=200)["p_value"] for _ in range(200)]
    assert 0.01 <= sum(p < 0.05 for p in p_values) / 200 <= 0.12
    assert 0.35 <= sum(p_values) / 200 <= 0.65


def test_tiling_test_rejects_mismatched_shapes(generator):
    with pytest.raises(ValueError, match="do not fit"):
        tiling_test(torch.zeros(5, 2), 10, 1, generator)
    with pytest.raises(ValueError, match="dim=3"):
        tiling_test(torch.zeros(5), 10, 3, generator)


def test_shift_invariant_similarity_worked_example():
    """The (m, n) matrix of best |cosine| over circular shifts on 4 sites, by hand.

    ``a = (e₀, e₀ + e₁)``, ``b = (e₀ + e₁, e₀ − e₁, 3e₃)``: a one-hot field overlaps any
    shift of ``b_j`` by at most its largest |entry|, giving 1/√2, 1/√2 and 1; ``e₀ + e₁``
    matches ``b₀`` exactly (1), overlaps ``e₀ − e₁`` by at most 1 (1/(√2·√2) = 1/2) and ``3e₃``
    by 3 (3/(√2·3) = 1/√2). On a 3 × 3 torus a horizontal pair and a vertical pair share at
    most one site under any 2D shift: 1/2 (a flattening error would make them match).
    """
    a = torch.tensor([[1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]])
    b = torch.tensor([[1.0, 1.0, 0.0, 0.0], [1.0, -1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0]])
    r = 1 / math.sqrt(2)
    expected = torch.tensor([[r, r, 1.0], [1.0, 0.5, r]], dtype=torch.float64)
    assert torch.allclose(shift_invariant_similarity(a, b, 4, 1), expected, atol=1e-12)
    horizontal = torch.tensor([[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]])
    vertical = torch.tensor([[1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]])
    value = shift_invariant_similarity(horizontal, vertical, 3, 2).item()
    assert value == pytest.approx(0.5, abs=1e-12)


def test_population_ipr_splits_by_initial_bias_sign():
    """Two one-hot fields (IPR 1) start with b = +1, two uniform fields (IPR 1/D) with −1."""
    D = 10
    weights = torch.stack([torch.eye(D)[0], torch.eye(D)[3], torch.ones(D), -torch.ones(D)])
    sign = torch.tensor([1.0, 1.0, -1.0, -1.0])
    assert population_ipr(weights, sign).tolist() == pytest.approx([1.0, 1 / D])
    assert population_ipr(weights[None, None], sign).shape == (1, 1, 2)


def test_population_ipr_with_interleaved_signs_and_uneven_fields():
    """Population +1: a one-hot field (IPR 1) and a two-site field (1/2): mean 3/4.
    Population −1: a four-site field (1/4) and a uniform one on 8 sites (1/8): mean 3/16."""
    D = 8
    two, four = torch.zeros(D), torch.zeros(D)
    two[2:4], four[4:8] = 1.0, -1.0
    weights = torch.stack([torch.eye(D)[5], four, two, torch.ones(D)])
    sign = torch.tensor([1.0, -1.0, 1.0, -1.0])
    assert population_ipr(weights, sign).tolist() == pytest.approx([3 / 4, 3 / 16])


def test_first_time_above_is_the_first_strict_crossing():
    times = [0.0, 1.0, 10.0, 100.0]
    curve = torch.tensor([0.1, 0.3, 0.2, 0.5])
    assert first_time_above(curve, times, 0.25) == 1.0
    assert first_time_above(curve, times, 0.3) == 100.0  # 0.3 itself is not above 0.3
    assert first_time_above(curve, times, 0.5) is None
