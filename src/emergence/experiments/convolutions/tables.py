"""Chapter 2's tables over seeds, computed when the page runs: Section 6's overlaps of the
learned fields with each candidate shape at the choice seeds
(:func:`~.summary.shape_overlaps_over_seeds`), and the 1D claim at the paper's time
(``ring_paper``) at the choice seeds and at the held-out seeds (:data:`~.config.CHOICE_SEEDS`,
:data:`~.config.HELD_OUT_SEEDS`; :func:`~.summary.ring_paper_seeds`). The other claims'
counts over seeds come from ``make seeds`` (the scorecard's column).
"""

from __future__ import annotations

from .config import CHOICE_SEEDS, HELD_OUT_SEEDS


def overlap_seed_table(rows_by_seed: dict[int, list[dict]], criterion: float = 0.8) -> str:
    """Markdown: per shape, its mean best overlap with the learned fields at each seed, and at
    how many seeds it reaches ``criterion`` (the eigenvector claim's overlap threshold)."""
    if not rows_by_seed:
        return "*No seeds were run.*"
    seeds = sorted(rows_by_seed)
    shapes = [row["shape"] for row in rows_by_seed[seeds[0]]]
    lines = ["| shape | " + " | ".join(f"seed {s}" for s in seeds) + f" | ≥ {criterion:g} |",
             "|---|" + "---|" * (len(seeds) + 1)]
    for shape in shapes:
        values = [next(r["overlap"] for r in rows_by_seed[s] if r["shape"] == shape)
                  for s in seeds]
        reached = sum(v >= criterion for v in values)
        lines.append(f"| {shape} | " + " | ".join(f"{v:.3f}" for v in values)
                     + f" | {reached} of {len(seeds)} |")
    return "\n".join(lines)


def ring_paper_table(record: dict, factor: float = 5.0) -> str:
    """Markdown: the 1D claim at the paper's time per seed: the b₀ = +1 population's IPR and the
    clone's larger population mean (× the baseline), and each neuron's onset (first recorded time
    above ``factor`` × the baseline; — never)."""
    if not record.get("ring_paper"):
        return "*No seeds were run.*"
    baseline = record["baseline"]
    lines = ["| seed | role | IPR, b₀ = +1 (× baseline) | clone, larger population (×) | "
             f"neurons' onsets t (> {factor:g}×) |", "|---|---|---|---|---|"]
    for seed, row in sorted(record["ring_paper"].items()):
        onsets = ", ".join("—" if t is None else f"{t:.0f}" for t in sorted(
            row["onsets"], key=lambda t: float("inf") if t is None else t))
        role = "held-out" if seed in HELD_OUT_SEEDS else "choice"
        lines.append(f"| {seed} | {role} | {row['ipr']:.3f} ({row['ipr'] / baseline:.1f}×) | "
                     f"{row['clone_max']:.3f} ({row['clone_max'] / baseline:.1f}×) | {onsets} |")
    return "\n".join(lines)


def ring_paper_counts(record: dict, factor: float = 5.0, flat: float = 2.0) -> dict:
    """Over the recorded seeds of each role: how many meet the 1D claim (IPR ≥ ``factor`` ×
    the baseline with the clone ≤ ``flat`` ×), the range of the population IPR, and the latest
    onset of any neuron (``None`` if some neuron never localised)."""
    out, recorded = {}, record.get("ring_paper", {})
    for role, seeds in (("choice", CHOICE_SEEDS), ("held-out", HELD_OUT_SEEDS)):
        rows = [recorded[s] for s in seeds if s in recorded]
        if not rows:
            continue
        onsets = [t for r in rows for t in r["onsets"]]
        out[role] = {
            "n": len(rows),
            "holds": sum(r["ipr"] >= factor * record["baseline"]
                         and r["clone_max"] <= flat * record["baseline"] for r in rows),
            "ipr_min": min(r["ipr"] for r in rows), "ipr_max": max(r["ipr"] for r in rows),
            "latest_onset": None if None in onsets else max(onsets)}
    return out


#: Recorded on 2026-12-07 at the ``cpu`` profile: each choice seed's results file (the chapter
#: executed with ``SEED`` 0–3, as ``make seeds``) and, for the held-out seeds 4–7,
#: ``summary.summarise_ring_paper`` of ``runs.cached_run("ring_paper", cfg, seed, cpu)``; put
#: together by ``record_from_results`` (floats rounded to 4 digits).
SEED_RECORD: dict = {'profile': 'cpu',
 'baseline': 0.0294,
 'claims': {'nlgp_localises_1d': {0: 'reproduced',
                                  1: 'reproduced',
                                  2: 'reproduced',
                                  3: 'reproduced'},
            'clone_stays_flat': {0: 'reproduced',
                                 1: 'reproduced',
                                 2: 'reproduced',
                                 3: 'reproduced'},
            'torus_localises_2d': {0: 'reproduced',
                                   1: 'reproduced',
                                   2: 'reproduced',
                                   3: 'reproduced'},
            'gain_sweep_needs_nongaussian': {0: 'reproduced',
                                             1: 'reproduced',
                                             2: 'reproduced',
                                             3: 'reproduced'},
            'tiles_ring': {0: 'not reproduced at this profile',
                           1: 'not reproduced at this profile',
                           2: 'not reproduced at this profile',
                           3: 'not reproduced at this profile'},
            'tiles_torus': {0: 'not reproduced at this profile',
                            1: 'not reproduced at this profile',
                            2: 'not reproduced at this profile',
                            3: 'reproduced'},
            'kappa4_eigenvectors_match_fields': {0: 'not reproduced at this profile',
                                                 1: 'not reproduced at this profile',
                                                 2: 'not reproduced at this profile',
                                                 3: 'not reproduced at this profile'},
            'kappa4_term_switches_localisation': {0: 'beyond the paper: holds',
                                                  1: 'beyond the paper: holds',
                                                  2: 'beyond the paper: holds',
                                                  3: 'beyond the paper: holds'},
            'cnn_filters_match_fc_fields': {0: 'reproduced with a departure',
                                            1: 'reproduced with a departure',
                                            2: 'reproduced with a departure',
                                            3: 'reproduced with a departure'},
            'accuracy_fc_nlgp': {0: 'reported', 1: 'reported', 2: 'reported', 3: 'reported'}},
 'ring_paper': {0: {'ipr': 0.2538,
                    'clone_max': 0.0304,
                    'onsets': [904.74, 606.19, 904.74, 904.74]},
                1: {'ipr': 0.2552,
                    'clone_max': 0.0291,
                    'onsets': [606.19, 1350.31, 2015.34, 3007.88]},
                2: {'ipr': 0.2461,
                    'clone_max': 0.0283,
                    'onsets': [4489.25, 406.16, 1350.31, 1350.31]},
                3: {'ipr': 0.2565,
                    'clone_max': 0.0299,
                    'onsets': [904.74, 406.16, 606.19, 606.19]},
                4: {'ipr': 0.2557,
                    'clone_max': 0.0298,
                    'onsets': [2015.34, 606.19, 2015.34, 904.74]},
                5: {'ipr': 0.2527,
                    'clone_max': 0.0263,
                    'onsets': [3007.88, 606.19, 2015.34, 904.74]},
                6: {'ipr': 0.2543,
                    'clone_max': 0.0271,
                    'onsets': [3007.88, 2015.34, 406.16, 904.74]},
                7: {'ipr': 0.2553,
                    'clone_max': 0.0304,
                    'onsets': [1350.31, 2015.34, 3007.88, 606.19]}},
 'overlaps': {'eigenvectors of κ₄ (both classes mixed, as the task draws them)': {0: 0.9849,
                                                                                  1: 0.9837,
                                                                                  2: 0.9841,
                                                                                  3: 0.9848},
              "eigenvectors of (κ₄⁰ − κ₄¹)/2 (the derivation's tensor, b = +1)": {0: 0.9397,
                                                                                  1: 0.9296,
                                                                                  2: 0.9517,
                                                                                  3: 0.9418},
              "a Gaussian bump of the fields' mean IPR": {0: 0.9788,
                                                          1: 0.976,
                                                          2: 0.9786,
                                                          3: 0.9748},
              'a box of ≈ 1/IPR sites': {0: 0.9377, 1: 0.9405, 2: 0.9353, 3: 0.9285},
              'random unit vectors': {0: 0.2886, 1: 0.3111, 2: 0.3799, 3: 0.3748},
              "eigenvectors of the clone's κ₄": {0: 0.4453, 1: 0.4324, 2: 0.447, 3: 0.457},
              "the clone network's learned fields (b₀ = +1)": {0: 0.4168,
                                                               1: 0.4493,
                                                               2: 0.4973,
                                                               3: 0.5077}}}
