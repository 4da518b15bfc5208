"""Chapter 3's summary, claims, result-dependent sentences, results record and figures, on a
small summary whose numbers are chosen by hand (so every expected value below is worked out
from them, not from the code).

The toy run: two objects per family (SEM 0), three networks — ``trained`` (the authors'
recipe), ``strong`` (strong decay) and ``untrained`` — and two replicate networks per arm of
the manipulation. Families in the order one_plane, head, asymmetric (no plane), two_plane,
radial.
"""

import dataclasses
import json
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from conftest import REPO, assert_no_internal_ids
from emergence.claims import DEPARTURE, NOT_REPRODUCED, verdict_glue
from emergence.data.objects import FAMILIES
from emergence.experiments import mirror
from emergence.experiments.mirror import claims as mirror_claims
from emergence.experiments.mirror.config import ALL_LAYERS, CONV, FC, config_for
from emergence.experiments.mirror.summary import (
    COMPARISONS,
    PROCEDURAL_NAMES,
    MirrorSummary,
    arm_comparisons,
    authors_test,
    family_conv_peaks,
    headline,
    prose_numbers,
)
from emergence.experiments.mirror.tables import family_table, load_record, msvt_table
from emergence.models.mirrorcnn import LAYERS

FAMILY_OF = torch.arange(len(FAMILIES)).repeat_interleave(2)  # two objects per family, SEM 0
# per network: the index of each family in the pixels, conv and pool layers ("conv"), at fc1,
# at fc2, and pooled (pool2: "gap", conv4: "gap_conv4")
INDEX = {"trained": {"conv": (-0.2, -0.1, 0.0, 0.8, -0.3), "fc1": (0.7, 0.5, 0.05, 0.9, 0.0),
                     "fc2": (0.9, 0.7, 0.05, 0.9, 0.02), "gap": (0.8, 0.7, 0.1, 0.9, 0.5),
                     "gap_conv4": (0.6, 0.5, 0.0, 0.9, 0.1)},
         "strong": {"conv": (-0.2, -0.05, 0.0, 0.8, -0.3), "fc1": (0.8, 0.7, 0.0, 0.9, 0.0),
                    "fc2": (0.9, 0.8, 0.0, 0.9, 0.0), "gap": (0.9, 0.5, 0.0, 0.9, 0.0),
                    "gap_conv4": (0.7, 0.4, 0.0, 0.9, 0.0)},
         "untrained": {"conv": (-0.3, -0.2, 0.0, 0.7, -0.1), "fc1": (0.1, 0.0, 0.0, 0.7, 0.0),
                       "fc2": (0.1, 0.0, 0.0, 0.7, 0.0), "gap": (0.3, 0.2, 0.0, 0.7, 0.0),
                       "gap_conv4": (0.2, 0.1, 0.0, 0.7, 0.0)}}
# pool2 pooled over one position (window 1) and the whole map (window 2)
POOLED = {"trained": {1: (0.1, 0.0, 0.0, 0.9, 0.0), 2: (0.8, 0.7, 0.1, 0.9, 0.5)},
          "strong": {1: (0.1, 0.1, 0.0, 0.9, 0.0), 2: (0.9, 0.5, 0.0, 0.9, 0.0)},
          "untrained": {1: (0.0, 0.0, 0.0, 0.7, 0.0), 2: (0.3, 0.2, 0.0, 0.7, 0.0)}}
# the authors' test at fc1 and fc2: (significant, greater, q at fc1, q at fc2) per network and
# family; every other (layer, family): not significant, q = 1
TESTS = {"trained": {"one_plane": (True, True, 0.001, 0.002), "head": (True, True, 0.01, 0.02),
                     "asymmetric": (False, False, 0.5, 0.6), "radial": (True, True, 0.03, 0.04)},
         "strong": {"one_plane": [(True, True, 0.001), (False, True, 0.2)],
                    "head": (True, True, 0.01, 0.01), "asymmetric": (True, False, 0.01, 0.01)}}
# the manipulation: per arm, the fc2 index of one-plane objects (replicates 1, 2) and of the
# head (replicates 1, 2); fc1 is 0
MANIPULATED = {"reference": ((0.8, 0.9), (0.6, 0.8)), "none": ((0.2, 0.4), (0.45, 0.55)),
               "same_class": ((0.5, 0.7), (0.85, 0.95)), "new_class": ((0.3, 0.3), (0.7, 0.9))}
# the hflip margin (median) per network and conv layer, and the random networks' bound
MARGINS = {"trained": dict.fromkeys(CONV, 0.2), "strong": dict.fromkeys(CONV, 0.3),
           "untrained": dict.fromkeys(CONV, 0.0), "no_symmetry-0": dict.fromkeys(CONV, 0.2),
           "no_symmetry-1": {"conv1": 0.2, "conv2": 0.0, "conv3": 0.0, "conv4": 0.0}}
BOUNDS = {"conv1": 0.15, "conv2": 0.1, "conv3": 0.15, "conv4": 0.18}
# the lower end of the interval of left–right minus top–bottom rise per network and conv layer
RISE_LOW = {"trained": (0.01, 0.02, 0.03, 0.04), "strong": (0.01, -0.01, 0.02, 0.03),
            "no_symmetry-0": (0.01, 0.01, 0.01, -0.02),
            "no_symmetry-1": (-0.01, -0.02, -0.03, -0.04)}


def per_object(values):
    return torch.tensor(values).repeat_interleave(2)


def authors_tests(network):
    """The authors' test of ``network`` per (layer, family), from TESTS."""
    out = {(layer, f): {"p": 0.5, "q": 1.0, "significant": False, "greater": False}
           for layer in LAYERS for f in FAMILIES}
    for f, spec in TESTS[network].items():
        per_layer = spec if isinstance(spec, list) else [spec[:3], (*spec[:2], spec[3])]
        for layer, (significant, greater, q) in zip(FC, per_layer, strict=True):
            out[layer, f] = {"p": q / 10, "q": q, "significant": significant,
                             "greater": greater}
    return out


def manipulation_record(one_plane, head):
    """A replicate's record: fc2 index of one-plane objects and head (0 elsewhere)."""
    msvt = {layer: {f: {"mean": 0.0, "sem": 0.0, "n": 2} for f in FAMILIES} for layer in FC}
    msvt["fc2"]["one_plane"]["mean"], msvt["fc2"]["head"]["mean"] = one_plane, head
    return {"test_accuracy": 0.9, "n_classes": 12, "n_images": 96, "msvt": msvt,
            "filter_symmetry": 0.1}


def rise(low):
    """A filter-rise record with lower end ``low`` (holds: low > 0)."""
    return {"rise_lr": 0.05, "rise_tb": 0.01, "difference": 0.04, "low": low, "high": 0.08,
            "level": 0.95, "n_filters": 32, "n_boot": 200, "holds": low > 0}


def toy_summary(index=INDEX) -> MirrorSummary:
    cfg = config_for("smoke", n_random=2)
    indices = {net: {layer: per_object(v["fc1" if layer == "fc1" else "fc2" if layer == "fc2"
                                         else "conv"]) for layer in ALL_LAYERS}
               | {"gap": per_object(v["gap"]), "gap_conv4": per_object(v["gap_conv4"])}
               for net, v in index.items()}
    msvt = msvt_table(indices, FAMILY_OF, (*ALL_LAYERS, "gap", "gap_conv4"))
    pooling = family_table({net: {k: per_object(v) for k, v in windows.items()}
                            for net, windows in POOLED.items()}, FAMILY_OF,
                           ("network", "window", "family"))
    tests = {net: authors_tests(net) for net in ("trained", "strong")}
    conv_peaks = {net: family_conv_peaks(msvt, net) for net in index}
    headlines = {net: headline(msvt, tests[net], net, conv_peaks[net])
                 for net in ("trained", "strong")}
    manipulation = {arm: [manipulation_record(*pair) for pair in zip(*values, strict=True)]
                    for arm, values in MANIPULATED.items()}
    equivariance = {net: {name: {layer: {"median": 0.5, "mean": 0.4, "n": 18}
                                 for layer in (*CONV, "gap")}
                          for name in ("hflip", "vflip", "rot90")}
                    for net in ("trained", "strong", "untrained")}
    beyond = {net: tuple(layer for layer in CONV if m[layer] > BOUNDS[layer])
              for net, m in MARGINS.items()}
    return MirrorSummary(
        cfg=cfg, seed=0, images=torch.rand(10, 9, 32, 32), family_of=FAMILY_OF,
        yaws=torch.linspace(-90, 90, 9),
        render_error={"max_symmetric": 1e-6, "min_asymmetric": 0.3},
        accuracies={"trained": 0.95, "strong": 0.9, "untrained": 0.25}, n_classes=4,
        n_train_images=100,
        losses={"trained": torch.linspace(2, 0.5, 40), "strong": torch.linspace(2, 0.4, 40)},
        examples=torch.rand(8, 1, 32, 32), example_labels=torch.arange(8) % 4, msvt=msvt,
        authors_test=tests, conv_peaks=conv_peaks, headlines=headlines,
        silent={"trained": 0, "strong": 3, "untrained": 0}, n_equivariance_images=45,
        equivariance=equivariance,
        margins={net: {layer: {"median": m, "mean": m} for layer, m in per.items()}
                 for net, per in MARGINS.items()},
        random_margins={layer: {"margins": [0.0, 0.1], "mean": 0.05, "sd": 0.05, "n": 2,
                                "positive": 1, "bound": BOUNDS[layer]} for layer in CONV},
        beyond_random=beyond, at_initialisation=("conv1",),
        filter_stats={net: {layer: {"mean": 0.1, "sem": 0.01, "n": 32} for layer in CONV}
                      for net in ("trained", "strong", "untrained")},
        filter_rise={net: {layer: rise(low) for layer, low in zip(CONV, lows, strict=True)}
                     for net, lows in RISE_LOW.items()},
        conv1_symmetry={net: {"left_right": 0.1, "top_bottom": 0.2}
                        for net in ("trained", "strong", "untrained")},
        conv1_norm={"trained": 0.3, "strong": 0.01, "untrained": 0.5},
        alignment={net: {layer: 0.5 for layer in (*CONV, *FC)} for net in ("trained", "strong")},
        autocorrelation={"horizontal": 0.8, "vertical": 0.7}, pooling=pooling,
        pooling_conv4=pooling, map_size=2, manipulation=manipulation,
        comparisons=arm_comparisons(manipulation), names=PROCEDURAL_NAMES, natural=False,
        notice="", explorer_objects=(0, 2),
        explorer_groups=({"label": "fc2", "dissimilarities": torch.rand(10, 9, 9).numpy(),
                          "index": per_object(INDEX["trained"]["fc2"])},),
        stage_seconds={"runs": 1.0})


@pytest.fixture(scope="module")
def summary():
    return toy_summary()


def test_the_summary_reads_its_statistics_off_the_tables(summary):
    """By hand: conv peaks are the "conv" means; trained one-plane passes test and threshold
    at fc1 (0.7) and fc2 (0.9), the head only the test (0.5 at fc1 ≤ 0.6); strong one-plane
    only the threshold (no significant rise at fc2), its head both. Controls: the largest
    no-plane mean (0.05, trained fc1/fc2), two-plane lowest 0.8 / 0.7."""
    assert summary.conv_peaks["trained"]["one_plane"] == pytest.approx(-0.2)
    assert summary.conv_peak("trained") == pytest.approx(-0.1)  # the head's, the larger
    assert summary.conv_peak("strong") == pytest.approx(-0.05)
    assert summary.conv_peak("trained", ("two_plane",)) == pytest.approx(0.8)
    assert summary.headlines["trained"] == pytest.approx(
        {"conv_peak": -0.1, "one_plane": 0.9, "head": 0.7, "conv_low": True,
         "one_plane_fc_high": True, "head_fc_high": False})
    assert summary.headlines["strong"] == pytest.approx(
        {"conv_peak": -0.05, "one_plane": 0.9, "head": 0.8, "conv_low": True,
         "one_plane_fc_high": False, "head_fc_high": True})
    assert summary.fc_high("trained", "head") == {"test": True, "threshold": False,
                                                  "holds": False}
    assert summary.fc_high("strong", "one_plane") == {"test": False, "threshold": True,
                                                      "holds": False}
    assert summary.fc_high("trained", "radial") == {"test": True, "threshold": False,
                                                    "holds": False}
    assert summary.control_max == pytest.approx(0.05)
    assert summary.two_plane_low == pytest.approx({"trained": 0.8, "untrained": 0.7})
    assert summary.full_pool("untrained", "head") == pytest.approx(0.2)
    assert summary.one_position("trained", "one_plane") == pytest.approx(0.1)
    assert summary.no_symmetry == ("no_symmetry-0", "no_symmetry-1")
    assert summary.arm_indices("none", "head") == pytest.approx([0.45, 0.55])
    assert summary.arm_mean("reference", "one_plane") == pytest.approx(0.85)
    assert summary.arm_mean("none", "two_plane", "fc1") == 0.0
    assert summary.checks == {
        "low_conv": True, "high_fc": False, "controls_low": True, "two_plane_high": True,
        "hflip_margin_learned_everywhere": True, "filters_left_right_beyond_top_bottom": True,
        "pooling_gives_msvt": True, "manipulation_absent_lowers": False,
        "manipulation_same_class_raises": True, "manipulation_new_class_lowers": False}


def test_arm_comparisons_by_hand():
    """Two replicates per arm: difference = mean(second) − mean(first); with two values
    s² = (a − b)²/2, so se = √(s₁²/2 + s₂²/2) = ½ √(d₁² + d₂²) (d: the spread within each arm);
    holds when difference > 2 se.

    * none → reference: one-plane 0.85 − 0.3 = 0.55, se ½√(0.2² + 0.1²) = 0.1118 → holds;
      head 0.7 − 0.5 = 0.2, se ½√(0.1² + 0.2²) = 0.1118, 2 se 0.224 → does not;
    * none → same_class: one-plane 0.3, se ½√(0.2² + 0.2²) = 0.1414, 2 se 0.283 → holds; head
      0.4, se ½√(0.1² + 0.1²) = 0.0707 → holds;
    * new_class → same_class: one-plane 0.3, se ½√(0 + 0.2²) = 0.1 → holds (0.3 > 0.2); head
      0.1, se ½√(0.2² + 0.1²) = 0.1118 → does not.
    At fc1 every index is 0: difference 0, se 0, does not hold (0 > 0 is false)."""
    manipulation = {arm: [manipulation_record(*pair) for pair in zip(*values, strict=True)]
                    for arm, values in MANIPULATED.items()}
    out = arm_comparisons(manipulation)
    assert set(out) == set(COMPARISONS) == {"absent_lowers", "same_class_raises",
                                            "new_class_lowers"}
    expected = {"absent_lowers": {"one_plane": (0.55, 0.5 * math.sqrt(0.05), True),
                                  "head": (0.2, 0.5 * math.sqrt(0.05), False)},
                "same_class_raises": {"one_plane": (0.3, 0.5 * math.sqrt(0.08), True),
                                      "head": (0.4, 0.5 * math.sqrt(0.02), True)},
                "new_class_lowers": {"one_plane": (0.3, 0.1, True),
                                     "head": (0.1, 0.5 * math.sqrt(0.05), False)}}
    for name, per_family in expected.items():
        assert set(out[name]) == {"one_plane", "head"}
        for f, (difference, se, holds) in per_family.items():
            c = out[name][f]["fc2"]
            assert (c["difference"], c["se"]) == pytest.approx((difference, se), abs=1e-12)
            assert c["holds"] is holds and c["z"] == 2.0, (name, f)
            assert out[name][f]["fc1"] == {"difference": 0.0, "se": 0.0, "z": 2.0,
                                           "holds": False}
    # the sign: the second arm above the first is a positive difference
    swapped = dict(manipulation, none=manipulation["reference"],
                   reference=manipulation["none"])
    assert arm_comparisons(swapped)["absent_lowers"]["one_plane"]["fc2"]["difference"] == \
        pytest.approx(-0.55)


def with_index(**changes) -> MirrorSummary:
    """The toy summary with other family indices: ``changes`` maps ``network`` to
    ``{part: (family index, value)}``."""
    index = {net: dict(parts) for net, parts in INDEX.items()}
    for net, parts in changes.items():
        for part, (family, value) in parts.items():
            values = list(index[net][part])
            values[family] = value
            index[net][part] = tuple(values)
    return toy_summary(index)


def test_the_no_plane_control_reads_both_networks():
    """The asymmetric objects (family 2) of the *untrained* network at fc2 rise to 0.3: the
    largest no-plane mean is then 0.3 (not the trained network's 0.05) and the control fails."""
    changed = with_index(untrained={"fc2": (2, 0.3)})
    assert changed.control_max == pytest.approx(0.3)
    assert changed.checks["controls_low"] is False


def test_two_planes_must_stay_high_in_both_networks():
    """Two-plane objects (family 3) at 0.5 in the untrained conv layers: the lower network's
    lowest mean (0.5) decides, below 0.6, so the claim fails although the trained one is 0.8."""
    changed = with_index(untrained={"conv": (3, 0.5)})
    assert changed.two_plane_low == pytest.approx({"trained": 0.8, "untrained": 0.5})
    assert changed.checks["two_plane_high"] is False


def test_claims_follow_the_numbers(summary):
    """Each claim's holds, value, controls and verdict worked out from the toy numbers (every
    setting departs from the paper's — batch, epochs, procedural objects — so a claim that
    holds with every control failing is "reproduced with a departure")."""
    by_id = {c.id: c for c in mirror_claims.claims(summary)}
    assert list(by_id) == ["conv_low", "one_plane_fc_high", "head_fc_high",
                           "no_plane_radial_low", "two_plane_high", "hflip_most_equivariant",
                           "filters_more_symmetric", "pooling_gives_msvt",
                           "no_symmetry_training_lowers", "mirror_same_class_raises",
                           "mirror_new_class_lowers"]

    def outcome(claim_id):
        c = by_id[claim_id]
        return c.holds, c.value, [control.passes for control in c.controls], c.verdict

    # conv peak −0.1 < 0.1; the two-plane control's peak 0.8 is not below 0.1
    assert outcome("conv_low") == (True, pytest.approx(-0.1), [False], DEPARTURE)
    # one-plane: test and threshold at fc1 (0.7) and fc2 (0.9); value the smaller; controls:
    # no-plane (no significant rise) and radial (a rise, but 0.0 and 0.02 ≤ 0.6) fail
    assert outcome("one_plane_fc_high") == (True, pytest.approx(0.7), [False, False], DEPARTURE)
    # head: the test holds at both, the threshold misses at fc1 (0.5)
    assert outcome("head_fc_high") == (False, pytest.approx(0.5), [False, False],
                                       NOT_REPRODUCED)
    assert by_id["head_fc_high"].reason == "criterion missed"
    assert by_id["head_fc_high"].ours == ("fc1 +0.50, fc2 +0.70 (untrained +0.00, +0.00); rise "
                                          "significant at both")
    assert by_id["one_plane_fc_high"].controls[1].value == (
        "fc1 +0.00, fc2 +0.02; a significant rise at fc1 and fc2 (q = 0.03, 0.04)")
    assert "our reading" in by_id["one_plane_fc_high"].source
    assert "figure2C_S2.m" in by_id["one_plane_fc_high"].source
    # the no-plane families: largest 0.05 < 0.1; two-plane lowest 0.7 > 0.6 (no controls)
    assert outcome("no_plane_radial_low") == (True, pytest.approx(0.05), [], DEPARTURE)
    assert outcome("two_plane_high") == (True, pytest.approx(0.7), [], DEPARTURE)
    # hflip: margin 0.2 beyond every bound, value min(0.2 − bound) = 0.2 − 0.18; controls:
    # untrained (0 everywhere) fails, no-symmetry replicate 1 beyond in every layer passes,
    # replicate 2 (conv1 only) fails → not reproduced
    assert outcome("hflip_most_equivariant") == (True, pytest.approx(0.02),
                                                 [False, True, False], NOT_REPRODUCED)
    assert by_id["hflip_most_equivariant"].reason == (
        "a control passes too: network trained without symmetric categories (§7, replicate 1)")
    # filters: every lower end > 0, value the smallest (0.01); both no-symmetry replicates
    # have a layer at or below 0 (−0.02 at conv4; all negative)
    assert outcome("filters_more_symmetric") == (True, pytest.approx(0.01), [False, False],
                                                 DEPARTURE)
    # pooling: full pool2 0.8, 0.7 > 0.6 and above one position (0.1, 0.0); value 0.7;
    # untrained (0.3, 0.2) and no-plane (0.1; radial 0.5) fail
    assert outcome("pooling_gives_msvt") == (True, pytest.approx(0.7), [False, False],
                                             DEPARTURE)
    # the manipulation (values: test_arm_comparisons_by_hand): value = the smaller difference
    assert outcome("no_symmetry_training_lowers") == (False, pytest.approx(0.2), [],
                                                      NOT_REPRODUCED)
    assert outcome("mirror_same_class_raises") == (True, pytest.approx(0.3), [], DEPARTURE)
    assert outcome("mirror_new_class_lowers") == (False, pytest.approx(0.1), [],
                                                  NOT_REPRODUCED)
    assert by_id["mirror_same_class_raises"].ours == (
        "fc2: one plane +0.30 (2 SE 0.28), head +0.40 (2 SE 0.14)")
    assert by_id["hflip_most_equivariant"].ours == (
        "beyond the random bound in: conv1, conv2, conv3, conv4 (of 4 conv layers)")
    assert by_id["filters_more_symmetric"].ours == (
        "interval above 0 in: conv1, conv2, conv3, conv4 (of 4 conv layers)")
    assert by_id["mirror_same_class_raises"].setting.startswith("departure: procedural")
    assert "96 training images each" in by_id["mirror_same_class_raises"].setting


def test_controls_that_meet_the_criterion_void_the_claims(summary):
    """Variants of the toy run: the no-symmetry replicate 2 gets every filter layer above 0
    (the filters control passes); radial objects pooled reach 0.65 (> 0.6 and > 0.0: the
    no-plane pooling control passes); the untrained network pooled at 0.7, 0.65 (above its one
    position 0.0, 0.0) passes too; the no-plane objects get a significant rise and 0.7 at fc1
    and fc2 (the fc control passes)."""
    rises = dict(summary.filter_rise, **{"no_symmetry-1": {layer: rise(0.01) for layer in CONV}})
    changed = dataclasses.replace(summary, filter_rise=rises)
    claim = {c.id: c for c in mirror_claims.claims(changed)}["filters_more_symmetric"]
    assert claim.holds is True and [c.passes for c in claim.controls] == [False, True]
    assert claim.verdict == NOT_REPRODUCED

    pooled = {net: dict(windows) for net, windows in POOLED.items()}
    pooled["trained"][2] = (0.8, 0.7, 0.1, 0.9, 0.65)
    pooled["untrained"][2] = (0.7, 0.65, 0.0, 0.7, 0.0)
    pooling = family_table({net: {k: per_object(v) for k, v in windows.items()}
                            for net, windows in pooled.items()}, FAMILY_OF,
                           ("network", "window", "family"))
    claim = mirror_claims.pooling_claim(dataclasses.replace(summary, pooling=pooling))
    assert claim.holds is True and [c.passes for c in claim.controls] == [True, True]
    assert claim.verdict == NOT_REPRODUCED

    changed = with_index(trained={"fc1": (2, 0.7), "fc2": (2, 0.7)})
    tests = dict(changed.authors_test)
    tests["trained"] = dict(tests["trained"])
    for layer in FC:
        tests["trained"][layer, "asymmetric"] = {"p": 0.001, "q": 0.003, "significant": True,
                                                 "greater": True}
    claims = mirror_claims.index_claims(dataclasses.replace(changed, authors_test=tests))
    one_plane = {c.id: c for c in claims}["one_plane_fc_high"]
    assert one_plane.holds is True and [c.passes for c in one_plane.controls] == [True, False]
    assert one_plane.verdict == NOT_REPRODUCED


def test_the_strong_decay_claims_follow_their_own_network(summary):
    """The same claims for the strong-decay network: conv peak −0.05; one-plane misses the
    test at fc2, the head holds (0.7, 0.8); margin 0.3 beyond every bound (value 0.3 − 0.18);
    filters: conv2's lower end −0.01; pooling: the head's full pool 0.5 ≤ 0.6."""
    by_id = {c.id: c for c in mirror_claims.strong_decay_claims(summary)}
    assert list(by_id) == ["conv_low", "one_plane_fc_high", "head_fc_high",
                           "hflip_most_equivariant", "filters_more_symmetric",
                           "pooling_gives_msvt"]
    assert {i: c.holds for i, c in by_id.items()} == {
        "conv_low": True, "one_plane_fc_high": False, "head_fc_high": True,
        "hflip_most_equivariant": True, "filters_more_symmetric": False,
        "pooling_gives_msvt": False}
    assert by_id["conv_low"].value == pytest.approx(-0.05)
    assert by_id["head_fc_high"].value == pytest.approx(0.7)
    assert by_id["hflip_most_equivariant"].value == pytest.approx(0.3 - 0.18)
    assert by_id["filters_more_symmetric"].value == pytest.approx(-0.01)
    assert by_id["pooling_gives_msvt"].value == pytest.approx(0.5)
    assert all(c.setting.startswith("departure: strong weight decay") or
               "departure: strong weight decay" in c.setting for c in by_id.values())
    # the no-plane control of the strong network: a significant *decrease* is no rise
    assert [c.passes for c in by_id["head_fc_high"].controls] == [False, False]
    assert_no_internal_ids(list(by_id.values()))


@pytest.mark.parametrize(("network", "family", "expected"), [
    ("trained", "one_plane", "a significant rise at fc1 and fc2 (q = 0.001, 0.002)"),
    ("strong", "one_plane", "a significant rise at fc1 only (q = 0.001, 0.2)"),
    ("trained", "asymmetric", "no significant rise at fc1 or fc2 (q = 0.5, 0.6)"),
    ("strong", "asymmetric", "no significant rise at fc1 or fc2 (q = 0.01, 0.01)"),  # falls
])
def test_test_phrase_in_its_three_cases(summary, network, family, expected):
    assert mirror_claims.test_phrase(summary, network, family) == expected


def test_test_phrase_names_fc2_when_only_fc2_rises(summary):
    tests = dict(summary.authors_test)
    tests["trained"] = dict(tests["trained"])
    tests["trained"]["fc1", "head"] = {"p": 0.5, "q": 0.7, "significant": False,
                                       "greater": True}
    changed = dataclasses.replace(summary, authors_test=tests)
    assert mirror_claims.test_phrase(changed, "trained", "head") == (
        "a significant rise at fc2 only (q = 0.7, 0.02)")


def test_decay_conclusion_in_its_three_cases(summary):
    """Toy run: the authors' recipe holds for one-plane only, the strong decay for the head
    only (one gained, one lost); the same verdicts for both; the strong decay gaining only."""
    assert mirror_claims.decay_conclusion(summary) == (
        "In this run only with the strong decay does the fc criterion hold for head (never "
        "trained); with the strong decay it no longer holds for one plane (new categories): a "
        "departure from the authors' recipe.")
    same = dict(summary.headlines, strong=summary.headlines["trained"])
    assert mirror_claims.decay_conclusion(dataclasses.replace(summary, headlines=same)) == (
        "The strong decay changes neither fc-layer verdict in this run: what the authors' "
        "recipe gives, it gives too.")
    gained = dict(summary.headlines, strong=dict(summary.headlines["strong"],
                                                 one_plane_fc_high=True))
    assert mirror_claims.decay_conclusion(dataclasses.replace(summary, headlines=gained)) == (
        "In this run only with the strong decay does the fc criterion hold for head (never "
        "trained): a departure from the authors' recipe.")


def test_the_sentences_follow_the_numbers(summary):
    said = mirror_claims.sentences(summary)
    assert said["conv_low_phrase"] == "stays below"  # −0.1, the larger of −0.1 and −0.2
    assert said["conv_negative_phrase"].startswith(": neighbouring views")  # peak −0.1 < 0
    assert said["test_one_plane"] == "a significant rise at fc1 and fc2 (q = 0.001, 0.002)"
    assert said["test_head"] == "a significant rise at fc1 and fc2 (q = 0.01, 0.02)"
    assert said["control_phrase"] == "stay below"
    assert said["two_plane_phrase"].startswith(": their view at −θ")  # lowest 0.7 > 0.6
    assert said["generalises"].startswith("The index at fc2 rises with training for one plane "
                                          "and head objects")  # 0.9 > 0.1, 0.7 > 0.0
    assert said["learned"] == "conv1, conv2, conv3, conv4" and said["at_init"] == "conv1"
    assert said["untrained_beyond"] == "none"
    assert said["no_symmetry_beyond"] == ("replicate 1: conv1, conv2, conv3, conv4; "
                                          "replicate 2: conv1")
    assert said["smoother_phrase"] == "smoother along x than along y"  # 0.8 > 0.7
    assert said["offline"] == ""
    assert said["absent_lowers_phrase"] == (
        "one plane +0.55 (2 SE 0.22: beyond the spread); head +0.20 (2 SE 0.22: within the "
        "spread)")
    assert said["same_class_raises_phrase"] == (
        "one plane +0.30 (2 SE 0.28: beyond the spread); head +0.40 (2 SE 0.14: beyond the "
        "spread)")
    assert said["new_class_lowers_phrase"] == (
        "one plane +0.30 (2 SE 0.20: beyond the spread); head +0.10 (2 SE 0.22: within the "
        "spread)")
    assert said["learns_phrase"] == "learn"  # 0.9 ≥ 0.8


@pytest.mark.parametrize(("function", "argument", "expected"), [
    (mirror_claims.stays_below, 0.1, "does not stay below"),  # the threshold is not below
    (mirror_claims.negative_conv_phrase, 0.0, ""),
    (mirror_claims.two_plane_phrase, 0.6, ""),
    (mirror_claims.listing, [], "none"),
    (mirror_claims.families_text, [], "neither family"),
    (mirror_claims.offline_text, "", ""),
    (mirror_claims.offline_text, "no network", "Offline: no network"),
    (mirror_claims.learns_phrase, 0.8, "learn"),
    (mirror_claims.learns_phrase, 0.79, "only partly learn"),
    (mirror_claims.smoother_phrase, (0.7, 0.8), "not smoother along x than along y"),
])
def test_each_phrase_at_its_edge(function, argument, expected):
    arguments = argument if isinstance(argument, tuple) else (argument,)
    assert function(*arguments) == expected


def test_generalisation_sentence_without_a_rise():
    assert "neither family" in mirror_claims.generalisation_sentence([])


def test_prose_numbers_by_hand(summary):
    numbers = prose_numbers(summary)
    assert numbers["conv_max_one"] == pytest.approx(-0.2)  # trained −0.2, untrained −0.3
    assert numbers["conv_max_head"] == pytest.approx(-0.1)
    assert numbers["new_classes"] == 12 and numbers["new_chance"] == pytest.approx(1 / 12)
    assert numbers["new_accuracy"] == pytest.approx(0.9)
    assert numbers["pool_trained_one_plane_full"] == pytest.approx(0.8)
    assert numbers["pool_trained_head_one"] == pytest.approx(0.0)
    assert numbers["fc1_head"] == pytest.approx(0.5)
    assert numbers["manip_replicates"] == 2 and numbers["strong_accuracy"] == 0.9
    assert numbers["trained_head_last"] == "+0.70 ± 0.00"
    assert numbers["strong_one_plane_last"] == "+0.90 ± 0.00"


def test_every_number_and_sentence_of_the_page_is_glued(summary):
    page = (REPO / "book" / "mirror_symmetry.py").read_text()
    names = {m.split(":")[0] for m in re.findall(r"\{glue:text\}`([^`]+)`", page)}
    glued = (set(prose_numbers(summary)) | set(mirror_claims.sentences(summary))
             | set(verdict_glue(mirror_claims.claims(summary))))
    assert names <= glued, f"not glued: {sorted(names - glued)}"


def test_results_record_keeps_the_files_keys(summary):
    claims = mirror_claims.claims(summary)
    strong = mirror_claims.strong_decay_claims(summary)
    record = mirror.results.results_record(summary, claims, strong)
    assert set(record["msvt"]) == {"trained", "strong_decay", "untrained"}
    assert record["msvt"]["strong_decay"]["fc2"]["head"]["mean"] == pytest.approx(0.8)
    assert record["msvt"]["trained"]["gap"]["one_plane"]["mean"] == pytest.approx(0.8)
    assert record["authors_test"]["trained"]["fc1"]["one_plane"]["q"] == 0.001
    assert record["recipes"]["authors"]["claims_by_recipe"]["head_fc_high"] is False
    assert record["recipes"]["strong_decay"]["claims_by_recipe"]["head_fc_high"] is True
    assert record["recipes"]["authors"]["settings"]["optimiser"] == "sgd"
    margin = record["equivariance_margin"]["conv4"]
    assert margin["bound"] == 0.18 and "bound" not in margin["random_networks"]
    assert margin["beyond_bound"] == {"trained": True, "strong_decay": True, "untrained": False,
                                      "no_symmetry-0": True, "no_symmetry-1": False}
    assert record["pooling_sweep"]["receptive_field"] == {1: 16, 2: 20}  # pool2: 16 + 4(k − 1)
    assert record["filter_symmetry"]["strong_decay"]["conv2"]["holds"] is False
    assert [r["n_images"] for r in record["manipulation"]["none"]] == [96, 96]
    assert [c["id"] for c in record["claims"]] == [c.id for c in claims]
    for key in re.findall(r"^- `(\w+)`", mirror.results.RESULT_KEYS, re.M):
        assert key in record


def test_figures_return_figures_left_to_the_page_and_tables_are_markdown(summary):
    plt.close("all")
    for draw in (mirror.figures.stimuli_views, mirror.figures.training,
                 mirror.figures.msvt_per_layer, mirror.figures.head_per_layer,
                 mirror.figures.equivariance_bars, mirror.figures.margins_and_filters,
                 mirror.figures.pooling, mirror.figures.manipulation):
        assert isinstance(draw(summary), Figure)
    assert plt.get_fignums() == []  # none left for pyplot to show a second time
    claims = mirror_claims.recipe_claims(summary)
    strong = mirror_claims.strong_decay_claims(summary)
    for table, rows in ((mirror.figures.msvt_table(summary), len(ALL_LAYERS)),
                        (mirror.figures.recipe_table(claims, strong), 6),
                        (mirror.figures.equivariance_table(summary), 4),
                        (mirror.figures.filter_table(summary), 4),
                        (mirror.figures.pooling_table(summary), 8),
                        (mirror.figures.manipulation_table(summary), 4),
                        (mirror.figures.comparisons_table(summary), 3)):
        lines = table.splitlines()
        assert len(lines) == 2 + rows and set(lines[1]) <= set("|-")
        assert len({line.count("|") for line in lines}) == 1  # as many cells in every row
    manipulation = mirror.figures.manipulation_table(summary)
    # none: fc2 one-plane (0.2, 0.4): mean 0.30, SD 0.14; head (0.45, 0.55): 0.50 ± 0.07
    assert f"+0.30 ± {np.std([0.2, 0.4], ddof=1):.2f} | +0.50 ± 0.07" in manipulation
    msvt = mirror.figures.msvt_table(summary)
    assert "| fc1 | +0.70 / +0.10 ↑ | +0.50 / +0.00 ↑ | +0.05 / +0.00 |" in msvt


def test_the_explorer_opens_on_the_last_hidden_layer_of_the_trained_network():
    from emergence.experiments.mirror.figures import opening_group

    assert opening_group(["pixels", "conv4", "fc1", "fc2", "fc2 (untrained)"]) == 3
    assert opening_group(["pixels", "conv2"]) == 1


def test_no_claim_names_another_by_its_internal_id(summary):
    assert_no_internal_ids(mirror_claims.claims(summary))


def pooling_variant(summary, **windows_of):
    """The toy summary with some networks' pooled means replaced (``net={window: means}``)."""
    pooled = {net: dict(windows) for net, windows in POOLED.items()}
    for net, windows in windows_of.items():
        pooled[net].update(windows)
    return dataclasses.replace(summary, pooling=family_table(
        {net: {k: per_object(v) for k, v in windows.items()} for net, windows in pooled.items()},
        FAMILY_OF, ("network", "window", "family")))


def test_pooling_needs_a_rise_over_one_position_and_the_untrained_control_both_families(summary):
    """Full pooling above 0.6 is not enough: the trained one-plane objects at 0.8 over the whole
    map but 0.85 at one position do not rise with the window, so the claim fails. And the
    untrained control passes only when *both* families pass: untrained one-plane 0.7 (> 0.6,
    > its one position 0.0) with the head at 0.2 does not pass."""
    falls = pooling_variant(summary, trained={1: (0.85, 0.0, 0.0, 0.9, 0.0)})
    assert falls.pooling_holds("trained", "one_plane") is False
    assert mirror_claims.pooling_claim(falls).holds is False
    one_family = pooling_variant(summary, untrained={2: (0.7, 0.2, 0.0, 0.7, 0.0)})
    untrained_control = mirror_claims.pooling_claim(one_family).controls[0]
    assert untrained_control.passes is False


def test_authors_test_compares_trained_with_untrained_per_layer_and_family():
    """summarise's authors' test on hand-built per-object indices (two objects per family, as
    FAMILY_OF): at fc2 the one-plane objects are 0.9, 0.8 trained against 0.1, 0.2 untrained;
    every other (layer, family) is equal in both networks. Rank sum: trained 0.9, 0.8 hold ranks
    3, 4 of the four values, W = 7, the largest possible for 2 vs 2: exact two-sided p =
    2 · 1/C(4, 2) = 1/3; equal samples give p = 1. The family is every layer × family: 8 × 5 =
    40 tests, so Benjamini–Yekutieli gives q = min(1, p · 40 · c₄₀ / 1) = 1 for the rise (too
    few objects to be significant), and ``greater`` is True only where the trained median is
    higher."""
    layers = ("conv1", "conv2", "pool1", "conv3", "conv4", "pool2", "fc1", "fc2")
    base = {layer: torch.zeros(len(FAMILY_OF)) for layer in layers}
    trained = {layer: v.clone() for layer, v in base.items()}
    untrained = {layer: v.clone() for layer, v in base.items()}
    trained["fc2"][:2] = torch.tensor([0.9, 0.8])
    untrained["fc2"][:2] = torch.tensor([0.1, 0.2])
    result = authors_test({"trained": trained, "untrained": untrained}, "trained", FAMILY_OF)
    assert len(result) == 40
    rise = result["fc2", "one_plane"]
    assert rise["p"] == pytest.approx(1 / 3)
    assert rise["greater"] is True and rise["significant"] is False
    assert result["fc2", "head"]["greater"] is False
    assert result["fc1", "one_plane"]["p"] == pytest.approx(1.0)
    swapped = authors_test({"trained": untrained, "untrained": trained}, "trained", FAMILY_OF)
    assert swapped["fc2", "one_plane"]["greater"] is False


def test_test_word_in_its_cases(summary):
    """The claims' short form of the authors' test (TESTS above): the trained one-plane
    objects rise significantly at fc1 and fc2; the strong network's one-plane objects only at
    fc1 (fc2: q = 0.2); the trained no-plane objects at neither."""
    assert mirror_claims.test_word(summary, "trained", "one_plane") == "rise significant at both"
    assert mirror_claims.test_word(summary, "strong", "one_plane") == (
        "rise significant at fc1 only")
    assert mirror_claims.test_word(summary, "trained", "asymmetric") == (
        "rise significant at neither")


def test_batch_record_keeps_the_last_line_of_a_pair_and_tabulates_it():
    """Three lines, the (seed 1, batch 64) pair twice: the later one (accuracy 0.9) is kept, and
    the rows are ordered by seed then batch; the table shows each line's numbers as recorded."""
    line = {"epochs": 12, "seconds": 1.0, "fc1_one_plane": 0.7, "fc2_one_plane": 0.88,
            "fc1_head": -0.59, "fc2_head": -0.07}
    text = "\n".join(json.dumps(line | extra) for extra in (
        {"seed": 1, "batch": 64, "steps": 648, "test_accuracy": 0.5},
        {"seed": 1, "batch": 256, "steps": 156, "test_accuracy": 0.4},
        {"seed": 1, "batch": 64, "steps": 648, "test_accuracy": 0.9}))
    records = load_record("batch", text)
    assert [(r["seed"], r["batch"], r["test_accuracy"]) for r in records] == [
        (1, 64, 0.9), (1, 256, 0.4)]
    table = mirror.figures.batch_table(records).splitlines()
    assert len(table) == 4
    assert table[2] == "| 1 | 64 | 648 | 0.90 | +0.70 | +0.88 | -0.59 | -0.07 |"
    assert all(set(r) >= {"seed", "batch", "steps", "test_accuracy"}
               for r in load_record("batch"))


def test_the_index_over_training_draws_a_line_per_seed_layer_and_family():
    """Two seeds × two epochs recorded: each panel (one-plane, head) gets one line per seed and
    fc layer (4), with the recorded values in order."""
    lines = [{"seed": seed, "epoch": epoch, "fc1_one_plane": 0.1 * epoch + seed,
              "fc2_one_plane": 0.2, "fc1_head": -0.5, "fc2_head": 0.0}
             for seed in (1, 2) for epoch in (0, 2)]
    fig = mirror.figures.index_over_training(lines, 12)
    assert isinstance(fig, Figure)
    one_plane = fig.axes[0].get_lines()
    drawn = [line for line in one_plane if line.get_marker() in ("o", "s")]  # not the guides
    assert len(drawn) == 4
    assert list(drawn[0].get_ydata()) == pytest.approx([1.0, 1.2])  # fc1, seed 1
    assert plt.get_fignums() == []
