"""Training Chapter 1's network: stage 1 through the task (the paper's setting), then our Hebbian
stage 2 for K¹; and the trained network's parts the analysis reads.

Stage 1 learns ℓ⁰, ℓ¹ and K¹ with Adam on the cross-entropy of noisy crops (learning rate
``cfg.lr`` with its schedule). Stage 2 keeps ℓ⁰ and
ℓ¹ fixed (learning rate ``cfg.later_lr``); K¹ follows ``K¹ ← (1 − η) K¹ + η · g / (C k²) · C̊(h₀)``
(:func:`emergence.models.lateral.hebbian_step`) while the head re-learns the task.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from emergence.models.lateral import LateralV1Net, accuracy, train_lateral
from emergence.profiles import make_generator

from .config import LieConfig, architecture, record_steps
from .images import Sampler


def train_network(cfg: LieConfig, sample: Sampler, n_classes: int, seed: int,
                  device: torch.device, *, hebbian: bool = True, progress: bool = True) -> dict:
    """Stage 1 — ℓ⁰, ℓ¹ and K¹ through the task for ``cfg.steps`` steps (snapshots at
    :func:`~emergence.experiments.lie.config.record_steps`) — then, with ``hebbian``, our
    stage 2: ℓ⁰ and ℓ¹ fixed, K¹ by the Hebbian rule, the head on the task. Test accuracy on
    ``cfg.n_test`` fresh images before, after stage 1 and after stage 2. Random streams
    ``init``, ``test``, ``train`` of ``seed``."""
    net = LateralV1Net(n_classes=n_classes, generator=make_generator(seed, "init"),
                       **architecture(cfg))
    x_test, y_test = sample(cfg.n_test, make_generator(seed, "test"))
    initial_accuracy = accuracy(net.to(device), x_test, y_test)
    started = time.perf_counter()
    generator = make_generator(seed, "train")
    optim = dict(weight_decay=cfg.weight_decay, noise=cfg.noise)
    history = train_lateral(net, sample, cfg.steps, generator, batch_size=cfg.batch,
                            record_at=record_steps(cfg), device=device, progress=progress,
                            lr=cfg.lr, warmup_steps=cfg.warmup_steps,
                            cosine_decay=cfg.cosine_decay, grad_clip=cfg.grad_clip,
                            desc="stage 1: ℓ⁰, ℓ¹, K¹ through the task", **optim)
    out = {"snapshots": history["snapshots"], "loss": history["loss"],
           "stage1_accuracy": accuracy(net, x_test, y_test),
           "stage1_state": {k: v.cpu().clone() for k, v in net.state_dict().items()},
           "initial_accuracy": initial_accuracy, "n_classes": n_classes}
    if hebbian:
        stage2 = train_lateral(net, sample, cfg.stage2_steps, generator, batch_size=cfg.batch,
                               record_at=[cfg.stage2_steps], device=device, train_filters=False,
                               hebbian_rate=cfg.hebbian_rate, hebbian_gain=cfg.hebbian_gain,
                               lr=cfg.later_lr, progress=progress,
                               desc="stage 2: K¹ Hebbian, head on the task", **optim)
        out |= {"loss_stage2": stage2["loss"],
                "lateral_stage2": stage2["snapshots"][-1]["lateral"],
                "accuracy": accuracy(net, x_test, y_test)}
    out["state"] = {k: v.cpu() for k, v in net.state_dict().items()}
    out["train_seconds"] = time.perf_counter() - started
    return out


def load_network(cfg: LieConfig, trained: dict, state: str = "state") -> LateralV1Net:
    """The trained network of :func:`train_network`'s output ``trained`` (``state``:
    ``"state"`` after both stages, ``"stage1_state"`` after stage 1)."""
    net = LateralV1Net(n_classes=trained["n_classes"], **architecture(cfg))
    net.load_state_dict(trained[state])
    return net


def effective_filters(cfg: LieConfig, l0: torch.Tensor, l1: torch.Tensor) -> np.ndarray:
    """``E_i = ℓ⁰ ∗ ℓ¹_i`` for the snapshot filters ``l0`` (k0, k0) and ``l1`` (C, k1, k1)."""
    net = LateralV1Net(n_classes=2, **architecture(cfg) | {"n_filters": len(l1)})
    with torch.no_grad():
        net.l0.weight[0, 0] = l0
        net.l1.weight[:, 0] = l1
    return net.effective_filters().numpy()


def v1_activity(net: LateralV1Net, images: torch.Tensor) -> np.ndarray:
    """Per V1 unit, the fraction of (image, position) pairs where its response ``h₀`` is
    positive."""
    with torch.no_grad():
        active = (net.v1(images) > 0).float()
        return active.mean(dim=(0, 2, 3)).numpy()
