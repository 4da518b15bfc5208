"""Execute the chapters and build the book; check a built book.

``python -m emergence.book.pipeline build``: every chapter ``book/<name>.py`` named in ``_toc.yml``
(Jupytext percent script) → notebook → executed by papermill with ``PROFILE``, ``DEVICE``,
``SEED`` and ``RESULTS_DIR`` injected → staged with the book's other pages in
``_build/stage`` (so no ``x.py`` sits beside ``x.ipynb``), with the reproduction scorecard
generated from the results files (:mod:`emergence.book.scorecard`) → ``jupyter-book build`` with
execution off → ``_build/html``. The old ``_build/html`` is removed before anything runs, so a
failed build never leaves a previous book looking fresh; a failing chapter stops the build with
a non-zero exit that names the chapter and the cell.

``python -m emergence.book.pipeline seeds``: the chapters executed once per seed through the same
papermill step, each seed's notebooks and results in ``_build/seeds/<profile>/seed-<n>/``, then
``_build/seeds/<profile>/robustness.json``: per chapter and claim, in how many seeds the effect
was shown and the median and range of its number (:func:`emergence.book.scorecard.aggregate_seeds`),
with the chapter's fingerprint (package code and chapter source) so that a later build can tell
a stale seeds run from a current one, and the wall time of every chapter and seed.

``python -m emergence.book.pipeline check``: every chapter page exists, no executed notebook
holds an error output or a traceback, and every chapter page carries saved widget state.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from emergence.book import vendor
from emergence.book.scorecard import ROBUSTNESS_FILE, aggregate_seeds, scorecard_page
from emergence.cache import code_fingerprint
from emergence.profiles import DEVICES, PROFILES, require_choice
from emergence.progress import MODE_VARIABLE

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
    mode = os.environ.get(MODE_VARIABLE)
    os.environ[MODE_VARIABLE] = "terminal"  # progress bars to this terminal, not into the page
    try:
        papermill.execute_notebook(
            str(plain), str(executed), parameters=parameters, kernel_name=kernel,
            cwd=str(source.parent), language="python", progress_bar=False, log_output=False,
            extra_arguments=["--IPKernelApp.capture_fd_output=False"])
    except PapermillExecutionError as error:
        raise ChapterFailed(
            f"chapter {source.stem!r} failed in cell {error.cell_index} "
            f"(execution count {error.exec_count}): {error.ename}: {error.evalue}\n"
            f"The executed notebook with the traceback is {executed}."
        ) from None
    finally:
        plain.unlink(missing_ok=True)
        if mode is None:
            os.environ.pop(MODE_VARIABLE)
        else:
            os.environ[MODE_VARIABLE] = mode
    prepare_for_page(executed)
    return time.perf_counter() - start


FIGURE_COMMENT = re.compile(r"^# Figure: (.*(?:\n#   .*)*)", re.M)


def prepare_for_page(executed: Path) -> None:
    """Make an executed notebook read well as a page:

    * the chapter's own parameters cell (its defaults) is tagged ``remove-cell``, so the page
      shows one parameters cell, the values papermill injected for this build (the defaults stay
      in the notebook file, and in the Colab and Binder copies);
    * a cell that starts with a ``# Figure: …`` comment (continued on lines ``#   …``) gets that
      description as the alt text of its figure (myst-nb's ``mystnb.image.alt``).
    """
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
        described = FIGURE_COMMENT.match(cell.source) if cell.cell_type == "code" else None
        if described:
            alt = " ".join(line.lstrip("# ").strip() for line in described.group(1).split("\n"))
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt
    nbformat.write(notebook, executed)


def chapter_title(source: Path) -> str:
    """The first Markdown heading of a chapter's Jupytext source."""
    for line in source.read_text().splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    return source.stem.replace("_", " ")


def chapter_fingerprint(root: Path, name: str) -> str:
    """SHA-256 (first 16 hex digits) of the science code and the chapter's source: what a
    chapter's numbers depend on, to tell a stale seeds run from a current one."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update((root / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def load_robustness(root: Path, profile: str) -> dict | None:
    """The seeds run of ``profile`` (``_build/seeds/<profile>/robustness.json``), if any."""
    path = root / "_build" / "seeds" / profile / ROBUSTNESS_FILE
    return json.loads(path.read_text()) if path.exists() else None


def stage_book(root: Path, stage: Path, chapters: list[str], executed: dict[str, Path],
               results_dir: Path, profile: str | None = None) -> None:
    """Copy the book's pages and the executed chapters into ``stage`` (sources left out), with
    the browser files that make the pages work offline (:mod:`emergence.book.vendor`) and the
    scorecard (with the seeds run of ``profile`` where one exists)."""
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
    (stage / SCORECARD_PAGE).write_text(scorecard(root, chapters, results_dir, profile))


def scorecard(root: Path, chapters: list[str], results_dir: Path, profile: str | None) -> str:
    """The scorecard page of a build of ``chapters`` (in book order), with the robustness
    column of the seeds run at ``profile`` when it is current."""
    pages = [(chapter_title(root / f"{name}.py"), f"{Path(name).name}.ipynb")
             for name in chapter_names(root) if name in chapters]
    fingerprints = {Path(name).name: chapter_fingerprint(root, name) for name in chapters}
    robustness = load_robustness(root, profile) if profile else None
    return scorecard_page(results_dir, pages, robustness, fingerprints)


def chosen_chapters(root: Path, profile: str, device: str,
                    chapters: list[str] | None) -> list[str]:
    """The chapters to run, after checking the profile, the device and the chapter names."""
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
    return chosen


def machine_speed(n: int = 2048, repeats: int = 5, threads: int = 2) -> float:
    """GFLOP/s of a float32 ``n`` × ``n`` matrix product in PyTorch on ``threads`` threads (the
    chapters' count; median of ``repeats``): how fast the machine is at the moment. The same
    idle two-core machine has run at 60–100 % of its best, so a chapter's time is printed with
    it (``benchmarks/machine_speed.py`` also times the chapters' own workloads). NumPy's
    product is not used: its speed did not follow the slow phases of PyTorch's."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a = torch.randn(n, n, generator=torch.Generator().manual_seed(0))
        a @ a  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            a @ a
            times.append(time.perf_counter() - start)
    finally:
        torch.set_num_threads(before)
    return 2 * n ** 3 / sorted(times)[len(times) // 2] / 1e9


def execute_chapters(root: Path, chapters: list[str], profile: str, device: str, seed: int,
                     executed_dir: Path, results_dir: Path) -> dict[str, tuple[Path, float]]:
    """Run each chapter with papermill into ``executed_dir``, its results into ``results_dir``;
    return ``{chapter: (executed notebook, seconds)}``. A failing chapter stops everything."""
    kernel = kernel_name()
    executed = {}
    for name in chapters:
        target = executed_dir / f"{name}.ipynb"
        print(f"[book] executing {name} (PROFILE={profile}, DEVICE={device}, SEED={seed}, "
              f"kernel {kernel}; machine at {machine_speed():.0f} GFLOP/s) ...", flush=True)
        source = root / f"{name}.py"
        # relative to the chapter's folder (papermill's working directory), so the executed
        # page shows a path that means something to its reader
        params = {"PROFILE": profile, "DEVICE": device, "SEED": seed,
                  "RESULTS_DIR": os.path.relpath(results_dir, source.parent)}
        try:
            seconds = execute_chapter(source, target, params, kernel, repository_url(root))
        except ChapterFailed as error:
            raise SystemExit(f"[book] FAILED (seed {seed}): {error}") from None
        print(f"[book] {name} done in {seconds:.0f} s", flush=True)
        executed[name] = (target, seconds)
    return executed


def build(root: Path, profile: str, device: str, seed: int, chapters: list[str] | None) -> Path:
    """Run the whole pipeline (module docstring); return the path of ``index.html``."""
    chosen = chosen_chapters(root, profile, device, chapters)
    out = root / "_build"
    html = out / "html"
    if html.exists():
        shutil.rmtree(html)
    results_dir = out / "results"
    executed = execute_chapters(root, chosen, profile, device, seed, out / "executed",
                                results_dir)
    stage = out / "stage"
    stage_book(root, stage, chosen, {name: path for name, (path, _) in executed.items()},
               results_dir, profile)
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


def seeds(root: Path, profile: str, device: str, seed_list: list[int],
          chapters: list[str] | None) -> Path:
    """Execute the chapters once per seed and write the robustness table (module docstring);
    return the path of ``robustness.json``."""
    chosen = chosen_chapters(root, profile, device, chapters)
    if len(set(seed_list)) != len(seed_list) or not seed_list:
        raise SystemExit(f"SEEDS: give distinct seeds, e.g. SEEDS=\"0 1 2 3\" (got {seed_list}).")
    out = root / "_build" / "seeds" / profile
    path = out / ROBUSTNESS_FILE
    path.unlink(missing_ok=True)
    seconds: dict[str, dict[str, float]] = {}
    for seed in seed_list:
        folder = out / f"seed-{seed}"
        if folder.exists():
            shutil.rmtree(folder)
        executed = execute_chapters(root, chosen, profile, device, seed, folder / "executed",
                                    folder / "results")
        seconds[str(seed)] = {Path(name).name: round(t, 1) for name, (_, t) in executed.items()}
        # rewritten after every seed, so that an interrupted run keeps the seeds it finished
        table = robustness_table(root, out, chosen, profile, device, seed_list, seconds)
        path.write_text(json.dumps(table, indent=2) + "\n")
    print_robustness(table)
    print(f"[seeds] wrote {path}")
    return path


def robustness_table(root: Path, out: Path, chapters: list[str], profile: str, device: str,
                     requested: list[int], seconds: dict[str, dict[str, float]]) -> dict:
    """The robustness table over the seeds finished so far (the keys of ``seconds``)."""
    done = [int(seed) for seed in seconds]
    table = {"profile": profile, "device": device, "seeds": done, "requested_seeds": requested,
             "created": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
             "wall_seconds": seconds, "chapters": {}}
    for name in chapters:
        stem = Path(name).name
        records = {seed: json.loads((out / f"seed-{seed}" / "results" / f"{stem}.json")
                                    .read_text()) for seed in done}
        table["chapters"][stem] = {"fingerprint": chapter_fingerprint(root, name),
                                   "claims": aggregate_seeds(records)}
    return table


def print_robustness(table: dict) -> None:
    """The robustness table and the wall times, as text for the terminal."""
    from emergence.book.scorecard import seeds_cell

    for chapter, entry in table["chapters"].items():
        print(f"[seeds] {chapter}")
        for claim_id, row in entry["claims"].items():
            print(f"    {claim_id:40s} {seeds_cell(row)}")
    total = sum(sum(per_seed.values()) for per_seed in table["wall_seconds"].values())
    for seed, per_seed in table["wall_seconds"].items():
        print(f"[seeds] seed {seed}: " + ", ".join(f"{c} {t:.0f} s" for c, t in per_seed.items()))
    print(f"[seeds] wall time of all chapters and seeds: {total:.0f} s")


def notebook_problems(path: Path) -> list[str]:
    """What a reader must not see in an executed notebook, one line each: error outputs,
    tracebacks, anything written to standard error (warnings, progress bars), saved progress-bar
    widgets, and more than one parameters cell on the page."""
    notebook = json.loads(path.read_text())
    problems = []
    for index, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []):
            text = json.dumps(output)
            if output.get("output_type") == "error":
                problems.append(f"{path.name} cell {index}: error output {output.get('ename')}")
            elif "Traceback (most recent call last)" in text:
                problems.append(f"{path.name} cell {index}: a traceback in its output")
            elif output.get("name") == "stderr":
                first = "".join(output.get("text", "")).strip().splitlines()[:1]
                problems.append(f"{path.name} cell {index}: writes to standard error: {first}")
    state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})
    if any(model.get("model_name") == "FloatProgressModel"
           for model in state.get("state", {}).values()):
        problems.append(f"{path.name}: a progress bar is saved in the notebook")
    parameter_tags = {"parameters", "injected-parameters"}
    shown = [index for index, cell in enumerate(notebook.get("cells", []))
             if parameter_tags & set(tags := cell.get("metadata", {}).get("tags", []))
             and "remove-cell" not in tags]
    if len(shown) > 1:
        problems.append(f"{path.name}: cells {shown} all show parameters")
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
    parser = argparse.ArgumentParser(prog="python -m emergence.book.pipeline", description=__doc__,
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
    r = sub.add_parser("seeds", help="execute the chapters once per seed; robustness table")
    r.add_argument("--profile", default="cpu")
    r.add_argument("--device", default="auto")
    r.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    r.add_argument("--chapters", nargs="*", default=None)
    sub.add_parser("notebooks", help="write clean book/<chapter>.ipynb copies for Colab/Binder")
    args = parser.parse_args(argv)
    root = Path.cwd()  # the project root: make runs every command from there
    if args.command == "notebooks":
        for path in write_notebooks(root):
            print(f"[notebooks] wrote {path.relative_to(root)}")
        return 0
    chapters = [normalise_chapter(c) for c in args.chapters] if args.chapters else None
    if args.command == "build":
        build(root, args.profile, args.device, args.seed, chapters)
        return 0
    if args.command == "seeds":
        seeds(root, args.profile, args.device, args.seeds, chapters)
        return 0
    problems = check(root, chapters)
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
