"""The contour-integration stimuli: path geometry, alignment as the only label cue, rendering."""

import math

import numpy as np
import pytest
import torch

from emergence.data.contours import (
    ContourElements,
    contour_elements,
    contour_images,
    render_elements,
)


def seeded(seed):
    return torch.Generator().manual_seed(seed)


def angle_gap(a, b):
    """Distance between two orientations (mod π), in radians."""
    d = (a - b) % math.pi
    return min(d, math.pi - d)


def test_same_seed_same_images_other_seed_other_images():
    x1, y1 = contour_images(8, seeded(5))
    x2, y2 = contour_images(8, seeded(5))
    x3, _ = contour_images(8, seeded(6))
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    assert not torch.equal(x1, x3)
    assert x1.shape == (8, 1, 32, 32) and x1.dtype == torch.float32 and y1.dtype == torch.int64


@pytest.mark.parametrize("n", [10, 11])
def test_exactly_half_of_the_labels_are_paths(n):
    labels = contour_elements(n, seeded(0)).labels
    assert labels.sum().item() == n // 2


def test_path_steps_are_spacing_and_turns_are_plus_minus_path_angle():
    spacing, angle = 4.0, 20.0
    e = contour_elements(40, seeded(1), size=40, n_path=6, spacing=spacing, path_angle=angle)
    assert e.on_path[:, :6].all() and not e.on_path[:, 6:].any()
    signs = set()
    for points in e.centres[:, :6].double().numpy():
        directions = []
        for a, b in zip(points[:-1], points[1:], strict=True):
            assert math.dist(a, b) == pytest.approx(spacing, abs=1e-4)
            directions.append(math.atan2(b[1] - a[1], b[0] - a[0]))
        for d0, d1 in zip(directions[:-1], directions[1:], strict=True):
            turn = (d1 - d0 + math.pi) % (2 * math.pi) - math.pi
            assert abs(turn) == pytest.approx(math.radians(angle), abs=1e-4)
            signs.add(turn > 0)
    assert signs == {True, False}


def test_aligned_path_elements_follow_the_tangent_random_ones_do_not():
    e = contour_elements(300, seeded(2))
    deviations = []
    for points, theta, label in zip(e.centres[:, :5].double().numpy(),
                                    e.orientations[:, :5].double().numpy(), e.labels, strict=True):
        units = [(b - a) / np.linalg.norm(b - a) for a, b in zip(points[:-1], points[1:],
                                                                 strict=True)]
        # the tangent: one segment's direction at the ends, the bisector of two inside
        tangents = [units[0], *[u + w for u, w in zip(units[:-1], units[1:], strict=True)],
                    units[-1]]
        for t, th in zip(tangents, theta, strict=True):
            assert 0 <= th < math.pi
            tangent = math.atan2(t[1], t[0])
            if label == 1:
                assert angle_gap(th, tangent) < 1e-4
            else:
                deviations.append(th - tangent)
    # doubled-angle mean resultant length: 1 for aligned elements, ~0 for uniform orientations
    assert abs(np.exp(2j * np.array(deviations)).mean()) < 0.1
    label0 = e.orientations[e.labels == 0, :5].double()
    assert abs(torch.exp(2j * label0).mean()) < 0.1


def test_orientation_jitter_stays_within_its_range():
    e = contour_elements(100, seeded(3), n_path=2, jitter=10.0)
    points = e.centres[:, :2].double()
    step = points[:, 1] - points[:, 0]
    tangent = torch.atan2(step[:, 1], step[:, 0])
    gaps = [angle_gap(th, t) for th, t, label in zip(e.orientations[:, 0].tolist(),
                                                     tangent.tolist(), e.labels, strict=True)
            if label == 1]
    assert max(gaps) <= math.radians(10.0) + 1e-5 and max(gaps) > math.radians(5.0)


def test_no_density_cue_and_elements_keep_their_distance():
    spacing, size = 4.5, 32
    e = contour_elements(400, seeded(4), size=size, spacing=spacing)
    counts = e.present.sum(1).double()
    assert abs(counts[e.labels == 0].mean() - counts[e.labels == 1].mean()) < 0.5
    assert abs(counts[e.labels == 0].std() - counts[e.labels == 1].std()) < 0.5
    for centres, present in zip(e.centres, e.present, strict=True):
        points = centres[present].double()
        distances = torch.cdist(points, points) + 1e9 * torch.eye(len(points))
        assert distances.min() >= 0.8 * spacing - 1e-6
        assert ((points >= spacing / 2) & (points <= size - spacing / 2)).all()


def single(theta, size=32, centre=(16.0, 16.0)):
    return ContourElements(centres=torch.tensor([[centre]]), orientations=torch.tensor([[theta]]),
                           on_path=torch.tensor([[True]]), present=torch.tensor([[True]]),
                           labels=torch.tensor([1]), size=size)


def test_a_single_element_is_the_gabor_formula_standardised():
    theta, wavelength, sigma, (x0, y0) = 0.7, 4.0, 1.5, (15.2, 17.9)
    image = render_elements(single(theta, centre=(x0, y0)), wavelength=wavelength, sigma=sigma)
    expected = np.zeros((32, 32))
    for i in range(32):
        for j in range(32):
            dx, dy = j + 0.5 - x0, i + 0.5 - y0
            v = -dx * math.sin(theta) + dy * math.cos(theta)
            expected[i, j] = (math.exp(-(dx * dx + dy * dy) / (2 * sigma**2))
                              * math.cos(2 * math.pi * v / wavelength))
    expected = (expected - expected.mean()) / expected.std()
    np.testing.assert_allclose(image[0, 0].numpy(), expected, atol=1e-5)


@pytest.mark.parametrize("theta", [0.0, 0.4, 1.3, 2.5])
def test_a_single_element_has_its_spectral_peak_across_its_stripes(theta):
    """Stripes running along θ vary across it: the carrier frequency points along θ + π/2."""
    image = render_elements(single(theta))[0, 0].double()
    power = torch.fft.fft2(image).abs() ** 2
    f = torch.fft.fftfreq(32, dtype=torch.float64)
    fy, fx = torch.meshgrid(f, f, indexing="ij")
    doubled = (power * torch.exp(2j * torch.atan2(fy, fx))).sum()
    direction = (torch.angle(doubled).item() / 2) % math.pi
    assert angle_gap(direction, theta + math.pi / 2) < math.radians(3)


def test_images_are_standardised_and_labels_share_their_power_spectrum():
    x, y = contour_images(400, seeded(7))
    assert torch.allclose(x.mean((1, 2, 3)), torch.zeros(400), atol=1e-5)
    assert torch.allclose(x.std((1, 2, 3), correction=0), torch.ones(400), atol=1e-5)
    power = torch.fft.fft2(x[:, 0].double()).abs() ** 2
    mean0, mean1 = power[y == 0].mean(0), power[y == 1].mean(0)
    assert ((mean0 - mean1).abs().sum() / (mean0 + mean1).sum() * 2) < 0.1


@pytest.mark.parametrize("kw, match", [
    ({"n_path": 1}, "n_path"),
    ({"spacing": 0.0}, "spacing"),
    ({"spacing": -1.0}, "spacing"),
    ({"path_angle": 180.0}, "path_angle"),
    ({"jitter": -1.0}, "jitter"),
    ({"n_path": 12, "size": 20}, "does not fit"),
    ({"wavelength": 0.0}, "wavelength"),
    ({"sigma": -1.0}, "sigma"),
    ({"size": 0}, "size"),
])
def test_bad_parameters_are_refused(kw, match):
    with pytest.raises(ValueError, match=match):
        contour_images(4, seeded(0), **kw)
