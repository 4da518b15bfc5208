"""Mirror-symmetric viewpoint tuning (MSVT) and reflection equivariance (Farzmahdi et al. 2024).

**MSVT index** of one layer (the authors' definition):

1. z-score each unit across all stimuli; drop constant units;
2. per object, the view × view dissimilarity :math:`D_{ij} = 1 - \\rho(r_i, r_j)` (Pearson
   correlation across units), views ordered from −90° to +90°;
3. :math:`D^{\\text{flip}}` = D with its columns in reverse order;
4. delete the central (0°) column of both;
5. index = Pearson correlation of the remaining entries of D and :math:`D^{\\text{flip}}`.

Perfectly mirror-symmetric tuning (:math:`r(\\theta) = r(-\\theta)`) gives 1, view-specific tuning
a negative value, full view invariance a value near 0 (noise).

**Invariance** under a transform T: :math:`\\rho(f(x), f(Tx))`; **equivariance** of a conv map:
:math:`\\rho(f(x), T^{-1} f(Tx))`, T applied to each channel's map (channel order unchanged);
one correlation per image, across units. As in the authors' code (figure3_measure_correlation.py),
each of the two sets of features — the responses to the images, and the (back-transformed)
responses to the transformed images — is z-scored per unit across the images *on its own*
before the correlation, and the authors' mask leaves out the middle column (hflip), the middle
row (vflip) or the middle pixel (rot90), index ``n // 2``, also on even-sized maps where no
position maps onto itself (:func:`analysis_mask`). The authors summarise the per-image values by
their **median** (figureS7.py). One departure: for rot90 their script rotates the maps of the
rotated image once more in the same direction (a net 180°, under which exactly equivariant maps
score ≈ 0); here :math:`T^{-1}` is the inverse rotation.

**Pooling** (figureS3.m): z-score every unit of a conv layer (channel × position) across all
stimuli, *then* average over space; :func:`pooled_responses` does this over windows of any size
(the whole map: global average pooling), and :func:`msvt_index` with ``standardise=False``
scores the pooled vectors as the authors do, without a second z-scoring.

**Filter symmetry** (figureS5.m): the Pearson correlation between a filter's left columns and
its mirrored right columns (column j against column ``kw − 1 − j``, the centre column left out),
each side centred on its own mean.
"""

from __future__ import annotations

import math

import torch

TRANSFORMS = ("hflip", "vflip", "rot90")


def _pearson(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pearson correlation along the last dimension."""
    a = a - a.mean(-1, keepdim=True)
    b = b - b.mean(-1, keepdim=True)
    # scale-free: a tiny absolute floor only guards 0/0 (e.g. filters shrunk by weight decay
    # to norms of 1e-7 still get their correlation)
    floor = torch.finfo(a.dtype).tiny
    return (a * b).sum(-1) / (a.norm(dim=-1) * b.norm(dim=-1)).clamp_min(floor)


def zscore_units(responses: torch.Tensor) -> torch.Tensor:
    """z-score each unit (last dim) across stimuli (all leading dims); drop constant units."""
    flat = responses.reshape(-1, responses.shape[-1]).double()
    std = flat.std(0)
    keep = std > 1e-8 * (1 + flat.abs().amax(0))
    if not bool(keep.any()):
        raise ValueError("the layer is constant: every unit gives the same response to every "
                         "stimulus, so the MSVT index is undefined.")
    z = (flat[:, keep] - flat[:, keep].mean(0)) / std[keep]
    return z.reshape(*responses.shape[:-1], int(keep.sum()))


def dissimilarity(responses: torch.Tensor) -> torch.Tensor:
    """``1 − Pearson`` between views across units: (..., views, units) → (..., views, views)."""
    r = responses - responses.mean(-1, keepdim=True)
    r = r / r.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    return 1 - r @ r.transpose(-1, -2)


def msvt_index(responses: torch.Tensor, standardise: bool = True) -> torch.Tensor:
    """MSVT index per object of ``responses`` (objects, views, units...) (module docstring).

    Units may have any shape (they are flattened). The number of views must be odd and ≥ 3 (the
    frontal view in the middle); the z-scoring uses all objects and views given. With
    ``standardise=False`` the responses are used as they are (e.g. maps z-scored before
    pooling, :func:`pooled_responses`).
    """
    if responses.dim() < 3:
        raise ValueError(f"responses must have shape (objects, views, units...); got "
                         f"{tuple(responses.shape)}.")
    n_views = responses.shape[1]
    if n_views < 3 or n_views % 2 == 0:
        raise ValueError(f"the number of views must be odd and ≥ 3 (views from −θ to +θ with "
                         f"the frontal view in the middle); got {n_views}.")
    z = zscore_units(responses.flatten(2)) if standardise else responses.flatten(2).double()
    d = dissimilarity(z)
    keep = [j for j in range(n_views) if j != n_views // 2]
    a = d[:, :, keep].flatten(1)
    b = d.flip(-1)[:, :, keep].flatten(1)
    return _pearson(a, b).float()


def mean_sem(values: torch.Tensor) -> dict[str, float]:
    """``{"mean", "sem", "n"}`` over the finite entries of ``values``."""
    v = values[torch.isfinite(values)].double()
    if len(v) == 0:
        raise ValueError("no finite values to average.")
    sem = float(v.std() / math.sqrt(len(v))) if len(v) > 1 else 0.0
    return {"mean": float(v.mean()), "sem": sem, "n": len(v)}


def transform(x: torch.Tensor, name: str, inverse: bool = False) -> torch.Tensor:
    """Apply ``hflip``, ``vflip`` or ``rot90`` (counter-clockwise) to the last two dims."""
    if name not in TRANSFORMS:
        raise ValueError(f"transform={name!r} is not allowed; choose one of {TRANSFORMS}.")
    if name == "hflip":
        return x.flip(-1)
    if name == "vflip":
        return x.flip(-2)
    return torch.rot90(x, -1 if inverse else 1, dims=(-2, -1))


def moved_positions(h: int, w: int, name: str) -> torch.Tensor:
    """Boolean (h, w) mask of positions that ``name`` does *not* map onto themselves."""
    index = torch.arange(h * w, dtype=torch.float64).reshape(h, w)
    if name == "rot90" and h != w:
        raise ValueError(f"rot90 needs square maps; got {h}×{w}.")
    return transform(index, name) != index


def analysis_mask(h: int, w: int, name: str) -> torch.Tensor:
    """The authors' (h, w) mask of the positions kept: all but column ``w // 2`` (hflip), row
    ``h // 2`` (vflip) or pixel ``(h // 2, w // 2)`` (rot90). On odd-sized maps these are the
    positions that the transform leaves in place; on even-sized maps the authors drop them too."""
    if name not in TRANSFORMS:
        raise ValueError(f"transform={name!r} is not allowed; choose one of {TRANSFORMS}.")
    if name == "rot90" and h != w:
        raise ValueError(f"rot90 needs square maps; got {h}×{w}.")
    mask = torch.ones(h, w, dtype=torch.bool)
    if name == "hflip":
        mask[:, w // 2] = False
    elif name == "vflip":
        mask[h // 2, :] = False
    else:
        mask[h // 2, w // 2] = False
    return mask


def invariance(f: torch.Tensor, f_t: torch.Tensor, per_image: bool = False):
    """Mean over images of Pearson(f(x), f(Tx)); features (images, ...) z-scored per unit,
    each set on its own (module docstring).

    With ``per_image=True``: the correlation of each image, a tensor (images,), so that a
    spread (e.g. the SEM over images) can be reported beside the mean.
    """
    (a, kept_a), (b, kept_b) = _unit_zscores(f.flatten(1)), _unit_zscores(f_t.flatten(1))
    values = _weighted_pearson(a, b, kept_a & kept_b)
    return values if per_image else float(values.mean())


def equivariance(f: torch.Tensor, f_t: torch.Tensor, name: str, per_image: bool = False):
    """Mean over images of Pearson(f(x), T⁻¹ f(Tx)) for conv maps (images, C, H, W).

    The positions of the authors' mask are left out (:func:`analysis_mask`); both sets are
    z-scored per unit, each on its own (module docstring). With ``per_image=True``: the
    correlation of each image, a tensor (images,), e.g. for the authors' median.
    """
    values = equivariances(f, {name: f_t})[name]
    return values if per_image else float(values.mean())


def equivariances(f: torch.Tensor, moved: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """:func:`equivariance` per image for several transforms at once: ``moved`` maps a
    transform's name to f(Tx); the z-scores of ``f`` are computed once for all of them."""
    if f.dim() != 4 or any(f_t.shape != f.shape for f_t in moved.values()):
        raise ValueError(f"equivariance needs conv maps of equal shape (images, C, H, W); got "
                         f"{tuple(f.shape)} and {[tuple(m.shape) for m in moved.values()]}.")
    a, kept_a = _unit_zscores(f.flatten(1))
    out = {}
    for name, f_t in moved.items():
        b, kept_b = _unit_zscores(transform(f_t, name, inverse=True).flatten(1))
        mask = analysis_mask(f.shape[-2], f.shape[-1], name).to(f.device)
        out[name] = _weighted_pearson(a, b, kept_a & kept_b & mask.expand(f.shape[1:]).flatten())
    return out


def _unit_zscores(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """z-score each unit (column) of ``x`` (images, units) over the images; the units that are
    constant over the images (``kept`` False) get z-scores of 0. The authors' code z-scores the
    responses to the images and those to the transformed images separately, so each set goes
    through here on its own. The mean and standard deviation are taken in float64, the
    z-scores kept in float32 (they differ from float64 ones by about 1e-7)."""
    std, mean = torch.std_mean(x.double(), 0)
    kept = std > 1e-8
    scale = 1 / torch.where(kept, std, torch.inf)
    return torch.addcmul((-mean * scale).float(), x.float(), scale.float()), kept


def _weighted_pearson(a: torch.Tensor, b: torch.Tensor, kept: torch.Tensor) -> torch.Tensor:
    """Pearson correlation of each row of ``a`` with the same row of ``b`` over the units
    (columns) where ``kept`` is True, without copying them out: the sums over the units are
    products with the 0/1 vector of kept units, combined into moments in float64 (the result
    differs from a two-pass float64 correlation by about 1e-6)."""
    if not bool(kept.any()):
        raise ValueError("the features are constant over the images; nothing to correlate.")
    w = kept.float()
    n = float(w.sum())
    sums = torch.stack([a @ w, b @ w, (a * b) @ w, a.square() @ w, b.square() @ w]).double() / n
    mean_a, mean_b, ab, aa, bb = sums
    cov, var_a, var_b = ab - mean_a * mean_b, aa - mean_a.square(), bb - mean_b.square()
    return (cov / (var_a * var_b).sqrt().clamp_min(torch.finfo(torch.float64).tiny)).float()


def filter_symmetry(weight: torch.Tensor) -> torch.Tensor:
    """Left-right symmetry of each conv filter (out, in, kh, kw), the authors' figureS5.m:
    Pearson correlation between the left columns (j < kw // 2) and the mirrored right columns
    (kw − 1 − j), over all input channels and rows, each side centred on its own mean
    (1 = symmetric, −1 = odd)."""
    if weight.dim() != 4 or weight.shape[-1] < 2:
        raise ValueError(f"weight must be (out, in, kh, kw) with kw ≥ 2; got "
                         f"{tuple(weight.shape)}.")
    half = weight.shape[-1] // 2
    left = weight[..., :half].flatten(1)
    right = weight.flip(-1)[..., :half].flatten(1)
    return _pearson(left.double(), right.double()).float()


def pooled_responses(maps: torch.Tensor, window: int) -> torch.Tensor:
    """The authors' pooling (figureS3.m) over square windows: z-score every unit of ``maps``
    (stimuli..., C, H, W) — each channel at each position — across all stimuli, then average
    the z-scores over every ``window`` × ``window`` window (stride 1). Returns (stimuli...,
    pooled units); ``window`` = H = W is global average pooling. A constant unit has no z-score
    and is left out of its windows' means (the authors' ``omitnan``); a pooled unit with no
    z-scored input is dropped.
    """
    return _pool(*_zscored_maps(maps), window)


def _zscored_maps(maps: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Size]:
    """Every unit of ``maps`` (stimuli..., C, H, W) z-scored across the stimuli, as (stimuli,
    C, H, W) float64 with 0 for the constant units; the mask of the others; the leading shape."""
    if maps.dim() < 4:
        raise ValueError(f"maps must have shape (stimuli..., C, H, W); got {tuple(maps.shape)}.")
    flat = maps.reshape(-1, *maps.shape[-3:]).double()
    std = flat.std(0)
    valid = std > 1e-8 * (1 + flat.abs().amax(0))
    if not bool(valid.any()):
        raise ValueError("the maps are constant over the stimuli; nothing to pool.")
    z = torch.where(valid, (flat - flat.mean(0)) / std.clamp_min(1e-300), torch.zeros(()))
    return z, valid, maps.shape[:-3]


def _pool(z: torch.Tensor, valid: torch.Tensor, lead: torch.Size, window: int) -> torch.Tensor:
    """:func:`pooled_responses` from the z-scored maps of :func:`_zscored_maps`."""
    h, w = z.shape[-2:]
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= min(h, w):
        raise ValueError(f"window={window!r} is not allowed; it must be an integer from 1 to "
                         f"{min(h, w)} (positions).")
    total = torch.nn.functional.avg_pool2d(z, window, stride=1)
    count = torch.nn.functional.avg_pool2d(valid[None].double(), window, stride=1)
    keep = (count[0] > 0).flatten()
    pooled = (total / count.clamp_min(1e-12)).flatten(1)[:, keep]
    return pooled.reshape(*lead, int(keep.sum()))


def pooled_index(maps: torch.Tensor, window: int) -> torch.Tensor:
    """MSVT index per object of conv ``maps`` (objects, views, C, H, W) pooled as the authors
    pool them (:func:`pooled_responses`), without a second z-scoring."""
    return msvt_index(pooled_responses(maps, window), standardise=False)


def pooled_indices(maps: torch.Tensor, windows) -> dict[int, torch.Tensor]:
    """:func:`pooled_index` for each of ``windows``, the maps z-scored once for all of them."""
    zscored = _zscored_maps(maps)
    return {k: msvt_index(_pool(*zscored, k), standardise=False) for k in windows}


def median_mean(values: torch.Tensor) -> dict[str, float]:
    """``{"median", "mean", "n"}`` of per-image values: the authors' summary (the median,
    figureS7.py) and the mean beside it."""
    v = values[torch.isfinite(values)].double()
    if len(v) == 0:
        raise ValueError("no finite values to summarise.")
    return {"median": float(v.quantile(0.5)), "mean": float(v.mean()), "n": len(v)}


def hflip_margin(per_transform: dict[str, torch.Tensor]) -> dict[str, float]:
    """The hflip margin of one layer from its per-image equivariances ``per_transform``
    (transform → (images,)): :math:`m = \\tilde e_{\\text{hflip}} - \\max(\\tilde
    e_{\\text{vflip}}, \\tilde e_{\\text{rot90}})` with :math:`\\tilde e` the median over images
    (the authors' statistic, ``"median"``), and the same with means (``"mean"``)."""
    medians = {name: float(per_transform[name].quantile(0.5)) for name in TRANSFORMS}
    means = {name: float(per_transform[name].mean()) for name in TRANSFORMS}
    return {"median": medians["hflip"] - max(medians["vflip"], medians["rot90"]),
            "mean": means["hflip"] - max(means["vflip"], means["rot90"])}


def silent_channels(responses: torch.Tensor) -> int:
    """Channels of conv ``responses`` (stimuli…, channels, H, W) whose response is constant
    (standard deviation below 1e-8) over every stimulus and position."""
    return int((responses.flatten(0, -4).transpose(0, 1).flatten(1).std(1) < 1e-8).sum())


def pixel_autocorrelation(x: torch.Tensor, shift: int, axis: int) -> float:
    """Mean over images of the correlation between the images ``x`` (images, H, W), each pixel
    z-scored over the images, and themselves shifted by ``shift`` pixels along ``axis`` (-1:
    horizontal, -2: vertical): :math:`\\langle\\rho(z_{u}, z_{u+s})\\rangle` over images, the
    correlation taken over the pixel positions ``u`` that both cover."""
    z = (x - x.mean(0)) / x.std(0).clamp_min(1e-6)
    n = z.shape[axis]
    a, b = z.narrow(axis, 0, n - shift).flatten(1), z.narrow(axis, shift, n - shift).flatten(1)
    a, b = a - a.mean(1, keepdim=True), b - b.mean(1, keepdim=True)
    return float(((a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))).mean())
