"""Where Chapter 1's time goes at a profile: each run of the page timed once without the cache
(training stage 1 and stage 2, the Gabor fits, the SE(2) model, the lateral kernels, their
measures, the summary), and one stage-1 step split by part of the network (a PyTorch profile of
``--profile-steps`` steps: forward and backward of ℓ⁰/ℓ¹, the lateral propagation, the head;
the batch sampling; the optimiser). Asserts nothing; prints a table.

    OMP_NUM_THREADS=1 python benchmarks/lie_profile.py [--profile cpu] [--threads 1] [--seed 0]
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from emergence.experiments.lie import runs
from emergence.experiments.lie.config import architecture, config_for
from emergence.experiments.lie.contours import train_contour_network
from emergence.experiments.lie.images import training_images
from emergence.experiments.lie.kernels import se2_model
from emergence.experiments.lie.summary import summarise
from emergence.experiments.lie.training import train_network
from emergence.models.lateral import LateralV1Net
from emergence.profiles import make_generator


def timed(label: str, function, table: list):
    started = time.perf_counter()
    out = function()
    table.append((label, time.perf_counter() - started))
    return out


def step_parts(cfg, images, n_steps: int) -> list[tuple[str, float]]:
    """Seconds per stage-1 step in each part: sampling, ℓ⁰/ℓ¹ forward, propagation forward,
    head forward, backward, optimiser (wall clock, ``n_steps`` steps after two warm-up steps)."""
    net = LateralV1Net(n_classes=images.n_classes, generator=make_generator(0, "init"),
                       **architecture(cfg))
    optimiser = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    generator = make_generator(0, "train")
    parts = dict.fromkeys(("sample a batch (crops, rotations, noise)", "forward ℓ⁰, ℓ¹",
                           "forward lateral propagation (n iterations)", "forward head",
                           "backward (all parts)", "Adam step"), 0.0)
    names = list(parts)
    for i in range(n_steps + 2):
        marks = [time.perf_counter()]
        x, y = images.sample(cfg.batch, generator)
        x = x + cfg.noise * torch.rand(len(x), 1, 1, 1, generator=generator) * torch.randn(
            x.shape, generator=generator)
        marks.append(time.perf_counter())
        h0 = net.v1(x)
        marks.append(time.perf_counter())
        h = net.propagate(h0)
        marks.append(time.perf_counter())
        loss = F.cross_entropy(net.classify(h), y)
        marks.append(time.perf_counter())
        optimiser.zero_grad()
        loss.backward()
        marks.append(time.perf_counter())
        optimiser.step()
        marks.append(time.perf_counter())
        if i >= 2:
            for name, a, b in zip(names, marks[:-1], marks[1:], strict=True):
                parts[name] += (b - a) / n_steps
    return list(parts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="cpu", choices=("smoke", "cpu"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--profile-steps", type=int, default=40)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cfg = config_for(args.profile, workers=args.workers)
    images = training_images(cfg)
    device = torch.device("cpu")
    print(f"{args.profile} profile, {args.threads} torch thread(s), {args.workers} fit "
          f"process(es), seed {args.seed}")
    per_step = step_parts(cfg, images, args.profile_steps)
    total = sum(s for _, s in per_step)
    print(f"\none stage-1 step, batch {cfg.batch}: {1000 * total:.1f} ms")
    for name, seconds in per_step:
        print(f"  {name:45s} {1000 * seconds:7.1f} ms  {seconds / total:5.1%}")
    table: list[tuple[str, float]] = []
    stages = timed("training: stage 1 + stage 2 (+ 2 x test accuracy)",
                   lambda: train_network(cfg, images.sample, images.n_classes, args.seed, device,
                                         progress=False), table)
    fits = timed("Gabor fits (7 banks)",
                 lambda: runs.analyse_filters(cfg, stages["snapshots"][0],
                                              stages["snapshots"][-1], args.seed), table)
    model = timed("SE(2) model (Monte Carlo)", lambda: se2_model(cfg, args.seed), table)
    kernels = timed("lateral kernels (overlap control)",
                    lambda: runs.lateral_kernels(cfg, stages, args.seed), table)
    measures = timed("K¹ measures and shuffle tests",
                     lambda: runs.lateral_measures(cfg, kernels, fits, model, args.seed), table)
    contour = timed("contour integration: K¹ and head",
                    lambda: train_contour_network(cfg, stages["stage1_state"], args.seed, device,
                                                  progress=False), table)
    contour_measures = timed("contour K¹ measures and shuffle tests",
                             lambda: runs.contour_measures(cfg, contour, kernels, fits, model,
                                                           args.seed), table)
    timed("summary (LoG fits, activity, balance)",
          lambda: summarise(cfg, images, stages, fits, model, kernels, measures, contour,
                            contour_measures, args.seed), table)
    total = sum(s for _, s in table)
    print(f"\nthe page's runs, no cache: {total:.0f} s "
          f"(training {stages['train_seconds']:.0f} s of it)")
    for name, seconds in table:
        print(f"  {name:50s} {seconds:7.1f} s  {seconds / total:5.1%}")


if __name__ == "__main__":
    main()
