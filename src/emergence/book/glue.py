"""Numbers for the chapters' prose: ``glue(name, value)`` in code, ``{glue:text}`name``` in
Markdown cells.

The book's build (myst-nb) reads glued values from the executed notebook's outputs: a display
output whose metadata carries ``{"scrapbook": {"name": name, "mime_prefix": PREFIX}}`` and whose
MIME types are prefixed, so that nothing shows in the notebook itself. This is myst-nb's own
format (``myst_nb.glue``), written here so that a chapter also runs where myst-nb is not
installed (Colab, Binder with the package alone): there the Markdown shows the glue role itself.
"""

from __future__ import annotations

from typing import Any

from IPython.core.formatters import format_display_data
from IPython.display import display

GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value: Any) -> None:
    """Store ``value``'s display form under ``name`` for ``{glue:text}`name``` roles (nothing is
    shown in the notebook)."""
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + mime: data for mime, data in bundle.items()}, raw=True,
            metadata=metadata)


def glue_values(prefix: str = "", **values: Any) -> None:
    """:func:`glue` each value as ``prefix + name``; NumPy scalars become Python numbers, whose
    text the ``{glue:text}`` roles can format (``np.float64(0.5)`` they cannot)."""
    for name, value in values.items():
        if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
            value = value.item()
        glue(prefix + name, value)
