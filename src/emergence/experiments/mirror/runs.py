"""Chapter 3's runs: the rendered test stimuli and the trained networks, each cached on disk.

Every run is a function of the configuration, the seed and the device (and, for the
training-set manipulation, the profile, which decides whether the paper's data sets are
used). Each caches its result through :func:`cached_run` — one name per run, the key built
from exactly the settings the run reads, the seed and the device — so a rebuild is fast and a
changed setting recomputes only what depends on it. The chapter never calls the cache itself.

* :func:`test_stimuli` — every family's test exemplars at the nine analysis views;
* :func:`main_networks` — the network of §2 trained by the authors' recipe and by our
  strong-decay recipe, side by side on the same rendered images (:func:`training_data`) from the
  same initial weights;
* :func:`manipulation_networks` — the four arms of the training-set manipulation (§7), each
  ``manip_replicates`` networks: the same number of images, steps and epochs in every arm.

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
from emergence.data.mirror_sets import (
    analysis_stimuli,
    mirror_half,
    training_set,
    training_source,
)
from emergence.experiments.mirror.config import (
    ARMS,
    CPU_THREADS,
    RECIPES,
    SVHN_RECIPE,
    MirrorConfig,
    Recipe,
)
from emergence.models.mirrorcnn import MirrorCNN, accuracy, init_like_pytorch, train_classifier
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


def manipulation_specs(cfg: MirrorConfig, replicate: int) -> dict[str, TrainingSpec]:
    """The two renderings of a manipulation replicate: ``asymmetric`` categories seen from one
    side (yaw 0°…180°), from which :func:`manipulation_sets` derives the three manipulated sets,
    and the ``reference``: as many one-plane images, seen from every direction."""
    sizes = (cfg.manip_categories, cfg.manip_exemplars, cfg.manip_views)
    return {"asymmetric": TrainingSpec("asymmetric", *sizes, stream=f"manipulation-{replicate}",
                                       yaw_range=(0.0, 180.0)),
            "reference": TrainingSpec("one_plane", *sizes,
                                      stream=f"manipulation-reference-{replicate}")}


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


def manipulation_sets(asymmetric: dict, reference: dict,
                      generator: torch.Generator) -> dict[str, dict]:
    """The four arms from one rendering of each kind, every arm with the same number of images:
    ``reference`` (one-plane categories), ``none`` (the asymmetric images as rendered),
    ``same_class`` (a random half of them mirrored, labels kept: the paper's symSVHN) and
    ``new_class`` (the same half mirrored, labelled as new classes: asymSVHN). The half is drawn
    once from ``generator``, as the authors flip their sets once before training."""
    state = generator.get_state()
    same = mirror_half(asymmetric["images"], asymmetric["labels"], asymmetric["n_classes"],
                       generator, new_class=False)
    generator.set_state(state)  # the same half for both
    new = mirror_half(asymmetric["images"], asymmetric["labels"], asymmetric["n_classes"],
                      generator, new_class=True)
    return {"reference": reference, "none": asymmetric, "same_class": same, "new_class": new}


# --------------------------------------------------------------------------------- networks

def new_network(data: dict, seed: int, stream: str,
                ) -> tuple[MirrorCNN, torch.Tensor, torch.Tensor, torch.Generator]:
    """The untrained network of a run on ``data`` and its split: from the random stream
    ``stream-training`` of ``seed`` a permutation of the images (the first tenth held out for
    the test accuracy), then PyTorch's default initialisation; dropout draws from
    ``stream-dropout``. Returns ``(model, train indices, test indices, generator)``, the
    generator ready to draw the batches."""
    generator = make_generator(seed, f"{stream}-training")
    order = torch.randperm(len(data["images"]), generator=generator)
    n_test = len(order) // 10
    model = MirrorCNN(data["n_classes"])
    init_like_pytorch(model, generator)
    model.dropout_generator = make_generator(seed, f"{stream}-dropout")
    return model, order[n_test:], order[:n_test], generator


def train_network(data: dict, seed: int, stream: str, recipe: Recipe,
                  device: torch.device) -> dict:
    """Train the small CNN on ``data`` (90 % of its images; 10 % held out for the test
    accuracy) by ``recipe``, from PyTorch's default initialisation (as the authors' Fig. 4
    notebooks), with the random stream ``stream-training`` of ``seed`` (split, initial weights,
    batches) and dropout from the stream ``stream-dropout`` (a generator of its own, so networks
    can train side by side: :func:`side_by_side`). Returns the run's dictionary (module
    docstring)."""
    model, train, test, generator = new_network(data, seed, stream)
    x, y = data["images"], data["labels"]
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    model.to(device)
    log = train_classifier(model, x[train].to(device), y[train].to(device), generator,
                           **recipe.training_arguments(), desc=f"training ({stream})")
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
                   stream: str, recipe: Recipe, device: torch.device) -> dict:
    """:func:`train_network` on ``data()`` (called only on a cache miss), cached as ``name``
    under ``data_key`` (what the data are), the recipe, seed and device."""
    key = data_key | {"recipe": dataclasses.asdict(recipe), "stream": stream, "seed": seed,
                      "device": device.type, "init": "pytorch"}
    return cached_run(name, key, lambda: train_network(data(), seed, stream, recipe, device))


def main_networks(cfg: MirrorConfig, seed: int, device: torch.device) -> dict[str, dict]:
    """The network of §2 trained by each recipe (``"authors"``, the paper's setting, and
    ``"strong_decay"``, our departure), side by side on one rendering of the training set
    (rendered only when one of them is not cached), from the same initial weights."""
    spec = main_spec(cfg)
    data = training_data(spec, seed)
    return side_by_side({name: functools.partial(
        cached_network, f"main-{name}", dataclasses.asdict(spec), data, seed, "main",
        cfg.recipe(name), device) for name in RECIPES}, device)


def procedural_loaders(cfg: MirrorConfig, seed: int, replicate: int,
                       ) -> tuple[dict, dict[str, Callable[[], dict]]]:
    """``(data_key, {arm: loader})`` of one replicate's procedural manipulation sets
    (:func:`manipulation_sets`), rendered once when a loader is first called."""
    specs = manipulation_specs(cfg, replicate)
    rendered = {kind: training_data(spec, seed) for kind, spec in specs.items()}

    @functools.cache
    def sets() -> dict[str, dict]:
        return manipulation_sets(rendered["asymmetric"](), rendered["reference"](),
                                 make_generator(seed, f"manipulation-{replicate}-flips"))
    data_key = {kind: dataclasses.asdict(spec) for kind, spec in specs.items()}
    return data_key, {arm: (lambda arm=arm: sets()[arm]) for arm in ARMS}


def natural_loaders(natural: dict) -> tuple[dict, dict[str, Callable[[], dict]]]:
    """``(data_key, {arm: loader})`` of the paper's sets: CIFAR-10 as the reference, SVHN in its
    three forms."""
    data_key = {"family": "fig4", "n_images": len(natural["svhn"]["images"])}
    names = {"reference": "cifar10", "none": "svhn", "same_class": "svhn_mirror_same",
             "new_class": "svhn_mirror_new"}
    return data_key, {arm: functools.partial(natural.__getitem__, name)
                      for arm, name in names.items()}


def arm_recipe(cfg: MirrorConfig, arm: str, natural: bool) -> Recipe:
    """The recipe of a manipulation arm: ``manip_recipe`` on the procedural sets; on the
    paper's sets the authors' own (SGD for CIFAR-10, Adam for the SVHN arms)."""
    if not natural:
        return cfg.manip_recipe
    return cfg.authors if arm == "reference" else SVHN_RECIPE


def manipulation_networks(cfg: MirrorConfig, seed: int, device: torch.device,
                          profile: str) -> dict:
    """The networks of the training-set manipulation (§7): ``manip_replicates`` per arm, all
    trained side by side, replicate r from the streams ``manipulation-r`` (its own rendering,
    flipped half and initial weights). At the ``paper`` profile on the paper's CIFAR-10 and SVHN
    sets when they can be had (the replicates then differ in their initial weights and batches
    only), else (and at every other profile, where nothing is downloaded) on procedural
    categories. Returns ``{"networks": {arm: [run per replicate]}, "natural": bool, "notice":
    str}`` (``notice``: why the paper's sets could not be used, or empty)."""
    natural, notice = training_source(profile, default_cache_dir(),
                                      make_generator(seed, "fig4-data", "cpu"))
    jobs = {}
    for replicate in range(cfg.manip_replicates):
        data_key, loaders = (natural_loaders(natural) if natural is not None
                             else procedural_loaders(cfg, seed, replicate))
        for arm, loader in loaders.items():
            jobs[arm, replicate] = functools.partial(
                cached_network, f"manipulation-{arm}", data_key | {"arm": arm}, loader, seed,
                f"manipulation-{replicate}", arm_recipe(cfg, arm, natural is not None), device)
    runs = side_by_side(jobs, device)
    networks = {arm: [runs[arm, r] for r in range(cfg.manip_replicates)] for arm in ARMS}
    return {"networks": networks, "natural": natural is not None, "notice": notice}


def load(state: dict, key: str = "trained") -> MirrorCNN:
    """The ``trained`` or ``untrained`` network of a :func:`train_network` result (eval mode)."""
    model = MirrorCNN(state["n_classes"])
    model.load_state_dict(state[key])
    return model.eval()
