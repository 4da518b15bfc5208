"""The reproduction scorecard: a page generated from the chapters' ``RESULTS_DIR/<chapter>.json``
and, when one exists, from the robustness table of a seeds run (``make seeds``).

Each chapter lists its claims in its results file under ``"claims"``, as the dictionaries of
:meth:`emergence.claims.Claim.to_dict`; the page renders them with the one table of
:func:`emergence.claims.claims_table` (the verdicts at a glance, each claim's details a click
away), after a count of the verdicts per chapter. The verdict of
every row is recomputed from the record (a stored verdict that disagrees is refused).

A seeds run (:mod:`emergence.book.pipeline` ``seeds``) executes the chapters once per seed and
writes ``_build/seeds/<profile>/robustness.json``: per chapter and claim, in how many of the
seeds the effect was shown (:data:`emergence.claims.HOLDING`) and the median and range of the
claim's number. The scorecard adds that column when the seeds run has the build's profile and
was made by the same code and chapter source; otherwise it says that the column is missing or stale.
A claim is called **robust** when it holds in at least 3 of 4 seeds (``k ≥ 3N/4``, ``N ≥ 4``).
"""

from __future__ import annotations

import importlib
import json
import statistics
from pathlib import Path

from emergence.claims import (
    HOLDING,
    REPORTED,
    VERDICTS,
    Claim,
    cell,
    claims_table,
    verdict_counts,
)
from emergence.experiments import TOPIC_OF_CHAPTER

ROBUSTNESS_FILE = "robustness.json"


def load_claims(record: dict) -> list[Claim]:
    """The claims of a chapter's results record, verdicts checked."""
    return [Claim.from_dict(c) for c in record.get("claims", [])]


def is_robust(k: int, n: int) -> bool:
    """Robust: shown in at least 3 of 4 seeds (at least three quarters of N ≥ 4 seeds)."""
    return n >= 4 and 4 * k >= 3 * n


def aggregate_seeds(records: dict[int, dict]) -> dict[str, dict]:
    """Per claim id, over the seeds' results records of one chapter (``{seed: record}``):
    ``claim`` (its words), ``seeds`` (those that reported it), ``missing_seeds``, ``k`` (seeds
    in which it was shown), ``n``, ``robust``, ``verdicts`` (per seed) and the ``median``,
    ``min`` and ``max`` of its ``value`` (``None`` where no seed gave one)."""
    table: dict[str, dict] = {}
    for seed in sorted(records):
        for claim in load_claims(records[seed]):
            row = table.setdefault(claim.id, {"claim": claim.claim, "verdicts": {},
                                              "values": {}})
            row["verdicts"][str(seed)] = claim.verdict
            if claim.value is not None:
                row["values"][str(seed)] = claim.value
    for row in table.values():
        seeds = sorted(int(s) for s in row["verdicts"])
        tested = any(v != REPORTED for v in row["verdicts"].values())
        k = sum(v in HOLDING for v in row["verdicts"].values())
        values = list(row["values"].values())
        row.update(
            seeds=seeds, missing_seeds=sorted(set(records) - set(seeds)), n=len(seeds), k=k,
            tested=tested, robust=tested and is_robust(k, len(seeds)),
            median=statistics.median(values) if values else None,
            min=min(values) if values else None, max=max(values) if values else None)
    return table


def seeds_cell(row: dict) -> str:
    """'robust: 4 of 4 (median 0.31, 0.28 to 0.35)', or '2 of 4 …', for one claim."""
    if not row["tested"]:
        shown = "reported"
    else:
        shown = f"{'robust: ' if row['robust'] else ''}{row['k']} of {row['n']}"
    if row["median"] is not None:
        shown += f" (median {row['median']:.3g}, {row['min']:.3g} to {row['max']:.3g})"
    if row["missing_seeds"]:
        shown += f"; missing in seeds {', '.join(map(str, row['missing_seeds']))}"
    return shown


def no_seeds_note(profile: str) -> str:
    """Why no table has a seeds column: no seeds run at this profile (said once on the page)."""
    return (f"No seeds run at the `{profile}` profile exists for this build, so the robustness "
            f"column is missing from every table; `make seeds PROFILE={profile}` adds it.")


def robustness_for(chapter: str, profile: str, fingerprint: str | None,
                   robustness: dict | None) -> tuple[dict | None, str]:
    """The chapter's robustness rows if the seeds run fits this build, and a note for the page
    (why the column is missing or stale, or which seeds it covers)."""
    if robustness is None or robustness.get("profile") != profile:
        return None, no_seeds_note(profile)
    entry = robustness.get("chapters", {}).get(chapter)
    if entry is None:
        return None, "The last seeds run did not include this chapter."
    if fingerprint is not None and entry.get("fingerprint") != fingerprint:
        return None, (f"The seeds run of {robustness.get('created', '?')} is stale: the code or "
                      "the chapter changed since, so its robustness column is not shown "
                      f"(rerun `make seeds PROFILE={profile}`).")
    seeds = ", ".join(map(str, robustness["seeds"]))
    requested = robustness.get("requested_seeds", robustness["seeds"])
    unfinished = [s for s in requested if s not in robustness["seeds"]]
    return entry["claims"], (
        f"The seeds column is from `make seeds` at `{profile}` over seeds {seeds} "
        f"({robustness.get('created', '?')})"
        + (f"; the run stopped before seeds {', '.join(map(str, unfinished))}" if unfinished
           else "")
        + "; a claim is robust when it is shown in at least 3 of 4 seeds.")


def result_keys(chapter: str) -> str | None:
    """The Markdown list documenting the keys of ``<chapter>.json``: ``RESULT_KEYS`` of the
    chapter's experiment package (:data:`emergence.experiments.TOPIC_OF_CHAPTER`), or ``None``
    for a page that has none."""
    topic = TOPIC_OF_CHAPTER.get(chapter)
    if topic is None:
        return None
    return importlib.import_module(f"emergence.experiments.{topic}.results").RESULT_KEYS


def keys_dropdown(chapter: str, keys: str | None) -> list[str]:
    """A closed dropdown with the documentation of the chapter's results keys (or nothing)."""
    if not keys:
        return []
    return [f":::{{admonition}} Keys of `{chapter}.json`", ":class: dropdown", keys.strip(),
            ":::", ""]


def chapter_section(title: str, page: str, record: dict | None,
                    robustness: dict | None = None, fingerprint: str | None = None) -> str:
    """The Markdown section of one chapter: its build facts, verdict count and claims table."""
    lines = [f"## [{title}]({page})", ""]
    if record is None:
        return "\n".join(lines + ["*Not built in this build of the book.*", ""])
    lines += [
        f"Profile **`{record['profile']}`**, seed {record['seed']}, device `{record['device']}`, "
        f"runtime {record['runtime_seconds']:.0f} s, built {record['created']}.  ",
        f"Data: {record['data']}.",
        "",
    ]
    claims = load_claims(record)
    if not claims:
        return "\n".join(lines + ["*This chapter reports no claims table yet.*", ""])
    rows, note = robustness_for(record["chapter"], record["profile"], fingerprint, robustness)
    extra_columns, extra_cells = (), None
    if rows is not None:
        extra_columns = ("seeds",)
        extra_cells = {cid: (seeds_cell(row),) for cid, row in rows.items()}
    lines += [claims_table(claims, record["profile"], extra_columns, extra_cells), ""]
    if note != no_seeds_note(record["profile"]):  # that one is said once, above the tables
        lines += [note, ""]
    lines += keys_dropdown(record["chapter"], result_keys(record["chapter"]))
    return "\n".join(lines)


def counts_table(records: list[tuple[str, dict | None]]) -> str:
    """One row per chapter: how many of its claims have each verdict."""
    lines = ["| chapter | " + " | ".join(VERDICTS) + " |", "|---|" + "---|" * len(VERDICTS)]
    for title, record in records:
        if record is None:
            lines.append(f"| {cell(title)} | " + " | ".join("—" for _ in VERDICTS) + " |")
            continue
        counts = verdict_counts(load_claims(record))
        lines.append(f"| {cell(title)} | " + " | ".join(str(counts[v]) for v in VERDICTS) + " |")
    return "\n".join(lines)


def scorecard_page(results_dir: Path, chapters: list[tuple[str, str]],
                   robustness: dict | None = None,
                   fingerprints: dict[str, str] | None = None) -> str:
    """The whole page. ``chapters``: (title, page path relative to the scorecard) in book order;
    a chapter's results file is ``results_dir / f"{Path(page).stem}.json"``. ``robustness``:
    the seeds run's table (or ``None``); ``fingerprints``: the current fingerprint of each
    chapter (by stem), against which a seeds run is judged stale."""
    records = []
    for title, page in chapters:
        path = results_dir / f"{Path(page).stem}.json"
        records.append((title, page, json.loads(path.read_text()) if path.exists() else None))
    parts = [
        "# Reproduction scorecard",
        "",
        "Each chapter's table lists its claims with the verdict, our number and the paper's; "
        "under it, one click away, each claim's criterion, the paper's source, the controls — "
        "cases that must *not* show the effect, judged by the same criterion — and the setting. "
        "The verdict is computed from these: **reproduced** only when the criterion holds and "
        "every control fails it (*with a departure* when our setting differs from the "
        "paper's); **not reproduced** when the criterion is missed or a control passes too; "
        "**reported** where a number is shown but not tested; **beyond the paper** for our own "
        "extensions. The tables are generated from the results files the chapters wrote "
        "(`_build/results/*.json`) when the book was built; nothing here is typed by hand. "
        "Claims checked at the small `cpu` profile can fail where the paper's scale is needed: "
        "the `paper` profile reruns them at full size.",
        "",
        counts_table([(title, record) for title, _, record in records]),
        "",
    ]
    unseeded = sorted({record["profile"] for _, _, record in records if record is not None
                       and robustness_for(record["chapter"], record["profile"], None,
                                          robustness)[1] == no_seeds_note(record["profile"])})
    parts += [" ".join(no_seeds_note(profile) for profile in unseeded), ""] if unseeded else []
    for title, page, record in records:
        fingerprint = (fingerprints or {}).get(Path(page).stem)
        parts.append(chapter_section(title, page, record, robustness, fingerprint))
    return "\n".join(parts)
