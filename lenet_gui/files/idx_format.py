"""The IDX format: read it in bounded chunks, and write it.

IDX is the tiny binary format the MNIST files use: two zero bytes, a one-byte
data type code, a one-byte number of dimensions, one big-endian 32-bit size per
dimension, then the values in C order, big-endian. Files are often
gzip-compressed; this module reads either form and tells them apart by the
gzip magic bytes, never by the file name.

Reading checks the header first and then reads, in chunks, only the values it
announces, up to :data:`MAX_IDX_BYTES`: a forged header or a gzip bomb (a
small file that inflates to gigabytes) costs an error and a megabyte or two
of memory, never the whole file decompressed. Only regular files are opened.

Only numpy and the standard library are used here (no torch, no Qt).
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NoReturn, Protocol

import numpy as np

from lenet_gui.files.safe_read import RefusedFile, StrPath, open_regular_file

__all__ = [
    "IDX_TYPE_NAMES",
    "MAX_IDX_BYTES",
    "ByteStream",
    "IdxFormatError",
    "content_sha256",
    "read_idx",
    "read_idx_checked",
    "shape_text",
    "stream_sha256",
    "write_idx",
]

_GZIP_MAGIC = b"\x1f\x8b"

# IDX data type code -> big-endian dtype of the stored values.
_IDX_DTYPES: dict[int, np.dtype[Any]] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
IDX_TYPE_NAMES = {
    0x08: "unsigned byte",
    0x09: "signed byte",
    0x0B: "int16",
    0x0C: "int32",
    0x0D: "float32",
    0x0E: "float64",
}

#: Most bytes of values an IDX file may announce: 256 MiB, five times
#: MNIST's training images. Checked from the header before anything is read.
MAX_IDX_BYTES = 256 * 2**20
_MAX_CONTENT = MAX_IDX_BYTES + 4 + 4 * 255  # and the largest header
_CHUNK = 2**20


class ByteStream(Protocol):
    """What IDX data is read from: a file, or the gunzipped content of one."""

    def read(self, size: int, /) -> bytes:
        """Return up to `size` bytes; fewer only at the end, none past it."""
        ...


class IdxFormatError(ValueError):
    """An IDX file is missing, unreadable or malformed.

    The message names the file and says what is wrong with it.
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
        If the file is missing, unreadable or not a regular file, is corrupt
        gzip, has a bad magic number, an unknown type code, no dimensions, a
        payload larger than :data:`MAX_IDX_BYTES`, or a payload whose length
        is not exactly what the header announces.
    """
    return read_idx_checked(path)[1]


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


def read_idx_checked(
    path: str | os.PathLike[str],
    check: Callable[[int, tuple[int, ...]], None] | None = None,
) -> tuple[int, np.ndarray]:
    """Read an IDX file; return its magic number and its values.

    The header is read and checked first, then the values, in chunks, only
    up to the size it announces: a forged header or a gzip bomb costs an
    error and a megabyte or two, never the whole file decompressed in memory.

    Parameters
    ----------
    path : str or path-like
        The file, as for :func:`read_idx`.
    check : callable, optional
        ``check(magic, shape)`` is called once the header is read, before
        the values are; it raises :class:`IdxFormatError` to refuse the
        file, so a file of the wrong kind is not read at all.

    Raises
    ------
    IdxFormatError
        As for :func:`read_idx`, or from `check`.
    """
    with _open_content(path) as (stream, size):
        code, shape = _read_header(path, stream)
        magic = (code << 8) | len(shape)
        if check is not None:
            check(magic, shape)
        data = _read_payload(path, stream, size, code, shape)
    values = np.frombuffer(data, dtype=_IDX_DTYPES[code]).reshape(shape)
    return magic, values.astype(_IDX_DTYPES[code].newbyteorder("="), copy=False)


def _read_header(
    path: str | os.PathLike[str], stream: ByteStream
) -> tuple[int, tuple[int, ...]]:
    """Read and check an IDX header; return its type code and shape."""
    head = _read_up_to(stream, 4)
    if not head:
        raise IdxFormatError(f"{path}: empty file")
    if len(head) < 4:
        raise IdxFormatError(
            f"{path}: only {len(head)} bytes, too short for an IDX header"
        )
    if head[0] != 0 or head[1] != 0:
        raise IdxFormatError(
            f"{path}: not an IDX file: it starts with bytes "
            f"{head[0]:#04x} {head[1]:#04x}, an IDX file starts with two zero bytes"
        )
    code, ndim = head[2], head[3]
    if code not in _IDX_DTYPES:
        known = ", ".join(f"{c:#04x} ({n})" for c, n in IDX_TYPE_NAMES.items())
        raise IdxFormatError(
            f"{path}: unknown IDX data type code {code:#04x}; known codes: {known}"
        )
    if ndim == 0:
        raise IdxFormatError(f"{path}: the header says the data has 0 dimensions")
    sizes = _read_up_to(stream, 4 * ndim)
    if len(sizes) < 4 * ndim:
        raise IdxFormatError(
            f"{path}: truncated header: {ndim} dimensions need {4 + 4 * ndim} "
            f"header bytes, the file has {4 + len(sizes)}"
        )
    shape = tuple(int.from_bytes(sizes[4 * i : 4 * i + 4], "big") for i in range(ndim))
    return code, shape


def _read_payload(
    path: str | os.PathLike[str],
    stream: ByteStream,
    size: int | None,
    code: int,
    shape: tuple[int, ...],
) -> bytearray:
    """Read exactly the values the header announces, refusing more or less.

    `size` is the whole file's length when known (uncompressed files), so
    a wrong length is found before reading; a gzip stream is read only up to
    the announced length and at most a chunk past it.
    """
    expected = math.prod(shape) * _IDX_DTYPES[code].itemsize
    unit = "" if code == 0x08 else f" {IDX_TYPE_NAMES[code]} values"
    says = f"header says {shape_text(shape)}{unit} = {expected} bytes of data"
    if expected > MAX_IDX_BYTES:
        raise IdxFormatError(
            f"{path}: too large: {says}, more than the {MAX_IDX_BYTES} "
            "this reader accepts"
        )
    header_len = 4 + 4 * len(shape)
    if size is not None and size - header_len != expected:
        actual = size - header_len
        _wrong_length(path, says, str(actual), truncated=actual < expected)
    data = _read_up_to(stream, expected)
    if len(data) < expected:
        _wrong_length(path, says, str(len(data)), truncated=True)
    extra = len(_read_up_to(stream, _CHUNK + 1))
    if extra > _CHUNK:
        _wrong_length(path, says, f"more than {expected + _CHUNK}", truncated=False)
    if extra:
        _wrong_length(path, says, str(expected + extra), truncated=False)
    return data


def _wrong_length(
    path: str | os.PathLike[str], says: str, actual: str, *, truncated: bool
) -> NoReturn:
    """Raise the error for values that are fewer or more than announced."""
    problem = "truncated" if truncated else "trailing bytes"
    raise IdxFormatError(f"{path}: {problem}: {says}, file has {actual}")


def _read_up_to(stream: ByteStream, n: int) -> bytearray:
    """Read `n` bytes, fewer only at the end, in chunks (memory grows as read)."""
    data = bytearray()
    while len(data) < n:
        chunk = stream.read(min(_CHUNK, n - len(data)))
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def _open_content(
    path: str | os.PathLike[str],
) -> Iterator[tuple[ByteStream, int | None]]:
    """Open a file's content as a stream, gunzipped if it starts with the magic.

    Yields the stream and, when the file is not compressed, its size (a gzip
    file's content has no trustworthy size until it is read). Read errors
    and damaged gzip data inside the block become :class:`IdxFormatError`.
    """
    raw = _open_regular(path)
    gzipped = False
    try:
        with raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            if gzipped:
                with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                    yield stream, None
            else:
                yield raw, os.fstat(raw.fileno()).st_size
    except (OSError, EOFError, zlib.error) as exc:
        what = "corrupt gzip data" if gzipped else "cannot read the file"
        raise IdxFormatError(f"{path}: {what}: {exc}") from exc


def _open_regular(path: StrPath) -> BinaryIO:
    """Open a regular file for reading; a pipe would block and a device not end."""
    try:
        return open_regular_file(path)
    except RefusedFile as refused:
        if refused.missing:
            raise IdxFormatError(f"{path}: no such file") from None
        if isinstance(refused.__cause__, OSError):
            what = f"cannot read the file: {refused.__cause__}"
            raise IdxFormatError(f"{path}: {what}") from refused.__cause__
        raise IdxFormatError(f"{path}: {refused.reason}") from None


def content_sha256(path: str | os.PathLike[str]) -> str:
    """Return the sha256 of a file's content, after any gzip, streamed."""
    with _open_content(path) as (stream, _):
        return stream_sha256(path, stream)


def stream_sha256(source: object, stream: ByteStream) -> str:
    """Hash a stream in chunks, refusing more content than an IDX file can hold."""
    digest = hashlib.sha256()
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > _MAX_CONTENT:
            raise IdxFormatError(
                f"{source}: more than {_MAX_CONTENT} bytes, too large for IDX data"
            )
        digest.update(chunk)
    return digest.hexdigest()


def shape_text(shape: tuple[int, ...]) -> str:
    """Format a shape as ``60000x28x28``."""
    return "x".join(str(d) for d in shape)
