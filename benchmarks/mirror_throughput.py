"""Throughput of the Chapter 3 (mirror symmetry) renderer and network; prints, asserts nothing.

    python benchmarks/mirror_throughput.py [--seconds 3] [--threads N] [--profile cpu]

* rendered images per second at 32×32 and 64×64 (one-plane objects and heads, 9 views each,
  batches of objects rendered together), and of a training set rendered as the chapter renders
  it (its random views per object, chunks of about 128 images);
* training images per second of the small CNN (batch 64, AdamW with the chapter's weight decays
  and one-cycle schedule, augmentation included), alone and two at once as the chapter trains
  them on a CPU (one torch thread each), and inference images per second;
* from these rates, the chapter's rendering and training time at ``--profile``: the images it
  renders and the training steps of its five networks, read from the chapter's own
  configuration (:func:`emergence.experiments.mirror.config_for`).
"""

from __future__ import annotations

import argparse

import torch
from throughput import rate  # benchmarks/ is on the path when a script here runs

from emergence.data.mirror_sets import training_set
from emergence.data.objects import FAMILIES, family_objects
from emergence.data.render import render, view_angles
from emergence.experiments.mirror import CPU_THREADS, MirrorConfig, config_for, runs
from emergence.models.mirrorcnn import MirrorCNN, init_like_paper, train_classifier

BATCH = 64  # the chapter's training batch (train_classifier's default)


def render_rate(family: str, size: int, seconds: float, n_objects: int = 16) -> float:
    objects, _ = family_objects(family, n_objects, torch.Generator().manual_seed(0))
    views = view_angles(9)

    def work():
        render(objects, views, size=size)
        return n_objects * len(views)

    return rate(work, seconds)


def training_set_rate(cfg: MirrorConfig, seconds: float) -> float:
    def work():
        training_set("one_plane", 2, 4, cfg.n_views, torch.Generator().manual_seed(0))
        return 2 * 4 * cfg.n_views

    return rate(work, seconds)


def training_rate(cfg: MirrorConfig, seconds: float, n: int = 1024, side_by_side: int = 1,
                  ) -> float:
    """Training images per second of the small CNN; with ``side_by_side`` > 1, that many
    networks train at once as the chapter trains them (:func:`runs.side_by_side`: one torch
    thread each), and the rate counts the images of all of them."""
    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(n, 1, 32, 32, generator=g), torch.randint(cfg.n_categories, (n,), generator=g)
    models = [MirrorCNN(cfg.n_categories) for _ in range(side_by_side)]
    for model in models:
        init_like_paper(model, g)

    def train(model, generator):
        return lambda: train_classifier(model, x, y, generator, epochs=1, batch=BATCH,
                                        weight_decay=cfg.weight_decay,
                                        scale_free_decay=cfg.scale_free_decay, progress=False)

    jobs = {k: train(m, torch.Generator().manual_seed(k)) for k, m in enumerate(models)}

    def work():
        if side_by_side == 1:
            jobs[0]()
        else:
            runs.side_by_side(jobs, torch.device("cpu"))
        return n * side_by_side

    return rate(work, seconds)


def inference_rate(seconds: float, n: int = 1024) -> float:
    x = torch.rand(n, 1, 32, 32)
    model = MirrorCNN(12).eval()

    def work():
        with torch.no_grad():
            model(x)
        return n

    return rate(work, seconds)


def chapter_work(cfg: MirrorConfig) -> dict[str, int]:
    """The images the chapter renders and the images its networks train on (steps × batch)."""
    main = cfg.n_categories * cfg.n_exemplars * cfg.n_views
    manip = cfg.manip_categories * cfg.manip_exemplars * cfg.manip_views

    def trained(n_images, epochs):  # 90 % of a set, whole batches, every epoch
        return epochs * ((n_images - n_images // 10) // BATCH) * BATCH

    return {"rendered": main + manip + cfg.n_test * len(FAMILIES) * cfg.analysis_views,
            "trained": 2 * trained(main, cfg.epochs)  # the main network and the ordinary decay
            + trained(manip, cfg.manip_epochs) + 2 * trained(2 * manip, cfg.manip_epochs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: all)")
    parser.add_argument("--profile", default="cpu", help="the chapter's profile to estimate")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = config_for(args.profile)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for size in (32, 64):
        for family in ("one_plane", "head"):
            print(f"render {family:9s} {size}×{size}: "
                  f"{render_rate(family, size, args.seconds):8.1f} images/s")
    rendering = training_set_rate(cfg, args.seconds)
    training = training_rate(cfg, args.seconds)
    pair = training_rate(cfg, args.seconds, side_by_side=CPU_THREADS)
    print(f"render training set 32×32:   {rendering:8.1f} images/s")
    print(f"train  CNN 32×32 (batch {BATCH}): {training:8.1f} images/s")
    print(f"train  {CPU_THREADS} CNNs side by side:     {pair:8.1f} images/s (all of them, "
          "one torch thread each: how the chapter trains on a CPU)")
    print(f"infer  CNN 32×32:            {inference_rate(args.seconds):8.1f} images/s")
    work = chapter_work(cfg)
    print(f"chapter at {args.profile!r}: {work['rendered']} images rendered ≈ "
          f"{work['rendered'] / rendering:.0f} s, {work['trained']} training images ≈ "
          f"{work['trained'] / pair:.0f} s side by side (analysis and figures not included)")


if __name__ == "__main__":
    main()
