"""Progress bars: a live widget for a reader who runs a chapter in Jupyter, Colab or Binder; the
terminal while the book is built, so that no bar is saved into the pages.

The build (:mod:`emergence.book.pipeline`) sets ``EMERGENCE_PROGRESS=terminal`` for the kernels it
starts and turns off the kernel's capture of its own standard error, so a bar written there
reaches the terminal that runs ``make book`` and not the executed notebook.
"""

from __future__ import annotations

import os
import sys

from tqdm.auto import tqdm as notebook_or_terminal_bar
from tqdm.std import tqdm as terminal_bar

#: Set to ``terminal`` to draw every bar on the process's real standard error.
MODE_VARIABLE = "EMERGENCE_PROGRESS"


def progress_bar(**kwargs):
    """A tqdm bar (``kwargs`` as for ``tqdm``): on the terminal when ``EMERGENCE_PROGRESS`` is
    ``terminal``, otherwise tqdm's choice (a widget in a notebook)."""
    if os.environ.get(MODE_VARIABLE) == "terminal":
        return terminal_bar(file=sys.__stderr__, **kwargs)
    return notebook_or_terminal_bar(**kwargs)
