"""The cache key covers the source a run computes with, and nothing else (issue: an edit to the
book's machinery must never retrain a network)."""

import shutil
from pathlib import Path

import pytest

from emergence.cache import PACKAGE_ROOT, fingerprint_of, science_sources


@pytest.fixture
def package_copy(tmp_path) -> Path:
    root = tmp_path / "emergence"
    shutil.copytree(PACKAGE_ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def append_comment(path: Path) -> None:
    path.write_text(path.read_text() + "\n# an edit\n")


@pytest.mark.parametrize("edited", ["book/pipeline.py", "book/scorecard.py", "book/glue.py",
                                    "widgets.py", "plotting.py"])
def test_editing_book_machinery_keeps_the_key(package_copy, edited):
    before = fingerprint_of(package_copy)
    append_comment(package_copy / edited)
    assert fingerprint_of(package_copy) == before


@pytest.mark.parametrize("edited", ["models/lateral.py", "data/nlgp.py", "analysis/mirror.py",
                                    "train.py", "profiles.py"])
def test_editing_science_changes_the_key(package_copy, edited):
    before = fingerprint_of(package_copy)
    append_comment(package_copy / edited)
    assert fingerprint_of(package_copy) != before


def test_every_experiment_module_but_figures_is_covered():
    covered = {p.relative_to(PACKAGE_ROOT).as_posix() for p in science_sources()}
    experiments = [p for p in (PACKAGE_ROOT / "experiments").rglob("*.py")]
    assert experiments
    for path in experiments:
        name = path.relative_to(PACKAGE_ROOT).as_posix()
        assert (name in covered) == (path.name != "figures.py"), name
    assert not any(name.startswith("book/") for name in covered)
