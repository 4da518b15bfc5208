"""Known-answer tests for Chapter 2's verdict code (Ingrosso & Goldt, convolutions from data).

Every expected value below is worked out without the function under test: by hand, in closed
form, or by a plain loop written here (one sample, one shift, one pair at a time). The cases are
chosen so that a single-point bug (a sign, an axis, a factor, a swapped class or a comparison)
changes the result: unequal class covariances and sample counts, uneven populations, non-square
shapes, more than one network.
"""

import dataclasses
import itertools
import math

import numpy as np
import pytest
import torch

from emergence.analysis.cumulants import (
    best_shift_overlap,
    class_difference_contraction,
    class_difference_eigenvectors,
    fourth_cumulant,
    fourth_cumulant_contraction,
    projected_excess_kurtosis,
    reduced_dynamics,
    tensor_eigenvectors,
)
from emergence.analysis.localisation import (
    box_field,
    excess_kurtosis,
    field_centres,
    fields_needed,
    gaussian_bump,
    ipr,
    nearest_neighbour_distances,
    population_ipr,
    random_ipr_baseline,
    shift_invariant_similarity,
    tiled_centres,
    tiling_power,
    tiling_test,
    width_matched_bump,
)
from emergence.experiments.convolutions.config import config_for
from emergence.experiments.convolutions.summary import tiling_summary
from emergence.models.committee import committee_accuracy, committee_output, sgd_steps

# --------------------------------------------------------------------------------------------
# plain reference implementations (loops over samples, shifts, pairs)


def loop_ipr(w):
    w = [float(v) for v in w]
    return sum(v**4 for v in w) / sum(v * v for v in w) ** 2


def loop_moments(x, w, covariance=None):
    """``E[x (w·x)³]``, ``C w`` and ``wᵀCw`` one sample at a time (numpy float64)."""
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    n, D = x.shape
    third, cw = np.zeros(D), np.zeros(D)
    if covariance is None:
        for row in x:
            p = float(row @ w)
            third += row * p**3 / n
            cw += row * p / n
    else:
        c = np.asarray(covariance, dtype=np.float64)
        for row in x:
            third += row * float(row @ w) ** 3 / n
        cw = np.array([sum(c[i, j] * w[j] for j in range(D)) for i in range(D)])
    return third, cw, float(w @ cw)


def loop_kappa4(x, w, covariance=None):
    """``κ₄(·,w,w,w)``, ``κ₄(w,w,w,w)`` and ``wᵀCw`` by the definitions in the module docstring."""
    third, cw, wcw = loop_moments(x, w, covariance)
    contraction = third - 3 * wcw * cw
    return contraction, float(np.asarray(w, dtype=np.float64) @ contraction), wcw


def loop_shift_similarity(a, b, L, dim):
    """``max_s |⟨a, shift_s b⟩| / (‖a‖‖b‖)`` by trying every circular shift with ``np.roll``."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    out = np.zeros((len(a), len(b)))
    shape = (L,) * dim
    for i, j in itertools.product(range(len(a)), range(len(b))):
        best = 0.0
        for s in itertools.product(range(L), repeat=dim):
            shifted = np.roll(b[j].reshape(shape), s, axis=tuple(range(dim))).reshape(-1)
            best = max(best, abs(float(a[i] @ shifted)))
        out[i, j] = best / (np.linalg.norm(a[i]) * np.linalg.norm(b[j]))
    return out


def loop_nearest(points, L):
    """Periodic nearest-neighbour distance of each point (tuples of coordinates), pair by pair."""
    out = []
    for i, p in enumerate(points):
        best = math.inf
        for j, q in enumerate(points):
            if i != j:
                d2 = 0.0
                for a, b in zip(p, q, strict=True):
                    delta = abs(a - b) % L
                    d2 += min(delta, L - delta) ** 2
                best = min(best, math.sqrt(d2))
        out.append(best)
    return out


def loop_centre(mass, L):
    """Circular mean of one axis' marginal mass: ``atan2(Σ m sin θ, Σ m cos θ) · L/2π mod L``."""
    s = sum(m * math.sin(2 * math.pi * i / L) for i, m in enumerate(mass))
    c = sum(m * math.cos(2 * math.pi * i / L) for i, m in enumerate(mass))
    return (math.atan2(s, c) % (2 * math.pi)) * L / (2 * math.pi)


def circular_distance(a, b, L):
    d = abs(a - b) % L
    return min(d, L - d)


# --------------------------------------------------------------------------------------------
# localisation: IPR, baseline, kurtosis, centres, distances, tiling, shift similarity


def test_ipr_hand_values_and_loop():
    """Hand values: ``(1, 1, 0, 0)`` → 2/4 = 1/2; ``(3, 4)`` → (81 + 256)/25² = 337/625;
    ``(1, −1, 1)`` → 3/9 = 1/3; a batch ``(2, 3, 5)`` of random rows against a Python loop."""
    rows = torch.tensor([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 3.0, 4.0]])
    assert ipr(rows).tolist() == pytest.approx([0.5, 337 / 625], abs=1e-12)
    assert ipr(torch.tensor([1.0, -1.0, 1.0])).item() == pytest.approx(1 / 3, abs=1e-12)
    w = torch.randn((2, 3, 5), generator=torch.Generator().manual_seed(0))
    values = ipr(w)
    assert values.shape == (2, 3)
    for i, j in itertools.product(range(2), range(3)):
        assert values[i, j].item() == pytest.approx(loop_ipr(w[i, j]), rel=1e-6)


def test_random_ipr_baseline_closed_form():
    """``3/(D+2)`` by hand (D = 1 → 1, D = 4 → 1/2, D = 100 → 3/102), and at D = 2 from its
    definition: a random unit vector ``(cos θ, sin θ)`` has ``E[cos⁴ θ + sin⁴ θ] = 3/4``, here
    averaged over 3600 equally spaced angles (exact for a trigonometric polynomial)."""
    assert random_ipr_baseline(1) == pytest.approx(1.0)
    assert random_ipr_baseline(4) == pytest.approx(0.5)
    assert random_ipr_baseline(100) == pytest.approx(3 / 102)
    angles = [2 * math.pi * k / 3600 for k in range(3600)]
    mean = sum(math.cos(t) ** 4 + math.sin(t) ** 4 for t in angles) / 3600
    assert random_ipr_baseline(2) == pytest.approx(mean, abs=1e-12)


def test_excess_kurtosis_against_a_loop_with_nonzero_mean():
    """Random columns shifted by a non-zero mean: ``m₄/m₂² − 3`` about the mean, one column at a
    time in Python (population moments, divisor n), along both axes."""
    x = torch.rand((7, 3), generator=torch.Generator().manual_seed(1)) ** 3 + 2.0
    expected = []
    for j in range(3):
        col = [float(v) for v in x[:, j]]
        mu = sum(col) / len(col)
        m2 = sum((v - mu) ** 2 for v in col) / len(col)
        m4 = sum((v - mu) ** 4 for v in col) / len(col)
        expected.append(m4 / m2**2 - 3)
    assert excess_kurtosis(x, 0).tolist() == pytest.approx(expected, abs=1e-9)
    assert excess_kurtosis(x.T, 1).tolist() == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("dim", [1, 2])
def test_field_centres_against_a_loop(dim):
    """Random fields with an uneven mass (1D ring of 9, 2D 7 × 7 torus): the circular mean of
    ``w²`` (row marginal sums over columns and vice versa) by ``atan2`` in a Python loop."""
    L = 9 if dim == 1 else 7
    g = torch.Generator().manual_seed(2)
    w = torch.randn((4, L**dim), generator=g) * torch.linspace(0.2, 2.0, L**dim)
    found = field_centres(w, L, dim)
    for k in range(4):
        mass = (w[k].double() ** 2).reshape((L,) * dim).numpy()
        if dim == 1:
            expected = [loop_centre(mass, L)]
            got = [found[k].item()]
        else:
            expected = [loop_centre(mass.sum(1), L), loop_centre(mass.sum(0), L)]
            got = found[k].tolist()
        for e, f in zip(expected, got, strict=True):
            assert circular_distance(e, f, L) < 1e-9
    # a bump at (row 1, column 5) of the torus: a swapped axis would give (5, 1)
    if dim == 2:
        bump = torch.zeros(L, L)
        bump[1, 5], bump[1, 6] = 2.0, 1.0
        row, col = field_centres(bump.reshape(1, -1), L, 2)[0].tolist()
        assert row == pytest.approx(1.0, abs=1e-9)
        assert col == pytest.approx(loop_centre([0, 0, 0, 0, 0, 4.0, 1.0], L), abs=1e-9)


@pytest.mark.parametrize("dim", [1, 2])
def test_nearest_neighbour_distances_against_a_loop(dim):
    """Random centres (some near the seam) in a batch of 3 sets of 6, against a pair loop with
    the periodic offset ``min(|Δ| mod L, L − |Δ| mod L)`` per axis."""
    L = 10.0
    g = torch.Generator().manual_seed(3)
    shape = (3, 6) if dim == 1 else (3, 6, 2)
    centres = L * torch.rand(shape, generator=g, dtype=torch.float64)
    centres[0, 0], centres[0, 1] = 0.2, 9.7  # 0.5 apart across the seam
    found = nearest_neighbour_distances(centres, int(L), dim)
    assert found.shape == (3, 6)
    for b in range(3):
        points = [(float(c),) if dim == 1 else tuple(c.tolist()) for c in centres[b]]
        assert found[b].tolist() == pytest.approx(loop_nearest(points, L), abs=1e-12)


@pytest.mark.parametrize("dim", [1, 2])
def test_tiling_test_against_a_plain_null(dim):
    """Statistic: mean pair-loop nearest distance of the centres. Null: the same ``L·U(0,1)``
    draws the function documents (same generator state), each draw's statistic by the pair loop;
    ``p = (1 + #{null ≥ statistic}) / (1 + n_random)``, ratio, mean and sd (n − 1) by hand."""
    L, n, n_random = 12, 4, 300
    shape = (n,) if dim == 1 else (n, 2)
    centres = L * torch.rand(shape, generator=torch.Generator().manual_seed(4),
                             dtype=torch.float64)
    out = tiling_test(centres, L, dim, torch.Generator().manual_seed(5), n_random)
    as_points = (lambda c: [(float(v),) for v in c]) if dim == 1 else \
        (lambda c: [tuple(v.tolist()) for v in c])
    statistic = sum(loop_nearest(as_points(centres), L)) / n
    draws = L * torch.rand((n_random, *shape), generator=torch.Generator().manual_seed(5),
                           dtype=torch.float64)
    null = [sum(loop_nearest(as_points(d), L)) / n for d in draws]
    mean = sum(null) / n_random
    sd = math.sqrt(sum((v - mean) ** 2 for v in null) / (n_random - 1))
    assert out["n"] == n
    assert out["statistic"] == pytest.approx(statistic, abs=1e-12)
    assert out["random_mean"] == pytest.approx(mean, abs=1e-12)
    assert out["random_sd"] == pytest.approx(sd, abs=1e-12)
    assert out["ratio"] == pytest.approx(statistic / mean, abs=1e-12)
    assert out["p_value"] == pytest.approx((1 + sum(v >= statistic for v in null))
                                           / (1 + n_random), abs=1e-6)
    assert 0.02 < out["p_value"] < 0.98  # a middling case: both tails of the null count


def test_tiling_test_null_mean_in_closed_form():
    """Two uniform points: on a ring the periodic distance is uniform on ``[0, L/2]``, mean
    ``L/4``; on a torus it is ``(L/2)·√(U² + V²)`` with U, V uniform on [0, 1], mean
    ``(L/2)(√2 + ln(1 + √2))/3``. 4000 draws: standard error ≈ 0.0023 L; allow 0.012 L.
    Evenly spaced centres (2 at distance L/2) are the most spread: p at its floor 1/4001."""
    L, g = 20, torch.Generator().manual_seed(6)
    ring = tiling_test(torch.tensor([0.0, 10.0]), L, 1, g)
    assert ring["random_mean"] == pytest.approx(L / 4, abs=0.012 * L)
    assert ring["random_sd"] == pytest.approx(L / 2 / math.sqrt(12), rel=0.05)
    assert ring["statistic"] == pytest.approx(10.0)
    assert ring["p_value"] == pytest.approx(1 / 4001)
    torus = tiling_test(torch.tensor([[0.0, 0.0], [10.0, 10.0]]), L, 2, g)
    expected = L / 2 * (math.sqrt(2) + math.log(1 + math.sqrt(2))) / 3
    assert torus["random_mean"] == pytest.approx(expected, abs=0.012 * L)
    assert torus["statistic"] == pytest.approx(10 * math.sqrt(2))
    # two centres on top of each other: statistic 0, every random draw is ≥ it: p = 1
    assert tiling_test(torch.tensor([3.0, 3.0]), L, 1, g, 200)["p_value"] == 1.0


@pytest.mark.parametrize("dim", [1, 2])
def test_shift_invariant_similarity_against_a_loop(dim):
    """Unrelated random patterns (no planted copy, so the maximum is a genuine pick among
    shifts) against a loop over every circular shift with ``np.roll``; rows and columns of the
    ``(m, n)`` matrix are distinguishable (m = 3, n = 2)."""
    L = 7 if dim == 1 else 5
    g = torch.Generator().manual_seed(7)
    a = torch.randn((3, L**dim), generator=g, dtype=torch.float64)
    b = torch.randn((2, L**dim), generator=g, dtype=torch.float64) * torch.tensor([[1.0], [3.0]])
    found = shift_invariant_similarity(a, b, L, dim)
    assert found.shape == (3, 2)
    np.testing.assert_allclose(found.numpy(), loop_shift_similarity(a, b, L, dim), atol=1e-12)


@pytest.mark.parametrize("dim", [1, 2])
def test_best_shift_overlap_against_a_loop(dim):
    """Overlap and index of the best fixed point per field, from the shift loop and a plain
    maximum over fixed points (random patterns, so the best index varies)."""
    L = 8 if dim == 1 else 4
    g = torch.Generator().manual_seed(8)
    fields = torch.randn((5, L**dim), generator=g, dtype=torch.float64)
    points = torch.randn((4, L**dim), generator=g, dtype=torch.float64)
    overlap, index = best_shift_overlap(fields, points, L, dim)
    table = loop_shift_similarity(fields, points, L, dim)
    for k in range(5):
        j = max(range(4), key=lambda j, k=k: table[k, j])
        assert overlap[k].item() == pytest.approx(table[k, j], abs=1e-12)
        assert int(index[k]) == j
    assert len(set(index.tolist())) > 1  # a real choice among the fixed points


# --------------------------------------------------------------------------------------------
# cumulants


FOUR_POINTS = torch.tensor([[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0], [0.0, -2.0]], dtype=torch.float64)


def test_fourth_cumulant_hand_values():
    """Four samples ``(±1, 0), (0, ±2)`` by hand: ``C = diag(1/2, 2)``.

    ``w = (1, 1)``: projections ±1, ±2; ``E[(w·x)⁴] = 34/4 = 8.5``, ``wᵀCw = 2.5``, so
    ``κ₄ = 8.5 − 3·6.25 = −10.25`` and the excess kurtosis ``−10.25/6.25 = −1.64``;
    ``E[x (w·x)³] = (2/4, 32/4) = (0.5, 8)``, ``Cw = (0.5, 2)``, so
    ``κ₄(·,w,w,w) = (0.5, 8) − 7.5 (0.5, 2) = (−3.25, −7)``.
    ``w = (1, 0)``: ``κ₄ = 0.5 − 3·0.25 = −0.25``, excess kurtosis −1, contraction (−0.25, 0).
    With the given covariance ``I``: ``w = (1, 1)`` has ``wᵀCw = 2``, ``Cw = (1, 1)``, so
    contraction ``(0.5 − 6, 8 − 6) = (−5.5, 2)``, ``κ₄ = −3.5`` and excess kurtosis −3.5/4.
    """
    w = torch.tensor([[1.0, 1.0], [1.0, 0.0]], dtype=torch.float64)
    x = FOUR_POINTS
    assert fourth_cumulant(x, w).tolist() == pytest.approx([-10.25, -0.25], abs=1e-12)
    assert fourth_cumulant_contraction(x, w).tolist() == [pytest.approx([-3.25, -7.0]),
                                                          pytest.approx([-0.25, 0.0])]
    assert projected_excess_kurtosis(x, w).tolist() == pytest.approx([-1.64, -1.0], abs=1e-12)
    eye = torch.eye(2, dtype=torch.float64)
    assert fourth_cumulant_contraction(x, w[0], eye).tolist() == pytest.approx([-5.5, 2.0])
    assert fourth_cumulant(x, w[0], eye).item() == pytest.approx(-3.5)
    assert projected_excess_kurtosis(x, w[0], eye).item() == pytest.approx(-3.5 / 4)


@pytest.mark.parametrize("given_covariance", [False, True])
def test_fourth_cumulant_against_a_sample_loop(given_covariance):
    """Skewed, correlated samples (exponential sources mixed by a non-symmetric matrix) and a
    batch of 3 vectors: the three outputs against :func:`loop_kappa4`, which accumulates
    ``x (w·x)³`` and ``x (w·x)`` one sample at a time; a given covariance that is not the sample
    one (the covariance path must use it, not the data)."""
    g = torch.Generator().manual_seed(9)
    D = 4
    x = (torch.empty((300, D), dtype=torch.float64).exponential_(generator=g) - 1.0) \
        @ torch.randn((D, D), generator=g, dtype=torch.float64)
    w = torch.randn((3, D), generator=g, dtype=torch.float64)
    covariance = None
    if given_covariance:
        a = torch.randn((D, D), generator=g, dtype=torch.float64)
        covariance = a @ a.T + torch.eye(D, dtype=torch.float64)
    contraction = fourth_cumulant_contraction(x, w, covariance)
    value = fourth_cumulant(x, w, covariance)
    ratio = projected_excess_kurtosis(x, w, covariance)
    for m in range(3):
        c_ref, v_ref, wcw = loop_kappa4(x.numpy(), w[m].numpy(),
                                        None if covariance is None else covariance.numpy())
        np.testing.assert_allclose(contraction[m].numpy(), c_ref, rtol=1e-10, atol=1e-10)
        assert value[m].item() == pytest.approx(v_ref, rel=1e-10)
        assert ratio[m].item() == pytest.approx(v_ref / wcw**2, rel=1e-10)
    # scaling laws: κ₄ is quartic in w, the excess kurtosis scale-free
    torch.testing.assert_close(fourth_cumulant(x, 2 * w, covariance), 16 * value)
    torch.testing.assert_close(projected_excess_kurtosis(x, -3 * w, covariance), ratio)


def all_sign_patterns(D):
    """All ``2ᴰ`` vectors of ±1: exactly ``C = I``, ``κ₄ = −2`` on the diagonal and 0 elsewhere."""
    return torch.tensor(list(itertools.product([1.0, -1.0], repeat=D)), dtype=torch.float64)


def test_tensor_eigenvectors_closed_form_for_independent_signs():
    """For all ±c patterns (c = 1.5, so ``C = c² I`` is not the identity) ``κ₄(w,w,w,w) =
    −2 c⁴ Σ wᵢ⁴`` exactly. Its minima on the sphere (``sign = −1``, the default since the pixels
    are platykurtic) are the one-hot vectors: ``κ₄ = −2·5.0625 = −10.125``, excess kurtosis
    ``κ₄/(wᵀCw)² = −10.125/2.25² = −2``, IPR 1, largest entry +1. Its maxima (``sign = +1``) are
    the vectors with all ``|wᵢ| = 1/2``: ``κ₄ = −10.125·4/16 = −2.53125``, excess kurtosis −0.5,
    IPR 1/4. The reported ``kappa4``/``excess_kurtosis`` of each returned vector are checked
    against the loop."""
    x = 1.5 * all_sign_patterns(4)
    out = tensor_eigenvectors(x, torch.Generator().manual_seed(10), 6)
    assert out["sign"] == -1
    assert out["kappa4"].tolist() == pytest.approx([-10.125] * 6, abs=1e-3)
    assert out["excess_kurtosis"].tolist() == pytest.approx([-2.0] * 6, abs=1e-4)
    assert ipr(out["vectors"]).tolist() == pytest.approx([1.0] * 6, abs=1e-4)
    assert out["vectors"].max(1).values.tolist() == pytest.approx([1.0] * 6, abs=1e-3)
    up = tensor_eigenvectors(x, torch.Generator().manual_seed(10), 6, sign=1.0, max_iter=300)
    assert up["sign"] == 1
    assert up["kappa4"].tolist() == pytest.approx([-2.53125] * 6, abs=1e-3)
    assert up["excess_kurtosis"].tolist() == pytest.approx([-0.5] * 6, abs=1e-4)
    assert ipr(up["vectors"]).tolist() == pytest.approx([0.25] * 6, abs=1e-4)
    for result in (out, up):
        for w, k4, ek in zip(result["vectors"], result["kappa4"], result["excess_kurtosis"],
                             strict=True):
            _, v_ref, wcw = loop_kappa4(x.numpy(), w.numpy())
            assert k4.item() == pytest.approx(v_ref, abs=1e-12)
            assert ek.item() == pytest.approx(v_ref / wcw**2, abs=1e-12)
            assert w[w.abs().argmax()].item() > 0  # sign convention: the largest entry positive


def test_tensor_eigenvectors_default_sign_follows_the_pixels():
    """The default sign is that of the mean marginal fourth cumulant ``E[x⁴] − 3 var²``.

    Leptokurtic pixels (centred exponential, excess kurtosis +6) give ``+1``; one strongly
    platykurtic ±3 pixel among them (81 − 3·81 = −162 against ≈ +6 each for the three others)
    flips the mean: −1. Pixels in {−1, 0, 1} with frequencies 2, 6, 2 out of 10 have
    ``var = E[x⁴] = 0.4``, so ``E[x⁴]/var² = 2.5`` lies between 2 and 3: the cumulant is
    ``0.4 − 0.48 < 0``, ``−1`` (a factor 2 instead of 3 would give +1)."""
    g = torch.Generator().manual_seed(11)
    x = torch.empty((4000, 4), dtype=torch.float64).exponential_(generator=g) - 1.0
    assert tensor_eigenvectors(x, g, 2, max_iter=5)["sign"] == 1
    x[:, 0] = 3.0 * (torch.randint(0, 2, (4000,), generator=g).double() * 2 - 1)
    assert tensor_eigenvectors(x, g, 2, max_iter=5)["sign"] == -1
    column = torch.tensor([1.0, 1.0, -1.0, -1.0, 0, 0, 0, 0, 0, 0], dtype=torch.float64)
    three = torch.stack([column, column.roll(3), column.roll(6)], 1)
    assert tensor_eigenvectors(three, g, 2, max_iter=5)["sign"] == -1


def unequal_classes():
    """Three classes, zero-mean by symmetry (each set contains x and −x), with different sizes,
    covariances and non-Gaussian shapes (uniform, exponential, Laplace-like sources)."""
    g = torch.Generator().manual_seed(12)
    D = 5
    sources = [torch.rand((60, D), generator=g, dtype=torch.float64) - 0.5,
               torch.empty((45, D), dtype=torch.float64).exponential_(generator=g) - 1.0,
               torch.randn((30, D), generator=g, dtype=torch.float64).pow(3)]
    mixes = [torch.randn((D, D), generator=g, dtype=torch.float64) * s for s in (1.0, 0.6, 0.3)]
    return [torch.cat([s @ m, -(s @ m)]) for s, m in zip(sources, mixes, strict=True)]


def plain_reduced_steps(xs, labels, bias, include_kappa4, radius, lr, n_steps, w0, covs=None):
    """The documented flow one class and one sample at a time (numpy):
    ``g = (1/#classes) Σ_c y_c [−b C_c w + ((3b − b³)/6)(3 (wᵀC_c w) C_c w + κ₄^c(·,w,w,w))]``,
    ``w ← radius · normalise(w + lr g)``. Returns the list of w after 0, 1, …, n_steps steps."""
    xs = [x.numpy() for x in xs]
    linear, cubic = -bias, (3 * bias - bias**3) / 6
    ws = [w0.numpy().copy()]
    for _ in range(n_steps):
        new = []
        for w in ws[-1]:
            total = np.zeros_like(w)
            for c, (x, y) in enumerate(zip(xs, labels, strict=True)):
                cov = None if covs is None else covs[c].numpy()
                contraction, _, wcw = loop_kappa4(x, w, cov)
                _, cw, _ = loop_moments(x, w, cov)
                term = linear * cw + cubic * 3 * wcw * cw
                if include_kappa4:
                    term = term + cubic * contraction
                total += y * term / len(xs)
            step = w + lr * total
            new.append(radius * step / np.linalg.norm(step))
        ws.append(np.array(new))
    return ws


@pytest.mark.parametrize(("bias", "labels", "include_kappa4", "given_covariance"), [
    (1.0, (1.0, -1.0), True, False),
    (-1.0, (1.0, -1.0), False, False),
    (0.5, (1.0, -0.5, 0.25), True, False),
    (0.5, (1.0, -0.5, 0.25), False, True),
    (-0.7, (-1.0, 1.0), True, True),
])
def test_reduced_dynamics_against_the_plain_flow(bias, labels, include_kappa4, given_covariance):
    """A few steps of :func:`reduced_dynamics` against :func:`plain_reduced_steps` with classes
    of unequal size and covariance (so a swapped class, a wrong label weighting or a wrong sign
    of either term changes the direction of the step), at biases whose cubic coefficient
    ``(3b − b³)/6`` differs from ±1/3, with and without κ₄, with sample and given covariances.
    The random start is the documented one: ``radius · normalise(randn(n_starts, D))`` from the
    generator. IPRs recorded at steps 0, 3, 6, 7 (record_every = 3, n_steps = 7) by the loop."""
    classes = unequal_classes()[:len(labels)]
    D, n_starts, radius, lr, n_steps = 5, 2, 1.3, 0.4, 7
    covs = None
    if given_covariance:
        g = torch.Generator().manual_seed(13)
        covs = []
        for _ in classes:
            a = torch.randn((D, D), generator=g, dtype=torch.float64)
            covs.append(a @ a.T / D + 0.5 * torch.eye(D, dtype=torch.float64))
    start = torch.randn((n_starts, D), generator=torch.Generator().manual_seed(14),
                        dtype=torch.float64)
    w0 = radius * start / start.norm(dim=-1, keepdim=True)
    out = reduced_dynamics(classes, torch.Generator().manual_seed(14), labels=labels, bias=bias,
                           include_kappa4=include_kappa4, radius=radius, lr=lr, n_steps=n_steps,
                           n_starts=n_starts, record_every=3, covariances=covs)
    ws = plain_reduced_steps(classes, labels, bias, include_kappa4, radius, lr, n_steps, w0, covs)
    np.testing.assert_allclose(out["w"].numpy(), ws[-1], rtol=0, atol=1e-10)
    assert out["steps"].tolist() == [0, 3, 6, 7]
    expected_ipr = [[loop_ipr(w) for w in ws[s]] for s in (0, 3, 6, 7)]
    np.testing.assert_allclose(out["ipr"].numpy(), expected_ipr, rtol=1e-10, atol=0)
    # the step moves the direction (else the test could not see the drive)
    assert np.abs(ws[1] - ws[0]).max() > 0.05


def test_reduced_dynamics_one_step_by_hand():
    """Two classes in D = 2, one step, by hand. Class 0 = ``{±(1, 0)}`` (``C₀ = diag(1, 0)``,
    ``E₀[x (w·x)³] = (w₁³, 0)``), class 1 = ``{±(0, 2)}`` (``C₁ = diag(0, 4)``,
    ``E₁[x (w·x)³] = (0, 16 w₂³)``); with κ₄ the bracket is ``−b C w + cubic · E[x (w·x)³]``.
    At b = 1 (cubic = 1/3), labels (+1, −1), w = (0.6, 0.8)::

        g = ½[(−0.6 + 0.216/3, 0) − (0, −3.2 + 16·0.512/3)] = (−0.264, 0.2346̅)

    and ``w ← normalise(w + lr g)`` with lr = 0.1 at radius 1. The start is the generator's
    first draw; the test rebuilds it and reports the hand-computed step from there."""
    x0 = torch.tensor([[1.0, 0.0], [-1.0, 0.0]], dtype=torch.float64)
    x1 = torch.tensor([[0.0, 2.0], [0.0, -2.0]], dtype=torch.float64)
    start = torch.randn((1, 2), generator=torch.Generator().manual_seed(15), dtype=torch.float64)
    w1, w2 = (start[0] / start[0].norm()).tolist()
    g1 = 0.5 * (-w1 + w1**3 / 3)
    g2 = -0.5 * (-4 * w2 + 16 * w2**3 / 3)
    s1, s2 = w1 + 0.1 * g1, w2 + 0.1 * g2
    norm = math.hypot(s1, s2)
    out = reduced_dynamics([x0, x1], torch.Generator().manual_seed(15), lr=0.1, n_steps=1)
    assert out["w"][0].tolist() == pytest.approx([s1 / norm, s2 / norm], abs=1e-12)
    # the numbers in the docstring, at w = (0.6, 0.8)
    assert (0.5 * (-0.6 + 0.216 / 3), -0.5 * (-3.2 + 16 * 0.512 / 3)) == pytest.approx(
        (-0.264, 0.2346666667))


# --------------------------------------------------------------------------------------------
# the soft committee


def plain_output(W, b, x):
    """``(1/K) Σ_k erf((w_k·x/√D + b_k)/√2)`` for one network and one input, in Python."""
    K, D = len(W), len(x)
    return sum(math.erf((sum(W[k][i] * x[i] for i in range(D)) / math.sqrt(D) + b[k])
                        / math.sqrt(2)) for k in range(K)) / K


def plain_sgd_step(W, b, x, y, lr):
    """One documented online-SGD step for one network, in numpy (``W (K, D)``):
    ``δ_k = (ŷ − y) √(2/π) exp(−λ_k²/2)``, ``w_k −= 2 lr δ_k x/√D``, ``b_k −= 2 lr δ_k/D``."""
    K, D = W.shape
    lam = W @ x / math.sqrt(D) + b
    y_hat = np.mean([math.erf(v / math.sqrt(2)) for v in lam])
    delta = (y_hat - y) * math.sqrt(2 / math.pi) * np.exp(-lam**2 / 2)
    return W - 2 * lr * np.outer(delta, x) / math.sqrt(D), b - 2 * lr * delta / D


def test_committee_output_hand_value_and_loop():
    """Hand value: K = 2, D = 4, ``w₀ = (2, 0, 0, 0)``, ``b = (0, 0)``, ``w₁ = 0``, x = 1:
    ``λ₀ = 2/√4 = 1``, ``λ₁ = 0``, so ``ŷ = erf(1/√2)/2 = 0.3413447``. Random weights of two
    networks (n = 3 inputs, K = 3, D = 5) against the Python loop."""
    W = torch.zeros((1, 2, 4))
    W[0, 0, 0] = 2.0
    out = committee_output(W, torch.zeros((1, 2)), torch.ones((1, 1, 4)))
    assert out.item() == pytest.approx(0.3413447, abs=1e-6)
    g = torch.Generator().manual_seed(16)
    W = torch.randn((2, 3, 5), generator=g, dtype=torch.float64)
    b = torch.randn((2, 3), generator=g, dtype=torch.float64)
    x = torch.randn((3, 2, 5), generator=g, dtype=torch.float64)
    out = committee_output(W, b, x)
    assert out.shape == (3, 2)
    for n, net in itertools.product(range(3), range(2)):
        assert out[n, net].item() == pytest.approx(
            plain_output(W[net].tolist(), b[net].tolist(), x[n, net].tolist()), abs=1e-12)


def test_committee_accuracy_by_hand():
    """Two networks, four inputs, K = 2, D = 1. Network 0 has ``w = (2, 2)``, ``b = 0``: ŷ has
    the sign of x; x = (1, −1, 2, −3), y = (1, 1, 1, −1): right, wrong, right, right → 0.75.
    Network 1 has ``w = 0``, ``b = (−1, −1)``: ŷ < 0 always; y = (−1, 1, 1, −1) → 0.5."""
    W = torch.tensor([[[2.0], [2.0]], [[0.0], [0.0]]])
    b = torch.tensor([[0.0, 0.0], [-1.0, -1.0]])
    x = torch.tensor([[1.0, 5.0], [-1.0, 5.0], [2.0, 5.0], [-3.0, 5.0]])[..., None]
    y = torch.tensor([[1.0, -1.0], [1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]])
    assert committee_accuracy(W, b, x, y).tolist() == pytest.approx([0.75, 0.5])


def test_sgd_steps_against_plain_numpy_for_two_networks():
    """Five online steps of the compiled loop for two networks (K = 3, D = 4; different inputs
    and labels per network, float32 inputs as in training) against :func:`plain_sgd_step`;
    after one step and after five. Network 1's result must not depend on network 0's inputs."""
    g = np.random.default_rng(17)
    B, K, D, lr, n = 2, 3, 4, 0.3, 5
    w = g.normal(0, 0.8, (B, K, D))
    b = np.array([[1.0, -1.0, 0.5], [-0.3, 1.0, -1.0]])
    xs = g.normal(0, 1.5, (n, B, D)).astype(np.float32)
    ys = np.array([[1.0, -1.0], [-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    for steps in (1, n):
        W = np.ascontiguousarray(w.transpose(0, 2, 1))
        bias = b.copy()
        sgd_steps(W, bias, xs[:steps], ys[:steps], lr)
        for net in range(B):
            wn, bn = w[net].copy(), b[net].copy()
            for t in range(steps):
                wn, bn = plain_sgd_step(wn, bn, xs[t, net].astype(np.float64), ys[t, net], lr)
            np.testing.assert_allclose(W[net].T, wn, rtol=0, atol=1e-12)
            np.testing.assert_allclose(bias[net], bn, rtol=0, atol=1e-12)
            assert np.abs(wn - w[net]).max() > 0.01  # the weights moved


# --------------------------------------------------------------------------------------------
# Chapter 2's summaries


def test_population_ipr_uneven_populations_by_hand():
    """Signs (−1, +1, −1, +1, +1) over K = 5 neurons of D = 4 in a (2, 5, 4) batch. Hand IPRs:
    one-hot 1, ``(1, 1, 0, 0)`` 1/2, uniform 1/4, ``(1, 1, 1, 0)`` 1/3. Network 0: b = +1
    neurons (one-hot, half, uniform) → (1 + 1/2 + 1/4)/3 = 7/12; b = −1 neurons (third,
    uniform) → (1/3 + 1/4)/2 = 7/24. Network 1 swaps the rows: +1 → (1/3 + 1/4 + 1)/3 = 19/36,
    −1 → (1 + 1/2)/2 = 3/4."""
    onehot, half = [1.0, 0, 0, 0], [1.0, 1, 0, 0]
    uniform, third = [1.0, 1, 1, 1], [1.0, 1, 1, 0]
    w = torch.tensor([[third, onehot, uniform, half, uniform],
                      [onehot, third, half, uniform, onehot]])
    sign = torch.tensor([-1.0, 1.0, -1.0, 1.0, 1.0])
    assert population_ipr(w, sign).tolist() == [pytest.approx([7 / 12, 7 / 24]),
                                                pytest.approx([19 / 36, 3 / 4])]


def bump_fields(centres, L, width=1.0):
    sites = np.arange(L)
    rows = []
    for c in centres:
        d = np.minimum((sites - c) % L, (c - sites) % L)
        rows.append(np.exp(-d**2 / (2 * width**2)))
    return torch.tensor(np.array(rows))


def test_tiling_summary_selection_and_statistics_by_loop():
    """L = 10 (baseline 3/12 = 1/4), ``localised_factor = 1``: a field is localised when its
    IPR ≥ 1/4 exactly (a block of four equal entries has IPR exactly 1/4 and counts; a block of
    five, 1/5, does not). Chosen: b = +1 and localised → neurons 0, 2, 5 (neuron 4 is localised
    but b = −1; neuron 1 is b = +1 but a 5-block). The statistic is the loop nearest-neighbour
    mean of their final centres (circular mean of ``w²``, loop); the control the same for their
    *initial* weights (snapshot 0, planted bumps at other places), not a middle snapshot."""
    L = 10
    cfg = dataclasses.replace(config_for("smoke"), localised_factor=1.0, n_random_tiling=50)
    final = torch.zeros((6, L), dtype=torch.float64)
    final[0, 0:4] = 1.0            # 4-block: IPR exactly 1/4, counted
    final[1, 3:8] = 1.0            # 5-block: IPR 1/5 < 1/4, not counted
    final[2] = bump_fields([6.5], L, 0.4)[0]
    final[3] = 1.0                 # uniform, b = −1
    final[4] = bump_fields([2.0], L, 0.4)[0]  # localised but b = −1
    final[5, 8] = 1.0              # one-hot
    initial = bump_fields([1.0, 4.0, 3.0, 0.0, 7.0, 9.0], L, 0.5)
    middle = torch.ones((6, L), dtype=torch.float64)
    sign = torch.tensor([1.0, 1.0, 1.0, -1.0, -1.0, 1.0])
    run = {"weights": torch.stack([initial, middle, final])[:, None], "initial_bias_sign": sign}
    out = tiling_summary(cfg, run, L, 1, 0, torch.Generator().manual_seed(18))
    assert out["n_localised"] == 3
    expected_final = [loop_centre((final[k] ** 2).tolist(), L) for k in (0, 2, 5)]
    assert [circular_distance(a, b, L) for a, b in
            zip(out["centres"].tolist(), expected_final, strict=True)] == pytest.approx([0] * 3,
                                                                                        abs=1e-9)
    assert out["test"]["statistic"] == pytest.approx(
        sum(loop_nearest([(c,) for c in expected_final], L)) / 3, abs=1e-9)
    expected_initial = [loop_centre((initial[k] ** 2).tolist(), L) for k in (0, 2, 5)]
    assert out["control"]["statistic"] == pytest.approx(
        sum(loop_nearest([(c,) for c in expected_initial], L)) / 3, abs=1e-9)
    assert out["test"]["n"] == out["control"]["n"] == 3


def test_tiling_summary_on_the_torus_reads_the_right_network():
    """Two networks on a 6 × 6 torus; network 1 holds four one-hot fields at (0, 0), (0, 3),
    (3, 0), (3, 3) — an even tiling, nearest distance 3 each — and network 0 holds uniform
    fields (nothing localised). Reading network 1 gives 4 fields, statistic 3 and a small p."""
    L = 6
    fields = torch.zeros((4, L, L), dtype=torch.float64)
    for k, (r, c) in enumerate([(0, 0), (0, 3), (3, 0), (3, 3)]):
        fields[k, r, c] = 1.0
    final = torch.stack([torch.ones((4, L * L), dtype=torch.float64), fields.reshape(4, -1)])
    initial = torch.randn((2, 4, L * L), generator=torch.Generator().manual_seed(19),
                          dtype=torch.float64)
    run = {"weights": torch.stack([initial, final]), "initial_bias_sign": torch.ones(4)}
    cfg = dataclasses.replace(config_for("smoke"), n_random_tiling=500)
    none = tiling_summary(cfg, run, L, 2, 0, torch.Generator().manual_seed(20))
    assert none["n_localised"] == 0 and none["test"] is None
    out = tiling_summary(cfg, run, L, 2, 1, torch.Generator().manual_seed(20))
    assert out["n_localised"] == 4
    assert out["centres"].tolist() == [pytest.approx(p, abs=1e-9)
                                       for p in ([0, 0], [0, 3], [3, 0], [3, 3])]
    assert out["test"]["statistic"] == pytest.approx(3.0)
    assert out["test"]["p_value"] < 0.02


# --------------------------------------------------------------------------------------------
# issue #31: the class-difference tensor, the trivial shapes of a field's width, the tiling
# test's power


def test_class_difference_contraction_against_a_loop():
    """``T = mean_c y_c κ₄^c`` with each class's own sample covariance, from the loop of each
    class: unequal sample counts and labels (+1, −1) so a swapped class or a missing ½ shows."""
    g = torch.Generator().manual_seed(3)
    x0 = torch.randn(7, 3, generator=g, dtype=torch.float64) ** 3
    x1 = torch.randn(5, 3, generator=g, dtype=torch.float64)
    w = torch.tensor([[0.3, -1.2, 0.5], [1.0, 0.0, 0.2]], dtype=torch.float64)
    grad, value = class_difference_contraction([x0, x1], w)
    for k in range(2):
        c0, v0, _ = loop_kappa4(x0.numpy(), w[k].numpy())
        c1, v1, _ = loop_kappa4(x1.numpy(), w[k].numpy())
        assert grad[k].tolist() == pytest.approx(((c0 - c1) / 2).tolist(), abs=1e-12)
        assert value[k].item() == pytest.approx((v0 - v1) / 2, abs=1e-12)


def test_class_difference_eigenvectors_closed_form():
    """Class 0: all ±1 patterns (``κ₄⁰(w) = −2 Σwᵢ⁴``); class 1: the same patterns × 2
    (``κ₄¹ = 16 κ₄⁰``). ``T = (κ₄⁰ − κ₄¹)/2 = 15 Σwᵢ⁴``: its maxima on the sphere (``sign = +1``)
    are the one-hot vectors (``T = 15``, IPR 1); its minima (``sign = −1``) the vectors with all
    ``|wᵢ| = 1/2`` (``T = 15/4``, IPR 1/4)."""
    patterns = all_sign_patterns(4)
    up = class_difference_eigenvectors([patterns, 2 * patterns],
                                       torch.Generator().manual_seed(4), 5)
    assert up["value"].tolist() == pytest.approx([15.0] * 5, abs=1e-3)
    assert ipr(up["vectors"]).tolist() == pytest.approx([1.0] * 5, abs=1e-4)
    assert up["vectors"].max(1).values.tolist() == pytest.approx([1.0] * 5, abs=1e-3)
    down = class_difference_eigenvectors([patterns, 2 * patterns],
                                         torch.Generator().manual_seed(4), 5, sign=-1.0)
    assert down["value"].tolist() == pytest.approx([3.75] * 5, abs=1e-3)
    assert ipr(down["vectors"]).tolist() == pytest.approx([0.25] * 5, abs=1e-4)


def test_gaussian_bump_box_and_width_matching():
    """The bump by a loop; its IPR against the continuum ``1/(σ√(2π))`` (σ = 5 on 200 sites,
    where the lattice sum equals the integral to 1e-12); a box of n sites has IPR 1/n; the
    width-matched bump has the target IPR, and σ = 1.5 gives IPR ≈ 0.266."""
    L, sigma = 200, 5.0
    loop = [math.exp(-min(i, L - i) ** 2 / (2 * sigma**2)) for i in range(L)]
    assert gaussian_bump(L, sigma).tolist() == pytest.approx(loop, abs=1e-15)
    assert float(ipr(gaussian_bump(L, sigma))) == pytest.approx(
        1 / (sigma * math.sqrt(2 * math.pi)), rel=1e-9)
    assert float(ipr(box_field(100, 4))) == pytest.approx(0.25)
    assert box_field(10, 3).tolist() == [1.0, 1.0, 1.0] + [0.0] * 7
    for target in (0.1, 0.266, 0.5):
        found = width_matched_bump(target, 100)
        assert loop_ipr(gaussian_bump(100, found)) == pytest.approx(target, abs=1e-8)
    assert width_matched_bump(1 / (1.5 * math.sqrt(2 * math.pi)), 100) == pytest.approx(1.5,
                                                                                        abs=1e-3)
    with pytest.raises(ValueError, match="target_ipr"):
        width_matched_bump(0.001, 100)


def test_tiled_centres_and_the_power_of_the_tiling_test():
    """Without jitter, tiled centres on the ring are exactly L/n apart (every nearest-neighbour
    distance L/n), on the torus an m × m lattice of spacing L/m; such a lattice is the most even
    set there is, so the test always detects it (power 1, from n = 2 on). Closed form for two
    centres on a ring of L sites with jitter j: their distance is L/2 − |e₁ − e₂| (eᵢ ~ N(0,
    (jL/2)²)), a random pair's distance is uniform on [0, L/2], so p = 2|e₁ − e₂|/L and
    p < 0.05 ⇔ |Z| < 0.05/(√2 j) for a standard normal Z: at j = 0.1 the power is
    erf(0.25) = 0.276."""
    g = torch.Generator().manual_seed(7)
    ring = tiled_centres(10, 100, 1, g, 3, jitter=0.0)
    assert nearest_neighbour_distances(ring, 100, 1).flatten().tolist() == pytest.approx(
        [10.0] * 30)
    torus = tiled_centres(9, 21, 2, g, 2, jitter=0.0)
    assert nearest_neighbour_distances(torus, 21, 2).flatten().tolist() == pytest.approx(
        [7.0] * 18)
    with pytest.raises(ValueError, match="square"):
        tiled_centres(5, 20, 2, g, 1)
    rows = tiling_power([2, 10], 100, 1, g, n_sets=20, n_random=500, jitter=0.0)
    assert rows == [{"n": 2, "power": 1.0}, {"n": 10, "power": 1.0}]
    two = tiling_power([2], 100, 1, g, n_sets=4000, n_random=4000, jitter=0.1)
    assert two[0]["power"] == pytest.approx(math.erf(0.25), abs=0.03)
    assert fields_needed(two + rows[1:]) == 10
    assert fields_needed([{"n": 3, "power": 0.5}, {"n": 4, "power": 0.8}]) == 4
    assert fields_needed([{"n": 3, "power": 0.5}]) is None
