"""Headline numbers of a chapter, written to ``RESULTS_DIR/<chapter>.json``.

Every file holds the chapter's own keys (documented in the chapter) plus these, added here:
``chapter``, ``profile``, ``seed``, ``device``, ``data`` (which data the numbers came from),
``runtime_seconds``, ``created`` (UTC, ISO 8601), ``emergence_version`` and ``torch_version``.
The reproduction scorecard and the tests read these files.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch

from emergence import __version__
from emergence.profiles import Run

METADATA_KEYS = ("chapter", "profile", "seed", "device", "data", "runtime_seconds", "created",
                 "emergence_version", "torch_version")


def _plain(value: Any) -> Any:
    """Tensors, NumPy scalars and tuples to plain JSON values; NaN/inf are refused."""
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    if hasattr(value, "item") and not isinstance(value, (list, dict)):
        value = value.item()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"result value {value!r} is not a finite number.")
    return value


def write_results(run: Run, chapter: str, headline: dict[str, Any], data: str) -> Path:
    """Write ``headline`` with the run's metadata to ``run.results_dir / f"{chapter}.json"``."""
    clash = set(headline) & set(METADATA_KEYS)
    if clash:
        raise ValueError(f"headline keys {sorted(clash)} are reserved for metadata.")
    record = _plain(headline) | {
        "chapter": chapter,
        "profile": run.profile,
        "seed": run.seed,
        "device": str(run.device),
        "data": data,
        "runtime_seconds": round(run.elapsed(), 2),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "emergence_version": __version__,
        "torch_version": torch.__version__,
    }
    path = run.results_dir / f"{chapter}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path
