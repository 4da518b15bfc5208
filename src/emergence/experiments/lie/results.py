"""Chapter 1's results record: the headline numbers of a run, written to
``RESULTS_DIR/lie_symmetries.json`` (:func:`results_record`; its keys: :data:`RESULT_KEYS`).
"""

from __future__ import annotations

import dataclasses

from emergence.analysis.connectivity import BEYOND_CONTROL_MARGIN
from emergence.claims import HOLDING, Claim

from .claims import K1_CLAIMS, PAPER_LEVEL
from .summary import LieSummary

#: The keys of ``lie_symmetries.json`` (Markdown; the scorecard page shows it).
RESULT_KEYS = """\
- `dataset`: the training data. `log_rel_error`, `radial_symmetry` (`init`, `trained`) and
  `log_sigma`: ℓ⁰'s LoG fit and radial-symmetry score (section 3); `l0_centre_surround`
  (`trained`, `init`, `delta`: LoG error, σ, radial symmetry, surround, criterion met).
- `gabor_median_error` (`init`, `trained`, `control_smoothed_noise`,
  `control_spectrum_matched`; effective filters), `gabor_like_fraction` (the same cases; error
  ≤ 0.5 with a carrier), `gabor_median_error_raw_l1`, `gabor_fraction_good` (error < 0.5),
  `silent_v1_units`, `orientation_resultant_length`: the ℓ¹ filters (section 4).
- `orientation_selectivity`: statistic and permutation p-value of the kernel learned through
  the task (`statistic`, `p_value`), at initialisation (`init_*`, its own shuffles) and with
  the absolute coupling (`abs_coupling_*`) (section 5).
- `se2_model_correlation` (at equal distance; the task kernel: `trained`, `best_sigma`,
  `shuffled`, `shuffled_p_value`; `untrained`; `partial_given_overlap` and its
  `partial_p_value`: the partial correlation given the filter-overlap control),
  `se2_model_correlation_plain`, `coaxial_elongation` (`trained`, `shuffled`, `p_value`,
  `untrained`), `lie_symmetry_score` (`trained`, `untrained`) (section 6), all of the task
  kernel; `lateral_operator_norm` (`task`, `hebbian`).
- `overlap_control`: the same measures on the filter-overlap control, the Hebbian fixed point
  on white noise through the task-trained ℓ⁰ and ℓ¹ (`orientation_selectivity`:
  `statistic`, `p_value`; `coaxial_elongation`: `statistic`, `shuffled`, `p_value`;
  `se2_model_correlation`: `correlation`, `best_sigma`, `shuffled`, `p_value`;
  `lie_symmetry_score`: `score`, `aligned`, `raw`; `white_noise_images`).
- `hebbian`: our extension beyond the paper, the kernel of stage 2 — the same measures as
  `overlap_control`, plus `se2_model_correlation.partial_given_overlap` and
  `partial_p_value`, and `test_accuracy` after stage 2.
- `contour`: our extension beyond the paper, K¹ learned through contour integration with ℓ⁰ and
  ℓ¹ fixed (section 8) — the same measures as `hebbian` for the learned kernel (`learned`) and
  its start (`init`), `test_accuracy`, `initial_accuracy`, `train_seconds`.
- `beyond_control_margin`: the margin by which a learned kernel must beat the control.
- `test_accuracy` (the task-trained network, after stage 1), `initial_accuracy`;
  `fourier_balance_correlation` (section 7); `train_seconds`, `train_images_per_second`.
- `effects_hold`: per effect (`l0_log_like`, `l1_gabor_like`, `k1_orientation_selective`,
  `k1_coaxial`, `k1_like_se2_model`, `lie_symmetry_score_up` — the K¹ claims beyond the
  filter-overlap control — and the same four K¹ claims at the paper's level, each id with
  `_paper_level` appended: against shuffled orientations and the kernel at initialisation),
  whether the paper's claim is reproduced on the task-trained network.
- `claims`: one record per row of the chapter's claims table: `id` (stable across seeds),
  `claim`, `paper`, `source`, `setting`, `ours`, `value` (the headline number), `criterion`,
  `holds`, `controls` (each `name`, `value`, `passes`), `no_control`, `beyond_paper`, and the
  computed `verdict` and `reason` (`emergence.claims.Claim`).
"""


def k1_record(measures: dict, *, partial: bool = True) -> dict:
    """A kernel's :func:`~emergence.experiments.lie.kernels.kernel_measures` as plain numbers
    for the results file (the shuffled nulls left out; the partial correlation given the
    control only with ``partial``)."""
    sel, coax, se2, lie = (measures[k] for k in ("selectivity", "coaxial", "se2", "lie"))
    se2_record = {"correlation": se2["correlation"], "best_sigma": float(se2["best_sigma"]),
                  "shuffled": se2["shuffled"], "p_value": se2["p_value"]}
    if partial:
        se2_record |= {"partial_given_overlap": measures["se2_partial"]["correlation"],
                       "partial_p_value": measures["se2_partial"]["p_value"]}
    return {
        "orientation_selectivity": {"statistic": sel["statistic"], "p_value": sel["p_value"]},
        "coaxial_elongation": {"statistic": coax["statistic"], "shuffled": coax["shuffled"],
                               "p_value": coax["p_value"]},
        "se2_model_correlation": se2_record,
        "lie_symmetry_score": {k: lie[k] for k in ("score", "aligned", "raw")},
    }


def task_kernel_record(measures: dict, reported: dict) -> dict:
    """The results-file entries of the task-learned kernel (``measures["task"]``, with the
    initial kernel's statistics ``measures["init"]`` as ``untrained``/``init_*`` and the
    :func:`~emergence.experiments.lie.kernels.reported_tests`): ``orientation_selectivity``,
    ``se2_model_correlation``, ``coaxial_elongation``, ``se2_model_correlation_plain`` and
    ``lie_symmetry_score``."""
    task, init = measures["task"], measures["init"]
    return {
        "orientation_selectivity": {
            "statistic": task["selectivity"]["statistic"],
            "p_value": task["selectivity"]["p_value"],
            "init_statistic": init["selectivity"]["statistic"],
            "init_p_value": init["selectivity"]["p_value"],
            "abs_coupling_statistic": reported["selectivity_abs"]["statistic"],
            "abs_coupling_p_value": reported["selectivity_abs"]["p_value"]},
        "se2_model_correlation": {
            "trained": task["se2"]["correlation"], "best_sigma": float(task["se2"]["best_sigma"]),
            "untrained": init["se2"]["correlation"], "shuffled": task["se2"]["shuffled"],
            "shuffled_p_value": task["se2"]["p_value"],
            "partial_given_overlap": task["se2_partial"]["correlation"],
            "partial_p_value": task["se2_partial"]["p_value"],
            "measure": "at equal distance (1/2-px shells)"},
        "coaxial_elongation": {
            "trained": task["coaxial"]["statistic"], "shuffled": task["coaxial"]["shuffled"],
            "p_value": task["coaxial"]["p_value"], "untrained": init["coaxial"]["statistic"]},
        "se2_model_correlation_plain": {
            "trained": reported["se2_plain"]["correlation"],
            "untrained": init["se2_plain"]["correlation"],
            "shuffled": reported["se2_plain"]["shuffled"],
            "shuffled_p_value": reported["se2_plain"]["p_value"]},
        "lie_symmetry_score": {"trained": task["lie"]["score"], "untrained": init["lie"]["score"]},
    }


def effects_hold(records: list[Claim]) -> dict[str, bool]:
    """Per effect of the paper (ℓ⁰, ℓ¹ and the four K¹ claims, these at our stronger level and
    at the paper's, ``…_paper_level``), whether its claim is shown on the network trained
    through the task (a holding verdict)."""
    verdicts = {c.id: c.verdict for c in records}
    keys = ("l0_log_like", "l1_gabor_like", *K1_CLAIMS, *(k + PAPER_LEVEL for k in K1_CLAIMS))
    return {key: verdicts[key] in HOLDING for key in keys}


def results_record(summary: LieSummary, records: list[Claim]) -> dict:
    """The headline numbers of the run (keys: :data:`RESULT_KEYS`), with its claim records."""
    cfg, measures = summary.cfg, summary.measures
    log_init, log_final = summary.log_fits[0], summary.log_fits[-1]
    return {
        "dataset": summary.data,
        "log_rel_error": {"init": log_init.rel_error, "trained": log_final.rel_error},
        "log_sigma": log_final.sigma,
        "l0_centre_surround": {name: dataclasses.asdict(judged)
                               for name, judged in summary.l0_judged.items()},
        "radial_symmetry": {"init": summary.radial_symmetry[0],
                            "trained": summary.radial_symmetry[-1]},
        "gabor_median_error": summary.gabor_median_error,
        "gabor_like_fraction": summary.gabor_like_fraction,
        "gabor_median_error_raw_l1": summary.gabor_median_error_raw,
        "gabor_fraction_good": float(summary.fits_well.mean()),
        "silent_v1_units": summary.n_silent,
        "orientation_resultant_length": summary.orientation_resultant,
        **task_kernel_record(measures, summary.reported),
        "lateral_operator_norm": {"task": summary.operator_norm_task,
                                  "hebbian": summary.operator_norm_hebbian},
        "overlap_control": k1_record(measures["overlap"], partial=False)
        | {"white_noise_images": cfg.overlap_batches * cfg.batch},
        "hebbian": k1_record(measures["hebbian"]) | {"test_accuracy": summary.accuracy_hebbian},
        "contour": {"learned": k1_record(summary.contour["measures"]["contour"]),
                    "init": k1_record(summary.contour["measures"]["contour_init"]),
                    "test_accuracy": summary.contour["accuracy"],
                    "initial_accuracy": summary.contour["initial_accuracy"],
                    "train_seconds": summary.contour["train_seconds"]},
        "beyond_control_margin": BEYOND_CONTROL_MARGIN,
        "test_accuracy": summary.accuracy_task,
        "initial_accuracy": summary.accuracy_initial,
        "fourier_balance_correlation": summary.balance,
        "effects_hold": effects_hold(records),
        "claims": [c.to_dict() for c in records],
        "train_seconds": summary.train_seconds,
        "train_images_per_second": summary.images_per_second,
    }
