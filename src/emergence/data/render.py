"""Procedural 3D objects from signed-distance primitives, ray-marched in batches with PyTorch.

An object is a set of *parts*, each a primitive in its own local frame, placed by a centre
:math:`c` and a rotation :math:`R` (local coordinates :math:`q = R^\\top (p - c)`). The signed
distances of the primitives (``ellipsoid``, ``box``, ``capsule``, ``torus``) are combined by a
smooth minimum, :math:`d(p) = -k \\log \\sum_i e^{-d_i(p)/k}`, which does not depend on the order
of the parts (so a mirrored pair of parts stays exactly mirrored).

Camera: orthographic, looking along :math:`-z` of its own frame, at yaw :math:`\\theta` about the
vertical axis and pitch :math:`\\varphi`; a camera point :math:`p` sees the object at
:math:`R_y(\\theta) R_x(\\varphi) p`. Light: a fixed direction in the camera's vertical plane
(above and in front). With the mirror :math:`M = \\mathrm{diag}(-1, 1, 1)`,
:math:`M R_y(\\theta) M = R_y(-\\theta)` and :math:`M R_x(\\varphi) M = R_x(\\varphi)`, so an object
with :math:`d(Mp) = d(p)` gives :math:`I_{-\\theta}(u, v) = I_{\\theta}(-u, v)`: the view at
:math:`-\\theta` is the horizontal flip of the view at :math:`+\\theta`. The pixel grid is exactly
antisymmetric and normals are central differences along the camera axes, so this holds to
floating-point precision (tested).

Shading is Lambertian plus ambient light, grayscale in [0, 1] on a grey (0.5) background; the
object's pixels are then matched to a fixed mean and standard deviation (luminance and contrast
matched inside the object mask).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

PRIMITIVES = ("ellipsoid", "box", "capsule", "torus")
MIRROR_X = torch.diag(torch.tensor([-1.0, 1.0, 1.0]))
MIRROR_Z = torch.diag(torch.tensor([1.0, 1.0, -1.0]))


@dataclass(frozen=True)
class Part:
    """One primitive: ``kind`` in :data:`PRIMITIVES`, centre (3,), size (3,), rotation (3, 3).

    ``size`` means: ellipsoid radii (a, b, c); box half-extents; capsule (radius, half-length of
    its axis along local y, unused); torus (ring radius, tube radius, unused), ring in local xz.
    """

    kind: str
    centre: torch.Tensor
    size: torch.Tensor
    rotation: torch.Tensor

    def __post_init__(self):
        if self.kind not in PRIMITIVES:
            raise ValueError(f"kind={self.kind!r} is not a primitive; choose one of {PRIMITIVES}.")

    def mirrored(self, mirror: torch.Tensor = MIRROR_X) -> Part:
        """The part reflected by ``mirror`` (centre Mc, rotation M R M)."""
        return Part(self.kind, mirror @ self.centre, self.size.clone(),
                    mirror @ self.rotation @ mirror)


def rotation(yaw: float = 0.0, pitch: float = 0.0, roll: float = 0.0) -> torch.Tensor:
    """:math:`R_y(\\text{yaw}) R_x(\\text{pitch}) R_z(\\text{roll})`, angles in radians."""
    cy, sy, cx, sx = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
    cz, sz = math.cos(roll), math.sin(roll)
    ry = torch.tensor([[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]])
    rx = torch.tensor([[1.0, 0.0, 0.0], [0.0, cx, -sx], [0.0, sx, cx]])
    rz = torch.tensor([[cz, -sz, 0.0], [sz, cz, 0.0], [0.0, 0.0, 1.0]])
    return ry @ rx @ rz


def part(kind: str, centre: Sequence[float], size: Sequence[float],
         rot: torch.Tensor | None = None) -> Part:
    """Convenience constructor of a :class:`Part` from plain numbers."""
    return Part(kind, torch.as_tensor(centre, dtype=torch.float32),
                torch.as_tensor(size, dtype=torch.float32),
                torch.eye(3) if rot is None else rot.float())


# --- signed distances in local coordinates q (..., 3) ---------------------------------------

def _length(*components: torch.Tensor) -> torch.Tensor:
    """Euclidean length :math:`\\sqrt{\\sum_i c_i^2}` of a vector given by its components: the
    same value as ``torch.stack(components, -1).norm(dim=-1)`` up to rounding, without building
    the stacked tensor (the renderer spends most of its time here)."""
    total = components[0].square()
    for c in components[1:]:
        total = total + c.square()
    return total.sqrt()


def sdf_ellipsoid(q: torch.Tensor, size: torch.Tensor) -> torch.Tensor:
    """Bound of an ellipsoid: :math:`k_0 (k_0 - 1)/k_1`, :math:`k_0=|q/r|`, :math:`k_1=|q/r^2|`."""
    scaled = q / size
    k0 = _length(*scaled.unbind(-1))
    k1 = _length(*(q / size.square()).unbind(-1)).clamp_min(1e-6)
    return k0 * (k0 - 1.0) / k1


def sdf_box(q: torch.Tensor, size: torch.Tensor, rounding: float = 0.03) -> torch.Tensor:
    """Rounded box: :math:`|\\max(|q|-b, 0)| + \\min(\\max_i(|q_i|-b_i), 0) - \\rho`."""
    d = q.abs() - (size - rounding).clamp_min(1e-3)
    return _length(*d.clamp_min(0).unbind(-1)) + d.amax(-1).clamp_max(0) - rounding


def sdf_capsule(q: torch.Tensor, size: torch.Tensor) -> torch.Tensor:
    """Capsule around the local y axis: :math:`|q - (0, \\mathrm{clamp}(q_y, -h, h), 0)| - r`."""
    radius, half = size[..., 0], size[..., 1]
    x, y, z = q.unbind(-1)
    return _length(x, y - torch.maximum(torch.minimum(y, half), -half), z) - radius


def sdf_torus(q: torch.Tensor, size: torch.Tensor) -> torch.Tensor:
    """Torus in the local xz plane: :math:`|(|q_{xz}| - R,\\ q_y)| - r`."""
    x, y, z = q.unbind(-1)
    return _length(_length(x, z) - size[..., 0], y) - size[..., 1]


SDFS = {"ellipsoid": sdf_ellipsoid, "box": sdf_box, "capsule": sdf_capsule, "torus": sdf_torus}
#: How far a primitive's surface reaches from its centre, from its ``size`` (..., 3) (the box's
#: rounding and minimal inner size add at most 0.03 + 0.002).
REACH = {"ellipsoid": lambda s: s.amax(-1), "box": lambda s: s.norm(dim=-1) + 0.035,
         "capsule": lambda s: s[..., 0] + s[..., 1], "torus": lambda s: s[..., 0] + s[..., 1]}


class Scene:
    """A batch of objects as padded per-primitive tensors (centre, size, rotation) per kind, and
    the number of parts of each object, ``n_parts``."""

    def __init__(self, objects: Sequence[Sequence[Part]], device: torch.device | str = "cpu"):
        if len(objects) == 0:
            raise ValueError("objects is empty; give at least one object (a list of parts).")
        for i, obj in enumerate(objects):
            if len(obj) == 0:
                raise ValueError(f"object {i} has no parts.")
        self.n = len(objects)
        self.n_parts = torch.tensor([len(obj) for obj in objects], device=device)
        self.groups = {}
        for kind in PRIMITIVES:
            count = max(sum(p.kind == kind for p in obj) for obj in objects)
            if count == 0:
                continue
            centre = torch.full((self.n, count, 3), 50.0)
            size = torch.full((self.n, count, 3), 0.1)
            rot = torch.eye(3).repeat(self.n, count, 1, 1)
            for i, obj in enumerate(objects):
                parts = [p for p in obj if p.kind == kind]
                for j, p in enumerate(parts):
                    centre[i, j], size[i, j], rot[i, j] = p.centre, p.size, p.rotation
            self.groups[kind] = tuple(t.to(device) for t in (centre, size, rot))

    def sdf(self, points: torch.Tensor, smoothness: float = 0.03) -> torch.Tensor:
        """Smooth-union distance at ``points`` (n_objects, N, 3) in object coordinates."""
        distances = []
        for kind, (centre, size, rot) in self.groups.items():
            local = torch.einsum("bnd,bkde->bnke", points, rot) - torch.einsum(
                "bkd,bkde->bke", centre, rot)[:, None]
            distances.append(SDFS[kind](local, size[:, None]))
        d = torch.cat(distances, -1)
        return -smoothness * torch.logsumexp(-d / smoothness, dim=-1)


def view_angles(n_views: int = 9, max_yaw: float = 90.0) -> torch.Tensor:
    """``n_views`` yaws in degrees from ``-max_yaw`` to ``+max_yaw``; ``n_views`` must be odd."""
    if isinstance(n_views, bool) or not isinstance(n_views, int) or n_views < 3 \
            or n_views % 2 == 0:
        raise ValueError(f"n_views={n_views!r} is not allowed; it must be an odd integer ≥ 3 "
                         "(the frontal view in the middle).")
    return torch.linspace(-max_yaw, max_yaw, n_views)


def _rot_y(theta: torch.Tensor) -> torch.Tensor:
    c, s, z, o = theta.cos(), theta.sin(), torch.zeros_like(theta), torch.ones_like(theta)
    return torch.stack([torch.stack([c, z, s], -1), torch.stack([z, o, z], -1),
                        torch.stack([-s, z, c], -1)], -2)


def _rot_x(phi: torch.Tensor) -> torch.Tensor:
    c, s, z, o = phi.cos(), phi.sin(), torch.zeros_like(phi), torch.ones_like(phi)
    return torch.stack([torch.stack([o, z, z], -1), torch.stack([z, c, -s], -1),
                        torch.stack([z, s, c], -1)], -2)


def render(objects: Sequence[Sequence[Part]] | Scene, yaws: torch.Tensor, *,
           pitches: torch.Tensor | None = None, size: int = 32, extent: float = 1.0,
           steps: int = 40, light: Sequence[float] = (0.0, 0.55, 0.85), ambient: float = 0.25,
           target_mean: float = 0.45, target_std: float = 0.2, background: float = 0.5,
           device: torch.device | str = "cpu", chunk: int = 32) -> torch.Tensor:
    """Grayscale images (n_objects, n_views, size, size) of ``objects`` seen at ``yaws``.

    ``yaws`` (degrees) is (n_views,) for the same views of every object or (n_objects, n_views);
    ``pitches`` likewise (default 0). Pixels span ``[-extent, extent]`` in both directions.
    """
    scene = objects if isinstance(objects, Scene) else Scene(objects, device)
    if isinstance(size, bool) or not isinstance(size, int) or size < 4:
        raise ValueError(f"size={size!r} is not allowed; it must be an integer ≥ 4 (pixels).")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps={steps!r} is not allowed; it must be a positive integer.")
    if not (target_std >= 0 and 0 <= target_mean <= 1):
        raise ValueError(f"target_mean={target_mean!r}, target_std={target_std!r}: target_mean "
                         "must lie in [0, 1] and target_std must be ≥ 0.")
    yaws = torch.as_tensor(yaws, dtype=torch.float32)
    if yaws.dim() == 1:
        yaws = yaws.expand(scene.n, -1)
    if yaws.dim() != 2 or yaws.shape[0] != scene.n:
        raise ValueError(f"yaws must have shape (n_views,) or ({scene.n}, n_views); "
                         f"got {tuple(yaws.shape)}.")
    pitches = torch.zeros_like(yaws) if pitches is None else torch.as_tensor(
        pitches, dtype=torch.float32).expand_as(yaws)
    out = []
    for start in range(0, scene.n, chunk):
        sub = _SubScene(scene, start, min(start + chunk, scene.n))
        out.append(_render_chunk(sub, yaws[start:start + chunk], pitches[start:start + chunk],
                                 size, extent, steps, light, ambient, target_mean, target_std,
                                 background, device))
    return torch.cat(out)


class _SubScene(Scene):
    def __init__(self, scene: Scene, start: int, stop: int):  # a view of objects [start, stop)
        self.n = stop - start
        self.n_parts = scene.n_parts[start:stop]
        self.groups = {k: tuple(t[start:stop] for t in v) for k, v in scene.groups.items()}


def pixel_grid(size: int, extent: float) -> torch.Tensor:
    """Pixel centres, exactly antisymmetric: ``grid[j] == -grid[size - 1 - j]``."""
    half = (torch.arange(size, dtype=torch.float64) - (size - 1) / 2) / (size / 2)
    return (half * extent).float()


def _local_rays(scene, origins, directions):
    """Per part, the ray in the part's local frame, :math:`q(t) = a + t b`, flattened over
    (object, ray): a dict kind → (a, b, size), each (n·P, K, 3)."""
    out = {}
    n, p = origins.shape[:2]
    for kind, (centre, size, rot) in scene.groups.items():
        k = centre.shape[1]
        a = torch.einsum("bpd,bkde->bpke", origins, rot) - torch.einsum(
            "bkd,bkde->bke", centre, rot)[:, None]
        b = torch.einsum("bpd,bkde->bpke", directions, rot)
        out[kind] = (a.reshape(-1, k, 3), b.reshape(-1, k, 3),
                     size[:, None].expand(n, p, k, 3).reshape(-1, k, 3))
    return out


def _ray_spans(local, margin):
    """Per ray of ``_local_rays``, where it enters the first and leaves the last of its object's
    parts' bounding spheres (radius :data:`REACH` + ``margin`` (R,)): for a part whose centre
    the ray passes at parameter :math:`s = -a \\cdot b` and distance :math:`\\sqrt{|a|^2 - s^2}`,
    the ray is inside its sphere for :math:`|t - s| < \\sqrt{\\rho^2 - |a|^2 + s^2}`. No surface
    of the smooth union lies outside these spheres when ``margin`` ≥ smoothness·log(parts),
    and a mirrored ray gets the same span as its twin. Rays that meet no sphere get an empty
    span (enter = +∞, leave = −∞)."""
    enter = leave = None
    for kind, (a, b, size) in local.items():
        closest = -(a * b).sum(-1)
        half = (REACH[kind](size) + margin[:, None]).square() - (a.square().sum(-1)
                                                                 - closest.square())
        met = half > 0
        half = half.clamp_min(0).sqrt()
        first = torch.where(met, closest - half, torch.inf).amin(-1)
        last = torch.where(met, closest + half, -torch.inf).amax(-1)
        enter = first if enter is None else torch.minimum(enter, first)
        leave = last if leave is None else torch.maximum(leave, last)
    return enter, leave


def _subset(local, index):
    return {kind: tuple(x[index] for x in v) for kind, v in local.items()}


def _march_sdf(local, t, smoothness):
    """Smooth-union distance at ray parameters t (R,) along the rays of ``_local_rays``."""
    distances = [SDFS[kind](a + t[:, None, None] * b, size)
                 for kind, (a, b, size) in local.items()]
    d = torch.cat(distances, -1)
    return -smoothness * torch.logsumexp(-d / smoothness, dim=-1)


def _render_chunk(scene, yaws, pitches, size, extent, steps, light, ambient, target_mean,
                  target_std, background, device, smoothness=0.03):
    n, v = yaws.shape
    grid = pixel_grid(size, extent).to(device)
    u = grid[None, :].expand(size, size)  # columns: left (−) to right (+)
    w = -grid[:, None].expand(size, size)  # rows: top (+) to bottom (−)
    rotations = (_rot_y(torch.deg2rad(yaws)) @ _rot_x(torch.deg2rad(pitches))).to(device)
    start, far = 1.6 * extent, 3.2 * extent
    pixels = torch.stack([u, w, torch.full_like(u, start)], -1).reshape(-1, 3)
    # object-frame ray origins and directions, (n, v·P, 3): p_obj = R (o + t (0, 0, −1))
    origins = torch.einsum("nvij,pj->nvpi", rotations, pixels).reshape(n, -1, 3)
    direction = -rotations[..., :, 2]  # (n, v, 3)
    directions = direction[:, :, None].expand(-1, -1, size * size, -1).reshape(n, -1, 3)
    local = _local_rays(scene, origins, directions)
    # rays are marched only where they pass through a part's bounding sphere (_ray_spans)
    margin = smoothness * scene.n_parts.log() + 0.05
    enter, limit = _ray_spans(local, margin[:, None].expand(n, v * size * size).reshape(-1))
    limit = limit.clamp_max(far)
    inside = enter < limit
    t = torch.where(inside, enter.clamp_min(0), limit)
    marched = inside.nonzero().squeeze(1)
    active, current = marched, _subset(local, marched)
    for step in range(steps):  # sphere tracing; finished rays are dropped every 4 steps
        d = _march_sdf(current, t[active], smoothness)
        t[active] = torch.minimum(t[active] + 0.9 * d.clamp_min(0.0), limit[active])
        if step % 4 == 3 and step < steps - 1:
            keep = (d > 1e-4) & (t[active] < limit[active])
            active, current = active[keep], _subset(current, keep)
    hit = torch.zeros(len(t), dtype=torch.bool, device=device)
    hit[marched] = _march_sdf(_subset(local, marched), t[marched], smoothness).abs() < 0.01
    where = hit.nonzero().squeeze(1)
    # normals at the hits: central differences along the camera axes
    h = 2e-3
    normal = torch.zeros(len(t), 3, device=device)
    view_of_ray = where // (size * size)  # index into the (object, view) pairs
    hits = _subset(local, where)
    for axis in range(3):
        e = torch.zeros(3, device=device)
        e[axis] = h
        shift = torch.einsum("nvij,j->nvi", rotations, e)  # camera axis in the object frame
        values = []
        for sign in (1.0, -1.0):
            moved = {}
            for kind, (a, b, sz) in hits.items():
                rot = scene.groups[kind][2]  # (n, K, 3, 3)
                delta = torch.einsum("nvd,nkde->nvke", shift, rot).reshape(n * v, -1, 3)
                moved[kind] = (a + sign * delta[view_of_ray], b, sz)
            values.append(_march_sdf(moved, t[where], smoothness))
        normal[where, axis] = values[0] - values[1]
    normal = normal / normal.norm(dim=-1, keepdim=True).clamp_min(1e-8)
    direction_light = torch.as_tensor(light, dtype=torch.float32, device=device)
    direction_light = direction_light / direction_light.norm()
    shade = ambient + (1 - ambient) * (normal @ direction_light).clamp_min(0)
    image = torch.where(hit, shade, torch.zeros_like(shade)).reshape(n, v, -1)
    image = match_luminance(image, hit.reshape(n, v, -1), target_mean, target_std, background)
    return image.reshape(n, v, size, size)


def match_luminance(image: torch.Tensor, mask: torch.Tensor, mean: float, std: float,
                    background: float) -> torch.Tensor:
    """Set the masked pixels of each image to ``mean`` and ``std``; others to ``background``.

    :math:`x \\leftarrow \\mathrm{clip}(\\mu + \\sigma (x - \\bar x_m)/s_m, 0, 1)` inside the
    mask, with :math:`\\bar x_m, s_m` the mask's mean and standard deviation (last dimension).
    """
    count = mask.sum(-1, keepdim=True).clamp_min(1)
    m = (image * mask).sum(-1, keepdim=True) / count
    s = (((image - m) * mask).square().sum(-1, keepdim=True) / count).sqrt().clamp_min(1e-6)
    matched = (mean + std * (image - m) / s).clamp(0, 1)
    return torch.where(mask, matched, torch.full_like(image, background))
