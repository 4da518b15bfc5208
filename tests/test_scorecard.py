import json

import pytest

from emergence.scorecard import check_claims, scorecard_page

CLAIM = {"claim": "fields localise", "paper": "0.25", "ours": "0.24", "holds": True,
         "criterion": "≥ 5× baseline"}


def record(claims):
    return {"profile": "cpu", "seed": 0, "device": "cpu", "runtime_seconds": 12.3,
            "created": "2026-01-01T00:00:00+00:00", "data": "generated", "claims": claims}


def test_scorecard_shows_each_claim_with_its_verdict_and_build_facts(tmp_path):
    failed = CLAIM | {"claim": "clone stays flat", "holds": False}
    reported = CLAIM | {"claim": "accuracy", "holds": None}
    (tmp_path / "chapter_a.json").write_text(json.dumps(record([CLAIM, failed, reported])))
    page = scorecard_page(tmp_path, [("Chapter A", "chapter_a.ipynb"),
                                     ("Chapter B", "chapter_b.ipynb")])
    assert "## [Chapter A](chapter_a.ipynb)" in page
    assert "| fields localise | 0.25 | 0.24 | ✓ holds | ≥ 5× baseline |" in page
    assert "| clone stays flat | 0.25 | 0.24 | ✗ does not hold |" in page
    assert "| accuracy | 0.25 | 0.24 | — (reported) |" in page
    assert "1 of 2 tested claims hold" in page
    assert "Profile **`cpu`**" in page and "runtime 12 s" in page
    assert "*Not built in this build of the book.*" in page  # chapter B has no results


def test_claims_are_validated():
    with pytest.raises(ValueError, match="lacks"):
        check_claims([{"claim": "x"}])
    with pytest.raises(ValueError, match="holds"):
        check_claims([CLAIM | {"holds": "yes"}])
    assert check_claims([CLAIM]) == [CLAIM]


def test_pipe_characters_do_not_break_the_table(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps(record([CLAIM | {"ours": "a | b"}])))
    assert "a \\| b" in scorecard_page(tmp_path, [("C", "c.ipynb")])
