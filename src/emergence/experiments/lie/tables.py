"""Chapter 1's Markdown tables: the network's sizes, the K¹ measures of the four kernels, and the
record of the lever search. Each returns the text of one MyST table (the page displays it as
Markdown).
"""

from __future__ import annotations

from emergence.claims import cell, p_text

from .config import LieConfig
from .kernels import KERNEL_NAMES
from .search import (
    KERNEL_FORM_CLAIMS,
    LEVER_CLAIMS,
    ROBUSTNESS_CLAIMS,
    SCHEDULE_DEFAULTS,
    is_page_setting,
    judges_kernel,
    lever_label,
    schedule_label,
    seed_range,
    uses_lateral,
)
from .summary import LieSummary


def markdown_table(header: tuple[str, ...], rows: list[tuple]) -> str:
    """A Markdown table of ``rows`` under ``header`` (cells made safe for a table)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def vars_of(cfg: LieConfig) -> dict:
    """The learning-rate schedule and the gradient clipping of ``cfg`` (the names of
    :data:`~emergence.experiments.lie.search.SCHEDULE_DEFAULTS`)."""
    return {name: getattr(cfg, name) for name in SCHEDULE_DEFAULTS}


def network_table(cfg: LieConfig) -> str:
    """The network's parts and training stages with their sizes (section 2)."""
    head = (f"{cfg.head_layers - 1} × (3×3 conv, stride 1, ReLU), then " if cfg.head_layers > 1
            else "")
    l0_notes = "no bias; starts as a centre delta plus noise; " + (
        "**rectified**: ReLU(ℓ⁰ ∗ x)" if cfg.l0_relu else "linear (not rectified)")
    return markdown_table(("part", "size", "kernel", "notes"), [
        ("ℓ⁰", "1 filter", f"{cfg.k0}×{cfg.k0}", l0_notes),
        ("ℓ¹", f"C = {cfg.n_filters} filters", f"{cfg.k1}×{cfg.k1}",
         f"stride {cfg.stride}, {'a' if cfg.l1_bias else 'no'} bias, ReLU; ℓ⁰ and ℓ¹ start at "
         f"{cfg.init_scale:g} × PyTorch's default scale"),
        ("K¹", f"{cfg.n_filters}×{cfg.n_filters}", f"{cfg.k_lateral}×{cfg.k_lateral}",
         f"n = {cfg.n_iterations} iterations; starts uniform in ±{cfg.lateral_init:g}"),
        ("head", f"{cfg.head_layers} conv layer(s), {cfg.head_channels} channels", "3×3",
         f"{head}3×3 conv with stride 2, ReLU, mean pool, linear read-out"),
        ("stage 1", f"{cfg.steps} steps × {cfg.batch} images", "Adam",
         f"weight decay {cfg.weight_decay:g}, noise s.d. ≤ {cfg.noise:g}; "
         f"{schedule_label(vars_of(cfg))}; all weights on the task"),
        ("stage 2", f"{cfg.stage2_steps} steps × {cfg.batch} images", "ℓ⁰, ℓ¹ fixed",
         f"K¹ Hebbian (η = {cfg.hebbian_rate:g}, g = {cfg.hebbian_gain:g}); head on the task "
         f"(Adam, learning rate {cfg.later_lr:g}, constant)"),
    ])


def _p(test: dict) -> str:
    """The test's p-value, ``p ≤ 0.002`` at the floor of its shuffles (:func:`p_text`)."""
    null = test.get("null")
    return p_text(test["p_value"], None if null is None else len(null))


def _tested(value: float, test: dict, shuffled: bool = False) -> str:
    """A statistic with its shuffle test: ``+0.123 (shuffled +0.010, p ≤ 0.002)``."""
    mean = f"shuffled {test['shuffled']:+.3f}, " if shuffled else ""
    return f"{value:+.3f} ({mean}{_p(test)})"


def selectivity_table(summary: LieSummary) -> str:
    """Section 5: per kernel, the orientation-selectivity statistic, its shuffle test's
    p-value (each kernel against shuffles of its own: one statistic, one p-value on the page)
    and its excess over the filter-overlap control's statistic."""
    control = summary.measures["overlap"]["selectivity"]["statistic"]
    rows = []
    for name, label in KERNEL_NAMES.items():
        test = summary.measures[name]["selectivity"]
        rows.append((label, f"{test['statistic']:+.3f}", _p(test).removeprefix("p = "),
                     f"{test['statistic'] - control:+.3f}"))
    return markdown_table(("kernel", "selectivity statistic", "p (shuffled orientations)",
                           "minus the overlap control's"), rows)


def connectivity_table(summary: LieSummary) -> str:
    """Section 6: per kernel, the co-axial elongation, the correlation with the SE(2) model at
    equal distance, the partial correlation given the filter-overlap control (each with its
    shuffle test) and the Lie-symmetry score (aligned, raw)."""
    rows = []
    for name, label in KERNEL_NAMES.items():
        measured = summary.measures[name]
        coaxial, se2 = measured["coaxial"], measured["se2"]
        partial, lie = measured["se2_partial"], measured["lie"]
        rows.append((
            label,
            _tested(coaxial["statistic"], coaxial, shuffled=True),
            _tested(se2["correlation"], se2, shuffled=True),
            _tested(partial["correlation"], partial),
            f"{lie['score']:+.3f} (aligned {lie['aligned']:.3f}, raw {lie['raw']:.3f})"))
    return markdown_table(("kernel", "co-axial elongation", "SE(2) model at equal distance",
                           "partial, given the overlap control", "Lie-symmetry score"), rows)


def contour_table(summary: LieSummary) -> str:
    """Section 8: the K¹ measures of the kernel learned through contour integration and of its
    start, beside the photo-task kernel and the filter-overlap control — selectivity and
    co-axial elongation (with the mean of the shuffles), the SE(2) model at equal distance and
    the partial correlation given the control, each with its shuffle test."""
    measured = {"learned through contour integration": summary.contour["measures"]["contour"],
                "its start": summary.contour["measures"]["contour_init"],
                KERNEL_NAMES["task"] + " (photographs)": summary.measures["task"],
                KERNEL_NAMES["overlap"]: summary.measures["overlap"]}
    rows = []
    for label, m in measured.items():
        sel, coax, se2, partial = (m[k] for k in ("selectivity", "coaxial", "se2",
                                                  "se2_partial"))
        rows.append((label, _tested(sel["statistic"], sel), _tested(coax["statistic"], coax),
                     _tested(se2["correlation"], se2), _tested(partial["correlation"], partial)))
    return markdown_table(("kernel", "orientation selectivity", "co-axial elongation",
                           "SE(2) model at equal distance", "partial, given the overlap control"),
                          rows)


#: The claims of the lever search as the table heads them (in LEVER_CLAIMS' order).
LEVER_HEADS = ("ℓ⁰ LoG", "ℓ¹ Gabor", "K¹ selective", "co-axial", "SE(2)", "Lie score")


def held_out_text(verdicts: dict | None, heads: tuple = LEVER_HEADS,
                  claims: tuple = LEVER_CLAIMS) -> str:
    """The ``claims`` (headed ``heads``) that held on the held-out seed, in words (``None``:
    the seed was not run)."""
    if verdicts is None:
        return "not run"
    held = [head for head, claim in zip(heads, claims, strict=True) if verdicts[claim]]
    return ", ".join(held) if held else "none"


def _range(low: float, high: float) -> str:
    """``0.41–0.46``, or one number where both ends print alike."""
    low_text, high_text = f"{low:.2f}", f"{high:.2f}"
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def robustness_table(entries: list[dict], cfg: LieConfig) -> str:
    """The second search's record (``entries``: :func:`~emergence.experiments.lie.search.
    robustness_summary`): per setting, its choice and held-out seeds, in how many of each ℓ⁰ and
    ℓ¹ held (k/n; "not run" where none was) and the range of stage-1 accuracy; the setting of
    ``cfg`` marked."""
    heads = dict(zip(LEVER_CLAIMS, LEVER_HEADS, strict=False))
    rows = []
    for entry in entries:
        mark = " **(this page)**" if is_page_setting(entry["levers"], cfg) else ""
        seeds = " / ".join(seed_range(entry[part + "_seeds"]) or "none"
                           for part in ("choice", "held_out"))
        cells = [f"{entry[part][claim]}/{entry['n_' + part]}" if entry["n_" + part] else
                 "not run" for part in ("choice", "held_out") for claim in ROBUSTNESS_CLAIMS]
        rows.append((f"{schedule_label(entry['levers'])}{mark}", seeds, *cells,
                     _range(*entry["accuracy"])))
    return markdown_table(("setting", "seeds: choice / held out",
                           *(f"{heads[c]}, {part}" for part in ("choice", "held out")
                             for c in ROBUSTNESS_CLAIMS), "accuracy"), rows)


def lever_table(levers: list[dict], cfg: LieConfig) -> str:
    """The lever search's record (``levers``: :func:`~emergence.experiments.lie.search.
    lever_summary`): per setting, in how many choice seeds each claim held, the held-out
    seed's claims and the range of stage-1 accuracy; the setting of ``cfg`` marked."""
    rows = []
    for entry in levers:
        n = len(entry["choice_seeds"])
        mark = " **(this page)**" if is_page_setting(entry["levers"], cfg) else ""
        rows.append((f"{lever_label(entry['levers'], levers[0]['levers'])}{mark}",
                     *(f"{entry['holds'][claim]}/{n}" for claim in LEVER_CLAIMS),
                     held_out_text(entry["held_out"]),
                     _range(*entry["accuracy"])))
    return markdown_table(("setting", *LEVER_HEADS, "held-out seed: holds", "accuracy"), rows)


#: The third search's settings in words (emergence.experiments.lie.search.kernel_form_summary).
KERNEL_FORM_LABELS = {"free_kernel": "free, signed",
                      "transition_kernel": "transition (≥ 0, rows sum to g < 1)",
                      "transition_inhibited": "transition, minus λ × local mean of all units",
                      "dilated_kernel": "dilated (taps 4 px apart, reach ±8 px)",
                      "inhibitory_kernel": "inhibition only, −|W| (a probe)",
                      "excitatory_kernel": "excitation only, |W| (a probe)",
                      "contractive_kernel": "signed, Σ|K¹| = g < 1 per unit (a probe)",
                      "no_lateral": "none: no propagation, h = h₀ (reference)"}
#: The third search's claims as the held-out cell names them (in KERNEL_FORM_CLAIMS' order).
KERNEL_FORM_HEADS = ("ℓ⁰", "ℓ¹", "selective (paper's)", "selective (ours)", "co-axial (paper's)",
                     "co-axial (ours)")


def kernel_form_table(entries: list[dict], cfg: LieConfig) -> str:
    """The third search's record (``entries``: :func:`~emergence.experiments.lie.search.
    kernel_form_summary`): per setting and learning-rate schedule, in how many choice seeds each
    claim held (k/n; the K¹ claims as the paper's level / ours), the held-out seed's verdicts,
    and the ranges of stage-1 accuracy, of the selectivity statistic and of the operator norm
    of K¹ over all its seeds; the free kernel at the schedule of ``cfg`` marked as the page's.
    A setting without propagation (``n_iterations`` 0, :func:`~emergence.experiments.lie.search.
    uses_lateral`) has no learned K¹: its K¹ cells are "—"; a sign probe's K¹ is not judged
    (:func:`~emergence.experiments.lie.search.judges_kernel`): "—" but for its norm."""
    rows = []
    for e in entries:
        k = [f"{e['holds'][claim]}/{e['n_choice']}" for claim in KERNEL_FORM_CLAIMS]
        judged = ((f"{k[2]} / {k[3]}", f"{k[4]} / {k[5]}",
                   f"{e['selectivity'][0]:+.2f} to {e['selectivity'][1]:+.2f}")
                  if judges_kernel(e["levers"]) else ("—",) * 3)
        norm = (f"{e['lateral_norm'][0]:.2g}–{e['lateral_norm'][1]:.2g}" if uses_lateral(e)
                else "—")
        kernel = (*judged, norm)
        lr, cosine = e["schedule"]
        page = e["setting"] == "free_kernel" and e["schedule"] == (cfg.lr, cfg.cosine_decay)
        rows.append((KERNEL_FORM_LABELS.get(e["setting"], e["setting"])
                     + (" **(this page)**" if page else ""),
                     f"{lr:g}, {'cosine' if cosine else 'constant'}", k[0], k[1], *kernel[:2],
                     held_out_text(e["held_out"], KERNEL_FORM_HEADS, KERNEL_FORM_CLAIMS),
                     _range(*e["accuracy"]), *kernel[2:]))
    return markdown_table(("K¹", "learning rate", "ℓ⁰ LoG", "ℓ¹ Gabor",
                           "selective: paper's / ours", "co-axial: paper's / ours",
                           "held-out seed holds", "accuracy", "selectivity", "norm"), rows)
