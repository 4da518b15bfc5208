"""Chapter 3's experiment package (emergence.experiments.mirror): configuration, tables, caching
of renders and networks, determinism."""

import dataclasses

import pytest
import torch

from emergence.analysis.mirror import silent_channels
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror import runs
from emergence.experiments.mirror.config import (
    ALL_LAYERS,
    PROFILE_CHANGES,
    MirrorConfig,
    config_for,
)
from emergence.experiments.mirror.measures import (
    equivariance_images,
    pooling_sweep,
    receptive_field,
)
from emergence.experiments.mirror.runs import (
    TrainingSpec,
    manipulation_sets,
    train_network,
    training_data,
)
from emergence.experiments.mirror.summary import family_conv_peaks, headline
from emergence.experiments.mirror.tables import family_table, msvt_table
from emergence.models.mirrorcnn import MirrorCNN


def test_profiles_change_only_sizes_and_keep_the_training_recipe():
    assert config_for("cpu") == MirrorConfig()
    for profile in PROFILE_CHANGES:
        cfg = config_for(profile)
        assert (cfg.weight_decay, cfg.scale_free_decay, cfg.ordinary_decay) == (4.0, 12.0, 0.01)
        assert cfg.analysis_views == 9  # the paper's views, −90° … +90° in 22.5° steps
        assert set(PROFILE_CHANGES[profile]) <= {f.name for f in dataclasses.fields(cfg)}
    assert config_for("smoke").epochs < config_for("cpu").epochs <= config_for("paper").epochs
    assert config_for("cpu", n_random=20).n_random == 20
    assert config_for("smoke", epochs=3).epochs == 3  # an override wins over the profile
    with pytest.raises(TypeError):
        config_for("cpu", learning_rate=0.1)


def test_unknown_profile_is_refused_naming_it_and_the_choices():
    with pytest.raises(ValueError, match=r"profile='huge' is not allowed; choose one of "
                                         r"'smoke', 'cpu', 'paper'"):
        config_for("huge")


def indices_for(networks, layers, values):
    """Per network and layer, one index per object: objects of family i get values[i]."""
    family_of = torch.arange(len(FAMILIES)).repeat_interleave(2)  # two objects per family
    per_object = torch.tensor(values, dtype=torch.float32).repeat_interleave(2)
    return {net: {layer: per_object + k for k, layer in enumerate(layers)}
            for net in networks}, family_of


def test_msvt_table_has_one_row_per_network_layer_and_family():
    indices, family_of = indices_for(("trained", "untrained"), ALL_LAYERS,
                                     [0.1, 0.2, 0.3, 0.4, 0.5])
    indices["trained"]["gap"] = torch.zeros(len(family_of))  # not a layer of the table
    table = msvt_table(indices, family_of)
    assert len(table.rows) == 2 * len(ALL_LAYERS) * len(FAMILIES)
    keys = {(r["network"], r["layer"], r["family"]) for r in table.rows}
    assert len(keys) == len(table.rows)
    assert table.mean("trained", "conv1", "head") == pytest.approx(1.2)  # 0.2 + layer 1
    assert table.row("untrained", "pixels", "radial")["sem"] == pytest.approx(0.0)
    assert table.text("trained", "pixels", "head") == "+0.20 ± 0.00"
    nested = table.nested()
    assert list(nested) == ["trained", "untrained"] and list(nested["trained"]) == list(ALL_LAYERS)
    assert set(nested["trained"]["fc2"]["one_plane"]) == {"mean", "sem", "n"}
    assert nested["trained"]["fc2"]["one_plane"]["n"] == 2
    with pytest.raises(KeyError, match="gap"):
        table.row("trained", "gap", "head")


def test_table_mean_and_sem_by_hand():
    """Two objects per family with indices a and b: mean (a + b)/2, SEM |a − b|/2."""
    family_of = torch.tensor([0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    values = torch.tensor([0.2, 0.6, -1.0, -1.0, 0.0, 0.5, 1.0, 0.0, 0.3, 0.3])
    table = family_table({"net": values}, family_of, ("network", "family"))
    assert table.mean("net", "one_plane") == pytest.approx(0.4)
    assert table.row("net", "one_plane")["sem"] == pytest.approx(0.2)
    assert table.row("net", "two_plane")["sem"] == pytest.approx(0.5)


def test_headline_reads_the_last_layer_and_the_conv_peak():
    indices, family_of = indices_for(("trained",), ALL_LAYERS, [0.0] * 5)
    for layer in ALL_LAYERS:
        indices["trained"][layer] = torch.full((len(family_of),), -0.3)
    indices["trained"]["fc2"] = torch.full((len(family_of),), 0.7)
    indices["trained"]["conv4"][2:4] = 0.05  # the head's conv4
    table = msvt_table(indices, family_of)
    peaks = family_conv_peaks(table, "trained")  # the largest mean over pixels, conv and pool
    assert peaks["head"] == pytest.approx(0.05) and peaks["one_plane"] == pytest.approx(-0.3)
    h = headline(table, "trained")
    assert headline(table, "trained", peaks) == h  # from peaks computed before: the same
    assert h["conv_peak"] == pytest.approx(0.05) and h["conv_low"]
    assert h["one_plane"] == pytest.approx(0.7) and h["one_plane_fc_high"] and h["head_fc_high"]


def test_pooling_sweep_table_has_a_row_per_window_and_full_pooling_of_equivariant_maps_is_1(
        generator):
    """Maps of view −θ that are the mirror image of those of view +θ (the frontal view its own
    mirror image, so the stimulus set, and each position's statistics, are mirror symmetric):
    pooled over the whole map the responses to mirror views are equal, so the index is 1."""
    half = torch.randn(len(FAMILIES), 5, 4, 4, 4, generator=generator)  # objects, views 0…4
    half[:, 4] = half[:, 4] + half[:, 4].flip(-1)
    maps = torch.cat([half, half[:, :4].flip(1).flip(-1)], 1)  # views 5…8 mirror views 3…0
    family_of = torch.arange(len(FAMILIES))
    table = pooling_sweep({"trained": maps}, family_of)
    assert len(table.rows) == 4 * len(FAMILIES)  # windows 1 … 4
    assert table.mean("trained", 4, "head") == pytest.approx(1.0, abs=1e-6)
    assert table.mean("trained", 1, "head") < 0.99
    assert receptive_field(1) == 14 and receptive_field(10) == 32  # conv4 of a 32-pixel image


def test_manipulation_sets_share_images_and_differ_only_in_labels():
    k = 3
    images = torch.arange(12.0).reshape(12, 1, 1, 1)
    with_new = {"images": images, "labels": torch.tensor([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
                "n_classes": 2 * k}
    sets = manipulation_sets(with_new, k)
    assert torch.equal(sets["none"]["images"], images[:6]) and sets["none"]["n_classes"] == k
    assert torch.equal(sets["same_class"]["images"], sets["new_class"]["images"])
    assert sets["same_class"]["labels"].tolist() == [0, 0, 1, 1, 2, 2] * 2
    assert sets["new_class"]["n_classes"] == 2 * k


def test_silent_channels_and_equivariance_images():
    conv1 = torch.randn(3, 9, 4, 5, 5)
    conv1[..., 1, :, :] = 0.0
    conv1[..., 3, :, :] = 2.0
    assert silent_channels(conv1) == 2 and silent_channels(conv1.flatten(0, 1)) == 2
    images = torch.arange(len(FAMILIES) * 4.0)[:, None, None, None].expand(-1, 9, 32, 32)
    chosen = equivariance_images(images, 2)  # 2 objects per family: 10 of the 20, all views
    assert chosen.shape == (10 * 9, 1, 32, 32)
    assert chosen[0, 0, 0, 0] == 0 and chosen[-1, 0, 0, 0] == 19


def test_a_rendered_set_is_made_once_per_page_and_a_cached_network_does_not_ask_for_it(
        monkeypatch):
    calls = []

    def fake_training_set(family, n_categories, n_exemplars, n_views, generator, **options):
        calls.append(family)
        n = n_categories * n_exemplars * n_views
        return {"images": torch.rand(n, 1, 32, 32, generator=generator),
                "labels": torch.arange(n) % n_categories, "n_classes": n_categories}

    monkeypatch.setattr(runs, "training_set", fake_training_set)
    spec = TrainingSpec("one_plane", 2, 3, 4)
    data = training_data(spec, seed=0)
    assert calls == []  # nothing rendered until a network needs it
    assert data() is data() and calls == ["one_plane"]
    assert torch.equal(training_data(spec, seed=0)()["images"], data()["images"])  # disk cache
    assert calls == ["one_plane"]
    cfg = config_for("smoke", n_categories=2, n_exemplars=3, n_views=4)
    device = torch.device("cpu")
    first = runs.main_network(cfg, data, 0, device)
    untouched = training_data(spec, seed=0)  # a fresh loader: must not be called on a cache hit
    again = runs.main_network(cfg, lambda: pytest.fail("the cached network re-rendered"),
                                0, device)
    assert torch.equal(first["trained"]["fc3.weight"], again["trained"]["fc3.weight"])
    ordinary = runs.ordinary_network(cfg, untouched, 0, device)
    assert not torch.equal(ordinary["trained"]["fc3.weight"], first["trained"]["fc3.weight"])
    assert all(torch.equal(ordinary["untrained"][k], first["untrained"][k])
               for k in first["untrained"])


def test_a_tiny_run_is_determined_by_its_seed(generator):
    images = torch.rand(40, 1, 32, 32, generator=generator)
    data = {"images": images, "labels": torch.arange(40) % 2, "n_classes": 2}
    device = torch.device("cpu")
    runs = [train_network(data, seed, "main", 1, 4.0, 12.0, device) for seed in (0, 0, 1)]
    for key in ("trained", "untrained"):
        assert all(torch.equal(runs[0][key][k], runs[1][key][k]) for k in runs[0][key])
        assert not torch.equal(runs[0][key]["conv1.weight"], runs[2][key]["conv1.weight"])
    assert torch.equal(runs[0]["loss"], runs[1]["loss"])
    assert runs[0]["n_images"] == 36 and runs[0]["test_accuracy"] in (0.0, 0.25, 0.5, 0.75, 1.0)


def test_networks_trained_side_by_side_are_those_trained_one_after_the_other(generator):
    """Two trainings in threads (one torch thread each, own dropout generators) give exactly
    the networks of the same trainings run alone on one thread; the thread count comes back."""
    images = torch.rand(80, 1, 32, 32, generator=generator)
    data = {"images": images, "labels": torch.arange(80) % 2, "n_classes": 2}
    device = torch.device("cpu")

    def job(decay):
        return lambda: train_network(data, 0, "main", 2, decay, decay, device)

    before = torch.get_num_threads()
    together = runs.side_by_side({"strong": job(4.0), "ordinary": job(0.01)}, device)
    assert torch.get_num_threads() == before
    torch.set_num_threads(1)
    try:
        alone = {"strong": job(4.0)(), "ordinary": job(0.01)()}
    finally:
        torch.set_num_threads(before)
    for name in alone:
        assert torch.equal(together[name]["loss"], alone[name]["loss"])
        assert all(torch.equal(together[name]["trained"][k], alone[name]["trained"][k])
                   for k in alone[name]["trained"])
    assert not torch.equal(together["strong"]["loss"], together["ordinary"]["loss"])


def test_dropout_draws_from_the_networks_own_generator():
    """In training mode each fc value is kept with probability 1/2 and doubled; the masks
    follow the network's generator (same seed, same masks) and not the global one; in eval
    mode dropout does nothing."""
    model = MirrorCNN(2).train()
    h = torch.ones(400, 256)
    masks = []
    for _ in range(2):
        model.dropout_generator = torch.Generator().manual_seed(5)
        torch.manual_seed(len(masks))  # the global generator must not matter
        masks.append(model._dropout(h))
    assert torch.equal(masks[0], masks[1])
    assert set(masks[0].unique().tolist()) == {0.0, 2.0}
    assert abs(float((masks[0] > 0).float().mean()) - 0.5) < 0.01  # 102400 draws: SD 0.0016
    assert torch.equal(model.eval()._dropout(h), h)
