"""The small CNN: shapes, errors, and the mechanism of the paper on a constructed network."""

import pytest
import torch

from emergence.analysis.mirror import equivariance, msvt_index, transform
from emergence.data.objects import family_objects
from emergence.data.render import render, view_angles
from emergence.models.mirrorcnn import (
    LAYERS,
    MirrorCNN,
    accuracy,
    augment,
    init_like_paper,
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
    assert out["conv4"].shape == (3, 128, 16, 16) and out["pool2"].shape == (3, 128, 8, 8)
    assert out["fc2"].shape == (3, 256) and out["gap"].shape == (3, 128)
    with pytest.raises(ValueError, match="n_classes"):
        MirrorCNN(0)
    with pytest.raises(ValueError, match="size"):
        MirrorCNN(3, size=30)


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
    gap = layer_responses(model, images.reshape(-1, 1, 32, 32))["gap"]
    assert msvt_index(gap.reshape(3, 9, -1)).min() > 0.999
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
                         lr=1e-2, weight_decay=decay, progress=False)
        assert accuracy(model, x, y) > 0.9
        norms[decay] = float((model.fc1.weight.detach() * start).sum() / start.square().sum())
    # the projection of fc1's weights on their initial values: kept without decay, faded with it
    # (AdamW multiplies the weights by 1 − ηλ per step: about exp(−λ Σ η) ≈ 0.4 here)
    assert norms[0.0] > 0.9 and norms[4.0] < 0.6 * norms[0.0]
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
    # 48 one-cycle steps with peak 3e-3 sum to Σ η ≈ 0.07: exp(−12 · 0.07) ≈ 0.43
    assert ratio["conv1.weight"] < 0.6 and ratio["conv3.weight"] < 0.6, ratio
    kept = [ratio[f"{name}.weight"] for name in ("conv2", "conv4", "fc1", "fc2")]
    assert all(0.9 < r < 1.2 for r in kept), ratio
    with pytest.raises(ValueError, match="scale_free_decay"):
        train_classifier(MirrorCNN(2), x, y, generator, scale_free_decay=-1.0)
