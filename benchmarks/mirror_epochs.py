"""The MSVT index of Chapter 3's network over training: the network of §2 trained by the authors'
recipe (the page's batch) for more epochs than the page, its index at fc1 and fc2 (one-plane
objects and head) and its test accuracy measured after every ``--every`` epochs; records each
measurement; asserts nothing.

    python benchmarks/mirror_epochs.py --seeds 1 2 3 [--epochs 24] [--every 2] [--out record.jsonl]

Each line of ``--out`` (by default the record the chapter shows,
``src/emergence/experiments/mirror/records/mirror_epochs.jsonl``) is one (seed, epoch). The
network starts, splits and draws its batches as the page's does
(:func:`emergence.experiments.mirror.runs.new_network`), so its first epochs are the page's
network's.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import torch

from emergence.experiments.mirror import runs
from emergence.experiments.mirror.config import FC, SYMMETRIC, config_for
from emergence.experiments.mirror.measures import layer_indices, stimulus_responses
from emergence.experiments.mirror.tables import family_members
from emergence.models.mirrorcnn import accuracy, train_classifier

RECORD_PATH = (Path(__file__).parents[1] / "src" / "emergence" / "experiments" / "mirror"
               / "records" / "mirror_epochs.jsonl")


def trace(cfg, seed: int, epochs: int, every: int) -> list[dict]:
    """Train as :func:`~emergence.experiments.mirror.runs.train_network` does, for ``epochs``
    epochs, measuring after every ``every`` epochs (and at the start)."""
    data = runs.training_data(runs.main_spec(cfg), seed)()
    stimuli = runs.test_stimuli(cfg, seed)
    members = family_members(stimuli["family"])
    model, train, test, generator = runs.new_network(data, seed, "main")
    x, y = data["images"], data["labels"]
    lines = []

    def measure(epoch: int) -> None:
        if epoch % every:
            return
        model.eval()
        index = layer_indices(stimulus_responses(model, stimuli["images"]), FC)
        lines.append({"seed": seed, "epoch": epoch, "batch": cfg.authors.batch,
                      "test_accuracy": accuracy(model, x[test], y[test]),
                      **{f"{layer}_{f}": float(index[layer][members[f]].mean())
                         for layer in FC for f in SYMMETRIC}})
        print(json.dumps(lines[-1]), flush=True)
        model.train()

    measure(0)
    recipe = dataclasses.replace(cfg.authors, epochs=epochs)
    train_classifier(model, x[train], y[train], generator, **recipe.training_arguments(),
                     progress=False, on_epoch=measure)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--epochs", type=int, default=24)
    parser.add_argument("--every", type=int, default=2)
    parser.add_argument("--profile", default="cpu")
    parser.add_argument("--out", type=Path, default=RECORD_PATH)
    args = parser.parse_args()
    torch.set_num_threads(1)
    cfg = config_for(args.profile)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for seed in args.seeds:
        lines = trace(cfg, seed, args.epochs, args.every)
        with args.out.open("a") as out:
            out.writelines(json.dumps(line) + "\n" for line in lines)


if __name__ == "__main__":
    main()
