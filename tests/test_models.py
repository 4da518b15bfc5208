import math

import numpy as np
import pytest
import torch

from emergence.analysis.localisation import ipr, random_ipr_baseline
from emergence.data.nlgp import DiscriminationTask
from emergence.models.committee import (
    committee_output,
    initial_parameters,
    sgd_steps,
    train_committees,
)
from emergence.models.convcommittee import ConvCommittee, train_conv_committee


def test_committee_initialisation(generator):
    W, b = initial_parameters(3, 8, 100, generator)
    assert W.shape == (3, 8, 100)
    assert W.std().item() == pytest.approx(0.1, rel=0.05)
    assert b[:, :4].eq(1).all() and b[:, 4:].eq(-1).all()


def test_committee_output_formula(generator):
    W, b = initial_parameters(2, 4, 10, generator)
    x = torch.randn(5, 2, 10, generator=generator)
    lam = torch.einsum("bkd,nbd->nbk", W, x) / math.sqrt(10) + b
    expected = torch.erf(lam / math.sqrt(2)).mean(-1)
    assert torch.allclose(committee_output(W, b, x), expected)
    by_hand = sum(math.erf((sum(W[1, k, i].item() * x[3, 1, i].item() for i in range(10))
                            / math.sqrt(10) + b[1, k].item()) / math.sqrt(2))
                  for k in range(4)) / 4
    assert committee_output(W, b, x)[3, 1].item() == pytest.approx(by_hand, abs=1e-6)


def test_same_seed_gives_identical_trained_weights():
    def trained(seed):
        task = DiscriminationTask(16, 1, [3.0, 3.0], gaussian_clone=[False, True])
        return train_committees(task, 4, 20, torch.Generator().manual_seed(seed),
                                snapshot_times=[0, 10, 20], progress=False)

    a, b, c = trained(5), trained(5), trained(6)
    assert torch.equal(a["weights"], b["weights"]) and torch.equal(a["biases"], b["biases"])
    assert torch.equal(a["final_weights"], b["final_weights"])
    assert torch.equal(a["accuracy"], b["accuracy"])
    assert not torch.equal(a["weights"], c["weights"])
    assert a["weights"].shape == (3, 2, 4, 16)
    assert a["times"].tolist() == [0.0, 10.0, 20.0]
    assert torch.equal(a["weights"][-1], a["final_weights"])


def test_snapshots_do_not_change_the_trajectory():
    """Blocks are cut at the snapshot times; the weights at t = 20 must not depend on that."""
    task = DiscriminationTask(16, 1, [3.0])

    def final(times):
        return train_committees(task, 4, 20, torch.Generator().manual_seed(2),
                                snapshot_times=times, progress=False)["final_weights"]

    assert torch.equal(final([]), final([0.5, 3, 7.25, 20]))


def test_localisation_emerges_with_nlgp_but_not_with_the_clone():
    """The paper's effect at a small scale: the b = +1 population localises only for the NLGP.

    Measured at t = 4000 (seeds 0–3): NLGP b = +1 IPR 4.9–5.1× the random baseline 3/D, the
    clone's populations 0.71–0.85×; accuracy 0.67–0.72. (At t = 1500 seed 0 was at 3.2×.)
    """
    L, K = 60, 4
    task = DiscriminationTask(L, 1, [10.0, 10.0], gaussian_clone=[False, True])
    out = train_committees(task, K, 4000, torch.Generator().manual_seed(0),
                           snapshot_times=[4000], progress=False)
    values = ipr(out["final_weights"])
    localised = out["initial_bias_sign"] > 0
    baseline = random_ipr_baseline(L)
    assert values[0, localised].mean() > 3 * baseline
    assert values[1].mean(-1).max() < 2 * baseline
    assert out["accuracy"].min() > 0.6  # chance is 0.5


@pytest.mark.parametrize("kwargs,name", [
    (dict(n_networks=0, K=4, D=10), "n_networks"),
    (dict(n_networks=1, K=3, D=10), "K"),
    (dict(n_networks=1, K=4, D=-1), "D"),
])
def test_committee_bad_parameters(kwargs, name, generator):
    with pytest.raises(ValueError, match=name):
        initial_parameters(generator=generator, **kwargs)


@pytest.mark.parametrize("kwargs,name", [
    (dict(K=3, t_max=1), "K"), (dict(K=4, t_max=0), "t_max"),
    (dict(K=4, t_max=1, lr=-0.05), "lr"), (dict(K=4, t_max=1, n_test=0), "n_test"),
])
def test_train_committees_bad_parameters(kwargs, name, generator):
    with pytest.raises(ValueError, match=name):
        train_committees(DiscriminationTask(8, 1, [1.0]), generator=generator, progress=False,
                         **kwargs)


def test_conv_committee_is_translation_invariant(generator):
    for dim, L in [(1, 12), (2, 6)]:
        model = ConvCommittee(4, L, dim, generator)
        x = torch.randn(5, *(L,) * dim, generator=generator)
        shifted = torch.roll(x, shifts=(3,) * dim, dims=tuple(range(1, dim + 1)))
        with torch.no_grad():
            assert torch.allclose(model(x.reshape(5, -1)), model(shifted.reshape(5, -1)),
                                  atol=1e-6)


def test_conv_committee_preactivation_is_circular_correlation(generator):
    L = 9
    model = ConvCommittee(2, L, 1, generator)
    x = torch.randn(1, L, generator=generator)
    with torch.no_grad():
        lam = model.preactivations(x)[0]
    w = model.weight.detach()
    for p in range(L):
        direct = (w * torch.roll(x[0], -p)).sum(-1) / math.sqrt(L) + model.bias.detach()
        assert torch.allclose(lam[:, p], direct, atol=1e-5)


@pytest.fixture
def single_thread():
    """One intra-op thread for loops of many tiny steps: on a busy machine a second thread only
    waits for the first (the CNN test below takes 4 s instead of 40 s)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_conv_committee_learns_the_task(single_thread):
    """The CNN of Section 5 learns the NLGP task and its b > 0 filters localise.

    Measured after 1000 steps (seeds 0–4 and 1234; 2000 steps and lr 10–40 give the same):
    accuracy 0.87–0.95 (chance 0.5), and the b > 0 filters' mean IPR 2.4–2.7× the random
    baseline 3/D, against 0.6–1.0× for the same CNN trained on the Gaussian clone.
    """
    task = DiscriminationTask(32, 1, [10.0])
    out = train_conv_committee(task, 4, 1000, torch.Generator().manual_seed(0), progress=False)
    assert out["accuracy"] > 0.85
    assert out["filters"].shape == (4, 32)
    localised = out["filters"][out["bias"] > 0]
    assert ipr(localised).mean() > 2 * random_ipr_baseline(32)


def test_conv_committee_initialisation(generator):
    """Filters as large as the lattice with N(0, 0.1²) entries; biases +1 for the first half of
    the channels and −1 for the second, as in the committee.
    """
    model = ConvCommittee(4, 50, 2, generator)
    assert model.weight.shape == (4, 50, 50)
    assert model.weight.std().item() == pytest.approx(0.1, rel=0.05)
    assert model.bias.tolist() == [1.0, 1.0, -1.0, -1.0]


def set_parameters(model, weight, bias):
    """Overwrite the filters and biases of a :class:`ConvCommittee` with literal values."""
    with torch.no_grad():
        model.weight.copy_(torch.tensor(weight))
        model.bias.copy_(torch.tensor(bias))


def test_conv_committee_preactivations_worked_out_on_a_ring(generator):
    """``λ_kp = (1/√D) Σ_i w_k,i x_(i+p) + b_k`` by hand on a ring of 4 sites (√D = 2).

    ``x = (1, 2, 3, 4)``. Filter 0 is one-hot at 0: ``λ_0p = x_p/2 + 1 = (1.5, 2, 2.5, 3)``.
    Filter 1 is ``(0, 1, 2, 0)``: ``x_(1+p) + 2x_(2+p) = (8, 11, 6, 5)``, halved, minus 1:
    ``(3, 4.5, 2, 1.5)``. A convolution (``x_(p−i)``) or a 1/D scaling gives other numbers.
    Then ``ŷ = (1/K) Σ_k mean_p erf(λ_kp/√2)``.
    """
    model = ConvCommittee(2, 4, 1, generator)
    set_parameters(model, [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0]], [1.0, -1.0])
    x = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
    lam = [[1.5, 2.0, 2.5, 3.0], [3.0, 4.5, 2.0, 1.5]]
    with torch.no_grad():
        assert torch.allclose(model.preactivations(x)[0], torch.tensor(lam), atol=1e-6)
        expected = sum(math.erf(v / math.sqrt(2)) for row in lam for v in row) / 8
        assert model(x).item() == pytest.approx(expected, abs=1e-6)


def test_conv_committee_preactivations_worked_out_on_a_torus(generator):
    """The 2D correlation by hand on a 3 × 3 torus (√D = 3): a filter one-hot at (1, 2) reads
    ``x[(1 + p₁) mod 3, (2 + p₂) mod 3] / 3`` at position ``(p₁, p₂)``. With ``x = 0, …, 8`` in
    row-major order that is rows (5, 3, 4), (8, 6, 7), (2, 0, 1), divided by 3; swapped axes or
    a convolution would permute them.
    """
    model = ConvCommittee(2, 3, 2, generator)
    weight = torch.zeros(2, 3, 3)
    weight[0, 1, 2] = 1.0
    set_parameters(model, weight.tolist(), [0.0, 0.5])
    with torch.no_grad():
        lam = model.preactivations(torch.arange(9.0)[None])[0]
    expected = torch.tensor([[5.0, 3.0, 4.0], [8.0, 6.0, 7.0], [2.0, 0.0, 1.0]]) / 3
    assert torch.allclose(lam[0], expected, atol=1e-6)
    assert torch.allclose(lam[1], torch.full((3, 3), 0.5), atol=1e-6)


class FixedBatch:
    """A stand-in for :class:`DiscriminationTask` (network 0 only) that always returns the same
    inputs ``x`` ``(n, D)`` and labels ``y`` ``(n,)``, tiled to the size asked for."""

    n_networks, dim, device = 1, 1, torch.device("cpu")

    def __init__(self, x, y):
        self.x, self.y = x, y
        self.L = self.D = x.shape[-1]

    def sample(self, n, generator):
        reps = n // len(self.x)
        return self.x.repeat(reps, 1)[:, None], self.y.repeat(reps)[:, None]


def test_conv_committee_sgd_step_on_zero_inputs_by_hand():
    """One SGD step of ``train_conv_committee`` with literal numbers.

    With ``x = 0`` every ``λ_kp = b_k = ±1``, so ``ŷ = (erf(1/√2) + erf(−1/√2))/2 = 0`` and the
    weights get no gradient. For ``y = 1`` the loss ``½(ŷ − y)²`` has
    ``∂/∂b_k = (ŷ − y) (1/K) · 2φ(b_k) = −φ(1)`` with ``φ(1) = e^{−1/2}/√(2π) = 0.2419707``,
    so with ``lr = 2`` both biases rise by 0.4839414.
    """
    task = FixedBatch(torch.zeros(2, 6), torch.tensor([1.0, 1.0]))
    generator = torch.Generator().manual_seed(3)
    initial = ConvCommittee(2, 6, 1, torch.Generator().manual_seed(3)).filters()
    out = train_conv_committee(task, 2, 1, generator, batch_size=2, lr=2.0, n_test=2,
                               progress=False)
    assert out["bias"].tolist() == pytest.approx([1.4839414, -0.5160586], abs=1e-6)
    assert torch.equal(out["filters"], initial)


def test_conv_committee_sgd_step_matches_the_hand_derived_gradient():
    """One SGD step of ``train_conv_committee`` (default lr = 20, batch of 2) against the
    gradient of ``½ mean_n (ŷ_n − y_n)²`` derived by hand and summed with explicit loops::

        ∂ŷ/∂w_k,i = (1/K)(1/P) Σ_p 2φ(λ_kp) x_(i+p) / √D,    ∂ŷ/∂b_k = (1/K)(1/P) Σ_p 2φ(λ_kp)

    with ``φ`` the standard normal density and ``P = D`` positions. The initial filters are
    those the same seed gives :class:`ConvCommittee`; nothing else of the model is reused.
    """
    K, L, lr = 2, 5, 20.0
    x = torch.tensor([[0.5, -1.0, 2.0, 0.0, 1.5], [-2.0, 1.0, 0.5, 1.0, -0.5]],
                     dtype=torch.float64)
    y = [1.0, -1.0]
    w = ConvCommittee(K, L, 1, torch.Generator().manual_seed(5)).filters().double()
    b = [1.0, -1.0]

    def phi(v):
        return math.exp(-v * v / 2) / math.sqrt(2 * math.pi)

    grad_w, grad_b = torch.zeros(K, L, dtype=torch.float64), [0.0] * K
    for n in range(2):
        lam = [[sum(w[k, i].item() * x[n, (i + p) % L].item() for i in range(L)) / math.sqrt(L)
                + b[k] for p in range(L)] for k in range(K)]
        error = sum(math.erf(v / math.sqrt(2)) for row in lam for v in row) / (K * L) - y[n]
        for k in range(K):
            for p in range(L):
                slope = error * 2 * phi(lam[k][p]) / (K * L) / 2  # / 2: mean over the batch
                grad_b[k] += slope
                for i in range(L):
                    grad_w[k, i] += slope * x[n, (i + p) % L].item() / math.sqrt(L)
    out = train_conv_committee(FixedBatch(x.float(), torch.tensor(y)), K, 1,
                               torch.Generator().manual_seed(5), batch_size=2, n_test=2,
                               progress=False)
    assert torch.allclose(out["filters"].double(), w - lr * grad_w, atol=1e-5)
    assert out["bias"].tolist() == pytest.approx([b[k] - lr * grad_b[k] for k in range(K)],
                                                 abs=1e-5)
    assert (lr * grad_w).abs().max() > 0.05  # the step is large against the tolerance


def authors_step(w, b, x, y, lr):
    """One step of the authors' recipe, with autograd: two heads ``(ŷ, −ŷ)``, ``F.mse_loss``
    against ``(y, −y)``, SGD with learning rate ``lr·K`` (weights) and ``lr·K/D`` (biases)."""
    K, D = w.shape
    w = w.double().clone().requires_grad_(True)
    b = b.double().clone().requires_grad_(True)
    y_hat = torch.erf((w @ x.double() / math.sqrt(D) + b) / math.sqrt(2)).mean()
    loss = torch.nn.functional.mse_loss(torch.stack([y_hat, -y_hat]),
                                        torch.tensor([y, -y], dtype=torch.float64))
    loss.backward()
    return (w - lr * K * w.grad).detach(), (b - lr * K / D * b.grad).detach()


def test_committee_bias_step_on_zero_inputs_by_hand():
    """One step with literal numbers: ``x = 0`` so every ``λ_k = b_k = ±1`` and ``ŷ = 0``; for
    ``y = 1``, ``δ_k = −√(2/π) e^{−1/2} = −0.4839414`` and ``b_k ← b_k − 2·lr·δ_k/D``: with
    ``lr = 0.05``, ``D = 2`` both biases rise by 0.0241971 (for any K). The pre-fix engine
    (``lr·K`` on ``δ``) moved them by 0.0483883 at K = 4; a missing factor 2 gives 0.0120985.
    """
    out = train_committees(FixedBatch(torch.zeros(1, 2), torch.tensor([1.0])), K=4, t_max=0.5,
                           generator=torch.Generator().manual_seed(0), lr=0.05,
                           snapshot_times=[0.5], n_test=2, progress=False)
    assert out["biases"][0, 0].tolist() == pytest.approx(
        [1.0241971, 1.0241971, -0.9758029, -0.9758029], abs=1e-6)
    assert torch.equal(out["final_weights"],
                       initial_parameters(1, 4, 2, torch.Generator().manual_seed(0))[0])


def test_committee_step_by_hand():
    """One step of :func:`sgd_steps` against the update written out with ``math``:
    ``δ_k = (ŷ − y) √(2/π) e^{−λ_k²/2}``, ``w_k ← w_k − 2 lr δ_k x/√D``,
    ``b_k ← b_k − 2 lr δ_k/D``, for literal weights, biases and input (K = 2, D = 3)."""
    w = [[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]]
    b, x, y, lr, D = [1.0, -1.0], [1.0, -2.0, 0.5], -1.0, 0.05, 3
    lam = [sum(wi * xi for wi, xi in zip(w[k], x, strict=True)) / math.sqrt(D) + b[k]
           for k in range(2)]
    y_hat = sum(math.erf(v / math.sqrt(2)) for v in lam) / 2
    delta = [(y_hat - y) * math.sqrt(2 / math.pi) * math.exp(-v * v / 2) for v in lam]
    W = np.array([w], dtype=np.float64).transpose(0, 2, 1).copy()  # (B, D, K)
    B = np.array([b], dtype=np.float64)
    sgd_steps(W, B, np.array([[x]], dtype=np.float32), np.array([[y]]), lr)
    for k in range(2):
        for i in range(D):
            assert W[0, i, k] == pytest.approx(w[k][i] - 2 * lr * delta[k] * x[i] / math.sqrt(D),
                                               abs=1e-12)
        assert B[0, k] == pytest.approx(b[k] - 2 * lr * delta[k] / D, abs=1e-12)
    assert min(abs(d) for d in delta) > 0.05  # a real step


def test_committee_step_is_the_authors_step():
    """One step of ``train_committees`` (K = 8, D = 10, lr = 0.05) equals the authors' recipe
    (two-head MSE, lr·K and lr·K/D) done with autograd. The pre-fix engine's step was K/2 = 4
    times as large, a step on ½(ŷ − y)² half as large; both fail the relative check."""
    K, D, lr = 8, 10, 0.05
    x = torch.linspace(-1.5, 2.0, D)[None]
    for y in (1.0, -1.0):
        out = train_committees(FixedBatch(x, torch.tensor([y])), K=K, t_max=1 / D,
                               generator=torch.Generator().manual_seed(3), lr=lr,
                               snapshot_times=[0, 1 / D], n_test=2, progress=False)
        w0, b0 = out["weights"][0, 0], out["biases"][0, 0]
        w1, b1 = authors_step(w0, b0, x[0], y, lr)
        step = w1 - w0.double()
        ours = out["weights"][1, 0].double() - w0.double()
        assert step.norm() > 0.05
        assert (ours - step).norm() / step.norm() < 1e-5
        assert torch.allclose(out["biases"][1, 0].double() - b0.double(), b1 - b0.double(),
                              rtol=1e-3, atol=1e-7)


def test_compiled_loop_matches_a_reference_over_many_steps():
    """300 steps of the compiled loop (2 networks, K = 4, D = 12, NLGP inputs) against the same
    steps done one by one with the authors' recipe in float64 torch."""
    task = DiscriminationTask(12, 1, [3.0, 10.0], gaussian_clone=[False, True])
    generator = torch.Generator().manual_seed(7)
    xs, ys = task.sample(300, generator)
    w, b = initial_parameters(2, 4, 12, generator)
    W = w.double().numpy().transpose(0, 2, 1).copy()
    B = b.double().numpy().copy()
    sgd_steps(W, B, xs.numpy(), ys.numpy(), 0.05)
    w, b = w.double(), b.double()
    for n in range(2):
        wn, bn = w[n], b[n]
        for t in range(300):
            wn, bn = authors_step(wn, bn, xs[t, n], ys[t, n].item(), 0.05)
        assert torch.allclose(torch.from_numpy(W[n].T), wn, rtol=0, atol=1e-10)
        assert torch.allclose(torch.from_numpy(B[n]), bn, rtol=0, atol=1e-10)
        assert (wn - w[n]).norm() > 0.1  # the weights did move
