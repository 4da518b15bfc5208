"""Chapter 3: Farzmahdi, Zarco, Freiwald, Kriegeskorte and Golan (2024), "Emergence of brain-like
mirror-symmetric viewpoint tuning in convolutional neural networks", eLife 13:RP90256.

The chapter renders procedural 3D objects, trains the paper's small CNN on one-plane categories
by the authors' recipe (and, beside it, with a strong weight decay, a departure) and measures
mirror-symmetric viewpoint tuning (MSVT) layer by layer with the authors' test, the reflection
equivariance of the conv maps, filter symmetry, pooling, and a training-set manipulation. Its
parts, in the order a page uses them:

* :mod:`.config` — :class:`~.config.MirrorConfig` (base values), ``PROFILE_CHANGES``,
  :func:`config_for`, ``CPU_THREADS`` and the layers, families and thresholds the chapter reads;
* :mod:`.runs` — the cached runs: test stimuli, the main network by each recipe, the
  manipulation arms (replicate networks each);
* :mod:`.measures` and :mod:`.tables` — the measurements of the networks on the stimuli and the
  mean ± SEM tables they fill (the general indices are in :mod:`emergence.analysis.mirror`);
* :mod:`.summary` — :func:`summarise`: one :class:`~.summary.MirrorSummary` of every
  measurement, computed once, and the numbers the page's prose states;
* :mod:`.claims` — the claim records and the page's result-dependent sentences;
* :mod:`.results` — the results file's record and :data:`~.results.RESULT_KEYS`;
* :mod:`.figures` — the figures, tables and the explorer.

The flow: ``config_for(profile)`` → runs → ``summarise`` → claims, results record and figures,
each reading the summary.
"""

from emergence.experiments.mirror import (
    claims,
    config,
    figures,
    measures,
    results,
    runs,
    summary,
    tables,
)
from emergence.experiments.mirror.config import CPU_THREADS, MirrorConfig, config_for
from emergence.experiments.mirror.summary import MirrorSummary, summarise

CHAPTER = "mirror_symmetry"

__all__ = ["CHAPTER", "CPU_THREADS", "MirrorConfig", "MirrorSummary", "claims", "config",
           "config_for", "figures", "measures", "results", "runs", "summarise", "summary",
           "tables"]
