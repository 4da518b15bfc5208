"""Run parameters shared by every chapter: profile, device, seed and where results go.

Each chapter's papermill ``parameters`` cell sets ``PROFILE``, ``DEVICE``, ``SEED`` and
``RESULTS_DIR``; :func:`start_run` checks them at once and stops the chapter with a message that
names the parameter and its allowed values.

=========  ===========================================  ======================================
profile    where                                        budget
=========  ===========================================  ======================================
``smoke``  the test suite                               seconds; proves the code path runs
``cpu``    a laptop, Binder, CI (the default)           minutes on 2 cores; effects visible
``paper``  a GPU                                        the papers' scale
=========  ===========================================  ======================================
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

PROFILES = ("smoke", "cpu", "paper")
DEVICES = ("auto", "cpu", "cuda")


def require_choice(name: str, value, allowed) -> None:
    """Raise ``ValueError`` naming ``name`` and ``allowed`` unless ``value`` is one of them."""
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name}={value!r} is not allowed; choose one of {choices}.")


def require_positive(name: str, value, *, integer: bool = False) -> None:
    """Raise ``ValueError`` naming ``name`` unless ``value`` is a positive (integer) number."""
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or not value > 0:
        what = "a positive integer" if integer else "a positive number"
        raise ValueError(f"{name}={value!r} is not allowed; it must be {what}.")


def resolve_device(device: str) -> torch.device:
    """Map ``DEVICE`` (``auto`` | ``cpu`` | ``cuda``) to a torch device; ``auto`` prefers CUDA."""
    require_choice("DEVICE", device, DEVICES)
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("DEVICE='cuda' was requested but no CUDA GPU is visible; "
                         "choose one of 'auto', 'cpu'.")
    return torch.device(device)


def make_generator(seed: int, stream: str, device: torch.device | str = "cpu") -> torch.Generator:
    """An independent random stream named ``stream``, fully determined by ``seed``.

    Each experiment draws from its own stream, so adding or reordering experiments in a chapter
    does not change the numbers of the others.
    """
    digest = hashlib.sha256(f"{seed}:{stream}".encode()).digest()
    generator = torch.Generator(device=device)
    generator.manual_seed(int.from_bytes(digest[:8], "little") & (2**63 - 1))
    return generator


@dataclass(frozen=True)
class Run:
    """The checked parameters of one chapter run."""

    profile: str
    device: torch.device
    seed: int
    results_dir: Path
    started: float = field(default_factory=time.perf_counter)

    def generator(self, stream: str, device: torch.device | str | None = None) -> torch.Generator:
        """The random stream ``stream`` of this run (see :func:`make_generator`)."""
        return make_generator(self.seed, stream, self.device if device is None else device)

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.perf_counter() - self.started

    def describe(self, sizes: dict, width: int = 78) -> str:
        """The run and its experiment sizes, in lines of at most ``width`` characters (a long
        value stays whole on its own line)."""
        items = [f"{key} = {value}" for key, value in sizes.items()]
        lines, line = [f"profile {self.profile!r} on {self.device}, seed {self.seed}; sizes:"], ""
        for item in items:
            if line and len(line) + len(item) + 2 > width:
                lines.append(line)
                line = ""
            line = f"{line}, {item}" if line else f"  {item}"
        return "\n".join(lines + [line] if line else lines)


def start_run(profile: str, device: str, seed: int, results_dir: str | Path) -> Run:
    """Check a chapter's parameters and return its :class:`Run`; fail fast on a bad value."""
    require_choice("PROFILE", profile, PROFILES)
    resolved = resolve_device(device)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"SEED={seed!r} is not allowed; it must be a non-negative integer.")
    if not isinstance(results_dir, (str, Path)) or not str(results_dir):
        raise ValueError(f"RESULTS_DIR={results_dir!r} is not allowed; it must be a folder path.")
    path = Path(results_dir).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return Run(profile=profile, device=resolved, seed=seed, results_dir=path)
