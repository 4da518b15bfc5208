"""Fits of learned filters: Laplacian of Gaussian (LGN), Gabor (V1), radial symmetry.

All fits are least squares on the pixels of a filter ``w`` (a square array, pixel (row, col) at
``(y, x) = (row − c, col − c)`` with ``c = (k − 1)/2``); the quality of a fit is the relative L2
error ``‖w − fit‖ / ‖w‖`` (0: perfect; 1: no better than the zero filter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import ndimage, optimize


@lru_cache(maxsize=32)
def _grid(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinates ``(x, y)`` of a ``k × k`` filter about its centre (read-only arrays,
    computed once per size: the Gabor fit evaluates them thousands of times)."""
    c = (k - 1) / 2
    y, x = np.mgrid[0:k, 0:k].astype(float) - c
    x.flags.writeable = y.flags.writeable = False
    return x, y


def relative_error(w: np.ndarray, fit: np.ndarray) -> float:
    """``‖w − fit‖ / ‖w‖``."""
    return float(np.linalg.norm(w - fit) / max(np.linalg.norm(w), 1e-12))


def log_profile(r2: np.ndarray, sigma: float) -> np.ndarray:
    """``LoG_σ(r) = −(1/(πσ⁴)) (1 − r²/(2σ²)) exp(−r²/(2σ²))`` evaluated at ``r2 = r²``."""
    return -(1 / (math.pi * sigma**4)) * (1 - r2 / (2 * sigma**2)) * np.exp(-r2 / (2 * sigma**2))


def log_filter(k: int, sigma: float, x0: float = 0.0, y0: float = 0.0) -> np.ndarray:
    """A ``k × k`` LoG centred at ``(x0, y0)``."""
    x, y = _grid(k)
    return log_profile((x - x0) ** 2 + (y - y0) ** 2, sigma)


@dataclass
class LoGFit:
    sigma: float
    x0: float
    y0: float
    amplitude: float
    offset: float
    rel_error: float
    fit: np.ndarray


def fit_log(w: np.ndarray, sigmas=(0.6, 1.0, 1.5, 2.2, 3.0)) -> LoGFit:
    """Fit ``A·LoG_σ(x − x₀) + c`` to ``w`` by least squares.

    Variable projection: for given ``(σ, x₀, y₀)`` the best ``(A, c)`` solve a linear least-squares
    problem, so only ``(σ, x₀, y₀)`` are searched (restarts over ``sigmas``). ``A`` may be negative
    (an on-centre or off-centre profile).
    """
    w = np.asarray(w, dtype=float)
    k = w.shape[0]
    x, y = _grid(k)

    def linear(p):
        sigma, x0, y0 = p
        basis = np.stack([log_profile((x - x0) ** 2 + (y - y0) ** 2, abs(sigma)).ravel(),
                          np.ones(k * k)], 1)
        coef, *_ = np.linalg.lstsq(basis, w.ravel(), rcond=None)
        return coef, (basis @ coef).reshape(k, k)

    best = None
    for s0 in sigmas:
        res = optimize.least_squares(lambda p: (linear(p)[1] - w).ravel(), [s0, 0.0, 0.0],
                                     bounds=([0.3, -k / 2, -k / 2], [2.0 * k, k / 2, k / 2]))
        if best is None or res.cost < best.cost:
            best = res
    (amp, off), fit = linear(best.x)
    return LoGFit(sigma=float(abs(best.x[0])), x0=float(best.x[1]), y0=float(best.x[2]),
                  amplitude=float(amp), offset=float(off), rel_error=relative_error(w, fit),
                  fit=fit)


def radial_profile(w: np.ndarray, x0: float = 0.0, y0: float = 0.0, n_bins: int | None = None):
    """Mean of ``w`` in rings of width 1 around ``(x0, y0)``: (radii, means, stds)."""
    k = w.shape[0]
    x, y = _grid(k)
    r = np.hypot(x - x0, y - y0)
    n_bins = n_bins or int(math.ceil(r.max())) + 1
    idx = np.minimum(np.round(r).astype(int), n_bins - 1)
    radii, means, stds = [], [], []
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            radii.append(float(r[sel].mean()))
            means.append(float(w[sel].mean()))
            stds.append(float(w[sel].std()))
    return np.array(radii), np.array(means), np.array(stds)


def rotate_about(w: np.ndarray, angle: float, x0: float = 0.0, y0: float = 0.0) -> np.ndarray:
    """``w`` rotated by ``angle`` (radians) about ``(x0, y0)``, bilinear, zero outside."""
    c = (w.shape[0] - 1) / 2
    centre = np.array([y0 + c, x0 + c])
    cos, sin = math.cos(angle), math.sin(angle)
    matrix = np.array([[cos, sin], [-sin, cos]])  # output (row, col) → input (row, col)
    offset = centre - matrix @ centre
    return ndimage.affine_transform(w, matrix, offset=offset, order=1, mode="constant")


def radial_symmetry(w: np.ndarray, angles=(30, 60, 90, 120, 150), centre=None) -> float:
    """Radial-symmetry score ``1 − mean_α ‖m·(w − rot_α w)‖ / ‖m·w‖`` (α in degrees).

    Rotations are about ``centre`` (default: the centroid of ``w²``); ``m`` is the disc of radius
    ``(k − 1)/2`` around that centre, inside which a rotation keeps the pixels in the array.
    1 for a radially symmetric filter; about 0 or below for white noise.
    """
    w = np.asarray(w, dtype=float)
    k = w.shape[0]
    x, y = _grid(k)
    if centre is None:
        energy = w**2 / max((w**2).sum(), 1e-12)
        centre = (float((energy * x).sum()), float((energy * y).sum()))
    x0, y0 = centre
    mask = np.hypot(x - x0, y - y0) <= (k - 1) / 2 - max(abs(x0), abs(y0))
    if mask.sum() < 5:
        mask = np.hypot(x - x0, y - y0) <= (k - 1) / 2
    norm = max(np.linalg.norm(w[mask]), 1e-12)
    diffs = [np.linalg.norm((w - rotate_about(w, math.radians(a), x0, y0))[mask]) / norm
             for a in angles]
    return float(1 - np.mean(diffs))


def gabor_filter(k: int, amplitude, x0, y0, theta, freq, phase, sigma_x, sigma_y, offset=0.0):
    """``A exp(−x′²/(2σx²) − y′²/(2σy²)) cos(2π f x′ + φ) + c`` on a ``k × k`` grid, with
    ``x′ = (x − x₀)cos θ + (y − y₀)sin θ``, ``y′ = −(x − x₀)sin θ + (y − y₀)cos θ``."""
    x, y = _grid(k)
    dx, dy, cos, sin = x - x0, y - y0, math.cos(theta), math.sin(theta)
    xr = dx * cos + dy * sin
    yr = -dx * sin + dy * cos
    envelope = np.exp(-xr**2 / (2 * sigma_x**2) - yr**2 / (2 * sigma_y**2))
    return amplitude * envelope * np.cos(2 * math.pi * freq * xr + phase) + offset


def gabor_jacobian(k: int, amplitude, x0, y0, theta, freq, phase, sigma_x, sigma_y,
                   offset=0.0) -> np.ndarray:
    """Derivatives of :func:`gabor_filter` with respect to its nine parameters, (k², 9).

    With ``E`` the envelope, ``C = cos(2π f x′ + φ)`` and ``S = sin(2π f x′ + φ)``:
    ``∂g/∂A = E C``, ``∂g/∂φ = −A E S``, ``∂g/∂f = −2π x′ A E S``, ``∂g/∂σx = A E C x′²/σx³``,
    ``∂g/∂σy = A E C y′²/σy³``, ``∂g/∂c = 1``, and through ``∂g/∂x′ = −A E (C x′/σx² + 2π f S)``,
    ``∂g/∂y′ = −A E C y′/σy²``: ``∂g/∂x₀ = −cos θ ∂g/∂x′ + sin θ ∂g/∂y′``,
    ``∂g/∂y₀ = −sin θ ∂g/∂x′ − cos θ ∂g/∂y′``, ``∂g/∂θ = y′ ∂g/∂x′ − x′ ∂g/∂y′``.
    """
    x, y = _grid(k)
    dx, dy, cos, sin = x - x0, y - y0, math.cos(theta), math.sin(theta)
    xr = dx * cos + dy * sin
    yr = -dx * sin + dy * cos
    envelope = np.exp(-xr**2 / (2 * sigma_x**2) - yr**2 / (2 * sigma_y**2))
    carrier = 2 * math.pi * freq * xr + phase
    ec, es = envelope * np.cos(carrier), envelope * np.sin(carrier)
    d_xr = -amplitude * (ec * xr / sigma_x**2 + 2 * math.pi * freq * es)
    d_yr = -amplitude * ec * yr / sigma_y**2
    columns = [ec, -cos * d_xr + sin * d_yr, -sin * d_xr - cos * d_yr, yr * d_xr - xr * d_yr,
               -2 * math.pi * xr * amplitude * es, -amplitude * es,
               amplitude * ec * xr**2 / sigma_x**3, amplitude * ec * yr**2 / sigma_y**3,
               np.ones_like(ec)]
    return np.stack(columns, axis=-1).reshape(k * k, 9)


@dataclass
class GaborFit:
    amplitude: float
    x0: float
    y0: float
    theta: float  # direction of the wave vector, in [0, π)
    freq: float  # cycles per pixel
    phase: float
    sigma_x: float
    sigma_y: float
    offset: float
    rel_error: float
    fit: np.ndarray

    @property
    def orientation(self) -> float:
        """Orientation of the filter's stripes (edge/bar direction) in [0, π): θ + π/2."""
        return float((self.theta + math.pi / 2) % math.pi)


def fit_gabor(w: np.ndarray, n_restarts: int = 6) -> GaborFit:
    """Least-squares Gabor fit with restarts.

    Starts: the peak of the zero-padded Fourier spectrum gives ``(θ, f)``, the centroid of ``w²``
    gives ``(x₀, y₀)``; restarts vary the phase and θ (± π/8) and the envelope width. The result
    is reported with ``θ`` folded into [0, π) (adding π to θ and flipping the phase's sign is the
    same function). A filter that is not a finite square array, or ``n_restarts < 1``, is refused
    with a ``ValueError``; if every restart fails, a ``RuntimeError`` says so.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or not np.isfinite(w).all():
        raise ValueError(f"fit_gabor needs a finite square 2D filter, got shape {w.shape}"
                         + ("" if np.isfinite(w).all() else " with non-finite values") + ".")
    if n_restarts < 1:
        raise ValueError(f"n_restarts must be at least 1, got {n_restarts}.")
    k = w.shape[0]
    x, y = _grid(k)
    scale = max(np.abs(w).max(), 1e-12)
    wn = w / scale
    n = 4 * k
    spectrum = np.abs(np.fft.fft2(wn - wn.mean(), s=(n, n)))
    fy, fx = np.unravel_index(np.argmax(spectrum), spectrum.shape)
    fx = fx / n if fx <= n // 2 else fx / n - 1
    fy = fy / n if fy <= n // 2 else fy / n - 1
    f0 = max(math.hypot(fx, fy), 0.05)
    t0 = math.atan2(fy, fx)
    energy = wn**2 / max((wn**2).sum(), 1e-12)
    cx, cy = float((energy * x).sum()), float((energy * y).sum())
    lower = [-np.inf, -k / 2, -k / 2, -np.inf, 0.0, -np.inf, 0.4, 0.4, -np.inf]
    upper = [np.inf, k / 2, k / 2, np.inf, 0.5, np.inf, k, k, np.inf]
    best = None
    starts = []
    for r in range(n_restarts):
        phase = [0.0, math.pi / 2, math.pi, -math.pi / 2][r % 4]
        theta = t0 + [0.0, 0.0, 0.0, 0.0, math.pi / 8, -math.pi / 8][r % 6]
        width = [k / 5, k / 5, k / 4, k / 6, k / 5, k / 5][r % 6]
        starts.append([1.0, cx, cy, theta, f0, phase, width, width, 0.0])
    for p0 in starts:
        p0 = np.clip(p0, np.array(lower) + 1e-6, np.array(upper) - 1e-6)
        try:
            res = optimize.least_squares(lambda p: (gabor_filter(k, *p) - wn).ravel(), p0,
                                         jac=lambda p: gabor_jacobian(k, *p),
                                         bounds=(lower, upper), max_nfev=400)
        except ValueError:
            continue
        if best is None or res.cost < best.cost:
            best = res
    if best is None:
        raise RuntimeError(f"fit_gabor: all {n_restarts} restarts of the least-squares fit "
                           f"failed on this {k}×{k} filter.")
    p = best.x.copy()
    fit = gabor_filter(k, *p) * scale
    theta, phase = p[3], p[5]
    folded = theta % (2 * math.pi)
    if folded >= math.pi:
        folded -= math.pi
        phase = -phase
    return GaborFit(amplitude=float(p[0] * scale), x0=float(p[1]), y0=float(p[2]),
                    theta=float(folded), freq=float(p[4]), phase=float(phase),
                    sigma_x=float(p[6]), sigma_y=float(p[7]), offset=float(p[8] * scale),
                    rel_error=relative_error(w, fit), fit=fit)


# ---- criteria that a trivial filter fails --------------------------------------------------

#: ℓ⁰: largest LoG relative error, smallest radial symmetry, smallest fitted σ (pixels), and the
#: smallest surround: opposite-signed weight of the radial profile as a fraction of the centre's.
LOG_MAX_ERROR, RADIAL_MIN, LOG_MIN_SIGMA, SURROUND_MIN = 0.5, 0.5, 1.0, 0.25
#: ℓ¹: largest Gabor relative error, and the smallest number of carrier cycles across the
#: envelope, ``f · σ`` along the wave vector (a blob has none; a Gabor with a visible carrier
#: has at least a quarter).
GABOR_MAX_ERROR, CARRIER_MIN_CYCLES = 0.5, 0.25


@dataclass
class CentreSurround:
    """What makes a filter LoG-like, and whether it is (:func:`centre_surround`)."""

    rel_error: float
    sigma: float
    radial: float
    surround: float
    passes: bool


def surround_fraction(w: np.ndarray, x0: float = 0.0, y0: float = 0.0) -> float:
    """Opposite-signed weight of the radial profile about ``(x0, y0)`` as a fraction of the
    centre's: with ring means ``m(r)`` and ring sizes ``n(r)``, the rings whose sign differs from
    the centre ring's, ``Σ n(r)|m(r)|``, over those that share it. The centre ring is the
    innermost ring that holds a pixel (about a point near a pixel corner, ring 0 is empty). A
    LoG's surround balances its centre (``∫ LoG = 0``: a fraction near 1, less where the array
    clips it); a delta or a blob has none (0)."""
    x, y = _grid(w.shape[0])
    rings = np.round(np.hypot(x - x0, y - y0)).astype(int)
    sizes = np.bincount(rings.ravel())
    means = np.bincount(rings.ravel(), w.ravel()) / np.maximum(sizes, 1)
    weight = sizes * np.abs(means)
    centre = means[np.flatnonzero(sizes)[0]]
    same = np.sign(means) == np.sign(centre)
    return float(weight[~same].sum() / max(weight[same].sum(), 1e-12))


def centre_surround(w: np.ndarray) -> CentreSurround:
    """Is ``w`` LoG-like? A LoG fit with relative error ≤ ``LOG_MAX_ERROR`` and
    ``σ ≥ LOG_MIN_SIGMA`` px, radial symmetry ≥ ``RADIAL_MIN`` and a surround of real weight
    (:func:`surround_fraction` ≥ ``SURROUND_MIN`` about the fitted centre). A centred delta,
    the delta-plus-noise initialisation and an isotropic blob fail it."""
    fit = fit_log(w)
    radial = radial_symmetry(w, centre=(fit.x0, fit.y0))
    surround = surround_fraction(w, fit.x0, fit.y0)
    passes = (fit.rel_error <= LOG_MAX_ERROR and fit.sigma >= LOG_MIN_SIGMA
              and radial >= RADIAL_MIN and surround >= SURROUND_MIN)
    return CentreSurround(fit.rel_error, fit.sigma, radial, surround, bool(passes))


def carrier_cycles(fit: GaborFit) -> float:
    """``f · σx``: carrier cycles per envelope width along the wave vector."""
    return float(fit.freq * fit.sigma_x)


def is_gabor_like(rel_error, cycles) -> np.ndarray:
    """A good Gabor fit (relative error ≤ ``GABOR_MAX_ERROR``) *with a carrier*
    (:func:`carrier_cycles` ≥ ``CARRIER_MIN_CYCLES``), elementwise: an isotropic blob fits a
    Gabor of frequency 0 perfectly and is not Gabor-like."""
    return (np.asarray(rel_error) <= GABOR_MAX_ERROR) & (np.asarray(cycles) >= CARRIER_MIN_CYCLES)


def gabor_bank_passes(rel_errors, cycles) -> bool:
    """A bank of fitted filters (their relative errors and :func:`carrier_cycles`) is Gabor-like
    when its median fit error is at most ``GABOR_MAX_ERROR`` and at least half of its filters
    are Gabor-like (:func:`is_gabor_like`)."""
    rel_errors, cycles = np.asarray(rel_errors, dtype=float), np.asarray(cycles, dtype=float)
    if rel_errors.size == 0 or rel_errors.shape != cycles.shape:
        raise ValueError("gabor_bank_passes needs at least one filter, with one error and one "
                         f"carrier count each (got {rel_errors.shape} and {cycles.shape}).")
    return bool(np.median(rel_errors) <= GABOR_MAX_ERROR
                and is_gabor_like(rel_errors, cycles).mean() >= 0.5)


def bank_statistics(rel_errors, cycles) -> dict:
    """A bank of Gabor fits summarised once: ``median_error`` (median relative error),
    ``gabor_like`` (the fraction of :func:`is_gabor_like` filters) and ``passes``
    (:func:`gabor_bank_passes`, the ℓ¹ claim's criterion)."""
    rel_errors, cycles = np.asarray(rel_errors), np.asarray(cycles)  # the median in their dtype
    return {"median_error": float(np.median(rel_errors)),
            "gabor_like": float(is_gabor_like(rel_errors, cycles).mean()),
            "passes": gabor_bank_passes(rel_errors, cycles)}


def spectrum_matched_noise(w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Noise with the amplitude spectrum of ``w`` and random phases: the Fourier transform of
    white noise with its magnitude replaced by ``|ŵ|`` (the phases of a real signal, so the
    result is real). It keeps ``w``'s frequency and orientation content and nothing else — the
    control a Gabor-like filter must beat."""
    noise = np.fft.fft2(rng.standard_normal(w.shape))
    return np.real(np.fft.ifft2(noise / np.maximum(np.abs(noise), 1e-12) * np.abs(np.fft.fft2(w))))


def orientation_resultant_length(orientations) -> float:
    """How unevenly axial orientations θ (defined modulo π) cover the half-circle: the mean
    resultant length ``|mean exp(2iθ)|`` — 0 for balanced orientations, 1 when all are equal,
    and 1 for no orientations at all (nothing is balanced)."""
    orientations = np.asarray(orientations)
    return float(np.abs(np.exp(2j * orientations).mean())) if orientations.size else 1.0


def factorisation_balance(l0: np.ndarray, effective: np.ndarray, n_fft: int = 32):
    """The balance of a linear factorisation ``E_i = ℓ⁰ ∗ ℓ¹_i`` under weight decay: among all
    factorisations with the same effective filters, the one with the least
    ``‖ℓ⁰‖² + Σᵢ‖ℓ¹ᵢ‖²`` has, frequency by frequency,
    ``|ℓ̂⁰(ω)|² ∝ (Σᵢ |Êᵢ(ω)|²)^½``.

    Returns ``(l0_power, predicted, correlation)``: ``|ℓ̂⁰|²`` of ``l0`` (k, k) and the
    prediction from ``effective`` (C, k', k'), both on an ``n_fft`` × ``n_fft`` frequency grid
    with the zero frequency at the centre, and their Pearson correlation over frequencies."""
    l0_power = np.abs(np.fft.fftshift(np.fft.fft2(l0, s=(n_fft, n_fft)))) ** 2
    effective_power = np.abs(np.fft.fftshift(np.fft.fft2(effective, s=(n_fft, n_fft)),
                                             axes=(-2, -1))) ** 2
    predicted = np.sqrt(effective_power.sum(0))
    return l0_power, predicted, float(np.corrcoef(l0_power.ravel(), predicted.ravel())[0, 1])
