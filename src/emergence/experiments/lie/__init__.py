"""Chapter 1: Bertoni, Montobbio, Sarti & Citti (2021), "Emergence of Lie symmetries in
functional architectures learned by CNNs" — our reconstruction (the paper's sizes, data pipeline
and metrics could not be read).

A CNN built like the early visual pathway — one pre-filter ℓ⁰ (LGN), C filters ℓ¹ (V1 simple
cells), a learned lateral kernel K¹ iterated ``h ← ReLU(h₀ + K¹ ∗ h)`` (V1 horizontal
connections), a classifying head — is trained on randomly rotated natural images. The paper's
claims: ℓ⁰ becomes a radially symmetric Laplacian of Gaussian, ℓ¹ Gabor-like, and K¹
orientation selective with association fields like those of the SE(2)-invariant models of V1.

The flow: configuration → runs → summary → claims, results, figures.

* :mod:`.config` — :class:`~.config.LieConfig` (base values), per profile what changes,
  :func:`config_for`, :data:`CPU_THREADS`;
* :mod:`.images` — the training images (photographs or CIFAR-10, randomly rotated);
* :mod:`.training` — stage 1 through the task, our Hebbian stage 2 for K¹;
* :mod:`.filter_fits` — Gabor fits of the effective filters ℓ⁰ ∗ ℓ¹ and their controls;
* :mod:`.kernels` — the K¹ measures with their shuffled-orientation tests, the SE(2) model;
* :mod:`.runs` — the chapter's runs, the expensive ones cached on disk;
* :mod:`.summary` — :func:`~.summary.summarise`: one :class:`~.summary.LieSummary` per run;
* :mod:`.claims` — the claim records and the sentences that depend on a result;
* :mod:`.results` — the results record and :data:`~.results.RESULT_KEYS`;
* :mod:`.figures`, :mod:`.tables` — the page's figures, explorers and Markdown tables;
* :mod:`.search` — the record of the lever search (``benchmarks/lie_levers.py``).
"""

from . import (
    claims,
    config,
    figures,
    filter_fits,
    images,
    kernels,
    results,
    runs,
    search,
    summary,
    tables,
    training,
)
from .config import CPU_THREADS, LieConfig, config_for
from .summary import LieSummary, summarise

#: The chapter's page (``book/lie_symmetries.py``) and results file stem.
CHAPTER = "lie_symmetries"

__all__ = ["CHAPTER", "CPU_THREADS", "LieConfig", "LieSummary", "claims", "config", "config_for",
           "figures", "filter_fits", "images", "kernels", "results", "runs", "search", "summarise",
           "summary", "tables", "training"]
