"""Chapter 3's configuration: the sizes and training recipes of each run profile, the layers
and object families the chapter reads, our reading of the paper's thresholds and the authors'
test.

:func:`config_for` gives a profile's :class:`MirrorConfig` (``cpu`` values as the base, each
profile changing only what :data:`PROFILE_CHANGES` lists). Two recipes train every network of
§2–§6 side by side: the authors' (:data:`AUTHORS_RECIPE`, the paper's setting) and our strong
weight decay (:data:`STRONG_DECAY_RECIPE`, a departure).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from emergence.models.mirrorcnn import LAYERS
from emergence.profiles import require_choice


@dataclass(frozen=True)
class Recipe:
    """How a network is trained: the keyword arguments of
    :func:`emergence.models.mirrorcnn.train_classifier` and the number of epochs."""

    optimiser: str
    schedule: str
    lr: float
    batch: int
    epochs: int
    weight_decay: float = 0.0
    scale_free_decay: float | None = None
    momentum: float = 0.9
    step_epochs: int = 50
    step_gamma: float = 0.5
    augment_images: bool = False

    def training_arguments(self) -> dict:
        """The keyword arguments of ``train_classifier``."""
        return dataclasses.asdict(self)


#: The authors' recipe (their Fig. 4 CIFAR-10 notebook: SGD, lr 1e-3, momentum 0.9, weight
#: decay 0, StepLR(50, 0.5), batch 256, 250 epochs, no augmentation). Ours departs in the batch
#: (smaller, for more steps in the few epochs a CPU allows) and the number of epochs.
AUTHORS_RECIPE = Recipe(optimiser="sgd", schedule="step", lr=1e-3, batch=64, epochs=12)
#: Our strong-decay recipe, a departure kept beside the authors': AdamW with a one-cycle
#: schedule, decoupled decay λ = 4 (12 on the batch-normalised conv1 and conv3), random shifts
#: and scales of every batch.
STRONG_DECAY_RECIPE = Recipe(optimiser="adamw", schedule="one_cycle", lr=3e-3, batch=64,
                             epochs=10, weight_decay=4.0, scale_free_decay=12.0,
                             augment_images=True)
#: The authors' recipe of their SVHN notebooks (Adam, lr 1e-5, no decay, StepLR(20, 0.5)), for
#: the manipulation on the paper's own sets at the ``paper`` profile.
SVHN_RECIPE = Recipe(optimiser="adamw", schedule="step", lr=1e-5, batch=256, epochs=250,
                     step_epochs=20)
#: The recipes by name: the chapter's networks are trained by each.
RECIPES = ("authors", "strong_decay")


@dataclass(frozen=True)
class MirrorConfig:
    """Sizes and settings of Chapter 3 (the ``cpu`` profile's values)."""

    n_categories: int = 12  # one-plane training categories
    n_exemplars: int = 16  # exemplars per training category
    n_views: int = 20  # random views per training exemplar
    authors: Recipe = AUTHORS_RECIPE
    strong_decay: Recipe = STRONG_DECAY_RECIPE
    n_test: int = 20  # test exemplars per family
    analysis_views: int = 9  # yaw −90° … +90° in 22.5° steps, as in the paper
    manip_categories: int = 6  # the training-set manipulation: asymmetric categories, …
    manip_exemplars: int = 8
    manip_views: int = 10  # … seen from one side only
    #: the authors' recipe at batch 32, for as many steps as the arms' few images allow
    manip_recipe: Recipe = dataclasses.replace(AUTHORS_RECIPE, batch=32, epochs=16)
    manip_replicates: int = 2  # networks per arm, each from its own seed stream
    n_equivariance: int = 4  # test objects per family (all their views) for equivariance
    n_random: int = 8  # random networks, the reference of the hflip margin
    n_bootstrap: int = 2000  # resamples of the filters for the filter-symmetry interval
    n_explore: int = 2  # explorer objects per family
    explore_groups: int = 7  # explorer layers: the last ones of EXPLORE_LAYERS

    def recipe(self, name: str) -> Recipe:
        """The recipe ``name`` (one of RECIPES)."""
        require_choice("recipe", name, RECIPES)
        return getattr(self, name)


PROFILE_CHANGES = {
    "smoke": dict(n_categories=4, n_exemplars=3, n_views=8, n_test=2,
                  authors=dataclasses.replace(AUTHORS_RECIPE, epochs=1),
                  strong_decay=dataclasses.replace(STRONG_DECAY_RECIPE, epochs=1),
                  manip_categories=3, manip_exemplars=2, manip_views=8,
                  manip_recipe=dataclasses.replace(AUTHORS_RECIPE, batch=32, epochs=1),
                  n_equivariance=1, n_random=3, n_bootstrap=200, n_explore=1,
                  explore_groups=3),
    "cpu": {},
    "paper": dict(n_exemplars=40, n_views=40, n_test=25,
                  authors=dataclasses.replace(AUTHORS_RECIPE, batch=256, epochs=250),
                  strong_decay=dataclasses.replace(STRONG_DECAY_RECIPE, epochs=20),
                  manip_exemplars=40, manip_views=40,
                  manip_recipe=dataclasses.replace(AUTHORS_RECIPE, batch=256, epochs=250),
                  manip_replicates=3, n_equivariance=10, n_random=50, n_explore=3),
}

#: Torch threads on a CPU. Fixed, because the order of floating-point sums (hence every number
#: of the page) can depend on the thread count: the same seed then gives the same numbers on any
#: machine. Rendering and the measures use two threads; each network trains on one thread, and
#: CPU_THREADS networks train at once (:func:`emergence.experiments.mirror.runs.side_by_side`):
#: two networks side by side on two cores finish 13–20 % sooner than one after the other on two
#: threads each.
CPU_THREADS = 2

#: Our reading of the paper's main figure (Fig. 2C, AlexNet on ImageNet): conv layers below,
#: fc layers above. No file of the authors states these numbers; the authors' test is
#: :data:`FDR_Q` on a rank-sum test of trained against untrained networks.
CONV_LOW, FC_HIGH = 0.1, 0.6
#: The authors' test (figure2C_S2.m): a two-sided rank-sum test per layer and category of the
#: trained against the untrained network's per-object indices, Benjamini–Yekutieli FDR over all
#: of them (``fdr_bh(..., 'dep')``) at q = 0.05.
FDR_Q = 0.05
ALL_LAYERS = ("pixels", *LAYERS)
CONV = ("conv1", "conv2", "conv3", "conv4")
CONV_AND_POOL = ("pixels", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2")
FC = ("fc1", "fc2")
LAST = LAYERS[-1]  # the last hidden layer, where the headline index is read
SYMMETRIC = ("one_plane", "head")  # the families the headline claims are about
NO_PLANE = ("asymmetric", "radial")  # the families without a symmetry plane: the controls
FAMILY_LABELS = {"one_plane": "one plane (new categories)", "head": "head (never trained)",
                 "asymmetric": "no plane", "two_plane": "two planes", "radial": "radial"}
#: The explorer's layers (layer, network); a profile shows the last ``explore_groups`` of them.
EXPLORE_LAYERS = (("pixels", "trained"), ("conv2", "trained"), ("conv4", "trained"),
                  ("gap", "trained"), ("fc1", "trained"), ("fc2", "trained"),
                  ("fc2", "untrained"))
#: The training-set manipulation: the mirror images left out, added with the same label, or
#: added as new classes.
MANIPULATIONS = ("none", "same_class", "new_class")
#: Every arm of the manipulation: the symmetric reference (one-plane categories) and the three.
ARMS = ("reference", *MANIPULATIONS)


def config_for(profile: str, **overrides) -> MirrorConfig:
    """The configuration of ``profile`` (``smoke``, ``cpu`` or ``paper``), with ``overrides``."""
    require_choice("profile", profile, PROFILE_CHANGES)
    return dataclasses.replace(MirrorConfig(), **(PROFILE_CHANGES[profile] | overrides))
