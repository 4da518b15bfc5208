"""One call opens a chapter: :func:`open_chapter` replaces the preamble every page used to copy.

A chapter's parameters cell sets ``PROFILE``, ``DEVICE``, ``SEED`` and ``RESULTS_DIR``; the next
cell calls ``run, cfg = open_chapter(experiment, PROFILE, DEVICE, SEED, RESULTS_DIR)``, where
``experiment`` is the chapter's package under :mod:`emergence.experiments`. It must provide
``config_for(profile, **overrides)`` (the configuration of a profile) and ``CPU_THREADS`` (the
torch threads the chapter computes with on a CPU — fixed, because the order of floating-point
sums, hence the page's numbers, can depend on it).
"""

from __future__ import annotations

import dataclasses
from types import ModuleType

import torch

from emergence.plotting import use_book_style
from emergence.profiles import start_run


def open_chapter(experiment: ModuleType, profile: str, device: str, seed: int,
                 results_dir, **overrides):
    """Check the parameters (a bad value stops the chapter with a message naming it and the
    allowed values), fix the thread policy, apply the book's figure style and print the run's
    sizes. Returns ``(run, cfg)``: the :class:`~emergence.profiles.Run` and the experiment's
    configuration for ``profile`` (``overrides`` change single fields, as in the exercises)."""
    run = start_run(profile, device, seed, results_dir)
    cfg = experiment.config_for(run.profile, **overrides)
    if run.device.type == "cpu":
        torch.set_num_threads(experiment.CPU_THREADS)
    use_book_style()
    print(run.describe(dataclasses.asdict(cfg)))
    return run, cfg
