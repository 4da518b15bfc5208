import pytest
import torch


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Every test gets its own empty result cache."""
    monkeypatch.setenv("EMERGENCE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def generator():
    return torch.Generator().manual_seed(1234)
