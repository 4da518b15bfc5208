"""SVHN (the cropped-digit format, ``train_32x32.mat``), downloaded once with its MD5 verified.

``load_svhn(cache_dir)`` returns grayscale images in [0, 1] (N, 32, 32) and labels 0–9.

* The file is MATLAB's format: ``X`` of shape (32, 32, 3, N), uint8, and ``y`` of shape (N, 1)
  with the digits 1–9 as themselves and the digit 0 as 10 (mapped here to 0).
* Download, verification and the errors are those of :mod:`emergence.data.cifar`
  (:func:`~emergence.data.cifar.ensure_archive`): ``DownloadUnavailable`` offline,
  ``CorruptArchiveError`` for a file that fails its checksum or cannot be read.
* Colour becomes grey with the same ITU-R 601 luma as the CIFAR-10 loader.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from emergence.data.cifar import CorruptArchiveError, ensure_archive, md5sum

SVHN_URLS = {"train": "http://ufldl.stanford.edu/housenumbers/train_32x32.mat",
             "test": "http://ufldl.stanford.edu/housenumbers/test_32x32.mat"}
SVHN_MD5 = {"train": "e26dedcc434d2e4c54c9b2d4a06d8373",
            "test": "eb5a983be6a315427106f1b164d9cef3"}


def read_svhn(path: str | Path, md5: str | None = None):
    """Images (N, 32, 32) grayscale in [0, 1] and labels (N,) 0–9 from an SVHN ``.mat`` file;
    with ``md5`` given the file is verified first."""
    from scipy.io import loadmat  # scipy is a dependency of the book; imported when needed
    from scipy.io.matlab import MatReadError

    path = Path(path)
    if md5 is not None and md5sum(path) != md5:
        raise CorruptArchiveError(f"{path} does not match the published MD5 checksum {md5}.")
    try:
        content = loadmat(path)
        x, y = np.asarray(content["X"]), np.asarray(content["y"])
    except (MatReadError, ValueError, KeyError, OSError, TypeError,
            NotImplementedError) as error:
        raise CorruptArchiveError(f"{path} is not a readable SVHN file: {error}") from error
    if x.ndim != 4 or x.shape[:3] != (32, 32, 3) or y.size != x.shape[3]:
        raise CorruptArchiveError(f"{path} has X of shape {x.shape} and y of size {y.size}; "
                                  "expected (32, 32, 3, N) and N.")
    rgb = x.transpose(3, 2, 0, 1).astype(np.float32) / 255.0  # (N, 3, 32, 32)
    images = 0.299 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2]
    labels = y.reshape(-1).astype(np.int64) % 10  # the digit 0 is stored as 10
    return images, labels


def load_svhn(cache_dir: str | Path, split: str = "train", allow_download: bool = True,
              url: str | None = None, md5: str | None = None):
    """Grayscale SVHN from the cache (downloaded and verified once); ``url`` and ``md5`` can
    point at another copy (a mirror, or a test's own small file)."""
    if split not in SVHN_URLS:
        raise ValueError(f"split={split!r} is not allowed; choose one of {tuple(SVHN_URLS)}.")
    md5 = SVHN_MD5[split] if md5 is None else md5
    path = ensure_archive(cache_dir, url=url or SVHN_URLS[split], md5=md5,
                          allow_download=allow_download, name=f"{split}_32x32.mat")
    return read_svhn(path)
