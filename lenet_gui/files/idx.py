"""Load, checksum and download MNIST, kept in its original IDX format.

The four MNIST files are IDX files (:mod:`lenet_gui.files.idx_format`, whose
reading and writing this module re-exports), usually gzip-compressed; either
form is read, told apart by the gzip magic bytes, never by the file name. The
header of each file is checked (magic number, 28x28 images) before its values
are read.

Only numpy and the standard library are used here (no torch, no Qt).
"""

from __future__ import annotations

import gzip
import http.client
import io
import os
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from lenet_gui.files.idx_format import (
    IDX_TYPE_NAMES,
    IdxFormatError,
    content_sha256,
    read_idx,
    read_idx_checked,
    shape_text,
    stream_sha256,
    write_idx,
)
from lenet_gui.files.safe_read import RefusedFile, regular_file_status
from lenet_gui.files.safe_write import write_file
from lenet_gui.spec.lenet5 import MNIST_SIDE

__all__ = [
    "DEFAULT_MIRRORS",
    "MNIST_FILES",
    "MNIST_SHA256",
    "IdxFormatError",
    "MnistDownloadError",
    "download_mnist",
    "load_mnist",
    "read_idx",
    "sha256_of_data",
    "write_idx",
]

#: The four MNIST files, by their standard names without the ``.gz`` suffix.
MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)

#: sha256 of the *uncompressed* content of each official MNIST file. The gzip
#: wrappers differ between mirrors; their content does not.
MNIST_SHA256 = {
    "train-images-idx3-ubyte": (
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    ),
    "train-labels-idx1-ubyte": (
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
    ),
    "t10k-images-idx3-ubyte": (
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    ),
    "t10k-labels-idx1-ubyte": (
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
    ),
}

#: Public mirrors serving the four ``.gz`` files, tried in order.
DEFAULT_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

_IMAGES_MAGIC = 0x0803  # unsigned bytes, 3 dimensions
_LABELS_MAGIC = 0x0801  # unsigned bytes, 1 dimension
_IMAGE_SIZE = (MNIST_SIDE, MNIST_SIDE)
_NUM_CLASSES = 10

_SPLIT_PREFIX = {"train": "train", "test": "t10k"}
_MAX_DOWNLOAD = 64 * 2**20  # a .gz from a mirror (MNIST's largest: 9.9 MB)


class MnistDownloadError(RuntimeError):
    """No mirror delivered a valid copy of an MNIST file.

    The message lists, for each mirror, what went wrong.
    """


def load_mnist(
    data_dir: str | os.PathLike[str], split: Literal["train", "test"]
) -> tuple[np.ndarray, np.ndarray]:
    """Load the images and labels of one MNIST split.

    Each file is looked for under its standard name, first with ``.gz`` then
    uncompressed, e.g. ``t10k-images-idx3-ubyte.gz`` or
    ``t10k-images-idx3-ubyte``.

    Parameters
    ----------
    data_dir : str or path-like
        Directory holding the files.
    split : {"train", "test"}
        ``"train"`` reads the ``train-*`` files, ``"test"`` the ``t10k-*``.

    Returns
    -------
    images : numpy.ndarray
        Shape (N, 28, 28), dtype uint8.
    labels : numpy.ndarray
        Shape (N,), dtype uint8, values 0 to 9.

    Raises
    ------
    ValueError
        If ``split`` is neither ``"train"`` nor ``"test"``.
    IdxFormatError
        If a file is missing or malformed, the images are not 28x28 unsigned
        bytes (magic 2051), the labels not a 1-D unsigned byte list (magic
        2049), the counts differ, there are no images, or a label is outside
        0..9.
    """
    if split not in _SPLIT_PREFIX:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    prefix = _SPLIT_PREFIX[split]
    images_path = _find_mnist_file(Path(data_dir), f"{prefix}-images-idx3-ubyte")
    labels_path = _find_mnist_file(Path(data_dir), f"{prefix}-labels-idx1-ubyte")

    def check_images(magic: int, shape: tuple[int, ...]) -> None:
        _check_magic(images_path, magic, _IMAGES_MAGIC, "images")
        if shape[1:] != _IMAGE_SIZE:
            raise IdxFormatError(
                f"{images_path}: images are {shape_text(shape[1:])}, "
                f"expected {shape_text(_IMAGE_SIZE)}"
            )
        if shape[0] == 0:
            raise IdxFormatError(f"{images_path}: the file holds no images")

    _, images = read_idx_checked(images_path, check_images)
    _, labels = read_idx_checked(
        labels_path,
        lambda magic, _: _check_magic(labels_path, magic, _LABELS_MAGIC, "labels"),
    )
    if labels.shape[0] != images.shape[0]:
        raise IdxFormatError(
            f"{images_path} holds {images.shape[0]} images but {labels_path} "
            f"holds {labels.shape[0]} labels; the counts must be equal"
        )
    bad = np.flatnonzero(labels >= _NUM_CLASSES)
    if bad.size:
        raise IdxFormatError(
            f"{labels_path}: labels must be 0 to {_NUM_CLASSES - 1}; "
            f"{bad.size} are not, the first is {labels[bad[0]]} at index {bad[0]}"
        )
    return images, labels


def sha256_of_data(data_dir: str | os.PathLike[str]) -> dict[str, str]:
    """Give the sha256 of the uncompressed content of each MNIST file present.

    The hash is of the IDX bytes after any gzip decompression, so it matches
    :data:`MNIST_SHA256` whichever form the file is stored in. Files are found
    as :func:`load_mnist` finds them (``.gz`` first).

    Parameters
    ----------
    data_dir : str or path-like
        Directory holding the files.

    Returns
    -------
    dict of str to str
        Standard file name without ``.gz`` (as in :data:`MNIST_FILES`) to hex
        digest. Files that are absent are left out, so a directory holding only
        the test split gives two entries.

    Raises
    ------
    IdxFormatError
        If none of the four files is there, or one is unreadable or corrupt
        gzip.
    """
    data_dir = Path(data_dir)
    found = {
        name: path
        for name in MNIST_FILES
        if (path := _existing_mnist_file(data_dir, name)) is not None
    }
    if not found:
        raise IdxFormatError(
            f"{data_dir}: none of the MNIST files {', '.join(MNIST_FILES)} "
            "(with or without .gz) is there"
        )
    return {name: content_sha256(path) for name, path in found.items()}


def download_mnist(
    data_dir: str | os.PathLike[str],
    mirrors: Sequence[str] = DEFAULT_MIRRORS,
    *,
    opener: Callable[..., Any] = urllib.request.urlopen,
    timeout: float = 60.0,
) -> list[Path]:
    """Download the four MNIST ``.gz`` files, verifying each one.

    A file already in ``data_dir`` (``.gz`` or uncompressed) whose content has
    the official sha256 is kept as is. Otherwise each mirror is tried in turn
    until one delivers a file whose uncompressed content has the official
    sha256. The download is written to a temporary name in ``data_dir`` and
    renamed into place only once verified, so an interrupted run never leaves
    a partial file under the real name.

    Parameters
    ----------
    data_dir : str or path-like
        Destination directory; created if missing.
    mirrors : sequence of str
        Base URLs, tried in order; the file name is appended to each.
    opener : callable
        ``opener(url, timeout=timeout)`` returns a context manager whose
        ``read()`` gives the response body. Defaults to
        :func:`urllib.request.urlopen`; tests pass a fake.
    timeout : float
        Seconds passed to ``opener`` for each request.

    Returns
    -------
    list of pathlib.Path
        The path holding each of the four files, in :data:`MNIST_FILES` order.

    Raises
    ------
    MnistDownloadError
        If no mirror delivers a valid copy of a file. The message lists what
        failed for each mirror. Files verified before the failure are kept.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in MNIST_FILES:
        path = _valid_existing_file(data_dir, name)
        if path is None:
            path = _download_one(data_dir, name, mirrors, opener, timeout)
        paths.append(path)
    return paths


def _existing_mnist_file(data_dir: Path, name: str) -> Path | None:
    """Return ``data_dir/name.gz`` or ``data_dir/name``, whichever exists first."""
    for candidate in (data_dir / f"{name}.gz", data_dir / name):
        if candidate.is_file():
            return candidate
    return None


def _find_mnist_file(data_dir: Path, name: str) -> Path:
    """Like :func:`_existing_mnist_file`, but a missing file is an error."""
    path = _existing_mnist_file(data_dir, name)
    if path is None:
        for candidate in (data_dir / f"{name}.gz", data_dir / name):
            # There, but a pipe, a device, a folder or a broken link: say so
            # rather than "not found".
            if os.path.lexists(candidate):
                try:
                    regular_file_status(candidate)
                except RefusedFile as refused:
                    raise IdxFormatError(f"{candidate}: {refused.reason}") from None
        raise IdxFormatError(
            f"MNIST file {name}.gz not found: looked for {name}.gz and {name} "
            f"in {data_dir.resolve()}. Fetch them with "
            "`python -m lenet_gui.train --download --data DIR`, or choose the "
            "directory that holds them."
        )
    return path


def _check_magic(path: Path, magic: int, expected: int, what: str) -> None:
    """Raise unless an MNIST file has the magic number of its kind."""
    if magic != expected:
        raise IdxFormatError(
            f"{path}: magic number {magic}, expected {expected} for MNIST {what} "
            f"(unsigned bytes, {expected & 0xFF} dimensions); the file holds "
            f"{IDX_TYPE_NAMES[magic >> 8]} data with {magic & 0xFF} dimensions"
        )


def _valid_existing_file(data_dir: Path, name: str) -> Path | None:
    """Return the file already holding ``name`` with the official content."""
    for candidate in (data_dir / f"{name}.gz", data_dir / name):
        if not candidate.is_file():
            continue
        try:
            digest = content_sha256(candidate)
        except IdxFormatError:
            continue
        if digest == MNIST_SHA256[name]:
            return candidate
    return None


def _download_one(
    data_dir: Path,
    name: str,
    mirrors: Sequence[str],
    opener: Callable[..., Any],
    timeout: float,
) -> Path:
    """Fetch ``name.gz`` from the first mirror that serves a valid copy."""
    failures = []
    for mirror in mirrors:
        url = f"{mirror.rstrip('/')}/{name}.gz"
        try:
            with opener(url, timeout=timeout) as response:
                body = response.read(_MAX_DOWNLOAD + 1)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            failures.append(f"{url}: download failed: {exc}")
            continue
        if len(body) > _MAX_DOWNLOAD:
            failures.append(f"{url}: more than {_MAX_DOWNLOAD} bytes, not MNIST")
            continue
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as content:
                digest = stream_sha256(url, content)
        except (OSError, EOFError, zlib.error) as exc:
            failures.append(f"{url}: not valid gzip data: {exc}")
            continue
        except IdxFormatError as exc:
            failures.append(str(exc))
            continue
        if digest != MNIST_SHA256[name]:
            failures.append(
                f"{url}: checksum mismatch: content sha256 is {digest}, "
                f"expected {MNIST_SHA256[name]}"
            )
            continue
        # Renamed into place only once whole: never a partial file under
        # the real name.
        write_file(data_dir / f"{name}.gz", body)
        return data_dir / f"{name}.gz"
    tried = "\n  ".join(failures) if failures else "no mirrors were given"
    raise MnistDownloadError(
        f"could not download {name}.gz from any mirror:\n  {tried}"
    )
