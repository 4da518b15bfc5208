"""A training loop by steps: draw data in chunks, take steps, record snapshots.

The networks trained for a number of *steps* go through :func:`train`: Chapter 1's lateral
network (``emergence.models.lateral``) and Chapter 2's convolutional committee
(``emergence.models.convcommittee``), so their progress bars, snapshot times and chunked data
behave alike. Two networks train otherwise: Chapter 2's soft committee, whose online SGD (one
sample per step) runs in a compiled loop over whole blocks of inputs
(``emergence.models.committee.train_committees``), and Chapter 3's small CNN, trained by epochs
over a fixed set (``emergence.models.mirrorcnn.train_classifier``).

``sample(m)`` returns the data for ``m`` consecutive steps (first dimension = step),
``step(x, y)`` performs one update, and ``record()`` is called after the steps listed in
``record_at`` (and before any step if 0 is listed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch

from emergence.profiles import require_positive
from emergence.progress import progress_bar


def train(
    step: Callable[[torch.Tensor, torch.Tensor], Any],
    sample: Callable[[int], tuple[torch.Tensor, torch.Tensor]],
    n_steps: int,
    *,
    record_at: Iterable[int] = (),
    record: Callable[[], Any] | None = None,
    chunk: int = 1000,
    desc: str = "training",
    progress: bool = True,
) -> list[Any]:
    """Run ``n_steps`` updates and return what ``record()`` gave at each step of ``record_at``."""
    require_positive("n_steps", n_steps, integer=True)
    require_positive("chunk", chunk, integer=True)
    marks = sorted(set(int(s) for s in record_at))
    if marks and (marks[0] < 0 or marks[-1] > n_steps):
        raise ValueError(f"record_at must lie in [0, {n_steps}]; got {marks[0]} … {marks[-1]}.")
    if marks and record is None:
        raise ValueError("record_at was given but record is None.")
    records, next_mark = [], 0
    if marks and marks[0] == 0:
        records.append(record())
        next_mark = 1
    done = 0
    with progress_bar(total=n_steps, desc=desc, disable=not progress, mininterval=1.0,
                      unit="step") as bar:
        while done < n_steps:
            stop = min(done + chunk, n_steps)
            if next_mark < len(marks):
                stop = min(stop, marks[next_mark])
            xs, ys = sample(stop - done)
            for x, y in zip(xs, ys, strict=True):
                step(x, y)
            bar.update(stop - done)
            done = stop
            if next_mark < len(marks) and done == marks[next_mark]:
                records.append(record())
                next_mark += 1
    return records
