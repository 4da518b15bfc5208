"""Chapter 3's claims, and every sentence of the page that depends on a result.

:func:`claims` turns a :class:`~emergence.experiments.mirror.summary.MirrorSummary` into the
chapter's claim records (:class:`emergence.claims.Claim`), each with its controls; the verdicts
are computed from the records. :func:`sentences` gives the page's result-dependent phrases (glued
into its prose), each from a small function below, so that no sentence is chosen in the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from emergence.claims import Claim, Control
from emergence.experiments.mirror.config import (
    CONV,
    CONV_LOW,
    FAMILY_LABELS,
    FC_HIGH,
    LAST,
    NO_PLANE,
    SYMMETRIC,
)
from emergence.experiments.mirror.summary import MirrorSummary

SMALL_CNN = ("small CNN of the paper's Fig. 4 on procedural objects, judged by the paper's "
             "AlexNet thresholds")
MAIN_FIGURES = "main figures, AlexNet trained on ImageNet"
FIG4 = "Fig. 4, small CNN trained from scratch"
PAIRED = ("a comparison between two trained networks, each the other's reference (the paper's "
          "Fig. 4 design); no further control computed")
HEADLINE = {"conv_low": f"conv layers < {CONV_LOW}",
            "one_plane_fc_high": f"one-plane > {FC_HIGH} at {LAST}",
            "head_fc_high": f"head > {FC_HIGH} at {LAST}"}


# ------------------------------------------------------------------ result-dependent phrases

def listing(items: Iterable[str]) -> str:
    """``a, b`` or ``none``."""
    items = list(items)
    return ", ".join(items) if items else "none"


def families_text(families: Iterable[str], none: str = "neither family") -> str:
    """The families' labels joined by "and", or ``none``."""
    return " and ".join(FAMILY_LABELS[f] for f in families) or none


def stays_below(value: float, plural: bool = False) -> str:
    """Whether ``value`` (the largest of some means) stays below CONV_LOW, in words."""
    if plural:
        return "stay below" if value < CONV_LOW else "do not stay below"
    return "stays below" if value < CONV_LOW else "does not stay below"


def negative_conv_phrase(conv_peak: float) -> str:
    """What a conv peak below 0 means (appended to a sentence), or nothing."""
    return (": neighbouring views look more alike than mirror views" if conv_peak < 0 else "")


def two_plane_phrase(lowest: float) -> str:
    """Why two-plane objects are high everywhere, when they are (appended), or nothing."""
    return (": their view at −θ resembles the one at +θ already in the pixels and without "
            "training, as for the paper's cars and boats" if lowest > FC_HIGH else "")


def decay_conclusion(strong_fc_high: bool, ordinary_fc_high: bool) -> str:
    """What the ordinary-decay control says about the strong decay."""
    if ordinary_fc_high:
        return "The fc-layer effect therefore does not need the strong decay in this run."
    if strong_fc_high:
        return ("In this run the fc-layer effect at the paper's threshold therefore rests on the "
                "strong decay, a departure from an ordinary training recipe; the claims below "
                "say so.")
    return ("Neither network reaches the paper's threshold at the fc layer for both families in "
            "this run.")


def generalisation_sentence(risen: Iterable[str]) -> str:
    """Whether the index at the last layer rose with training for the new families."""
    names = [FAMILY_LABELS[f].split(" (")[0] for f in risen]
    if names:
        return (f"The index at {LAST} rises with training for " + " and ".join(names)
                + " objects: what the network learned carries over to categories it never saw.")
    return (f"The index at {LAST} rises with training for neither family: in this run what the "
            "network learned does not carry over.")


def more_or_not(more: bool) -> str:
    return "more" if more else "not more"


def smoother_phrase(horizontal: float, vertical: float) -> str:
    """Whether the stimuli are smoother along x than along y (by their autocorrelations)."""
    return ("smoother along x than along y" if horizontal > vertical
            else "not smoother along x than along y")


def below_fc1_phrase(families: Iterable[str]) -> str:
    """For the families whose fully pooled index stays well below fc1's (appended)."""
    families = list(families)
    if not families:
        return ""
    return ("; pooling over the whole map stays well below fc1 for " + families_text(families)
            + ", so there the trained fc weights, which read the maps position by position, "
            "add to what pooling gives")


def offline_text(notice: str) -> str:
    return f"Offline: {notice}" if notice else ""


def below_or_not(below: bool) -> str:
    return "below" if below else "not below"


def mirrored_how(natural: bool) -> str:
    return "Mirroring half of the images" if natural else "Adding the mirror images"


def raises_phrase(raises: dict[str, bool]) -> str:
    """Whether mirror images with the same label raise the index, per symmetric family."""
    if all(raises.values()):
        return "the index rises for both, as symSVHN raises it in the paper"
    return "the index rises for " + (" and ".join(f for f, v in raises.items() if v) or "neither")


def learns_phrase(test_accuracy: float) -> str:
    return "learns" if test_accuracy >= 0.8 else "only partly learns"


def lower_phrase(n_lower: int, n_comparisons: int = 4) -> str:
    """How far the paper's asymSVHN suppression is reproduced, from the comparisons in which
    flip-as-new-class gives the lower index (appended)."""
    if n_lower == n_comparisons:
        return ", the paper's asymSVHN effect"
    return (" — the paper's asymSVHN suppression is "
            + ("only partly reproduced here" if n_lower else "not reproduced here"))


def sentences(summary: MirrorSummary) -> dict[str, str]:
    """The page's result-dependent phrases by glue name."""
    heads = summary.headlines
    conv_peak = max(summary.conv_peaks[net][f] for net in ("trained", "untrained")
                    for f in SYMMETRIC)
    rise = {f: summary.index("trained", f) - summary.index("untrained", f) for f in SYMMETRIC}
    full_pool = {f: summary.full_pool("trained", f) for f in SYMMETRIC}
    return {
        "conv_low_phrase": stays_below(conv_peak),
        "conv_negative_phrase": negative_conv_phrase(conv_peak),
        "fc_above": families_text(f for f in SYMMETRIC if summary.index("trained", f) > FC_HIGH),
        "control_phrase": stays_below(summary.control_max, plural=True),
        "two_plane_phrase": two_plane_phrase(min(summary.two_plane_low.values())),
        "ordinary_meets": listing(HEADLINE[k] for k in HEADLINE if heads["ordinary"][k]),
        "strong_meets": listing(HEADLINE[k] for k in HEADLINE if heads["strong"][k]),
        "decay_conclusion": decay_conclusion(*(
            heads[k]["one_plane_fc_high"] and heads[k]["head_fc_high"]
            for k in ("strong", "ordinary"))),
        "generalises": generalisation_sentence(f for f in SYMMETRIC if rise[f] > 0),
        "learned": listing(summary.learned), "at_init": listing(summary.at_initialisation),
        "untrained_beyond": listing(summary.untrained_beyond),
        "filters_phrase": more_or_not(summary.filter_mean["trained"]
                                      > summary.filter_mean["untrained"]),
        "smoother_phrase": smoother_phrase(summary.autocorrelation["horizontal"],
                                           summary.autocorrelation["vertical"]),
        "below_fc1": below_fc1_phrase(
            f for f in SYMMETRIC if full_pool[f] < summary.index("trained", f, "fc1") - 0.2),
        "above_untrained": families_text(
            f for f in SYMMETRIC if full_pool[f] > summary.full_pool("untrained", f)),
        "offline": offline_text(summary.manipulation["notice"]),
        "absent_phrase": below_or_not(all(summary.absent_lowers.values())),
        "mirrored_how": mirrored_how(summary.natural),
        "raises_phrase": raises_phrase(summary.same_class_raises),
        "learns_phrase": learns_phrase(summary.manipulation_record("new_class")["test_accuracy"]),
        "lower_phrase": lower_phrase(sum(v for per in summary.new_class_lower.values()
                                         for v in per.values()))}


# ---------------------------------------------------------------------------------- claims

def decay_setting(summary: MirrorSummary) -> str:
    """The departure every claim on the trained network names: the strong weight decay."""
    cfg = summary.cfg
    return (f"departure: strong weight decay, AdamW λ = {cfg.weight_decay:g} "
            f"({cfg.scale_free_decay:g} on conv1, conv3), our choice; the paper's is not known "
            "to us")


def robustness(summary: MirrorSummary, key: str) -> str:
    """The departure plus what the ordinary-decay control (§3) gives under the same criterion."""
    h = summary.headlines["ordinary"]
    value = {"conv_low": f"largest conv-layer mean {h['conv_peak']:+.2f}",
             "one_plane_fc_high": f"{h['one_plane']:+.2f}", "head_fc_high": f"{h['head']:+.2f}"}
    return (f"{decay_setting(summary)}; with an ordinary decay (λ = "
            f"{summary.cfg.ordinary_decay:g}, every layer) {value[key]}: the criterion "
            f"{'holds' if h[key] else 'does not hold'}")


def index_claims(summary: MirrorSummary) -> list[Claim]:
    """The claims about the index per layer (§3): low in the conv layers, high at the last layer
    for one-plane objects and the head, low for objects without a plane, high for two-plane
    objects."""
    decay = decay_setting(summary)

    def fc_claim(family, claim, paper):
        controls = (Control("untrained network", f"{summary.index('untrained', family):+.2f}",
                            summary.index("untrained", family) > FC_HIGH),
                    *(Control(f"{name} objects, trained", f"{summary.index('trained', f):+.2f}",
                              summary.index("trained", f) > FC_HIGH)
                      for name, f in (("no-plane", "asymmetric"), ("radial", "radial"))))
        return Claim(id=f"{family}_fc_high", claim=f"{claim}: high index at {LAST}", paper=paper,
                     source=MAIN_FIGURES,
                     setting=f"{SMALL_CNN}; {robustness(summary, f'{family}_fc_high')}",
                     ours=f"{summary.msvt.text('trained', LAST, family)} (untrained "
                          f"{summary.msvt.text('untrained', LAST, family)})",
                     value=summary.index("trained", family),
                     criterion=f"mean index at {LAST} > {FC_HIGH}, trained",
                     holds=summary.headlines["strong"][f"{family}_fc_high"], controls=controls)

    return [
        Claim(id="conv_low",
              claim="one-plane objects and the head: low index in the pixels and conv layers",
              paper=f"< {CONV_LOW} in the conv layers", source=MAIN_FIGURES,
              setting=f"{SMALL_CNN}; {robustness(summary, 'conv_low')}",
              ours=f"largest mean {summary.conv_peak('trained'):+.2f} trained "
                   f"(untrained {summary.conv_peak('untrained'):+.2f})",
              value=summary.conv_peak("trained"),
              criterion=f"every mean < {CONV_LOW} in the pixels, conv and pool layers "
                        "(one-plane and head, trained)", holds=summary.checks["low_conv"],
              controls=(Control("two-plane objects (high from conv1 in the paper), trained",
                                f"largest mean {summary.conv_peak('trained', ('two_plane',)):+.2f}",
                                summary.conv_peak("trained", ("two_plane",)) < CONV_LOW),)),
        fc_claim("one_plane", "one-plane categories never seen in training",
                 f"> {FC_HIGH} from the first fc layer on"),
        fc_claim("head", "the head (faces), never trained",
                 f"> {FC_HIGH} from fc6, negative in the conv layers"),
        Claim(id="no_plane_radial_low",
              claim="objects without a symmetry plane (no-plane, radial) stay low in every layer",
              paper="fruits and flowers low in every layer", source=MAIN_FIGURES,
              setting=f"{SMALL_CNN}; 'low' read as the paper's conv-layer < {CONV_LOW}; {decay}",
              ours=f"largest mean {summary.control_max:+.2f} (trained and untrained)",
              value=summary.control_max,
              criterion=f"every mean < {CONV_LOW}, every layer, trained and untrained",
              holds=summary.checks["controls_low"],
              no_control="these families are themselves the controls of the one-plane and head "
                         "claims"),
        Claim(id="two_plane_high",
              claim="two-plane (front–back symmetric) objects: high index from the pixels on, "
                    "trained and untrained",
              paper="cars and boats high from conv1", source=MAIN_FIGURES,
              setting=f"{SMALL_CNN}; 'high' read as the paper's fc-layer > {FC_HIGH}; {decay}",
              ours=f"lowest mean over layers {summary.two_plane_low['trained']:+.2f} trained, "
                   f"{summary.two_plane_low['untrained']:+.2f} untrained",
              value=min(summary.two_plane_low.values()),
              criterion=f"mean > {FC_HIGH} in every layer, trained and untrained",
              holds=summary.checks["two_plane_high"],
              no_control="the paper attributes it to the stimuli (each view is close to its own "
                         "mirror image), so the untrained network is part of the criterion, not "
                         "a control"),
    ]


def mechanism_claims(summary: MirrorSummary) -> list[Claim]:
    """The claims about the mechanism (§5, §6): hflip equivariance beyond random networks, more
    symmetric filters, pooling that gives mirror-symmetric tuning."""
    decay = decay_setting(summary)
    bound = {layer: summary.random_margins[layer]["bound"] for layer in CONV}
    trained_margin = {layer: summary.margins["trained"][layer]["median"] for layer in CONV}
    return [
        Claim(id="hflip_most_equivariant",
              claim="training makes the conv layers more equivariant to a horizontal flip than to "
                    "a vertical flip or a 90° rotation, beyond random networks",
              paper="hflip above vflip and rotation in trained conv layers",
              source="supplementary figure S7 (AlexNet); the authors' figureS7.py, medians",
              setting=f"small CNN on procedural objects; maps rotated back for rot90 (the "
                      f"authors' script: a net 180°); {decay}",
              ours=f"margin (median) beyond {summary.cfg.n_random} random networks' mean + 2 SD "
                   "in: "
                   f"{listing(summary.learned)}; present at initialisation in: "
                   f"{listing(summary.at_initialisation)}; "
                   + ", ".join(f"{layer} {trained_margin[layer]:+.2f} vs {bound[layer]:+.2f}"
                               for layer in CONV),
              value=min(trained_margin[layer] - bound[layer] for layer in CONV),
              criterion="in every conv layer, the trained median margin (hflip − max(vflip, "
                        "rot90)) exceeds the random networks' mean + 2 SD",
              holds=summary.checks["hflip_margin_learned_everywhere"],
              controls=(Control("this run's untrained network, same criterion",
                                f"beyond the bound in: {listing(summary.untrained_beyond)}",
                                len(summary.untrained_beyond) == len(CONV)),)),
        Claim(id="filters_more_symmetric",
              claim="training makes the conv filters more left–right symmetric",
              paper="filters shift towards symmetric",
              source="supplementary figure S5 (AlexNet); the authors' figureS5.m",
              setting=f"small CNN on procedural objects; {decay}",
              ours=f"mean filter symmetry {summary.filter_mean['trained']:+.3f} trained vs "
                   f"{summary.filter_mean['untrained']:+.3f} untrained",
              value=summary.filter_mean["trained"] - summary.filter_mean["untrained"],
              criterion="mean left–right symmetry over all conv filters above that of the "
                        "untrained filters",
              holds=summary.filter_mean["trained"] > summary.filter_mean["untrained"],
              controls=(Control("top–bottom symmetry of the same filters (smoothness alone)",
                                f"{summary.filter_mean_top_bottom['trained']:+.3f} trained vs "
                                f"{summary.filter_mean_top_bottom['untrained']:+.3f} untrained",
                                summary.filter_mean_top_bottom["trained"]
                                > summary.filter_mean_top_bottom["untrained"]),)),
        Claim(id="pooling_gives_msvt",
              claim="pooling the last conv layer's maps over a large window gives "
                    "mirror-symmetric tuning, rising with the window (trained)",
              paper="global average pooling of pool5 gives an index close to fc6",
              source="supplementary figure S3 (AlexNet); the authors' figureS3.m",
              setting=f"conv4 of the small CNN, windows of 1 … {summary.map_size} positions, "
                      f"z-scored then averaged as the authors; 'high' read as > {FC_HIGH}; {decay}",
              ours=f"full pooling one-plane {summary.full_pool('trained', 'one_plane'):+.2f}, head "
                   f"{summary.full_pool('trained', 'head'):+.2f} (1 position: "
                   f"{summary.one_position('trained', 'one_plane'):+.2f}, "
                   f"{summary.one_position('trained', 'head'):+.2f}); fc1 "
                   f"{summary.index('trained', 'one_plane', 'fc1'):+.2f}, "
                   f"{summary.index('trained', 'head', 'fc1'):+.2f}",
              value=min(summary.full_pool("trained", f) for f in SYMMETRIC),
              criterion=f"at full pooling mean > {FC_HIGH} and above the 1-position value, "
                        "one-plane and head, trained",
              holds=summary.checks["pooling_gives_msvt"],
              controls=(Control("untrained network",
                                f"{summary.full_pool('untrained', 'one_plane'):+.2f}, "
                                f"{summary.full_pool('untrained', 'head'):+.2f}",
                                all(summary.full_pool("untrained", f) > FC_HIGH
                                    and summary.full_pool("untrained", f)
                                    > summary.one_position("untrained", f) for f in SYMMETRIC)),
                        Control("no-plane and radial objects, trained",
                                f"{summary.full_pool('trained', 'asymmetric'):+.2f}, "
                                f"{summary.full_pool('trained', 'radial'):+.2f}",
                                any(summary.full_pool("trained", f) > FC_HIGH for f in NO_PLANE)))),
    ]


def manipulation_claims(summary: MirrorSummary) -> list[Claim]:
    """The claims about the training set (§7): each compares two trained networks at the last
    layer, one-plane objects and head."""
    names = summary.names
    manipulation_setting = ("SVHN in grey as in the paper, procedural test stimuli"
                            if summary.natural else "asymmetric procedural categories seen "
                            "from one side (paper: SVHN)")

    def paired_claim(claim_id, claim, paper, setting, shown, value, criterion, holds):
        """A claim that compares two manipulation networks at the last layer, each the other's
        reference; ``shown``: the label and the two networks whose indices the claim shows."""
        label, first, second = shown
        return Claim(
            id=claim_id, claim=claim, paper=paper, source=FIG4,
            setting=f"{setting}; {decay_setting(summary)}",
            ours=f"{LAST}, {label}: " + ", ".join(
                f"{name} {summary.manipulation_index(first, f):+.2f} / "
                f"{summary.manipulation_index(second, f):+.2f}"
                for name, f in (("one-plane", "one_plane"), ("head", "head"))),
            value=value, criterion=f"{criterion} at {LAST}, one-plane and head", holds=holds,
            no_control=PAIRED)

    def difference(first, second, worst):
        """The ``worst`` (``max`` or ``min``) over the symmetric families of the index of
        ``first`` minus that of ``second``."""
        return worst(summary.manipulation_index(first, f) - summary.manipulation_index(second, f)
                     for f in SYMMETRIC)

    return [
        paired_claim("no_symmetry_training_lowers",
                     "training without symmetric categories gives a lower index",
                     "SVHN below CIFAR-10",
                     "SVHN vs CIFAR-10 in grey, procedural test stimuli" if summary.natural else
                     "asymmetric procedural categories seen from one side vs one-plane "
                     "categories (paper: SVHN vs CIFAR-10)",
                     (f"{names['none']} / {names['reference']}", "none", "reference"),
                     difference("none", "reference", max), "lower",
                     summary.checks["manipulation_absent_lowers"]),
        paired_claim("mirror_same_class_raises",
                     "adding mirror images with the same label raises the index",
                     "symSVHN above SVHN", manipulation_setting,
                     (f"{names['none']} / {names['same_class']}", "none", "same_class"),
                     difference("same_class", "none", min), "higher",
                     summary.checks["manipulation_mirror_same_class_raises"]),
        paired_claim("mirror_new_class_lowers",
                     "mirror images as new classes give a lower index than as the same class",
                     "asymSVHN below symSVHN", manipulation_setting,
                     ("same class / new class", "same_class", "new_class"),
                     difference("new_class", "same_class", max), "new class below same class",
                     summary.checks["manipulation_lowers"]),
    ]


def claims(summary: MirrorSummary) -> list[Claim]:
    """Every claim of the chapter, in the page's order."""
    return index_claims(summary) + mechanism_claims(summary) + manipulation_claims(summary)
