"""Chapters are narrative over thin calls (a student sees every cell in Colab): the rules of the
book's design, checked on each chapter's Jupytext source.

Outside the exercises: no claim records, results dictionaries, figure construction, function
definitions or branching in a code cell (figures, claims, results and any sentence that depends on
a result come from the chapter's package ``emergence.experiments.<topic>``); short code cells; at
most a few glued numbers per paragraph; a bounded length. And the notebook written for Colab
(``make notebooks``) starts with the install cell, then the parameters cell.
"""

import ast
import re
import statistics

import jupytext
import pytest

from conftest import REPO
from emergence.book.pipeline import chapter_names, chapter_notebook

CHAPTERS = chapter_names(REPO)
MAX_LINES = 700
MAX_CELL_LINES = 40
MAX_MEDIAN_CELL_LINES = 12
MAX_GLUE_PER_PARAGRAPH = 8
FORBIDDEN_CALLS = ("Claim(", "Control(", "plt.subplots", "plt.figure(", "write_results({",
                   "write_results(dict(")


def cells_before_exercises(chapter: str):
    """The chapter's cells up to its ``## Exercises`` heading (exercises may define things)."""
    cells = []
    for cell in jupytext.read(REPO / f"{chapter}.py").cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Exercises"):
            break
        cells.append(cell)
    return cells


def code_cells(chapter: str):
    return [c for c in cells_before_exercises(chapter) if c.cell_type == "code"]


def test_there_are_three_chapters():
    assert len(CHAPTERS) == 3


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_length(chapter):
    lines = (REPO / f"{chapter}.py").read_text().count("\n")
    assert lines <= MAX_LINES, f"{chapter}.py has {lines} lines (at most {MAX_LINES})"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_code_cells_are_short(chapter):
    sizes = [len(c.source.strip().splitlines()) for c in code_cells(chapter)]
    assert max(sizes) <= MAX_CELL_LINES, f"a code cell of {max(sizes)} lines"
    assert statistics.median(sizes) <= MAX_MEDIAN_CELL_LINES, f"median {statistics.median(sizes)}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_plumbing_in_the_page(chapter):
    for cell in code_cells(chapter)[1:]:  # the install cell stands alone
        for call in FORBIDDEN_CALLS:
            assert call not in cell.source, f"{call} in a code cell:\n{cell.source}"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                         ast.Lambda)), f"a definition in:\n{cell.source}"
            assert not isinstance(node, (ast.If, ast.IfExp)), (
                f"branching on a value in a page cell (move it to the package):\n{cell.source}")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_few_glued_numbers_per_paragraph(chapter):
    for cell in cells_before_exercises(chapter):
        if cell.cell_type != "markdown":
            continue
        for paragraph in re.split(r"\n\s*\n", cell.source):
            count = paragraph.count("{glue:")
            assert count <= MAX_GLUE_PER_PARAGRAPH, f"{count} glued numbers in:\n{paragraph}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_results_keys_are_documented_outside_the_chapter(chapter):
    text = (REPO / f"{chapter}.py").read_text()
    assert not re.search(r"admonition\}\s*Keys of", text), "a results-keys dropdown in the page"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_colab_notebook_starts_with_install_then_parameters(chapter):
    notebook = chapter_notebook(REPO / f"{chapter}.py", "https://example.org/repo")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "pip" in code[0].source and "install" in code[0].source
    assert len(code[0].source.splitlines()) <= MAX_CELL_LINES
    assert "parameters" in code[1].metadata.get("tags", [])
    assert all(f"{name} =" in code[1].source for name in ("PROFILE", "DEVICE", "SEED",
                                                           "RESULTS_DIR"))
    assert "open_chapter(" in code[2].source


PARTS = ("config", "runs", "summary", "claims", "results", "figures")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_an_experiment_package_of_the_same_shape(chapter):
    import importlib

    from emergence.book.scorecard import keys_dropdown, result_keys
    from emergence.experiments import TOPIC_OF_CHAPTER

    stem = chapter.split("/")[-1]
    package = importlib.import_module(f"emergence.experiments.{TOPIC_OF_CHAPTER[stem]}")
    assert package.CHAPTER == stem
    assert isinstance(package.CPU_THREADS, int) and package.CPU_THREADS >= 1
    for part in PARTS:
        importlib.import_module(f"{package.__name__}.{part}")
    claims = importlib.import_module(f"{package.__name__}.claims")
    assert callable(claims.claims)
    keys = result_keys(stem)
    assert keys and keys.lstrip().startswith("- ")
    assert keys_dropdown(stem, keys)[0] == f":::{{admonition}} Keys of `{stem}.json`"
    assert f"experiments.{TOPIC_OF_CHAPTER[stem]}" in (REPO / f"{chapter}.py").read_text()
