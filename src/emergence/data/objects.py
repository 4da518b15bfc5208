"""Procedural object families for the mirror-symmetry chapter (coordinates: x left–right,
y up, z front; objects fit roughly inside the unit ball).

* ``one_plane`` — categories with exactly one symmetry plane (x = 0): a random *prototype* of a
  torso, mirrored pairs of limbs and parts on the mid-plane; each exemplar is the prototype with
  per-exemplar jitter applied symmetrically, so every exemplar keeps the plane.
* ``head`` — a procedural head (skull, eyes, nose, ears, mouth, neck): the "face" category,
  never used in training.
* ``asymmetric`` — no symmetry plane: the same kind of parts, each placed independently.
* ``two_plane`` — symmetric under x → −x *and* z → −z (front–back symmetric), vehicle-like:
  an elongated hull with a cabin and parts at the four corners, like the paper's cars and boats.
* ``radial`` — roughly radially symmetric about the vertical axis (fruit-like), with a small
  off-axis stem and leaf and a few bumps at independent azimuths, so that no plane is exact.
"""

from __future__ import annotations

import math

import torch

from emergence.data.render import MIRROR_X, MIRROR_Z, Part, part, rotation

FAMILIES = ("one_plane", "head", "asymmetric", "two_plane", "radial")
KINDS = ("ellipsoid", "box", "capsule", "torus")


def _u(g: torch.Generator, low: float, high: float, shape=()) -> torch.Tensor:
    return low + (high - low) * torch.rand(shape, generator=g)


def _choice(g: torch.Generator, options):
    return options[int(torch.randint(len(options), (), generator=g))]


def _random_part(g: torch.Generator, centre, scale: float = 1.0, kinds=KINDS, rot=None) -> dict:
    kind = _choice(g, kinds)
    if kind == "ellipsoid":
        size = _u(g, 0.08, 0.32, (3,))
    elif kind == "box":
        size = _u(g, 0.06, 0.28, (3,))
    elif kind == "capsule":
        size = torch.stack([_u(g, 0.05, 0.12), _u(g, 0.12, 0.35), torch.tensor(0.0)])
    else:
        size = torch.stack([_u(g, 0.12, 0.25), _u(g, 0.03, 0.07), torch.tensor(0.0)])
    if rot is None:
        rot = rotation(*(_u(g, -math.pi, math.pi, (3,)).tolist()))
    return dict(kind=kind, centre=torch.as_tensor(centre, dtype=torch.float32),
                size=size * scale, rotation=rot)


def _to_part(spec: dict) -> Part:
    return Part(spec["kind"], spec["centre"], spec["size"], spec["rotation"])


def _jitter(g: torch.Generator, spec: dict, amount: float) -> dict:
    """Jitter a part spec: centre by N(0, amount²·0.3²), sizes by a factor exp(N(0, amount²))."""
    small = rotation(*(amount * 0.3 * torch.randn(3, generator=g)).tolist())
    return dict(kind=spec["kind"],
                centre=spec["centre"] + amount * 0.3 * torch.randn(3, generator=g),
                size=spec["size"] * torch.exp(amount * torch.randn(3, generator=g)),
                rotation=spec["rotation"] @ small)


def _normalise(parts: list[Part], radius: float = 0.95) -> list[Part]:
    """Centre the object vertically/front–back on its parts and scale it to ``radius``.

    Only y and z are centred (x is left alone so a plane at x = 0 is kept).
    """
    centres = torch.stack([p.centre for p in parts])
    extent = torch.stack([p.size.amax() for p in parts])
    shift = torch.zeros(3)
    shift[1] = centres[:, 1].mean()
    shift[2] = centres[:, 2].mean()
    reach = ((centres - shift).norm(dim=-1) + extent).amax()
    s = radius / float(reach)
    return [Part(p.kind, (p.centre - shift) * s, p.size * s, p.rotation) for p in parts]


# --- one plane ------------------------------------------------------------------------------

def one_plane_prototype(g: torch.Generator) -> dict:
    """A random category: torso (on the plane), 2–4 part pairs at x > 0, 1–3 mid-plane parts."""
    torso = _random_part(g, [0.0, 0.0, 0.0], scale=1.6, kinds=("ellipsoid", "box", "capsule"),
                         rot=rotation(0.0, float(_u(g, -1.2, 1.2)), 0.0))
    pairs = [_random_part(g, [float(_u(g, 0.15, 0.45)), float(_u(g, -0.4, 0.4)),
                              float(_u(g, -0.4, 0.4))], scale=1.2)
             for _ in range(int(torch.randint(2, 5, (), generator=g)))]
    # mid-plane parts may only rotate about the x axis (M R M = R keeps them on the plane)
    middle = [_random_part(g, [0.0, float(_u(g, -0.4, 0.4)), float(_u(g, 0.1, 0.45))],
                           kinds=("ellipsoid", "box", "capsule"),
                           rot=rotation(0.0, float(_u(g, -math.pi, math.pi)), 0.0))
              for _ in range(int(torch.randint(1, 4, (), generator=g)))]
    return dict(torso=torso, pairs=pairs, middle=middle)


def one_plane_exemplar(g: torch.Generator, prototype: dict, jitter: float = 0.15) -> list[Part]:
    """An exemplar of a one-plane category: jittered prototype, the pairs mirrored exactly."""
    def on_plane(spec):
        spec = _jitter(g, spec, jitter)
        spec["centre"][0] = 0.0
        angle = math.atan2(float(spec["rotation"][2, 1]), float(spec["rotation"][1, 1]))
        spec["rotation"] = rotation(0.0, angle, 0.0)
        return _to_part(spec)

    parts = [on_plane(prototype["torso"])] + [on_plane(m) for m in prototype["middle"]]
    for spec in prototype["pairs"]:
        p = _to_part(_jitter(g, spec, jitter))
        parts += [p, p.mirrored(MIRROR_X)]
    return _normalise(parts)


# --- no plane -------------------------------------------------------------------------------

def asymmetric_prototype(g: torch.Generator) -> dict:
    """A random category without any symmetry plane: 5–8 independently placed parts."""
    body = _random_part(g, [float(_u(g, -0.1, 0.1)), 0.0, 0.0], scale=1.5)
    parts = [_random_part(g, _u(g, -0.6, 0.6, (3,)).tolist())
             for _ in range(int(torch.randint(4, 8, (), generator=g)))]
    return dict(parts=[body] + parts)


def asymmetric_exemplar(g: torch.Generator, prototype: dict, jitter: float = 0.15) -> list[Part]:
    return _normalise([_to_part(_jitter(g, s, jitter)) for s in prototype["parts"]])


# --- two planes -----------------------------------------------------------------------------

AXLE = rotation(0.0, 0.0, math.pi / 2)  # local y axis → world x: a wheel's axle, a stub wing
KEEL = rotation(0.0, math.pi / 2, 0.0)  # local y axis → world z: a capsule hull along the length


def two_plane_prototype(g: torch.Generator) -> dict:
    """A vehicle-like category, symmetric in x and in z, like the paper's cars and boats.

    An elongated, streamlined hull (ellipsoid or capsule; 2–5 times as long front–back as it is
    wide), a cabin or deck on top, centred, and 1–2 kinds of small parts repeated at the four
    corners (±x, ±z): wheels (tori on an axle along x), floats (ellipsoids) or stubs (capsules
    along x). Being long, such objects look nearly left–right symmetric in the image from every
    side, so view θ and view −θ are alike already in pixels.
    """
    bx, by, bz = float(_u(g, 0.2, 0.3)), float(_u(g, 0.12, 0.2)), float(_u(g, 0.65, 0.95))
    if _choice(g, ("ellipsoid", "capsule")) == "capsule":
        hull = dict(kind="capsule", centre=torch.zeros(3), size=torch.tensor([bx, bz - bx, 0.0]),
                    rotation=KEEL)
    else:
        hull = dict(kind="ellipsoid", centre=torch.zeros(3), size=torch.tensor([bx, by, bz]),
                    rotation=torch.eye(3))
    cabin = dict(kind="ellipsoid", centre=torch.tensor([0.0, by + float(_u(g, 0.0, 0.08)), 0.0]),
                 size=torch.tensor([bx * float(_u(g, 0.6, 0.9)), float(_u(g, 0.07, 0.15)),
                                    bz * float(_u(g, 0.25, 0.55))]),
                 rotation=torch.eye(3))
    quads = []
    for _ in range(int(torch.randint(1, 3, (), generator=g))):
        kind = _choice(g, ("torus", "ellipsoid", "capsule"))
        if kind == "torus":
            size = torch.stack([_u(g, 0.07, 0.12), _u(g, 0.025, 0.045), torch.tensor(0.0)])
        elif kind == "capsule":
            size = torch.stack([_u(g, 0.04, 0.07), _u(g, 0.03, 0.07), torch.tensor(0.0)])
        else:
            size = torch.stack([_u(g, 0.04, 0.07), _u(g, 0.06, 0.11), _u(g, 0.06, 0.11)])
        centre = torch.tensor([bx * float(_u(g, 0.8, 1.05)), -by * float(_u(g, 0.3, 1.0)),
                               bz * float(_u(g, 0.35, 0.75))])
        quads.append(dict(kind=kind, centre=centre, size=size,
                          rotation=torch.eye(3) if kind == "ellipsoid" else AXLE))
    return dict(middle=[hull, cabin], quads=quads)


def two_plane_exemplar(g: torch.Generator, prototype: dict, jitter: float = 0.15) -> list[Part]:
    """An exemplar: jittered prototype; hull and cabin stay centred and aligned with the axes,
    the corner parts are mirrored exactly across both planes."""
    parts = []
    for spec in prototype["middle"]:
        s = _jitter(g, spec, jitter)
        s["centre"][0] = s["centre"][2] = 0.0
        s["rotation"] = spec["rotation"]
        parts.append(_to_part(s))
    for spec in prototype["quads"]:
        p = _to_part(_jitter(g, spec, jitter))
        q = p.mirrored(MIRROR_X)
        parts += [p, q, p.mirrored(MIRROR_Z), q.mirrored(MIRROR_Z)]
    return _normalise(parts)


# --- radial ---------------------------------------------------------------------------------

def radial_exemplar(g: torch.Generator, jitter: float = 0.15, n_lumps: int = 3) -> list[Part]:
    """A fruit: a body of revolution about y (ellipsoid and optional torus), a stem and a leaf
    off the axis, and ``n_lumps`` small bumps on the body, each at its own random azimuth.

    A stem and leaf alone would leave the object nearly symmetric about the vertical plane
    through the stem; the independent bumps leave no plane, even roughly."""
    a = float(_u(g, 0.45, 0.7))
    body = part("ellipsoid", [0, 0, 0], [a, float(_u(g, 0.4, 0.75)), a])
    parts = [body]
    if float(_u(g, 0, 1)) < 0.6:
        parts.append(part("torus", [0, float(_u(g, -0.2, 0.2)), 0],
                          [a * float(_u(g, 0.7, 0.95)), float(_u(g, 0.06, 0.12)), 0]))
    azimuth = float(_u(g, -math.pi, math.pi))
    tilt = float(_u(g, 0.2, 0.6))
    top = float(body.size[1])
    stem_rot = rotation(azimuth, 0.0, tilt)
    parts.append(Part("capsule", torch.tensor([0.0, top + 0.1, 0.0]),
                      torch.tensor([0.04, 0.14, 0.0]), stem_rot))
    leaf_centre = torch.tensor([0.18 * math.cos(azimuth + 1.5), top + 0.08,
                                0.18 * math.sin(azimuth + 1.5)])
    parts.append(Part("ellipsoid", leaf_centre, torch.tensor([0.16, 0.03, 0.07]),
                      rotation(azimuth + 1.5, 0.0, 0.3)))
    height = float(body.size[1])
    for _ in range(n_lumps):
        phi, y = float(_u(g, -math.pi, math.pi)), height * float(_u(g, -0.5, 0.5))
        r = a * math.sqrt(1 - (y / height) ** 2)
        parts.append(part("ellipsoid", [r * math.cos(phi), y, r * math.sin(phi)],
                          [float(_u(g, 0.1, 0.18))] * 3))
    return _normalise(parts)


# --- head -----------------------------------------------------------------------------------

def head_exemplar(g: torch.Generator, jitter: float = 0.1) -> list[Part]:
    """A procedural head: skull, two eyes, nose, two ears, mouth and neck, all jittered
    symmetrically (exactly one symmetry plane)."""
    def j(x):
        return float(x) * float(torch.exp(jitter * torch.randn((), generator=g)))

    w, h, d = j(0.48), j(0.62), j(0.55)
    eye_x, eye_y = j(0.19), j(0.12)
    parts = [
        part("ellipsoid", [0, 0, 0], [w, h, d]),
        part("ellipsoid", [0, j(0.2), j(-0.08)], [w * 1.02, h * 0.7, d * 0.95]),
        part("capsule", [0, -h * 0.95, j(-0.1)], [j(0.2), j(0.15), 0]),
        part("ellipsoid", [0, j(-0.02), d * 0.98], [j(0.07), j(0.16), j(0.12)],
             rotation(0.0, -0.35, 0.0)),
        part("ellipsoid", [0, j(-0.3), d * 0.84], [j(0.16), j(0.04), j(0.05)]),
    ]
    eye = part("ellipsoid", [eye_x, eye_y, d * 0.82], [j(0.08), j(0.05), j(0.05)])
    brow = part("capsule", [eye_x, eye_y + j(0.1), d * 0.86], [0.035, j(0.08), 0],
                rotation(0.0, 0.0, 1.45))
    ear = part("ellipsoid", [w * 0.98, j(0.02), j(-0.05)], [j(0.06), j(0.15), j(0.11)],
               rotation(0.3, 0.0, 0.0))
    for p in (eye, brow, ear):
        parts += [p, p.mirrored(MIRROR_X)]
    return _normalise(parts)


def family_objects(family: str, n: int, g: torch.Generator, *, n_categories: int = 5,
                   jitter: float = 0.15) -> tuple[list[list[Part]], list[int]]:
    """``n`` objects of ``family`` and their category index.

    For ``one_plane``, ``asymmetric`` and ``two_plane`` the objects come from ``n_categories``
    fresh random prototypes (exemplars assigned round-robin); ``head`` and ``radial`` are single
    categories.
    """
    if family not in FAMILIES:
        raise ValueError(f"family={family!r} is not allowed; choose one of {FAMILIES}.")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n={n!r} is not allowed; it must be a positive integer.")
    if family == "head":
        return [head_exemplar(g, jitter * 0.7) for _ in range(n)], [0] * n
    if family == "radial":
        return [radial_exemplar(g, jitter) for _ in range(n)], [0] * n
    make = {"one_plane": (one_plane_prototype, one_plane_exemplar),
            "asymmetric": (asymmetric_prototype, asymmetric_exemplar),
            "two_plane": (two_plane_prototype, two_plane_exemplar)}[family]
    prototypes = [make[0](g) for _ in range(n_categories)]
    labels = [i % n_categories for i in range(n)]
    return [make[1](g, prototypes[c], jitter) for c in labels], labels
