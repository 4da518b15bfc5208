"""Chapter 2's experiment package (emergence.experiments.convolutions): configuration, run keys,
the summary, the claims and sentences, the results record and the figures.

The summary and claims are checked on planted runs whose numbers are worked out by hand: on the
ring of D = 32 sites the random baseline is 3/(D+2) = 3/34; a field spread evenly over n sites
has IPR 1/n (a two-site field 1/2, a uniform one 1/32).
"""

import dataclasses
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from conftest import assert_no_internal_ids
from emergence.claims import NOT_REPRODUCED
from emergence.experiments import convolutions
from emergence.experiments.convolutions.claims import (
    claims,
    covariance_check_text,
    mechanism_phrases,
    paper_time_phrases,
    projection_shown,
    ring_phrases,
    seed_phrases,
    sweep_phrases,
    tiling_power_sentence,
    tiling_sentence,
    torus_phrases,
)
from emergence.experiments.convolutions.config import (
    PROFILE_CHANGES,
    ConvolutionsConfig,
    config_for,
)
from emergence.experiments.convolutions.results import RESULT_KEYS, results_record
from emergence.experiments.convolutions.runs import run_key
from emergence.experiments.convolutions.summary import (
    BOX,
    CLONE_EIGENVECTORS,
    CLONE_FIELDS,
    DIFFERENCE_EIGENVECTORS,
    EXTENDED_FIELD,
    GAUSSIAN_BUMP,
    LOCALISED_FIELD,
    MIXED_EIGENVECTORS,
    ONE_PIXEL,
    RANDOM_FIELD,
    summarise,
    summarise_torus,
    tiling_summary,
)

D = 32  # the smoke profile's ring
BASELINE = 3 / (D + 2)


def test_the_package_names_its_chapter_and_thread_policy():
    assert convolutions.CHAPTER == "convolutions_from_data"
    assert convolutions.CPU_THREADS == 1
    assert convolutions.config_for("cpu") == ConvolutionsConfig()


def test_profiles_change_only_sizes_and_keep_the_papers_settings():
    for profile in PROFILE_CHANGES:
        cfg = config_for(profile)
        assert (cfg.K, cfg.xi, cfg.lr, cfg.g_main) == (8, (1.0, 3.0), 0.05, 10.0)
        assert cfg.g_main in cfg.gains and cfg.g_main in cfg.gains2
    assert config_for("cpu") == ConvolutionsConfig()
    assert config_for("cpu").t2 == 10000.0 and config_for("cpu").L2 == 20  # the paper's Figure 1
    assert config_for("cpu", lr=0.02).lr == 0.02
    with pytest.raises(ValueError, match="profile"):
        config_for("gpu")
    with pytest.raises(TypeError):
        config_for("cpu", learning_rate=0.1)


def test_run_keys_hold_exactly_the_fields_a_run_reads():
    cpu, device = config_for("cpu"), torch.device("cpu")
    wider_sweep = dataclasses.replace(cpu, gains=(1.0, 10.0))
    assert run_key("torus", cpu, 0, device) == run_key("torus", wider_sweep, 0, device)
    assert run_key("sweep", cpu, 0, device) != run_key("sweep", wider_sweep, 0, device)
    assert run_key("sweep", cpu, 0, device) != run_key("sweep", cpu, 1, device)
    assert run_key("cnn", cpu, 0, device) == run_key("cnn", dataclasses.replace(cpu, lr=0.2), 0,
                                                     device)
    with pytest.raises(ValueError, match="run"):
        run_key("figure1", cpu, 0, device)


def bumps(centres, L, width=1.5):
    sites = torch.arange(L, dtype=torch.float64)
    fields = []
    for c in centres:
        d = torch.minimum((sites - c) % L, (c - sites) % L)
        fields.append(torch.exp(-d**2 / (2 * width**2)))
    return torch.stack(fields)


def test_tiling_summary_on_planted_fields(generator):
    """Eight evenly spaced bumps (b = +1) tile the ring; their random initial weights are the
    control and do not; the b = −1 neurons and extended fields are not counted."""
    L, K = 96, 12
    cfg = dataclasses.replace(config_for("cpu"), n_random_tiling=1000)
    extended = torch.ones(4, L, dtype=torch.float64)
    final = torch.cat([bumps([12.0 * i for i in range(8)], L), extended])
    final[-1] = bumps([5.0], L)[0]  # localised, but starts with b = −1: not counted
    initial = 0.1 * torch.randn(K, L, generator=generator, dtype=torch.float64)
    sign = torch.tensor([1.0] * 8 + [1.0, -1.0, -1.0, -1.0])
    run = {"weights": torch.stack([initial, final])[:, None], "initial_bias_sign": sign}
    summary = tiling_summary(cfg, run, L, 1, 0, generator)
    assert summary["n_localised"] == 8 and summary["fields"].shape == (8, L)
    assert summary["test"]["p_value"] < 0.01 and summary["test"]["ratio"] > 1.5
    assert summary["control"]["p_value"] > 0.05


def test_tiling_summary_with_too_few_fields(generator):
    L = 40
    extended = torch.ones(3, L, dtype=torch.float64)
    final = torch.cat([bumps([3.0], L, width=0.5), extended])
    run = {"weights": torch.stack([final, final])[:, None],
           "initial_bias_sign": torch.tensor([1.0, 1.0, -1.0, -1.0])}
    summary = tiling_summary(config_for("smoke"), run, L, 1, 0, generator)
    assert summary["n_localised"] == 1 and summary["test"] is None and summary["control"] is None


# --------------------------------------------------------------------------------------------
# planted runs at the smoke profile's sizes (ring D = 32, gains 1 and 10; torus 8 × 8; K = 8)

SIGN = torch.tensor([1.0] * 4 + [-1.0] * 4)


def two_site_fields(starts, L=D):
    """Fields ``e_i + e_{i+1}``: IPR exactly 1/2."""
    fields = torch.zeros(len(starts), L)
    for row, i in enumerate(starts):
        fields[row, i] = fields[row, (i + 1) % L] = 1.0
    return fields


def network(positive, negative):
    return torch.cat([positive, negative])


def planted_runs(cfg):
    uniform = torch.ones(8, D)  # IPR 1/32
    localised = network(two_site_fields([0, 8, 16, 24]), torch.ones(4, D))
    # sweep networks: NLGP g = 1, NLGP g = 10, clone g = 1, clone g = 10; snapshots t = 0, 1, 10,
    # 60: the NLGP at g = 10 localises from t = 10 on, every other field stays uniform
    snapshots = [torch.stack([uniform, uniform, uniform, uniform]),
                 torch.stack([uniform, uniform, uniform, uniform]),
                 torch.stack([uniform, localised, uniform, uniform]),
                 torch.stack([uniform, localised, uniform, uniform])]
    sweep = {"times": torch.tensor([0.0, 1.0, 10.0, 60.0], dtype=torch.float64),
             "weights": torch.stack(snapshots), "initial_bias_sign": SIGN,
             "accuracy": torch.tensor([0.6, 0.9, 0.55, 0.5])}
    # the 1D claim's networks at the paper's time (smoke: t = 60): the sweep's g = 10 pair
    ring_paper = {"times": sweep["times"], "weights": sweep["weights"][:, 1::2],
                  "initial_bias_sign": SIGN, "accuracy": torch.tensor([0.9, 0.5])}
    # torus 8 × 8: NLGP b = +1 fields one-hot at (0,0), (0,4), (4,0), (4,4) (IPR 1); the clone
    # and the initial weights uniform (IPR 1/64)
    side = cfg.L2
    corners = torch.zeros(4, side * side)
    for row, (r, c) in enumerate([(0, 0), (0, 4), (4, 0), (4, 4)]):
        corners[row, r * side + c] = 1.0
    flat = torch.ones(8, side * side)
    torus = {"times": torch.tensor([0.0, 1.0, 20.0], dtype=torch.float64),
             "weights": torch.stack([torch.stack([flat, flat]), torch.stack([flat, flat]),
                                     torch.stack([network(corners, flat[:4]), flat])]),
             "initial_bias_sign": SIGN, "accuracy": torch.tensor([0.92, 0.6])}
    # the wider ring network: four one-hot fields, evenly spaced, that all start at site 5
    evenly = torch.eye(D)[[0, 8, 16, 24]]
    tiling = {"weights": torch.stack([network(torch.eye(D)[[5, 5, 5, 5]], uniform[:4]),
                                      network(evenly, uniform[:4])])[:, None],
              "initial_bias_sign": SIGN}
    # the CNN: its b = +1 filters are the NLGP network's two-site fields, shifted
    cnn = {"filters": network(two_site_fields([3, 7, 11, 19]), uniform[:4]), "bias": SIGN,
           "accuracy": torch.tensor(0.97)}
    # κ₄: NLGP at g = 1 and 10 have two-site eigenvectors (IPR 1/2), the clone uniform ones;
    # the reduced neuron localises (IPR 1/2) only with the κ₄ term and NLGP inputs
    points = two_site_fields(range(0, 32, 4)) / 2**0.5
    steps = torch.arange(0, 60, 10)
    reduced = {f"{inputs}-{kind}-0.7": torch.full((len(steps), 4), value)
               for inputs, kind, value in (("nlgp", "with", 0.5), ("nlgp", "without", 0.03),
                                           ("clone", "with", 0.03), ("clone", "without", 0.03))}
    mechanism = {"gains": torch.tensor([1.0, 10.0, 10.0]),
                 "clone": torch.tensor([False, False, True]),
                 "fixed_points": torch.stack([points, points, torch.ones(8, D) / D**0.5]),
                 "difference_points": points,
                 "excess_kurtosis": torch.full((3, 8), -0.5),
                 "converged": torch.ones(3, 8, dtype=torch.bool), "reduced_steps": steps,
                 "reduced_ipr": reduced}
    return {"sweep": sweep, "ring_paper": ring_paper, "torus": torus, "tiling": tiling, "cnn": cnn,
            "mechanism": mechanism}


@pytest.fixture(scope="module")
def planted():
    cfg = config_for("smoke")
    return summarise(cfg, planted_runs(cfg), 0, torch.device("cpu"))


def test_summary_of_planted_runs(planted):
    ring, torus, cnn, mechanism = planted.ring, planted.torus, planted.cnn, planted.mechanism
    assert planted.inputs.covariance_ok
    assert ring.baseline == pytest.approx(BASELINE)
    assert (ring.ipr_localised_nlgp, ring.ipr_other_nlgp) == pytest.approx((1 / 2, 1 / 32))
    assert (ring.ipr_localised_clone, ring.ipr_clone_max) == pytest.approx((1 / 32, 1 / 32))
    assert ring.ipr_initial_nlgp == pytest.approx(1 / 32)
    assert (ring.accuracy_nlgp, ring.accuracy_clone) == pytest.approx((0.9, 0.5))
    rows = {r["gain"]: r for r in ring.gain_rows}
    assert rows[10.0]["t_onset_nlgp"] == 10.0 and rows[1.0]["t_onset_nlgp"] is None
    assert rows[10.0]["t_onset_clone"] is None
    assert rows[1.0]["excess_kurtosis"] == pytest.approx(-1.2, abs=1e-6)  # a uniform pixel
    assert ring.gain_rank_correlation == pytest.approx(1.0)
    assert torus.baseline == pytest.approx(3 / 66)
    assert (torus.ipr_localised_nlgp, torus.ipr_initial_nlgp) == pytest.approx((1.0, 1 / 64))
    assert torus.ipr_clone_max == pytest.approx(1 / 64)
    assert torus.last_change == pytest.approx(63.0)  # from 1/64 to 1
    assert planted.tiling.ring["n_localised"] == 4 and planted.tiling.torus["n_localised"] == 4
    assert planted.tiling.ring["test"]["ratio"] > 1.5
    assert planted.tiling.ring["control"]["p_value"] == 1.0  # all initial centres coincide
    # a two-site field against a shifted copy: cosine 1; a uniform field against it: 2/(√32·√2)
    assert (cnn.match_nlgp, cnn.match_clone) == pytest.approx((1.0, 0.25))
    assert mechanism.nlgp["ipr"] == pytest.approx(0.5)
    assert mechanism.nlgp["overlap_learned"] == pytest.approx(1.0)
    assert mechanism.clone["ipr"] == pytest.approx(1 / 32)
    assert [r["overlap_learned"] for r in mechanism.fixed_rows][0] == pytest.approx(0.25)
    assert mechanism.gain_ipr_spread == pytest.approx(1.0)
    assert mechanism.reduced("nlgp", True) == pytest.approx(0.5)


def test_torus_clone_statistic_is_the_larger_population_mean():
    # clone network: b₀ = +1 fields uniform (IPR 1/64), b₀ = −1 fields one-hot (IPR 1); the
    # larger population mean is 1, the mean over all eight neurons would be (1 + 1/64)/2
    cfg = config_for("smoke")
    side = cfg.L2 * cfg.L2
    flat, one_hot = torch.ones(4, side), torch.eye(side)[[0, 9, 18, 27]]
    clone = network(flat, one_hot)
    torus = {"times": torch.tensor([0.0, 1.0, 20.0], dtype=torch.float64),
             "weights": torch.stack([torch.stack([clone, clone])] * 3), "initial_bias_sign": SIGN,
             "accuracy": torch.tensor([0.9, 0.6])}
    summary = summarise_torus(cfg, torus)
    assert summary.ipr_clone_max == pytest.approx(1.0)
    assert summary.ipr_localised_clone == pytest.approx(1 / 64)
    with pytest.raises(ValueError, match="two"):
        summarise_torus(cfg, torus | {"times": torus["times"][[0, 2]],
                                      "weights": torus["weights"][:2]})


def test_claims_of_planted_runs(planted):
    verdicts = {claim.id: claim.verdict for claim in claims(planted)}
    assert verdicts == {
        "nlgp_localises_1d": "reproduced with a departure",  # D = 32, t = 60
        "clone_stays_flat": "reproduced with a departure",
        "torus_localises_2d": "reproduced with a departure",
        "gain_sweep_needs_nongaussian": "reproduced with a departure",
        "tiles_ring": "reproduced with a departure",
        "tiles_torus": verdicts["tiles_torus"],  # four fields on 8 × 8: a weak test
        # a box of round(1/IPR) = 2 sites is a two-site field: the trivial shape matches too
        "kappa4_eigenvectors_match_fields": "not reproduced at this profile",
        "kappa4_term_switches_localisation": "beyond the paper: holds",
        "cnn_filters_match_fc_fields": "reproduced with a departure",
        "accuracy_fc_nlgp": "reported",
    }


def test_the_1d_claim_at_the_papers_time(planted):
    paper = planted.ring_paper
    # the NLGP network: two-site fields (IPR 1/2) from t = 10 on; the clone uniform (1/32)
    assert (paper.ipr_localised_nlgp, paper.ipr_initial_nlgp) == pytest.approx((0.5, 1 / 32))
    assert (paper.ipr_localised_clone, paper.ipr_clone_max) == pytest.approx((1 / 32, 1 / 32))
    assert paper.neuron_final == pytest.approx([0.5] * 4)
    assert paper.neuron_onsets == [10.0] * 4  # 1/2 > 5 × 3/34 first at t = 10
    phrases = paper_time_phrases(paper, 6.0)
    assert phrases["paper_time_neurons"] == ("The 4 neurons' final IPRs are 0.500, 0.500, 0.500, "
                                             "0.500; they first exceed 5× the baseline at "
                                             "t = 10, 10, 10, 10 (—: never)")
    assert phrases["paper_time_late"] == ("4 of 4 neuron(s) localise only after t = 6, where "
                                          "the gain sweep stops, or not at all (0 never)")
    assert paper_time_phrases(paper, 10.0)["paper_time_late"] == (
        "every neuron localises by t = 10, where the gain sweep stops")  # onset exactly at 10
    early = dataclasses.replace(paper, neuron_onsets=[1.0, 1.0, 1.0, None])
    assert paper_time_phrases(early, 6.0)["paper_time_late"] == (
        "1 of 4 neuron(s) localise only after t = 6, where the gain sweep stops, or not at all "
        "(1 never)")
    assert "t = 1, 1, 1, — (—: never)" in paper_time_phrases(early, 6.0)["paper_time_neurons"]
    # the claims read this run, not the sweep
    ring = dataclasses.replace(planted.ring, ipr_localised_nlgp=0.0)
    verdicts = {c.id: c.verdict for c in claims(dataclasses.replace(planted, ring=ring))}
    assert verdicts["nlgp_localises_1d"] == "reproduced with a departure"


def test_eigenvector_claim_against_the_shapes_of_the_fields_width(planted):
    mechanism = planted.mechanism
    rows = {r["shape"]: r for r in mechanism.overlap_rows}
    assert mechanism.box_width == 2
    assert rows[BOX]["overlap"] == pytest.approx(1.0) and rows[BOX]["ipr"] == pytest.approx(0.5)
    assert rows[MIXED_EIGENVECTORS]["overlap"] == pytest.approx(1.0)
    assert rows[DIFFERENCE_EIGENVECTORS]["overlap"] == pytest.approx(1.0)
    assert rows[CLONE_EIGENVECTORS]["overlap"] == pytest.approx(0.25)  # 2/(√32·√2)
    # the clone's b₀ = +1 fields are uniform: overlap 2/(√32·√2), IPR 1/32
    assert rows[CLONE_FIELDS]["overlap"] == pytest.approx(0.25)
    # the bump, by a plain loop: w_i = exp(−d_i²/(2σ²)); its IPR is the fields' 1/2, and its
    # best overlap with a two-site field over all shifts s is max_s (w_s + w_{s+1})/(√2 ‖w‖)
    sigma = mechanism.bump_sigma
    bump = [math.exp(-min(i, D - i) ** 2 / (2 * sigma**2)) for i in range(D)]
    assert sum(v**4 for v in bump) / sum(v**2 for v in bump) ** 2 == pytest.approx(0.5)
    norm = math.sqrt(sum(v**2 for v in bump))
    best = max(abs(bump[i] + bump[(i + 1) % D]) / (math.sqrt(2) * norm) for i in range(D))
    assert rows[GAUSSIAN_BUMP]["overlap"] == pytest.approx(best)
    assert 0.8 < best < 0.9  # σ ≈ 0.8 sites: (…, 0.06, 0.5, 1, 0.5, 0.06, …)
    claim = next(c for c in claims(planted) if c.id == "kappa4_eigenvectors_match_fields")
    assert [c.passes for c in claim.controls] == [False, False, rows[GAUSSIAN_BUMP]["overlap"]
                                                  >= 0.8, True, False]
    assert "a box of 2 sites" in claim.reason
    sentence = mechanism_phrases(mechanism, planted.ring.baseline, 10.0)["eigen_sentence"]
    assert "the bump and the box meet the same criterion" in sentence  # 0.86 and 1
    assert ", and the learned fields overlap them closely (mean best overlap 1.00" in sentence
    # when the trivial shapes miss the criterion the claim holds
    wide = [r | {"overlap": 0.7} if r["shape"] in (BOX, GAUSSIAN_BUMP) else r
            for r in mechanism.overlap_rows]
    fixed = dataclasses.replace(planted, mechanism=dataclasses.replace(mechanism,
                                                                       overlap_rows=wide))
    claim = next(c for c in claims(fixed) if c.id == "kappa4_eigenvectors_match_fields")
    assert claim.verdict == "reproduced with a departure"
    sentence = mechanism_phrases(fixed.mechanism, planted.ring.baseline, 10.0)["eigen_sentence"]
    assert "neither trivial shape meets" in sentence
    assert "the learned fields are, up to a shift, these eigenvectors" in sentence


def test_claims_fail_when_the_clone_localises_too(planted):
    ring = dataclasses.replace(planted.ring_paper, ipr_localised_clone=0.5, ipr_clone_max=0.5)
    verdicts = {c.id: c for c in claims(dataclasses.replace(planted, ring_paper=ring))}
    assert verdicts["nlgp_localises_1d"].verdict == "not reproduced at this profile"
    assert "Gaussian clone" in verdicts["nlgp_localises_1d"].reason
    assert verdicts["clone_stays_flat"].holds is False


def test_sentences_of_planted_runs(planted):
    ring_text = ring_phrases(planted.ring)
    assert ring_text["loc_nlgp_sentence"].endswith("each on about 2 sites (IPR ≈ 1/width)")
    assert ring_text["other_nlgp_sentence"] == "within 2× the baseline: it stays extended"
    assert ring_text["clone_1d_sentence"].startswith("within 2× the baseline, so neither")
    sweep = sweep_phrases(planted.ring)
    assert sweep["sweep_nlgp_phrase"] == "1 of 2 gains, from g = 10 on"
    assert "yet its IPR stays within 2× the baseline at every gain" in sweep["sweep_conclusion"]
    # g = 1: IPR 1/32 = (34/96) × the baseline 3/34 ≈ 0.35×
    assert "reach only 0.4× the baseline by t = 60" in sweep["kurtosis_proxy_sentence"]
    assert "(excess kurtosis -1.2)" in sweep["kurtosis_proxy_sentence"]
    mechanism = mechanism_phrases(planted.mechanism, planted.ring.baseline, 10.0)
    assert "localised bumps about 2 sites wide (IPR 0.500, 5.7× the baseline)" in \
        mechanism["eigen_sentence"]
    assert ": no localised fixed point. A plain Gaussian bump" in mechanism["eigen_sentence"]
    assert "varies by a factor 1.00: their shape hardly depends" in \
        mechanism["eigen_gain_sentence"]
    assert mechanism["reduced_sentence"].startswith("The κ₄ term alone switches")
    assert "only for ‖w‖ in {0.7}" in mechanism["reduced_sentence"]


def test_torus_slope_and_the_time_to_the_papers_level(planted):
    torus = planted.torus
    # the planted b₀ = +1 curve: 1/64 at t = 1, 1 at t = 20
    assert torus.end_slope == pytest.approx(math.log(64) / math.log(20))
    assert torus.ipr_at_paper_time is None and torus.time_to_paper_level is None  # t = 20 < 10⁴
    phrases = torus_phrases(torus)
    assert phrases["ipr2_at_paper"] == "this run stops before t = 10⁴"
    assert phrases["ipr2_slope"] == ("Over that interval it grew as $t^{1.39}$; it has reached "
                                     "the paper's 0.05.")
    # b₀ = +1 fields spread evenly over 64, 64, 32 sites at t = 0, 1000, 10⁴ (IPR 1/64, 1/64,
    # 1/32): end slope log 2 / log 10; the paper's 0.05 = 1.6 × 1/32 at 10⁴ · 1.6^(log 10/log 2)
    times = np.array([0.0, 1000.0, 1e4])
    weights = torch.stack([torch.stack([network(planted_field(n), planted_field(n))] * 2)
                           for n in (64, 64, 32)])
    out = summarise_torus(config_for("smoke"), {
        "times": torch.tensor(times), "weights": weights, "initial_bias_sign": SIGN,
        "accuracy": torch.tensor([0.9, 0.6])})
    assert out.end_slope == pytest.approx(math.log(2) / math.log(10))
    assert out.ipr_at_paper_time == pytest.approx(1 / 32)
    assert out.time_to_paper_level == pytest.approx(1e4 * 1.6 ** (math.log(10) / math.log(2)))
    text = torus_phrases(out)
    assert text["ipr2_slope"].startswith("Over that interval it grew as $t^{0.30}$; at that rate "
                                         "it would reach the paper's 0.05 at t ≈ 47,651 (4.8×")
    assert text["ipr2_at_paper"] == ("at t = 10⁴ the population's IPR is 0.0312, at the end "
                                     "(t = 10000) 0.0312")


def planted_field(sites, side=8):
    """Four identical torus fields spread evenly over ``sites`` pixels (IPR 1/sites)."""
    field = torch.zeros(side * side)
    field[:sites] = 1.0
    return field.expand(4, -1)


def test_torus_sentences_follow_the_last_change(planted):
    def trend(change):
        return torus_phrases(dataclasses.replace(planted.torus, last_change=change))["ipr2_trend"]

    assert trend(0.2) == "still rose by 20%: it had not levelled off"
    assert trend(0.01) == "changed by +1% (less than 5%)"
    assert trend(-0.2) == "fell by 20%"
    assert "does not reach" in torus_phrases(planted.torus)["ipr2_paper_time"]  # t = 20
    long = dataclasses.replace(planted.torus, times=planted.torus.times * 500)  # t = 10⁴
    assert torus_phrases(long)["ipr2_paper_time"] == "the time of the paper's value"


def test_sentences_when_the_effect_is_absent(planted):
    flat_rows = [r | {"ipr_nlgp": BASELINE} for r in planted.ring.gain_rows]
    ring = dataclasses.replace(planted.ring, gain_rows=flat_rows, ipr_localised_nlgp=BASELINE)
    assert sweep_phrases(ring)["sweep_nlgp_phrase"] == "0 of 2 gains"
    assert sweep_phrases(ring)["sweep_conclusion"].startswith("The NLGP does not localise")
    assert ring_phrases(ring)["loc_nlgp_sentence"].startswith("less than the 5×")
    assert tiling_sentence({"n_localised": 1, "test": None, "control": None}, "torus") == (
        "On the torus, 1 field(s) localised: too few to test tiling in this run.")
    failing = dataclasses.replace(planted.inputs, covariance_errors={"NLGP_class0": (0.2, 0.1)})
    assert "**FAILED**" in covariance_check_text(failing)
    assert "**passed**" in covariance_check_text(planted.inputs)


def test_tiling_power_beside_the_verdict(planted):
    tiling = planted.tiling
    assert tiling.jitters == (0.1, 0.25) and tiling.n_power_sets == 50
    assert [r["n"] for r in tiling.power["ring"][0.1]] == list(range(2, 9))  # K_tiling = 8
    assert [r["n"] for r in tiling.power["torus"][0.25]] == [4, 9, 16, 25]
    rows = {"ring": {0.1: [{"n": 2, "power": 0.3}, {"n": 3, "power": 0.8},
                           {"n": 4, "power": 0.9}],
                     0.25: [{"n": 2, "power": 0.1}, {"n": 3, "power": 0.2},
                            {"n": 4, "power": 0.5}]},
            "torus": {0.1: [{"n": 9, "power": 0.9}], 0.25: [{"n": 9, "power": 0.4}]}}
    made = dataclasses.replace(tiling, power=rows)
    assert made.fields_needed("ring", 0.1) == 3 and made.fields_needed("ring", 0.25) is None
    assert made.power_at("ring", 0.25) == 0.5  # the planted ring has 4 localised fields
    assert made.power_at("torus", 0.1) is None  # 4 fields: no lattice of 4 simulated here
    text = tiling_power_sentence(made, "ring")
    assert "10% of the spacing: p < 0.05 in at least 80% of the tilings from 3 fields on; " \
           "with this run's 4 fields, in 90%" in text
    assert "25% of the spacing: p < 0.05 in fewer than 80% of the tilings at every size " \
           "simulated; with this run's 4 fields, in 50%" in text
    assert "(50 tilings per size)" not in text and "50 tilings per size" in text
    torus_text = tiling_power_sentence(made, "torus")
    assert "tilings from 9 fields on; with 25%" in torus_text
    # the planted torus has 4 localised fields, fewer than the smallest lattice (9) given here
    assert torus_text.endswith("(this run has 4 localised field(s), fewer than the smallest "
                               "lattice simulated, 9).")


def test_projection_is_shown_only_when_localised_fields_keep_the_non_gaussianity(planted):
    def shown(localised, extended):
        projections = {ONE_PIXEL: (1.0, -2.0), LOCALISED_FIELD: (0.3, localised),
                       EXTENDED_FIELD: (0.03, extended), RANDOM_FIELD: (0.03, -0.05)}
        return projection_shown(dataclasses.replace(planted.mechanism, projections=projections))

    assert shown(-1.0, -0.5)  # half a pixel's; the extended field half of that
    assert not shown(-0.9, -0.1)  # less than half a pixel's
    assert not shown(-1.5, -0.8)  # the extended field keeps more than half


def test_results_record_documents_every_key(planted):
    record = results_record(planted, claims(planted))
    documented = set(re.findall(r"`([A-Za-z0-9_]+)`", RESULT_KEYS))
    assert set(record) <= documented
    assert record["ipr_localised_nlgp"] == pytest.approx(0.5)
    assert record["tiling"]["ring"]["n_localised"] == 4
    assert len(record["claims"]) == 10


def test_figures_return_closed_figures_and_the_explorer_has_every_group(planted):
    plt.close("all")
    for draw in (convolutions.figures.inputs, convolutions.figures.covariance,
                 convolutions.figures.ring_fields, convolutions.figures.torus_fields,
                 convolutions.figures.gain_sweep, convolutions.figures.tiling,
                 convolutions.figures.cnn_comparison, convolutions.figures.mechanism):
        assert isinstance(draw(planted), Figure)
    assert plt.get_fignums() == []  # shown once, as the cell's value
    explorer = convolutions.figures.field_explorer(planted)
    assert explorer.children[0].options == ("NLGP g = 10", "clone g = 10", "NLGP g = 1")
    for table in (convolutions.figures.gain_table, convolutions.figures.projection_table,
                  convolutions.figures.eigenvector_table):
        lines = table(planted).splitlines()
        assert lines[1].startswith("|---") and all(line.count("|") == lines[0].count("|")
                                                   for line in lines)


def test_tables_over_seeds_by_hand():
    from emergence.experiments.convolutions.tables import ring_paper_counts, ring_paper_table

    record = {"baseline": 0.03, "ring_paper": {
        0: {"ipr": 0.25, "clone_max": 0.03, "onsets": [100.0, 300.0]},
        1: {"ipr": 0.12, "clone_max": 0.03, "onsets": [None, 50.0]},
        4: {"ipr": 0.2, "clone_max": 0.09, "onsets": [2000.0, 10.0]}}}
    rows = ring_paper_table(record).splitlines()
    assert rows[2] == "| 0 | choice | 0.250 (8.3×) | 0.030 (1.0×) | 100, 300 |"
    assert rows[3] == "| 1 | choice | 0.120 (4.0×) | 0.030 (1.0×) | 50, — |"
    assert rows[4] == "| 4 | held-out | 0.200 (6.7×) | 0.090 (3.0×) | 10, 2000 |"
    counts = ring_paper_counts(record)
    # seed 0: 0.25 ≥ 5 × 0.03 and the clone 0.03 ≤ 2 × 0.03; seed 1: 0.12 < 0.15; seed 4: the
    # clone 0.09 > 0.06
    assert counts["choice"] == {"n": 2, "holds": 1, "ipr_min": 0.12, "ipr_max": 0.25,
                                "latest_onset": None}
    assert counts["held-out"] == {"n": 1, "holds": 0, "ipr_min": 0.2, "ipr_max": 0.2,
                                  "latest_onset": 2000.0}
    assert seed_phrases(record)["seeds_1d_sentence"] == (
        "At the paper's time the 1D claim holds at 1 of 2 choice seeds (IPR 0.120–0.250; some "
        "neuron never localised) and at 0 of 1 held-out seeds (IPR 0.200–0.200; the last neuron "
        "localised at t = 2000).")
    assert seed_phrases({})["seeds_1d_sentence"] == "No seeds were run."
    assert ring_paper_table({}) == "*No seeds were run.*"


def test_overlap_seed_table_by_hand():
    from emergence.experiments.convolutions.tables import overlap_seed_table

    rows = {0: [{"shape": "bump", "overlap": 0.97}, {"shape": "random", "overlap": 0.3}],
            2: [{"shape": "bump", "overlap": 0.79}, {"shape": "random", "overlap": 0.8}]}
    assert overlap_seed_table(rows).splitlines() == [
        "| shape | seed 0 | seed 2 | ≥ 0.8 |", "|---|---|---|---|",
        "| bump | 0.970 | 0.790 | 1 of 2 |", "| random | 0.300 | 0.800 | 1 of 2 |"]
    assert overlap_seed_table({}) == "*No seeds were run.*"


def test_shape_overlaps_over_seeds_reads_each_seeds_runs(planted, monkeypatch):
    """At the seed of the planted summary, the rows equal the summary's own overlap rows; the
    runs are those of the seed asked for."""
    from emergence.experiments.convolutions import summary as summary_module

    cfg = config_for("smoke")
    runs = planted_runs(cfg)
    asked = []

    def cached(name, cfg_, seed, device):
        asked.append((name, seed))
        return runs[name]

    monkeypatch.setattr(summary_module, "cached_run", cached)
    rows = summary_module.shape_overlaps_over_seeds(cfg, torch.device("cpu"), seeds=(0,))
    assert rows[0] == planted.mechanism.overlap_rows
    assert asked == [("sweep", 0), ("mechanism", 0)]


def test_ring_paper_seeds_summarises_each_seeds_run(monkeypatch):
    """Each seed's row is read off that seed's own run: planted runs whose b₀ = +1 neurons of the
    NLGP network are two-site fields (IPR 1/2) at seed 5 and uniform (IPR 1/D) at seed 6."""
    from emergence.experiments.convolutions import summary as summary_module

    cfg = config_for("smoke")
    D, K = cfg.L1, cfg.K
    signs = torch.tensor([1.0, -1.0] * (K // 2))

    def planted(name, cfg_, seed, device):
        weights = torch.ones(2, 2, K, D)  # (snapshots, network, neuron, site): uniform
        if seed == 5:
            weights[:, 0, signs > 0] = 0.0
            weights[:, 0, signs > 0, :2] = 1.0  # two sites: IPR 1/2
        return {"times": torch.tensor([1.0, 2.0]), "weights": weights,
                "initial_bias_sign": signs, "accuracy": torch.tensor([0.9, 0.5])}

    monkeypatch.setattr(summary_module, "cached_run", planted)
    rows = summary_module.ring_paper_seeds(cfg, torch.device("cpu"), seeds=(5, 6))
    assert rows["baseline"] == pytest.approx(3 / (D + 2))
    assert rows["ring_paper"][5]["ipr"] == pytest.approx(0.5)
    assert rows["ring_paper"][6]["ipr"] == pytest.approx(1 / D)
    assert rows["ring_paper"][5]["clone_max"] == pytest.approx(1 / D)


# ---- each criterion at the values that separate its threshold from its neighbours' ----------


def verdict_of(summary, claim_id):
    return next(c for c in claims(summary) if c.id == claim_id)


def test_ring_sentence_between_flat_and_localised(planted):
    """3× the baseline is above 'flat' (2×) but below 'localised' (5×): not localised."""
    ring = dataclasses.replace(planted.ring, ipr_localised_nlgp=3 * planted.ring.baseline)
    assert ring_phrases(ring)["loc_nlgp_sentence"].startswith("less than the 5×")


def test_the_sweep_counts_a_gain_above_three_times_the_baseline(planted):
    """A gain at 4× the baseline localises in the sweep's sense (> 3×), though not 5×."""
    rows = [r | {"ipr_nlgp": 4 * BASELINE} for r in planted.ring.gain_rows]
    ring = dataclasses.replace(planted.ring, gain_rows=rows)
    assert verdict_of(dataclasses.replace(planted, ring=ring),
                      "gain_sweep_needs_nongaussian").holds is True


def test_the_sweep_needs_the_ipr_to_grow_with_the_gain(planted):
    """Localised, but the IPR falls with the gain (rank correlation −1) or does not follow it
    (0): both below 0.7; exactly 0.7 is enough."""
    for correlation, holds in ((-1.0, False), (0.0, False), (0.7, True)):
        ring = dataclasses.replace(planted.ring, gain_rank_correlation=correlation)
        claim = verdict_of(dataclasses.replace(planted, ring=ring),
                           "gain_sweep_needs_nongaussian")
        assert claim.holds is holds, correlation


def test_tiling_needs_p_below_five_percent(planted):
    for p, holds in ((0.049, True), (0.05, False), (0.07, False)):
        ring = planted.tiling.ring | {"test": planted.tiling.ring["test"] | {"p_value": p}}
        tiling = dataclasses.replace(planted.tiling, ring=ring)
        claim = verdict_of(dataclasses.replace(planted, tiling=tiling), "tiles_ring")
        assert claim.holds is holds, p


def test_no_overlap_is_no_match(planted):
    """Eigenvectors whose overlap with the fields could not be measured do not match them."""
    nlgp = planted.mechanism.nlgp | {"overlap_learned": None}
    mechanism = dataclasses.replace(planted.mechanism, nlgp=nlgp)
    claim = verdict_of(dataclasses.replace(planted, mechanism=mechanism),
                       "kappa4_eigenvectors_match_fields")
    assert claim.holds is False


def test_torus_claim_fails_when_the_initial_weights_are_localised(planted):
    """The initial-weights control at 3× the torus baseline passes, so the claim is not
    reproduced, although the clone stays flat."""
    torus = dataclasses.replace(planted.torus, ipr_initial_nlgp=3 * planted.torus.baseline)
    claim = verdict_of(dataclasses.replace(planted, torus=torus), "torus_localises_2d")
    assert claim.verdict == NOT_REPRODUCED and "initial weights" in claim.reason


def test_covariance_keys_read_as_words_on_the_ticks():
    from emergence.experiments.convolutions.figures import tick_label

    assert tick_label("NLGP_class0") == "NLGP\nclass 0"
    assert tick_label("clone_class1") == "clone\nclass 1"


def test_no_claim_names_another_by_its_internal_id(planted):
    assert_no_internal_ids(claims(planted))
