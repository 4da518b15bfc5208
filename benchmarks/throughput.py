"""Throughput of the Chapter 2 simulations on this machine; prints figures, asserts nothing.

    python benchmarks/throughput.py [--seconds 3]

* NLGP samples per second (D = 100 and 400; 1D ring and 2D torus), drawn in batches;
* online-SGD network-steps per second of the soft committee (K = 8), one network alone and a
  batch of networks simulated together (as in the chapter's gain sweep): the compiled loop alone
  on inputs drawn beforehand ("sampling excluded") and :func:`train_committees` as the chapter
  calls it ("sampling included"; it draws the next block of inputs in a second thread while the
  current one trains).

``--before REV`` also measures the torch engine that the compiled loop replaced (one batched
``baddbmm`` step per sample), loaded from ``src/emergence/models/committee.py`` at git revision
``REV`` (e.g. ``ddcdd9e``); it is not kept in the package.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import tempfile
import time
from pathlib import Path

import numba
import torch

from emergence.data.nlgp import DiscriminationTask
from emergence.models.committee import initial_parameters, sgd_steps, train_committees


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


def kernel_rate(L: int, dim: int, n_networks: int, seconds: float, K: int = 8) -> float:
    """Network-steps/s of the compiled loop on one block of inputs drawn beforehand."""
    task = DiscriminationTask(L, dim, [3.0] * n_networks)
    generator = torch.Generator().manual_seed(0)
    steps = max(1, 2_000_000 // (n_networks * task.D))
    xs, ys = (a.numpy() for a in task.sample(steps, generator))
    w, b = initial_parameters(n_networks, K, task.D, generator)
    W, B = w.double().numpy().transpose(0, 2, 1).copy(), b.double().numpy()

    def work():
        sgd_steps(W, B, xs, ys, 0.05)
        return steps * n_networks

    return rate(work, seconds)


def training_rate(L: int, dim: int, n_networks: int, seconds: float, K: int = 8) -> float:
    """Network-steps/s of :func:`train_committees`, sampling included."""
    task = DiscriminationTask(L, dim, [3.0] * n_networks)
    t_max = max(1, 4_000_000 // (n_networks * task.D)) / task.D

    def work():
        train_committees(task, K, t_max, torch.Generator().manual_seed(0), n_test=1,
                         progress=False)
        return round(t_max * task.D) * n_networks

    return rate(work, seconds)


def old_engine(rev: str):
    """The module ``emergence.models.committee`` as it was at git revision ``rev``."""
    repo = Path(__file__).resolve().parents[1]
    source = subprocess.run(["git", "show", f"{rev}:src/emergence/models/committee.py"],
                            cwd=repo, check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "old_committee.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_committee", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def old_rates(module, L: int, dim: int, n_networks: int, seconds: float, K: int = 8,
              steps: int = 2000) -> tuple[float, float]:
    """Network-steps/s of the old torch engine: sampling excluded, included."""
    task = DiscriminationTask(L, dim, [3.0] * n_networks)
    generator = torch.Generator().manual_seed(0)
    net = module.SoftCommittee(n_networks, K, task.D, generator)
    xs, ys = task.sample(steps, generator)

    def excluded():
        for x, y in zip(xs, ys, strict=True):
            net.sgd_step(x, y, 0.05 * K)
        return steps * n_networks

    def included():
        xs, ys = task.sample(steps, generator)
        for x, y in zip(xs, ys, strict=True):
            net.sgd_step(x, y, 0.05 * K)
        return steps * n_networks

    return rate(excluded, seconds), rate(included, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--before", metavar="REV", help="also time the torch engine of git "
                        "revision REV (before the compiled loop)")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; numba "
          f"{numba.__version__}")
    for L, dim in [(100, 1), (400, 1), (20, 2)]:
        D = L**dim
        print(f"NLGP sampling, D = {D:4d} ({dim}D): "
              f"{sampling_rate(L, dim, args.seconds):12,.0f} samples/s")
    for L, dim in [(100, 1), (400, 1), (20, 2)]:
        for n in (1, 8):
            where = f"K = 8, D = {L**dim:4d} ({dim}D), {n} network(s)"
            print(f"online SGD, {where}: sampling excluded "
                  f"{kernel_rate(L, dim, n, args.seconds):12,.0f}, included "
                  f"{training_rate(L, dim, n, args.seconds):12,.0f} network-steps/s")
    if args.before:
        module = old_engine(args.before)
        for L, dim in [(100, 1), (400, 1), (20, 2)]:
            for n in (1, 8):
                excluded, included = old_rates(module, L, dim, n, args.seconds)
                print(f"BEFORE ({args.before}, torch engine), K = 8, D = {L**dim:4d} ({dim}D), "
                      f"{n} network(s): sampling excluded {excluded:12,.0f}, included "
                      f"{included:12,.0f} network-steps/s")


if __name__ == "__main__":
    main()
