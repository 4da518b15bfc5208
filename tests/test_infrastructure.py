import json

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
import torch

from emergence.cache import cached
from emergence.profiles import make_generator, start_run
from emergence.results import METADATA_KEYS, write_results
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
    chooser, slider, outer = box.children
    assert isinstance(outer, widgets.Stack) and len(outer.children) == 2
    targets = {(link.source[0].model_id, link.target[0].model_id) for link in box.links}
    assert all(type(link).__name__ == "Link" for link in box.links)  # jslink, not a Python link
    for inner in outer.children:
        assert (slider.model_id, inner.model_id) in targets
        assert inner.selected_index == slider.index == 1
    assert (chooser.model_id, outer.model_id) in targets
    with pytest.raises(ValueError, match="frames"):
        snapshot_explorer({"a": [png]}, ["t=1", "t=2"])
