"""Cache of expensive results (trained weights, long simulations), keyed by their configuration.

``cached(name, config, compute)`` returns ``compute()``'s dictionary, from disk when an entry
for the same ``name``, ``config`` and science source code exists. The key is the SHA-256 of the
configuration (as canonical JSON) and of the source of the modules a run computes with
(:data:`SCIENCE`: data, models, analysis, experiments, training, seeding), so a change of that
code or of the parameters never returns a stale result, while an edit to the book's machinery
(``emergence.book``), to the widgets or to what a chapter computes *from* its runs
(:data:`DOWNSTREAM`: its summary, claims, results record, tables and figures, which the runs never
import) never retrains a network. Each entry is a
``torch.save`` file with a SHA-256 sidecar; an entry whose checksum does not match, or that
fails to load with ``weights_only=True``, is reported, deleted and recomputed — never trusted.

The folder is ``cache_dir``, else ``$EMERGENCE_CACHE_DIR``, else ``~/.cache/emergence``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch

PACKAGE_ROOT = Path(__file__).resolve().parent
#: The parts of the package whose source a cached run computes with (folders and modules).
SCIENCE = ("data", "models", "analysis", "experiments", "train.py", "profiles.py", "cache.py")
#: Modules of an experiment package that read the runs and never feed them (tested: no ``runs``
#: module imports them), left out of the key.
DOWNSTREAM = ("summary.py", "claims.py", "results.py", "tables.py", "figures.py")


def science_sources(root: Path = PACKAGE_ROOT) -> list[Path]:
    """The ``.py`` files of :data:`SCIENCE` under ``root``, in a fixed order."""
    paths = []
    for part in SCIENCE:
        path = root / part
        paths += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []
    return [p for p in paths if p.name not in DOWNSTREAM]


def fingerprint_of(root: Path) -> str:
    """SHA-256 over the science sources under ``root`` (their paths and contents)."""
    digest = hashlib.sha256()
    for path in science_sources(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """:func:`fingerprint_of` the installed package (computed once per process)."""
    return fingerprint_of(PACKAGE_ROOT)


def cache_key(name: str, config: Mapping[str, Any]) -> str:
    """The entry key for ``name`` and ``config`` (JSON-serialisable) under the current code."""
    payload = json.dumps({"name": name, "config": config, "code": code_fingerprint()},
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def default_cache_dir() -> Path:
    return Path(os.environ.get("EMERGENCE_CACHE_DIR", "~/.cache/emergence")).expanduser()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_entry(path: Path) -> dict | None:
    """The entry at ``path`` if it exists and is intact, else ``None`` (damaged entries removed)."""
    sidecar = path.with_suffix(".sha256")
    if not path.exists():
        return None
    try:
        if not sidecar.exists() or sidecar.read_text().strip() != _sha256(path):
            raise ValueError("checksum mismatch")
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # any damage means: recompute
        print(f"Cache entry {path.name} is damaged ({error}); recomputing it.")
        path.unlink(missing_ok=True)
        sidecar.unlink(missing_ok=True)
        return None


def save_entry(path: Path, value: dict) -> None:
    """Write ``value`` atomically with its checksum sidecar."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(value, tmp)
    digest = _sha256(tmp)
    os.replace(tmp, path)
    path.with_suffix(".sha256").write_text(digest)


def cached(name: str, config: Mapping[str, Any], compute: Callable[[], dict],
           cache_dir: str | Path | None = None) -> dict:
    """``compute()`` for ``config``, cached on disk (module docstring)."""
    folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    path = folder / f"{name}-{cache_key(name, config)}.pt"
    value = load_entry(path)
    if value is None:
        value = compute()
        if not isinstance(value, dict):
            raise TypeError(f"compute() for cache entry {name!r} must return a dict.")
        save_entry(path, value)
    return value
