"""Chapter 3's results file, ``mirror_symmetry.json``: :func:`results_record` builds it from the
run's summary and claims; :data:`RESULT_KEYS` documents its keys (rendered on the scorecard
page)."""

from __future__ import annotations

import dataclasses

from emergence.analysis.mirror import TRANSFORMS
from emergence.claims import Claim
from emergence.experiments.mirror.config import CONV, LAST
from emergence.experiments.mirror.measures import receptive_field
from emergence.experiments.mirror.summary import MirrorSummary

RESULT_KEYS = """\
- `msvt`: MSVT index per network (`trained`: the authors' recipe; `strong_decay`: our departure;
  `untrained`: their common start), layer (`pixels`, conv, pool and fc layers, `gap`: pool2
  z-scored then averaged over positions, `gap_conv4`: the same for conv4) and family
  (`one_plane`, `head`, `asymmetric` = no plane, `two_plane`, `radial`): `mean`, `sem` and `n`
  over the exemplars (§3); `msvt_heldout_face`: the head at the last layer.
- `authors_test`: per trained network, layer and family, the two-sided rank-sum test of its
  per-object indices against the untrained network's: `p`, `q` (Benjamini–Yekutieli over every
  layer × family), `significant`, `greater` (trained median above untrained).
- `recipes`: each recipe's settings, `test_accuracy`, and the `holds` of each claim about the
  network of §2 (`claims_by_recipe`).
- `equivariance`, `equivariance_untrained`: per conv layer and transform (`hflip`, `vflip`,
  `rot90`) the `median` (the authors' statistic) and `mean` over images, and the invariance of
  the plain spatial mean of pool2 (`gap`), trained and untrained; `equivariance_margin`: per
  conv layer, the hflip margin (median and mean) of every network (`no_symmetry-r`: the
  networks of §7 trained without symmetric categories), the margins of the random networks
  (`random_networks`: each `margins`, their `mean`, `sd`, `n`, `positive`), `bound` (mean + 2
  SD), `beyond_bound` (per network) and `present_at_initialisation`; `equivariance_conv1`,
  `init_alignment`, `image_autocorrelation_shift2`: the conv1 and stimulus facts of §5.
- `filter_symmetry`: per network and conv layer, the left–right and top–bottom rise of filter
  symmetry over the network's own start (`rise_lr`, `rise_tb`), their `difference` and its
  bootstrap interval (`low`, `high`), and `holds`; `per_layer_left_right`: mean ± SEM over
  filters. `pooling_sweep`, `pooling_sweep_conv4`: per network, window size and family, the
  index of the pooled pool2 (conv4) maps, with `receptive_field` (pixels) per window (§6).
- `manipulation`: per arm (`reference`, `none`, `same_class`, `new_class`) one record per
  replicate network (`test_accuracy`, `n_classes`, `n_images`, `msvt` at fc1 and fc2,
  `filter_symmetry`); `manipulation_comparisons`: each comparison per family and fc layer
  (`difference`, `se`, `z`, `holds`); `training_source`, `natural`, `notice`.
- `test_accuracy`, `chance_accuracy`, `mirror_render_error` (§1), `n_per_family`, `checks`
  (the booleans of the criteria) and `stage_seconds` (the time per stage: the runs, then each
  stage of the summary).
- `claims`: one record per claim: `id` (stable across seeds), `claim`, `paper`, `source` (where
  the paper's value comes from), `setting` (as in the paper, or the departure), `ours`, `value`
  (the headline number), `criterion`, `holds`, `controls` (each `name`, `value`, `passes`),
  `no_control` (why there is none), `beyond_paper`, and the computed `verdict` and `reason`.
"""

#: The results file's names of the networks of §2.
FILE_NAMES = {"trained": "trained", "strong": "strong_decay", "untrained": "untrained"}


def data_description(summary: MirrorSummary) -> str:
    """The results file's ``data``: which data the numbers came from."""
    cfg = summary.cfg
    return (f"rendered procedural objects: {cfg.n_categories} one-plane training categories, "
            f"{cfg.n_test} test exemplars per family, {summary.n_views} views")


def test_record(tests: dict) -> dict:
    """The authors' test as ``layer → family → result``."""
    out: dict = {}
    for (layer, family), result in tests.items():
        out.setdefault(layer, {})[family] = result
    return out


def results_record(summary: MirrorSummary, claims: list[Claim],
                   strong_claims: list[Claim] | None = None) -> dict:
    """The chapter's headline numbers (keys: :data:`RESULT_KEYS`); ``strong_claims``: the
    claims about the network of §2 trained with the strong decay."""
    cfg = summary.cfg
    nested = summary.msvt.nested()
    recipes = {"authors": {"settings": dataclasses.asdict(cfg.authors),
                           "test_accuracy": summary.test_accuracy,
                           "claims_by_recipe": {c.id: c.holds for c in claims}},
               "strong_decay": {"settings": dataclasses.asdict(cfg.strong_decay),
                                "test_accuracy": summary.accuracies["strong"],
                                "claims_by_recipe": {c.id: c.holds
                                                     for c in strong_claims or []}}}
    return {
        "msvt": {FILE_NAMES[net]: nested[net] for net in FILE_NAMES},
        "msvt_heldout_face": {"trained": nested["trained"][LAST]["head"],
                              "untrained": nested["untrained"][LAST]["head"], "layer": LAST},
        "authors_test": {FILE_NAMES[net]: test_record(tests)
                         for net, tests in summary.authors_test.items()},
        "recipes": recipes,
        **{key: {layer: {name: summary.equivariance[net][name][layer] for name in TRANSFORMS}
                 for layer in (*CONV, "gap")}
           for key, net in (("equivariance", "trained"), ("equivariance_untrained",
                                                          "untrained"))},
        "equivariance_margin": {layer: {
            "networks": {FILE_NAMES.get(net, net): margins[layer]
                         for net, margins in summary.margins.items()},
            "random_networks": {k: v for k, v in summary.random_margins[layer].items()
                                if k != "bound"},
            "bound": summary.random_margins[layer]["bound"],
            "beyond_bound": {FILE_NAMES.get(net, net): layer in beyond
                             for net, beyond in summary.beyond_random.items()},
            "present_at_initialisation": layer in summary.at_initialisation} for layer in CONV},
        "equivariance_conv1": {"median_filter_norm": summary.conv1_norm,
                               "silent_channels": summary.silent,
                               "filter_symmetry": summary.conv1_symmetry},
        "init_alignment": summary.alignment,
        "image_autocorrelation_shift2": summary.autocorrelation,
        "filter_symmetry": {FILE_NAMES.get(net, net): rises
                            for net, rises in summary.filter_rise.items()}
        | {"per_layer_left_right": summary.filter_stats},
        "pooling_sweep": {"layer": "pool2", "receptive_field": {
            k: receptive_field(k) for k in range(1, summary.map_size + 1)},
            **summary.pooling.nested()},
        "pooling_sweep_conv4": {"layer": "conv4", **summary.pooling_conv4.nested()},
        "manipulation": summary.manipulation,
        "manipulation_comparisons": summary.comparisons,
        "training_source": "CIFAR-10 and SVHN (the paper's Fig. 4 sets), grey" if summary.natural
                           else "procedural",
        "natural": summary.natural, "notice": summary.notice,
        "test_accuracy": summary.test_accuracy,
        "chance_accuracy": summary.chance,
        "mirror_render_error": summary.render_error,
        "checks": summary.checks,
        "n_per_family": cfg.n_test,
        "stage_seconds": summary.stage_seconds,
        "claims": [c.to_dict() for c in claims],
    }
