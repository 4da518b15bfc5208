"""The renderer and the object families: mirror symmetry of views, controls, errors."""

import math

import pytest
import torch

from emergence.data import mirror_sets
from emergence.data.mirror_sets import analysis_stimuli, training_set
from emergence.data.objects import FAMILIES, _jitter, family_objects
from emergence.data.render import (
    MIRROR_X,
    MIRROR_Z,
    REACH,
    SDFS,
    Part,
    Scene,
    _local_rays,
    _ray_spans,
    match_luminance,
    part,
    pixel_grid,
    render,
    rotation,
    sdf_box,
    sdf_capsule,
    sdf_ellipsoid,
    sdf_torus,
    view_angles,
)


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


# --- known answers pinned independently of the renderer --------------------------------------

def pixel_centres(size=32, extent=1.0):
    """(u, w) of every pixel centre, written out: u grows to the right along a row, w grows
    upwards (row 0 is the top), both spanning [−extent, extent] in steps of 2·extent/size."""
    centre = (torch.arange(size, dtype=torch.float64) - (size - 1) / 2) * (2 * extent / size)
    return centre[None, :].expand(size, size), -centre[:, None].expand(size, size)


def test_pixel_grid_literals():
    """Pixel centres of a grid of ``size`` pixels over [−extent, extent]."""
    assert pixel_grid(4, 1.0).tolist() == pytest.approx([-0.75, -0.25, 0.25, 0.75])
    assert pixel_grid(3, 2.0).tolist() == pytest.approx([-4 / 3, 0.0, 4 / 3])


def test_a_feature_moves_as_the_documented_camera_convention_says():
    """A camera point p sees the object at R_y(θ) R_x(φ) p, so an object point q appears at
    p = R_x(φ)ᵀ R_y(θ)ᵀ q: (u, w) = (q_x cos θ − q_z sin θ, q_y) for a pure yaw and
    (q_x, q_y cos φ + q_z sin φ) for a pure pitch. A small ball in front (q = (0, 0, 0.6))
    therefore moves left, to u = −0.3, at yaw +30° and right at −30°, and up to w = +0.3 at
    pitch +30°; a ball on the right (0.6, 0, 0) is at u = 0.6 and at 0.6 cos 30° from either
    side; a ball on top (0, 0.5, 0) is in the upper half, at w = 0.5 and 0.5 cos 30° at pitch
    30°. The mask's centroid is compared with these (ball radius 0.2, 3.2 pixels)."""
    balls = [[part("ellipsoid", centre, [0.2, 0.2, 0.2])]
             for centre in ([0, 0, 0.6], [0.6, 0, 0], [0, 0.5, 0])]
    yaws = torch.tensor([0.0, 30.0, -30.0, 0.0])
    pitches = torch.tensor([0.0, 0.0, 0.0, 30.0])
    mask = ((render(balls, yaws, pitches=pitches) - 0.5).abs() > 1e-6).double()
    u, w = pixel_centres()
    area = mask.sum((-2, -1))
    centroid = torch.stack([(mask * u).sum((-2, -1)) / area, (mask * w).sum((-2, -1)) / area], -1)
    c30 = 3**0.5 / 2
    expected = torch.tensor([[[0.0, 0.0], [-0.3, 0.0], [0.3, 0.0], [0.0, 0.3]],
                             [[0.6, 0.0], [0.6 * c30, 0.0], [0.6 * c30, 0.0], [0.6, 0.0]],
                             [[0.0, 0.5], [0.0, 0.5], [0.0, 0.5], [0.0, 0.5 * c30]]],
                            dtype=torch.float64)
    assert (centroid - expected).abs().max() < 0.03


def test_a_lit_sphere_matches_its_closed_form():
    """A sphere of radius R = 0.7 at the origin, from any yaw: the mask is the disk
    u² + w² < R², the normal at (u, w) is (u, w, √(R² − u² − w²))/R in the camera frame and
    the shade 0.25 + 0.75 · max(0, n · l), l = (0, 0.55, 0.85)/|…| (above and in front);
    inside the mask the shades are then set to mean 0.45 and standard deviation 0.2
    (population), the background to 0.5."""
    radius = 0.7
    u, w = pixel_centres()
    disk = u.square() + w.square() < radius**2
    light = torch.tensor([0.0, 0.55, 0.85], dtype=torch.float64)
    light = light / light.norm()
    depth = (radius**2 - u.square() - w.square()).clamp_min(0).sqrt()
    shade = 0.25 + 0.75 * ((u * light[0] + w * light[1] + depth * light[2]) / radius).clamp_min(0)
    inside = shade[disk]
    matched = 0.45 + 0.2 * (shade - inside.mean()) / inside.std(correction=0)
    expected = torch.where(disk, matched, torch.full_like(matched, 0.5)).float()
    images = render([[part("ellipsoid", [0, 0, 0], [radius] * 3)]], torch.tensor([0.0, 40.0]))
    for image in images[0]:
        assert torch.equal((image - 0.5).abs() > 1e-6, disk)
        assert (image - expected).abs().max() < 2e-3


def test_match_luminance_hand_worked_values():
    """Masked pixels 1 and 3: mean 2, population standard deviation 1, so they become
    0.45 ∓ 0.2 = 0.25 and 0.65; unmasked pixels (whatever their value) become the background;
    statistics are per image (last dimension); results are clipped to [0, 1]."""
    image = torch.tensor([[1.0, 3.0, 100.0, -7.0], [2.0, 2.0, 4.0, 4.0]])
    mask = torch.tensor([[True, True, False, False], [True, True, True, True]])
    out = match_luminance(image, mask, 0.45, 0.2, 0.5)
    assert torch.allclose(out, torch.tensor([[0.25, 0.65, 0.5, 0.5], [0.25, 0.25, 0.65, 0.65]]))
    clipped = match_luminance(image, mask, 0.9, 0.5, 0.0)
    assert torch.allclose(clipped, torch.tensor([[0.4, 1.0, 0.0, 0.0], [0.4, 0.4, 1.0, 1.0]]))


def test_primitive_distances_and_their_size_conventions():
    """Exact distances in local coordinates: a sphere of radius 0.5 and an ellipsoid with radii
    (1, 0.5, 0.5) along x; a box of half-extents (0.5, 0.4, 0.3) (rounding 0.03) from outside a
    face and from its centre (depth to the nearest face); a capsule of radius 0.1 around the
    local y axis, half-length 0.4, beside it and beyond its end; a torus with ring radius 0.5
    in the local xz plane and tube radius 0.1."""
    def at(*points):
        return torch.tensor(points)

    assert sdf_ellipsoid(at([1.5, 0, 0], [0, 0, -0.75]), torch.tensor([0.5, 0.5, 0.5])).tolist() \
        == pytest.approx([1.0, 0.25])
    assert sdf_ellipsoid(at([2.0, 0, 0], [0, 1.0, 0]), torch.tensor([1.0, 0.5, 0.5])).tolist() \
        == pytest.approx([1.0, 0.5])
    assert sdf_box(at([1.0, 0, 0], [0, 0, 0], [0, 0.9, 0]),
                   torch.tensor([0.5, 0.4, 0.3])).tolist() == pytest.approx([0.5, -0.3, 0.5])
    assert sdf_capsule(at([0.5, 0, 0], [0, 1.0, 0], [0, 0.3, 0.2]),
                       torch.tensor([0.1, 0.4, 0.0])).tolist() == pytest.approx([0.4, 0.5, 0.1])
    assert sdf_torus(at([0.5, 0, 0], [0, 0, 0], [0, 0.3, 0.5], [0, 0.5, 0]),
                     torch.tensor([0.5, 0.1, 0.0])).tolist() == pytest.approx(
        [-0.1, 0.4, 0.2, 0.5 * 2**0.5 - 0.1])


def test_smooth_union_of_two_parts():
    """d = −k log Σ exp(−d_i/k), k = 0.03: midway between two spheres of radius 0.5 at x = ±1
    (d₁ = d₂ = 0.5) it is 0.5 − k log 2; inside one, 0.25 deep and 1.75 from the other, it is
    −0.25 (the other term is e^{−2/k} smaller)."""
    scene = Scene([[part("ellipsoid", [1, 0, 0], [0.5] * 3),
                    part("ellipsoid", [-1, 0, 0], [0.5] * 3)]])
    d = scene.sdf(torch.tensor([[[0.0, 0, 0], [1.25, 0, 0]]]))
    assert d[0].tolist() == pytest.approx([0.5 - 0.03 * math.log(2), -0.25], abs=1e-6)


def test_rotation_and_mirrored_part_literals():
    """rotation(yaw, pitch, roll) = R_y R_x R_z: a quarter yaw takes x to −z and z to x, a
    quarter pitch takes y to z, a quarter roll takes x to y, and yaw and pitch together take
    y to x (R_x first). Mirroring a part (x → −x) negates the x of its centre and turns a yaw
    or a roll into its opposite, leaving a pitch alone."""
    q = math.pi / 2
    assert (rotation(q) @ torch.tensor([1.0, 0, 0])).tolist() == pytest.approx([0, 0, -1], abs=1e-6)
    assert (rotation(q) @ torch.tensor([0, 0, 1.0])).tolist() == pytest.approx([1, 0, 0], abs=1e-6)
    assert (rotation(0, q) @ torch.tensor([0, 1.0, 0])).tolist() == pytest.approx([0, 0, 1],
                                                                                  abs=1e-6)
    assert (rotation(0, 0, q) @ torch.tensor([1.0, 0, 0])).tolist() == pytest.approx([0, 1, 0],
                                                                                     abs=1e-6)
    assert (rotation(q, q) @ torch.tensor([0, 1.0, 0])).tolist() == pytest.approx([1, 0, 0],
                                                                                  abs=1e-6)
    p = part("box", [0.3, 0.2, -0.1], [0.1, 0.2, 0.3], rotation(0.4, 0.7, 0.3))
    m = p.mirrored()
    assert m.centre.tolist() == pytest.approx([-0.3, 0.2, -0.1])
    assert torch.allclose(m.rotation, rotation(-0.4, 0.7, -0.3), atol=1e-6)
    assert torch.equal(m.size, p.size)


def test_the_mirror_image_of_any_object_at_minus_yaw_is_the_flipped_view():
    """For an object without any symmetry, its mirror image (every part reflected in x = 0)
    seen at yaw −θ (same pitch) is the horizontal flip of the object seen at θ, because
    M R_y(θ) M = R_y(−θ) and M R_x(φ) M = R_x(φ); the object itself at −θ is not."""
    shape = [part("ellipsoid", [-0.1, 0, 0], [0.35, 0.3, 0.25], rotation(0.7, 0, 0)),
             part("box", [0.3, 0.1, -0.2], [0.25, 0.15, 0.2], rotation(0.5, 0.3, 0.2)),
             part("capsule", [-0.25, 0.3, 0.3], [0.08, 0.25, 0], rotation(0.2, 1.0, -0.4)),
             part("torus", [0.1, -0.35, 0.25], [0.2, 0.05, 0], rotation(-0.6, 0.4, 0.9))]
    mirror_image = [p.mirrored() for p in shape]
    yaws, pitches = torch.tensor([30.0, -70.0, 110.0]), torch.tensor([10.0, -5.0, 20.0])
    views = render([shape, mirror_image], torch.stack([yaws, -yaws]),
                   pitches=torch.stack([pitches, pitches]))
    assert (views[1] - views[0].flip(-1)).abs().max() < 1e-4
    itself = render([shape], -yaws, pitches=pitches)[0]
    assert (itself - views[0].flip(-1)).abs().amax((-2, -1)).min() > 0.1


def _mirror_error(objects, mirror):
    """Per object, the largest |d(Mp) − d(p)| of its signed distance over random points."""
    points = 1.2 * (2 * torch.rand(1, 500, 3, generator=torch.Generator().manual_seed(0)) - 1)
    scene = Scene(objects)
    points = points.expand(len(objects), -1, -1)
    return (scene.sdf(points @ mirror) - scene.sdf(points)).abs().amax(-1)


def test_families_have_exactly_the_symmetry_planes_they_promise():
    """d(Mp) = d(p) for the promised mirrors (x → −x for one-plane, head and two-plane objects,
    z → −z too for two-plane ones), checked on the signed distance itself, not on pictures;
    asymmetric and radial objects have no x = 0 plane and one-plane objects no z = 0 plane."""
    g = torch.Generator().manual_seed(0)
    objects = {name: family_objects(name, 3, g)[0] for name in FAMILIES}
    for name in ("one_plane", "head", "two_plane"):
        assert _mirror_error(objects[name], MIRROR_X).max() < 1e-5, name
    assert _mirror_error(objects["two_plane"], MIRROR_Z).max() < 1e-5
    for name in ("asymmetric", "radial"):
        assert _mirror_error(objects[name], MIRROR_X).min() > 0.02, name
    assert _mirror_error(objects["one_plane"], MIRROR_Z).min() > 0.02


def test_objects_are_normalised_to_the_promised_frame():
    """After normalisation the part centres have mean y = z = 0 and the farthest reach of a
    part (|centre| + its largest size) is 0.95 (x is left alone to keep the plane x = 0)."""
    g = torch.Generator().manual_seed(1)
    for name in FAMILIES:
        for obj in family_objects(name, 3, g)[0]:
            centres = torch.stack([p.centre for p in obj])
            reach = max(float(p.centre.norm() + p.size.amax()) for p in obj)
            assert centres[:, 1:].mean(0).abs().max() < 1e-5, name
            assert reach == pytest.approx(0.95, abs=1e-5), name


def test_jitter_has_the_documented_spread():
    """Centres move by N(0, (0.3·amount)²) per axis and sizes by a factor exp(N(0, amount²)):
    for amount 0.15 over 2000 draws the standard deviations are 0.045 and 0.15 (±5 %)."""
    g = torch.Generator().manual_seed(0)
    spec = dict(kind="box", centre=torch.tensor([0.1, 0.2, 0.3]),
                size=torch.tensor([0.2, 0.3, 0.4]), rotation=torch.eye(3))
    draws = [_jitter(g, spec, 0.15) for _ in range(2000)]
    moved = torch.stack([d["centre"] for d in draws]) - spec["centre"]
    log_scale = torch.stack([d["size"] for d in draws]).log() - spec["size"].log()
    assert moved.mean().abs() < 0.003 and log_scale.mean().abs() < 0.01
    assert float(moved.std()) == pytest.approx(0.045, rel=0.05)
    assert float(log_scale.std()) == pytest.approx(0.15, rel=0.05)


def test_category_labels_are_assigned_round_robin():
    g = torch.Generator().manual_seed(0)
    assert family_objects("asymmetric", 5, g, n_categories=3)[1] == [0, 1, 2, 0, 1]
    assert family_objects("head", 3, g)[1] == [0, 0, 0]


def _recording_render(calls):
    """A stand-in for ``render`` that records its yaws and pitches and returns images whose
    pixels hold the running index of the (object, view) pair."""
    def fake(objects, yaws, *, pitches=None, size=32, **_):
        yaws = torch.as_tensor(yaws, dtype=torch.float32).expand(len(objects), -1)
        calls.append((yaws, pitches))
        code = torch.arange(yaws.numel(), dtype=torch.float32).reshape(yaws.shape)
        return code[..., None, None].expand(-1, -1, size, size).clone()
    return fake


def test_training_views_are_drawn_from_the_promised_ranges(monkeypatch):
    """Yaws uniform in ``yaw_range`` (default the full circle), pitches uniform in
    [−10°, 25°]: 400 draws fill each range to within 3 % of its width at both ends and never
    leave it. Image k shows object k // n_views, of category (k // n_views) // n_exemplars."""
    calls = []
    monkeypatch.setattr(mirror_sets, "render", _recording_render(calls))
    for low, high in [(-180.0, 180.0), (-30.0, 60.0)]:
        training_set("one_plane", 1, 1, 400, torch.Generator().manual_seed(0),
                     yaw_range=(low, high))
        yaws, pitches = calls[-1]
        margin = 0.03 * (high - low)
        assert low <= float(yaws.min()) < low + margin and high - margin < float(yaws.max()) <= high
        assert -10 <= float(pitches.min()) < -9 and 24 < float(pitches.max()) <= 25
    data = training_set("asymmetric", 2, 2, 3, torch.Generator().manual_seed(0))
    assert data["images"][:, 0, 0, 0].tolist() == list(range(12))
    assert data["labels"].tolist() == [0] * 6 + [1] * 6


def test_analysis_stimuli_are_every_family_at_the_analysis_views(monkeypatch):
    """Each family in turn, ``n_per_family`` objects each, all at the views −90°…+90°."""
    calls = []
    fake = _recording_render(calls)

    def per_call(objects, yaws, **kwargs):  # every pixel holds the index of the call
        return torch.full_like(fake(objects, yaws, **kwargs), float(len(calls) - 1))

    monkeypatch.setattr(mirror_sets, "render", per_call)
    stim = analysis_stimuli(2, torch.Generator().manual_seed(0), n_views=5)
    assert stim["yaws"].tolist() == [-90.0, -45.0, 0.0, 45.0, 90.0]
    assert all(yaws[0].tolist() == [-90.0, -45.0, 0.0, 45.0, 90.0] for yaws, _ in calls)
    assert stim["family"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert stim["images"][:, 0, 0, 0].tolist() == [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0]


def test_rays_are_marched_only_through_the_parts_bounding_spheres():
    """_ray_spans on hand-worked rays: a ray along −z passing the centre of a part at distance
    δ spends |t − s| < √(ρ² − δ²) inside its sphere (ρ = the part's reach + margin); the span
    of two parts runs from the first entry to the last exit; a ray that passes every sphere by
    gets an empty span. Every primitive's surface lies inside its reach."""
    parts = [part("ellipsoid", [0.0, 0.0, 0.5], [0.2, 0.3, 0.1]),
             part("torus", [0.0, 0.0, -0.5], [0.3, 0.1, 0.0])]
    scene = Scene([parts])
    origins = torch.tensor([[[0.0, 0.0, 2.0], [0.1, 0.0, 2.0], [0.0, 0.6, 2.0]]])
    directions = torch.tensor([0.0, 0.0, -1.0]).expand(1, 3, 3)
    enter, leave = _ray_spans(_local_rays(scene, origins, directions), torch.full((3,), 0.05))
    ellipsoid, torus = 0.3 + 0.05, 0.4 + 0.05  # reaches: the largest radius; R + r
    assert enter[0] == pytest.approx(2.0 - 0.5 - ellipsoid) and \
        leave[0] == pytest.approx(2.0 + 0.5 + torus)
    assert enter[1] == pytest.approx(1.5 - math.sqrt(ellipsoid**2 - 0.01), abs=1e-6)
    assert enter[2] == math.inf and leave[2] == -math.inf
    for kind, size in [("ellipsoid", [0.2, 0.5, 0.3]), ("box", [0.2, 0.5, 0.3]),
                       ("capsule", [0.2, 0.5, 0.0]), ("torus", [0.4, 0.1, 0.0])]:
        directions = torch.nn.functional.normalize(torch.randn(2000, 3,
                                                               generator=torch.Generator()), dim=1)
        reach = float(REACH[kind](torch.tensor(size)))
        outside = SDFS[kind](directions * (reach + 1e-3), torch.tensor(size))
        assert (outside > 0).all(), kind
