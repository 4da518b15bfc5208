"""Shared figure conventions: a colour-blind-safe palette and maps, and sizes that stay legible
at the book's page width.

A figure ``W`` inches wide is drawn ``100·W`` pixels wide and shown at most ``PAGE_WIDTH_PX``
wide, so text of ``s`` points appears ``s · (100/72) · min(1, PAGE_WIDTH_PX / (100·W))`` pixels
tall. With no text below ``MIN_FONT_PT`` and no figure wider than ``MAX_FIGURE_WIDTH_IN``, every
label reads at least ``MIN_TEXT_PX`` on the page (the browser test checks the displayed width
against the natural width of every picture).
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection

#: Okabe & Ito (2008) colour-blind-safe qualitative palette.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000"]
#: Signed weights: a diverging map that stays readable for the common colour-vision deficiencies.
SIGNED_CMAP = "RdBu_r"
#: Unsigned quantities.
SEQUENTIAL_CMAP = "cividis"

#: Resolution of every figure and explorer frame (dots per inch).
DPI = 100
#: Width of the book's text column at a 1280-px-wide window (pixels), where figures are shown.
PAGE_WIDTH_PX = 688
#: The smallest text a reader should have to read on the page (pixels).
MIN_TEXT_PX = 9
#: The smallest font in any figure of the book (points).
MIN_FONT_PT = 10
#: The widest figure that keeps MIN_FONT_PT text at MIN_TEXT_PX on the page (inches), less the
#: margin (about 0.3 in) that the inline backend's tight bounding box adds to a figure.
MAX_FIGURE_WIDTH_IN = MIN_FONT_PT * PAGE_WIDTH_PX / (72 * MIN_TEXT_PX) - 0.5
#: Below this ratio of displayed to natural width, MIN_FONT_PT text drops under MIN_TEXT_PX.
MIN_DISPLAY_RATIO = MIN_TEXT_PX * 72 / (MIN_FONT_PT * DPI)


def use_book_style() -> None:
    """Apply the book's Matplotlib defaults (palette, sizes, no top/right spines)."""
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "font.size": 11,
        "axes.titlesize": 11,
        "axes.labelsize": 11,
        "xtick.labelsize": MIN_FONT_PT,
        "ytick.labelsize": MIN_FONT_PT,
        "legend.fontsize": MIN_FONT_PT,
        "figure.titlesize": 12,
        "figure.constrained_layout.use": True,
        "image.cmap": SEQUENTIAL_CMAP,
    })


def bar_segments(x, y, angle, weight, scale: float, length: float = 1.6):
    """Oriented bars for a field of orientations (an association field): a segment of
    ``length`` centred at each ``(x, y)`` along ``angle``, with a line width ``0.5 + 3 w``,
    ``w = weight / scale``; bars with ``w ≤ 0.05`` are left out. Returns (segments, widths)."""
    x, y, angle = (np.asarray(v, dtype=float) for v in (x, y, angle))
    w = np.asarray(weight, dtype=float) / scale if scale > 0 else np.asarray(weight, dtype=float)
    shown = w > 0.05
    dx, dy = np.cos(angle[shown]) * length / 2, np.sin(angle[shown]) * length / 2
    x, y = x[shown], y[shown]
    starts, ends = np.stack([x - dx, y - dy], 1), np.stack([x + dx, y + dy], 1)
    return np.stack([starts, ends], 1), 0.5 + 3 * w[shown]


def draw_bars(ax, field, colour, radius: float, scale: float | None = None) -> LineCollection:
    """Draw ``field = (x, y, angle, weight)`` as :func:`bar_segments` (``scale``: the weight of
    the widest bar, by default the field's largest) on ``ax``, ``±radius`` pixels, y downwards
    as in an image."""
    segments, widths = bar_segments(*field, field[3].max() if scale is None else scale)
    bars = ax.add_collection(LineCollection(segments, linewidths=widths, colors=colour))
    ax.set(aspect="equal", xlim=(-radius, radius), ylim=(radius, -radius), xlabel="Δx (px)",
           ylabel="Δy (px)")
    return bars


def legend_below(ax, offset_pt: float = 34, ncols: int = 1, **kwargs):
    """The axes' legend under its x label (``offset_pt`` points below the axes), outside the
    data: a legend inside a plot can hide bars, points or heat-map cells whatever the data."""
    from matplotlib.transforms import ScaledTranslation

    shift = ScaledTranslation(0, -offset_pt / 72, ax.figure.dpi_scale_trans)
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0),
                     bbox_transform=ax.transAxes + shift, ncols=ncols, frameon=False,
                     **({"fontsize": MIN_FONT_PT} | kwargs))


def legend_right(ax, **kwargs):
    """The axes' legend to the right of the axes, outside the data (a figure of one axes)."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False,
                     **({"fontsize": MIN_FONT_PT} | kwargs))
