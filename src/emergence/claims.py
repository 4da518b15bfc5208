"""The claim record: one paper claim, the number this run measured, its controls and a verdict.

Every chapter states its claims as :class:`Claim` records and renders them with
:func:`claims_table`; the same records, as plain dictionaries (:meth:`Claim.to_dict`), go to
the chapter's results file under ``"claims"``, from which the scorecard page is generated
(:mod:`emergence.book.scorecard`). The verdict is computed from the record, never typed:

* **reproduced** — the criterion holds on our run, in the paper's setting, and every control
  fails the same criterion;
* **reproduced with a departure** — the same, but in a setting that departs from the paper's
  (``setting`` says how);
* **not reproduced at this profile** — the criterion is missed, or a control meets it too (the
  reason names it);
* **reported** — a number shown beside the paper's, not tested (``holds`` is ``None``);
* **beyond the paper** — our own extension, judged the same way (it holds, or does not).

A control is a case that must *not* show the effect — an untrained or random network, shuffled
orientations, white noise through the same filters, a trivial filter, the Gaussian clone — with
its value under the claim's criterion and whether it meets that criterion (``passes``). A tested
claim without a control must say why none applies (``no_control``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

AS_IN_PAPER = "as in the paper"
REPRODUCED = "reproduced"
DEPARTURE = "reproduced with a departure"
NOT_REPRODUCED = "not reproduced at this profile"
REPORTED = "reported"
BEYOND_HOLDS = "beyond the paper: holds"
BEYOND_FAILS = "beyond the paper: does not hold"
VERDICTS = (REPRODUCED, DEPARTURE, NOT_REPRODUCED, REPORTED, BEYOND_HOLDS, BEYOND_FAILS)
HOLDING = (REPRODUCED, DEPARTURE, BEYOND_HOLDS)  # the verdicts under which the effect is shown

SOURCE_QUALITATIVE = "qualitative in the paper"
SOURCE_AUTHORS_CODE = "the authors' code, run independently"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Control:
    """A case that must not show the effect: its ``name``, its ``value`` (text) under the
    claim's criterion, and whether it meets that criterion (``passes``; it should not)."""

    name: str
    value: str
    passes: bool

    def __post_init__(self):
        if not isinstance(self.passes, bool):
            raise TypeError(f"control {self.name!r}: passes must be True or False, "
                            f"not {self.passes!r}.")


@dataclass(frozen=True)
class Claim:
    """One claim of a paper and how this run fares on it (module docstring).

    ``value`` is the claim's headline number (or ``None``), kept for the robustness table over
    seeds (median and range); ``ours`` is how the page shows it.
    """

    id: str
    claim: str
    paper: str
    source: str
    ours: str
    criterion: str
    holds: bool | None
    setting: str = AS_IN_PAPER
    controls: tuple[Control, ...] = ()
    no_control: str = ""
    beyond_paper: bool = False
    value: float | None = None

    def __post_init__(self):
        if not _ID.match(self.id):
            raise ValueError(f"claim id {self.id!r} must be snake_case (a-z, 0-9, _).")
        for name in ("claim", "paper", "source", "ours", "criterion", "setting"):
            if not str(getattr(self, name)).strip():
                raise ValueError(f"claim {self.id!r}: {name} must not be empty.")
        if self.holds not in (True, False, None):
            raise TypeError(f"claim {self.id!r}: holds must be True, False or None, "
                            f"not {self.holds!r}.")
        object.__setattr__(self, "controls", tuple(
            c if isinstance(c, Control) else Control(**c) for c in self.controls))
        if self.holds is not None and not self.controls and not self.no_control.strip():
            raise ValueError(f"claim {self.id!r} is tested but has no control; give controls "
                             "or say in no_control why none applies.")
        if self.value is not None:
            object.__setattr__(self, "value", float(self.value))

    @property
    def passing_controls(self) -> list[Control]:
        """The controls that meet the criterion too (each one voids the claim)."""
        return [c for c in self.controls if c.passes]

    @property
    def verdict(self) -> str:
        """Computed from ``holds``, the controls, the setting and ``beyond_paper``."""
        if self.holds is None:
            return REPORTED
        shown = self.holds and not self.passing_controls
        if self.beyond_paper:
            return BEYOND_HOLDS if shown else BEYOND_FAILS
        if not shown:
            return NOT_REPRODUCED
        return REPRODUCED if self.setting == AS_IN_PAPER else DEPARTURE

    @property
    def reason(self) -> str:
        """Why the verdict is what it is, in a short phrase."""
        if self.holds is None:
            return "not tested"
        if not self.holds:
            return "criterion missed"
        passing = self.passing_controls
        if passing:
            names = ", ".join(c.name for c in passing)
            return f"a control passes too: {names}"
        if self.controls:
            return "criterion met; every control fails it"
        return "criterion met; no control applies (see the controls column)"

    def to_dict(self) -> dict:
        """Plain JSON-ready dictionary, with the computed ``verdict`` and ``reason``."""
        record = asdict(self)
        record["controls"] = [asdict(c) for c in self.controls]
        return record | {"verdict": self.verdict, "reason": self.reason}

    @classmethod
    def from_dict(cls, record: dict) -> Claim:
        """The claim back from :meth:`to_dict`; a stored verdict that the record no longer
        gives is refused (the verdict is computed, never typed)."""
        fields = {k: v for k, v in record.items() if k not in ("verdict", "reason")}
        missing = [k for k in ("id", "claim", "paper", "source", "ours", "criterion", "holds")
                   if k not in fields]
        if missing:
            raise ValueError(f"claim record {record.get('id', record)!r} lacks {missing}.")
        claim = cls(**fields)
        if "verdict" in record and record["verdict"] != claim.verdict:
            raise ValueError(f"claim {claim.id!r}: stored verdict {record['verdict']!r} "
                             f"disagrees with the record, which gives {claim.verdict!r}.")
        return claim


def check_unique(claims: list[Claim]) -> list[Claim]:
    """Refuse two claims with one id (ids key the robustness table over seeds)."""
    ids = [c.id for c in claims]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"claim ids {repeated} are used more than once.")
    return claims


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def controls_text(claim: Claim) -> str:
    """The controls of a claim for a table cell: those that pass first, marked."""
    if not claim.controls:
        return f"none ({claim.no_control})" if claim.no_control else "—"
    ordered = claim.passing_controls + [c for c in claim.controls if not c.passes]
    return "; ".join(f"{c.name}: {c.value}" + (" **(passes too)**" if c.passes else "")
                     for c in ordered)


MARKS = {REPRODUCED: "✓", DEPARTURE: "✓", BEYOND_HOLDS: "✓", NOT_REPRODUCED: "✗",
         BEYOND_FAILS: "✗", REPORTED: "—"}
TABLE_HEADER = ("#", "claim", "verdict", "ours", "paper")  # the summary at a glance
DETAILS_TITLE = "Criterion, controls and setting of each claim"
_SEPARATOR = "; "


def verdict_word(claim: Claim, profile: str | None = None, code: bool = True) -> str:
    """The verdict's mark and word, e.g. "✗ **not reproduced at `cpu`**" (``code=False``: the
    profile as plain text, as in the compact summary table)."""
    verdict = claim.verdict
    if verdict == NOT_REPRODUCED and profile:
        verdict = f"not reproduced at {f'`{profile}`' if code else profile}"
    return f"{MARKS[claim.verdict]} **{verdict}**"


def verdict_text(claim: Claim, profile: str | None = None) -> str:
    """The verdict with its criterion and why: e.g. "✗ **not reproduced at `cpu`**: a control
    passes too: Gaussian clone (criterion: IPR ≥ 5× the baseline)"."""
    text = verdict_word(claim, profile)
    if claim.verdict == REPORTED:
        return text
    return f"{text}: {claim.reason} (criterion: {claim.criterion})"


def verdict_glue(claims: list[Claim]) -> dict[str, str]:
    """Per claim, its verdict as plain words for the page's prose (``{glue:text}``), so that a
    sentence about a claim's outcome reads the record: ``verdict_<id>`` (e.g. "✗ not
    reproduced at this profile") and ``reason_<id>`` (e.g. "a control passes too: …")."""
    words = {}
    for claim in check_unique(claims):
        words[f"verdict_{claim.id}"] = f"{MARKS[claim.verdict]} {claim.verdict}"
        words[f"reason_{claim.id}"] = claim.reason
    return words


def p_text(p: float, n_shuffles: int | None = None) -> str:
    """A shuffle test's p-value for the page: ``p = 0.0340``, or at the test's floor
    ``1 / (1 + n_shuffles)`` (no shuffle reached the statistic) ``p ≤ 0.002``: the test cannot
    say more with so many shuffles."""
    if n_shuffles and p * (1 + n_shuffles) <= 1 + 1e-9:
        return f"p ≤ {1 / (1 + n_shuffles):.2g}"
    return f"p = {p:.4f}"


def shared_departures(claims: list[Claim]) -> list[str]:
    """The parts of the setting (``"; "``-separated phrases) that every claim departs by, in the
    order of the first claim: said once above the table instead of in every row."""
    if len(claims) < 2 or any(c.setting == AS_IN_PAPER for c in claims):
        return []
    first, *others = (c.setting.split(_SEPARATOR) for c in claims)
    return [part for part in dict.fromkeys(first) if all(part in o for o in others)]


def own_setting(claim: Claim, shared: list[str]) -> str:
    """The claim's setting less the departures shared by every claim."""
    if not shared:
        return claim.setting
    rest = [part for part in claim.setting.split(_SEPARATOR) if part not in shared]
    return _SEPARATOR.join(rest) if rest else "no further departure"


def claim_row(claim: Claim, number: int, profile: str | None = None,
              extra: tuple[str, ...] = ()) -> str:
    """One row of the summary table: number, claim, verdict, ours, the paper's value, extras."""
    cells = (str(number), claim.claim, verdict_word(claim, profile, code=False), claim.ours,
             claim.paper, *extra)
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def claim_details(claim: Claim, number: int, profile: str | None = None,
                  shared: list[str] | None = None) -> str:
    """The details of one claim, a click away from the summary: the verdict with its reason and
    criterion, the paper's value and source, our number, the controls and the setting."""
    return "\n".join([
        f"**{number}. {claim.claim}**",
        "",
        f"- verdict: {verdict_text(claim, profile)}",
        f"- paper: {claim.paper} ({claim.source})",
        f"- ours: {claim.ours}",
        f"- controls: {controls_text(claim)}",
        f"- setting: {own_setting(claim, shared or [])}",
        ""])


def summary_table(claims: list[Claim], profile: str | None = None,
                  extra_columns: tuple[str, ...] = (),
                  extra_cells: dict[str, tuple[str, ...]] | None = None) -> str:
    """The compact table: one row per claim (number, claim, verdict, ours, paper, extras), in a
    MyST ``table`` directive of class ``claims-summary`` (its column widths are fixed by the
    book's style sheet, so that the verdict stays on screen on a phone)."""
    check_unique(claims)
    header = (*TABLE_HEADER, *extra_columns)
    lines = ["```{table}", f":class: claims-summary claims-summary-{len(header)}", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for number, claim in enumerate(claims, 1):
        extra = (extra_cells or {}).get(claim.id, ("—",) * len(extra_columns))
        lines.append(claim_row(claim, number, profile, tuple(extra)))
    return "\n".join([*lines, "```"])


def claims_table(claims: list[Claim], profile: str | None = None,
                 extra_columns: tuple[str, ...] = (),
                 extra_cells: dict[str, tuple[str, ...]] | None = None) -> str:
    """The one rendering of a list of claims, used by every chapter and by the scorecard: the
    departures shared by every claim said once, the compact :func:`summary_table` (the verdicts
    at a glance), then a closed dropdown with each claim's details (:func:`claim_details`).

    ``extra_columns`` and ``extra_cells`` (per claim id) add columns to the summary, e.g. the
    seeds column of the scorecard."""
    shared = shared_departures(claims)
    lines = []
    if shared:
        departure = re.sub(r"^departure:\s*", "", _SEPARATOR.join(shared))
        lines += [f"**Setting of every claim below** (a departure from the paper's, said once "
                  f"here): {departure}.", ""]
    lines += [summary_table(claims, profile, extra_columns, extra_cells), ""]
    lines += ["````{admonition} " + DETAILS_TITLE, ":class: dropdown claims-details", ""]
    lines += [claim_details(claim, n, profile, shared) for n, claim in enumerate(claims, 1)]
    lines += ["````"]
    return "\n".join(lines)


def verdict_counts(claims: list[Claim]) -> dict[str, int]:
    """How many claims have each verdict (every verdict listed, zeros included)."""
    return {v: sum(c.verdict == v for c in claims) for v in VERDICTS}


def counts_text(claims: list[Claim]) -> str:
    """A one-line count of the verdicts, e.g. "3 reproduced, 1 not reproduced at this profile"."""
    counts = verdict_counts(claims)
    return ", ".join(f"{n} {v}" for v, n in counts.items() if n) or "no claims"
