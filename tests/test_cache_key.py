"""The cache key covers the source a run computes with, and nothing else (issue: an edit to the
book's machinery must never retrain a network)."""

import ast
import shutil
from pathlib import Path

import pytest

from emergence.cache import DOWNSTREAM, PACKAGE_ROOT, fingerprint_of, science_sources


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


def test_every_experiment_module_upstream_of_the_runs_is_covered():
    covered = {p.relative_to(PACKAGE_ROOT).as_posix() for p in science_sources()}
    experiments = [p for p in (PACKAGE_ROOT / "experiments").rglob("*.py")]
    assert experiments
    for path in experiments:
        name = path.relative_to(PACKAGE_ROOT).as_posix()
        assert (name in covered) == (path.name not in DOWNSTREAM), name
    assert not any(name.startswith("book/") for name in covered)


def package_imports(path: Path, package: str) -> set[str]:
    """The modules of ``package`` (e.g. ``emergence.experiments.lie``) that ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:
                names = [module] if module else [alias.name for alias in node.names]
                found |= {f"{package}.{name}" for name in names}
            elif module.startswith(package + "."):
                found.add(module)
            elif module == package:
                found |= {f"{package}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package + ".")}
    return found


@pytest.mark.parametrize("topic", sorted(p.name for p in (PACKAGE_ROOT / "experiments").iterdir()
                                         if (p / "runs.py").exists()))
def test_runs_never_import_what_the_key_leaves_out(topic):
    """What a cached run computes with is in the key: the runs module and everything of its
    package that it imports, directly or through another module, is upstream."""
    package = f"emergence.experiments.{topic}"
    folder = PACKAGE_ROOT / "experiments" / topic
    seen, todo = set(), [f"{package}.runs"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = folder / f"{module.rsplit('.', 1)[1]}.py"
        if path.exists():
            todo += package_imports(path, package)
    downstream = {f"{package}.{name[:-3]}" for name in DOWNSTREAM}
    assert not seen & downstream, f"the runs of {topic} import {sorted(seen & downstream)}"


def test_the_science_never_imports_the_book_machinery():
    for path in PACKAGE_ROOT.rglob("*.py"):
        if path.relative_to(PACKAGE_ROOT).parts[0] == "book":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert not any(n == "emergence.book" or n.startswith("emergence.book.")
                           for n in names), f"{path.name} imports the book machinery"
