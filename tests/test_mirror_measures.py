"""MSVT index, equivariance, invariance and filter symmetry on constructed cases."""

import pytest
import torch

from emergence.analysis.mirror import (
    dissimilarity,
    equivariance,
    filter_symmetry,
    invariance,
    mean_sem,
    moved_positions,
    msvt_index,
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


def test_mean_sem():
    stats = mean_sem(torch.tensor([1.0, 2.0, 3.0, float("nan")]))
    assert stats["mean"] == pytest.approx(2.0) and stats["n"] == 3
    assert stats["sem"] == pytest.approx(1.0 / 3**0.5)
    with pytest.raises(ValueError):
        mean_sem(torch.tensor([float("nan")]))
