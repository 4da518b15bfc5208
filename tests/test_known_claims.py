"""Known-answer tests of the verdicts, their counts, the seeds aggregation and the scorecard.

Every expected value here is worked out by hand (and typed), or by a plain loop written in the
test, never by calling the function under test. The cases are chosen so that a single-point bug
cannot cancel out: departures and "beyond the paper" claims beside plain ones, passing controls
that are not the first, seeds that are not 0..N-1 and are given out of order, values that are
missing in some seeds, medians that differ from means.
"""

import hashlib
import itertools
import json
import re

import pytest

from emergence.book import pipeline
from emergence.book.scorecard import (
    aggregate_seeds,
    chapter_section,
    counts_table,
    is_robust,
    robustness_for,
    scorecard_page,
    seeds_cell,
)
from emergence.claims import (
    AS_IN_PAPER,
    BEYOND_FAILS,
    BEYOND_HOLDS,
    DEPARTURE,
    HOLDING,
    NOT_REPRODUCED,
    REPORTED,
    REPRODUCED,
    VERDICTS,
    Claim,
    Control,
    claim_details,
    claim_row,
    claims_table,
    controls_text,
    counts_text,
    verdict_counts,
    verdict_text,
)

FAILS = Control("untrained network", "0.03", passes=False)
FAILS_TOO = Control("white noise", "0.05", passes=False)
PASSES = Control("Gaussian clone", "0.21", passes=True)
PASSES_TOO = Control("shuffled", "0.3", passes=True)
CRITERION = "IPR ≥ 5× baseline"
DEPARTS = "mini-batch SGD instead of online SGD"


def make(cid="c", holds=True, controls=(FAILS,), setting=AS_IN_PAPER, beyond=False,
         value=None, no_control="") -> Claim:
    return Claim(id=cid, claim=f"the {cid} claim", paper="0.25", source="Fig. 1",
                 ours=f"ours {cid}", criterion=CRITERION, holds=holds, setting=setting,
                 controls=controls, no_control=no_control, beyond_paper=beyond, value=value)


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize("kwargs, verdict, reason", [
    ({}, REPRODUCED, "criterion met; every control fails it"),
    ({"controls": (FAILS, FAILS_TOO)}, REPRODUCED, "criterion met; every control fails it"),
    ({"setting": DEPARTS}, DEPARTURE, "criterion met; every control fails it"),
    ({"controls": (FAILS, PASSES), "setting": DEPARTS}, NOT_REPRODUCED,
     "a control passes too: Gaussian clone"),
    ({"controls": (PASSES, FAILS, PASSES_TOO)}, NOT_REPRODUCED,
     "a control passes too: Gaussian clone, shuffled"),
    ({"holds": False, "controls": (PASSES,)}, NOT_REPRODUCED, "criterion missed"),
    ({"holds": False, "setting": DEPARTS}, NOT_REPRODUCED, "criterion missed"),
    ({"holds": None, "controls": (PASSES,)}, REPORTED, "not tested"),
    ({"holds": None, "controls": (), "setting": DEPARTS}, REPORTED, "not tested"),
    ({"controls": (), "no_control": "none exists", "setting": DEPARTS}, DEPARTURE,
     "criterion met; no control applies (see the controls column)"),
    ({"beyond": True, "setting": DEPARTS}, BEYOND_HOLDS, "criterion met; every control fails it"),
    ({"beyond": True, "controls": (FAILS, PASSES)}, BEYOND_FAILS,
     "a control passes too: Gaussian clone"),
    ({"beyond": True, "holds": False}, BEYOND_FAILS, "criterion missed"),
    ({"beyond": True, "holds": None}, REPORTED, "not tested"),
])
def test_verdict_and_reason_by_hand(kwargs, verdict, reason):
    """Each row's verdict and reason read off the rules of the claims module docstring by hand:
    a passing control anywhere in the list voids the claim (and is named, all of them in order),
    a departure only changes a shown claim, "beyond" claims hold or do not hold."""
    record = make(**kwargs)
    assert (record.verdict, record.reason) == (verdict, reason)
    assert (record.verdict in HOLDING) == (verdict in (REPRODUCED, DEPARTURE, BEYOND_HOLDS))


CONTROL_SETS = [(), (FAILS,), (PASSES,), (FAILS, PASSES), (PASSES, FAILS), (FAILS, FAILS_TOO)]


def plain_verdict(holds, controls, departs, beyond):
    """A second, loop-based statement of the verdict rules (module docstring of claims)."""
    if holds is None:
        return REPORTED
    control_passes = False
    for control in controls:
        if control.passes is True:
            control_passes = True
    effect_shown = holds is True and control_passes is False
    if beyond:
        return {True: BEYOND_HOLDS, False: BEYOND_FAILS}[effect_shown]
    if not effect_shown:
        return NOT_REPRODUCED
    return {True: DEPARTURE, False: REPRODUCED}[departs]


def test_every_combination_of_holds_controls_setting_and_beyond():
    """All 3 × 6 × 2 × 2 combinations against the loop-based oracle ``plain_verdict``."""
    for holds, controls, departs, beyond in itertools.product(
            (True, False, None), CONTROL_SETS, (False, True), (False, True)):
        record = make(holds=holds, controls=controls, beyond=beyond, no_control="none applies",
                      setting=DEPARTS if departs else AS_IN_PAPER)
        expected = plain_verdict(holds, controls, departs, beyond)
        assert record.verdict == expected, (holds, controls, departs, beyond)


@pytest.mark.parametrize("kwargs, profile, text", [
    ({}, "cpu", "✓ **reproduced**: criterion met; every control fails it "
     f"(criterion: {CRITERION})"),
    ({"setting": DEPARTS}, "cpu", "✓ **reproduced with a departure**: criterion met; every "
     f"control fails it (criterion: {CRITERION})"),
    ({"controls": (FAILS, PASSES)}, "smoke", "✗ **not reproduced at `smoke`**: a control passes "
     f"too: Gaussian clone (criterion: {CRITERION})"),
    ({"holds": False}, None, "✗ **not reproduced at this profile**: criterion missed "
     f"(criterion: {CRITERION})"),
    ({"holds": None}, "cpu", "— **reported**"),
    ({"beyond": True}, "cpu", "✓ **beyond the paper: holds**: criterion met; every control "
     f"fails it (criterion: {CRITERION})"),
    ({"beyond": True, "holds": False}, "cpu", "✗ **beyond the paper: does not hold**: criterion "
     f"missed (criterion: {CRITERION})"),
])
def test_verdict_text_typed_by_hand(kwargs, profile, text):
    """The full cell text, typed: ✓ for the three holding verdicts, ✗ for the two failing ones,
    — for reported; only "not reproduced" names the profile."""
    assert verdict_text(make(**kwargs), profile) == text


def test_controls_text_puts_every_passing_control_first():
    """Typed by hand: passing controls first (in their own order), marked; then the others."""
    assert controls_text(make(controls=(FAILS, PASSES, FAILS_TOO, PASSES_TOO))) == (
        "Gaussian clone: 0.21 **(passes too)**; shuffled: 0.3 **(passes too)**; "
        "untrained network: 0.03; white noise: 0.05")
    assert controls_text(make(controls=(FAILS, FAILS_TOO))) == (
        "untrained network: 0.03; white noise: 0.05")
    assert controls_text(make(controls=(), no_control="the paper states none")) == (
        "none (the paper states none)")
    assert controls_text(make(holds=None, controls=())) == "—"


def split_row(row: str) -> list[str]:
    assert row.startswith("| ") and row.endswith(" |")
    return row[2:-2].split(" | ")


def mixed_claims() -> list[Claim]:
    """Two reproduced, one departure, three not reproduced, one reported, two beyond-holds and
    one beyond-fails (counted by hand in the tests below)."""
    return [
        make("rep_a"), make("nr_control", controls=(FAILS, PASSES)),
        make("dep", setting=DEPARTS), make("bh_a", beyond=True),
        make("nr_missed", holds=False), make("reported", holds=None, controls=()),
        make("rep_b", controls=(), no_control="no control exists"),
        make("bf", beyond=True, controls=(PASSES,)), make("bh_b", beyond=True, setting=DEPARTS),
        make("nr_departs", holds=False, setting=DEPARTS),
    ]


MIXED_VERDICTS = {"rep_a": REPRODUCED, "nr_control": NOT_REPRODUCED, "dep": DEPARTURE,
                  "bh_a": BEYOND_HOLDS, "nr_missed": NOT_REPRODUCED, "reported": REPORTED,
                  "rep_b": REPRODUCED, "bf": BEYOND_FAILS, "bh_b": BEYOND_HOLDS,
                  "nr_departs": NOT_REPRODUCED}
MARKS = {REPRODUCED: "✓", DEPARTURE: "✓", BEYOND_HOLDS: "✓", NOT_REPRODUCED: "✗",
         BEYOND_FAILS: "✗", REPORTED: "—"}


def test_claims_table_rows_follow_their_records():
    """Each summary row's cells, in order, read off the record by hand: its number, the claim,
    the mark and verdict of ``MIXED_VERDICTS`` (worked out by hand), ours, the paper's value,
    and an extra column that is '—' for a claim without an extra cell; each claim's details
    (reason, source, controls, setting) below the table, in a closed dropdown."""
    claims = mixed_claims()
    table = claims_table(claims, "cpu", ("seeds",), {"dep": ("3 of 4",), "bf": ("0 of 4",)})
    lines = table.splitlines()
    start = lines.index("| # | claim | verdict | ours | paper | seeds |")
    assert lines[start + 1] == "|---|---|---|---|---|---|"
    rows = lines[start + 2:start + 2 + len(claims)]
    for number, (record, row) in enumerate(zip(claims, rows, strict=True), 1):
        cells = split_row(row)
        assert len(cells) == 6
        verdict = MIXED_VERDICTS[record.id]
        shown = "not reproduced at cpu" if verdict == NOT_REPRODUCED else verdict
        assert cells[:2] == [str(number), f"the {record.id} claim"]
        assert cells[2] == f"{MARKS[verdict]} **{shown}**", (record.id, cells[2])
        assert cells[3:5] == [f"ours {record.id}", "0.25"]
        assert cells[5] == {"dep": "3 of 4", "bf": "0 of 4"}.get(record.id, "—")
        details = f"**{number}. the {record.id} claim**"
        assert details in table and "- paper: 0.25 (Fig. 1)" in table
    assert lines[start + 2 + len(claims)] == "```"  # the summary ends; the details follow
    assert ":class: dropdown claims-details" in table
    assert claim_row(make(), 1, None) == (
        "| 1 | the c claim | ✓ **reproduced** | ours c | 0.25 |")
    assert claim_details(make(), 1).splitlines() == [
        "**1. the c claim**", "",
        f"- verdict: ✓ **reproduced**: criterion met; every control fails it (criterion: "
        f"{CRITERION})",
        "- paper: 0.25 (Fig. 1)", "- ours: ours c", "- controls: untrained network: 0.03",
        "- setting: as in the paper"]
    escaped = claim_row(
        Claim.from_dict(make().to_dict() | {"ours": "a|b\nc"}), 1)
    assert "| a\\|b c |" in escaped
    with pytest.raises(ValueError, match=r"\['dep'\]"):
        claims_table([make("dep"), make("other"), make("dep")])


def test_verdict_counts_and_counts_text_by_hand():
    """Counted by hand from ``mixed_claims``: 2, 1, 3, 1, 2, 1 in the order of VERDICTS; a verdict
    nobody has is listed with 0 in the counts and left out of the text."""
    counts = verdict_counts(mixed_claims())
    assert list(counts) == list(VERDICTS)
    assert counts == {REPRODUCED: 2, DEPARTURE: 1, NOT_REPRODUCED: 3, REPORTED: 1,
                      BEYOND_HOLDS: 2, BEYOND_FAILS: 1}
    assert counts_text(mixed_claims()) == (
        "2 reproduced, 1 reproduced with a departure, 3 not reproduced at this profile, "
        "1 reported, 2 beyond the paper: holds, 1 beyond the paper: does not hold")
    only_failing = [make("a", beyond=True, holds=False), make("b", beyond=True, holds=False)]
    assert verdict_counts(only_failing) == {REPRODUCED: 0, DEPARTURE: 0, NOT_REPRODUCED: 0,
                                            REPORTED: 0, BEYOND_HOLDS: 0, BEYOND_FAILS: 2}
    assert counts_text(only_failing) == "2 beyond the paper: does not hold"
    assert counts_text([]) == "no claims"


def test_round_trip_of_every_verdict_and_refusal_of_every_wrong_one():
    """Through JSON and back, each claim of ``mixed_claims`` is equal to itself and carries the
    verdict worked out by hand; each of the five other verdicts, typed in, is refused; a record
    whose control was flipped after its verdict was stored is refused."""
    for record in mixed_claims():
        plain = json.loads(json.dumps(record.to_dict()))
        assert plain["verdict"] == MIXED_VERDICTS[record.id]
        assert Claim.from_dict(plain) == record
        assert Claim.from_dict({k: v for k, v in plain.items() if k != "verdict"}) == record
        for wrong in VERDICTS:
            if wrong != MIXED_VERDICTS[record.id]:
                with pytest.raises(ValueError, match="disagrees"):
                    Claim.from_dict(plain | {"verdict": wrong})
    stored = make(controls=(FAILS, FAILS_TOO)).to_dict()
    assert stored["verdict"] == REPRODUCED
    stored["controls"][1]["passes"] = True
    with pytest.raises(ValueError, match="disagrees"):
        Claim.from_dict(stored)
    assert make(value=1).to_dict()["value"] == 1.0 and make().to_dict()["value"] is None


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("k, n, robust", [
    (3, 4, True), (2, 4, False), (4, 4, True), (3, 3, False), (2, 2, False), (0, 0, False),
    (6, 8, True), (5, 8, False), (4, 5, True), (3, 5, False), (6, 7, True), (5, 7, False),
])
def test_is_robust_boundaries(k, n, robust):
    """By hand: robust iff n ≥ 4 and k/n ≥ 3/4 (e.g. 4/5 = 0.8 yes, 5/7 ≈ 0.714 no)."""
    assert is_robust(k, n) is robust
    assert robust == (n >= 4 and k / n >= 0.75)


SEEDS = (0, 1, 2, 5)


def seed_claims(seed: int) -> list[Claim]:
    """The claims of one seed of a constructed chapter (index i = position of seed in SEEDS).

    dep            departure; holds in seeds 0, 1, 2, not 5; values 0.7, 0.2, 0.9, 0.4
    dep_passing    departure; a control passes in seeds 1 and 2; values 3, 1, 2, 10
    beyond         beyond; holds in 0 and 5, missed in 1, control passes in 2;
                   values 0.25, None, 0.75, None
    beyond_fails   beyond; missed in every seed; values 0.1, 0.9, 0.2, None
    beyond_robust  beyond; holds in 0, 1, 2, missed in 5; no values
    plain          as in the paper; holds; missing in seed 2; values 5, 1, -, 2
    reported       holds None everywhere; values 1, 2, 3, 4
    mostly_tested  holds None in seed 0, holds in 1, 2, 5; value 0.5 everywhere
    """
    i = SEEDS.index(seed)
    claims = [
        make("dep", holds=i < 3, setting=DEPARTS, value=(0.7, 0.2, 0.9, 0.4)[i]),
        make("dep_passing", setting=DEPARTS, value=(3, 1, 2, 10)[i],
             controls=(FAILS, PASSES) if i in (1, 2) else (FAILS,)),
        make("beyond", beyond=True, holds=i != 1, value=(0.25, None, 0.75, None)[i],
             controls=(PASSES, FAILS) if i == 2 else (FAILS,)),
        make("beyond_fails", beyond=True, holds=False, value=(0.1, 0.9, 0.2, None)[i]),
        make("beyond_robust", beyond=True, holds=i < 3),
        make("reported", holds=None, controls=(), value=i + 1),
        make("mostly_tested", holds=None if i == 0 else True, value=0.5),
    ]
    if seed != 2:
        claims.append(make("plain", value={0: 5, 1: 1, 5: 2}[seed]))
    return claims


def results_record(claims, seed, chapter="chap"):
    return {"chapter": chapter, "profile": "cpu", "seed": seed, "device": "cpu",
            "runtime_seconds": 12.6, "created": "2026-01-01T00:00:00+00:00",
            "data": "generated", "claims": [c.to_dict() for c in claims]}


def seed_records() -> dict[int, dict]:
    # out of order on purpose: the aggregation sorts the seeds
    return {seed: results_record(seed_claims(seed), seed) for seed in (5, 0, 2, 1)}


D, NR, BH, BF, R = DEPARTURE, NOT_REPRODUCED, BEYOND_HOLDS, BEYOND_FAILS, REPORTED
# (k, n, tested, robust, missing, verdicts by seed 0, 1, 2, 5, median, min, max), by hand:
# medians of the values sorted: dep 0.2 0.4 | 0.7 0.9 → 0.55; dep_passing 1 2 | 3 10 → 2.5;
# beyond 0.25 0.75 → 0.5; beyond_fails 0.1 0.2 0.9 → 0.2; plain 1 2 5 → 2; reported → 2.5.
EXPECTED = {
    "dep": (3, 4, True, True, [], (D, D, D, NR), 0.55, 0.2, 0.9),
    "dep_passing": (2, 4, True, False, [], (D, NR, NR, D), 2.5, 1.0, 10.0),
    "beyond": (2, 4, True, False, [], (BH, BF, BF, BH), 0.5, 0.25, 0.75),
    "beyond_fails": (0, 4, True, False, [], (BF, BF, BF, BF), 0.2, 0.1, 0.9),
    "beyond_robust": (3, 4, True, True, [], (BH, BH, BH, BF), None, None, None),
    "plain": (3, 3, True, False, [2], (REPRODUCED, REPRODUCED, None, REPRODUCED), 2.0, 1.0, 5.0),
    "reported": (0, 4, False, False, [], (R, R, R, R), 2.5, 1.0, 4.0),
    "mostly_tested": (3, 4, True, True, [], (R, REPRODUCED, REPRODUCED, REPRODUCED),
                      0.5, 0.5, 0.5),
}


def plain_median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def test_aggregate_seeds_by_hand_with_departures_beyond_claims_and_gaps():
    """k counts only the holding verdicts (a departure and "beyond: holds" count, "beyond: does
    not hold" and "reported" do not); n counts the seeds that stated the claim; values ``None``
    are left out of the median and range. Expected values: ``EXPECTED``, worked out by hand from
    the table in ``seed_claims``, and the medians again by a plain sort in ``plain_median``."""
    table = aggregate_seeds(seed_records())
    assert set(table) == set(EXPECTED)
    for cid, (k, n, tested, robust, missing, verdicts, median, low, high) in EXPECTED.items():
        row = table[cid]
        assert (row["k"], row["n"], row["tested"], row["robust"]) == (k, n, tested, robust), cid
        assert row["missing_seeds"] == missing, cid
        assert row["seeds"] == [s for s, v in zip(SEEDS, verdicts, strict=True) if v], cid
        assert row["verdicts"] == {str(s): v for s, v in zip(SEEDS, verdicts, strict=True)
                                   if v}, cid
        assert row["claim"] == f"the {cid} claim"
        if median is None:
            assert row["median"] is row["min"] is row["max"] is None, cid
            continue
        assert row["median"] == pytest.approx(median), cid
        assert (row["min"], row["max"]) == (pytest.approx(low), pytest.approx(high)), cid
        values = [c.value for s in SEEDS for c in seed_claims(s)
                  if c.id == cid and c.value is not None]
        assert row["median"] == pytest.approx(plain_median(values)), cid
        assert (row["min"], row["max"]) == (min(values), max(values)), cid
    # the row survives the JSON of robustness.json unchanged
    assert json.loads(json.dumps(table)) == json.loads(json.dumps(aggregate_seeds(
        {s: json.loads(json.dumps(r)) for s, r in seed_records().items()})))


@pytest.mark.parametrize("row, text", [
    ({"tested": True, "robust": True, "k": 3, "n": 4, "median": 0.55, "min": 0.2, "max": 0.9,
      "missing_seeds": []}, "robust: 3 of 4 (median 0.55, 0.2 to 0.9)"),
    ({"tested": True, "robust": False, "k": 2, "n": 4, "median": 2.5, "min": 1.0, "max": 10.0,
      "missing_seeds": []}, "2 of 4 (median 2.5, 1 to 10)"),
    ({"tested": True, "robust": False, "k": 0, "n": 4, "median": None, "min": None,
      "max": None, "missing_seeds": []}, "0 of 4"),
    ({"tested": True, "robust": False, "k": 3, "n": 3, "median": 2.0, "min": 1.0, "max": 5.0,
      "missing_seeds": [2, 7]}, "3 of 3 (median 2, 1 to 5); missing in seeds 2, 7"),
    ({"tested": False, "robust": False, "k": 0, "n": 4, "median": 2.5, "min": 1.0, "max": 4.0,
      "missing_seeds": []}, "reported (median 2.5, 1 to 4)"),
    ({"tested": True, "robust": True, "k": 6, "n": 8, "median": 0.123456, "min": 1234.5,
      "max": 98765.0, "missing_seeds": []},
     "robust: 6 of 8 (median 0.123, 1.23e+03 to 9.88e+04)"),
])
def test_seeds_cell_typed_by_hand(row, text):
    """The cell text typed by hand from the row (three significant digits)."""
    assert seeds_cell(row) == text


def seeds_run(fingerprint="fp", profile="cpu", **extra):
    return {"profile": profile, "seeds": [0, 1, 2, 5], "created": "2026-12-01 10:00 UTC",
            "chapters": {"chap": {"fingerprint": fingerprint, "claims": {"x": {"k": 1}}}},
            **extra}


def test_robustness_for_current_stale_missing_and_interrupted():
    """Each note typed by hand from the branch of the function's docstring it should take."""
    rows, note = robustness_for("chap", "cpu", "fp", seeds_run())
    assert rows == {"x": {"k": 1}}
    assert note == ("The seeds column is from `make seeds` at `cpu` over seeds 0, 1, 2, 5 "
                    "(2026-12-01 10:00 UTC); a claim is robust when it is shown in at least 3 "
                    "of 4 seeds.")
    rows, note = robustness_for("chap", "cpu", None, seeds_run())  # no fingerprint to judge by
    assert rows == {"x": {"k": 1}}
    rows, note = robustness_for("chap", "cpu", "fp",
                                seeds_run(requested_seeds=[0, 1, 2, 5, 7, 8]))
    assert rows is not None and "; the run stopped before seeds 7, 8;" in note
    for args, start in [
        (("chap", "cpu", "other", seeds_run()), "The seeds run of 2026-12-01 10:00 UTC is stale"),
        (("chap", "cpu", "fp", None), "No seeds run at the `cpu` profile exists"),
        (("chap", "cpu", "fp", seeds_run(profile="smoke")), "No seeds run at the `cpu`"),
        (("other", "cpu", "fp", seeds_run()), "The last seeds run did not include this chapter"),
    ]:
        rows, note = robustness_for(*args)
        assert rows is None and note.startswith(start), args


def test_counts_table_by_hand():
    """Counts of ``mixed_claims`` by hand (2 1 3 1 2 1), of one reported claim (0 0 0 1 0 0),
    and dashes for a chapter not built."""
    mixed = results_record(mixed_claims(), 0)
    single = results_record([make("only", holds=None, controls=())], 0)
    assert counts_table([("A | x", mixed), ("B", None), ("C", single)]).splitlines() == [
        "| chapter | reproduced | reproduced with a departure | not reproduced at this profile "
        "| reported | beyond the paper: holds | beyond the paper: does not hold |",
        "|---|---|---|---|---|---|---|",
        "| A \\| x | 2 | 1 | 3 | 1 | 2 | 1 |",
        "| B | — | — | — | — | — | — |",
        "| C | 0 | 0 | 0 | 1 | 0 | 0 |",
    ]


def page_rows(page: str) -> dict[str, list[str]]:
    """The summary rows of a page by claim: number, claim, verdict, ours, paper, seeds."""
    return {split_row(line)[1]: split_row(line) for line in page.splitlines()
            if re.match(r"\| \d+ \| the ", line)}


# the seeds column of each claim on the page, typed by hand from EXPECTED
SEEDS_COLUMN = {
    "dep": "robust: 3 of 4 (median 0.55, 0.2 to 0.9)",
    "dep_passing": "2 of 4 (median 2.5, 1 to 10)",
    "beyond": "2 of 4 (median 0.5, 0.25 to 0.75)",
    "beyond_fails": "0 of 4 (median 0.2, 0.1 to 0.9)",
    "beyond_robust": "robust: 3 of 4",
    "plain": "3 of 3 (median 2, 1 to 5); missing in seeds 2",
    "reported": "reported (median 2.5, 1 to 4)",
    "mostly_tested": "robust: 3 of 4 (median 0.5, 0.5 to 0.5)",
    "new_claim": "—",  # stated by the build, not by the seeds run
}


def test_scorecard_page_k_of_n_for_departures_and_beyond_claims(tmp_path):
    """The page built from seed 0's record and the seeds run of ``seed_records``: the k-of-N
    column typed by hand (``SEEDS_COLUMN``), the verdict column of seed 0 by hand, the count row
    by hand (seed 0: reproduced plain and new_claim = 2, departures dep and dep_passing = 2,
    reported and mostly_tested reported = 2, beyond and beyond_robust hold = 2, beyond_fails
    fails = 1)."""
    record = results_record(seed_claims(0) + [make("new_claim")], 0)
    (tmp_path / "chap.json").write_text(json.dumps(record))
    robustness = {"profile": "cpu", "seeds": [0, 1, 2, 5], "created": "today",
                  "chapters": {"chap": {"fingerprint": "fp",
                                        "claims": aggregate_seeds(seed_records())}}}
    page = scorecard_page(tmp_path, [("Chapter", "chap.ipynb")], robustness, {"chap": "fp"})
    rows = page_rows(page)
    assert {cells[5] for cells in rows.values()} <= set(SEEDS_COLUMN.values())
    for cid, column in SEEDS_COLUMN.items():
        assert rows[f"the {cid} claim"][5] == column, cid
    seed0 = {"dep": "✓ **reproduced with a departure**", "beyond": "✓ **beyond the paper: holds**",
             "beyond_fails": "✗ **beyond the paper: does not hold**",
             "mostly_tested": "— **reported**", "plain": "✓ **reproduced**"}
    for cid, start in seed0.items():
        assert rows[f"the {cid} claim"][2] == start, cid
    assert "| Chapter | 2 | 2 | 0 | 2 | 2 | 1 |" in page.splitlines()
    stale = scorecard_page(tmp_path, [("Chapter", "chap.ipynb")], robustness, {"chap": "new"})
    assert "is stale" in stale and all(len(c) == 5 for c in page_rows(stale).values())


def test_chapter_section_facts_and_an_empty_chapter():
    """Typed by hand: runtime 12.6 s prints as 13 s; a record without claims says so."""
    section = chapter_section("Chap", "chap.ipynb", results_record([make()], 3))
    assert ("Profile **`cpu`**, seed 3, device `cpu`, runtime 13 s, built "
            "2026-01-01T00:00:00+00:00.  ") in section.splitlines()
    assert "*This chapter reports no claims table yet.*" in chapter_section(
        "Chap", "chap.ipynb", results_record([], 0))


# --------------------------------------------------------------------------- the seeds run


def small_book(root):
    """A project root with two chapters (``book/alpha``, ``book/beta``) and a table of contents."""
    (root / "book").mkdir()
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - chapters:\n"
        "      - file: book/alpha\n      - file: book/beta\n")
    (root / "book" / "intro.md").write_text("# Intro\n")
    (root / "book" / "alpha.py").write_text("# # Alpha chapter\nprint('alpha')\n")
    (root / "book" / "beta.py").write_text("# # Beta chapter\nprint('beta')\n")
    return root


def book_claims(stem, seed):
    """alpha: a departure that holds in seeds 0, 1, 2 but not 3 or 4 (value = seed); beta: a
    beyond claim that holds in seeds 0 and 1 only, and one that never holds."""
    if stem == "alpha":
        return [make("dep", holds=seed < 3, setting=DEPARTS, value=seed)]
    return [make("beyond", beyond=True, holds=seed < 2),
            make("beyond_fails", beyond=True, holds=False)]


def write_seed_results(results_dir, seed):
    results_dir.mkdir(parents=True, exist_ok=True)
    for stem in ("alpha", "beta"):
        (results_dir / f"{stem}.json").write_text(
            json.dumps(results_record(book_claims(stem, seed), seed, stem)))


def fingerprint_of(source: bytes) -> str:
    """The chapter fingerprint worked out in the test: SHA-256 of the (patched) code
    fingerprint "CODE" followed by the chapter's source, first 16 hex digits."""
    return hashlib.sha256(b"CODE" + source).hexdigest()[:16]


def test_robustness_table_reads_only_the_finished_seeds(tmp_path, monkeypatch):
    """Seeds 0-3 finished (the keys of ``seconds``), seed 4 requested; a results file of seed 4
    is on disk and must not be read. By hand: alpha/dep holds in 0, 1, 2 → 3 of 4, robust,
    median of 0 1 2 3 = 1.5; beta/beyond 2 of 4; beta/beyond_fails 0 of 4."""
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "CODE")
    root, out = small_book(tmp_path), tmp_path / "_build" / "seeds" / "cpu"
    for seed in range(5):
        write_seed_results(out / f"seed-{seed}" / "results", seed)
    seconds = {str(s): {"alpha": 10.0 + s, "beta": 2.0} for s in range(4)}
    table = pipeline.robustness_table(root, out, ["book/alpha", "book/beta"], "cpu", "cuda",
                                      [0, 1, 2, 3, 4], seconds)
    assert (table["profile"], table["device"]) == ("cpu", "cuda")
    assert table["seeds"] == [0, 1, 2, 3] and table["requested_seeds"] == [0, 1, 2, 3, 4]
    assert table["wall_seconds"] == seconds and set(table["chapters"]) == {"alpha", "beta"}
    alpha, beta = table["chapters"]["alpha"], table["chapters"]["beta"]
    assert alpha["fingerprint"] == fingerprint_of((root / "book" / "alpha.py").read_bytes())
    assert beta["fingerprint"] == fingerprint_of((root / "book" / "beta.py").read_bytes())
    dep = alpha["claims"]["dep"]
    assert (dep["k"], dep["n"], dep["robust"], dep["missing_seeds"]) == (3, 4, True, [])
    assert (dep["median"], dep["min"], dep["max"]) == (1.5, 0.0, 3.0)
    assert [(beta["claims"][c]["k"], beta["claims"][c]["n"]) for c in ("beyond", "beyond_fails")
            ] == [(2, 4), (0, 4)]


def fake_execute(stop_at=None):
    """Stands in for papermill: writes each chapter's results for the seed and reports
    alpha 100 + seed seconds and beta 20.04 s (rounded to 20.0); exits at seed ``stop_at``."""
    def execute_chapters(root, chapters, profile, device, seed, executed_dir, results_dir):
        if seed == stop_at:
            raise SystemExit(f"[book] FAILED (seed {seed})")
        write_seed_results(results_dir, seed)
        seconds = {"book/alpha": 100.0 + seed, "book/beta": 20.04}
        return {name: (executed_dir / f"{name}.ipynb", seconds[name]) for name in chapters}
    return execute_chapters


def test_seeds_run_writes_robustness_json_and_the_scorecard_shows_it(tmp_path, monkeypatch,
                                                                     capsys):
    """``seeds`` over 0-3 with the chapters faked: by hand, alpha/dep 3 of 4 (robust), beta/beyond
    2 of 4, beta/beyond_fails 0 of 4; the total wall time 100+101+102+103 + 4 × 20.0 = 486 s.
    An old seed folder is cleared, an old table is replaced."""
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "CODE")
    monkeypatch.setattr(pipeline, "execute_chapters", fake_execute())
    root = small_book(tmp_path)
    out = root / "_build" / "seeds" / "cpu"
    (out / "seed-1" / "results").mkdir(parents=True)
    (out / "seed-1" / "results" / "old.json").write_text("{}")
    (out / "robustness.json").write_text('{"old": true}')
    path = pipeline.seeds(root, "cpu", "cpu", [0, 1, 2, 3], ["book/alpha", "book/beta"])
    assert path == out / "robustness.json"
    assert not (out / "seed-1" / "results" / "old.json").exists()
    table = json.loads(path.read_text())
    assert table["seeds"] == [0, 1, 2, 3] and table["requested_seeds"] == [0, 1, 2, 3]
    assert table["wall_seconds"]["2"] == {"alpha": 102.0, "beta": 20.0}
    claims = {(chapter, cid): (row["k"], row["n"], row["robust"])
              for chapter, entry in table["chapters"].items()
              for cid, row in entry["claims"].items()}
    assert claims == {("alpha", "dep"): (3, 4, True), ("beta", "beyond"): (2, 4, False),
                      ("beta", "beyond_fails"): (0, 4, False)}
    printed = capsys.readouterr().out
    assert "[seeds] seed 0: alpha 100 s, beta 20 s" in printed
    assert "[seeds] wall time of all chapters and seeds: 486 s" in printed
    page = pipeline.scorecard(root, ["book/alpha", "book/beta"], out / "seed-0" / "results",
                              "cpu")
    rows = page_rows(page)
    assert rows["the dep claim"][5] == "robust: 3 of 4 (median 1.5, 0 to 3)"
    assert rows["the beyond claim"][5] == "2 of 4"
    assert rows["the beyond_fails claim"][5] == "0 of 4"
    assert "## [Alpha chapter](alpha.ipynb)" in page
    (root / "book" / "alpha.py").write_text("# # Alpha chapter\nprint('edited')\n")
    edited = pipeline.scorecard(root, ["book/alpha", "book/beta"], out / "seed-0" / "results",
                                "cpu")
    assert edited.count("is stale") == 1 and page_rows(edited)["the beyond claim"][5] == "2 of 4"


def test_an_interrupted_seeds_run_keeps_the_seeds_it_finished(tmp_path, monkeypatch):
    """Seed 2 fails: robustness.json holds seeds 0 and 1 (by hand: alpha/dep 2 of 2, beta/beyond
    2 of 2, not robust with N = 2) and the page says the run stopped before seeds 2, 3. A run
    whose first seed fails leaves no table (the old one is removed first)."""
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "CODE")
    monkeypatch.setattr(pipeline, "execute_chapters", fake_execute(stop_at=2))
    root = small_book(tmp_path)
    chapters = ["book/alpha", "book/beta"]
    with pytest.raises(SystemExit):
        pipeline.seeds(root, "cpu", "cpu", [0, 1, 2, 3], chapters)
    out = root / "_build" / "seeds" / "cpu"
    table = json.loads((out / "robustness.json").read_text())
    assert table["seeds"] == [0, 1] and table["requested_seeds"] == [0, 1, 2, 3]
    dep = table["chapters"]["alpha"]["claims"]["dep"]
    assert (dep["k"], dep["n"], dep["robust"], dep["median"]) == (2, 2, False, 0.5)
    page = pipeline.scorecard(root, chapters, out / "seed-0" / "results", "cpu")
    assert "over seeds 0, 1 (" in page and "the run stopped before seeds 2, 3;" in page
    assert page_rows(page)["the dep claim"][5] == "2 of 2 (median 0.5, 0 to 1)"
    with pytest.raises(SystemExit, match="distinct seeds"):
        pipeline.seeds(root, "cpu", "cpu", [0, 0], chapters)
    monkeypatch.setattr(pipeline, "execute_chapters", fake_execute(stop_at=7))
    with pytest.raises(SystemExit):
        pipeline.seeds(root, "cpu", "cpu", [7, 8], chapters)
    assert not (out / "robustness.json").exists()
    assert "No seeds run at the `cpu` profile" in pipeline.scorecard(
        root, chapters, out / "seed-0" / "results", "cpu")
