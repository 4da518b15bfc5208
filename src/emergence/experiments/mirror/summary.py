"""One summary of a Chapter 3 run: every measurement of the page, computed once.

:func:`summarise` takes the runs (:mod:`emergence.experiments.mirror.runs`: the test stimuli,
the network of §2 trained by the authors' recipe and by our strong-decay recipe, the arms of the
manipulation) and measures them; the page's figures and tables, the numbers in its prose, the
claims and the results file all read the :class:`MirrorSummary` it returns. The networks:
``trained`` (the authors' recipe, the paper's setting), ``strong`` (strong weight decay, our
departure) and ``untrained`` (their common start). The statistics:

* MSVT index (:func:`emergence.analysis.mirror.msvt_index`) per network, layer and family, mean
  ± SEM over the exemplars (``msvt``); the **conv peak** of a network and family — the largest
  mean over the pixels, conv and pool layers, :math:`\\max_{l \\in \\text{conv, pool}} \\bar
  I_l` — once, in ``conv_peaks``;
* **the authors' test** per trained network (``authors_test``): a two-sided rank-sum test of its
  per-object indices against the untrained network's per layer and family, Benjamini–Yekutieli
  FDR over all of them (:func:`emergence.analysis.mirror_stats.rank_sum_fdr`);
* per network the **headline** criteria: conv peak of the one-plane objects and the head
  < CONV_LOW, and at fc1 and fc2 both the authors' test (a significant rise) and a mean
  > FC_HIGH (:func:`fc_high`);
* equivariance ρ(f(x), T⁻¹f(Tx)) per conv layer and transform (median and mean over images),
  the **hflip margin** (median hflip minus the larger median of vflip and rot90) against
  ``n_random`` random networks (bound: their mean + 2 SD) and against the networks trained
  without symmetric categories; the **filter-symmetry rise** left–right against top–bottom per
  conv layer with a bootstrap interval over filters
  (:func:`emergence.analysis.mirror_stats.symmetry_rise_difference`);
* the index of pool2 (the analogue of the authors' pool5) and of conv4 pooled over k × k
  windows (the authors' pooling), k = 1 … map size;
* the manipulation arms' index at fc1 and fc2 per replicate network, and each comparison of two
  arms against their spread over the replicates
  (:func:`~emergence.analysis.mirror_stats.beyond_spread`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch

from emergence.analysis.mirror import (
    dissimilarity,
    mean_sem,
    median_mean,
    pixel_autocorrelation,
    pooled_responses,
    silent_channels,
    zscore_units,
)
from emergence.analysis.mirror_stats import beyond_spread, rank_sum_fdr, symmetry_rise_difference
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror.config import (
    ALL_LAYERS,
    CONV,
    CONV_AND_POOL,
    CONV_LOW,
    EXPLORE_LAYERS,
    FC,
    FC_HIGH,
    FDR_Q,
    LAST,
    NO_PLANE,
    SYMMETRIC,
    MirrorConfig,
)
from emergence.experiments.mirror.measures import (
    equivariance_images,
    equivariance_values,
    explorer_objects,
    filter_symmetries,
    init_alignment,
    layer_indices,
    manipulation_record,
    margin_of,
    median_filter_norm,
    mirror_errors,
    pooling_sweep,
    random_margins,
    stimulus_responses,
)
from emergence.experiments.mirror.runs import load
from emergence.experiments.mirror.tables import StatTable, family_members, msvt_table
from emergence.models.mirrorcnn import LAYERS
from emergence.profiles import make_generator

#: The networks of §2–§6: the authors' recipe, our strong decay, and their common start.
TRAINED = ("trained", "strong")
NETWORK_OF_RECIPE = {"authors": "trained", "strong_decay": "strong"}
#: How the page names the training sets of the manipulation (§7): procedural, or the paper's.
PROCEDURAL_NAMES = {"reference": "one-plane categories", "none": "asymmetric only",
                    "same_class": "asymmetric, half mirrored, same class",
                    "new_class": "asymmetric, half mirrored as new classes"}
NATURAL_NAMES = {"reference": "CIFAR-10", "none": "SVHN",
                 "same_class": "SVHN, half mirrored, same label",
                 "new_class": "SVHN, mirrored half as new classes"}
#: The manipulation's comparisons: (first arm, second arm), the claim being that the second is
#: higher than the first beyond their spread over the replicates.
COMPARISONS = {"absent_lowers": ("none", "reference"), "same_class_raises": ("none", "same_class"),
               "new_class_lowers": ("new_class", "same_class")}


class Stopwatch:
    """Seconds per stage: :meth:`lap` records the time since the previous lap."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + now - self._last, 1)
        self._last = now


def stage_text(seconds: dict[str, float]) -> str:
    """``stage 12 s, other 3 s``."""
    return ", ".join(f"{stage} {s:.0f} s" for stage, s in seconds.items())


def family_conv_peaks(table: StatTable, network: str) -> dict[str, float]:
    """Per family, the **conv peak** of ``network``: its largest mean index over the pixels,
    conv and pool layers (CONV_AND_POOL), :math:`\\max_l \\bar I_l`."""
    return {f: max(table.mean(network, layer, f) for layer in CONV_AND_POOL) for f in FAMILIES}


def fc_high(table: StatTable, tests: dict, network: str, family: str) -> dict:
    """Is ``family`` high at the fc layers of ``network``? ``test``: at fc1 and fc2 the authors'
    test finds a significant rise over the untrained network (``tests[(layer, family)]``
    significant, trained median above untrained); ``threshold``: at both, the mean exceeds
    FC_HIGH (our reading of the paper's Fig. 2C); ``holds``: both."""
    test = all(tests[layer, family]["significant"] and tests[layer, family]["greater"]
               for layer in FC)
    threshold = all(table.mean(network, layer, family) > FC_HIGH for layer in FC)
    return {"test": test, "threshold": threshold, "holds": test and threshold}


def headline(table: StatTable, tests: dict, network: str,
             peaks: dict[str, float] | None = None) -> dict:
    """The headline criteria of a trained ``network``: ``conv_low`` (its conv peak over the
    one-plane objects and the head < CONV_LOW), ``one_plane_fc_high`` and ``head_fc_high``
    (:func:`fc_high`), with the numbers (``conv_peak``; ``one_plane``, ``head``: the means at
    the last layer). ``tests``: the network's authors' test; ``peaks``: its
    :func:`family_conv_peaks`, when already computed."""
    peaks = family_conv_peaks(table, network) if peaks is None else peaks
    conv_peak = max(peaks[f] for f in SYMMETRIC)
    one_plane, head = (table.mean(network, LAST, f) for f in SYMMETRIC)
    return {"conv_peak": conv_peak, "one_plane": one_plane, "head": head,
            "conv_low": conv_peak < CONV_LOW,
            **{f"{f}_fc_high": fc_high(table, tests, network, f)["holds"] for f in SYMMETRIC}}


def authors_test(index: dict[str, dict[str, torch.Tensor]], network: str,
                 family_of: torch.Tensor) -> dict:
    """The authors' test of ``network`` (figure2C_S2.m): per layer of LAYERS and family, the
    rank-sum test of its per-object indices against the untrained network's, BY-FDR over all
    of them at FDR_Q. Keys ``(layer, family)``."""
    members = family_members(family_of)
    keys = [(layer, f) for layer in LAYERS for f in FAMILIES]
    return rank_sum_fdr({k: index[network][k[0]][members[k[1]]] for k in keys},
                        {k: index["untrained"][k[0]][members[k[1]]] for k in keys}, q=FDR_Q)


def filter_rises(lr: dict, tb: dict, network: str, start: str, n_boot: int,
                 generator: torch.Generator) -> dict:
    """Per conv layer, the left–right against the top–bottom rise of ``network``'s filters over
    those of ``start`` (its own initial filters), with a bootstrap interval
    (:func:`~emergence.analysis.mirror_stats.symmetry_rise_difference`)."""
    return {layer: symmetry_rise_difference(lr[network][layer], lr[start][layer],
                                            tb[network][layer], tb[start][layer], n_boot,
                                            generator) for layer in CONV}


def finite(value: float) -> float:
    """``value``, checked to be a finite number (for numbers stated on the page)."""
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number.")
    return value


@dataclass(frozen=True)
class MirrorSummary:
    """Every measurement of one Chapter 3 run (module docstring); networks are named
    ``trained`` (the authors' recipe), ``strong`` (strong decay) and ``untrained``."""

    cfg: MirrorConfig
    seed: int
    # §1: the test stimuli
    images: torch.Tensor
    family_of: torch.Tensor
    yaws: torch.Tensor
    render_error: dict
    # §2: training (per trained network)
    accuracies: dict  # network → test accuracy; "untrained": chance
    n_classes: int
    n_train_images: int
    losses: dict  # network → loss per step
    examples: torch.Tensor
    example_labels: torch.Tensor
    # §3, §4: the index, the authors' test, the headline criteria
    msvt: StatTable
    authors_test: dict  # trained network → (layer, family) → rank-sum and FDR result
    conv_peaks: dict  # network → family → largest mean over the pixels, conv and pool layers
    headlines: dict  # network → headline
    silent: dict  # network → silent conv1 channels
    # §5: equivariance and filters
    n_equivariance_images: int
    equivariance: dict  # network → transform → layer (conv and "gap") → {median, mean, n}
    margins: dict  # network (and "no_symmetry-r") → conv layer → {median, mean}
    random_margins: dict  # conv layer → {margins, mean, sd, n, positive, bound}
    beyond_random: dict  # network → conv layers whose margin exceeds the random bound
    at_initialisation: tuple[str, ...]
    filter_stats: dict  # network → layer → {mean, sem, n} over filters, left–right
    filter_rise: dict  # network (and "no_symmetry-r") → conv layer → rise comparison
    conv1_symmetry: dict
    conv1_norm: dict
    alignment: dict  # network → layer → cosine to its initial weights
    autocorrelation: dict
    # §6: pooling
    pooling: StatTable  # network × window × family, pool2
    pooling_conv4: StatTable  # the same for conv4, before the max-pooling
    map_size: int  # of pool2
    # §7: the manipulation
    manipulation: dict  # arm → list of replicate records
    comparisons: dict  # name of COMPARISONS → family → layer → beyond_spread result
    names: dict
    natural: bool
    notice: str
    # §8
    explorer_objects: tuple[int, ...]
    explorer_groups: tuple[dict, ...]
    stage_seconds: dict

    @property
    def n_views(self) -> int:
        return self.images.shape[1]

    @property
    def test_accuracy(self) -> float:
        """The test accuracy of the network trained by the authors' recipe."""
        return self.accuracies["trained"]

    @property
    def chance(self) -> float:
        return self.accuracies["untrained"]

    def conv_peak(self, network: str, families=SYMMETRIC) -> float:
        """The largest conv peak of ``network`` over ``families``."""
        return max(self.conv_peaks[network][f] for f in families)

    def index(self, network: str, family: str, layer: str = LAST) -> float:
        """The mean MSVT index of ``family`` at ``layer``."""
        return self.msvt.mean(network, layer, family)

    def fc_high(self, network: str, family: str) -> dict:
        """:func:`fc_high` of a trained ``network`` and ``family``."""
        return fc_high(self.msvt, self.authors_test[network], network, family)

    def full_pool(self, network: str, family: str) -> float:
        """The index of pool2 pooled over the whole map (global average pooling)."""
        return self.pooling.mean(network, self.map_size, family)

    def one_position(self, network: str, family: str) -> float:
        """The index of pool2 'pooled' over one position."""
        return self.pooling.mean(network, 1, family)

    def pooling_holds(self, network: str, family: str) -> bool:
        """Full pooling of pool2 gives a mean above FC_HIGH and above one position's."""
        full = self.full_pool(network, family)
        return full > FC_HIGH and full > self.one_position(network, family)

    @cached_property
    def control_max(self) -> float:
        """The largest mean of the families without a plane, any layer, trained or untrained."""
        return max(self.index(net, f, layer) for net in ("trained", "untrained")
                   for layer in ALL_LAYERS for f in NO_PLANE)

    @cached_property
    def two_plane_low(self) -> dict[str, float]:
        """Per network, the two-plane objects' lowest mean over the layers."""
        return {net: min(self.index(net, "two_plane", layer) for layer in ALL_LAYERS)
                for net in ("trained", "untrained")}

    @property
    def no_symmetry(self) -> tuple[str, ...]:
        """The names of the networks trained without symmetric categories (the "none" arm's
        replicates) in ``margins`` and ``filter_rise``."""
        return tuple(f"no_symmetry-{r}" for r in range(len(self.manipulation["none"])))

    def learned_everywhere(self, network: str) -> bool:
        """The hflip margin of ``network`` exceeds the random bound in every conv layer."""
        return len(self.beyond_random[network]) == len(CONV)

    def filters_hold(self, network: str) -> bool:
        """In every conv layer the left–right rise exceeds the top–bottom rise beyond the
        bootstrap interval."""
        return all(self.filter_rise[network][layer]["holds"] for layer in CONV)

    def arm_indices(self, arm: str, family: str, layer: str = LAST) -> list[float]:
        """The mean index of ``family`` at ``layer`` of each replicate network of ``arm``."""
        return [record["msvt"][layer][family]["mean"] for record in self.manipulation[arm]]

    def arm_mean(self, arm: str, family: str, layer: str = LAST) -> float:
        return float(np.mean(self.arm_indices(arm, family, layer)))

    def comparison_holds(self, name: str) -> bool:
        """The comparison ``name`` (COMPARISONS) holds at the last layer for both symmetric
        families."""
        return all(self.comparisons[name][f][LAST]["holds"] for f in SYMMETRIC)

    @cached_property
    def checks(self) -> dict[str, bool]:
        """The criteria of the chapter's claims (the results file's ``checks``)."""
        main = self.headlines["trained"]
        return {
            "low_conv": main["conv_low"],
            "high_fc": main["one_plane_fc_high"] and main["head_fc_high"],
            "controls_low": self.control_max < CONV_LOW,
            "two_plane_high": min(self.two_plane_low.values()) > FC_HIGH,
            "hflip_margin_learned_everywhere": self.learned_everywhere("trained"),
            "filters_left_right_beyond_top_bottom": self.filters_hold("trained"),
            "pooling_gives_msvt": all(self.pooling_holds("trained", f) for f in SYMMETRIC),
            **{f"manipulation_{name}": self.comparison_holds(name) for name in COMPARISONS}}


def explorer_dissimilarities(responses: dict[str, torch.Tensor], layer: str) -> np.ndarray:
    """Per object, the view × view dissimilarities the index of ``layer`` is computed from (for
    ``gap``: the z-scored, then globally averaged pool2 maps, §6)."""
    z = (pooled_responses(responses["pool2"], responses["pool2"].shape[-1]) if layer == "gap"
         else zscore_units(responses[layer].flatten(2)))
    return dissimilarity(z).numpy()


def arm_comparisons(manipulation: dict) -> dict:
    """Each of COMPARISONS per symmetric family and fc layer: ``beyond_spread`` of the first
    arm's replicate means against the second's."""
    def means(arm, f, layer):
        return [r["msvt"][layer][f]["mean"] for r in manipulation[arm]]
    return {name: {f: {layer: beyond_spread(means(first, f, layer), means(second, f, layer))
                       for layer in FC} for f in SYMMETRIC}
            for name, (first, second) in COMPARISONS.items()}


def summarise(cfg: MirrorConfig, seed: int, stimuli: dict, networks: dict, manipulation: dict,
              runs_seconds: float = 0.0) -> MirrorSummary:
    """Measure the runs (:func:`~emergence.experiments.mirror.runs.test_stimuli`,
    :func:`~emergence.experiments.mirror.runs.main_networks`,
    :func:`~emergence.experiments.mirror.runs.manipulation_networks`) once for the whole page;
    ``runs_seconds``: the time the runs took, kept with the summary's own stages. Stops if the
    renderer's mirror symmetry fails or the two main networks do not share their start."""
    clock = Stopwatch()
    images, family_of, yaws = stimuli["images"], stimuli["family"], stimuli["yaws"]
    render_error = mirror_errors(images, family_of)
    if not render_error["max_symmetric"] < 1e-3 < render_error["min_asymmetric"]:
        raise RuntimeError(f"renderer mirror symmetry check failed: {render_error}")
    runs = {NETWORK_OF_RECIPE[name]: run for name, run in networks.items()}
    main = runs["trained"]
    if not all(torch.equal(runs["strong"]["untrained"][k], main["untrained"][k])
               for k in main["untrained"]):
        raise RuntimeError("the two recipes' networks must start from the same initial weights.")
    models = {net: load(run) for net, run in runs.items()} | {"untrained": load(main, "untrained")}
    accuracies = {net: float(run["test_accuracy"]) for net, run in runs.items()}
    accuracies["untrained"] = 1 / main["n_classes"]

    # §3: responses and MSVT of every layer; the authors' test; the headline criteria
    responses = {net: stimulus_responses(model, images) for net, model in models.items()}
    index = {net: layer_indices(r) for net, r in responses.items()}  # per object; and "gap"
    msvt = msvt_table(index, family_of, (*ALL_LAYERS, "gap", "gap_conv4"))
    tests = {net: authors_test(index, net, family_of) for net in TRAINED}
    conv_peaks = {net: family_conv_peaks(msvt, net) for net in models}
    headlines = {net: headline(msvt, tests[net], net, conv_peaks[net]) for net in TRAINED}
    silent = {net: silent_channels(responses[net]["conv1"]) for net in models}
    clock.lap("MSVT per layer")

    # §5: equivariance against random networks and the no-symmetry networks; filter symmetry
    eq_images = equivariance_images(images, cfg.n_equivariance)  # all views, a few objects
    no_symmetry = {f"no_symmetry-{r}": run
                   for r, run in enumerate(manipulation["networks"]["none"])}
    eq_models = models | {name: load(run) for name, run in no_symmetry.items()}
    eq_values = {net: equivariance_values(model, eq_images) for net, model in eq_models.items()}
    equivariance = {net: {name: {layer: median_mean(v) for layer, v in per.items()}
                          for name, per in eq_values[net].items()} for net in models}
    margins = {net: {layer: margin_of(eq_values[net], layer) for layer in CONV}
               for net in eq_values}
    random_networks = random_margins(main["n_classes"], eq_images, seed, cfg.n_random)
    beyond = {net: tuple(layer for layer in CONV
                         if margins[net][layer]["median"] > random_networks[layer]["bound"])
              for net in margins}
    starts = {name: load(run, "untrained") for name, run in no_symmetry.items()}
    lr = {net: filter_symmetries(m) for net, m in (eq_models | {f"{k}-start": m for k, m in
                                                               starts.items()}).items()}
    tb = {net: filter_symmetries(m, top_bottom=True)
          for net, m in (eq_models | {f"{k}-start": m for k, m in starts.items()}).items()}
    bootstrap = make_generator(seed, "filter-bootstrap")
    filter_rise = {net: filter_rises(lr, tb, net, "untrained", cfg.n_bootstrap, bootstrap)
                   for net in TRAINED}
    filter_rise |= {name: filter_rises(lr, tb, name, f"{name}-start", cfg.n_bootstrap, bootstrap)
                    for name in no_symmetry}
    clock.lap("equivariance and filters")

    # §6: pool2 and conv4 pooled over growing windows
    pooling = pooling_sweep({net: responses[net]["pool2"] for net in models}, family_of)
    pooling_conv4 = pooling_sweep({net: responses[net]["conv4"] for net in models}, family_of)
    map_size = responses["trained"]["pool2"].shape[-1]
    clock.lap("pooling")

    # §7: the manipulation arms, each over its replicates
    arms = {arm: [manipulation_record(run, images, family_of) for run in replicates]
            for arm, replicates in manipulation["networks"].items()}
    natural = manipulation["natural"]
    clock.lap("manipulation")

    # §8: the explorer's dissimilarity matrices
    chosen = explorer_objects(family_of, cfg.n_explore)
    groups = tuple(
        {"label": layer + ("" if net == "trained" else f" ({net})"),
         "dissimilarities": explorer_dissimilarities(responses[net], layer),
         "index": index[net][layer]}
        for layer, net in EXPLORE_LAYERS[-cfg.explore_groups:])
    clock.lap("explorer")

    return MirrorSummary(
        cfg=cfg, seed=seed, images=images, family_of=family_of, yaws=yaws,
        render_error=render_error, accuracies=accuracies, n_classes=main["n_classes"],
        n_train_images=main["n_images"], losses={net: run["loss"] for net, run in runs.items()},
        examples=main["examples"], example_labels=main["example_labels"], msvt=msvt,
        authors_test=tests, conv_peaks=conv_peaks, headlines=headlines, silent=silent,
        n_equivariance_images=len(eq_images), equivariance=equivariance, margins=margins,
        random_margins=random_networks, beyond_random=beyond,
        at_initialisation=tuple(layer for layer in CONV if random_networks[layer]["positive"]
                                >= 0.9 * random_networks[layer]["n"]),
        filter_stats={net: {layer: mean_sem(v) for layer, v in lr[net].items()}
                      for net in models},
        filter_rise=filter_rise,
        conv1_symmetry={net: {"left_right": float(lr[net]["conv1"].mean()),
                              "top_bottom": float(tb[net]["conv1"].mean())} for net in models},
        conv1_norm={net: median_filter_norm(model) for net, model in models.items()},
        alignment={net: init_alignment(models[net], models["untrained"]) for net in TRAINED},
        autocorrelation={name: pixel_autocorrelation(eq_images[:, 0].double(), 2, axis)
                         for name, axis in (("horizontal", -1), ("vertical", -2))},
        pooling=pooling, pooling_conv4=pooling_conv4, map_size=map_size,
        manipulation=arms, comparisons=arm_comparisons(arms),
        names=NATURAL_NAMES if natural else PROCEDURAL_NAMES, natural=natural,
        notice=manipulation["notice"],
        explorer_objects=tuple(chosen), explorer_groups=groups,
        stage_seconds={"rendering and training (or the cache)": round(runs_seconds, 1)}
        | clock.seconds)


def family_counts(summary: MirrorSummary) -> dict[str, int]:
    """Test objects per family."""
    return {f: len(m) for f, m in family_members(summary.family_of).items()}


def prose_numbers(summary: MirrorSummary) -> dict:
    """The numbers the page's prose states (glued by name); sentences that depend on them come
    from :func:`emergence.experiments.mirror.claims.sentences`."""
    cfg = summary.cfg
    counts = family_counts(summary)
    new_class = summary.manipulation["new_class"]
    numbers = {
        # §1, §2
        "n_symmetric": sum(counts[f] for f in ("one_plane", "head", "two_plane")),
        "mirror_error_max": summary.render_error["max_symmetric"],
        "mirror_error_min": summary.render_error["min_asymmetric"],
        "test_accuracy": summary.test_accuracy, "strong_accuracy": summary.accuracies["strong"],
        "chance": summary.chance, "n_classes": summary.n_classes,
        "n_train_images": summary.n_train_images,
        "authors_epochs": cfg.authors.epochs, "authors_batch": cfg.authors.batch,
        # §3, §4
        **{f"conv_max_{name}": max(summary.conv_peaks[net][f] for net in ("trained", "untrained"))
           for name, f in (("one", "one_plane"), ("head", "head"))},
        "last": LAST, "control_max": summary.control_max,
        "two_plane_trained": summary.two_plane_low["trained"],
        "two_plane_untrained": summary.two_plane_low["untrained"],
        "two_plane_pixels": summary.msvt.text("trained", "pixels", "two_plane"),
        "head_pixels": summary.index("trained", "head", "pixels"),
        # §5
        "n_equivariance_objects": summary.n_equivariance_images // summary.n_views,
        "n_equivariance_images": summary.n_equivariance_images, "n_random": cfg.n_random,
        "autocorrelation_h": summary.autocorrelation["horizontal"],
        "autocorrelation_v": summary.autocorrelation["vertical"],
        "conv1_norm_untrained": summary.conv1_norm["untrained"],
        "conv1_norm_trained": summary.conv1_norm["trained"],
        "conv1_norm_strong": summary.conv1_norm["strong"],
        "conv1_alignment": summary.alignment["trained"]["conv1"],
        "conv1_alignment_strong": summary.alignment["strong"]["conv1"],
        "conv1_silent": summary.silent["trained"], "conv1_silent_strong": summary.silent["strong"],
        # §6
        "gap_invariance_trained": summary.equivariance["trained"]["hflip"]["gap"]["median"],
        "gap_invariance_untrained": summary.equivariance["untrained"]["hflip"]["gap"]["median"],
        # §7
        "manip_replicates": cfg.manip_replicates, "manip_epochs": cfg.manip_recipe.epochs,
        "manip_batch": cfg.manip_recipe.batch,
        "new_accuracy": min(r["test_accuracy"] for r in new_class),
        "new_classes": new_class[0]["n_classes"], "new_chance": 1 / new_class[0]["n_classes"],
        # the limits and the exercises
        "stimuli_conv_peak": summary.conv_peak("trained"),
        "radial_pixels": summary.index("trained", "radial", "pixels"),
        "fc_one_plane": summary.index("trained", "one_plane"),
        "fc_head": summary.index("trained", "head")}
    numbers |= {f"{net}_{f}_last": summary.msvt.text(net, LAST, f)
                for net, families in (("trained", FAMILIES), ("untrained", SYMMETRIC),
                                      ("strong", SYMMETRIC))
                for f in families if f != "two_plane"}
    numbers |= {f"trained_{f}_fc1": summary.msvt.text("trained", "fc1", f) for f in SYMMETRIC}
    numbers |= {f"pool_trained_{f}_{end}": value(f) for f in SYMMETRIC
                for end, value in (("one", lambda f: summary.one_position("trained", f)),
                                   ("full", lambda f: summary.full_pool("trained", f)))}
    numbers |= {f"fc1_{f}": summary.index("trained", f, "fc1") for f in SYMMETRIC}
    return {name: finite(v) if isinstance(v, float) else v for name, v in numbers.items()}
