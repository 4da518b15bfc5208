"""The fully connected two-layer "soft committee" of Ingrosso & Goldt (2022), for ``B``
independent networks simulated together.

Network ``b`` with ``K`` hidden units and second-layer weights fixed to 1 (mean-field scaling)::

    ŷ(x) = (1/K) Σ_k erf(λ_k / √2),        λ_k = w_k · x / √D + b_k

trained by online SGD (one fresh sample per step and network) on the squared loss
``ℓ = ½ (ŷ − y)²`` with learning rate ``η K`` for the weights and ``η K / D`` for the biases.
With ``∂ erf(λ/√2) / ∂λ = √(2/π) exp(−λ²/2)`` one step is::

    δ_k = (ŷ − y) √(2/π) exp(−λ_k² / 2)
    w_k ← w_k − η δ_k x / √D,      b_k ← b_k − (η / D) δ_k

The biases are trainable and start at +1 for the first half of the neurons and −1 for the other:
with zero biases the network is an odd function of ``x`` and cannot tell the two classes apart
(both are symmetric under ``x → −x``). The two halves become the two populations of the paper.
"""

from __future__ import annotations

import math

import torch

from emergence.profiles import require_positive

SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


class SoftCommittee:
    """``B`` soft committees with weights ``W`` of shape ``(B, K, D)`` and biases ``(B, K)``."""

    def __init__(self, n_networks: int, K: int, D: int, generator: torch.Generator,
                 weight_std: float = 0.1, device: torch.device | str = "cpu"):
        require_positive("n_networks", n_networks, integer=True)
        require_positive("K", K, integer=True)
        require_positive("D", D, integer=True)
        require_positive("weight_std", weight_std)
        if K % 2:
            raise ValueError(f"K={K!r} is not allowed; it must be even (half the neurons start "
                             "with bias +1, half with −1).")
        self.K, self.D = K, D
        self.W = weight_std * torch.randn((n_networks, K, D), generator=generator, device=device)
        self.b = torch.ones((n_networks, K), device=device)
        self.b[:, K // 2:] = -1.0
        self.initial_bias_sign = self.b[0].clone()

    def preactivations(self, x: torch.Tensor) -> torch.Tensor:
        """``λ = W x / √D + b`` for ``x`` of shape ``(B, D)`` or ``(B, n, D)``."""
        if x.dim() == 2:
            return torch.einsum("bkd,bd->bk", self.W, x) / math.sqrt(self.D) + self.b
        return torch.einsum("bkd,bnd->bnk", self.W, x) / math.sqrt(self.D) + self.b[:, None, :]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """``ŷ(x)`` for ``x`` of shape ``(B, D)`` → ``(B,)`` or ``(B, n, D)`` → ``(B, n)``."""
        return torch.erf(self.preactivations(x) / math.sqrt(2)).mean(-1)

    def sgd_step(self, x: torch.Tensor, y: torch.Tensor, lr: float) -> None:
        """One online SGD step (module docstring); one sample per network, ``x (B, D)``, ``y (B,)``.
        """
        lam = torch.baddbmm(self.b.unsqueeze(-1), self.W, x.unsqueeze(-1),
                            alpha=1 / math.sqrt(self.D)).squeeze(-1)
        error = torch.erf(lam * (1 / math.sqrt(2))).mean(-1) - y
        delta = torch.exp(lam.square().mul_(-0.5)).mul_(error.unsqueeze(-1) * SQRT_2_OVER_PI)
        self.W.baddbmm_(delta.unsqueeze(-1), x.unsqueeze(1), alpha=-lr / math.sqrt(self.D))
        self.b.add_(delta, alpha=-lr / self.D)

    def accuracy(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Fraction of correct signs per network for ``x (n, B, D)``, ``y (n, B)``."""
        yhat = self(x.transpose(0, 1))
        return (torch.sign(yhat) == y.T).float().mean(-1)


def train_committees(task, K: int, t_max: float, generator: torch.Generator, *,
                     lr_scale: float = 0.05, snapshot_times=(), n_test: int = 4000,
                     desc: str = "online SGD", progress: bool = True) -> dict:
    """Train one soft committee per network of ``task`` by online SGD up to time ``t_max``.

    Time is ``t = steps / D`` as in the paper; the learning rate is ``η = lr_scale · K``.
    Returns ``times`` (the snapshot times actually taken, rounded to whole steps),
    ``weights`` ``(n_snapshots, B, K, D)``, ``biases`` ``(n_snapshots, B, K)``, the final
    ``accuracy`` ``(B,)`` on ``n_test`` fresh samples and ``initial_bias_sign`` ``(K,)``.
    """
    from emergence.train import train

    require_positive("t_max", t_max)
    D, device = task.D, task.device
    n_steps = max(1, round(t_max * D))
    steps = sorted({min(n_steps, max(0, round(t * D))) for t in snapshot_times})
    net = SoftCommittee(task.n_networks, K, D, generator, device=device)
    lr = lr_scale * K
    records = train(lambda x, y: net.sgd_step(x, y, lr), lambda m: task.sample(m, generator),
                    n_steps, record_at=steps,
                    record=lambda: (net.W.cpu().clone(), net.b.cpu().clone()),
                    chunk=2000, desc=desc, progress=progress)
    x_test, y_test = task.sample(n_test, generator)
    return {
        "times": torch.tensor(steps, dtype=torch.float64) / D,
        "weights": torch.stack([w for w, _ in records]) if records else torch.empty(0),
        "biases": torch.stack([b for _, b in records]) if records else torch.empty(0),
        "final_weights": net.W.cpu(),
        "accuracy": net.accuracy(x_test, y_test).cpu(),
        "initial_bias_sign": net.initial_bias_sign.cpu(),
    }
