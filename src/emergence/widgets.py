"""Explorers of learned weights that work in three places: a live kernel, the executed notebook,
and the static HTML book with no kernel.

The trick for the static book: every view is rendered in advance as a PNG ``Image`` widget and
placed in a ``Stack``; the controls are linked to ``Stack.selected_index`` with ``jslink``, a link
that runs in the browser's widget manager. The saved widget state then carries everything the
page needs, so moving a slider in the HTML book changes the picture without Python.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt


def figure_png(fig, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (closed afterwards, so it is not displayed a second time). At
    least 100 dpi, so that an explorer's text stays sharp at the page's width."""
    if dpi < 100:
        raise ValueError(f"dpi={dpi!r} is too coarse for an explorer frame; use at least 100.")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def figure_frames(fig, update: Callable[[int], None], n_frames: int, dpi: int = 100,
                  pad_inches: float = 0.15) -> list[bytes]:
    """PNG frames of one figure whose artists ``update(k)`` sets for frame ``k`` (image data,
    texts, lines): far faster than a new figure per frame. The figure is laid out once, on the
    first frame, and every frame is cut to that frame's bounding box (plus ``pad_inches``), so
    all frames have one size and one placement; the figure is closed afterwards. At least
    100 dpi, as :func:`figure_png`."""
    if dpi < 100:
        raise ValueError(f"dpi={dpi!r} is too coarse for an explorer frame; use at least 100.")
    frames, bbox = [], None
    for k in range(n_frames):
        update(k)
        if bbox is None:
            fig.canvas.draw()  # the layout engine places the axes once, here
            bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad_inches)
            fig.set_layout_engine("none")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches=bbox)
        frames.append(buffer.getvalue())
    plt.close(fig)
    return frames


def _stack(frames: Sequence[bytes]) -> widgets.Stack:
    if not frames:
        raise ValueError("an explorer needs at least one frame per group.")
    images = [widgets.Image(value=png, format="png", layout=widgets.Layout(max_width="100%"))
              for png in frames]
    return widgets.Stack(images, selected_index=0)


def snapshot_explorer(groups: Mapping[str, Sequence[bytes]], frame_labels: Sequence[str], *,
                      group_description: str = "", frame_description: str = "") -> widgets.VBox:
    """A picture per (group, frame): buttons pick the group, a slider picks the frame.

    ``groups`` maps a group label (e.g. a gain) to PNG frames (e.g. training times), one per
    entry of ``frame_labels``. All controls are linked in the browser (see module docstring).
    """
    if not groups:
        raise ValueError("groups is empty; give at least one group of frames.")
    for label, frames in groups.items():
        if len(frames) != len(frame_labels):
            raise ValueError(f"group {label!r} has {len(frames)} frames but there are "
                             f"{len(frame_labels)} frame labels.")
    slider = widgets.SelectionSlider(options=list(frame_labels), value=frame_labels[-1],
                                     description=frame_description, continuous_update=True,
                                     layout=widgets.Layout(width="90%"),
                                     style={"description_width": "initial"})
    stacks = [_stack(frames) for frames in groups.values()]
    links = []
    for stack in stacks:
        stack.selected_index = slider.index
        links.append(widgets.jslink((slider, "index"), (stack, "selected_index")))
    chooser = widgets.ToggleButtons(options=list(groups), description=group_description,
                                    style={"description_width": "initial"})
    outer = widgets.Stack(stacks, selected_index=0)
    links.append(widgets.jslink((chooser, "index"), (outer, "selected_index")))
    controls = [chooser, slider] if len(groups) > 1 else [slider]
    explorer = widgets.VBox([*controls, outer])
    explorer.links = tuple(links)  # the browser-side links, kept for inspection and tests
    return explorer
