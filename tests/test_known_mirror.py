"""Known answers for every number and verdict of Chapter 3 (Farzmahdi et al., mirror symmetry).

Each expected value is worked out independently of the code under test: by hand (in the
docstring), in closed form, or by the plain reference implementations below (Python loops and
the ``statistics`` module, or NumPy), which share no code with ``emergence``.
"""

import math
import statistics

import numpy as np
import pytest
import torch

from emergence.analysis.mirror import (
    analysis_mask,
    equivariance,
    equivariances,
    filter_symmetry,
    hflip_margin,
    invariance,
    mean_sem,
    median_mean,
    msvt_index,
    pixel_autocorrelation,
    pooled_index,
    pooled_indices,
    pooled_responses,
    silent_channels,
)
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror import measures
from emergence.experiments.mirror import summary as mirror_summary
from emergence.experiments.mirror.config import (
    ALL_LAYERS,
    CONV,
    CONV_AND_POOL,
    CONV_LOW,
    FC_HIGH,
    LAST,
    SYMMETRIC,
    config_for,
)
from emergence.experiments.mirror.measures import (
    equivariance_images,
    equivariance_values,
    explorer_objects,
    filter_symmetries,
    init_alignment,
    layer_indices,
    manipulation_record,
    margin_of,
    mean_filter_symmetry,
    mean_over_filters,
    median_filter_norm,
    mirror_errors,
    pooling_sweep,
    random_margins,
    receptive_field,
)
from emergence.experiments.mirror.summary import (
    explorer_dissimilarities,
    family_conv_peaks,
    finite,
    headline,
    summarise,
)
from emergence.experiments.mirror.tables import StatTable, family_table, msvt_table, sem_text
from emergence.models.mirrorcnn import MirrorCNN, init_like_paper

# ------------------------------------------------------------------ plain reference helpers


def ref_pearson(a, b) -> float:
    """Pearson correlation of two sequences, by the textbook formula in a loop."""
    a, b = [float(v) for v in a], [float(v) for v in b]
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    return sab / math.sqrt(saa * sbb) if saa > 0 and sbb > 0 else 0.0


def ref_zscore_columns(rows):
    """z-score each column (unit) of a list of rows (stimuli) with the n − 1 SD; constant
    columns are dropped."""
    columns = list(zip(*rows, strict=True))
    out = []
    for col in columns:
        col = [float(v) for v in col]
        if max(col) - min(col) < 1e-12:
            continue
        m, s = statistics.mean(col), statistics.stdev(col)
        out.append([(v - m) / s for v in col])
    return [list(r) for r in zip(*out, strict=True)]


def ref_msvt(responses, standardise=True):
    """The MSVT index per object by the module docstring's recipe, in loops: responses
    (objects, views, units...) → list of floats."""
    r = np.asarray(responses, dtype=np.float64)
    n_obj, n_views = r.shape[:2]
    rows = r.reshape(n_obj * n_views, -1).tolist()
    z = ref_zscore_columns(rows) if standardise else rows
    out = []
    for o in range(n_obj):
        views = z[o * n_views:(o + 1) * n_views]
        d = [[1 - ref_pearson(views[i], views[j]) for j in range(n_views)]
             for i in range(n_views)]
        a, b = [], []
        for i in range(n_views):
            for j in range(n_views):
                if j == n_views // 2:
                    continue
                a.append(d[i][j])
                b.append(d[i][n_views - 1 - j])
        out.append(ref_pearson(a, b))
    return out


def ref_pooled(maps, window):
    """The authors' pooling in loops: maps (stimuli..., C, H, W); every (channel, position)
    z-scored across all stimuli (n − 1 SD), constant ones left out of their windows' means;
    a window with no valid unit is dropped. Returns (stimuli..., pooled units), ordered
    channel, row, column."""
    m = np.asarray(maps, dtype=np.float64)
    lead, (c, h, w) = m.shape[:-3], m.shape[-3:]
    flat = m.reshape(-1, c, h, w)
    n = flat.shape[0]
    z = np.zeros_like(flat)
    valid = np.zeros((c, h, w), dtype=bool)
    for ch in range(c):
        for i in range(h):
            for j in range(w):
                col = [float(flat[s, ch, i, j]) for s in range(n)]
                if max(col) - min(col) > 1e-12:
                    valid[ch, i, j] = True
                    mu, sd = statistics.mean(col), statistics.stdev(col)
                    for s in range(n):
                        z[s, ch, i, j] = (col[s] - mu) / sd
    units = []
    for ch in range(c):
        for i in range(h - window + 1):
            for j in range(w - window + 1):
                cells = [(ch, i + a, j + b) for a in range(window) for b in range(window)
                         if valid[ch, i + a, j + b]]
                if cells:
                    units.append([sum(z[s][cell] for cell in cells) / len(cells)
                                  for s in range(n)])
    return np.array(units).T.reshape(*lead, len(units))


def ref_back(f_t, name):
    """T⁻¹ applied to maps (..., H, W) by explicit indices: hflip back[i, j] = f_t[i, W−1−j];
    vflip back[i, j] = f_t[H−1−i, j]; rot90 (T counter-clockwise, y[i, j] = x[j, n−1−i]) back
    [i, j] = f_t[n−1−j, i]."""
    h, w = f_t.shape[-2:]
    back = np.empty_like(f_t)
    for i in range(h):
        for j in range(w):
            if name == "hflip":
                back[..., i, j] = f_t[..., i, w - 1 - j]
            elif name == "vflip":
                back[..., i, j] = f_t[..., h - 1 - i, j]
            else:
                back[..., i, j] = f_t[..., w - 1 - j, i]
    return back


def ref_forward(x, name):
    """T by explicit indices (the inverse of :func:`ref_back`): rot90 y[i, j] = x[j, n−1−i]."""
    h, w = x.shape[-2:]
    out = np.empty_like(x)
    for i in range(h):
        for j in range(w):
            if name == "hflip":
                out[..., i, j] = x[..., i, w - 1 - j]
            elif name == "vflip":
                out[..., i, j] = x[..., h - 1 - i, j]
            else:
                out[..., i, j] = x[..., j, w - 1 - i]
    return out


def ref_corr_per_image(a, b):
    """Each set (images, units) z-scored per unit on its own (n − 1 SD), units constant in
    either set left out, then the Pearson correlation of each image's two rows."""
    keep = (a.std(0) > 1e-8) & (b.std(0) > 1e-8)
    a, b = a[:, keep], b[:, keep]
    a = (a - a.mean(0)) / a.std(0, ddof=1)
    b = (b - b.mean(0)) / b.std(0, ddof=1)
    return np.array([np.corrcoef(a[k], b[k])[0, 1] for k in range(len(a))])


def ref_equivariance(f, f_t, name):
    """The per-image equivariance (module docstring) with NumPy: T⁻¹ by indices, the authors'
    middle column / row / pixel left out (a mask built in a loop)."""
    f, f_t = np.asarray(f, dtype=np.float64), np.asarray(f_t, dtype=np.float64)
    h, w = f.shape[-2:]
    keep = np.array([[not ((name == "hflip" and j == w // 2) or (name == "vflip" and i == h // 2)
                           or (name == "rot90" and (i, j) == (h // 2, w // 2)))
                      for j in range(w)] for i in range(h)])
    a = f[..., keep].reshape(len(f), -1)
    b = ref_back(f_t, name)[..., keep].reshape(len(f), -1)
    return ref_corr_per_image(a, b)


def ref_invariance(f, f_t):
    f, f_t = np.asarray(f, dtype=np.float64), np.asarray(f_t, dtype=np.float64)
    return ref_corr_per_image(f.reshape(len(f), -1), f_t.reshape(len(f_t), -1))


def ref_filter_symmetry(w):
    """Per filter (out, in, kh, kw): column j against column kw−1−j for j < kw // 2, over all
    input channels and rows, each side centred on its own mean (loops)."""
    w = np.asarray(w, dtype=np.float64)
    out = []
    for o in range(w.shape[0]):
        left, right = [], []
        for c in range(w.shape[1]):
            for i in range(w.shape[2]):
                for j in range(w.shape[3] // 2):
                    left.append(w[o, c, i, j])
                    right.append(w[o, c, i, w.shape[3] - 1 - j])
        out.append(ref_pearson(left, right))
    return out


def three_view_index(x: float, y: float, z: float) -> float:
    """The MSVT index of one object seen at three views (−θ, 0, +θ) with D(−θ, 0) = x,
    D(0, +θ) = y, D(−θ, +θ) = z, worked out by hand: the non-central columns of D read row by
    row are a = (0, z, x, y, z, 0), those of D_flip b = (z, 0, y, x, 0, z); both sum to
    S = x + y + 2z, Σab = 2xy, Σa² = Σb² = x² + y² + 2z², so ρ = (2xy − S²/6)/(Σa² − S²/6)."""
    s2 = (x + y + 2 * z) ** 2 / 6
    return (2 * x * y - s2) / (x * x + y * y + 2 * z * z - s2)


def family_index(n_per_family):
    """family_of for ``n_per_family[i]`` objects of family i, in a shuffled (fixed) order."""
    ids = [i for i, n in enumerate(n_per_family) for _ in range(n)]
    order = sorted(range(len(ids)), key=lambda k: (7919 * k) % 101)
    return torch.tensor([ids[k] for k in order])


def by_hand_stats(values):
    """mean, SEM (n − 1 SD / √n) and n by the statistics module."""
    values = [float(v) for v in values]
    sem = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return statistics.mean(values), sem, len(values)


# ----------------------------------------------------------------------- the MSVT index


def test_msvt_index_against_a_loop_on_unequal_units(generator):
    """Three objects, five and seven views, units of very different scales and offsets and one
    constant unit, against :func:`ref_msvt` (z-scoring over all objects and views, 1 − Pearson
    across units, columns reversed, centre column deleted, Pearson)."""
    for views in (5, 7):
        r = torch.randn(3, views, 12, generator=generator, dtype=torch.float64)
        r = r * torch.linspace(0.2, 5.0, 12, dtype=torch.float64) + torch.arange(12.0)
        r[..., 4] = 2.5  # constant: dropped
        r[1] = r[1] + 0.8 * r[1].flip(0)  # one object partly mirror tuned
        expected = ref_msvt(r)
        assert msvt_index(r).tolist() == pytest.approx(expected, abs=2e-6)
        assert msvt_index(r, standardise=False).tolist() == pytest.approx(
            ref_msvt(r, standardise=False), abs=2e-6)
    with pytest.raises(ValueError, match="odd"):  # four views have no frontal view
        msvt_index(torch.randn(2, 4, 6, generator=generator))


def test_msvt_index_of_a_hand_worked_five_view_case():
    """Five views whose centred response vectors are e1 = (1, −1, 0, 0), e2 = (0, 0, 1, −1),
    e3 = (1, 1, −1, −1), e1, e2 (tuning that repeats after 135°; standardise=False so the
    vectors are used as they are). ρ is 1 for equal vectors, 0 otherwise, so D is 0 on the
    pairs (−90°, +45°), (−45°, +90°) and the diagonal, 1 elsewhere. The non-central columns of
    D hold 12 ones among 20 entries, those of D_flip too, and both have ones together at 4
    places (the centre row): ρ = (4 − 20·0.6²)/(12 − 20·0.6²) = −3.2/4.8 = −2/3."""
    e1, e2, e3 = [1.0, -1.0, 0.0, 0.0], [0.0, 0.0, 1.0, -1.0], [1.0, 1.0, -1.0, -1.0]
    r = torch.tensor([[e1, e2, e3, e1, e2]])
    assert float(msvt_index(r, standardise=False)) == pytest.approx(-2 / 3, abs=1e-6)


# ---------------------------------------------------------------------------- pooling

# A hand-worked 3×3 map, 2 channels, one object at 3 views (−θ, 0, +θ). Each position of
# channel 0 takes the values of a permutation of (−1, 0, 1) over the views (already z-scored:
# mean 0, n − 1 SD 1); channel 1 is its negative, so every pooled view vector is (p, −p) with
# mean 0 and its Pearson correlations are the cosines of p.
HAND = torch.tensor([[(0, 1, -1), (-1, 0, 1), (0, -1, 1)],
                     [(-1, 0, 1), (0, 1, -1), (0, 1, -1)],
                     [(-1, 0, 1), (0, 1, -1), (0, 1, -1)]], dtype=torch.float64)
HAND_MAPS = torch.stack([HAND, -HAND]).permute(3, 0, 1, 2)[None]  # (1 object, 3 views, 2, 3, 3)


def test_pooled_responses_hand_worked_window_2_with_a_constant_unit():
    """3 stimuli, one channel, a 2×3 map; every unit is a permutation of (−1, 0, 1) (so its
    z-score is itself) except the constant (1, 2). Window 2 gives two pooled units: the mean of
    (0,0), (0,1), (1,0), (1,1) per stimulus, (1 + 0 + 1 − 1)/4 = 1/4, 0, −1/4; and the mean of
    (0,1), (0,2), (1,1) — the constant left out — (0 − 1 − 1)/3 = −2/3, 2/3, 0. A constant
    counted as 0 would give −1/2, 1/2, 0."""
    cells = {(0, 0): (1, 0, -1), (0, 1): (0, 1, -1), (0, 2): (-1, 1, 0), (1, 0): (1, -1, 0),
             (1, 1): (-1, 0, 1), (1, 2): (5, 5, 5)}
    maps = torch.zeros(3, 1, 2, 3)
    for (i, j), vals in cells.items():
        maps[:, 0, i, j] = torch.tensor(vals, dtype=torch.float32)
    pooled = pooled_responses(maps, 2)
    expected = [[0.25, -2 / 3], [0.0, 2 / 3], [-0.25, 0.0]]
    assert pooled.shape == (3, 2)
    for got, row in zip(pooled.tolist(), expected, strict=True):
        assert got == pytest.approx(row, abs=1e-6)
    window_1 = pooled_responses(maps, 1)  # five units, the constant one dropped
    assert window_1.shape == (3, 5)
    assert window_1[:, 4].tolist() == pytest.approx([-1.0, 0.0, 1.0], abs=1e-6)


def test_pooled_index_hand_worked_every_window():
    """HAND_MAPS (see above). Window 2: the pooled vectors of channel 0 (×4) are
    p(−θ) = (−2, −1, −2, 0), p(0) = (2, 1, 2, 4), p(+θ) = (0, 0, 0, −4), norms 3, 5, 4:
    cos(−θ, 0) = −9/15 = −3/5, cos(0, +θ) = −16/20 = −4/5, cos(−θ, +θ) = 0, so x = 8/5,
    y = 9/5, z = 1 and the index is (5.76 − 4.86)/(7.8 − 4.86) = 15/49.
    Window 1: the views' 9-vectors have squared norms 3, 6, 9 and dot products 0 (−θ, 0),
    −6 (0, +θ), −3 (−θ, +θ): x = 1, y = 1 + √(2/3), z = 1 + 1/√3.
    Window 3: one pooled value per channel per view, (−3, 4, −1)/9: cosines −1, −1, +1, so
    D(−θ, 0) = D(0, +θ) = 2, D(−θ, +θ) = 0, D_flip = D and the index is 1."""
    window_1 = three_view_index(1.0, 1 + (2 / 3) ** 0.5, 1 + 3 ** -0.5)
    expected = {1: window_1, 2: 15 / 49, 3: 1.0}
    for k, value in expected.items():
        assert float(pooled_index(HAND_MAPS, k)) == pytest.approx(value, abs=1e-6), k
    assert {k: float(v) for k, v in pooled_indices(HAND_MAPS, [1, 2, 3]).items()} == \
        pytest.approx(expected, abs=1e-6)
    # the same object for all five families: the sweep's rows carry these values
    family_of = torch.arange(len(FAMILIES))
    sweep = pooling_sweep({"trained": HAND_MAPS.expand(len(FAMILIES), -1, -1, -1, -1)},
                          family_of)
    assert len(sweep.rows) == 3 * len(FAMILIES)
    for k, value in expected.items():
        for f in FAMILIES:
            assert sweep.row("trained", k, f) == pytest.approx(
                {"network": "trained", "window": k, "family": f, "mean": value, "sem": 0.0,
                 "n": 1}, abs=1e-6)


def test_pooled_responses_and_indices_every_window_against_a_loop(generator):
    """Random 4×4 maps of 2 channels, 10 objects × 5 views, one constant unit and one unit
    constant except for one stimulus: every window 1 … 4, pooled responses and indices
    (pooled_index, pooled_indices) against :func:`ref_pooled` and :func:`ref_msvt` without a
    second z-scoring."""
    maps = torch.randn(10, 5, 2, 4, 4, generator=generator, dtype=torch.float64)
    maps = maps * torch.linspace(0.5, 3.0, 16, dtype=torch.float64).reshape(4, 4) + 2.0
    maps[..., 1, 0, 3] = -1.0  # a constant unit
    maps[..., 0, 2, 2] = 0.0
    maps[3, 1, 0, 2, 2] = 4.0  # varies at one stimulus only
    at_once = pooled_indices(maps, range(1, 5))
    for k in range(1, 5):
        pooled = ref_pooled(maps, k)
        got = pooled_responses(maps, k)
        assert got.shape == pooled.shape
        assert np.allclose(got.numpy(), pooled, atol=1e-9)
        expected = ref_msvt(pooled, standardise=False)
        assert pooled_index(maps, k).tolist() == pytest.approx(expected, abs=2e-6)
        assert at_once[k].tolist() == pytest.approx(expected, abs=2e-6)


def test_pooling_sweep_every_window_and_family_against_a_loop(generator):
    """Two networks (4 channels, 3×3 maps), families of 1–3 objects in a shuffled order: each
    row (network × window × family) is the mean and SEM (statistics module) of the family's
    reference indices."""
    family_of = family_index([2, 3, 1, 2, 2])
    n = len(family_of)
    conv4 = {"trained": torch.randn(n, 5, 4, 3, 3, generator=generator),
             "untrained": torch.randn(n, 5, 4, 3, 3, generator=generator) ** 2}
    conv4["trained"][2] = conv4["trained"][2] + conv4["trained"][2].flip(0)
    sweep = pooling_sweep(conv4, family_of)
    assert len(sweep.rows) == 2 * 3 * len(FAMILIES)
    for net, maps in conv4.items():
        for k in (1, 2, 3):
            index = ref_msvt(ref_pooled(maps, k), standardise=False)
            for i, f in enumerate(FAMILIES):
                mean, sem, count = by_hand_stats([index[o] for o in range(n) if family_of[o] == i])
                row = sweep.row(net, k, f)
                assert (row["mean"], row["sem"], row["n"]) == pytest.approx((mean, sem, count),
                                                                            abs=2e-6)


def test_receptive_field_by_composing_the_layers():
    """A unit's receptive field composed layer by layer (r += (k − 1)·jump; jump *= stride):
    conv3 s1, conv3 s1, maxpool2 s2, conv3 s1, conv3 s1 → conv4: 14 pixels, jump 2; then
    maxpool2 s2 → pool2: 14 + 1·2 = 16 pixels, jump 4. Pooling k × k units of a layer adds
    (k − 1)·jump. The default layer is pool2 (the analogue of the authors' pool5)."""
    r, jump = 1, 1
    composed = {}
    for name, kernel, stride in (("conv1", 3, 1), ("conv2", 3, 1), ("pool1", 2, 2),
                                 ("conv3", 3, 1), ("conv4", 3, 1), ("pool2", 2, 2)):
        r += (kernel - 1) * jump
        jump *= stride
        composed[name] = (r, jump)
    assert composed["conv4"] == (14, 2) and composed["pool2"] == (16, 4)
    for layer in ("conv4", "pool2"):
        r, jump = composed[layer]
        for k in range(1, 11):
            assert receptive_field(k, layer) == r + (k - 1) * jump, (layer, k)
    assert receptive_field(5) == 16 + 4 * 4 == 32  # pool2's whole 5 × 5 map: the whole image
    with pytest.raises(ValueError):
        receptive_field(2, "conv3")


def test_layer_indices_and_the_gap_index_of_the_explorer(generator):
    """layer_indices: each layer's MSVT index (reference loop, with z-scoring), ``gap``: pool2
    (the last pooling layer, the pool5 analogue) z-scored then averaged over its whole map
    (reference pooling, window = map size) and ``gap_conv4``: the same for conv4 — both scored
    without a second z-scoring; ``gap`` is the index the explorer prints."""
    responses = {"pixels": torch.rand(3, 5, 4, 4, generator=generator),
                 "fc2": torch.randn(3, 5, 7, generator=generator),
                 "conv4": torch.rand(3, 5, 3, 4, 4, generator=generator),
                 "pool2": torch.rand(3, 5, 3, 2, 2, generator=generator)}
    responses["conv4"][:, :, 1] = responses["conv4"][:, :, 1].flip(1)
    responses["pool2"][:, :, 2] = responses["pool2"][:, :, 2].flip(1)
    out = layer_indices(responses, ("pixels", "fc2", "conv4", "pool2"))
    assert set(out) == {"pixels", "fc2", "conv4", "pool2", "gap", "gap_conv4"}
    for layer in ("pixels", "fc2", "conv4", "pool2"):
        assert out[layer].tolist() == pytest.approx(ref_msvt(responses[layer]), abs=2e-6)
    gap = ref_msvt(ref_pooled(responses["pool2"], 2), standardise=False)
    gap_conv4 = ref_msvt(ref_pooled(responses["conv4"], 4), standardise=False)
    assert out["gap"].tolist() == pytest.approx(gap, abs=2e-6)
    assert out["gap_conv4"].tolist() == pytest.approx(gap_conv4, abs=2e-6)
    assert gap != pytest.approx(gap_conv4, abs=1e-3)  # the two placements differ
    assert gap_conv4 != pytest.approx(ref_msvt(ref_pooled(responses["conv4"], 3),
                                               standardise=False), abs=1e-3)
    # without pool2 (or conv4) the corresponding pooled index is left out
    only_conv4 = layer_indices({k: responses[k] for k in ("pixels", "conv4")}, ("pixels",))
    assert set(only_conv4) == {"pixels", "gap_conv4"}


# ------------------------------------------------------------ equivariance and invariance


def test_analysis_mask_on_non_square_maps():
    """The authors' mask drops column w // 2 (hflip), row h // 2 (vflip), pixel (h//2, w//2)
    (rot90), written out for a 3×4 and a 4×5 map."""
    for h, w in ((3, 4), (4, 5), (4, 4), (5, 5)):
        hflip = [[j != w // 2 for j in range(w)] for _ in range(h)]
        vflip = [[i != h // 2] * w for i in range(h)]
        assert analysis_mask(h, w, "hflip").tolist() == hflip
        assert analysis_mask(h, w, "vflip").tolist() == vflip
        if h == w:
            rot = [[(i, j) != (h // 2, w // 2) for j in range(w)] for i in range(h)]
            assert analysis_mask(h, w, "rot90").tolist() == rot


@pytest.mark.parametrize("size", [4, 5])
def test_equivariance_and_invariance_against_numpy(generator, size):
    """Maps f and f(Tx) = T(0.6 f + noise) for each transform (so none is the identity case),
    with per-unit gains and offsets, one unit constant in f(Tx) only: per image and mean
    against :func:`ref_equivariance` (inverse transforms and mask by explicit indices), and
    equivariances() for the three transforms at once; invariance of the pooled maps and of the
    maps against :func:`ref_invariance`."""
    f = torch.randn(12, 3, size, size, generator=generator, dtype=torch.float64)
    moved = {}
    for name in ("hflip", "vflip", "rot90"):
        g = 0.6 * f + torch.randn(f.shape, generator=generator, dtype=torch.float64)
        g = g * (1 + torch.rand(3, size, size, generator=generator, dtype=torch.float64)) + 3
        t = torch.from_numpy(ref_forward(g.numpy(), name))
        t[:, 2, 0, 1] = 0.5  # constant in this set only
        moved[name] = t
    both = equivariances(f, moved)
    for name, t in moved.items():
        expected = ref_equivariance(f.numpy(), t.numpy(), name)
        assert np.allclose(both[name].numpy(), expected, atol=2e-5), name
        per = equivariance(f, t, name, per_image=True)
        assert np.allclose(per.numpy(), expected, atol=2e-5), name
        assert equivariance(f, t, name) == pytest.approx(float(expected.mean()), abs=2e-5)
        pooled, pooled_t = f.mean((-2, -1)), t.mean((-2, -1))
        inv = ref_invariance(pooled.numpy(), pooled_t.numpy())
        assert np.allclose(invariance(pooled, pooled_t, per_image=True).numpy(), inv,
                           atol=2e-5)
        assert invariance(pooled, pooled_t) == pytest.approx(float(inv.mean()), abs=2e-5)
        assert np.allclose(invariance(f, t, per_image=True).numpy(),
                           ref_invariance(f.numpy(), t.numpy()), atol=2e-5)


def test_filter_symmetry_five_wide_against_a_loop(generator):
    """5×5 and 3×2 filters (columns 0, 1 against 4, 3; column 0 against 1) against the loop of
    :func:`ref_filter_symmetry`, random and partly symmetric filters."""
    w = torch.randn(6, 2, 5, 5, generator=generator, dtype=torch.float64)
    w[:3] = w[:3] + 0.7 * w[:3].flip(-1)
    assert filter_symmetry(w).tolist() == pytest.approx(ref_filter_symmetry(w), abs=1e-6)
    w2 = torch.randn(4, 3, 3, 2, generator=generator, dtype=torch.float64)
    assert filter_symmetry(w2).tolist() == pytest.approx(ref_filter_symmetry(w2), abs=1e-6)


# ------------------------------------------------------------------------- summaries


def test_mean_sem_and_median_mean_by_hand():
    """(2, 4, 9, nan, inf): the finite values 2, 4, 9 have mean 5, n − 1 SD √((9 + 1 + 16)/2) =
    √13, SEM √(13/3); one value: SEM 0. median_mean of (10, 0, 2, 1, nan): the finite values
    sorted 0, 1, 2, 10 have the median (1 + 2)/2 = 1.5 (NumPy's median, the authors'
    figureS7.py; not the lower middle value 1) and mean 13/4."""
    stats = mean_sem(torch.tensor([2.0, 4.0, 9.0, float("nan"), float("inf")]))
    assert stats == pytest.approx({"mean": 5.0, "sem": math.sqrt(13 / 3), "n": 3})
    assert mean_sem(torch.tensor([0.7])) == pytest.approx({"mean": 0.7, "sem": 0.0, "n": 1})
    summary = median_mean(torch.tensor([10.0, 0.0, 2.0, 1.0, float("nan")]))
    assert summary == pytest.approx({"median": 1.5, "mean": 3.25, "n": 4})
    assert median_mean(torch.tensor([3.0, -1.0, 8.0]))["median"] == 3.0


def test_family_table_statstable_and_texts_by_hand():
    """Twelve objects in a shuffled family order with 1–4 objects per family: each row is the
    statistics module's mean and SEM of that family's values, in FAMILIES order, for each
    network; text() and sem_text() print a signed mean and the SEM to two decimals."""
    family_of = family_index([4, 2, 1, 3, 2])
    values = {"a": torch.tensor([0.3, -0.1, 0.8, 0.25, -0.6, 0.05, 0.9, 0.4, -0.2, 0.15, 0.7,
                                 -0.35]),
              "b": torch.linspace(-1.0, 1.0, 12)}
    table = family_table(values, family_of, ("network", "family"))
    assert [(r["network"], r["family"]) for r in table.rows] == [
        (net, f) for net in ("a", "b") for f in FAMILIES]
    for net, v in values.items():
        for i, f in enumerate(FAMILIES):
            mean, sem, n = by_hand_stats([v[o] for o in range(12) if family_of[o] == i])
            assert table.row(net, f) == pytest.approx(
                {"network": net, "family": f, "mean": mean, "sem": sem, "n": n}, abs=1e-6)
            assert table.mean(net, f) == pytest.approx(mean, abs=1e-6)
            assert table.nested()[net][f] == pytest.approx({"mean": mean, "sem": sem, "n": n},
                                                           abs=1e-6)
    manual = StatTable(("network", "family"), (
        {"network": "x", "family": "head", "mean": -0.054, "sem": 0.126, "n": 3},
        {"network": "x", "family": "radial", "mean": 0.936, "sem": 0.004, "n": 3}))
    assert manual.text("x", "head") == "-0.05 ± 0.13"
    assert manual.text("x", "radial") == "+0.94 ± 0.00"
    assert sem_text({"mean": 0.936, "sem": 0.024}) == "+0.94 ± 0.02"
    assert sem_text({"mean": -1.0, "sem": 0.0}) == "-1.00 ± 0.00"
    with pytest.raises(KeyError):
        manual.row("x", "one_plane")


def test_msvt_table_reads_each_network_and_only_the_given_layers():
    """Per network, layer and family the mean of the family's objects: object o of family i
    gets 10·i + o (network a) or −(10·i + o) (network b) plus 100·layer number; the table holds
    the given layers only, in their order."""
    family_of = family_index([2, 2, 2, 2, 2])
    base = torch.tensor([10.0 * int(i) + o for o, i in enumerate(family_of)])
    layers = ("conv2", "pixels")
    indices = {"a": {lay: base + 100 * k for k, lay in enumerate(ALL_LAYERS)},
               "b": {lay: -base + 100 * k for k, lay in enumerate(ALL_LAYERS)}}
    table = msvt_table(indices, family_of, layers)
    assert len(table.rows) == 2 * 2 * len(FAMILIES)
    assert [r["layer"] for r in table.rows[:2 * len(FAMILIES):len(FAMILIES)]] == list(layers)
    for sign, net in ((1, "a"), (-1, "b")):
        for lay in layers:
            k = ALL_LAYERS.index(lay)
            for i, f in enumerate(FAMILIES):
                objs = [o for o in range(10) if family_of[o] == i]
                mean, sem, _ = by_hand_stats([sign * (10 * i + o) + 100 * k for o in objs])
                assert table.mean(net, lay, f) == pytest.approx(mean, abs=1e-4)
                assert table.row(net, lay, f)["sem"] == pytest.approx(sem, abs=1e-4)


def stat_table(values: dict) -> StatTable:
    """A StatTable for network ``net`` written out row by row: ``values[(layer, family)]`` or
    −0.5."""
    rows = tuple({"network": "net", "layer": lay, "family": f,
                  "mean": values.get((lay, f), -0.5), "sem": 0.0, "n": 1}
                 for lay in ALL_LAYERS for f in FAMILIES)
    return StatTable(("network", "layer", "family"), rows)


def rises(**changed) -> dict:
    """An authors' test result per (layer, family): a significant rise everywhere, except the
    ``changed`` entries (``"fc1_head": (significant, greater)``)."""
    tests = {(lay, f): {"significant": True, "greater": True, "q": 0.001}
             for lay in ALL_LAYERS for f in FAMILIES}
    for key, (significant, greater) in changed.items():
        lay, f = key.split("_", 1)
        tests[lay, f] = {"significant": significant, "greater": greater, "q": 0.001}
    return tests


def test_headline_peak_over_every_conv_and_pool_layer_and_thresholds():
    """The peak is the largest one-plane or head mean over pixels, conv1, conv2, pool1, conv3,
    conv4, pool2 (whichever layer holds it), never fc1/fc2 or the other families; the last
    layer's one-plane and head means are read separately; thresholds strict: peak < 0.1,
    means > 0.6 at fc1 and at fc2 (with a significant rise at both by the authors' test)."""
    assert CONV_AND_POOL == ("pixels", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2")
    assert (CONV_LOW, FC_HIGH, LAST, SYMMETRIC) == (0.1, 0.6, "fc2", ("one_plane", "head"))
    distract = {("fc1", "one_plane"): 0.95, ("fc1", "head"): 0.9, ("fc2", "asymmetric"): 0.99,
                ("fc2", "one_plane"): 0.7, ("fc2", "head"): 0.65}
    for lay in CONV_AND_POOL:
        distract_conv = {(lay2, "radial"): 0.5 for lay2 in CONV_AND_POOL}
        for f, peak in (("one_plane", 0.08), ("head", 0.3)):
            h = headline(stat_table(distract | distract_conv | {(lay, f): peak}), rises(), "net")
            assert h == pytest.approx({"conv_peak": peak, "one_plane": 0.7, "head": 0.65,
                                       "conv_low": peak < 0.1, "one_plane_fc_high": True,
                                       "head_fc_high": True}), (lay, f)
    at_threshold = headline(stat_table({("conv3", "head"): 0.1, ("fc1", "one_plane"): 0.9,
                                        ("fc2", "one_plane"): 0.6, ("fc1", "head"): 0.61,
                                        ("fc2", "head"): 0.61}), rises(), "net")
    assert at_threshold["conv_low"] is False and at_threshold["one_plane_fc_high"] is False
    assert at_threshold["head_fc_high"] is True
    swapped = headline(stat_table({("fc1", "one_plane"): 0.2, ("fc2", "one_plane"): 0.2,
                                   ("fc1", "head"): 0.9, ("fc2", "head"): 0.9}), rises(), "net")
    assert (swapped["one_plane"], swapped["head"]) == (0.2, 0.9)
    assert swapped["one_plane_fc_high"] is False and swapped["head_fc_high"] is True
    assert swapped["conv_peak"] == -0.5 and swapped["conv_low"] is True


def test_fc_high_needs_the_test_and_the_threshold_at_fc1_and_fc2():
    """fc_high by hand on one table (one-plane 0.7 at fc1 and fc2; head 0.9 at fc1 only, 0.3 at
    fc2) and several authors' tests: ``test`` needs a significant rise (significant AND
    greater) at both fc layers, ``threshold`` a mean > 0.6 at both, ``holds`` both."""
    table = stat_table({("fc1", "one_plane"): 0.7, ("fc2", "one_plane"): 0.7,
                        ("fc1", "head"): 0.9, ("fc2", "head"): 0.3})
    fc_high = mirror_summary.fc_high
    # both: test and threshold at fc1 and fc2
    assert fc_high(table, rises(), "net", "one_plane") == {"test": True, "threshold": True,
                                                           "holds": True}
    # only the threshold: fc2 not significant, or significant but a decrease
    for change in ((False, True), (True, False)):
        assert fc_high(table, rises(fc2_one_plane=change), "net", "one_plane") == {
            "test": False, "threshold": True, "holds": False}, change
    # ... or the fc1 test fails (the rise at fc2 alone is not enough)
    assert fc_high(table, rises(fc1_one_plane=(False, False)), "net", "one_plane")["holds"] \
        is False
    # only the test: the head is high at fc1 only (0.3 at fc2)
    assert fc_high(table, rises(), "net", "head") == {"test": True, "threshold": False,
                                                      "holds": False}
    # neither
    assert fc_high(table, rises(fc1_head=(False, True)), "net", "head") == {
        "test": False, "threshold": False, "holds": False}
    # another family's failing test does not matter
    assert fc_high(table, rises(fc1_head=(False, True), fc2_head=(False, True)), "net",
                   "one_plane")["holds"] is True
    # headline: conv peak −0.5 (every conv mean), one_plane holds; head at fc1 only → False
    h = headline(table, rises(), "net")
    assert h == pytest.approx({"conv_peak": -0.5, "one_plane": 0.7, "head": 0.3,
                               "conv_low": True, "one_plane_fc_high": True,
                               "head_fc_high": False})
    # only the test fails for one_plane → its headline flag is False as well
    assert headline(table, rises(fc1_one_plane=(True, False)), "net")["one_plane_fc_high"] \
        is False


# --------------------------------------------------------- equivariance margins and controls


def test_margin_of_by_hand():
    """Four images (an even count, so the median is the mean of the middle two, as NumPy's):
    hflip (0.9, 0.1, 0.5, 0.7): median 0.6, mean 0.55; vflip (0.2, 0.4, 0.0, 0.9): median
    0.3, mean 0.375; rot90 (0.1, 0.25, 0.3, 1.0): median 0.275, mean 0.4125. By median the
    larger rival is vflip, by mean rot90: margins 0.6 − 0.3 = 0.3 and 0.55 − 0.4125 = 0.1375
    (lower middle values instead of medians would give 0.5 − 0.25 = 0.25). Another layer with
    the transforms' roles exchanged gives its own numbers."""
    values = {"hflip": {"conv2": torch.tensor([0.9, 0.1, 0.5, 0.7]),
                        "conv3": torch.tensor([0.2, 0.4, 0.0, 0.9])},
              "vflip": {"conv2": torch.tensor([0.2, 0.4, 0.0, 0.9]),
                        "conv3": torch.tensor([0.9, 0.1, 0.5, 0.7])},
              "rot90": {"conv2": torch.tensor([0.1, 0.25, 0.3, 1.0]),
                        "conv3": torch.tensor([0.1, 0.25, 0.3, 1.0])}}
    assert margin_of(values, "conv2") == pytest.approx({"median": 0.3, "mean": 0.1375},
                                                       abs=1e-6)
    # conv3: hflip median 0.3, mean 0.375; rivals vflip 0.6/0.55 and rot90 0.275/0.4125
    assert margin_of(values, "conv3") == pytest.approx({"median": -0.3, "mean": -0.175},
                                                       abs=1e-6)


def test_random_margins_arithmetic_on_stub_networks(monkeypatch):
    """equivariance_values replaced by a stub whose k-th network has, per layer, hflip values
    (t − 1, t, t + 5) (median t, mean t + 4/3), vflip (0, 0, 0), rot90 (−1, −1, −1): the
    median margin is t. Hand statistics per layer (n − 1 SD, bound mean + 2 SD, positive:
    strictly above 0): conv1 (0.1, −0.2, 0.4): mean 0.1, SD 0.3, bound 0.7, 2 positive;
    conv2 (0, 0.2, 0.4): 0.2, 0.2, 0.6, 2 (0 is not positive); conv3 (−0.5, −0.1, −0.3):
    −0.3, 0.2, 0.1, 0; conv4 (0.3, 0.3, 0.9): 0.5, √0.12, 0.5 + 2√0.12, 3. Each network is a
    fresh draw (its own random stream), in eval mode, measured on the images given, drawn like
    the trained networks' start (PyTorch's default: conv1 weights and biases within
    ±1/√9 = ±1/3, biases not zero)."""
    targets = {"conv1": [0.1, -0.2, 0.4], "conv2": [0.0, 0.2, 0.4], "conv3": [-0.5, -0.1, -0.3],
               "conv4": [0.3, 0.3, 0.9]}
    seen = []
    images = torch.zeros(3, 1, 32, 32)

    def stub(model, imgs):
        assert imgs is images and not model.training
        k = len(seen)
        seen.append(model.conv1.weight.detach().clone())
        bias = model.conv1.bias.detach()
        assert bias.abs().max() <= 1 / 3 and bias.abs().min() > 0
        assert float(seen[-1].abs().max()) <= 1 / 3
        return {"hflip": {lay: torch.tensor([t[k] - 1, t[k], t[k] + 5], dtype=torch.float64)
                          for lay, t in targets.items()},
                "vflip": {lay: torch.zeros(3, dtype=torch.float64) for lay in targets},
                "rot90": {lay: -torch.ones(3, dtype=torch.float64) for lay in targets}}

    monkeypatch.setattr(measures, "equivariance_values", stub)
    out = random_margins(4, images, seed=3, n=3)
    expected = {"conv1": (0.1, 0.3, 0.7, 2), "conv2": (0.2, 0.2, 0.6, 2),
                "conv3": (-0.3, 0.2, 0.1, 0),
                "conv4": (0.5, 0.12 ** 0.5, 0.5 + 2 * 0.12 ** 0.5, 3)}
    assert set(out) == set(CONV)
    for lay, (mean, sd, bound, positive) in expected.items():
        assert out[lay]["margins"] == pytest.approx(targets[lay], abs=1e-9)
        assert (out[lay]["mean"], out[lay]["sd"], out[lay]["bound"]) == pytest.approx(
            (mean, sd, bound), abs=1e-9)
        assert (out[lay]["n"], out[lay]["positive"]) == (3, positive)
    assert len(seen) == 3
    assert not torch.equal(seen[0], seen[1]) and not torch.equal(seen[1], seen[2])
    first = seen[0]
    seen.clear()
    random_margins(4, images, seed=3, n=1)  # the same seed: the same first network
    assert torch.equal(seen[0], first)
    seen.clear()
    single = random_margins(4, images, seed=3, n=1)
    assert single["conv1"].pop("margins") == pytest.approx([0.1], abs=1e-9)
    assert single["conv1"] == pytest.approx({"mean": 0.1, "sd": 0.0, "n": 1, "positive": 1,
                                             "bound": 0.1}, abs=1e-9)


def test_equivariance_values_of_a_network_against_numpy(generator):
    """A random small CNN on six images: per transform and conv layer the per-image
    equivariance, and per transform the invariance of pool2's spatial mean (``gap``, the last
    pooling layer's global average), against the NumPy references on the network's own
    responses to the images and to their flips and counter-clockwise rotations (made by
    explicit indices)."""
    model = MirrorCNN(3)
    init_like_paper(model, generator)
    model.eval()
    images = torch.rand(6, 1, 32, 32, generator=generator)
    images = images + torch.linspace(0, 1, 32)  # not symmetric under any of the transforms
    values = equivariance_values(model, images)
    with torch.no_grad():
        plain = model.activations(images)
        moved = {name: model.activations(torch.from_numpy(ref_forward(images.numpy(), name)))
                 for name in ("hflip", "vflip", "rot90")}
    assert set(values) == {"hflip", "vflip", "rot90"}
    for name in ("hflip", "vflip", "rot90"):
        assert set(values[name]) == {*CONV, "gap"}
        for lay in CONV:
            expected = ref_equivariance(plain[lay].numpy(), moved[name][lay].numpy(), name)
            assert np.allclose(values[name][lay].numpy(), expected, atol=1e-4), (name, lay)
        gap = ref_invariance(plain["pool2"].mean((-2, -1)).numpy(),
                             moved[name]["pool2"].mean((-2, -1)).numpy())
        assert np.allclose(values[name]["gap"].numpy(), gap, atol=1e-4), name


def test_filter_symmetries_and_their_mean_on_constructed_filters(generator):
    """conv1's filters are r·u(row)·v(column) with u = (1, 0, −1) (odd top–bottom) and
    v = (1, 2, 1) (even left–right): left–right 1, top–bottom −1. conv2–conv4's are
    r·v(row)·u(column): left–right −1, top–bottom 1 (r random per filter and channel). The
    mean over all 32 + 32 + 64 + 128 = 256 filters is (32 − 224)/256 = −0.75 left–right and
    +0.75 top–bottom (a mean of the four layer means would give ∓0.5)."""
    model = MirrorCNN(2)
    u, v = torch.tensor([1.0, 0.0, -1.0]), torch.tensor([1.0, 2.0, 1.0])
    with torch.no_grad():
        for lay in CONV:
            w = getattr(model, lay).weight
            r = 0.5 + torch.rand(w.shape[:2], generator=generator)
            pattern = torch.outer(u, v) if lay == "conv1" else torch.outer(v, u)
            w.copy_(r[..., None, None] * pattern)
    lr, tb = filter_symmetries(model), filter_symmetries(model, top_bottom=True)
    sizes = {"conv1": 32, "conv2": 32, "conv3": 64, "conv4": 128}
    for lay, n in sizes.items():
        sign = 1.0 if lay == "conv1" else -1.0
        assert lr[lay].tolist() == pytest.approx([sign] * n, abs=1e-5)
        assert tb[lay].tolist() == pytest.approx([-sign] * n, abs=1e-5)
    assert mean_filter_symmetry(model) == pytest.approx(-0.75, abs=1e-5)
    assert mean_filter_symmetry(model, top_bottom=True) == pytest.approx(0.75, abs=1e-5)


def test_filter_symmetries_of_random_filters_against_a_loop(generator):
    """Random filters (paper initialisation): per layer, left–right against the loop of
    :func:`ref_filter_symmetry`, top–bottom against the same loop on the filters with rows and
    columns exchanged by indices; the means over all filters likewise."""
    model = MirrorCNN(2)
    init_like_paper(model, generator)
    lr, tb = filter_symmetries(model), filter_symmetries(model, top_bottom=True)
    all_lr, all_tb = [], []
    for lay in CONV:
        w = getattr(model, lay).weight.detach().numpy()
        rows_as_columns = np.einsum("oihw->oiwh", w)
        exp_lr, exp_tb = ref_filter_symmetry(w), ref_filter_symmetry(rows_as_columns)
        assert lr[lay].tolist() == pytest.approx(exp_lr, abs=1e-5)
        assert tb[lay].tolist() == pytest.approx(exp_tb, abs=1e-5)
        all_lr += exp_lr
        all_tb += exp_tb
    assert mean_filter_symmetry(model) == pytest.approx(statistics.mean(all_lr), abs=1e-6)
    assert mean_filter_symmetry(model, top_bottom=True) == pytest.approx(
        statistics.mean(all_tb), abs=1e-6)


def ref_autocorrelation(x, shift, axis):
    """Each pixel z-scored over the images (n − 1 SD; a constant pixel gives 0), then per image
    the Pearson correlation of the pairs (z[i, j], z[i, j + s]) (axis −1) or (z[i, j],
    z[i + s, j]) (axis −2), averaged over the images — in loops."""
    x = np.asarray(x, dtype=np.float64)
    n, h, w = x.shape
    z = np.zeros_like(x)
    for i in range(h):
        for j in range(w):
            col = [float(v) for v in x[:, i, j]]
            mean = sum(col) / n
            sd = math.sqrt(sum((v - mean) ** 2 for v in col) / (n - 1))
            for k in range(n):
                z[k, i, j] = (col[k] - mean) / sd if sd > 0 else 0.0
    z = z.tolist()
    per_image = []
    for k in range(n):
        if axis == -1:
            pairs = [(z[k][i][j], z[k][i][j + shift]) for i in range(h) for j in range(w - shift)]
        else:
            pairs = [(z[k][i][j], z[k][i + shift][j]) for i in range(h - shift) for j in range(w)]
        per_image.append(ref_pearson(*zip(*pairs, strict=True)))
    return statistics.mean(per_image)


def test_pixel_autocorrelation_against_a_loop(generator):
    """Five 4×6 images, smooth along x (cumulative sums) with one constant pixel, shifts 1 and
    2 along both axes, against the loop of :func:`ref_autocorrelation`."""
    x = torch.randn(5, 4, 6, generator=generator, dtype=torch.float64).cumsum(-1)
    x[:, 1, 1] = 0.3
    results = {}
    for shift in (1, 2):
        for axis in (-1, -2):
            results[shift, axis] = ref_autocorrelation(x, shift, axis)
            assert pixel_autocorrelation(x, shift, axis) == pytest.approx(results[shift, axis],
                                                                          abs=1e-9)
    assert results[1, -1] > results[1, -2] + 0.2  # smooth along x: the axes differ


def test_init_alignment_by_hand():
    """Untrained weights all ones (n values); trained weights ones with the first f·n set to
    0: cosine (1 − f)n / √(n · (1 − f)n) = √(1 − f). Each layer its own f, so each key reads
    its own layer; fc3 is not reported."""
    trained, untrained = MirrorCNN(2), MirrorCNN(2)
    fractions = {"conv1": 0.0, "conv2": 0.25, "conv3": 0.5, "conv4": 0.75, "fc1": 0.875,
                 "fc2": 0.5}
    with torch.no_grad():
        for lay, frac in fractions.items():
            w0, w1 = getattr(untrained, lay).weight, getattr(trained, lay).weight
            w0.fill_(1.0)
            flat = torch.ones(w1.numel())
            flat[:int(frac * w1.numel())] = 0.0
            w1.copy_(flat.reshape(w1.shape))
            getattr(trained, lay).bias.fill_(-7.0)  # biases do not count
    out = init_alignment(trained, untrained)
    assert list(out) == list(fractions)
    assert out == pytest.approx({lay: math.sqrt(1 - f) for lay, f in fractions.items()},
                                abs=1e-6)


def test_silent_channels_counts_channels_constant_over_every_image_and_position(generator):
    """(objects, views, C, H, W) and (images, C, H, W): a channel is silent when it takes one
    value at every position of every image. Channel 0: zero everywhere (silent); 1: the same
    non-constant spatial pattern on every image (not silent); 2: zero except on one image
    (not silent); 3: 2.0 everywhere (silent); 4: 2.0 + 1e-3 noise (not silent); 5: random."""
    conv1 = torch.randn(3, 4, 6, 5, 5, generator=generator)
    conv1[..., 0, :, :] = 0.0
    conv1[..., 1, :, :] = torch.arange(25.0).reshape(5, 5)
    conv1[..., 2, :, :] = 0.0
    conv1[1, 2, 2, 3, 3] = 0.5
    conv1[..., 3, :, :] = 2.0
    conv1[..., 4, :, :] = 2.0 + 1e-3 * torch.randn(3, 4, 5, 5, generator=generator)
    assert silent_channels(conv1) == 2
    assert silent_channels(conv1.flatten(0, 1)) == 2


def test_mirror_errors_by_hand():
    """One object per family built mirror-exact (view −θ = hflip of view +θ), then one pixel of
    its first view raised by δ: its error is exactly δ. Objects (in this order) of the
    families no plane, one plane, radial, head, two planes, no plane. Three cases, so that each
    family with a plane holds the largest δ once (0.003 among 0.001, 0.002, 0.003), the two
    no-plane objects have 0.5 and 0.2 and the radial object (in neither statistic) 0.9 or 0.05:
    max_symmetric = 0.003, min_asymmetric = 0.2."""
    family_of = torch.tensor([2, 0, 4, 1, 3, 2])
    base = torch.rand(6, 3, 4, 4, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    exact = torch.cat([base, base[:, 1:2] + base[:, 1:2].flip(-1), base.flip(1).flip(-1)], 1)
    assert exact.shape == (6, 7, 4, 4)
    for one, head, two, radial in ((0.003, 0.001, 0.002, 0.9), (0.002, 0.003, 0.001, 0.05),
                                   (0.001, 0.002, 0.003, 0.9)):
        images = exact.clone()
        for o, d in enumerate((0.5, one, radial, head, two, 0.2)):
            images[o, 0, 1, 0] += d
        errors = mirror_errors(images, family_of)
        assert errors == pytest.approx({"max_symmetric": 0.003, "min_asymmetric": 0.2},
                                       abs=1e-12)


def test_equivariance_images_and_explorer_objects_by_hand():
    """20 objects, 2 per family: linspace(0, 19, 10) = 0, 2.11, 4.22, 6.33, 8.44, 10.56,
    12.67, 14.78, 16.89, 19 rounds to 0, 2, 4, 6, 8, 11, 13, 15, 17, 19; all views of each, in
    order. More than there are: all 20. explorer_objects takes the first n of each family in
    FAMILIES order."""
    images = torch.arange(20.0)[:, None, None, None] * 10 + torch.arange(3.0)[None, :, None,
                                                                             None]
    images = images.expand(20, 3, 2, 2)
    chosen = equivariance_images(images, 2)
    assert chosen.shape == (30, 1, 2, 2)
    expected = [10 * o + v for o in (0, 2, 4, 6, 8, 11, 13, 15, 17, 19) for v in range(3)]
    assert chosen[:, 0, 0, 0].tolist() == expected
    assert equivariance_images(images, 5)[:, 0, 0, 0].tolist() == [
        10 * o + v for o in range(20) for v in range(3)]
    family_of = torch.tensor([3, 0, 1, 0, 4, 2, 1, 0, 3, 2, 4])
    assert explorer_objects(family_of, 2) == [1, 3, 2, 6, 5, 9, 0, 8, 4, 10]
    assert explorer_objects(family_of, 1) == [1, 2, 5, 0, 4]


def test_finite_passes_numbers_and_refuses_nan_and_inf():
    """A printed number must be finite."""
    assert finite(-0.25) == -0.25
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="finite"):
            finite(bad)


def test_manipulation_record_against_references(generator):
    """A random network (3 classes) on 7 objects × 3 views: accuracy, classes and the number of
    training images copied; fc1
    and fc2 MSVT per family by the reference loop on the network's own responses and the
    statistics module; the mean left–right filter symmetry over all 256 filters by the loop
    of :func:`ref_filter_symmetry`."""
    model = MirrorCNN(3)
    init_like_paper(model, generator)
    state = {"trained": model.state_dict(), "n_classes": 3, "test_accuracy": 0.625,
             "n_images": 96}
    family_of = family_index([2, 1, 1, 2, 1])
    images = torch.rand(7, 3, 32, 32, generator=generator)
    images[:, 2] = images[:, 0].flip(-1)  # mirror views for some structure
    record = manipulation_record(state, images, family_of)
    assert record["test_accuracy"] == 0.625 and record["n_classes"] == 3
    assert record["n_images"] == 96
    assert set(record) == {"test_accuracy", "n_classes", "n_images", "msvt", "filter_symmetry"}
    with torch.no_grad():
        acts = model.eval().activations(images.reshape(21, 1, 32, 32))
    assert set(record["msvt"]) == {"fc1", "fc2"}
    for layer in ("fc1", "fc2"):
        index = ref_msvt(acts[layer].reshape(7, 3, -1))
        for i, f in enumerate(FAMILIES):
            mean, sem, n = by_hand_stats([index[o] for o in range(7) if family_of[o] == i])
            assert record["msvt"][layer][f] == pytest.approx({"mean": mean, "sem": sem, "n": n},
                                                             abs=2e-5)
    symmetry = [s for lay in CONV for s in ref_filter_symmetry(getattr(model, lay).weight
                                                                .detach().numpy())]
    assert len(symmetry) == 256
    assert record["filter_symmetry"] == pytest.approx(statistics.mean(symmetry), abs=1e-6)


# ------------------------------------------------------- functions of the reorganised package


def test_hflip_margin_by_hand():
    """As test_margin_of_by_hand, on one layer's per-transform values: hflip (0.9, 0.1, 0.5,
    0.7) median 0.6, mean 0.55; vflip (0.2, 0.4, 0.0, 0.9) 0.3, 0.375; rot90 (0.1, 0.25, 0.3,
    1.0) 0.275, 0.4125: margins 0.6 − 0.3 = 0.3 (median; lower middle values would give
    0.25) and 0.55 − 0.4125 = 0.1375 (mean). With vflip and rot90 exchanged, the same (the
    larger rival counts, whichever it is)."""
    per = {"hflip": torch.tensor([0.9, 0.1, 0.5, 0.7]),
           "vflip": torch.tensor([0.2, 0.4, 0.0, 0.9]),
           "rot90": torch.tensor([0.1, 0.25, 0.3, 1.0])}
    assert hflip_margin(per) == pytest.approx({"median": 0.3, "mean": 0.1375}, abs=1e-6)
    swapped = {"hflip": per["hflip"], "vflip": per["rot90"], "rot90": per["vflip"]}
    assert hflip_margin(swapped) == pytest.approx({"median": 0.3, "mean": 0.1375}, abs=1e-6)


def test_family_conv_peaks_and_headline_with_given_peaks():
    """family_conv_peaks: per family the largest mean over the seven pixel, conv and pool
    layers — each family's peak put in a different one of them, fc1/fc2 higher still and
    ignored. headline with ``peaks`` given uses them: the larger of the one-plane and head
    peaks (0.09) is the conv peak, below 0.1."""
    values = {}
    expected = {}
    for k, f in enumerate(FAMILIES):
        lay = CONV_AND_POOL[(2 * k + 1) % len(CONV_AND_POOL)]
        values[(lay, f)] = 0.1 * k - 0.15
        values[("fc1", f)] = values[("fc2", f)] = 0.95
        expected[f] = 0.1 * k - 0.15
    peaks = family_conv_peaks(stat_table(values), "net")
    assert peaks == pytest.approx(expected, abs=1e-12)
    given = dict.fromkeys(FAMILIES, 0.9) | {"one_plane": 0.05, "head": 0.09}
    h = headline(stat_table(values), rises(), "net", given)
    assert h["conv_peak"] == pytest.approx(0.09) and h["conv_low"] is True
    assert (h["one_plane"], h["head"]) == (0.95, 0.95)


def test_mean_over_filters_and_median_filter_norm_by_hand():
    """mean_over_filters: every filter counts once: (1, 1) and (0, 0, 0, −1) → 1/6 (the mean of
    the layer means would be 0.375). median_filter_norm: conv1's 32 filters with norms 0.1
    (10 filters), 0.5 (12) and 2.0 (10) — both middle values 0.5 — and conv2's all 3.0."""
    assert mean_over_filters({"a": torch.tensor([1.0, 1.0]),
                              "b": torch.tensor([0.0, 0.0, 0.0, -1.0])}) == pytest.approx(1 / 6)
    model = MirrorCNN(2)
    norms = [0.1] * 10 + [0.5] * 12 + [2.0] * 10
    with torch.no_grad():
        model.conv1.weight.zero_()
        for k, norm in enumerate(norms[::-1]):  # any order
            model.conv1.weight[k, 0, k % 3, (k // 3) % 3] = norm if k % 2 else -norm
        model.conv2.weight.fill_(3.0 / (32 * 9) ** 0.5)
    assert median_filter_norm(model) == pytest.approx(0.5, abs=1e-6)
    assert median_filter_norm(model, "conv2") == pytest.approx(3.0, abs=1e-5)


def test_explorer_dissimilarities_against_a_loop(generator):
    """The explorer's matrices: for ``gap``, 1 − Pearson between the views of pool2 (the last
    pooling layer) z-scored then averaged over the whole map (reference pooling, window = map
    size), whatever conv4 holds; for another layer, 1 − Pearson between the views of its
    z-scored units (reference z-scoring)."""
    responses = {"conv4": torch.rand(2, 3, 3, 4, 4, generator=generator, dtype=torch.float64),
                 "pool2": torch.rand(2, 3, 3, 2, 2, generator=generator, dtype=torch.float64),
                 "fc1": torch.randn(2, 3, 6, generator=generator, dtype=torch.float64)}

    def d_of(rows):
        return [[1 - ref_pearson(a, b) for b in rows] for a in rows]

    pooled = ref_pooled(responses["pool2"], 2)
    pooled_conv4 = ref_pooled(responses["conv4"], 4)
    z_fc1 = ref_zscore_columns(responses["fc1"].reshape(6, 6).tolist())
    gap = explorer_dissimilarities(responses, "gap")
    fc1 = explorer_dissimilarities(responses, "fc1")
    for o in range(2):
        assert np.allclose(gap[o], d_of(pooled[o].tolist()), atol=1e-9)
        assert not np.allclose(gap[o], d_of(pooled_conv4[o].tolist()), atol=1e-3)
        assert np.allclose(fc1[o], d_of(z_fc1[3 * o:3 * o + 3]), atol=1e-9)


def stub_state(seed, n_classes, accuracy, untrained=None, dead=0):
    """A network state as train_network returns it: paper-initialised weights (the trained
    ones with conv1 channels 0 … dead − 1 switched off by a bias of −100)."""
    trained = MirrorCNN(n_classes)
    init_like_paper(trained, torch.Generator().manual_seed(seed))
    with torch.no_grad():
        trained.conv1.bias[:dead] = -100.0
    if untrained is None:
        start = MirrorCNN(n_classes)
        init_like_paper(start, torch.Generator().manual_seed(seed + 100))
        untrained = start.state_dict()
    return {"trained": trained.state_dict(), "untrained": untrained, "n_classes": n_classes,
            "test_accuracy": accuracy, "n_images": 90, "loss": torch.linspace(2, 1, 5),
            "examples": torch.zeros(8, 1, 32, 32), "example_labels": torch.zeros(8)}


def test_summarise_verdicts_and_numbers_on_stub_runs(monkeypatch, generator):
    """summarise on five objects (one per family) at three views, mirror-exact for the
    families with a plane, with small random networks (``trained``: the authors' recipe,
    ``strong``: strong decay, from the same start) and stubbed equivariance (hflip margin m per
    network and layer, rivals 0) and random networks (bound, positive of 10): beyond_random =
    layers with m > bound (strictly: conv2's trained m equals its bound, and conv4's untrained
    one), at_initialisation = positive ≥ 9 of 10; the no-symmetry networks (the "none" arm's
    replicates) are measured too. Silent conv1 channels, accuracies, filter symmetry, the
    filter rises (against each network's own start), the alignment, the autocorrelation of the
    equivariance images and pool2's map size against the references; each arm's replicate
    records are their own. Silent channels: those whose conv1 response has one value over every
    image and position (counted in a loop; at least the channels switched off)."""
    margins = {"trained": {"conv1": 0.5, "conv2": 0.25, "conv3": 0.375, "conv4": -0.125},
               "strong": {"conv1": 0.5, "conv2": 0.5, "conv3": 0.5, "conv4": 0.125},
               "untrained": {"conv1": 0.5, "conv2": 0.0, "conv3": 0.125, "conv4": 0.0}}
    bounds = {"conv1": 0.25, "conv2": 0.25, "conv3": 0.25, "conv4": 0.0}  # binary fractions
    positive = {"conv1": 9, "conv2": 8, "conv3": 10, "conv4": 0}
    main = stub_state(1, 4, 0.75, dead=3)
    strong = stub_state(2, 4, 0.5, untrained=main["untrained"], dead=5)
    arms = ("reference", "none", "same_class", "new_class")
    manip_runs = {arm: [stub_state(10 + 2 * k + r, 6, 0.1 * (k + 1) + 0.05 * r)
                        for r in range(2)] for k, arm in enumerate(arms)}
    nets = {"trained": main["trained"], "strong": strong["trained"],
            "untrained": main["untrained"]}

    def stub_equivariance(model, images):
        net = next((name for name, state in nets.items()
                    if torch.equal(model.conv1.weight, state["conv1.weight"])), None)
        zero = {layer: torch.zeros(1) for layer in (*CONV, "gap")}
        return {"hflip": {layer: torch.tensor([margins.get(net, {}).get(layer, 0.0)])
                          for layer in (*CONV, "gap")}, "vflip": zero, "rot90": zero}

    def stub_random(n_classes, images, seed, n):
        return {layer: {"margins": [0.0] * 10, "mean": 0.0, "sd": 0.0, "n": 10,
                        "positive": positive[layer], "bound": bounds[layer]} for layer in CONV}

    monkeypatch.setattr(mirror_summary, "equivariance_values", stub_equivariance)
    monkeypatch.setattr(mirror_summary, "random_margins", stub_random)
    half = torch.rand(5, 32, 32, generator=generator)
    front = torch.rand(5, 32, 32, generator=generator)
    images = torch.stack([half, front + front.flip(-1), half.flip(-1)], 1)
    images[2, 2] = torch.rand(32, 32, generator=generator)  # the no-plane object
    stimuli = {"images": images, "family": torch.arange(5), "yaws": torch.tensor([-90., 0, 90])}
    manipulation = {"natural": False, "notice": "", "networks": manip_runs}
    cfg = config_for("smoke", n_equivariance=1, n_explore=1, explore_groups=3, n_bootstrap=50)
    assert cfg.manip_replicates == 2
    s = summarise(cfg, 0, stimuli, {"authors": main, "strong_decay": strong}, manipulation)

    assert s.render_error["max_symmetric"] == 0.0 and s.render_error["min_asymmetric"] > 0.1
    zero_margin = {"median": 0.0, "mean": 0.0}
    assert set(s.margins) == {"trained", "strong", "untrained", "no_symmetry-0",
                              "no_symmetry-1"}
    for net in s.margins:
        expected = margins.get(net, dict.fromkeys(CONV, 0.0))
        assert s.margins[net] == {layer: pytest.approx({"median": m, "mean": m}, abs=1e-7)
                                  for layer, m in expected.items()}, net
    assert s.margins["no_symmetry-0"]["conv1"] == pytest.approx(zero_margin)
    assert s.beyond_random == {"trained": ("conv1", "conv3"),
                               "strong": ("conv1", "conv2", "conv3", "conv4"),
                               "untrained": ("conv1",), "no_symmetry-0": (),
                               "no_symmetry-1": ()}
    assert s.at_initialisation == ("conv1", "conv3")
    assert s.learned_everywhere("strong") and not s.learned_everywhere("trained")
    assert s.no_symmetry == ("no_symmetry-0", "no_symmetry-1")
    assert s.accuracies == {"trained": 0.75, "strong": 0.5, "untrained": 0.25}
    assert s.test_accuracy == 0.75 and s.chance == 0.25 and s.n_train_images == 90
    models = {}
    for name, state in (("trained", main["trained"]), ("strong", strong["trained"]),
                        ("untrained", main["untrained"])):
        models[name] = MirrorCNN(4)
        models[name].load_state_dict(state)
    silent = {}
    for name, model in models.items():
        with torch.no_grad():
            conv1 = model.eval().activations(images.reshape(15, 1, 32, 32))["conv1"].numpy()
        silent[name] = sum(float(conv1[:, c].max()) == float(conv1[:, c].min())
                           for c in range(conv1.shape[1]))
    assert silent["trained"] >= 3 and silent["strong"] >= 5
    assert s.silent == silent

    def symmetries(model, layers=("conv1",)):
        """The reference loop (slow) on ``layers``: conv1–conv3 of the trained and untrained
        networks, conv1 of the others."""
        lr = {lay: ref_filter_symmetry(getattr(model, lay).weight.detach().numpy())
              for lay in layers}
        tb = {lay: ref_filter_symmetry(np.einsum("oihw->oiwh",
                                                 getattr(model, lay).weight.detach().numpy()))
              for lay in layers}
        return lr, tb

    sym = {net: symmetries(model, CONV[:3] if net != "strong" else ("conv1",))
           for net, model in models.items()}
    for net in models:
        lr, tb = sym[net]
        for lay in lr:
            mean, sem, n = by_hand_stats(lr[lay])
            assert s.filter_stats[net][lay] == pytest.approx({"mean": mean, "sem": sem, "n": n},
                                                             abs=1e-6)
        assert s.conv1_symmetry[net] == pytest.approx(
            {"left_right": statistics.mean(lr["conv1"]),
             "top_bottom": statistics.mean(tb["conv1"])}, abs=1e-6)
    # the rise of each trained network over the common start; of each no-symmetry network
    # over its own start
    starts = {"trained": "untrained", "strong": "untrained"}
    manip_models = {}
    for r, run in enumerate(manip_runs["none"]):
        for part in ("trained", "untrained"):
            manip_models[f"no_symmetry-{r}", part] = MirrorCNN(6)
            manip_models[f"no_symmetry-{r}", part].load_state_dict(run[part])
        sym[f"no_symmetry-{r}"] = symmetries(manip_models[f"no_symmetry-{r}", "trained"])
        sym[f"no_symmetry-{r}-start"] = symmetries(manip_models[f"no_symmetry-{r}", "untrained"])
        starts[f"no_symmetry-{r}"] = f"no_symmetry-{r}-start"
    assert set(s.filter_rise) == set(starts)
    for net, start in starts.items():
        for lay in sym[net][0]:
            rise_lr = statistics.mean(a - b for a, b in zip(sym[net][0][lay], sym[start][0][lay],
                                                            strict=True))
            rise_tb = statistics.mean(a - b for a, b in zip(sym[net][1][lay], sym[start][1][lay],
                                                            strict=True))
            rise = s.filter_rise[net][lay]
            assert (rise["rise_lr"], rise["rise_tb"], rise["difference"]) == pytest.approx(
                (rise_lr, rise_tb, rise_lr - rise_tb), abs=1e-6), (net, lay)
            assert rise["low"] <= rise["difference"] <= rise["high"]
            assert rise["holds"] is (rise["low"] > 0) and rise["n_boot"] == 50
        assert set(s.filter_rise[net]) == set(CONV)
    for net in ("trained", "strong"):
        a = models[net].conv1.weight.detach().numpy().ravel()
        b = models["untrained"].conv1.weight.detach().numpy().ravel()
        assert s.alignment[net]["conv1"] == pytest.approx(a @ b / np.sqrt((a @ a) * (b @ b)),
                                                          abs=1e-6)
    assert s.n_equivariance_images == 15  # all five objects (one per family), three views
    flat = images.reshape(15, 32, 32).double()
    assert s.autocorrelation == pytest.approx(
        {"horizontal": ref_autocorrelation(flat, 2, -1),
         "vertical": ref_autocorrelation(flat, 2, -2)}, abs=1e-9)
    assert s.map_size == 5  # pool2 of a 32-pixel image: 30, 28, 14, 12, 10, 5
    assert set(s.manipulation) == set(arms)
    for k, arm in enumerate(arms):
        assert [r["test_accuracy"] for r in s.manipulation[arm]] == pytest.approx(
            [0.1 * (k + 1), 0.1 * (k + 1) + 0.05])
        assert [r["n_images"] for r in s.manipulation[arm]] == [90, 90]
    assert set(s.comparisons) == {"absent_lowers", "same_class_raises", "new_class_lowers"}
    assert [g["label"] for g in s.explorer_groups] == ["fc1", "fc2", "fc2 (untrained)"]
    # the two recipes must start from the same weights
    other_start = stub_state(2, 4, 0.5)
    with pytest.raises(RuntimeError, match="same initial weights"):
        summarise(cfg, 0, stimuli, {"authors": main, "strong_decay": other_start},
                  manipulation)
