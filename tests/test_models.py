import math

import pytest
import torch

from emergence.analysis.localisation import ipr, random_ipr_baseline
from emergence.data.nlgp import DiscriminationTask
from emergence.models.committee import SoftCommittee, train_committees
from emergence.models.convcommittee import ConvCommittee, train_conv_committee


def test_committee_initialisation(generator):
    net = SoftCommittee(3, 8, 100, generator)
    assert net.W.shape == (3, 8, 100)
    assert net.W.std().item() == pytest.approx(0.1, rel=0.05)
    assert net.b[:, :4].eq(1).all() and net.b[:, 4:].eq(-1).all()


def test_committee_output_formula(generator):
    net = SoftCommittee(2, 4, 10, generator)
    x = torch.randn(2, 10, generator=generator)
    lam = torch.einsum("bkd,bd->bk", net.W, x) / math.sqrt(10) + net.b
    expected = torch.erf(lam / math.sqrt(2)).mean(-1)
    assert torch.allclose(net(x), expected)
    batched = net(x[:, None, :].expand(2, 5, 10))
    assert torch.allclose(batched, expected[:, None].expand(2, 5))


def test_sgd_step_is_gradient_descent_on_the_squared_loss(generator):
    """The hand-written update equals autograd's gradient with the paper's learning rates."""
    K, D, eta = 6, 20, 0.3
    net = SoftCommittee(2, K, D, generator)
    x = torch.randn(2, D, generator=generator)
    y = torch.tensor([1.0, -1.0])
    W = net.W.clone().requires_grad_(True)
    b = net.b.clone().requires_grad_(True)
    lam = torch.einsum("bkd,bd->bk", W, x) / math.sqrt(D) + b
    loss = 0.5 * (torch.erf(lam / math.sqrt(2)).mean(-1) - y).square().sum()
    loss.backward()
    net.sgd_step(x, y, eta)
    assert torch.allclose(net.W, W.detach() - eta * K * W.grad, atol=1e-6)
    assert torch.allclose(net.b, b.detach() - eta * K / D * b.grad, atol=1e-6)


def test_same_seed_gives_identical_trained_weights():
    def trained(seed):
        task = DiscriminationTask(16, 1, [3.0, 3.0], gaussian_clone=[False, True])
        return train_committees(task, 4, 20, torch.Generator().manual_seed(seed),
                                snapshot_times=[0, 10, 20], progress=False)

    a, b, c = trained(5), trained(5), trained(6)
    assert torch.equal(a["weights"], b["weights"]) and torch.equal(a["biases"], b["biases"])
    assert torch.equal(a["accuracy"], b["accuracy"])
    assert not torch.equal(a["weights"], c["weights"])
    assert a["weights"].shape == (3, 2, 4, 16)
    assert a["times"].tolist() == [0.0, 10.0, 20.0]


def test_localisation_emerges_with_nlgp_but_not_with_the_clone():
    """The paper's effect at a small scale: the b = +1 population localises only for the NLGP."""
    L, K = 60, 4
    task = DiscriminationTask(L, 1, [10.0, 10.0], gaussian_clone=[False, True])
    out = train_committees(task, K, 1500, torch.Generator().manual_seed(0),
                           snapshot_times=[1500], progress=False)
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
        SoftCommittee(generator=generator, **kwargs)


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


def test_conv_committee_learns_the_task():
    task = DiscriminationTask(32, 1, [10.0])
    out = train_conv_committee(task, 4, 2000, torch.Generator().manual_seed(0), progress=False)
    assert out["accuracy"] > 0.8
    assert out["filters"].shape == (4, 32)
