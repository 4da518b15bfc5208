"""Explorers of learned weights that work in three places: a live kernel, the executed notebook,
and the static HTML book with no kernel.

The trick for the static book: every view is rendered in advance as a PNG ``Image`` widget and
placed in a ``Stack``; the controls are linked to ``Stack.selected_index`` with ``jslink``, a link
that runs in the browser's widget manager. The saved widget state then carries everything the
page needs, so moving a slider in the HTML book changes the picture without Python.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.transforms import Bbox
from PIL import Image


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
                  pad_inches: float = 0.15, changing: Sequence = ()) -> list[bytes]:
    """PNG frames of one figure whose artists ``update(k)`` sets for frame ``k`` (image data,
    texts, lines): far faster than a new figure per frame. The figure is laid out once, on the
    first frame, and every frame is cut to that frame's bounding box (plus ``pad_inches``), so
    all frames have one size and one placement; the figure is closed afterwards. At least
    100 dpi, as :func:`figure_png`.

    ``changing``: the artists that ``update`` changes, if the caller names them all. The rest of
    the figure (axes, ticks, labels, colour bars) is then drawn once, and each frame draws only
    these artists over it, and the spines of their axes again on top: the same pixels, about
    2.5 times faster for a figure with much text (60–86 against 134–213 ms per frame).
    """
    if dpi < 100:
        raise ValueError(f"dpi={dpi!r} is too coarse for an explorer frame; use at least 100.")
    update(0)
    fig.canvas.draw()  # the layout engine places the axes once, here
    tight = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad_inches)
    bbox = Bbox(np.array([np.floor(tight.min * dpi), np.ceil(tight.max * dpi)]) / dpi)  # whole px
    fig.set_layout_engine("none")
    frames = (_blitted_frames(fig, update, n_frames, dpi, bbox, changing) if changing else
              [_png(fig, dpi, bbox) for _ in _updated(update, n_frames)])
    plt.close(fig)
    return frames


def _updated(update: Callable[[int], None], n_frames: int):
    """Frame numbers 0 … n_frames − 1, each after ``update`` has set its frame (frame 0 is
    already set)."""
    for k in range(n_frames):
        if k:
            update(k)
        yield k


def _png(fig, dpi: int, bbox) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches=bbox)
    return buffer.getvalue()


def _blitted_frames(fig, update, n_frames: int, dpi: int, bbox, changing) -> list[bytes]:
    """:func:`figure_frames` by blitting: the static part of the figure is drawn once at
    ``dpi``, each frame restores it and draws the ``changing`` artists over it, then the spines
    of their axes (which a full draw puts on top of an image), and the canvas is cut to
    ``bbox`` (inches, on whole pixels) and encoded as PNG."""
    fig.set_dpi(dpi)
    spines = [spine for axes in {a.axes for a in changing if a.axes is not None}
              for spine in axes.spines.values() if spine.get_visible()]
    animated = [*changing, *spines]
    for artist in animated:
        artist.set_animated(True)
    canvas = fig.canvas
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    # the frame: bbox in pixels, from the top left; where it reaches past the figure's edge,
    # the figure's face colour (as savefig fills it)
    left, top = round(bbox.x0 * dpi), round(canvas.get_width_height()[1] - bbox.y1 * dpi)
    size = (round(bbox.width * dpi), round(bbox.height * dpi))
    face = tuple(round(255 * c) for c in fig.get_facecolor())
    frames = []
    for _ in _updated(update, n_frames):
        canvas.restore_region(background)
        for artist in animated:
            fig.draw_artist(artist)
        picture = Image.new("RGBA", size, face)
        picture.paste(Image.fromarray(np.asarray(canvas.buffer_rgba())), (-left, -top))
        buffer = io.BytesIO()
        picture.save(buffer, format="png")
        frames.append(buffer.getvalue())
    for artist in animated:
        artist.set_animated(False)
    return frames


def _stack(frames: Sequence[bytes]) -> widgets.Stack:
    if not frames:
        raise ValueError("an explorer needs at least one frame per group.")
    images = [widgets.Image(value=png, format="png", layout=widgets.Layout(max_width="100%"))
              for png in frames]
    return widgets.Stack(images, selected_index=0)


def alt_text(alt: str) -> widgets.HTML:
    """The words for an explorer's pictures, kept in a hidden widget of class ``explorer-alt``:
    ipywidgets' Image has no alt text (and a tooltip on it breaks its view in the static book),
    so the book's script (``emergence/book/static/emergence-widgets.js``) copies these words
    into the alt text of every picture of the explorer, with the slider's current label."""
    holder = widgets.HTML(value=html.escape(alt), layout=widgets.Layout(display="none"))
    holder.add_class("explorer-alt")
    return holder


def snapshot_explorer(groups: Mapping[str, Sequence[bytes]], frame_labels: Sequence[str], *,
                      group_description: str = "", frame_description: str = "",
                      start: int = -1, start_group: int = 0,
                      alt: str = "") -> widgets.VBox:
    """A picture per (group, frame): buttons pick the group, a slider picks the frame.

    ``groups`` maps a group label (e.g. a gain) to PNG frames (e.g. training times), one per
    entry of ``frame_labels``. All controls are linked in the browser (see module docstring).
    ``start``: the frame the explorer opens on (an index into ``frame_labels``; the last by
    default, e.g. the trained state of a slider through training) — choose a meaningful one;
    ``start_group``: the group it opens on (an index into ``groups``).
    ``alt``: what every picture shows, in words: the alt text of the pictures in the static book
    (:func:`alt_text`; never empty).
    """
    if not groups:
        raise ValueError("groups is empty; give at least one group of frames.")
    for label, frames in groups.items():
        if len(frames) != len(frame_labels):
            raise ValueError(f"group {label!r} has {len(frames)} frames but there are "
                             f"{len(frame_labels)} frame labels.")
    if not -len(frame_labels) <= start < len(frame_labels):
        raise ValueError(f"start={start!r} is not a frame: there are {len(frame_labels)}.")
    if not 0 <= start_group < len(groups):
        raise ValueError(f"start_group={start_group!r} is not a group: there are {len(groups)}.")
    slider = widgets.SelectionSlider(options=list(frame_labels), value=frame_labels[start],
                                     description=frame_description, continuous_update=True,
                                     layout=widgets.Layout(width="90%"),
                                     style={"description_width": "initial"})
    stacks = [_stack(frames) for frames in groups.values()]
    links = []
    for stack in stacks:
        stack.selected_index = slider.index
        links.append(widgets.jslink((slider, "index"), (stack, "selected_index")))
    chooser = widgets.ToggleButtons(options=list(groups), value=list(groups)[start_group],
                                    description=group_description,
                                    style={"description_width": "initial"})
    outer = widgets.Stack(stacks, selected_index=start_group)
    links.append(widgets.jslink((chooser, "index"), (outer, "selected_index")))
    controls = [chooser, slider] if len(groups) > 1 else [slider]
    words = alt or f"an explorer picture, by {frame_description or 'frame'}"
    explorer = widgets.VBox([*controls, outer, alt_text(words)])
    explorer.links = tuple(links)  # the browser-side links, kept for inspection and tests
    return explorer
