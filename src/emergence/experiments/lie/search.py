"""The record of Chapter 1's bounded search for a task-learned lateral kernel.

``benchmarks/lie_levers.py`` trains the chapter's network through the task (stage 1 only) under
a few settings of four levers — a ReLU after ℓ⁰, a deeper head, stronger input noise with more
propagation iterations, all of them — and of cheaper versions of the kept setting (fewer steps,
a smaller batch, a smaller K¹), and appends one JSON line per (setting, seed) to
:data:`RECORD`: the claims' numbers and whether each criterion holds (the K¹ criteria against
the filter-overlap control, :func:`emergence.experiments.lie.claims.k1_criteria`). The settings were
compared on seeds 1–3; seed 0 was kept out of the choice and run only for the first setting,
the most robust one (7×7 K¹, the ``paper`` profile's) and the most robust within the ``cpu``
profile's time (5×5 K¹, the chapter's).

The chapter shows this record (it takes about three minutes per line on two cores, too long to
rerun on the page); :func:`lever_summary` turns it into the page's table
(:func:`emergence.experiments.lie.tables.lever_table`).
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np

#: The search's record, shipped with the package (one JSON object per line).
RECORD = "records/lie_levers.jsonl"
#: The second search's record (issue 28): levers that make the ``cpu`` setting's training
#: reliable (``benchmarks/lie_levers.py --search robustness``).
ROBUSTNESS_RECORD = "records/lie_robustness.jsonl"
#: The third search's record (issue 28): the form and reach of K¹
#: (``benchmarks/lie_levers.py --search kernel``).
KERNEL_RECORD = "records/lie_kernel_forms.jsonl"
#: Shuffles per test in the search (the chapter uses more; p-values down to 0.005).
LEVER_PERMUTATIONS = 199
#: The seed kept out of every choice of the search (the first and the third).
HELD_OUT_SEED = 0
#: The seeds on which the third search's settings were compared.
KERNEL_CHOICE_SEEDS = (1, 2, 3)
#: The claims a line records, in the page's order (keys of a line; booleans).
LEVER_CLAIMS = ("l0_log_like", "l1_gabor_like", "k1_orientation_selective", "k1_coaxial",
                "k1_like_se2_model", "lie_symmetry_score_up")


def load_lever_record(text: str | None = None, by_schedule: bool = False) -> list[dict]:
    """The record's lines as dictionaries; for a (setting, seed) recorded twice, the last line
    (with ``by_schedule``: for a (setting, seed, :func:`schedule_of`)).

    ``text`` replaces the shipped record (for tests)."""
    if text is None:
        text = resources.files(__package__).joinpath(RECORD).read_text()
    latest = {}
    for line in filter(str.strip, text.splitlines()):
        row = json.loads(line)
        schedule = schedule_of(row["levers"]) if by_schedule else None
        latest[row["setting"], row["seed"], schedule] = row
    return list(latest.values())


def lever_summary(rows: list[dict], held_out: int = HELD_OUT_SEED) -> list[dict]:
    """One entry per setting, in the record's order: its lever values, the seeds of the choice
    and, per claim, in how many of them the criterion holds; the held-out seed's verdicts when
    it was run; the range of stage-1 test accuracy over all its seeds."""
    settings: dict[str, list[dict]] = {}
    for row in rows:
        settings.setdefault(row["setting"], []).append(row)
    summary = []
    for name, lines in settings.items():
        choice = sorted((r for r in lines if r["seed"] != held_out), key=lambda r: r["seed"])
        held = [r for r in lines if r["seed"] == held_out]
        accuracy = [r["accuracy"] for r in lines]
        summary.append({
            "setting": name,
            "levers": lines[0].get("levers", {}),
            "choice_seeds": [r["seed"] for r in choice],
            "holds": {claim: sum(bool(r[claim]) for r in choice) for claim in LEVER_CLAIMS},
            "held_out": ({claim: bool(held[0][claim]) for claim in LEVER_CLAIMS} if held
                         else None),
            "accuracy": (min(accuracy), max(accuracy)),
            "chance": lines[0]["chance"],
        })
    return summary


def lever_label(levers: dict, first: dict) -> str:
    """What a setting changes from the ``first`` one, in words (the first setting: its noise
    and iteration count)."""
    words = {"l0_relu": lambda v: "ReLU after ℓ⁰" if v else "linear ℓ⁰",
             "head_layers": lambda v: f"{v} head convs",
             "noise": lambda v: f"noise s.d. ≤ {v:g}",
             "n_iterations": lambda v: f"n = {v} iterations",
             "steps": lambda v: f"{v} stage-1 steps",
             "batch": lambda v: f"batch {v}",
             "k_lateral": lambda v: f"{v}×{v} K¹"}
    changed = [words[name](value) for name, value in levers.items() if first.get(name) != value]
    if not changed:
        kept = (words[name](levers[name]) for name in ("noise", "n_iterations"))
        return "first ({})".format(", ".join(kept))
    return ", ".join(changed)


# ---- the second search: reliable training of ℓ⁰ and ℓ¹ at the cpu profile (issue 28) -----------

#: Seeds on which the second search's setting was chosen.
ROBUSTNESS_CHOICE_SEEDS = (0, 1, 2, 3)
#: Seeds that played no part in any choice, run once the setting was chosen (not 4–7: the
#: unrecorded seeds "outside 0–3" at which the first search's setting was seen to fail may be
#: among them).
ROBUSTNESS_HELD_OUT_SEEDS = (8, 9, 10, 11)
#: The setting the second search's first round chose.
FIRST_ROUND_CHOICE = "grad_clip_1"
#: The second round's choice: the cpu profile's setting.
PAGE_ROBUSTNESS_SETTING = "grad_clip_1_lr_5e-3_cosine"
#: The second search's second round: its settings, chosen on the first round's eight seeds, and
#: the eight seeds that played no part in any choice.
ROBUSTNESS_ROUNDS = {setting: ((*ROBUSTNESS_CHOICE_SEEDS, *ROBUSTNESS_HELD_OUT_SEEDS),
                               tuple(range(12, 20)))
                     for setting in ("grad_clip_1_lr_5e-3", PAGE_ROBUSTNESS_SETTING)}
#: The third round: the page's setting with 1200 stage-1 steps, tried at the second round's
#: seeds where ℓ⁰ or ℓ¹ had failed (1, 13, 19) and at 14 (where ℓ¹ had failed on the page);
#: dropped there, so never run at held-out seeds.
LONGER_TRAINING = "lr_5e-3_cosine_1200_steps"
ROBUSTNESS_ROUNDS[LONGER_TRAINING] = ((1, 13, 14, 19), ())
#: The fourth round: every photograph equally often in each batch, chosen at the seeds where the
#: page's setting had failed in the record (after a scratch probe at page seeds 20 and 22) and
#: judged at eight new seeds beside it; dropped.
BALANCED_BATCHES = "balanced_classes"
ROBUSTNESS_ROUNDS[BALANCED_BATCHES] = ((1, 8, 13, 19), tuple(range(28, 36)))
#: The fifth round: a peak learning rate of 0.007, chosen at the seeds where the page's setting
#: had trained slowly in the record and judged at eight new seeds beside it; dropped.
FASTER_RATE = "lr_7e-3_cosine"
ROBUSTNESS_ROUNDS[FASTER_RATE] = ((1, 13, 19, 28), tuple(range(36, 44)))
#: The sixth round: three times the page's weight decay, chosen at seeds where the page's setting
#: had failed in the record — two slow starts (1, 13) and two fast starts where only ℓ¹ failed
#: (30, 34) — and judged at eight new seeds beside it.
STRONGER_DECAY = "weight_decay_3e-3"
ROBUSTNESS_ROUNDS[STRONGER_DECAY] = ((1, 13, 30, 34), tuple(range(44, 52)))
#: The seventh round: ℓ⁰ and ℓ¹ starting at half the scale, chosen at the sixth round's choice
#: seeds and judged at eight new seeds beside the second round's choice.
SMALLER_START = "init_scale_0.05"
ROBUSTNESS_ROUNDS[SMALLER_START] = ((1, 13, 30, 34), tuple(range(52, 60)))
#: The claims the second search judges (a line records the K¹ criteria too).
ROBUSTNESS_CLAIMS = ("l0_log_like", "l1_gabor_like")
#: Values of the second search's levers in lines that do not name them (the first search's).
SCHEDULE_DEFAULTS = {"warmup_steps": 0, "cosine_decay": False, "grad_clip": 0.0, "lr": 3e-3,
                     "balanced_classes": False, "weight_decay": 1e-3, "init_scale": 0.1}


def both_held(row: dict) -> bool:
    """Whether every claim of :data:`ROBUSTNESS_CLAIMS` held in a record line."""
    return all(row[claim] for claim in ROBUSTNESS_CLAIMS)


def held_out_lines(rows: list[dict], setting: str, rounds: dict | None = None) -> list[dict]:
    """The record's lines (``rows``) of ``setting`` at seeds that played no part in its choice
    (its choice seeds: :func:`robustness_seeds` with ``rounds``)."""
    choice = robustness_seeds(setting, rounds)[0]
    return [r for r in rows if r["setting"] == setting and r["seed"] not in choice]


def load_robustness_record(text: str | None = None) -> list[dict]:
    """The second search's lines (:data:`ROBUSTNESS_RECORD`); for a (setting, seed) recorded
    twice, the last. ``text`` replaces the shipped record (for tests)."""
    if text is None:
        text = resources.files(__package__).joinpath(ROBUSTNESS_RECORD).read_text()
    return load_lever_record(text)


def robustness_seeds(setting: str, rounds: dict | None = None) -> tuple[tuple, tuple]:
    """The choice seeds and the held-out seeds of a setting of the second search: its round's
    in ``rounds`` (by default :data:`ROBUSTNESS_ROUNDS`), else the first round's."""
    rounds = ROBUSTNESS_ROUNDS if rounds is None else rounds
    return rounds.get(setting, (ROBUSTNESS_CHOICE_SEEDS, ROBUSTNESS_HELD_OUT_SEEDS))


def robustness_summary(rows: list[dict], rounds: dict | None = None) -> list[dict]:
    """One entry per setting, in the record's order: its levers; its ``choice_seeds`` and
    ``held_out_seeds`` (:func:`robustness_seeds` with ``rounds``); per claim of
    :data:`ROBUSTNESS_CLAIMS` the number of choice and of held-out seeds where it held
    (``n_choice``, ``n_held_out``: how many of each were run); ``failing``: the seeds where
    a claim failed, each ``(seed, accuracy, LoG error, median Gabor error)``; ``passing``: the
    accuracies of the seeds where both held; the range of
    stage-1 accuracy over all its seeds. Lines at other seeds are left out."""
    settings: dict[str, list[dict]] = {}
    for row in rows:
        choice, held_out = robustness_seeds(row["setting"], rounds)
        if row["seed"] in (*choice, *held_out):
            settings.setdefault(row["setting"], []).append(row)
    summary = []
    for name, lines in settings.items():
        choice, held_out = robustness_seeds(name, rounds)
        lines = sorted(lines, key=lambda r: r["seed"])
        parts = {"choice": [r for r in lines if r["seed"] in choice],
                 "held_out": [r for r in lines if r["seed"] in held_out]}
        accuracy = [r["accuracy"] for r in lines]
        summary.append({
            "setting": name,
            "levers": SCHEDULE_DEFAULTS | lines[0]["levers"],
            "choice_seeds": choice, "held_out_seeds": held_out,
            **{f"n_{part}": len(part_lines) for part, part_lines in parts.items()},
            **{part: {claim: sum(bool(r[claim]) for r in part_lines)
                      for claim in ROBUSTNESS_CLAIMS} for part, part_lines in parts.items()},
            "failing": [(r["seed"], r["accuracy"], r["log_error"], r["gabor_median_error"])
                        for r in lines if not both_held(r)],
            "passing": [r["accuracy"] for r in lines if both_held(r)],
            "accuracy": (min(accuracy), max(accuracy)),
        })
    return summary


def schedule_label(levers: dict) -> str:
    """A setting of the second search in words: its (peak) learning rate and schedule, its
    gradient clipping, its stage-1 steps when they are not 1000, its balanced batches, and its
    weight decay and the initial scale of ℓ⁰ and ℓ¹ where they are not
    :data:`SCHEDULE_DEFAULTS`' values."""
    warmup, cosine = levers.get("warmup_steps", 0), levers.get("cosine_decay", False)
    words = [f"learning rate {levers.get('lr', SCHEDULE_DEFAULTS['lr']):g}",
             f"{warmup}-step warm-up" if warmup else "no warm-up",
             "cosine decay" if cosine else "constant"]
    if levers.get("grad_clip", 0.0):
        words.append(f"gradient norm clipped at {levers['grad_clip']:g}")
    if levers.get("steps", 1000) != 1000:
        words.append(f"{levers['steps']} stage-1 steps")
    if levers.get("balanced_classes", False):
        words.append("every photograph equally often in each batch")
    decay = levers.get("weight_decay", SCHEDULE_DEFAULTS["weight_decay"])
    if decay != SCHEDULE_DEFAULTS["weight_decay"]:
        words.append(f"weight decay {decay:g}")
    scale = levers.get("init_scale", SCHEDULE_DEFAULTS["init_scale"])
    if scale != SCHEDULE_DEFAULTS["init_scale"]:
        words.append(f"ℓ⁰ and ℓ¹ starting at {scale:g} × the default scale")
    return ", ".join(words)


def is_page_setting(levers: dict, cfg) -> bool:
    """Whether a recorded setting's ``levers`` are those of ``cfg`` (a
    :class:`~emergence.experiments.lie.config.LieConfig`; the second search's levers at
    :data:`SCHEDULE_DEFAULTS` where a line does not name them)."""
    levers = SCHEDULE_DEFAULTS | levers
    return all(getattr(cfg, name) == value for name, value in levers.items())


def seed_range(seeds) -> str:
    """Seeds in words, each run of consecutive seeds as a range: ``0–3, 8–11``, ``5``."""
    runs: list[list[int]] = []
    for seed in sorted(seeds):
        if runs and seed == runs[-1][-1] + 1:
            runs[-1].append(seed)
        else:
            runs.append([seed])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)


# ---- the third search: the form and reach of K¹ (issue 28) -------------------------------------

#: The claims the third search tabulates: ℓ⁰, ℓ¹, and two K¹ claims at both levels.
KERNEL_FORM_CLAIMS = ("l0_log_like", "l1_gabor_like", "k1_orientation_selective_paper_level",
                      "k1_orientation_selective", "k1_coaxial_paper_level", "k1_coaxial")
#: The second search's settings whose lines are the third search's free kernel at each
#: learning-rate schedule (the same levers, the same evaluation): the page's, then the first
#: round's, on which the third search ran first.
FREE_KERNEL_SETTINGS = (PAGE_ROBUSTNESS_SETTING, FIRST_ROUND_CHOICE)


def schedule_of(levers: dict) -> tuple[float, bool]:
    """A recorded line's stage-1 learning-rate schedule: (peak rate, cosine decay), the first
    search's values where the line does not name them."""
    levers = SCHEDULE_DEFAULTS | levers
    return levers["lr"], levers["cosine_decay"]


def load_kernel_form_record(text: str | None = None, robustness: str | None = None) -> list[dict]:
    """The third search's lines (:data:`KERNEL_RECORD`) after the free kernel's (the second
    search's :data:`FREE_KERNEL_SETTINGS`, renamed ``free_kernel``); ``text`` and
    ``robustness`` replace the shipped records (for tests)."""
    if text is None:
        text = resources.files(__package__).joinpath(KERNEL_RECORD).read_text()
    lines = load_robustness_record(robustness)
    free = [row | {"setting": "free_kernel"} for name in FREE_KERNEL_SETTINGS for row in lines
            if row["setting"] == name]
    return free + load_lever_record(text, by_schedule=True)


#: A run whose stage-1 accuracy is at most this multiple of chance learned nothing.
AT_CHANCE = 1.5

#: The third search's probes of K¹'s sign (emergence.models.lateral): K¹ of one sign only.
SIGN_PROBES = ("inhibitory", "excitatory")


def uses_lateral(entry: dict) -> bool:
    """Whether a setting of the third search propagates through K¹ (``n_iterations`` > 0)."""
    return entry["levers"].get("n_iterations", 1) > 0


def judges_kernel(levers: dict) -> bool:
    """Whether the third search judges a setting's K¹ (``levers``: a line's): it propagates
    through K¹ and K¹ is not one of the :data:`SIGN_PROBES` (whose claims, about excitatory
    coupling, do not apply)."""
    return levers.get("n_iterations", 1) > 0 and levers.get("lateral_form") not in SIGN_PROBES


def kernel_form_summary(rows: list[dict], held_out: int = HELD_OUT_SEED) -> list[dict]:
    """One entry per setting and learning-rate schedule (:func:`schedule_of`), the schedules
    in the order they first appear and the settings of each in the record's order (those whose
    K¹ is judged first, then the sign probes, then the reference without propagation, not
    :func:`uses_lateral`), over the choice seeds 1–3 and the held-out seed (other seeds left
    out): per claim of :data:`KERNEL_FORM_CLAIMS` in how many choice seeds it held and whether
    it held at the held-out seed (None when not run); the ranges of stage-1 accuracy, of the
    selectivity statistic (None where K¹ is not judged) and of the operator norm of K¹; the
    mean accuracy over all its seeds and at how many of them (``n_seeds``) it stayed at chance
    (``at_chance``: accuracy ≤ :data:`AT_CHANCE` × chance)."""
    settings: dict[tuple, list[dict]] = {}
    for row in rows:
        if row["seed"] in (*KERNEL_CHOICE_SEEDS, held_out):
            key = (schedule_of(row["levers"]), row["setting"])
            settings.setdefault(key, []).append(row)
    schedules = list(dict.fromkeys(schedule for schedule, _ in settings))

    def place(item):  # the schedule's place, then judged, sign probes, no propagation
        (schedule, _), lines = item
        levers = lines[0]["levers"]
        return schedules.index(schedule), not judges_kernel(levers), not uses_lateral(lines[0])

    summary = []
    for (schedule, name), lines in sorted(settings.items(), key=place):
        choice = [r for r in lines if r["seed"] in KERNEL_CHOICE_SEEDS]
        held = [r for r in lines if r["seed"] == held_out]
        summary.append({
            "setting": name, "schedule": schedule, "levers": lines[0]["levers"],
            "n_choice": len(choice),
            "holds": {c: sum(bool(r[c]) for r in choice) for c in KERNEL_FORM_CLAIMS},
            "held_out": {c: bool(held[0][c]) for c in KERNEL_FORM_CLAIMS} if held else None,
            **{key: _range(r[key] for r in lines) for key in ("accuracy", "lateral_norm")},
            "selectivity": (_range(r["selectivity"] for r in lines)
                            if judges_kernel(lines[0]["levers"]) else None),
            "mean_accuracy": float(np.mean([r["accuracy"] for r in lines])),
            "n_seeds": len(lines),
            "at_chance": sum(r["accuracy"] <= AT_CHANCE * r["chance"] for r in lines),
        })
    return summary


def _range(values) -> tuple:
    """(least, greatest) of ``values``."""
    values = list(values)
    return min(values), max(values)
