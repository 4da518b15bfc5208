"""Chapter 3's configuration: the sizes and training settings of each run profile, the layers
and object families the chapter reads, and the paper's thresholds.

:func:`config_for` gives a profile's :class:`MirrorConfig` (``cpu`` values as the base, each
profile changing only the sizes listed in :data:`PROFILE_CHANGES`; the training recipe is the
same at every profile).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from emergence.models.mirrorcnn import LAYERS
from emergence.profiles import require_choice


@dataclass(frozen=True)
class MirrorConfig:
    """Sizes and settings of Chapter 3 (the ``cpu`` profile's values).

    The decays are AdamW's decoupled weight decay λ: ``weight_decay`` for every layer but the two
    batch-normalised convolutions, which get ``scale_free_decay`` (the chapter's §2 says why);
    ``ordinary_decay`` is the robustness control's λ on every layer (PyTorch's AdamW default).
    """

    n_categories: int = 12  # one-plane training categories
    n_exemplars: int = 16  # exemplars per training category
    n_views: int = 20  # random views per training exemplar
    epochs: int = 10
    weight_decay: float = 4.0
    scale_free_decay: float = 12.0
    ordinary_decay: float = 0.01
    n_test: int = 20  # test exemplars per family
    analysis_views: int = 9  # yaw −90° … +90° in 22.5° steps, as in the paper
    manip_categories: int = 6  # the training-set manipulation: asymmetric categories, …
    manip_exemplars: int = 8
    manip_views: int = 20  # … seen from one side only
    manip_epochs: int = 6
    n_equivariance: int = 4  # test objects per family (all their views) for equivariance
    n_random: int = 12  # random networks, the reference of the hflip margin
    n_explore: int = 2  # explorer objects per family
    explore_groups: int = 7  # explorer layers: the last ones of EXPLORE_LAYERS


PROFILE_CHANGES = {
    "smoke": dict(n_categories=4, n_exemplars=3, n_views=8, epochs=1, n_test=2,
                  manip_categories=3, manip_exemplars=2, manip_views=8, manip_epochs=1,
                  n_equivariance=1, n_random=3, n_explore=1, explore_groups=3),
    "cpu": {},
    "paper": dict(n_exemplars=40, n_views=40, epochs=20, n_test=25, manip_exemplars=40,
                  manip_views=40, manip_epochs=20, n_equivariance=10, n_random=50, n_explore=3),
}

#: Torch threads on a CPU. Fixed, because the order of floating-point sums (hence every number
#: of the page) can depend on the thread count: the same seed then gives the same numbers on any
#: machine. Rendering and the measures use two threads; each network trains on one thread, and
#: CPU_THREADS networks train at once (:func:`emergence.experiments.mirror.runs.side_by_side`):
#: two networks side by side on two cores finish 13–20 % sooner than one after the other on two
#: threads each.
CPU_THREADS = 2

#: The paper's thresholds (AlexNet on ImageNet, its main figures): conv layers below, fc above.
CONV_LOW, FC_HIGH = 0.1, 0.6
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


def config_for(profile: str, **overrides) -> MirrorConfig:
    """The configuration of ``profile`` (``smoke``, ``cpu`` or ``paper``), with ``overrides``."""
    require_choice("profile", profile, PROFILE_CHANGES)
    return dataclasses.replace(MirrorConfig(), **(PROFILE_CHANGES[profile] | overrides))
