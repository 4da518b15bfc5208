"""Chapter 1's claims, their criteria and controls, and the page's sentences that depend on a
result.

:func:`claims` turns a run's :class:`~emergence.experiments.lie.summary.LieSummary` into the
claim records, in the page's order: the paper's ℓ⁰ and ℓ¹ claims (:func:`filter_claims`), its
four K¹ claims on the kernel learned through the task, each at two levels — the paper's (against
shuffled orientations and the kernel at initialisation, :func:`k1_paper_claims`) and our
stronger one (beyond the filter-overlap control, :func:`k1_claims`) — the test accuracy
(reported), and the K¹ claims on our Hebbian kernel at the stronger level (beyond the paper).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import binom

from emergence.analysis.connectivity import BEYOND_CONTROL_MARGIN, beyond_control
from emergence.analysis.filters import (
    CARRIER_MIN_CYCLES,
    GABOR_MAX_ERROR,
    LOG_MAX_ERROR,
    LOG_MIN_SIGMA,
    RADIAL_MIN,
    SURROUND_MIN,
    centre_surround,
)
from emergence.claims import (
    AS_IN_PAPER,
    SOURCE_QUALITATIVE,
    Claim,
    Control,
    counts_text,
    p_text,
)

from .config import LieConfig, config_for
from .search import (
    BALANCED_BATCHES,
    FASTER_RATE,
    FIRST_ROUND_CHOICE,
    LONGER_TRAINING,
    PAGE_ROBUSTNESS_SETTING,
    ROBUSTNESS_CLAIMS,
    SMALLER_START,
    STRONGER_DECAY,
    both_held,
    held_out_lines,
    is_page_setting,
    judges_kernel,
    load_robustness_record,
    robustness_seeds,
    robustness_summary,
    seed_range,
)

if TYPE_CHECKING:
    from .summary import LieSummary

# ---- the K¹ criteria ---------------------------------------------------------------------------

LIE_MIN = 0.03
"""The Lie-symmetry score has no shuffle test: a kernel must reach this score (our threshold)."""


def shuffle_passes(test: dict) -> bool:
    """A statistic above 0 that its shuffled-orientation null reaches less than 1 time in 20."""
    return bool(test["statistic"] > 0 and test["p_value"] < 0.05)


def k1_criteria(measures: dict, control: dict, margin: float = BEYOND_CONTROL_MARGIN) -> dict:
    """Whether each K¹ claim's criterion holds for a kernel's
    :func:`~emergence.experiments.lie.kernels.kernel_measures`, judged against the
    filter-overlap control's (``control``):

    * ``k1_orientation_selective``, ``k1_coaxial`` — the shuffle test passes and the statistic
      is at least ``margin`` above the control's;
    * ``k1_like_se2_model`` — the partial correlation given the control is at least ``margin``
      and its shuffle test gives p < 0.05;
    * ``lie_symmetry_score_up`` — a score of at least :data:`LIE_MIN` and ``margin`` above the
      control's."""
    sel, coax = measures["selectivity"], measures["coaxial"]
    partial, lie = measures["se2_partial"], measures["lie"]["score"]
    return {
        "k1_orientation_selective": shuffle_passes(sel) and beyond_control(
            sel["statistic"], control["selectivity"]["statistic"], margin),
        "k1_coaxial": shuffle_passes(coax) and beyond_control(
            coax["statistic"], control["coaxial"]["statistic"], margin),
        "k1_like_se2_model": bool(partial["correlation"] >= margin
                                  and partial["p_value"] < 0.05),
        "lie_symmetry_score_up": bool(lie >= LIE_MIN) and beyond_control(
            lie, control["lie"]["score"], margin),
    }


#: The suffix of the ids of the K¹ claims judged at the paper's level (:func:`k1_paper_criteria`).
PAPER_LEVEL = "_paper_level"

#: Measures that every kernel beats (every statistic −∞): a kernel judged against them by
#: :func:`k1_paper_criteria` is judged by the criterion's raw part alone.
NO_KERNEL = {"selectivity": {"statistic": -np.inf}, "coaxial": {"statistic": -np.inf},
             "se2": {"correlation": -np.inf}, "lie": {"score": -np.inf}}


def k1_paper_criteria(measures: dict, init: dict, margin: float = BEYOND_CONTROL_MARGIN) -> dict:
    """Whether each K¹ claim holds at the paper's level (our reading of its weaker claim: K¹
    selective with respect to the learned filters' tuning), for a kernel's
    :func:`~emergence.experiments.lie.kernels.kernel_measures` against the kernel at
    initialisation's (``init``), without the filter-overlap control:

    * ``k1_orientation_selective``, ``k1_coaxial`` — the shuffle test passes (statistic > 0,
      p < 0.05) and the statistic is at least ``margin`` above the initial kernel's;
    * ``k1_like_se2_model`` — the correlation with the SE(2) model at equal distance passes
      its shuffle test (> 0, p < 0.05) and is at least ``margin`` above the initial kernel's;
    * ``lie_symmetry_score_up`` — a score of at least :data:`LIE_MIN` and ``margin`` above the
      initial kernel's."""
    sel, coax, se2, lie = (measures[k] for k in ("selectivity", "coaxial", "se2", "lie"))
    se2_test = {"statistic": se2["correlation"], "p_value": se2.get("p_value", 1.0)}
    return {
        "k1_orientation_selective": shuffle_passes(sel) and beyond_control(
            sel["statistic"], init["selectivity"]["statistic"], margin),
        "k1_coaxial": shuffle_passes(coax) and beyond_control(
            coax["statistic"], init["coaxial"]["statistic"], margin),
        "k1_like_se2_model": shuffle_passes(se2_test) and beyond_control(
            se2["correlation"], init["se2"]["correlation"], margin),
        "lie_symmetry_score_up": bool(lie["score"] >= LIE_MIN) and beyond_control(
            lie["score"], init["lie"]["score"], margin),
    }


# ---- the K¹ claims ------------------------------------------------------------------------------

#: The paper's K¹ claims: id → (the claim, the paper's statement).
K1_CLAIMS = {
    "k1_orientation_selective": (
        "K¹ is orientation selective (similar orientations coupled)",
        "similar orientations coupled"),
    "k1_coaxial": (
        "K¹ between similar orientations is co-axial at short range",
        "elongated along the preferred orientation"),
    "k1_like_se2_model": (
        "K¹ follows the SE(2) model of V1 connectivity at equal distance",
        "association fields agree with the group-based models"),
    "lie_symmetry_score_up": (
        "K¹ is SE(2) invariant (Lie-symmetry score, our measure)",
        "the connectivity has the symmetry of SE(2)"),
}
HEBBIAN_SETTING = "K¹ learned by our Hebbian stage 2, not through the task"
CONTOUR_SETTING = ("K¹ and a new head learned through contour integration (is there a path of "
                   "aligned elements?), ℓ⁰ and ℓ¹ of stage 1 fixed; its own initial K¹ is the "
                   "kernel at initialisation")
#: The kernels of ours beyond the paper: name → (the claim's prefix, the setting).
EXTENSIONS = {"hebbian": ("Hebbian", HEBBIAN_SETTING),
              "contour": ("contour-task", CONTOUR_SETTING)}
#: The K¹ claim judged for the contour-integration kernel (section 8): co-axial elongation,
#: the association field's mark (its selectivity is in the section's table and sentence).
CONTOUR_CLAIMS = ("k1_coaxial",)
OVERLAP_CONTROL = "filter-overlap control (white noise through the same filters)"


def k1_criterion_texts(margin: float = BEYOND_CONTROL_MARGIN) -> dict:
    """Each K¹ claim's criterion in words (as :func:`k1_criteria` checks it)."""
    shuffle = "statistic > 0 and p < 0.05 against shuffled orientations"
    beyond = f"at least {margin} above the filter-overlap control's"
    return {
        "k1_orientation_selective": f"{shuffle}, and a statistic {beyond}",
        "k1_coaxial": f"{shuffle}, and an elongation {beyond}",
        "k1_like_se2_model": (f"partial correlation with the SE(2) model at equal distance, "
                              f"given the filter-overlap control, ≥ {margin}, and p < 0.05 "
                              f"against shuffled orientations"),
        "lie_symmetry_score_up": f"Lie-symmetry score ≥ {LIE_MIN} and {beyond}",
    }


def k1_paper_criterion_texts(margin: float = BEYOND_CONTROL_MARGIN) -> dict:
    """Each K¹ claim's criterion at the paper's level in words (as :func:`k1_paper_criteria`
    checks it)."""
    shuffle = "statistic > 0 and p < 0.05 against shuffled orientations"
    above = f"at least {margin} above the kernel at initialisation's (our reading)"
    return {
        "k1_orientation_selective": f"{shuffle}, and a statistic {above}",
        "k1_coaxial": f"{shuffle}, and an elongation {above}",
        "k1_like_se2_model": (f"correlation with the SE(2) model at equal distance > 0 and "
                              f"p < 0.05 against shuffled orientations, and {above}"),
        "lie_symmetry_score_up": f"Lie-symmetry score ≥ {LIE_MIN} and {above}",
    }


def _p(test: dict) -> str:
    """A shuffle test's p-value as the page prints it (:func:`~emergence.claims.p_text`: at the
    floor of its shuffles, ``p ≤ …``)."""
    return p_text(test["p_value"], len(test["null"]) if "null" in test else None)


def _shuffled_control(test: dict) -> Control:
    """Shuffled orientations meet a criterion when they reach the observed statistic at least
    one time in twenty (p ≥ 0.05)."""
    null = np.asarray(test["null"])
    return Control(f"shuffled orientations ({len(null)} shuffles)",
                   f"mean {null.mean():+.3f}; shuffles reach ours with {_p(test)}",
                   bool(test["p_value"] >= 0.05))


def _with_p(test: dict, key: str = "statistic") -> str:
    return f"{test[key]:+.3f}, {_p(test)}"


def _itself(shown: str, raw_passes: bool) -> str:
    """A control judged by a criterion that compares with it: it never beats itself; the cell
    says whether it meets the criterion's raw part."""
    raw = "meets" if raw_passes else "misses"
    return f"{shown} ({raw} the raw criterion; beyond itself by +0.000)"


def k1_paper_claims(measures: dict, init: dict) -> list[Claim]:
    """The paper's four K¹ claims at the paper's level (:func:`k1_paper_criteria`, our reading)
    for the kernel learned through the task (``measures``), with its controls: shuffled
    orientations (not for the Lie-symmetry score, which has no shuffle test) and the kernel at
    initialisation (``init``, its own measures and shuffle tests; it never beats itself, the
    cell shows whether it meets the criterion's raw part). The filter-overlap control is not
    one of them: that is the stronger test of :func:`k1_claims`."""
    holds = k1_paper_criteria(measures, init)
    init_holds = k1_paper_criteria(init, init)
    raw = {key: k1_paper_criteria(init, NO_KERNEL)[key] for key in K1_CLAIMS}
    sel, coax, se2, lie = (measures[k] for k in ("selectivity", "coaxial", "se2", "lie"))
    rows = {  # claim → (ours, headline value, shuffle test or None, the initial kernel shown)
        "k1_orientation_selective": (
            f"{_with_p(sel)} (at initialisation {init['selectivity']['statistic']:+.3f})",
            sel["statistic"], sel, _with_p(init["selectivity"])),
        "k1_coaxial": (
            f"{_with_p(coax)} (at initialisation {init['coaxial']['statistic']:+.3f})",
            coax["statistic"], coax, _with_p(init["coaxial"])),
        "k1_like_se2_model": (
            f"correlation {_with_p(se2, 'correlation')} (σ = {se2['best_sigma']}; at "
            f"initialisation {init['se2']['correlation']:+.3f})",
            se2["correlation"], se2, f"correlation {_with_p(init['se2'], 'correlation')}"),
        "lie_symmetry_score_up": (
            f"{lie['score']:+.3f} (aligned {lie['aligned']:.3f}, raw {lie['raw']:.3f}; at "
            f"initialisation {init['lie']['score']:+.3f})",
            lie["score"], None, f"{init['lie']['score']:+.3f}"),
    }
    criteria = k1_paper_criterion_texts()
    records = []
    for key, (ours, value, test, init_shown) in rows.items():
        controls = [] if test is None else [_shuffled_control(test)]
        controls.append(Control("kernel at initialisation (its own shuffles)",
                                _itself(init_shown, raw[key]), init_holds[key]))
        claim, paper = K1_CLAIMS[key]
        records.append(Claim(
            id=f"{key}{PAPER_LEVEL}", claim=f"{claim}: the paper's claim (our reading)",
            paper=paper, source=SOURCE_QUALITATIVE, criterion=criteria[key],
            setting=AS_IN_PAPER, ours=ours, value=value, holds=holds[key],
            controls=controls))
    return records


def k1_claims(measures: dict, init: dict, control: dict, *, extension: str | None = None,
              keys: tuple[str, ...] = tuple(K1_CLAIMS)) -> list[Claim]:
    """The K¹ claims ``keys`` (by default all four) for one learned kernel's measures — the
    task-learned kernel, the paper's claim at our stronger level, or with ``extension`` a
    kernel of ours beyond the paper (:data:`EXTENSIONS`: ``hebbian``, our stage 2;
    ``contour``, learned through contour integration; ``init`` is then that kernel's start) —
    each judged by :func:`k1_criteria` against the filter-overlap control's measures
    (``control``) and with three controls under the same criterion: shuffled orientations (not
    for the Lie-symmetry score, which has no shuffle test), the kernel at initialisation
    (``init``, its own measures, each statistic with its one p-value, against its own
    shuffles) and the control itself (which never beats itself; the cell shows whether it meets
    the criterion's raw part)."""
    holds = k1_criteria(measures, control)
    init_holds, control_holds = k1_criteria(init, control), k1_criteria(control, control)
    sel, coax, partial = measures["selectivity"], measures["coaxial"], measures["se2_partial"]
    overlap_lie = control["lie"]["score"]

    # claim → (ours, its headline value, the shuffled null or None, the initial kernel, the
    # filter-overlap control), the last two as shown in the table
    rows = {
        "k1_orientation_selective": (
            f"{_with_p(sel)} (overlap control {control['selectivity']['statistic']:+.3f})",
            sel["statistic"], sel, _with_p(init["selectivity"]),
            _itself(_with_p(control["selectivity"]), shuffle_passes(control["selectivity"]))),
        "k1_coaxial": (
            f"{_with_p(coax)} (overlap control {control['coaxial']['statistic']:+.3f})",
            coax["statistic"], coax, _with_p(init["coaxial"]),
            _itself(_with_p(control["coaxial"]), shuffle_passes(control["coaxial"]))),
        "k1_like_se2_model": (
            f"partial {partial['correlation']:+.3f} ({_p(partial)}); "
            f"correlation {measures['se2']['correlation']:+.3f} (σ = "
            f"{measures['se2']['best_sigma']}, overlap control "
            f"{control['se2']['correlation']:+.3f})",
            partial["correlation"], partial,
            f"partial {_with_p(init['se2_partial'], 'correlation')}",
            f"partial given itself {control['se2_partial']['correlation']:+.3f} (its "
            f"correlation {control['se2']['correlation']:+.3f}, {_p(control['se2'])})"),
        "lie_symmetry_score_up": (
            f"{measures['lie']['score']:+.3f} (aligned {measures['lie']['aligned']:.3f}, raw "
            f"{measures['lie']['raw']:.3f}; overlap control {overlap_lie:+.3f})",
            measures["lie"]["score"], None, f"{init['lie']['score']:+.3f}",
            _itself(f"{overlap_lie:+.3f}", bool(overlap_lie >= LIE_MIN))),
    }
    criteria = k1_criterion_texts()
    records = []
    for key, (ours, value, test, init_shown, control_shown) in rows.items():
        controls = [] if test is None else [_shuffled_control(test)]
        controls += [Control("kernel at initialisation (its own shuffles)", init_shown,
                             init_holds[key]),
                     Control(OVERLAP_CONTROL, control_shown, control_holds[key])]
        claim, paper = K1_CLAIMS[key]
        if extension is None:
            identity = dict(id=key, claim=f"{claim}, beyond the filter-overlap control (ours)",
                            setting=AS_IN_PAPER)
        else:
            name, setting = EXTENSIONS[extension]
            identity = dict(id=f"{key}_{extension}", claim=f"(our extension) {name} {claim}",
                            setting=setting, beyond_paper=True)
        records.append(Claim(
            **identity, paper=paper, source=SOURCE_QUALITATIVE, criterion=criteria[key],
            ours=ours, value=value, holds=holds[key], controls=controls))
    return [record for record in records if record.id.removesuffix(
        f"_{extension}" if extension else "") in keys]


# ---- the ℓ⁰ and ℓ¹ claims ---------------------------------------------------------------------


def judge_l0(initial: np.ndarray, final: np.ndarray) -> dict:
    """:func:`~emergence.analysis.filters.centre_surround` of the trained ℓ⁰ (``trained``), of
    its initialisation (``init``) and of a centred delta of the same size (``delta``)."""
    delta = np.pad([[1.0]], np.asarray(final).shape[-1] // 2)
    return {"trained": centre_surround(final), "init": centre_surround(initial),
            "delta": centre_surround(delta)}


def _l0_text(judged) -> str:
    return (f"LoG error {judged.rel_error:.2f}, σ = {judged.sigma:.2f} px, radial symmetry "
            f"{judged.radial:.2f}, surround {judged.surround:.2f}")


def _bank_text(stats: dict) -> str:
    """A bank of Gabor fits in words (``stats``: its
    :func:`~emergence.analysis.filters.bank_statistics`)."""
    return f"median error {stats['median_error']:.2f}, {stats['gabor_like']:.0%} Gabor-like"


def record_counts(rows: list[dict], cfg: LieConfig) -> dict[str, tuple[int, int]] | None:
    """Per claim of :data:`~emergence.experiments.lie.search.ROBUSTNESS_CLAIMS`, ``(k, n)``: at
    how many of the n seeds of the second search's record (``rows``) at ``cfg``'s setting
    (:func:`~emergence.experiments.lie.search.is_page_setting`) that played no part in its
    choice the claim held. None where the record has no such line (another profile)."""
    mine = [r for r in rows if is_page_setting(r["levers"], cfg)]
    lines = held_out_lines(rows, mine[0]["setting"]) if mine else []
    if not lines:
        return None
    return {claim: (sum(bool(r[claim]) for r in lines), len(lines))
            for claim in ROBUSTNESS_CLAIMS}


def _record_text(counts: dict[str, tuple[int, int]] | None, claim: str) -> str:
    if counts is None:
        return ""
    k, n = counts[claim]
    return (f"; at this setting it held at {k} of {n} seeds of the search's record that played "
            f"no part in its choice")


def filter_claims(l0_judged: dict, banks: dict[str, dict], n_filters: int,
                  counts: dict[str, tuple[int, int]] | None = None) -> list[Claim]:
    """The paper's ℓ⁰ claim (on :func:`judge_l0`; controls: the initial ℓ⁰ and a centred delta)
    and ℓ¹ claim (on the summary's Gabor banks, each
    :func:`~emergence.analysis.filters.bank_statistics` of the fits of
    :func:`~emergence.experiments.lie.filter_fits.analyse_filters`: ``trained``; controls: the
    trained ℓ⁰ composed with smoothed-noise filters, noise with each filter's amplitude spectrum,
    the initialisation; ``n_filters`` effective filters). With ``counts``
    (:func:`record_counts`), each claim's words add its k of n over the seeds of the record."""
    trained = l0_judged["trained"]
    return [
        Claim(id="l0_log_like",
              claim="ℓ⁰ (LGN) becomes radially symmetric and close to a "
                    "Laplacian of Gaussian",
              paper="radially symmetric, well approximated by a LoG", source=SOURCE_QUALITATIVE,
              ours=_l0_text(trained) + _record_text(counts, "l0_log_like"),
              value=trained.rel_error,
              criterion=f"LoG relative error ≤ {LOG_MAX_ERROR}, fitted σ ≥ {LOG_MIN_SIGMA} px, "
                        f"radial symmetry ≥ {RADIAL_MIN} and a surround of at least "
                        f"{SURROUND_MIN} of the centre's weight (the centre–surround of a LoG)",
              holds=trained.passes,
              controls=[Control("initialisation (centre delta plus noise)",
                                _l0_text(l0_judged["init"]), l0_judged["init"].passes),
                        Control("a centred delta", _l0_text(l0_judged["delta"]),
                                l0_judged["delta"].passes)]),
        Claim(id="l1_gabor_like",
              claim="ℓ¹ (V1) learns Gabor-like filters",
              paper="filters well approximated by Gabor functions", source=SOURCE_QUALITATIVE,
              ours=f"{_bank_text(banks['trained'])} ({n_filters} effective filters ℓ⁰ ∗ ℓ¹)"
                   + _record_text(counts, "l1_gabor_like"),
              value=banks["trained"]["median_error"],
              criterion=f"median Gabor relative error ≤ {GABOR_MAX_ERROR} and at least half of "
                        f"the filters Gabor-like: error ≤ {GABOR_MAX_ERROR} with a carrier of at "
                        f"least {CARRIER_MIN_CYCLES} cycles per envelope width (f·σ)",
              holds=banks["trained"]["passes"],
              controls=[Control(name, _bank_text(banks[key]), banks[key]["passes"])
                        for name, key in (("trained ℓ⁰ ∗ smoothed-noise ℓ¹",
                                           "control_smoothed_noise"),
                                          ("noise with each trained filter's amplitude spectrum",
                                           "control_spectrum_matched"),
                                          ("initialisation", "init"))]),
    ]


def accuracy_claim(summary: LieSummary) -> Claim:
    """The test accuracy of the network trained through the task: reported, not tested (our
    photo-discrimination task is not the paper's)."""
    return Claim(id="test_accuracy",
                 claim="test accuracy of the network trained through the task (our "
                       "photo-discrimination task)",
                 paper="— (the paper's task is not ours)", source="not applicable",
                 ours=f"{summary.accuracy_task:.3f} (chance {summary.chance:.3f}; "
                      f"{summary.accuracy_hebbian:.3f} after our Hebbian stage 2)",
                 setting="our photo-discrimination task, not the paper's",
                 value=summary.accuracy_task, criterion="reported", holds=None,
                 beyond_paper=True)


def claims(summary: LieSummary) -> list[Claim]:
    """The chapter's claim records, in the page's order: ℓ⁰ and ℓ¹ (with their counts over the
    second search's record at the run's setting, :func:`record_counts`), the four K¹ claims on the
    kernel learned through the task (the paper's), each at the paper's level and then at our
    stronger one, the test accuracy, the K¹ claims on our Hebbian kernel (beyond the paper)."""
    measures = summary.measures
    return [
        *filter_claims(summary.l0_judged, summary.gabor_banks, len(summary.fits_well),
                       record_counts(load_robustness_record(), summary.cfg)),
        *(claim for pair in zip(k1_paper_claims(measures["task"], measures["init"]),
                                k1_claims(measures["task"], measures["init"], measures["overlap"]),
                                strict=True) for claim in pair),
        accuracy_claim(summary),
        *k1_claims(measures["hebbian"], measures["init"], measures["overlap"],
                   extension="hebbian"),
        *k1_claims(summary.contour["measures"]["contour"],
                   summary.contour["measures"]["contour_init"], measures["overlap"],
                   extension="contour", keys=CONTOUR_CLAIMS),
    ]


# ---- sentences of the page that depend on the run ----------------------------------------------


def hebbian_accuracy_sentence(accuracy_hebbian: float, accuracy_task: float) -> str:
    """How the Hebbian kernel serves the task, compared with the kernel learned through it."""
    if accuracy_hebbian < accuracy_task:
        return ("The Hebbian K¹, learned from the co-occurrence of responses and not for the "
                "task, serves the task less well than the kernel learned through it.")
    return ("The Hebbian K¹, learned from the co-occurrence of responses and not for the task, "
            "serves the task at least as well as the kernel learned through it.")


#: Test accuracy on the contour task (chance 0.5) below which the network has not learned it.
CONTOUR_LEARNED = 0.6


def contour_sentence(accuracy: float, holds: dict) -> str:
    """What section 8 found: whether the network learned contour integration (test accuracy of
    at least :data:`CONTOUR_LEARNED`), and whether its kernel is co-axial and orientation
    selective beyond the filter-overlap control (``holds``: :func:`k1_criteria` of its
    measures against the control's)."""
    if accuracy < CONTOUR_LEARNED:
        return (f"The network did not learn the contour task at this profile (test accuracy "
                f"below {CONTOUR_LEARNED}), so its kernel cannot tell whether grouping shapes K¹.")
    coaxial, selective = holds["k1_coaxial"], holds["k1_orientation_selective"]
    if coaxial and selective:
        return ("The network learned the task, and its kernel became orientation selective and "
                "co-axial beyond the filter-overlap control: when the task needs grouping, K¹ "
                "learns the association-field structure that the photographs did not teach it.")
    if coaxial or selective:
        which = "co-axial" if coaxial else "orientation selective"
        return (f"The network learned the task; its kernel became {which} beyond the "
                f"filter-overlap control, but not both.")
    return ("The network learned the task, yet its kernel is neither orientation selective nor "
            "co-axial beyond the filter-overlap control: it solved contour integration "
            "without an association field that these measures see.")


def contraction_phrase(norm: float) -> str:
    """Whether the propagation ``h ↦ ReLU(h₀ + K¹ ∗ h)`` is a contraction, from the operator
    norm of ``h ↦ K¹ ∗ h`` (ReLU is 1-Lipschitz)."""
    if norm < 1:
        return "below 1: the Hebbian propagation is a contraction"
    return "not below 1: the Hebbian propagation is not a contraction"


def centre_polarity(amplitude: float) -> str:
    """``"on"`` for a positive centre — a negative amplitude ``A`` of ``A·LoG_σ``, whose centre
    is negative — else ``"off"``."""
    return "on" if amplitude < 0 else "off"


def rectified_l0_note(cfg: LieConfig) -> str:
    """What the effective receptive field ``ℓ⁰ ∗ ℓ¹ᵢ`` means when ℓ⁰ is rectified (nothing to
    add when it is not)."""
    if cfg.l0_relu:
        return ("(with ℓ⁰ rectified, as here, Eᵢ is the receptive field only where ℓ⁰'s "
                "response is positive)")
    return ""


def rectified_l0_balance_note(cfg: LieConfig) -> str:
    """Where the balance argument holds when ℓ⁰ is rectified (nothing to add when it is not)."""
    if cfg.l0_relu:
        return ("In this run ℓ⁰ is rectified, so ℓ⁰ and ℓ¹ are not linear in a row and the "
                "argument holds only for the part of the input that ℓ⁰ passes.")
    return ""


def lever_k1_sentence(levers: list[dict]) -> str:
    """Whether any setting of the lever search made a K¹ claim hold on all its choice seeds
    (``levers``: :func:`~emergence.experiments.lie.search.lever_summary`)."""
    most = max(entry["holds"][claim] for entry in levers for claim in K1_CLAIMS)
    n_seeds = len(levers[0]["choice_seeds"])
    if most < n_seeds:
        return f"No setting made any K¹ claim hold on more than {most} of its {n_seeds} seeds"
    return "A K¹ claim held on every seed of at least one setting"


def robustness_sentence(entries: list[dict], cfg: LieConfig) -> str:
    """How the setting of ``cfg`` (the ``cpu`` profile's) fared over the second search's seeds
    (``entries``: :func:`~emergence.experiments.lie.search.robustness_summary`, each with its
    choice and held-out seeds): at how many of each ℓ⁰ and ℓ¹ held, at which seeds and how
    either failed, and how the failing seeds' mean test accuracy compares with the passing
    seeds'."""
    mine = [e for e in entries if is_page_setting(e["levers"], cfg)]
    if not mine:
        return "The cpu profile's setting is not in the search's record."
    entry = mine[-1]
    c0, c1 = entry["choice"]["l0_log_like"], entry["choice"]["l1_gabor_like"]
    h0, h1 = entry["held_out"]["l0_log_like"], entry["held_out"]["l1_gabor_like"]
    nc, nh = entry["n_choice"], entry["n_held_out"]
    held_out = seed_range(entry["held_out_seeds"])
    text = (f"With the cpu profile's setting ℓ⁰ became LoG-like at {c0} of the {nc} seeds that "
            f"chose it ({seed_range(entry['choice_seeds'])})")
    text += (f" and at {h0} of {nh} held out ({held_out}); ℓ¹ Gabor-like at {c1} of {nc} and "
             f"{h1} of {nh}" if nh else
             f" and ℓ¹ Gabor-like at {c1} (the held-out seeds {held_out} not yet run)")
    if not entry["failing"]:
        return text + "; neither failed at any of them."
    failures = "; ".join(f"seed {seed} (accuracy {acc:.2f}, LoG error {log:.2f}, median Gabor "
                         f"error {gabor:.2f})" for seed, acc, log, gabor in entry["failing"])
    text = f"{text}. At least one of them failed at {failures}."
    if not entry["passing"]:
        return text
    failing = f"{np.mean([acc for _, acc, _, _ in entry['failing']]):.2f}"
    passing = f"{np.mean(entry['passing']):.2f}"
    if failing == passing:
        return (f"{text} The seeds where one failed trained as well as the others: mean test "
                f"accuracy {failing} in both.")
    trained = "trained worse" if float(failing) < float(passing) else "did not train worse"
    return (f"{text} The seeds where one failed {trained}: mean test accuracy {failing} "
            f"against {passing} where both held.")


def plateau_sentence(rows: list[dict], setting: str, seeds=None) -> str:
    """The training loss where a setting of the second search failed: from its record lines
    (``rows``) at ``seeds`` (by default its held-out seeds), the mean cross-entropy over stage-1
    steps 200–400 (``loss_by_200_steps[1]``) at the seeds where ℓ⁰ or ℓ¹ failed against its
    range where both held; empty where either group is empty."""
    seeds = robustness_seeds(setting)[1] if seeds is None else seeds
    lines = [r for r in rows if r["setting"] == setting and r["seed"] in seeds
             and len(r.get("loss_by_200_steps", ())) > 1]
    failed = [r for r in lines if not (r["l0_log_like"] and r["l1_gabor_like"])]
    held = [r["loss_by_200_steps"][1] for r in lines if r["l0_log_like"] and r["l1_gabor_like"]]
    if not failed or not held:
        return ""
    where = ", ".join(f"{r['loss_by_200_steps'][1]:.2f} at seed {r['seed']}" for r in failed)
    low, high = f"{min(held):.2f}", f"{max(held):.2f}"
    return (f"In that round the mean loss over stage-1 steps 200–400 was {where}, where ℓ⁰ or ℓ¹ "
            f"failed, against {low if low == high else f'{low}–{high}'} where both held.")


def longer_training_sentence(rows: list[dict], longer: str, reference: str) -> str:
    """The second search's third round: at the choice seeds of setting ``longer`` (the page's
    setting with more stage-1 steps), in how many ℓ⁰ and ℓ¹ held and the mean test accuracy,
    beside the same for setting ``reference`` (the page's) at those seeds, from the record's
    lines ``rows``; empty where either setting lacks a line at one of them."""
    seeds = robustness_seeds(longer)[0]
    by = {(r["setting"], r["seed"]): r for r in rows}
    if any((name, seed) not in by for name in (longer, reference) for seed in seeds):
        return ""
    counts = {name: [sum(bool(by[name, seed][claim]) for seed in seeds)
                     for claim in ("l0_log_like", "l1_gabor_like")] for name in (longer, reference)}
    accuracy = {name: f"{np.mean([by[name, seed]['accuracy'] for seed in seeds]):.2f}"
                for name in (longer, reference)}
    steps = by[longer, seeds[0]]["levers"]["steps"]
    (l0, l1), (r0, r1) = counts[longer], counts[reference]
    text = (f"A third round trained {steps} stage-1 steps instead of 1000 at seeds "
            f"{seed_range(seeds)}, where ℓ⁰ or ℓ¹ had failed in the record or when this page ran "
            f"at those seeds: ℓ⁰ "
            f"held at {l0} and ℓ¹ at {l1} of the {len(seeds)} ({r0} and {r1} at 1000 steps), at a "
            f"mean test accuracy of {accuracy[longer]} ({accuracy[reference]} at 1000 steps).")
    if l0 <= r0 and l1 <= r1:
        return text + " Training longer did not rescue those seeds, so the round stopped there."
    return text + " Training longer rescued some of those seeds."


#: The later rounds of the second search, as their sentences tell them: the round's lever, and
#: the setting and the page's setting in words (emergence.experiments.lie.search's names).
LATER_ROUNDS = {
    BALANCED_BATCHES: ("A fourth round drew every photograph equally often in each batch (until "
                       "then each crop's photograph was drawn independently).",
                       "balanced batches", "independent draws"),
    FASTER_RATE: ("A fifth round raised the peak learning rate from 0.005 to 0.007 (the step "
                  "from 0.003 to 0.005 had shortened the slow start of some seeds).",
                  "the rate 0.007", "0.005"),
    STRONGER_DECAY: ("A sixth round tripled the weight decay on ℓ⁰, ℓ¹ and K¹, from 0.001 to "
                     "0.003, to shrink the filters the task does not use.",
                     "the decay 0.003", "0.001"),
    SMALLER_START: ("A seventh round started ℓ⁰ and ℓ¹ at half the scale, 0.05 × PyTorch's "
                    "default instead of 0.1, so that less of their random start is left in the "
                    "trained filters.", "the start at 0.05", "0.1"),
}


def later_round_sentence(rows: list[dict], setting: str, reference: str, cfg: LieConfig,
                         rounds: dict | None = None, words: dict | None = None) -> str:
    """A later round of the second search: ``setting`` beside ``reference`` (the second round's
    choice) at the round's choice seeds and at its held-out seeds — at how many both ℓ⁰ and ℓ¹
    held, per claim at the held-out seeds, the seeds where ``setting`` failed and the mean test
    accuracy there — from the record's lines ``rows`` (the seeds: :func:`robustness_seeds` with
    ``rounds``), told with ``words[setting]`` (by default :data:`LATER_ROUNDS`), and which of
    the two ``cfg`` (the page's) uses; empty where either setting lacks a line at one of those
    seeds."""
    intro, name, reference_name = (LATER_ROUNDS if words is None else words)[setting]
    choice, held_out = robustness_seeds(setting, rounds)
    by = {(r["setting"], r["seed"]): r for r in rows}
    if any((which, seed) not in by for which in (setting, reference)
           for seed in (*choice, *held_out)):
        return ""

    def holds(which, seeds, claims=ROBUSTNESS_CLAIMS):
        return sum(all(by[which, seed][claim] for claim in claims) for seed in seeds)

    def accuracy(which):
        return f"{np.mean([by[which, seed]['accuracy'] for seed in held_out]):.2f}"

    new, old = ([holds(which, held_out, (claim,)) for claim in ROBUSTNESS_CLAIMS]
                + [holds(which, held_out)] for which in (setting, reference))
    failed = [seed for seed in held_out if not holds(setting, (seed,))]
    reference_failed = len(choice) - holds(reference, choice)
    where = ("where" if reference_failed == len(choice) else
             f"{reference_failed} of them where")
    text = (f"{intro} At seeds {seed_range(choice)}, {where} the second round's choice had failed "
            f"in the record, ℓ⁰ and ℓ¹ both held at {holds(setting, choice)} of {len(choice)} "
            f"(against {holds(reference, choice)}). At {len(held_out)} new seeds, "
            f"{seed_range(held_out)}, ℓ⁰ held at {new[0]}, ℓ¹ at {new[1]} and both at {new[2]} "
            f"of {len(held_out)}, against {old[0]}, {old[1]} and {old[2]} for the second round's "
            f"choice at the same seeds (mean test accuracy {accuracy(setting)} against "
            f"{accuracy(reference)})")
    text += f"; ℓ⁰ or ℓ¹ failed at {seed_range(failed)}." if failed else "."
    comparison = ("more" if new[2] > old[2] else "as many" if new[2] == old[2] else "fewer")
    than = "as" if comparison == "as many" else "than"
    used = name if is_page_setting(by[setting, held_out[0]]["levers"], cfg) else reference_name
    return (f"{text} {name[:1].upper() + name[1:]} held at {comparison} of the new seeds {than} "
            f"{reference_name}; this page uses {used}.")


def rescue_sentence(rows: list[dict], settings, reference: str,
                    rounds: dict | None = None) -> str:
    """Do the later rounds' rescues at their choice seeds say more than training anew would?
    Over the rounds of ``settings`` (their seeds: :func:`robustness_seeds` with ``rounds``):
    r, at how many of the n choice seeds where ``reference`` failed both ℓ⁰ and ℓ¹ held with the
    round's setting, and at how many of the rounds' held-out seeds both held with each setting.
    ``reference`` holds at a rate p = k/N over the N seeds of the record that played no part in
    its choice; a change that only drew the training anew would rescue each failed seed with
    probability p, so at least r of n with probability P(X ≥ r), X ~ Binomial(n, p) (seeds
    treated as independent). Empty where a line is missing, no choice seed had failed or
    ``reference`` has no seed outside its choice."""
    by = {(r["setting"], r["seed"]): r for r in rows}
    seeds = {setting: robustness_seeds(setting, rounds) for setting in settings}
    needed = [(which, seed) for setting, (choice, held_out) in seeds.items()
              for seed in (*choice, *held_out) for which in (setting, reference)]
    if any(key not in by for key in needed):
        return ""

    def both(setting, seed):
        return both_held(by[setting, seed])

    failed = [(setting, seed) for setting, (choice, _) in seeds.items() for seed in choice
              if not both(reference, seed)]
    if not failed:
        return ""
    rescued = sum(both(setting, seed) for setting, seed in failed)
    held_out = [(setting, seed) for setting, (_, seeds_out) in seeds.items() for seed in seeds_out]
    new = sum(both(setting, seed) for setting, seed in held_out)
    old = sum(both(reference, seed) for _, seed in held_out)
    own = held_out_lines(rows, reference, rounds)
    if not own:
        return ""
    k = sum(map(both_held, own))
    p = k / len(own)
    chance = float(binom.sf(rescued - 1, len(failed), p))
    verdict = ("no more than training anew would give" if chance >= 0.05 else
               "more than training anew would give")
    return (f"Taken together, the later rounds, each chosen at seeds where the second round's "
            f"choice had failed, rescued {rescued} of those {len(failed)} choice seeds "
            f"({rescued / len(failed):.0%}); at their {len(held_out)} held-out seeds ℓ⁰ and ℓ¹ "
            f"both held at {new} with the rounds' settings, against {old} with the second "
            f"round's choice. That choice holds at {p:.0%} of the seeds it was not chosen on "
            f"({k} of {len(own)}): a change that only drew the training anew would rescue at "
            f"least {rescued} of {len(failed)} failed seeds with probability {chance:.2f} "
            f"(seeds taken as independent), so the rescues are {verdict}.")


def held_out_total_sentence(rows: list[dict], setting: str, rounds: dict | None = None) -> str:
    """Over every seed of the record (``rows``) at which ``setting`` ran and which played no part
    in its choice (its choice seeds: :func:`robustness_seeds` with ``rounds``), at how many ℓ⁰,
    ℓ¹ and both held; empty where there is none."""
    lines = held_out_lines(rows, setting, rounds)
    if not lines:
        return ""
    l0, l1 = (sum(bool(r[claim]) for r in lines) for claim in ROBUSTNESS_CLAIMS)
    both = sum(map(both_held, lines))
    seeds = seed_range(r["seed"] for r in lines)
    return (f"Over all {len(lines)} seeds at which this page's setting ran after it was chosen "
            f"({seeds}), ℓ⁰ held at {l0}, ℓ¹ at {l1} and both at {both}.")


def _seeds(lines: list[dict]) -> str:
    """"seed 4" or "seeds 2–3, 7": the lines' seeds in words."""
    return f"seed{'s' if len(lines) > 1 else ''} {seed_range(r['seed'] for r in lines)}"


def failure_modes_sentence(rows: list[dict], setting: str) -> str:
    """How ``setting`` failed over all its seeds in the record (``rows``), the seeds where ℓ⁰ or
    ℓ¹ failed told apart by the mean loss over stage-1 steps 200–400 (``loss_by_200_steps[1]``):
    a slow start where it lies above its value at every seed where both held, else a start as
    fast as theirs. Per group: the seeds, that loss's range, at how many ℓ⁰ and ℓ¹ failed; for
    the fast group also its mean test accuracy beside that of the seeds where both held (each
    rounded to two decimals, then compared). "" where no seed failed or none held."""
    lines = [r for r in rows if r["setting"] == setting]
    held = [r for r in lines if both_held(r)]
    failed = [r for r in lines if r not in held]
    if not held or not failed:
        return ""

    def early(r):
        return r["loss_by_200_steps"][1]

    def span(group):
        return f"{min(map(early, group)):.2f}–{max(map(early, group)):.2f}"

    def counts(group):
        l0, l1 = (sum(not r[claim] for r in group) for claim in ROBUSTNESS_CLAIMS)
        return f"ℓ⁰ failed at {l0} and ℓ¹ at {l1} of them"

    ceiling = max(map(early, held))
    slow = [r for r in failed if early(r) > ceiling]
    fast = [r for r in failed if early(r) <= ceiling]
    parts = [f"Over all {len(lines)} seeds of this page's setting in the record, ℓ⁰ or ℓ¹ "
             f"failed at {len(failed)}; the mean loss over stage-1 steps 200–400 was {span(held)} "
             f"where both held."]
    if slow:
        parts.append(f"At {_seeds(slow)} training started slowly "
                     f"({span(slow)}): {counts(slow)}.")
    if fast:
        fast_accuracy, held_accuracy = (round(float(np.mean([r["accuracy"] for r in group])), 2)
                                        for group in (fast, held))
        how = "at least as well" if fast_accuracy >= held_accuracy else "less well"
        parts.append(f"At {_seeds(fast)} it started no slower "
                     f"({span(fast)}) and learned the task {how} (mean test accuracy "
                     f"{fast_accuracy:.2f} against {held_accuracy:.2f}): {counts(fast)}.")
    return " ".join(parts)


def robustness_sentences(rows: list[dict]) -> dict[str, str]:
    """The page's words on the second search's record (``rows``), by glue name: the first
    round's choice and held-out seeds, its :func:`plateau_sentence`, the
    :func:`robustness_sentence` of the ``cpu`` profile's setting, the third round's
    :func:`longer_training_sentence`, the :func:`later_round_sentence` of the fourth to the
    seventh, and the page's setting's :func:`held_out_total_sentence` and
    :func:`failure_modes_sentence`."""
    choice, held_out = robustness_seeds(FIRST_ROUND_CHOICE)
    return {"robust_choice": seed_range(choice), "robust_held_out": seed_range(held_out),
            "robust_plateau": plateau_sentence(rows, FIRST_ROUND_CHOICE),
            "robust_sentence": robustness_sentence(robustness_summary(rows), config_for("cpu")),
            "robust_longer": longer_training_sentence(rows, LONGER_TRAINING,
                                                      PAGE_ROBUSTNESS_SETTING),
            **{f"robust_{name}": later_round_sentence(rows, setting, PAGE_ROBUSTNESS_SETTING,
                                                      config_for("cpu"))
               for name, setting in (("balanced", BALANCED_BATCHES), ("rate", FASTER_RATE),
                                     ("decay", STRONGER_DECAY), ("start", SMALLER_START))},
            "robust_rescue": rescue_sentence(rows, tuple(LATER_ROUNDS), PAGE_ROBUSTNESS_SETTING),
            "robust_total": held_out_total_sentence(rows, PAGE_ROBUSTNESS_SETTING),
            "robust_modes": failure_modes_sentence(rows, PAGE_ROBUSTNESS_SETTING)}


#: The third search's settings as its sentence names them.
KERNEL_FORM_NAMES = {"transition_kernel": "the transition kernel",
                     "transition_inhibited": "the transition kernel with pooled inhibition",
                     "dilated_kernel": "the dilated kernel",
                     "contractive_kernel": "the signed contraction"}
#: The share of the free kernel's gain in accuracy over no propagation that a sign probe must
#: keep to count as most of it (our reading).
MOST_OF_THE_GAIN = 0.9
#: How the third search's sentence introduces a setting whose K¹ it does not judge.
KERNEL_REFERENCE_WORDS = {"no_lateral": "without lateral propagation (h = h₀)",
                          "inhibitory_kernel": "with K¹ restricted to inhibition (K¹ = −|W|)",
                          "excitatory_kernel": "with K¹ restricted to excitation (K¹ = |W|)"}


def _schedule_words(schedule: tuple[float, bool]) -> str:
    lr, cosine = schedule
    return f"a learning rate of {lr:g}, {'cosine decay' if cosine else 'constant'}"


def kernel_form_sentence(entries: list[dict]) -> str:
    """What the third search found (``entries``:
    :func:`~emergence.experiments.lie.search.kernel_form_summary`, the page's schedule first),
    schedule by schedule: per setting with K¹ other than the free kernel, its accuracy beside
    the free kernel's at the same schedule and in how many choice seeds K¹ was selective at each
    level, and what the network reached where K¹ is not judged (without lateral propagation,
    or a sign probe: not :func:`~emergence.experiments.lie.search.judges_kernel`; with the seeds
    at which it stayed at chance); then whether any setting made K¹ selective at our stronger
    level in most of its choice seeds."""
    groups: dict[tuple, list[dict]] = {}
    for e in entries:
        groups.setdefault(e["schedule"], []).append(e)
    texts, wins = [], []
    for schedule, group in groups.items():
        free = next((e for e in group if e["setting"] == "free_kernel"), None)
        others = [e for e in group if judges_kernel(e["levers"]) and e is not free]
        parts = []
        for e in others:
            low, high = e["accuracy"]
            paper, ours = (e["holds"][c] for c in ("k1_orientation_selective_paper_level",
                                                    "k1_orientation_selective"))
            beside = (f" (the free kernel {free['accuracy'][0]:.2f}–{free['accuracy'][1]:.2f})"
                      if free else "")
            parts.append(f"{KERNEL_FORM_NAMES.get(e['setting'], e['setting'])} trained to an "
                         f"accuracy of {low:.2f}–{high:.2f}{beside}, and its K¹ was selective "
                         f"at the paper's level at {paper} and at ours at {ours} of "
                         f"{e['n_choice']} choice seeds")
            if 2 * ours > e["n_choice"]:
                wins.append(f"{KERNEL_FORM_NAMES.get(e['setting'], e['setting'])} at "
                            f"{_schedule_words(schedule)}")
        said = ["; ".join(parts) + "."] if parts else []
        said += [f"{KERNEL_REFERENCE_WORDS.get(e['setting'], e['setting'])} the network reached "
                 f"{e['accuracy'][0]:.2f}–{e['accuracy'][1]:.2f}"
                 + (f" (at chance at {e['at_chance']} of its {e['n_seeds']} seeds)."
                    if e["at_chance"] else ".")
                 for e in group if not judges_kernel(e["levers"])]
        if said and texts:  # after the page's schedule, name the schedule
            said[0] = f"at {_schedule_words(schedule)}, {said[0]}"
        texts += [sentence[:1].upper() + sentence[1:] for sentence in said]
    text = " ".join(texts)
    if wins:
        names = " and ".join(wins)
        return f"{text} {names[:1].upper() + names[1:]} made K¹ selective beyond the overlap."
    return (f"{text} Neither form nor reach made the task-learned K¹ selective beyond the "
            f"filter overlap in most seeds.")


def kernel_sign_sentence(entries: list[dict]) -> str:
    """What the probes say about the task's use of K¹, at the first (the page's) schedule of
    ``entries`` (:func:`~emergence.experiments.lie.search.kernel_form_summary`), from each
    setting's mean accuracy A over its seeds: the share of the free kernel's gain over no
    propagation that a setting keeps, ``(A − A_none) / (A_free − A_none)``, for K¹ restricted
    to inhibition, for the signed contraction and for each transition form; at how many seeds
    K¹ restricted to excitation stayed at chance. The free kernel is called an amplifier held
    in check by inhibition only where the excitation probe stayed at chance at most of its
    seeds, the contraction kept less than half of the gain, inhibition alone less than
    :data:`MOST_OF_THE_GAIN`, and the free kernel's operator norm exceeds 1 at every seed. ""
    when the schedule lacks the free kernel, a probe, a transition form or the reference
    without propagation; where the free kernel did not beat that reference, only that."""
    if not entries:
        return ""
    page = [e for e in entries if e["schedule"] == entries[0]["schedule"]]
    by_name = {e["setting"]: e for e in page}
    transition = [e for e in page if e["levers"].get("lateral_form", "").startswith("transition")]
    needed = ("free_kernel", "inhibitory_kernel", "excitatory_kernel", "contractive_kernel",
              "no_lateral")
    if not transition or any(name not in by_name for name in needed):
        return ""
    free, inhibitory, excitatory, contractive, none = (by_name[name] for name in needed)
    gain = free["mean_accuracy"] - none["mean_accuracy"]
    if gain <= 0:
        return (f"Averaged over its seeds, the free kernel reached {free['mean_accuracy']:.2f}, "
                f"no more than the network without propagation ({none['mean_accuracy']:.2f}): "
                f"there is no gain of the free kernel's for the probes to share.")

    def share(e):
        return (e["mean_accuracy"] - none["mean_accuracy"]) / gain

    def kept(e):
        return f"{100 * share(e):.0f} %".replace("-", "−") + f" ({e['mean_accuracy']:.2f})"

    forms = " and ".join(f"{KERNEL_FORM_NAMES.get(e['setting'], e['setting'])} {kept(e)}"
                         for e in transition)
    text = (f"Averaged over its seeds, the free kernel reached {free['mean_accuracy']:.2f} and "
            f"the network without propagation {none['mean_accuracy']:.2f}. Of that gain, K¹ "
            f"restricted to inhibition kept {kept(inhibitory)}; signed but held to a "
            f"contraction, {kept(contractive)}; of the transition forms, {forms}. Restricted to "
            f"excitation, K¹ stayed at chance at {excitatory['at_chance']} of "
            f"{excitatory['n_seeds']} seeds.")
    if (2 * excitatory["at_chance"] > excitatory["n_seeds"] and 2 * share(contractive) < 1
            and share(inhibitory) < MOST_OF_THE_GAIN and free["lateral_norm"][0] > 1):
        closest = min(free["mean_accuracy"] - e["mean_accuracy"] for e in transition)
        return (f"{text} So the free kernel works as an amplifier (operator norm "
                f"{free['lateral_norm'][0]:.1f}–{free['lateral_norm'][1]:.1f}) held in check by "
                f"inhibition: neither sign alone does what it does, nor a signed kernel that "
                f"cannot amplify, and no transition form, which only spreads activity, came "
                f"within {100 * closest:.0f} points of its accuracy.")
    return f"{text} The probes do not single out what the task takes from K¹."


def verdicts_line(records: list[Claim], profile: str, seed: int, data: str) -> str:
    """The line under the claims table: the run, its data and the verdicts counted; at the
    ``smoke`` profile, that the table says nothing about the science."""
    line = f"*Profile `{profile}`, seed {seed}, data: {data}. Verdicts: {counts_text(records)}.*"
    if profile == "smoke":
        line += ("\n\n*The `smoke` profile only proves that the code runs; it trains far too "
                 "briefly for any effect, so the table above says nothing about the science.*")
    return line


def sentences(summary: LieSummary) -> dict[str, str]:
    """The page's result-dependent sentences and phrases by glue name."""
    return {
        "accuracy_sentence": hebbian_accuracy_sentence(summary.accuracy_hebbian,
                                                       summary.accuracy_task),
        "norm_phrase": contraction_phrase(summary.operator_norm_hebbian),
        "l0_polarity": centre_polarity(summary.log_fits[-1].amplitude),
        "l0_relu_note": rectified_l0_note(summary.cfg),
        "l0_relu_balance": rectified_l0_balance_note(summary.cfg),
        "contour_sentence": contour_sentence(summary.contour["accuracy"], k1_criteria(
            summary.contour["measures"]["contour"], summary.measures["overlap"])),
    }
