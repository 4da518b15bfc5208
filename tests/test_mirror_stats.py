"""Known answers for the statistics of the mirror chapter (issue 29).

Every expected value is worked out here by hand, in closed form, or by a plain loop; none by
calling the function under test or SciPy's implementation of the same test.
"""

import math
from itertools import combinations

import numpy as np
import pytest
import torch

from emergence.analysis.mirror_stats import (
    beyond_spread,
    fdr_adjust,
    rank_sum,
    rank_sum_fdr,
    symmetry_rise_difference,
)

# ---------------------------------------------------------------- rank-sum test (MATLAB ranksum)


def test_complete_separation_five_against_five_is_exact_two_over_252():
    # W = 1+2+3+4+5 = 15 is the smallest of the C(10, 5) = 252 equally likely rank sums
    out = rank_sum([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    assert out["method"] == "exact" and out["w"] == 15
    assert out["p"] == pytest.approx(2 / 252, abs=1e-15)
    assert rank_sum([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])["p"] == pytest.approx(2 / 252, abs=1e-15)


def test_exact_p_of_near_separations_counted_by_hand():
    # ranks of x {1,2,3,4,6}: W = 16; sums ≤ 16: {1,2,3,4,5}, {1,2,3,4,6} → P = 2/252
    assert rank_sum([1, 2, 3, 4, 6], [5, 7, 8, 9, 10])["p"] == pytest.approx(4 / 252)
    # W = 17; sums ≤ 17 add {1,2,3,4,7} and {1,2,3,5,6} → P = 4/252
    assert rank_sum([1, 2, 3, 4, 7], [5, 6, 8, 9, 10])["p"] == pytest.approx(8 / 252)


def test_exact_p_with_ties_uses_the_midranks():
    # pooled 1,2,2,2,3 → midranks 1,3,3,3,5; y (the smaller sample) has ranks 3 and 5: W = 8.
    # The 10 pairs of the five ranks sum to 4 (3 pairs), 6 (4 pairs: 1+5, 3+3 ×3), 8 (3 pairs)
    # → P(S ≥ 8) = 3/10, P(S ≤ 8) = 1 → p = 2·3/10
    out = rank_sum([1, 2, 2], [2, 3])
    assert out["w"] == 8 and out["method"] == "exact"
    assert out["p"] == pytest.approx(0.6)


def test_all_tied_gives_one_in_both_methods():
    assert rank_sum([1.0] * 5, [1.0] * 5)["p"] == 1.0
    assert rank_sum([1.0] * 12, [1.0] * 12)["p"] == 1.0


def test_exact_method_up_to_matlabs_bound_then_normal_approximation():
    # 9 against 10 (smaller < 10, total 19 < 20): exact, 2 / C(19, 9)
    out = rank_sum(np.arange(9.0), np.arange(9.0, 19.0))
    assert out["method"] == "exact"
    assert out["p"] == pytest.approx(2 / math.comb(19, 9), rel=1e-12)
    # 9 against 11 (total 20): approximate; W = 45, E = 9·21/2 = 94.5, V = 99·21/12
    out = rank_sum(np.arange(9.0), np.arange(9.0, 20.0))
    assert out["method"] == "approximate" and out["w"] == 45
    z = (45 - 94.5 + 0.5) / math.sqrt(9 * 11 * 21 / 12)
    assert out["z"] == pytest.approx(z, rel=1e-12)
    assert out["p"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-12)


def test_normal_approximation_of_ten_against_ten():
    # W = 55, E = 10·21/2 = 105, V = 10·10·21/12 = 175; continuity: (−50 + 0.5)/√175
    out = rank_sum(np.arange(1.0, 11.0), np.arange(11.0, 21.0))
    z = -49.5 / math.sqrt(175)
    assert out["method"] == "approximate" and out["z"] == pytest.approx(z)
    assert out["p"] == pytest.approx(math.erfc(49.5 / math.sqrt(175) / math.sqrt(2)))
    assert 1.8e-4 < out["p"] < 1.9e-4  # 2·Φ(−3.742) ≈ 1.83e-4


def test_normal_approximation_with_tie_correction_by_hand():
    # x = five 0s and five 1s, y = five 1s and five 2s. Midranks: 0 → 3, 1 → 10.5, 2 → 18.
    # W = 5·3 + 5·10.5 = 67.5, E = 105; ties 5, 10, 5: Σ(t³ − t) = 120 + 990 + 120 = 1230
    # V = 100·(21 − 1230/380)/12; z = (−37.5 + 0.5)/√V
    out = rank_sum([0] * 5 + [1] * 5, [1] * 5 + [2] * 5)
    variance = 100 * (21 - 1230 / 380) / 12
    z = -37.0 / math.sqrt(variance)
    assert out["w"] == 67.5
    assert out["z"] == pytest.approx(z, rel=1e-12)
    assert out["p"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-12)


def test_exact_p_matches_a_brute_force_enumeration_with_ties():
    # plain loop over all C(12, 5) subsets of the pooled midranks
    x, y = [0.1, 0.2, 0.2, 0.5, 0.9], [0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9]
    pooled = sorted(x + y)
    ranks = {v: np.mean([i + 1 for i, u in enumerate(pooled) if u == v]) for v in pooled}
    w = sum(ranks[v] for v in x)
    sums = [sum(c) for c in combinations([ranks[v] for v in x + y], len(x))]
    low = sum(s <= w + 1e-9 for s in sums) / len(sums)
    high = sum(s >= w - 1e-9 for s in sums) / len(sums)
    assert rank_sum(x, y)["p"] == pytest.approx(min(1, 2 * min(low, high)), rel=1e-12)


def test_nans_are_dropped_and_bad_input_is_refused():
    assert rank_sum([1, 2, 3, 4, 5, np.nan], [6, 7, 8, 9, 10])["p"] == pytest.approx(2 / 252)
    with pytest.raises(ValueError, match="1-D"):
        rank_sum(np.zeros((2, 3)), [1, 2])
    with pytest.raises(ValueError, match="infinite"):
        rank_sum([1, np.inf], [1, 2])
    with pytest.raises(ValueError, match="no values"):
        rank_sum([np.nan], [1, 2])
    with pytest.raises(ValueError, match="method"):
        rank_sum([1, 2], [3, 4], method="oldexact")


# ---------------------------------------------------------------- FDR (BH and the authors' BY)


def test_benjamini_hochberg_on_four_p_values_by_hand():
    # sorted 0.005, 0.01, 0.03, 0.04 → p·4/i = 0.02, 0.02, 0.04, 0.04 (already monotone)
    adjusted = fdr_adjust([0.01, 0.04, 0.03, 0.005], "bh")
    np.testing.assert_allclose(adjusted, [0.02, 0.04, 0.04, 0.02], rtol=1e-12)
    # the step-up minimum: 0.04·4/3 = 0.0533 > 0.05·4/4 = 0.05 → both become 0.05
    np.testing.assert_allclose(fdr_adjust([0.04, 0.05], "bh"), [0.05, 0.05], rtol=1e-12)


def test_benjamini_yekutieli_multiplies_by_the_harmonic_sum():
    # c_4 = 1 + 1/2 + 1/3 + 1/4 = 25/12
    adjusted = fdr_adjust([0.01, 0.04, 0.03, 0.005], "by")
    np.testing.assert_allclose(adjusted, np.array([0.02, 0.04, 0.04, 0.02]) * 25 / 12,
                               rtol=1e-12)
    assert fdr_adjust([0.5, 0.9], "by")[1] == 1.0  # capped at 1


def test_fdr_refuses_bad_input():
    with pytest.raises(ValueError, match="procedure"):
        fdr_adjust([0.1], "holm")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fdr_adjust([0.1, 1.5])
    with pytest.raises(ValueError, match="non-empty"):
        fdr_adjust([])


def _family():
    """Four 5-against-5 tests with exact p-values 2/252, 4/252, 8/252 and 1 (see above)."""
    trained = {("fc1", "car"): [6, 7, 8, 9, 10], ("fc1", "boat"): [5, 7, 8, 9, 10],
               ("fc2", "car"): [1, 2, 3, 4, 7], ("fc2", "boat"): [1, 1, 1, 1, 1]}
    untrained = {("fc1", "car"): [1, 2, 3, 4, 5], ("fc1", "boat"): [1, 2, 3, 4, 6],
                 ("fc2", "car"): [5, 6, 8, 9, 10], ("fc2", "boat"): [1, 1, 1, 1, 1]}
    return trained, untrained


def test_rank_sum_fdr_on_a_family_with_known_p_values():
    trained, untrained = _family()
    # BH: sorted 2, 4, 8 (/252), 1 → ·4/i: 8/252, 8/252, 32/756, 1
    out = rank_sum_fdr(trained, untrained, procedure="bh")
    expected_p = {("fc1", "car"): 2 / 252, ("fc1", "boat"): 4 / 252, ("fc2", "car"): 8 / 252,
                  ("fc2", "boat"): 1.0}
    expected_q = {("fc1", "car"): 8 / 252, ("fc1", "boat"): 8 / 252, ("fc2", "car"): 32 / 756,
                  ("fc2", "boat"): 1.0}
    for key in trained:
        assert out[key]["p"] == pytest.approx(expected_p[key])
        assert out[key]["q"] == pytest.approx(expected_q[key])
        assert out[key]["significant"] is (key != ("fc2", "boat"))
    assert out[("fc1", "car")]["greater"] and out[("fc1", "boat")]["greater"]
    assert not out[("fc2", "car")]["greater"]  # a significant decrease: two-sided test
    assert out[("fc2", "car")]["mean_difference"] == pytest.approx(17 / 5 - 38 / 5)
    # the authors' BY: ×25/12 → 0.0661, 0.0661, 0.0882, 1: nothing significant at 0.05
    by = rank_sum_fdr(trained, untrained)
    assert by[("fc1", "car")]["q"] == pytest.approx(8 / 252 * 25 / 12)
    assert by[("fc2", "car")]["q"] == pytest.approx(32 / 756 * 25 / 12)
    assert not any(v["significant"] for v in by.values())
    assert rank_sum_fdr(trained, untrained, q=0.07)[("fc1", "car")]["significant"]


def test_rank_sum_fdr_family_is_the_keys_given():
    trained, untrained = _family()
    one = {k: v for k, v in trained.items() if k == ("fc1", "car")}
    out = rank_sum_fdr(one, {k: untrained[k] for k in one})
    assert out[("fc1", "car")]["q"] == pytest.approx(2 / 252)  # m = 1: q = p
    assert out[("fc1", "car")]["significant"]


def test_rank_sum_fdr_refuses_mismatched_keys_and_bad_q():
    trained, untrained = _family()
    with pytest.raises(ValueError, match="same keys"):
        rank_sum_fdr(trained, {k: v for k, v in untrained.items() if k[0] == "fc1"})
    with pytest.raises(ValueError, match="q="):
        rank_sum_fdr(trained, untrained, q=1.0)
    with pytest.raises(ValueError, match="empty"):
        rank_sum_fdr({}, {})


# ---------------------------------------------------------------- left–right vs top–bottom rise


def _bank(rise_lr, rise_tb, n=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    lr_u, tb_u = torch.rand(n, generator=g) - 0.5, torch.rand(n, generator=g) - 0.5
    return lr_u + rise_lr, lr_u, tb_u + rise_tb, tb_u


def test_only_top_bottom_rises_does_not_hold():
    out = symmetry_rise_difference(*_bank(0.0, 0.3), n_boot=200,
                                   generator=torch.Generator().manual_seed(1))
    assert out["rise_lr"] == pytest.approx(0, abs=1e-7)
    assert out["rise_tb"] == pytest.approx(0.3, abs=1e-7)
    # every filter has d = −0.3, so every replicate is −0.3
    assert out["difference"] == pytest.approx(-0.3, abs=1e-7)
    assert out["low"] == pytest.approx(-0.3, abs=1e-7) and out["high"] == pytest.approx(-0.3,
                                                                                        abs=1e-7)
    assert not out["holds"]


def test_only_left_right_rises_a_lot_holds():
    g = torch.Generator().manual_seed(2)
    noise = 0.05 * torch.randn(32, generator=g)
    lr_t, lr_u, tb_t, tb_u = _bank(0.5, 0.0)
    out = symmetry_rise_difference(lr_t + noise, lr_u, tb_t, tb_u, n_boot=300,
                                   generator=torch.Generator().manual_seed(3))
    assert out["difference"] == pytest.approx(0.5 + float(noise.double().mean()), abs=1e-6)
    assert out["holds"] and out["low"] > 0.4


def test_equal_rises_do_not_hold():
    out = symmetry_rise_difference(*_bank(0.2, 0.2), n_boot=100,
                                   generator=torch.Generator().manual_seed(4))
    assert out["difference"] == pytest.approx(0, abs=1e-6) and not out["holds"]
    # equal mean rises with filter-to-filter scatter: the interval straddles 0
    d = torch.tensor([0.1, -0.1] * 16)
    lr_t, lr_u, tb_t, tb_u = _bank(0.2, 0.2)
    out = symmetry_rise_difference(lr_t + d, lr_u, tb_t, tb_u, n_boot=400,
                                   generator=torch.Generator().manual_seed(5))
    assert out["low"] < 0 < out["high"] and not out["holds"]


def test_bootstrap_interval_equals_a_plain_loop():
    g = torch.Generator().manual_seed(6)
    n, n_boot = 20, 250
    lr_t, lr_u, tb_t, tb_u = (torch.randn(n, generator=g).double() for _ in range(4))
    out = symmetry_rise_difference(lr_t, lr_u, tb_t, tb_u, n_boot=n_boot,
                                   generator=torch.Generator().manual_seed(7), level=0.9)
    # the documented draw, then means, sorting and interpolation by hand
    indices = torch.randint(n, (n_boot, n), generator=torch.Generator().manual_seed(7))
    d = [float((lr_t[i] - lr_u[i]) - (tb_t[i] - tb_u[i])) for i in range(n)]
    replicates = sorted(sum(d[int(i)] for i in row) / n for row in indices)

    def quantile(alpha):
        h = (n_boot - 1) * alpha
        j = math.floor(h)
        return replicates[j] + (h - j) * (replicates[j + 1] - replicates[j])

    assert out["low"] == pytest.approx(quantile(0.05), abs=1e-12)
    assert out["high"] == pytest.approx(quantile(0.95), abs=1e-12)
    assert out["difference"] == pytest.approx(sum(d) / n, abs=1e-12)
    assert out["holds"] == (quantile(0.05) > 0)


def test_bootstrap_is_deterministic_under_the_generator():
    bank = _bank(0.1, 0.05, seed=8)
    bank = (bank[0] + 0.1 * torch.randn(32, generator=torch.Generator().manual_seed(9)),
            *bank[1:])
    a = symmetry_rise_difference(*bank, n_boot=50, generator=torch.Generator().manual_seed(10))
    b = symmetry_rise_difference(*bank, n_boot=50, generator=torch.Generator().manual_seed(10))
    c = symmetry_rise_difference(*bank, n_boot=50, generator=torch.Generator().manual_seed(11))
    assert a == b and (a["low"], a["high"]) != (c["low"], c["high"])


def test_symmetry_rise_difference_refuses_bad_input():
    bank = _bank(0.1, 0.0)
    g = torch.Generator()
    with pytest.raises(ValueError, match="one value per filter"):
        symmetry_rise_difference(bank[0][:5], *bank[1:], n_boot=10, generator=g)
    with pytest.raises(ValueError, match="n_boot"):
        symmetry_rise_difference(*bank, n_boot=1, generator=g)
    with pytest.raises(ValueError, match="level"):
        symmetry_rise_difference(*bank, n_boot=10, generator=g, level=1.5)
    with pytest.raises(ValueError, match="NaN"):
        symmetry_rise_difference(bank[0] * np.nan, *bank[1:], n_boot=10, generator=g)
    with pytest.raises(ValueError, match="1-D"):
        symmetry_rise_difference(bank[0][None], *bank[1:], n_boot=10, generator=g)
    with pytest.raises(ValueError, match="generator"):
        symmetry_rise_difference(*bank, n_boot=10, generator=np.random.default_rng(0))


# ---------------------------------------------------------------- beyond the spread over seeds


def test_beyond_spread_by_hand():
    # means 2 and 6, sample variances 1 and 4, n = 3: se = √(1/3 + 4/3) = √(5/3) ≈ 1.291
    out = beyond_spread([1, 2, 3], [4, 6, 8])
    assert out["difference"] == pytest.approx(4.0)
    assert out["se"] == pytest.approx(math.sqrt(5 / 3))
    assert out["holds"]  # 4 > 2.582
    assert not beyond_spread([1, 2, 3], [4, 6, 8], z=4.0)["holds"]  # 4 < 5.164
    assert not beyond_spread([4, 6, 8], [1, 2, 3])["holds"]  # a decrease never holds


def test_beyond_spread_unequal_sizes_and_zero_spread():
    # first: mean 1, variance 0 (n 2); second: mean 3, variance ((−1)² + 0 + 1²)/2 = 1 (n 3)
    out = beyond_spread([1, 1], [2, 3, 4])
    assert out["se"] == pytest.approx(math.sqrt(1 / 3))
    assert out["holds"]  # 2 > 2·0.577
    assert not beyond_spread([0, 0], [0, 0])["holds"]  # 0 > 0 is false
    assert beyond_spread([0, 0], [1, 1])["holds"]  # no spread: any rise counts


def test_beyond_spread_needs_two_replicates_each():
    with pytest.raises(ValueError, match="at least 2 replicates"):
        beyond_spread([1.0], [2.0, 3.0])
    with pytest.raises(ValueError, match="z="):
        beyond_spread([1, 2], [3, 4], z=-1)
    with pytest.raises(ValueError, match="NaN"):
        beyond_spread([1, np.nan], [3, 4])
