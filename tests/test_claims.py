"""The claim record: verdicts computed from the criterion, the controls and the setting."""

import json

import pytest

from emergence.claims import (
    AS_IN_PAPER,
    BEYOND_FAILS,
    BEYOND_HOLDS,
    DEPARTURE,
    NOT_REPRODUCED,
    REPORTED,
    REPRODUCED,
    Claim,
    Control,
    claims_table,
    counts_text,
    verdict_counts,
)

CLONE_FAILS = Control("Gaussian clone", "IPR 0.031", passes=False)
CLONE_PASSES = Control("Gaussian clone", "IPR 0.210", passes=True)


def claim(**changes):
    base = dict(id="fields_localise", claim="NLGP fields localise", paper="IPR ≈ 0.25",
                source="Fig. 1", ours="IPR 0.24", criterion="IPR ≥ 5× baseline 0.03",
                holds=True, controls=(CLONE_FAILS,), value=0.24)
    return Claim(**(base | changes))


@pytest.mark.parametrize("changes, verdict", [
    ({}, REPRODUCED),
    ({"setting": "mini-batch SGD instead of online SGD"}, DEPARTURE),
    ({"holds": False}, NOT_REPRODUCED),
    ({"controls": (CLONE_FAILS, CLONE_PASSES)}, NOT_REPRODUCED),
    ({"controls": (CLONE_PASSES,), "setting": "shorter training"}, NOT_REPRODUCED),
    ({"holds": None, "controls": ()}, REPORTED),
    ({"beyond_paper": True}, BEYOND_HOLDS),
    ({"beyond_paper": True, "controls": (CLONE_PASSES,)}, BEYOND_FAILS),
    ({"beyond_paper": True, "holds": False}, BEYOND_FAILS),
    ({"controls": (), "no_control": "the paper states no control"}, REPRODUCED),
])
def test_verdict_follows_criterion_controls_and_setting(changes, verdict):
    assert claim(**changes).verdict == verdict


def test_a_passing_control_is_named_in_the_reason_and_the_table():
    record = claim(controls=(CLONE_PASSES, Control("untrained", "IPR 0.03", False)))
    assert record.reason == "a control passes too: Gaussian clone"
    table = claims_table([record], "cpu")
    row = table.splitlines()[2]
    assert ("✗ **not reproduced at `cpu`**: a control passes too: Gaussian clone (criterion: "
            "IPR ≥ 5× baseline 0.03)") in row
    # the passing control comes first in its cell, marked
    assert "Gaussian clone: IPR 0.210 **(passes too)**; untrained: IPR 0.03" in row


def test_table_has_the_promised_columns_and_the_departure_is_visible():
    table = claims_table([claim(setting="mini-batch SGD")])
    header, rule, row = table.splitlines()
    assert header == "| claim | paper (source) | ours | controls | verdict | setting |"
    assert rule.count("---") == 6
    assert "| IPR ≈ 0.25 (Fig. 1) |" in row and row.endswith("| mini-batch SGD |")
    assert "✓ **reproduced with a departure**: criterion met; every control fails it" in row


def test_pipes_in_cells_are_escaped():
    assert "a \\| b" in claims_table([claim(ours="a | b")])


def test_dict_round_trip_and_a_typed_verdict_is_refused():
    record = claim(controls=(CLONE_PASSES,))
    plain = json.loads(json.dumps(record.to_dict()))
    assert plain["verdict"] == NOT_REPRODUCED and plain["controls"][0]["passes"] is True
    assert {"id", "verdict", "controls", "setting", "source", "reason"} <= set(plain)
    assert Claim.from_dict(plain) == record
    with pytest.raises(ValueError, match="disagrees"):
        Claim.from_dict(plain | {"verdict": REPRODUCED})
    with pytest.raises(ValueError, match="lacks"):
        Claim.from_dict({"id": "x", "claim": "y"})


def test_bad_records_are_refused():
    with pytest.raises(ValueError, match="snake_case"):
        claim(id="Fields Localise")
    with pytest.raises(ValueError, match="no control"):
        claim(controls=())
    with pytest.raises(TypeError, match="holds"):
        claim(holds="yes")
    with pytest.raises(TypeError, match="passes"):
        Control("clone", "0.2", passes=1)
    with pytest.raises(ValueError, match="source must not be empty"):
        claim(source=" ")
    with pytest.raises(ValueError, match="more than once"):
        claims_table([claim(), claim()])


def test_counts():
    claims = [claim(), claim(id="b", holds=False), claim(id="c", holds=None, controls=()),
              claim(id="d", setting="x")]
    counts = verdict_counts(claims)
    assert counts[REPRODUCED] == 1 and counts[NOT_REPRODUCED] == 1 and counts[REPORTED] == 1
    assert counts[DEPARTURE] == 1 and sum(counts.values()) == 4
    assert counts_text(claims) == ("1 reproduced, 1 reproduced with a departure, "
                                   "1 not reproduced at this profile, 1 reported")
    assert claim().setting == AS_IN_PAPER  # the default setting is the paper's
