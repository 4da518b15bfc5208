"""Chapter 3's runs: the rendered test stimuli and the trained networks, each cached on disk.

Every run is a function of the configuration, the seed and the device (and, for the
training-set manipulation, the profile, which decides whether the paper's data sets are
used). Each caches its result through :func:`cached_run` — one name per run, the key built
from exactly the settings the run reads, the seed and the device — so a rebuild is fast and a
changed setting recomputes only what depends on it. The chapter never calls the cache itself.

* :func:`test_stimuli` — every family's test exemplars at the nine analysis views;
* :func:`main_networks` — the network of §2 and its ordinary-decay control, trained side by side
  on the same rendered images (:func:`training_data`) from the same initial weights;
* :func:`manipulation_networks` — the three networks of the training-set manipulation (§7), and
  at the ``paper`` profile the CIFAR-10 reference.

A network run (:func:`train_network`) returns the ``trained`` and ``untrained`` state dicts, the
``loss`` per step, ``n_classes``, ``n_images`` (trained on), ``test_accuracy`` and eight example
images; :func:`load` makes a :class:`~emergence.models.mirrorcnn.MirrorCNN` of either state.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import torch

from emergence.cache import cached, default_cache_dir
from emergence.data.mirror_sets import analysis_stimuli, training_set, training_source
from emergence.experiments.mirror.config import CPU_THREADS, MANIPULATIONS, MirrorConfig
from emergence.models.mirrorcnn import MirrorCNN, accuracy, init_like_paper, train_classifier
from emergence.profiles import make_generator


def cached_run(name: str, key: dict, compute: Callable[[], dict]) -> dict:
    """``compute()``, cached as ``ch3-<name>`` under ``key`` (the settings it reads, the seed and,
    for a trained network, the device): the one way this chapter caches its runs."""
    return cached(f"ch3-{name}", key, compute)


# ---------------------------------------------------------------------------------- stimuli

def test_stimuli(cfg: MirrorConfig, seed: int) -> dict:
    """Every family's ``n_test`` exemplars at the analysis views (cached): ``images`` (objects,
    views, 32, 32), ``family`` (objects,) index into FAMILIES, ``yaws`` (views,)."""
    return cached_run("test-stimuli", {"n": cfg.n_test, "views": cfg.analysis_views,
                                       "seed": seed},
                      lambda: analysis_stimuli(cfg.n_test, make_generator(seed, "stimuli"),
                                               n_views=cfg.analysis_views))


@dataclass(frozen=True)
class TrainingSpec:
    """A rendered training set: random views of exemplars of random categories
    (:func:`emergence.data.mirror_sets.training_set`), drawn from the random stream ``stream``."""

    family: str
    n_categories: int
    n_exemplars: int
    n_views: int
    mirror: str = "none"
    stream: str = "main"
    yaw_range: tuple[float, float] = (-180.0, 180.0)


def main_spec(cfg: MirrorConfig) -> TrainingSpec:
    """One-plane categories seen from every direction: the main network's training set."""
    return TrainingSpec("one_plane", cfg.n_categories, cfg.n_exemplars, cfg.n_views)


def manipulation_spec(cfg: MirrorConfig) -> TrainingSpec:
    """Asymmetric categories seen from one side (yaw 0°…180°), each image also mirrored as a new
    class; :func:`manipulation_sets` derives the other two manipulation sets from it."""
    return TrainingSpec("asymmetric", cfg.manip_categories, cfg.manip_exemplars,
                        cfg.manip_views, "new_class", "manipulation", (0.0, 180.0))


def training_data(spec: TrainingSpec, seed: int) -> Callable[[], dict]:
    """A loader of the rendered set ``spec``: called at most once per page (the result is kept),
    and only when a network that needs it is not already cached; the rendering itself is
    cached on disk under ``spec`` and ``seed``."""
    @functools.cache
    def render_once() -> dict:
        return cached_run(f"data-{spec.stream}", dataclasses.asdict(spec) | {"seed": seed},
                          lambda: training_set(spec.family, spec.n_categories, spec.n_exemplars,
                                               spec.n_views, make_generator(seed, spec.stream),
                                               mirror=spec.mirror, yaw_range=spec.yaw_range))

    lock = threading.Lock()

    def load_set() -> dict:
        with lock:  # networks trained side by side ask for the same set: render it once
            return render_once()
    return load_set


def manipulation_sets(with_new: dict, n_categories: int) -> dict[str, dict]:
    """The three manipulation sets from one rendering with mirrors as new classes: ``none``
    (the first half, the images without their mirrors), ``same_class`` (all images, mirrored
    labels merged) and ``new_class`` (as rendered)."""
    half = len(with_new["images"]) // 2
    return {"none": {"images": with_new["images"][:half], "labels": with_new["labels"][:half],
                     "n_classes": n_categories},
            "same_class": {"images": with_new["images"],
                           "labels": with_new["labels"] % n_categories,
                           "n_classes": n_categories},
            "new_class": with_new}


# --------------------------------------------------------------------------------- networks

def train_network(data: dict, seed: int, stream: str, epochs: int, weight_decay: float,
                  scale_free_decay: float, device: torch.device) -> dict:
    """Train the small CNN on ``data`` (90 % of its images; 10 % held out for the test
    accuracy), from the paper's random initialisation, with the random stream
    ``stream-training`` of ``seed`` (order, initial weights, batches) and dropout from the
    stream ``stream-dropout`` (a generator of its own, so networks can train side by side:
    :func:`side_by_side`). Returns the run's dictionary (module docstring)."""
    generator = make_generator(seed, f"{stream}-training")
    x, y = data["images"], data["labels"]
    order = torch.randperm(len(x), generator=generator)
    n_test = len(x) // 10
    test, train = order[:n_test], order[n_test:]
    model = MirrorCNN(data["n_classes"])
    init_like_paper(model, generator)
    model.dropout_generator = make_generator(seed, f"{stream}-dropout")
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    model.to(device)
    log = train_classifier(model, x[train].to(device), y[train].to(device), generator,
                           epochs=epochs, weight_decay=weight_decay,
                           scale_free_decay=scale_free_decay, desc=f"training ({stream})")
    model.cpu()
    return {"trained": model.state_dict(), "untrained": initial, "loss": log["loss"],
            "n_classes": data["n_classes"], "n_images": len(train),
            "test_accuracy": accuracy(model, x[test], y[test]),
            "examples": x[train[:8]], "example_labels": y[train[:8]]}  # random training views


def side_by_side(jobs: dict[str, Callable[[], dict]], device: torch.device) -> dict[str, dict]:
    """Run the network jobs ``jobs`` (name → a :func:`cached_network` call) and return their
    results by name. On a CPU, each job trains on one torch thread and CPU_THREADS jobs run at
    once, in threads (PyTorch releases the interpreter lock inside its operations); the
    numbers do not depend on which jobs were cached or ran together. On a GPU, one after the
    other."""
    if device.type != "cpu":
        return {name: job() for name, job in jobs.items()}
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with ThreadPoolExecutor(max_workers=CPU_THREADS) as pool:
            futures = {name: pool.submit(job) for name, job in jobs.items()}
            return {name: future.result() for name, future in futures.items()}
    finally:
        torch.set_num_threads(before)


def cached_network(name: str, data_key: dict, data: Callable[[], dict], seed: int,
                   stream: str, epochs: int, weight_decay: float, scale_free_decay: float,
                   device: torch.device) -> dict:
    """:func:`train_network` on ``data()`` (called only on a cache miss), cached as ``name``
    under ``data_key`` (what the data are), the training settings, seed and device."""
    key = data_key | {"epochs": epochs, "weight_decay": weight_decay,
                      "scale_free_decay": scale_free_decay, "stream": stream, "seed": seed,
                      "device": device.type}
    return cached_run(name, key, lambda: train_network(
        data(), seed, stream, epochs, weight_decay, scale_free_decay, device))


def main_network(cfg: MirrorConfig, data: Callable[[], dict], seed: int,
                 device: torch.device) -> dict:
    """The network of the chapter's §2: one-plane categories, the strong decay."""
    return cached_network("main", dataclasses.asdict(main_spec(cfg)), data, seed, "main",
                          cfg.epochs, cfg.weight_decay, cfg.scale_free_decay, device)


def ordinary_network(cfg: MirrorConfig, data: Callable[[], dict], seed: int,
                     device: torch.device) -> dict:
    """The robustness control: as :func:`main_network` (same images, initial weights and
    batches) but with ``ordinary_decay`` on every layer."""
    return cached_network("ordinary-decay", dataclasses.asdict(main_spec(cfg)), data, seed,
                          "main", cfg.epochs, cfg.ordinary_decay, cfg.ordinary_decay, device)


def main_networks(cfg: MirrorConfig, seed: int, device: torch.device) -> dict[str, dict]:
    """:func:`main_network` (``"main"``) and its :func:`ordinary_network` control
    (``"ordinary"``), trained side by side on one rendering of the training set (rendered only
    when one of them is not cached)."""
    data = training_data(main_spec(cfg), seed)
    return side_by_side({"main": lambda: main_network(cfg, data, seed, device),
                         "ordinary": lambda: ordinary_network(cfg, data, seed, device)}, device)


def manipulation_network(cfg: MirrorConfig, mode: str, data_key: dict,
                         data: Callable[[], dict], seed: int, device: torch.device) -> dict:
    """A network of the training-set manipulation (``mode``: one of MANIPULATIONS, or
    ``cifar10`` for the reference at the paper profile), trained like the main network."""
    return cached_network(f"manipulation-{mode}", data_key | {"mode": mode}, data, seed,
                          "manipulation", cfg.manip_epochs, cfg.weight_decay,
                          cfg.scale_free_decay, device)


def manipulation_loaders(cfg: MirrorConfig, seed: int, natural: dict | None,
                         ) -> tuple[dict, dict[str, Callable[[], dict]]]:
    """``(data_key, {mode: loader})`` of the manipulation's training sets: with ``natural``
    (the paper's sets, :func:`emergence.data.mirror_sets.training_source`) CIFAR-10 as the
    reference and SVHN in its three forms; without, one procedural rendering with mirrors as new
    classes, from which :func:`manipulation_sets` derives the three sets."""
    if natural is not None:
        data_key = {"family": "fig4", "n_images": len(natural["svhn"]["images"])}
        names = {"cifar10": "cifar10", "none": "svhn", "same_class": "svhn_mirror_same",
                 "new_class": "svhn_mirror_new"}
        return data_key, {mode: functools.partial(natural.__getitem__, name)
                          for mode, name in names.items()}
    spec = manipulation_spec(cfg)
    rendered = training_data(spec, seed)

    def procedural_set(mode: str) -> dict:
        return manipulation_sets(rendered(), spec.n_categories)[mode]
    return dataclasses.asdict(spec), {mode: functools.partial(procedural_set, mode)
                                      for mode in MANIPULATIONS}


def manipulation_networks(cfg: MirrorConfig, seed: int, device: torch.device,
                          profile: str) -> dict:
    """The networks of the training-set manipulation (§7), trained side by side: at the
    ``paper`` profile on the paper's CIFAR-10 and SVHN sets when they can be had, else (and at
    every other profile, where nothing is downloaded) on procedural asymmetric categories.
    Returns ``{"networks": {mode: run}, "natural": bool, "notice": str}`` (``notice``: why the
    paper's sets could not be used, or empty)."""
    natural, notice = training_source(profile, default_cache_dir(),
                                      make_generator(seed, "fig4-data", "cpu"))
    data_key, loaders = manipulation_loaders(cfg, seed, natural)
    networks = side_by_side(
        {mode: functools.partial(manipulation_network, cfg, mode, data_key, loader, seed,
                                 device) for mode, loader in loaders.items()}, device)
    return {"networks": networks, "natural": natural is not None, "notice": notice}


def load(state: dict, key: str = "trained") -> MirrorCNN:
    """The ``trained`` or ``untrained`` network of a :func:`train_network` result (eval mode)."""
    model = MirrorCNN(state["n_classes"])
    model.load_state_dict(state[key])
    return model.eval()
