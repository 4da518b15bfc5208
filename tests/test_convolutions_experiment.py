"""Chapter 2's experiment configuration and summaries (emergence.experiments.convolutions)."""

import dataclasses

import pytest
import torch

from emergence.experiments.convolutions import (
    PROFILE_CHANGES,
    ConvolutionsConfig,
    config_for,
    population_ipr,
    run_key,
    tiling_summary,
)


def test_profiles_change_only_sizes_and_keep_the_papers_settings():
    for profile in PROFILE_CHANGES:
        cfg = config_for(profile)
        assert (cfg.K, cfg.xi, cfg.lr, cfg.g_main) == (8, (1.0, 3.0), 0.05, 10.0)
        assert cfg.g_main in cfg.gains and cfg.g_main in cfg.gains2
    assert config_for("cpu") == ConvolutionsConfig()
    assert config_for("cpu").t2 == 10000.0 and config_for("cpu").L2 == 20  # the paper's Figure 1
    assert config_for("cpu", lr=0.02).lr == 0.02
    with pytest.raises(ValueError, match="profile"):
        config_for("gpu")
    with pytest.raises(TypeError):
        config_for("cpu", learning_rate=0.1)


def test_run_keys_hold_exactly_the_fields_a_run_reads():
    cpu, device = config_for("cpu"), torch.device("cpu")
    wider_sweep = dataclasses.replace(cpu, gains=(1.0, 10.0))
    assert run_key("torus", cpu, 0, device) == run_key("torus", wider_sweep, 0, device)
    assert run_key("sweep", cpu, 0, device) != run_key("sweep", wider_sweep, 0, device)
    assert run_key("sweep", cpu, 0, device) != run_key("sweep", cpu, 1, device)
    assert run_key("cnn", cpu, 0, device) == run_key("cnn", dataclasses.replace(cpu, lr=0.2), 0,
                                                     device)
    with pytest.raises(ValueError, match="run"):
        run_key("figure1", cpu, 0, device)


def test_population_ipr_splits_by_initial_bias_sign():
    """Two one-hot fields (IPR 1) start with b = +1, two uniform fields (IPR 1/D) with −1."""
    D = 10
    weights = torch.stack([torch.eye(D)[0], torch.eye(D)[3], torch.ones(D), -torch.ones(D)])
    sign = torch.tensor([1.0, 1.0, -1.0, -1.0])
    assert population_ipr(weights, sign).tolist() == pytest.approx([1.0, 1 / D])
    assert population_ipr(weights[None, None], sign).shape == (1, 1, 2)


def bumps(centres, L, width=1.5):
    sites = torch.arange(L, dtype=torch.float64)
    fields = []
    for c in centres:
        d = torch.minimum((sites - c) % L, (c - sites) % L)
        fields.append(torch.exp(-d**2 / (2 * width**2)))
    return torch.stack(fields)


def test_tiling_summary_on_planted_fields(generator):
    """Eight evenly spaced bumps (b = +1) tile the ring; their random initial weights are the
    control and do not; the b = −1 neurons and extended fields are not counted."""
    L, K = 96, 12
    cfg = dataclasses.replace(config_for("cpu"), n_random_tiling=1000)
    extended = torch.ones(4, L, dtype=torch.float64)
    final = torch.cat([bumps([12.0 * i for i in range(8)], L), extended])
    final[-1] = bumps([5.0], L)[0]  # localised, but starts with b = −1: not counted
    initial = 0.1 * torch.randn(K, L, generator=generator, dtype=torch.float64)
    sign = torch.tensor([1.0] * 8 + [1.0, -1.0, -1.0, -1.0])
    run = {"weights": torch.stack([initial, final])[:, None], "initial_bias_sign": sign}
    summary = tiling_summary(cfg, run, L, 1, 0, generator)
    assert summary["n_localised"] == 8
    assert summary["test"]["p_value"] < 0.01 and summary["test"]["ratio"] > 1.5
    assert summary["control"]["p_value"] > 0.05


def test_tiling_summary_with_too_few_fields(generator):
    L = 40
    extended = torch.ones(3, L, dtype=torch.float64)
    final = torch.cat([bumps([3.0], L, width=0.5), extended])
    run = {"weights": torch.stack([final, final])[:, None],
           "initial_bias_sign": torch.tensor([1.0, 1.0, -1.0, -1.0])}
    summary = tiling_summary(config_for("smoke"), run, L, 1, 0, generator)
    assert summary["n_localised"] == 1 and summary["test"] is None and summary["control"] is None
