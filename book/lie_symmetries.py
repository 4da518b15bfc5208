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
import dataclasses
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown, display

from emergence.analysis.connectivity import (
    BEYOND_CONTROL_MARGIN,
    association_field,
    cocircular_field,
    coupling_matrix,
    lift_kernel,
    model_association_field,
    orientation_difference,
    orientation_selectivity,
)
from emergence.analysis.filters import (
    GABOR_MAX_ERROR,
    LOG_MAX_ERROR,
    LOG_MIN_SIGMA,
    RADIAL_MIN,
    SURROUND_MIN,
    fit_log,
    is_gabor_like,
    radial_profile,
    radial_symmetry,
)
from emergence.book.glue import glue_values
from emergence.book.results import write_results
from emergence.cache import cached, default_cache_dir
from emergence.claims import HOLDING, Claim, claims_table, counts_text
from emergence.data.cifar import cifar10_or_none
from emergence.data.natural import SKIMAGE_PHOTOS, load_skimage_photos
from emergence.experiments.lie import (
    K1_CLAIMS,
    KERNEL_STREAMS,
    LIE_MIN,
    all_kernel_measures,
    analyse_filters,
    cached_se2_model,
    cifar_source,
    config_for,
    filter_claims,
    judge_l0,
    k1_claims,
    k1_record,
    kernel_statistics,
    load_network,
    photo_source,
    record_steps,
    run_key,
    task_kernel_record,
    train_network,
    well_fitted,
)
from emergence.experiments.lie_search import (
    HELD_OUT_SEED,
    LEVER_CLAIMS,
    LEVER_PERMUTATIONS,
    lever_label,
    lever_summary,
    load_lever_record,
)
from emergence.models.lateral import lateral_operator_norm, white_noise_kernel
from emergence.plotting import (
    OKABE_ITO,
    SEQUENTIAL_CMAP,
    SIGNED_CMAP,
    bar_segments,
    draw_bars,
    use_book_style,
)
from emergence.profiles import start_run
from emergence.widgets import figure_frames, snapshot_explorer

run = start_run(PROFILE, DEVICE, SEED, RESULTS_DIR)
use_book_style()
torch.set_num_threads(max(1, min(torch.get_num_threads(), 2)))
# Every size and setting of this page (src/emergence/experiments/lie.py: LieConfig, with
# PROFILE_CHANGES for the profile); all our choices, since the paper's could not be read.
cfg = config_for(run.profile)
print(run.describe(dataclasses.asdict(cfg)))

# %% [markdown]
# ## 1. The data: natural images, rotated so that orientations are balanced
#
# The paper trains on natural images. Offline — and at the `cpu` and `smoke` profiles — we use
# the natural photographs that scikit-image ships inside its package (no download). A training
# image is a crop of one photograph at a random position, a random scale (1–3 photo pixels per
# crop pixel, log-uniform) and a **random rotation in [0, 2π)**, converted to grey and
# standardised *(our choices)*. Its label is the photograph it came from: a discrimination task
# that, with rotations and scales drawn at random, can only be solved from rotation-invariant
# texture statistics. The random rotations matter: a handful of photographs is far from
# isotropic, and without them the learned filters crowd at the photographs' dominant
# orientation, which keeps ℓ⁰ from becoming radially symmetric (section 7 shows why); natural
# images as a whole are close to isotropic.
#
# At the `paper` profile the page uses CIFAR-10 in grey (downloaded once into the cache, its MD5
# checked), with the same random rotations; offline it falls back to the photographs and says so
# below.

# %% tags=["hide-input"]
# Figure: Grid of random training images, each titled with its label.
sample, n_classes = photo_source(load_skimage_photos(), cfg)
label_names, labelled_by = [name.rsplit(".", 1)[0] for name in SKIMAGE_PHOTOS], "photograph"
data_note = (f"scikit-image bundled photographs ({', '.join(SKIMAGE_PHOTOS)}), random "
             f"{cfg.crop}x{cfg.crop} crops, scales 1-3, "
             + ("rotations 0-360 deg" if cfg.rotate else "no rotations"))
if cfg.use_cifar:
    cifar, notice = cifar10_or_none(default_cache_dir() / "cifar10")
    if cifar is None:
        display(Markdown(f"**Notice.** {notice}"))
    else:
        sample, n_classes = cifar_source(torch.from_numpy(cifar[0]), torch.from_numpy(cifar[1]))
        label_names, labelled_by = [f"class {c}" for c in range(n_classes)], "CIFAR-10 class"
        data_note = "CIFAR-10 (train), grey, random rotations"
x_show, y_show = sample(24, run.generator("show", "cpu"))
fig, axes = plt.subplots(3, 8, figsize=(10, 4.8))
for ax, x, y in zip(axes.flat, x_show, y_show, strict=True):
    ax.imshow(x[0], cmap="gray")
    ax.set_title(label_names[int(y)], fontsize=10)
    ax.set(xticks=[], yticks=[])
fig.suptitle(f"Training images ({x_show.shape[-1]}×{x_show.shape[-1]} px), labelled by "
             f"{labelled_by}")
plt.show()
glue_values("ch1_", data=data_note, n_classes=n_classes)

# %% [markdown]
# *Random training images with their labels ({glue:text}`ch1_n_classes` classes). Data used on
# this page: {glue:text}`ch1_data`.*
#
# ## 2. The network
#
# *(our reconstruction of the paper's architecture; its sizes, in the table below, are our
# choices)*
#
# $$ h_0 = \mathrm{ReLU}\big(\ell^1 * (\ell^0 * x)\big), \qquad
#    h_{t+1} = \mathrm{ReLU}\big(h_0 + K^1 * h_t\big),\ t = 0,\dots,n-1, $$
#
# followed by a head that classifies the propagated activity $h_n$. ℓ⁰ is **one** filter (LGN),
# ℓ¹ has C filters applied with a stride (V1 simple cells) and K¹ is a learned C × C kernel
# shared over space (V1 horizontal connections), iterated n times. With K¹ = 0 the propagation
# is the identity on h₀ (tested). Where the table says that ℓ⁰ is rectified, the first equation
# reads $h_0 = \mathrm{ReLU}\big(\ell^1 * \mathrm{ReLU}(\ell^0 * x)\big)$ — one filter followed
# by a ReLU, as in the LGN-CNN that preceded the paper.
#
# Training choices that let the effects emerge *(ours, each justified in section 7; the values
# are in the table)*:
#
# * ℓ¹ has **no bias**: each V1 unit is a half-wave rectified linear filter, active on about
#   half of the positions (a learned threshold lets units fall silent — section 7);
# * ℓ⁰ and ℓ¹ **start small** (a fraction of PyTorch's default); ℓ⁰ starts as a small
#   **identity** (a centre delta) plus random noise of the same norm — the network begins
#   without pre-filtering; K¹ starts tiny;
# * **L2 weight decay** on ℓ⁰, ℓ¹ and K¹;
# * each training image gets **Gaussian noise** with a standard deviation drawn uniformly up to
#   a maximum (a corrupted-image task, as in the KerCNNs that preceded the paper);
# * **stage 1** — the loss is the cross-entropy of the labels alone: everything, K¹ included,
#   is learned through the task, with Adam. This is the paper's setting, and the **paper's
#   claims are judged on this network**.
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
#   contractive. Units that are active together at offset Δ strengthen their connection; every
#   weight decays. The rule converges to $K^1 \propto \mathbb E[\mathring C]$.
#
# Why an extension: a gradient that arrives through global pooling tells K¹ how much of each
# channel the task wants, not which neighbours belong together, so the classification loss alone
# may give K¹ little reason to couple filters by orientation. The Hebbian rule couples the
# responses that occur together across space and orientation — in natural images, the edge
# co-occurrence statistics that the group-based models describe
# {cite:p}`sigman2001common,geisler2001edge` — as horizontal connections in cortex are selected,
# after orientation tuning has formed, between cells with correlated activity
# {cite:p}`lowel1992selection`. It is **not the paper's method**, so its rows in the summary are
# marked *beyond the paper*.
#
# **The filter-overlap control.** Co-activity is orientation structured even without images:
# two similar Gabor filters at neighbouring positions overlap, so their responses to *any* input
# are correlated, most of all when the neighbour lies along the filters' stripes. The kernel the
# Hebbian rule converges to on **white noise** seen through the same learned ℓ⁰ and ℓ¹ — the
# response co-occurrence of the filters alone, the KerCNN kernel of the paper's predecessor —
# is therefore our control for every K¹ measure below: a learned kernel says something about
# natural images, or about the task, only where it goes **beyond** that control, by at least
# {glue:text}`ch1_beyond_margin:.1f` *(our margin)*. We compute it as the rule's fixed point: the
# same Hebbian target (same gain, border margin and standardisation per batch) averaged over
# batches of white-noise images of the training size (tested against the iterated rule).

# %% tags=["hide-input"]
head = (f"{cfg.head_layers - 1} × (3×3 conv, stride 1, ReLU), then " if cfg.head_layers > 1
        else "")
rows = [
    ("ℓ⁰", "1 filter", f"{cfg.k0}×{cfg.k0}",
     "no bias; starts as a centre delta plus noise; "
     + ("**rectified**: ReLU(ℓ⁰ ∗ x)" if cfg.l0_relu else "linear (not rectified)")),
    ("ℓ¹", f"C = {cfg.n_filters} filters", f"{cfg.k1}×{cfg.k1}",
     f"stride {cfg.stride}, {'a' if cfg.l1_bias else 'no'} bias, ReLU; ℓ⁰ and ℓ¹ start at "
     f"{cfg.init_scale:g} × PyTorch's default scale"),
    ("K¹", f"{cfg.n_filters}×{cfg.n_filters}", f"{cfg.k_lateral}×{cfg.k_lateral}",
     f"n = {cfg.n_iterations} iterations; starts uniform in ±{cfg.lateral_init:g}"),
    ("head", f"{cfg.head_layers} conv layer(s), {cfg.head_channels} channels", "3×3",
     f"{head}3×3 conv with stride 2, ReLU, mean pool, linear read-out"),
    ("stage 1", f"{cfg.steps} steps × {cfg.batch} images", f"Adam, lr {cfg.lr:g}",
     f"weight decay {cfg.weight_decay:g}, noise s.d. ≤ {cfg.noise:g}; all weights on the task"),
    ("stage 2", f"{cfg.stage2_steps} steps × {cfg.batch} images", "ℓ⁰, ℓ¹ fixed",
     f"K¹ Hebbian (η = {cfg.hebbian_rate:g}, g = {cfg.hebbian_gain:g}); head on the task"),
]
display(Markdown("| part | size | kernel | notes |\n|" + "---|" * 4 + "\n"
                 + "\n".join("| " + " | ".join(r) + " |" for r in rows)))
glue_values("ch1_", beyond_margin=BEYOND_CONTROL_MARGIN)

# %% tags=["hide-input"]
# Figure: Training loss of the network against the training step, stages 1 and 2.
trained = cached("ch1-lateral-net", run_key(cfg, run.seed, run.device, data_note),
                 lambda: train_network(cfg, sample, n_classes, run.seed, run.device))
snapshots, steps = trained["snapshots"], record_steps(cfg)
initial, final = snapshots[0], snapshots[-1]
net = load_network(cfg, trained, "stage1_state")  # the network trained through the task

fig, ax = plt.subplots(figsize=(6.5, 2.8))
for stage, (loss, start, colour) in enumerate(
        ((trained["loss"].numpy(), 0, OKABE_ITO[0]),
         (trained["loss_stage2"].numpy(), cfg.steps, OKABE_ITO[2])), start=1):
    window = max(1, len(loss) // 50)
    smooth = np.convolve(loss, np.ones(window) / window, mode="valid")
    ax.plot(start + np.arange(len(loss)), loss, color=colour, alpha=0.3, lw=0.8)
    ax.plot(start + np.arange(len(smooth)) + window // 2, smooth, color=colour,
            label=f"stage {stage} (running mean)")
ax.axhline(math.log(n_classes), color="grey", ls=":", lw=1, label="chance (log C)")
ax.set(xlabel="training step", ylabel="cross-entropy", title="training loss")
ax.legend(fontsize=10)
plt.show()
norm_task, norm_hebbian = (lateral_operator_norm(k) for k in (final["lateral"],
                                                             trained["lateral_stage2"]))
glue_values(
    "ch1_", steps=cfg.steps, stage2_steps=cfg.stage2_steps, batch=cfg.batch, n_test=cfg.n_test,
    train_seconds=trained["train_seconds"], device=run.device.type,
    images_per_second=(cfg.steps + cfg.stage2_steps) * cfg.batch / trained["train_seconds"],
    hebbian_time=1 / cfg.hebbian_rate, accuracy_init=trained["initial_accuracy"],
    accuracy_task=trained["stage1_accuracy"], accuracy_hebbian=trained["accuracy"],
    chance=1 / n_classes, norm_task=norm_task, norm_hebbian=norm_hebbian,
    norm_phrase=("below 1: the Hebbian propagation is a contraction" if norm_hebbian < 1 else
                 "not below 1: the Hebbian propagation is not a contraction"),
    accuracy_phrase=("The Hebbian K¹, learned from the co-occurrence of responses and not for "
                     "the task, serves the task less well than the kernel learned through it."
                     if trained["accuracy"] < trained["stage1_accuracy"] else ""))

# %% [markdown]
# *Training loss (cross-entropy of the labels). Stage 1: {glue:text}`ch1_steps` steps of
# {glue:text}`ch1_batch` images, everything learned through the task; stage 2:
# {glue:text}`ch1_stage2_steps` steps with ℓ⁰ and ℓ¹ fixed ({glue:text}`ch1_train_seconds:.0f` s
# in all, {glue:text}`ch1_images_per_second:.0f` images/s on {glue:text}`ch1_device`). When
# stage 2 begins, the Hebbian rule replaces K¹ within about 1/η = {glue:text}`ch1_hebbian_time:.0f`
# steps, which changes the activity the head reads; the head then re-learns.*
#
# **Result.** Test accuracy on {glue:text}`ch1_n_test` fresh images:
# **{glue:text}`ch1_accuracy_task:.3f`** for the network trained through the task (stage 1),
# {glue:text}`ch1_accuracy_hebbian:.3f` after our stage 2, {glue:text}`ch1_accuracy_init:.3f` at
# initialisation (chance {glue:text}`ch1_chance:.3f`). {glue:text}`ch1_accuracy_phrase` Operator
# norm of the lateral map h ↦ K¹ ∗ h (its largest singular value over frequencies):
# {glue:text}`ch1_norm_task:.2f` for the kernel learned through the task,
# {glue:text}`ch1_norm_hebbian:.2f` for the Hebbian kernel — {glue:text}`ch1_norm_phrase`.

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
L0_LIM = max(float(s["l0"].abs().max()) for s in snapshots)  # one colour scale for every ℓ⁰

fig = plt.figure(figsize=(10, 6.8))
top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.5])
shown = np.unique(np.linspace(0, len(snapshots) - 1, min(6, len(snapshots))).round().astype(int))
axes = np.atleast_1d(top.subplots(1, len(shown)))
for ax, i in zip(axes, shown, strict=True):
    im = ax.imshow(snapshots[i]["l0"], cmap=SIGNED_CMAP, vmin=-L0_LIM, vmax=L0_LIM)
    ax.set_title(f"step {steps[i]}\nLoG err {log_fits[i].rel_error:.2f}", fontsize=10)
    ax.set(xticks=[], yticks=[])
top.colorbar(im, ax=axes, shrink=0.8, label="weight")
top.suptitle("ℓ⁰ during training (red positive, blue negative)", fontsize=11)
axes = bottom.subplots(1, 3)
im = axes[0].imshow(log_final.fit, cmap=SIGNED_CMAP, vmin=-L0_LIM, vmax=L0_LIM)
bottom.colorbar(im, ax=axes[0], shrink=0.7)
axes[0].set(title=f"LoG fit of the final ℓ⁰\n(σ = {log_final.sigma:.2f} px)",
            xlabel="x (px)", ylabel="y (px)")
r, mean, std = radial_profile(l0_final, log_final.x0, log_final.y0)
rf, mf, _ = radial_profile(log_final.fit, log_final.x0, log_final.y0)
axes[1].errorbar(r, mean, yerr=std, fmt="o", color=OKABE_ITO[0], label="ℓ⁰ (ring mean ± sd)")
axes[1].plot(rf, mf, "-", color=OKABE_ITO[3], label="LoG fit")
axes[1].axhline(0, color="grey", lw=0.6)
axes[1].set(xlabel="distance from the fitted centre r (px)", ylabel="weight",
            title="radial profile")
axes[1].legend(fontsize=10)
axes[2].plot(steps, [f.rel_error for f in log_fits], "o-", color=OKABE_ITO[3],
             label="LoG relative error")
axes[2].plot(steps, radial, "s-", color=OKABE_ITO[0], label="radial-symmetry score")
axes[2].set(xlabel="training step", ylabel="score / error", title="emergence curve",
            ylim=(min(-0.1, min(radial) - 0.05), 1.1))
axes[2].legend(fontsize=10)
plt.show()
glue_values("ch1_", n_l0_shown=len(shown), log_init=log_init.rel_error,
            log_final=log_final.rel_error, radial_init=radial[0], radial_final=radial[-1],
            log_sigma=log_final.sigma, log_x0=log_final.x0, log_y0=log_final.y0,
            l0_polarity="on" if log_final.amplitude < 0 else "off")

# %% [markdown]
# *Top: the single ℓ⁰ filter at {glue:text}`ch1_n_l0_shown` moments of training, on one colour
# scale. Bottom: the final filter's LoG fit, its radial profile against the fit, and the LoG
# error and radial-symmetry score over training.* **Result.** LoG relative error
# **{glue:text}`ch1_log_init:.2f` → {glue:text}`ch1_log_final:.2f`**, radial-symmetry score
# **{glue:text}`ch1_radial_init:.2f` → {glue:text}`ch1_radial_final:.2f`** (initialisation →
# trained), fitted σ = {glue:text}`ch1_log_sigma:.2f` px, centre
# ({glue:text}`ch1_log_x0:+.2f`, {glue:text}`ch1_log_y0:+.2f`) px,
# {glue:text}`ch1_l0_polarity`-centre (a positive centre is $A<0$ in our LoG convention).
#
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
# **effective receptive field** $E_i = \ell^0 * \ell^1_i$ {glue:text}`ch1_l0_relu_note`. The raw
# ℓ¹ weights are one factor of $E_i$ and can carry components that ℓ⁰ removes (any frequency
# where ℓ⁰ is small); the Gabor structure is therefore clearest in $E_i$, and that is what we fit
# and use below. Both are shown. A fit counts only with a carrier: an isotropic blob fits a
# Gabor of frequency zero perfectly.

# %% tags=["hide-input"]
# Figure: The trained ℓ¹ filters sorted by fitted orientation, with their effective filters and
#   Gabor fits.
gabor = cached("ch1-gabor-fits", run_key(cfg, run.seed, run.device, data_note)
               | {"restarts": cfg.gabor_restarts},
               lambda: analyse_filters(cfg, initial, final, run.seed))
g_init, g_final = gabor["initial"], gabor["final"]
err_init, err_final = g_init["error"].numpy(), g_final["error"].numpy()
err_control = gabor["control"]["error"].numpy()
orientation = g_final["orientation"].numpy()
good = err_final < GABOR_MAX_ERROR
order = np.argsort(orientation)
RAW_LIM = float(final["l1"].abs().max())  # one colour scale per kind of picture, for every
EFF_LIM = float(g_final["effective"].abs().max())  # filter here and in the explorer

n_show, per_block = min(16, cfg.n_filters), min(8, cfg.n_filters)  # two blocks of three rows
fig, axes = plt.subplots(3 * math.ceil(n_show / per_block), per_block, figsize=(10, 7.0),
                         squeeze=False)
kinds = (("ℓ¹ raw", final["l1"], RAW_LIM), ("effective", g_final["effective"], EFF_LIM),
         ("Gabor fit", g_final["fit"], EFF_LIM))
for ax in axes.flat:
    ax.set_axis_off()
for k, i in enumerate(order[np.linspace(0, len(order) - 1, n_show).round().astype(int)]):
    block, col = divmod(k, per_block)
    for row, (name, weights, lim) in enumerate(kinds):
        ax = axes[3 * block + row, col]
        ax.set_axis_on()
        im = ax.imshow(weights[i], cmap=SIGNED_CMAP, vmin=-lim, vmax=lim)
        ax.set(xticks=[], yticks=[], ylabel=name if col == 0 else "")
        if col == per_block - 1:
            fig.colorbar(im, ax=axes[3 * block + row, :], shrink=0.9, pad=0.01,
                         ticks=[-lim, 0, lim], format="%.2g")
    axes[3 * block, col].set_title(f"{math.degrees(orientation[i]):.0f}°", fontsize=10)
    axes[3 * block + 2, col].set_xlabel(f"err {err_final[i]:.2f}", fontsize=10)
fig.suptitle("Trained ℓ¹ filters sorted by fitted orientation (title); fit error below")
plt.show()

# %% [markdown]
# *In each block of three rows: the raw ℓ¹ weights, the effective receptive fields ℓ⁰ ∗ ℓ¹ and
# their Gabor fits, for filters spread over the range of orientations (one colour scale for each
# kind of picture); below: the relative fit error.*

# %% tags=["hide-input"]
# Figure: Histograms of the Gabor fit errors, orientations and spatial frequencies of the ℓ¹
#   filters.
fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
bins = np.linspace(0, 1.2, 25)
axes[0].hist(err_init, bins=bins, color=OKABE_ITO[1], alpha=0.8, label="initialisation")
axes[0].hist(err_control, bins=bins, color="grey", alpha=0.6,
             label="control: trained ℓ⁰ ∗ noise")
axes[0].hist(err_final, bins=bins, color=OKABE_ITO[0], alpha=0.8, label="trained")
axes[0].axvline(GABOR_MAX_ERROR, color="k", ls=":", lw=1, label=f"good fit < {GABOR_MAX_ERROR}")
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
    active = (net.v1(sample(500, run.generator("probe", "cpu"))[0]) > 0).float()
    active = active.mean(dim=(0, 2, 3)).numpy()
n_silent = int((active < 0.01).sum())
orient_resultant = float(np.abs(np.exp(2j * orientation[good]).mean())) if good.any() else 1.0
glue_values("ch1_", gabor_init=np.median(err_init), gabor_final=np.median(err_final),
            gabor_raw_init=np.median(g_init["error_raw"].numpy()),
            gabor_raw_final=np.median(g_final["error_raw"].numpy()),
            gabor_control=np.median(err_control), n_good=int(good.sum()), n_filters=len(good),
            gabor_max=GABOR_MAX_ERROR, orient_resultant=orient_resultant, n_silent=n_silent,
            median_active=np.median(active),
            l0_relu_note=("(with ℓ⁰ rectified, as here, Eᵢ is the receptive field only where ℓ⁰'s "
                          "response is positive)" if cfg.l0_relu else ""))

# %% [markdown]
# *Left: Gabor fit errors of the effective filters, initialisation vs trained, and of the
# control. Middle and right: orientations and frequencies of the well-fitted trained filters.*
# **Result.** Median Gabor error **{glue:text}`ch1_gabor_init:.2f` →
# {glue:text}`ch1_gabor_final:.2f`** (effective filters; raw ℓ¹:
# {glue:text}`ch1_gabor_raw_init:.2f` → {glue:text}`ch1_gabor_raw_final:.2f`). A smoothing ℓ⁰
# makes *any* filter smoother and so easier to fit; the control — the trained ℓ⁰ composed with
# white-noise ℓ¹ filters — has a median error of {glue:text}`ch1_gabor_control:.2f`, so only the
# part of the improvement below that line is Gabor structure. **{glue:text}`ch1_n_good` of
# {glue:text}`ch1_n_filters`** trained filters are well fitted (error <
# {glue:text}`ch1_gabor_max:.1f`). How evenly their orientations cover the half-circle: the mean
# resultant length of 2θ is {glue:text}`ch1_orient_resultant:.2f` (0 for balanced orientations,
# 1 if all were equal). **{glue:text}`ch1_n_silent`** of {glue:text}`ch1_n_filters` V1 units are
# silent (active at fewer than 1 % of positions on test images; median activity
# {glue:text}`ch1_median_active:.0%`): a silent unit has a filter but no responses for K¹ to
# learn from.

# %% [markdown]
# ## 5. Is the lateral kernel K¹ orientation selective?
#
# The coupling between filters i and j is their total *excitatory* lateral weight
# $s_{ij} = \sum_\Delta \max(K^1_{ij}(\Delta), 0)$ — the part that propagates activity, and
# the part the association fields below are drawn from *(our choice; the result for
# $\sum_\Delta |K^1_{ij}(\Delta)|$ is reported too)*. We divide it by the geometric mean of its
# row and column averages (removing how strongly a filter couples overall) and correlate it,
# over pairs i ≠ j, with $\cos 2(\theta_i - \theta_j)$: 1 for equal orientations, −1 for
# orthogonal ones. The p-value comes from shuffling the orientations among the filters
# (one-sided). Only well-fitted filters, whose orientation is meaningful, enter.
#
# Four kernels are compared: the kernel **learned through the task** (stage 1, the paper's
# setting — the one the paper's claim is about), the **filter-overlap control** (section 2), our
# **Hebbian** kernel (stage 2, beyond the paper) and the kernel at initialisation. A learned
# kernel is called orientation selective only if its statistic is significant *and* beyond the
# control's by the margin of section 2.

# %% tags=["hide-input"]
# The measures of sections 5 and 6 for each kernel, over the well-fitted filters
# (emergence.experiments.lie.kernel_measures). The kernel at initialisation is judged against
# the learned kernel's shuffles, so it needs only its statistics (and its own selectivity test).
keep = well_fitted(err_final)
theta, centres, sub = orientation[keep], g_final["centre"].numpy()[keep], np.ix_(keep, keep)
kernels = {
    "task": final["lateral"].numpy(),  # learned through the task (stage 1): the paper's claim
    "overlap": white_noise_kernel(net, cfg.crop, cfg.overlap_batches,
                                  run.generator("overlap", "cpu"), batch_size=cfg.batch,
                                  gain=cfg.hebbian_gain).numpy(),  # the filter-overlap control
    "hebbian": trained["lateral_stage2"].numpy(),  # our stage 2, beyond the paper
    "init": initial["lateral"].numpy(),
}
control = kernels["overlap"][sub]
model = cached_se2_model(cfg, run.seed)  # the direction-process kernels Γ_σ of section 6
measures, reported = all_kernel_measures(  # in two processes; each kernel its own random stream
    cfg, {name: kernels[name][sub] for name in ("task", "overlap", "hebbian")}, control, theta,
    centres, model, run.seed)
measures["init"] = kernel_statistics(cfg, kernels["init"][sub], control, theta, centres, model)
measures["init"]["selectivity"] = orientation_selectivity(
    coupling_matrix(kernels["init"][sub], "positive"), theta, cfg.n_permutations,
    np.random.default_rng([run.seed, KERNEL_STREAMS["init"]]))

# %% tags=["hide-input"]
# Figure: Lateral coupling against orientation difference, the coupling matrix, and the
#   permutation test of orientation selectivity.
NAMES = {"task": "learned through the task", "overlap": "filter-overlap control",
         "hebbian": "Hebbian (beyond the paper)", "init": "initialisation"}
COLOURS = {"task": OKABE_ITO[2], "overlap": "grey", "hebbian": OKABE_ITO[0],
           "init": OKABE_ITO[1]}
couplings = {name: coupling_matrix(k[sub], "positive") for name, k in kernels.items()}
selectivity = {name: m["selectivity"] for name, m in measures.items()}
fig, axes = plt.subplots(1, 3, figsize=(10, 4.6))
diffs = np.degrees(orientation_difference(theta[:, None], theta[None, :]))
off = ~np.eye(len(keep), dtype=bool)
edges = np.linspace(0, 90, 7)
for name, coupling in couplings.items():
    s = coupling / coupling[off].mean()
    in_bin = [off & (diffs >= lo) & (diffs < hi + 1e-9)
              for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    axes[0].scatter(diffs[off], s[off], s=4, color=COLOURS[name], alpha=0.2)
    axes[0].plot((edges[:-1] + edges[1:]) / 2, [s[b].mean() if b.any() else np.nan
                                                for b in in_bin],
                 "o-", color=COLOURS[name], label=NAMES[name])
axes[0].set(xlabel="|θᵢ − θⱼ| (degrees)", ylabel="coupling / mean coupling",
            title="coupling vs orientation\ndifference (bin means)")
by_theta = np.argsort(theta)
im = axes[1].imshow(couplings["task"][np.ix_(by_theta, by_theta)], cmap=SEQUENTIAL_CMAP)
ticks = np.linspace(0, len(by_theta) - 1, min(5, len(by_theta))).round().astype(int)
labels = [f"{math.degrees(theta[by_theta][t]):.0f}°" for t in ticks]
axes[1].set_xticks(ticks, labels)
axes[1].set_yticks(ticks, labels)
axes[1].set(xlabel="filter j (sorted by orientation)", ylabel="filter i",
            title="task-learned coupling\nΣ max(K¹ᵢⱼ, 0)")
fig.colorbar(im, ax=axes[1], shrink=0.8)
axes[2].hist(selectivity["task"]["null"], bins=40, color=OKABE_ITO[2], alpha=0.4,
             label="task kernel with shuffled θ")
for name, style in (("task", "-"), ("overlap", "-"), ("hebbian", "-."), ("init", "--")):
    axes[2].axvline(selectivity[name]["statistic"], color=COLOURS[name], lw=2, ls=style)
axes[2].set(xlabel="selectivity statistic", ylabel="permutations",
            title="permutation test\n(lines: the four kernels)")
handles, labels = axes[0].get_legend_handles_labels()
handles.append(axes[2].patches[0])
labels.append("task kernel with shuffled θ")
fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=10)
plt.show()
glue_values("ch1_", n_permutations=cfg.n_permutations, n_keep=len(keep),
            **{f"sel_{name}": t["statistic"] for name, t in selectivity.items()},
            **{f"sel_{name}_p": t["p_value"] for name, t in selectivity.items()},
            sel_task_beyond=selectivity["task"]["statistic"]
            - selectivity["overlap"]["statistic"],
            sel_hebbian_beyond=selectivity["hebbian"]["statistic"]
            - selectivity["overlap"]["statistic"],
            sel_abs=reported["selectivity_abs"]["statistic"],
            sel_abs_p=reported["selectivity_abs"]["p_value"])

# %% [markdown]
# *Left: normalised coupling of every pair of well-fitted filters against their orientation
# difference (dots) and its bin means (lines), for the four kernels. Middle: the coupling matrix
# of the kernel learned through the task, filters sorted by orientation — a bright diagonal band
# would mean similar orientations are coupled. Right: the statistics of the four kernels against
# the task kernel's shuffled-orientation null distribution.*
#
# **Result.** Selectivity statistic ({glue:text}`ch1_n_permutations` shuffles,
# {glue:text}`ch1_n_keep` filters): kernel learned through the task
# **{glue:text}`ch1_sel_task:+.3f`** (p = **{glue:text}`ch1_sel_task_p:.4f`**); filter-overlap
# control **{glue:text}`ch1_sel_overlap:+.3f`** (p = {glue:text}`ch1_sel_overlap_p:.4f`); Hebbian
# kernel {glue:text}`ch1_sel_hebbian:+.3f` (p = {glue:text}`ch1_sel_hebbian_p:.4f`);
# initialisation {glue:text}`ch1_sel_init:+.3f` (p = {glue:text}`ch1_sel_init_p:.3f`). Task
# kernel minus control: {glue:text}`ch1_sel_task_beyond:+.3f`; Hebbian kernel minus control:
# {glue:text}`ch1_sel_hebbian_beyond:+.3f`. With the absolute coupling Σ|K¹ᵢⱼ| of the task kernel
# instead: {glue:text}`ch1_sel_abs:+.3f` (p = {glue:text}`ch1_sel_abs_p:.4f`).
#
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
# of it lies on the line along θᵢ, −1 when all lies across, 0 when isotropic; its mean over
# references is tested against shuffled orientations *(our measure)*. Overlapping receptive
# fields alone already put coupling along the stripes, which is why the control matters here.
#
# **Lifting the learned kernel.** For a reference filter i and a filter j at lattice offset Δ
# (the stride of ℓ¹ per step, plus the difference of the two filters' fitted centres), the
# excitatory weight $\max(K^1_{ij}(\Delta), 0)$ is placed at
# $(R_{-\theta_i}\Delta,\ \theta_j - \theta_i)$ — the learned connectivity seen from each
# filter's own frame; averaged over reference filters, it is drawn beside Γ on the same grid.
# The **Lie-symmetry score** *(our measure)* asks whether these lifted kernels agree: the mean
# correlation between the lifted kernels of different reference filters in their own frames,
# minus the same in raw image coordinates — above 0 for an SE(2)-invariant connectivity.
#
# **The quantitative comparison.** The model predicts every learned weight: K¹ᵢⱼ(Δ) should
# follow $\Gamma(R_{-\theta_i}\Delta,\ \theta_j - \theta_i)$. We correlate the excitatory
# weights $\max(K^1_{ij}(\Delta), 0)$ of all well-fitted pairs and offsets (self-loops left out)
# with that prediction **at equal distance** |Δ|: both sides first lose the mean of their
# ½-px distance shell *(our choice)*. Any local kernel falls off with distance, and so does Γ;
# that shared fall-off is not SE(2) structure, and it dominates the plain correlation. What is
# left is how a weight depends on the *direction* of Δ relative to θᵢ and on θⱼ − θᵢ, which is
# what the model's invariance is about. σ is fitted by the best correlation; the controls are
# the kernel at initialisation and the learned kernel with the filters' orientations shuffled
# (σ fitted afresh for each shuffle; a one-sided p-value). The filter-overlap control follows
# the model too, so the claim is judged by the **partial correlation given the control**: both
# the learned weights and the model's prediction lose their least-squares fit on the control's
# weights (at equal distance as well) before they are correlated — what the learned kernel has
# of the model beyond what the overlap of the filters gives. A kernel equal (or proportional)
# to the control scores 0. The plain correlation is reported too.

# %% tags=["hide-input"]
# Figure: Association fields: the learned lateral kernel of one reference filter beside the SE(2)
#   model and the co-circular field.
RADIUS, CENTRE_CELL = model["radius"], cfg.k_lateral // 2
LATTICE = (np.arange(cfg.k_lateral) - CENTRE_CELL) * cfg.stride
EXTENT = [LATTICE[0] - 1, LATTICE[-1] + 1, LATTICE[-1] + 1, LATTICE[0] - 1]
K_TASK = kernels["task"]


def task_field(i):
    """The association field of filter i in the task-learned kernel (well-fitted neighbours)."""
    return association_field(np.clip(K_TASK[i][keep], 0, None), theta, cfg.stride)


def orientation_line(ax, angle, style):
    return ax.plot([-RADIUS * math.cos(angle), RADIUS * math.cos(angle)],
                   [-RADIUS * math.sin(angle), RADIUS * math.sin(angle)], style,
                   color=OKABE_ITO[1])[0]


ref = keep[np.argmax(couplings["task"].sum(1))]  # the filter with the most excitatory input
similar = keep[orientation_difference(theta, orientation[ref]) < math.pi / 8]
best_model = model["kernels"][measures["task"]["se2"]["best_sigma"]]
fig, axes = plt.subplots(1, 4, figsize=(10, 3.9))
im = axes[0].imshow(np.clip(K_TASK[ref, similar], 0, None).sum(0), cmap=SEQUENTIAL_CMAP,
                    extent=EXTENT)
fig.colorbar(im, ax=axes[0], shrink=0.7)
orientation_line(axes[0], orientation[ref], "--").set_label("orientation of i")
axes[0].set(title=f"task K¹ from similar\nfilters into i = {ref}", xlabel="Δx (px)",
            ylabel="Δy (px)")
axes[0].legend(fontsize=10, loc="lower right")
draw_bars(axes[1], task_field(ref), OKABE_ITO[0], RADIUS)
orientation_line(axes[1], orientation[ref], ":")
axes[1].set_title("task-learned association\nfield of i")
draw_bars(axes[2], model_association_field(best_model, model["grid"]), OKABE_ITO[3], RADIUS)
axes[2].set_title(f"SE(2) model,\nσ = {measures['task']['se2']['best_sigma']}")
draw_bars(axes[3], cocircular_field(RADIUS - 1, 9), OKABE_ITO[2], RADIUS)
axes[3].set_title("Field–Hayes–Hess\n(co-circular)")
for ax in axes[1:]:
    ax.set_ylabel("")
plt.show()
coaxial = {name: m["coaxial"] for name, m in measures.items()}
glue_values("ch1_", ref=int(ref), ref_degrees=math.degrees(orientation[ref]),
            **{f"coax_{name}": t["statistic"] for name, t in coaxial.items()},
            **{f"coax_{name}_p": coaxial[name]["p_value"] for name in ("task", "overlap",
                                                                        "hebbian")},
            coax_task_shuffled=coaxial["task"]["shuffled"])

# %% [markdown]
# *Left: excitatory lateral input of the kernel learned through the task into reference filter
# {glue:text}`ch1_ref` (orientation {glue:text}`ch1_ref_degrees:.0f`°, dashed) from the filters
# within 22.5° of its orientation, by offset. Second: its association field — at each offset a
# bar with the orientation of the most strongly coupled filter, thickness ∝ coupling. Third: the
# association field of the direction-process model (reference along x; orientation of the most
# probable continuation). Right: the co-circular fan of Field, Hayes & Hess (1993).*
#
# **Result.** Co-axial elongation of the short-range coupling between similarly oriented
# filters: kernel learned through the task **{glue:text}`ch1_coax_task:+.3f`** against
# {glue:text}`ch1_coax_task_shuffled:+.3f` with shuffled orientations
# (p = {glue:text}`ch1_coax_task_p:.3f`); filter-overlap control
# **{glue:text}`ch1_coax_overlap:+.3f`** (p = {glue:text}`ch1_coax_overlap_p:.3f`); Hebbian
# kernel {glue:text}`ch1_coax_hebbian:+.3f` (p = {glue:text}`ch1_coax_hebbian_p:.3f`);
# initialisation {glue:text}`ch1_coax_init:+.3f`.

# %% tags=["hide-input"]
# Figure: The lifted lateral connectivity in the reference frame, one panel per orientation
#   difference: the task-learned kernel, the filter-overlap control and the model.
def mean_lifted(kernel):
    """The lifted kernel averaged over reference filters, over the cells each covers (NaN where
    none does); the self-coupling cell is left out."""
    maps = lift_kernel(kernel[sub], theta, model["grid"], cfg.stride, centres)
    covered = np.isfinite(maps)
    mean = np.where(covered, maps, 0.0).sum(0) / np.maximum(covered.sum(0), 1)
    mean[~covered.any(0)] = np.nan
    mean[CENTRE_CELL, CENTRE_CELL] = np.nan
    return mean


rows_shown = (("learned\n(task)", mean_lifted(K_TASK)),
              ("overlap\ncontrol", mean_lifted(kernels["overlap"])), ("model", best_model))
n_theta = best_model.shape[-1]
th_edges = model["grid"][1]
fig, axes = plt.subplots(3, n_theta, figsize=(10, 6.6))
for row, (label, maps) in enumerate(rows_shown):
    scaled = maps / np.nanmax(maps)  # one colour scale per row: its largest value is 1
    for t in range(n_theta):
        im = axes[row, t].imshow(scaled[..., t], cmap=SEQUENTIAL_CMAP, vmin=0, vmax=1,
                                 extent=[-RADIUS, RADIUS, RADIUS, -RADIUS])
        axes[row, t].set(xticks=[], yticks=[])
        if row == 0:
            axes[row, t].set_title(
                f"Δθ = {math.degrees((th_edges[t] + th_edges[t + 1]) / 2):.0f}°", fontsize=10)
    axes[row, 0].set_ylabel(label, fontsize=10)
    fig.colorbar(im, ax=axes[row, :], shrink=0.9, pad=0.01, ticks=[0, 0.5, 1])
fig.suptitle("Connectivity in each filter's own frame, by orientation difference Δθ")
plt.show()
fits = {name: (m["se2"], m["se2_partial"]) for name, m in measures.items()}
glue_values(
    "ch1_", radius=RADIUS, best_sigma=str(fits["task"][0]["best_sigma"]),
    n_se2_shuffles=len(fits["task"][0]["null"]),
    n_partial_shuffles=len(fits["task"][1]["null"]),
    **{f"se2_{name}": f[0]["correlation"] for name, f in fits.items()},
    **{f"partial_{name}": f[1]["correlation"] for name, f in fits.items()},
    **{f"se2_{name}_shuffled": fits[name][0]["shuffled"] for name in ("task", "overlap")},
    **{f"se2_{name}_p": fits[name][0]["p_value"] for name in ("task", "overlap", "hebbian")},
    **{f"partial_{name}_p": fits[name][1]["p_value"] for name in ("task", "hebbian")},
    plain_task=reported["se2_plain"]["correlation"],
    plain_sigma=str(reported["se2_plain"]["best_sigma"]),
    plain_task_shuffled=reported["se2_plain"]["shuffled"],
    plain_task_p=reported["se2_plain"]["p_value"],
    plain_init=measures["init"]["se2_plain"]["correlation"],
    **{f"lie_{name}": m["lie"]["score"] for name, m in measures.items()},
    lie_task_aligned=measures["task"]["lie"]["aligned"],
    lie_task_raw=measures["task"]["lie"]["raw"])

# %% [markdown]
# *Top: the kernel learned through the task, lifted to SE(2) and averaged over the
# {glue:text}`ch1_n_keep` reference filters (offset rotated into each filter's frame, axes
# ±{glue:text}`ch1_radius:.0f` px; the self-coupling cell is left out). Middle: the
# filter-overlap control, lifted the same way. Bottom: the direction-process kernel with the σ
# that fits the task kernel best, on the same grid. Each row has one colour scale, its largest
# value 1.*
#
# **Result.** Correlation of the learned weights with the SE(2) model's prediction at equal
# distance: kernel learned through the task **{glue:text}`ch1_se2_task:+.3f`** (best σ =
# {glue:text}`ch1_best_sigma`; with shuffled orientations
# {glue:text}`ch1_se2_task_shuffled:+.3f` on average, p = {glue:text}`ch1_se2_task_p:.3f`,
# {glue:text}`ch1_n_se2_shuffles` shuffles); filter-overlap control
# **{glue:text}`ch1_se2_overlap:+.3f`** (shuffled {glue:text}`ch1_se2_overlap_shuffled:+.3f`,
# p = {glue:text}`ch1_se2_overlap_p:.3f`); Hebbian kernel {glue:text}`ch1_se2_hebbian:+.3f`
# (p = {glue:text}`ch1_se2_hebbian_p:.3f`); initialisation {glue:text}`ch1_se2_init:+.3f`.
# **Partial correlation given the control**: task kernel **{glue:text}`ch1_partial_task:+.3f`**
# (p = {glue:text}`ch1_partial_task_p:.3f`, {glue:text}`ch1_n_partial_shuffles` shuffles),
# Hebbian kernel {glue:text}`ch1_partial_hebbian:+.3f` (p =
# {glue:text}`ch1_partial_hebbian_p:.3f`), initialisation {glue:text}`ch1_partial_init:+.3f`, the
# control itself {glue:text}`ch1_partial_overlap:+.3f`. The plain correlation of the task
# kernel, distance fall-off included: {glue:text}`ch1_plain_task:+.3f` (σ =
# {glue:text}`ch1_plain_sigma`) against {glue:text}`ch1_plain_task_shuffled:+.3f` with shuffled
# orientations (p = {glue:text}`ch1_plain_task_p:.3f`) and {glue:text}`ch1_plain_init:+.3f` at
# initialisation. **Lie-symmetry score**: task kernel **{glue:text}`ch1_lie_task:+.3f`**
# (aligned {glue:text}`ch1_lie_task_aligned:.3f`, raw {glue:text}`ch1_lie_task_raw:.3f`);
# filter-overlap control **{glue:text}`ch1_lie_overlap:+.3f`**; Hebbian kernel
# {glue:text}`ch1_lie_hebbian:+.3f`; initialisation {glue:text}`ch1_lie_init:+.3f`.

# %% [markdown]
# ### Would another setting let the task teach K¹ this structure?
#
# The gradient reaching K¹ through a pooled read-out may simply say too little. Before settling
# on this page's setting we trained the network through the task (stage 1 only) under four
# levers *(our choices)*: a **ReLU after ℓ⁰** (the LGN-CNN that preceded the paper rectifies
# its one filter), a **deeper head** (two more 3×3 convolutions before the pooling, so that the
# gradient keeps spatial structure longer), **stronger input noise**, alone and **with more
# propagation iterations** (a task in which propagation pays), and all of them together; and,
# to save time, cheaper versions of the most robust of these (stronger noise with five
# iterations): a shorter stage 1, a smaller batch, a 5×5 K¹ with five or six iterations or 1200
# steps (each try ended at the first choice seed that lost ℓ⁰ or ℓ¹).
# Settings were compared on seeds 1–3 only. The 7×7 K¹ with stronger noise and five iterations
# is the one under which ℓ⁰ and ℓ¹ held on most of them, but it costs twice the lateral
# multiply-adds of a 5×5 K¹ (49 against 25 per pair of cells), too slow for this profile's
# budget of four minutes on two cores: the `cpu` profile keeps the most robust setting within
# it, the same with a 5×5 K¹, and the `paper` profile the 7×7 K¹. Seed
# {glue:text}`ch1_held_out_seed` was kept out of the choice and run only for the first setting
# and these two. The table is the search's record (`python benchmarks/lie_levers.py`,
# {glue:text}`ch1_lever_shuffles` shuffles per test), not recomputed on this page: about three
# minutes per setting and seed.

# %% tags=["hide-input"]
# The record of benchmarks/lie_levers.py (emergence.experiments.lie_search): per setting, in how
# many of the choice seeds each claim's criterion held, and the held-out seed's verdicts.
levers = lever_summary(load_lever_record())
page_levers = {name: getattr(cfg, name) for name in levers[0]["levers"]}
claim_heads = ("ℓ⁰ LoG", "ℓ¹ Gabor", "K¹ selective", "co-axial", "SE(2)", "Lie score")


def held_out_text(verdicts: dict | None) -> str:
    if verdicts is None:
        return "not run"
    held = [head for head, claim in zip(claim_heads, LEVER_CLAIMS, strict=True) if verdicts[claim]]
    return ", ".join(held) if held else "none"


header = "| setting | " + " | ".join(claim_heads) + " | held-out seed: holds | accuracy |"
lines = [header, "|" + "---|" * (3 + len(claim_heads))]
for entry in levers:
    n = len(entry["choice_seeds"])
    mark = " **(this page)**" if entry["levers"] == page_levers else ""
    lines.append(
        f"| {lever_label(entry['levers'], levers[0]['levers'])}{mark} | "
        + " | ".join(f"{entry['holds'][c]}/{n}" for c in LEVER_CLAIMS)
        + f" | {held_out_text(entry['held_out'])} | "
        f"{entry['accuracy'][0]:.2f}–{entry['accuracy'][1]:.2f} |")
display(Markdown("\n".join(lines)))
any_k1 = max(e["holds"][c] for e in levers for c in LEVER_CLAIMS[2:])
glue_values("ch1_", held_out_seed=HELD_OUT_SEED,
            lever_shuffles=LEVER_PERMUTATIONS, chance_levers=levers[0]["chance"],
            lever_k1_phrase=(
                "No setting made any K¹ claim hold on more than "
                f"{any_k1} of its {len(levers[0]['choice_seeds'])} seeds"
                if any_k1 < len(levers[0]["choice_seeds"]) else
                "A K¹ claim held on every seed of at least one setting"))

# %% [markdown]
# *Each claim's cell: in how many of the choice seeds its criterion held (the K¹ claims
# against the filter-overlap control, as in the summary below). Accuracy: stage-1 test accuracy
# over all the setting's seeds (chance {glue:text}`ch1_chance_levers:.3f`); a range reaching
# chance means that a seed did not learn the task.* {glue:text}`ch1_lever_k1_phrase`.

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
# which needs isotropic image statistics: hence the random rotations. Without them the dominant
# orientations of a few photographs reach ℓ¹ unbalanced: the filters tend to share one
# orientation, the balance then makes ℓ⁰ an oriented blob, and K¹ has no range of orientations
# to be selective over. {glue:text}`ch1_l0_relu_balance`
#
# **The phase of ℓ⁰.** The balance fixes only the *magnitude* $|\hat\ell^0(\omega)|$. Its phase
# can be undone by ℓ¹ at no cost, so it is whatever the dynamics inherit from the initial weights:
# from small random weights every frequency keeps a random phase and ℓ⁰ ends as a ring-shaped
# spectrum with a scrambled, noise-like spatial profile, a poor fit to a LoG. A LoG is the
# *zero-phase* filter with that magnitude. Starting ℓ⁰ near the identity (a delta has zero phase
# at every frequency) gives it a coherent phase, so the magnitude that training shapes shows up
# as a centred, radially symmetric band-pass filter. Weight decay together with small supports
# also favours compact, zero-phase factorisations, but far too slowly for a CPU budget.
#
# **The lateral kernel.** Orientation selectivity of K¹ needs orientation-diverse filters first,
# and then a reason: the lateral kernel learns only what helps its loss. Through the task alone
# (stage 1, the paper's setting) the reason may be weak: a photo-discrimination task read out by
# global pooling can be solved from pooled texture energy, which needs no contours. The Hebbian
# rule of our stage 2 connects the responses that occur together — but much of that
# co-occurrence comes from the overlap of the filters' receptive fields and would be there on
# white noise; what natural edges add is only the part beyond the filter-overlap control. A
# lateral "filling-in" loss (K¹ predicting each response from its neighbours, a linear
# regression) would not learn the co-occurrence: a regression on strongly redundant neighbours
# puts its weight on whichever neighbour predicts best, mostly the nearest ones in every
# direction. Two more details matter: the co-occurrence is taken away from the crop's border,
# where the filters see the image's zero padding as straight edges along the border; and ℓ⁰, ℓ¹
# are learned first and then kept fixed (a lateral objective trained jointly with ℓ¹ from the
# start also shapes the filters, and blurs them), hence the two stages.
#
# **Why ℓ¹ has no bias.** A learned threshold per V1 unit can silence it: training on noisy
# images, where a threshold removes noise, pushes the threshold up until the unit never fires,
# and weight decay then shrinks its filter towards zero. A silent unit has no responses, so a
# lateral rule has nothing to learn its connections from. Without a bias, a unit with a
# zero-mean filter fires on about half of the positions of a zero-mean image and cannot fall
# silent that way (section 4 counts the silent units of this run). Whether a network trained
# longer on CIFAR-10, as in the paper, learns a lateral kernel beyond the overlap of its filters
# through the task alone is the open question of this page (the `paper` profile has not been
# run).
#
# Below we check the balance on the trained network (small supports let it hold only
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
for ax, m, name in ((axes[0], l0_hat, "|ℓ̂⁰(ω)|²"), (axes[1], predicted, "(Σᵢ |Êᵢ(ω)|²)^½")):
    im = ax.imshow(m, cmap=SEQUENTIAL_CMAP, extent=[-0.5, 0.5, 0.5, -0.5])
    ax.set(title=name, xlabel="ωx (cycles / px)", ylabel="ωy (cycles / px)")
    fig.colorbar(im, ax=ax, shrink=0.8)
plt.show()
glue_values("ch1_", balance=balance, l0_relu_balance=(
    "In this run ℓ⁰ is rectified, so ℓ⁰ and ℓ¹ are not linear in a row and the argument holds "
    "only for the part of the input that ℓ⁰ passes." if cfg.l0_relu else ""))

# %% [markdown]
# *Left: the power spectrum of the trained ℓ⁰. Right: the prediction of the balance argument
# from the effective filters. Their correlation over frequencies is
# **{glue:text}`ch1_balance:.3f`**; a ring means a radially symmetric band-pass ℓ⁰.*
#
# ## 8. Explore: filters, fits and connectivity; ℓ⁰ over training
#
# Move the first slider through the filters (sorted by orientation): the raw ℓ¹ weights, the
# effective receptive field, its Gabor fit, and the excitatory lateral input it receives by
# offset and its association field in the kernel learned through the task — every frame on the
# same colour scales and bar widths. The second explorer steps through training for ℓ⁰. The
# pictures were rendered when the page was built and are linked in the browser, so both work in
# the static book.

# %% tags=["hide-input"]
LATERAL_MAX = float(np.clip(K_TASK, 0, None).sum(1).max())  # one scale for every frame, as
BAR_MAX = max(float(task_field(i)[3].max()) for i in order)  # RAW_LIM and EFF_LIM (section 4)
filter_fig, frame = plt.subplot_mosaic([["raw"] * 2 + ["eff"] * 2 + ["fit"] * 2,
                                        ["lateral"] * 3 + ["field"] * 3], figsize=(7.2, 5.4))
k_eff = g_final["effective"].shape[-1]
pictures = {
    "raw": frame["raw"].imshow(np.zeros((cfg.k1, cfg.k1)), cmap=SIGNED_CMAP, vmin=-RAW_LIM,
                               vmax=RAW_LIM),
    **{key: frame[key].imshow(np.zeros((k_eff, k_eff)), cmap=SIGNED_CMAP, vmin=-EFF_LIM,
                              vmax=EFF_LIM) for key in ("eff", "fit")},
    "lateral": frame["lateral"].imshow(np.zeros((cfg.k_lateral, cfg.k_lateral)),
                                       cmap=SEQUENTIAL_CMAP, vmin=0, vmax=LATERAL_MAX,
                                       extent=EXTENT)}
for key, title in (("raw", "ℓ¹ raw"), ("eff", "effective ℓ⁰ ∗ ℓ¹"), ("fit", "Gabor fit"),
                   ("lateral", "excitatory input Σⱼ K¹⁺ᵢⱼ(Δ)")):
    im = pictures[key]
    filter_fig.colorbar(im, ax=frame[key], shrink=0.8, format="%.2g",
                        ticks=[im.norm.vmin, (im.norm.vmin + im.norm.vmax) / 2, im.norm.vmax])
    frame[key].set_title(title, fontsize=11)
    if key != "lateral":
        frame[key].set(xticks=[], yticks=[])
frame["lateral"].set(xlabel="Δx (px)", ylabel="Δy (px)")
bars = draw_bars(frame["field"], task_field(order[0]), OKABE_ITO[0], RADIUS, BAR_MAX)
line = orientation_line(frame["field"], 0.0, ":")
frame["field"].set_title("association field", fontsize=11)
heading = filter_fig.suptitle("")


def show_filter(k):
    i = order[k]
    for key, w in (("raw", final["l1"][i]), ("eff", g_final["effective"][i]),
                   ("fit", g_final["fit"][i]), ("lateral", np.clip(K_TASK[i], 0, None).sum(0))):
        pictures[key].set_data(np.asarray(w))
    frame["fit"].set_title(f"Gabor fit (error {err_final[i]:.2f})", fontsize=11)
    segments, widths = bar_segments(*task_field(i), BAR_MAX)
    bars.set_segments(segments)
    bars.set_linewidths(widths)
    c, s = math.cos(orientation[i]), math.sin(orientation[i])
    line.set_data([-RADIUS * c, RADIUS * c], [-RADIUS * s, RADIUS * s])
    heading.set_text(f"filter {i}: orientation {math.degrees(orientation[i]):.0f}°, "
                     f"f = {float(g_final['freq'][i]):.2f} cycles/px")


filter_explorer = snapshot_explorer(  # each frame redraws only what show_filter changes
    {"trained filters": figure_frames(filter_fig, show_filter, len(order), changing=[
        *pictures.values(), frame["fit"].title, bars, line, heading])},
    [f"#{int(i)} ({math.degrees(orientation[i]):.0f}°)" for i in order],
    frame_description="filter")
display(filter_explorer)

PROFILES = [(radial_profile(s["l0"].numpy(), f.x0, f.y0), radial_profile(f.fit, f.x0, f.y0))
            for s, f in zip(snapshots, log_fits, strict=True)]
low = min(min(m - sd) for (_, m, sd), _ in PROFILES)
high = max(max(m + sd) for (_, m, sd), _ in PROFILES)
pad = 0.05 * (high - low) + 1e-9
R_MAX = max(max(r_) for (r_, _, _), _ in PROFILES) + 0.3
l0_fig, l0_axes = plt.subplots(1, 2, figsize=(6.6, 2.8))
l0_picture = l0_axes[0].imshow(np.zeros((cfg.k0, cfg.k0)), cmap=SIGNED_CMAP, vmin=-L0_LIM,
                               vmax=L0_LIM)
l0_fig.colorbar(l0_picture, ax=l0_axes[0], shrink=0.8, format="%.2g")
l0_axes[0].set(xticks=[], yticks=[])


def show_l0(k):
    l0_picture.set_data(snapshots[k]["l0"].numpy())
    l0_axes[0].set_title(f"ℓ⁰ at step {steps[k]}")
    (rr, mm, ss), (rf_, mf_, _) = PROFILES[k]
    l0_axes[1].cla()
    l0_axes[1].errorbar(rr, mm, yerr=ss, fmt="o", color=OKABE_ITO[0], ms=3)
    l0_axes[1].plot(rf_, mf_, "-", color=OKABE_ITO[3])
    l0_axes[1].set(xlabel="r (px)", ylabel="weight", xlim=(-0.2, R_MAX),
                   ylim=(low - pad, high + pad),
                   title=f"LoG err {log_fits[k].rel_error:.2f}, radial {radial[k]:.2f}")


l0_explorer = snapshot_explorer({"ℓ⁰": figure_frames(l0_fig, show_l0, len(snapshots))},
                                [f"step {s}" for s in steps], frame_description="training step")
display(l0_explorer)

# %% [markdown]
# ## Reproduction summary
#
# Each claim of the paper is judged on this run by a machine-checked criterion, on the network
# trained **through the task** (stage 1, the paper's setting), and beside it the same criterion
# is applied to **controls** — cases that must not show the effect. A claim counts as reproduced
# only when the criterion holds and every control fails it; the verdict is computed, never
# typed. The paper states these effects qualitatively (its numbers could not be read), so the
# thresholds are ours:
#
# * **ℓ⁰** — LoG error at most {glue:text}`ch1_log_max:.1f`, fitted σ at least
#   {glue:text}`ch1_log_min_sigma:.1f` px, radial symmetry at least
#   {glue:text}`ch1_radial_min:.1f` and a surround of at least {glue:text}`ch1_surround_min:.2f`
#   of the centre's weight. Controls: the initial ℓ⁰ and a centred delta, which fits a LoG with
#   a small error and is perfectly symmetric, but has no surround.
# * **ℓ¹** — Gabor fits with a carrier (section 4). Controls: the trained ℓ⁰ composed with
#   smoothed-noise filters, noise with the trained filters' amplitude spectrum, the
#   initialisation.
# * **K¹** — each criterion asks for more than the filter-overlap control gives, by
#   {glue:text}`ch1_beyond_margin:.1f` (the SE(2) fit: a partial correlation given the control of
#   at least that much); the control's own value against the raw part of the criterion is shown
#   in its cell, and compared with itself it fails. A shuffled-orientation control meets a
#   criterion when the shuffles reach the observed statistic at least one time in twenty
#   (p ≥ 0.05); the kernel at initialisation is judged against the same shuffles. The
#   Lie-symmetry score has no shuffle test; its criterion is a threshold of ours (score ≥
#   {glue:text}`ch1_lie_min:.2f`) besides the margin.
#
# The same K¹ measures on our Hebbian stage 2 are listed last, marked *beyond the paper*: an
# extension of ours, judged against the same control, not the paper's result. The `paper`
# profile (CIFAR-10, {glue:text}`ch1_paper_filters:d` filters, {glue:text}`ch1_paper_steps:,d` +
# {glue:text}`ch1_paper_stage2_steps:,d` steps) has not been run by this book. The numbers go to
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
#   the task (`statistic`, `p_value`), at initialisation (`init_*`, its own shuffles) and with
#   the absolute coupling (`abs_coupling_*`) (section 5).
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
l0_judged = judge_l0(initial["l0"].numpy(), l0_final)
claims = [
    *filter_claims(l0_judged, gabor),
    # the paper's K¹ claims, on the kernel learned through the task (emergence.experiments.lie)
    *k1_claims(measures["task"], measures["init"], measures["overlap"]),
    Claim(id="test_accuracy",
          claim="test accuracy of the network trained through the task (our "
                "photo-discrimination task)",
          paper="— (the paper's task is not ours)", source="not applicable",
          ours=f"{trained['stage1_accuracy']:.3f} (chance {1 / n_classes:.3f}; "
               f"{trained['accuracy']:.3f} after our Hebbian stage 2)",
          setting="our photo-discrimination task, not the paper's",
          value=trained["stage1_accuracy"], criterion="reported", holds=None,
          beyond_paper=True),
    *k1_claims(measures["hebbian"], measures["init"], measures["overlap"], hebbian=True),
]
verdicts = {c.id: c.verdict for c in claims}
# whether each effect of the paper is shown, on the network trained through the task
checks = {key: verdicts[key] in HOLDING for key in ("l0_log_like", "l1_gabor_like", *K1_CLAIMS)}
display(Markdown(claims_table(claims, run.profile)))
display(Markdown(f"*Profile `{run.profile}`, seed {run.seed}, data: {data_note}. Verdicts: "
                 f"{counts_text(claims)}.*"))
if run.profile == "smoke":
    display(Markdown("*The `smoke` profile only proves that the code runs; it trains far too "
                     "briefly for any effect, so the table above says nothing about the "
                     "science.*"))
paper_cfg = config_for("paper")
glue_values("ch1_", radial_min=RADIAL_MIN, log_max=LOG_MAX_ERROR, log_min_sigma=LOG_MIN_SIGMA,
            surround_min=SURROUND_MIN, lie_min=LIE_MIN, paper_filters=paper_cfg.n_filters,
            paper_steps=paper_cfg.steps, paper_stage2_steps=paper_cfg.stage2_steps)

# %% tags=["hide-input"]
path = write_results(run, "lie_symmetries", {
    "dataset": data_note,
    "log_rel_error": {"init": log_init.rel_error, "trained": log_final.rel_error},
    "log_sigma": log_final.sigma,
    "l0_centre_surround": {name: dataclasses.asdict(j) for name, j in l0_judged.items()},
    "radial_symmetry": {"init": radial[0], "trained": radial[-1]},
    "gabor_median_error": {
        "init": float(np.median(err_init)), "trained": float(np.median(err_final)),
        "control_smoothed_noise": float(np.median(err_control)),
        "control_spectrum_matched": float(np.median(gabor["spectrum_matched"]["error"].numpy()))},
    "gabor_like_fraction": {
        name: float(is_gabor_like(bank["error"].numpy(), bank["cycles"].numpy()).mean())
        for name, bank in (("init", g_init), ("trained", g_final),
                           ("control_smoothed_noise", gabor["control"]),
                           ("control_spectrum_matched", gabor["spectrum_matched"]))},
    "gabor_median_error_raw_l1": {"init": float(np.median(g_init["error_raw"].numpy())),
                                  "trained": float(np.median(g_final["error_raw"].numpy()))},
    "gabor_fraction_good": float(good.mean()),
    "silent_v1_units": n_silent,
    "orientation_resultant_length": orient_resultant,
    **task_kernel_record(measures, reported),
    "lateral_operator_norm": {"task": norm_task, "hebbian": norm_hebbian},
    "overlap_control": k1_record(measures["overlap"], partial=False)
    | {"white_noise_images": cfg.overlap_batches * cfg.batch},
    "hebbian": k1_record(measures["hebbian"]) | {"test_accuracy": trained["accuracy"]},
    "beyond_control_margin": BEYOND_CONTROL_MARGIN,
    "test_accuracy": trained["stage1_accuracy"],
    "initial_accuracy": trained["initial_accuracy"],
    "fourier_balance_correlation": balance,
    "effects_hold": checks,
    "claims": [c.to_dict() for c in claims],
    "train_seconds": trained["train_seconds"],
    "train_images_per_second": (cfg.steps + cfg.stage2_steps) * cfg.batch
    / trained["train_seconds"],
}, data=data_note)
print(f"headline numbers written to {path} ({run.elapsed():.0f} s for this page)")

# %% [markdown]
# ## Exercises
#
# **1. ★ Predict, then run.** The training crops are rotated by a random angle so that every
# orientation is equally frequent. Predict what switching this off (`cfg =
# config_for(run.profile, rotate=False)` in the first code cell) could do to ℓ⁰ and to the
# orientations of the ℓ¹ filters, then run it and compare the radial-symmetry score and the
# orientation histogram.
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
# about one time in twenty. Section 5 reports the untrained kernel's p-value for this run.
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

