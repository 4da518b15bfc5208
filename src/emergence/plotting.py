"""Shared figure conventions: a colour-blind-safe palette and maps, readable defaults."""

from __future__ import annotations

import matplotlib as mpl

#: Okabe & Ito (2008) colour-blind-safe qualitative palette.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000"]
#: Signed weights: a diverging map that stays readable for the common colour-vision deficiencies.
SIGNED_CMAP = "RdBu_r"
#: Unsigned quantities.
SEQUENTIAL_CMAP = "cividis"


def use_book_style() -> None:
    """Apply the book's Matplotlib defaults (palette, sizes, no top/right spines)."""
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": 10,
        "axes.titlesize": 10,
        "figure.constrained_layout.use": True,
        "image.cmap": SEQUENTIAL_CMAP,
    })
