"""Chapter 2's figures, tables and explorer, drawn from the summary (presentation only).

Each figure function takes a :class:`~.summary.ConvolutionsSummary` and returns a Matplotlib
``Figure`` (closed in pyplot, so that a notebook shows it once: as the cell's value); each table
function returns a Markdown table. Nothing here computes a number the page states: those are in
the summary. This file is outside the cache key of the runs (``emergence.cache``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullLocator

from emergence.plotting import OKABE_ITO, SIGNED_CMAP, legend_below
from emergence.widgets import figure_png, snapshot_explorer

from .summary import COVARIANCE_OFFSETS, ConvolutionsSummary, reduced_key

BASELINE_LABEL = "random 3/(D+2)"
POPULATIONS = ("b₀ = +1", "b₀ = −1")


def _shown(fig: Figure) -> Figure:
    """``fig`` released by pyplot: the notebook displays it once, as the cell's value."""
    plt.close(fig)
    return fig


def _baseline(ax, baseline: float, lw: float = 0.8) -> None:
    ax.axhline(baseline, color="grey", ls=":", lw=lw, label=BASELINE_LABEL)


def aligned(field: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """``field`` circularly shifted (and sign-flipped) to best match ``target``, for display."""
    shifts = [torch.roll(field, s) for s in range(len(field))]
    scores = [float(torch.dot(s, target)) for s in shifts]
    best = int(np.argmax(np.abs(scores)))
    return shifts[best] * np.sign(scores[best])


def inputs(summary: ConvolutionsSummary) -> Figure:
    """One input of each class for the NLGP and its clone, and the marginal of the pixels."""
    sample = summary.inputs
    fig, axes = plt.subplots(2, 3, figsize=(10, 5.5),
                             gridspec_kw={"width_ratios": [2.2, 2.2, 1]})
    sites = np.arange(sample.examples.shape[-1])
    for row, name in enumerate([f"NLGP, g = {sample.gain:g}", "Gaussian clone"]):
        for col, label in enumerate([r"class 0, $\xi_0=1$", r"class 1, $\xi_1=3$"]):
            axes[row, col].plot(sites, sample.examples[row, col], color=OKABE_ITO[col], lw=1.2)
            axes[row, col].set(title=f"{name}: {label}", xlabel="site i", ylabel="$x_i$",
                               ylim=(-3.2, 3.2))
        edges = sample.marginal_edges
        axes[row, 2].hist(edges[:-1], bins=edges, weights=sample.marginal_density[row],
                          color=OKABE_ITO[2])
        axes[row, 2].set(title="marginal of $x_i$", xlabel="$x_i$", ylabel="density")
    fig.suptitle("One input of each class, and the pixel marginals (both classes pooled)")
    return _shown(fig)


def tick_label(key: str) -> str:
    """``"NLGP_class0"`` → ``"NLGP\nclass 0"``: a covariance check's key in words."""
    name, _, cls = key.partition("_class")
    return f"{name}\nclass {cls}" if cls else key


def covariance(summary: ConvolutionsSummary) -> Figure:
    """The inputs' covariance against the offset (class 0), and the largest error of each
    input type and class against its 6-standard-error tolerance."""
    sample = summary.inputs
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
    for b, name in enumerate(["NLGP", "clone"]):
        axes[b].plot(COVARIANCE_OFFSETS, sample.analytic_by_offset[b], "k-",
                     label="analytic $C^x$")
        axes[b].plot(COVARIANCE_OFFSETS, sample.empirical_by_offset[b], "o",
                     color=OKABE_ITO[b], ms=4, label="empirical")
        axes[b].set(title=f"{name}, class 0: covariance vs offset", xlabel="offset j − i",
                    ylabel="$C^x(j-i)$")
        legend_below(axes[b], ncols=2)
    names = list(sample.covariance_errors)
    errors, tolerances = zip(*sample.covariance_errors.values(), strict=True)
    axes[2].bar(range(len(names)), errors, color=OKABE_ITO[0], label="max |empirical − analytic|")
    axes[2].plot(range(len(names)), tolerances, "k_", ms=25, label="6 standard errors")
    axes[2].set_xticks(range(len(names)), [tick_label(name) for name in names])
    axes[2].set(title="largest covariance error", ylabel="absolute error")
    axes[2].set_ylim(0, 1.5 * max(tolerances))
    legend_below(axes[2])
    return _shown(fig)


def ring_fields(summary: ConvolutionsSummary) -> Figure:
    """Final receptive fields on the ring at ``g_main`` (NLGP and clone, both populations) and
    the populations' mean IPR during training."""
    ring = summary.ring
    fig, axes = plt.subplots(2, 3, figsize=(10, 6.2),
                             gridspec_kw={"width_ratios": [1.3, 1.3, 1]})
    for row, (net, name) in enumerate([(ring.nlgp_network, f"NLGP, g = {ring.gain:g}"),
                                       (ring.clone_network, f"clone, g = {ring.gain:g}")]):
        for col, (positive, population) in enumerate([(True, "population b₀ = +1"),
                                                      (False, "population b₀ = −1")]):
            ax = axes[row, col]
            for j, w in enumerate(ring.final_fields(net, positive)):
                ax.plot(np.arange(ring.D), w / w.abs().max() + 2.2 * j, color=OKABE_ITO[j % 4],
                        lw=1)
            ax.set(title=f"{name}: {population}", xlabel="input site i", yticks=[],
                   ylabel="weights (each scaled to max 1)" if col == 0 else "")
        ax = axes[row, 2]
        for p, (population, style) in enumerate(zip(POPULATIONS, ("-", "--"), strict=True)):
            ax.plot(ring.times[1:], ring.population_ipr[1:, net, p], style, color=OKABE_ITO[p],
                    label=population)
        _baseline(ax, ring.baseline)
        ax.set(xscale="log", yscale="log", xlabel="training time t = steps / D",
               ylabel="mean IPR", title=f"{name}: IPR during training")
    legend_below(axes[1, 2])  # one legend for both IPR panels, under the lower one
    fig.suptitle(f"Ring of D = {ring.D} sites: final receptive fields and their IPR")
    return _shown(fig)


def torus_fields(summary: ConvolutionsSummary) -> Figure:
    """Final receptive fields on the torus (NLGP and clone) and their IPR during training."""
    torus = summary.torus
    fig = plt.figure(figsize=(10, 5.1))
    grid = fig.add_gridspec(2, 9, width_ratios=[1] * 8 + [3.2])
    for row, name in enumerate(["NLGP", "clone"]):
        for k, field in enumerate(torus.final_fields[row]):
            ax = fig.add_subplot(grid[row, k])
            w = field.reshape(torus.L, torus.L)
            lim = float(w.abs().max())
            ax.imshow(w.numpy(), cmap=SIGNED_CMAP, vmin=-lim, vmax=lim)
            ax.set(xticks=[], yticks=[])
            if k == 0:
                ax.set_ylabel(name)
            ax.set_title(f"b₀={'+' if torus.starts_positive[k] else '−'}1", fontsize=10)
    ax = fig.add_subplot(grid[:, 8])
    for j, name in enumerate(["NLGP", "clone"]):
        for p, (population, style) in enumerate(zip(("+1", "−1"), ("-", "--"), strict=True)):
            ax.plot(torus.times[1:], torus.population_curves[1:, j, p], style,
                    color=OKABE_ITO[j], label=f"{name}, b₀ = {population}")
    _baseline(ax, torus.baseline)
    ax.set(xscale="log", yscale="log", xlabel="t = steps / D", ylabel="mean IPR",
           title="IPR during training (2D)")
    ax.legend(fontsize=10)
    fig.suptitle(f"{torus.L}×{torus.L} torus, g = {torus.gain:g}: final receptive fields "
                 "(red positive, blue negative) — cf. the paper's Figure 1 C, D, F, G")
    return _shown(fig)


def gain_sweep(summary: ConvolutionsSummary) -> Figure:
    """Localisation (final IPR, population b₀ = +1) against the gain, beside the excess
    kurtosis of a pixel."""
    ring = summary.ring
    rows = ring.gain_rows
    gains = [r["gain"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    ax1.plot(gains, [r["ipr_nlgp"] for r in rows], "o-", color=OKABE_ITO[0], label="NLGP")
    ax1.plot(gains, [r["ipr_clone"] for r in rows], "s--", color=OKABE_ITO[1],
             label="Gaussian clone")
    _baseline(ax1, ring.baseline)
    ax1.set(xscale="log", xlabel="gain g", ylabel="final mean IPR (population b₀ = +1)",
            title=f"localisation vs gain (D = {ring.D}, t = {ring.t_final:.0f})")
    ax1.legend(fontsize=10)
    ax2.plot(gains, [r["excess_kurtosis"] for r in rows], "o-", color=OKABE_ITO[2])
    ax2.axhline(0, color=OKABE_ITO[1], ls="--", lw=1, label="clone (0 at every g)")
    ax2.set(xscale="log", xlabel="gain g", ylabel="excess kurtosis of a pixel",
            title="non-Gaussianity of the inputs")
    ax2.legend(fontsize=10)
    return _shown(fig)


def _time(t: float | None) -> str:
    return "—" if t is None else f"{t:.0f}"


def gain_table(summary: ConvolutionsSummary) -> str:
    """Section 3's table: per gain, the pixel's excess kurtosis, the final IPRs and onsets."""
    rows = "\n".join(f"| {r['gain']:g} | {r['excess_kurtosis']:.2f} | {r['ipr_nlgp']:.3f} | "
                     f"{r['ipr_clone']:.3f} | {_time(r['t_onset_nlgp'])} | "
                     f"{_time(r['t_onset_clone'])} |" for r in summary.ring.gain_rows)
    return ("| gain g | excess kurtosis | IPR, NLGP | IPR, clone | onset t, NLGP | "
            "onset t, clone |\n|---|---|---|---|---|---|\n" + rows)


def tiling(summary: ConvolutionsSummary) -> Figure:
    """The localised fields of the wider ring network sorted by centre, and the
    nearest-neighbour test on the ring and the torus."""
    found = summary.tiling
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.8), gridspec_kw={"width_ratios": [1.5, 1, 1]})
    if found.ring["n_localised"]:
        fields = found.ring_fields_by_centre
        axes[0].imshow((fields / fields.abs().amax(-1, keepdim=True)).numpy(), aspect="auto",
                       cmap=SIGNED_CMAP, vmin=-1, vmax=1, interpolation="nearest")
    else:
        axes[0].text(0.5, 0.5, "no localised field in this run", ha="center",
                     transform=axes[0].transAxes)
    axes[0].set(xlabel="input site i", ylabel="localised neuron (by centre)",
                title=f"ring: fields scaled to max 1, K = {found.K}")
    for ax, result, title in ((axes[1], found.ring, f"ring, D = {summary.ring.D}"),
                              (axes[2], found.torus, f"torus, D = {summary.torus.D}")):
        if result["test"] is None:
            ax.text(0.5, 0.5, "fewer than two\nlocalised fields", ha="center", va="center",
                    transform=ax.transAxes)
            ax.set(title=title, xticks=[], yticks=[])
            continue
        test, control = result["test"], result["control"]
        ax.bar([0, 1, 2], [test["statistic"], control["statistic"], test["random_mean"]],
               color=[OKABE_ITO[0], OKABE_ITO[1], "0.7"])
        ax.errorbar([2], [test["random_mean"]], yerr=[test["random_sd"]], color="k", capsize=4)
        ax.set_xticks([0, 1, 2], ["learned", "initial\nweights", "random\n(mean ± SD)"])
        ax.set(ylabel="mean nearest-neighbour distance (sites)",
               title=f"{title}: {result['n_localised']} fields")
    return _shown(fig)


def cnn_comparison(summary: ConvolutionsSummary) -> Figure:
    """Localised fully connected fields beside their best-matching CNN filters, and the best
    similarities of the NLGP's and the clone's fields."""
    ring, cnn = summary.ring, summary.cnn
    fc_fields = ring.final_fields(ring.nlgp_network)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.7))
    for j, w in enumerate(fc_fields[:4]):
        shown = aligned(cnn.filters[int(cnn.similarity[j].argmax())], w)
        offset = 2.4 * j
        axes[0].plot(w / w.abs().max() + offset, color=OKABE_ITO[0], lw=1.4,
                     label="fully connected" if j == 0 else None)
        axes[0].plot(shown / shown.abs().max() + offset, "--", color=OKABE_ITO[3], lw=1.2,
                     label="CNN filter (best shift)" if j == 0 else None)
    axes[0].set(xlabel="input site i", yticks=[], title="localised FC fields and their CNN match")
    axes[0].legend(fontsize=10, loc="upper right")
    bins = np.linspace(0, 1, 21)
    axes[1].hist(cnn.similarity.amax(-1), bins=bins, color=OKABE_ITO[0], alpha=0.8,
                 label="FC fields, NLGP")
    axes[1].hist(cnn.similarity_control.amax(-1), bins=bins, color=OKABE_ITO[1], alpha=0.8,
                 label="FC fields, clone (control)")
    axes[1].set(xlabel="best shift-invariant cosine similarity to a CNN filter",
                ylabel="neurons (population b₀ = +1)", title="how convolutional are the FC fields?")
    axes[1].yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[1].legend(fontsize=10)
    return _shown(fig)


def projection_table(summary: ConvolutionsSummary) -> str:
    """Section 6's first table: IPR and excess kurtosis of the projections, per field."""
    return ("| field $w$ | IPR | excess kurtosis of $w\\cdot x$ (NLGP inputs, class 0) |\n"
            "|---|---|---|\n" + "\n".join(
                f"| {name} | {field_ipr:.3f} | {kurtosis:+.2f} |"
                for name, (field_ipr, kurtosis) in summary.mechanism.projections.items()))


def mechanism(summary: ConvolutionsSummary) -> Figure:
    """The fixed points of the fourth cumulant beside the learned localised fields, their IPR
    against the gain, and the reduced single-neuron dynamics with and without the κ₄ term."""
    ring, found = summary.ring, summary.mechanism
    baseline = ring.baseline
    fig, axes = plt.subplots(2, 2, figsize=(10, 7.4))
    ax = axes[0, 0]
    for j, w in enumerate(ring.final_fields(ring.nlgp_network)[:4]):
        point = aligned(found.main_points[int(found.best_points[j])], w)
        ax.plot(w / w.abs().max() + 2.4 * j, color=OKABE_ITO[0], lw=1.4,
                label="learned field" if j == 0 else None)
        ax.plot(point / point.abs().max() + 2.4 * j, "--", color=OKABE_ITO[3], lw=1.2,
                label="κ₄ eigenvector (best shift)" if j == 0 else None)
    ax.set(xlabel="input site i", yticks=[], ylim=(-1.3, 2.4 * 4.4),
           title=f"learned b₀ = +1 fields, NLGP g = {ring.gain:g}")
    ax.legend(fontsize=10, loc="upper center", ncols=2)
    ax = axes[0, 1]
    nlgp_rows = [r for r in found.fixed_rows if r["input"] == "NLGP"]
    ax.errorbar([r["gain"] for r in nlgp_rows], [r["ipr"] for r in nlgp_rows],
                yerr=[[r["ipr"] - r["ipr_min"] for r in nlgp_rows],
                      [r["ipr_max"] - r["ipr"] for r in nlgp_rows]],
                fmt="o-", color=OKABE_ITO[3], capsize=3, label="κ₄ eigenvectors, NLGP")
    ax.plot(ring.gains, [r["ipr_nlgp"] for r in ring.gain_rows], "s:", color=OKABE_ITO[0],
            label="learned b₀ = +1, NLGP")
    ax.plot([ring.gain], [found.clone["ipr"]], "D", color=OKABE_ITO[1],
            label="κ₄ eigenvectors, clone")
    _baseline(ax, baseline)
    ax.set(xscale="log", yscale="log", xlabel="gain g", ylabel="mean IPR",
           title="localisation of the eigenvectors")
    ax.legend(fontsize=10)
    ax = axes[1, 0]
    for inputs, with_kappa4, label, colour, style in (
            ("nlgp", True, "NLGP, with κ₄", OKABE_ITO[0], "-"),
            ("nlgp", False, "NLGP, without κ₄", OKABE_ITO[0], "--"),
            ("clone", True, "clone, with κ₄", OKABE_ITO[1], "-")):
        ax.plot(found.reduced_steps,
                found.reduced_curves[reduced_key(inputs, with_kappa4, found.radius)], style,
                color=colour, label=label)
    _baseline(ax, baseline)
    ax.set(yscale="log", xlabel="step of the reduced dynamics", ylabel="IPR (mean of starts)",
           title=f"one b = +1 neuron, ‖w‖ = {found.radius:g}")
    ax.legend(fontsize=10)
    ax = axes[1, 1]
    for with_kappa4, style in ((True, "o-"), (False, "s--")):
        ax.plot(found.radii, [found.reduced("nlgp", with_kappa4, r) for r in found.radii], style,
                color=OKABE_ITO[0], label=f"NLGP, {'with' if with_kappa4 else 'without'} κ₄")
    _baseline(ax, baseline)
    ax.set(xscale="log", yscale="log", xlabel="norm ‖w‖ of the reduced neuron",
           ylabel="final IPR", title="reduced dynamics against ‖w‖")
    ax.set_xticks(found.radii, [f"{r:g}" for r in found.radii])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.legend(fontsize=10)
    return _shown(fig)


def eigenvector_table(summary: ConvolutionsSummary) -> str:
    """Section 6's table of the eigenvectors of κ₄, one row per input type and gain."""
    return (
        "| inputs | gain g | IPR of the eigenvectors (mean [range]) | width 1/IPR (sites) | "
        "converged | excess kurtosis of $w\\cdot x$ | overlap with learned fields |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(
            f"| {r['input']} | {r['gain']:g} | {r['ipr']:.3f} [{r['ipr_min']:.3f}, "
            f"{r['ipr_max']:.3f}] | {1 / r['ipr']:.1f} | {100 * r['converged']:.0f}% | "
            f"{r['excess_kurtosis']:+.2f} | "
            + ("—" if r["overlap_learned"] is None else f"{r['overlap_learned']:.2f}") + " |"
            for r in summary.mechanism.fixed_rows))


def overlap_table(summary: ConvolutionsSummary) -> str:
    """Section 6's table: the learned b₀ = +1 fields (NLGP, main gain) against each candidate
    shape, by the mean best shift-invariant cosine (the eigenvector claim's criterion)."""
    return (
        "| shape | mean IPR | width 1/IPR (sites) | overlap with the learned fields | "
        "misfit 1 − overlap |\n|---|---|---|---|---|\n" + "\n".join(
            f"| {r['shape']} | {r['ipr']:.3f} | {1 / r['ipr']:.1f} | {r['overlap']:.3f} | "
            f"{r['misfit']:.3f} |" for r in summary.mechanism.overlap_rows))


def _field_frame(weights: torch.Tensor, starts_positive: torch.Tensor, limit: float,
                 title: str) -> bytes:
    """One explorer picture: the K fields of one network, the two populations in two rows."""
    fig, axes = plt.subplots(2, 1, figsize=(6.4, 3.2), sharex=True)
    for ax, mask, population in ((axes[0], starts_positive, POPULATIONS[0]),
                                 (axes[1], ~starts_positive, POPULATIONS[1])):
        for j, w in enumerate(weights[mask]):
            ax.plot(w, color=OKABE_ITO[j % 4], lw=1)
        ax.set(ylabel=f"{population}\nweight", ylim=(-limit, limit))
    axes[1].set_xlabel("input site i")
    axes[0].set_title(title, fontsize=10)
    return figure_png(fig)


def field_explorer(summary: ConvolutionsSummary, n_frames: int = 8):
    """The ring's receptive fields over training time: buttons pick the inputs (NLGP at the
    main gain, the clone at the main gain, and the NLGP at 3 and 1 where the sweep has them), a
    slider the time; ``n_frames`` log-spaced snapshots after t = 0, on one vertical scale."""
    ring = summary.ring
    frames = np.unique(np.linspace(1, len(ring.times) - 1, n_frames).round().astype(int))
    # one vertical scale for every picture of the explorer, so growth over training is visible
    limit = 1.05 * float(ring.weights[frames].abs().max())
    main, *others = [g for g in dict.fromkeys((ring.gain, 3.0, 1.0)) if g in ring.gains]
    networks = {f"NLGP g = {main:g}": ring.nlgp_network,
                f"clone g = {ring.gain:g}": ring.clone_network}
    networks |= {f"NLGP g = {g:g}": ring.gains.index(g) for g in others}
    groups = {label: [_field_frame(ring.weights[i, net], ring.starts_positive, limit,
                                   f"{label}, t = {ring.times[i]:.0f}, "
                                   f"IPR(+1) = {float(ring.population_ipr[i, net, 0]):.3f}")
                      for i in frames]
              for label, net in networks.items()}
    return snapshot_explorer(groups, [f"t = {ring.times[i]:.0f}" for i in frames],
                             group_description="inputs", frame_description="training time")
