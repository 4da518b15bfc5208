# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Mirror-symmetric viewpoint tuning from procedural 3D objects
#
# *A reproduction of A. Farzmahdi, W. Zarco, W. A. Freiwald, N. Kriegeskorte and T. Golan (2024),
# "Emergence of brain-like mirror-symmetric viewpoint tuning in convolutional neural networks",
# eLife 13:RP90256 {cite:p}`farzmahdi2024emergence`.*
#
# **The claim.** Neurons of the macaque face patch AL respond alike to mirror-symmetric views of a
# face (left and right profile). The same **mirror-symmetric viewpoint tuning** (MSVT) appears in
# the fully connected layers of CNNs trained to recognise objects — for any bilaterally symmetric
# object category, even with no faces in training. The explanation: discriminating bilaterally
# symmetric objects makes the convolutional layers (approximately) **reflection-equivariant**;
# units that pool these maps over a large receptive field become reflection-**invariant**, and
# for a symmetric object the view at yaw $-\theta$ *is* the mirror image of the view at
# $+\theta$.
#
# **What this page does.** It renders its own 3D objects (signed-distance primitives
# ray-marched with PyTorch), trains the paper's small from-scratch CNN on them, and measures MSVT
# with the authors' exact index; no weight is downloaded. Only at the `paper` profile does §7
# also download data sets: CIFAR-10 and SVHN, the paper's own (with an offline fallback).
# Every number in the text is computed on this page, at the run profile printed below.
#
# | | |
# |---|---|
# | symmetry | reflection $x\to -x$ (the group $\mathbb Z_2$) |
# | data | procedural objects rendered here: one-plane categories, a head, controls |
# | network | the paper's Fig. 4 CNN: 4 unpadded 3×3 conv, 2 max-pool, 2 fc; 32×32 input |
# | training | AdamW, strong decay (our choice, §2); random views, shifts, scales; **no flips** |
# | measure | MSVT index: correlation of view × view dissimilarities with their column flip |

# %% tags=["hide-input"]
# In Colab or Binder: install the book's package `emergence` when it is missing. The source can
# be overridden with the environment variable EMERGENCE_PIP_SOURCE (a path or a pip URL).
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("emergence") is None:
    source = os.environ.get("EMERGENCE_PIP_SOURCE", "git+@REPOSITORY_URL@@notebooks")
    print(f"installing the book's package from {source} ...")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)

# %% tags=["parameters"]
# Run parameters (papermill injects new values below this cell).
PROFILE = "cpu"  # "smoke" (seconds, tests) | "cpu" (minutes, the default) | "paper" (GPU scale)
DEVICE = "auto"  # "auto" (CUDA when present) | "cpu" | "cuda"
SEED = 0  # fixes every random draw of the page
RESULTS_DIR = "results"  # where the headline numbers go, as mirror_symmetry.json

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown, display

from emergence.analysis.mirror import (
    TRANSFORMS,
    dissimilarity,
    equivariance,
    filter_symmetry,
    invariance,
    mean_sem,
    median_mean,
    msvt_index,
    pooled_index,
    pooled_responses,
    transform,
    zscore_units,
)
from emergence.cache import cached, default_cache_dir
from emergence.claims import Claim, Control, claims_table, counts_text
from emergence.data.mirror_sets import analysis_stimuli, training_set, training_source
from emergence.data.objects import FAMILIES
from emergence.glue import glue
from emergence.models.mirrorcnn import (
    LAYERS,
    MirrorCNN,
    accuracy,
    init_like_paper,
    layer_responses,
    train_classifier,
)
from emergence.plotting import OKABE_ITO, SEQUENTIAL_CMAP, use_book_style
from emergence.profiles import start_run
from emergence.progress import progress_bar
from emergence.results import write_results
from emergence.widgets import figure_png, snapshot_explorer

run = start_run(PROFILE, DEVICE, SEED, RESULTS_DIR)
use_book_style()
if run.device.type == "cpu":
    # The renderer issues many small tensor operations; on a busy (shared) CPU extra threads
    # spin-wait and run several times slower, so this page computes on one thread.
    torch.set_num_threads(1)

# Sizes per profile: categories × exemplars × random views for training, epochs, weight decay
# (AdamW's λ; a stronger one for the two batch-normalised convolutions, §2), test exemplars per
# family, random networks for the equivariance control (§5); the manipulation trains on
# asymmetric categories plus their mirror images (same class, or new classes) — at `paper`, on
# CIFAR-10 and SVHN when they can be downloaded (§7). ordinary_decay: AdamW's λ, every layer,
# of the robustness control of §3 (PyTorch's default for AdamW).
SCALES = {
    "smoke": dict(n_categories=4, n_exemplars=3, n_views=8, epochs=1, weight_decay=4.0,
                  scale_free_decay=12.0, n_test=2, manip_categories=3, manip_exemplars=2,
                  manip_views=8, manip_epochs=1, n_explore=1, n_equivariance=1, n_random=3,
                  explore_groups=3, ordinary_decay=0.01),
    "cpu": dict(n_categories=12, n_exemplars=16, n_views=20, epochs=12, weight_decay=4.0,
                scale_free_decay=12.0, n_test=20, manip_categories=6, manip_exemplars=8,
                manip_views=20, manip_epochs=12, n_explore=2, n_equivariance=4, n_random=12,
                explore_groups=7, ordinary_decay=0.01),
    "paper": dict(n_categories=12, n_exemplars=40, n_views=40, epochs=20, weight_decay=4.0,
                  scale_free_decay=12.0, n_test=25, manip_categories=6, manip_exemplars=40,
                  manip_views=40, manip_epochs=20, n_explore=3, n_equivariance=10, n_random=50,
                  explore_groups=7, ordinary_decay=0.01),
}
scale = SCALES[run.profile]
N_VIEWS = 9  # analysis views: yaw −90° … +90° in 22.5° steps, as in the paper
FAMILY_LABELS = {"one_plane": "one plane (new categories)", "head": "head (never trained)",
                 "asymmetric": "no plane", "two_plane": "two planes", "radial": "radial"}
print(run.describe(scale))


def cache_config(**config):
    """The cache key of an experiment: its sizes plus the seed and device."""
    return config | {"seed": run.seed, "device": run.device.type}


# %% [markdown]
# ## 1. The stimuli: procedural objects with and without a symmetry plane
#
# Each object is a smooth union of ellipsoids, rounded boxes, capsules and tori, rendered by
# sphere tracing with an orthographic camera that orbits the vertical axis; a Lambertian light sits
# above and in front of the camera, in its vertical plane. Images are grayscale on a grey (0.5)
# background, with the object's pixels matched to a fixed mean and standard deviation (luminance
# and contrast matched inside the object mask), 32×32 pixels as in the paper's from-scratch
# experiments.
#
# Five families: **one-plane** categories (a random prototype of a torso, mirrored pairs of parts
# and parts on the mid-plane; exemplars jitter the prototype symmetrically) — the analysed ones are
# *new* categories, never trained; a procedural **head** (eyes, brows, nose, mouth, ears, neck),
# the "face" category, never trained; **no-plane** objects (parts placed independently);
# **two-plane** objects, also front–back symmetric and built like the paper's cars and boats (an
# elongated, streamlined hull, a cabin on top and wheels, floats or stubs at its four corners);
# and roughly **radial** fruit-like objects (a body of revolution with an off-axis stem and
# leaf and a few small bumps, each at its own azimuth, so that no vertical plane is a symmetry
# plane, even roughly).
#
# Because camera and light lie in the object's symmetry plane when $\theta = 0$, a symmetric
# object's view at $-\theta$ is exactly the horizontal flip of its view at $+\theta$. We check it.

# %% tags=["hide-input"]
# Figure: One rendered object of each family at the nine analysis views, yaw from −90° to +90°.
stimuli = cached("ch3-test-stimuli", cache_config(n=scale["n_test"], views=N_VIEWS),
                 lambda: analysis_stimuli(scale["n_test"], run.generator("stimuli", "cpu"),
                                      n_views=N_VIEWS))
images = stimuli["images"]  # (objects, views, 32, 32)
family_of = stimuli["family"]
yaws = stimuli["yaws"]
n_objects = len(images)
members = {f: (family_of == i).nonzero().squeeze(1) for i, f in enumerate(FAMILIES)}

fig, axes = plt.subplots(len(FAMILIES), N_VIEWS, figsize=(9, 5.6))
for row, family in enumerate(FAMILIES):
    for col in range(N_VIEWS):
        ax = axes[row, col]
        ax.imshow(images[members[family][0], col], cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        if row == len(FAMILIES) - 1:
            ax.set_xlabel(f"{yaws[col]:+.1f}°")
        if col == 0:
            ax.set_ylabel(FAMILY_LABELS[family].split(" (")[0], fontsize=10)
fig.suptitle("One object of each family at the nine analysis views (yaw, degrees)")
plt.show()

# %% [markdown]
# *Each row is one object seen from its left profile (−90°) through the front (0°) to its right
# profile (+90°). For the first, second and fourth rows the picture at −θ is the mirror image of
# the one at +θ; for the no-plane and radial objects it is not.*

# %% tags=["hide-input"]
mirror_error = (images - images.flip(1).flip(-1)).abs().amax((1, 2, 3))
symmetric_families = ("one_plane", "head", "two_plane")
max_error_sym = float(max(mirror_error[members[f]].max() for f in symmetric_families))
min_error_asym = float(mirror_error[members["asymmetric"]].min())
display(Markdown(
    f"**Check.** Over the {sum(len(members[f]) for f in symmetric_families)} objects with a "
    f"symmetry plane, the largest pixel difference between view(−θ) and the horizontal flip of "
    f"view(+θ) is **{max_error_sym:.1e}** (pixel values lie in [0, 1]); for the no-plane objects "
    f"the smallest such difference is {min_error_asym:.2f}."))
assert max_error_sym < 1e-3 < min_error_asym, "renderer mirror symmetry check failed"

# %% [markdown]
# ## 2. The network, trained on one-plane categories
#
# The paper's from-scratch CNN (its Fig. 4): conv3×3(32) → ReLU → BN → conv3×3(32) → ReLU →
# maxpool → conv3×3(64) → ReLU → BN → conv3×3(128) → ReLU → maxpool → fc(256) → ReLU → dropout →
# fc(256) → ReLU → dropout → fc(classes). As in the authors' code the convolutions are unpadded,
# so the maps shrink from 32 to 30, 28, 14, 12, 10 and 5 pixels and fc1 reads 128·5·5 values. It
# learns to name the category of one-plane objects
# seen from random directions (yaw over the full circle, pitch −10°…25°), with random shifts and
# scales but **no flipped images**. The untrained control is the same network at its
# initialisation, weights $\sim\mathcal N(0, 1/\text{fan-in})$. Test accuracy is measured on
# held-out views (10 % of the rendered images).
#
# The optimiser is AdamW with a one-cycle learning-rate schedule and strong decoupled weight decay
# $\lambda$: each step multiplies every weight by $1 - \eta_t\lambda$, so the random initial
# weights shrink by about $e^{-\lambda\sum_t \eta_t}$ over training and the network keeps only
# the weights its training images support. This matters for MSVT: the initial weights are random,
# hence not reflection-symmetric; without decay their imprint survives in the fc layers and
# masks the reflection invariance that the data (every category seen from both sides) teach.
# Exercise 4 asks you to switch the decay off and watch the index.
#
# Two layers need more. conv1 and conv3 are each followed by a ReLU and a batch normalisation,
# which divides out their scale: the network computes the same function whatever the size of
# their weights, so decay does not regularise them. It shrinks them *without turning them*;
# their direction, the only thing the network uses, changes through the Adam steps alone, and
# those have a fixed size (up to about the learning rate per weight) whatever the weight's size.
# With the decay of the other layers, such a layer can therefore end training still pointing
# largely along its random start; these two layers get a stronger decay (SCALES, our choice),
# which shrinks them early enough for the Adam steps to turn them. The price: a
# channel that the task does not push shrinks until its response drops below the ε that batch
# normalisation adds to the variance, and then falls silent. §5 counts the silent channels and
# measures what is left of the start.
#
# These training settings are **our choice**: the paper does not give the optimiser, learning
# rate or weight decay of its small CNN in the notes this book works from, and a decay this
# strong is not what one would call ordinary. So it is a departure, marked in every claim it
# affects, and §3 repeats the headline measurements on a control network trained with an
# ordinary weight decay.

# %% tags=["hide-input"]
# Figure: Training loss and example training images at random views.
def render_set(family, n_categories, n_exemplars, n_views, mirror, stream,
               yaw_range=(-180.0, 180.0)):
    """Render a training set (cached): random views of exemplars of random categories."""
    config = cache_config(family=family, n_categories=n_categories, n_exemplars=n_exemplars,
                          n_views=n_views, mirror=mirror, stream=stream, yaw_range=yaw_range)
    return cached(f"ch3-data-{stream}", config, lambda: training_set(
        family, n_categories, n_exemplars, n_views, run.generator(stream, "cpu"),
        mirror=mirror, yaw_range=yaw_range))


def train_network(data, stream, epochs, weight_decay=scale["weight_decay"],
                  scale_free_decay=scale["scale_free_decay"]):
    """Train the CNN on ``data`` (90 % of the images; 10 % held out for the test accuracy)."""
    generator = run.generator(f"{stream}-training", "cpu")
    x, y = data["images"], data["labels"]
    order = torch.randperm(len(x), generator=generator)
    n_test = len(x) // 10
    test, train = order[:n_test], order[n_test:]
    torch.manual_seed(run.seed)  # dropout draws
    model = MirrorCNN(data["n_classes"])
    init_like_paper(model, generator)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    model.to(run.device)
    log = train_classifier(model, x[train].to(run.device), y[train].to(run.device), generator,
                           epochs=epochs, weight_decay=weight_decay,
                           scale_free_decay=scale_free_decay, desc=f"training ({stream})")
    model.cpu()
    return {"trained": model.state_dict(), "untrained": initial, "loss": log["loss"],
            "n_classes": data["n_classes"], "n_images": len(train),
            "test_accuracy": accuracy(model, x[test], y[test]),
            "examples": x[:8], "example_labels": y[:8]}


def load(state, key):
    model = MirrorCNN(state["n_classes"])
    model.load_state_dict(state[key])
    return model.eval()


main_config = cache_config(family="one_plane", n_categories=scale["n_categories"],
                           n_exemplars=scale["n_exemplars"], n_views=scale["n_views"],
                           epochs=scale["epochs"], weight_decay=scale["weight_decay"],
                           scale_free_decay=scale["scale_free_decay"])
main = cached("ch3-main", main_config, lambda: train_network(
    render_set("one_plane", scale["n_categories"], scale["n_exemplars"], scale["n_views"],
               "none", "main"), "main", scale["epochs"]))
trained, untrained = load(main, "trained"), load(main, "untrained")
test_accuracy = float(main["test_accuracy"])
chance = 1 / main["n_classes"]

fig, axes = plt.subplots(1, 2, figsize=(10, 2.8), gridspec_kw={"width_ratios": [1.4, 2]})
loss = main["loss"].numpy()
window = max(1, len(loss) // 30)
axes[0].plot(np.arange(len(loss)), loss, color=OKABE_ITO[5], lw=0.6, label="per batch")
axes[0].plot(np.arange(window - 1, len(loss)), np.convolve(loss, np.ones(window) / window,
             "valid"), color=OKABE_ITO[0], label=f"mean of {window}")
axes[0].set(xlabel="training step (batch of 64)", ylabel="cross-entropy", title="training loss")
axes[0].legend(fontsize=10)
strip = torch.cat(list(main["examples"][:, 0]), 1)
axes[1].imshow(strip, cmap="gray", vmin=0, vmax=1)
axes[1].set(xticks=[], yticks=[], title="training images (random views), category: "
            + ", ".join(str(int(c)) for c in main["example_labels"]))
plt.show()
display(Markdown(
    f"*Left: the loss over training. Right: eight training images with their category.* "
    f"**Test accuracy** on held-out views of the {main['n_classes']} training categories: "
    f"**{test_accuracy:.3f}** (chance {chance:.3f}), after {scale['epochs']} epochs over "
    f"{main['n_images']} images."))

# %% [markdown]
# ## 3. Mirror-symmetric viewpoint tuning, layer by layer
#
# *(verified: the authors' code)* For one layer: z-score each unit over all stimuli and drop
# constant units; for each object, the view × view dissimilarity $D_{ij} = 1 -
# \rho(r_i, r_j)$ (Pearson correlation across units), views ordered −90° … +90°; flip the columns
# of $D$; delete the central (0°) column of both, because it maps onto itself; the **index** is the
# Pearson correlation of the remaining entries of $D$ and $D^{\mathrm{flip}}$. Perfect mirror
# tuning gives 1, view-specific tuning a negative value, full view invariance ≈ 0. We report mean
# ± SEM over the exemplars of each family (the paper's error bars).

# %% tags=["hide-input"]
# Figure: MSVT index per layer for each object family, trained and untrained network.
ALL_LAYERS = ("pixels", *LAYERS)
stimulus_batch = images.reshape(-1, 1, 32, 32)
responses = {"trained": layer_responses(trained, stimulus_batch),
             "untrained": layer_responses(untrained, stimulus_batch)}
index = {net: {layer: msvt_index(r[layer].reshape(n_objects, N_VIEWS, -1))
               for layer in ALL_LAYERS} for net, r in responses.items()}
# global average pooling of conv4 as the authors do it (figureS3.m): z-score, then average (§6)
conv4_maps = {net: r["conv4"].reshape(n_objects, N_VIEWS, *r["conv4"].shape[1:])
              for net, r in responses.items()}
map_size = conv4_maps["trained"].shape[-1]
for net in responses:
    index[net]["gap"] = pooled_index(conv4_maps[net], map_size)
msvt = {net: {layer: {f: mean_sem(index[net][layer][members[f]]) for f in FAMILIES}
              for layer in ALL_LAYERS} for net in index}
gap_stats = {net: {f: mean_sem(index[net]["gap"][members[f]]) for f in FAMILIES}
             for net in index}

fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
x = np.arange(len(ALL_LAYERS))
for ax, net in zip(axes, ("trained", "untrained"), strict=True):
    for i, f in enumerate(FAMILIES):
        means = [msvt[net][layer][f]["mean"] for layer in ALL_LAYERS]
        sems = [msvt[net][layer][f]["sem"] for layer in ALL_LAYERS]
        ax.errorbar(x + 0.06 * (i - 2), means, yerr=sems, marker="o", ms=4, capsize=2,
                    color=OKABE_ITO[i], label=FAMILY_LABELS[f])
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(x, ALL_LAYERS, rotation=30)
    ax.set(title=f"{net} network", xlabel="layer", ylim=(-1, 1))
axes[0].set_ylabel("MSVT index (mean ± SEM over exemplars)")
axes[1].legend(fontsize=10, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
plt.show()

last = LAYERS[-1]
rows = []
for layer in ALL_LAYERS:
    cells = [f"{msvt['trained'][layer][f]['mean']:+.2f} / "
             f"{msvt['untrained'][layer][f]['mean']:+.2f}" for f in FAMILIES]
    rows.append(f"| {layer} | " + " | ".join(cells) + " |")
display(Markdown(
    "*The paper's main figure, for our objects: the MSVT index of each layer, trained (left) and "
    "untrained (right). Table: trained / untrained means.*\n\n"
    "| layer | " + " | ".join(FAMILY_LABELS[f] for f in FAMILIES) + " |\n|---"
    + "|---" * len(FAMILIES) + "|\n" + "\n".join(rows)))


def stat(net, layer, family):
    s = msvt[net][layer][family]
    return f"{s['mean']:+.2f} ± {s['sem']:.2f}"


CONV_LOW, FC_HIGH = 0.1, 0.6  # the paper's thresholds (AlexNet on ImageNet, its main figures)
conv_max = {f: max(msvt[net][layer][f]["mean"] for net in msvt
                   for layer in ("pixels", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2"))
            for f in FAMILIES}
conv_low = max(conv_max["one_plane"], conv_max["head"]) < CONV_LOW
control_max = max(msvt[net][layer][f]["mean"] for net in msvt for layer in ALL_LAYERS
                  for f in ("asymmetric", "radial"))
two_plane_low = {net: min(msvt[net][layer]["two_plane"]["mean"] for layer in ALL_LAYERS)
                 for net in msvt}
fc_above = [f for f in ("one_plane", "head") if msvt["trained"][last][f]["mean"] > FC_HIGH]
display(Markdown(
    f"**Result.** The paper's thresholds come from AlexNet trained on ImageNet (its main "
    f"figures): < {CONV_LOW} in the conv layers and > {FC_HIGH} from the first fc layer on for "
    f"its symmetric categories; we judge our small network (the paper's Fig. 4 layout) by them. "
    f"In the pixels and every convolutional layer the index of the one-plane objects and of the "
    f"head {'stays below' if conv_low else 'does not stay below'} {CONV_LOW} (largest mean "
    f"{conv_max['one_plane']:+.2f} and {conv_max['head']:+.2f}, trained or untrained)"
    + (": neighbouring views look more alike than mirror views"
       if max(conv_max["one_plane"], conv_max["head"]) < 0 else "")
    + f". At the last hidden layer ({last}) of the trained network it "
    f"reaches **{stat('trained', last, 'one_plane')}** "
    f"for one-plane categories never seen in training and **{stat('trained', last, 'head')}** for "
    f"the head, against {stat('untrained', last, 'one_plane')} and "
    f"{stat('untrained', last, 'head')} untrained; above {FC_HIGH}: "
    f"{', '.join(FAMILY_LABELS[f] for f in fc_above) if fc_above else 'neither'}. "
    f"Objects without a plane "
    + ("stay below" if control_max < CONV_LOW else "do not stay below")
    + f" {CONV_LOW} in every layer "
    f"(largest mean {control_max:+.2f}; at {last} {stat('trained', last, 'asymmetric')}, radial "
    f"{stat('trained', last, 'radial')}). The two-plane objects' lowest mean over the layers is "
    f"{two_plane_low['trained']:+.2f} trained and {two_plane_low['untrained']:+.2f} untrained "
    f"({stat('trained', 'pixels', 'two_plane')} in pixels)"
    + (": their view at −θ resembles the one at +θ already in the pixels and without training, "
       "as for the paper's cars and boats." if min(two_plane_low.values()) > FC_HIGH else
       ".")))

# %% [markdown]
# ### A control of robustness: an ordinary weight decay
#
# The network above was trained with the strong decay of §2. The same network, trained on the
# same rendered images, from the same initial weights and with the same batches, but with an
# ordinary decoupled weight decay — PyTorch's default for AdamW, on every layer alike — shows
# how much of the headline effect survives without it. Its untrained network is the one of the
# figure above (same initial weights).

# %% tags=["hide-input"]
ORDINARY = scale["ordinary_decay"]
ordinary_start = run.elapsed()
ordinary = cached("ch3-ordinary-decay", main_config | {"weight_decay": ORDINARY,
                                                       "scale_free_decay": ORDINARY},
                  lambda: train_network(
                      render_set("one_plane", scale["n_categories"], scale["n_exemplars"],
                                 scale["n_views"], "none", "main"), "main", scale["epochs"],
                      weight_decay=ORDINARY, scale_free_decay=ORDINARY))
ordinary_seconds = run.elapsed() - ordinary_start
assert all(torch.equal(ordinary["untrained"][k], main["untrained"][k])
           for k in main["untrained"]), "the control must start from the same weights"
ordinary_net = load(ordinary, "trained")
ordinary_responses = layer_responses(ordinary_net, stimulus_batch)
ordinary_msvt = {layer: {f: mean_sem(msvt_index(ordinary_responses[layer].reshape(
    n_objects, N_VIEWS, -1))[members[f]]) for f in FAMILIES} for layer in ALL_LAYERS}


def silent_channels(conv1):
    """conv1 channels whose response is constant over every test image."""
    return int((conv1.transpose(0, 1).flatten(1).std(1) < 1e-8).sum())


CONV_AND_POOL = ("pixels", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2")


def headline(table):
    """The three headline criteria of the claims below, for one trained network's index table:
    the largest conv-layer mean and the last layer's means, one-plane and head."""
    peak = max(table[lay][f]["mean"] for lay in CONV_AND_POOL for f in ("one_plane", "head"))
    one, head = (table[last][f]["mean"] for f in ("one_plane", "head"))
    return {"conv_peak": peak, "one_plane": one, "head": head, "conv_low": peak < CONV_LOW,
            "one_plane_fc_high": one > FC_HIGH, "head_fc_high": head > FC_HIGH}


strong_head, ordinary_head = headline(msvt["trained"]), headline(ordinary_msvt)
strong_fc_high, ordinary_fc_high = (h["one_plane_fc_high"] and h["head_fc_high"]
                                    for h in (strong_head, ordinary_head))
DECAY_NAMES = {"strong": f"strong: λ = {scale['weight_decay']:g} "
                         f"({scale['scale_free_decay']:g} on conv1, conv3)",
               "ordinary": f"ordinary: λ = {ORDINARY:g}, every layer",
               "untrained": "untrained (both start here; accuracy: chance)"}


HEADLINE = {"conv_low": f"conv layers < {CONV_LOW}",
            "one_plane_fc_high": f"one-plane > {FC_HIGH} at {last}",
            "head_fc_high": f"head > {FC_HIGH} at {last}"}


def listing(items):
    return ", ".join(items) if items else "none"


def yes(flag):
    return "**yes**" if flag else "no"


decay_rows = [
    f"| {DECAY_NAMES[name]} | {acc:.3f} | {h['conv_peak']:+.2f} ({yes(h['conv_low'])}) | "
    f"{h['one_plane']:+.2f} ({yes(h['one_plane_fc_high'])}) | "
    f"{h['head']:+.2f} ({yes(h['head_fc_high'])}) | {silent} of 32 |"
    for name, acc, h, silent in (
        ("strong", test_accuracy, strong_head, silent_channels(responses["trained"]["conv1"])),
        ("ordinary", float(ordinary["test_accuracy"]), ordinary_head,
         silent_channels(ordinary_responses["conv1"])),
        ("untrained", chance, headline(msvt["untrained"]),
         silent_channels(responses["untrained"]["conv1"])))]
display(Markdown(
    f"*The headline criteria for the network of §2 (strong decay), the control (ordinary "
    f"decay; same data, initial weights and batches) and their common untrained start. In "
    f"brackets: whether the claim's "
    f"criterion holds (conv layers < {CONV_LOW}; {last} > {FC_HIGH}).*\n\n"
    f"| AdamW weight decay | test accuracy | largest conv-layer mean | {last}, one-plane | "
    f"{last}, head | silent conv1 channels |\n|---|---|---|---|---|---|\n"
    + "\n".join(decay_rows) + "\n\n"
    + f"**Result.** With the ordinary decay the index at {last} is "
    f"{ordinary_msvt[last]['one_plane']['mean']:+.2f} ± "
    f"{ordinary_msvt[last]['one_plane']['sem']:.2f} (one-plane) and "
    f"{ordinary_msvt[last]['head']['mean']:+.2f} ± {ordinary_msvt[last]['head']['sem']:.2f} "
    f"(head), against {stat('trained', last, 'one_plane')} and {stat('trained', last, 'head')} "
    f"with the strong decay; of the three headline criteria it meets "
    f"{listing([HEADLINE[k] for k in HEADLINE if ordinary_head[k]])} (strong decay: "
    f"{listing([HEADLINE[k] for k in HEADLINE if strong_head[k]])}). "
    + ("The fc-layer effect therefore does not need the strong decay in this run."
       if ordinary_fc_high else
       "In this run the fc-layer effect at the paper's threshold therefore rests on the strong "
       "decay, a departure from an ordinary training recipe; the claims below say so."
       if strong_fc_high else
       "Neither network reaches the paper's threshold at the fc layer for both families in "
       "this run.")))

#
# The head category is not in the training set, and neither are the one-plane categories analysed
# above (they are fresh random prototypes). The rise of the index is therefore not memorised view
# pairing of trained objects: it generalises to new bilaterally symmetric objects — the paper's
# argument that face-selective MSVT need not come from experience with faces.

# %% tags=["hide-input"]
# Figure: MSVT index per layer for the held-out head category.
head_trained = msvt["trained"][last]["head"]
head_untrained = msvt["untrained"][last]["head"]
head_rows = []
for layer in ALL_LAYERS:
    head_rows.append((layer, msvt["trained"][layer]["head"]["mean"],
                      msvt["untrained"][layer]["head"]["mean"]))
fig, ax = plt.subplots(figsize=(6.5, 3))
ax.plot(x, [r[1] for r in head_rows], "o-", color=OKABE_ITO[1], label="trained")
ax.plot(x, [r[2] for r in head_rows], "s--", color=OKABE_ITO[7], label="untrained")
ax.axhline(0, color="grey", lw=0.8)
ax.set_xticks(x, ALL_LAYERS, rotation=30)
ax.set(xlabel="layer", ylabel="MSVT index (head)", ylim=(-1, 1),
       title="the held-out head category")
ax.legend(fontsize=10)
plt.show()
display(Markdown(
    f"*The head's index per layer. In the paper, faces are negative in the conv layers and jump "
    f"at the first fc layer.* Here the head goes from {head_rows[0][1]:+.2f} in pixels to "
    f"**{head_trained['mean']:+.2f} ± {head_trained['sem']:.2f}** at {last} after training "
    f"(untrained {head_untrained['mean']:+.2f} ± {head_untrained['sem']:.2f})."))

# %% [markdown]
# ## 5. Why: reflection-equivariant convolutional maps
#
# For a conv map $f$, **equivariance** under a transform $T$ is the correlation between $f(x)$
# and $T^{-1} f(Tx)$, **invariance** the correlation between $f(x)$ and $f(Tx)$; one value per
# image, across units, with features z-scored per unit over the images (all views of a few test
# objects per family; the number is printed below). As in the authors' code
# (`figure3_measure_correlation.py`) the middle column (hflip), middle row (vflip) or middle
# pixel (rot90) is left out, also on our even-sized maps, and the per-image values are
# summarised by their **median** (their `figureS7.py`); the mean is given beside it. One
# departure: for the 90° rotation the authors' script rotates the maps of the rotated image once
# more in the *same* direction (a net 180°, under which exactly equivariant maps would score
# about 0); we rotate them back, $T^{-1}$. The paper's expectation: training on bilaterally
# symmetric objects makes the conv layers more equivariant to horizontal flips than to vertical
# flips or 90° rotations. Because random networks may already favour one transform on given
# stimuli, we judge each layer's **margin** (hflip minus the larger of vflip and rot90) against
# the margins of many untrained networks drawn like ours. And the filters themselves become more
# left-right symmetric: as in the authors' `figureS5.m`, we correlate each 3×3 filter's left
# column with its mirrored right column.

# %% tags=["hide-input"]
# Figure: Equivariance of the convolutional maps under horizontal flip, vertical flip and 90°
#   rotation (medians over images), the hflip margin against random networks, and the
#   left-right symmetry of the filters.
CONV = ("conv1", "conv2", "conv3", "conv4")
n_equivariance = min(n_objects, scale["n_equivariance"] * len(FAMILIES))  # all their views
equivariance_objects = torch.linspace(0, n_objects - 1, n_equivariance).round().long()
flat_images = images[equivariance_objects].reshape(-1, 1, 32, 32)
moved_images = {name: transform(flat_images, name) for name in TRANSFORMS}


def equivariance_values(model):
    """Per transform and conv layer, the per-image equivariance; per transform, the per-image
    invariance of the plain spatial mean of conv4 (``gap``)."""
    plain = layer_responses(model, flat_images)
    values = {}
    for name in TRANSFORMS:
        moved = layer_responses(model, moved_images[name])
        values[name] = {lay: equivariance(plain[lay], moved[lay], name, per_image=True)
                        for lay in CONV}
        values[name]["gap"] = invariance(plain["gap"], moved["gap"], per_image=True)
    return values


def margin_of(values, layer):
    """The authors' statistic: median hflip equivariance minus the larger median of vflip and
    rot90; and the same with means."""
    med = {name: float(values[name][layer].quantile(0.5)) for name in TRANSFORMS}
    avg = {name: float(values[name][layer].mean()) for name in TRANSFORMS}
    return {"median": med["hflip"] - max(med["vflip"], med["rot90"]),
            "mean": avg["hflip"] - max(avg["vflip"], avg["rot90"])}


equiv_images = {"trained": equivariance_values(trained),
                "untrained": equivariance_values(untrained)}
equiv = {net: {name: {lay: median_mean(v) for lay, v in per.items()}
               for name, per in values.items()} for net, values in equiv_images.items()}
n_equivariance_images = len(flat_images)
margins = {net: {lay: margin_of(equiv_images[net], lay) for lay in CONV} for net in equiv_images}
# the distribution of the margin over random initialisations (drawn like the untrained network)
random_margins = {lay: [] for lay in CONV}
with progress_bar(total=scale["n_random"], desc="random networks", mininterval=1.0) as bar:
    for k in range(scale["n_random"]):
        control = MirrorCNN(main["n_classes"])
        init_like_paper(control, run.generator(f"equivariance-init-{k}", "cpu"))
        values_k = equivariance_values(control.eval())
        for lay in CONV:
            random_margins[lay].append(margin_of(values_k, lay)["median"])
        bar.update(1)
random_stats = {lay: {"mean": float(np.mean(v)), "sd": float(np.std(v, ddof=1)),
                      "n": len(v), "positive": int(sum(m > 0 for m in v)), "margins": v}
                for lay, v in random_margins.items()}
bound = {lay: random_stats[lay]["mean"] + 2 * random_stats[lay]["sd"] for lay in CONV}
learned = [lay for lay in CONV if margins["trained"][lay]["median"] > bound[lay]]
untrained_beyond = [lay for lay in CONV if margins["untrained"][lay]["median"] > bound[lay]]
at_init = [lay for lay in CONV
           if random_stats[lay]["positive"] >= 0.9 * random_stats[lay]["n"]]
hflip_wins = {lay: margins["trained"][lay]["median"] > 0 for lay in CONV}

filters = {net: {layer: filter_symmetry(getattr(model, layer).weight.detach())
                 for layer in CONV}
           for net, model in (("trained", trained), ("untrained", untrained))}
filter_stats = {net: {layer: mean_sem(v) for layer, v in f.items()} for net, f in filters.items()}
filter_mean = {net: float(torch.cat(list(filters[net].values())).mean()) for net in filters}
# the same measure for the top–bottom mirror (rows instead of columns), as a control
filter_mean_tb = {net: float(torch.cat([filter_symmetry(getattr(model, layer).weight.detach()
                                                        .transpose(-1, -2)) for layer in CONV])
                             .mean())
                  for net, model in (("trained", trained), ("untrained", untrained))}

fig, axes = plt.subplots(1, 3, figsize=(10, 3.7), gridspec_kw={"width_ratios": [1.3, 1.3, 1]})
width = 0.25
for i, name in enumerate(TRANSFORMS):
    for net, style in (("trained", dict(color=OKABE_ITO[i])),
                       ("untrained", dict(color="none", edgecolor=OKABE_ITO[i], hatch="//"))):
        offset = (i - 1) * width + (-0.06 if net == "trained" else 0.06)
        axes[0].bar(np.arange(len(CONV)) + offset, [equiv[net][name][lay]["median"]
                                                      for lay in CONV], width / 2, **style,
                    label=f"{name}, {net}")
axes[0].set_xticks(np.arange(len(CONV)), CONV)
axes[0].set(title="equivariance (median over images)", xlabel="layer",
            ylabel="ρ(f(x), T⁻¹f(Tx))", ylim=(0, 1))
axes[0].legend(fontsize=10, ncols=2, loc="upper left")
for j, lay in enumerate(CONV):
    axes[1].scatter(np.full(len(random_margins[lay]), j) + 0.08 * np.linspace(-1, 1, len(
        random_margins[lay])), random_margins[lay], s=10, color=OKABE_ITO[7], alpha=0.6,
        label="random networks" if j == 0 else None)
    axes[1].plot([j - 0.3, j + 0.3], [bound[lay]] * 2, color=OKABE_ITO[7], lw=1,
                 ls="--", label="random mean + 2 SD" if j == 0 else None)
axes[1].plot(np.arange(len(CONV)), [margins["trained"][lay]["median"] for lay in CONV], "o",
             color=OKABE_ITO[5], ms=7, label="trained")
axes[1].axhline(0, color="grey", lw=0.8)
axes[1].set_xticks(np.arange(len(CONV)), CONV)
axes[1].set(title="hflip margin", xlabel="layer", ylabel="hflip − max(vflip, rot90)")
axes[1].legend(fontsize=10)
for i, net in enumerate(("trained", "untrained")):
    axes[2].errorbar(np.arange(len(CONV)) + 0.08 * (i - 0.5),
                     [filter_stats[net][lay]["mean"] for lay in CONV],
                     yerr=[filter_stats[net][lay]["sem"] for lay in CONV], marker="o",
                     capsize=2, color=OKABE_ITO[3 * i], label=net)
axes[2].axhline(0, color="grey", lw=0.8)
axes[2].set_xticks(np.arange(len(CONV)), CONV)
axes[2].set(title="filter left-right symmetry", xlabel="layer",
            ylabel="ρ(left column, mirrored right)")
axes[2].legend(fontsize=10)
plt.show()


def pixel_autocorrelation(x, shift, axis):
    """Mean over images of the correlation between the (per-pixel z-scored) images and
    themselves shifted by ``shift`` pixels along ``axis`` (-1: horizontal, -2: vertical)."""
    z = (x - x.mean(0)) / x.std(0).clamp_min(1e-6)
    n = z.shape[axis]
    a, b = z.narrow(axis, 0, n - shift).flatten(1), z.narrow(axis, shift, n - shift).flatten(1)
    a, b = a - a.mean(1, keepdim=True), b - b.mean(1, keepdim=True)
    return float(((a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))).mean())


autocorrelation = {"horizontal": pixel_autocorrelation(flat_images[:, 0].double(), 2, -1),
                   "vertical": pixel_autocorrelation(flat_images[:, 0].double(), 2, -2)}
# conv1 is followed (after its ReLU) by batch normalisation: its scale does not matter
conv1_norm = {net: float(model.conv1.weight.detach().flatten(1).norm(dim=1).median())
              for net, model in (("trained", trained), ("untrained", untrained))}
conv1_maps = responses["trained"]["conv1"].transpose(0, 1).flatten(1)
conv1_silent = int((conv1_maps.std(1) < 1e-8).sum())
conv1_symmetry = {net: {"left_right": float(filters[net]["conv1"].mean()),
                        "top_bottom": float(filter_symmetry(model.conv1.weight
                                                            .detach().transpose(-1, -2)).mean())}
                  for net, model in (("trained", trained), ("untrained", untrained))}
# what each layer keeps of its random start: cosine between its trained and initial weights
init_alignment = {lay: float(torch.nn.functional.cosine_similarity(
    getattr(trained, lay).weight.detach().flatten(), getattr(untrained, lay).weight.detach()
    .flatten(), dim=0)) for lay in (*CONV, "fc1", "fc2")}
alignment_text = ", ".join(f"{lay} {v:+.2f}" for lay, v in init_alignment.items())


def eq_text(net, lay):
    return " / ".join(f"{equiv[net][name][lay]['median']:.2f}" for name in TRANSFORMS)


margin_rows = [
    f"| {lay} | {eq_text('trained', lay)} | {eq_text('untrained', lay)} | "
    f"{margins['trained'][lay]['median']:+.2f} ({margins['trained'][lay]['mean']:+.2f}) | "
    f"{margins['untrained'][lay]['median']:+.2f} | {random_stats[lay]['mean']:+.2f} ± "
    f"{random_stats[lay]['sd']:.2f} ({random_stats[lay]['positive']} of "
    f"{random_stats[lay]['n']} > 0) | {'yes' if lay in learned else 'no'} |" for lay in CONV]
display(Markdown(
    f"*Measured on all views of {n_equivariance} test objects ({n_equivariance_images} images). "
    "Left: median equivariance of each conv layer to a horizontal flip, a vertical flip and a "
    "90° rotation, trained (filled) and untrained (hatched). Middle: the hflip margin of the "
    f"trained network against {scale['n_random']} random networks (dots) and their mean + 2 SD "
    "(dashes). Right: mean ± SEM over filters of the left-right symmetry of the filters.*\n\n"
    "| layer | trained: hflip / vflip / rot90 | untrained | margin, trained (mean) | margin, "
    f"this untrained | {scale['n_random']} random networks: mean ± SD | learned |\n"
    "|---|---|---|---|---|---|---|\n" + "\n".join(margin_rows)
    + "\n\n*Margin: median hflip equivariance minus the larger of the vflip and rot90 medians "
    "(the same with means in brackets); learned: the trained margin exceeds the random "
    "networks' mean + 2 SD.*\n\n"
    f"**Result.** The trained network's hflip margin is positive in "
    f"{sum(hflip_wins.values())} of the {len(CONV)} conv layers. Beyond the random networks "
    f"(mean + 2 SD) — **learned** — it is in: **{listing(learned)}**. Already present at "
    f"initialisation (at least 90 % of the random networks favour the horizontal flip): "
    f"{listing(at_init)}. This run's own untrained network exceeds the random bound in: "
    f"{listing(untrained_beyond)}. Trained filters are "
    f"{'more' if filter_mean['trained'] > filter_mean['untrained'] else 'not more'} left-right "
    f"symmetric: mean filter symmetry **{filter_mean['trained']:+.3f}** against "
    f"{filter_mean['untrained']:+.3f} untrained. The same measure for the *top–bottom* mirror "
    f"is {filter_mean_tb['trained']:+.3f} trained and {filter_mean_tb['untrained']:+.3f} "
    f"untrained: smooth, centre-weighted filters (which weight decay favours) are symmetric "
    f"both ways, and the left-right excess over top–bottom "
    f"({filter_mean['trained'] - filter_mean_tb['trained']:+.3f}) is the part specific to "
    f"reflections about the vertical axis.\n\n"
    "**Why random networks may favour a transform.** Our objects are "
    + ("smoother along x than along y"
       if autocorrelation["horizontal"] > autocorrelation["vertical"] else
       "not smoother along x than along y")
    + " (correlation of the z-scored images with themselves shifted by two pixels: "
    f"{autocorrelation['horizontal']:.2f} horizontally, "
    f"{autocorrelation['vertical']:.2f} vertically). For a linear filter $w$, $T^{{-1}}f(Tx)$ is "
    "the response to the transformed filter $Tw$, and for random weights its correlation with the "
    "response to $w$ grows with the image autocorrelation at the shifts $a - Ta$ between a tap "
    "$a$ and its image — horizontal shifts for hflip, vertical ones for vflip. So an untrained "
    "margin is a property of the stimuli plus the draw of the weights, which is why the "
    "random networks are the reference.\n\n"
    f"**conv1.** Its ReLU output is batch-normalised, so the network does not depend on the "
    f"scale of conv1's weights (§2): decay shrank its median filter norm from "
    f"{conv1_norm['untrained']:.2f} to {conv1_norm['trained']:.2g}, and only the Adam steps "
    f"turned it. What is left of the random start is the cosine between the trained and the "
    f"initial weights: {alignment_text}. {conv1_silent} of conv1's 32 channels are silent on "
    f"every test image (switched off by the decay, §2), and its filters' mean left–right "
    f"symmetry is {conv1_symmetry['trained']['left_right']:+.2f} (top–bottom "
    f"{conv1_symmetry['trained']['top_bottom']:+.2f}; initial "
    f"{conv1_symmetry['untrained']['left_right']:+.2f} and "
    f"{conv1_symmetry['untrained']['top_bottom']:+.2f}). A filter that is odd under a "
    "left–right mirror (a detector of vertical edges of one polarity) answers a flipped image in "
    "the *other* polarity, which the paper's measure — channel order unchanged — counts against "
    "hflip equivariance, while the same filter is top–bottom symmetric and so vflip equivariant; "
    "a detector of horizontal edges is the reverse. conv1's margin thus weighs its horizontal "
    "against its vertical edge detectors more than it measures a mirror symmetry."))

# %% [markdown]
# ## 6. Pooling: index against receptive-field size
#
# The paper's mechanism: if conv maps are reflection-equivariant, a unit that pools them over a
# large enough region responds alike to an image and its mirror image, and for a symmetric
# object the view at $-\theta$ *is* the mirror image of the view at $+\theta$. We show it
# directly: the last conv layer's maps (conv4, 10×10 positions) pooled over every
# $k \times k$ window ($k$ = 1 … 10, stride 1), pooled as the authors pool them in their
# `figureS3.m` — z-score every unit (channel × position) over all stimuli, *then* average — and
# the MSVT index of the pooled units. A conv4 unit sees 14×14 pixels and neighbouring units are
# 2 pixels apart, so a window of $k$ units sees $14 + 2(k-1)$ pixels; $k = 10$ is global
# average pooling over the whole 32-pixel image.

# %% tags=["hide-input"]
# Figure: MSVT index of conv4 pooled over windows of growing size, trained and untrained.
windows = list(range(1, map_size + 1))
receptive_field = {k: 14 + 2 * (k - 1) for k in windows}  # pixels seen by a pooled conv4 unit
sweep_index = {net: {k: pooled_index(conv4_maps[net], k) for k in windows} for net in conv4_maps}
pooling_sweep = {net: {k: {f: mean_sem(sweep_index[net][k][members[f]]) for f in FAMILIES}
                       for k in windows} for net in sweep_index}
gap_stats = {net: pooling_sweep[net][map_size] for net in pooling_sweep}

fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
for ax, family in zip(axes, ("one_plane", "head"), strict=True):
    for c, (net, style) in enumerate((("trained", "o-"), ("untrained", "s--"))):
        means = [pooling_sweep[net][k][family]["mean"] for k in windows]
        sems = [pooling_sweep[net][k][family]["sem"] for k in windows]
        ax.errorbar([receptive_field[k] for k in windows], means, yerr=sems, fmt=style,
                    ms=4, capsize=2, color=OKABE_ITO[c * 6 + 1], label=net)
    for c, control in enumerate(("asymmetric", "radial")):
        ax.plot([receptive_field[k] for k in windows],
                [pooling_sweep["trained"][k][control]["mean"] for k in windows], ":",
                color=OKABE_ITO[2 + c], label=f"{FAMILY_LABELS[control]}, trained")
    ax.axhline(0, color="grey", lw=0.8)
    ax.axhline(FC_HIGH, color="grey", lw=0.8, ls="--")
    ax.set(title=FAMILY_LABELS[family], xlabel="receptive field of a pooled unit (pixels)",
           ylim=(-1, 1))
axes[0].set_ylabel("MSVT index of pooled conv4")
axes[1].legend(fontsize=10, loc="upper left")
plt.show()
full_rise = {f: gap_stats["trained"][f]["mean"] - pooling_sweep["trained"][1][f]["mean"]
             for f in ("one_plane", "head")}
above_untrained = [f for f in ("one_plane", "head")
                   if gap_stats["trained"][f]["mean"] > gap_stats["untrained"][f]["mean"]]
below_fc1 = [f for f in ("one_plane", "head")
             if gap_stats["trained"][f]["mean"] < msvt["trained"]["fc1"][f]["mean"] - 0.2]
gap_invariance = {net: equiv[net]["hflip"]["gap"]["median"] for net in equiv}
display(Markdown(
    "*The MSVT index of conv4 pooled over windows of growing size (mean ± SEM over exemplars); "
    f"dashed line: the paper's fc-layer threshold {FC_HIGH}. Dotted: objects without a symmetry "
    "plane, trained.* "
    f"**Result.** From one position (a {receptive_field[1]}-pixel receptive field) to the whole "
    f"map ({receptive_field[map_size]} pixels) the trained network's index goes from "
    f"{pooling_sweep['trained'][1]['one_plane']['mean']:+.2f} to "
    f"**{gap_stats['trained']['one_plane']['mean']:+.2f}** for one-plane objects and from "
    f"{pooling_sweep['trained'][1]['head']['mean']:+.2f} to "
    f"**{gap_stats['trained']['head']['mean']:+.2f}** for the head; the untrained network's from "
    f"{pooling_sweep['untrained'][1]['one_plane']['mean']:+.2f} to "
    f"{gap_stats['untrained']['one_plane']['mean']:+.2f} (one-plane) and "
    f"{pooling_sweep['untrained'][1]['head']['mean']:+.2f} to "
    f"{gap_stats['untrained']['head']['mean']:+.2f} (head). Objects without a plane reach "
    f"{gap_stats['trained']['asymmetric']['mean']:+.2f} (no plane) and "
    f"{gap_stats['trained']['radial']['mean']:+.2f} (radial) at full pooling, trained. For "
    f"comparison, fc1 gives {msvt['trained']['fc1']['one_plane']['mean']:+.2f} and "
    f"{msvt['trained']['fc1']['head']['mean']:+.2f} trained"
    + (f"; pooling over the whole map stays well below fc1 for "
       f"{' and '.join(FAMILY_LABELS[f] for f in below_fc1)}, so there the trained fc weights, "
       "which read the maps position by position, add to what pooling gives"
       if below_fc1 else "") + ".\n\n"
    "**What pooling does.** Averaging over positions throws away *where* a feature is and "
    "keeps only *how much* of it there is. The mirror image of an image contains the mirror images "
    "of its local patterns at mirrored places, and the view at −θ of a symmetric object is exactly "
    "such a flip; so the more equivariant the maps, the more alike the pooled responses to mirror "
    "views. The invariance of the whole-map average to a horizontal flip of the image (median "
    f"over images, §5) is {gap_invariance['trained']:.2f} trained and "
    f"{gap_invariance['untrained']:.2f} untrained; at full pooling the trained index lies above "
    f"the untrained one for "
    f"{' and '.join(FAMILY_LABELS[f] for f in above_untrained) or 'neither family'}. "
    "Invariance alone is not enough: a representation that ignores the view altogether has an "
    "index near 0, because the index needs responses that *differ* between views and agree only "
    "between mirror views."))

# %% [markdown]
# ## 7. A training-set manipulation
#
# The paper's Fig. 4 trains the same network on SVHN, on "symSVHN" (half of the images flipped,
# same label) and on "asymSVHN" (flipped images labelled as new classes): symmetric training raises
# the effect, flip-as-new-class suppresses it. Our analogue trains three more networks on
# **asymmetric** categories (no symmetry plane, like digits):
#
# * **asymmetric only** (like SVHN): the training set has no bilateral symmetry at all;
# * **+ mirror, same class** (like symSVHN): every image is added a second time, horizontally
#   flipped, with the same label, which rewards reflection-*invariant* features;
# * **+ mirror as new class** (like asymSVHN): the flipped copy gets a new label, so the network
#   must tell an object from its mirror image, which rewards reflection-*sensitive* features.
#
# Like digits, which are always seen from the front, these objects are seen from one side only
# (yaw 0°…180°). This matters for the third set: were they seen from every direction, the mirror
# image of one view would often look like another view of the same object (for a 3D object,
# flipping the picture of view $\theta$ gives the mirror object at $-\theta$), and telling an
# object from its mirror image would become a much harder, genuinely 3D task. The last two sets
# contain exactly the same images and their networks start from the same initial weights; only
# the labels of the mirrored half differ. All are trained like the network of §2. We compare the
# index at the fc layers on the same test stimuli (none of them from a training category).
#
# At the `paper` profile the page trains on the paper's own sets instead, when they can be
# downloaded (once, into the cache, their checksums verified): CIFAR-10 (the reference, in place
# of the network of §2), SVHN, SVHN with a random half of its images mirrored (same label), and
# the same images with the mirrored half as ten new classes — in grey, 32×32, with the same
# training recipe and the same procedural test stimuli. Offline it falls back to the procedural
# sets above and says so below the figure.

# %% tags=["hide-input"]
# Figure: MSVT index of the first fully connected layer under three manipulations of the training
#   set.
# At `paper`: CIFAR-10 and SVHN when they can be had (else None and a notice); other profiles:
# the procedural sets, nothing downloaded.
natural, natural_notice = training_source(run.profile, default_cache_dir(),
                                          run.generator("fig4-data", "cpu"))
if natural is None:
    # one rendering: the images with mirrors as new classes; the same-class set merges labels
    k = scale["manip_categories"]
    with_new = render_set("asymmetric", k, scale["manip_exemplars"], scale["manip_views"],
                          "new_class", "manipulation", yaw_range=(0.0, 180.0))
    half = len(with_new["images"]) // 2  # the first half: the images without their mirrors
    manip_data = {"none": {"images": with_new["images"][:half],
                           "labels": with_new["labels"][:half], "n_classes": k},
                  "same_class": {"images": with_new["images"], "labels": with_new["labels"] % k,
                                 "n_classes": k},
                  "new_class": with_new}
    reference_msvt = msvt["trained"]
    NAMES = {"reference": "one-plane categories (§2)", "none": "asymmetric only",
             "same_class": "asymmetric + mirror, same class",
             "new_class": "asymmetric + mirror as new class"}
    manip_source = "procedural"
else:
    manip_data = {"none": natural["svhn"], "same_class": natural["svhn_mirror_same"],
                  "new_class": natural["svhn_mirror_new"]}
    NAMES = {"reference": "CIFAR-10", "none": "SVHN",
             "same_class": "SVHN, half mirrored, same label",
             "new_class": "SVHN, mirrored half as new classes"}
    manip_source = "CIFAR-10 and SVHN (the paper's Fig. 4 sets), grey"


def train_manipulation(mode, data):
    """A manipulation network (cached): trained like §2's on ``data``."""
    config = cache_config(family="asymmetric", n_categories=scale["manip_categories"],
                          n_exemplars=scale["manip_exemplars"], n_views=scale["manip_views"],
                          epochs=scale["manip_epochs"], weight_decay=scale["weight_decay"],
                          scale_free_decay=scale["scale_free_decay"], mirror=mode)
    if natural is not None:
        config |= {"family": "fig4", "n_images": len(data["images"])}
    name = f"ch3-{'fig4' if natural is not None else 'manipulation'}-{mode}"
    return cached(name, config, lambda: train_network(data, "manipulation",
                                                      scale["manip_epochs"]))


manip_index, manipulation = {}, {
    "condition": "asymmetric categories alone, plus their mirror images as the same class, or "
                 "plus their mirror images as new classes" if natural is None else
                 "SVHN alone, with a random half mirrored (same label), or with the mirrored half "
                 "as new classes; CIFAR-10 as the reference",
    "training_source": manip_source, "notice": natural_notice,
    "one_plane_training": {layer: msvt["trained"][layer] for layer in ("fc1", "fc2")},
}
if natural is not None:
    cifar_state = train_manipulation("cifar10", natural["cifar10"])
    cifar_responses = layer_responses(load(cifar_state, "trained"), stimulus_batch)
    reference_msvt = {layer: {f: mean_sem(msvt_index(cifar_responses[layer].reshape(
        n_objects, N_VIEWS, -1))[members[f]]) for f in FAMILIES} for layer in ("fc1", "fc2")}
    manipulation["reference"] = {"name": "cifar10", "msvt": reference_msvt,
                                 "test_accuracy": float(cifar_state["test_accuracy"])}
for mode, data in manip_data.items():
    state = train_manipulation(mode, data)
    net = load(state, "trained")
    flip_responses = layer_responses(net, stimulus_batch)
    manip_index[mode] = {layer: msvt_index(flip_responses[layer].reshape(n_objects, N_VIEWS, -1))
                         for layer in ("fc1", "fc2")}
    manipulation[f"mirror_{mode}"] = {
        "test_accuracy": float(state["test_accuracy"]), "n_classes": state["n_classes"],
        "msvt": {layer: {f: mean_sem(manip_index[mode][layer][members[f]]) for f in FAMILIES}
                 for layer in ("fc1", "fc2")},
        "filter_symmetry": float(torch.cat([filter_symmetry(getattr(net, lay).weight.detach())
                                            for lay in CONV]).mean())}
plain = manipulation["mirror_none"]
same, new = manipulation["mirror_same_class"], manipulation["mirror_new_class"]

fig, ax = plt.subplots(figsize=(10, 3.6))
conditions = [(NAMES["reference"], reference_msvt[last]),
              (NAMES["none"], plain["msvt"][last]),
              (NAMES["same_class"], same["msvt"][last]),
              (NAMES["new_class"], new["msvt"][last]),
              ("untrained", msvt["untrained"][last])]
for c, (name, stats) in enumerate(conditions):
    ax.bar(np.arange(len(FAMILIES)) + (c - 2) * 0.16, [stats[f]["mean"] for f in FAMILIES],
           0.16, yerr=[stats[f]["sem"] for f in FAMILIES], capsize=2, color=OKABE_ITO[c],
           label=name)
ax.axhline(0, color="grey", lw=0.8)
ax.set_xticks(np.arange(len(FAMILIES)),
              [FAMILY_LABELS[f].replace(" (", "\n(") for f in FAMILIES], fontsize=10)
ax.set(ylabel=f"MSVT index at {last}", ylim=(-1, 1), title="what the training set does")
ax.legend(fontsize=10, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
plt.show()


def mstat(cond, layer, family):
    s = cond["msvt"][layer][family]
    return f"{s['mean']:+.2f} ± {s['sem']:.2f}"


manip_lower = {layer: {f: new["msvt"][layer][f]["mean"] < same["msvt"][layer][f]["mean"]
                       for f in ("one_plane", "head")} for layer in ("fc1", "fc2")}
sym_raises = {f: same["msvt"][last][f]["mean"] > plain["msvt"][last][f]["mean"]
              for f in ("one_plane", "head")}
absent_lowers = {f: plain["msvt"][last][f]["mean"] < reference_msvt[last][f]["mean"]
                 for f in ("one_plane", "head")}
n_lower = sum(v for d in manip_lower.values() for v in d.values())
reference = {"msvt": reference_msvt}
display(Markdown(
    f"*The index at {last} (mean ± SEM over exemplars) for the reference network "
    f"({NAMES['reference']}), the three networks of the manipulation, and the untrained "
    f"network.* "
    + (f"\n\n**Offline.** {natural_notice}\n\n" if natural_notice else "")
    + f"**Result.** Trained on {NAMES['none']}, the index at {last} is "
    f"{mstat(plain, last, 'one_plane')} for "
    f"one-plane objects and {mstat(plain, last, 'head')} for the head (test accuracy "
    f"{plain['test_accuracy']:.3f}), "
    f"{'below' if all(absent_lowers.values()) else 'not below'} the network trained on "
    f"{NAMES['reference']} ({mstat(reference, last, 'one_plane')}, "
    f"{mstat(reference, last, 'head')}). "
    + ("Adding the mirror images" if natural is None else "Mirroring half of the images")
    + f" with the same label gives {mstat(same, last, 'one_plane')} and "
    f"{mstat(same, last, 'head')} (accuracy {same['test_accuracy']:.3f}): "
    + ("the index rises for both, as symSVHN raises it in the paper. "
       if all(sym_raises.values()) else
       f"the index rises for {' and '.join(f for f, v in sym_raises.items() if v) or 'neither'}. ")
    + f"With the mirror images as new classes the network reaches a test accuracy of "
    f"{new['test_accuracy']:.3f} over {new['n_classes']} classes (chance "
    f"{1 / new['n_classes']:.3f}), so it "
    f"{'learns' if new['test_accuracy'] >= 0.8 else 'only partly learns'} to tell an image "
    f"from its mirror image. Same class vs new class: fc1 "
    f"{mstat(same, 'fc1', 'one_plane')} vs {mstat(new, 'fc1', 'one_plane')} (one-plane), "
    f"{mstat(same, 'fc1', 'head')} vs {mstat(new, 'fc1', 'head')} (head); fc2 "
    f"{mstat(same, 'fc2', 'one_plane')} vs {mstat(new, 'fc2', 'one_plane')}, "
    f"{mstat(same, 'fc2', 'head')} vs {mstat(new, 'fc2', 'head')}: flip-as-new-class gives the "
    f"lower index in {n_lower} of these 4 comparisons"
    + (", the paper's asymSVHN effect." if n_lower == 4 else
       " — the paper's asymSVHN suppression is "
       + ("only partly reproduced here." if n_lower else "not reproduced here."))
    + f" Mean filter symmetry: {plain['filter_symmetry']:+.3f} ({NAMES['none']}), "
    f"{same['filter_symmetry']:+.3f} (same class), {new['filter_symmetry']:+.3f} (new class)."))

# %% [markdown]
# ## 8. Explore: dissimilarity matrices per layer and object
#
# Choose a layer (trained network unless marked otherwise) and move the slider through the test
# objects: each picture shows the object's nine views and its view × view dissimilarity matrix
# with the object's MSVT index. Mirror-symmetric tuning shows as a matrix that is symmetric about
# its anti-diagonal as well as its diagonal (an "X"). The pictures were rendered when the page was
# built and are linked in the browser, so the explorer also works in the static book.

# %% tags=["hide-input"]
explore_layers = [("pixels", "trained"), ("conv2", "trained"), ("conv4", "trained"),
                  ("gap", "trained"), ("fc1", "trained"), ("fc2", "trained"),
                  ("fc2", "untrained")]
explore_layers = explore_layers[-scale["explore_groups"]:]
chosen = [int(i) for f in FAMILIES for i in members[f][:scale["n_explore"]]]
z_cache = {}


def dissimilarity_of(net, layer, obj):
    """The view × view dissimilarity the index of ``layer`` is computed from (for ``gap``: the
    z-scored, then globally averaged conv4 maps, §6)."""
    if (net, layer) not in z_cache:
        z_cache[net, layer] = (
            pooled_responses(conv4_maps[net], map_size) if layer == "gap" else zscore_units(
                responses[net][layer].reshape(n_objects, N_VIEWS, -1).flatten(2)))
    return dissimilarity(z_cache[net, layer][obj]).numpy()


def explorer_frame(net, layer, obj):
    """The object's views (top), the layer's view-by-view dissimilarity (bottom left) and its
    MSVT index (bottom right); one colour scale, 0 … 2, for every frame."""
    fig = plt.figure(figsize=(6.4, 4.2))
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 2.2], width_ratios=[1.2, 1])
    ax = fig.add_subplot(grid[0, :])
    ax.imshow(torch.cat(list(images[obj]), 1), cmap="gray", vmin=0, vmax=1)
    ax.set_xticks(32 * np.arange(N_VIEWS) + 16, [f"{y:+.0f}°" for y in yaws.tolist()],
                  fontsize=10)
    ax.set(yticks=[], xlabel="yaw")
    ax = fig.add_subplot(grid[1, 0])
    im = ax.imshow(dissimilarity_of(net, layer, obj), cmap=SEQUENTIAL_CMAP, vmin=0, vmax=2)
    ax.set_xticks([0, N_VIEWS // 2, N_VIEWS - 1], ["−90°", "0°", "+90°"], fontsize=10)
    ax.set_yticks([0, N_VIEWS // 2, N_VIEWS - 1], ["−90°", "0°", "+90°"], fontsize=10)
    ax.set(xlabel="yaw", ylabel="yaw")
    fig.colorbar(im, ax=ax, fraction=0.046, label="1 − ρ")
    family = FAMILIES[int(family_of[obj])]
    text = fig.add_subplot(grid[1, 1])
    text.axis("off")
    text.text(0.3, 0.5, f"{FAMILY_LABELS[family]}\n{layer} ({net})\n"
              f"MSVT index = {float(index[net][layer][obj]):+.2f}", fontsize=10, va="center")
    return figure_png(fig)


groups = {f"{layer}" + ("" if net == "trained" else " (untrained)"):
          [explorer_frame(net, layer, obj) for obj in chosen] for layer, net in explore_layers}
explorer = snapshot_explorer(
    groups, [f"{FAMILY_LABELS[FAMILIES[int(family_of[o])]].split(' (')[0]} #{k}"
             for k, o in enumerate(chosen)],
    group_description="layer", frame_description="object")
display(explorer)

# %% [markdown]
# ## Limits of this reproduction
#
# * **Scale.** The `cpu` profile renders a few thousand images of twelve procedural categories and
#   trains for about two minutes; the test accuracy above says how well the task is learned. The
#   `paper` profile (more exemplars, views and epochs) is meant for a GPU. Our categories are far
#   less varied than CIFAR-10 or ImageNet, which limits how generic the learned invariance is.
# * **Weight decay.** Our training uses a strong weight decay (§2), which removes the random,
#   reflection-asymmetric initial weights that the training data never ask for. It is our
#   choice, not the paper's (whose training settings for the small CNN we do not know): every
#   claim that rests on it names it as a departure, and §3 repeats the headline measurements on
#   a network trained with an ordinary decay. Exercise 4 switches the decay off altogether.
# * **Seeds.** The index of a single held-out category — the head, exemplars of one procedural
#   face — rests on one draw of training categories and one training run, whereas the one-plane
#   family averages over several new categories; expect the head's index to vary more from seed
#   to seed. The summary below states this run's numbers only; `make seeds` reruns the page over
#   several seeds and the scorecard then shows in how many each claim holds.
# * **Equivariance.** The paper's measure keeps the channel order, so a layer of filters that
#   are odd under a left–right mirror (edge detectors of one polarity) counts as not
#   hflip-equivariant even where a flip merely swaps two of its channels. Our conv1 is a bank
#   of such edge detectors, so its margin measures the balance of their polarities more than a
#   mirror symmetry (§5). The stronger decay of the batch-normalised conv1 and conv3 (§2) is our
#   choice, not the paper's (Exercise 4 trains with the common decay). Random networks already
#   favour the horizontal flip on our stimuli, which is why §5 judges each layer's margin
#   against the spread over random networks. For the 90° rotation we rotate the maps back; the
#   authors' script rotates them once more the same way (a net 180°), which we do not copy.
# * **Filters.** Weight decay makes filters smoother, and smooth filters are symmetric both
#   left–right and top–bottom; §5 reports both, so that the left–right excess can be read off.
# * **Manipulation.** The three manipulation networks see their objects from one side only
#   (§7); with views from every direction the flip-as-new-class task is barely learnable for 3D
#   objects, and its effect on the index is then small and depends on the seed. The
#   asymmetric-only network differs from the network of §2 in two ways (no symmetry plane, one
#   side only); the cleanly paired comparisons are asymmetric-only vs + mirror (same class) and
#   same class vs new class.
# * **Stimuli.** Our objects are simple smooth unions of primitives without texture, so neighbouring
#   views are very similar in pixels; the conv-layer indices are therefore clearly negative rather
#   than near 0.
# * **Controls.** A control object that is *nearly* symmetric about some vertical plane is mirror
#   tuned about that plane by a trained network (Exercise 1). Our radial fruits therefore carry
#   bumps at independent azimuths (with a stem and leaf alone, their index in the trained fc
#   layers depended on where the stems pointed and was clearly positive for some draws of
#   objects); the no-plane objects are random part assemblies, and
#   an occasional draw that happens to be nearly symmetric can still raise their mean.
#
# ## Reproduction summary
#
# The headline numbers of this run next to the paper's claims, one record per claim: the paper's
# value and where it comes from, how our setting departs from the paper's, our number, the
# criterion, and the controls — cases that must not meet the criterion. The verdict is computed
# from the record. The paper's thresholds (< 0.1 in the conv layers, > 0.6 from the first fc
# layer) come from AlexNet trained on ImageNet (its main figures); the paper's small
# from-scratch CNN results are its Fig. 4. Our network has the Fig. 4 layout, trained on
# procedural objects, and we judge it by the AlexNet thresholds, as each claim's source says;
# where the paper says only "low" or "high" we read them as < 0.1 and > 0.6. The records are
# written to
# `RESULTS_DIR/mirror_symmetry.json` with the profile, seed, device and runtime.
#
# :::{admonition} Keys of `mirror_symmetry.json`
# :class: dropdown
# - `msvt`: MSVT index per network (`trained`, `untrained`), layer (`pixels`, conv, pool and fc
#   layers) and family (`one_plane`, `head`, `asymmetric` = no plane, `two_plane`, `radial`):
#   `mean` and `sem` over the exemplars (§3); `msvt_heldout_face`: the head at the last layer.
# - `equivariance`, `equivariance_untrained`: per conv layer and transform (`hflip`, `vflip`,
#   `rot90`) the `median` (the authors' statistic) and `mean` over images, and the invariance of
#   the plain spatial mean of conv4 (`gap`), trained and untrained; `equivariance_margin`: per
#   conv layer, the hflip margin (median and mean) of the trained and the untrained network,
#   the margins of the random networks (`random_networks`: each `margins`, their `mean`, `sd`,
#   `n`, `positive`), `bound` (mean + 2 SD), `learned` and `present_at_initialisation`;
#   `equivariance_conv1`, `init_alignment`, `image_autocorrelation_shift2`: the conv1 and
#   stimulus facts of §5.
# - `filter_symmetry`: mean left–right filter symmetry (the authors' definition), trained and
#   untrained, per layer, and the top–bottom control; `pooling_sweep`: per network, window
#   size (conv4 positions) and family, the index of the pooled conv4 maps (mean, sem), with
#   `receptive_field` (pixels) per window (§6); `gap_vs_fc`: full pooling beside fc1;
#   `manipulation`: the three networks of §7 (and, when they were used, the CIFAR-10
#   network, under `reference`; `training_source` says which training sets were used);
#   `ordinary_decay`: the control of §3 — its `weight_decay`, `test_accuracy`, `msvt` (as
#   `msvt`; `untrained` is the same network), the three headline `checks`, beside those of the
#   strong decay (`checks_strong_decay`).
# - `test_accuracy`, `chance_accuracy`, `mirror_render_error` (§1), `n_per_family`, and `checks`
#   (the booleans of the criteria).
# - `claims`: one record per claim: `id` (stable across seeds), `claim`, `paper`, `source` (where
#   the paper's value comes from), `setting` (as in the paper, or the departure), `ours`, `value`
#   (the headline number), `criterion`, `holds`, `controls` (each `name`, `value`, `passes`),
#   `no_control` (why there is none), `beyond_paper`, and the computed `verdict` and `reason`.
# :::

# %% tags=["hide-input"]
conv_layers_all = ("pixels", "conv1", "conv2", "pool1", "conv3", "conv4", "pool2")
low_conv = all(msvt["trained"][lay][f]["mean"] < CONV_LOW for lay in conv_layers_all
               for f in ("one_plane", "head"))
rise = {f: msvt["trained"][last][f]["mean"] - msvt["untrained"][last][f]["mean"]
        for f in ("one_plane", "head")}
high_fc = all(msvt["trained"][last][f]["mean"] > FC_HIGH for f in ("one_plane", "head"))
controls_max = max(msvt[net][lay][f]["mean"] for net in msvt for lay in ALL_LAYERS
                   for f in ("asymmetric", "radial"))
controls_low = controls_max < CONV_LOW
two_plane_min = two_plane_low
two_plane_high = min(two_plane_min.values()) > FC_HIGH
manip_holds = all(manip_lower[last].values())


def conv_peak(net, families):
    """The largest mean index over the pixels and the conv and pool layers."""
    return max(msvt[net][lay][f]["mean"] for lay in conv_layers_all for f in families)


def fc_index(net, family, layer=last):
    return msvt[net][layer][family]["mean"]


def pair_text(label, first, second):
    """Two networks' indices at the last layer, one-plane and head: 'fc2, label: … a / b'."""
    return f"{last}, {label}: " + ", ".join(
        f"{name} {first[last][f]['mean']:+.2f} / {second[last][f]['mean']:+.2f}"
        for name, f in (("one-plane", "one_plane"), ("head", "head")))


def full_pool(net, family):
    return gap_stats[net][family]["mean"]


# the departures from the paper's setting, read from the run (SCALES), not typed
SMALL_CNN = ("small CNN of the paper's Fig. 4 (unpadded, as the authors' code) on procedural "
             "objects; the threshold is the paper's for AlexNet on ImageNet")
DECAY = (f"departure: strong weight decay, AdamW λ = {scale['weight_decay']:g} "
         f"({scale['scale_free_decay']:g} on the batch-normalised convolutions), our choice — "
         f"the paper's training settings for its small CNN are not known to us")


def robustness(key):
    """The departure plus what the ordinary-decay control (§3) gives under the same criterion."""
    verdict = "holds" if ordinary_head[key] else "does not hold"
    value = {"conv_low": f"largest conv-layer mean {ordinary_head['conv_peak']:+.2f}",
             "one_plane_fc_high": f"{ordinary_head['one_plane']:+.2f}",
             "head_fc_high": f"{ordinary_head['head']:+.2f}"}[key]
    return (f"{DECAY}; with an ordinary decay (λ = {ORDINARY:g}, every layer; §3) {value}: "
            f"the criterion {verdict}")
MAIN_FIGURES = "main figures, AlexNet trained on ImageNet"
FIG4 = "Fig. 4, small CNN trained from scratch"
PAIRED = ("a comparison between two trained networks, each the other's reference (the paper's "
          "Fig. 4 design); no further control computed")
MANIP_SETTING = ("asymmetric procedural categories seen from one side (paper: SVHN)"
                 if natural is None else "SVHN in grey as in the paper, procedural test stimuli")
pooling_holds = all(full_pool("trained", f) > FC_HIGH and full_rise[f] > 0
                    for f in ("one_plane", "head"))

claims = [
    Claim(
        id="conv_low",
        claim="one-plane objects and the head: low index in the pixels and conv layers",
        paper=f"< {CONV_LOW} in the conv layers", source=MAIN_FIGURES,
        setting=f"{SMALL_CNN}; {robustness('conv_low')}",
        ours=f"largest mean {conv_peak('trained', ('one_plane', 'head')):+.2f} trained "
             f"(untrained {conv_peak('untrained', ('one_plane', 'head')):+.2f})",
        value=conv_peak("trained", ("one_plane", "head")),
        criterion=f"every mean < {CONV_LOW} in the pixels, conv and pool layers (one-plane and "
                  "head, trained)",
        holds=low_conv,
        controls=(Control("two-plane objects (high from conv1 in the paper), trained",
                          f"largest mean {conv_peak('trained', ('two_plane',)):+.2f}",
                          conv_peak("trained", ("two_plane",)) < CONV_LOW),)),
    Claim(
        id="one_plane_fc_high",
        claim=f"one-plane categories never seen in training: high index at {last}",
        paper=f"> {FC_HIGH} from the first fc layer on", source=MAIN_FIGURES,
        setting=f"{SMALL_CNN}; {robustness('one_plane_fc_high')}",
        ours=f"{stat('trained', last, 'one_plane')} (untrained "
             f"{stat('untrained', last, 'one_plane')})",
        value=fc_index("trained", "one_plane"),
        criterion=f"mean index at {last} > {FC_HIGH}, trained",
        holds=fc_index("trained", "one_plane") > FC_HIGH,
        controls=(Control("untrained network", f"{fc_index('untrained', 'one_plane'):+.2f}",
                          fc_index("untrained", "one_plane") > FC_HIGH),
                  Control("no-plane objects, trained", f"{fc_index('trained', 'asymmetric'):+.2f}",
                          fc_index("trained", "asymmetric") > FC_HIGH),
                  Control("radial objects, trained", f"{fc_index('trained', 'radial'):+.2f}",
                          fc_index("trained", "radial") > FC_HIGH))),
    Claim(
        id="head_fc_high",
        claim=f"the head (faces), never trained: high index at {last}",
        paper=f"> {FC_HIGH} from fc6, negative in the conv layers", source=MAIN_FIGURES,
        setting=f"{SMALL_CNN}; {robustness('head_fc_high')}",
        ours=f"{stat('trained', last, 'head')} (untrained {stat('untrained', last, 'head')})",
        value=fc_index("trained", "head"),
        criterion=f"mean index at {last} > {FC_HIGH}, trained",
        holds=fc_index("trained", "head") > FC_HIGH,
        controls=(Control("untrained network", f"{fc_index('untrained', 'head'):+.2f}",
                          fc_index("untrained", "head") > FC_HIGH),
                  Control("no-plane objects, trained", f"{fc_index('trained', 'asymmetric'):+.2f}",
                          fc_index("trained", "asymmetric") > FC_HIGH),
                  Control("radial objects, trained", f"{fc_index('trained', 'radial'):+.2f}",
                          fc_index("trained", "radial") > FC_HIGH))),
    Claim(
        id="no_plane_radial_low",
        claim="objects without a symmetry plane (no-plane, radial) stay low in every layer",
        paper="fruits and flowers low in every layer", source=MAIN_FIGURES,
        setting=f"{SMALL_CNN}; 'low' read as the paper's conv-layer < {CONV_LOW}; {DECAY}",
        ours=f"largest mean {controls_max:+.2f} (trained and untrained)", value=controls_max,
        criterion=f"every mean < {CONV_LOW}, every layer, trained and untrained",
        holds=controls_low,
        no_control="these families are themselves the controls of the one-plane and head claims"),
    Claim(
        id="two_plane_high",
        claim="two-plane (front–back symmetric) objects: high index from the pixels on, "
              "trained and untrained",
        paper="cars and boats high from conv1", source=MAIN_FIGURES,
        setting=f"{SMALL_CNN}; 'high' read as the paper's fc-layer > {FC_HIGH}; {DECAY}",
        ours=f"lowest mean over layers {two_plane_min['trained']:+.2f} trained, "
             f"{two_plane_min['untrained']:+.2f} untrained",
        value=min(two_plane_min.values()),
        criterion=f"mean > {FC_HIGH} in every layer, trained and untrained",
        holds=two_plane_high,
        no_control="the paper attributes it to the stimuli (each view is close to its own mirror "
                   "image), so the untrained network is part of the criterion, not a control"),
    Claim(
        id="hflip_most_equivariant",
        claim="training makes the conv layers more equivariant to a horizontal flip than to a "
              "vertical flip or a 90° rotation, beyond random networks",
        paper="hflip above vflip and rotation in trained conv layers",
        source="supplementary figure S7 (AlexNet); the authors' figureS7.py, medians",
        setting=f"small CNN on procedural objects; maps rotated back for rot90 (the authors' "
                f"script: a net 180°); {DECAY}",
        ours=f"margin (median) beyond {scale['n_random']} random networks' mean + 2 SD in: "
             f"{listing(learned)}; present at initialisation in: {listing(at_init)}; "
             + ", ".join(f"{lay} {margins['trained'][lay]['median']:+.2f} vs "
                         f"{bound[lay]:+.2f}" for lay in CONV),
        value=min(margins["trained"][lay]["median"] - bound[lay] for lay in CONV),
        criterion="in every conv layer, the trained median margin (hflip − max(vflip, rot90)) "
                  "exceeds the random networks' mean + 2 SD",
        holds=len(learned) == len(CONV),
        controls=(Control("this run's untrained network, same criterion",
                          f"beyond the bound in: {listing(untrained_beyond)}",
                          len(untrained_beyond) == len(CONV)),)),
    Claim(
        id="filters_more_symmetric",
        claim="training makes the conv filters more left–right symmetric",
        paper="filters shift towards symmetric",
        source="supplementary figure S5 (AlexNet); the authors' figureS5.m",
        setting=f"small CNN on procedural objects; {DECAY}",
        ours=f"mean filter symmetry {filter_mean['trained']:+.3f} trained vs "
             f"{filter_mean['untrained']:+.3f} untrained",
        value=filter_mean["trained"] - filter_mean["untrained"],
        criterion="mean left–right symmetry over all conv filters above that of the untrained "
                  "filters",
        holds=filter_mean["trained"] > filter_mean["untrained"],
        controls=(Control("top–bottom symmetry of the same filters (smoothness alone)",
                          f"{filter_mean_tb['trained']:+.3f} trained vs "
                          f"{filter_mean_tb['untrained']:+.3f} untrained",
                          filter_mean_tb["trained"] > filter_mean_tb["untrained"]),)),
    Claim(
        id="pooling_gives_msvt",
        claim="pooling the last conv layer's maps over a large window gives mirror-symmetric "
              "tuning, rising with the window (trained)",
        paper="global average pooling of pool5 gives an index close to fc6",
        source="supplementary figure S3 (AlexNet); the authors' figureS3.m",
        setting=f"conv4 of the small CNN, windows of 1 … {map_size} positions, z-scored then "
                f"averaged as the authors; 'high' read as > {FC_HIGH}; {DECAY}",
        ours=f"full pooling one-plane {full_pool('trained', 'one_plane'):+.2f}, head "
             f"{full_pool('trained', 'head'):+.2f} (1 position: "
             f"{pooling_sweep['trained'][1]['one_plane']['mean']:+.2f}, "
             f"{pooling_sweep['trained'][1]['head']['mean']:+.2f}); fc1 "
             f"{fc_index('trained', 'one_plane', 'fc1'):+.2f}, "
             f"{fc_index('trained', 'head', 'fc1'):+.2f}",
        value=min(full_pool("trained", f) for f in ("one_plane", "head")),
        criterion=f"at full pooling mean > {FC_HIGH} and above the 1-position value, one-plane "
                  "and head, trained",
        holds=pooling_holds,
        controls=(Control("untrained network",
                          f"{full_pool('untrained', 'one_plane'):+.2f}, "
                          f"{full_pool('untrained', 'head'):+.2f}",
                          all(full_pool("untrained", f) > FC_HIGH
                              and full_pool("untrained", f)
                              > pooling_sweep["untrained"][1][f]["mean"]
                              for f in ("one_plane", "head"))),
                  Control("no-plane and radial objects, trained",
                          f"{full_pool('trained', 'asymmetric'):+.2f}, "
                          f"{full_pool('trained', 'radial'):+.2f}",
                          any(full_pool("trained", f) > FC_HIGH
                              for f in ("asymmetric", "radial"))))),
    Claim(
        id="no_symmetry_training_lowers",
        claim="training without symmetric categories gives a lower index",
        paper="SVHN below CIFAR-10", source=FIG4,
        setting=(f"asymmetric procedural categories seen from one side vs one-plane categories "
                 f"(paper: SVHN vs CIFAR-10); {DECAY}" if natural is None else
                 f"SVHN vs CIFAR-10 in grey, procedural test stimuli; {DECAY}"),
        ours=pair_text(f"{NAMES['none']} / {NAMES['reference']}", plain["msvt"],
                       reference_msvt),
        value=max(plain["msvt"][last][f]["mean"] - reference_msvt[last][f]["mean"]
                  for f in ("one_plane", "head")),
        criterion=f"lower at {last}, one-plane and head",
        holds=all(absent_lowers.values()), no_control=PAIRED),
    Claim(
        id="mirror_same_class_raises",
        claim="adding mirror images with the same label raises the index",
        paper="symSVHN above SVHN", source=FIG4,
        setting=f"{MANIP_SETTING}; {DECAY}",
        ours=pair_text(f"{NAMES['none']} / {NAMES['same_class']}", plain["msvt"], same["msvt"]),
        value=min(same["msvt"][last][f]["mean"] - plain["msvt"][last][f]["mean"]
                  for f in ("one_plane", "head")),
        criterion=f"higher at {last}, one-plane and head",
        holds=all(sym_raises.values()), no_control=PAIRED),
    Claim(
        id="mirror_new_class_lowers",
        claim="mirror images as new classes give a lower index than as the same class",
        paper="asymSVHN below symSVHN", source=FIG4,
        setting=f"{MANIP_SETTING}; {DECAY}",
        ours=pair_text("same class / new class", same["msvt"], new["msvt"]),
        value=max(new["msvt"][last][f]["mean"] - same["msvt"][last][f]["mean"]
                  for f in ("one_plane", "head")),
        criterion=f"new class below same class at {last}, one-plane and head",
        holds=manip_holds, no_control=PAIRED),
]
display(Markdown(claims_table(claims, run.profile)))
print(f"{counts_text(claims)} (profile {run.profile!r}, seed {run.seed})")
# numbers for the prose of the exercises
glue("ch3_fc_one_plane", fc_index("trained", "one_plane"))
glue("ch3_fc_head", fc_index("trained", "head"))
glue("ch3_test_accuracy", test_accuracy)
glue("ch3_conv1_alignment", init_alignment["conv1"])
path = write_results(run, "mirror_symmetry", {
    "msvt": msvt,
    "msvt_heldout_face": {"trained": head_trained, "untrained": head_untrained, "layer": last},
    "equivariance": {lay: {name: equiv["trained"][name][lay] for name in TRANSFORMS}
                     for lay in (*CONV, "gap")},
    "equivariance_untrained": {lay: {name: equiv["untrained"][name][lay] for name in TRANSFORMS}
                               for lay in (*CONV, "gap")},
    "equivariance_margin": {lay: {"trained": margins["trained"][lay],
                                  "untrained": margins["untrained"][lay],
                                  "random_networks": random_stats[lay], "bound": bound[lay],
                                  "learned": lay in learned,
                                  "present_at_initialisation": lay in at_init}
                            for lay in CONV},
    "equivariance_conv1": {"median_filter_norm": conv1_norm, "silent_channels": conv1_silent,
                           "filter_symmetry": conv1_symmetry},
    "init_alignment": init_alignment,
    "image_autocorrelation_shift2": autocorrelation,
    "filter_symmetry": {"trained": filter_mean["trained"], "untrained": filter_mean["untrained"],
                        "per_layer": filter_stats, "top_bottom": filter_mean_tb},
    "pooling_sweep": {"layer": "conv4", "receptive_field": receptive_field,
                      **pooling_sweep},
    "gap_vs_fc": {net: {"gap": gap_stats[net], "fc1": msvt[net]["fc1"],
                        "hflip_invariance_gap": equiv[net]["hflip"]["gap"]}
                  for net in ("trained", "untrained")},
    "manipulation": manipulation,
    "ordinary_decay": {"weight_decay": ORDINARY, "scale_free_decay": ORDINARY,
                       "strong_decay": {"weight_decay": scale["weight_decay"],
                                        "scale_free_decay": scale["scale_free_decay"]},
                       "test_accuracy": float(ordinary["test_accuracy"]),
                       "msvt": {"trained": ordinary_msvt, "untrained": msvt["untrained"]},
                       "checks": {k: ordinary_head[k] for k in HEADLINE},
                       "checks_strong_decay": {k: strong_head[k] for k in HEADLINE},
                       "silent_conv1_channels": silent_channels(ordinary_responses["conv1"]),
                       "seconds_this_run": ordinary_seconds},
    "test_accuracy": test_accuracy,
    "chance_accuracy": chance,
    "mirror_render_error": {"max_symmetric": max_error_sym, "min_asymmetric": min_error_asym},
    "checks": {"low_conv": low_conv, "high_fc": high_fc, "controls_low": controls_low,
               "two_plane_high": two_plane_high,
               "hflip_margin_learned_everywhere": len(learned) == len(CONV),
               "pooling_gives_msvt": pooling_holds,
               "manipulation_lowers": manip_holds,
               "manipulation_absent_lowers": all(absent_lowers.values()),
               "manipulation_mirror_same_class_raises": all(sym_raises.values())},
    "n_per_family": scale["n_test"],
    "claims": [c.to_dict() for c in claims],
}, data=f"rendered procedural objects: {scale['n_categories']} one-plane training categories, "
         f"{scale['n_test']} test exemplars per family, {N_VIEWS} views")
print(f"headline numbers written to {path} ({run.elapsed():.0f} s for this page)")

# %% [markdown]
# ## Exercises
#
# **1. ★ Predict, then run.** Before looking at §3 again: for the *radial* objects (roughly the
# same from every side), what value of the MSVT index do you expect in the pixels, and why is it
# not reliably high even in a perfectly reflection-invariant network?
#
# :::{admonition} Solution
# :class: dropdown
# A body of revolution looks the same from every yaw, so the views of a radial object differ only
# where its small stem, leaf and bumps appear. In pixels, neighbouring views are then alike and
# distant ones not: the index is clearly negative (§3). A reflection-invariant network responds
# alike to an image and its mirror image, but the mirror image of a view of an object without a
# symmetry plane is a view of a *different* object (its mirror twin), not another view of the same
# one, so the network has no mirror pairs to find and the index stays near 0 or below. Had the
# fruit only a stem and leaf, it would be nearly symmetric about the vertical plane through the
# stem, at azimuth $\varphi$; the network would then pair the views at $\theta$ and
# $2\varphi - \theta$, and the index would depend on where the stem happens to point. MSVT needs
# views that differ *and* come in mirror pairs about 0° — one symmetry plane through the frontal
# view.
# :::
#
# **2. ★★ Change a parameter and explain.** The two-plane objects (front–back symmetric) have a high
# index already in the pixels. Explain with the geometry of the views why, and why this makes them
# a poor test of what the network learned.
#
# :::{admonition} Solution
# :class: dropdown
# Two symmetry planes ($x\to-x$ and $z\to-z$) make the object symmetric under a half-turn about
# the vertical axis, which maps image column $u$ to $-u$. With a level orthographic camera every
# view's silhouette is therefore exactly left–right symmetric, and for a long body (like a car
# or a boat) the shading nearly so: each view is close to its own mirror image, which is the view
# at $-\theta$. So view $\theta$ and view $-\theta$ are alike already in pixels: the mirror
# structure is in the stimulus, not created by the network. Only objects with exactly one plane
# separate a reflection-invariant representation from a pixel-like one.
# :::
#
# **3. ★★★ Implement a measure.** Write `hflip_equivariance(images, weight)` for a convolution
# with filters `weight` of shape `(channels, 1, 3, 3)`: the Pearson correlation, over all units,
# between the maps of the flipped images and the flipped maps of the images. Test it on a case with
# a known answer: left–right symmetric filters are exactly equivariant (correlation 1).
#
# :::{admonition} Solution
# :class: dropdown
# ```python
# import torch
# import torch.nn.functional as F
#
# def hflip_equivariance(images, weight):
#     """Pearson correlation between conv(flip(x)) and flip(conv(x)), over all units."""
#     a = F.conv2d(images.flip(-1), weight, padding=1).flatten()
#     b = F.conv2d(images, weight, padding=1).flip(-1).flatten()
#     a, b = a - a.mean(), b - b.mean()
#     return float((a * b).sum() / (a.norm() * b.norm()))
#
# x = torch.randn(16, 1, 20, 20)
# w = torch.randn(8, 1, 3, 3)
# assert abs(hflip_equivariance(x, w + w.flip(-1)) - 1) < 1e-5  # symmetric filters
# print(hflip_equivariance(x, w))  # random filters: lower
# ```
# §5 measures the same quantity on the trained network's layers. Note that *global average
# pooling* turns an equivariant map into a flip-invariant vector (the mean over positions ignores
# their order) — the link between §5 and §6.
# :::
#
# **4. ★★ Switch the weight decay off.** Retrain the network of §2 with `weight_decay=0` (plain
# Adam with the same schedule) and measure the index of one-plane objects and of the head at `fc2`.
# Predict first: the task is as easy, so the test accuracy hardly changes — does the index?
#
# :::{admonition} Solution
# :class: dropdown
# ```python
# data = render_set("one_plane", scale["n_categories"], scale["n_exemplars"], scale["n_views"],
#                   "none", "main")
# plain = train_network(data, "main", scale["epochs"], weight_decay=0.0)
# net = load(plain, "trained")
# idx = msvt_index(layer_responses(net, stimulus_batch)["fc2"].reshape(n_objects, N_VIEWS, -1))
# print(plain["test_accuracy"], {f: mean_sem(idx[members[f]])["mean"] for f in FAMILIES})
# ```
# §3 runs a close relative (an ordinary, small decay instead of none); here is what to expect
# without any decay, and why. With the strong decay, this
# run reached a test accuracy of {glue:text}`ch3_test_accuracy:.3f` and an index at `fc2` of
# {glue:text}`ch3_fc_one_plane:+.2f` (one-plane) and {glue:text}`ch3_fc_head:+.2f` (head). The
# task is as easy without decay, so expect the accuracy to stay about as high. The index may
# not: without decay the fc weights keep their random initial values in every direction that the
# training images do not use; these random components respond differently to an image and to
# its mirror image, and a new object such as the head excites exactly such unused directions.
# Weight decay lets those components fade, so what remains is what the data taught — and the
# data show every category from both sides. If this explanation is right, the index at the fc
# layers should drop without decay, most for the head; if it does not drop, the decay is not what
# carries the effect in your run.
#
# A second run gives conv1 and conv3 the common decay; compare what conv1 keeps of its random
# start with §5's `init_alignment["conv1"]`:
# ```python
# common = train_network(data, "main", scale["epochs"], scale_free_decay=scale["weight_decay"])
# w, w0 = (load(common, key).conv1.weight.flatten() for key in ("trained", "untrained"))
# print(float(torch.nn.functional.cosine_similarity(w, w0, dim=0)))
# ```
# With the stronger decay, this run's conv1 has a cosine of
# {glue:text}`ch3_conv1_alignment:+.2f` to its initial weights. Decay shrinks a batch-normalised
# layer without turning it (§2), so with the weaker decay expect a cosine closer to 1 — conv1
# keeping more of its random start — and its hflip margin then to follow the draw of its initial
# weights (compare the spread over random networks in §5's table).
# :::

