"""Read, write and download MNIST in its original IDX format.

IDX is the tiny binary format the MNIST files use: two zero bytes, a one-byte
data type code, a one-byte number of dimensions, one big-endian 32-bit size per
dimension, then the values in C order, big-endian. The four MNIST files are
usually gzip-compressed; this module reads either form and tells them apart by
the gzip magic bytes, never by the file name.

Only numpy and the standard library are used here (no torch, no Qt).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import math
import os
import tempfile
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

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

_GZIP_MAGIC = b"\x1f\x8b"
_IMAGES_MAGIC = 0x0803  # unsigned bytes, 3 dimensions
_LABELS_MAGIC = 0x0801  # unsigned bytes, 1 dimension
_IMAGE_SIZE = (28, 28)
_NUM_CLASSES = 10

# IDX data type code -> big-endian dtype of the stored values.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_TYPE_NAMES = {
    0x08: "unsigned byte",
    0x09: "signed byte",
    0x0B: "int16",
    0x0C: "int32",
    0x0D: "float32",
    0x0E: "float64",
}
_SPLIT_PREFIX = {"train": "train", "test": "t10k"}


class IdxFormatError(ValueError):
    """An IDX file is missing, unreadable or malformed.

    The message names the file and says what is wrong with it.
    """


class MnistDownloadError(RuntimeError):
    """No mirror delivered a valid copy of an MNIST file.

    The message lists, for each mirror, what went wrong.
    """


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file, gzip-compressed or raw.

    Parameters
    ----------
    path : str or path-like
        The file. Compression is detected from the gzip magic bytes, so the
        name does not matter.

    Returns
    -------
    numpy.ndarray
        The values with the shape given in the header, in native byte order.
        ``uint8`` for the type code 0x08 used by MNIST.

    Raises
    ------
    IdxFormatError
        If the file is missing or unreadable, is corrupt gzip, has a bad
        magic number, an unknown type code, no dimensions, or a payload whose
        length is not exactly what the header announces.
    """
    return _read_idx(path)[1]


def write_idx(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Write an array as an IDX file, gzip-compressed if ``path`` ends in ``.gz``.

    The gzip header carries no time stamp or file name, so the same array
    always gives the same bytes.

    Parameters
    ----------
    path : str or path-like
        Destination; overwritten if it exists.
    array : numpy.ndarray
        At least one dimension, each below 2**32, with dtype uint8, int8,
        int16, int32, float32 or float64.

    Raises
    ------
    ValueError
        If the dtype or shape cannot be stored in IDX.
    """
    array = np.asarray(array)
    code = next(
        (c for c, dt in _IDX_DTYPES.items() if dt.newbyteorder("=") == array.dtype),
        None,
    )
    if code is None:
        raise ValueError(f"IDX cannot store dtype {array.dtype}")
    if not 1 <= array.ndim <= 255 or any(d >= 2**32 for d in array.shape):
        raise ValueError(f"IDX cannot store an array of shape {array.shape}")
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        d.to_bytes(4, "big") for d in array.shape
    )
    data = header + array.astype(_IDX_DTYPES[code], copy=False).tobytes()
    if str(path).endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    Path(path).write_bytes(data)


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

    magic, images = _read_idx(images_path)
    _check_magic(images_path, magic, _IMAGES_MAGIC, "images")
    if images.shape[1:] != _IMAGE_SIZE:
        raise IdxFormatError(
            f"{images_path}: images are {_shape_text(images.shape[1:])}, "
            f"expected {_shape_text(_IMAGE_SIZE)}"
        )
    if images.shape[0] == 0:
        raise IdxFormatError(f"{images_path}: the file holds no images")

    magic, labels = _read_idx(labels_path)
    _check_magic(labels_path, magic, _LABELS_MAGIC, "labels")
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
    return {
        name: hashlib.sha256(_uncompressed_bytes(path)).hexdigest()
        for name, path in found.items()
    }


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


def _read_idx(path: str | os.PathLike[str]) -> tuple[int, np.ndarray]:
    """Read an IDX file; return its magic number and its values."""
    data = _uncompressed_bytes(path)
    if not data:
        raise IdxFormatError(f"{path}: empty file")
    if len(data) < 4:
        raise IdxFormatError(
            f"{path}: only {len(data)} bytes, too short for an IDX header"
        )
    if data[0] != 0 or data[1] != 0:
        raise IdxFormatError(
            f"{path}: not an IDX file: it starts with bytes "
            f"{data[0]:#04x} {data[1]:#04x}, an IDX file starts with two zero bytes"
        )
    code, ndim = data[2], data[3]
    if code not in _IDX_DTYPES:
        known = ", ".join(f"{c:#04x} ({n})" for c, n in _TYPE_NAMES.items())
        raise IdxFormatError(
            f"{path}: unknown IDX data type code {code:#04x}; known codes: {known}"
        )
    if ndim == 0:
        raise IdxFormatError(f"{path}: the header says the data has 0 dimensions")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IdxFormatError(
            f"{path}: truncated header: {ndim} dimensions need {header_len} "
            f"header bytes, the file has {len(data)}"
        )
    shape = tuple(
        int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)
    )
    dtype = _IDX_DTYPES[code]
    expected = math.prod(shape) * dtype.itemsize
    actual = len(data) - header_len
    if actual != expected:
        unit = "" if dtype.itemsize == 1 else f" {_TYPE_NAMES[code]} values"
        problem = "truncated" if actual < expected else "trailing bytes"
        raise IdxFormatError(
            f"{path}: {problem}: header says {_shape_text(shape)}{unit} = "
            f"{expected} bytes of data, file has {actual}"
        )
    values = np.frombuffer(data, dtype=dtype, offset=header_len).reshape(shape)
    return (code << 8) | ndim, values.astype(dtype.newbyteorder("="))


def _uncompressed_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return a file's bytes, gunzipped if they start with the gzip magic."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise IdxFormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise IdxFormatError(f"{path}: cannot read the file: {exc}") from exc
    if data[:2] != _GZIP_MAGIC:
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise IdxFormatError(f"{path}: corrupt gzip data: {exc}") from exc


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
            f"{_TYPE_NAMES[magic >> 8]} data with {magic & 0xFF} dimensions"
        )


def _shape_text(shape: tuple[int, ...]) -> str:
    """Format a shape as ``60000x28x28``."""
    return "x".join(str(d) for d in shape)


def _valid_existing_file(data_dir: Path, name: str) -> Path | None:
    """Return the file already holding ``name`` with the official content."""
    for candidate in (data_dir / f"{name}.gz", data_dir / name):
        if not candidate.is_file():
            continue
        try:
            digest = hashlib.sha256(_uncompressed_bytes(candidate)).hexdigest()
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
                body = response.read()
        except (OSError, ValueError, http.client.HTTPException) as exc:
            failures.append(f"{url}: download failed: {exc}")
            continue
        try:
            content = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as exc:
            failures.append(f"{url}: not valid gzip data: {exc}")
            continue
        digest = hashlib.sha256(content).hexdigest()
        if digest != MNIST_SHA256[name]:
            failures.append(
                f"{url}: checksum mismatch: content sha256 is {digest}, "
                f"expected {MNIST_SHA256[name]}"
            )
            continue
        return _write_atomically(data_dir / f"{name}.gz", body)
    tried = "\n  ".join(failures) if failures else "no mirrors were given"
    raise MnistDownloadError(
        f"could not download {name}.gz from any mirror:\n  {tried}"
    )


def _write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path``, then rename it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates the file private (0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
