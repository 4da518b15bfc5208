"""A convolutional counterpart of the soft committee: the same read-out, but each hidden unit is
a filter shared over all positions of the ring or torus (weight sharing built in).

For channel ``k`` with filter ``w_k`` (as large as the input, so its location is free) the
pre-activation at position ``p`` is the circular cross-correlation::

    λ_kp = (1/√D) Σ_i w_k,i x_(i+p) + b_k

computed with FFTs, followed by ``erf(·/√2)``, average pooling over positions and the fixed
read-out ``ŷ = (1/K) Σ_k mean_p erf(λ_kp/√2)``. The biases start at ±1 as in the committee.
If the fully connected network has learned convolutional structure, its localised receptive
fields should look like these filters up to a shift.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from emergence.profiles import require_positive


class ConvCommittee(nn.Module):
    """``K`` circular filters of shape ``(L,)`` or ``(L, L)``, then erf, pooling and read-out."""

    def __init__(self, K: int, L: int, dim: int, generator: torch.Generator,
                 weight_std: float = 0.1):
        super().__init__()
        require_positive("K", K, integer=True)
        require_positive("L", L, integer=True)
        if dim not in (1, 2):
            raise ValueError(f"dim={dim!r} is not allowed; choose one of 1 (ring), 2 (torus).")
        if K % 2:
            raise ValueError(f"K={K!r} is not allowed; it must be even (biases start at ±1).")
        self.L, self.dim, self.D = L, dim, L**dim
        shape = (K,) + (L,) * dim
        self.weight = nn.Parameter(weight_std * torch.randn(shape, generator=generator))
        bias = torch.ones(K)
        bias[K // 2:] = -1.0
        self.bias = nn.Parameter(bias)

    def preactivations(self, x: torch.Tensor) -> torch.Tensor:
        """``λ`` of shape ``(n, K, *lattice)`` for flat inputs ``x`` of shape ``(n, D)``."""
        shape = (self.L,) * self.dim
        dims = tuple(range(-self.dim, 0))
        xf = torch.fft.rfftn(x.reshape(-1, 1, *shape), dim=dims)
        wf = torch.fft.rfftn(self.weight, dim=dims)
        corr = torch.fft.irfftn(wf.conj() * xf, s=shape, dim=dims)
        bias = self.bias.reshape((1, -1) + (1,) * self.dim)
        return corr / math.sqrt(self.D) + bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        act = torch.erf(self.preactivations(x) / math.sqrt(2))
        return act.flatten(2).mean(-1).mean(-1)

    def filters(self) -> torch.Tensor:
        """The learned filters, flattened: shape ``(K, D)``."""
        return self.weight.detach().reshape(self.weight.shape[0], -1).clone()


def train_conv_committee(task, K: int, n_steps: int, generator: torch.Generator, *,
                         batch_size: int = 32, lr: float = 20.0, n_test: int = 4000,
                         desc: str = "CNN, SGD", progress: bool = True) -> dict:
    """Train a :class:`ConvCommittee` on ``task`` (one network) by mini-batch SGD, squared loss.

    Weight sharing averages the gradient over all positions, so the step is much smaller than
    the committee's for the same ``lr``; ``lr = 20`` with batches of 32 trains in seconds
    (``lr = 50`` is faster but lets the biases run away for some seeds, killing units).
    Returns ``filters`` ``(K, D)``, ``bias`` ``(K,)`` and the test ``accuracy``.
    """
    from emergence.train import train

    if task.n_networks != 1:
        raise ValueError(f"the task has {task.n_networks} networks; the CNN trains on one.")
    model = ConvCommittee(K, task.L, task.dim, generator).to(task.device)
    optimiser = torch.optim.SGD(model.parameters(), lr=lr)

    def step(x, y):
        optimiser.zero_grad()
        loss = 0.5 * (model(x) - y).square().mean()
        loss.backward()
        optimiser.step()

    def sample(m):
        x, y = task.sample(m * batch_size, generator)
        return x.reshape(m, batch_size, task.D), y.reshape(m, batch_size)

    train(step, sample, n_steps, chunk=200, desc=desc, progress=progress)
    with torch.no_grad():
        x_test, y_test = task.sample(n_test, generator)
        accuracy = (torch.sign(model(x_test[:, 0])) == y_test[:, 0]).float().mean()
    return {"filters": model.filters().cpu(), "bias": model.bias.detach().cpu().clone(),
            "accuracy": accuracy.cpu()}
