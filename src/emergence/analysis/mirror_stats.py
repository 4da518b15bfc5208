"""Statistics that decide the mirror-symmetry claims (Farzmahdi et al. 2024; issue 29).

**Rank-sum test with FDR control** (:func:`rank_sum_fdr`), as the authors' ``figure2C_S2.m``
does it: per layer and category, MATLAB's ``ranksum`` (two-sided Wilcoxon rank-sum test) of the
per-object MSVT indices of the trained network against those of the untrained one, then
``fdr_bh(ps, 0.05, 'dep')`` over the whole table of p-values at once (every layer × every
category). ``'dep'`` is the Benjamini–Yekutieli procedure (valid under any dependence between
the tests): the i-th smallest of m p-values is compared with :math:`i q / (m c_m)`,
:math:`c_m = \\sum_{k=1}^m 1/k`; ``procedure="bh"`` gives the Benjamini–Hochberg procedure
(:math:`c_m = 1`). :func:`rank_sum` reproduces ``ranksum``'s p-value (:func:`rank_sum`).

**Left–right against top–bottom rise** (:func:`symmetry_rise_difference`): per filter of one
layer, :math:`d_i = (LR^{trained}_i - LR^{untrained}_i) - (TB^{trained}_i - TB^{untrained}_i)`;
the claim holds when the lower end of a bootstrap percentile interval of :math:`\\bar d` over
filters is above 0. The top–bottom symmetry of a filter is the left–right one of its transpose
(:func:`emergence.experiments.mirror.measures.filter_symmetries` with ``top_bottom=True``).

**Beyond the spread over seeds** (:func:`beyond_spread`): a difference of two means over seed
replicates that exceeds ``z`` standard errors (Welch's standard error).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import numpy as np
import torch

PROCEDURES = ("by", "bh")


def _one_dimensional(values, name: str, what: str) -> np.ndarray:
    """``values`` as a 1-D float64 array (``what``: one value per what, for the error)."""
    x = np.asarray(values.detach().cpu() if isinstance(values, torch.Tensor) else values,
                   dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array ({what}); got shape {x.shape}.")
    return x


def _sample(values, name: str) -> np.ndarray:
    """A 1-D float64 array of ``values`` with NaNs dropped (as MATLAB's ``ranksum`` does)."""
    x = _one_dimensional(values, name, "one value per object")
    if np.isinf(x).any():
        raise ValueError(f"{name} holds infinite values; the rank-sum test needs finite ones.")
    x = x[~np.isnan(x)]
    if len(x) == 0:
        raise ValueError(f"{name} holds no values (after dropping NaNs).")
    return x


def _midranks(pooled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks 1..N of ``pooled`` with tied values given the mean of their ranks, and the sizes
    of the tie groups."""
    order = np.argsort(pooled, kind="mergesort")
    sorted_values = pooled[order]
    _, starts, counts = np.unique(sorted_values, return_index=True, return_counts=True)
    ranks = np.empty(len(pooled))
    for start, count in zip(starts, counts, strict=True):
        ranks[order[start:start + count]] = start + (count + 1) / 2
    return ranks, counts


def rank_sum(x, y, method: str = "auto") -> dict:
    """Two-sided Wilcoxon rank-sum test of ``x`` against ``y``, as MATLAB's ``ranksum``.

    The statistic W is the sum of the (mid)ranks, in the pooled sample, of the smaller sample
    (``x`` when the sizes are equal). ``method="auto"`` follows ``ranksum``'s default: the
    exact method when the smaller sample has fewer than 10 values and both together fewer than
    20, the normal approximation otherwise.

    * **exact**: the null distribution of W given the pooled midranks (every choice of
      :math:`n_s` of the N ranks equally likely; with ties this is the conditional
      distribution, as MATLAB's enumeration and network algorithm compute it);
      :math:`p = \\min(1, 2 \\min(P(W' \\le W), P(W' \\ge W)))`.
    * **approximate**: :math:`z = (W - E - \\tfrac12 \\operatorname{sign}(W - E)) / \\sqrt{V}`
      with :math:`E = n_s (N + 1)/2`,
      :math:`V = n_x n_y \\,[(N + 1) - \\sum_t (t^3 - t) / (N (N - 1))] / 12` (the sum over
      groups of t tied values), :math:`p = 2 \\Phi(-|z|)`.

    NaNs are dropped. When every value is tied the p-value is 1 (MATLAB's approximate method
    gives NaN there: V = 0). Returns ``{"p", "w", "z", "method"}`` (``z`` is ``None`` for the
    exact method).
    """
    if method not in ("auto", "exact", "approximate"):
        raise ValueError(f"method={method!r} is not allowed; choose 'auto', 'exact' or "
                         f"'approximate'.")
    x, y = _sample(x, "x"), _sample(y, "y")
    nx, ny = len(x), len(y)
    small_first = nx <= ny
    ns, n = min(nx, ny), nx + ny
    if method == "auto":
        method = "exact" if ns < 10 and n < 20 else "approximate"
    ranks, ties = _midranks(np.concatenate([x, y] if small_first else [y, x]))
    w = float(ranks[:ns].sum())
    mean = ns * (n + 1) / 2
    if method == "exact":
        p = _exact_two_sided(ranks, ns, w)
        return {"p": p, "w": w, "z": None, "method": "exact"}
    variance = nx * ny * ((n + 1) - float((ties ** 3 - ties).sum()) / (n * (n - 1))) / 12 \
        if n > 1 else 0.0
    centred = w - mean
    if variance <= 0 or centred == 0:
        return {"p": 1.0, "w": w, "z": 0.0, "method": "approximate"}
    z = (centred - 0.5 * math.copysign(1.0, centred)) / math.sqrt(variance)
    return {"p": min(1.0, math.erfc(abs(z) / math.sqrt(2))), "w": w, "z": z,
            "method": "approximate"}


def _exact_two_sided(ranks: np.ndarray, ns: int, w: float) -> float:
    """``min(1, 2 min(P(S ≤ w), P(S ≥ w)))`` for S the sum of ``ns`` of ``ranks`` drawn
    without replacement; counted by dynamic programming over doubled (integer) midranks."""
    doubled = np.rint(2 * ranks).astype(np.int64)
    top = int(doubled.sum())
    counts = np.zeros((ns + 1, top + 1))  # counts[k, s]: subsets of size k with sum s
    counts[0, 0] = 1.0
    for r in doubled:
        counts[1:, r:] += counts[:-1, :top + 1 - r].copy()
    dist = counts[ns]
    target = int(round(2 * w))
    total = dist.sum()
    low, high = dist[:target + 1].sum() / total, dist[target:].sum() / total
    return float(min(1.0, 2 * min(low, high)))


def fdr_adjust(p_values, procedure: str = "by") -> np.ndarray:
    """Step-up FDR-adjusted p-values of one family of tests.

    With the p-values sorted, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`, the adjusted value of
    :math:`p_{(i)}` is :math:`\\min_{j \\ge i} \\min(1, p_{(j)} m c_m / j)`, with
    :math:`c_m = \\sum_{k=1}^m 1/k` (``"by"``, Benjamini–Yekutieli, the authors'
    ``fdr_bh(..., 'dep')``) or :math:`c_m = 1` (``"bh"``, Benjamini–Hochberg). A test is
    rejected at level q exactly when its adjusted value is ≤ q (``fdr_bh``'s
    ``p ≤ crit_p``).
    """
    if procedure not in PROCEDURES:
        raise ValueError(f"procedure={procedure!r} is not allowed; choose one of "
                         f"{PROCEDURES}.")
    p = np.asarray(p_values, dtype=np.float64)
    if p.ndim != 1 or len(p) == 0:
        raise ValueError(f"p_values must be a non-empty 1-D array; got shape {p.shape}.")
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("p_values must lie in [0, 1] (and not be NaN).")
    m = len(p)
    c = float(np.sum(1.0 / np.arange(1, m + 1))) if procedure == "by" else 1.0
    order = np.argsort(p, kind="mergesort")
    scaled = p[order] * m * c / np.arange(1, m + 1)
    adjusted_sorted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted


def rank_sum_fdr(trained: Mapping[Hashable, object], untrained: Mapping[Hashable, object],
                 q: float = 0.05, procedure: str = "by", method: str = "auto") -> dict:
    """Per key (e.g. ``(layer, category)``), :func:`rank_sum` of ``trained[key]`` against
    ``untrained[key]`` (1-D arrays of per-object indices), then :func:`fdr_adjust` over **all
    keys at once** — the authors' family: every layer × every category of the figure. Pass a
    subset of keys to correct over a smaller family.

    Returns ``{key: {"p", "q", "significant", "greater", "median_trained",
    "median_untrained", "mean_difference", "method"}}``: ``q`` is the adjusted p-value,
    ``significant`` is ``q ≤ q_threshold`` (the authors' ``fdr_bh`` rejects p ≤ its critical
    p, which is the same), ``greater`` is median(trained) > median(untrained) (``ranksum``
    tests equal medians; the mean difference is given beside it). The test is two-sided, as
    the authors' (no ``'tail'`` argument): a significant result with ``greater`` False is a
    significant *decrease*.
    """
    if not (isinstance(q, (int, float)) and not isinstance(q, bool) and 0 < q < 1):
        raise ValueError(f"q={q!r} is not allowed; it must lie strictly between 0 and 1.")
    if set(trained) != set(untrained):
        raise ValueError(f"trained and untrained must have the same keys; only in trained: "
                         f"{sorted(map(str, set(trained) - set(untrained)))}, only in "
                         f"untrained: {sorted(map(str, set(untrained) - set(trained)))}.")
    if len(trained) == 0:
        raise ValueError("no tests: trained and untrained are empty.")
    keys = list(trained)
    tests, samples = [], []
    for key in keys:
        a, b = _sample(trained[key], f"trained[{key!r}]"), _sample(untrained[key],
                                                                  f"untrained[{key!r}]")
        tests.append(rank_sum(a, b, method))
        samples.append((a, b))
    adjusted = fdr_adjust([t["p"] for t in tests], procedure)
    out = {}
    for key, test, (a, b), q_value in zip(keys, tests, samples, adjusted, strict=True):
        out[key] = {"p": test["p"], "q": float(q_value), "significant": bool(q_value <= q),
                    "greater": bool(np.median(a) > np.median(b)),
                    "median_trained": float(np.median(a)),
                    "median_untrained": float(np.median(b)),
                    "mean_difference": float(a.mean() - b.mean()), "method": test["method"]}
    return out


def _vector(values, name: str) -> np.ndarray:
    """A 1-D float64 array of finite ``values`` (one per filter or replicate)."""
    x = _one_dimensional(values, name, "one value per filter or replicate")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} holds NaN or infinite values.")
    return x


def symmetry_rise_difference(lr_trained, lr_untrained, tb_trained, tb_untrained, n_boot: int,
                             generator: torch.Generator, level: float = 0.95) -> dict:
    """Does left–right filter symmetry rise more with training than top–bottom symmetry?

    The four arrays hold one value per filter of one layer; entry i of the trained arrays is
    filter i after training, entry i of the untrained arrays the same filter at its
    initialisation. With :math:`d_i = (LR^{tr}_i - LR^{un}_i) - (TB^{tr}_i - TB^{un}_i)`:
    ``rise_lr`` = mean of the left–right rises, ``rise_tb`` likewise, ``difference`` =
    ``rise_lr − rise_tb`` = :math:`\\bar d`.

    Paired bootstrap over filters: ``indices = torch.randint(n, (n_boot, n),
    generator=generator)``; replicate b is the mean of :math:`d` over row b of ``indices``
    (the same filters for all four arrays). The interval is the (1 − level)/2 and
    (1 + level)/2 quantiles of the replicates (linear interpolation between order statistics:
    position :math:`h = (B - 1) \\alpha` of the sorted replicates). ``holds`` = lower end > 0.
    """
    arrays = [_vector(v, name) for v, name in [(lr_trained, "lr_trained"),
                                               (lr_untrained, "lr_untrained"),
                                               (tb_trained, "tb_trained"),
                                               (tb_untrained, "tb_untrained")]]
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(f"the four arrays must have one value per filter each; got lengths "
                         f"{[len(a) for a in arrays]}.")
    if n < 2:
        raise ValueError(f"at least 2 filters are needed for a bootstrap; got {n}.")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 2:
        raise ValueError(f"n_boot={n_boot!r} is not allowed; it must be an integer ≥ 2.")
    if not (isinstance(level, float) and 0 < level < 1):
        raise ValueError(f"level={level!r} is not allowed; it must be a float in (0, 1).")
    if not isinstance(generator, torch.Generator):
        raise ValueError(f"generator must be a torch.Generator; got {type(generator).__name__}.")
    lr_t, lr_u, tb_t, tb_u = arrays
    rise_lr, rise_tb = lr_t - lr_u, tb_t - tb_u
    d = rise_lr - rise_tb
    indices = torch.randint(n, (n_boot, n), generator=generator).numpy()
    replicates = d[indices].mean(1)
    alpha = (1 - level) / 2
    low, high = np.quantile(replicates, [alpha, 1 - alpha])
    return {"rise_lr": float(rise_lr.mean()), "rise_tb": float(rise_tb.mean()),
            "difference": float(d.mean()), "low": float(low), "high": float(high),
            "level": level, "n_filters": n, "n_boot": n_boot, "holds": bool(low > 0)}


def beyond_spread(first, second, z: float = 2.0) -> dict:
    """Is mean(second) − mean(first) more than ``z`` standard errors?

    ``first`` and ``second`` hold one value per seed replicate (at least 2 each);
    ``se`` = :math:`\\sqrt{s_1^2/n_1 + s_2^2/n_2}` with sample variances (ddof = 1).
    Returns ``{"difference", "se", "z", "holds": difference > z · se}``.
    """
    a, b = _vector(first, "first"), _vector(second, "second")
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"beyond_spread needs at least 2 replicates in each arm; got "
                         f"{len(a)} and {len(b)}.")
    if isinstance(z, bool) or not isinstance(z, (int, float)) or not z >= 0:
        raise ValueError(f"z={z!r} is not allowed; it must be a number ≥ 0.")
    difference = float(b.mean() - a.mean())
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return {"difference": difference, "se": se, "z": float(z), "holds": difference > z * se}
