"""The small CNN: shapes, errors, and the mechanism of the paper on a constructed network."""

import math

import pytest
import torch

from emergence.analysis.mirror import equivariance, msvt_index, pooled_index, transform
from emergence.data.objects import family_objects
from emergence.data.render import render, view_angles
from emergence.models.mirrorcnn import (
    LAYERS,
    MirrorCNN,
    accuracy,
    augment,
    init_like_paper,
    init_like_pytorch,
    layer_responses,
    train_classifier,
)


def symmetrised(model):
    """Every conv filter made left-right symmetric: the conv stack is then hflip-equivariant."""
    with torch.no_grad():
        for name in ("conv1", "conv2", "conv3", "conv4"):
            w = getattr(model, name).weight
            w.copy_(w + w.flip(-1))
    return model.eval()


def test_shapes_and_bad_parameters(generator):
    model = MirrorCNN(5)
    init_like_paper(model, generator)
    out = layer_responses(model, torch.rand(3, 1, 32, 32, generator=generator))
    assert set(out) == {"pixels", *LAYERS, "gap"}
    assert out["conv4"].shape == (3, 128, 10, 10) and out["pool2"].shape == (3, 128, 5, 5)
    assert model.fc1.in_features == 128 * 5 * 5  # unpadded 3×3 convolutions, as the authors
    assert out["fc2"].shape == (3, 256) and out["gap"].shape == (3, 128)
    with pytest.raises(ValueError, match="n_classes"):
        MirrorCNN(0)
    with pytest.raises(ValueError, match="size"):
        MirrorCNN(3, size=30)
    with pytest.raises(ValueError, match="size"):
        MirrorCNN(3, size=12)


def test_symmetric_filters_make_conv_maps_equivariant_and_gap_mirror_tuned(generator):
    """The paper's mechanism end to end: equivariant maps + global pooling → for a symmetric
    object, identical responses to mirror views, i.e. an MSVT index of exactly 1."""
    model = MirrorCNN(4)
    init_like_paper(model, generator)
    symmetrised(model)
    x = torch.rand(20, 1, 32, 32, generator=generator)
    plain, flipped = layer_responses(model, x), layer_responses(model, transform(x, "hflip"))
    for layer in ("conv1", "conv2", "conv3", "conv4"):
        assert equivariance(plain[layer], flipped[layer], "hflip") == pytest.approx(1, abs=1e-4)
        assert equivariance(plain[layer], flipped[layer], "vflip") < 0.9
    objects, _ = family_objects("head", 3, torch.Generator().manual_seed(1))
    images = render(objects, view_angles(9))
    out = layer_responses(model, images.reshape(-1, 1, 32, 32))
    assert msvt_index(out["gap"].reshape(3, 9, -1)).min() > 0.999
    conv4 = out["conv4"].reshape(3, 9, *out["conv4"].shape[1:])
    assert pooled_index(conv4, conv4.shape[-1]).min() > 0.999  # the authors' order, too
    asymmetric, _ = family_objects("asymmetric", 3, torch.Generator().manual_seed(1))
    images = render(asymmetric, view_angles(9))
    gap = layer_responses(model, images.reshape(-1, 1, 32, 32))["gap"]
    assert msvt_index(gap.reshape(3, 9, -1)).mean() < 0.9


def test_augmentation_never_flips(generator):
    x = torch.zeros(64, 1, 32, 32)
    x[..., 8:24, 4:10] = 1.0  # a bar on the left
    moved = augment(x, generator)
    left, right = moved[..., :16].sum((1, 2, 3)), moved[..., 16:].sum((1, 2, 3))
    assert (left > right).all()


def test_training_learns_a_separable_task(generator):
    x = torch.full((128, 1, 32, 32), 0.5)
    y = torch.arange(128) % 2
    x[y == 1, :, 10:22, 10:22] = 1.0
    model = MirrorCNN(2)
    init_like_paper(model, generator)
    log = train_classifier(model, x, y, generator, epochs=12, batch=32, progress=False)
    assert log["loss"][-3:].mean() < log["loss"][:3].mean()
    assert accuracy(model, x, y) > 0.9
    # trained in the channels-last layout, handed back in the ordinary one
    assert all(p.is_contiguous() for p in model.parameters())
    with pytest.raises(ValueError, match="epochs"):
        train_classifier(model, x, y, generator, epochs=0)


def test_weight_decay_fades_the_random_initial_weights(generator):
    x = torch.full((128, 1, 32, 32), 0.5)
    y = torch.arange(128) % 2
    x[y == 1, :, 10:22, 10:22] = 1.0
    norms = {}
    for decay in (0.0, 4.0):
        model = MirrorCNN(2)
        init_like_paper(model, torch.Generator().manual_seed(1))
        start = model.fc1.weight.detach().clone()
        train_classifier(model, x, y, torch.Generator().manual_seed(2), epochs=12, batch=32,
                         lr=3e-3, weight_decay=decay, progress=False)
        assert accuracy(model, x, y) > 0.9
        norms[decay] = float((model.fc1.weight.detach() * start).sum() / start.square().sum())
    # the projection of fc1's weights on their initial values: kept without decay, faded with it
    # (AdamW multiplies the weights by 1 − ηλ per step: about exp(−λ Σ η) ≈ 0.75 here, with
    # Σ η ≈ 0.072 over the 48 one-cycle steps; measured 0.751 at this seed; twice or half the
    # decay would give about 0.56 or 0.87)
    assert norms[0.0] > 0.9 and 0.70 < norms[4.0] < 0.80
    with pytest.raises(ValueError, match="weight_decay"):
        train_classifier(MirrorCNN(2), x, y, generator, weight_decay=-1.0)


def test_scale_free_parameters_leave_the_training_mode_function_unchanged(generator):
    """Scaling conv1 and conv3 (each followed by ReLU and batch normalisation) changes nothing
    the network computes in training mode; scaling conv4 (not batch-normalised) does."""
    model = MirrorCNN(3)
    init_like_paper(model, generator)
    model.double().train()
    model.drop.p = 0.0
    model.bn1.eps = model.bn3.eps = 1e-12  # exact up to batch normalisation's ε
    x = torch.randn(16, 1, 32, 32, generator=generator, dtype=torch.float64)
    before = model(x)
    with torch.no_grad():
        for p in model.scale_free_parameters():
            p.mul_(7.0)
    assert torch.allclose(model(x), before, atol=1e-7)
    with torch.no_grad():
        model.conv4.weight.mul_(7.0)
    assert not torch.allclose(model(x), before, rtol=1e-2, atol=1e-2)
    names = {id(p) for p in model.scale_free_parameters()}
    assert names == {id(p) for m in (model.conv1, model.conv3) for p in m.parameters()}


def test_scale_free_decay_shrinks_only_the_batch_normalised_convolutions(generator):
    """With ``weight_decay=0`` only conv1 and conv3 decay: by about exp(−λ Σ_t η_t), Adam's
    steps aside; the other layers keep their size. The task is learned either way."""
    x = 0.5 + 0.1 * torch.randn(128, 1, 32, 32, generator=generator)
    y = torch.arange(128) % 2
    x[y == 1, :, 10:22, 10:22] += 0.5
    torch.manual_seed(0)  # dropout draws
    model = MirrorCNN(2)
    init_like_paper(model, torch.Generator().manual_seed(1))
    start = {name: p.detach().norm() for name, p in model.named_parameters()}
    train_classifier(model, x, y, torch.Generator().manual_seed(2), epochs=12, batch=32,
                     weight_decay=0.0, scale_free_decay=12.0, progress=False)
    assert accuracy(model, x, y) > 0.9
    ratio = {name: float(p.detach().norm() / start[name]) for name, p in model.named_parameters()
             if name.endswith("weight") and name.startswith(("conv", "fc"))}
    # 48 one-cycle steps with peak 3e-3 sum to Σ η ≈ 0.07: exp(−12 · 0.07) ≈ 0.43 (measured
    # 0.420–0.425 over three seeds; twice or half the decay would give about 0.19 or 0.66)
    assert 0.38 < ratio["conv1.weight"] < 0.47 and 0.38 < ratio["conv3.weight"] < 0.47, ratio
    kept = [ratio[f"{name}.weight"] for name in ("conv2", "conv4", "fc1", "fc2")]
    assert all(0.9 < r < 1.2 for r in kept), ratio
    with pytest.raises(ValueError, match="scale_free_decay"):
        train_classifier(MirrorCNN(2), x, y, generator, scale_free_decay=-1.0)


# --- known answers pinned independently of the model code ------------------------------------

def test_layers_follow_the_documented_architecture(generator):
    """conv → ReLU → BN → conv → ReLU → maxpool → conv → ReLU → BN → conv → ReLU → maxpool →
    fc → ReLU → fc → ReLU → fc, unpadded, written out with torch.nn.functional (evaluation
    mode: batch normalisation with its running statistics, which are made non-trivial here, and
    no dropout); ``gap`` is the spatial mean of pool2 (the last max-pooling, the analogue of the
    authors' pool5), not of conv4 before it."""
    fn = torch.nn.functional
    model = MirrorCNN(3, size=16)
    init_like_paper(model, generator)
    with torch.no_grad():
        for bn in (model.bn1, model.bn3):
            n = bn.num_features
            bn.running_mean.copy_(torch.randn(n, generator=generator))
            bn.running_var.copy_(0.5 + torch.rand(n, generator=generator))
            bn.weight.copy_(1 + 0.3 * torch.randn(n, generator=generator))
            bn.bias.copy_(0.3 * torch.randn(n, generator=generator))
    model.eval()
    x = torch.randn(2, 1, 16, 16, generator=generator)

    def conv(h, layer):
        return torch.relu(fn.conv2d(h, layer.weight, layer.bias))

    def norm(h, bn):
        scale = bn.weight / (bn.running_var + bn.eps).sqrt()
        return (h - bn.running_mean[:, None, None]) * scale[:, None, None] + bn.bias[:, None, None]

    with torch.no_grad():
        expected = {"conv1": conv(x, model.conv1)}
        expected["conv2"] = conv(norm(expected["conv1"], model.bn1), model.conv2)
        expected["pool1"] = fn.max_pool2d(expected["conv2"], 2)
        expected["conv3"] = conv(expected["pool1"], model.conv3)
        expected["conv4"] = conv(norm(expected["conv3"], model.bn3), model.conv4)
        expected["pool2"] = fn.max_pool2d(expected["conv4"], 2)
        expected["gap"] = expected["pool2"].mean((-2, -1))
        expected["fc1"] = torch.relu(expected["pool2"].flatten(1) @ model.fc1.weight.T
                                     + model.fc1.bias)
        expected["fc2"] = torch.relu(expected["fc1"] @ model.fc2.weight.T + model.fc2.bias)
        expected["logits"] = expected["fc2"] @ model.fc3.weight.T + model.fc3.bias
        got = model.activations(x)
        batched = layer_responses(model, x, batch=1)
    for name, value in expected.items():
        assert torch.allclose(got[name], value, atol=1e-5), name
        if name != "logits":
            assert torch.allclose(batched[name], value, atol=1e-5), name


def test_initial_weights_have_variance_one_over_fan_in(generator):
    """Weights ~ N(0, 1/fan_in) with fan_in = in_channels·3·3 for a convolution and the input
    size for a linear layer (128·5·5 for fc1 at 32 pixels); biases 0. The sample standard
    deviations are within a few standard errors (4 % for conv1's 288 weights) of 1/√fan_in."""
    model = MirrorCNN(2)
    init_like_paper(model, generator)
    fan_in = {"conv1": 9, "conv2": 32 * 9, "conv3": 32 * 9, "conv4": 64 * 9,
              "fc1": 128 * 5 * 5, "fc2": 256, "fc3": 256}
    for name, n in fan_in.items():
        layer = getattr(model, name)
        std = float(layer.weight.detach().std())
        assert std * n**0.5 == pytest.approx(1.0, rel=0.15 if name == "conv1" else 0.05), name
        assert abs(float(layer.weight.detach().mean())) < 0.2 / n**0.5, name
        assert not layer.bias.detach().any(), name


FAN_IN = {"conv1": 1 * 3 * 3, "conv2": 32 * 3 * 3, "conv3": 32 * 3 * 3, "conv4": 64 * 3 * 3,
          "fc1": 128 * 5 * 5, "fc2": 256, "fc3": 256}  # at 32 pixels; fc3 from fc2's 256


def test_init_like_pytorch_draws_within_one_over_root_fan_in(generator):
    """PyTorch's default: every conv and linear weight and bias ~ U(−b, b), b = 1/√fan_in
    (fan_in worked out by hand above). On fc1's 819 200 weights the largest |w| reaches b to
    within 0.1 % (the largest of n uniform draws misses b by about b/n), the mean is ≈ 0 and
    the variance ≈ b²/3. The same generator seed gives the same weights, another seed others;
    batch normalisations start at scale 1, shift 0 (and fresh running statistics)."""
    model = MirrorCNN(2)
    with torch.no_grad():
        for bn in (model.bn1, model.bn3):
            bn.weight.fill_(3.0)
            bn.bias.fill_(-2.0)
            bn.running_mean.fill_(5.0)
    init_like_pytorch(model, torch.Generator().manual_seed(7))
    for name, n in FAN_IN.items():
        layer = getattr(model, name)
        bound = 1 / math.sqrt(n)
        for tensor in (layer.weight.detach(), layer.bias.detach()):
            assert float(tensor.abs().max()) <= bound, name
            assert tensor.abs().max() > 0.5 * bound, name  # not all squeezed near 0
    fc1 = model.fc1.weight.detach().double()
    bound = 1 / math.sqrt(128 * 5 * 5)
    assert float(fc1.abs().max()) == pytest.approx(bound, rel=1e-3)
    assert abs(float(fc1.mean())) < 0.01 * bound
    assert float(fc1.var()) == pytest.approx(bound ** 2 / 3, rel=0.01)
    for bn in (model.bn1, model.bn3):
        assert torch.equal(bn.weight.detach(), torch.ones(bn.num_features))
        assert torch.equal(bn.bias.detach(), torch.zeros(bn.num_features))
        assert torch.equal(bn.running_mean, torch.zeros(bn.num_features))
    again, other = MirrorCNN(2), MirrorCNN(2)
    init_like_pytorch(again, torch.Generator().manual_seed(7))
    init_like_pytorch(other, torch.Generator().manual_seed(8))
    for (name, p), q, r in zip(model.named_parameters(), again.parameters(), other.parameters(),
                               strict=True):
        assert torch.equal(p, q), name
        if not name.startswith("bn"):
            assert not torch.equal(p, r), name


def sgd_model(generator, size=16):
    """A small network at PyTorch's initialisation with dropout off."""
    model = MirrorCNN(3, size=size)
    init_like_pytorch(model, generator)
    model.drop.p = 0.0
    return model


def hand_gradient(model, x, y):
    """The gradient of the mean cross-entropy over the whole batch (training mode), by autograd
    on a copy of ``model``."""
    copy = MirrorCNN(3, size=x.shape[-1])
    copy.load_state_dict(model.state_dict())
    copy.drop.p = 0.0
    copy.train()
    loss = torch.nn.functional.cross_entropy(copy(x), y)
    return dict(zip([n for n, _ in copy.named_parameters()],
                    torch.autograd.grad(loss, list(copy.parameters())), strict=True))


def test_sgd_steps_with_momentum_against_hand_computed_steps(generator):
    """The authors' recipe (SGD, no augmentation, no decay), the whole batch in every step (so
    the order of the images does not matter). Step 1: the momentum buffer is the gradient g₀,
    w₁ = w₀ − η g₀. Step 2: v = μ g₀ + g₁ with g₁ the gradient at w₁, w₂ = w₁ − η v. The
    gradients by autograd on a copy of the network, the steps written out here."""
    model = sgd_model(generator)
    x = torch.rand(6, 1, 16, 16, generator=generator)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    lr, mu = 0.05, 0.9
    w0 = {n: p.detach().clone() for n, p in model.named_parameters()}
    start = {n: t.clone() for n, t in model.state_dict().items()}
    g0 = hand_gradient(model, x, y)
    arguments = dict(batch=6, lr=lr, weight_decay=0.0, optimiser="sgd", schedule="step",
                     momentum=mu, augment_images=False, progress=False)
    log = train_classifier(model, x, y, torch.Generator().manual_seed(3), epochs=1, **arguments)
    w1 = {n: w0[n] - lr * g0[n] for n in w0}
    for name, p in model.named_parameters():
        assert torch.allclose(p.detach(), w1[name], rtol=1e-4, atol=1e-6), name
    assert log["images_seen"] == 6 and len(log["loss"]) == 1
    # two epochs from the same start: the second step carries the momentum
    second = sgd_model(torch.Generator().manual_seed(0))
    second.load_state_dict(start)
    g1 = hand_gradient(model, x, y)  # at w₁ (model holds w₁; its running stats do not matter)
    train_classifier(second, x, y, torch.Generator().manual_seed(3), epochs=2, **arguments)
    for name, p in second.named_parameters():
        expected = w1[name] - lr * (mu * g0[name] + g1[name])
        assert torch.allclose(p.detach(), expected, rtol=1e-4, atol=1e-6), name
    assert not torch.allclose(second.fc3.bias.detach(), w1["fc3.bias"] - lr * g1["fc3.bias"],
                              atol=1e-6)  # momentum made a difference


def test_on_epoch_is_called_after_each_epoch_and_measuring_there_changes_nothing(generator):
    """``on_epoch`` is called with 1, 2, 3 for three epochs; a callback that measures the
    network in eval mode (as benchmarks/mirror_epochs.py does) and hands it back in training
    mode leaves the trained weights exactly those of a run without it (same start, same batches:
    two batches of 3 per epoch, so the order matters and is the generator's)."""
    x = torch.rand(6, 1, 16, 16, generator=generator)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    start = sgd_model(generator).state_dict()
    arguments = dict(epochs=3, batch=3, lr=0.05, weight_decay=0.0, optimiser="sgd",
                     schedule="step", step_epochs=1, augment_images=False, progress=False)
    plain = sgd_model(torch.Generator().manual_seed(0))
    plain.load_state_dict(start)
    train_classifier(plain, x, y, torch.Generator().manual_seed(5), **arguments)
    measured = sgd_model(torch.Generator().manual_seed(0))
    measured.load_state_dict(start)
    calls = []

    def measure(epoch):
        calls.append(epoch)
        measured.eval()
        with torch.no_grad():
            measured(x)
        measured.train()

    train_classifier(measured, x, y, torch.Generator().manual_seed(5), **arguments,
                     on_epoch=measure)
    assert calls == [1, 2, 3]
    for name, value in plain.state_dict().items():
        assert torch.equal(value, measured.state_dict()[name]), name


def test_step_schedule_multiplies_the_rate_once_per_epoch_not_per_batch(generator):
    """fc2 silenced (weights 0, bias −1): every logit is fc3's bias b and only b moves, by the
    gradient softmax(b) − e₀ (every label 0, so each batch gives the same gradient whatever its
    images). 3 epochs × 2 batches with step_epochs = 1, γ = 0.5: the rates per batch are
    η, η, η/2, η/2, η/4, η/4 (the plain loop below, with momentum μ); stepping the schedule per
    batch would give η, η/2, η/4, … and a different b. Checked with μ = 0 and μ = 0.9."""
    def silenced():
        model = sgd_model(torch.Generator().manual_seed(5))
        with torch.no_grad():
            model.fc2.weight.zero_()
            model.fc2.bias.fill_(-1.0)
            model.fc3.bias.copy_(torch.tensor([0.2, -0.1, 0.3]))
        return model

    x = torch.rand(8, 1, 16, 16, generator=generator)
    y = torch.zeros(8, dtype=torch.long)
    lr = 0.5

    def by_hand(mu, per_batch=False):
        b = [0.2, -0.1, 0.3]
        v = [0.0, 0.0, 0.0]
        for step in range(6):
            eta = lr * 0.5 ** (step if per_batch else step // 2)
            e = [math.exp(c) for c in b]
            g = [e[k] / sum(e) - (k == 0) for k in range(3)]
            v = [mu * v[k] + g[k] if step else g[k] for k in range(3)]
            b = [b[k] - eta * v[k] for k in range(3)]
        return b

    for mu in (0.0, 0.9):
        model = silenced()
        train_classifier(model, x, y, generator, epochs=3, batch=4, lr=lr, weight_decay=0.0,
                         optimiser="sgd", schedule="step", momentum=mu, step_epochs=1,
                         step_gamma=0.5, augment_images=False, progress=False)
        got = model.fc3.bias.detach().tolist()
        assert got == pytest.approx(by_hand(mu), abs=1e-5), mu
        assert got != pytest.approx(by_hand(mu, per_batch=True), abs=1e-3), mu
        assert torch.equal(model.fc3.weight, silenced().fc3.weight)  # no gradient, no decay


def test_augmentation_scales_and_shifts_within_the_documented_ranges(generator):
    """A bright 8×8 square on grey: the augmented image shows it magnified by s ~ U(0.8, 1.1)
    (so its mass above the background, ∝ s², gives √(mass ratio) = s) and moved by s·t·16
    pixels per axis, t ~ U(−0.12, 0.12): at most 2.1 pixels, standard deviation
    16 · 0.12/√3 · √E[s²] ≈ 1.06 pixels. Over 256 draws both ranges are filled."""
    x = torch.full((256, 1, 32, 32), 0.5)
    x[..., 12:20, 12:20] = 1.0
    out = augment(x, generator) - 0.5
    mass = out.sum((1, 2, 3))
    scale = (mass / 32).sqrt()
    assert 0.77 < float(scale.min()) < 0.83 and 1.07 < float(scale.max()) < 1.13
    assert float(scale.mean()) == pytest.approx(0.95, abs=0.02)
    position = torch.arange(32.0) - 15.5
    shift = torch.stack([(out.sum((1, 2)) * position).sum(-1) / mass,
                         (out.sum((1, 3)) * position).sum(-1) / mass])
    assert 1.7 < float(shift.abs().amax(1).min()) and float(shift.abs().max()) < 2.3
    assert shift.std(1).tolist() == pytest.approx([1.06, 1.06], rel=0.15)


def one_cycle(step: int, steps: int, peak: float) -> float:
    """The one-cycle step size written out: from peak/25 up to peak over the first 30 % of the
    steps and down to peak/25/10⁴ over the rest, each half a cosine (torch's OneCycleLR)."""
    start, end_up = peak / 25, 0.3 * steps - 1
    if step <= end_up:
        return peak + (start - peak) / 2 * (1 + math.cos(math.pi * step / end_up))
    final = start / 1e4
    return final + (peak - final) / 2 * (1 + math.cos(math.pi * (step - end_up)
                                                      / (steps - 1 - end_up)))


def test_training_steps_decay_and_adam_steps_against_hand_computed_values(generator):
    """fc2 is made silent (weights 0, bias −1, so its ReLU outputs 0): every logit is fc3's
    bias, the first loss is exactly ln 3, and no weight but that bias gets a gradient. Each
    step of decoupled decay then multiplies every other weight by 1 − η_t λ, exactly: after
    the run by ∏_t (1 − η_t λ), with λ = 10 for conv1 and conv3 and λ = 4 for the rest,
    η_t the one-cycle schedule. With labels (0, 0, 0, 1, 1, 2) the bias gradient is
    (1/3 − 1/2, 0, 1/3 − 1/6): Adam moves bias 0 up and bias 2 down by about η_t per step
    (not by η_t times the gradient): by 0.8–1 times Σ_t η_t."""
    model = MirrorCNN(3, size=16)
    init_like_paper(model, generator)
    with torch.no_grad():
        model.fc2.weight.zero_()
        model.fc2.bias.fill_(-1.0)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    x = torch.rand(6, 1, 16, 16, generator=generator)
    y = torch.tensor([0, 0, 0, 1, 1, 2])
    steps, lr = 10, 1e-3
    log = train_classifier(model, x, y, generator, epochs=steps, batch=6, lr=lr,
                           weight_decay=4.0, scale_free_decay=10.0, progress=False)
    assert float(log["loss"][0]) == pytest.approx(math.log(3), abs=1e-6)
    assert len(log["loss"]) == steps and log["images_seen"] == 6 * steps
    etas = [one_cycle(t, steps, lr) for t in range(steps)]
    for name, p in model.named_parameters():
        if name == "fc3.bias":
            continue
        decay = 10.0 if name.startswith(("conv1.", "conv3.")) else 4.0
        shrink = math.prod(1 - eta * decay for eta in etas)
        assert torch.allclose(p.detach(), before[name] * shrink, rtol=1e-5, atol=1e-9), name
    bias = model.fc3.bias.detach()
    assert 0.8 * sum(etas) < float(bias[0]) <= sum(etas)
    assert 0.8 * sum(etas) < -float(bias[2]) <= sum(etas)


def test_accuracy_counts_the_correct_fraction(generator):
    """A network whose logits are its last bias (0, 1) calls every image class 1: accuracy
    on labels (1, 1, 0, 1) is 3/4."""
    model = MirrorCNN(2, size=16)
    init_like_paper(model, generator)
    with torch.no_grad():
        model.fc3.weight.zero_()
        model.fc3.bias.copy_(torch.tensor([0.0, 1.0]))
    images = torch.rand(4, 1, 16, 16, generator=generator)
    assert accuracy(model, images, torch.tensor([1, 1, 0, 1])) == 0.75
    assert accuracy(model, images, torch.tensor([1, 1, 0, 1]), batch=3) == 0.75  # in pieces
