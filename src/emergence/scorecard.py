"""The reproduction scorecard: a page generated from the chapters' ``RESULTS_DIR/<chapter>.json``.

Each chapter lists its claims in its results file under ``"claims"``, one object per claim::

    {"claim": "...", "paper": "the paper's figure or number", "ours": "this build's number",
     "holds": true | false | null, "criterion": "how 'holds' was decided"}

``holds`` is ``null`` where the claim is reported but not tested (e.g. a number to compare by
eye). The page shows, per chapter, the profile, seed, device, data and runtime of the build
that produced the numbers, so a claim that fails at a small profile is shown honestly.
"""

from __future__ import annotations

import json
from pathlib import Path

CLAIM_KEYS = ("claim", "paper", "ours", "holds", "criterion")
VERDICT = {True: "✓ holds", False: "✗ does not hold", None: "— (reported)"}


def check_claims(claims: list[dict]) -> list[dict]:
    """Validate a chapter's claims (keys and types) and return them."""
    for claim in claims:
        missing = [key for key in CLAIM_KEYS if key not in claim]
        if missing:
            raise ValueError(f"claim {claim!r} lacks {missing}; every claim needs {CLAIM_KEYS}.")
        if claim["holds"] not in (True, False, None):
            raise ValueError(f"claim {claim['claim']!r}: holds must be true, false or null.")
    return claims


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def chapter_section(title: str, page: str, record: dict | None) -> str:
    """The Markdown section of one chapter: its build facts and its claims table."""
    lines = [f"## [{title}]({page})", ""]
    if record is None:
        return "\n".join(lines + ["*Not built in this build of the book.*", ""])
    lines += [
        f"Profile **`{record['profile']}`**, seed {record['seed']}, device `{record['device']}`, "
        f"runtime {record['runtime_seconds']:.0f} s, built {record['created']}.  ",
        f"Data: {record['data']}.",
        "",
    ]
    claims = check_claims(record.get("claims", []))
    if not claims:
        return "\n".join(lines + ["*This chapter reports no claims table yet.*", ""])
    lines += ["| claim | paper | this build | verdict | criterion |", "|---|---|---|---|---|"]
    lines += [f"| {_cell(c['claim'])} | {_cell(c['paper'])} | {_cell(c['ours'])} | "
              f"{VERDICT[c['holds']]} | {_cell(c['criterion'])} |" for c in claims]
    held = sum(c["holds"] is True for c in claims)
    tested = sum(c["holds"] is not None for c in claims)
    return "\n".join(lines + ["", f"{held} of {tested} tested claims hold at this profile.", ""])


def scorecard_page(results_dir: Path, chapters: list[tuple[str, str]]) -> str:
    """The whole page. ``chapters``: (title, page path relative to the scorecard) in book order;
    a chapter's results file is ``results_dir / f"{Path(page).stem}.json"``."""
    parts = [
        "# Reproduction scorecard",
        "",
        "Each row is a claim of a paper, the paper's number or figure, the number this build of "
        "the book computed, and whether it holds by the stated criterion. The table is generated "
        "from the results files the chapters wrote (`_build/results/*.json`) when the book was "
        "built; nothing here is typed by hand. Claims checked at the small `cpu` profile can "
        "fail where the paper's scale is needed: the `paper` profile reruns them at full size.",
        "",
    ]
    for title, page in chapters:
        path = results_dir / f"{Path(page).stem}.json"
        record = json.loads(path.read_text()) if path.exists() else None
        parts.append(chapter_section(title, page, record))
    return "\n".join(parts)
