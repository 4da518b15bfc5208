"""The renderer and the object families: mirror symmetry of views, controls, errors."""

import pytest
import torch

from emergence.data.mirror_sets import analysis_stimuli, training_set
from emergence.data.objects import FAMILIES, family_objects
from emergence.data.render import Part, match_luminance, part, pixel_grid, render, view_angles


def views_of(family, n=2, seed=0, n_views=9):
    objects, _ = family_objects(family, n, torch.Generator().manual_seed(seed))
    return render(objects, view_angles(n_views))


@pytest.mark.parametrize("family", ["one_plane", "head", "two_plane"])
def test_symmetric_object_view_at_minus_theta_is_the_flip_of_plus_theta(family):
    images = views_of(family)
    assert images.shape == (2, 9, 32, 32)
    assert (images - images.flip(1).flip(-1)).abs().max() < 1e-4
    assert images.std() > 0.05  # not a blank picture


@pytest.mark.parametrize("family", ["asymmetric", "radial"])
def test_objects_without_a_plane_break_the_mirror_relation(family):
    images = views_of(family)
    per_object = (images - images.flip(1).flip(-1)).abs().amax((1, 2, 3))
    assert per_object.min() > 0.1


def test_two_plane_objects_are_also_front_back_symmetric():
    """For x- and z-symmetric objects the left and right profiles are both mirror images of
    each other and each mirror-symmetric."""
    images = views_of("two_plane", n_views=5)
    assert (images[:, 0] - images[:, 0].flip(-1)).abs().max() < 1e-4


def test_two_plane_objects_look_the_same_from_behind_and_are_elongated_like_vehicles():
    """Symmetry in x and in z is a half-turn symmetry about the vertical axis: view(θ + 180°)
    equals view(θ), so view(180° − θ) is the horizontal flip of view(θ). Like cars and boats the
    objects are long front–back: the side view is much wider than the front view."""
    objects, _ = family_objects("two_plane", 4, torch.Generator().manual_seed(3))
    yaws = torch.tensor([0.0, 30.0, 90.0])
    images = render(objects, yaws)
    behind = render(objects, yaws + 180)
    assert (images - behind).abs().max() < 1e-4
    assert (render(objects, 180 - yaws) - images.flip(-1)).abs().max() < 1e-4
    width = ((images - 0.5).abs() > 1e-6).any(-2).sum(-1).float()  # occupied columns
    assert torch.all(width[:, 2] >= 1.8 * width[:, 0])


def test_odd_view_counts_and_yaw_range():
    assert view_angles(9).tolist() == [-90, -67.5, -45, -22.5, 0, 22.5, 45, 67.5, 90]
    for bad in (8, 1, 0, 2.0):
        with pytest.raises(ValueError, match="n_views"):
            view_angles(bad)


def test_pixel_grid_is_exactly_antisymmetric():
    for size in (31, 32, 64):
        grid = pixel_grid(size, 1.0)
        assert torch.equal(grid, -grid.flip(0))


def test_luminance_and_contrast_are_matched_inside_the_mask():
    images = views_of("head", n=1)
    mask = (images - 0.5).abs() > 1e-6
    inside = images[mask]
    assert inside.mean() == pytest.approx(0.45, abs=0.03)
    assert inside.std() == pytest.approx(0.2, abs=0.03)
    x = torch.rand(3, 100)
    m = torch.rand(3, 100) > 0.5
    y = match_luminance(x * 0.1, m, 0.5, 0.1, 0.3)
    assert torch.all(y[~m] == 0.3)
    assert y[0][m[0]].mean() == pytest.approx(0.5, abs=1e-5)


def test_same_seed_same_images_and_a_sphere_is_round():
    assert torch.equal(views_of("one_plane", seed=3), views_of("one_plane", seed=3))
    sphere = render([[part("ellipsoid", [0, 0, 0], [0.5, 0.5, 0.5])]], view_angles(3))
    mask = (sphere - 0.5).abs() > 1e-6
    area = mask.float().sum((-2, -1)) / 32**2  # disk of radius 0.5 in a square of side 2
    assert torch.allclose(area, torch.full_like(area, 3.14159 * 0.25 / 4), atol=0.01)
    assert torch.equal(mask[0, 0], mask[0, 1]) and torch.equal(mask[0, 1], mask[0, 2])


def test_every_primitive_renders():
    objects = [[part(kind, [0, 0, 0], size)] for kind, size in
               [("ellipsoid", [0.5, 0.3, 0.4]), ("box", [0.4, 0.3, 0.2]),
                ("capsule", [0.2, 0.4, 0]), ("torus", [0.5, 0.15, 0])]]
    images = render(objects, view_angles(3))
    coverage = ((images - 0.5).abs() > 1e-6).float().mean((1, 2, 3))
    assert (coverage > 0.03).all()


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="kind"):
        Part("cone", torch.zeros(3), torch.ones(3), torch.eye(3))
    with pytest.raises(ValueError, match="size"):
        render([[part("ellipsoid", [0, 0, 0], [1, 1, 1])]], view_angles(3), size=2)
    with pytest.raises(ValueError, match="family"):
        family_objects("car", 2, torch.Generator())
    with pytest.raises(ValueError, match="yaws"):
        render([[part("ellipsoid", [0, 0, 0], [1, 1, 1])]], torch.zeros(2, 3))
    with pytest.raises(ValueError, match="objects is empty"):
        render([], view_angles(3))
    one = [[part("ellipsoid", [0, 0, 0], [1, 1, 1])]]
    for mean, std in [(1.5, 0.2), (-0.1, 0.2), (0.45, -0.1)]:
        with pytest.raises(ValueError, match="target_mean"):
            render(one, view_angles(3), target_mean=mean, target_std=std)


def test_data_sets_have_the_promised_shapes_and_labels():
    g = torch.Generator().manual_seed(0)
    data = training_set("asymmetric", 2, 2, 3, g, mirror="new_class")
    assert data["images"].shape == (24, 1, 32, 32) and data["n_classes"] == 4
    assert torch.equal(data["images"][12:], data["images"][:12].flip(-1))
    assert torch.equal(data["labels"][12:], data["labels"][:12] + 2)
    same = training_set("asymmetric", 2, 2, 3, torch.Generator().manual_seed(0),
                        mirror="same_class")
    assert torch.equal(same["images"], data["images"]) and same["n_classes"] == 2
    assert torch.equal(same["labels"][12:], same["labels"][:12])
    with pytest.raises(ValueError, match="mirror"):
        training_set("asymmetric", 2, 2, 3, g, mirror="flip")
    stim = analysis_stimuli(1, g, n_views=5)
    assert stim["images"].shape == (len(FAMILIES), 5, 32, 32)
    with pytest.raises(ValueError, match="family"):
        training_set("head", 2, 2, 2, g)


def _mirror_plane_error(objects, step=7.5):
    """Per object, the smallest mean |view(θ) − hflip(view(2ψ − θ))| over vertical planes at
    azimuth ψ on a grid of step/2 degrees: 0 when some vertical plane is a symmetry plane."""
    yaws = torch.arange(0.0, 360.0, step)
    images = render(objects, yaws)
    n = len(yaws)
    errors = [(images - images[:, [(k - j) % n for j in range(n)]].flip(-1)).abs().mean((1, 2, 3))
              for k in range(n)]
    return torch.stack(errors, 1).amin(1)


def test_radial_objects_have_no_vertical_mirror_plane_at_any_azimuth():
    """A stem and leaf alone leave a fruit nearly symmetric about the plane through the stem
    (error ≈ 0.003); the bumps at independent azimuths remove every such plane."""
    g = torch.Generator().manual_seed(0)
    one_plane, _ = family_objects("one_plane", 2, g)
    assert _mirror_plane_error(one_plane).max() < 1e-4
    radial, _ = family_objects("radial", 4, g)
    assert _mirror_plane_error(radial).min() > 0.006
