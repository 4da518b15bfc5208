"""How fast this machine is right now, on the work that dominates the slow chapters; prints
figures, asserts nothing.

    python benchmarks/machine_speed.py [--repeats 5] [--threads 2]

The same idle two-core machine has run the same chapter 10–40 % slower on one day than on
another. A chapter's time means little without the speed it ran at, so run this beside a
timing (before and after it) and report both:

* ``gemm`` — a 2048 × 2048 float32 matrix product in PyTorch on the ``--threads``, GFLOP/s: the
  figure ``make book`` and ``make seeds`` print before each chapter
  (:func:`emergence.book.pipeline.machine_speed`, there on two threads);
* ``lateral step`` — one training step of Chapter 1's network at the ``cpu`` size (forward and
  backward through the five lateral iterations, Adam), ms: about three quarters of that page;
* ``mirror step`` — one training step of Chapter 3's small CNN (batch 64, AdamW), ms: its five
  networks take about half of that page;
* ``frame`` — one explorer frame (a 6.6 × 4.6 in figure with text and images, drawn and saved
  as a PNG at 100 dpi), ms: matplotlib alone, no torch.

Each torch figure is the median of ``--repeats`` timings.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from emergence.book.pipeline import machine_speed  # noqa: E402
from emergence.experiments.lie.config import architecture, config_for  # noqa: E402
from emergence.models.lateral import LateralV1Net  # noqa: E402
from emergence.models.mirrorcnn import MirrorCNN, init_like_paper, train_classifier  # noqa: E402


def median_seconds(work, repeats: int) -> float:
    """Median wall time of ``work()`` over ``repeats`` calls, after one warm-up call."""
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def lateral_step_ms(repeats: int) -> float:
    cfg = config_for("cpu")
    net = LateralV1Net(n_classes=12, generator=torch.Generator().manual_seed(0),
                       **architecture(cfg))
    optimiser = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    x = torch.randn(cfg.batch, 1, cfg.crop, cfg.crop)
    y = torch.randint(12, (cfg.batch,))

    def step():
        loss = F.cross_entropy(net(x), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()

    return 1e3 * median_seconds(step, repeats)


def mirror_step_ms(repeats: int, steps: int = 8, batch: int = 64) -> float:
    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(steps * batch, 1, 32, 32, generator=g), torch.randint(12, (steps * batch,))
    model = MirrorCNN(12)
    init_like_paper(model, g)

    def train():
        train_classifier(model, x, y, g, epochs=1, batch=batch, progress=False)

    return 1e3 * median_seconds(train, repeats) / steps


def frame_ms(repeats: int) -> float:
    rng = np.random.default_rng(0)
    fig = plt.figure(figsize=(6.6, 4.6))
    grid = fig.add_gridspec(2, 3, height_ratios=[0.8, 2.6], width_ratios=[1, 1, 0.06])
    strip = fig.add_subplot(grid[0, :]).imshow(rng.random((32, 288)), cmap="gray")
    mats = [fig.add_subplot(grid[1, j]).imshow(rng.random((9, 9))) for j in range(2)]
    fig.colorbar(mats[1], cax=fig.add_subplot(grid[1, 2]), label="dissimilarity")
    heading = fig.suptitle("")

    def frame():
        strip.set_data(rng.random((32, 288)))
        heading.set_text(f"frame {rng.integers(100)}")
        fig.savefig(io.BytesIO(), format="png", dpi=100)

    ms = 1e3 * median_seconds(frame, repeats)
    plt.close(fig)
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (the chapters: 2)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"machine speed ({args.threads} torch threads, median of {args.repeats}):")
    gemm = machine_speed(repeats=args.repeats, threads=args.threads)
    print(f"  gemm          {gemm:7.1f} GFLOP/s (PyTorch)")
    print(f"  lateral step  {lateral_step_ms(args.repeats):7.1f} ms   (Chapter 1, cpu size)")
    print(f"  mirror step   {mirror_step_ms(args.repeats):7.1f} ms   (Chapter 3, batch 64)")
    print(f"  frame         {frame_ms(args.repeats):7.1f} ms   (an explorer frame, 100 dpi)")


if __name__ == "__main__":
    main()
