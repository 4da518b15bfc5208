"""The batch departure of Chapter 3, measured: the network of §2 trained by the authors' recipe
at the page's batch (64) and at the authors' (256), for the same epochs, at several seeds; prints
and records each run's test accuracy and MSVT index at fc1 and fc2 (one-plane objects and head);
asserts nothing.

    python benchmarks/mirror_batch.py --seeds 1 2 3 [--batches 64 256] [--out record.jsonl]

Each line of ``--out`` (by default the record the chapter shows,
``src/emergence/experiments/mirror/records/mirror_batch.jsonl``) is one (batch, seed). The runs
go through the chapter's cache (:func:`emergence.experiments.mirror.runs.cached_network`), so a
batch the page trains is not trained again.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import torch

from emergence.experiments.mirror import runs
from emergence.experiments.mirror.config import FC, SYMMETRIC, config_for
from emergence.experiments.mirror.measures import layer_indices, stimulus_responses
from emergence.experiments.mirror.tables import family_members

RECORD_PATH = (Path(__file__).parents[1] / "src" / "emergence" / "experiments" / "mirror"
               / "records" / "mirror_batch.jsonl")


def measure(cfg, seed: int, batch: int, device: torch.device) -> dict:
    """One run: the network of §2 by the authors' recipe at ``batch``, and its numbers."""
    spec = runs.main_spec(cfg)
    recipe = dataclasses.replace(cfg.authors, batch=batch)
    start = time.perf_counter()
    run = runs.cached_network("main-authors", dataclasses.asdict(spec),
                              runs.training_data(spec, seed), seed, "main", recipe, device)
    stimuli = runs.test_stimuli(cfg, seed)
    index = layer_indices(stimulus_responses(runs.load(run), stimuli["images"]), FC)
    members = family_members(stimuli["family"])
    return {"batch": batch, "seed": seed, "epochs": recipe.epochs,
            "steps": len(run["loss"]), "seconds": round(time.perf_counter() - start, 1),
            "test_accuracy": run["test_accuracy"],
            **{f"{layer}_{f}": float(index[layer][members[f]].mean())
               for layer in FC for f in SYMMETRIC}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--batches", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--profile", default="cpu")
    parser.add_argument("--out", type=Path, default=RECORD_PATH)
    args = parser.parse_args()
    cfg = config_for(args.profile)
    torch.set_num_threads(1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for seed in args.seeds:
        for batch in args.batches:
            line = measure(cfg, seed, batch, torch.device("cpu"))
            print(json.dumps(line))
            with args.out.open("a") as out:
                out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
