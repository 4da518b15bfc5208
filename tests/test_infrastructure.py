import json

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
import torch

from emergence.book.results import METADATA_KEYS, write_results
from emergence.cache import cached
from emergence.profiles import make_generator, start_run
from emergence.train import train
from emergence.widgets import figure_png, snapshot_explorer


@pytest.mark.parametrize("args,message", [
    (dict(profile="fast", device="cpu", seed=0), "PROFILE='fast' is not allowed; choose one of "
     "'smoke', 'cpu', 'paper'"),
    (dict(profile="cpu", device="tpu", seed=0), "DEVICE='tpu' is not allowed; choose one of "
     "'auto', 'cpu', 'cuda'"),
    (dict(profile="cpu", device="cpu", seed=-1), "SEED=-1"),
    (dict(profile="cpu", device="cpu", seed="0"), "SEED='0'"),
])
def test_bad_run_parameters_name_the_parameter_and_choices(args, message, tmp_path):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        start_run(results_dir=tmp_path, **args)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_requested_without_gpu_is_refused(tmp_path):
    with pytest.raises(ValueError, match="DEVICE='cuda'"):
        start_run("cpu", "cuda", 0, tmp_path)


def test_auto_device_and_results_dir(tmp_path):
    run = start_run("smoke", "auto", 3, tmp_path / "new")
    assert run.device.type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert run.results_dir.is_dir()


def test_named_streams_are_reproducible_and_independent():
    a = torch.rand(5, generator=make_generator(0, "sweep"))
    b = torch.rand(5, generator=make_generator(0, "sweep"))
    c = torch.rand(5, generator=make_generator(0, "tiling"))
    d = torch.rand(5, generator=make_generator(1, "sweep"))
    assert torch.equal(a, b) and not torch.equal(a, c) and not torch.equal(a, d)


def test_cache_returns_stored_value_and_recomputes_damaged_entries(tmp_path, capsys):
    calls = []

    def compute():
        calls.append(1)
        return {"w": torch.arange(4.0), "n": len(calls)}

    first = cached("demo", {"a": 1}, compute, tmp_path)
    second = cached("demo", {"a": 1}, compute, tmp_path)
    assert len(calls) == 1 and torch.equal(first["w"], second["w"])
    cached("demo", {"a": 2}, compute, tmp_path)  # another configuration, another entry
    assert len(calls) == 2
    entry = next(p for p in tmp_path.glob("demo-*.pt") if torch.load(p)["n"] == 1)
    entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")  # damage it
    third = cached("demo", {"a": 1}, compute, tmp_path)
    assert len(calls) == 3 and third["n"] == 3
    assert "damaged" in capsys.readouterr().out
    entry.write_bytes(b"not a torch file at all")  # damaged file and checksum both
    entry.with_suffix(".sha256").unlink()
    cached("demo", {"a": 1}, compute, tmp_path)
    assert len(calls) == 4


def test_results_file_has_metadata_and_plain_json(tmp_path):
    run = start_run("smoke", "cpu", 7, tmp_path)
    path = write_results(run, "demo", {"ipr": torch.tensor(0.25), "sweep": [(1.0, 2.0)]},
                         data="generated")
    record = json.loads(path.read_text())
    assert path.name == "demo.json"
    assert record["ipr"] == 0.25 and record["sweep"] == [[1.0, 2.0]]
    assert set(METADATA_KEYS) <= set(record)
    assert record["profile"] == "smoke" and record["seed"] == 7 and record["data"] == "generated"


def test_results_refuse_nan_and_reserved_keys(tmp_path):
    run = start_run("smoke", "cpu", 0, tmp_path)
    with pytest.raises(ValueError, match="finite"):
        write_results(run, "demo", {"x": float("nan")}, data="-")
    with pytest.raises(ValueError, match="reserved"):
        write_results(run, "demo", {"profile": 1}, data="-")


def test_train_records_at_requested_steps():
    state = {"steps": 0, "seen": []}

    def step(x, y):
        state["steps"] += 1
        state["seen"].append(int(x))

    def sample(m):
        start = len(state["seen"])
        return torch.arange(start, start + m), torch.zeros(m)

    records = train(step, sample, 25, record_at=[0, 10, 25], record=lambda: state["steps"],
                    chunk=7, progress=False)
    assert records == [0, 10, 25]
    assert state["seen"] == list(range(25))
    with pytest.raises(ValueError, match="record_at"):
        train(step, sample, 5, record_at=[6], record=lambda: 0, progress=False)


def test_explorer_links_controls_in_the_browser():
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    png = figure_png(fig)
    assert png.startswith(b"\x89PNG")
    box = snapshot_explorer({"a": [png, png], "b": [png, png]}, ["t=1", "t=2"])
    chooser, slider, outer, _ = box.children
    assert isinstance(outer, widgets.Stack) and len(outer.children) == 2
    targets = {(link.source[0].model_id, link.target[0].model_id) for link in box.links}
    assert all(type(link).__name__ == "Link" for link in box.links)  # jslink, not a Python link
    for inner in outer.children:
        assert (slider.model_id, inner.model_id) in targets
        assert inner.selected_index == slider.index == 1
    assert (chooser.model_id, outer.model_id) in targets
    with pytest.raises(ValueError, match="frames"):
        snapshot_explorer({"a": [png]}, ["t=1", "t=2"])


def test_explorer_opens_on_the_chosen_frame_and_names_its_pictures():
    """``start`` picks the first frame shown (the last by default); the words for the pictures'
    alt text sit in a hidden widget of class ``explorer-alt`` (the static book's script copies
    them into each picture's alt text), never empty."""
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    png = figure_png(fig)
    box = snapshot_explorer({"a": [png] * 3, "b": [png] * 3}, ["t=1", "t=2", "t=3"], start=1,
                            frame_description="time", alt="the fields <of a ring>")
    chooser, slider, outer, words = box.children
    assert slider.value == "t=2" and all(inner.selected_index == 1 for inner in outer.children)
    assert words.value == "the fields &lt;of a ring&gt;" and "explorer-alt" in words._dom_classes
    assert words.layout.display == "none"
    default = snapshot_explorer({"a": [png] * 2}, ["t=1", "t=2"], frame_description="time")
    assert default.children[0].value == "t=2"  # the last frame, e.g. the trained state
    assert default.children[-1].value == "an explorer picture, by time"
    with pytest.raises(ValueError, match="start"):
        snapshot_explorer({"a": [png] * 2}, ["t=1", "t=2"], start=2)


def test_the_filter_explorer_opens_on_a_well_fitted_strong_filter():
    """Chapter 1's explorer opens on a filter worth seeing: of the filters with a Gabor error at
    most the median, the strongest (worked out by hand for four filters)."""
    import types

    import torch

    from emergence.experiments.lie.figures import typical_filter

    effective = torch.zeros(4, 3, 3)
    for i, peak in enumerate([0.1, 5.0, 2.0, 1.0]):  # filter 1 is strongest but fits badly
        effective[i, 1, 1] = peak
    final = {"error": torch.tensor([0.2, 0.9, 0.3, 0.1]), "effective": effective}
    summary = types.SimpleNamespace(gabor={"final": final}, by_orientation=[3, 2, 1, 0])
    # errors ≤ median 0.25: filters 0 and 3; the stronger is 3, first in the orientation order
    assert typical_filter(summary) == 0
    summary.by_orientation = [1, 0, 3, 2]
    assert typical_filter(summary) == 2


def test_notebook_problems_names_what_a_reader_must_not_see(tmp_path):
    """Warnings and progress bars on standard error, a saved progress-bar widget and two visible
    parameters cells are each reported; a notebook whose defaults cell is removed is clean."""
    from emergence.book.pipeline import WIDGET_STATE, notebook_problems

    def write(cells, models=()):
        notebook = {"cells": cells, "metadata": {"widgets": {WIDGET_STATE: {"state": {
            str(i): {"model_name": name} for i, name in enumerate(models)}}}}}
        path = tmp_path / "chapter.ipynb"
        path.write_text(json.dumps(notebook))
        return notebook_problems(path)

    def cell(tags, outputs=()):
        return {"cell_type": "code", "metadata": {"tags": tags}, "outputs": list(outputs)}

    warning = {"output_type": "stream", "name": "stderr", "text": ["UserWarning: ylims\n"]}
    clean = [cell(["parameters", "remove-cell"]), cell(["injected-parameters"]), cell([])]
    assert write(clean, ["ImageModel"]) == []
    assert write(clean + [cell([], [warning])]) == [
        "chapter.ipynb cell 3: writes to standard error: ['UserWarning: ylims']"]
    assert write(clean, ["FloatProgressModel"]) == [
        "chapter.ipynb: a progress bar is saved in the notebook"]
    assert write([cell(["parameters"]), cell(["injected-parameters"])]) == [
        "chapter.ipynb: cells [0, 1] all show parameters"]


def test_progress_bars_go_to_the_terminal_while_the_book_builds(monkeypatch, capfd):
    """With EMERGENCE_PROGRESS=terminal the bar is drawn on the process's standard error (which
    the build's kernels do not capture into the page); otherwise tqdm picks its own display."""
    from emergence.progress import MODE_VARIABLE, progress_bar

    monkeypatch.setenv(MODE_VARIABLE, "terminal")
    train(lambda x, y: None, lambda m: (torch.zeros(m, 1), torch.zeros(m, 1)), 3,
          desc="terminal bar")
    assert "terminal bar: 100%" in capfd.readouterr().err
    monkeypatch.delenv(MODE_VARIABLE)
    with progress_bar(total=1, disable=True) as bar:
        assert bar.disable


def test_reference_labels_are_author_year_with_accents():
    from pybtex.database import parse_string

    from emergence.book.bibliography import AuthorYearLabelStyle

    entries = parse_string(r"""
        @article{a, author = {L{\"o}wel, Siegrid and Singer, Wolf}, year = {1992}, title = {x}}
        @article{b, author = {Bertoni, F. and Montobbio, N. and Sarti, A.}, year = {2021},
                 title = {y}}
        @article{c, author = {Field, D.}, year = {1993}, title = {z}}
        @article{d, author = {Field, D.}, year = {1993}, title = {w}}
    """, "bibtex").entries
    labels = list(AuthorYearLabelStyle().format_labels(entries.values()))
    assert labels == ["Löwel & Singer 1992", "Bertoni et al. 2021", "Field 1993a", "Field 1993b"]


def test_chapter_figures_keep_to_the_book_style():
    """No font below the book's minimum and no figure wider than the widest that keeps that font
    legible at the page's width: the browser test's width check relies on both."""
    import re
    from pathlib import Path

    from emergence.plotting import MAX_FIGURE_WIDTH_IN, MIN_FONT_PT

    package = Path(__file__).resolve().parents[1] / "src" / "emergence"
    chapters = sorted((package / "experiments").glob("*/figures.py"))
    assert len(chapters) == 3
    for chapter in chapters:
        source = chapter.read_text()
        sizes = [float(s) for s in re.findall(r"fontsize=([\d.]+)", source)]
        assert all(s >= MIN_FONT_PT for s in sizes), (chapter.parent.name, sizes)
        assert not re.search(r"fontsize=\"(x*-)?small\"", source), chapter.parent.name
        widths = [float(w) for w in re.findall(r"figsize=\(([\d.]+),", source)]
        assert widths and max(widths) <= MAX_FIGURE_WIDTH_IN, (chapter.parent.name, widths)


def test_run_description_fits_a_narrow_page(tmp_path):
    run = start_run("smoke", "cpu", 3, tmp_path)
    sizes = {f"size_{i}": i * 1000 for i in range(12)} | {"long": list(range(40))}
    lines = run.describe(sizes, width=60).splitlines()
    assert lines[0] == "profile 'smoke' on cpu, seed 3; sizes:"
    assert all(len(line) <= 60 for line in lines if "long" not in line)
    assert "  long = [0, 1, 2" in lines[-1]
    assert sum(line.count(" = ") for line in lines) == 13


def test_executed_notebook_is_prepared_for_its_page(tmp_path):
    """The defaults cell is removed from the page (the injected one stays) and a ``# Figure:``
    comment, continued over lines, becomes its figure's alt text."""
    import nbformat

    from emergence.book.pipeline import prepare_for_page

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('PROFILE = "cpu"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('PROFILE = "smoke"', metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("# Figure: Receptive fields on the ring,\n#   sorted by centre.\n"
                                  "plt.show()", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_code_cell("x = 1  # Figure: not at the start, not a description"),
    ])
    path = tmp_path / "chapter.ipynb"
    nbformat.write(notebook, path)
    prepare_for_page(path)
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].metadata["tags"] == ["parameters", "remove-cell"]
    assert cells[1].metadata["tags"] == ["injected-parameters"]
    assert cells[2].metadata["mystnb"] == {
        "image": {"alt": "Receptive fields on the ring, sorted by centre."}}
    assert "mystnb" not in cells[3].metadata


def test_explorer_opens_on_the_chosen_group_and_frame():
    frames = {name: [figure_png(plt.figure(figsize=(1, 1))) for _ in range(3)]
              for name in ("a", "b", "c")}
    plt.close("all")
    explorer = snapshot_explorer(frames, ["x", "y", "z"], start=0, start_group=2, alt="pictures")
    chooser, slider, outer = explorer.children[:3]
    assert chooser.value == "c" and chooser.index == 2 and outer.selected_index == 2
    assert slider.value == "x" and all(stack.selected_index == 0 for stack in outer.children)
    with pytest.raises(ValueError, match="start_group=3"):
        snapshot_explorer(frames, ["x", "y", "z"], start_group=3)
