"""Chapter 3's experiments (Farzmahdi et al. 2024): one configuration, functions with explicit
inputs.

The chapter reads as: :func:`config_for` → rendered stimuli and training sets
(:func:`test_stimuli`, :func:`training_data`) → trained networks (:func:`main_network`,
:func:`ordinary_network`, :func:`manipulation_network`) → measurements, each a function of the
networks and stimuli it is given. Rendered sets and trained networks are cached on disk
(:func:`emergence.cache.cached`) under exactly the fields they read, the seed and the device, so
that a rebuild is fast and a changed setting recomputes only what depends on it.

MSVT statistics come out as a flat :class:`StatTable` (one row per network × layer × family:
mean and SEM over the exemplars); :meth:`StatTable.nested` gives the nested form the results
file keeps (``network → layer → family → {mean, sem}``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import torch

from emergence.analysis.mirror import (
    TRANSFORMS,
    equivariances,
    filter_symmetry,
    invariance,
    mean_sem,
    msvt_index,
    pooled_index,
    pooled_indices,
    transform,
)
from emergence.cache import cached
from emergence.data.mirror_sets import analysis_stimuli, training_set
from emergence.data.objects import FAMILIES
from emergence.models.mirrorcnn import (
    LAYERS,
    MirrorCNN,
    accuracy,
    init_like_paper,
    layer_responses,
    train_classifier,
)
from emergence.profiles import make_generator, require_choice
from emergence.progress import progress_bar


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
    epochs: int = 10  # 12 before: seeds 1–3 gave the same verdicts, but pooling now holds at 2
    weight_decay: float = 4.0
    scale_free_decay: float = 12.0
    ordinary_decay: float = 0.01
    n_test: int = 20  # test exemplars per family
    analysis_views: int = 9  # yaw −90° … +90° in 22.5° steps, as in the paper
    manip_categories: int = 6  # the training-set manipulation: asymmetric categories, …
    manip_exemplars: int = 8
    manip_views: int = 20  # … seen from one side only
    manip_epochs: int = 6  # 12 before, then 8: 6 keeps the page within five minutes on 2 cores
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

#: The paper's thresholds (AlexNet on ImageNet, its main figures): conv layers below, fc above.
CONV_LOW, FC_HIGH = 0.1, 0.6
ALL_LAYERS = ("pixels", *LAYERS)
CONV = ("conv1", "conv2", "conv3", "conv4")
CONV_AND_POOL = ("pixels", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2")
LAST = LAYERS[-1]  # the last hidden layer, where the headline index is read
SYMMETRIC = ("one_plane", "head")  # the families the headline claims are about
FAMILY_LABELS = {"one_plane": "one plane (new categories)", "head": "head (never trained)",
                 "asymmetric": "no plane", "two_plane": "two planes", "radial": "radial"}
EXPLORE_LAYERS = (("pixels", "trained"), ("conv2", "trained"), ("conv4", "trained"),
                  ("gap", "trained"), ("fc1", "trained"), ("fc2", "trained"),
                  ("fc2", "untrained"))
MANIPULATIONS = ("none", "same_class", "new_class")
#: Torch threads on a CPU. Fixed, because the order of floating-point sums (hence every number
#: of the page) can depend on the thread count: the same seed then gives the same numbers on any
#: machine. Rendering and the measures use two threads; each network trains on one thread, and
#: CPU_THREADS networks train at once (:func:`side_by_side`): two networks side by side on two
#: cores finish 13–20 % sooner than one after the other on two threads each.
CPU_THREADS = 2


def config_for(profile: str, **overrides) -> MirrorConfig:
    """The configuration of ``profile`` (``smoke``, ``cpu`` or ``paper``), with ``overrides``."""
    require_choice("profile", profile, PROFILE_CHANGES)
    return dataclasses.replace(MirrorConfig(), **(PROFILE_CHANGES[profile] | overrides))


class Stopwatch:
    """Seconds per stage of a page: :meth:`lap` records the time since the previous lap."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + now - self._last, 1)
        self._last = now

    def text(self) -> str:
        return ", ".join(f"{stage} {s:.0f} s" for stage, s in self.seconds.items())


# ---------------------------------------------------------------------------------- stimuli

def test_stimuli(cfg: MirrorConfig, seed: int) -> dict:
    """Every family's ``n_test`` exemplars at the analysis views (cached): ``images`` (objects,
    views, 32, 32), ``family`` (objects,) index into FAMILIES, ``yaws`` (views,)."""
    return cached("ch3-test-stimuli", {"n": cfg.n_test, "views": cfg.analysis_views,
                                       "seed": seed},
                  lambda: analysis_stimuli(cfg.n_test, make_generator(seed, "stimuli"),
                                           n_views=cfg.analysis_views))


def family_members(family_of: torch.Tensor) -> dict[str, torch.Tensor]:
    """``family → indices`` of its objects in the test stimuli."""
    return {f: (family_of == i).nonzero().squeeze(1) for i, f in enumerate(FAMILIES)}


def mirror_errors(images: torch.Tensor, family_of: torch.Tensor) -> dict[str, float]:
    """The largest difference between view(−θ) and the flip of view(+θ) over the objects with a
    symmetry plane (``max_symmetric``), and the smallest over the no-plane ones."""
    error = (images - images.flip(1).flip(-1)).abs().amax((1, 2, 3))
    members = family_members(family_of)
    return {"max_symmetric": float(max(error[members[f]].max()
                                       for f in ("one_plane", "head", "two_plane"))),
            "min_asymmetric": float(error[members["asymmetric"]].min())}


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
        return cached(f"ch3-data-{spec.stream}", dataclasses.asdict(spec) | {"seed": seed},
                      lambda: training_set(spec.family, spec.n_categories, spec.n_exemplars,
                                           spec.n_views, make_generator(seed, spec.stream),
                                           mirror=spec.mirror, yaw_range=spec.yaw_range))

    lock = threading.Lock()

    def load() -> dict:
        with lock:  # networks trained side by side ask for the same set: render it once
            return render_once()
    return load


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
    :func:`side_by_side`). Returns the ``trained`` and ``untrained`` state dicts, the
    ``loss`` per step, ``n_classes``, ``n_images`` (trained on), ``test_accuracy`` and eight
    example images."""
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
            "examples": x[:8], "example_labels": y[:8]}


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
    """:func:`train_network` on ``data()`` (called only on a cache miss), cached as
    ``ch3-name`` under ``data_key`` (what the data are), the training settings, seed and
    device."""
    key = data_key | {"epochs": epochs, "weight_decay": weight_decay,
                      "scale_free_decay": scale_free_decay, "stream": stream, "seed": seed,
                      "device": device.type}
    return cached(f"ch3-{name}", key, lambda: train_network(
        data(), seed, stream, epochs, weight_decay, scale_free_decay, device))


def main_networks(cfg: MirrorConfig, data: Callable[[], dict], seed: int,
                  device: torch.device) -> tuple[dict, dict]:
    """:func:`main_network` and its :func:`ordinary_network` control, trained side by side."""
    both = side_by_side({"main": lambda: main_network(cfg, data, seed, device),
                         "ordinary": lambda: ordinary_network(cfg, data, seed, device)}, device)
    return both["main"], both["ordinary"]


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


def manipulation_network(cfg: MirrorConfig, mode: str, data_key: dict,
                         data: Callable[[], dict], seed: int, device: torch.device) -> dict:
    """A network of the training-set manipulation (``mode``: one of MANIPULATIONS, or
    ``cifar10`` for the reference at the paper profile), trained like the main network."""
    return cached_network(f"manipulation-{mode}", data_key | {"mode": mode}, data, seed,
                          "manipulation", cfg.manip_epochs, cfg.weight_decay,
                          cfg.scale_free_decay, device)


def load(state: dict, key: str = "trained") -> MirrorCNN:
    """The ``trained`` or ``untrained`` network of a :func:`train_network` result (eval mode)."""
    model = MirrorCNN(state["n_classes"])
    model.load_state_dict(state[key])
    return model.eval()


# ---------------------------------------------------------------------------- MSVT indices

def stimulus_responses(model: MirrorCNN, images: torch.Tensor) -> dict[str, torch.Tensor]:
    """Responses of every analysed layer to the test stimuli ``images`` (objects, views, H, W),
    as (objects, views, ...)."""
    n, v = images.shape[:2]
    flat = layer_responses(model, images.reshape(n * v, 1, *images.shape[2:]))
    return {layer: r.reshape(n, v, *r.shape[1:]) for layer, r in flat.items()}


def layer_indices(responses: dict[str, torch.Tensor],
                  layers: Sequence[str] = ALL_LAYERS) -> dict[str, torch.Tensor]:
    """The MSVT index per object of each of ``layers``, and ``gap``: conv4 pooled over the
    whole map as the authors pool it (z-scored, then averaged)."""
    out = {layer: msvt_index(responses[layer]) for layer in layers}
    if "conv4" in responses:
        out["gap"] = pooled_index(responses["conv4"], responses["conv4"].shape[-1])
    return out


@dataclass(frozen=True)
class StatTable:
    """Mean ± SEM over exemplars as a flat table: ``columns`` name the key of each row (e.g.
    network, layer, family); each row holds those keys and ``mean``, ``sem``, ``n``."""

    columns: tuple[str, ...]
    rows: tuple[dict, ...]

    def row(self, *key) -> dict:
        """The row of ``key`` (one value per column)."""
        for r in self.rows:
            if tuple(r[c] for c in self.columns) == key:
                return r
        raise KeyError(f"no row {dict(zip(self.columns, key, strict=False))} in the table.")

    def mean(self, *key) -> float:
        return self.row(*key)["mean"]

    def text(self, *key) -> str:
        """``+0.94 ± 0.02``."""
        r = self.row(*key)
        return f"{r['mean']:+.2f} ± {r['sem']:.2f}"

    def nested(self, stats: Sequence[str] = ("mean", "sem", "n")) -> dict:
        """``{first column: {second: … {last: {mean, sem, n}}}}`` in the order of the rows."""
        out: dict = {}
        for r in self.rows:
            node = out
            for c in self.columns[:-1]:
                node = node.setdefault(r[c], {})
            node[r[self.columns[-1]]] = {s: r[s] for s in stats}
        return out


def family_table(values: dict, family_of: torch.Tensor, columns: tuple[str, ...]) -> StatTable:
    """A :class:`StatTable` from nested per-object values: ``values[k1][k2]…`` → (objects,),
    ``columns`` naming the nesting levels and then the family (last column)."""
    members = family_members(family_of)
    rows = []

    def walk(node, key):
        if isinstance(node, torch.Tensor):
            for f in FAMILIES:
                rows.append(dict(zip(columns, (*key, f), strict=True)) | mean_sem(node[members[f]]))
        else:
            for k, child in node.items():
                walk(child, (*key, k))

    walk(values, ())
    return StatTable(columns, tuple(rows))


def msvt_table(indices: dict[str, dict[str, torch.Tensor]], family_of: torch.Tensor,
               layers: Sequence[str] = ALL_LAYERS) -> StatTable:
    """One row per network × layer × family of the MSVT index (``indices[network][layer]``
    per object, e.g. from :func:`layer_indices`)."""
    return family_table({net: {layer: per[layer] for layer in layers}
                         for net, per in indices.items()}, family_of,
                        ("network", "layer", "family"))


def headline(table: StatTable, network: str) -> dict:
    """The three headline criteria for one network: the largest mean over the pixels, conv and
    pool layers and the last layer's means, one-plane and head, each against the paper's
    thresholds."""
    peak = max(table.mean(network, layer, f) for layer in CONV_AND_POOL for f in SYMMETRIC)
    one, head = (table.mean(network, LAST, f) for f in SYMMETRIC)
    return {"conv_peak": peak, "one_plane": one, "head": head, "conv_low": peak < CONV_LOW,
            "one_plane_fc_high": one > FC_HIGH, "head_fc_high": head > FC_HIGH}


def silent_channels(conv1: torch.Tensor) -> int:
    """conv1 channels whose response (stimuli…, channels, H, W) is constant over every image."""
    return int((conv1.flatten(0, -4).transpose(0, 1).flatten(1).std(1) < 1e-8).sum())


# ---------------------------------------------------------------- equivariance and filters

def equivariance_images(images: torch.Tensor, n_per_family: int) -> torch.Tensor:
    """All views of ``n_per_family`` × families test objects spread evenly over the objects
    (every family), as (images, 1, H, W)."""
    n_objects = len(images)
    chosen = torch.linspace(0, n_objects - 1, min(n_objects, n_per_family * len(FAMILIES)))
    return images[chosen.round().long()].reshape(-1, 1, *images.shape[-2:])


def equivariance_values(model: MirrorCNN, images: torch.Tensor) -> dict:
    """Per transform and conv layer, the per-image equivariance; per transform, the per-image
    invariance of the plain spatial mean of conv4 (``gap``)."""
    plain = layer_responses(model, images)
    moved = {name: layer_responses(model, transform(images, name)) for name in TRANSFORMS}
    values = {name: {} for name in TRANSFORMS}
    for lay in CONV:
        for name, v in equivariances(plain[lay], {t: m[lay] for t, m in moved.items()}).items():
            values[name][lay] = v
    for name in TRANSFORMS:
        values[name]["gap"] = invariance(plain["gap"], moved[name]["gap"], per_image=True)
    return values


def margin_of(values: dict, layer: str) -> dict[str, float]:
    """The hflip margin: the median hflip equivariance minus the larger median of vflip and
    rot90 (the authors' statistic), and the same with means."""
    med = {name: float(values[name][layer].quantile(0.5)) for name in TRANSFORMS}
    avg = {name: float(values[name][layer].mean()) for name in TRANSFORMS}
    return {"median": med["hflip"] - max(med["vflip"], med["rot90"]),
            "mean": avg["hflip"] - max(avg["vflip"], avg["rot90"])}


def random_margins(n_classes: int, images: torch.Tensor, seed: int, n: int) -> dict:
    """The hflip margin (median) of ``n`` untrained networks drawn like the paper's untrained
    control, per conv layer: ``{"margins", "mean", "sd", "n", "positive", "bound"}`` with
    ``bound`` = mean + 2 SD."""
    margins = {lay: [] for lay in CONV}
    with progress_bar(total=n, desc="random networks", mininterval=1.0) as bar:
        for k in range(n):
            control = MirrorCNN(n_classes)
            init_like_paper(control, make_generator(seed, f"equivariance-init-{k}"))
            values = equivariance_values(control.eval(), images)
            for lay in CONV:
                margins[lay].append(margin_of(values, lay)["median"])
            bar.update(1)
    out = {}
    for lay, v in margins.items():
        mean, sd = float(np.mean(v)), float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
        out[lay] = {"mean": mean, "sd": sd, "n": len(v), "positive": int(sum(m > 0 for m in v)),
                    "margins": v, "bound": mean + 2 * sd}
    return out


def filter_symmetries(model: MirrorCNN, top_bottom: bool = False) -> dict[str, torch.Tensor]:
    """Left–right symmetry of every conv filter per layer (the authors' figureS5.m); with
    ``top_bottom``, the same measure for the top–bottom mirror (rows for columns)."""
    return {lay: filter_symmetry(getattr(model, lay).weight.detach().transpose(-1, -2)
                                 if top_bottom else getattr(model, lay).weight.detach())
            for lay in CONV}


def mean_filter_symmetry(model: MirrorCNN, top_bottom: bool = False) -> float:
    """The mean of :func:`filter_symmetries` over every conv filter."""
    return float(torch.cat(list(filter_symmetries(model, top_bottom).values())).mean())


def pixel_autocorrelation(x: torch.Tensor, shift: int, axis: int) -> float:
    """Mean over images of the correlation between the (per-pixel z-scored) images ``x``
    (images, H, W) and themselves shifted by ``shift`` pixels along ``axis`` (-1: horizontal,
    -2: vertical)."""
    z = (x - x.mean(0)) / x.std(0).clamp_min(1e-6)
    n = z.shape[axis]
    a, b = z.narrow(axis, 0, n - shift).flatten(1), z.narrow(axis, shift, n - shift).flatten(1)
    a, b = a - a.mean(1, keepdim=True), b - b.mean(1, keepdim=True)
    return float(((a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))).mean())


def init_alignment(trained: MirrorCNN, untrained: MirrorCNN) -> dict[str, float]:
    """What each layer keeps of its random start: the cosine between its trained and initial
    weights."""
    return {lay: float(torch.nn.functional.cosine_similarity(
        getattr(trained, lay).weight.detach().flatten(),
        getattr(untrained, lay).weight.detach().flatten(), dim=0))
        for lay in (*CONV, "fc1", "fc2")}


# ---------------------------------------------------------------------------------- pooling

def receptive_field(window: int) -> int:
    """Pixels seen by conv4 units pooled over ``window`` × ``window`` positions: a conv4 unit
    sees 14 × 14 pixels of the unpadded network, and neighbouring units are 2 pixels apart."""
    return 14 + 2 * (window - 1)


def pooling_sweep(conv4: dict[str, torch.Tensor], family_of: torch.Tensor) -> StatTable:
    """The MSVT index of conv4 maps (``conv4[network]``: objects, views, C, H, W) pooled as the
    authors pool them over every window from 1 position to the whole map: one row per
    network × window × family."""
    return family_table({net: pooled_indices(maps, range(1, maps.shape[-1] + 1))
                         for net, maps in conv4.items()}, family_of,
                        ("network", "window", "family"))


# ----------------------------------------------------------------------------- manipulation

def manipulation_record(state: dict, images: torch.Tensor, family_of: torch.Tensor) -> dict:
    """A manipulation network's test accuracy, classes, MSVT index at fc1 and fc2 on the test
    stimuli (``network → layer → family → {mean, sem}`` without the network level) and mean
    left–right filter symmetry."""
    model = load(state)
    indices = layer_indices(stimulus_responses(model, images), ("fc1", "fc2"))
    indices.pop("gap", None)
    table = family_table(indices, family_of, ("layer", "family"))
    return {"test_accuracy": float(state["test_accuracy"]), "n_classes": state["n_classes"],
            "msvt": table.nested(), "filter_symmetry": mean_filter_symmetry(model)}


def explorer_objects(family_of: torch.Tensor, n_per_family: int) -> list[int]:
    """The first ``n_per_family`` test objects of each family."""
    members = family_members(family_of)
    return [int(i) for f in FAMILIES for i in members[f][:n_per_family]]


def sem_text(stats: dict) -> str:
    """``{"mean", "sem"}`` as ``+0.94 ± 0.02``."""
    return f"{stats['mean']:+.2f} ± {stats['sem']:.2f}"


def finite(value: float) -> float:
    """``value``, checked to be a finite number (for numbers stated on the page)."""
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number.")
    return value
