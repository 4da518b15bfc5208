import json

import pytest

from emergence.book.scorecard import aggregate_seeds, is_robust, scorecard_page, seeds_cell
from emergence.claims import Claim, Control

CLONE = Control("Gaussian clone", "IPR 0.03", passes=False)


def claim(cid="fields_localise", holds=True, controls=(CLONE,), value=0.24, **changes):
    return Claim(id=cid, claim=f"claim {cid}", paper="0.25", source="Fig. 1", ours=f"{value}",
                 criterion="≥ 5× baseline", holds=holds, controls=controls, value=value,
                 **changes).to_dict()


def record(claims, seed=0, chapter="chapter_a"):
    return {"chapter": chapter, "profile": "cpu", "seed": seed, "device": "cpu",
            "runtime_seconds": 12.3, "created": "2026-01-01T00:00:00+00:00",
            "data": "generated", "claims": claims}


def write(folder, name, rec):
    (folder / f"{name}.json").write_text(json.dumps(rec))


def test_scorecard_shows_verdicts_counts_and_build_facts(tmp_path):
    passing = claim("clone_control_passes", controls=(Control("clone", "0.3", True),))
    write(tmp_path, "chapter_a", record([claim(), claim("missed", holds=False), passing,
                                         claim("accuracy", holds=None, controls=())]))
    page = scorecard_page(tmp_path, [("Chapter A", "chapter_a.ipynb"),
                                     ("Chapter B", "chapter_b.ipynb")])
    assert "## [Chapter A](chapter_a.ipynb)" in page
    # the summary row: number, claim, verdict, ours, the paper's value
    assert "| 1 | claim fields_localise | ✓ **reproduced** | 0.24 | 0.25 |" in page
    # the details, a click away: the reason, criterion and source
    assert ("- verdict: ✓ **reproduced**: criterion met; every control fails it (criterion: "
            "≥ 5×") in page
    assert "- paper: 0.25 (Fig. 1)" in page
    # a claim whose control passes too is not reproduced, with the control named
    row = next(line for line in page.splitlines() if "| claim clone_control_passes |" in line)
    assert "| ✗ **not reproduced at cpu** |" in row
    assert "✗ **not reproduced at `cpu`**: a control passes too: clone" in page
    assert "| — **reported** |" in page
    # the count of verdicts per chapter at the top
    assert "| Chapter A | 1 | 0 | 2 | 1 | 0 | 0 |" in page
    assert "| Chapter B | — |" in page
    assert "Profile **`cpu`**" in page and "runtime 12 s" in page
    assert "*Not built in this build of the book.*" in page
    assert page.count("No seeds run at the `cpu` profile") == 1  # said once, not per chapter


def test_a_typed_verdict_that_the_record_does_not_give_is_refused(tmp_path):
    bad = claim() | {"verdict": "reproduced with a departure"}
    write(tmp_path, "c", record([bad], chapter="c"))
    with pytest.raises(ValueError, match="disagrees"):
        scorecard_page(tmp_path, [("C", "c.ipynb")])


def seeds_records():
    """Four seeds: 'steady' holds in all, 'shaky' in two, 'late' is missing in seed 3."""
    records = {}
    for seed, value in enumerate([0.30, 0.10, 0.28, 0.35]):
        claims = [claim("steady", value=value), claim("shaky", holds=value > 0.29, value=value)]
        if seed != 3:
            claims.append(claim("late", value=1.0))
        records[seed] = record(claims, seed)
    return records


def test_seeds_aggregation_counts_k_of_n_with_median_and_range():
    table = aggregate_seeds(seeds_records())
    steady, shaky, late = table["steady"], table["shaky"], table["late"]
    assert (steady["k"], steady["n"], steady["robust"]) == (4, 4, True)
    assert steady["median"] == pytest.approx(0.29) and steady["min"] == 0.10
    assert steady["max"] == 0.35
    assert (shaky["k"], shaky["n"], shaky["robust"]) == (2, 4, False)
    assert shaky["verdicts"]["1"] == "not reproduced at this profile"
    assert (late["k"], late["n"], late["missing_seeds"], late["robust"]) == (3, 3, [3], False)
    assert seeds_cell(steady) == "robust: 4 of 4 (median 0.29, 0.1 to 0.35)"
    assert seeds_cell(late).endswith("; missing in seeds 3")


def test_robust_means_at_least_three_of_four():
    assert is_robust(3, 4) and is_robust(4, 4) and not is_robust(2, 4)
    assert not is_robust(2, 2)  # two seeds cannot make a claim robust
    assert is_robust(6, 8) and not is_robust(5, 8)


def robustness(fingerprint="abc", profile="cpu"):
    return {"profile": profile, "seeds": [0, 1, 2, 3], "created": "2026-12-01 10:00 UTC",
            "chapters": {"chapter_a": {"fingerprint": fingerprint,
                                       "claims": aggregate_seeds(seeds_records())}}}


def test_scorecard_shows_the_seeds_column_when_current_and_says_when_stale(tmp_path):
    write(tmp_path, "chapter_a", record([claim("steady"), claim("shaky")]))
    chapters = [("Chapter A", "chapter_a.ipynb")]
    page = scorecard_page(tmp_path, chapters, robustness(), {"chapter_a": "abc"})
    header = next(line for line in page.splitlines() if line.startswith("| # | claim |"))
    assert header == "| # | claim | verdict | ours | paper | seeds |"
    assert "robust: 4 of 4" in page and "| 2 of 4 (median" in page
    assert "over seeds 0, 1, 2, 3" in page
    stale = scorecard_page(tmp_path, chapters, robustness(), {"chapter_a": "changed"})
    assert "is stale" in stale and "robust: 4 of 4" not in stale
    interrupted = robustness() | {"seeds": [0, 1, 2, 3], "requested_seeds": [0, 1, 2, 3, 4, 5]}
    assert "the run stopped before seeds 4, 5" in scorecard_page(tmp_path, chapters, interrupted,
                                                                 {"chapter_a": "abc"})
    other = scorecard_page(tmp_path, chapters, robustness(profile="smoke"), {"chapter_a": "abc"})
    assert "No seeds run at the `cpu` profile" in other
