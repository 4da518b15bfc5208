"""Lateral connectivity in SE(2): orientation selectivity, the direction-process model kernel,
lifting a learned kernel to SE(2), association fields and a Lie-symmetry score.

Conventions: a filter ``i`` has an *orientation* ``θ_i ∈ [0, π)`` (the direction of its stripes,
i.e. of the edge it detects) and a centre; the learned lateral kernel ``K[i, j, Δ]`` couples the
activity of filter ``j`` at offset ``Δ = (Δx, Δy)`` (in input pixels) into filter ``i``.
Orientation differences are taken modulo π.
"""

from __future__ import annotations

import math

import numpy as np


def orientation_difference(a, b):
    """``|a − b|`` modulo π, in [0, π/2]."""
    d = np.abs(np.asarray(a) - np.asarray(b)) % math.pi
    return np.minimum(d, math.pi - d)


def coupling_matrix(kernel: np.ndarray, part: str = "abs") -> np.ndarray:
    """``s_ij = Σ_Δ |K_ij(Δ)|`` (``part="abs"``) or ``Σ_Δ max(K_ij(Δ), 0)`` (``"positive"``)."""
    k = np.asarray(kernel, dtype=float)
    k = np.abs(k) if part == "abs" else np.clip(k, 0, None)
    return k.sum(axis=(-2, -1))


def selectivity_statistic(coupling: np.ndarray, theta: np.ndarray) -> float:
    """Pearson correlation, over pairs ``i ≠ j``, between the normalised coupling
    ``s̃_ij = s_ij / √(r_i c_j)`` (``r``, ``c``: row and column means of ``s``, which removes how
    strongly a filter couples overall) and ``cos 2(θ_i − θ_j)`` (1 for equal orientations, −1 for
    orthogonal ones). Positive: filters of similar orientation are coupled more strongly."""
    s = np.asarray(coupling, dtype=float)
    n = len(s)
    off = ~np.eye(n, dtype=bool)
    r = np.array([s[i, off[i]].mean() for i in range(n)])
    c = np.array([s[off[:, j], j].mean() for j in range(n)])
    s_norm = s / np.sqrt(np.outer(r, c) + 1e-30)
    similarity = np.cos(2 * (theta[:, None] - theta[None, :]))
    a, b = s_norm[off], similarity[off]
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def one_sided_p(null: np.ndarray, observed: float) -> float:
    """Permutation p-value ``(1 + #{null ≥ observed}) / (1 + len(null))`` (one-sided; never 0)."""
    return (1 + int((np.asarray(null) >= observed).sum())) / (1 + len(null))


def orientation_selectivity(coupling: np.ndarray, theta: np.ndarray, n_permutations: int = 2000,
                            rng: np.random.Generator | None = None) -> dict:
    """The selectivity statistic and its one-sided permutation p-value.

    Null hypothesis: the coupling does not depend on the orientations. The orientations are
    shuffled among the filters ``n_permutations`` times;
    ``p = (1 + #{shuffled statistic ≥ observed}) / (1 + n_permutations)``.
    """
    rng = rng or np.random.default_rng(0)
    theta = np.asarray(theta, dtype=float)
    observed = selectivity_statistic(coupling, theta)
    null = np.array([selectivity_statistic(coupling, rng.permutation(theta))
                     for _ in range(n_permutations)])
    p = one_sided_p(null, observed)
    return {"statistic": observed, "p_value": p, "null": null}


def coaxial_elongation(kernel: np.ndarray, theta: np.ndarray, spacing: float,
                       max_difference: float = math.pi / 8) -> float:
    """Is the short-range coupling between similarly oriented filters elongated along their
    orientation (co-axial) or across it? For each reference ``i`` the excitatory weights
    ``w(Δ) = Σ_j max(K_ij(Δ), 0)`` over the filters ``j`` within ``max_difference`` of ``θ_i``
    (``Δ ≠ 0``, lattice offsets × ``spacing``) give

    ``e_i = Σ_Δ w(Δ) cos 2(φ_Δ − θ_i) / Σ_Δ w(Δ)``,   ``φ_Δ`` the direction of Δ;

    returned: the mean of ``e_i`` over references with any such weight. +1: all weight on the
    line through the reference along its orientation; −1: all across it; 0: isotropic."""
    kernel = np.clip(np.asarray(kernel, dtype=float), 0, None)
    theta = np.asarray(theta, dtype=float)
    k = kernel.shape[-1]
    lattice = (np.arange(k) - (k - 1) / 2) * spacing
    dy, dx = np.meshgrid(lattice, lattice, indexing="ij")
    phi, off_centre = np.arctan2(dy, dx), np.hypot(dx, dy) > 0
    values = []
    for i in range(len(theta)):
        similar = orientation_difference(theta, theta[i]) <= max_difference
        w = kernel[i, similar].sum(0) * off_centre
        if w.sum() > 0:
            values.append(float((w * np.cos(2 * (phi - theta[i]))).sum() / w.sum()))
    return float(np.mean(values)) if values else 0.0


def coaxial_test(kernel: np.ndarray, theta: np.ndarray, spacing: float,
                 n_permutations: int = 999, rng: np.random.Generator | None = None) -> dict:
    """:func:`coaxial_elongation` and its one-sided shuffled-orientation p-value (orientations
    permuted among the filters)."""
    rng = rng or np.random.default_rng(0)
    theta = np.asarray(theta, dtype=float)
    observed = coaxial_elongation(kernel, theta, spacing)
    null = np.array([coaxial_elongation(kernel, rng.permutation(theta), spacing)
                     for _ in range(n_permutations)])
    p = one_sided_p(null, observed)
    return {"statistic": observed, "p_value": p, "shuffled": float(null.mean()), "null": null}


def se2_grid(radius: float, n_xy: int, n_theta: int):
    """A common SE(2) grid: offsets in [−radius, radius]² (n_xy × n_xy cells), orientation
    differences in [−π/2, π/2) (n_theta cells). Returns the cell edges (xy_edges, theta_edges)."""
    return (np.linspace(-radius, radius, n_xy + 1),
            np.linspace(-math.pi / 2, math.pi / 2, n_theta + 1))


def _wrap_half(angle):
    """Angle modulo π into [−π/2, π/2)."""
    return (np.asarray(angle) + math.pi / 2) % math.pi - math.pi / 2


def direction_process_kernel(sigma: float, grid, theta0: float = 0.0, n_paths: int = 20000,
                             t_max: float | None = None, dt: float = 0.25, rng=None) -> np.ndarray:
    """Connectivity kernel of the stochastic direction process (Mumford; Sanguinetti, Citti &
    Sarti 2010) on an SE(2) grid.

    Paths start at the origin with orientation ``θ₀`` and follow
    ``dx = cos θ dt, dy = sin θ dt, dθ = σ dW`` (Euler–Maruyama, step ``dt``, up to ``t_max``, by
    default the grid radius·√2). The time-integrated density of ``(x, y, θ)`` is the fundamental
    solution of the Fokker–Planck operator ``−X₁ + (σ²/2) X₂²``, ``X₁ = cos θ ∂x + sin θ ∂y``,
    ``X₂ = ∂θ``; it is made symmetric in time by adding the paths run backwards (``dx = −cos θ
    dt``). Returned: a histogram (n_xy, n_xy, n_theta) over ``(Δx, Δy, θ − θ₀ mod π)`` — indexed
    [y, x, θ] — normalised to sum 1. By construction it is SE(2) covariant: for ``θ₀ ≠ 0`` it is
    the ``θ₀ = 0`` kernel rotated by ``θ₀`` in the plane (tested).
    """
    rng = rng or np.random.default_rng(0)
    xy_edges, th_edges = grid
    t_max = t_max or float(xy_edges[-1]) * math.sqrt(2)
    n_steps = int(round(t_max / dt))
    hist = np.zeros((len(xy_edges) - 1, len(xy_edges) - 1, len(th_edges) - 1))
    for direction in (1.0, -1.0):
        theta = np.full(n_paths, float(theta0))
        x = np.zeros(n_paths)
        y = np.zeros(n_paths)
        for _ in range(n_steps):
            x = x + direction * np.cos(theta) * dt
            y = y + direction * np.sin(theta) * dt
            theta = theta + sigma * math.sqrt(dt) * rng.standard_normal(n_paths)
            h, _ = np.histogramdd(np.stack([y, x, _wrap_half(theta - theta0)], 1),
                                  bins=(xy_edges, xy_edges, th_edges))
            hist += h
    return hist / max(hist.sum(), 1e-30)


def lift_kernel(kernel: np.ndarray, theta: np.ndarray, grid, spacing: float,
                centres: np.ndarray | None = None, align: bool = True, part: str = "positive",
                references=None) -> np.ndarray:
    """Lift a learned lateral kernel to SE(2) coordinates, one map per reference filter.

    For reference ``i`` and filter ``j`` at lattice offset ``Δ`` (× ``spacing`` input pixels, plus
    the difference of the filters' centres when ``centres`` is given), the weight ``K_ij(Δ)``
    (positive part, or absolute value) is put at ``(R_{−θ_i} Δ, θ_j − θ_i)`` when ``align``, and
    at ``(Δ, θ_j − π/2)`` otherwise (raw coordinates; the same orientation axis). Values falling
    in one cell are averaged. Returned: (n_ref, n_xy, n_xy, n_theta), indexed [ref, y, x, θ].
    """
    kernel = np.asarray(kernel, dtype=float)
    n, _, k, _ = kernel.shape
    weights = np.clip(kernel, 0, None) if part == "positive" else np.abs(kernel)
    xy_edges, th_edges = grid
    lattice = (np.arange(k) - (k - 1) / 2) * spacing
    dy, dx = np.meshgrid(lattice, lattice, indexing="ij")
    references = range(n) if references is None else references
    maps = []
    for i in references:
        total = np.zeros((len(xy_edges) - 1, len(xy_edges) - 1, len(th_edges) - 1))
        count = np.zeros_like(total)
        for j in range(n):
            ox, oy = dx, dy
            if centres is not None:
                ox = dx + centres[j, 0] - centres[i, 0]
                oy = dy + centres[j, 1] - centres[i, 1]
            if align:
                c, s = math.cos(theta[i]), math.sin(theta[i])
                rx, ry = c * ox + s * oy, -s * ox + c * oy
                dth = _wrap_half(theta[j] - theta[i])
            else:
                rx, ry = ox, oy
                dth = _wrap_half(theta[j] - math.pi / 2)
            sample = np.stack([ry.ravel(), rx.ravel(), np.full(k * k, dth)], 1)
            h, _ = np.histogramdd(sample, bins=(xy_edges, xy_edges, th_edges),
                                  weights=weights[i, j].ravel())
            c_, _ = np.histogramdd(sample, bins=(xy_edges, xy_edges, th_edges))
            total += h
            count += c_
        maps.append(np.where(count > 0, total / np.maximum(count, 1), np.nan))
    return np.stack(maps)


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def mean_pairwise_correlation(maps: np.ndarray) -> float:
    """Mean Pearson correlation between the maps of different reference filters."""
    values = [_corr(maps[a], maps[b]) for a in range(len(maps)) for b in range(a + 1, len(maps))]
    return float(np.mean(values)) if values else 0.0


def mean_lifted_kernel(kernel: np.ndarray, theta: np.ndarray, grid, spacing: float,
                       centres: np.ndarray | None = None) -> np.ndarray:
    """The :func:`lift_kernel` maps (aligned, positive part) averaged over the reference filters,
    each cell over the references that cover it (NaN where none does); the self-coupling cell
    (zero offset, the grid's centre) is left out (NaN). Indexed [y, x, Δθ]."""
    maps = lift_kernel(kernel, theta, grid, spacing, centres)
    covered = np.isfinite(maps)
    mean = np.where(covered, maps, 0.0).sum(0) / np.maximum(covered.sum(0), 1)
    mean[~covered.any(0)] = np.nan
    centre = mean.shape[0] // 2
    mean[centre, centre] = np.nan
    return mean


def lie_symmetry_score(aligned: np.ndarray, raw: np.ndarray) -> dict:
    """How much more alike the lifted kernels of different reference filters become once each is
    expressed in its own frame (offsets rotated by ``−θ_i``, orientations relative to ``θ_i``):
    ``score = mean corr(aligned) − mean corr(raw)``. An SE(2)-invariant connectivity gives
    identical aligned maps (score > 0); a connectivity unrelated to the orientations, ≈ 0."""
    a = mean_pairwise_correlation(aligned)
    r = mean_pairwise_correlation(raw)
    return {"score": a - r, "aligned": a, "raw": r}


def association_field(kernel_i: np.ndarray, theta: np.ndarray, spacing: float):
    """For one reference filter: at each lattice offset, the orientation of the most strongly
    (positively) coupled filter and that coupling. Returns (x, y, orientation, weight) arrays."""
    n, k, _ = kernel_i.shape
    lattice = (np.arange(k) - (k - 1) / 2) * spacing
    y, x = np.meshgrid(lattice, lattice, indexing="ij")
    best = np.argmax(kernel_i, axis=0)
    weight = np.clip(np.take_along_axis(kernel_i, best[None], 0)[0], 0, None)
    return x, y, np.asarray(theta)[best], weight


def model_association_field(model: np.ndarray, grid):
    """Association field of a model kernel (indexed [y, x, Δθ]) for a reference at θ = 0: at
    each offset the most probable orientation difference and its density."""
    xy_edges, th_edges = grid
    xc = (xy_edges[:-1] + xy_edges[1:]) / 2
    tc = (th_edges[:-1] + th_edges[1:]) / 2
    y, x = np.meshgrid(xc, xc, indexing="ij")
    best = np.argmax(model, axis=-1)
    return x, y, tc[best], model.max(axis=-1)


def cocircular_field(radius: float, n: int = 9):
    """Field, Hayes & Hess (1993) / co-circularity: an element at polar angle ``φ`` from a
    reference oriented along the x axis links best with orientation ``2φ`` (tangent to the circle
    through both). Returns (x, y, orientation, weight) on an n × n lattice; weights fall off with
    distance and with curvature ``|2 sin φ| / r``."""
    lattice = np.linspace(-radius, radius, n)
    y, x = np.meshgrid(lattice, lattice, indexing="ij")
    r = np.hypot(x, y)
    phi = np.arctan2(y, x)
    orientation = 2 * phi
    curvature = np.abs(2 * np.sin(phi)) / np.maximum(r, 1e-9)
    weight = np.exp(-r / radius) * np.exp(-2 * curvature * radius / 2)
    weight[r == 0] = 0
    return x, y, orientation, weight


def pair_offsets(theta: np.ndarray, spacing: float, k: int,
                 centres: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (Δx, Δy), in input pixels, of every learned weight ``K_ij(Δ)``: the lattice offset
    (× ``spacing``) plus the difference of the filters' centres ``c_j − c_i``. Each (n, n, k, k)."""
    n = len(theta)
    lattice = (np.arange(k) - (k - 1) / 2) * spacing
    dy, dx = np.meshgrid(lattice, lattice, indexing="ij")
    centres = np.zeros((n, 2)) if centres is None else np.asarray(centres, dtype=float)
    ox = dx[None, None] + (centres[:, 0][None, :] - centres[:, 0][:, None])[..., None, None]
    oy = dy[None, None] + (centres[:, 1][None, :] - centres[:, 1][:, None])[..., None, None]
    return ox, oy


def _model_cells(grid, theta: np.ndarray, spacing: float, k: int,
                 centres: np.ndarray | None = None):
    """The grid cell ``(iy, ix, iθ)`` of ``(R_{−θ_i} Δ, θ_j − θ_i)`` for every learned weight
    ``K_ij(Δ)`` (:func:`pair_offsets`), and whether it lies inside the grid. Each (n, n, k, k)."""
    theta = np.asarray(theta, dtype=float)
    xy_edges, th_edges = grid
    ox, oy = pair_offsets(theta, spacing, k, centres)
    c, s = np.cos(theta)[:, None, None, None], np.sin(theta)[:, None, None, None]
    rx, ry = c * ox + s * oy, -s * ox + c * oy
    dth = np.broadcast_to(_wrap_half(theta[None, :] - theta[:, None])[..., None, None], rx.shape)
    ix = np.searchsorted(xy_edges, rx, side="right") - 1
    iy = np.searchsorted(xy_edges, ry, side="right") - 1
    it = np.clip(np.searchsorted(th_edges, dth, side="right") - 1, 0, len(th_edges) - 2)
    inside = (ix >= 0) & (ix < len(xy_edges) - 1) & (iy >= 0) & (iy < len(xy_edges) - 1)
    return iy[inside], ix[inside], it[inside], inside


def _look_up(model: np.ndarray, cells) -> np.ndarray:
    iy, ix, it, inside = cells
    out = np.zeros(inside.shape)
    out[inside] = model[iy, ix, it]
    return out


def model_prediction(model: np.ndarray, grid, theta: np.ndarray, spacing: float, k: int,
                     centres: np.ndarray | None = None) -> np.ndarray:
    """The model kernel's prediction for every learned weight ``K_ij(Δ)``.

    For filters ``i``, ``j`` (orientations ``θ``, centres in input pixels) and offset ``Δ``
    (:func:`pair_offsets`), the SE(2)-invariant model connectivity is
    ``Γ(R_{−θ_i} Δ, θ_j − θ_i)``, looked up in the grid cell of ``model`` (indexed [y, x, Δθ];
    0 outside the grid). Returns (n, n, k, k), aligned with the learned kernel.
    """
    return _look_up(model, _model_cells(grid, theta, spacing, k, centres))


def _minus_shell_means(values: np.ndarray, shells: np.ndarray) -> np.ndarray:
    """``values`` minus the mean of their distance shell."""
    means = np.bincount(shells, values) / np.maximum(np.bincount(shells), 1)
    return values - means[shells]


def _residual(values: np.ndarray, given: np.ndarray) -> np.ndarray:
    """``values`` minus their least-squares fit ``a + b · given``; exactly 0 where ``values``
    is such a fit up to float32 rounding (a residual below 10⁻⁶ of the values' range), so that a
    kernel equal or proportional to its control has no residual."""
    design = np.stack([np.ones_like(given), given], 1)
    coef, *_ = np.linalg.lstsq(design, values, rcond=None)
    residual = values - design @ coef
    scale = np.abs(values - values.mean()).max()
    if np.abs(residual).max() <= 1e-6 * max(scale, 1e-300):
        return np.zeros_like(residual)
    return residual


def kernel_model_correlation(kernel: np.ndarray, predicted: np.ndarray,
                             distance: np.ndarray | None = None,
                             given: np.ndarray | None = None) -> float:
    """Pearson correlation, over every weight ``K_ij(Δ)`` except the self-loops ``K_ii(0)``,
    between the learned excitatory weight ``max(K_ij(Δ), 0)`` and the model's prediction.

    With ``distance`` (|Δ| of each weight, in pixels) the correlation is taken *at equal
    distance*: both sides lose the mean of their ½-px distance shell first, so what is compared
    is how the weight depends on the direction of Δ and on θ_j − θ_i — the part of the model
    that SE(2) invariance is about — and not the fall-off with distance that any local kernel
    shares with the model.

    With ``given`` (a control kernel of the same shape, e.g. the filter-overlap kernel) it is
    the **partial correlation** given the control: both sides lose their least-squares fit on the
    control's excitatory weights (treated like the learned ones, shells included) before they
    are correlated — how far the learned kernel follows the model *beyond* what the control
    already predicts. A kernel proportional to its control has no residual and scores 0."""
    learned = _learned_side(kernel, distance, given)
    return _corr(learned["values"], _model_side(predicted, learned))


def _learned_side(kernel: np.ndarray, distance: np.ndarray | None,
                  given: np.ndarray | None) -> dict:
    """The learned side of :func:`kernel_model_correlation`, which does not depend on the
    orientations or the model: the weights kept, their shells and the control's weights, and
    the learned values as they enter the correlation."""
    kernel = np.clip(np.asarray(kernel, dtype=float), 0, None)
    n, _, k, _ = kernel.shape
    keep = np.ones(kernel.shape, dtype=bool)
    keep[np.arange(n), np.arange(n), k // 2, k // 2] = False
    values, shells = kernel[keep], None
    control = None if given is None else np.clip(np.asarray(given, dtype=float), 0, None)[keep]
    if distance is not None:
        shells = np.rint(2 * distance[keep]).astype(int)
        values = _minus_shell_means(values, shells)
        if control is not None:
            control = _minus_shell_means(control, shells)
    if control is not None:
        values = _residual(values, control)
    return {"keep": keep, "shells": shells, "control": control, "values": values}


def _model_side(predicted: np.ndarray, learned: dict) -> np.ndarray:
    """The model's predictions treated as :func:`_learned_side` treats the learned weights."""
    values = predicted[learned["keep"]]
    if learned["shells"] is not None:
        values = _minus_shell_means(values, learned["shells"])
    if learned["control"] is not None:
        values = _residual(values, learned["control"])
    return values


def _fit_sigmas(learned: dict, theta: np.ndarray, model_kernels: dict, grid, spacing: float,
                k: int, centres: np.ndarray | None) -> dict:
    cells = _model_cells(grid, theta, spacing, k, centres)
    per_sigma = {sigma: _corr(learned["values"], _model_side(_look_up(model, cells), learned))
                 for sigma, model in model_kernels.items()}
    best = max(per_sigma, key=per_sigma.get)
    return {"per_sigma": per_sigma, "best_sigma": best, "correlation": per_sigma[best]}


def _learned_for_fit(kernel, theta, spacing, centres, at_equal_distance, given) -> dict:
    k = kernel.shape[-1]
    distance = (np.hypot(*pair_offsets(np.asarray(theta), spacing, k, centres))
                if at_equal_distance else None)
    return _learned_side(kernel, distance, given)


def model_fit(kernel: np.ndarray, theta: np.ndarray, model_kernels: dict, grid, spacing: float,
              centres: np.ndarray | None = None, at_equal_distance: bool = False,
              given: np.ndarray | None = None) -> dict:
    """How well the SE(2) model predicts the learned kernel, for each model width σ (the keys of
    ``model_kernels``): :func:`kernel_model_correlation` of the kernel with
    :func:`model_prediction` (at equal distance when ``at_equal_distance``; partial given the
    control kernel ``given`` when one is passed). Best σ: the highest correlation."""
    theta = np.asarray(theta, dtype=float)
    learned = _learned_for_fit(kernel, theta, spacing, centres, at_equal_distance, given)
    return _fit_sigmas(learned, theta, model_kernels, grid, spacing, kernel.shape[-1], centres)


def model_fit_test(kernel: np.ndarray, theta: np.ndarray, model_kernels: dict, grid,
                   spacing: float, centres: np.ndarray | None = None, n_shuffles: int = 199,
                   rng: np.random.Generator | None = None, at_equal_distance: bool = False,
                   given: np.ndarray | None = None) -> dict:
    """:func:`model_fit` with a shuffled-orientation control: the orientations are permuted among
    the filters ``n_shuffles`` times (centres and the control kernel ``given`` stay) and σ is
    fitted afresh each time. Returns the fit plus ``shuffled`` (mean of the shuffled best
    correlations), ``null`` and the one-sided
    ``p_value = (1 + #{shuffled ≥ observed}) / (1 + n_shuffles)``. (The learned side, which the
    orientations do not change, is prepared once.)"""
    rng = rng or np.random.default_rng(0)
    theta = np.asarray(theta, dtype=float)
    k = kernel.shape[-1]
    learned = _learned_for_fit(kernel, theta, spacing, centres, at_equal_distance, given)
    fit = _fit_sigmas(learned, theta, model_kernels, grid, spacing, k, centres)
    null = np.array([_fit_sigmas(learned, rng.permutation(theta), model_kernels, grid, spacing,
                                 k, centres)["correlation"] for _ in range(n_shuffles)])
    p = one_sided_p(null, fit["correlation"])
    return fit | {"shuffled": float(null.mean()), "null": null, "p_value": p}


# ---- judging a learned kernel against its filter-overlap control ------------------------------

BEYOND_CONTROL_MARGIN = 0.1
"""How far a learned kernel's statistic must exceed its filter-overlap control's (our margin):
selectivity, co-axial elongation and Lie-symmetry score are compared by this difference, the
SE(2)-model fit by the partial correlation given the control (:func:`kernel_model_correlation`),
which must reach it."""


def beyond_control(statistic: float, control_statistic: float,
                   margin: float = BEYOND_CONTROL_MARGIN) -> bool:
    """Is a learned kernel closer to the paper's property than its control, by ``margin``:
    ``statistic − control_statistic ≥ margin``? A kernel equal to its control never is."""
    return bool(statistic - control_statistic >= margin)
