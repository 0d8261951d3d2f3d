"""MNIST files are read by their header first, streamed, in bounded memory.

A small ``.gz`` can inflate to gigabytes, and a header can announce any
size. Here gzip bombs (a few hundred kB that inflate to 128 MiB of zeros)
with a plausible header, and headers claiming absurd sizes, must cost an
error and a few MB, measured with tracemalloc (which sees Python's, zlib's
and numpy's allocations).
"""

from __future__ import annotations

import gzip
import os
import threading
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from lenet_gui.files.idx import (
    IdxFormatError,
    load_mnist,
    read_idx,
    sha256_of_data,
    write_idx,
)
from lenet_gui.files.idx_format import MAX_IDX_BYTES

INFLATED = 128 * 2**20  # what each bomb decompresses to
SMALL = 16 * 2**20  # the most memory a refusal may take


def idx_header(code: int, shape: tuple[int, ...]) -> bytes:
    return bytes([0, 0, code, len(shape)]) + b"".join(
        d.to_bytes(4, "big") for d in shape
    )


def write_bomb(path: Path, header: bytes, inflated: int = INFLATED) -> Path:
    """Write `header` and then `inflated` zero bytes, gzip-compressed, streamed."""
    zeros = bytes(2**20)
    with gzip.open(path, "wb", compresslevel=6) as stream:
        stream.write(header)
        for _ in range(inflated // len(zeros)):
            stream.write(zeros)
    assert path.stat().st_size < inflated // 500  # a real bomb: small on disk
    return path


def peak_memory(action) -> int:
    """Most bytes held at once, as tracemalloc counts, while `action` runs."""
    tracemalloc.start()
    try:
        action()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def refused(match: str, read, *args):
    """An action that expects `read(*args)` to raise IdxFormatError matching."""

    def action() -> None:
        with pytest.raises(IdxFormatError, match=match):
            read(*args)

    return action


@pytest.fixture(scope="module")
def mnist_bomb(tmp_path_factory) -> Path:
    """A test split whose images file has 100 images' header, then 128 MiB."""
    folder = tmp_path_factory.mktemp("bomb")
    write_bomb(folder / "t10k-images-idx3-ubyte.gz", idx_header(0x08, (100, 28, 28)))
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.zeros(100, np.uint8))
    return folder


def test_a_gzip_bomb_behind_a_normal_header_is_refused_in_little_memory(mnist_bomb):
    action = refused("trailing bytes", load_mnist, mnist_bomb, "test")
    assert peak_memory(action) < SMALL


def test_the_checksum_of_a_gzip_bomb_is_streamed(mnist_bomb):
    sums = {}
    assert peak_memory(lambda: sums.update(sha256_of_data(mnist_bomb))) < SMALL
    assert set(sums) == {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}


@pytest.mark.parametrize(
    "shape",
    [(0xFFFFFFFF, 28, 28), (0xFFFFFFFF,) * 4, (600_000, 28, 28)],
    ids=["4e9-images", "4-dims-of-4e9", "600k-images"],
)
def test_a_header_claiming_an_absurd_size_is_refused_before_reading(tmp_path, shape):
    path = write_bomb(tmp_path / "images.gz", idx_header(0x08, shape), 64 * 2**20)
    action = refused("too large", read_idx, path)
    assert peak_memory(action) < SMALL
    raw = tmp_path / "images"
    raw.write_bytes(idx_header(0x08, shape) + bytes(100))
    with pytest.raises(IdxFormatError, match=f"more than the {MAX_IDX_BYTES}"):
        read_idx(raw)


def test_a_header_claiming_much_more_than_the_file_holds_allocates_only_what_is_read(
    tmp_path,
):
    # 200 MiB announced (within the limit), 1 MiB there: no room is made
    # for the 200 MiB before they arrive.
    path = tmp_path / "short.gz"
    path.write_bytes(gzip.compress(idx_header(0x08, (200 * 2**20,)) + bytes(2**20)))
    action = refused("truncated", read_idx, path)
    assert peak_memory(action) < SMALL


def test_mnist_of_the_wrong_kind_is_refused_from_its_header(tmp_path):
    # 32x32 images: refused before the 128 MiB behind the header are read.
    write_bomb(tmp_path / "t10k-images-idx3-ubyte.gz", idx_header(0x08, (9, 32, 32)))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(9, np.uint8))
    action = refused("images are 32x32", load_mnist, tmp_path, "test")
    assert peak_memory(action) < SMALL


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "images"
    os.mkfifo(fifo)
    outcome = []

    def read() -> None:
        try:
            read_idx(fifo)
        except IdxFormatError as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the stuck open, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
        pytest.fail("reading a FIFO blocked")
    assert outcome and "not a regular file" in outcome[0]


def test_valid_files_still_read_the_same(tmp_path):
    images = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.array([1, 2, 3], np.uint8))
    got, labels = load_mnist(tmp_path, "test")
    np.testing.assert_array_equal(got, images)
    assert labels.tolist() == [1, 2, 3] and got.flags.writeable
