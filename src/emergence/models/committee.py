"""The fully connected two-layer "soft committee" of Ingrosso & Goldt (2022), for ``B``
independent networks simulated together.

Network ``b`` with ``K`` hidden units and second-layer weights fixed to 1 (mean-field scaling)::

    ŷ(x) = (1/K) Σ_k erf(λ_k / √2),        λ_k = w_k · x / √D + b_k

trained by online SGD (one fresh sample per step and network, batch size 1) as in the authors'
code: the loss is the mean squared error over two output heads ``(ŷ, −ŷ)`` against the targets
``(y, −y)``, which is ``ℓ = (ŷ − y)²``, and the learning rate is ``lr · K`` for the weights and
``lr · K / D`` for the biases (the paper's "0.05·K" and "0.05·K/D" for ``lr = 0.05``). With
``∂ erf(λ/√2) / ∂λ = √(2/π) exp(−λ²/2)`` one step is exactly::

    δ_k = (ŷ − y) √(2/π) exp(−λ_k² / 2)
    w_k ← w_k − 2 lr δ_k x / √D,      b_k ← b_k − 2 lr δ_k / D

(the factor K of the learning rate cancels the 1/K of the read-out, the 2 comes from the
derivative of the square).

The biases are trainable and start at +1 for the first half of the neurons and −1 for the other:
with zero biases the network is an odd function of ``x`` and cannot tell the two classes apart
(both are symmetric under ``x → −x``). The two halves become the two populations of the paper.

The steps run in a numba-compiled loop in float64 (inputs are drawn ahead in blocks by the task,
in float32, since they do not depend on the weights); it is exact online SGD and deterministic
under a seed. Compiled functions are cached on disk, so only the first call in a fresh
environment pays the compilation (a few seconds).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import torch

from emergence.profiles import require_positive
from emergence.progress import progress_bar

SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
INV_SQRT_2 = 1 / math.sqrt(2)

#: Floats of input drawn per block (all networks together): about 8 MB of float32.
BLOCK_FLOATS = 2_000_000


def initial_parameters(n_networks: int, K: int, D: int, generator: torch.Generator,
                       weight_std: float = 0.1) -> tuple[torch.Tensor, torch.Tensor]:
    """Weights ``(B, K, D)`` with ``N(0, weight_std²)`` entries and biases ``(B, K)``: +1 for
    the first ``K/2`` neurons, −1 for the rest."""
    require_positive("n_networks", n_networks, integer=True)
    require_positive("K", K, integer=True)
    require_positive("D", D, integer=True)
    require_positive("weight_std", weight_std)
    if K % 2:
        raise ValueError(f"K={K!r} is not allowed; it must be even (half the neurons start "
                         "with bias +1, half with −1).")
    weights = weight_std * torch.randn((n_networks, K, D), generator=generator)
    biases = torch.ones((n_networks, K))
    biases[:, K // 2:] = -1.0
    return weights, biases


def committee_output(weights: torch.Tensor, biases: torch.Tensor,
                     x: torch.Tensor) -> torch.Tensor:
    """``ŷ`` for weights ``(B, K, D)``, biases ``(B, K)`` and inputs ``x (n, B, D)`` → ``(n, B)``.
    """
    D = weights.shape[-1]
    lam = torch.einsum("bkd,nbd->nbk", weights.to(x.dtype), x) / math.sqrt(D) + biases.to(x.dtype)
    return torch.erf(lam / math.sqrt(2)).mean(-1)


def committee_accuracy(weights: torch.Tensor, biases: torch.Tensor, x: torch.Tensor,
                       y: torch.Tensor) -> torch.Tensor:
    """Fraction of correct signs of ``ŷ`` per network for ``x (n, B, D)``, ``y (n, B)``."""
    return (torch.sign(committee_output(weights, biases, x)) == y).float().mean(0)


@numba.njit(cache=True, nogil=True)
def _sgd_one_network(W, b, xs, ys, net, lr):  # pragma: no cover - compiled
    """Online SGD of network ``net`` over the block ``xs (n, B, D)``, ``ys (n, B)``.

    ``W`` is that network's weights transposed, ``(D, K)``, so that the K pre-activations are
    accumulated side by side (vectorised without reordering any sum).
    """
    D, K = W.shape
    inv_sqrt_d = 1.0 / math.sqrt(D)
    lam = np.empty(K, dtype=W.dtype)
    step = np.empty(K, dtype=W.dtype)
    for t in range(xs.shape[0]):
        x = xs[t, net]
        lam[:] = 0.0
        for d in range(D):
            xd = x[d]
            for k in range(K):
                lam[k] += W[d, k] * xd
        yhat = 0.0
        for k in range(K):
            lam[k] = lam[k] * inv_sqrt_d + b[k]
            yhat += math.erf(lam[k] * INV_SQRT_2)
        error = yhat / K - ys[t, net]
        for k in range(K):
            delta = error * SQRT_2_OVER_PI * math.exp(-0.5 * lam[k] * lam[k])
            step[k] = 2.0 * lr * delta * inv_sqrt_d
            b[k] -= 2.0 * lr * delta / D
        for d in range(D):
            xd = x[d]
            for k in range(K):
                W[d, k] -= step[k] * xd


@numba.njit(cache=True, nogil=True)
def _sgd_block(W, b, xs, ys, lr):  # pragma: no cover - compiled
    """Online SGD of all networks: ``W (B, D, K)``, ``b (B, K)``, one block of inputs."""
    for net in range(W.shape[0]):
        _sgd_one_network(W[net], b[net], xs, ys, net, lr)


def sgd_steps(weights: np.ndarray, biases: np.ndarray, xs: np.ndarray, ys: np.ndarray,
              lr: float) -> None:
    """Take ``n`` online SGD steps in place (module docstring), one sample per step and network.

    ``weights (B, D, K)`` and ``biases (B, K)`` are float64 numpy arrays (the weights
    *transposed*), ``xs (n, B, D)`` and ``ys (n, B)`` the inputs and labels ±1.
    """
    n_networks, D, K = weights.shape
    if biases.shape != (n_networks, K) or xs.shape[1:] != (n_networks, D) \
            or ys.shape != xs.shape[:2]:
        raise ValueError(f"shapes do not fit: weights {weights.shape} (B, D, K), biases "
                         f"{biases.shape} (B, K), xs {xs.shape} (n, B, D), ys {ys.shape} (n, B).")
    _sgd_block(weights, biases, xs, ys, float(lr))


def train_committees(task, K: int, t_max: float, generator: torch.Generator, *,
                     lr: float = 0.05, snapshot_times=(), n_test: int = 4000,
                     desc: str = "online SGD", progress: bool = True) -> dict:
    """Train one soft committee per network of ``task`` by online SGD up to time ``t_max``.

    Time is ``t = steps / D`` as in the paper. ``lr`` is the paper's nominal learning rate: the
    weights move with ``lr · K`` and the biases with ``lr · K / D`` on the loss ``(ŷ − y)²``
    (module docstring for the exact update). Returns ``times`` (the snapshot times actually
    taken, rounded to whole steps), ``weights`` ``(n_snapshots, B, K, D)``, ``biases``
    ``(n_snapshots, B, K)``, ``final_weights`` ``(B, K, D)``, the final ``accuracy`` ``(B,)`` on
    ``n_test`` fresh samples and ``initial_bias_sign`` ``(K,)``.
    """
    require_positive("t_max", t_max)
    require_positive("lr", lr)
    require_positive("n_test", n_test, integer=True)
    D, B = task.D, task.n_networks
    n_steps = max(1, round(t_max * D))
    marks = sorted({min(n_steps, max(0, round(t * D))) for t in snapshot_times})
    weights, biases = initial_parameters(B, K, D, generator)
    initial_bias_sign = biases[0].clone()
    W = np.ascontiguousarray(weights.double().numpy().transpose(0, 2, 1))  # (B, D, K)
    b = biases.double().numpy().copy()

    def snapshot():
        return (torch.from_numpy(W.transpose(0, 2, 1)).float().clone(),
                torch.from_numpy(b).float().clone())

    # Inputs are drawn in blocks of `chunk` steps whatever the snapshot times, so that the
    # trajectory does not depend on them; a block is cut where a snapshot falls inside it.
    chunk = max(1, BLOCK_FLOATS // (B * D))
    starts = range(0, n_steps, chunk)
    records = [snapshot()] if marks and marks[0] == 0 else []

    def draw(m):
        xs, ys = task.sample(m, generator)
        return xs.cpu().numpy(), ys.cpu().numpy()

    # The next block is drawn in a second thread while this one trains (both release the GIL).
    # The draws happen one after the other, in order, on the one generator: deterministic.
    with ThreadPoolExecutor(max_workers=1) as pool, \
            progress_bar(total=n_steps, desc=desc, disable=not progress, mininterval=1.0,
                         unit="step") as bar:
        pending = pool.submit(draw, min(chunk, n_steps))
        for start in starts:
            end = min(start + chunk, n_steps)
            xs, ys = pending.result()
            if end < n_steps:
                pending = pool.submit(draw, min(chunk, n_steps - end))
            cuts = [m for m in marks if start < m < end] + [end]
            done = start
            for cut in cuts:
                sgd_steps(W, b, xs[done - start:cut - start], ys[done - start:cut - start], lr)
                bar.update(cut - done)
                done = cut
                if cut in marks:  # (a short list)
                    records.append(snapshot())
    final_weights, final_biases = snapshot()
    x_test, y_test = task.sample(n_test, generator)
    return {
        "times": torch.tensor(marks, dtype=torch.float64) / D,
        "weights": torch.stack([w for w, _ in records]) if records else torch.empty(0),
        "biases": torch.stack([bias for _, bias in records]) if records else torch.empty(0),
        "final_weights": final_weights,
        "accuracy": committee_accuracy(final_weights, final_biases, x_test.cpu(), y_test.cpu()),
        "initial_bias_sign": initial_bias_sign,
    }
