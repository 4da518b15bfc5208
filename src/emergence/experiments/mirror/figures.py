"""Chapter 3's figures, tables and explorer, each drawn from a
:class:`~emergence.experiments.mirror.summary.MirrorSummary`.

Every figure function returns a Matplotlib :class:`~matplotlib.figure.Figure` (released by
pyplot, so a page shows it once, where it returns or displays it); every table function
returns a Markdown table (a page displays it as ``Markdown``); :func:`explorer` returns the
widget of §8, which also works in the static book. This file draws only: it is left out of the
cache key of the runs.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from emergence.analysis.mirror import TRANSFORMS
from emergence.claims import MARKS, Claim
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror.config import (
    ALL_LAYERS,
    CONV,
    FAMILY_LABELS,
    FC,
    FC_HIGH,
    LAST,
    NO_PLANE,
    SYMMETRIC,
)
from emergence.experiments.mirror.measures import receptive_field
from emergence.experiments.mirror.summary import COMPARISONS, MirrorSummary
from emergence.experiments.mirror.tables import family_members
from emergence.plotting import OKABE_ITO, SEQUENTIAL_CMAP, legend_below, legend_right
from emergence.widgets import figure_frames, snapshot_explorer


def new_figure(**options) -> Figure:
    """An empty figure (``options`` as for :func:`matplotlib.pyplot.figure`) that the notebook
    shows where the page returns or displays it: made through pyplot, so that the notebook's
    backend draws it, then released by pyplot, so that it is not shown a second time when the
    cell ends."""
    fig = plt.figure(**options)
    plt.close(fig)
    return fig


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown (MyST) table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def short_label(family: str) -> str:
    """``one plane`` for ``one plane (new categories)``."""
    return FAMILY_LABELS[family].split(" (")[0]


# ------------------------------------------------------------------------ §1, §2: stimuli, training

def stimuli_views(summary: MirrorSummary) -> Figure:
    """One rendered object of each family at the nine analysis views, yaw −90° … +90°."""
    members = family_members(summary.family_of)
    fig = new_figure(figsize=(9, 5.6))
    axes = fig.subplots(len(FAMILIES), summary.n_views)
    for row, family in enumerate(FAMILIES):
        for col in range(summary.n_views):
            ax = axes[row, col]
            ax.imshow(summary.images[members[family][0], col].numpy(), cmap="gray", vmin=0,
                      vmax=1)
            ax.set(xticks=[], yticks=[])
            if row == len(FAMILIES) - 1:
                ax.set_xlabel(f"{summary.yaws[col]:+.1f}°")
            if col == 0:
                ax.set_ylabel(short_label(family))
    fig.suptitle("One object of each family at the nine analysis views (yaw, degrees)")
    return fig


RECIPE_LABELS = {"trained": "the authors' recipe (SGD)", "strong": "strong decay (AdamW)"}


def training(summary: MirrorSummary) -> Figure:
    """The training loss of each recipe (a running mean over a thirtieth of the steps) and the
    run's example training images (random views)."""
    fig = new_figure(figsize=(10, 2.8))
    axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 2]})
    for c, (net, loss) in enumerate(summary.losses.items()):
        loss = loss.numpy()
        window = max(1, len(loss) // 30)
        axes[0].plot(np.arange(window - 1, len(loss)), np.convolve(loss, np.ones(window) / window,
                     "valid"), color=OKABE_ITO[c * 4], label=RECIPE_LABELS[net])
    axes[0].set(xlabel="training step", ylabel="cross-entropy", title="training loss")
    legend_below(axes[0], ncols=1)  # outside the curves
    axes[1].imshow(torch.cat(list(summary.examples[:, 0]), 1).numpy(), cmap="gray", vmin=0,
                   vmax=1)
    categories = sorted({int(c) for c in summary.example_labels})
    axes[1].set(xticks=[], yticks=[], title="training images (random views), categories "
                + ", ".join(map(str, categories)))
    return fig


def batch_table(records: list[dict]) -> str:
    """The batch departure (:func:`~emergence.experiments.mirror.tables.load_record`): per
    seed and batch, the steps, test accuracy and the index at fc1 and fc2."""
    return markdown_table(
        ["seed", "batch", "steps", "test accuracy",
         *(f"{layer}, {short_label(f)}" for f in SYMMETRIC for layer in FC)],
        [[str(r["seed"]), str(r["batch"]), str(r["steps"]), f"{r['test_accuracy']:.2f}",
          *(f"{r[f'{layer}_{f}']:+.2f}" for f in SYMMETRIC for layer in FC)] for r in records])


def index_over_training(records: list[dict], page_epochs: int) -> Figure:
    """The recorded index at fc1 and fc2 over training epochs (one line per seed), one-plane
    objects and head, with the page's number of epochs marked."""
    fig = new_figure(figsize=(10, 3.4))
    axes = fig.subplots(1, 2, sharey=True)
    seeds = sorted({r["seed"] for r in records})
    for ax, family in zip(axes, SYMMETRIC, strict=True):
        for c, layer in enumerate(FC):
            for k, seed in enumerate(seeds):
                lines = [r for r in records if r["seed"] == seed]
                ax.plot([r["epoch"] for r in lines], [r[f"{layer}_{family}"] for r in lines],
                        "o-" if c else "s--", ms=3, color=OKABE_ITO[c * 4 + 1],
                        alpha=0.8, label=f"{layer}" if k == 0 else None)
        ax.axvline(page_epochs, color="grey", ls=":", lw=1)
        ax.axhline(0, color="grey", lw=0.8)
        ax.axhline(FC_HIGH, color="grey", lw=0.8, ls="--")
        ax.set(title=FAMILY_LABELS[family], xlabel="epoch (dotted: this page's)", ylim=(-1, 1))
    axes[0].set_ylabel("MSVT index (one line per seed)")
    legend_right(axes[1])
    return fig


# ---------------------------------------------------------------------- §3, §4: MSVT per layer

def msvt_per_layer(summary: MirrorSummary) -> Figure:
    """The MSVT index of each layer per family (mean ± SEM), trained and untrained."""
    fig = new_figure(figsize=(10, 4.2))
    axes = fig.subplots(1, 2, sharey=True)
    x = np.arange(len(ALL_LAYERS))
    for ax, net in zip(axes, ("trained", "untrained"), strict=True):
        for i, f in enumerate(FAMILIES):
            rows = [summary.msvt.row(net, layer, f) for layer in ALL_LAYERS]
            ax.errorbar(x + 0.06 * (i - 2), [r["mean"] for r in rows],
                        yerr=[r["sem"] for r in rows], marker="o", ms=4, capsize=2,
                        color=OKABE_ITO[i], label=FAMILY_LABELS[f])
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(x, ALL_LAYERS, rotation=30)
        ax.set(title=f"{net} network", xlabel="layer", ylim=(-1, 1))
    axes[0].set_ylabel("MSVT index (mean ± SEM over exemplars)")
    axes[1].legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


def test_mark(result: dict) -> str:
    """↑ for a significant rise by the authors' test, ↓ for a significant fall, else nothing."""
    if not result["significant"]:
        return ""
    return " ↑" if result["greater"] else " ↓"


def msvt_table(summary: MirrorSummary) -> str:
    """Per layer and family: trained / untrained mean index, marked by the authors' test."""
    tests = summary.authors_test["trained"]
    return markdown_table(
        ["layer", *(FAMILY_LABELS[f] for f in FAMILIES)],
        [[layer, *(f"{summary.msvt.mean('trained', layer, f):+.2f} / "
                   f"{summary.msvt.mean('untrained', layer, f):+.2f}"
                   + (test_mark(tests[layer, f]) if (layer, f) in tests else "")
                   for f in FAMILIES)] for layer in ALL_LAYERS])


def recipe_table(authors: list[Claim], strong: list[Claim]) -> str:
    """The claims about the network of §2 by each recipe: the headline number and the verdict
    mark (✓ the criterion holds and no control meets it)."""
    def cell(claim):
        value = "—" if claim.value is None else f"{claim.value:+.2f}"
        return f"{MARKS[claim.verdict]} {value}"
    return markdown_table(
        ["claim", "the authors' recipe", "strong decay (departure)"],
        [[a.claim, cell(a), cell(b)] for a, b in zip(authors, strong, strict=True)])


def head_per_layer(summary: MirrorSummary) -> Figure:
    """The held-out head's index per layer, trained and untrained."""
    fig = new_figure(figsize=(6.5, 3))
    ax = fig.subplots()
    x = np.arange(len(ALL_LAYERS))
    for net, style, colour in (("trained", "o-", OKABE_ITO[1]),
                               ("untrained", "s--", OKABE_ITO[7])):
        ax.plot(x, [summary.msvt.mean(net, layer, "head") for layer in ALL_LAYERS], style,
                color=colour, label=net)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(x, ALL_LAYERS, rotation=30)
    ax.set(xlabel="layer", ylabel="MSVT index (head)", ylim=(-1, 1),
           title="the held-out head category")
    legend_right(ax)  # outside the curves, whatever their values
    return fig


# ------------------------------------------------------------------------- §5: equivariance

def equivariance_bars(summary: MirrorSummary) -> Figure:
    """Median equivariance of each conv layer to hflip, vflip and rot90, trained (filled) and
    untrained (hatched)."""
    fig = new_figure(figsize=(9, 3.4))
    ax = fig.subplots()
    where = np.arange(len(CONV))
    for i, name in enumerate(TRANSFORMS):
        for net, style in (("trained", dict(color=OKABE_ITO[i])),
                           ("untrained", dict(color="none", edgecolor=OKABE_ITO[i],
                                              hatch="//"))):
            ax.bar(where + (i - 1) * 0.25 + (-0.06 if net == "trained" else 0.06),
                   [summary.equivariance[net][name][layer]["median"] for layer in CONV], 0.125,
                   **style, label=f"{name}, {net}")
    ax.set_xticks(where, CONV)
    ax.set(title="equivariance of the conv maps (median over images)", xlabel="layer",
           ylabel="ρ(f(x), T⁻¹f(Tx))", ylim=(0, 1))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


def margins_and_filters(summary: MirrorSummary) -> Figure:
    """Left: the hflip margin of each recipe's network and of the networks trained without
    symmetric categories against the random networks and their mean + 2 SD; right: per layer
    the left–right minus the top–bottom rise of filter symmetry with its bootstrap interval."""
    fig = new_figure(figsize=(9, 3.8))
    axes = fig.subplots(1, 2)
    where = np.arange(len(CONV))
    for j, layer in enumerate(CONV):
        values = summary.random_margins[layer]["margins"]
        axes[0].scatter(j + 0.08 * np.linspace(-1, 1, len(values)), values, s=10,
                        color=OKABE_ITO[7], alpha=0.6,
                        label="random networks" if j == 0 else None)
        axes[0].plot([j - 0.3, j + 0.3], [summary.random_margins[layer]["bound"]] * 2,
                     color=OKABE_ITO[7], lw=1, ls="--",
                     label="random mean + 2 SD" if j == 0 else None)
    shown = [("trained", "o", OKABE_ITO[0], RECIPE_LABELS["trained"]),
             ("strong", "D", OKABE_ITO[4], RECIPE_LABELS["strong"])]
    shown += [(name, "x", OKABE_ITO[5], "no symmetric categories" if k == 0 else None)
              for k, name in enumerate(summary.no_symmetry)]
    for net, marker, colour, label in shown:
        axes[0].plot(where, [summary.margins[net][layer]["median"] for layer in CONV], marker,
                     color=colour, ms=6, label=label)
        if net in summary.filter_rise:
            rises = [summary.filter_rise[net][layer] for layer in CONV]
            centre = np.array([r["difference"] for r in rises])
            spread = np.array([[r["difference"] - r["low"] for r in rises],
                               [r["high"] - r["difference"] for r in rises]])
            offset = {"trained": -0.15, "strong": 0.0}.get(net, 0.15)
            axes[1].errorbar(where + offset, centre, yerr=spread, fmt=marker, capsize=2,
                             color=colour, label=label)
    axes[0].set(title="hflip margin", ylabel="hflip − max(vflip, rot90)")
    axes[1].set(title="filters: left–right − top–bottom rise",
                ylabel="difference of rises (95 % interval)")
    for ax in axes:
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(where, CONV)
        ax.set_xlabel("layer")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3,
               frameon=False)  # one legend for both panels, below them
    return fig


def equivariance_table(summary: MirrorSummary) -> str:
    """Per conv layer: the medians per transform, trained and untrained, the margins of every
    network beside the random networks', and where each exceeds their bound."""
    random_networks = summary.random_margins

    def medians(net, layer):
        return " / ".join(f"{summary.equivariance[net][name][layer]['median']:.2f}"
                          for name in TRANSFORMS)

    def margin(net, layer):
        value = summary.margins[net][layer]["median"]
        return f"{value:+.2f}" + (" ✓" if layer in summary.beyond_random[net] else "")

    no_symmetry = summary.no_symmetry
    return markdown_table(
        ["layer", "trained: hflip / vflip / rot90", "untrained", "margin: authors' recipe",
         "strong decay", "untrained", "no symmetric categories",
         f"{summary.cfg.n_random} random networks: mean ± SD"],
        [[layer, medians("trained", layer), medians("untrained", layer),
          margin("trained", layer), margin("strong", layer), margin("untrained", layer),
          ", ".join(margin(name, layer) for name in no_symmetry),
          f"{random_networks[layer]['mean']:+.2f} ± {random_networks[layer]['sd']:.2f} "
          f"({random_networks[layer]['positive']} of {random_networks[layer]['n']} > 0)"]
         for layer in CONV])


def filter_table(summary: MirrorSummary) -> str:
    """Per conv layer and network: the left–right and top–bottom rise of filter symmetry over
    the network's own start and the interval of their difference (✓: above 0)."""
    networks = [("trained", "authors' recipe"), ("strong", "strong decay")]
    networks += [(name, f"no symmetric categories {k + 1}")
                 for k, name in enumerate(summary.no_symmetry)]

    def cell(rise):
        return (f"{rise['rise_lr']:+.3f} / {rise['rise_tb']:+.3f} "
                f"[{rise['low']:+.3f}, {rise['high']:+.3f}]" + (" ✓" if rise["holds"] else ""))
    return markdown_table(["layer", *(label for _, label in networks)],
                          [[layer, *(cell(summary.filter_rise[net][layer]) for net, _ in networks)]
                           for layer in CONV])


# ------------------------------------------------------------------------------ §6: pooling

POOLED_LAYERS = (("pool2", "pooling"), ("conv4", "pooling_conv4"))


def pooling(summary: MirrorSummary) -> Figure:
    """The index of pool2 (solid) and conv4 (thin) pooled over windows of growing size
    (receptive field in pixels), one-plane objects and head, trained and untrained; dotted: the
    families without a plane, pool2, trained."""
    fig = new_figure(figsize=(10, 3.8))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, family in zip(axes, SYMMETRIC, strict=True):
        for layer, field in POOLED_LAYERS:
            table = getattr(summary, field)
            windows = sorted({r["window"] for r in table.rows})
            pixels = [receptive_field(k, layer) for k in windows]
            for c, (net, style) in enumerate((("trained", "o-"), ("untrained", "s--"))):
                rows = [table.row(net, k, family) for k in windows]
                ax.errorbar(pixels, [r["mean"] for r in rows], yerr=[r["sem"] for r in rows],
                            fmt=style, ms=4 if layer == "pool2" else 2, capsize=2,
                            lw=1.5 if layer == "pool2" else 0.7, color=OKABE_ITO[c * 6 + 1],
                            label=f"{layer}, {net}")
        windows = sorted({r["window"] for r in summary.pooling.rows})
        for c, control in enumerate(NO_PLANE):
            ax.plot([receptive_field(k) for k in windows],
                    [summary.pooling.mean("trained", k, control) for k in windows], ":",
                    color=OKABE_ITO[2 + c], label=f"{short_label(control)}, pool2, trained")
        ax.axhline(0, color="grey", lw=0.8)
        ax.axhline(FC_HIGH, color="grey", lw=0.8, ls="--")
        ax.set(title=FAMILY_LABELS[family], xlabel="receptive field of a pooled unit (pixels)",
               ylim=(-1, 1))
    axes[0].set_ylabel("MSVT index, pooled")
    legend_below(axes[1], ncols=2)  # outside the curves, whatever their values
    return fig


def pooling_table(summary: MirrorSummary) -> str:
    """Global average pooling of pool2 (the analogue of the authors' pool5) and of conv4 against
    one position, beside fc1, per network and family."""
    rows = [(net, f) for net in ("trained", "strong", "untrained") for f in SYMMETRIC]
    rows += [("trained", f) for f in NO_PLANE]
    return markdown_table(
        ["network", "objects", "pool2: 1 position", "pool2: whole map", "conv4: whole map",
         "fc1"],
        [[RECIPE_LABELS.get(net, net), short_label(f), f"{summary.one_position(net, f):+.2f}",
          f"{summary.full_pool(net, f):+.2f}", f"{summary.index(net, f, 'gap_conv4'):+.2f}",
          f"{summary.index(net, f, 'fc1'):+.2f}"] for net, f in rows])


# ------------------------------------------------------------------------- §7: manipulation

def manipulation(summary: MirrorSummary) -> Figure:
    """The index at the last hidden layer per family for each arm of the manipulation: each
    replicate network (dots) and their mean (bar)."""
    fig = new_figure(figsize=(10, 4.2))
    ax = fig.subplots()
    arms = list(summary.manipulation)
    width = 0.8 / len(arms)
    for c, arm in enumerate(arms):
        where = np.arange(len(FAMILIES)) + (c - (len(arms) - 1) / 2) * width
        ax.bar(where, [summary.arm_mean(arm, f) for f in FAMILIES], width * 0.9,
               color=OKABE_ITO[c], alpha=0.6, label=summary.names[arm])
        for j, f in enumerate(FAMILIES):
            values = summary.arm_indices(arm, f)
            ax.plot([where[j]] * len(values), values, "o", ms=3, color=OKABE_ITO[c])
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(np.arange(len(FAMILIES)), [FAMILY_LABELS[f].replace(" (", "\n(")
                                             for f in FAMILIES])
    ax.set(ylabel=f"MSVT index at {LAST}", ylim=(-1, 1), title="what the training set does")
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return fig


def manipulation_table(summary: MirrorSummary) -> str:
    """Per arm of §7: the index at fc1 and fc2 of one-plane objects and head (mean ± SD over
    the replicate networks), test accuracy and classes."""
    def spread(values):
        return f"{np.mean(values):+.2f} ± {np.std(values, ddof=1):.2f}"
    return markdown_table(
        ["training set", *(f"{layer}, {short_label(f)}" for layer in FC for f in SYMMETRIC),
         "test accuracy", "classes", "images"],
        [[summary.names[arm], *(spread(summary.arm_indices(arm, f, layer))
                                for layer in FC for f in SYMMETRIC),
          ", ".join(f"{r['test_accuracy']:.2f}" for r in records),
          str(records[0]["n_classes"]), str(records[0]["n_images"])]
         for arm, records in summary.manipulation.items()])


def comparisons_table(summary: MirrorSummary) -> str:
    """Each comparison of two arms at fc1 and fc2, one-plane objects and head: the difference of
    the replicate means and two standard errors (✓: beyond them)."""
    def cell(c):
        return f"{c['difference']:+.2f} ({2 * c['se']:.2f})" + (" ✓" if c["holds"] else "")
    return markdown_table(
        ["comparison", *(f"{short_label(f)}, {layer}" for f in SYMMETRIC for layer in FC)],
        [[f"{summary.names[second]} − {summary.names[first]}",
          *(cell(summary.comparisons[name][f][layer]) for f in SYMMETRIC for layer in FC)]
         for name, (first, second) in COMPARISONS.items()])


# ---------------------------------------------------------------------------- §8: explorer

def explorer_figure(yaws: torch.Tensor):
    """The explorer's figure: the views (top), D and D with its columns reversed (bottom), one
    colour scale; returns the figure and the artists each frame updates (the strip of views,
    the two matrices, the heading)."""
    n_views = len(yaws)
    fig = plt.figure(figsize=(6.6, 4.6))
    grid = fig.add_gridspec(2, 3, height_ratios=[0.8, 2.6], width_ratios=[1, 1, 0.06])
    strip_ax = fig.add_subplot(grid[0, :])
    strip = strip_ax.imshow(np.zeros((32, 32 * n_views)), cmap="gray", vmin=0, vmax=1)
    strip_ax.set_xticks(32 * np.arange(n_views) + 15.5,
                        [f"{y:+.0f}°".replace("-", "−") for y in yaws.tolist()])
    strip_ax.set(yticks=[], xlabel="yaw of the view")
    ticks, labels = [0, n_views // 2, n_views - 1], ["−90°", "0°", "+90°"]
    matrices = []
    for j, title in enumerate(("D = 1 − ρ between views", "D, columns reversed")):
        ax = fig.add_subplot(grid[1, j])
        matrices.append(ax.imshow(np.zeros((n_views, n_views)), cmap=SEQUENTIAL_CMAP, vmin=0,
                                  vmax=2))
        ax.set_xticks(ticks, labels)
        ax.set_yticks(ticks, labels if j == 0 else [])
        ax.set(title=title, xlabel="yaw")
    matrices[0].axes.set_ylabel("yaw")
    fig.colorbar(matrices[1], cax=fig.add_subplot(grid[1, 2]), label="dissimilarity 1 − ρ")
    return fig, strip, matrices, fig.suptitle("")


def explorer(summary: MirrorSummary):
    """The explorer of §8: per layer (buttons) and test object (slider), the object's views,
    its view × view dissimilarity matrix D and D with its columns reversed, and its index;
    pre-rendered frames linked in the browser (:func:`emergence.widgets.snapshot_explorer`)."""
    chosen, groups = summary.explorer_objects, summary.explorer_groups
    fig, strip, matrices, heading = explorer_figure(summary.yaws)

    def show(k):
        """Frame k: group k // objects, object k % objects."""
        group = groups[k // len(chosen)]
        obj = chosen[k % len(chosen)]
        d = group["dissimilarities"][obj]
        strip.set_data(torch.cat(list(summary.images[obj]), 1).numpy())
        matrices[0].set_data(d)
        matrices[1].set_data(d[:, ::-1])
        heading.set_text(f"{FAMILY_LABELS[FAMILIES[int(summary.family_of[obj])]]} · "
                         f"{group['label']} · MSVT index {float(group['index'][obj]):+.2f}")

    frames = figure_frames(fig, show, len(groups) * len(chosen),
                           changing=[strip, *matrices, heading])
    return snapshot_explorer(
        {group["label"]: frames[g * len(chosen):(g + 1) * len(chosen)]
         for g, group in enumerate(groups)},
        [f"{short_label(FAMILIES[int(summary.family_of[o])])} #{k}" for k, o in enumerate(chosen)],
        group_description="layer", frame_description="object", start=0,
        start_group=opening_group([group["label"] for group in groups]),
        alt="an object's views and its view × view dissimilarity matrix D, as is and with its "
            "columns reversed")


def opening_group(labels: list[str]) -> int:
    """The layer the explorer opens on: the trained network's last hidden layer, where the
    paper's effect is read (else the last layer shown)."""
    return labels.index(LAST) if LAST in labels else len(labels) - 1
