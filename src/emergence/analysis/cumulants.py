"""Fourth-order cumulants of the inputs and the mechanism of localisation (Ingrosso & Goldt 2022).

For zero-mean inputs ``x ∈ ℝᴰ`` with covariance ``C = E[x xᵀ]`` the fourth cumulant tensor is::

    κ₄_ijkl = E[x_i x_j x_k x_l] − C_ij C_kl − C_ik C_jl − C_il C_jk

It vanishes for Gaussian inputs. Contracted with a vector ``w`` three times it needs only the
projections ``w·x`` of the samples, never the ``D⁴`` tensor::

    κ₄(·, w, w, w) = E[x (w·x)³] − 3 (wᵀCw) C w
    κ₄(w, w, w, w) = E[(w·x)⁴] − 3 (wᵀCw)²

and ``κ₄(w,w,w,w) / (wᵀCw)²`` is the excess kurtosis of the projection ``w·x`` (the *projected
excess kurtosis*). All expectations are sample means over the rows of ``x``; the inputs are
assumed zero-mean (the NLGP and its clone are, exactly), so raw moments are used and ``x`` is not
centred. ``C`` is the sample covariance ``xᵀx / n`` unless an (e.g. analytic) covariance is given.

Mechanism (a *reconstruction*: the paper's own derivation is not available to us). For one neuron
``erf((w·x + b)/√2)`` the label-driven part of the gradient, ``E[y σ'(w·x + b) x]``, expanded to
third order in ``w·x`` contains::

    E_c[x (w·x)³] = 3 (wᵀC_c w) C_c w + κ₄^c(·, w, w, w)          (class c)

so the higher-order statistics enter the learning dynamics only through ``κ₄``. Its fixed points
in ``w`` (``κ₄(·,w,w,w) ∥ w``) are the Z-eigenvectors of the tensor: :func:`tensor_eigenvectors`
finds them by a shifted power method and :func:`reduced_dynamics` integrates the single-neuron
flow with and without the ``κ₄`` term.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from emergence.analysis.localisation import ipr, shift_invariant_similarity
from emergence.profiles import require_positive


def _check_samples(x: torch.Tensor) -> torch.Tensor:
    if not isinstance(x, torch.Tensor) or x.dim() != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(f"x of shape {shape} is not allowed; give samples of shape (n, D) with "
                         "n ≥ 2.")
    if not x.is_floating_point():
        raise ValueError(f"x of dtype {x.dtype} is not allowed; give floating-point samples.")
    return x


def _check_vectors(w: torch.Tensor, D: int) -> tuple[torch.Tensor, bool]:
    """``w`` as a batch ``(m, D)`` and whether it was a single vector ``(D,)``."""
    if not isinstance(w, torch.Tensor) or w.dim() not in (1, 2) or w.shape[-1] != D:
        shape = tuple(w.shape) if isinstance(w, torch.Tensor) else type(w).__name__
        raise ValueError(f"w of shape {shape} is not allowed; give a vector (D,) or a batch "
                         f"(m, D) with D = {D}, the number of pixels of x.")
    return (w[None], True) if w.dim() == 1 else (w, False)


def _check_covariance(covariance: torch.Tensor | None, D: int, dtype) -> torch.Tensor | None:
    if covariance is None:
        return None
    if not isinstance(covariance, torch.Tensor) or covariance.shape != (D, D):
        shape = tuple(covariance.shape) if isinstance(covariance, torch.Tensor) \
            else type(covariance).__name__
        raise ValueError(f"covariance of shape {shape} is not allowed; it must be ({D}, {D}).")
    return covariance.to(dtype)


def _contract(x: torch.Tensor, w: torch.Tensor, covariance: torch.Tensor | None):
    """``κ₄(·,w,w,w)`` (m, D), ``κ₄(w,w,w,w)`` (m,) and ``wᵀCw`` (m,) for a batch ``w (m, D)``."""
    n = x.shape[0]
    w = w.to(x.dtype)
    proj = x @ w.T                                   # (n, m): the projections w·x
    third = proj.pow(3).T @ x / n                    # E[x (w·x)³]
    if covariance is None:
        cw = proj.T @ x / n                          # C w with the sample covariance
        wcw = proj.square().mean(0)
    else:
        cw = w @ covariance
        wcw = (w * cw).sum(-1)
    contraction = third - 3 * wcw[:, None] * cw
    return contraction, (w * contraction).sum(-1), wcw


def fourth_cumulant_contraction(x: torch.Tensor, w: torch.Tensor,
                                covariance: torch.Tensor | None = None) -> torch.Tensor:
    """``κ₄(·, w, w, w) = E[x (w·x)³] − 3 (wᵀCw) C w`` from samples ``x (n, D)``.

    ``w`` is one vector ``(D,)`` (returns ``(D,)``) or a batch ``(m, D)`` (returns ``(m, D)``).
    ``C`` is the sample covariance ``xᵀx / n`` unless ``covariance`` ``(D, D)`` is given. Cost
    ``O(n m D)``; the ``D⁴`` tensor is never formed.
    """
    x = _check_samples(x)
    batch, single = _check_vectors(w, x.shape[1])
    contraction, _, _ = _contract(x, batch, _check_covariance(covariance, x.shape[1], x.dtype))
    return contraction[0] if single else contraction


def fourth_cumulant(x: torch.Tensor, w: torch.Tensor,
                    covariance: torch.Tensor | None = None) -> torch.Tensor:
    """``κ₄(w, w, w, w) = E[(w·x)⁴] − 3 (wᵀCw)²``: a scalar for ``w (D,)``, ``(m,)`` for ``(m, D)``.
    """
    x = _check_samples(x)
    batch, single = _check_vectors(w, x.shape[1])
    _, value, _ = _contract(x, batch, _check_covariance(covariance, x.shape[1], x.dtype))
    return value[0] if single else value


def projected_excess_kurtosis(x: torch.Tensor, w: torch.Tensor,
                              covariance: torch.Tensor | None = None) -> torch.Tensor:
    """``κ₄(w,w,w,w) / (wᵀCw)²``, the excess kurtosis of the projection ``w·x`` (scale-free)."""
    x = _check_samples(x)
    batch, single = _check_vectors(w, x.shape[1])
    _, value, wcw = _contract(x, batch, _check_covariance(covariance, x.shape[1], x.dtype))
    ratio = value / wcw.square()
    return ratio[0] if single else ratio


def _normalise(w: torch.Tensor) -> torch.Tensor:
    return w / w.norm(dim=-1, keepdim=True)


def shifted_power_iteration(x: torch.Tensor, start: torch.Tensor, sign: float, *,
                            covariance: torch.Tensor | None = None, max_iter: int = 300,
                            tol: float = 1e-3) -> dict:
    """Fixed points of ``w ← s κ₄(·,w,w,w) / ‖·‖`` on the unit sphere, in the coordinates of ``x``.

    The plain power step is not guaranteed to converge for a fourth-order tensor (it can
    oscillate), so each start ``w`` follows the *shifted* step (SS-HOPM, Kolda & Mayo 2011)::

        w ← (s κ₄(·,w,w,w) + α w) / ‖·‖

    whose fixed points are the same Z-eigenvectors ``κ₄(·,w,w,w) = μ w``. With
    ``f(w) = s κ₄(w,w,w,w)`` a step is accepted only if it does not decrease ``f``; otherwise
    the start's shift ``α`` is raised (to ``|f|``, then doubled) and the step retried, and after
    an accepted step ``α`` is halved. A large enough ``α`` makes the step a short
    projected-gradient step (the gradient of ``f`` on the sphere is ``4 s κ₄(·,w,w,w)``), so
    ``f`` increases monotonically and each start ends at a local maximum of ``s κ₄(w,w,w,w)``
    on the sphere: ``s = +1`` seeks the most positive ``κ₄``, ``s = −1`` the most negative.

    A start has converged when the plain power step moves it by less than ``tol`` (up to sign):
    ``min ‖normalise(κ₄(·,w,w,w)) ∓ w‖ < tol``, a criterion that does not depend on ``α``.

    Returns ``vectors`` ``(m, D)`` (unit norm), ``kappa4`` ``κ₄(w,w,w,w)`` ``(m,)``,
    ``converged`` ``(m,)`` bool and ``n_iter`` ``(m,)``, the accepted-or-rejected steps taken.
    """
    x = _check_samples(x)
    start, _ = _check_vectors(start, x.shape[1])
    covariance = _check_covariance(covariance, x.shape[1], x.dtype)
    if sign not in (1, -1):
        raise ValueError(f"sign={sign!r} is not allowed; choose one of 1, -1.")
    require_positive("max_iter", max_iter, integer=True)
    require_positive("tol", tol)

    return _shifted_power(lambda w: _contract(x, w, covariance)[:2], start.to(x.dtype), sign,
                          max_iter, tol)


def _shifted_power(contract, start: torch.Tensor, sign: float, max_iter: int, tol: float
                   ) -> dict:
    """The SS-HOPM loop of :func:`shifted_power_iteration` for any symmetric fourth-order
    tensor ``T`` given by ``contract(w (m, D)) -> (T(·,w,w,w) (m, D), T(w,w,w,w) (m,))``."""
    w = _normalise(start)
    grad, f = contract(w)
    grad, f = sign * grad, sign * f
    alpha = torch.zeros_like(f)
    converged = torch.zeros(len(w), dtype=torch.bool)
    n_iter = torch.zeros(len(w), dtype=torch.long)
    for _ in range(max_iter):
        step = _normalise(grad)
        moved = torch.minimum((step - w).norm(dim=-1), (step + w).norm(dim=-1))
        converged |= moved < tol
        active = (~converged).nonzero().squeeze(-1)
        if len(active) == 0:
            break
        n_iter[active] += 1
        candidate = _normalise(grad[active] + alpha[active, None] * w[active])
        new_grad, new_f = contract(candidate)
        new_grad, new_f = sign * new_grad, sign * new_f
        accept = new_f >= f[active] - 1e-6 * f[active].abs()
        ok, bad = active[accept], active[~accept]
        w[ok], grad[ok], f[ok] = candidate[accept], new_grad[accept], new_f[accept]
        alpha[ok] = alpha[ok] / 2
        alpha[bad] = torch.where(alpha[bad] > 0, 2 * alpha[bad], f[bad].abs())
    return {"vectors": w, "kappa4": sign * f, "converged": converged, "n_iter": n_iter}


def tensor_eigenvectors(x: torch.Tensor, generator: torch.Generator, n_starts: int = 32, *,
                        covariance: torch.Tensor | None = None, sign: float | None = None,
                        max_iter: int = 300, tol: float = 1e-3) -> dict:
    """Z-eigenvectors of the fourth cumulant of the raw inputs ``x (n, D)``, from random starts.

    Runs :func:`shifted_power_iteration` on ``x`` itself from ``n_starts`` random unit vectors
    drawn from ``generator``: the fixed points are the local extrema of ``κ₄(w,w,w,w)`` on the
    sphere ``‖w‖ = 1``, with ``C`` the sample covariance unless ``covariance`` is given.

    Why the raw inputs and not whitened ones (``z = C^{-1/2} x``): a neuron's weights ``w`` act as
    ``λ = w·x`` and the learning drive contains ``κ₄(·,w,w,w)`` of the raw inputs with the scale
    of ``w`` set by its norm (see :func:`reduced_dynamics`), which is what this iteration
    extremises. Whitening instead extremises the projected excess kurtosis
    ``κ₄(w,w,w,w)/(wᵀCw)²`` (projection pursuit / ICA); on the NLGP that objective is extremal
    for single-pixel filters (IPR ≈ 1, the most non-Gaussian projection of an NLGP is one pixel),
    whereas the raw iteration gives bumps a few sites wide like the learned receptive fields
    (1D ring, D = 100, ξ = (1, 3), g = 10, classes mixed: IPR 0.26 raw, 1.0 whitened, 0.25 for
    the trained localised neurons; shift-invariant overlap with them 0.99 raw, 0.56 whitened).

    On a translation-invariant input the fixed points come in near-degenerate families of
    translates, so the power step creeps slowly along them: the shape (IPR, ``κ₄``) settles long
    before ``converged`` flips, and ``tol`` is a tolerance on the direction, not on the shape.

    ``sign`` ``s = ±1`` chooses maxima (``+1``) or minima (``−1``) of ``κ₄``; by default it is the
    sign of the mean marginal fourth cumulant of the pixels, ``−1`` for the NLGP at any gain (its
    pixels are platykurtic, excess kurtosis from 0 down to −2), so the fixed points are the
    directions of most negative ``κ₄``, i.e. the maxima of ``|κ₄|``. (Pass it explicitly to
    compare with a control: the two classes of Gaussian clones *mixed* are leptokurtic, a scale
    mixture, and the default would pick ``+1`` there.)

    Returns ``vectors`` ``(n_starts, D)`` (unit norm, sign fixed so the largest entry is
    positive), ``kappa4`` ``κ₄(w,w,w,w)`` and ``excess_kurtosis`` ``κ₄(w,w,w,w)/(wᵀCw)²``
    ``(n_starts,)``, ``converged`` and ``n_iter`` ``(n_starts,)`` and the ``sign`` used.
    """
    x = _check_samples(x)
    D = x.shape[1]
    require_positive("n_starts", n_starts, integer=True)
    covariance = _check_covariance(covariance, D, x.dtype)
    if sign is None:
        var = x.square().mean(0) if covariance is None else covariance.diagonal()
        sign = 1 if float((x.pow(4).mean(0) - 3 * var.square()).mean()) >= 0 else -1
    start = torch.randn((n_starts, D), generator=generator, dtype=torch.float64).to(x.dtype)
    result = shifted_power_iteration(x, start, sign, covariance=covariance, max_iter=max_iter,
                                     tol=tol)
    w = result["vectors"]
    w = w * torch.sign(w.gather(1, w.abs().argmax(1, keepdim=True)))
    _, kappa4, wcw = _contract(x, w, covariance)
    return {
        "vectors": w,
        "kappa4": kappa4,
        "excess_kurtosis": kappa4 / wcw.square(),
        "converged": result["converged"],
        "n_iter": result["n_iter"],
        "sign": sign,
    }


def class_difference_contraction(x_classes: Sequence[torch.Tensor], w: torch.Tensor,
                                 labels: Sequence[float] = (1.0, -1.0)
                                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """The label-weighted cumulant ``T = mean_c y_c κ₄^c`` contracted with ``w (m, D)``.

    ``x_classes``: one sample set ``(n_c, D)`` per class, each with its own sample covariance.
    Returns ``T(·,w,w,w)`` ``(m, D)`` and ``T(w,w,w,w)`` ``(m,)``. With the default labels
    (``+1`` for the short-range class 0, ``−1`` for class 1) ``T = (κ₄⁰ − κ₄¹)/2``: the tensor
    that drives a ``b = +1`` neuron in :func:`reduced_dynamics`.
    """
    if len(x_classes) < 1 or len(x_classes) != len(labels):
        raise ValueError(f"{len(x_classes)} sample sets and {len(labels)} labels are not "
                         "allowed; give one label per class (at least one class).")
    xs = [_check_samples(x) for x in x_classes]
    batch, _ = _check_vectors(w, xs[0].shape[1])
    grad = torch.zeros(batch.shape, dtype=xs[0].dtype)
    value = torch.zeros(len(batch), dtype=xs[0].dtype)
    for y, x in zip(labels, xs, strict=True):
        contraction, kappa4, _ = _contract(x, batch, None)
        grad += float(y) / len(xs) * contraction
        value += float(y) / len(xs) * kappa4
    return grad, value


def class_difference_eigenvectors(x_classes: Sequence[torch.Tensor], generator: torch.Generator,
                                  n_starts: int = 32, *, labels: Sequence[float] = (1.0, -1.0),
                                  sign: float = 1.0, max_iter: int = 300, tol: float = 1e-3
                                  ) -> dict:
    """Z-eigenvectors of the label-weighted cumulant ``T = mean_c y_c κ₄^c``
    (:func:`class_difference_contraction`), the tensor of the derivation in
    :func:`reduced_dynamics`: from ``n_starts`` random unit vectors, the shifted power method
    climbs to local maxima of ``sign · T(w,w,w,w)`` on the unit sphere. ``sign = +1`` (the
    default) is the direction a ``b = +1`` neuron's drive climbs (its cubic coefficient
    ``(3b − b³)/6`` is positive). Returns ``vectors`` ``(n_starts, D)`` (largest entry
    positive), ``value`` ``T(w,w,w,w)`` and ``converged`` ``(n_starts,)``.
    """
    xs = [_check_samples(x) for x in x_classes]
    require_positive("n_starts", n_starts, integer=True)
    require_positive("max_iter", max_iter, integer=True)
    if sign not in (1, -1):
        raise ValueError(f"sign={sign!r} is not allowed; choose one of 1, -1.")
    start = torch.randn((n_starts, xs[0].shape[1]), generator=generator, dtype=torch.float64)
    result = _shifted_power(lambda w: class_difference_contraction(xs, w, labels),
                            start.to(xs[0].dtype), sign, max_iter, tol)
    w = result["vectors"]
    w = w * torch.sign(w.gather(1, w.abs().argmax(1, keepdim=True)))
    return {"vectors": w, "value": class_difference_contraction(xs, w, labels)[1],
            "converged": result["converged"]}


def best_shift_overlap(fields: torch.Tensor, fixed_points: torch.Tensor, L: int, dim: int
                       ) -> tuple[torch.Tensor, torch.Tensor]:
    """For each learned field ``(K, D)`` the best shift-invariant cosine similarity to any fixed
    point ``(m, D)``: ``max_j max_s |⟨a_k, shift_s b_j⟩| / (‖a_k‖ ‖b_j‖)``.

    Returns the overlaps ``(K,)`` and the index of the best fixed point ``(K,)``; built on
    :func:`~emergence.analysis.localisation.shift_invariant_similarity`.
    """
    D = L**dim
    for name, t in (("fields", fields), ("fixed_points", fixed_points)):
        if t.dim() != 2 or t.shape[1] != D or t.shape[0] < 1:
            raise ValueError(f"{name} of shape {tuple(t.shape)} is not allowed; it must be "
                             f"(k, {D}) with k ≥ 1 for L={L}, dim={dim}.")
    similarity = shift_invariant_similarity(fields, fixed_points, L, dim)
    best, index = similarity.max(dim=1)
    return best, index


def reduced_dynamics(x_classes: Sequence[torch.Tensor], generator: torch.Generator, *,
                     labels: Sequence[float] = (1.0, -1.0), bias: float = 1.0,
                     include_kappa4: bool = True, radius: float = 1.0, lr: float = 0.05,
                     n_steps: int = 2000, n_starts: int = 1, record_every: int = 10,
                     covariances: Sequence[torch.Tensor] | None = None) -> dict:
    """Reduced single-neuron dynamics, with or without the ``κ₄`` term (a reconstruction).

    One neuron ``σ(λ) = erf(λ/√2)`` with ``λ = w·x + b`` and a fixed bias ``b``; classes ``c``
    drawn with equal probability, labels ``y_c`` (default ``+1`` for the first, short-range
    class, ``−1`` for the second). The drive is the label-correlation part of the squared-loss
    gradient, ``∇_w E[y σ(w·x + b)] = E[y σ'(λ) x]`` (the label-independent part ``½ E[ŷ²]`` is
    left out; the sphere below bounds ``w`` instead). Expanding ``σ'(b + h)`` to third order in
    ``h = w·x`` (``σ⁽²⁾(b) = −b σ'(b)``, ``σ⁽⁴⁾(b) = (3b − b³) σ'(b)``; the even orders vanish
    because both classes are symmetric under ``x → −x``) and dropping the factor ``σ'(b) > 0``::

        g(w) = mean_c y_c [ −b C_c w + ((3b − b³)/6) (3 (wᵀC_c w) C_c w
                                                   + include_kappa4 · κ₄^c(·, w, w, w)) ]

    using ``E_c[x (w·x)³] = 3 (wᵀC_c w) C_c w + κ₄^c(·,w,w,w)``. The bias selects the
    population: at ``b = +1`` (the neurons that vote for the short-range class, the ones that
    localise in the full network) the linear term is ``−(C₀ − C₁) w / 2`` and the cubic one
    enters with ``+1/3``; ``b = −1`` flips both signs. (The naive Hebbian form ``E[y x σ(w·x)]``
    with ``σ(λ) ≈ √(2/π)(λ − λ³/6)`` is the ``b = −1`` flow at a radius √2 times smaller.) At
    ``b = 0`` the drive vanishes at every order (the neuron is odd), which is why the network
    needs its biases; ``b = 0`` and ``|b| = √3`` (no cubic term) are rejected.

    The norm of ``w`` sets how far into the non-linearity the neuron works (``wᵀCw`` is the
    variance of ``w·x``), so ``w`` is kept on the sphere ``‖w‖ = radius``: each step
    ``w ← radius · normalise(w + lr · g(w))`` is projected gradient ascent (the radial part of
    ``g`` is removed by the normalisation, as in Oja's rule). For the linear part ``A`` alone the
    step is a power iteration with ``I + lr·A``; ``lr`` must keep ``1 + lr·λ_max > |1 + lr·λ_min|``
    (``λ`` the eigenvalues of ``A``), else the Euler step oscillates onto the bottom mode.
    With ``include_kappa4 = False`` only the covariances act: the flow of a Gaussian input with
    the same ``C_c``.

    ``x_classes``: one sample set ``(n_c, D)`` per class (zero-mean, see the module docstring);
    ``C_c`` is its sample covariance unless ``covariances`` are given. ``n_starts`` random starts
    (from ``generator``) are run together. Returns ``steps`` ``(R,)``, ``ipr`` ``(R, n_starts)``
    recorded every ``record_every`` steps (first and last included) and the final ``w``
    ``(n_starts, D)``.
    """
    if len(x_classes) < 1 or len(x_classes) != len(labels):
        raise ValueError(f"{len(x_classes)} sample sets and {len(labels)} labels are not "
                         "allowed; give one label per class (at least one class).")
    xs = [_check_samples(x) for x in x_classes]
    D = xs[0].shape[1]
    if any(x.shape[1] != D for x in xs):
        raise ValueError("x_classes have different numbers of pixels; all must be (n_c, D).")
    if covariances is None:
        covs = [x.T @ x / x.shape[0] for x in xs]
    elif len(covariances) != len(xs):
        raise ValueError(f"{len(covariances)} covariances for {len(xs)} classes are not "
                         "allowed; give one per class.")
    else:
        covs = [_check_covariance(c, D, x.dtype) for c, x in zip(covariances, xs, strict=True)]
    linear, cubic = -float(bias), (3 * float(bias) - float(bias) ** 3) / 6
    if linear == 0 or abs(cubic) < 1e-12:
        raise ValueError(f"bias={bias!r} is not allowed; at b = 0 the drive vanishes and at "
                         "|b| = √3 it has no cubic term. Use e.g. +1 or −1.")
    for name, value in (("radius", radius), ("lr", lr)):
        require_positive(name, value)
    for name, value in (("n_steps", n_steps), ("n_starts", n_starts),
                        ("record_every", record_every)):
        require_positive(name, value, integer=True)

    dtype = xs[0].dtype
    w = torch.randn((n_starts, D), generator=generator, dtype=torch.float64).to(dtype)
    w = radius * _normalise(w)
    weights = [float(y) / len(xs) for y in labels]

    def drive(w: torch.Tensor) -> torch.Tensor:
        total = torch.zeros_like(w)
        for y, x, c in zip(weights, xs, covs, strict=True):
            cw = w @ c
            wcw = (w * cw).sum(-1, keepdim=True)
            total += y * (linear * cw + cubic * 3 * wcw * cw)
            if include_kappa4:
                total += y * cubic * _contract(x, w, c)[0]
        return total

    steps, iprs = [0], [ipr(w)]
    for step in range(1, n_steps + 1):
        w = radius * _normalise(w + lr * drive(w))
        if step % record_every == 0 or step == n_steps:
            steps.append(step)
            iprs.append(ipr(w))
    return {"steps": torch.tensor(steps), "ipr": torch.stack(iprs), "w": w}
