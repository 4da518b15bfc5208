import os
import shutil
from pathlib import Path

# One thread per test process: the tests' tensors are small, and on a busy 2-core machine every
# extra torch/BLAS thread only spin-waits (the fast tests ran ~5x slower with the defaults).
# Chapters executed by the slow tests set their own torch threads, as the book does.
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import pytest
import torch

torch.set_num_threads(1)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Every test gets its own empty result cache."""
    monkeypatch.setenv("EMERGENCE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def generator():
    return torch.Generator().manual_seed(1234)


def copy_book(target: Path) -> Path:
    """The book's sources (config, toc, pages, chapters) copied into ``target``."""
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "book", target / "book",
                    ignore=shutil.ignore_patterns("*.ipynb", "results", "__pycache__"))
    return target


@pytest.fixture(scope="session")
def smoke_book(tmp_path_factory):
    """The whole book built at the ``smoke`` profile in a temporary folder, once per session.

    A stale page is planted in ``_build/html`` first, to check that a build removes it.
    """
    from emergence.book.pipeline import build

    root = copy_book(tmp_path_factory.mktemp("book"))
    (root / "_build" / "html").mkdir(parents=True)
    (root / "_build" / "html" / "stale.html").write_text("an old build")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMERGENCE_CACHE_DIR", str(root / "_build" / "cache"))
        index = build(root, "smoke", "cpu", 0, None)
    return root, index


def assert_no_internal_ids(records) -> None:
    """The words a reader sees of each claim (claim, ours, criterion, setting, reasons,
    controls) never hold an internal claim id such as ``nlgp_localises_1d``."""
    ids = {c.id for c in records}
    for claim in records:
        for text in (claim.claim, claim.ours, claim.criterion, claim.setting, claim.no_control,
                     claim.reason, *(f"{c.name} {c.value}" for c in claim.controls)):
            assert not any(i in (text or "") for i in ids), (claim.id, text)
