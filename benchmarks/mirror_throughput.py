"""Throughput of the Chapter 3 (mirror symmetry) renderer and network; prints, asserts nothing.

    python benchmarks/mirror_throughput.py [--seconds 3] [--threads N]

* rendered images per second at 32×32 and 64×64 (one-plane objects and heads, 9 views each,
  batches of objects rendered together), and of a training set (20 random views per object,
  chunks of about 128 images, as the chapter renders it);
* training images per second of the small CNN (batch 64, AdamW with weight decay and a
  one-cycle schedule, augmentation included) and
  inference images per second.
"""

from __future__ import annotations

import argparse

import torch
from throughput import rate  # benchmarks/ is on the path when a script here runs

from emergence.data.mirror_sets import training_set
from emergence.data.objects import family_objects
from emergence.data.render import render, view_angles
from emergence.models.mirrorcnn import MirrorCNN, init_like_paper, train_classifier


def render_rate(family: str, size: int, seconds: float, n_objects: int = 16) -> float:
    objects, _ = family_objects(family, n_objects, torch.Generator().manual_seed(0))
    views = view_angles(9)

    def work():
        render(objects, views, size=size)
        return n_objects * len(views)

    return rate(work, seconds)


def training_set_rate(seconds: float) -> float:
    def work():
        training_set("one_plane", 2, 4, 20, torch.Generator().manual_seed(0))
        return 2 * 4 * 20

    return rate(work, seconds)


def training_rate(seconds: float, n: int = 1024) -> float:
    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(n, 1, 32, 32, generator=g), torch.randint(12, (n,), generator=g)
    model = MirrorCNN(12)
    init_like_paper(model, g)

    def work():
        train_classifier(model, x, y, g, epochs=1, batch=64, progress=False)
        return n

    return rate(work, seconds)


def inference_rate(seconds: float, n: int = 1024) -> float:
    x = torch.rand(n, 1, 32, 32)
    model = MirrorCNN(12).eval()

    def work():
        with torch.no_grad():
            model(x)
        return n

    return rate(work, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: all)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for size in (32, 64):
        for family in ("one_plane", "head"):
            print(f"render {family:9s} {size}×{size}: "
                  f"{render_rate(family, size, args.seconds):8.1f} images/s")
    print(f"render training set 32×32:   {training_set_rate(args.seconds):8.1f} images/s")
    print(f"train  CNN 32×32 (batch 64): {training_rate(args.seconds):8.1f} images/s")
    print(f"infer  CNN 32×32:            {inference_rate(args.seconds):8.1f} images/s")


if __name__ == "__main__":
    main()
