"""A chapter runs in a bare Colab-like runtime: Jupyter and PyTorch, but not the book's package.

The generated notebook's first code cell must install ``emergence`` (here from this checkout,
through ``EMERGENCE_PIP_SOURCE``) and the chapter must then run at the ``smoke`` profile.
"""

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

from conftest import REPO
from emergence.book.pipeline import chapter_names, chapter_notebook, repository_url

pytestmark = pytest.mark.slow
RUNTIME = ["numpy", "matplotlib", "tqdm", "ipywidgets", "ipykernel", "papermill"]
# PyTorch and what it needs: taken from this environment (below) instead of installed again
TORCH_STACK = ["torch", "filelock", "fsspec", "jinja2", "markupsafe", "mpmath", "networkx",
               "sympy", "typing_extensions"]


def link_torch(python: str, folder: Path) -> None:
    """Make this environment's PyTorch importable (and visible to pip) in the runtime of
    ``python`` without copying its 750 MB: symlinks to each distribution's top-level files in
    ``folder``, which a ``.pth`` file puts on the runtime's path — as Colab ships PyTorch."""
    folder.mkdir()
    for name in TORCH_STACK:
        dist = distribution(name)
        for top in {Path(str(f)).parts[0] for f in dist.files or []} - {"..", "__pycache__"}:
            source = Path(dist.locate_file(top))
            if source.exists() and not (folder / top).exists():
                (folder / top).symlink_to(source)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "colab_torch.pth").write_text(f"{folder}\n")


def test_generated_notebook_installs_the_package_and_runs(tmp_path):
    venv = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--no-compile", "-c",
           str(REPO / "constraints.txt")]
    link_torch(python, tmp_path / "torch-stack")
    subprocess.run(pip + RUNTIME, check=True)
    assert subprocess.run([python, "-c", "import torch"]).returncode == 0
    assert subprocess.run([python, "-c", "import emergence"]).returncode != 0  # really bare
    subprocess.run([python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "bare"],
                   check=True, capture_output=True)

    chapter = "book/convolutions_from_data"  # the quickest chapter
    assert chapter in chapter_names(REPO)
    notebook = tmp_path / "chapter.ipynb"
    import jupytext

    jupytext.write(chapter_notebook(REPO / f"{chapter}.py", repository_url(REPO)), notebook)
    assert "@REPOSITORY_URL@" not in notebook.read_text()
    assert repository_url(REPO) in notebook.read_text()

    # a copy of this checkout, so that pip's build folders stay out of the working tree
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv", "_build", "build", "*.egg-info", "__pycache__"))
    results = tmp_path / "results"
    env = os.environ | {"EMERGENCE_PIP_SOURCE": str(checkout),
                        "EMERGENCE_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([python, "-m", "papermill", str(notebook), str(tmp_path / "out.ipynb"),
                    "-k", "bare", "--cwd", str(tmp_path), "-p", "PROFILE", "smoke",
                    "-p", "DEVICE", "cpu", "-p", "RESULTS_DIR", str(results)],
                   check=True, env=env, capture_output=True)
    executed = json.loads((tmp_path / "out.ipynb").read_text())
    printed = "".join("".join(o.get("text", "")) for c in executed["cells"]
                      for o in c.get("outputs", []))
    assert f"installing the book's package from {checkout}" in printed
    assert (results / f"{chapter.split('/')[-1]}.json").exists()
    assert subprocess.run([python, "-c", "import emergence"]).returncode == 0
