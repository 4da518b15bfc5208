"""Chapter 3's natural training sets (the paper's Fig. 4): SVHN and CIFAR-10 read from small
files this test writes, the mirrored-half constructions, and the offline fallback."""

import io
import pickle
import tarfile

import numpy as np
import pytest
import torch
from scipy.io import savemat

from emergence.data.cifar import ARCHIVE, CorruptArchiveError, DownloadUnavailable, md5sum
from emergence.data.mirror_sets import (
    NATURAL_SETS,
    OFFLINE_VARIABLE,
    fig4_training_sets,
    mirror_half,
    training_source,
)
from emergence.data.svhn import load_svhn, read_svhn


def write_svhn(path, n=12, seed=0):
    """A tiny SVHN-format file: X (32, 32, 3, n) uint8, y (n, 1) with 10 standing for 0."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(32, 32, 3, n), dtype=np.uint8)
    digits = np.arange(n) % 10
    y = np.where(digits == 0, 10, digits).reshape(n, 1).astype(np.uint8)
    savemat(path, {"X": x, "y": y})
    return x, digits


def write_cifar(path, n=10, seed=1):
    """A tiny CIFAR-10-format archive: five training batches of n images and a test batch."""
    rng = np.random.default_rng(seed)
    with tarfile.open(path, "w:gz") as tar:
        for name in (*[f"data_batch_{i}" for i in range(1, 6)], "test_batch"):
            data = rng.integers(0, 256, size=(n, 3 * 32 * 32), dtype=np.uint8)
            payload = pickle.dumps({b"data": data, b"labels": list(rng.integers(0, 10, n))})
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))


@pytest.fixture
def server(tmp_path):
    """Local "downloads" (file:// URLs) of a tiny CIFAR-10 archive and a tiny SVHN file."""
    folder = tmp_path / "server"
    folder.mkdir()
    write_cifar(folder / ARCHIVE)
    x, digits = write_svhn(folder / "train_32x32.mat")
    sources = {name: {"url": (folder / file).as_uri(), "md5": md5sum(folder / file)}
               for name, file in (("cifar10", ARCHIVE), ("svhn", "train_32x32.mat"))}
    return {"sources": sources, "svhn_x": x, "svhn_digits": digits}


def test_svhn_reader_converts_to_grey_and_maps_ten_to_zero(tmp_path):
    x, digits = write_svhn(tmp_path / "train_32x32.mat")
    images, labels = read_svhn(tmp_path / "train_32x32.mat")
    assert images.shape == (12, 32, 32) and images.dtype == np.float32
    assert labels.tolist() == digits.tolist() and labels.min() == 0 and labels.max() == 9
    rgb = x[..., 3].astype(np.float32) / 255  # (32, 32, 3): row, column, colour
    grey = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    np.testing.assert_allclose(images[3], grey, atol=1e-6)  # rows stay rows, columns columns
    with pytest.raises(CorruptArchiveError, match="MD5"):
        read_svhn(tmp_path / "train_32x32.mat", md5="0" * 32)
    (tmp_path / "bad.mat").write_bytes(b"not a mat file")
    with pytest.raises(CorruptArchiveError):
        read_svhn(tmp_path / "bad.mat")
    savemat(tmp_path / "wrong.mat", {"X": np.zeros((8, 8, 3, 2), np.uint8),
                                     "y": np.ones((2, 1), np.uint8)})
    with pytest.raises(CorruptArchiveError, match="expected"):
        read_svhn(tmp_path / "wrong.mat")


def test_svhn_is_downloaded_once_verified_and_refused_offline(tmp_path, server):
    source = server["sources"]["svhn"]
    images, labels = load_svhn(tmp_path / "cache", **source)
    assert images.shape == (12, 32, 32) and (tmp_path / "cache" / "train_32x32.mat").exists()
    images_again, _ = load_svhn(tmp_path / "cache", allow_download=False, md5=source["md5"])
    np.testing.assert_array_equal(images, images_again)  # read from the cache, no download
    with pytest.raises(DownloadUnavailable):
        load_svhn(tmp_path / "empty", allow_download=False)
    with pytest.raises(ValueError, match="split"):
        load_svhn(tmp_path, split="extra")


def test_mirror_half_flips_half_with_the_same_or_new_labels():
    x = torch.rand(10, 1, 32, 32, generator=torch.Generator().manual_seed(0))
    y = torch.arange(10) % 5
    same = mirror_half(x, y, 5, torch.Generator().manual_seed(3), new_class=False)
    new = mirror_half(x, y, 5, torch.Generator().manual_seed(3), new_class=True)
    flipped = same["flipped"]
    assert int(flipped.sum()) == 5 and torch.equal(flipped, new["flipped"])
    assert torch.equal(same["images"][flipped], x[flipped].flip(-1))
    assert torch.equal(same["images"][~flipped], x[~flipped])
    assert torch.equal(same["images"], new["images"])  # paired: only the labels differ
    assert torch.equal(same["labels"], y) and same["n_classes"] == 5
    assert torch.equal(new["labels"][flipped], y[flipped] + 5)
    assert torch.equal(new["labels"][~flipped], y[~flipped]) and new["n_classes"] == 10
    assert torch.equal(x, torch.rand(10, 1, 32, 32, generator=torch.Generator().manual_seed(0)))
    with pytest.raises(ValueError, match="differ"):
        mirror_half(x, y[:3], 5, torch.Generator(), new_class=False)


def test_fig4_sets_are_built_from_the_downloaded_files(tmp_path, server):
    sets = fig4_training_sets(tmp_path / "cache", torch.Generator().manual_seed(0),
                              sources=server["sources"])
    assert tuple(sets) == NATURAL_SETS
    assert sets["cifar10"]["images"].shape == (50, 1, 32, 32)  # five batches of ten
    svhn = sets["svhn"]
    assert svhn["images"].shape == (12, 1, 32, 32) and svhn["n_classes"] == 10
    assert svhn["labels"].tolist() == server["svhn_digits"].tolist()
    same, new = sets["svhn_mirror_same"], sets["svhn_mirror_new"]
    flipped = same["flipped"]
    assert int(flipped.sum()) == 6 and torch.equal(flipped, new["flipped"])
    assert torch.equal(same["images"][flipped], svhn["images"][flipped].flip(-1))
    assert torch.equal(new["images"], same["images"])
    assert torch.equal(same["labels"], svhn["labels"]) and same["n_classes"] == 10
    assert torch.equal(new["labels"][flipped], svhn["labels"][flipped] + 10)
    assert new["n_classes"] == 20 and int(new["labels"].max()) < 20
    assert all(float(s["images"].min()) >= 0 and float(s["images"].max()) <= 1
               for s in sets.values())
    small = fig4_training_sets(tmp_path / "cache", torch.Generator().manual_seed(0),
                               allow_download=False, n_images=8, sources=server["sources"])
    assert len(small["cifar10"]["images"]) == 8 and len(small["svhn_mirror_new"]["labels"]) == 8


def test_training_source_falls_back_offline_and_only_tries_at_the_paper_profile(
        tmp_path, server, monkeypatch):
    generator = torch.Generator().manual_seed(0)
    for profile in ("smoke", "cpu"):  # never a download, no notice
        assert training_source(profile, tmp_path / "c", generator,
                               sources=server["sources"]) == (None, "")
    assert not (tmp_path / "c").exists()
    sets, notice = training_source("paper", tmp_path / "c", generator,
                                   sources=server["sources"])
    assert notice == "" and tuple(sets) == NATURAL_SETS
    sets, notice = training_source("paper", tmp_path / "empty", generator, allow_download=False)
    assert sets is None and "falls back to the procedural" in notice
    monkeypatch.setenv(OFFLINE_VARIABLE, "1")  # offline by the environment: nothing is fetched
    sets, notice = training_source("paper", tmp_path / "other", generator,
                                   sources=server["sources"])
    assert sets is None and "falls back" in notice and not list((tmp_path / "other").rglob("*.*"))
    monkeypatch.delenv(OFFLINE_VARIABLE)
    broken = {"cifar10": {"url": (tmp_path / "nowhere.tar.gz").as_uri(), "md5": "0" * 32}}
    sets, notice = training_source("paper", tmp_path / "d", generator, sources=broken)
    assert sets is None and "could not download" in notice  # a failing download falls back
