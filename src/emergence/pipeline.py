"""Execute the chapters and build the book; check a built book.

``python -m emergence.pipeline build``: every chapter ``book/<name>.py`` named in ``_toc.yml``
(Jupytext percent script) → notebook → executed by papermill with ``PROFILE``, ``DEVICE``,
``SEED`` and ``RESULTS_DIR`` injected → staged with the book's other pages in
``_build/stage`` (so no ``x.py`` sits beside ``x.ipynb``), with the reproduction scorecard
generated from the results files (:mod:`emergence.scorecard`) → ``jupyter-book build`` with
execution off → ``_build/html``. The old ``_build/html`` is removed before anything runs, so a
failed build never leaves a previous book looking fresh; a failing chapter stops the build with
a non-zero exit that names the chapter and the cell.

``python -m emergence.pipeline check``: every chapter page exists, no executed notebook holds an
error output or a traceback, and every chapter page carries saved widget state.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from emergence import vendor
from emergence.profiles import DEVICES, PROFILES, require_choice
from emergence.scorecard import scorecard_page

ROOT = Path.cwd()
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SCORECARD_PAGE = "book/scorecard.md"  # generated from the results files at every build
REPOSITORY_TOKEN = "@REPOSITORY_URL@"


class ChapterFailed(RuntimeError):
    """A chapter raised while papermill executed it."""


def toc_files(root: Path) -> list[str]:
    """Every ``file:`` entry of ``_toc.yml`` in order (root page first)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return files


def chapter_names(root: Path) -> list[str]:
    """Chapters are the ``_toc.yml`` entries with a Jupytext source ``<entry>.py``."""
    return [f for f in toc_files(root) if (root / f"{f}.py").exists()]


def kernel_name() -> str:
    """The ``emergence`` kernel registered by ``make install``, else the running Python's own."""
    from jupyter_client.kernelspec import KernelSpecManager

    return "emergence" if "emergence" in KernelSpecManager().find_kernel_specs() else "python3"


def repository_url(root: Path) -> str:
    """The repository named once in ``_config.yml`` (``repository.url``)."""
    config = yaml.safe_load((root / "_config.yml").read_text()) or {}
    return str((config.get("repository") or {}).get("url", ""))


def chapter_notebook(source: Path, repository: str = ""):
    """The chapter's Jupytext source as a clean notebook, with ``@REPOSITORY_URL@`` in its code
    (the install cell for Colab and Binder) replaced by ``repository``."""
    import jupytext

    notebook = jupytext.read(source)
    for cell in notebook.cells:
        if cell.cell_type == "code" and REPOSITORY_TOKEN in cell.source:
            if not repository:
                raise ValueError("_config.yml has no repository.url for the install cell.")
            cell.source = cell.source.replace(REPOSITORY_TOKEN, repository)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def write_notebooks(root: Path) -> list[Path]:
    """``book/<chapter>.ipynb`` for every chapter: clean, unexecuted copies for Colab and Binder
    (the published branch carries them; on ``main`` they are ignored by git)."""
    import jupytext

    written = []
    for name in chapter_names(root):
        target = root / f"{name}.ipynb"
        jupytext.write(chapter_notebook(root / f"{name}.py", repository_url(root)), target)
        written.append(target)
    return written


def execute_chapter(source: Path, executed: Path, parameters: dict, kernel: str,
                    repository: str = "") -> float:
    """Convert ``source`` with Jupytext and run it with papermill into ``executed``."""
    import jupytext
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = chapter_notebook(source, repository)
    plain = executed.with_suffix(".source.ipynb")
    executed.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, plain)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(plain), str(executed), parameters=parameters,
                                   kernel_name=kernel, cwd=str(source.parent),
                                   language="python", progress_bar=False, log_output=False)
    except PapermillExecutionError as error:
        raise ChapterFailed(
            f"chapter {source.stem!r} failed in cell {error.cell_index} "
            f"(execution count {error.exec_count}): {error.ename}: {error.evalue}\n"
            f"The executed notebook with the traceback is {executed}."
        ) from None
    finally:
        plain.unlink(missing_ok=True)
    return time.perf_counter() - start


def chapter_title(source: Path) -> str:
    """The first Markdown heading of a chapter's Jupytext source."""
    for line in source.read_text().splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    return source.stem.replace("_", " ")


def stage_book(root: Path, stage: Path, chapters: list[str], executed: dict[str, Path],
               results_dir: Path) -> None:
    """Copy the book's pages and the executed chapters into ``stage`` (sources left out), with
    the browser files that make the pages work offline (:mod:`emergence.vendor`)."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    config = yaml.safe_load((root / "_config.yml").read_text())
    # not "_static": Jupyter Book would add every .js file found there to every page
    served = vendor.install(stage / "_vendor_static")
    if served:
        sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
        sphinx_config.update(served)
        sphinx_config["html_static_path"] = ["_vendor_static"]
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    shutil.copytree(root / "book", stage / "book",
                    ignore=shutil.ignore_patterns("*.py", "*.ipynb", "results", "__pycache__",
                                                  ".ipynb_checkpoints"))
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    all_chapters = chapter_names(root)
    skipped = set(all_chapters) - set(chapters)

    def prune(node):
        if isinstance(node, dict):
            return {k: prune(v) for k, v in node.items()}
        if isinstance(node, list):
            return [prune(item) for item in node
                    if not (isinstance(item, dict) and item.get("file") in skipped)]
        return node

    (stage / "_toc.yml").write_text(yaml.safe_dump(prune(toc), sort_keys=False))
    for page in (stage / "book").rglob("*.md"):  # links to left-out chapters become plain text
        text = page.read_text()
        for name in skipped:
            stem = re.escape(Path(name).name)
            text = re.sub(rf"\[([^\]]+)\]\((?:book/)?{stem}(?:\.ipynb|\.md)?\)", r"\1", text)
        page.write_text(text)
    for name, path in executed.items():
        shutil.copy(path, stage / f"{name}.ipynb")
    pages = [(chapter_title(root / f"{name}.py"), f"{Path(name).name}.ipynb")
             for name in all_chapters if name in chapters]
    (stage / SCORECARD_PAGE).write_text(scorecard_page(results_dir, pages))


def build(root: Path, profile: str, device: str, seed: int, chapters: list[str] | None) -> Path:
    """Run the whole pipeline (module docstring); return the path of ``index.html``."""
    try:
        require_choice("PROFILE", profile, PROFILES)
        require_choice("DEVICE", device, DEVICES)
    except ValueError as error:
        raise SystemExit(f"[book] {error}") from None
    available = chapter_names(root)
    chosen = chapters or available
    unknown = [c for c in chosen if c not in available]
    if unknown:
        raise SystemExit(f"CHAPTERS: unknown chapter(s) {unknown}; choose from {available}.")
    out = root / "_build"
    html = out / "html"
    if html.exists():
        shutil.rmtree(html)
    results_dir = out / "results"
    kernel = kernel_name()
    executed = {}
    for name in chosen:
        target = out / "executed" / f"{name}.ipynb"
        print(f"[book] executing {name} (PROFILE={profile}, DEVICE={device}, SEED={seed}, "
              f"kernel {kernel}) ...", flush=True)
        source = root / f"{name}.py"
        # relative to the chapter's folder (papermill's working directory), so the executed
        # page shows a path that means something to its reader
        params = {"PROFILE": profile, "DEVICE": device, "SEED": seed,
                  "RESULTS_DIR": os.path.relpath(results_dir, source.parent)}
        try:
            seconds = execute_chapter(source, target, params, kernel, repository_url(root))
        except ChapterFailed as error:
            raise SystemExit(f"[book] FAILED: {error}") from None
        print(f"[book] {name} done in {seconds:.0f} s", flush=True)
        executed[name] = target
    stage = out / "stage"
    stage_book(root, stage, chosen, executed, results_dir)
    print("[book] building HTML with jupyter-book (execution off) ...", flush=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(stage),
               "--warningiserror",
               "--keep-going", "--quiet"]
    if subprocess.run(command).returncode != 0:
        raise SystemExit("[book] FAILED: jupyter-book build reported errors or warnings (above).")
    shutil.move(str(stage / "_build" / "html"), str(html))
    index = html / "index.html"
    print(f"[book] built: {index.resolve()}")
    return index


def notebook_problems(path: Path) -> list[str]:
    """Error outputs and tracebacks in an executed notebook, one line each."""
    notebook = json.loads(path.read_text())
    problems = []
    for index, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []):
            text = json.dumps(output)
            if output.get("output_type") == "error":
                problems.append(f"{path.name} cell {index}: error output {output.get('ename')}")
            elif "Traceback (most recent call last)" in text:
                problems.append(f"{path.name} cell {index}: a traceback in its output")
    return problems


def check(root: Path, chapters: list[str] | None = None) -> list[str]:
    """Problems with the built book in ``root/_build`` (empty when all is well)."""
    out = root / "_build"
    problems = []
    for name in chapters or chapter_names(root):
        page = out / "html" / f"{name}.html"
        notebook = out / "executed" / f"{name}.ipynb"
        if not page.exists():
            problems.append(f"{name}: page {page} is missing")
        elif WIDGET_STATE not in page.read_text():
            problems.append(f"{name}: page {page} carries no saved widget state")
        if not notebook.exists():
            problems.append(f"{name}: executed notebook {notebook} is missing")
        else:
            problems.extend(notebook_problems(notebook))
        results = out / "results" / f"{Path(name).name}.json"
        if not results.exists():
            problems.append(f"{name}: results file {results} is missing")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emergence.pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute the chapters and build the HTML book")
    b.add_argument("--profile", default="cpu")
    b.add_argument("--device", default="auto")
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--chapters", nargs="*", default=None,
                   help="chapter entries of _toc.yml, e.g. book/convolutions_from_data")
    c = sub.add_parser("check", help="check a built book")
    c.add_argument("--chapters", nargs="*", default=None)
    sub.add_parser("notebooks", help="write clean book/<chapter>.ipynb copies for Colab/Binder")
    args = parser.parse_args(argv)
    if args.command == "notebooks":
        for path in write_notebooks(ROOT):
            print(f"[notebooks] wrote {path.relative_to(ROOT)}")
        return 0
    if args.command == "build":
        chapters = [normalise_chapter(c) for c in args.chapters] if args.chapters else None
        build(ROOT, args.profile, args.device, args.seed, chapters)
        return 0
    chapters = [normalise_chapter(c) for c in args.chapters] if args.chapters else None
    problems = check(ROOT, chapters)
    for problem in problems:
        print(f"[check] {problem}")
    if problems:
        print(f"[check] FAILED: {len(problems)} problem(s) with the built book.")
        return 1
    print("[check] the built book is complete: pages, clean notebooks, widget state, results.")
    return 0


def normalise_chapter(name: str) -> str:
    """Accept ``convolutions_from_data``, ``book/convolutions_from_data`` or ``….py``."""
    stem = name.removesuffix(".py").removesuffix(".ipynb")
    return stem if "/" in stem else f"book/{stem}"


if __name__ == "__main__":
    sys.exit(main())
