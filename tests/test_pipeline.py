"""End-to-end: chapters run through papermill and the book builds, in a temporary folder."""

import json
import re

import pytest

from conftest import REPO, copy_book
from emergence.book.pipeline import (
    ChapterFailed,
    build,
    chapter_names,
    check,
    execute_chapter,
    kernel_name,
    repository_url,
)

CHAPTER = "book/convolutions_from_data"
HEADLINE_KEYS = {"ipr_random_baseline", "ipr_localised_nlgp", "ipr_localised_clone",
                 "accuracy_nlgp", "accuracy_clone", "gain_sweep", "cnn_vs_fc_similarity",
                 "tiling", "tensor_eigenvectors", "reduced_dynamics", "ipr_2d"}

pytestmark = pytest.mark.slow


def test_chapters_are_found_from_the_toc():
    assert CHAPTER in chapter_names(REPO)


def test_smoke_build_writes_the_chapter_page_with_figures_and_widgets(smoke_book):
    root, index = smoke_book
    assert index.exists()
    assert not (root / "_build" / "html" / "stale.html").exists()  # no stale book left
    page = (root / "_build" / "html" / f"{CHAPTER}.html").read_text()
    figures = re.findall(r'<img[^>]+src="[^"]*_images/[^"]+\.png"', page)
    assert len(figures) >= 6
    assert "application/vnd.jupyter.widget-state+json" in page
    state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
                      page, re.S)
    models = json.loads(state.group(1))["state"]
    kinds = {m["model_name"] for m in models.values()}
    assert {"StackModel", "SelectionSliderModel", "LinkModel", "ImageModel"} <= kinds
    assert check(root) == []


def test_smoke_build_writes_headline_results(smoke_book):
    root, _ = smoke_book
    record = json.loads((root / "_build" / "results" / "convolutions_from_data.json").read_text())
    assert HEADLINE_KEYS <= set(record)
    assert record["profile"] == "smoke" and record["seed"] == 0 and record["device"] == "cpu"
    assert record["runtime_seconds"] > 0 and "NLGP" in record["data"]
    for row in record["gain_sweep"]:
        assert {"gain", "excess_kurtosis", "ipr_nlgp", "ipr_clone"} <= set(row)
    assert record["ipr_random_baseline"] == pytest.approx(3 / (record["D"] + 2))


LIE_GROUPS = {
    "log_rel_error": {"init", "trained"},
    "radial_symmetry": {"init", "trained"},
    "gabor_median_error": {"init", "trained"},
    "orientation_selectivity": {"statistic", "p_value"},
    "se2_model_correlation": {"trained", "untrained", "shuffled"},
    "lie_symmetry_score": {"trained", "untrained"},
}


def test_smoke_build_writes_the_lie_symmetry_chapter_and_its_results(smoke_book):
    root, _ = smoke_book
    page = (root / "_build" / "html" / "book" / "lie_symmetries.html").read_text()
    assert len(re.findall(r'<img[^>]+src="[^"]*_images/[^"]+\.png"', page)) >= 8
    assert page.count("application/vnd.jupyter.widget-view+json") >= 2  # two explorers
    record = json.loads((root / "_build" / "results" / "lie_symmetries.json").read_text())
    assert {"dataset", "gabor_fraction_good", "test_accuracy", "overlap_control", "hebbian",
            "beyond_control_margin"} <= set(record)
    for group, keys in LIE_GROUPS.items():
        assert keys <= set(record[group]), group
    assert 0 < record["orientation_selectivity"]["p_value"] <= 1
    assert "scikit-image" in record["dataset"] and record["profile"] == "smoke"


def test_bad_parameter_stops_the_chapter_naming_it(tmp_path):
    with pytest.raises(ChapterFailed) as failure:
        execute_chapter(REPO / f"{CHAPTER}.py", tmp_path / "out.ipynb",
                        {"PROFILE": "fast", "RESULTS_DIR": str(tmp_path)}, kernel_name(),
                        repository_url(REPO))
    message = str(failure.value)
    assert "convolutions_from_data" in message and "cell" in message
    assert "PROFILE='fast' is not allowed; choose one of 'smoke', 'cpu', 'paper'" in message


def test_failing_chapter_fails_the_build_and_names_chapter_and_cell(tmp_path):
    root = copy_book(tmp_path)
    (root / "book" / "broken.py").write_text(
        '# %% tags=["parameters"]\nPROFILE = "cpu"\n\n# %%\nx = 1\n\n'
        '# %%\nraise RuntimeError("boom")\n')
    toc = (root / "_toc.yml").read_text()
    (root / "_toc.yml").write_text(toc + "      - file: book/broken\n")
    (root / "_build" / "html").mkdir(parents=True)
    with pytest.raises(SystemExit) as failure:
        build(root, "smoke", "cpu", 0, ["book/broken"])
    message = str(failure.value)
    assert "FAILED" in message and "'broken'" in message and "RuntimeError: boom" in message
    assert re.search(r"cell \d+", message)
    assert not (root / "_build" / "html").exists()


def test_unknown_profile_or_chapter_is_refused_before_running(tmp_path):
    root = copy_book(tmp_path)
    with pytest.raises(SystemExit, match="PROFILE='huge'"):
        build(root, "huge", "cpu", 0, None)
    with pytest.raises(SystemExit, match="unknown chapter"):
        build(root, "smoke", "cpu", 0, ["book/nope"])


MIRROR_KEYS = {"msvt", "msvt_heldout_face", "authors_test", "recipes", "equivariance",
               "filter_symmetry", "manipulation", "manipulation_comparisons", "test_accuracy",
               "pooling_sweep", "pooling_sweep_conv4", "equivariance_margin"}
MIRROR_FAMILIES = {"one_plane", "head", "asymmetric", "two_plane", "radial"}


def test_smoke_build_writes_the_mirror_chapter_and_its_results(smoke_book):
    root, _ = smoke_book
    page = (root / "_build" / "html" / "book" / "mirror_symmetry.html").read_text()
    assert "application/vnd.jupyter.widget-state+json" in page
    record = json.loads((root / "_build" / "results" / "mirror_symmetry.json").read_text())
    assert MIRROR_KEYS <= set(record)
    layers = list(record["msvt"]["trained"])
    assert layers == ["pixels", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2", "fc1",
                      "fc2", "gap", "gap_conv4"]
    for net in ("trained", "strong_decay", "untrained"):
        for layer in layers:
            assert set(record["msvt"][net][layer]) == MIRROR_FAMILIES
            for stats in record["msvt"][net][layer].values():
                assert -1 <= stats["mean"] <= 1 and stats["sem"] >= 0
    assert set(record["equivariance"]["conv4"]) == {"hflip", "vflip", "rot90"}
    assert {"trained", "untrained"} <= set(record["msvt_heldout_face"])
    assert record["mirror_render_error"]["max_symmetric"] < 1e-3
    assert set(record["manipulation"]) == {"reference", "none", "same_class", "new_class"}
    assert len({arm[0]["n_images"] for arm in record["manipulation"].values()}) == 1


# A chapter of two claims whose outcome depends on the seed: "even_seed" holds for even seeds
# only, "always" for every seed. The seeds machinery is the same for the real chapters, whose
# claim records the smoke build above checks; this one runs in seconds.
SEEDED_CHAPTER = '''# # A seeded chapter

# %% tags=["parameters"]
PROFILE = "cpu"
DEVICE = "auto"
SEED = 0
RESULTS_DIR = "results"

# %%
from emergence.claims import Claim, Control
from emergence.profiles import start_run
from emergence.book.results import write_results

run = start_run(PROFILE, DEVICE, SEED, RESULTS_DIR)
control = Control("untrained", "0", passes=False)
claims = [Claim(id="even_seed", claim="holds for even seeds", paper="x", source="Fig. 1",
                ours=str(SEED), criterion="seed is even", holds=SEED % 2 == 0,
                controls=(control,), value=float(SEED)),
          Claim(id="always", claim="holds for every seed", paper="x", source="Fig. 1",
                ours="1", criterion="always", holds=True, controls=(control,), value=1.0)]
write_results(run, "seeded", {"claims": [c.to_dict() for c in claims]}, data="none")
'''


def test_seeds_run_writes_each_seed_apart_and_the_scorecard_shows_its_column(tmp_path):
    """What ``make seeds SEEDS="0 1" PROFILE=smoke CHAPTERS=seeded`` runs (the Makefile's
    command line, from the project root), on a chapter that takes seconds."""
    import subprocess
    import sys

    from emergence.book.pipeline import chapter_fingerprint, scorecard

    make = subprocess.run(["make", "-n", "seeds", "SEEDS=0 1", "PROFILE=smoke",
                           "CHAPTERS=convolutions_from_data"], cwd=REPO, capture_output=True,
                          text=True, check=True).stdout
    make = " ".join(make.replace("\\\n", " ").split())
    assert ("-m emergence.book.pipeline seeds --profile \"smoke\" --device \"auto\" --seeds 0 1 "
            "--chapters convolutions_from_data") in make
    root = copy_book(tmp_path)
    chapter = "book/seeded"
    (root / f"{chapter}.py").write_text(SEEDED_CHAPTER)
    (root / "_toc.yml").write_text((root / "_toc.yml").read_text() + f"      - file: {chapter}\n")
    subprocess.run([sys.executable, "-m", "emergence.book.pipeline", "seeds", "--profile", "smoke",
                    "--device", "cpu", "--seeds", "0", "1", "--chapters", "seeded"],
                   cwd=root, check=True)
    out = root / "_build" / "seeds" / "smoke"
    for seed in range(2):
        result = json.loads((out / f"seed-{seed}" / "results" / "seeded.json").read_text())
        assert result["seed"] == seed
        assert (out / f"seed-{seed}" / "executed" / f"{chapter}.ipynb").exists()
    table = json.loads((out / "robustness.json").read_text())
    assert table["seeds"] == table["requested_seeds"] == [0, 1]
    assert table["profile"] == "smoke" and set(table["wall_seconds"]) == {"0", "1"}
    entry = table["chapters"]["seeded"]
    assert entry["fingerprint"] == chapter_fingerprint(root, chapter)
    even, always = entry["claims"]["even_seed"], entry["claims"]["always"]
    assert (even["k"], even["n"], even["robust"], even["median"]) == (1, 2, False, 0.5)
    assert (always["k"], always["n"], always["robust"]) == (2, 2, False)  # robust needs N ≥ 4
    results = out / "seed-0" / "results"
    page = scorecard(root, [chapter], results, "smoke")
    header = next(line for line in page.splitlines() if line.startswith("| # | claim |"))
    assert header.endswith("| seeds |")
    assert "| 2 of 2 (median 1, 1 to 1) |" in page and "| 1 of 2 (median 0.5, 0 to 1) |" in page
    assert "robustness column is missing" in scorecard(root, [chapter], results, "cpu")
    (root / f"{chapter}.py").write_text(SEEDED_CHAPTER + "\n# edited\n")
    assert "is stale" in scorecard(root, [chapter], results, "smoke")


def test_claims_tables_render_as_tables_in_every_chapter_and_the_scorecard(smoke_book):
    root, _ = smoke_book
    html = root / "_build" / "html"
    for name in chapter_names(REPO):
        page = (html / f"{name}.html").read_text()
        assert '<table class="claims-summary' in page, name  # the verdicts at a glance
        assert "claims-details" in page, name  # each claim's criterion and controls, a click away
        assert "<p>| claim |" not in page, name  # no raw pipe text
    scorecard = (html / "book" / "scorecard.html").read_text()
    assert "emergence-book.css" in scorecard  # the style sheet that fits wide tables
    assert (html / "_static" / "emergence-book.css").exists()
    assert scorecard.count("<table") >= 4  # the counts and one table per chapter
    assert "No seeds run at the" in scorecard
