"""One summary of a Chapter 3 run: every measurement of the page, computed once.

:func:`summarise` takes the runs (:mod:`emergence.experiments.mirror.runs`: the test stimuli,
the network of §2 with its ordinary-decay control, the manipulation networks) and measures
them; the page's figures and tables, the numbers in its prose, the claims and the results file
all read the :class:`MirrorSummary` it returns. The statistics:

* MSVT index (:func:`emergence.analysis.mirror.msvt_index`) per network (``trained``,
  ``untrained``, ``ordinary``), layer and family, mean ± SEM over the exemplars (``msvt``);
  the **conv peak** of a network and family — the largest mean over the pixels, conv and pool
  layers, :math:`\\max_{l \\in \\text{conv, pool}} \\bar I_l` — once, in ``conv_peaks``;
* per network the three **headline** criteria: conv peak of the one-plane objects and the head
  < CONV_LOW, and their index at the last layer > FC_HIGH;
* equivariance ρ(f(x), T⁻¹f(Tx)) per conv layer and transform (median and mean over images),
  the **hflip margin** (median hflip minus the larger median of vflip and rot90) against
  ``n_random`` random networks (bound: their mean + 2 SD), and filter symmetry;
* the index of conv4 pooled over k × k windows (the authors' pooling), k = 1 … map size;
* the manipulation networks' index at fc1 and fc2, test accuracy and filter symmetry.
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
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror.config import (
    ALL_LAYERS,
    CONV,
    CONV_AND_POOL,
    CONV_LOW,
    EXPLORE_LAYERS,
    FC,
    FC_HIGH,
    LAST,
    MANIPULATIONS,
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
    mean_over_filters,
    median_filter_norm,
    mirror_errors,
    pooling_sweep,
    random_margins,
    receptive_field,
    stimulus_responses,
)
from emergence.experiments.mirror.runs import load
from emergence.experiments.mirror.tables import StatTable, family_members, msvt_table, sem_text

#: How the page names the training sets of the manipulation (§7): procedural, or the paper's.
PROCEDURAL_NAMES = {"reference": "one-plane categories (§2)", "none": "asymmetric only",
                    "same_class": "asymmetric + mirror, same class",
                    "new_class": "asymmetric + mirror as new class"}
NATURAL_NAMES = {"reference": "CIFAR-10", "none": "SVHN",
                 "same_class": "SVHN, half mirrored, same label",
                 "new_class": "SVHN, mirrored half as new classes"}


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


def headline(table: StatTable, network: str, peaks: dict[str, float] | None = None) -> dict:
    """The three headline criteria of ``network``: ``conv_low`` (its conv peak over the
    one-plane objects and the head < CONV_LOW), ``one_plane_fc_high`` and ``head_fc_high``
    (their mean at the last layer > FC_HIGH), with the three numbers (``conv_peak``,
    ``one_plane``, ``head``). ``peaks``: the network's :func:`family_conv_peaks`, when already
    computed."""
    peaks = family_conv_peaks(table, network) if peaks is None else peaks
    conv_peak = max(peaks[f] for f in SYMMETRIC)
    one_plane, head = (table.mean(network, LAST, f) for f in SYMMETRIC)
    return {"conv_peak": conv_peak, "one_plane": one_plane, "head": head,
            "conv_low": conv_peak < CONV_LOW, "one_plane_fc_high": one_plane > FC_HIGH,
            "head_fc_high": head > FC_HIGH}


def finite(value: float) -> float:
    """``value``, checked to be a finite number (for numbers stated on the page)."""
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number.")
    return value


@dataclass(frozen=True)
class MirrorSummary:
    """Every measurement of one run of Chapter 3 (module docstring); the sections say where the
    page shows each."""

    cfg: MirrorConfig
    seed: int
    # §1: the test stimuli (objects, views, H, W), each object's family index, the yaws
    images: torch.Tensor
    family_of: torch.Tensor
    yaws: torch.Tensor
    render_error: dict
    # §2: the main network
    test_accuracy: float
    chance: float
    n_classes: int
    n_train_images: int
    loss: torch.Tensor
    examples: torch.Tensor
    example_labels: torch.Tensor
    # §3: MSVT per network (trained, untrained, ordinary) × layer × family; the conv peaks
    msvt: StatTable
    conv_peaks: dict  # network → family → largest mean over the pixels, conv and pool layers
    headlines: dict  # "strong", "ordinary", "untrained" → headline
    accuracies: dict
    silent: dict  # silent conv1 channels: "strong", "ordinary", "untrained"
    # §5: equivariance, margins, filters
    n_equivariance_images: int
    equivariance: dict  # network → transform → layer (conv and "gap") → {median, mean, n}
    margins: dict  # network → conv layer → {median, mean}
    random_margins: dict  # conv layer → {margins, mean, sd, n, positive, bound}
    learned: tuple[str, ...]
    at_initialisation: tuple[str, ...]
    untrained_beyond: tuple[str, ...]
    filter_stats: dict  # network → layer → {mean, sem, n} over filters
    filter_mean: dict  # network → mean left–right symmetry over every conv filter
    filter_mean_top_bottom: dict
    conv1_symmetry: dict
    conv1_norm: dict
    alignment: dict
    autocorrelation: dict
    # §6: pooling
    pooling: StatTable  # network × window × family
    map_size: int
    receptive_fields: dict  # window → pixels
    # §7: the manipulation (the results file's record) and the names of its training sets
    manipulation: dict
    names: dict
    natural: bool
    # §8: the explorer's objects, and per group its label and per object D and the index
    explorer_objects: tuple[int, ...]
    explorer_groups: tuple[dict, ...]
    stage_seconds: dict

    @property
    def n_views(self) -> int:
        return self.images.shape[1]

    def conv_peak(self, network: str, families=SYMMETRIC) -> float:
        """The largest conv peak of ``network`` over ``families``."""
        return max(self.conv_peaks[network][f] for f in families)

    def index(self, network: str, family: str, layer: str = LAST) -> float:
        """The mean MSVT index of ``family`` at ``layer``."""
        return self.msvt.mean(network, layer, family)

    def full_pool(self, network: str, family: str) -> float:
        """The index of conv4 pooled over the whole map (global average pooling)."""
        return self.pooling.mean(network, self.map_size, family)

    def one_position(self, network: str, family: str) -> float:
        """The index of conv4 'pooled' over one position."""
        return self.pooling.mean(network, 1, family)

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

    def manipulation_record(self, mode: str) -> dict:
        """The record of a network of the manipulation (``mode``: one of MANIPULATIONS, or
        ``reference``: CIFAR-10 when the paper's sets were used, else the network of §2 with its
        index at fc1 and fc2)."""
        if mode == "reference":
            return self.manipulation.get("reference",
                                         {"msvt": self.manipulation["one_plane_training"]})
        return self.manipulation[f"mirror_{mode}"]

    def manipulation_index(self, mode: str, family: str, layer: str = LAST) -> float:
        """The mean index of ``family`` at ``layer`` of a manipulation network."""
        return self.manipulation_record(mode)["msvt"][layer][family]["mean"]

    @cached_property
    def checks(self) -> dict[str, bool]:
        """The criteria of the chapter's claims (the results file's ``checks``)."""
        strong = self.headlines["strong"]
        return {
            "low_conv": strong["conv_low"],
            "high_fc": strong["one_plane_fc_high"] and strong["head_fc_high"],
            "controls_low": self.control_max < CONV_LOW,
            "two_plane_high": min(self.two_plane_low.values()) > FC_HIGH,
            "hflip_margin_learned_everywhere": len(self.learned) == len(CONV),
            "pooling_gives_msvt": all(
                self.full_pool("trained", f) > FC_HIGH
                and self.full_pool("trained", f) - self.one_position("trained", f) > 0
                for f in SYMMETRIC),
            "manipulation_lowers": all(self.new_class_lower[LAST].values()),
            "manipulation_absent_lowers": all(self.absent_lowers.values()),
            "manipulation_mirror_same_class_raises": all(self.same_class_raises.values())}

    @cached_property
    def new_class_lower(self) -> dict[str, dict[str, bool]]:
        """Per fc layer and symmetric family: is the index of the mirror-as-new-class network
        below that of the same-class network?"""
        return {layer: {f: self.manipulation_index("new_class", f, layer)
                        < self.manipulation_index("same_class", f, layer)
                        for f in SYMMETRIC} for layer in FC}

    @cached_property
    def absent_lowers(self) -> dict[str, bool]:
        """Per symmetric family at the last layer: is the index of the network trained without
        symmetric categories below the reference's?"""
        return {f: self.manipulation_index("none", f) < self.manipulation_index("reference", f)
                for f in SYMMETRIC}

    @cached_property
    def same_class_raises(self) -> dict[str, bool]:
        """Per symmetric family at the last layer: do mirror images with the same label raise
        the index above that of the network trained without them?"""
        return {f: self.manipulation_index("same_class", f) > self.manipulation_index("none", f)
                for f in SYMMETRIC}


def explorer_dissimilarities(responses: dict[str, torch.Tensor], layer: str,
                             map_size: int) -> np.ndarray:
    """Per object, the view × view dissimilarities the index of ``layer`` is computed from (for
    ``gap``: the z-scored, then globally averaged conv4 maps, §6)."""
    z = (pooled_responses(responses["conv4"], map_size) if layer == "gap"
         else zscore_units(responses[layer].flatten(2)))
    return dissimilarity(z).numpy()


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
    main, ordinary = networks["main"], networks["ordinary"]
    if not all(torch.equal(ordinary["untrained"][k], main["untrained"][k])
               for k in main["untrained"]):
        raise RuntimeError("the ordinary-decay control must start from the main network's "
                           "initial weights.")
    trained, untrained = load(main, "trained"), load(main, "untrained")
    test_accuracy, chance = float(main["test_accuracy"]), 1 / main["n_classes"]

    # §3: responses and MSVT of every layer; the conv peaks and headline criteria
    responses = {"trained": stimulus_responses(trained, images),
                 "untrained": stimulus_responses(untrained, images),
                 "ordinary": stimulus_responses(load(ordinary), images)}
    index = {net: layer_indices(r) for net, r in responses.items()}  # per object; and "gap"
    msvt = msvt_table(index, family_of)
    conv_peaks = {net: family_conv_peaks(msvt, net) for net in responses}
    headlines = {name: headline(msvt, net, conv_peaks[net])
                 for name, net in (("strong", "trained"), ("ordinary", "ordinary"),
                                   ("untrained", "untrained"))}
    silent = {name: silent_channels(responses[net]["conv1"])
              for name, net in (("strong", "trained"), ("ordinary", "ordinary"),
                                ("untrained", "untrained"))}
    accuracies = {"strong": test_accuracy, "ordinary": float(ordinary["test_accuracy"]),
                  "untrained": chance}
    clock.lap("MSVT per layer")

    # §5: equivariance against random networks, filter symmetry, what conv1 kept
    eq_images = equivariance_images(images, cfg.n_equivariance)  # all views, a few objects
    models = {"trained": trained, "untrained": untrained}
    eq_values = {net: equivariance_values(model, eq_images) for net, model in models.items()}
    equivariance = {net: {name: {layer: median_mean(v) for layer, v in per.items()}
                          for name, per in values.items()} for net, values in eq_values.items()}
    margins = {net: {layer: margin_of(eq_values[net], layer) for layer in CONV}
               for net in eq_values}
    random_networks = random_margins(main["n_classes"], eq_images, seed, cfg.n_random)
    beyond = {net: tuple(layer for layer in CONV
                         if margins[net][layer]["median"] > random_networks[layer]["bound"])
              for net in margins}
    filters = {net: filter_symmetries(model) for net, model in models.items()}
    filters_top_bottom = {net: filter_symmetries(model, top_bottom=True)
                          for net, model in models.items()}
    clock.lap("equivariance")

    # §6: conv4 pooled over growing windows
    pooling = pooling_sweep({net: responses[net]["conv4"] for net in models}, family_of)
    map_size = responses["trained"]["conv4"].shape[-1]
    clock.lap("pooling")

    # §7: the manipulation networks
    natural = manipulation["natural"]
    manipulation_summary = {
        "condition": "SVHN alone, with a random half mirrored (same label), or with the mirrored "
                     "half as new classes; CIFAR-10 as the reference" if natural else
                     "asymmetric categories alone, plus their mirror images as the same class, "
                     "or plus their mirror images as new classes",
        "training_source": "CIFAR-10 and SVHN (the paper's Fig. 4 sets), grey" if natural else
                           "procedural",
        "notice": manipulation["notice"],
        "one_plane_training": {layer: msvt.nested()["trained"][layer] for layer in FC}}
    for mode, state in manipulation["networks"].items():
        record = manipulation_record(state, images, family_of)
        if mode == "cifar10":
            manipulation_summary["reference"] = {"name": "cifar10", "msvt": record["msvt"],
                                                 "test_accuracy": record["test_accuracy"]}
        else:
            manipulation_summary[f"mirror_{mode}"] = record
    clock.lap("manipulation")

    # §8: the explorer's dissimilarity matrices
    chosen = explorer_objects(family_of, cfg.n_explore)
    groups = tuple(
        {"label": layer + ("" if net == "trained" else " (untrained)"),
         "dissimilarities": explorer_dissimilarities(responses[net], layer, map_size),
         "index": index[net][layer]}
        for layer, net in EXPLORE_LAYERS[-cfg.explore_groups:])
    clock.lap("explorer")

    return MirrorSummary(
        cfg=cfg, seed=seed, images=images, family_of=family_of, yaws=yaws,
        render_error=render_error, test_accuracy=test_accuracy, chance=chance,
        n_classes=main["n_classes"], n_train_images=main["n_images"], loss=main["loss"],
        examples=main["examples"], example_labels=main["example_labels"], msvt=msvt,
        conv_peaks=conv_peaks, headlines=headlines, accuracies=accuracies, silent=silent,
        n_equivariance_images=len(eq_images), equivariance=equivariance, margins=margins,
        random_margins=random_networks, learned=beyond["trained"],
        at_initialisation=tuple(layer for layer in CONV if random_networks[layer]["positive"]
                                >= 0.9 * random_networks[layer]["n"]),
        untrained_beyond=beyond["untrained"],
        filter_stats={net: {layer: mean_sem(v) for layer, v in per.items()}
                      for net, per in filters.items()},
        filter_mean={net: mean_over_filters(per) for net, per in filters.items()},
        filter_mean_top_bottom={net: mean_over_filters(per)
                                for net, per in filters_top_bottom.items()},
        conv1_symmetry={net: {"left_right": float(filters[net]["conv1"].mean()),
                              "top_bottom": float(filters_top_bottom[net]["conv1"].mean())}
                        for net in filters},
        conv1_norm={net: median_filter_norm(model) for net, model in models.items()},
        alignment=init_alignment(trained, untrained),
        autocorrelation={name: pixel_autocorrelation(eq_images[:, 0].double(), 2, axis)
                         for name, axis in (("horizontal", -1), ("vertical", -2))},
        pooling=pooling, map_size=map_size,
        receptive_fields={k: receptive_field(k) for k in range(1, map_size + 1)},
        manipulation=manipulation_summary,
        names=NATURAL_NAMES if natural else PROCEDURAL_NAMES, natural=natural,
        explorer_objects=tuple(chosen), explorer_groups=groups,
        stage_seconds={"rendering and training (or the cache)": round(runs_seconds, 1)}
        | clock.seconds)


def family_counts(summary: MirrorSummary) -> dict[str, int]:
    """Test objects per family."""
    return {f: len(m) for f, m in family_members(summary.family_of).items()}


def prose_numbers(summary: MirrorSummary) -> dict:
    """The numbers the page's prose states (glued by name); sentences that depend on them come
    from :func:`emergence.experiments.mirror.claims.sentences`."""
    counts = family_counts(summary)
    numbers = {
        # §1, §2
        "n_symmetric": sum(counts[f] for f in ("one_plane", "head", "two_plane")),
        "mirror_error_max": summary.render_error["max_symmetric"],
        "mirror_error_min": summary.render_error["min_asymmetric"],
        "test_accuracy": summary.test_accuracy, "chance": summary.chance,
        "n_classes": summary.n_classes,
        "epochs": summary.cfg.epochs, "n_train_images": summary.n_train_images,
        # §3, §4
        **{f"conv_max_{name}": max(summary.conv_peaks[net][f] for net in ("trained", "untrained"))
           for name, f in (("one", "one_plane"), ("head", "head"))},
        "last": LAST, "control_max": summary.control_max,
        "two_plane_trained": summary.two_plane_low["trained"],
        "two_plane_untrained": summary.two_plane_low["untrained"],
        "two_plane_pixels": summary.msvt.text("trained", "pixels", "two_plane"),
        "ordinary_one": summary.msvt.text("ordinary", LAST, "one_plane"),
        "ordinary_head": summary.msvt.text("ordinary", LAST, "head"),
        "head_pixels": summary.index("trained", "head", "pixels"),
        # §5
        "n_equivariance_objects": summary.n_equivariance_images // summary.n_views,
        "n_equivariance_images": summary.n_equivariance_images, "n_random": summary.cfg.n_random,
        "n_hflip_wins": sum(summary.margins["trained"][layer]["median"] > 0 for layer in CONV),
        "filter_trained": summary.filter_mean["trained"],
        "filter_untrained": summary.filter_mean["untrained"],
        "filter_tb_trained": summary.filter_mean_top_bottom["trained"],
        "filter_tb_untrained": summary.filter_mean_top_bottom["untrained"],
        "filter_excess": summary.filter_mean["trained"] - summary.filter_mean_top_bottom["trained"],
        "autocorrelation_h": summary.autocorrelation["horizontal"],
        "autocorrelation_v": summary.autocorrelation["vertical"],
        "conv1_norm_untrained": summary.conv1_norm["untrained"],
        "conv1_norm_trained": summary.conv1_norm["trained"],
        "alignment": ", ".join(f"{layer} {v:+.2f}" for layer, v in summary.alignment.items()),
        "conv1_silent": summary.silent["strong"],
        "conv1_lr": summary.conv1_symmetry["trained"]["left_right"],
        "conv1_tb": summary.conv1_symmetry["trained"]["top_bottom"],
        "conv1_lr_init": summary.conv1_symmetry["untrained"]["left_right"],
        "conv1_tb_init": summary.conv1_symmetry["untrained"]["top_bottom"],
        # §6
        "rf_one": summary.receptive_fields[1],
        "rf_full": summary.receptive_fields[summary.map_size],
        "gap_invariance_trained": summary.equivariance["trained"]["hflip"]["gap"]["median"],
        "gap_invariance_untrained": summary.equivariance["untrained"]["hflip"]["gap"]["median"],
        # §7
        "name_none": summary.names["none"], "name_reference": summary.names["reference"],
        "new_accuracy": summary.manipulation_record("new_class")["test_accuracy"],
        "new_classes": summary.manipulation_record("new_class")["n_classes"],
        "new_chance": 1 / summary.manipulation_record("new_class")["n_classes"],
        "n_lower": sum(v for per in summary.new_class_lower.values() for v in per.values()),
        # the limits and the exercises
        "stimuli_conv_peak": summary.conv_peak("trained"),
        "radial_pixels": summary.index("trained", "radial", "pixels"),
        "fc_one_plane": summary.index("trained", "one_plane"),
        "fc_head": summary.index("trained", "head"),
        "conv1_alignment": summary.alignment["conv1"]}
    numbers |= {f"{net}_{f}_last": summary.msvt.text(net, LAST, f)
                for net, families in (("trained", FAMILIES), ("untrained", SYMMETRIC))
                for f in families if f != "two_plane"}
    numbers |= {f"pool_trained_{f}_{end}": value(f) for f in SYMMETRIC
                for end, value in (("one", lambda f: summary.one_position("trained", f)),
                                   ("full", lambda f: summary.full_pool("trained", f)))}
    numbers |= {f"fc1_{f}": summary.index("trained", f, "fc1") for f in SYMMETRIC}
    numbers |= {f"{mode}_fc2_{f}": sem_text(summary.manipulation_record(mode)["msvt"][LAST][f])
                for mode in ("reference", *MANIPULATIONS) for f in SYMMETRIC}
    return {name: finite(v) if isinstance(v, float) else v for name, v in numbers.items()}


