"""Chapter 3's results file, ``mirror_symmetry.json``: :func:`results_record` builds it from the
run's summary and claims; :data:`RESULT_KEYS` documents its keys (rendered on the scorecard
page)."""

from __future__ import annotations

from emergence.analysis.mirror import TRANSFORMS
from emergence.claims import Claim
from emergence.experiments.mirror.config import CONV, LAST
from emergence.experiments.mirror.summary import MirrorSummary

RESULT_KEYS = """\
- `msvt`: MSVT index per network (`trained`, `untrained`), layer (`pixels`, conv, pool and fc
  layers) and family (`one_plane`, `head`, `asymmetric` = no plane, `two_plane`, `radial`):
  `mean`, `sem` and `n` over the exemplars (§3); `msvt_heldout_face`: the head at the last
  layer.
- `equivariance`, `equivariance_untrained`: per conv layer and transform (`hflip`, `vflip`,
  `rot90`) the `median` (the authors' statistic) and `mean` over images, and the invariance of
  the plain spatial mean of conv4 (`gap`), trained and untrained; `equivariance_margin`: per
  conv layer, the hflip margin (median and mean) of the trained and the untrained network,
  the margins of the random networks (`random_networks`: each `margins`, their `mean`, `sd`,
  `n`, `positive`), `bound` (mean + 2 SD), `learned` and `present_at_initialisation`;
  `equivariance_conv1`, `init_alignment`, `image_autocorrelation_shift2`: the conv1 and
  stimulus facts of §5.
- `filter_symmetry`: mean left–right filter symmetry (the authors' definition), trained and
  untrained, per layer, and the top–bottom control; `pooling_sweep`: per network, window
  size (conv4 positions) and family, the index of the pooled conv4 maps (mean, sem), with
  `receptive_field` (pixels) per window (§6); `gap_vs_fc`: full pooling beside fc1;
  `manipulation`: the three networks of §7 (and, when they were used, the CIFAR-10
  network, under `reference`; `training_source` says which training sets were used);
  `ordinary_decay`: the control of §3 — its `weight_decay`, `test_accuracy`, `msvt` (as
  `msvt`; `untrained` is the same network), the three headline `checks`, beside those of the
  strong decay (`checks_strong_decay`).
- `test_accuracy`, `chance_accuracy`, `mirror_render_error` (§1), `n_per_family`, `checks`
  (the booleans of the criteria) and `stage_seconds` (the time per stage: the runs, then each
  stage of the summary).
- `claims`: one record per claim: `id` (stable across seeds), `claim`, `paper`, `source` (where
  the paper's value comes from), `setting` (as in the paper, or the departure), `ours`, `value`
  (the headline number), `criterion`, `holds`, `controls` (each `name`, `value`, `passes`),
  `no_control` (why there is none), `beyond_paper`, and the computed `verdict` and `reason`.
"""

HEADLINE_KEYS = ("conv_low", "one_plane_fc_high", "head_fc_high")


def data_description(summary: MirrorSummary) -> str:
    """The results file's ``data``: which data the numbers came from."""
    cfg = summary.cfg
    return (f"rendered procedural objects: {cfg.n_categories} one-plane training categories, "
            f"{cfg.n_test} test exemplars per family, {summary.n_views} views")


def results_record(summary: MirrorSummary, claims: list[Claim]) -> dict:
    """The chapter's headline numbers (keys: :data:`RESULT_KEYS`)."""
    cfg = summary.cfg
    nested, pooling = summary.msvt.nested(), summary.pooling.nested()
    return {
        "msvt": {net: nested[net] for net in ("trained", "untrained")},
        "msvt_heldout_face": {"trained": nested["trained"][LAST]["head"],
                              "untrained": nested["untrained"][LAST]["head"], "layer": LAST},
        **{key: {layer: {name: summary.equivariance[net][name][layer] for name in TRANSFORMS}
                 for layer in (*CONV, "gap")}
           for key, net in (("equivariance", "trained"), ("equivariance_untrained",
                                                          "untrained"))},
        "equivariance_margin": {layer: {
            "trained": summary.margins["trained"][layer],
            "untrained": summary.margins["untrained"][layer],
            "random_networks": {k: v for k, v in summary.random_margins[layer].items()
                                if k != "bound"},
            "bound": summary.random_margins[layer]["bound"], "learned": layer in summary.learned,
            "present_at_initialisation": layer in summary.at_initialisation} for layer in CONV},
        "equivariance_conv1": {"median_filter_norm": summary.conv1_norm,
                               "silent_channels": summary.silent["strong"],
                               "filter_symmetry": summary.conv1_symmetry},
        "init_alignment": summary.alignment,
        "image_autocorrelation_shift2": summary.autocorrelation,
        "filter_symmetry": {"trained": summary.filter_mean["trained"],
                            "untrained": summary.filter_mean["untrained"],
                            "per_layer": summary.filter_stats,
                            "top_bottom": summary.filter_mean_top_bottom},
        "pooling_sweep": {"layer": "conv4", "receptive_field": summary.receptive_fields, **pooling},
        "gap_vs_fc": {net: {"gap": pooling[net][summary.map_size], "fc1": nested[net]["fc1"],
                            "hflip_invariance_gap": summary.equivariance[net]["hflip"]["gap"]}
                      for net in ("trained", "untrained")},
        "manipulation": summary.manipulation,
        "ordinary_decay": {
            "weight_decay": cfg.ordinary_decay, "scale_free_decay": cfg.ordinary_decay,
            "strong_decay": {"weight_decay": cfg.weight_decay,
                             "scale_free_decay": cfg.scale_free_decay},
            "test_accuracy": summary.accuracies["ordinary"],
            "msvt": {"trained": nested["ordinary"], "untrained": nested["untrained"]},
            "checks": {k: summary.headlines["ordinary"][k] for k in HEADLINE_KEYS},
            "checks_strong_decay": {k: summary.headlines["strong"][k] for k in HEADLINE_KEYS},
            "silent_conv1_channels": summary.silent["ordinary"]},
        "test_accuracy": summary.test_accuracy,
        "chance_accuracy": summary.chance,
        "mirror_render_error": summary.render_error,
        "checks": summary.checks,
        "n_per_family": cfg.n_test,
        "stage_seconds": summary.stage_seconds,
        "claims": [c.to_dict() for c in claims],
    }
