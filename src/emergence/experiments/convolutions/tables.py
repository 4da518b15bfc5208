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
