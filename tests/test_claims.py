"""The claim record: verdicts computed from the criterion, the controls and the setting."""

import json
import re

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
    p_text,
    verdict_counts,
    verdict_glue,
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


def summary_rows(table: str) -> list[str]:
    """The rows of the summary table (after its header and rule) of a claims rendering."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| # |"))
    return [line for line in lines[start + 2:] if line.startswith("| ")]


def test_a_passing_control_is_named_in_the_reason_and_the_details():
    record = claim(controls=(CLONE_PASSES, Control("untrained", "IPR 0.03", False)))
    assert record.reason == "a control passes too: Gaussian clone"
    table = claims_table([record], "cpu")
    (row,) = summary_rows(table)
    assert "| ✗ **not reproduced at cpu** |" in row
    assert ("- verdict: ✗ **not reproduced at `cpu`**: a control passes too: Gaussian clone "
            "(criterion: IPR ≥ 5× baseline 0.03)") in table
    # the passing control comes first in its line, marked
    assert "- controls: Gaussian clone: IPR 0.210 **(passes too)**; untrained: IPR 0.03" in table


def test_summary_is_compact_and_the_details_are_a_click_away():
    table = claims_table([claim(setting="mini-batch SGD"), claim(id="other", holds=False)])
    assert "| # | claim | verdict | ours | paper |" in table
    assert ":class: claims-summary" in table  # fixed widths: the verdict stays on a phone
    first, second = summary_rows(table)
    assert first == ("| 1 | NLGP fields localise | ✓ **reproduced with a departure** | IPR 0.24 "
                     "| IPR ≈ 0.25 |")
    assert second.startswith("| 2 | NLGP fields localise | ✗ **not reproduced at this profile** |")
    # criterion, controls, setting and source live in a closed dropdown below the table
    details = table[table.index(":class: dropdown claims-details"):]
    assert "- setting: mini-batch SGD" in details and "- paper: IPR ≈ 0.25 (Fig. 1)" in details
    assert "✓ **reproduced with a departure**: criterion met; every control fails it" in details


def test_a_departure_shared_by_every_claim_is_said_once():
    table = claims_table([claim(setting="small CNN; strong decay"),
                          claim(id="b", setting="conv4 only; strong decay")])
    assert table.count("strong decay") == 1
    assert table.startswith("**Setting of every claim below**")
    assert "- setting: small CNN" in table and "- setting: conv4 only" in table
    alone = claims_table([claim(setting="small CNN; strong decay"), claim(id="b")])
    assert "Setting of every claim" not in alone  # one claim as in the paper: nothing shared


def test_verdict_glue_reads_the_records():
    words = verdict_glue([claim(), claim(id="b", controls=(CLONE_PASSES,))])
    assert words == {"verdict_fields_localise": "✓ reproduced",
                     "reason_fields_localise": "criterion met; every control fails it",
                     "verdict_b": "✗ not reproduced at this profile",
                     "reason_b": "a control passes too: Gaussian clone"}


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


# Each claim's headline numbers as its chapter's prose glues them, by claim id. A section
# (## heading) of a chapter that glues one of them must also glue the claim's verdict
# (:func:`emergence.claims.verdict_glue`): a sentence that states an effect sits beside the
# record's verdict on it, so the page cannot read as support where the verdict is ✗.
CLAIM_NUMBERS = {
    "book/lie_symmetries": ("ch1_", {
        "l0_log_like": ("ch1_log_final", "ch1_radial_final"),
        "l1_gabor_like": ("ch1_gabor_final",),
        "k1_orientation_selective": ("ch1_sel_abs",),
        "k1_like_se2_model": ("ch1_plain_task",),
    }),
    "book/mirror_symmetry": ("", {
        "conv_low": ("conv_max_one", "conv_max_head"),
        "one_plane_fc_high": ("trained_one_plane_last",),
        "head_fc_high": ("trained_head_last",),
        "no_plane_radial_low": ("control_max",),
        "two_plane_high": ("two_plane_trained",),
        "filters_more_symmetric": ("filter_trained", "filter_untrained"),
        "pooling_gives_msvt": ("pool_trained_one_plane_full", "pool_trained_head_full"),
    }),
}


def sections(chapter: str) -> list[str]:
    """The chapter's Markdown, up to its exercises, cut at its ``## `` headings."""
    import jupytext

    from conftest import REPO

    text = "\n".join(cell.source for cell in jupytext.read(REPO / f"{chapter}.py").cells
                     if cell.cell_type == "markdown")
    text = text.split("## Exercises")[0]
    return re.split(r"(?m)^## ", text)


@pytest.mark.parametrize("chapter", sorted(CLAIM_NUMBERS))
def test_a_section_that_glues_a_claims_number_glues_its_verdict(chapter):
    prefix, numbers = CLAIM_NUMBERS[chapter]
    for section in sections(chapter):
        glued = set(re.findall(r"\{glue:text\}`([a-z0-9_]+)", section))
        for claim_id, names in numbers.items():
            if glued & set(names):
                assert f"{prefix}verdict_{claim_id}" in glued, (
                    f"{chapter}: a section glues {sorted(glued & set(names))} of claim "
                    f"{claim_id!r} but not its verdict:\n{section[:200]}")


def test_p_at_the_shuffle_floor_reads_as_a_bound():
    """With n shuffles a p-value cannot go below 1/(1 + n): there it is printed as a bound."""
    assert p_text(1 / 500, 499) == "p ≤ 0.002"
    assert p_text(1 / 100, 99) == "p ≤ 0.01"
    assert p_text(2 / 500, 499) == "p = 0.0040"
    assert p_text(0.17) == "p = 0.1700"  # without the number of shuffles: as it is
