"""One summary of a Chapter 1 run, computed once: the page's numbers, the claims, the results
file and the figures all read it (:func:`summarise`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from emergence.analysis.connectivity import (
    BEYOND_CONTROL_MARGIN,
    association_field,
    coupling_matrix,
)
from emergence.analysis.filters import (
    GABOR_MAX_ERROR,
    LOG_MAX_ERROR,
    LOG_MIN_SIGMA,
    RADIAL_MIN,
    SURROUND_MIN,
    CentreSurround,
    LoGFit,
    bank_statistics,
    factorisation_balance,
    fit_log,
    orientation_resultant_length,
    radial_profile,
    radial_symmetry,
)
from emergence.claims import p_text
from emergence.models.lateral import lateral_operator_norm
from emergence.profiles import make_generator

from .claims import LIE_MIN, judge_l0
from .config import LieConfig, config_for, lateral_spacing, record_steps
from .images import TrainingImages
from .training import load_network, v1_activity

#: A V1 unit active at fewer than this fraction of positions on test images is silent.
SILENT_BELOW = 0.01
#: Test images for the V1 activity.
ACTIVITY_IMAGES = 500
#: Side of the frequency grid of the balance check (section 7).
N_FFT = 32


@dataclass(frozen=True)
class LieSummary:
    """What a Chapter 1 run found, by part of the network (names as on the page)."""

    cfg: LieConfig
    data: str  # the training data in words
    n_classes: int
    # training: stage 1 through the task (the paper's setting), our Hebbian stage 2
    steps: list[int]  # stage-1 steps of the snapshots
    snapshots: list[dict]  # ℓ⁰ ("l0"), ℓ¹ ("l1"), K¹ ("lateral") at those steps (tensors)
    loss_stage1: np.ndarray
    loss_stage2: np.ndarray
    accuracy_initial: float
    accuracy_task: float  # after stage 1
    accuracy_hebbian: float  # after stage 2
    train_seconds: float
    operator_norm_task: float  # of h ↦ K¹ ∗ h, the kernel learned through the task
    operator_norm_hebbian: float
    # ℓ⁰: LoG fits and radial symmetry at every snapshot; the claim's judgement
    log_fits: list[LoGFit]
    radial_symmetry: list[float]
    radial_profiles: list[tuple]  # per snapshot: (r, mean, sd) of ℓ⁰ and of its LoG fit
    l0_judged: dict[str, CentreSurround]  # trained, init, delta
    # ℓ¹: Gabor fits of the effective filters and the controls (filter_fits.analyse_filters)
    gabor: dict
    gabor_banks: dict[str, dict]  # per bank (init, trained, control_smoothed_noise, ...):
    #   analysis.filters.bank_statistics, computed once
    gabor_median_error: dict[str, float]  # init, trained, control_smoothed_noise, ...
    gabor_median_error_raw: dict[str, float]  # raw ℓ¹: init, trained
    gabor_like_fraction: dict[str, float]  # the same cases as gabor_median_error
    fits_well: np.ndarray  # per trained filter: Gabor error < GABOR_MAX_ERROR
    orientation_resultant: float  # of the well-fitted filters' orientations
    activity: np.ndarray  # per V1 unit, the fraction of positions where it responds
    n_silent: int
    # K¹: the four kernels, over the well-fitted filters, and their measures
    kernels: dict[str, np.ndarray]  # task, overlap, hebbian, init (full C × C × k × k)
    well_fitted: np.ndarray  # indices of the filters the K¹ measures use
    theta: np.ndarray  # their orientations
    measures: dict[str, dict]  # per kernel (runs.lateral_measures)
    reported: dict  # two more tests of the task kernel
    couplings: dict[str, np.ndarray]  # per kernel, Σ_Δ max(K¹ᵢⱼ(Δ), 0) over well-fitted pairs
    task_fields: list[tuple]  # per filter, its association field (x, y, angle, weight) in K¹
    reference_filter: int  # the well-fitted filter with the most excitatory task-kernel input
    se2_model: dict  # the direction process: radius, grid, kernels Γ_σ
    # section 8, beyond the paper: K¹ through contour integration (runs.contour_training),
    # plus "measures" (runs.contour_measures: contour, contour_init)
    contour: dict
    # section 7: the balance of the factorisation ℓ⁰ ∗ ℓ¹
    l0_power: np.ndarray
    predicted_l0_power: np.ndarray
    balance: float  # their correlation over frequencies

    @property
    def chance(self) -> float:
        """The accuracy of guessing: 1 / the number of classes."""
        return 1 / self.n_classes

    @property
    def images_per_second(self) -> float:
        """Training images (both stages) per second of training."""
        cfg = self.cfg
        return (cfg.steps + cfg.stage2_steps) * cfg.batch / self.train_seconds

    @property
    def orientation(self) -> np.ndarray:
        """Orientations of the trained filters (their stripes, θ + π/2 of the Gabor fit)."""
        return self.gabor["final"]["orientation"].numpy()

    @property
    def by_orientation(self) -> np.ndarray:
        """Indices of the trained filters sorted by orientation."""
        return np.argsort(self.orientation)


def summarise(cfg: LieConfig, images: TrainingImages, stages: dict, gabor_fits: dict,
              se2_model: dict, lateral_kernels: dict[str, np.ndarray], kernel_measures: dict,
              contour: dict, contour_measures: dict, seed: int) -> LieSummary:
    """The :class:`LieSummary` of one run, from its runs (:mod:`emergence.experiments.lie.runs`):
    ``stages`` (training), ``gabor_fits``, ``se2_model`` (the direction process),
    ``lateral_kernels`` (the four kernels), ``kernel_measures`` (their measures), ``contour``
    and ``contour_measures`` (K¹ through contour integration and its measures). The V1
    activity is measured on :data:`ACTIVITY_IMAGES` test images of ``images`` (random stream
    ``probe`` of ``seed``) through the network after stage 1."""
    snapshots = stages["snapshots"]
    l0_snapshots = [s["l0"].numpy() for s in snapshots]
    log_fits = [fit_log(w) for w in l0_snapshots]
    final, initial = gabor_fits["final"], gabor_fits["initial"]
    errors = final["error"].numpy()
    fits_well = errors < GABOR_MAX_ERROR
    probe = images.sample(ACTIVITY_IMAGES, make_generator(seed, "probe"))[0]
    activity = v1_activity(load_network(cfg, stages, "stage1_state"), probe)
    banks = {"init": initial, "trained": final, "control_smoothed_noise": gabor_fits["control"],
             "control_spectrum_matched": gabor_fits["spectrum_matched"]}
    bank_stats = {name: bank_statistics(bank["error"].numpy(), bank["cycles"].numpy())
                  for name, bank in banks.items()}
    keep = kernel_measures["well_fitted"]
    couplings = {name: coupling_matrix(kernel[np.ix_(keep, keep)], "positive")
                 for name, kernel in lateral_kernels.items()}
    l0_power, predicted, balance = factorisation_balance(l0_snapshots[-1],
                                                         final["effective"].numpy(), N_FFT)
    return LieSummary(
        cfg=cfg, data=images.note, n_classes=images.n_classes,
        steps=record_steps(cfg), snapshots=snapshots, loss_stage1=stages["loss"].numpy(),
        loss_stage2=stages["loss_stage2"].numpy(),
        accuracy_initial=stages["initial_accuracy"], accuracy_task=stages["stage1_accuracy"],
        accuracy_hebbian=stages["accuracy"], train_seconds=stages["train_seconds"],
        operator_norm_task=lateral_operator_norm(snapshots[-1]["lateral"]),
        operator_norm_hebbian=lateral_operator_norm(stages["lateral_stage2"]),
        log_fits=log_fits, radial_symmetry=[radial_symmetry(w) for w in l0_snapshots],
        radial_profiles=[(radial_profile(w, f.x0, f.y0), radial_profile(f.fit, f.x0, f.y0))
                         for w, f in zip(l0_snapshots, log_fits, strict=True)],
        l0_judged=judge_l0(l0_snapshots[0], l0_snapshots[-1]),
        gabor=gabor_fits,
        gabor_banks=bank_stats,
        gabor_median_error={name: stats["median_error"] for name, stats in bank_stats.items()},
        gabor_median_error_raw={"init": float(np.median(initial["error_raw"].numpy())),
                                "trained": float(np.median(final["error_raw"].numpy()))},
        gabor_like_fraction={name: stats["gabor_like"] for name, stats in bank_stats.items()},
        fits_well=fits_well,
        orientation_resultant=orientation_resultant_length(
            final["orientation"].numpy()[fits_well]),
        activity=activity, n_silent=int((activity < SILENT_BELOW).sum()),
        kernels=lateral_kernels, well_fitted=keep, theta=kernel_measures["theta"],
        measures=kernel_measures["measures"], reported=kernel_measures["reported"],
        couplings=couplings, reference_filter=int(keep[np.argmax(couplings["task"].sum(1))]),
        task_fields=[association_field(np.clip(lateral_kernels["task"][i][keep], 0, None),
                                       kernel_measures["theta"], lateral_spacing(cfg))
                     for i in range(len(lateral_kernels["task"]))],
        se2_model=se2_model, contour=contour | {"measures": contour_measures},
        l0_power=l0_power, predicted_l0_power=predicted, balance=balance)


def l0_snapshots_shown(summary: LieSummary) -> np.ndarray:
    """The snapshots that section 3's figure shows: at most six, evenly spread over training."""
    n = len(summary.snapshots)
    return np.unique(np.linspace(0, n - 1, min(6, n)).round().astype(int))


def shuffle_p(test: dict) -> str:
    """A shuffle test's p-value in words (``p = …``, or ``p ≤ …`` at the floor of its shuffles)."""
    return p_text(test["p_value"], len(test["null"]))


def prose_numbers(summary: LieSummary) -> dict:
    """The numbers the page's prose states, by glue name (the result-dependent sentences:
    :func:`emergence.experiments.lie.claims.sentences`)."""
    s, cfg = summary, summary.cfg
    log_final, task = s.log_fits[-1], s.measures["task"]
    paper = config_for("paper")
    return {
        # §1, §2: the data, the sizes, the training
        "data": s.data, "n_classes": s.n_classes, "beyond_margin": BEYOND_CONTROL_MARGIN,
        "steps": cfg.steps, "stage2_steps": cfg.stage2_steps, "batch": cfg.batch,
        "n_test": cfg.n_test, "train_seconds": s.train_seconds,
        "images_per_second": s.images_per_second, "hebbian_time": 1 / cfg.hebbian_rate,
        "accuracy_init": s.accuracy_initial, "accuracy_task": s.accuracy_task,
        "accuracy_hebbian": s.accuracy_hebbian, "chance": s.chance,
        "norm_task": s.operator_norm_task, "norm_hebbian": s.operator_norm_hebbian,
        # §3: ℓ⁰
        "n_l0_shown": len(l0_snapshots_shown(s)), "log_init": s.log_fits[0].rel_error,
        "log_final": log_final.rel_error, "radial_init": s.radial_symmetry[0],
        "radial_final": s.radial_symmetry[-1], "log_sigma": log_final.sigma,
        "log_x0": log_final.x0, "log_y0": log_final.y0,
        # §4: ℓ¹
        "gabor_init": s.gabor_median_error["init"], "gabor_final": s.gabor_median_error["trained"],
        "gabor_raw_init": s.gabor_median_error_raw["init"],
        "gabor_raw_final": s.gabor_median_error_raw["trained"],
        "gabor_control": s.gabor_median_error["control_smoothed_noise"],
        "n_good": int(s.fits_well.sum()), "n_filters": len(s.fits_well),
        "gabor_max": GABOR_MAX_ERROR, "orient_resultant": s.orientation_resultant,
        "n_silent": s.n_silent, "median_active": float(np.median(s.activity)),
        # §5, §6: K¹
        "n_permutations": cfg.n_permutations, "n_keep": len(s.well_fitted),
        "sel_abs": s.reported["selectivity_abs"]["statistic"],
        "sel_abs_p": shuffle_p(s.reported["selectivity_abs"]),
        "ref": s.reference_filter, "ref_degrees": math.degrees(s.orientation[s.reference_filter]),
        "radius": s.se2_model["radius"], "best_sigma": str(task["se2"]["best_sigma"]),
        "n_se2_shuffles": len(task["se2"]["null"]),
        "n_partial_shuffles": len(task["se2_partial"]["null"]),
        "plain_task": s.reported["se2_plain"]["correlation"],
        "plain_sigma": str(s.reported["se2_plain"]["best_sigma"]),
        "plain_task_shuffled": s.reported["se2_plain"]["shuffled"],
        "plain_task_p": shuffle_p(s.reported["se2_plain"]),
        "plain_init": s.measures["init"]["se2_plain"]["correlation"],
        # §8: contour integration
        "contour_size": cfg.contour_size, "contour_steps": cfg.contour_steps,
        "contour_batch": cfg.contour_batch, "contour_lr": cfg.contour_lr,
        "contour_accuracy": s.contour["accuracy"],
        "contour_accuracy_init": s.contour["initial_accuracy"],
        # §7 and the summary's criteria
        "balance": s.balance, "log_max": LOG_MAX_ERROR, "log_min_sigma": LOG_MIN_SIGMA,
        "radial_min": RADIAL_MIN, "surround_min": SURROUND_MIN, "lie_min": LIE_MIN,
        "paper_filters": paper.n_filters, "paper_steps": paper.steps,
        "paper_stage2_steps": paper.stage2_steps,
    }
