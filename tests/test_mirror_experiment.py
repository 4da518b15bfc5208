"""Chapter 3's experiment package (emergence.experiments.mirror): configuration, tables, caching
of renders and networks, determinism."""

import dataclasses
import inspect

import pytest
import torch

from emergence.analysis.mirror import silent_channels
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror import runs
from emergence.experiments.mirror.config import (
    ALL_LAYERS,
    ARMS,
    AUTHORS_RECIPE,
    FDR_Q,
    PROFILE_CHANGES,
    STRONG_DECAY_RECIPE,
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
from emergence.models.mirrorcnn import MirrorCNN, train_classifier


def test_profiles_change_only_sizes_and_keep_the_training_recipe():
    """At every profile the main network's recipe is the authors' (SGD, lr 1e-3, momentum 0.9,
    no weight decay, StepLR(50, 0.5), no augmentation; only batch and epochs change), the
    strong decay is AdamW λ = 4 (12 on the batch-normalised layers) with a one-cycle schedule
    and augmentation, and the manipulation arms train by the authors' SGD recipe; every
    recipe's fields are keyword arguments of train_classifier."""
    assert config_for("cpu") == MirrorConfig()
    accepted = set(inspect.signature(train_classifier).parameters)
    for profile in PROFILE_CHANGES:
        cfg = config_for(profile)
        for recipe in (cfg.authors, cfg.manip_recipe):
            assert (recipe.optimiser, recipe.schedule, recipe.lr, recipe.momentum,
                    recipe.weight_decay, recipe.step_epochs, recipe.step_gamma,
                    recipe.augment_images) == ("sgd", "step", 1e-3, 0.9, 0.0, 50, 0.5, False)
            assert recipe.scale_free_decay in (None, 0.0)  # no decay on any layer
        strong = cfg.strong_decay
        assert (strong.optimiser, strong.schedule, strong.weight_decay, strong.scale_free_decay,
                strong.augment_images) == ("adamw", "one_cycle", 4.0, 12.0, True)
        assert cfg.recipe("authors") is cfg.authors
        assert cfg.recipe("strong_decay") is cfg.strong_decay
        for recipe in (cfg.authors, cfg.strong_decay, cfg.manip_recipe):
            assert set(recipe.training_arguments()) <= accepted
        assert cfg.analysis_views == 9  # the paper's views, −90° … +90° in 22.5° steps
        assert set(PROFILE_CHANGES[profile]) <= {f.name for f in dataclasses.fields(cfg)}
    assert (config_for("paper").authors.batch, config_for("paper").authors.epochs) == (256, 250)
    assert config_for("cpu").authors == AUTHORS_RECIPE
    assert config_for("cpu").strong_decay == STRONG_DECAY_RECIPE
    for name in ("authors", "strong_decay", "manip_recipe"):
        epochs = [getattr(config_for(p), name).epochs for p in ("smoke", "cpu", "paper")]
        assert epochs[0] < epochs[1] <= epochs[2], name
    assert FDR_Q == 0.05 and ARMS == ("reference", "none", "same_class", "new_class")
    assert config_for("cpu", n_random=20).n_random == 20
    assert config_for("smoke", manip_replicates=3).manip_replicates == 3  # an override wins
    with pytest.raises(ValueError, match="recipe='ordinary'"):
        config_for("cpu").recipe("ordinary")
    with pytest.raises(TypeError):
        config_for("cpu", learning_rate=0.1)
    with pytest.raises(TypeError):
        config_for("cpu", epochs=3)  # epochs belong to a recipe now


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
    indices["trained"]["fc1"] = torch.full((len(family_of),), 0.65)
    indices["trained"]["fc2"] = torch.full((len(family_of),), 0.7)
    indices["trained"]["conv4"][2:4] = 0.05  # the head's conv4
    table = msvt_table(indices, family_of)
    peaks = family_conv_peaks(table, "trained")  # the largest mean over pixels, conv and pool
    assert peaks["head"] == pytest.approx(0.05) and peaks["one_plane"] == pytest.approx(-0.3)
    tests = {(layer, f): {"significant": True, "greater": True}
             for layer in ("fc1", "fc2") for f in FAMILIES}
    h = headline(table, tests, "trained")
    assert headline(table, tests, "trained", peaks) == h  # from peaks computed before: the same
    assert h["conv_peak"] == pytest.approx(0.05) and h["conv_low"]
    assert h["one_plane"] == pytest.approx(0.7) and h["one_plane_fc_high"] and h["head_fc_high"]
    tests["fc1", "head"] = {"significant": False, "greater": True}  # no significant rise at fc1
    assert headline(table, tests, "trained")["head_fc_high"] is False


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
    assert receptive_field(1) == 16 and receptive_field(5) == 32  # pool2 of a 32-pixel image
    assert receptive_field(1, "conv4") == 14 and receptive_field(10, "conv4") == 32


def test_manipulation_sets_share_images_and_differ_only_in_labels():
    """Four arms of 12 images each: ``none`` the asymmetric set as given, ``same_class`` and
    ``new_class`` the same random half (6 images) flipped left–right (the others untouched),
    labels kept for ``same_class`` and + k for the flipped ones of ``new_class`` (2k classes);
    the reference passed through. Images 4 × 4 with a distinct value per pixel, so a flip is
    seen."""
    k = 3
    images = torch.arange(12 * 16.0).reshape(12, 1, 4, 4)
    labels = torch.tensor([0, 0, 1, 1, 2, 2, 0, 1, 2, 0, 1, 2])
    asymmetric = {"images": images, "labels": labels, "n_classes": k}
    reference = {"images": torch.zeros(12, 1, 4, 4), "labels": torch.arange(12) % k,
                 "n_classes": k}
    sets = manipulation_sets(asymmetric, reference, torch.Generator().manual_seed(4))
    assert list(sets) == ["reference", "none", "same_class", "new_class"]
    assert sets["reference"] is reference and sets["none"] is asymmetric
    assert {len(arm["images"]) for arm in sets.values()} == {12}
    assert {len(arm["labels"]) for arm in sets.values()} == {12}
    same, new = sets["same_class"], sets["new_class"]
    assert torch.equal(same["images"], new["images"])  # the same flipped half
    assert torch.equal(same["flipped"], new["flipped"]) and int(same["flipped"].sum()) == 6
    for i in range(12):
        if same["flipped"][i]:
            # a left–right flip: column c of the flipped image is column 3 − c of the original
            for c in range(4):
                assert torch.equal(same["images"][i, 0, :, c], images[i, 0, :, 3 - c])
            assert not torch.equal(same["images"][i], images[i])
            assert int(new["labels"][i]) == int(labels[i]) + k
        else:
            assert torch.equal(same["images"][i], images[i])
            assert int(new["labels"][i]) == int(labels[i])
        assert int(same["labels"][i]) == int(labels[i])
    assert (same["n_classes"], new["n_classes"]) == (k, 2 * k)
    assert torch.equal(images, torch.arange(12 * 16.0).reshape(12, 1, 4, 4))  # not changed
    again = manipulation_sets(asymmetric, reference, torch.Generator().manual_seed(4))
    assert torch.equal(again["new_class"]["flipped"], new["flipped"])  # drawn from the generator
    other = manipulation_sets(asymmetric, reference, torch.Generator().manual_seed(5))
    assert not torch.equal(other["new_class"]["flipped"], new["flipped"])


def test_manipulation_specs_give_every_arm_the_same_size():
    """Both renderings of a replicate have manip_categories × manip_exemplars × manip_views
    images, the asymmetric one seen from one side; each replicate its own streams."""
    cfg = config_for("cpu")
    specs = runs.manipulation_specs(cfg, 1)
    sizes = (cfg.manip_categories, cfg.manip_exemplars, cfg.manip_views)
    for kind, family in (("asymmetric", "asymmetric"), ("reference", "one_plane")):
        spec = specs[kind]
        assert (spec.family, spec.n_categories, spec.n_exemplars, spec.n_views) == (family,
                                                                                   *sizes)
    assert specs["asymmetric"].yaw_range == (0.0, 180.0)
    assert specs["reference"].yaw_range == (-180.0, 180.0)
    assert specs["asymmetric"].stream != runs.manipulation_specs(cfg, 0)["asymmetric"].stream
    assert specs["reference"].stream != specs["asymmetric"].stream


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
    first = runs.main_networks(cfg, 0, device)
    assert set(first) == {"authors", "strong_decay"} and calls == ["one_plane"]
    assert all(torch.equal(first["authors"]["untrained"][k], first["strong_decay"]["untrained"][k])
               for k in first["authors"]["untrained"])  # one start for both recipes
    assert not torch.equal(first["authors"]["trained"]["fc3.weight"],
                           first["strong_decay"]["trained"]["fc3.weight"])

    def refuse(spec, seed):
        return lambda: pytest.fail("the cached network re-rendered")

    monkeypatch.setattr(runs, "training_data", refuse)
    again = runs.main_networks(cfg, 0, device)
    for name in first:
        assert torch.equal(first[name]["trained"]["fc3.weight"],
                           again[name]["trained"]["fc3.weight"])


def test_a_tiny_run_is_determined_by_its_seed(generator):
    images = torch.rand(40, 1, 32, 32, generator=generator)
    data = {"images": images, "labels": torch.arange(40) % 2, "n_classes": 2}
    device = torch.device("cpu")
    recipe = dataclasses.replace(AUTHORS_RECIPE, epochs=1)
    runs = [train_network(data, seed, "main", recipe, device) for seed in (0, 0, 1)]
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

    recipes = {"authors": dataclasses.replace(AUTHORS_RECIPE, epochs=2),
               "strong": dataclasses.replace(STRONG_DECAY_RECIPE, epochs=2)}

    def job(name):
        return lambda: train_network(data, 0, "main", recipes[name], device)

    before = torch.get_num_threads()
    together = runs.side_by_side({name: job(name) for name in recipes}, device)
    assert torch.get_num_threads() == before
    torch.set_num_threads(1)
    try:
        alone = {name: job(name)() for name in recipes}
    finally:
        torch.set_num_threads(before)
    for name in alone:
        assert torch.equal(together[name]["loss"], alone[name]["loss"])
        assert all(torch.equal(together[name]["trained"][k], alone[name]["trained"][k])
                   for k in alone[name]["trained"])
    assert not torch.equal(together["authors"]["loss"], together["strong"]["loss"])


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
