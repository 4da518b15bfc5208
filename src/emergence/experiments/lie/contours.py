"""Beyond the paper: the lateral kernel K¹ learned through a task that needs grouping.

Contour integration (Field, Hayes & Hess 1993; stimuli of :mod:`emergence.data.contours`): is
there a path of aligned Gabor elements among randomly oriented ones? The label is carried only
by the alignment of the path's elements with the path, so a network that pools orientation
energy cannot solve it; a lateral kernel that links co-axial, co-oriented cells — an
association field — can.

The network is the chapter's own: ℓ⁰ and ℓ¹ are those learned through the photographs (stage 1)
and stay fixed, so that the filters, their Gabor fits and the filter-overlap control are the
ones the task kernel is judged with; K¹ starts again from its initialisation (random stream
``contour-init``), the head is new (two classes), and both learn through the contour task:

``h₀ = ReLU(ℓ¹ ∗ ℓ⁰ ∗ x)``,  ``h_{t+1} = ReLU(h₀ + K¹ ∗ h_t)``,  logits = head(h_n).
"""

from __future__ import annotations

import time

import torch

from emergence.data.contours import contour_images
from emergence.models.lateral import LateralV1Net, accuracy, train_lateral
from emergence.profiles import make_generator

from .config import LieConfig, architecture

#: The layers kept from the network trained on the photographs.
FIXED_LAYERS = ("l0.", "l1.")


def contour_sampler(cfg: LieConfig):
    """``sample(n, generator) → (x, y)``: fresh contour stimuli of ``cfg.contour_size`` px (y = 1
    when the path's elements are aligned with it)."""
    def sample(n: int, generator: torch.Generator):
        return contour_images(n, generator, size=cfg.contour_size)
    return sample


def contour_network(cfg: LieConfig, stage1_state: dict, seed: int) -> LateralV1Net:
    """The chapter's network for two classes with ℓ⁰ and ℓ¹ of ``stage1_state`` (the state
    after stage 1) and K¹ and the head drawn afresh (random stream ``contour-init`` of
    ``seed``)."""
    net = LateralV1Net(n_classes=2, generator=make_generator(seed, "contour-init"),
                       **architecture(cfg))
    filters = {k: v for k, v in stage1_state.items() if k.startswith(FIXED_LAYERS)}
    net.load_state_dict(filters, strict=False)
    return net


def train_contour_network(cfg: LieConfig, stage1_state: dict, seed: int,
                          device: torch.device, *, progress: bool = True) -> dict:
    """K¹ and the head of :func:`contour_network` through contour integration:
    ``cfg.contour_steps`` Adam steps on batches of ``cfg.contour_batch`` fresh stimuli at the
    constant learning rate ``cfg.contour_lr``, the chapter's weight decay and
    gradient clipping, no added noise, ℓ⁰ and ℓ¹ fixed. Returns the kernel at the start
    (``init_lateral``) and at the end (``lateral``), ℓ⁰ and ℓ¹ at the end (``filters``:
    ``l0``, ``l1``, unchanged), the loss, and the test accuracy on ``cfg.n_test`` fresh stimuli
    before and after (random streams ``contour-test`` and ``contour-train``)."""
    net = contour_network(cfg, stage1_state, seed).to(device)
    sample = contour_sampler(cfg)
    x_test, y_test = sample(cfg.n_test, make_generator(seed, "contour-test"))
    initial_accuracy = accuracy(net, x_test, y_test)
    started = time.perf_counter()
    history = train_lateral(net, sample, cfg.contour_steps, make_generator(seed, "contour-train"),
                            batch_size=cfg.contour_batch, lr=cfg.contour_lr,
                            weight_decay=cfg.weight_decay, grad_clip=cfg.grad_clip, noise=0.0,
                            train_filters=False, record_at=[0, cfg.contour_steps],
                            device=device, progress=progress,
                            desc="contour integration: K¹ and head through the task")
    first, last = history["snapshots"][0], history["snapshots"][-1]
    return {"init_lateral": first["lateral"], "lateral": last["lateral"],
            "filters": {"l0": last["l0"], "l1": last["l1"]},
            "loss": history["loss"], "initial_accuracy": initial_accuracy,
            "accuracy": accuracy(net, x_test, y_test),
            "train_seconds": time.perf_counter() - started}
