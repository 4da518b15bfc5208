"""Throughput of the Chapter 2 simulations on this machine; prints figures, asserts nothing.

    python benchmarks/throughput.py [--seconds 3]

* NLGP samples per second (D = 100 and 400; 1D ring and 2D torus), drawn in batches;
* online-SGD network-steps per second of the soft committee (K = 8), one network alone and a
  batch of networks simulated together (as in the chapter's gain sweep).
"""

from __future__ import annotations

import argparse
import time

import torch

from emergence.data.nlgp import DiscriminationTask
from emergence.models.committee import SoftCommittee
from emergence.train import train


def rate(work, seconds: float) -> float:
    """Units of work per second of ``work()`` (which returns the units it did), after a warm-up."""
    work()
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        done += work()
    return done / (time.perf_counter() - start)


def sampling_rate(L: int, dim: int, seconds: float, batch: int = 4000) -> float:
    task = DiscriminationTask(L, dim, [3.0])
    generator = torch.Generator().manual_seed(0)

    def work():
        task.sample(batch, generator)
        return batch

    return rate(work, seconds)


def sgd_rate(L: int, n_networks: int, seconds: float, K: int = 8, steps: int = 4000) -> float:
    task = DiscriminationTask(L, 1, [3.0] * n_networks)
    generator = torch.Generator().manual_seed(0)
    net = SoftCommittee(n_networks, K, task.D, generator)

    def work():
        train(lambda x, y: net.sgd_step(x, y, 0.05 * K), lambda m: task.sample(m, generator),
              steps, chunk=2000, progress=False)
        return steps * n_networks

    return rate(work, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for L, dim in [(100, 1), (400, 1), (20, 2)]:
        D = L**dim
        print(f"NLGP sampling, D = {D:4d} ({dim}D): "
              f"{sampling_rate(L, dim, args.seconds):12,.0f} samples/s")
    for L in (100, 400):
        for n in (1, 14):
            print(f"online SGD, K = 8, D = {L:4d}, {n:2d} network(s): "
                  f"{sgd_rate(L, n, args.seconds):12,.0f} network-steps/s")


if __name__ == "__main__":
    main()
