"""The measures of Chapter 1's lateral kernels K¹, with their shuffled-orientation tests.

For one kernel over the well-fitted filters (orientations θ, fitted centres in px):

* orientation selectivity of the excitatory coupling ``s_ij = Σ_Δ max(K¹ᵢⱼ(Δ), 0)``;
* co-axial elongation of the short-range coupling between similarly oriented filters;
* the correlation with the SE(2) model (the direction process Γ_σ,
  :func:`se2_model`) at equal distance — plain, and partial given the filter-overlap control;
* the Lie-symmetry score of the lifted kernels.

Each statistic is tested against shuffles of the orientations among the filters, drawn from a
random stream of the kernel's own (:data:`KERNEL_STREAMS`).
"""

from __future__ import annotations

import numpy as np

from emergence.analysis.connectivity import (
    coaxial_test,
    coupling_matrix,
    direction_process_kernel,
    lie_symmetry_score,
    lift_kernel,
    model_fit,
    model_fit_test,
    one_sided_p,
    orientation_selectivity,
    se2_grid,
)

from .config import LieConfig, lateral_spacing
from .filter_fits import pool_map

#: Orientation bins of the lifted grid (over [0, π)).
N_THETA = 6


def se2_radius(cfg: LieConfig) -> float:
    """Half the side of the lifted grid (px): the lateral kernel's reach plus one pixel."""
    return (cfg.k_lateral // 2) * lateral_spacing(cfg) + 1.0


def lifted_grid(cfg: LieConfig):
    """The SE(2) grid the kernels are lifted to: ``k_lateral`` cells over ±:func:`se2_radius`
    px in x and y, :data:`N_THETA` orientation differences."""
    return se2_grid(se2_radius(cfg), cfg.k_lateral, N_THETA)


def se2_model(cfg: LieConfig, seed: int) -> dict:
    """The lifted grid and the direction-process kernels Γ_σ on it, one per ``cfg.sigmas``
    (strings as keys), for lateral kernels of ``k_lateral`` taps spaced
    :func:`~emergence.experiments.lie.config.lateral_spacing` px."""
    radius, grid = se2_radius(cfg), lifted_grid(cfg)
    kernels = {str(s): direction_process_kernel(s, grid, n_paths=cfg.mc_paths,
                                                rng=np.random.default_rng(seed))
               for s in cfg.sigmas}
    return {"radius": radius, "grid": grid, "kernels": kernels}


#: The four kernels the K¹ claims compare, as the page names them: learned through the task
#: (stage 1, the paper's claim), the filter-overlap control, our Hebbian stage 2, initialisation.
KERNEL_NAMES = {"task": "learned through the task", "overlap": "filter-overlap control",
                "hebbian": "Hebbian (beyond the paper)", "init": "initialisation"}
#: Each kernel's shuffle tests draw from a stream of their own (``contour``: K¹ learned through
#: contour integration, section 8, and ``contour_init``: its start).
KERNEL_STREAMS = {"task": 1, "hebbian": 2, "overlap": 3, "init": 4, "contour": 6,
                  "contour_init": 7}
#: The random stream of :func:`reported_tests` (after :data:`KERNEL_STREAMS`).
REPORTED_STREAM = 5


def kernel_measures(cfg: LieConfig, kernel: np.ndarray, control: np.ndarray, theta: np.ndarray,
                    centres: np.ndarray, model: dict, seed: int, stream: int) -> dict:
    """The K¹ measures of one lateral kernel over the well-fitted filters (``kernel`` and
    ``control`` already restricted to them; ``theta`` their orientations, ``centres`` their
    fitted centres in px):

    * ``selectivity`` — :func:`orientation_selectivity` of ``Σ_Δ max(K¹ᵢⱼ(Δ), 0)``;
    * ``coaxial`` — :func:`coaxial_test`, the co-axial elongation of the short-range coupling;
    * ``se2`` and ``se2_partial`` — :func:`model_fit_test` at equal distance, plain and partial
      given ``control`` (the filter-overlap kernel);
    * ``lie`` — :func:`lie_symmetry_score` of the lifted kernels.

    Each statistic gets its shuffled-orientation test (``cfg.n_permutations`` shuffles; at most
    499 and 199 for the model fits), drawn from the random stream ``stream`` of ``seed``. A
    kernel equal to its control has no residual given it, whatever the orientations: its partial
    correlation and every shuffled one are 0 (p = 1), which is returned without the shuffles."""
    rng = np.random.default_rng([seed, stream])
    n_perm = cfg.n_permutations
    fit = dict(theta=theta, model_kernels=model["kernels"], grid=model["grid"],
               spacing=lateral_spacing(cfg), centres=centres, at_equal_distance=True)
    return {
        "selectivity": orientation_selectivity(coupling_matrix(kernel, "positive"), theta,
                                               n_perm, rng),
        "coaxial": coaxial_test(kernel, theta, lateral_spacing(cfg), n_perm, rng),
        "se2": model_fit_test(kernel, n_shuffles=min(n_perm, 499), rng=rng, **fit),
        "se2_partial": (_partial_given_itself(kernel, min(n_perm, 199), fit)
                        if np.array_equal(kernel, control) else
                        model_fit_test(kernel, n_shuffles=min(n_perm, 199), rng=rng,
                                       given=control, **fit)),
        "lie": _lie_score(cfg, kernel, theta, centres, model),
    }


def _partial_given_itself(kernel: np.ndarray, n_shuffles: int, fit: dict) -> dict:
    """:func:`model_fit_test` of a kernel given itself, without computing the shuffles that
    are all 0."""
    partial = model_fit(kernel, given=kernel, **fit)
    null = np.zeros(n_shuffles)
    return partial | {"shuffled": 0.0, "null": null,
                      "p_value": one_sided_p(null, partial["correlation"])}


def plain_model_fit(cfg: LieConfig, kernel: np.ndarray, theta: np.ndarray, centres: np.ndarray,
                    model: dict) -> dict:
    """:func:`model_fit` of ``kernel`` with the SE(2) model, the fall-off with distance left in
    (no shuffle test)."""
    return model_fit(kernel, theta, model["kernels"], model["grid"], lateral_spacing(cfg), centres)


def _lie_score(cfg: LieConfig, kernel, theta, centres, model) -> dict:
    lifted = [lift_kernel(kernel, theta, model["grid"], lateral_spacing(cfg), centres, align=align)
              for align in (True, False)]
    return lie_symmetry_score(*lifted)


def reported_tests(cfg: LieConfig, kernel: np.ndarray, theta: np.ndarray, centres: np.ndarray,
                   model: dict, seed: int) -> dict:
    """Two measures reported beside the criteria, each with its shuffled-orientation test:
    ``selectivity_abs``, the orientation selectivity of the absolute coupling
    ``Σ_Δ |K¹ᵢⱼ(Δ)|`` (``cfg.n_permutations`` shuffles), and ``se2_plain``, the SE(2) fit with
    the fall-off with distance left in (at most 199 shuffles)."""
    rng = np.random.default_rng([seed, REPORTED_STREAM])
    return {
        "selectivity_abs": orientation_selectivity(coupling_matrix(kernel), theta,
                                                   cfg.n_permutations, rng),
        "se2_plain": model_fit_test(kernel, theta, model["kernels"], model["grid"],
                                    lateral_spacing(cfg), centres,
                                    n_shuffles=min(cfg.n_permutations, 199), rng=rng),
    }


def _measures_job(job: tuple) -> dict:
    """One job of :func:`all_kernel_measures` (a module-level function, so that it pickles)."""
    what, args = job
    return reported_tests(*args) if what == "reported" else kernel_measures(*args)


def all_kernel_measures(cfg: LieConfig, kernels: dict[str, np.ndarray], control: np.ndarray,
                        theta: np.ndarray, centres: np.ndarray, model: dict,
                        seed: int, *, reported: bool = True) -> tuple[dict, dict | None]:
    """:func:`kernel_measures` of each of ``kernels`` (names of :data:`KERNEL_STREAMS`), each
    from its own random stream, and with ``reported`` :func:`reported_tests` of
    ``kernels["task"]``, spread over ``cfg.workers`` processes: ``(measures by name,
    reported or None)``, the same as one by one."""
    jobs = [(name, (cfg, kernel, control, theta, centres, model, seed, KERNEL_STREAMS[name]))
            for name, kernel in kernels.items()]
    if reported:
        jobs.append(("reported", (cfg, kernels["task"], theta, centres, model, seed)))
    results = pool_map(_measures_job, jobs, cfg.workers)
    return dict(zip(kernels, results[:len(kernels)], strict=True)), (results[-1] if reported
                                                                       else None)
