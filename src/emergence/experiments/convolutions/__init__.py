"""Chapter 2: Ingrosso & Goldt (2022), "Data-driven emergence of convolutional structure in
neural networks", PNAS 119(40) e2201854119.

A fully connected two-layer network (a soft committee) trained to tell apart two classes of
translation-invariant inputs learns localised receptive fields, but only when the inputs are
non-Gaussian (the NLGP), not with their Gaussian clone. The parts, in the order the chapter
uses them:

* :mod:`.config` — :class:`~.config.ConvolutionsConfig` (the ``cpu`` profile's values),
  ``PROFILE_CHANGES``, :func:`~.config.config_for` and ``CPU_THREADS``;
* :mod:`.runs` — the expensive runs (the 1D gain sweep, the 1D claim's networks trained to the
  paper's time, the 2D torus, the wider tiling network, the CNN, the κ₄ mechanism), each cached
  on disk: :func:`~.runs.load_runs`;
* :mod:`.summary` — :func:`~.summary.summarise`: one
  :class:`~.summary.ConvolutionsSummary` per run of the chapter, every number computed once;
* :mod:`.claims` — the claims with their controls, and the sentences that depend on a result;
* :mod:`.results` — the results record (``convolutions_from_data.json``) and ``RESULT_KEYS``;
* :mod:`.figures` — the figures, tables and the explorer (presentation only);
* :mod:`.tables` — the record over seeds (choice seeds 0–3, held-out seeds 4–7) and its tables.

The flow: config → runs → summary → claims, results, figures.
"""

from . import claims, figures, results, runs, summary, tables
from .config import CPU_THREADS, ConvolutionsConfig, config_for
from .summary import summarise

CHAPTER = "convolutions_from_data"

__all__ = ["CHAPTER", "CPU_THREADS", "ConvolutionsConfig", "claims", "config_for", "figures",
           "results", "runs", "summarise", "summary", "tables"]
