"""CIFAR-10 (python version), downloaded once into a cache with its published MD5 verified.

``load_cifar10(cache_dir)`` returns grayscale images in [0, 1] (N, 32, 32) and labels.

* The archive ``cifar-10-python.tar.gz`` is looked for in ``cache_dir``; if it is missing, or its
  MD5 is not the published ``c58f30108f718f92721af3b95e74349a`` (a partial or corrupt
  download), it is (re)downloaded to a temporary file, verified, and only then moved into place.
* ``CorruptArchiveError`` is raised for an archive that fails verification or cannot be read.
* ``DownloadUnavailable`` is raised when the archive is needed but cannot be fetched (offline);
  :func:`cifar10_or_none` turns that into ``None`` plus a message for the page.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
ARCHIVE = "cifar-10-python.tar.gz"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCHES = ("test_batch",)


class CorruptArchiveError(RuntimeError):
    """The archive on disk does not match its checksum or is not a CIFAR-10 archive."""


class DownloadUnavailable(RuntimeError):
    """The archive is not cached and could not be downloaded."""


def md5sum(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def ensure_archive(cache_dir: str | Path, url: str = CIFAR10_URL, md5: str = CIFAR10_MD5,
                   allow_download: bool = True, timeout: float = 30.0,
                   name: str = ARCHIVE) -> Path:
    """The verified archive in ``cache_dir``, downloading it once if needed (module docstring).

    ``name`` is the file name in ``cache_dir`` (other data sets, e.g. SVHN, reuse this function).
    """
    folder = Path(cache_dir).expanduser()
    path = folder / name
    if path.exists():
        if md5sum(path) == md5:
            return path
        print(f"{path} does not match its MD5 checksum (partial or corrupt); fetching it again.")
        path.unlink()
    if not allow_download:
        raise DownloadUnavailable(f"{name} is not in {folder} and downloads are disabled.")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(fd)
    try:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as f:
                while block := response.read(1 << 20):
                    f.write(block)
        except OSError as error:
            raise DownloadUnavailable(f"could not download {url}: {error}") from error
        if md5sum(Path(tmp)) != md5:
            raise CorruptArchiveError(f"the download of {url} does not match MD5 {md5}.")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def read_archive(path: str | Path, batches=TRAIN_BATCHES, md5: str | None = CIFAR10_MD5):
    """Images (N, 32, 32) grayscale in [0, 1] (ITU-R 601 luma) and labels (N,) from an archive in
    CIFAR-10's python format. With ``md5`` given the archive is verified first."""
    path = Path(path)
    if md5 is not None and md5sum(path) != md5:
        raise CorruptArchiveError(f"{path} does not match the published MD5 checksum {md5}.")
    images, labels = [], []
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
            for name in batches:
                if name not in members:
                    raise CorruptArchiveError(f"{path} has no member {name!r}.")
                batch = pickle.load(tar.extractfile(members[name]), encoding="bytes")
                data = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
                rgb = data.astype(np.float32) / 255.0
                images.append(0.299 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2])
                labels.append(np.asarray(batch[b"labels"], dtype=np.int64))
    except (tarfile.TarError, EOFError, OSError, pickle.UnpicklingError, KeyError) as error:
        raise CorruptArchiveError(f"{path} is not a readable CIFAR-10 archive: {error}") from error
    return np.concatenate(images), np.concatenate(labels)


def load_cifar10(cache_dir: str | Path, train: bool = True, allow_download: bool = True,
                 url: str = CIFAR10_URL, md5: str = CIFAR10_MD5):
    """Grayscale CIFAR-10 from the cache (downloaded and verified once); ``url`` and ``md5``
    can point at another copy (a mirror, or a test's own small archive)."""
    path = ensure_archive(cache_dir, url=url, md5=md5, allow_download=allow_download)
    return read_archive(path, TRAIN_BATCHES if train else TEST_BATCHES, md5=md5)


def cifar10_or_none(cache_dir: str | Path, train: bool = True, allow_download: bool = True):
    """``(images, labels), None`` or ``None, notice`` when CIFAR-10 cannot be had."""
    try:
        return load_cifar10(cache_dir, train, allow_download), None
    except (DownloadUnavailable, CorruptArchiveError) as error:
        return None, (f"CIFAR-10 could not be used ({error}); this page falls back to the "
                      "scikit-image photographs.")
