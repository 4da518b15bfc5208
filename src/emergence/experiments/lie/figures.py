"""Chapter 1's figures and explorers, each drawn from a run's
:class:`~emergence.experiments.lie.summary.LieSummary` (the training images from the
:class:`~emergence.experiments.lie.images.TrainingImages`).

Every figure function returns a closed Matplotlib ``Figure`` (the page shows it once, as the
cell's value); the explorers return widgets whose frames are rendered here, so that they also
work in the static book (:mod:`emergence.widgets`).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from emergence.analysis.connectivity import (
    cocircular_field,
    coupling_matrix,
    mean_lifted_kernel,
    model_association_field,
    orientation_difference,
)
from emergence.analysis.filters import GABOR_MAX_ERROR
from emergence.data.contours import contour_elements, render_elements
from emergence.plotting import (
    OKABE_ITO,
    SEQUENTIAL_CMAP,
    SIGNED_CMAP,
    bar_segments,
    draw_bars,
    legend_below,
    legend_right,
)
from emergence.profiles import make_generator
from emergence.widgets import figure_frames, snapshot_explorer

from .config import lateral_spacing
from .images import TrainingImages
from .kernels import KERNEL_NAMES
from .search import LONGER_TRAINING, PAGE_ROBUSTNESS_SETTING, seed_range
from .summary import LieSummary, l0_snapshots_shown

#: A colour per kernel of the K¹ figures (the names: kernels.KERNEL_NAMES).
KERNEL_COLOURS = {"task": OKABE_ITO[2], "overlap": "grey", "hebbian": OKABE_ITO[0],
                  "init": OKABE_ITO[1]}


def _shown(fig: Figure) -> Figure:
    """Close ``fig`` for pyplot (so that the page does not draw it a second time) and return it
    to be displayed as the cell's value."""
    plt.close(fig)
    return fig


def training_images(images: TrainingImages, seed: int) -> Figure:
    """24 random training images with their labels (random stream ``show`` of ``seed``)."""
    x_show, y_show = images.sample(24, make_generator(seed, "show"))
    fig, axes = plt.subplots(3, 8, figsize=(10, 4.8))
    for ax, x, y in zip(axes.flat, x_show, y_show, strict=True):
        ax.imshow(x[0].numpy(), cmap="gray")
        ax.set_title(images.label_names[int(y)], fontsize=10)
        ax.set(xticks=[], yticks=[])
    side = x_show.shape[-1]
    fig.suptitle(f"Training images ({side}×{side} px), labelled by {images.labelled_by}")
    return _shown(fig)


def training_loss(summary: LieSummary) -> Figure:
    """The cross-entropy against the training step, stages 1 and 2, each with its running mean
    (over a fiftieth of the stage), and chance, log C."""
    fig, ax = plt.subplots(figsize=(6.5, 2.8))
    stages = ((summary.loss_stage1, 0, OKABE_ITO[0]),
              (summary.loss_stage2, summary.cfg.steps, OKABE_ITO[2]))
    for stage, (loss, start, colour) in enumerate(stages, start=1):
        window = max(1, len(loss) // 50)
        smooth = np.convolve(loss, np.ones(window) / window, mode="valid")
        ax.plot(start + np.arange(len(loss)), loss, color=colour, alpha=0.3, lw=0.8)
        ax.plot(start + np.arange(len(smooth)) + window // 2, smooth, color=colour,
                label=f"stage {stage} (running mean)")
    ax.axhline(math.log(summary.n_classes), color="grey", ls=":", lw=1, label="chance (log C)")
    ax.set(xlabel="training step", ylabel="cross-entropy", title="training loss")
    legend_right(ax)
    return _shown(fig)


def robustness_losses(rows: list[dict], setting: str = PAGE_ROBUSTNESS_SETTING,
                      longer: str = LONGER_TRAINING) -> Figure:
    """The second search's stage-1 training loss, one line per seed of ``setting`` (by default
    the page's; the mean cross-entropy over each 200 steps, ``loss_by_200_steps``, at the
    block's middle step): where ℓ⁰ and ℓ¹ both held, where either failed (the seeds named in the
    legend), and setting ``longer`` (more steps; dashed), from the record's lines ``rows``."""
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    for name, style in ((setting, "-"), (longer, "--")):
        lines = sorted((r for r in rows if r["setting"] == name), key=lambda r: r["seed"])
        for held, colour in ((True, OKABE_ITO[0]), (False, OKABE_ITO[3])):
            group = [r for r in lines if bool(r["l0_log_like"] and r["l1_gabor_like"]) == held]
            label = (f"{'both held' if held else 'ℓ⁰ or ℓ¹ failed'}, seed"
                     f"{'s' * (len(group) > 1)} " + seed_range(r["seed"] for r in group))
            for i, row in enumerate(group):
                loss = row["loss_by_200_steps"]
                steps = 200 * len(loss)
                ax.plot(100 + 200 * np.arange(len(loss)), loss, color=colour, ls=style, lw=1,
                        label=None if i else f"{steps} steps: {label}")
    ax.set(xlabel="stage-1 step (middle of a 200-step block)",
           ylabel="mean cross-entropy", title="stage-1 loss by seed (the search's record)")
    legend_below(ax)
    return _shown(fig)


def _l0_limit(summary: LieSummary) -> float:
    """One colour scale for every ℓ⁰ snapshot: its largest absolute weight."""
    return max(float(s["l0"].abs().max()) for s in summary.snapshots)


def l0_over_training(summary: LieSummary) -> Figure:
    """Top: ℓ⁰ at :func:`l0_snapshots_shown`, one colour scale. Bottom: the LoG fit of the
    final ℓ⁰, its radial profile against the fit's, and the LoG error and radial-symmetry
    score over training."""
    snapshots, steps, log_fits = summary.snapshots, summary.steps, summary.log_fits
    radial, log_final, limit = summary.radial_symmetry, log_fits[-1], _l0_limit(summary)
    fig = plt.figure(figsize=(10, 6.8))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.5])
    shown = l0_snapshots_shown(summary)
    axes = np.atleast_1d(top.subplots(1, len(shown)))
    for ax, i in zip(axes, shown, strict=True):
        im = ax.imshow(snapshots[i]["l0"].numpy(), cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        ax.set_title(f"step {steps[i]}\nLoG err {log_fits[i].rel_error:.2f}", fontsize=10)
        ax.set(xticks=[], yticks=[])
    top.colorbar(im, ax=axes, shrink=0.8, label="weight")
    top.suptitle("ℓ⁰ during training (red positive, blue negative)", fontsize=11)
    axes = bottom.subplots(1, 3)
    im = axes[0].imshow(log_final.fit, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    bottom.colorbar(im, ax=axes[0], shrink=0.7)
    axes[0].set(title=f"LoG fit of the final ℓ⁰\n(σ = {log_final.sigma:.2f} px)",
                xlabel="x (px)", ylabel="y (px)")
    (r, mean, std), (r_fit, mean_fit, _) = summary.radial_profiles[-1]
    axes[1].errorbar(r, mean, yerr=std, fmt="o", color=OKABE_ITO[0],
                     label="ℓ⁰ (ring mean ± sd)")
    axes[1].plot(r_fit, mean_fit, "-", color=OKABE_ITO[3], label="LoG fit")
    axes[1].axhline(0, color="grey", lw=0.6)
    axes[1].set(xlabel="distance from the fitted centre r (px)", ylabel="weight",
                title="radial profile")
    legend_below(axes[1])
    axes[2].plot(steps, [f.rel_error for f in log_fits], "o-", color=OKABE_ITO[3],
                 label="LoG relative error")
    axes[2].plot(steps, radial, "s-", color=OKABE_ITO[0], label="radial-symmetry score")
    axes[2].set(xlabel="training step", ylabel="score / error", title="emergence curve",
                ylim=(min(-0.1, min(radial) - 0.05), 1.1))
    legend_below(axes[2])
    return _shown(fig)


def _raw_limit(summary: LieSummary) -> float:
    """One colour scale for every raw ℓ¹ picture (here and in the explorer)."""
    return float(summary.snapshots[-1]["l1"].abs().max())


def _effective_limit(summary: LieSummary) -> float:
    """One colour scale for every effective filter and Gabor fit (here and in the explorer)."""
    return float(summary.gabor["final"]["effective"].abs().max())


def l1_filters(summary: LieSummary) -> Figure:
    """Up to 16 trained filters spread over the range of orientations, in blocks of three rows
    (raw ℓ¹, effective ℓ⁰ ∗ ℓ¹, Gabor fit), titled by orientation, with the fit error below."""
    final, cfg = summary.gabor["final"], summary.cfg
    orientation, errors, order = summary.orientation, final["error"].numpy(), summary.by_orientation
    raw_limit, effective_limit = _raw_limit(summary), _effective_limit(summary)
    n_show, per_block = min(16, cfg.n_filters), min(8, cfg.n_filters)  # two blocks of 3 rows
    fig, axes = plt.subplots(3 * math.ceil(n_show / per_block), per_block, figsize=(10, 7.0),
                             squeeze=False)
    kinds = (("ℓ¹ raw", summary.snapshots[-1]["l1"].numpy(), raw_limit),
             ("effective", final["effective"].numpy(), effective_limit),
             ("Gabor fit", final["fit"].numpy(), effective_limit))
    for ax in axes.flat:
        ax.set_axis_off()
    for k, i in enumerate(order[np.linspace(0, len(order) - 1, n_show).round().astype(int)]):
        block, col = divmod(k, per_block)
        for row, (name, weights, limit) in enumerate(kinds):
            ax = axes[3 * block + row, col]
            ax.set_axis_on()
            im = ax.imshow(weights[i], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            ax.set(xticks=[], yticks=[], ylabel=name if col == 0 else "")
            if col == per_block - 1:
                fig.colorbar(im, ax=axes[3 * block + row, :], shrink=0.9, pad=0.01,
                             ticks=[-limit, 0, limit], format="%.2g")
        axes[3 * block, col].set_title(f"{math.degrees(orientation[i]):.0f}°", fontsize=10)
        axes[3 * block + 2, col].set_xlabel(f"err {errors[i]:.2f}", fontsize=10)
    fig.suptitle("Trained ℓ¹ filters sorted by fitted orientation (title); fit error below")
    return _shown(fig)


def l1_statistics(summary: LieSummary) -> Figure:
    """Histograms of the Gabor fit errors (initialisation, the smoothed-noise control,
    trained), and of the orientations and frequencies of the well-fitted trained filters."""
    gabor, fits_well = summary.gabor, summary.fits_well
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
    bins = np.linspace(0, 1.2, 25)
    axes[0].hist(gabor["initial"]["error"].numpy(), bins=bins, color=OKABE_ITO[1], alpha=0.8,
                 label="initialisation")
    axes[0].hist(gabor["control"]["error"].numpy(), bins=bins, color="grey", alpha=0.6,
                 label="control: trained ℓ⁰ ∗ noise")
    axes[0].hist(gabor["final"]["error"].numpy(), bins=bins, color=OKABE_ITO[0], alpha=0.8,
                 label="trained")
    axes[0].axvline(GABOR_MAX_ERROR, color="k", ls=":", lw=1,
                    label=f"good fit < {GABOR_MAX_ERROR}")
    axes[0].set(xlabel="Gabor relative error (effective filters)", ylabel="filters",
                title="fit errors")
    legend_below(axes[0])
    axes[1].hist(np.degrees(summary.orientation[fits_well]), bins=np.linspace(0, 180, 13),
                 color=OKABE_ITO[2])
    axes[1].set(xlabel="orientation θ + 90° (degrees)", ylabel="well-fitted filters",
                title="orientations")
    axes[2].hist(gabor["final"]["freq"].numpy()[fits_well], bins=12, color=OKABE_ITO[4])
    axes[2].set(xlabel="spatial frequency f (cycles / px)", ylabel="well-fitted filters",
                title="frequencies")
    for ax in axes:
        ax.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
    return _shown(fig)


def _coupling_curve(ax, theta: np.ndarray, coupling: np.ndarray, colour, label: str,
                    scatter: bool = True) -> None:
    """The coupling of every pair i ≠ j of ``coupling`` (divided by its mean) against the
    orientation difference of ``theta``, with the means of six bins of 15°."""
    differences = np.degrees(orientation_difference(theta[:, None], theta[None, :]))
    pairs = ~np.eye(len(theta), dtype=bool)
    edges = np.linspace(0, 90, 7)
    normalised = coupling / coupling[pairs].mean()
    in_bin = [pairs & (differences >= lo) & (differences < hi + 1e-9)
              for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    if scatter:
        ax.scatter(differences[pairs], normalised[pairs], s=4, color=colour, alpha=0.2)
    ax.plot((edges[:-1] + edges[1:]) / 2,
            [normalised[b].mean() if b.any() else np.nan for b in in_bin], "o-", color=colour,
            label=label)


def coupling_by_orientation(summary: LieSummary) -> Figure:
    """Left: normalised coupling of every well-fitted pair against the orientation difference,
    with bin means, for the four kernels. Middle: the task kernel's coupling matrix sorted by
    orientation. Right: the four selectivity statistics against the task kernel's
    shuffled-orientation null."""
    theta, couplings = summary.theta, summary.couplings
    selectivity = {name: m["selectivity"] for name, m in summary.measures.items()}
    fig, axes = plt.subplots(1, 3, figsize=(10, 4.6))
    for name, coupling in couplings.items():
        _coupling_curve(axes[0], theta, coupling, KERNEL_COLOURS[name], KERNEL_NAMES[name])
    axes[0].set(xlabel="|θᵢ − θⱼ| (degrees)", ylabel="coupling / mean coupling",
                title="coupling vs orientation\ndifference (bin means)")
    by_theta = np.argsort(theta)
    im = axes[1].imshow(couplings["task"][np.ix_(by_theta, by_theta)], cmap=SEQUENTIAL_CMAP)
    ticks = np.linspace(0, len(by_theta) - 1, min(5, len(by_theta))).round().astype(int)
    tick_labels = [f"{math.degrees(theta[by_theta][t]):.0f}°" for t in ticks]
    axes[1].set_xticks(ticks, tick_labels)
    axes[1].set_yticks(ticks, tick_labels)
    axes[1].set(xlabel="filter j (sorted by orientation)", ylabel="filter i",
                title="task-learned coupling\nΣ max(K¹ᵢⱼ, 0)")
    fig.colorbar(im, ax=axes[1], shrink=0.8)
    axes[2].hist(selectivity["task"]["null"], bins=40, color=OKABE_ITO[2], alpha=0.4,
                 label="task kernel with shuffled θ")
    for name, style in (("task", "-"), ("overlap", "-"), ("hebbian", "-."), ("init", "--")):
        axes[2].axvline(selectivity[name]["statistic"], color=KERNEL_COLOURS[name], lw=2,
                        ls=style)
    axes[2].set(xlabel="selectivity statistic", ylabel="permutations",
                title="permutation test\n(lines: the four kernels)")
    handles, labels = axes[0].get_legend_handles_labels()
    handles.append(axes[2].patches[0])
    labels.append("task kernel with shuffled θ")
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=10)
    return _shown(fig)


# ---- contour integration (section 8, beyond the paper) -----------------------------------------

#: The kernels of section 8's figure: name → (where it is, its colour, its label).
CONTOUR_KERNELS = {"contour": ("contour", OKABE_ITO[5], "learned through contour integration"),
                   "contour_init": ("contour", OKABE_ITO[1], "its start"),
                   "task": ("summary", KERNEL_COLOURS["task"], "learned through the photographs"),
                   "overlap": ("summary", KERNEL_COLOURS["overlap"], KERNEL_NAMES["overlap"])}


def contour_integration(summary: LieSummary, seed: int) -> Figure:
    """Left: a stimulus with an aligned path and one without (path elements ringed), drawn
    from the random stream ``contour-examples`` of ``seed``. Middle: the loss of the contour
    task. Right: the coupling against the orientation difference (bin means) of the kernel
    learned through contour integration, its start, the photo-task kernel and the filter-overlap
    control."""
    cfg = summary.cfg
    elements = contour_elements(64, make_generator(seed, "contour-examples"),
                                size=cfg.contour_size)
    images = render_elements(elements).numpy()
    fig, axes = plt.subplots(1, 4, figsize=(10, 4.4), width_ratios=(1, 1, 1.2, 1.4))
    for ax, label, title in ((axes[0], 1, "a path (label 1)"), (axes[1], 0, "no path (label 0)")):
        i = int(np.flatnonzero(elements.labels.numpy() == label)[0])
        ax.imshow(images[i, 0], cmap="gray", extent=(0, cfg.contour_size, cfg.contour_size, 0))
        path = elements.centres[i][elements.on_path[i]].numpy()
        ax.scatter(*path.T, s=110, facecolors="none", edgecolors=OKABE_ITO[5], lw=1)
        ax.set(title=title, xticks=[], yticks=[])
    loss = summary.contour["loss"].numpy()
    window = max(1, len(loss) // 20)
    axes[2].plot(np.convolve(loss, np.ones(window) / window, mode="valid"), color=OKABE_ITO[5])
    axes[2].axhline(np.log(2), color="grey", ls="--", lw=1, label="chance (ln 2)")
    axes[2].set(xlabel="step", ylabel="cross-entropy", title="contour task: loss")
    axes[2].legend(fontsize=10)
    keep = summary.well_fitted
    for name, (where, colour, label) in CONTOUR_KERNELS.items():
        kernel = (summary.contour["lateral" if name == "contour" else "init_lateral"].numpy()
                  if where == "contour" else summary.kernels[name])
        coupling = coupling_matrix(kernel[np.ix_(keep, keep)], "positive")
        _coupling_curve(axes[3], summary.theta, coupling, colour, label, scatter=False)
    axes[3].set(xlabel="|θᵢ − θⱼ| (degrees)", ylabel="coupling / mean coupling",
                title="coupling vs orientation\ndifference (bin means)")
    fig.legend(*axes[3].get_legend_handles_labels(), loc="outside lower center", ncols=2,
               fontsize=10)
    return _shown(fig)


# ---- association fields and the lifted connectivity (section 6) --------------------------------


def _lattice_extent(summary: LieSummary) -> list[float]:
    """``imshow`` extent of a lateral kernel's offsets (px), y downwards."""
    cfg = summary.cfg
    lattice = (np.arange(cfg.k_lateral) - cfg.k_lateral // 2) * lateral_spacing(cfg)
    return [lattice[0] - 1, lattice[-1] + 1, lattice[-1] + 1, lattice[0] - 1]


def _orientation_line(ax, radius: float, angle: float, style: str):
    """A line through the origin along ``angle``, ``radius`` px each way."""
    c, s = math.cos(angle), math.sin(angle)
    return ax.plot([-radius * c, radius * c], [-radius * s, radius * s], style,
                   color=OKABE_ITO[1])[0]


def association_fields(summary: LieSummary) -> Figure:
    """For the reference filter i: the excitatory task-kernel input from filters within 22.5°
    of its orientation, its association field; the SE(2) model's field at the task kernel's
    best σ; the co-circular field of Field, Hayes & Hess."""
    model, best_sigma = summary.se2_model, summary.measures["task"]["se2"]["best_sigma"]
    radius, orientation, ref = model["radius"], summary.orientation, summary.reference_filter
    keep = summary.well_fitted
    similar = keep[orientation_difference(summary.theta, orientation[ref]) < math.pi / 8]
    fig, axes = plt.subplots(1, 4, figsize=(10, 3.9))
    im = axes[0].imshow(np.clip(summary.kernels["task"][ref, similar], 0, None).sum(0),
                        cmap=SEQUENTIAL_CMAP, extent=_lattice_extent(summary))
    fig.colorbar(im, ax=axes[0], shrink=0.7)
    _orientation_line(axes[0], radius, orientation[ref], "--").set_label("orientation of i")
    axes[0].set(title=f"task K¹ from similar\nfilters into i = {ref}", xlabel="Δx (px)",
                ylabel="Δy (px)")
    legend_below(axes[0])  # a legend inside would hide kernel cells
    draw_bars(axes[1], summary.task_fields[ref], OKABE_ITO[0], radius)
    _orientation_line(axes[1], radius, orientation[ref], ":")
    axes[1].set_title("task-learned association\nfield of i")
    draw_bars(axes[2], model_association_field(model["kernels"][best_sigma], model["grid"]),
              OKABE_ITO[3], radius)
    axes[2].set_title(f"SE(2) model,\nσ = {best_sigma}")
    draw_bars(axes[3], cocircular_field(radius - 1, 9), OKABE_ITO[2], radius)
    axes[3].set_title("Field–Hayes–Hess\n(co-circular)")
    for ax in axes[1:]:
        ax.set_ylabel("")
    return _shown(fig)


def lifted_connectivity(summary: LieSummary) -> Figure:
    """Rows: the task kernel and the filter-overlap control lifted to SE(2) and averaged over
    the reference filters (:func:`~emergence.analysis.connectivity.mean_lifted_kernel`), and
    the direction-process kernel at the task kernel's best σ; one panel per orientation
    difference Δθ, one colour scale per row (its largest value 1)."""
    model, cfg, keep = summary.se2_model, summary.cfg, summary.well_fitted
    radius = model["radius"]
    centres = summary.gabor["final"]["centre"].numpy()[keep]

    def lifted(name):
        return mean_lifted_kernel(summary.kernels[name][np.ix_(keep, keep)], summary.theta,
                                  model["grid"], lateral_spacing(cfg), centres)

    best_model = model["kernels"][summary.measures["task"]["se2"]["best_sigma"]]
    rows = (("learned\n(task)", lifted("task")), ("overlap\ncontrol", lifted("overlap")),
            ("model", best_model))
    n_theta, theta_edges = best_model.shape[-1], model["grid"][1]
    fig, axes = plt.subplots(3, n_theta, figsize=(10, 6.6))
    for row, (label, maps) in enumerate(rows):
        scaled = maps / np.nanmax(maps)  # one colour scale per row: its largest value is 1
        for t in range(n_theta):
            im = axes[row, t].imshow(scaled[..., t], cmap=SEQUENTIAL_CMAP, vmin=0, vmax=1,
                                     extent=[-radius, radius, radius, -radius])
            axes[row, t].set(xticks=[], yticks=[])
            if row == 0:
                middle = (theta_edges[t] + theta_edges[t + 1]) / 2
                axes[row, t].set_title(f"Δθ = {math.degrees(middle):.0f}°", fontsize=10)
        axes[row, 0].set_ylabel(label, fontsize=10)
        fig.colorbar(im, ax=axes[row, :], shrink=0.9, pad=0.01, ticks=[0, 0.5, 1])
    fig.suptitle("Connectivity in each filter's own frame, by orientation difference Δθ")
    return _shown(fig)


def l0_balance(summary: LieSummary) -> Figure:
    """The power spectrum of the trained ℓ⁰ beside the balance argument's prediction from the
    effective filters, ``(Σᵢ |Êᵢ(ω)|²)^(1/2)``."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
    # mathtext, not combining characters: a combining hat over ℓ collides with its superscript
    for ax, power, name in ((axes[0], summary.l0_power, r"$|\hat{\ell}^{\,0}(\omega)|^2$"),
                            (axes[1], summary.predicted_l0_power,
                             r"$(\Sigma_i\,|\hat{E}_i(\omega)|^2)^{1/2}$")):
        im = ax.imshow(power, cmap=SEQUENTIAL_CMAP, extent=[-0.5, 0.5, 0.5, -0.5])
        ax.set(title=name, xlabel="ωx (cycles / px)", ylabel="ωy (cycles / px)")
        fig.colorbar(im, ax=ax, shrink=0.8)
    return _shown(fig)


# ---- explorers (section 8) ------------------------------------------------------------------


def filter_explorer(summary: LieSummary):
    """A slider through the trained filters sorted by orientation: the raw ℓ¹ weights, the
    effective receptive field, its Gabor fit, the excitatory lateral input it receives by
    offset in the task kernel and its association field — every frame on the same colour
    scales and bar widths."""
    cfg, final = summary.cfg, summary.gabor["final"]
    order, orientation = summary.by_orientation, summary.orientation
    errors = final["error"].numpy()
    radius, task_kernel = summary.se2_model["radius"], summary.kernels["task"]
    raw_limit, effective_limit = _raw_limit(summary), _effective_limit(summary)
    lateral_max = float(np.clip(task_kernel, 0, None).sum(1).max())
    bar_max = max(float(summary.task_fields[i][3].max()) for i in order)
    fig, frame = plt.subplot_mosaic([["raw"] * 2 + ["eff"] * 2 + ["fit"] * 2,
                                     ["lateral"] * 3 + ["field"] * 3], figsize=(7.2, 5.4))
    k_effective = final["effective"].shape[-1]
    pictures = {
        "raw": frame["raw"].imshow(np.zeros((cfg.k1, cfg.k1)), cmap=SIGNED_CMAP,
                                   vmin=-raw_limit, vmax=raw_limit),
        **{key: frame[key].imshow(np.zeros((k_effective, k_effective)), cmap=SIGNED_CMAP,
                                  vmin=-effective_limit, vmax=effective_limit)
           for key in ("eff", "fit")},
        "lateral": frame["lateral"].imshow(np.zeros((cfg.k_lateral, cfg.k_lateral)),
                                           cmap=SEQUENTIAL_CMAP, vmin=0, vmax=lateral_max,
                                           extent=_lattice_extent(summary))}
    for key, title in (("raw", "ℓ¹ raw"), ("eff", "effective ℓ⁰ ∗ ℓ¹"), ("fit", "Gabor fit"),
                       ("lateral", "excitatory input Σⱼ K¹⁺ᵢⱼ(Δ)")):
        im = pictures[key]
        fig.colorbar(im, ax=frame[key], shrink=0.8, format="%.2g",
                     ticks=[im.norm.vmin, (im.norm.vmin + im.norm.vmax) / 2, im.norm.vmax])
        frame[key].set_title(title, fontsize=11)
        if key != "lateral":
            frame[key].set(xticks=[], yticks=[])
    frame["lateral"].set(xlabel="Δx (px)", ylabel="Δy (px)")
    bars = draw_bars(frame["field"], summary.task_fields[order[0]], OKABE_ITO[0], radius,
                     bar_max)
    line = _orientation_line(frame["field"], radius, 0.0, ":")
    frame["field"].set_title("association field", fontsize=11)
    heading = fig.suptitle("")

    def show_filter(k):
        i = order[k]
        for key, weights in (("raw", summary.snapshots[-1]["l1"][i]),
                             ("eff", final["effective"][i]), ("fit", final["fit"][i]),
                             ("lateral", np.clip(task_kernel[i], 0, None).sum(0))):
            pictures[key].set_data(np.asarray(weights))
        frame["fit"].set_title(f"Gabor fit (error {errors[i]:.2f})", fontsize=11)
        segments, widths = bar_segments(*summary.task_fields[i], bar_max)
        bars.set_segments(segments)
        bars.set_linewidths(widths)
        c, s = math.cos(orientation[i]), math.sin(orientation[i])
        line.set_data([-radius * c, radius * c], [-radius * s, radius * s])
        heading.set_text(f"filter {i}: orientation {math.degrees(orientation[i]):.0f}°, "
                         f"f = {float(final['freq'][i]):.2f} cycles/px")

    frames = figure_frames(fig, show_filter, len(order), changing=[  # redraw only these
        *pictures.values(), frame["fit"].title, bars, line, heading])
    return snapshot_explorer({"trained filters": frames},
                             [f"#{int(i)} ({math.degrees(orientation[i]):.0f}°)" for i in order],
                             frame_description="filter", start=typical_filter(summary),
                             alt="one trained filter: its raw ℓ¹ weights, effective filter, "
                                 "Gabor fit, excitatory lateral input and association field")


def typical_filter(summary: LieSummary) -> int:
    """The explorer's first frame: of the filters whose Gabor error is at most the median, the
    one with the strongest effective filter (a filter worth looking at, not a near-blank one);
    its place in the orientation order."""
    final, order = summary.gabor["final"], list(summary.by_orientation)
    errors = np.asarray(final["error"], dtype=float)[order]
    strength = np.array([float(np.abs(np.asarray(final["effective"][i])).max()) for i in order])
    good = errors <= np.median(errors)
    return int(np.argmax(np.where(good, strength, -np.inf)))


def l0_explorer(summary: LieSummary):
    """A slider through training: ℓ⁰ at each snapshot and its radial profile against its LoG
    fit's, on fixed scales."""
    snapshots, log_fits, limit = summary.snapshots, summary.log_fits, _l0_limit(summary)
    profiles = summary.radial_profiles
    low = min(min(m - sd) for (_, m, sd), _ in profiles)
    high = max(max(m + sd) for (_, m, sd), _ in profiles)
    pad = 0.05 * (high - low) + 1e-9
    r_max = max(max(r) for (r, _, _), _ in profiles) + 0.3
    fig, axes = plt.subplots(1, 2, figsize=(6.6, 2.8))
    picture = axes[0].imshow(np.zeros((summary.cfg.k0, summary.cfg.k0)), cmap=SIGNED_CMAP,
                             vmin=-limit, vmax=limit)
    fig.colorbar(picture, ax=axes[0], shrink=0.8, format="%.2g")
    axes[0].set(xticks=[], yticks=[])

    def show_l0(k):
        picture.set_data(snapshots[k]["l0"].numpy())
        axes[0].set_title(f"ℓ⁰ at step {summary.steps[k]}")
        (r, mean, sd), (r_fit, mean_fit, _) = profiles[k]
        axes[1].cla()
        axes[1].errorbar(r, mean, yerr=sd, fmt="o", color=OKABE_ITO[0], ms=3)
        axes[1].plot(r_fit, mean_fit, "-", color=OKABE_ITO[3])
        axes[1].set(xlabel="r (px)", ylabel="weight", xlim=(-0.2, r_max),
                    ylim=(low - pad, high + pad),
                    title=f"LoG err {log_fits[k].rel_error:.2f}, "
                          f"radial {summary.radial_symmetry[k]:.2f}")

    return snapshot_explorer({"ℓ⁰": figure_frames(fig, show_l0, len(snapshots))},
                             [f"step {s}" for s in summary.steps],
                             frame_description="training step",  # opens on the trained ℓ⁰
                             alt="the pre-filter ℓ⁰ and its radial profile against its LoG fit")
