"""MSVT index, equivariance, invariance and filter symmetry on constructed cases."""

import math

import pytest
import torch

from emergence.analysis.mirror import (
    analysis_mask,
    dissimilarity,
    equivariance,
    filter_symmetry,
    invariance,
    mean_sem,
    median_mean,
    moved_positions,
    msvt_index,
    pooled_index,
    pooled_indices,
    pooled_responses,
    transform,
)


def test_perfect_mirror_tuning_gives_one(generator):
    objects, views, units = 6, 9, 40
    half = torch.randn(objects, views // 2 + 1, units, generator=generator)
    responses = torch.cat([half, half[:, :-1].flip(1)], 1)  # r(θ) = r(−θ)
    assert torch.equal(responses[:, 0], responses[:, -1])
    assert torch.allclose(msvt_index(responses), torch.ones(objects), atol=1e-6)


def test_view_specific_tuning_gives_a_negative_index(generator):
    responses = torch.randn(8, 9, 5000, generator=generator)  # each view its own pattern
    index = msvt_index(responses)
    # D ≈ 1 − identity: its zeros (diagonal) meet the zeros of D_flip (anti-diagonal) nowhere
    # once the centre column is gone: 8 zeros among 72 entries in each → ρ = −1/8
    assert (index < 0).all()
    assert index.mean() == pytest.approx(-1 / 8, abs=0.03)


def test_smoothly_view_tuned_units_give_a_negative_index(generator):
    """Units tuned to one yaw each (Gaussian tuning): neighbours alike, mirrors not."""
    yaws = torch.linspace(-90, 90, 9)
    preferred = torch.linspace(-120, 120, 60)
    tuning = torch.exp(-(yaws[:, None] - preferred[None]) ** 2 / (2 * 25.0**2))
    responses = tuning[None].repeat(3, 1, 1) + 0.01 * torch.randn(3, 9, 60, generator=generator)
    assert (msvt_index(responses) < -0.3).all()


def test_view_invariant_responses_give_a_low_index(generator):
    """Noisy view-invariant responses: D is flat off the diagonal, so the index is low (its
    zero diagonal alone pulls it slightly below 0), far from mirror tuning."""
    pattern = torch.randn(30, 1, 300, generator=generator)
    responses = pattern + 0.5 * torch.randn(30, 9, 300, generator=generator)
    assert -0.2 < msvt_index(responses).mean() < 0.05


def test_units_may_have_any_shape_and_scale(generator):
    r = torch.randn(4, 9, 3, 5, 5, generator=generator)
    scaled = r * torch.rand(1, 1, 3, 5, 5, generator=generator) * 10 + 3
    assert torch.allclose(msvt_index(r), msvt_index(scaled), atol=1e-5)


def test_wrong_view_count_or_constant_layer_raise_clear_errors(generator):
    with pytest.raises(ValueError, match="odd"):
        msvt_index(torch.randn(3, 8, 10, generator=generator))
    with pytest.raises(ValueError, match="odd"):
        msvt_index(torch.randn(3, 1, 10, generator=generator))
    with pytest.raises(ValueError, match="constant"):
        msvt_index(torch.ones(3, 9, 10))
    with pytest.raises(ValueError, match="shape"):
        msvt_index(torch.randn(9, 10, generator=generator))


def test_constant_units_are_dropped(generator):
    r = torch.randn(4, 9, 20, generator=generator)
    padded = torch.cat([r, torch.full((4, 9, 5), 7.0)], -1)
    assert torch.allclose(msvt_index(r), msvt_index(padded), atol=1e-6)


def test_dissimilarity_is_one_minus_pearson(generator):
    r = torch.randn(5, 30, generator=generator)
    expected = 1 - torch.corrcoef(r)
    assert torch.allclose(dissimilarity(r), expected, atol=1e-5)


def test_equivariance_on_constructed_maps(generator):
    x = torch.randn(50, 2, 8, 8, generator=generator)
    for name in ("hflip", "vflip", "rot90"):  # the identity map is equivariant to everything
        assert equivariance(x, transform(x, name), name) == pytest.approx(1.0, abs=1e-5)

    def shift_down(z):  # commutes with a horizontal flip, not with a vertical flip or rotation
        return torch.roll(z, 1, dims=-2)

    hf = equivariance(shift_down(x), shift_down(transform(x, "hflip")), "hflip")
    vf = equivariance(shift_down(x), shift_down(transform(x, "vflip")), "vflip")
    rot = equivariance(shift_down(x), shift_down(transform(x, "rot90")), "rot90")
    assert hf == pytest.approx(1.0, abs=1e-5)
    assert vf < 0.2 and rot < 0.2
    other = torch.randn(50, 2, 8, 8, generator=generator)  # unrelated maps
    assert abs(equivariance(x, other, "hflip")) < 0.1
    values = equivariance(shift_down(x), shift_down(transform(x, "vflip")), "vflip",
                          per_image=True)
    assert values.shape == (50,) and float(values.mean()) == pytest.approx(vf, abs=1e-6)
    pooled, pooled_flipped = x.mean((-2, -1)), transform(x, "hflip").mean((-2, -1))
    assert invariance(pooled, pooled_flipped, per_image=True).shape == (50,)


def test_each_set_is_zscored_on_its_own(generator):
    """As in the authors' code: a per-unit gain and offset between the responses to the images
    and those to the transformed images (the same for every image) does not lower the
    equivariance or invariance; z-scoring both sets together would let it."""
    x = torch.randn(60, 2, 8, 8, generator=generator)
    gain = 0.5 + torch.rand(2, 8, 8, generator=generator)
    offset = 5 * torch.randn(2, 8, 8, generator=generator)
    for name in ("hflip", "vflip", "rot90"):
        moved = transform(gain * x + offset, name)  # T⁻¹ f(Tx) = gain · f(x) + offset
        assert equivariance(x, moved, name) == pytest.approx(1.0, abs=1e-5)
    pooled = x.mean((-2, -1))
    assert invariance(pooled, 2 * pooled - 3) == pytest.approx(1.0, abs=1e-5)
    # a unit that is constant in one of the two sets is dropped, not divided by zero
    moved = transform(x, "hflip").clone()
    moved[:, 0, 0, 0] = 1.0
    assert equivariance(x, moved, "hflip") == pytest.approx(1.0, abs=1e-5)


def test_invariance_of_pooled_maps(generator):
    x = torch.randn(40, 3, 6, 6, generator=generator)
    pooled, pooled_flipped = x.mean((-2, -1)), transform(x, "hflip").mean((-2, -1))
    assert invariance(pooled, pooled_flipped) == pytest.approx(1.0, abs=1e-5)
    assert invariance(x, transform(x, "hflip")) < 0.2  # the maps themselves are not invariant


def test_transforms_and_fixed_positions():
    x = torch.arange(9.0).reshape(3, 3)
    assert torch.equal(transform(transform(x, "rot90"), "rot90", inverse=True), x)
    moved = moved_positions(3, 5, "hflip")
    assert not moved[:, 2].any() and moved[:, [0, 1, 3, 4]].all()
    assert moved_positions(4, 4, "hflip").all()
    assert moved_positions(3, 3, "rot90").sum() == 8
    # the authors' mask: the middle column / row / pixel (index n // 2), on odd and even maps
    for h in (3, 4):
        assert analysis_mask(h, h, "hflip").tolist() == [[j != h // 2 for j in range(h)]] * h
        assert torch.equal(analysis_mask(h, h, "vflip"), analysis_mask(h, h, "hflip").T)
        rot = analysis_mask(h, h, "rot90")
        assert rot.sum() == h * h - 1 and not rot[h // 2, h // 2]
    assert torch.equal(analysis_mask(3, 5, "hflip"), moved_positions(3, 5, "hflip"))
    with pytest.raises(ValueError, match="transform"):
        transform(x, "shear")


def test_filter_symmetry_known_answers(generator):
    w = torch.randn(4, 3, 3, 3, generator=generator)
    symmetric = w + w.flip(-1)
    odd = w - w.flip(-1)
    assert torch.allclose(filter_symmetry(symmetric), torch.ones(4), atol=1e-6)
    assert torch.allclose(filter_symmetry(odd), -torch.ones(4), atol=1e-6)
    assert abs(filter_symmetry(torch.randn(500, 32, 3, 3, generator=generator)).mean()) < 0.02
    with pytest.raises(ValueError, match="weight"):
        filter_symmetry(torch.randn(3, 3))


def test_filter_symmetry_has_no_bias_and_ignores_a_gain_between_the_sides(generator):
    """The authors' definition (each side centred on its own mean): random one-channel 3×3
    filters average 0 (correlating [left, right] with [right, left] under one shared mean
    would average −1/(2n−1) = −0.2 for n = 3 values per side), and a right side equal to 0.3 ×
    the mirrored left side is a perfect correlation, 1 (the shared-mean form gives ≈ 0.55)."""
    random = torch.randn(20000, 1, 3, 3, generator=generator)
    assert abs(float(filter_symmetry(random).mean())) < 0.01
    scaled = random[:50].clone()
    scaled[..., 2] = 0.3 * scaled[..., 0]
    assert torch.allclose(filter_symmetry(scaled), torch.ones(50), atol=1e-5)
def test_mean_sem():
    stats = mean_sem(torch.tensor([1.0, 2.0, 3.0, float("nan")]))
    assert stats["mean"] == pytest.approx(2.0) and stats["n"] == 3
    assert stats["sem"] == pytest.approx(1.0 / 3**0.5)
    with pytest.raises(ValueError):
        mean_sem(torch.tensor([float("nan")]))


# --- known answers written as literals -------------------------------------------------------

def three_view_index(d_near_left: float, d_near_right: float) -> float:
    """The MSVT index of one object seen at three views (−θ, 0, +θ) when the two profile views
    are uncorrelated, D(−θ, +θ) = 1, worked out by hand from the module docstring.

    With x = D(−θ, 0) and y = D(0, +θ), the two non-central columns of D, read row by row, are
    a = (0, 1, x, y, 1, 0); those of D_flip are b = (1, 0, y, x, 0, 1). Both sum to 2 + x + y,
    so ρ(a, b) = (Σab − (2+x+y)²/6) / (Σa² − (2+x+y)²/6) with Σab = 2xy, Σa² = 2 + x² + y².
    """
    x, y = d_near_left, d_near_right
    square_of_sum = (2 + x + y) ** 2 / 6
    return (2 * x * y - square_of_sum) / (2 + x * x + y * y - square_of_sum)


# three views (rows: −θ, 0, +θ) of four units; every unit takes the values −1, 0, 1, so it is
# already z-scored (mean 0, standard deviation 1) and every row sums to 0
M = torch.tensor([[1.0, -1.0, 0.0, 0.0],
                  [-1.0, 1.0, 1.0, -1.0],
                  [0.0, 0.0, -1.0, 1.0]])


def test_msvt_index_of_mirror_symmetric_and_antisymmetric_literals():
    """r(θ) = r(−θ) gives exactly 1; r(θ) = −r(−θ) gives exactly −1 (then r(0) = 0, every
    unit has mean 0, and D_flip = 2 − D entry by entry). One object, 5 views × 3 units."""
    symmetric = torch.tensor([[[1.0, 2.0, 0.0], [3.0, -1.0, 2.0], [0.5, 0.0, 5.0],
                               [3.0, -1.0, 2.0], [1.0, 2.0, 0.0]]])
    antisymmetric = torch.tensor([[[1.0, 2.0, 0.0], [3.0, -1.0, 2.0], [0.0, 0.0, 0.0],
                                   [-3.0, 1.0, -2.0], [-1.0, -2.0, 0.0]]])
    assert float(msvt_index(symmetric)) == pytest.approx(1.0, abs=1e-6)
    assert float(msvt_index(antisymmetric)) == pytest.approx(-1.0, abs=1e-6)


def test_msvt_index_of_a_hand_worked_three_view_example():
    """The rows of M have zero mean and squared norms 2, 4, 2, so ρ(−θ, 0) = −2/√8 = −1/√2,
    ρ(−θ, +θ) = 0 and ρ(0, +θ) = −2/√8 = −1/√2: x = y = 1 + 1/√2 and the index is
    (2x² − 2x − 1)/(2x² − 2x + 2) = √2/(3 + √2) = (3√2 − 2)/7 ≈ 0.3204. A gain and an offset
    per unit are removed by the z-scoring and change nothing."""
    s = 2 ** -0.5
    assert three_view_index(1 + s, 1 + s) == pytest.approx((3 * 2**0.5 - 2) / 7, abs=1e-12)
    gain = torch.tensor([2.0, 0.5, 3.0, 1.0])
    offset = torch.tensor([10.0, -1.0, 0.0, 4.0])
    index = msvt_index((gain * M + offset)[None])
    assert float(index) == pytest.approx((3 * 2**0.5 - 2) / 7, abs=1e-6)


def test_msvt_zscores_each_unit_over_all_objects_together():
    """Object B is object A (= M) with units 3 and 4 seven times larger. Over the six stimuli
    units 1–2 have variance 4/5 and units 3–4 variance (2 + 2·49)/5 = 20 = 25 · 4/5, so after
    the z-scoring A's units 3–4 are 1/5 of units 1–2 and B's are 7/5 of them.
    A: rows (1, −1, 0, 0), (−1, 1, ⅕, −⅕), (0, 0, −⅕, ⅕) → ρ(−θ, 0) = −2/√(2 · 2.08) = −5/√26,
    ρ(0, +θ) = −0.08/√(2.08 · 0.08) = −1/√26, ρ(−θ, +θ) = 0.
    B: rows (1, −1, 0, 0), (−1, 1, 1.4, −1.4), (0, 0, −1.4, 1.4) → ρ(−θ, 0) = −2/√11.84 =
    −5/√74, ρ(0, +θ) = −3.92/√(5.92 · 3.92) = −7/√74. Z-scoring each object on its own would
    give both the index of M, (3√2 − 2)/7."""
    b = M * torch.tensor([1.0, 1.0, 7.0, 7.0])
    index = msvt_index(torch.stack([M, b]))
    expected_a = three_view_index(1 + 5 / 26**0.5, 1 + 1 / 26**0.5)
    expected_b = three_view_index(1 + 5 / 74**0.5, 1 + 7 / 74**0.5)
    assert index.tolist() == pytest.approx([expected_a, expected_b], abs=1e-6)
    assert abs(expected_a - (3 * 2**0.5 - 2) / 7) > 0.2  # the test tells the two apart


def test_dissimilarity_literals():
    """D = 1 − ρ across units: a row against itself or a positive multiple plus a constant → 0,
    against its reverse (here its negative after centring) → 2, against an orthogonal centred
    row → 1."""
    rows = torch.tensor([[1.0, 2.0, 3.0, 4.0], [5.0, 7.0, 9.0, 11.0], [4.0, 3.0, 2.0, 1.0],
                         [1.0, -1.0, -1.0, 1.0]])
    expected = torch.tensor([[0.0, 0.0, 2.0, 1.0], [0.0, 0.0, 2.0, 1.0], [2.0, 2.0, 0.0, 1.0],
                             [1.0, 1.0, 1.0, 0.0]])
    assert torch.allclose(dissimilarity(rows), expected, atol=1e-6)


def test_transforms_literals():
    """hflip reverses the columns, vflip the rows, rot90 turns counter-clockwise (the top-right
    entry goes to the top left) and its inverse clockwise."""
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert transform(x, "hflip").tolist() == [[2.0, 1.0], [4.0, 3.0]]
    assert transform(x, "vflip").tolist() == [[3.0, 4.0], [1.0, 2.0]]
    assert transform(x, "rot90").tolist() == [[2.0, 4.0], [1.0, 3.0]]
    assert transform(x, "rot90", inverse=True).tolist() == [[3.0, 1.0], [4.0, 2.0]]


# three images, one channel, 1 × 5 maps. The moved positions 0, 1, 3, 4 of f hold M's columns
# (each unit already z-scored); the central position 2, which hflip keeps in place and the
# measure must ignore, holds values that would change every answer below.
F_MAPS = torch.tensor([[1.0, -1.0, 5.0, 0.0, 0.0],
                       [-1.0, 1.0, -2.0, 1.0, -1.0],
                       [0.0, 0.0, 7.0, -1.0, 1.0]])[:, None, None]
# T⁻¹ f(Tx) at the moved positions: M with units 3 and 4 swapped
BACK = torch.tensor([[1.0, -1.0, -3.0, 0.0, 0.0],
                     [-1.0, 1.0, 4.0, -1.0, 1.0],
                     [0.0, 0.0, 0.0, 1.0, -1.0]])[:, None, None]


def test_equivariance_leaves_its_inputs_alone_and_skips_constant_units(generator):
    """Double-precision maps are z-scored on a copy (the caller's tensors are unchanged), and a
    unit constant over the images is left out instead of dividing by its zero spread."""
    x = torch.randn(40, 2, 6, 6, generator=generator, dtype=torch.float64)
    moved = transform(x, "hflip").clone()
    x[:, 0, 0, 1] = 3.0  # one constant unit (off the middle column the hflip mask drops)
    before = (x.clone(), moved.clone())
    value = equivariance(x, moved, "hflip")
    y = torch.randn(40, 2, 6, 6, generator=generator, dtype=torch.float64)
    y_before = y.clone()
    same = invariance(y, y.clone())  # flattened without a mask: views of the caller's maps
    assert torch.equal(x, before[0]) and torch.equal(moved, before[1])
    assert torch.equal(y, y_before)
    assert math.isfinite(value) and value > 0.9 and same == pytest.approx(1.0)


def test_equivariance_of_a_hand_built_case():
    """Per image, the moved units of f and of T⁻¹ f(Tx) are (1, −1, 0, 0) and (1, −1, 0, 0),
    (−1, 1, 1, −1) and (−1, 1, −1, 1), (0, 0, −1, 1) and (0, 0, 1, −1): correlations 1, 0, −1
    (mean 0). f(Tx) itself is BACK mirrored, written out as a literal."""
    f_t = torch.tensor([[0.0, 0.0, -3.0, -1.0, 1.0],
                        [1.0, -1.0, 4.0, 1.0, -1.0],
                        [-1.0, 1.0, 0.0, 0.0, 0.0]])[:, None, None]
    assert torch.equal(f_t, BACK.flip(-1))
    values = equivariance(F_MAPS, f_t, "hflip", per_image=True)
    assert values.tolist() == pytest.approx([1.0, 0.0, -1.0], abs=1e-6)
    assert equivariance(F_MAPS, f_t, "hflip") == pytest.approx(0.0, abs=1e-6)
    # the same maps laid out vertically, for a vertical flip
    assert equivariance(F_MAPS.transpose(-1, -2), f_t.transpose(-1, -2), "vflip",
                        per_image=True).tolist() == pytest.approx([1.0, 0.0, -1.0], abs=1e-6)


def test_equivariance_is_minus_one_for_a_sign_flipping_map(generator):
    """If T⁻¹ f(Tx) = −f(x) the measure is exactly −1 for every image. f(Tx) is built with
    torch's own flips and a counter-clockwise torch.rot90, so this also pins the direction in
    which the measure turns the maps back."""
    x = torch.randn(30, 3, 5, 5, generator=generator)
    built = {"hflip": -x.flip(-1), "vflip": -x.flip(-2), "rot90": -torch.rot90(x, 1, (-2, -1))}
    for name, f_t in built.items():
        values = equivariance(x, f_t, name, per_image=True)
        assert torch.allclose(values, -torch.ones(30), atol=1e-5), name


def test_invariance_of_a_hand_built_case():
    """Invariance correlates every unit (nothing is excluded): with f = M and f(Tx) = M with
    units 3 and 4 swapped the per-image values are 1, 0, −1; f(Tx) = −f gives −1."""
    swapped = M[:, [0, 1, 3, 2]]
    assert invariance(M, swapped, per_image=True).tolist() == pytest.approx([1.0, 0.0, -1.0],
                                                                          abs=1e-6)
    assert invariance(M, -M) == pytest.approx(-1.0, abs=1e-6)


def test_filter_symmetry_hand_worked_values():
    """3×3: left column a = (3, 1, 0), mirrored right column b = (0, 2, 0); a − 4/3 = (5, −1,
    −4)/3, b − 2/3 = (−2, 4, −2)/3: ρ = −6 / √(42 · 24) = −1/(2√7), whatever the centre column
    holds. A left-right symmetric filter gives 1; each filter gets its own value. 2×2:
    a = (1, 3), b = (2, 4): ρ = 1. The columns of all input channels are pooled into one
    correlation: channels (1, 2) and (3, 0) give a = (1, 3), b = (2, 0): ρ = −1."""
    w = torch.tensor([[3.0, 7.0, 0.0], [1.0, -4.0, 2.0], [0.0, 9.0, 0.0]])
    other_centre = w.clone()
    other_centre[:, 1] = torch.tensor([-5.0, 0.0, 11.0])
    symmetric = torch.tensor([[1.0, 5.0, 1.0], [2.0, 0.0, 2.0], [4.0, -3.0, 4.0]])
    filters = torch.stack([w, other_centre, symmetric])[:, None]  # (3 filters, 1 channel, 3, 3)
    expected = -1 / (2 * 7 ** 0.5)
    assert filter_symmetry(filters).tolist() == pytest.approx([expected, expected, 1.0],
                                                              abs=1e-6)
    assert float(filter_symmetry(torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]]))) == pytest.approx(
        1.0, abs=1e-6)
    channels = torch.tensor([[[[1.0, 2.0]], [[3.0, 0.0]]]])  # (1 filter, 2 channels, 1, 2)
    assert float(filter_symmetry(channels)) == pytest.approx(-1.0, abs=1e-6)


def test_equivariance_leaves_out_the_authors_middle_column_row_or_pixel(generator):
    """On even-sized (4×4) maps no position maps onto itself, but the authors' mask still drops
    column 2 (hflip), row 2 (vflip) or pixel (2, 2) (rot90): maps that are exactly equivariant
    everywhere else score 1 whatever those positions hold."""
    x = torch.randn(40, 2, 4, 4, generator=generator)
    noise = torch.randn(40, 2, 4, generator=generator)
    for name, where in (("hflip", (..., slice(None), 2)), ("vflip", (..., 2, slice(None))),
                        ("rot90", (..., 2, 2))):
        back = x.clone()
        back[where] = noise if name != "rot90" else noise[..., 0]
        moved = transform(back, name)  # T⁻¹ f(Tx) = back
        assert equivariance(x, moved, name) == pytest.approx(1.0, abs=1e-5), name
        assert equivariance(x, transform(x + 0.0, name), name) == pytest.approx(1.0, abs=1e-5)


def test_median_mean_of_per_image_values():
    """The authors summarise per-image values by their median (figureS7.py); the mean beside
    it: (0, 0, 3) → median 0, mean 1."""
    summary = median_mean(torch.tensor([0.0, 3.0, 0.0]))
    assert summary["median"] == 0.0 and summary["mean"] == pytest.approx(1.0)
    assert summary["n"] == 3


def test_pooling_zscores_first_then_averages_a_hand_worked_map():
    """Three stimuli, one channel, a 1×2 map: unit a = (0, 1, 2) has z = (−1, 0, 1); unit
    b = (0, 3, 0) has mean 1 and SD √3, z = (−1, 2, −1)/√3. Pooled (the authors' order):
    (z_a + z_b) / 2. Averaging first gives (0, 2, 1), which is not an affine function of it,
    so the order matters."""
    maps = torch.tensor([[0.0, 0.0], [1.0, 3.0], [2.0, 0.0]])[:, None, None, :]
    za = torch.tensor([-1.0, 0.0, 1.0])
    zb = torch.tensor([-1.0, 2.0, -1.0]) / 3 ** 0.5
    pooled = pooled_responses(maps, 1)
    assert pooled.shape == (3, 2)
    assert torch.allclose(pooled.float(), torch.stack([za, zb], 1), atol=1e-6)
    gap = pooled_responses(torch.cat([maps, maps], -2), 2)  # a 2×2 map, window 2: one unit
    assert torch.allclose(gap[:, 0].float(), (za + zb) / 2, atol=1e-6)
    raw = torch.tensor([0.0, 2.0, 1.0])
    raw_z = (raw - raw.mean()) / raw.std()
    assert not torch.allclose(gap[:, 0].float(), raw_z, atol=0.1)
    # a constant unit is left out of its windows' means (the authors' omitnan)
    with_constant = torch.cat([maps, torch.full((3, 1, 1, 2), 7.0)], -2)
    assert torch.allclose(pooled_responses(with_constant, 2)[:, 0].float(), (za + zb) / 2,
                          atol=1e-6)
    with pytest.raises(ValueError, match="window"):
        pooled_responses(maps, 3)


def test_pooling_an_equivariant_map_gives_mirror_tuning_at_full_pooling(generator):
    """Maps of a symmetric object's views are equivariant: map(−θ) = hflip(map(+θ)), and the
    frontal view's map is its own mirror image. Pooled over the whole map, mirror views give
    identical vectors and the index is 1; the unpooled maps are far from it."""
    objects, views, c, size = 5, 9, 6, 6
    half = torch.randn(objects, views // 2, c, size, size, generator=generator)
    front = torch.randn(objects, 1, c, size, size, generator=generator)
    front = front + front.flip(-1)
    maps = torch.cat([half.flip(-1).flip(1), front, half], 1)  # views −θ … +θ
    assert torch.equal(maps.flip(1), maps.flip(-1))
    full = pooled_index(maps, size)
    assert torch.allclose(full, torch.ones(objects), atol=1e-5)
    by_window = [float(pooled_index(maps, k).mean()) for k in range(1, size + 1)]
    assert by_window[0] < 0.5 and by_window[-1] == pytest.approx(1.0, abs=1e-5)
    at_once = pooled_indices(maps, range(1, size + 1))  # the maps z-scored once for all windows
    assert [float(v.mean()) for v in at_once.values()] == by_window


def test_filter_symmetry_does_not_depend_on_the_scale_of_the_filter(generator):
    """Weight decay shrinks batch-normalised filters to tiny norms; the correlation must not
    change with the scale (a fixed floor on the product of the norms would pull it to 0)."""
    w = torch.randn(20, 3, 3, 3, generator=generator)
    assert torch.allclose(filter_symmetry(1e-7 * w), filter_symmetry(w), atol=1e-5)
    assert torch.equal(filter_symmetry(torch.zeros(2, 1, 3, 3)), torch.zeros(2))


def test_equivariance_is_the_per_image_correlation_over_the_kept_positions(generator):
    """Against a direct computation: z-score every unit of each set, keep the positions of the
    authors' mask and the units that vary in both sets, correlate per image."""
    x = torch.randn(30, 3, 6, 6, generator=generator)
    moved = transform(torch.roll(x, 1, dims=-1) + 0.5 * torch.randn(x.shape, generator=generator),
                      "hflip")
    moved[:, 1, 2, 4] = 7.0  # constant over the images in the second set: dropped
    for name in ("hflip", "vflip", "rot90"):
        back = transform(moved if name == "hflip" else transform(x, name), name, inverse=True)
        mask = analysis_mask(6, 6, name)
        a, b = x[..., mask].flatten(1).double(), back[..., mask].flatten(1).double()
        keep = (a.std(0) > 1e-8) & (b.std(0) > 1e-8)
        a, b = a[:, keep], b[:, keep]
        a, b = (a - a.mean(0)) / a.std(0), (b - b.mean(0)) / b.std(0)
        expected = torch.stack([torch.corrcoef(torch.stack(pair))[0, 1]
                                for pair in zip(a, b, strict=True)])
        got = equivariance(x, moved if name == "hflip" else transform(x, name), name,
                           per_image=True)
        assert torch.allclose(got.double(), expected, atol=1e-5)
        if name != "hflip":  # the identity map: equivariant to everything
            assert torch.allclose(got, torch.ones(30), atol=1e-5)
