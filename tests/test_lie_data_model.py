"""CIFAR-10 loader (on a self-written archive), photo crops and the lateral V1 network."""

import io
import math
import pickle
import tarfile

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from emergence.data.cifar import (
    ARCHIVE,
    CorruptArchiveError,
    DownloadUnavailable,
    cifar10_or_none,
    ensure_archive,
    md5sum,
    read_archive,
)
from emergence.data.natural import SKIMAGE_PHOTOS, PhotoCrops, load_skimage_photos
from emergence.models.lateral import (
    LateralV1Net,
    hebbian_step,
    hebbian_target,
    lateral_operator_norm,
    response_correlation,
    train_lateral,
    white_noise_kernel,
)


def write_cifar_archive(path, n_per_batch=6, seed=0):
    """A small archive in CIFAR-10's python format: 5 training batches and a test batch."""
    rng = np.random.default_rng(seed)
    expected = {}
    with tarfile.open(path, "w:gz") as tar:
        for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
            data = rng.integers(0, 256, (n_per_batch, 3072), dtype=np.uint8)
            labels = rng.integers(0, 10, n_per_batch).tolist()
            expected[name] = (data, labels)
            payload = pickle.dumps({b"data": data, b"labels": labels})
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return expected


def test_cifar_reader_reads_a_self_written_archive(tmp_path):
    path = tmp_path / ARCHIVE
    expected = write_cifar_archive(path)
    images, labels = read_archive(path, md5=md5sum(path))
    assert images.shape == (30, 32, 32) and labels.shape == (30,)
    first = expected["data_batch_1"][0][0].reshape(3, 32, 32).astype(np.float32) / 255
    gray = 0.299 * first[0] + 0.587 * first[1] + 0.114 * first[2]
    np.testing.assert_allclose(images[0], gray, atol=1e-6)
    assert labels[:6].tolist() == expected["data_batch_1"][1]
    test_images, _ = read_archive(path, ("test_batch",), md5=None)
    assert test_images.shape == (6, 32, 32)


def test_cifar_reader_rejects_a_corrupt_archive(tmp_path):
    path = tmp_path / ARCHIVE
    write_cifar_archive(path)
    good_md5 = md5sum(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a partial download
    with pytest.raises(CorruptArchiveError, match="MD5"):
        read_archive(path, md5=good_md5)
    with pytest.raises(CorruptArchiveError, match="not a readable CIFAR-10"):
        read_archive(path, md5=None)


def test_cached_archive_is_verified_and_a_corrupt_one_fetched_again(tmp_path):
    source = tmp_path / "server" / ARCHIVE
    source.parent.mkdir()
    write_cifar_archive(source)
    md5 = md5sum(source)
    cache = tmp_path / "cache"
    url = source.as_uri()  # a local "download", no network
    path = ensure_archive(cache, url=url, md5=md5)
    assert md5sum(path) == md5
    path.write_bytes(b"truncated")  # damage the cached copy
    path = ensure_archive(cache, url=url, md5=md5)
    assert md5sum(path) == md5  # detected and fetched again
    with pytest.raises(CorruptArchiveError):  # a server that sends the wrong bytes
        ensure_archive(tmp_path / "other", url=url, md5="0" * 32)
    assert not list((tmp_path / "other").glob("*.part"))


def test_offline_falls_back_with_a_notice(tmp_path):
    with pytest.raises(DownloadUnavailable):
        ensure_archive(tmp_path, allow_download=False)
    data, notice = cifar10_or_none(tmp_path, allow_download=False)
    assert data is None and "falls back" in notice


def test_skimage_photos_load_offline_and_crops_are_standardised():
    photos = load_skimage_photos()
    assert len(photos) == len(SKIMAGE_PHOTOS)
    crops = PhotoCrops(photos, size=16)
    x, y = crops.sample(64, torch.Generator().manual_seed(0))
    assert x.shape == (64, 1, 16, 16) and y.max() < len(photos)
    assert torch.allclose(x.mean((-2, -1)), torch.zeros(64, 1), atol=1e-4)
    assert torch.allclose(x.std((-2, -1)), torch.ones(64, 1), atol=1e-3)
    x2, _ = crops.sample(64, torch.Generator().manual_seed(0))
    assert torch.equal(x, x2)


def test_balanced_crops_hold_every_photograph_equally_often_and_keep_their_labels(monkeypatch):
    """balanced: each of C photographs ⌊n / C⌋ or ⌈n / C⌉ times in a batch of n, in a random
    order; each crop from the photograph its label names (photograph c is flat at c; read back
    before standardising). Independent labels (the default) are not balanced."""
    gen = torch.Generator().manual_seed(0)
    photos = [torch.full((40, 40), float(c)) + 0.01 * torch.rand(40, 40, generator=gen)
              for c in range(3)]
    crops = PhotoCrops(photos, size=8, balanced=True)
    counts = [torch.bincount(crops.sample(n, torch.Generator().manual_seed(n))[1], minlength=3)
              for n in (7, 9, 128)]
    assert [sorted(c.tolist()) for c in counts] == [[2, 2, 3], [3, 3, 3], [42, 43, 43]]
    _, y = crops.sample(30, torch.Generator().manual_seed(1))
    assert not torch.equal(y, torch.arange(30) % 3)  # shuffled, not in turn
    monkeypatch.setattr("emergence.data.natural.standardise", lambda x: x)
    x, y = crops.sample(30, torch.Generator().manual_seed(2))
    assert torch.equal(x.mean((1, 2, 3)).round(), y.float())
    spread = [torch.bincount(PhotoCrops(photos, size=8).sample(
        128, torch.Generator().manual_seed(s))[1], minlength=3) for s in range(5)]
    assert any(int(c.max() - c.min()) > 1 for c in spread)


def test_propagation_with_zero_kernel_is_identity_on_h0():
    net = LateralV1Net(n_filters=8, n_classes=3, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        net.lateral.zero_()
        x = torch.randn(4, 1, 16, 16)
        h0 = net.v1(x)
        assert torch.equal(net.propagate(h0), h0)
        net.lateral.normal_()  # and a non-zero kernel changes it
        assert not torch.allclose(net.propagate(h0), h0)


def test_effective_filters_compose_the_two_layers():
    net = LateralV1Net(n_filters=4, n_classes=2, k0=5, k1=7,
                       generator=torch.Generator().manual_seed(1))
    x = torch.randn(1, 1, 40, 40)
    with torch.no_grad():
        two_layers = torch.nn.functional.conv2d(
            torch.nn.functional.conv2d(x, net.l0.weight), net.l1.weight)
        one_layer = torch.nn.functional.conv2d(x, net.effective_filters()[:, None])
    torch.testing.assert_close(two_layers, one_layer, atol=1e-6, rtol=1e-4)


def test_training_records_snapshots_and_is_deterministic():
    photos = load_skimage_photos(SKIMAGE_PHOTOS[:3])
    crops = PhotoCrops(photos, size=16)

    def run_once():
        net = LateralV1Net(n_filters=4, n_classes=3, l0_delta=0.05,
                           generator=torch.Generator().manual_seed(0))
        history = train_lateral(net, crops.sample, 4, torch.Generator().manual_seed(1),
                                batch_size=8, record_at=[0, 2, 4],
                                progress=False)
        return net, history

    net, history = run_once()
    assert len(history["snapshots"]) == 3 and history["loss"].shape == (4,)
    first, last = history["snapshots"][0], history["snapshots"][-1]
    assert set(first) == {"l0", "l1", "lateral"}
    assert first["l0"][3, 3] > 0.04  # the identity part of ℓ⁰'s initialisation
    assert not torch.equal(first["lateral"], last["lateral"])
    net2, _ = run_once()
    assert torch.equal(net.lateral, net2.lateral)


def test_response_correlation_is_the_co_activity_at_each_offset():
    """C_ij(Δ) = mean ĥ_i(x) ĥ_j(x + Δ) over the positions where both lie in the map (away from
    the margin); C_ii(0) = 1."""
    h0 = torch.rand(6, 3, 14, 14, generator=torch.Generator().manual_seed(0))
    c = response_correlation(h0, 5, margin=2)
    inner = h0[..., 2:-2, 2:-2]
    z = (inner - inner.mean((0, 2, 3), keepdim=True)) / inner.std((0, 2, 3), correction=0,
                                                                 keepdim=True)
    i, j, dy, dx = 0, 2, 1, -2  # unit i at x, unit j at x + (dy, dx)
    a = z[:, i, :10 - dy, -dx:]
    b = z[:, j, dy:, :10 + dx]
    torch.testing.assert_close(c[i, j, 2 + dy, 2 + dx], (a * b).mean(), atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(c[[0, 1, 2], [0, 1, 2], 2, 2], torch.ones(3), atol=1e-3, rtol=0)


def test_hebbian_kernel_learns_the_co_occurrence_of_collinear_activity():
    """V1 activity made of horizontal line segments: with Hebbian learning K¹ couples units
    along the lines (Δx) far more than across them (Δy), never itself at Δ = 0, and settles on
    its fixed point g / (C k²) · E[C̊]."""
    gen = torch.Generator().manual_seed(0)
    h0 = torch.zeros(64, 1, 22, 22)
    for image in h0:
        for _ in range(5):
            row, col = torch.randint(22, (2,), generator=gen).tolist()
            image[0, row, max(col - 5, 0):col + 5] = 1.0
    net = LateralV1Net(n_filters=1, n_classes=2, k_lateral=5,
                       generator=torch.Generator().manual_seed(1))
    for _ in range(200):
        hebbian_step(net, h0, rate=0.05, gain=8.0)
    k = net.lateral.detach()[0, 0]
    along, across = k[2, [1, 3]].mean(), k[[1, 3], 2].mean()
    assert along > 0 and along > 5 * abs(across)
    assert abs(k[2, 2]) < 1e-6  # no self-loop: only the decaying initial weight is left
    target = response_correlation(h0, 5, net.receptive_margin())[0, 0] * 8.0 / 25
    target[2, 2] = 0
    torch.testing.assert_close(k, target, atol=1e-6, rtol=1e-3)


def test_frozen_filters_stay_fixed_while_the_lateral_kernel_learns():
    crops = PhotoCrops(load_skimage_photos(SKIMAGE_PHOTOS[:2]), size=16)
    net = LateralV1Net(n_filters=4, n_classes=2, generator=torch.Generator().manual_seed(0))
    before = net.snapshot()
    head = net.head.weight.detach().clone()
    train_lateral(net, crops.sample, 3, torch.Generator().manual_seed(1), batch_size=8,
                  train_filters=False, hebbian_rate=0.1, progress=False)
    after = net.snapshot()
    assert torch.equal(before["l0"], after["l0"]) and torch.equal(before["l1"], after["l1"])
    assert not torch.equal(before["lateral"], after["lateral"])
    assert not torch.equal(head, net.head.weight)  # the head still learns the task
    assert net.lateral.grad is None  # K¹ follows the Hebbian rule, not the gradient


def test_bias_free_v1_units_fire_on_half_of_a_zero_mean_input_and_train():
    """Without a threshold, h₀ = ReLU(E ∗ x): on white noise each unit's drive is a zero-mean
    Gaussian, so every unit is active at about half of the positions — none can fall silent."""
    net = LateralV1Net(n_filters=6, n_classes=2, l1_bias=False,
                       generator=torch.Generator().manual_seed(0))
    assert net.l1.bias is None
    x = torch.randn(16, 1, 32, 32, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        active = (net.v1(x) > 0).float().mean(dim=(0, 2, 3))
    assert ((active > 0.4) & (active < 0.6)).all()
    crops = PhotoCrops(load_skimage_photos(SKIMAGE_PHOTOS[:2]), size=16)
    before = net.snapshot()
    train_lateral(net, crops.sample, 3, torch.Generator().manual_seed(2), batch_size=8,
                  progress=False)
    assert not torch.equal(before["l1"], net.snapshot()["l1"])


def test_lateral_operator_norm_on_kernels_with_known_norms():
    """A centre tap a·I has norm |a|; one off-centre tap of weight a from unit 1 into unit 0 has
    norm |a| too (a shift of one channel); a rank-one coupling u vᵀ at Δ = 0 has |u| |v|."""
    kernel = torch.zeros(3, 3, 5, 5)
    kernel[[0, 1, 2], [0, 1, 2], 2, 2] = -0.7
    assert lateral_operator_norm(kernel) == pytest.approx(0.7)
    kernel = torch.zeros(3, 3, 5, 5)
    kernel[0, 1, 0, 3] = 0.4
    assert lateral_operator_norm(kernel) == pytest.approx(0.4)
    u, v = torch.tensor([1.0, 2.0, 2.0]), torch.tensor([0.0, 3.0, 4.0])
    kernel = torch.zeros(3, 3, 5, 5)
    kernel[:, :, 2, 2] = torch.outer(u, v)
    assert lateral_operator_norm(kernel) == pytest.approx(15.0)


def test_propagation_follows_the_recurrence_on_hand_computed_cases():
    """``h_{t+1} = ReLU(h₀ + K¹ ∗ h_t)``. A 1×1 kernel of 0.5 on h₀ = 2 gives
    h₃ = 2 (1 + ½ + ¼ + ⅛) = 3.75. A single weight K₀₁ at Δ = (Δx, Δy) = (0, +1) carries the
    activity of filter 1 at x + Δ into filter 0 at x: an impulse of filter 1 at (row 5, col 5)
    reaches filter 0 at (row 4, col 5) after one step, with the weight's value — and with K¹'s
    taps dilated by 2, at (row 3, col 5)."""
    net = LateralV1Net(n_filters=2, n_classes=2, k_lateral=1,
                       generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        net.lateral.zero_()
        net.lateral[0, 0, 0, 0] = 0.5
        h0 = torch.zeros(1, 2, 3, 3)
        h0[0, 0] = 2.0
        assert net.propagate(h0, 3)[0, 0, 1, 1].item() == pytest.approx(3.75)
    for dilation in (1, 2):  # with dilation d the tap is d cells away: row 5 − d
        net = LateralV1Net(n_filters=2, n_classes=2, k_lateral=3, lateral_dilation=dilation,
                           generator=torch.Generator().manual_seed(0))
        with torch.no_grad():
            net.lateral.zero_()
            net.lateral[0, 1, 2, 1] = 0.7  # [i, j, row = Δy/d + 1, col = Δx/d + 1]
            h0 = torch.zeros(1, 2, 9, 9)
            h0[0, 1, 5, 5] = 1.0
            expected = h0.clone()
            expected[0, 0, 5 - dilation, 5] = 0.7
            torch.testing.assert_close(net.propagate(h0, 1), expected)


def test_white_noise_kernel_is_where_the_hebbian_rule_on_white_noise_converges():
    """The filter-overlap control is the fixed point of :func:`hebbian_step` fed white noise
    through the same filters (same gain and margin): iterating the rule lands on it."""
    net = LateralV1Net(n_filters=4, n_classes=2, generator=torch.Generator().manual_seed(0),
                       init_scale=1.0, l1_bias=False)
    control = white_noise_kernel(net, 32, 100, torch.Generator().manual_seed(1), batch_size=32)
    assert control.shape == net.lateral.shape
    assert torch.all(control[torch.arange(4), torch.arange(4), 3, 3] == 0)  # no self-loops
    gen = torch.Generator().manual_seed(2)
    iterates = []
    with torch.no_grad():
        net.lateral.zero_()
        for step in range(400):
            hebbian_step(net, net.v1(torch.randn(32, 1, 32, 32, generator=gen)), 0.02, 8.0)
            if step >= 200:  # past ~4/η steps the kernel only fluctuates about its fixed point
                iterates.append(net.lateral.detach().clone())
    iterated = torch.stack(iterates).mean(0)
    assert (iterated - control).norm() / control.norm() < 0.1
    # the same rule on another input (a smooth one) converges elsewhere
    noise = torch.randn(100 * 32, 1, 36, 36, generator=gen)
    smooth = torch.nn.functional.avg_pool2d(noise, 5, stride=1)
    with torch.no_grad():
        other = hebbian_target(net.v1(smooth), 4, 7, net.receptive_margin(), 8.0)
    assert (other - control).norm() / control.norm() > 0.3


def test_dilated_response_correlation_is_the_co_activity_at_dilated_offsets():
    """C_ij(Δ) at tap (dy, dx) of a dilated 3×3 kernel is the co-activity at offset 2·(dy, dx),
    the plain kernel's entry at that offset."""
    h0 = torch.rand(5, 3, 12, 12, generator=torch.Generator().manual_seed(1))
    dilated = response_correlation(h0, 3, dilation=2)
    plain = response_correlation(h0, 5)
    torch.testing.assert_close(dilated, plain[:, :, ::2, ::2])


def test_transition_kernel_is_non_negative_and_each_unit_s_inputs_sum_to_its_gain():
    """K¹ = g · softplus(W) / Σ_{j, Δ} softplus(W): at W = 0 every entry is g / (C k²); any W
    gives non-negative entries whose sum over each unit's inputs is g = sigmoid(a)."""
    net = LateralV1Net(n_filters=3, n_classes=2, k_lateral=3, lateral_form="transition",
                       transition_gain=0.2, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        net.lateral.zero_()
        torch.testing.assert_close(net.lateral_kernel(), torch.full((3, 3, 3, 3), 0.2 / 27))
        net.lateral.normal_(0, 3)
        net.lateral_gain.fill_(1.0)
        kernel = net.lateral_kernel()
        assert kernel.min() >= 0
        g = 1 / (1 + math.exp(-1.0))
        torch.testing.assert_close(kernel.sum(dim=(1, 2, 3)), torch.full((3,), g))
        assert torch.equal(net.snapshot()["lateral"], kernel)


@pytest.mark.parametrize("form", ["transition", "transition_pooled_inhibition"])
def test_transition_kernels_learn_their_gain_and_inhibition_and_refuse_the_hebbian_rule(form):
    net = LateralV1Net(n_filters=4, n_classes=2, k_lateral=3, lateral_form=form,
                       generator=torch.Generator().manual_seed(0))
    inhibited = form == "transition_pooled_inhibition"
    assert (net.inhibition is not None) == inhibited
    start = [net.lateral_gain.item(), *([net.inhibition.item()] if inhibited else [])]

    def sample(n, generator):
        return torch.randn(n, 1, 12, 12, generator=generator), torch.randint(2, (n,),
                                                                              generator=generator)

    train_lateral(net, sample, 3, torch.Generator().manual_seed(1), batch_size=8,
                  progress=False)
    after = [net.lateral_gain.item(), *([net.inhibition.item()] if inhibited else [])]
    assert all(x != y for x, y in zip(after, start, strict=True))
    with pytest.raises(ValueError, match="transition"):
        hebbian_step(net, net.v1(torch.randn(2, 1, 12, 12)), 0.1, 8.0)
    assert LateralV1Net(n_filters=2, n_classes=2).inhibition is None  # the free kernel's


@pytest.mark.parametrize("form, sign", [("inhibitory", -1.0), ("excitatory", 1.0)])
def test_sign_probes_are_the_free_kernel_restricted_to_one_sign(form, sign):
    """K¹ = −|W| or |W|, entry by entry; the propagation is ReLU(h₀ + K¹ ∗ h) with that kernel
    (the free kernel's step given K¹); the unused gain is not trained; no Hebbian rule."""
    net = LateralV1Net(n_filters=3, n_classes=2, k_lateral=3, lateral_form=form,
                       generator=torch.Generator().manual_seed(0))
    free = LateralV1Net(n_filters=3, n_classes=2, k_lateral=3, n_iterations=3,
                        generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        net.lateral.copy_(torch.randn(3, 3, 3, 3, generator=torch.Generator().manual_seed(2)))
        expected = [[[[sign * abs(float(net.lateral[i, j, y, x])) for x in range(3)]
                      for y in range(3)] for j in range(3)] for i in range(3)]
        torch.testing.assert_close(net.lateral_kernel(), torch.tensor(expected))
        free.lateral.copy_(torch.tensor(expected))
        h0 = torch.rand(2, 3, 6, 6, generator=torch.Generator().manual_seed(3))
        torch.testing.assert_close(net.propagate(h0, 3), free.propagate(h0, 3))
    assert not net.lateral_gain.requires_grad
    with pytest.raises(ValueError, match=form):
        hebbian_step(net, net.v1(torch.randn(2, 1, 12, 12)), 0.1, 8.0)


def test_the_contractive_kernel_is_signed_each_unit_s_absolute_inputs_summing_to_its_gain():
    """K¹ = g · W / Σ_{j, Δ} |W|: W's signs kept, Σ_{j, Δ} |K¹ᵢⱼ| = g = sigmoid(a) for any W; at
    the start g = C k² · lateral_init / 2 = 4 · 9 · 0.01 / 2 = 0.18 (the free kernel's expected
    Σ|K¹| with entries uniform in ±0.01), W uniform in ±1; at most 0.9; the gain is trained."""
    net = LateralV1Net(n_filters=4, n_classes=2, k_lateral=3, lateral_form="contractive",
                       lateral_init=0.01, generator=torch.Generator().manual_seed(0))
    assert torch.sigmoid(net.lateral_gain).item() == pytest.approx(0.18)
    assert 0.5 < net.lateral.abs().max().item() <= 1.0
    with torch.no_grad():
        net.lateral.copy_(torch.randn(4, 4, 3, 3, generator=torch.Generator().manual_seed(1)))
        net.lateral_gain.fill_(0.5)
        kernel = net.lateral_kernel()
        g = 1 / (1 + math.exp(-0.5))
        torch.testing.assert_close(kernel.abs().sum(dim=(1, 2, 3)), torch.full((4,), g))
        assert torch.equal(torch.sign(kernel), torch.sign(net.lateral))
    assert net.lateral_gain.requires_grad
    wide = LateralV1Net(n_filters=4, n_classes=2, k_lateral=3, lateral_form="contractive",
                        lateral_init=1.0)
    assert torch.sigmoid(wide.lateral_gain).item() == pytest.approx(0.9)
    with pytest.raises(ValueError, match="contractive"):
        hebbian_step(net, net.v1(torch.randn(2, 1, 12, 12)), 0.1, 8.0)


def _pooled_inhibition_step(h0, h, kernel, strength):
    """One step ReLU(h₀ + K¹ ∗ h − λ · P ∗ h) in plain loops: P ∗ h at a cell is the sum of h
    over all channels and the k × k window around it (zeros beyond the border) over C k²."""
    n_channels, size, k = h.shape[1], h.shape[-1], kernel.shape[-1]
    r = k // 2
    out = torch.zeros_like(h)
    for i in range(n_channels):
        for y in range(size):
            for x in range(size):
                drive, pooled = 0.0, 0.0
                for j in range(n_channels):
                    for dy in range(-r, r + 1):
                        for dx in range(-r, r + 1):
                            if 0 <= y + dy < size and 0 <= x + dx < size:
                                value = h[0, j, y + dy, x + dx]
                                drive += kernel[i, j, dy + r, dx + r] * value
                                pooled += value
                total = h0[0, i, y, x] + drive - strength * pooled / (n_channels * k * k)
                out[0, i, y, x] = max(total, 0.0)
    return out


def test_pooled_inhibition_subtracts_the_local_mean_over_all_channels():
    """transition_pooled_inhibition: h₁ = ReLU(h₀ + K¹ ∗ h₀ − λ · P ∗ h₀), λ = softplus(c)
    (ln 2 at the start), K¹ the transition kernel; by plain loops, twice."""
    net = LateralV1Net(n_filters=3, n_classes=2, k_lateral=3,
                       lateral_form="transition_pooled_inhibition",
                       generator=torch.Generator().manual_seed(0))
    assert net.inhibition.requires_grad and net.lateral_gain.requires_grad
    torch.testing.assert_close(F.softplus(net.inhibition), torch.tensor(math.log(2)))
    with torch.no_grad():
        net.lateral.normal_(0, 2, generator=torch.Generator().manual_seed(1))
        net.lateral_gain.fill_(0.5)
        net.inhibition.fill_(2.0)  # λ = softplus(2) ≈ 2.13: the ReLU cuts some cells
        h0 = torch.rand(1, 3, 5, 5, generator=torch.Generator().manual_seed(2))
        kernel = net.lateral_kernel()
        assert kernel.min() >= 0
        one = _pooled_inhibition_step(h0, h0, kernel, F.softplus(torch.tensor(2.0)).item())
        assert (one == 0).any() and (one > 0).any()
        torch.testing.assert_close(net.propagate(h0, 1), one)
        two = _pooled_inhibition_step(h0, one, kernel, F.softplus(torch.tensor(2.0)).item())
        torch.testing.assert_close(net.propagate(h0, 2), two)


@pytest.mark.parametrize("kwargs, message", [
    (dict(lateral_form="signed"), "lateral_form"),
    (dict(lateral_dilation=0), "lateral_dilation"),
    (dict(transition_gain=1.0), "transition_gain"),
])
def test_bad_lateral_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LateralV1Net(n_filters=2, n_classes=2, **kwargs)
