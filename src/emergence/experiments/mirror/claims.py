"""Chapter 3's claims, and every sentence of the page that depends on a result.

:func:`claims` turns a :class:`~emergence.experiments.mirror.summary.MirrorSummary` into the
chapter's claim records (:class:`emergence.claims.Claim`), each with its controls, for the
network trained by the authors' recipe (the paper's setting); :func:`recipe_claims` builds the
claims about the network of §2 for either recipe, so that the page can set the strong-decay
departure beside them. :func:`sentences` gives the page's result-dependent phrases (glued into
its prose), each from a small function below, so that no sentence is chosen in the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from emergence.claims import Claim, Control
from emergence.experiments.mirror.config import (
    CONV,
    CONV_LOW,
    FAMILY_LABELS,
    FC,
    FC_HIGH,
    FDR_Q,
    LAST,
    NO_PLANE,
    SYMMETRIC,
)
from emergence.experiments.mirror.summary import COMPARISONS, MirrorSummary

MAIN_FIGURES = "main figures, AlexNet trained on ImageNet"
READING = f"our reading of Fig. 2C (< {CONV_LOW} conv, > {FC_HIGH} fc); no authors' file states it"
AUTHORS_TEST = (f"the authors' test (figure2C_S2.m): two-sided rank-sum, trained vs untrained, "
                f"BY-FDR over every layer × family, q = {FDR_Q:g}")
FIG4 = "Fig. 4, small CNN trained from scratch"
RECIPE_WORDS = {"trained": "the authors' recipe", "strong": "strong decay"}


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


def test_phrase(summary: MirrorSummary, network: str, family: str) -> str:
    """The authors' test at fc1 and fc2 for ``family``, e.g. "a significant rise at fc1 and
    fc2 (q = 0.0012, 0.0008)"."""
    tests = [summary.authors_test[network][layer, family] for layer in FC]
    rises = [t["significant"] and t["greater"] for t in tests]
    q_values = ", ".join(f"{t['q']:.2g}" for t in tests)
    if all(rises):
        return f"a significant rise at fc1 and fc2 (q = {q_values})"
    risen = [layer for layer, r in zip(FC, rises, strict=True) if r]
    return (f"a significant rise at {risen[0]} only (q = {q_values})" if risen
            else f"no significant rise at fc1 or fc2 (q = {q_values})")


def test_word(summary: MirrorSummary, network: str, family: str) -> str:
    """The authors' test at fc1 and fc2 in a few words: "rise significant at both", "at fc1
    only", "at fc2 only" or "at neither"."""
    rises = [summary.authors_test[network][layer, family]["significant"]
             and summary.authors_test[network][layer, family]["greater"] for layer in FC]
    where = {(True, True): "both", (True, False): "fc1 only", (False, True): "fc2 only",
             (False, False): "neither"}[tuple(rises)]
    return f"rise significant at {where}"


def decay_conclusion(summary: MirrorSummary) -> str:
    """What the strong-decay departure changes in the headline criteria."""
    holds = {net: [summary.headlines[net][f"{f}_fc_high"] for f in SYMMETRIC]
             for net in ("trained", "strong")}
    if holds["trained"] == holds["strong"]:
        return ("The strong decay changes neither fc-layer verdict in this run: what the "
                "authors' recipe gives, it gives too.")
    gained = [FAMILY_LABELS[f] for f, a, b in zip(SYMMETRIC, holds["trained"], holds["strong"],
                                                  strict=True) if b and not a]
    lost = [FAMILY_LABELS[f] for f, a, b in zip(SYMMETRIC, holds["trained"], holds["strong"],
                                                strict=True) if a and not b]
    parts = []
    if gained:
        parts.append("only with the strong decay does the fc criterion hold for "
                     + " and ".join(gained))
    if lost:
        parts.append("with the strong decay it no longer holds for " + " and ".join(lost))
    return "In this run " + "; ".join(parts) + ": a departure from the authors' recipe."


def generalisation_sentence(risen: Iterable[str]) -> str:
    """Whether the index at the last layer rose with training for the new families."""
    names = [FAMILY_LABELS[f].split(" (")[0] for f in risen]
    if names:
        return (f"The index at {LAST} rises with training for " + " and ".join(names)
                + " objects: what the network learned carries over to categories it never saw.")
    return (f"The index at {LAST} rises with training for neither family: in this run what the "
            "network learned does not carry over.")


def smoother_phrase(horizontal: float, vertical: float) -> str:
    """Whether the stimuli are smoother along x than along y (by their autocorrelations)."""
    return ("smoother along x than along y" if horizontal > vertical
            else "not smoother along x than along y")


def offline_text(notice: str) -> str:
    return f"Offline: {notice}" if notice else ""


def comparison_phrase(summary: MirrorSummary, name: str) -> str:
    """A comparison of two arms at the last layer in words, per symmetric family: the
    difference and whether it exceeds two standard errors of the replicates."""
    parts = []
    for f in SYMMETRIC:
        c = summary.comparisons[name][f][LAST]
        parts.append(f"{FAMILY_LABELS[f].split(' (')[0]} {c['difference']:+.2f} "
                     f"(2 SE {2 * c['se']:.2f}: {'beyond' if c['holds'] else 'within'} the "
                     "spread)")
    return "; ".join(parts)


def learns_phrase(test_accuracy: float) -> str:
    """Whether networks of this test accuracy learn their task (a plural subject)."""
    return "learn" if test_accuracy >= 0.8 else "only partly learn"


def sentences(summary: MirrorSummary) -> dict[str, str]:
    """The page's result-dependent phrases by glue name."""
    conv_peak = max(summary.conv_peaks[net][f] for net in ("trained", "untrained")
                    for f in SYMMETRIC)
    rise = {f: summary.index("trained", f) - summary.index("untrained", f) for f in SYMMETRIC}
    new_class_accuracy = min(r["test_accuracy"] for r in summary.manipulation["new_class"])
    return {
        "conv_low_phrase": stays_below(conv_peak),
        "conv_negative_phrase": negative_conv_phrase(conv_peak),
        "test_one_plane": test_phrase(summary, "trained", "one_plane"),
        "test_head": test_phrase(summary, "trained", "head"),
        "control_phrase": stays_below(summary.control_max, plural=True),
        "two_plane_phrase": two_plane_phrase(min(summary.two_plane_low.values())),
        "decay_conclusion": decay_conclusion(summary),
        "generalises": generalisation_sentence(f for f in SYMMETRIC if rise[f] > 0),
        "learned": listing(summary.beyond_random["trained"]),
        "at_init": listing(summary.at_initialisation),
        "untrained_beyond": listing(summary.beyond_random["untrained"]),
        "no_symmetry_beyond": "; ".join(
            f"replicate {k + 1}: {listing(summary.beyond_random[name])}"
            for k, name in enumerate(summary.no_symmetry)),
        "smoother_phrase": smoother_phrase(summary.autocorrelation["horizontal"],
                                           summary.autocorrelation["vertical"]),
        "offline": offline_text(summary.notice),
        **{f"{name}_phrase": comparison_phrase(summary, name) for name in COMPARISONS},
        "learns_phrase": learns_phrase(new_class_accuracy)}


# ---------------------------------------------------------------------------------- claims

def recipe_setting(summary: MirrorSummary, network: str) -> str:
    """How the training of ``network`` departs from the authors' recipe."""
    cfg = summary.cfg
    if network == "trained":
        recipe = cfg.authors
        return (f"the authors' recipe (SGD, lr {recipe.lr:g}, momentum {recipe.momentum:g}, no "
                f"weight decay, no augmentation) at batch {recipe.batch} for {recipe.epochs} "
                "epochs (theirs: 256, 250); procedural objects")
    recipe = cfg.strong_decay
    return (f"departure: strong weight decay, AdamW λ = {recipe.weight_decay:g} "
            f"({recipe.scale_free_decay:g} on conv1, conv3), one-cycle lr {recipe.lr:g}, random "
            f"shifts and scales, {recipe.epochs} epochs; procedural objects")


def index_claims(summary: MirrorSummary, network: str = "trained") -> list[Claim]:
    """The claims about the index per layer (§3) for the network trained by ``network``'s
    recipe: low in the conv layers, high at fc1 and fc2 for one-plane objects and the head, low
    for objects without a plane, high for two-plane objects."""
    setting = recipe_setting(summary, network)

    def fc_claim(family, claim, paper):
        def control(name, f):
            result = summary.fc_high(network, f)
            return Control(f"{name} objects, same test and threshold",
                           f"fc1 {summary.index(network, f, 'fc1'):+.2f}, fc2 "
                           f"{summary.index(network, f, 'fc2'):+.2f}; "
                           f"{test_phrase(summary, network, f)}", result["holds"])
        result = summary.fc_high(network, family)
        return Claim(
            id=f"{family}_fc_high", claim=f"{claim}: high index at fc1 and fc2, above untrained",
            paper=paper, source=f"{MAIN_FIGURES}; {AUTHORS_TEST}; thresholds: {READING}",
            setting=setting,
            ours=f"fc1 {summary.index(network, family, 'fc1'):+.2f}, fc2 "
                 f"{summary.index(network, family):+.2f} (untrained "
                 f"{summary.index('untrained', family, 'fc1'):+.2f}, "
                 f"{summary.index('untrained', family):+.2f}); "
                 f"{test_word(summary, network, family)}",
            value=min(summary.index(network, family, layer) for layer in FC),
            criterion=f"at fc1 and fc2 both a significant rise by the authors' test and a mean "
                      f"> {FC_HIGH} (our reading)",
            holds=result["holds"],
            controls=tuple(control(name, f) for name, f in (("no-plane", "asymmetric"),
                                                            ("radial", "radial"))))

    return [
        Claim(id="conv_low",
              claim="one-plane objects and the head: low index in the conv layers",
              paper=f"< {CONV_LOW} in the conv layers (our reading)",
              source=f"{MAIN_FIGURES}; {READING}", setting=setting,
              ours=f"largest mean {summary.conv_peak(network):+.2f} trained "
                   f"(untrained {summary.conv_peak('untrained'):+.2f})",
              value=summary.conv_peak(network),
              criterion=f"every mean < {CONV_LOW} in the pixels, conv and pool layers "
                        "(one-plane and head, trained)",
              holds=summary.headlines[network]["conv_low"],
              controls=(Control("two-plane objects (high from conv1 in the paper), trained",
                                f"largest mean {summary.conv_peak(network, ('two_plane',)):+.2f}",
                                summary.conv_peak(network, ("two_plane",)) < CONV_LOW),)),
        fc_claim("one_plane", "one-plane categories never seen in training",
                 f"> {FC_HIGH} from the first fc layer on (our reading), above untrained"),
        fc_claim("head", "the head (faces), never trained",
                 f"> {FC_HIGH} from fc6 (our reading), negative in the conv layers"),
    ]


def stimulus_claims(summary: MirrorSummary) -> list[Claim]:
    """The claims about the families that are the controls of the others (§3), judged by our
    reading of the paper's thresholds."""
    setting = recipe_setting(summary, "trained")
    return [
        Claim(id="no_plane_radial_low",
              claim="objects without a symmetry plane (no-plane, radial) stay low in every layer",
              paper="fruits and flowers low in every layer",
              source=f"{MAIN_FIGURES}; 'low' read as < {CONV_LOW}: {READING}", setting=setting,
              ours=f"largest mean {summary.control_max:+.2f} (trained and untrained)",
              value=summary.control_max,
              criterion=f"every mean < {CONV_LOW}, every layer, trained and untrained",
              holds=summary.checks["controls_low"],
              no_control="these families are themselves the controls of the one-plane and head "
                         "claims"),
        Claim(id="two_plane_high",
              claim="two-plane (front–back symmetric) objects: high index from the pixels on, "
                    "trained and untrained",
              paper="cars and boats high from conv1",
              source=f"{MAIN_FIGURES}; 'high' read as > {FC_HIGH}: {READING}", setting=setting,
              ours=f"lowest mean over layers {summary.two_plane_low['trained']:+.2f} trained, "
                   f"{summary.two_plane_low['untrained']:+.2f} untrained",
              value=min(summary.two_plane_low.values()),
              criterion=f"mean > {FC_HIGH} in every layer, trained and untrained",
              holds=summary.checks["two_plane_high"],
              no_control="the paper attributes it to the stimuli (each view is close to its own "
                         "mirror image), so the untrained network is part of the criterion, not "
                         "a control"),
    ]


def no_symmetry_controls(summary: MirrorSummary, value: Callable[[str], str],
                         passes: Callable[[str], bool]) -> list[Control]:
    """The networks trained without symmetric categories (§7's asymmetric-only arm, one per
    replicate) as controls: ``value(name)`` and ``passes(name)`` of each under the claim's
    criterion."""
    return [Control(f"network trained without symmetric categories (§7, replicate {k + 1})",
                    value(name), passes(name)) for k, name in enumerate(summary.no_symmetry)]


def hflip_claim(summary: MirrorSummary, network: str = "trained") -> Claim:
    """Training makes every conv layer more hflip-equivariant than random networks, and the
    networks trained without symmetric categories do not get there (§5)."""
    bound = {layer: summary.random_margins[layer]["bound"] for layer in CONV}
    margin = {layer: summary.margins[network][layer]["median"] for layer in CONV}
    no_symmetry = no_symmetry_controls(
        summary, lambda name: f"beyond the bound in: {listing(summary.beyond_random[name])}",
        summary.learned_everywhere)
    return Claim(
        id="hflip_most_equivariant",
        claim="training makes the conv layers more equivariant to hflip than to vflip or rot90, "
              "beyond random networks",
        paper="hflip above vflip and rotation in trained conv layers",
        source="supplementary figure S7 (AlexNet); the authors' figureS7.py, medians",
        setting=f"{recipe_setting(summary, network)}; maps rotated back for rot90 (the "
                "authors' script: a net 180°); the random bound is our criterion",
        ours=f"beyond the random bound in: {listing(summary.beyond_random[network])} (of "
             f"{len(CONV)} conv layers)",
        value=min(margin[layer] - bound[layer] for layer in CONV),
        criterion="in every conv layer, the median margin (hflip − max(vflip, rot90)) exceeds "
                  "the random networks' mean + 2 SD",
        holds=summary.learned_everywhere(network),
        controls=(Control("this run's untrained network, same criterion",
                          f"beyond the bound in: {listing(summary.beyond_random['untrained'])}",
                          summary.learned_everywhere("untrained")), *no_symmetry))


def rise_text(rise: dict) -> str:
    """``+0.05 vs +0.02 [−0.01, +0.07]``: left–right and top–bottom rise, the interval of their
    difference."""
    return (f"{rise['rise_lr']:+.3f} vs {rise['rise_tb']:+.3f} "
            f"[{rise['low']:+.3f}, {rise['high']:+.3f}]")


def filters_claim(summary: MirrorSummary, network: str = "trained") -> Claim:
    """Training raises the left–right symmetry of the conv filters more than their top–bottom
    symmetry, in every conv layer (§5)."""
    rises = summary.filter_rise[network]

    def layers_text(name):
        return "; ".join(f"{layer} {rise_text(summary.filter_rise[name][layer])}"
                         for layer in CONV)
    no_symmetry = no_symmetry_controls(summary, layers_text, summary.filters_hold)
    return Claim(
        id="filters_more_symmetric",
        claim="training makes the conv filters more left–right than top–bottom symmetric",
        paper="filters shift towards symmetric",
        source="supplementary figure S5 (AlexNet); the authors' figureS5.m (left–right and "
               "top–bottom symmetry, no test)",
        setting=f"{recipe_setting(summary, network)}; each filter against its own initial "
                "weights (the authors: a fresh random network); the comparison with the "
                "top–bottom rise and its interval are our criterion",
        ours="interval above 0 in: " + listing(
            layer for layer in CONV if rises[layer]["holds"]) + f" (of {len(CONV)} conv layers)",
        value=min(rises[layer]["low"] for layer in CONV),
        criterion=f"in every conv layer the bootstrap interval ({summary.cfg.n_bootstrap} "
                  "resamples of the filters) of left–right rise − top–bottom rise lies above 0",
        holds=summary.filters_hold(network), controls=tuple(no_symmetry))


def pooling_claim(summary: MirrorSummary, network: str = "trained") -> Claim:
    """Global average pooling of the last pooling layer gives mirror-symmetric tuning (§6)."""
    def values(net, families):
        return ", ".join(f"{summary.full_pool(net, f):+.2f}" for f in families)
    return Claim(
        id="pooling_gives_msvt",
        claim="global average pooling of the last pooling layer gives mirror-symmetric tuning",
        paper="global average pooling of pool5 gives an index close to fc6",
        source="supplementary figure S3 (AlexNet); the authors' figureS3.m (pool5 against fc6, "
               "no test)",
        setting=f"{recipe_setting(summary, network)}; pool2 ({summary.map_size}×"
                f"{summary.map_size} positions), the analogue of pool5, z-scored then averaged "
                f"as the authors; 'high' read as > {FC_HIGH}: {READING}",
        ours=f"one-plane {summary.full_pool(network, 'one_plane'):+.2f}, head "
             f"{summary.full_pool(network, 'head'):+.2f} (fc1 "
             f"{summary.index(network, 'one_plane', 'fc1'):+.2f}, "
             f"{summary.index(network, 'head', 'fc1'):+.2f})",
        value=min(summary.full_pool(network, f) for f in SYMMETRIC),
        criterion=f"at full pooling a mean > {FC_HIGH} and above the 1-position value, "
                  "one-plane and head",
        holds=all(summary.pooling_holds(network, f) for f in SYMMETRIC),
        controls=(Control("untrained network", values("untrained", SYMMETRIC),
                          all(summary.pooling_holds("untrained", f) for f in SYMMETRIC)),
                  Control("no-plane and radial objects", values(network, NO_PLANE),
                          any(summary.pooling_holds(network, f) for f in NO_PLANE))))


def recipe_claims(summary: MirrorSummary, network: str = "trained") -> list[Claim]:
    """The claims about the network of §2 trained by ``network``'s recipe (``trained``: the
    authors', ``strong``: strong decay), in the page's order."""
    return [*index_claims(summary, network), hflip_claim(summary, network),
            filters_claim(summary, network), pooling_claim(summary, network)]


def manipulation_claims(summary: MirrorSummary) -> list[Claim]:
    """The claims about the training set (§7): each compares two arms at the last layer,
    one-plane objects and head, against their spread over the replicate networks."""
    cfg = summary.cfg
    setting = ("SVHN and CIFAR-10 in grey as the paper, procedural test stimuli; the authors' "
               "recipes" if summary.natural else
               f"procedural categories ({cfg.manip_categories} per arm, "
               f"{summary.manipulation['none'][0]['n_images']} training images each); the "
               f"authors' SGD recipe at batch {cfg.manip_recipe.batch}, {cfg.manip_recipe.epochs}"
               " epochs in every arm (theirs for SVHN: Adam, lr 1e-5, 250 epochs)")
    setting = f"{setting}; {len(summary.manipulation['none'])} networks per arm; the 2-SE "\
              "criterion is ours"
    names = summary.names

    def arm_claim(claim_id, comparison, claim, paper):
        first, second = COMPARISONS[comparison]
        per_family = {f: summary.comparisons[comparison][f][LAST] for f in SYMMETRIC}
        return Claim(
            id=claim_id, claim=claim, paper=paper, source=FIG4,
            setting=setting if summary.natural else f"departure: {setting}",
            ours=f"{LAST}: " + ", ".join(
                f"{FAMILY_LABELS[f].split(' (')[0]} {c['difference']:+.2f} (2 SE "
                f"{2 * c['se']:.2f})" for f, c in per_family.items()),
            value=min(c["difference"] for c in per_family.values()),
            criterion=f"at {LAST}, for one-plane objects and the head, the mean over replicates "
                      f"of {names[second]} exceeds that of {names[first]} by more than 2 "
                      "standard errors",
            holds=summary.comparison_holds(comparison),
            no_control="a comparison between two trained arms, each the other's reference (the "
                       "paper's Fig. 4 design); the replicates' spread is the noise it is "
                       "judged against")

    return [
        arm_claim("no_symmetry_training_lowers", "absent_lowers",
                  "training without symmetric categories gives a lower index",
                  "SVHN below CIFAR-10"),
        arm_claim("mirror_same_class_raises", "same_class_raises",
                  "mirroring half of the images with the same label raises the index",
                  "symSVHN above SVHN"),
        arm_claim("mirror_new_class_lowers", "new_class_lowers",
                  "the mirrored half as new classes gives a lower index than as the same class",
                  "asymSVHN below symSVHN"),
    ]


def claims(summary: MirrorSummary) -> list[Claim]:
    """Every claim of the chapter, in the page's order (the network of §2 by the authors'
    recipe)."""
    main = recipe_claims(summary, "trained")
    return main[:3] + stimulus_claims(summary) + main[3:] + manipulation_claims(summary)


def strong_decay_claims(summary: MirrorSummary) -> list[Claim]:
    """The claims about the network of §2 trained with the strong decay: the departure."""
    return recipe_claims(summary, "strong")
