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
# # Lie symmetries in a learned V1-like functional architecture
#
# *A reconstruction of E. Bertoni, N. Montobbio, A. Sarti and G. Citti (2021), "Emergence of Lie
# symmetries in functional architectures learned by CNNs", Front. Comput. Neurosci. 15:694505,
# arXiv:2104.08537 {cite:p}`bertoni2021emergence`.*
#
# **The claim.** A CNN built like the early visual pathway and trained on natural images learns
# by itself the symmetries of the classical models of that pathway:
#
# 1. its pre-filtering layer ℓ⁰, a **single filter** (the LGN analogue), becomes **radially
#    symmetric** and close to a **Laplacian of Gaussian** (LoG);
# 2. its first convolutional layer ℓ¹ learns **Gabor-like filters** (V1 simple cells) — up to
#    scale, the orbit of one profile under the roto-translation group SE(2);
# 3. its **learned lateral kernel** K¹ (V1 horizontal connectivity) becomes **orientation
#    selective** — filters of similar orientation are coupled — and the **association fields** it
#    induces resemble those of the group-based models of V1, kernels invariant under SE(2).
#
# **How faithful this page is.** Only the abstract-level facts above could be verified; the
# paper's exact layer sizes, data pipeline, iteration count and metrics could not be read. The
# network, the data and every measure on this page are **our reconstruction**, and the choices
# that are ours are marked *(our choice)*. Every number in the text is computed on this page, at
# the profile printed below.
#
# | | |
# |---|---|
# | symmetry | roto-translations SE(2) of the image plane |
# | data | natural photographs (scikit-image's); CIFAR-10 in grey at the `paper` profile |
# | network | ℓ⁰ (1 filter) → ℓ¹ (C filters) → lateral propagation with learned K¹ → head |
# | ℓ⁰, ℓ¹ | LoG fit and radial symmetry; Gabor fits |
# | K¹ | selectivity, co-axial elongation, SE(2) model, Lie score; vs the filter-overlap control |

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
RESULTS_DIR = "results"  # where the headline numbers go, as lie_symmetries.json

# %% tags=["hide-input"]
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown, display
from matplotlib.collections import LineCollection

from emergence.analysis.connectivity import (
    BEYOND_CONTROL_MARGIN,
    association_field,
    beyond_control,
    coaxial_elongation,
    coaxial_test,
    cocircular_field,
    coupling_matrix,
    direction_process_kernel,
    lie_symmetry_score,
    lift_kernel,
    model_association_field,
    model_fit,
    model_fit_test,
    one_sided_p,
    orientation_difference,
    orientation_selectivity,
    se2_grid,
)
from emergence.analysis.filters import (
    CARRIER_MIN_CYCLES,
    GABOR_MAX_ERROR,
    LOG_MAX_ERROR,
    LOG_MIN_SIGMA,
    RADIAL_MIN,
    SURROUND_MIN,
    carrier_cycles,
    centre_surround,
    fit_gabor,
    fit_log,
    gabor_bank_passes,
    is_gabor_like,
    radial_profile,
    radial_symmetry,
    spectrum_matched_noise,
)
from emergence.cache import cached, default_cache_dir
from emergence.claims import (
    AS_IN_PAPER,
    HOLDING,
    SOURCE_QUALITATIVE,
    Claim,
    Control,
    claims_table,
    counts_text,
)
from emergence.data.cifar import cifar10_or_none
from emergence.data.natural import SKIMAGE_PHOTOS, PhotoCrops, load_skimage_photos, standardise
from emergence.glue import glue
from emergence.models.lateral import (
    LateralV1Net,
    accuracy,
    lateral_operator_norm,
    train_lateral,
    white_noise_kernel,
)
from emergence.plotting import OKABE_ITO, SEQUENTIAL_CMAP, SIGNED_CMAP, use_book_style
from emergence.profiles import start_run
from emergence.results import write_results
from emergence.widgets import figure_png, snapshot_explorer

run = start_run(PROFILE, DEVICE, SEED, RESULTS_DIR)
use_book_style()
torch.set_num_threads(max(1, min(torch.get_num_threads(), 2)))

# Experiment sizes per profile (all our choices; the paper's could not be read).
SCALES = {
    "smoke": dict(n_filters=8, crop=24, steps=16, stage2_steps=8, batch=32, n_snapshots=3,
                  n_test=256, overlap_batches=2,
                  n_permutations=199, mc_paths=2000, gabor_restarts=2, use_cifar=False),
    "cpu": dict(n_filters=32, crop=24, steps=1000, stage2_steps=1000, batch=128, n_snapshots=10,
                n_test=2000, overlap_batches=16,
                n_permutations=1999, mc_paths=20000, gabor_restarts=6, use_cifar=False),
    "paper": dict(n_filters=64, crop=32, steps=20000, stage2_steps=5000, batch=128,
                  n_snapshots=20, n_test=10000, overlap_batches=64,
                  n_permutations=9999, mc_paths=100000, gabor_restarts=6, use_cifar=True),
}
scale = SCALES[run.profile]
INIT_SCALE = 0.1
ARCH = dict(k0=7, k1=7, k_lateral=7, n_iterations=3, stride=2, head_channels=32,
            init_scale=INIT_SCALE, lateral_init=1e-3,
            # a centre delta of the same expected norm as ℓ⁰'s uniform initial noise
            l0_delta=INIT_SCALE / math.sqrt(3),
            l1_bias=False)  # V1 units are half-wave rectified linear filters (section 7)
OPTIM = dict(lr=3e-3, weight_decay=1e-3, noise=0.5)
HEBBIAN = dict(rate=0.02, gain=8.0)  # stage 2: Hebbian rate η and gain g of K¹
GOOD_FIT = GABOR_MAX_ERROR  # a Gabor fit with relative error below this is "well fitted"
print(run.describe(scale))

# %% [markdown]
# ## 1. The data: natural images, rotated so that orientations are balanced
#
# The paper trains on natural images. Offline — and at the `cpu` and `smoke` profiles — we use
# the natural photographs that scikit-image ships inside its package (no download). A training
# image is a crop of one photograph at a random position, a random scale (1–3 photo pixels per
# crop pixel, log-uniform) and a **random rotation in [0, 2π)**, converted to grey and
# standardised *(our choices)*. Its label is the photograph it came from: an 11-way
# discrimination task that, with rotations and scales drawn at random, can only be solved from
# rotation-invariant texture statistics. The random rotations matter: a handful of photographs is
# far from isotropic, and without them the learned filters crowd at the photographs' dominant
# orientation, which keeps ℓ⁰ from becoming radially symmetric (section 7 shows why); natural
# images as a whole are close to isotropic.
#
# At the `paper` profile the page uses CIFAR-10 in grey (downloaded once into the cache, its MD5
# checked), with the same random rotations and crops; offline it falls back to the photographs
# and says so below.

# %% tags=["hide-input"]
# Figure: Grid of training crops from the scikit-image photographs, one row per photograph.
photos = load_skimage_photos()
data_note = (f"scikit-image bundled photographs ({', '.join(SKIMAGE_PHOTOS)}), random "
             f"{scale['crop']}x{scale['crop']} crops, scales 1-3, rotations 0-360 deg")
if scale["use_cifar"]:
    cifar, notice = cifar10_or_none(default_cache_dir() / "cifar10")
    if cifar is None:
        display(Markdown(f"**Notice.** {notice}"))
    else:
        cifar_images = torch.from_numpy(cifar[0])
        data_note = "CIFAR-10 (train), grey, random rotations"
source_names = [name.rsplit(".", 1)[0] for name in SKIMAGE_PHOTOS]
dataset = PhotoCrops(photos, size=scale["crop"], scales=(1.0, 3.0))
x_show, y_show = dataset.sample(24, run.generator("show", "cpu"))
fig, axes = plt.subplots(3, 8, figsize=(10, 4.8))
for ax, x, y in zip(axes.flat, x_show, y_show, strict=True):
    ax.imshow(x[0], cmap="gray")
    ax.set_title(source_names[int(y)], fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle(f"Training crops ({scale['crop']}×{scale['crop']} px), labelled by photograph")
plt.show()
display(Markdown(f"*Random training crops with their labels. Data used on this page: "
                 f"{data_note}.*"))

# %% [markdown]
# ## 2. The network
#
# *(our reconstruction of the paper's architecture; sizes are our choices)*
#
# $$ h_0 = \mathrm{ReLU}\big(\ell^1 * (\ell^0 * x)\big), \qquad
#    h_{t+1} = \mathrm{ReLU}\big(h_0 + K^1 * h_t\big),\ t = 0,\dots,n-1, $$
#
# followed by a head (a 3×3 convolution with stride 2, ReLU, global average pooling, a linear
# read-out). ℓ⁰ is **one** 7×7 filter (LGN), ℓ¹ has C filters of 7×7 applied with stride 2 (V1
# simple cells) and K¹ is a learned C × C × 7 × 7 kernel shared over space (V1 horizontal
# connections), iterated n = 3 times. With K¹ = 0 the propagation is the identity on h₀
# (tested).
#
# Training choices that let the effects emerge *(ours, each justified in section 7)*:
#
# * ℓ¹ has **no bias**: each V1 unit is a half-wave rectified linear filter, active on about
#   half of the positions (a learned threshold lets units fall silent — section 7);
# * ℓ⁰ and ℓ¹ **start small** (0.1 × PyTorch's default); ℓ⁰ starts as a small **identity**
#   (a centre delta) plus random noise of the same norm — the network begins without
#   pre-filtering; K¹ starts tiny (±10⁻³);
# * **L2 weight decay** on ℓ⁰, ℓ¹ and K¹;
# * each training image gets **Gaussian noise** with a standard deviation drawn in [0, 0.5] (a
#   corrupted-image task, as in the KerCNNs that preceded the paper);
# * **stage 1** — the loss is the cross-entropy of the labels alone: everything, K¹ included,
#   is learned through the task; Adam, learning rate 3·10⁻³. This is the paper's setting, and
#   the **paper's claims are judged on this network**.
# * **stage 2** *(our extension, beyond the paper)* — ℓ⁰ and ℓ¹ are kept as stage 1 left them; K¹
#   learns by a **Hebbian rule with decay** from the V1 responses, while the head re-learns the
#   task through the new propagation:
#
#   $$ K^1 \leftarrow (1-\eta)\,K^1 + \eta\,\frac{g}{C k^2}\,\mathring C(h_0), \qquad
#      C_{ij}(\Delta) = \big\langle \hat h_i(x)\,\hat h_j(x+\Delta) \big\rangle_{x}, $$
#
#   where $\hat h$ are the V1 responses standardised per unit, the average runs over the
#   batch's images and over the positions whose receptive fields lie inside the crop,
#   $\mathring C$ leaves out the self-loops $C_{ii}(0)$, and the gain g keeps the propagation
#   contractive (η and g are in the table below; the operator norm of K¹ is measured below the
#   loss curve). Units
#   that are active together at offset Δ strengthen their
#   connection; every weight decays. The rule converges to $K^1 \propto \mathbb E[\mathring C]$.
#
# Why an extension: a gradient that arrives through global pooling tells K¹ how much of each
# channel the task wants, not which neighbours belong together, so the classification loss alone
# may give K¹ little reason to couple filters by orientation. The Hebbian rule couples the
# responses that occur together across space and orientation — in natural images, the edge
# co-occurrence statistics that the group-based models describe
# {cite:p}`sigman2001common,geisler2001edge` — as horizontal connections in cortex are selected,
# after orientation tuning has formed, between cells with correlated activity
# {cite:p}`lowel1992selection`. It is **not the paper's method** (the paper learns K¹ through
# the task), so its rows in the summary are marked *beyond the paper*.
#
# **The filter-overlap control.** Co-activity is orientation structured even without images:
# two similar Gabor filters at neighbouring positions overlap, so their responses to *any* input
# are correlated, most of all when the neighbour lies along the filters' stripes. The kernel the
# Hebbian rule converges to on **white noise** seen through the same learned ℓ⁰ and ℓ¹ — the
# response co-occurrence of the filters alone, the KerCNN kernel of the paper's predecessor —
# is therefore our control for every K¹ measure below: a learned kernel says something about
# natural images, or about the task, only where it goes **beyond** that control. We compute it as
# the rule's fixed point, the same Hebbian target (same gain, same border margin, same
# standardisation per batch) averaged over batches of white-noise images of the
# training size (tested against the iterated rule).

# %% tags=["hide-input"]
rows = [("ℓ⁰", "1 filter", f"{ARCH['k0']}×{ARCH['k0']}", "no bias; padding keeps the size"),
        ("ℓ¹", f"C = {scale['n_filters']} filters", f"{ARCH['k1']}×{ARCH['k1']}",
         f"stride {ARCH['stride']}, no bias, ReLU"),
        ("K¹", f"{scale['n_filters']}×{scale['n_filters']}",
         f"{ARCH['k_lateral']}×{ARCH['k_lateral']}", f"{ARCH['n_iterations']} iterations"),
        ("head", f"{ARCH['head_channels']} channels", "3×3", "stride 2, ReLU, mean pool, linear"),
        ("stage 1", f"{scale['steps']} steps × {scale['batch']} images",
         f"lr {OPTIM['lr']}", f"weight decay {OPTIM['weight_decay']}, noise ≤ {OPTIM['noise']}"),
        ("stage 2", f"{scale['stage2_steps']} steps × {scale['batch']} images",
         "ℓ⁰, ℓ¹ fixed", f"K¹ Hebbian (η {HEBBIAN['rate']}, g {HEBBIAN['gain']:g}); head: task")]
display(Markdown("| layer | size | kernel | notes |\n|" + "---|" * 4 + "\n"
                 + "\n".join("| " + " | ".join(r) + " |" for r in rows)))

# %% tags=["hide-input"]
# Figure: Training loss of the network against the training step.
record_at = np.unique(np.linspace(0, scale["steps"], scale["n_snapshots"] + 1).round()
                      .astype(int)).tolist()
train_config = dict(scale=scale, arch=ARCH, optim=OPTIM, seed=run.seed, device=run.device.type,
                    data=data_note, record_at=record_at, hebbian=HEBBIAN)


def sample_batch(n, generator):
    if scale["use_cifar"] and "cifar_images" in globals():
        idx = torch.randint(len(cifar_images), (n,), generator=generator)
        angle = torch.rand(n, generator=generator) * 2 * math.pi
        cos, sin = torch.cos(angle), torch.sin(angle)
        theta = torch.stack([torch.stack([cos, -sin, torch.zeros(n)], 1),
                             torch.stack([sin, cos, torch.zeros(n)], 1)], 1)
        images = cifar_images[idx][:, None]
        grid = torch.nn.functional.affine_grid(theta, images.shape, align_corners=False)
        rotated = torch.nn.functional.grid_sample(images, grid, padding_mode="reflection",
                                                  align_corners=False)
        return standardise(rotated), torch.from_numpy(cifar[1])[idx]
    return dataset.sample(n, generator)


def train_network():
    n_classes = 10 if scale["use_cifar"] and "cifar_images" in globals() else dataset.n_classes
    net = LateralV1Net(n_filters=scale["n_filters"], n_classes=n_classes,
                       generator=run.generator("init", "cpu"), **ARCH)
    x_test, y_test = sample_batch(scale["n_test"], run.generator("test", "cpu"))
    initial_accuracy = accuracy(net.to(run.device), x_test, y_test)
    started = time.perf_counter()
    generator = run.generator("train", "cpu")
    history = train_lateral(net, sample_batch, scale["steps"], generator,
                            batch_size=scale["batch"], record_at=record_at, device=run.device,
                            desc="stage 1: ℓ⁰, ℓ¹, K¹ through the task", **OPTIM)
    stage1_accuracy = accuracy(net, x_test, y_test)
    stage2 = train_lateral(net, sample_batch, scale["stage2_steps"], generator,
                           batch_size=scale["batch"], record_at=[scale["stage2_steps"]],
                           device=run.device, train_filters=False,
                           hebbian_rate=HEBBIAN["rate"], hebbian_gain=HEBBIAN["gain"],
                           desc="stage 2: K¹ Hebbian, head on the task", **OPTIM)
    seconds = time.perf_counter() - started
    return {"snapshots": history["snapshots"], "loss": history["loss"],
            "loss_stage2": stage2["loss"], "lateral_stage2": stage2["snapshots"][-1]["lateral"],
            "state": {k: v.cpu() for k, v in net.state_dict().items()},
            "accuracy": accuracy(net, x_test, y_test), "stage1_accuracy": stage1_accuracy,
            "initial_accuracy": initial_accuracy, "train_seconds": seconds,
            "n_classes": n_classes}


trained = cached("ch1-lateral-net", train_config, train_network)
snapshots = trained["snapshots"]
initial, final = snapshots[0], snapshots[-1]
net = LateralV1Net(n_filters=scale["n_filters"], n_classes=trained["n_classes"], **ARCH)
net.load_state_dict(trained["state"])
norm_final = lateral_operator_norm(trained["lateral_stage2"])
norm_stage1 = lateral_operator_norm(snapshots[-1]["lateral"])
images_per_second = ((scale["steps"] + scale["stage2_steps"]) * scale["batch"]
                     / trained["train_seconds"])

fig, ax = plt.subplots(figsize=(6.5, 2.8))
for stage, (loss, start, colour) in enumerate(
        ((trained["loss"].numpy(), 0, OKABE_ITO[0]),
         (trained["loss_stage2"].numpy(), scale["steps"], OKABE_ITO[2])), start=1):
    window = max(1, len(loss) // 50)
    smooth = np.convolve(loss, np.ones(window) / window, mode="valid")
    ax.plot(start + np.arange(len(loss)), loss, color=colour, alpha=0.3, lw=0.8)
    ax.plot(start + np.arange(len(smooth)) + window // 2, smooth, color=colour,
            label=f"stage {stage} (running mean)")
ax.axhline(math.log(trained["n_classes"]), color="grey", ls=":", lw=1, label="chance (log C)")
ax.set(xlabel="training step", ylabel="cross-entropy", title="training loss")
ax.legend(fontsize=10)
plt.show()
display(Markdown(
    f"*Training loss (cross-entropy of the labels). Stage 1: {scale['steps']} steps of "
    f"{scale['batch']} images, everything learned through the task; stage 2: "
    f"{scale['stage2_steps']} steps with ℓ⁰ and ℓ¹ fixed ({trained['train_seconds']:.0f} s in "
    f"all, {images_per_second:.0f} images/s on {run.device.type}). The jump at the start of "
    f"stage 2: the Hebbian rule replaces K¹ within about 1/η = {1 / HEBBIAN['rate']:.0f} steps, "
    f"which changes the propagated activity the head was reading; the head then re-learns. "
    f"Test accuracy on "
    f"{scale['n_test']} fresh crops: **{trained['accuracy']:.3f}** after stage 2, "
    f"{trained['stage1_accuracy']:.3f} after stage 1, {trained['initial_accuracy']:.3f} at "
    f"initialisation (chance {1 / trained['n_classes']:.3f}). Operator norm of the lateral map "
    f"h ↦ K¹ ∗ h (largest singular value over frequencies): **{norm_final:.2f}** for the "
    f"Hebbian K¹ ("
    + ("below 1: the propagation is a contraction" if norm_final < 1 else
       "not below 1: the propagation is not a contraction")
    + f"), {norm_stage1:.2f} for the kernel that stage 1 learned through the task."
    + (" The Hebbian K¹ is learned from the co-occurrence of responses, not for the task, and "
       "serves it less well than the stage-1 kernel learned through it.*"
       if trained["accuracy"] < trained["stage1_accuracy"] else "*")))

# %% [markdown]
# ## 3. ℓ⁰ becomes a radially symmetric Laplacian of Gaussian
#
# We fit $A\,\mathrm{LoG}_\sigma(x - x_0) + c$ with
# $\mathrm{LoG}_\sigma(r) = -\frac{1}{\pi\sigma^4}\big(1 - \frac{r^2}{2\sigma^2}\big)
# e^{-r^2/(2\sigma^2)}$ by least squares and report σ and the relative error
# $\lVert w - \mathrm{fit}\rVert / \lVert w\rVert$. The radial-symmetry score is
# $1 - \mathrm{mean}_\alpha \lVert w - \mathrm{rot}_\alpha w\rVert / \lVert w\rVert$ over
# α = 30°, 60°, …, 150° (rotations about the filter's centroid, inside the disc that stays in
# the array): 1 for a radially symmetric filter, about 0 for noise.

# %% tags=["hide-input"]
# Figure: The learned LGN filter ℓ⁰ during training, its Laplacian-of-Gaussian fit and its radial
#   profile.
log_fits = [fit_log(s["l0"].numpy()) for s in snapshots]
radial = [radial_symmetry(s["l0"].numpy()) for s in snapshots]
log_init, log_final = log_fits[0], log_fits[-1]
l0_final = final["l0"].numpy()

fig = plt.figure(figsize=(10, 6.8))
top = fig.subfigures(2, 1, height_ratios=[1, 1.5])
shown = np.unique(np.linspace(0, len(snapshots) - 1, min(6, len(snapshots))).round().astype(int))
axes = top[0].subplots(1, len(shown))
for ax, i in zip(np.atleast_1d(axes), shown, strict=True):
    w = snapshots[i]["l0"].numpy()
    lim = np.abs(w).max()
    ax.imshow(w, cmap=SIGNED_CMAP, vmin=-lim, vmax=lim)
    ax.set_title(f"step {record_at[i]}\nLoG err {log_fits[i].rel_error:.2f}", fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
top[0].suptitle("ℓ⁰ during training (red positive, blue negative; each scaled to its maximum)",
                fontsize=10)
axes = top[1].subplots(1, 3)
lim = np.abs(l0_final).max()
axes[0].imshow(log_final.fit, cmap=SIGNED_CMAP, vmin=-lim, vmax=lim)
axes[0].set(title=f"LoG fit of the final ℓ⁰ (σ = {log_final.sigma:.2f} px)",
            xlabel="x (px)", ylabel="y (px)")
r, mean, std = radial_profile(l0_final, log_final.x0, log_final.y0)
rf, mf, _ = radial_profile(log_final.fit, log_final.x0, log_final.y0)
axes[1].errorbar(r, mean, yerr=std, fmt="o", color=OKABE_ITO[0], label="ℓ⁰ (ring mean ± sd)")
axes[1].plot(rf, mf, "-", color=OKABE_ITO[3], label="LoG fit")
axes[1].axhline(0, color="grey", lw=0.6)
axes[1].set(xlabel="distance from the fitted centre r (px)", ylabel="weight",
            title="radial profile")
axes[1].legend(fontsize=10)
axes[2].plot(record_at, [f.rel_error for f in log_fits], "o-", color=OKABE_ITO[3],
             label="LoG relative error")
axes[2].plot(record_at, radial, "s-", color=OKABE_ITO[0], label="radial-symmetry score")
axes[2].set(xlabel="training step", ylabel="score / error", title="emergence curve",
            ylim=(min(-0.1, min(radial) - 0.05), 1.1))
axes[2].legend(fontsize=10)
plt.show()
display(Markdown(
    f"*Top: the single ℓ⁰ filter at {len(shown)} moments of training. Bottom: the final filter's "
    f"LoG fit, its radial profile against the fit, and the LoG error and radial-symmetry score "
    f"over training.* **Result.** LoG relative error **{log_init.rel_error:.2f} → "
    f"{log_final.rel_error:.2f}**, radial-symmetry score **{radial[0]:.2f} → {radial[-1]:.2f}** "
    f"(initialisation → trained), fitted σ = {log_final.sigma:.2f} px, centre "
    f"({log_final.x0:+.2f}, {log_final.y0:+.2f}) px, "
    f"{'on' if log_final.amplitude < 0 else 'off'}-centre "
    f"(a positive centre is $A<0$ in our LoG convention)."))

# %% [markdown]
# ## 4. ℓ¹ learns Gabor filters
#
# Each filter is fitted by
# $G = A\,e^{-x'^2/(2\sigma_x^2) - y'^2/(2\sigma_y^2)}\cos(2\pi f x' + \varphi) + c$ with
# $x' = (x - x_0)\cos\theta + (y - y_0)\sin\theta$,
# $y' = -(x - x_0)\sin\theta + (y - y_0)\cos\theta$
# (several restarts from the spectral peak). The filter's *orientation* — the direction of its
# stripes, the edge it detects — is θ + π/2.
#
# Because ℓ⁰ and ℓ¹ are linear in a row, the image only ever sees their composition, the
# **effective receptive field** $E_i = \ell^0 * \ell^1_i$ (13×13). The raw 7×7 ℓ¹ weights are
# one factor of $E_i$ and can carry components that ℓ⁰ removes (any frequency where ℓ⁰ is
# small); the Gabor structure is therefore clearest in $E_i$, and that is what we fit and use
# below. Both are shown.

# %% tags=["hide-input"]
# Figure: The trained ℓ¹ filters sorted by fitted orientation, with their effective filters and
#   Gabor fits.
def effective(snapshot):
    net_ = LateralV1Net(n_filters=scale["n_filters"], n_classes=trained["n_classes"], **ARCH)
    with torch.no_grad():
        net_.l0.weight[0, 0] = snapshot["l0"]
        net_.l1.weight[:, 0] = snapshot["l1"]
    return net_.effective_filters().numpy()


def gabor_fits(filters):
    return [fit_gabor(w, n_restarts=scale["gabor_restarts"]) for w in filters]


def fit_summary(fits):
    """Relative errors and carrier cycles f·σ of a bank of Gabor fits."""
    return {"error": torch.tensor([f.rel_error for f in fits]),
            "cycles": torch.tensor([carrier_cycles(f) for f in fits])}


def analyse_filters():
    out = {}
    for name, snap in (("initial", initial), ("final", final)):
        eff = effective(snap)
        fits_eff, fits_raw = gabor_fits(eff), gabor_fits(snap["l1"].numpy())
        out[name] = {
            "effective": torch.from_numpy(eff),
            "fit": torch.from_numpy(np.stack([f.fit for f in fits_eff])),
            **fit_summary(fits_eff),
            "error_raw": torch.tensor([f.rel_error for f in fits_raw]),
            "orientation": torch.tensor([f.orientation for f in fits_eff]),
            "freq": torch.tensor([f.freq for f in fits_eff]),
            "centre": torch.tensor([[f.x0, f.y0] for f in fits_eff]),
        }
    # control: the trained ℓ⁰ composed with white-noise ℓ¹ filters (smoothed noise)
    noise = torch.randn(final["l1"].shape, generator=run.generator("gabor-control", "cpu"))
    control = effective({"l0": final["l0"], "l1": noise})
    out["control"] = fit_summary(gabor_fits(control))
    # control: noise with the amplitude spectrum of each trained effective filter
    rng = np.random.default_rng([run.seed, 1])
    matched = [spectrum_matched_noise(w, rng) for w in out["final"]["effective"].numpy()]
    out["spectrum_matched"] = fit_summary(gabor_fits(matched))
    return out


gabor = cached("ch1-gabor-fits", train_config | {"restarts": scale["gabor_restarts"],
                                                "controls": "smoothed, spectrum-matched"},
               analyse_filters)
g_init, g_final = gabor["initial"], gabor["final"]
err_init, err_final = g_init["error"].numpy(), g_final["error"].numpy()
err_control = gabor["control"]["error"].numpy()
orientation = g_final["orientation"].numpy()
good = err_final < GOOD_FIT
order = np.argsort(orientation)

n_show = min(16, scale["n_filters"])
shown_filters = order[np.linspace(0, len(order) - 1, n_show).round().astype(int)]
fig, axes = plt.subplots(3, n_show, figsize=(10, 2.9))
for col, i in enumerate(shown_filters):
    raw = final["l1"][i].numpy()
    eff, fit = g_final["effective"][i].numpy(), g_final["fit"][i].numpy()
    for row, (w, lim) in enumerate(((raw, np.abs(raw).max()), (eff, np.abs(eff).max()),
                                    (fit, np.abs(eff).max()))):
        axes[row, col].imshow(w, cmap=SIGNED_CMAP, vmin=-lim, vmax=lim)
        axes[row, col].set_xticks([])
        axes[row, col].set_yticks([])
    axes[0, col].set_title(f"{math.degrees(orientation[i]):.0f}°", fontsize=10)
    axes[2, col].set_xlabel(f"{err_final[i]:.2f}", fontsize=10)
for row, name in enumerate(("ℓ¹ raw", "effective", "Gabor fit")):
    axes[row, 0].set_ylabel(name, fontsize=10)
fig.suptitle("Trained ℓ¹ filters sorted by fitted orientation (title); fit error below")
plt.show()
display(Markdown(
    "*Rows: the raw 7×7 ℓ¹ weights, the effective receptive fields ℓ⁰ ∗ ℓ¹ (13×13) and their "
    "Gabor fits, for filters spread over the range of orientations; numbers below: relative "
    "fit error.*"))

# %% tags=["hide-input"]
# Figure: Histograms of the Gabor fit errors, orientations and spatial frequencies of the ℓ¹
#   filters.
fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
bins = np.linspace(0, 1.2, 25)
axes[0].hist(err_init, bins=bins, color=OKABE_ITO[1], alpha=0.8, label="initialisation")
axes[0].hist(err_control, bins=bins, color="grey", alpha=0.6,
             label="control: trained ℓ⁰ ∗ noise")
axes[0].hist(err_final, bins=bins, color=OKABE_ITO[0], alpha=0.8, label="trained")
axes[0].axvline(GOOD_FIT, color="k", ls=":", lw=1, label=f"good fit < {GOOD_FIT}")
axes[0].set(xlabel="Gabor relative error (effective filters)", ylabel="filters",
            title="fit errors")
axes[0].legend(fontsize=10)
axes[1].hist(np.degrees(orientation[good]), bins=np.linspace(0, 180, 13), color=OKABE_ITO[2])
axes[1].set(xlabel="orientation θ + 90° (degrees)", ylabel="well-fitted filters",
            title="orientations")
axes[2].hist(g_final["freq"].numpy()[good], bins=12, color=OKABE_ITO[4])
axes[2].set(xlabel="spatial frequency f (cycles / px)", ylabel="well-fitted filters",
            title="frequencies")
for ax in axes:
    ax.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
plt.show()
with torch.no_grad():
    x_probe, _ = sample_batch(500, run.generator("probe", "cpu"))
    active = (net.v1(x_probe) > 0).float().mean(dim=(0, 2, 3)).numpy()
n_silent = int((active < 0.01).sum())
orient_resultant = float(np.abs(np.exp(2j * orientation[good]).mean())) if good.any() else 1.0
display(Markdown(
    f"*Left: Gabor fit errors of the effective filters, initialisation vs trained. Middle and "
    f"right: orientations and frequencies of the well-fitted trained filters.* **Result.** "
    f"Median Gabor error **{np.median(err_init):.2f} → {np.median(err_final):.2f}** (effective "
    f"filters; raw ℓ¹: {np.median(g_init['error_raw'].numpy()):.2f} → "
    f"{np.median(g_final['error_raw'].numpy()):.2f}). A smoothing ℓ⁰ makes *any* filter "
    f"smoother and so easier to fit; the control — the trained ℓ⁰ composed with white-noise "
    f"ℓ¹ filters — has a median error of {np.median(err_control):.2f}, so only the part of the "
    f"improvement below that line is Gabor structure. **{good.sum()} of {len(good)}** trained "
    f"filters are well fitted (error < {GOOD_FIT}). How evenly their orientations cover the "
    f"half-circle: the mean resultant length of 2θ is {orient_resultant:.2f} (0 for balanced "
    f"orientations, 1 if all were equal). **{n_silent}** of {len(active)} V1 units are silent "
    f"(active at fewer than 1 % of positions on test crops; median activity "
    f"{np.median(active):.0%}): a silent unit has a filter but no responses for K¹ to learn "
    f"from."))

# %% [markdown]
# ## 5. The lateral kernel K¹ is orientation selective
#
# The coupling between filters i and j is their total *excitatory* lateral weight
# $s_{ij} = \sum_\Delta \max(K^1_{ij}(\Delta), 0)$ — the part that propagates activity, and
# the part the association fields below are drawn from *(our choice; the result for
# $\sum_\Delta |K^1_{ij}(\Delta)|$ is reported too)*. We divide it
# by the geometric mean of its row and column averages (removing how strongly a filter couples
# overall) and correlate it, over pairs i ≠ j, with $\cos 2(\theta_i - \theta_j)$: 1 for equal
# orientations, −1 for orthogonal ones. The p-value comes from shuffling the orientations among
# the filters (one-sided). Only well-fitted filters, whose orientation is meaningful, enter.
# Four kernels are compared: the kernel **learned through the task** (stage 1, the paper's
# setting — the one the paper's claim is about), the **filter-overlap control** (section 2: the
# Hebbian fixed point on white noise through the same filters), our **Hebbian** kernel (stage 2,
# beyond the paper) and the kernel at initialisation. A learned kernel is called orientation
# selective only if its statistic is significant *and* exceeds the control's by at least
# {glue:text}`ch1_beyond_margin:.1f` *(our margin)*.

# %% tags=["hide-input"]
# Figure: Lateral coupling against orientation difference, the coupling matrix, and the
#   permutation test of orientation selectivity.
rng = np.random.default_rng(run.seed)
K_hebb = trained["lateral_stage2"].numpy()  # our Hebbian stage 2 (beyond the paper)
K_task = final["lateral"].numpy()  # learned through the task (stage 1): the paper's claim
K_init = initial["lateral"].numpy()
# the filter-overlap control: the Hebbian fixed point on white noise through the same ℓ⁰, ℓ¹
K_overlap = white_noise_kernel(net.cpu(), scale["crop"], scale["overlap_batches"],
                               run.generator("overlap", "cpu"), batch_size=scale["batch"],
                               gain=HEBBIAN["gain"]).numpy()
sel_idx = np.flatnonzero(good) if good.sum() >= 4 else np.arange(len(good))
theta_sel = orientation[sel_idx]
KERNELS = {"task": K_task, "overlap": K_overlap, "hebbian": K_hebb, "init": K_init}
KERNEL_NAMES = {"task": "learned through the task", "overlap": "filter-overlap control",
                "hebbian": "Hebbian (beyond the paper)", "init": "initialisation"}
KERNEL_COLOURS = {"task": OKABE_ITO[2], "overlap": "grey", "hebbian": OKABE_ITO[0],
                  "init": OKABE_ITO[1]}
couplings = {name: coupling_matrix(K, "positive")[np.ix_(sel_idx, sel_idx)]
             for name, K in KERNELS.items()}
selectivities = {name: orientation_selectivity(c, theta_sel, scale["n_permutations"], rng)
                 for name, c in couplings.items()}
selectivity_task, selectivity_init = selectivities["task"], selectivities["init"]
selectivity_abs = orientation_selectivity(coupling_matrix(K_task)[np.ix_(sel_idx, sel_idx)],
                                          theta_sel, scale["n_permutations"], rng)
glue("ch1_beyond_margin", BEYOND_CONTROL_MARGIN)

fig, axes = plt.subplots(1, 3, figsize=(10, 4.2), layout="constrained")
diffs = np.degrees(orientation_difference(theta_sel[:, None], theta_sel[None, :]))
off = ~np.eye(len(sel_idx), dtype=bool)
edges = np.linspace(0, 90, 7)
for name, coupling in couplings.items():
    colour = KERNEL_COLOURS[name]
    s = coupling / coupling[off].mean()
    centres = (edges[:-1] + edges[1:]) / 2
    means = [s[off & (diffs >= lo) & (diffs < hi + 1e-9)].mean()
             if (off & (diffs >= lo) & (diffs < hi + 1e-9)).any() else np.nan
             for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    axes[0].scatter(diffs[off], s[off], s=4, color=colour, alpha=0.2)
    axes[0].plot(centres, means, "o-", color=colour, label=KERNEL_NAMES[name])
axes[0].set(xlabel="|θᵢ − θⱼ| (degrees)", ylabel="coupling / mean coupling",
            title="coupling vs orientation difference")
axes[0].legend(fontsize=10)
sorted_idx = np.argsort(theta_sel)
im = axes[1].imshow(couplings["task"][np.ix_(sorted_idx, sorted_idx)], cmap=SEQUENTIAL_CMAP)
ticks = np.linspace(0, len(sorted_idx) - 1, min(5, len(sorted_idx))).round().astype(int)
labels = [f"{math.degrees(theta_sel[sorted_idx][t]):.0f}°" for t in ticks]
axes[1].set_xticks(ticks, labels)
axes[1].set_yticks(ticks, labels)
axes[1].set(xlabel="filter j (sorted by orientation)", ylabel="filter i",
            title="task-learned coupling Σ max(K¹ᵢⱼ, 0)")
fig.colorbar(im, ax=axes[1], shrink=0.8)
axes[2].hist(selectivity_task["null"], bins=40, color=OKABE_ITO[2], alpha=0.4,
             label="task kernel, shuffled θ")
for name, style in (("task", "-"), ("overlap", "-"), ("hebbian", "-."), ("init", "--")):
    axes[2].axvline(selectivities[name]["statistic"], color=KERNEL_COLOURS[name], lw=2, ls=style,
                    label=KERNEL_NAMES[name])
axes[2].set(xlabel="selectivity statistic", ylabel="permutations", title="permutation test")
axes[2].legend(fontsize=10)
plt.show()
display(Markdown(
    f"*Left: normalised coupling of every pair of well-fitted filters against their orientation "
    f"difference (dots) and its bin means (lines), for the four kernels. Middle: the coupling "
    f"matrix of the kernel learned through the task, filters sorted by orientation — a bright "
    f"diagonal band would mean similar orientations are coupled. Right: the statistics of the "
    f"four kernels against the task kernel's shuffled-orientation null distribution.* "
    f"**Result.** Selectivity statistic ({scale['n_permutations']} shuffles, {len(sel_idx)} "
    f"filters): kernel learned through the task **{selectivity_task['statistic']:+.3f}** "
    f"(p = **{selectivity_task['p_value']:.4f}**); filter-overlap control "
    f"**{selectivities['overlap']['statistic']:+.3f}** "
    f"(p = {selectivities['overlap']['p_value']:.4f}); Hebbian kernel "
    f"{selectivities['hebbian']['statistic']:+.3f} (p = {selectivities['hebbian']['p_value']:.4f});"
    f" initialisation {selectivity_init['statistic']:+.3f} "
    f"(p = {selectivity_init['p_value']:.3f}). The task kernel exceeds the control by "
    f"{selectivity_task['statistic'] - selectivities['overlap']['statistic']:+.3f}, the Hebbian "
    f"kernel by "
    f"{selectivities['hebbian']['statistic'] - selectivities['overlap']['statistic']:+.3f}. With "
    f"the absolute coupling Σ|K¹ᵢⱼ| of the task kernel instead: "
    f"{selectivity_abs['statistic']:+.3f} (p = {selectivity_abs['p_value']:.4f})."))

# %% [markdown]
# ## 6. Short-range connectivity, association fields and the SE(2) model
#
# **The group-based model.** Sanguinetti, Citti & Sarti (2010) model V1 horizontal connectivity
# by the *direction process* $dx = \cos\theta\,dt$, $dy = \sin\theta\,dt$,
# $d\theta = \sigma\,dW$: the probability that a contour through $(x, \theta)$ continues
# through $(x', \theta')$, integrated over time, is the fundamental solution Γ of the
# Fokker–Planck operator $-X_1 + \tfrac{\sigma^2}{2}X_2^2$ with $X_1 = \cos\theta\,\partial_x +
# \sin\theta\,\partial_y$, $X_2 = \partial_\theta$. We compute it by Monte Carlo, symmetric in
# time. It is SE(2) invariant: the connectivity depends only on
# $(R_{-\theta}(x' - x), \theta' - \theta)$ (tested).
#
# **Short range: co-axial or not.** The group-based models connect a cell mostly with cells of
# similar orientation that lie *along* its orientation. We measure that directly: for each
# well-fitted reference filter i, the excitatory input w(Δ) from filters within 22.5° of θᵢ
# gives the elongation $\sum_\Delta w(\Delta)\cos 2(\varphi_\Delta - \theta_i) /
# \sum_\Delta w(\Delta)$ ($\varphi_\Delta$ the direction of the offset; Δ ≠ 0), +1 when all
# of it lies on the line along θᵢ, −1 when all lies across; its mean over references is tested
# against shuffled orientations *(our measure)*, and must exceed the filter-overlap control's
# by at least {glue:text}`ch1_beyond_margin:.1f` *(our margin)*: overlapping receptive fields
# alone already put the coupling along the stripes.
#
# **Lifting the learned kernel.** For a reference filter i and a filter j at lattice offset Δ
# (2 px per step, plus the difference of the two filters' fitted centres), the excitatory weight
# $\max(K^1_{ij}(\Delta), 0)$ is placed at $(R_{-\theta_i}\Delta,\ \theta_j - \theta_i)$ —
# the learned connectivity seen from each filter's own frame; averaged over reference filters,
# it is drawn beside Γ on the same grid.
#
# **The quantitative comparison.** The model predicts every learned weight: K¹ᵢⱼ(Δ) should
# follow $\Gamma(R_{-\theta_i}\Delta,\ \theta_j - \theta_i)$. We correlate the excitatory
# weights $\max(K^1_{ij}(\Delta), 0)$ of all well-fitted pairs and offsets (self-loops left out)
# with that prediction **at equal distance** |Δ|: both sides first lose the mean of their
# ½-px distance shell *(our choice)*. Any local kernel falls off with distance, and so does Γ;
# that shared fall-off is not SE(2) structure, and it dominates the plain correlation — with
# shuffled orientations it stays almost as high. What is left is how a weight depends on the
# *direction* of Δ relative to θᵢ and on θⱼ − θᵢ, which is what the model's invariance is
# about. σ is fitted by the best correlation; the controls are the kernel at initialisation and
# the learned kernel with the filters' orientations shuffled (σ fitted afresh for each shuffle;
# a one-sided p-value). The filter-overlap control follows the model too, so the claim is judged
# by the **partial correlation given the control**: both the learned weights and the model's
# prediction lose their least-squares fit on the control's weights (at equal distance as well)
# before they are correlated — what the learned kernel has of the model beyond what the overlap
# of the filters gives. A kernel equal (or proportional) to the control scores 0. The plain
# correlation is reported too.

# %% tags=["hide-input"]
# Figure: Association fields: the learned lateral kernel of one reference filter beside the SE(2)
#   model and the co-circular field.
RADIUS = (ARCH["k_lateral"] // 2) * ARCH["stride"] + 1.0
grid = se2_grid(RADIUS, ARCH["k_lateral"], 6)
centres_px = g_final["centre"].numpy()
sigmas = (0.15, 0.3, 0.5, 0.8, 1.2, 2.0)


def model_kernels():
    return {str(s): torch.from_numpy(direction_process_kernel(
        s, grid, n_paths=scale["mc_paths"], rng=np.random.default_rng(run.seed)))
        for s in sigmas}


models = cached("ch1-direction-process", dict(radius=RADIUS, n_xy=ARCH["k_lateral"], n_theta=6,
                                              sigmas=sigmas, paths=scale["mc_paths"],
                                              seed=run.seed), model_kernels)
models = {k: v.numpy() for k, v in models.items()}
centre_cell = ARCH["k_lateral"] // 2


def lifted(kernel, theta, align=True):
    maps = lift_kernel(kernel[np.ix_(sel_idx, sel_idx)], theta, grid, ARCH["stride"],
                       centres_px[sel_idx], align=align)
    return maps


def finite_mean(maps):
    """Mean over reference filters of the cells each covers (NaN where none does)."""
    ok = np.isfinite(maps)
    total = np.where(ok, maps, 0.0).sum(0)
    count = ok.sum(0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def fit(kernel, at_equal_distance=True, given=None, **kwargs):
    return (model_fit_test if kwargs else model_fit)(
        kernel[np.ix_(sel_idx, sel_idx)], theta_sel, models, grid, ARCH["stride"],
        centres_px[sel_idx], at_equal_distance=at_equal_distance,
        given=None if given is None else given[np.ix_(sel_idx, sel_idx)], **kwargs)


def lie_score(kernel):
    return lie_symmetry_score(lifted(kernel, theta_sel), lifted(kernel, theta_sel, align=False))


mean_lifted = {}
for name in ("task", "overlap"):
    mean_lifted[name] = finite_mean(lifted(KERNELS[name], theta_sel))
    mean_lifted[name][centre_cell, centre_cell] = np.nan  # the self-coupling cell is left out
n_shuffles = min(scale["n_permutations"], 499)
n_shuffles_partial = min(scale["n_permutations"], 199)
# each learned kernel and the control get shuffle tests from streams of their own
rng_task, rng_hebb, rng_overlap = (np.random.default_rng([run.seed, i]) for i in (1, 2, 3))
cmp_task = fit(K_task, n_shuffles=n_shuffles, rng=rng_task)
cmp_overlap = fit(K_overlap, n_shuffles=n_shuffles_partial, rng=rng_overlap)
cmp_hebb = fit(K_hebb, n_shuffles=n_shuffles_partial, rng=rng_hebb)
cmp_untrained = fit(K_init)
# beyond the control: partial correlations given the filter-overlap kernel
partial_task = fit(K_task, given=K_overlap, n_shuffles=n_shuffles_partial, rng=rng_task)
partial_hebb = fit(K_hebb, given=K_overlap, n_shuffles=n_shuffles_partial, rng=rng_hebb)
partial_untrained = fit(K_init, given=K_overlap)
partial_overlap = fit(K_overlap, given=K_overlap)  # 0 by construction: it does not beat itself
plain_task = fit(K_task, at_equal_distance=False, n_shuffles=n_shuffles_partial, rng=rng_task)
plain_untrained = fit(K_init, at_equal_distance=False)
lies = {name: lie_score(K) for name, K in KERNELS.items()}
lie_task, lie_untrained = lies["task"], lies["init"]
best_model = models[cmp_task["best_sigma"]]


def draw_bars(ax, x, y, angle, weight, colour, length=1.6):
    w = weight / weight.max() if weight.max() > 0 else weight
    keep = w > 0.05
    dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
    segments = [[(a - u, b - v), (a + u, b + v)] for a, b, u, v in
                zip(x[keep], y[keep], dx[keep], dy[keep], strict=True)]
    ax.add_collection(LineCollection(segments, linewidths=0.5 + 3 * w[keep], colors=colour))
    ax.set_aspect("equal")
    ax.set_xlim(-RADIUS, RADIUS)
    ax.set_ylim(RADIUS, -RADIUS)


coaxials = {name: coaxial_test(KERNELS[name][np.ix_(sel_idx, sel_idx)], theta_sel,
                               ARCH["stride"], scale["n_permutations"], stream)
            for name, stream in (("task", rng_task), ("overlap", rng_overlap),
                                 ("hebbian", rng_hebb))}
coaxial_task_test = coaxials["task"]
coaxial_task = coaxial_task_test["statistic"]
coaxial_init = coaxial_elongation(K_init[np.ix_(sel_idx, sel_idx)], theta_sel, ARCH["stride"])
ref = sel_idx[np.argmax([coupling_matrix(K_task, "positive")[i, sel_idx].sum()
                         for i in sel_idx])]
similar = sel_idx[orientation_difference(orientation[sel_idx], orientation[ref]) < math.pi / 8]
fig, axes = plt.subplots(1, 4, figsize=(10, 3.7))
short_range = np.clip(K_task[ref, similar], 0, None).sum(0)
lattice = (np.arange(ARCH["k_lateral"]) - centre_cell) * ARCH["stride"]
extent = [lattice[0] - 1, lattice[-1] + 1, lattice[-1] + 1, lattice[0] - 1]
axes[0].imshow(short_range, cmap=SEQUENTIAL_CMAP, extent=extent)
c, s = math.cos(orientation[ref]), math.sin(orientation[ref])
axes[0].plot([-RADIUS * c, RADIUS * c], [-RADIUS * s, RADIUS * s], "--", color=OKABE_ITO[1],
             label="orientation of i")
axes[0].set(title=f"task K¹ from similar filters\ninto i = {ref}", xlabel="Δx (px)",
            ylabel="Δy (px)")
axes[0].legend(fontsize=10, loc="lower right")
x, y, ang, w = association_field(np.clip(K_task[ref][sel_idx], 0, None), orientation[sel_idx],
                                 ARCH["stride"])
draw_bars(axes[1], x, y, ang, w, OKABE_ITO[0])
axes[1].plot([-RADIUS * c, RADIUS * c], [-RADIUS * s, RADIUS * s], ":", color=OKABE_ITO[1])
axes[1].set(title="task-learned association\nfield of i", xlabel="Δx (px)", ylabel="Δy (px)")
x, y, ang, w = model_association_field(best_model, grid)
draw_bars(axes[2], x, y, ang, w, OKABE_ITO[3])
axes[2].set(title=f"SE(2) model, σ = {cmp_task['best_sigma']}", xlabel="Δx (px)",
            ylabel="Δy (px)")
x, y, ang, w = cocircular_field(RADIUS - 1, 9)
draw_bars(axes[3], x, y, ang, w, OKABE_ITO[2])
axes[3].set(title="Field–Hayes–Hess (co-circular)", xlabel="Δx (px)", ylabel="Δy (px)")
plt.show()
display(Markdown(
    f"*Left: excitatory lateral input of the kernel learned through the task into reference "
    f"filter {ref} (orientation {math.degrees(orientation[ref]):.0f}°, dashed) from the filters "
    f"within 22.5° of its orientation, by offset. Second: its association field — at each offset "
    f"a bar with the orientation of the most strongly coupled filter, thickness ∝ coupling. "
    f"Third: the "
    f"association field of the direction-process model (reference along x; orientation of the "
    f"most probable continuation). Right: the co-circular fan of Field, Hayes & Hess (1993).* "
    f"**Result.** Co-axial elongation of the short-range coupling between similarly oriented "
    f"filters (mean over the {len(sel_idx)} reference filters of "
    f"Σ_Δ w(Δ) cos 2(φ_Δ − θᵢ) / Σ_Δ w(Δ), w the excitatory input from filters within 22.5°; "
    f"+1 all along the reference's orientation, −1 all across it, 0 isotropic): kernel learned "
    f"through the task **{coaxial_task:+.3f}** against {coaxial_task_test['shuffled']:+.3f} "
    f"with shuffled orientations (p = {coaxial_task_test['p_value']:.3f}); filter-overlap "
    f"control **{coaxials['overlap']['statistic']:+.3f}** (p = "
    f"{coaxials['overlap']['p_value']:.3f}); Hebbian kernel "
    f"{coaxials['hebbian']['statistic']:+.3f} (p = {coaxials['hebbian']['p_value']:.3f}); "
    f"initialisation {coaxial_init:+.3f}."))

# %% tags=["hide-input"]
# Figure: The lifted lateral connectivity in the reference frame, one panel per orientation
#   difference: the task-learned kernel, the filter-overlap control and the model.
n_theta = mean_lifted["task"].shape[-1]
fig, axes = plt.subplots(3, n_theta, figsize=(10, 6.6))
th_centres = np.degrees((grid[1][:-1] + grid[1][1:]) / 2)
rows_shown = (("learned\n(task)", mean_lifted["task"]),
              ("overlap\ncontrol", mean_lifted["overlap"]), ("model", best_model))
for t in range(n_theta):
    for row, (_, m) in enumerate(rows_shown):
        shown_map = np.where(np.isfinite(m[..., t]), m[..., t], np.nan)
        vmax = np.nanmax(m[np.isfinite(m)])
        axes[row, t].imshow(shown_map, cmap=SEQUENTIAL_CMAP, vmin=0, vmax=vmax,
                            extent=[-RADIUS, RADIUS, RADIUS, -RADIUS])
        axes[row, t].set_xticks([])
        axes[row, t].set_yticks([])
        if row == 0:
            axes[row, t].set_title(f"Δθ = {th_centres[t]:.0f}°", fontsize=10)
for row, (label, _) in enumerate(rows_shown):
    axes[row, 0].set_ylabel(label, fontsize=10)
fig.suptitle("Connectivity in the reference frame (x along the reference orientation), "
             "by orientation difference")
plt.show()
display(Markdown(
    f"*Top: the kernel learned through the task, lifted to SE(2) and averaged over the "
    f"{len(sel_idx)} reference filters (offset rotated into each filter's frame, axes "
    f"±{RADIUS:.0f} px; the self-coupling cell is left out). Middle: the filter-overlap control "
    f"(white noise through the same filters), lifted the same way. Bottom: the "
    f"direction-process kernel with the σ that fits the task kernel best, on the same grid. One "
    f"colour scale per row.* **Result.** Correlation of the learned weights with the SE(2) "
    f"model's prediction at equal distance: kernel learned through the task "
    f"**{cmp_task['correlation']:+.3f}** (best σ = {cmp_task['best_sigma']}; with shuffled "
    f"orientations {cmp_task['shuffled']:+.3f} on average, p = {cmp_task['p_value']:.3f}, "
    f"{len(cmp_task['null'])} shuffles); filter-overlap control "
    f"**{cmp_overlap['correlation']:+.3f}** (shuffled {cmp_overlap['shuffled']:+.3f}, "
    f"p = {cmp_overlap['p_value']:.3f}); Hebbian kernel {cmp_hebb['correlation']:+.3f} "
    f"(p = {cmp_hebb['p_value']:.3f}); initialisation {cmp_untrained['correlation']:+.3f}. "
    f"**Partial correlation given the control** (what follows the model beyond the overlap of "
    f"the filters): task kernel **{partial_task['correlation']:+.3f}** "
    f"(p = {partial_task['p_value']:.3f}, {len(partial_task['null'])} shuffles), Hebbian kernel "
    f"{partial_hebb['correlation']:+.3f} (p = {partial_hebb['p_value']:.3f}), initialisation "
    f"{partial_untrained['correlation']:+.3f}, the control itself "
    f"{partial_overlap['correlation']:+.3f}. The plain correlation of the task kernel, distance "
    f"fall-off included: {plain_task['correlation']:+.3f} (σ = {plain_task['best_sigma']}) "
    f"against {plain_task['shuffled']:+.3f} with shuffled orientations (p = "
    f"{plain_task['p_value']:.3f}) and {plain_untrained['correlation']:+.3f} at "
    f"initialisation. **Lie-symmetry score** (mean correlation between the lifted kernels of "
    f"different reference filters in their own frames minus that in raw image coordinates): "
    f"task kernel **{lie_task['score']:+.3f}** (aligned {lie_task['aligned']:.3f}, raw "
    f"{lie_task['raw']:.3f}); filter-overlap control **{lies['overlap']['score']:+.3f}**; "
    f"Hebbian kernel {lies['hebbian']['score']:+.3f}; initialisation "
    f"{lie_untrained['score']:+.3f}."))

# %% [markdown]
# ## 7. Why these training choices: the symmetry of ℓ⁰ is inherited from ℓ¹ *(our analysis)*
#
# ℓ⁰ and ℓ¹ are linear in a row, so the loss sees only the effective filters
# $E_i = \ell^0 * \ell^1_i$; in Fourier space $\hat E_i(\omega) = \hat\ell^0(\omega)\,
# \hat\ell^1_i(\omega)$. Among all factorisations with the same $E_i$, weight decay prefers the
# one with the least $\lVert\ell^0\rVert^2 + \sum_i\lVert\ell^1_i\rVert^2$, which — frequency by
# frequency — is
#
# $$ |\hat\ell^0(\omega)|^2 \propto \Big(\sum_i |\hat E_i(\omega)|^2\Big)^{1/2}. $$
#
# (Starting both layers small leads to the same balance: gradient descent conserves
# $|\hat\ell^0|^2 - \sum_i |\hat\ell^1_i|^2$, which is then ≈ 0.) So **ℓ⁰ is radially symmetric
# and band-pass — LoG-like — exactly when the ℓ¹ bank covers all orientations** at the
# frequencies it uses. The LGN's symmetry is inherited from the orientation completeness of V1,
# which needs isotropic image statistics: hence the random rotations. Without them (or with only
# 90° rotations) the dominant orientations of a few photographs reach ℓ¹ unbalanced: the
# filters tend to share one orientation, the balance then makes ℓ⁰ an oriented blob, and K¹ has no
# range of orientations to be selective over.
#
# **The phase of ℓ⁰.** The balance fixes only the *magnitude* $|\hat\ell^0(\omega)|$. Its phase
# can be undone by ℓ¹ at no cost, so it is whatever the dynamics inherit from the initial weights:
# from small random weights every frequency keeps a random phase and ℓ⁰ ends as a ring-shaped
# spectrum with a scrambled, noise-like spatial profile, a poor fit to a LoG. A LoG is the
# *zero-phase* filter with that magnitude. Starting ℓ⁰ near the identity (a delta has zero phase
# at every frequency) gives it a coherent phase, so the magnitude that training shapes shows up
# as a centred, radially symmetric band-pass filter.
# Weight decay together with the small 7×7 supports also favours compact, zero-phase
# factorisations, but far too slowly for a CPU budget.
#
# **The lateral kernel.** Orientation selectivity of K¹ needs orientation-diverse filters first,
# and then a reason: the lateral kernel learns only what helps its loss. Through the task alone
# (stage 1, the paper's setting) the reason may be weak: a photo-discrimination task read out by
# global pooling can be solved from pooled texture energy, which needs no contours (the summary
# table judges this run's task kernel). The Hebbian rule of our stage 2 connects the responses
# that occur together — but much of that co-occurrence comes from the overlap of the filters'
# receptive fields and would be there on white noise; what natural edges add is only the part
# beyond the filter-overlap control, which is what its rows in the summary judge. A lateral
# "filling-in" loss (K¹ predicting each response from its neighbours, a linear regression) would
# not do: a regression on strongly redundant neighbours puts its weight on whichever neighbour
# predicts best — mostly the nearest ones in every direction — so it does not learn the
# co-occurrence statistic itself; the Hebbian rule converges to it. Two more details matter: the
# co-occurrence is taken away from the crop's border, where the filters see the image's zero
# padding as straight edges along the border; and ℓ⁰, ℓ¹ are learned first and then kept fixed
# (a lateral objective trained jointly with ℓ¹ from the start also shapes the filters, and blurs
# them), hence the two stages.
#
# **Why ℓ¹ has no bias.** A learned threshold per V1 unit can silence it: training on noisy
# images, where a threshold removes noise, pushes the threshold up until the unit never fires,
# and weight decay then shrinks its filter towards zero. A silent unit has no responses, so a
# lateral rule has nothing to learn its connections from. Without a bias, a unit with a
# zero-mean filter fires on about half of the positions of a zero-mean image and cannot fall
# silent that way (section 4 counts the silent units of this run). Whether a
# network trained longer on CIFAR-10, as in the paper, learns a lateral kernel beyond the
# overlap of its filters through the task alone is the open question of this page (the `paper`
# profile has not been run).
#
# Below we check the balance on the trained network (the 7×7 supports only let it hold
# approximately).

# %% tags=["hide-input"]
# Figure: Power spectrum of the learned ℓ⁰ beside the one predicted from the whole bank of
#   effective ℓ¹ filters.
N_FFT = 32
l0_hat = np.abs(np.fft.fftshift(np.fft.fft2(l0_final, s=(N_FFT, N_FFT)))) ** 2
eff_hat = np.abs(np.fft.fftshift(np.fft.fft2(g_final["effective"].numpy(), s=(N_FFT, N_FFT)),
                                 axes=(-2, -1))) ** 2
predicted = np.sqrt(eff_hat.sum(0))
balance = float(np.corrcoef(l0_hat.ravel(), predicted.ravel())[0, 1])
fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
freq_extent = [-0.5, 0.5, 0.5, -0.5]
for ax, m, name in ((axes[0], l0_hat, "|ℓ̂⁰(ω)|²"), (axes[1], predicted, "(Σᵢ |Êᵢ(ω)|²)^½")):
    im = ax.imshow(m, cmap=SEQUENTIAL_CMAP, extent=freq_extent)
    ax.set(title=name, xlabel="ωx (cycles / px)", ylabel="ωy (cycles / px)")
    fig.colorbar(im, ax=ax, shrink=0.8)
plt.show()
display(Markdown(
    f"*Left: the power spectrum of the trained ℓ⁰. Right: the prediction of the balance argument "
    f"from the effective filters. Their correlation over frequencies is **{balance:.3f}**; a "
    f"ring means a radially symmetric band-pass ℓ⁰.*"))

# %% [markdown]
# ## 8. Explore: filters, fits and connectivity; ℓ⁰ over training
#
# Move the first slider through the filters (sorted by orientation): the raw ℓ¹ weights, the
# effective receptive field, its Gabor fit, and the excitatory lateral input it receives by
# offset and its association field in the kernel learned through the task. The second explorer
# steps through training for ℓ⁰. The pictures
# were rendered when the page was built and are linked in the browser, so both work in the
# static book.

# %% tags=["hide-input"]
RAW_LIM = float(final["l1"].abs().max())  # one colour scale for every frame of the explorer
EFF_LIM = float(g_final["effective"].abs().max())
LATERAL_MAX = float(np.clip(K_task, 0, None).sum(1).max())


def filter_frame(i):
    fig, axes = plt.subplots(1, 5, figsize=(9.6, 2.6))
    raw = final["l1"][i].numpy()
    eff, fit = g_final["effective"][i].numpy(), g_final["fit"][i].numpy()
    for ax, w, lim, title in ((axes[0], raw, RAW_LIM, "ℓ¹ raw"),
                              (axes[1], eff, EFF_LIM, "effective ℓ⁰∗ℓ¹"),
                              (axes[2], fit, EFF_LIM, f"Gabor fit (err {err_final[i]:.2f})")):
        im = ax.imshow(w, cmap=SIGNED_CMAP, vmin=-lim, vmax=lim)
        fig.colorbar(im, ax=ax, shrink=0.8, ticks=[-lim, 0, lim], format="%.2f")
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    im = axes[3].imshow(np.clip(K_task[i], 0, None).sum(0), cmap=SEQUENTIAL_CMAP,
                        extent=extent, vmin=0, vmax=LATERAL_MAX)
    fig.colorbar(im, ax=axes[3], shrink=0.8)
    axes[3].set_title("Σⱼ K¹⁺ᵢⱼ(Δ)", fontsize=10)
    axes[3].set(xlabel="Δx (px)")
    xa, ya, anga, wa = association_field(np.clip(K_task[i][sel_idx], 0, None),
                                         orientation[sel_idx], ARCH["stride"])
    draw_bars(axes[4], xa, ya, anga, wa, OKABE_ITO[0])
    ci, si = math.cos(orientation[i]), math.sin(orientation[i])
    axes[4].plot([-RADIUS * ci, RADIUS * ci], [-RADIUS * si, RADIUS * si], ":",
                 color=OKABE_ITO[1])
    axes[4].set_title("association field", fontsize=10)
    fig.suptitle(f"filter {i}: orientation {math.degrees(orientation[i]):.0f}°, "
                 f"f = {float(g_final['freq'][i]):.2f} cycles/px", fontsize=10)
    return figure_png(fig)


filter_explorer = snapshot_explorer(
    {"trained filters": [filter_frame(int(i)) for i in order]},
    [f"#{int(i)} ({math.degrees(orientation[i]):.0f}°)" for i in order],
    frame_description="filter")
display(filter_explorer)


L0_LIM = max(float(np.abs(snap["l0"].numpy()).max()) for snap in snapshots)
L0_PROFILES = [(radial_profile(snap["l0"].numpy(), fit.x0, fit.y0),
                radial_profile(fit.fit, fit.x0, fit.y0))
               for snap, fit in zip(snapshots, log_fits, strict=True)]
low = min(min(m - s_) for (_, m, s_), _ in L0_PROFILES)
high = max(max(m + s_) for (_, m, s_), _ in L0_PROFILES)
L0_YLIM = (low - 0.05 * (high - low) - 1e-9, high + 0.05 * (high - low) + 1e-9)


def l0_frame(k):
    fig, axes = plt.subplots(1, 2, figsize=(6.4, 2.8))
    im = axes[0].imshow(snapshots[k]["l0"].numpy(), cmap=SIGNED_CMAP, vmin=-L0_LIM, vmax=L0_LIM)
    fig.colorbar(im, ax=axes[0], shrink=0.8)
    axes[0].set(title=f"ℓ⁰ at step {record_at[k]}", xticks=[], yticks=[])
    (rr, mm, ss), (rf_, mf_, _) = L0_PROFILES[k]
    axes[1].errorbar(rr, mm, yerr=ss, fmt="o", color=OKABE_ITO[0], ms=3)
    axes[1].plot(rf_, mf_, "-", color=OKABE_ITO[3])
    axes[1].set(xlabel="r (px)", ylabel="weight", ylim=L0_YLIM,
                title=f"LoG err {log_fits[k].rel_error:.2f}, radial {radial[k]:.2f}")
    return figure_png(fig)


l0_explorer = snapshot_explorer({"ℓ⁰": [l0_frame(k) for k in range(len(snapshots))]},
                                [f"step {s}" for s in record_at],
                                frame_description="training step")
display(l0_explorer)

# %% [markdown]
# ## Reproduction summary
#
# Each claim of the paper is judged on this run by a machine-checked criterion, and beside it the
# same criterion is applied to **controls** — cases that must not show the effect: the network at
# initialisation, the learned kernel with the filters' orientations shuffled, the
# filter-overlap control (white noise through the same filters), a centred delta as ℓ⁰, ℓ⁰
# composed with smoothed-noise filters, noise with the trained filters' amplitude spectrum.
# A claim counts as reproduced only when the criterion holds and every
# control fails it; the verdict is computed, never typed. The paper states these effects
# qualitatively (its numbers could not be read), so the thresholds are ours. The paper's claims
# are judged on the network trained **through the task** (stage 1, the paper's setting). Each
# K¹ criterion asks for more than the filter-overlap control gives — the control's own value is
# what the learned kernel must beat — so the control, compared with itself, fails it. The same
# measures on our Hebbian stage 2 are listed last, marked *beyond the paper*: an extension of
# ours, judged against the same control, not the paper's result. The numbers go to
# `RESULTS_DIR/lie_symmetries.json`.
#
# :::{admonition} Keys of `lie_symmetries.json`
# :class: dropdown
# - `dataset`: the training data. `log_rel_error`, `radial_symmetry` (`init`, `trained`) and
#   `log_sigma`: ℓ⁰'s LoG fit and radial-symmetry score (section 3); `l0_centre_surround`
#   (`trained`, `init`, `delta`: LoG error, σ, radial symmetry, surround, criterion met).
# - `gabor_median_error` (`init`, `trained`, `control_smoothed_noise`,
#   `control_spectrum_matched`; effective filters), `gabor_like_fraction` (the same cases; error
#   ≤ 0.5 with a carrier), `gabor_median_error_raw_l1`, `gabor_fraction_good` (error < 0.5),
#   `silent_v1_units`, `orientation_resultant_length`: the ℓ¹ filters (section 4).
# - `orientation_selectivity`: statistic and permutation p-value of the kernel learned through
#   the task (`statistic`, `p_value`), at initialisation (`init_*`) and with the absolute
#   coupling (`abs_coupling_*`) (section 5).
# - `se2_model_correlation` (at equal distance; the task kernel: `trained`, `best_sigma`,
#   `shuffled`, `shuffled_p_value`; `untrained`; `partial_given_overlap` and its
#   `partial_p_value`: the partial correlation given the filter-overlap control),
#   `se2_model_correlation_plain`, `coaxial_elongation` (`trained`, `shuffled`, `p_value`,
#   `untrained`), `lie_symmetry_score` (`trained`, `untrained`) (section 6), all of the task
#   kernel; `lateral_operator_norm` (`task`, `hebbian`).
# - `overlap_control`: the same measures on the filter-overlap control, the Hebbian fixed point
#   on white noise through the task-trained ℓ⁰ and ℓ¹ (`orientation_selectivity`:
#   `statistic`, `p_value`; `coaxial_elongation`: `statistic`, `shuffled`, `p_value`;
#   `se2_model_correlation`: `correlation`, `best_sigma`, `shuffled`, `p_value`;
#   `lie_symmetry_score`: `score`, `aligned`, `raw`; `white_noise_images`).
# - `hebbian`: our extension beyond the paper, the kernel of stage 2 — the same measures as
#   `overlap_control`, plus `se2_model_correlation.partial_given_overlap` and
#   `partial_p_value`, and `test_accuracy` after stage 2.
# - `beyond_control_margin`: the margin by which a learned kernel must beat the control.
# - `test_accuracy` (the task-trained network, after stage 1), `initial_accuracy`;
#   `fourier_balance_correlation` (section 7); `train_seconds`, `train_images_per_second`.
# - `effects_hold`: per effect (`l0_log_like`, `l1_gabor_like`, `k1_orientation_selective`,
#   `k1_coaxial`, `k1_like_se2_model`, `lie_symmetry_score_up`), whether the paper's claim is
#   reproduced on the task-trained network.
# - `claims`: one record per row of the table below: `id` (stable across seeds), `claim`,
#   `paper`, `source`, `setting`, `ours`, `value` (the headline number), `criterion`, `holds`,
#   `controls` (each `name`, `value`, `passes`), `no_control`, `beyond_paper`, and the computed
#   `verdict` and `reason` (`emergence.claims.Claim`).
# :::

# %% tags=["hide-input"]
LIE_MIN = 0.03  # the Lie-symmetry score has no shuffle test: a threshold of ours
HEBBIAN_SETTING = "K¹ learned by our Hebbian stage 2, not through the task"
SHUFFLE_CRITERION = "statistic > 0 and p < 0.05 against shuffled orientations"
l0_judged = {"trained": centre_surround(l0_final),
             "init": centre_surround(snapshots[0]["l0"].numpy())}
centred_delta = np.zeros_like(l0_final)
centred_delta[ARCH["k0"] // 2, ARCH["k0"] // 2] = 1.0
l0_judged["delta"] = centre_surround(centred_delta)


def l0_text(judged):
    return (f"LoG error {judged.rel_error:.2f}, σ = {judged.sigma:.2f} px, radial symmetry "
            f"{judged.radial:.2f}, surround {judged.surround:.2f}")


def gabor_passes(bank):
    return gabor_bank_passes(bank["error"].numpy(), bank["cycles"].numpy())


def gabor_text(bank):
    errors, cycles = bank["error"].numpy(), bank["cycles"].numpy()
    return (f"median error {np.median(errors):.2f}, "
            f"{is_gabor_like(errors, cycles).mean():.0%} Gabor-like")


def shuffle_passes(statistic, p_value):
    return bool(statistic > 0 and p_value < 0.05)


def shuffled_control(test):
    """The shuffled-orientation control: it meets the criterion when the shuffles reach the
    observed statistic at least one time in twenty (p ≥ 0.05)."""
    null = np.asarray(test["null"])
    return Control(f"shuffled orientations ({len(null)} shuffles)",
                   f"mean {null.mean():+.3f}; shuffles reach ours with p = {test['p_value']:.4f}",
                   bool(test["p_value"] >= 0.05))


def untrained_vs_shuffles(statistic, null, control_statistic):
    """The kernel at initialisation, judged by the same criterion: against the learned kernel's
    shuffled null and the filter-overlap control's statistic."""
    p_value = one_sided_p(null, statistic)
    return Control("kernel at initialisation",
                   f"{statistic:+.3f} (p = {p_value:.3f} against the same shuffles)",
                   shuffle_passes(statistic, p_value)
                   and beyond_control(statistic, control_statistic))


def overlap_control(statistic, p_value=None, raw_passes=True):
    """The filter-overlap control under a beyond-the-control criterion: it may meet the raw
    part (shown), but a kernel equal to its control never beats it."""
    shown = f"{statistic:+.3f}" + ("" if p_value is None else f", p = {p_value:.4f}")
    raw = "meets" if raw_passes else "misses"
    return Control("filter-overlap control (white noise through the same filters)",
                   f"{shown} ({raw} the raw criterion; beyond itself by +0.000)",
                   bool(raw_passes and beyond_control(statistic, statistic)))


claims = [
    Claim(id="l0_log_like",
          claim="the single pre-filter ℓ⁰ (LGN) becomes radially symmetric and close to a "
                "Laplacian of Gaussian",
          paper="radially symmetric, well approximated by a LoG", source=SOURCE_QUALITATIVE,
          ours=l0_text(l0_judged["trained"]), value=l0_judged["trained"].rel_error,
          criterion=f"LoG relative error ≤ {LOG_MAX_ERROR}, fitted σ ≥ {LOG_MIN_SIGMA} px, "
                    f"radial symmetry ≥ {RADIAL_MIN} and a surround of at least "
                    f"{SURROUND_MIN} of the centre's weight (the centre–surround of a LoG)",
          holds=l0_judged["trained"].passes,
          controls=[Control("initialisation (centre delta plus noise)",
                            l0_text(l0_judged["init"]), l0_judged["init"].passes),
                    Control("a centred delta", l0_text(l0_judged["delta"]),
                            l0_judged["delta"].passes)]),
    Claim(id="l1_gabor_like",
          claim="ℓ¹ (V1) learns Gabor-like filters",
          paper="filters well approximated by Gabor functions", source=SOURCE_QUALITATIVE,
          ours=f"{gabor_text(g_final)} ({len(err_final)} effective filters ℓ⁰ ∗ ℓ¹)",
          value=float(np.median(err_final)),
          criterion=f"median Gabor relative error ≤ {GABOR_MAX_ERROR} and at least half of the "
                    f"filters Gabor-like: error ≤ {GABOR_MAX_ERROR} with a carrier of at least "
                    f"{CARRIER_MIN_CYCLES} cycles per envelope width (f·σ)",
          holds=gabor_passes(g_final),
          controls=[Control("trained ℓ⁰ ∗ smoothed-noise ℓ¹", gabor_text(gabor["control"]),
                            gabor_passes(gabor["control"])),
                    Control("noise with each trained filter's amplitude spectrum",
                            gabor_text(gabor["spectrum_matched"]),
                            gabor_passes(gabor["spectrum_matched"])),
                    Control("initialisation", gabor_text(g_init), gabor_passes(g_init))]),
]
k1_claims = {
    "k1_orientation_selective": (
        "the lateral kernel K¹ is orientation selective: filters of similar orientation are "
        "coupled", "orientation selective (similar orientations coupled)"),
    "k1_coaxial": (
        "the short-range part of K¹ between similarly oriented filters is elongated along "
        "their orientation (co-axial)", "elongated along the preferred orientation"),
    "k1_like_se2_model": (
        "K¹ follows the group-based (SE(2)-invariant) model of V1 connectivity, at equal "
        "distance", "association fields agree with the group-based models"),
    "lie_symmetry_score_up": (
        "K¹ is SE(2) invariant: its lifted kernels agree better in each filter's own frame "
        "(Lie-symmetry score, our measure)", "the connectivity has the symmetry of SE(2)"),
}
MARGIN = BEYOND_CONTROL_MARGIN
BEYOND = f"at least {MARGIN} above the filter-overlap control's"
K1_CRITERIA = {
    "k1_orientation_selective": f"{SHUFFLE_CRITERION}, and a statistic {BEYOND}",
    "k1_coaxial": f"{SHUFFLE_CRITERION}, and an elongation {BEYOND}",
    "k1_like_se2_model": (f"partial correlation with the SE(2) model at equal distance, given "
                          f"the filter-overlap control, ≥ {MARGIN}, and p < 0.05 against "
                          f"shuffled orientations"),
    "lie_symmetry_score_up": f"Lie-symmetry score ≥ {LIE_MIN} and {BEYOND}",
}
ov_sel, ov_coax = selectivities["overlap"], coaxials["overlap"]
ov_lie = lies["overlap"]["score"]


def k1_claims_for(name):
    """The four K¹ claims on the kernel ``name`` ("task": the paper's claim; "hebbian": our
    extension beyond the paper), each against the filter-overlap control."""
    sel, coax, lie = selectivities[name], coaxials[name], lies[name]
    cmp_, partial = {"task": (cmp_task, partial_task), "hebbian": (cmp_hebb, partial_hebb)}[name]
    records = {
        "k1_orientation_selective": dict(
            ours=f"{sel['statistic']:+.3f}, p = {sel['p_value']:.4f} (overlap control "
                 f"{ov_sel['statistic']:+.3f})",
            value=sel["statistic"],
            holds=shuffle_passes(sel["statistic"], sel["p_value"])
            and beyond_control(sel["statistic"], ov_sel["statistic"]),
            controls=[shuffled_control(sel),
                      untrained_vs_shuffles(selectivity_init["statistic"], sel["null"],
                                            ov_sel["statistic"]),
                      overlap_control(ov_sel["statistic"], ov_sel["p_value"],
                                      shuffle_passes(ov_sel["statistic"], ov_sel["p_value"]))]),
        "k1_coaxial": dict(
            ours=f"{coax['statistic']:+.3f}, p = {coax['p_value']:.4f} (overlap control "
                 f"{ov_coax['statistic']:+.3f})",
            value=coax["statistic"],
            holds=shuffle_passes(coax["statistic"], coax["p_value"])
            and beyond_control(coax["statistic"], ov_coax["statistic"]),
            controls=[shuffled_control(coax),
                      untrained_vs_shuffles(coaxial_init, coax["null"], ov_coax["statistic"]),
                      overlap_control(ov_coax["statistic"], ov_coax["p_value"],
                                      shuffle_passes(ov_coax["statistic"],
                                                     ov_coax["p_value"]))]),
        "k1_like_se2_model": dict(
            ours=f"partial {partial['correlation']:+.3f} (p = {partial['p_value']:.4f}); "
                 f"correlation {cmp_['correlation']:+.3f} (σ = {cmp_['best_sigma']}, overlap "
                 f"control {cmp_overlap['correlation']:+.3f})",
            value=partial["correlation"],
            holds=bool(partial["correlation"] >= MARGIN and partial["p_value"] < 0.05),
            controls=[shuffled_control(partial),
                      Control("kernel at initialisation",
                              f"partial {partial_untrained['correlation']:+.3f}",
                              bool(partial_untrained["correlation"] >= MARGIN
                                   and one_sided_p(partial["null"],
                                                   partial_untrained["correlation"]) < 0.05)),
                      Control("filter-overlap control (white noise through the same filters)",
                              f"partial given itself {partial_overlap['correlation']:+.3f} "
                              f"(its plain correlation {cmp_overlap['correlation']:+.3f}, "
                              f"p = {cmp_overlap['p_value']:.3f})",
                              bool(partial_overlap["correlation"] >= MARGIN))]),
        "lie_symmetry_score_up": dict(
            ours=f"{lie['score']:+.3f} (aligned {lie['aligned']:.3f}, raw {lie['raw']:.3f}; "
                 f"overlap control {ov_lie:+.3f})",
            value=lie["score"],
            holds=bool(lie["score"] >= LIE_MIN) and beyond_control(lie["score"], ov_lie),
            controls=[Control("kernel at initialisation", f"{lie_untrained['score']:+.3f}",
                              bool(lie_untrained["score"] >= LIE_MIN)
                              and beyond_control(lie_untrained["score"], ov_lie)),
                      overlap_control(ov_lie, raw_passes=bool(ov_lie >= LIE_MIN))]),
    }
    out = []
    for key, record in records.items():
        claim, paper = k1_claims[key]
        out.append(Claim(
            id=key if name == "task" else f"{key}_hebbian",
            claim=claim if name == "task" else f"(our extension) {claim}, with K¹ learned by "
                                                f"our Hebbian stage 2",
            paper=paper, source=SOURCE_QUALITATIVE, criterion=K1_CRITERIA[key],
            setting=AS_IN_PAPER if name == "task" else HEBBIAN_SETTING,
            beyond_paper=name != "task", **record))
    return out


claims += k1_claims_for("task")
claims += [
    Claim(id="test_accuracy",
          claim="test accuracy of the network trained through the task (our "
                "photo-discrimination task)",
          paper="— (the paper's task is not ours)", source="not applicable",
          ours=f"{trained['stage1_accuracy']:.3f} (chance {1 / trained['n_classes']:.3f}; "
               f"{trained['accuracy']:.3f} after our Hebbian stage 2)",
          setting="our photo-discrimination task, not the paper's",
          value=trained["stage1_accuracy"], criterion="reported", holds=None,
          beyond_paper=True),
]
claims += k1_claims_for("hebbian")
# whether each effect of the paper is shown, on the network trained through the task
verdicts = {c.id: c.verdict for c in claims}
checks = {key: verdicts[key] in HOLDING
          for key in ("l0_log_like", "l1_gabor_like", *k1_claims)}
display(Markdown(claims_table(claims, run.profile)))
display(Markdown(f"*Profile `{run.profile}`, seed {run.seed}, data: {data_note}. Verdicts: "
                 f"{counts_text(claims)}.*"))
if run.profile == "smoke":
    display(Markdown("*The `smoke` profile only proves that the code runs; it trains far too "
                     "briefly for any effect, so the table above says nothing about the "
                     "science.*"))
paper_scale = SCALES["paper"]
for name, value in (("radial_min", RADIAL_MIN), ("log_max", LOG_MAX_ERROR),
                    ("log_min_sigma", LOG_MIN_SIGMA), ("surround_min", SURROUND_MIN),
                    ("lie_min", LIE_MIN),
                    ("paper_filters", paper_scale["n_filters"]),
                    ("paper_steps", paper_scale["steps"]),
                    ("paper_stage2_steps", paper_scale["stage2_steps"])):
    glue(f"ch1_{name}", value)

path = write_results(run, "lie_symmetries", {
    "dataset": data_note,
    "log_rel_error": {"init": log_init.rel_error, "trained": log_final.rel_error},
    "log_sigma": log_final.sigma,
    "l0_centre_surround": {name: {"rel_error": j.rel_error, "sigma": j.sigma,
                                  "radial": j.radial, "surround": j.surround,
                                  "passes": j.passes} for name, j in l0_judged.items()},
    "radial_symmetry": {"init": radial[0], "trained": radial[-1]},
    "gabor_median_error": {"init": float(np.median(err_init)),
                           "trained": float(np.median(err_final)),
                           "control_smoothed_noise": float(np.median(err_control)),
                           "control_spectrum_matched": float(np.median(
                               gabor["spectrum_matched"]["error"].numpy()))},
    "gabor_like_fraction": {name: float(is_gabor_like(bank["error"].numpy(),
                                                      bank["cycles"].numpy()).mean())
                            for name, bank in (("init", g_init), ("trained", g_final),
                                               ("control_smoothed_noise", gabor["control"]),
                                               ("control_spectrum_matched",
                                                gabor["spectrum_matched"]))},
    "gabor_median_error_raw_l1": {"init": float(np.median(g_init["error_raw"].numpy())),
                                  "trained": float(np.median(g_final["error_raw"].numpy()))},
    "gabor_fraction_good": float(good.mean()),
    "silent_v1_units": n_silent,
    "orientation_resultant_length": orient_resultant,
    "orientation_selectivity": {"statistic": selectivity_task["statistic"],
                                "p_value": selectivity_task["p_value"],
                                "init_statistic": selectivity_init["statistic"],
                                "init_p_value": selectivity_init["p_value"],
                                "abs_coupling_statistic": selectivity_abs["statistic"],
                                "abs_coupling_p_value": selectivity_abs["p_value"]},
    "se2_model_correlation": {"trained": cmp_task["correlation"],
                              "best_sigma": float(cmp_task["best_sigma"]),
                              "untrained": cmp_untrained["correlation"],
                              "shuffled": cmp_task["shuffled"],
                              "shuffled_p_value": cmp_task["p_value"],
                              "partial_given_overlap": partial_task["correlation"],
                              "partial_p_value": partial_task["p_value"],
                              "measure": "at equal distance (1/2-px shells)"},
    "coaxial_elongation": {"trained": coaxial_task, "shuffled": coaxial_task_test["shuffled"],
                           "p_value": coaxial_task_test["p_value"], "untrained": coaxial_init},
    "se2_model_correlation_plain": {"trained": plain_task["correlation"],
                                    "untrained": plain_untrained["correlation"],
                                    "shuffled": plain_task["shuffled"],
                                    "shuffled_p_value": plain_task["p_value"]},
    "lie_symmetry_score": {"trained": lie_task["score"], "untrained": lie_untrained["score"]},
    "lateral_operator_norm": {"task": norm_stage1, "hebbian": norm_final},
    "overlap_control": {
        "orientation_selectivity": {"statistic": ov_sel["statistic"],
                                    "p_value": ov_sel["p_value"]},
        "coaxial_elongation": {"statistic": ov_coax["statistic"],
                               "shuffled": ov_coax["shuffled"], "p_value": ov_coax["p_value"]},
        "se2_model_correlation": {"correlation": cmp_overlap["correlation"],
                                  "best_sigma": float(cmp_overlap["best_sigma"]),
                                  "shuffled": cmp_overlap["shuffled"],
                                  "p_value": cmp_overlap["p_value"]},
        "lie_symmetry_score": {k: lies["overlap"][k] for k in ("score", "aligned", "raw")},
        "white_noise_images": scale["overlap_batches"] * scale["batch"]},
    "hebbian": {
        "orientation_selectivity": {"statistic": selectivities["hebbian"]["statistic"],
                                    "p_value": selectivities["hebbian"]["p_value"]},
        "coaxial_elongation": {"statistic": coaxials["hebbian"]["statistic"],
                               "shuffled": coaxials["hebbian"]["shuffled"],
                               "p_value": coaxials["hebbian"]["p_value"]},
        "se2_model_correlation": {"correlation": cmp_hebb["correlation"],
                                  "best_sigma": float(cmp_hebb["best_sigma"]),
                                  "shuffled": cmp_hebb["shuffled"],
                                  "p_value": cmp_hebb["p_value"],
                                  "partial_given_overlap": partial_hebb["correlation"],
                                  "partial_p_value": partial_hebb["p_value"]},
        "lie_symmetry_score": {k: lies["hebbian"][k] for k in ("score", "aligned", "raw")},
        "test_accuracy": trained["accuracy"]},
    "beyond_control_margin": BEYOND_CONTROL_MARGIN,
    "test_accuracy": trained["stage1_accuracy"],
    "initial_accuracy": trained["initial_accuracy"],
    "fourier_balance_correlation": balance,
    "effects_hold": checks,
    "claims": [c.to_dict() for c in claims],
    "train_seconds": trained["train_seconds"],
    "train_images_per_second": images_per_second,
}, data=data_note)
print(f"headline numbers written to {path} ({run.elapsed():.0f} s for this page)")

# %% [markdown]
# **Reading the table.** A shuffled-orientation control meets the criterion when the shuffles
# reach the observed statistic at least one time in twenty (p ≥ 0.05); the kernel at
# initialisation is judged against the same shuffles where it has none of its own. The
# task-learned and the Hebbian kernel get the same shuffle tests. Every K¹ criterion also asks
# the kernel to beat the filter-overlap control by {glue:text}`ch1_beyond_margin:.1f` (the
# SE(2) fit: a partial correlation given the control of at least that much); the control's own
# value against the raw part of the criterion is shown in its cell. The Lie-symmetry score has
# no shuffle test; its criterion is a threshold of ours (score ≥ {glue:text}`ch1_lie_min:.2f`)
# besides the margin, applied to the kernel at initialisation as well. ℓ⁰ is judged by its LoG
# error (at most
# {glue:text}`ch1_log_max:.1f`), its fitted width (σ at least {glue:text}`ch1_log_min_sigma:.1f`
# px), its radial symmetry (at least {glue:text}`ch1_radial_min:.1f`) and its surround (at least
# {glue:text}`ch1_surround_min:.2f` of the centre's weight): a centred delta fits a LoG with a
# small error and is perfectly symmetric, but it has no surround. The initial ℓ⁰ and a centred
# delta are judged the same way. A Gabor fit counts only with a carrier: an isotropic blob fits
# a Gabor of frequency zero perfectly. The `paper` profile
# (CIFAR-10, {glue:text}`ch1_paper_filters:d` filters, {glue:text}`ch1_paper_steps:,d` +
# {glue:text}`ch1_paper_stage2_steps:,d` steps) has not been run by this book.

# %% [markdown]
# ## Exercises
#
# **1. ★ Predict, then run.** The training crops are rotated by a random angle so that every
# orientation is equally frequent. Predict what switching this off (`PhotoCrops(...,
# rotate=False)` in the data cell) could do to ℓ⁰ and to the orientations of the ℓ¹ filters, then
# run it and compare the radial-symmetry score and the orientation histogram.
#
# :::{admonition} Solution
# :class: dropdown
# Without rotations the photographs' own orientation statistics (man-made scenes have more
# horizontal and vertical edges) reach the network unbalanced. Section 7 argues that ℓ⁰'s radial
# symmetry is inherited from a balanced ℓ¹ bank, so expect a less even orientation histogram and
# a lower radial-symmetry score of ℓ⁰. How large the effect is at this profile is for your run to
# show — the point is to connect the symmetry of the data with the symmetry of the filters.
# :::
#
# **2. ★★ Explain a test.** The orientation selectivity of K¹ is judged with a permutation test
# that shuffles the filters' orientation labels. Why does shuffling give the null distribution, and
# what should the p-value of an *untrained* K¹ look like over many seeds?
#
# :::{admonition} Solution
# :class: dropdown
# If the coupling between two filters does not depend on their orientation difference, any
# assignment of the measured orientations to the filters is as likely as the true one, so the
# statistic over shuffles is its distribution under that hypothesis. For an untrained (random)
# K¹ the hypothesis holds, so over many seeds its p-value is roughly uniform on [0, 1]: p < 0.05
# about one time in twenty. The chapter's table reports the untrained p-value of this run.
# :::
#
# **3. ★★★ Implement a measure.** Write `isotropy(w)` for a square filter with an odd side: one
# minus the fraction of its energy that is *not* explained by its average over rings of equal
# radius around the centre pixel. Test it on cases with known answers: a Gaussian blob is close
# to 1, an oriented Gabor filter much lower.
#
# :::{admonition} Solution
# :class: dropdown
# ```python
# import numpy as np
#
# def isotropy(w):
#     """1 − ‖w − ŵ‖² / ‖w‖², where ŵ is w averaged over rings of equal radius (centre pixel)."""
#     k = w.shape[0]
#     y, x = np.mgrid[:k, :k] - (k - 1) / 2
#     ring = np.rint(np.hypot(x, y)).astype(int)
#     ring_mean = np.bincount(ring.ravel(), w.ravel()) / np.bincount(ring.ravel())
#     return 1 - ((w - ring_mean[ring]) ** 2).sum() / (w**2).sum()
#
# y, x = np.mgrid[:15, :15] - 7
# gaussian = np.exp(-(x**2 + y**2) / 8)
# gabor = np.exp(-(x**2 + y**2) / 8) * np.cos(1.2 * x)
# assert isotropy(gaussian) > 0.99 and isotropy(gabor) < 0.5
# ```
# The chapter's `radial_symmetry` compares the filter with rotated copies of itself instead;
# both are 1 for a radially symmetric filter and low for an oriented one.
# :::

