"""The bounded search for a task-learned lateral kernel: trains Chapter 1's network
through the task (stage 1 only) under each lever setting and seed, and prints each claim's number
and whether its criterion holds (the K¹ claims against the filter-overlap control); asserts
nothing.

    python benchmarks/lie_levers.py --seeds 1 2 3 [--settings baseline l0_relu ...] \
        [--out record.jsonl] [--profile cpu]

Each line of ``--out`` (by default the record the chapter shows,
``src/emergence/experiments/lie/records/lie_levers.jsonl``) is one (setting, seed) with its lever
values and numbers, so a long search can be resumed and tabulated. The shuffle tests use
``LEVER_PERMUTATIONS`` permutations (the chapter uses more).

The second search (issue 28: ℓ⁰ and ℓ¹ at any seed) regenerates ``records/lie_robustness.jsonl``,
one thread per run (its record was made so, on a machine whose other core was busy):

    OMP_NUM_THREADS=1 python benchmarks/lie_levers.py --search robustness --threads 1 \
        --workers 1 --seeds 3 1 2 0 --settings cpu_constant_lr grad_clip_1 steps_1500
    ... --seeds 0 --settings warmup_cosine            (tried first; dropped)
    ... --seeds 8 9 10 11 --settings grad_clip_1 cpu_constant_lr   (held out, after the choice)
    ... --seeds 8 10 --settings grad_clip_1_lr_5e-3    (second round; dropped after 8 and 10)
    ... --seeds 8 10 0 1 2 3 9 11 --settings grad_clip_1_lr_5e-3_cosine   (second round)
    ... --seeds 12 13 14 15 16 17 18 19 --settings grad_clip_1_lr_5e-3_cosine   (held out)
    ... --seeds 1 13 --settings lr_5e-3_cosine_1200_steps   (third round, beside:
    ... --seeds 19 14 --settings lr_5e-3_cosine_1200_steps    in a second process; dropped)
    ... --seeds 1 13 --settings balanced_classes    (fourth round, beside:
    ... --seeds 8 19 --settings balanced_classes      in a second process)
    ... --seeds 28 29 30 31 --settings balanced_classes    (held out, beside:
    ... --seeds 32 33 34 35 --settings balanced_classes      in a second process; then both
    ... --settings grad_clip_1_lr_5e-3_cosine at the same seeds, the page's setting; dropped)
    ... --seeds 1 13 --settings lr_7e-3_cosine    (fifth round, beside:
    ... --seeds 19 28 --settings lr_7e-3_cosine      in a second process)
    ... --seeds 36 37 38 39 --settings lr_7e-3_cosine    (held out, beside:
    ... --seeds 40 41 42 43 --settings lr_7e-3_cosine      in a second process; then both
    ... --settings grad_clip_1_lr_5e-3_cosine at the same seeds, the page's setting; dropped)
    ... --seeds 1 30 --settings weight_decay_3e-3    (sixth round, beside:
    ... --seeds 13 34 --settings weight_decay_3e-3     in a second process)
    ... --seeds 44 45 46 47 --settings weight_decay_3e-3 grad_clip_1_lr_5e-3_cosine
    ... --seeds 48 49 50 51 --settings weight_decay_3e-3 grad_clip_1_lr_5e-3_cosine
                                                (held out, in two processes; dropped)
    ... --seeds 52 53 54 55 --settings init_scale_0.05 grad_clip_1_lr_5e-3_cosine
    ... --seeds 56 57 58 59 --settings init_scale_0.05 grad_clip_1_lr_5e-3_cosine
                                                (seventh round, held out first, in two processes)
    ... --seeds 1 30 --settings init_scale_0.05    (then its choice seeds, beside:
    ... --seeds 13 34 --settings init_scale_0.05     in a second process; dropped)

The third search (issue 28: the form and reach of K¹) regenerates ``records/lie_kernel_forms.jsonl``
(the page's free kernel is the second search's ``grad_clip_1_lr_5e-3_cosine``), one thread per
run. Its first lines (learning rate 3e-3, constant; free kernel ``grad_clip_1``) were made with
``PAGE_LEVERS`` without ``lr`` and ``cosine_decay`` (commit 236dfb3); the commands below, at this
commit, make the page's schedule's lines:

    OMP_NUM_THREADS=1 python benchmarks/lie_levers.py --search kernel --threads 1 --workers 1 \
        --seeds 1 2 3 0 --settings transition_kernel dilated_kernel
    ... --seeds 1 2 3 --settings no_lateral      (afterwards: the reference without K¹)
    ... --seeds 1 2 3 0 --settings transition_inhibited   (added afterwards)
    ... --seeds 1 3 --settings inhibitory_kernel   (added afterwards, beside:
    ... --seeds 2 0 --settings inhibitory_kernel     in a second process; then both
    ... --settings excitatory_kernel, then both --settings contractive_kernel)

Results depend on the thread count (the order of float sums): the page, at two threads, can
differ from its line here.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from emergence.analysis.filters import centre_surround, gabor_bank_passes
from emergence.data.natural import load_skimage_photos
from emergence.experiments.lie.claims import PAPER_LEVEL, k1_criteria, k1_paper_criteria
from emergence.experiments.lie.config import config_for
from emergence.experiments.lie.filter_fits import fit_bank, well_fitted
from emergence.experiments.lie.images import photo_source
from emergence.experiments.lie.kernels import KERNEL_STREAMS, kernel_measures, se2_model
from emergence.experiments.lie.search import (
    KERNEL_FORM_CLAIMS,
    KERNEL_RECORD,
    LEVER_PERMUTATIONS,
    RECORD,
    ROBUSTNESS_RECORD,
    judges_kernel,
)
from emergence.experiments.lie.training import effective_filters, load_network, train_network
from emergence.models.lateral import lateral_operator_norm, white_noise_kernel
from emergence.profiles import make_generator

#: Where the chapter reads the searches' records (emergence.experiments.lie.search).
PACKAGE = Path(__file__).parents[1] / "src" / "emergence" / "experiments" / "lie"

#: The four levers, the stage-1 steps and batch and the size of K¹ at their first values (the
#: ``cpu`` profile before the search). Every setting names all of them, so that a recorded line
#: keeps its meaning when the chapter's defaults change.
FIRST_LEVERS = dict(l0_relu=False, head_layers=1, noise=0.5, n_iterations=3, steps=1000, batch=128,
                    k_lateral=7, lr=3e-3, balanced_classes=False)
SETTINGS = {
    "baseline": FIRST_LEVERS,
    "l0_relu": FIRST_LEVERS | dict(l0_relu=True),
    "deep_head": FIRST_LEVERS | dict(head_layers=3),
    "noisy": FIRST_LEVERS | dict(noise=1.0),
    "noisy_four_iterations": FIRST_LEVERS | dict(noise=1.0, n_iterations=4),
    "noisy_more_iterations": FIRST_LEVERS | dict(noise=1.0, n_iterations=5),
    "noisy_more_iterations_800_steps": FIRST_LEVERS | dict(noise=1.0, n_iterations=5, steps=800),
    "noisy_more_iterations_batch_96": FIRST_LEVERS | dict(noise=1.0, n_iterations=5, batch=96),
    "noisy_more_iterations_lateral_5": FIRST_LEVERS | dict(noise=1.0, n_iterations=5, k_lateral=5),
    "noisy_six_iterations_lateral_5": FIRST_LEVERS | dict(noise=1.0, n_iterations=6, k_lateral=5),
    "noisy_more_iterations_lateral_5_1200_steps": FIRST_LEVERS | dict(
        noise=1.0, n_iterations=5, k_lateral=5, steps=1200),
    "combined": FIRST_LEVERS | dict(l0_relu=True, head_layers=3, noise=1.0, n_iterations=5),
}

#: The second search (issue 28): levers that make the training of the ``cpu`` setting
#: (``noisy_more_iterations_lateral_5``) reliable, so that ℓ⁰ and ℓ¹ form at any seed. Chosen
#: on seeds 0–3, judged on the held-out seeds of ``emergence.experiments.lie.search``.
CPU_LEVERS = FIRST_LEVERS | dict(noise=1.0, n_iterations=5, k_lateral=5, warmup_steps=0,
                                 cosine_decay=False, grad_clip=0.0)
ROBUSTNESS_SETTINGS = {
    "cpu_constant_lr": CPU_LEVERS,
    # tried first, dropped after seed 0: half the mean learning rate trained worse
    "warmup_cosine": CPU_LEVERS | dict(warmup_steps=50, cosine_decay=True),
    # the gradient's norm spikes 3-5 fold, mostly through K¹, every few tens of steps
    "grad_clip_1": CPU_LEVERS | dict(grad_clip=1.0),
    "steps_1500": CPU_LEVERS | dict(steps=1500),
    # a second round (search.ROBUSTNESS_ROUNDS), after the held-out seeds 8-11 of the first:
    # at 8, 10 and 11 the loss sat on a plateau (≈ 2.13) for 400 steps. A 500-step probe at 8
    # and 10: the learning rate 5e-3 left it within 100 steps (init ×2 and half the noise did
    # not). At 5e-3, constant, ℓ¹ still failed at 8 and 10 (dropped there); with a cosine decay
    # both held at 10. Chosen on seeds 0-3 and 8-11, judged on 12-19
    "grad_clip_1_lr_5e-3": CPU_LEVERS | dict(grad_clip=1.0, lr=5e-3),
    "grad_clip_1_lr_5e-3_cosine": CPU_LEVERS | dict(grad_clip=1.0, lr=5e-3, cosine_decay=True),
    # a third round, after the second's held-out seeds 12-19: where ℓ⁰ or ℓ¹ still failed
    # (1, 13, 19) the loss trailed the others' by 150-200 steps all along, still falling
    "lr_5e-3_cosine_1200_steps": CPU_LEVERS | dict(grad_clip=1.0, lr=5e-3, cosine_decay=True,
                                                   steps=1200),
    # a fourth round: a slow seed is slow by its data stream, not its initialisation (seed 20's
    # network trained fast on seed 24's stream, 24's slowly on 20's); a probe with every
    # photograph equally often in every batch made page seed 20 fast (22 stayed slow)
    "balanced_classes": CPU_LEVERS | dict(grad_clip=1.0, lr=5e-3, cosine_decay=True,
                                          balanced_classes=True),
    # a fifth round: at the slow seeds (1, 13, 19, 28) the loss trails from the first 200 steps;
    # the second round's step from 3e-3 to 5e-3 had shortened that phase
    "lr_7e-3_cosine": CPU_LEVERS | dict(grad_clip=1.0, lr=7e-3, cosine_decay=True),
    # a sixth round: where only ℓ¹ failed at a fast start, the poorly fitted filters were weak
    # units (norm 0.6-0.8× the Gabor-like ones'); an L2 decay on ℓ⁰, ℓ¹ and K¹ three times the
    # page's shrinks what the task does not use (a scratch probe at 30 and 34: ℓ¹ 10 → 15 and
    # 15 → 21 Gabor-like filters; with the rate 0.007 too, worse at 13 and 30). Chosen at 1, 13,
    # 30, 34 (both held at 13 and 34); at the held-out 44-51 both held at 3 of 8 against the
    # page's 5: dropped
    "weight_decay_3e-3": CPU_LEVERS | dict(grad_clip=1.0, lr=5e-3, cosine_decay=True,
                                           weight_decay=3e-3),
    # a seventh round: the weak, poorly fitted filters looked like what is left of ℓ¹'s random
    # start (the first prototype: the optimiser leaves ℓ¹'s initial noise in place, so ℓ¹ must
    # start small); ℓ⁰ and ℓ¹ start at half the page's scale. A scratch probe at 1, 13, 30, 34
    # (stage 1, the same code path): both held at all four. Judged at 52-59 beside the page's
    # setting: dropped (the sentence on the page gives the counts)
    "init_scale_0.05": CPU_LEVERS | dict(grad_clip=1.0, lr=5e-3, cosine_decay=True,
                                         init_scale=0.05),
}
#: The third search (issue 28, point 3): the form and reach of K¹, on the chapter's ``cpu``
#: setting. Chosen on seeds 1-3, seed 0 held out, like the first search.
PAGE_LEVERS = CPU_LEVERS | dict(grad_clip=1.0, lr=5e-3, cosine_decay=True, lateral_form="free",
                                lateral_dilation=1)
KERNEL_SETTINGS = {
    # non-negative, each unit's inputs summing to a learned gain g < 1 (starts at 0.05)
    "transition_kernel": PAGE_LEVERS | dict(lateral_form="transition"),
    # the same, minus λ times the local mean of all units (an inhibition blind to orientation,
    # λ learned): lets the ReLU act, which a non-negative K¹ alone never does. Added after the
    # rest of the third search on the page's schedule; seeds 1-3 chose, 0 held out
    "transition_inhibited": PAGE_LEVERS | dict(lateral_form="transition_pooled_inhibition"),
    # taps two V1 cells (4 px) apart: ±8 px, beyond the ±6 px half-width of ℓ⁰ ∗ ℓ¹
    "dilated_kernel": PAGE_LEVERS | dict(lateral_dilation=2),
    # a reference: no lateral propagation at all (h = h₀), what the task gives without K¹
    "no_lateral": PAGE_LEVERS | dict(n_iterations=0),
    # probes of the sign the task uses K¹ for: the free kernel restricted to inhibition, −|W|,
    # or to excitation, |W| (free scale, not normalised). Added after the transition forms fell
    # 4-10 points short of the free kernel; seeds 1-3 and 0, as the rest
    "inhibitory_kernel": PAGE_LEVERS | dict(lateral_form="inhibitory"),
    "excitatory_kernel": PAGE_LEVERS | dict(lateral_form="excitatory"),
    # signed but a contraction, Σ|K¹| = g < 1 per unit, starting at the free kernel's Σ|K¹|:
    # does the task need K¹ to amplify? Added after the probes, seeds 1-3 and 0
    "contractive_kernel": PAGE_LEVERS | dict(lateral_form="contractive"),
}
SEARCHES = {"levers": (SETTINGS, RECORD), "robustness": (ROBUSTNESS_SETTINGS, ROBUSTNESS_RECORD),
            "kernel": (KERNEL_SETTINGS, KERNEL_RECORD)}


def evaluate(setting: str, seed: int, photos, profile: str = "cpu",
             settings: dict = SETTINGS, workers: int = 2, raw_l1_tuning: bool = True) -> dict:
    cfg = config_for(profile, n_permutations=LEVER_PERMUTATIONS, workers=workers,
                     **settings[setting])
    sample, n_classes = photo_source(photos, cfg)
    started = time.perf_counter()
    trained = train_network(cfg, sample, n_classes, seed, torch.device("cpu"), hebbian=False,
                            progress=False)
    final = trained["snapshots"][-1]
    l0 = centre_surround(final["l0"].numpy())
    fits, bank = fit_bank(effective_filters(cfg, final["l0"], final["l1"]), cfg.gabor_restarts,
                          cfg.workers)
    tuned, tuned_bank = fits, bank  # the fits the K¹ measures read orientations from
    if cfg.l0_relu and raw_l1_tuning:  # ℓ⁰ ∗ ℓ¹ is no unit's linear filter: the raw ℓ¹
        tuned, tuned_bank = fit_bank(final["l1"].numpy(), cfg.gabor_restarts, cfg.workers)
    keep = well_fitted(tuned_bank["error"].numpy())
    theta = np.array([tuned[i].orientation for i in keep])
    centres = np.array([[tuned[i].x0, tuned[i].y0] for i in keep])
    row = {
        "setting": setting, "levers": settings[setting], "seed": seed,
        "threads": torch.get_num_threads(),
        "accuracy": trained["stage1_accuracy"], "chance": 1 / n_classes,
        "loss_last_100": float(trained["loss"][-100:].mean()),
        "loss_by_200_steps": [round(float(part.mean()), 3)
                              for part in trained["loss"].split(200)],
        "lateral_norm": lateral_operator_norm(final["lateral"]),
        "log_error": l0.rel_error, "l0_log_like": bool(l0.passes),
        "gabor_median_error": float(np.median(bank["error"].numpy())),
        "l1_gabor_like": gabor_bank_passes(bank["error"].numpy(), bank["cycles"].numpy()),
        "n_well_fitted": len(keep),
        "tuning_from": "raw l1" if tuned is not fits else "effective l0*l1",
    }
    if judges_kernel(settings[setting]):
        row |= kernel_fields(cfg, trained, keep, theta, centres, seed)
    else:  # a sign probe: K¹ of one sign, whose claims (about excitation) are not judged
        row |= {claim: False for claim in KERNEL_FORM_CLAIMS if claim.startswith("k1_")}
    return row | {"seconds": round(time.perf_counter() - started, 1)}


def kernel_fields(cfg, trained: dict, keep, theta, centres, seed: int) -> dict:
    """The K¹ measures of a record line: the task-learned kernel against the filter-overlap
    control (our criteria) and the kernel at initialisation (the paper's level)."""
    final = trained["snapshots"][-1]
    net = load_network(cfg, trained, "stage1_state")
    overlap = white_noise_kernel(net, cfg.crop, cfg.overlap_batches,
                                 make_generator(seed, "overlap"), batch_size=cfg.batch,
                                 gain=cfg.hebbian_gain).numpy()
    task = final["lateral"].numpy()
    model = se2_model(cfg, seed)
    sub = np.ix_(keep, keep)
    measured = {name: kernel_measures(cfg, kernel[sub], overlap[sub], theta, centres, model,
                                      seed, KERNEL_STREAMS[name])
                for name, kernel in (("task", task), ("overlap", overlap),
                                     ("init", trained["snapshots"][0]["lateral"].numpy()))}
    holds = k1_criteria(measured["task"], measured["overlap"])
    paper = k1_paper_criteria(measured["task"], measured["init"])
    task_m, over_m = measured["task"], measured["overlap"]
    return {
        "selectivity": task_m["selectivity"]["statistic"],
        "selectivity_p": task_m["selectivity"]["p_value"],
        "selectivity_overlap": over_m["selectivity"]["statistic"],
        "coaxial": task_m["coaxial"]["statistic"], "coaxial_p": task_m["coaxial"]["p_value"],
        "coaxial_overlap": over_m["coaxial"]["statistic"],
        "se2_partial": task_m["se2_partial"]["correlation"],
        "se2_partial_p": task_m["se2_partial"]["p_value"],
        "lie": task_m["lie"]["score"], "lie_overlap": over_m["lie"]["score"],
        **holds, **{key + PAPER_LEVEL: value for key, value in paper.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", default="levers", choices=list(SEARCHES))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--settings", nargs="+")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--profile", default="cpu", choices=("smoke", "cpu"))
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--workers", type=int, default=2, help="processes for the Gabor fits")
    args = parser.parse_args()
    settings, record = SEARCHES[args.search]
    args.settings = args.settings or list(settings)
    if unknown := set(args.settings) - set(settings):
        parser.error(f"unknown settings {sorted(unknown)} of the {args.search} search")
    args.out = args.out or PACKAGE / record
    torch.set_num_threads(args.threads)
    lines = args.out.read_text().splitlines() if args.out.exists() else []
    done = {(row["setting"], row["seed"]) for row in map(json.loads, filter(None, lines))}
    photos = load_skimage_photos()
    for seed in args.seeds:  # seed by seed, so that a partial search compares settings
        for setting in args.settings:
            if (setting, seed) in done:
                continue
            row = evaluate(setting, seed, photos, args.profile, settings, args.workers)
            with args.out.open("a") as f:
                f.write(json.dumps(row) + "\n")
            print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in row.items()), flush=True)


if __name__ == "__main__":
    main()
