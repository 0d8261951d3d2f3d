"""Tests for lenet_gui.files.idx: IDX reading/writing, MNIST loading, download."""

import gzip
import hashlib
import io
import urllib.error
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lenet_gui.files import idx
from lenet_gui.files.idx import (
    MNIST_FILES,
    IdxFormatError,
    MnistDownloadError,
    download_mnist,
    load_mnist,
    read_idx,
    sha256_of_data,
    write_idx,
)

SUBSET_DIR = Path(__file__).parent / "data" / "mnist"


def idx_bytes(code: int, shape: tuple[int, ...], payload: bytes) -> bytes:
    """Hand-build IDX bytes, independent of write_idx."""
    header = bytes([0, 0, code, len(shape)])
    return header + b"".join(d.to_bytes(4, "big") for d in shape) + payload


def make_mnist_dir(path: Path, split: str = "test", n: int = 5, gz: bool = True):
    """Write a tiny valid MNIST split into ``path``; return images, labels."""
    prefix = {"train": "train", "test": "t10k"}[split]
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    ext = ".gz" if gz else ""
    write_idx(path / f"{prefix}-images-idx3-ubyte{ext}", images)
    write_idx(path / f"{prefix}-labels-idx1-ubyte{ext}", labels)
    return images, labels


# --- round trip -------------------------------------------------------------


@pytest.mark.parametrize("name", ["a-idx3-ubyte", "a-idx3-ubyte.gz"])
def test_round_trip_uint8(tmp_path, name):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = tmp_path / name
    write_idx(path, array)

    raw = path.read_bytes()
    is_gz = name.endswith(".gz")
    assert (raw[:2] == b"\x1f\x8b") == is_gz
    content = gzip.decompress(raw) if is_gz else raw
    assert content == idx_bytes(0x08, (2, 3, 4), array.tobytes())

    back = read_idx(path)
    assert back.dtype == np.uint8
    assert back.shape == (2, 3, 4)
    np.testing.assert_array_equal(back, array)
    back[0, 0, 0] = 99  # the result is an ordinary writable array


@settings(max_examples=40, deadline=None)
@given(
    array=hnp.arrays(
        dtype=st.sampled_from(
            [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]
        ),
        shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=5),
    ),
    gz=st.booleans(),
)
def test_round_trip_all_types(tmp_path_factory, array, gz):
    path = tmp_path_factory.mktemp("rt") / ("x.gz" if gz else "x")
    write_idx(path, array)
    back = read_idx(path)
    assert back.dtype == array.dtype
    assert back.dtype.isnative
    assert back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_big_endian_on_disk(tmp_path):
    path = tmp_path / "x"
    write_idx(path, np.array([1, -2], dtype=np.int32))
    assert path.read_bytes() == idx_bytes(
        0x0C, (2,), b"\x00\x00\x00\x01\xff\xff\xff\xfe"
    )


def test_compression_detected_by_content_not_name(tmp_path):
    array = np.arange(6, dtype=np.uint8).reshape(2, 3)
    content = idx_bytes(0x08, (2, 3), array.tobytes())
    gz_without_suffix = tmp_path / "looks-raw"
    gz_without_suffix.write_bytes(gzip.compress(content))
    raw_with_suffix = tmp_path / "looks-compressed.gz"
    raw_with_suffix.write_bytes(content)
    np.testing.assert_array_equal(read_idx(gz_without_suffix), array)
    np.testing.assert_array_equal(read_idx(raw_with_suffix), array)


def test_write_idx_is_reproducible(tmp_path):
    array = np.arange(100, dtype=np.uint8).reshape(4, 25)
    write_idx(tmp_path / "a.gz", array)
    write_idx(tmp_path / "b.gz", array)
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


@pytest.mark.parametrize(
    "array",
    [np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.uint16), np.uint8(7)],
)
def test_write_idx_rejects_what_idx_cannot_hold(tmp_path, array):
    with pytest.raises(ValueError, match="IDX cannot store"):
        write_idx(tmp_path / "x", array)
    assert not (tmp_path / "x").exists()


# --- malformed files --------------------------------------------------------


def check_error(path: Path, *phrases: str) -> str:
    with pytest.raises(IdxFormatError) as info:
        read_idx(path)
    message = str(info.value)
    assert path.name in message
    for phrase in phrases:
        assert phrase in message
    return message


@pytest.mark.parametrize("gz", [False, True])
def test_truncated(tmp_path, gz):
    path = tmp_path / ("t.gz" if gz else "t")
    data = idx_bytes(0x08, (2, 3, 4), bytes(23))
    path.write_bytes(gzip.compress(data) if gz else data)
    check_error(path, "truncated", "header says 2x3x4 = 24 bytes of data, file has 23")


def test_truncated_counts_bytes_of_wider_types(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(idx_bytes(0x0C, (3,), bytes(11)))
    check_error(path, "truncated", "3 int32 values = 12 bytes of data, file has 11")


def test_truncated_header(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(bytes([0, 0, 8, 3]) + (5).to_bytes(4, "big"))
    check_error(path, "truncated header", "3 dimensions need 16 header bytes")


def test_too_short_for_header(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(b"\x00\x00\x08")
    check_error(path, "too short")


def test_trailing_bytes(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(idx_bytes(0x08, (2, 3), bytes(7)))
    check_error(path, "trailing bytes", "2x3 = 6 bytes of data, file has 7")


def test_wrong_magic(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(b"\x12\x34\x08\x01" + (1).to_bytes(4, "big") + b"\x00")
    check_error(path, "not an IDX file", "0x12 0x34")


def test_wrong_dtype_code(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(idx_bytes(0x0A, (1,), b"\x00"))
    check_error(path, "unknown IDX data type code 0x0a")


def test_zero_dimensions(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(bytes([0, 0, 8, 0]))
    check_error(path, "0 dimensions")


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "t.gz"
    path.write_bytes(b"\x1f\x8b" + b"this is not deflate data" * 4)
    check_error(path, "corrupt gzip")


def test_cut_off_gzip(tmp_path):
    path = tmp_path / "t.gz"
    compressed = gzip.compress(idx_bytes(0x08, (100,), bytes(range(100))))
    path.write_bytes(compressed[: len(compressed) // 2])
    check_error(path, "corrupt gzip")


def test_empty_file(tmp_path):
    path = tmp_path / "t"
    path.write_bytes(b"")
    check_error(path, "empty file")


def test_missing_file(tmp_path):
    check_error(tmp_path / "nope-idx1-ubyte", "no such file")


def test_errors_are_value_errors():
    assert issubclass(IdxFormatError, ValueError)


# --- load_mnist -------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("split", ["train", "test"])
def test_load_mnist(tmp_path, split, gz):
    images, labels = make_mnist_dir(tmp_path, split, n=12, gz=gz)
    got_images, got_labels = load_mnist(tmp_path, split)
    assert got_images.dtype == np.uint8 and got_images.shape == (12, 28, 28)
    assert got_labels.dtype == np.uint8 and got_labels.shape == (12,)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)


def test_load_mnist_reads_only_the_requested_split(tmp_path):
    make_mnist_dir(tmp_path, "test", n=3)
    with pytest.raises(IdxFormatError, match="train-images-idx3-ubyte"):
        load_mnist(tmp_path, "train")


def test_load_mnist_rejects_unknown_split(tmp_path):
    with pytest.raises(ValueError, match="'validation'"):
        load_mnist(tmp_path, "validation")


def test_load_mnist_missing_file(tmp_path):
    with pytest.raises(IdxFormatError) as info:
        load_mnist(tmp_path, "test")
    message = str(info.value)
    assert "t10k-images-idx3-ubyte.gz" in message
    assert "t10k-images-idx3-ubyte in" in message  # the uncompressed name too
    assert str(tmp_path.resolve()) in message
    assert "download" in message


def test_load_mnist_missing_labels_only(tmp_path):
    make_mnist_dir(tmp_path, n=3)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(IdxFormatError, match="t10k-labels-idx1-ubyte.gz not found"):
        load_mnist(tmp_path, "test")


def test_count_mismatch(tmp_path):
    make_mnist_dir(tmp_path, n=5)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(4, dtype=np.uint8))
    with pytest.raises(IdxFormatError) as info:
        load_mnist(tmp_path, "test")
    message = str(info.value)
    assert "t10k-images-idx3-ubyte.gz holds 5 images" in message
    assert "t10k-labels-idx1-ubyte.gz holds 4 labels" in message


def test_labels_out_of_range(tmp_path):
    make_mnist_dir(tmp_path, n=5)
    labels = np.array([1, 2, 10, 3, 255], dtype=np.uint8)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels)
    with pytest.raises(IdxFormatError) as info:
        load_mnist(tmp_path, "test")
    message = str(info.value)
    assert "t10k-labels-idx1-ubyte.gz" in message
    assert "2 are not, the first is 10 at index 2" in message


def test_images_with_wrong_dimensions(tmp_path):
    make_mnist_dir(tmp_path, n=2)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((2, 784), np.uint8))
    with pytest.raises(IdxFormatError) as info:
        load_mnist(tmp_path, "test")
    message = str(info.value)
    assert "t10k-images-idx3-ubyte.gz" in message
    assert "magic number 2050, expected 2051" in message
    assert "2 dimensions" in message


def test_images_with_wrong_dtype(tmp_path):
    make_mnist_dir(tmp_path, n=2)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((2, 28, 28), np.float32))
    with pytest.raises(IdxFormatError, match="magic number 3331, expected 2051"):
        load_mnist(tmp_path, "test")


def test_images_of_wrong_size(tmp_path):
    make_mnist_dir(tmp_path, n=2)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((2, 32, 32), np.uint8))
    with pytest.raises(IdxFormatError, match="images are 32x32, expected 28x28"):
        load_mnist(tmp_path, "test")


def test_labels_with_wrong_dimensions(tmp_path):
    make_mnist_dir(tmp_path, n=2)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros((2, 1), np.uint8))
    with pytest.raises(IdxFormatError, match="magic number 2050, expected 2049"):
        load_mnist(tmp_path, "test")


def test_no_images(tmp_path):
    write_idx(tmp_path / "t10k-images-idx3-ubyte", np.zeros((0, 28, 28), np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.zeros(0, np.uint8))
    with pytest.raises(IdxFormatError, match="holds no images"):
        load_mnist(tmp_path, "test")


def test_malformed_file_inside_load_mnist_is_named(tmp_path):
    make_mnist_dir(tmp_path, n=2)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(b"")
    with pytest.raises(IdxFormatError, match=r"t10k-images-idx3-ubyte\.gz: empty"):
        load_mnist(tmp_path, "test")


def test_gz_is_preferred_over_raw(tmp_path):
    images, _ = make_mnist_dir(tmp_path, n=3, gz=True)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", np.zeros((3, 28, 28), np.uint8))
    np.testing.assert_array_equal(load_mnist(tmp_path, "test")[0], images)


# --- sha256_of_data ---------------------------------------------------------


def test_sha256_of_data_hashes_uncompressed_content(tmp_path):
    make_mnist_dir(tmp_path, "train", n=4, gz=True)
    make_mnist_dir(tmp_path, "test", n=3, gz=False)
    sums = sha256_of_data(tmp_path)
    assert set(sums) == set(MNIST_FILES)
    for name in MNIST_FILES:
        if name.startswith("train"):
            data = gzip.decompress((tmp_path / f"{name}.gz").read_bytes())
        else:
            data = (tmp_path / name).read_bytes()
        assert sums[name] == hashlib.sha256(data).hexdigest()


def test_sha256_same_for_gz_and_raw(tmp_path):
    (tmp_path / "gz").mkdir()
    (tmp_path / "raw").mkdir()
    make_mnist_dir(tmp_path / "gz", n=3, gz=True)
    make_mnist_dir(tmp_path / "raw", n=3, gz=False)
    gz_sums = sha256_of_data(tmp_path / "gz")
    assert set(gz_sums) == {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}
    assert gz_sums == sha256_of_data(tmp_path / "raw")


def test_sha256_of_data_empty_dir(tmp_path):
    with pytest.raises(IdxFormatError, match="none of the MNIST files"):
        sha256_of_data(tmp_path)


# --- download_mnist ---------------------------------------------------------

MIRRORS = ("https://one.example/mnist/", "https://two.example/mnist")


class FakeOpener:
    """Serves canned bodies (or raises canned errors) by URL; records calls."""

    def __init__(self, responses):
        self.responses = responses
        self.calls = []

    def __call__(self, url, timeout):
        self.calls.append(url)
        response = self.responses.get(url)
        if response is None:
            raise urllib.error.HTTPError(url, 404, "Not Found", None, None)
        if isinstance(response, Exception):
            raise response
        return io.BytesIO(response)


@pytest.fixture
def fake_mnist(monkeypatch):
    """Generated content for the four files, made 'official' for the test."""
    content = {
        name: idx_bytes(0x08, (i + 1,), bytes(range(i + 1)))
        for i, name in enumerate(MNIST_FILES)
    }
    monkeypatch.setattr(
        idx,
        "MNIST_SHA256",
        {n: hashlib.sha256(c).hexdigest() for n, c in content.items()},
    )
    return content


def url(mirror: int, name: str) -> str:
    return f"https://{['one', 'two'][mirror]}.example/mnist/{name}.gz"


def assert_downloaded(data_dir: Path, content: dict) -> None:
    for name, data in content.items():
        assert gzip.decompress((data_dir / f"{name}.gz").read_bytes()) == data
    assert not list(data_dir.glob(".*.part")), "temporary files left behind"


def test_download_success(tmp_path, fake_mnist):
    opener = FakeOpener({url(0, n): gzip.compress(c) for n, c in fake_mnist.items()})
    data_dir = tmp_path / "new" / "dir"
    paths = download_mnist(data_dir, MIRRORS, opener=opener)
    assert paths == [data_dir / f"{n}.gz" for n in MNIST_FILES]
    assert opener.calls == [url(0, n) for n in MNIST_FILES]
    assert_downloaded(data_dir, fake_mnist)
    assert sha256_of_data(data_dir) == idx.MNIST_SHA256


def test_download_checksum_mismatch_tries_next_mirror(tmp_path, fake_mnist):
    name = MNIST_FILES[0]
    responses = {url(0, n): gzip.compress(c) for n, c in fake_mnist.items()}
    responses[url(0, name)] = gzip.compress(b"tampered" + fake_mnist[name])
    responses[url(1, name)] = gzip.compress(fake_mnist[name])
    opener = FakeOpener(responses)
    download_mnist(tmp_path, MIRRORS, opener=opener)
    assert opener.calls[:2] == [url(0, name), url(1, name)]
    assert_downloaded(tmp_path, fake_mnist)


@pytest.mark.parametrize(
    "failure",
    [
        urllib.error.URLError("Name or service not known"),
        TimeoutError("timed out"),
        b"\x1f\x8b not really gzip",
    ],
)
def test_download_failure_tries_next_mirror(tmp_path, fake_mnist, failure):
    responses = {url(0, n): failure for n in MNIST_FILES}
    responses.update({url(1, n): gzip.compress(c) for n, c in fake_mnist.items()})
    opener = FakeOpener(responses)
    download_mnist(tmp_path, MIRRORS, opener=opener)
    assert len(opener.calls) == 8
    assert_downloaded(tmp_path, fake_mnist)


def test_download_all_mirrors_fail(tmp_path, fake_mnist):
    name = MNIST_FILES[0]
    opener = FakeOpener(
        {
            url(0, name): urllib.error.URLError("connection refused"),
            url(1, name): gzip.compress(b"wrong content"),
        }
    )
    with pytest.raises(MnistDownloadError) as info:
        download_mnist(tmp_path, MIRRORS, opener=opener)
    message = str(info.value)
    assert f"could not download {name}.gz" in message
    assert f"{url(0, name)}: download failed" in message
    assert "connection refused" in message
    assert f"{url(1, name)}: checksum mismatch" in message
    assert opener.calls == [url(0, name), url(1, name)]
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_download_with_no_mirrors(tmp_path, fake_mnist):
    with pytest.raises(MnistDownloadError, match="no mirrors were given"):
        download_mnist(tmp_path, (), opener=FakeOpener({}))


def test_download_skips_valid_existing_files(tmp_path, fake_mnist):
    gz_name, raw_name, *rest = MNIST_FILES
    (tmp_path / f"{gz_name}.gz").write_bytes(gzip.compress(fake_mnist[gz_name]))
    (tmp_path / raw_name).write_bytes(fake_mnist[raw_name])
    opener = FakeOpener({url(0, n): gzip.compress(fake_mnist[n]) for n in rest})
    paths = download_mnist(tmp_path, MIRRORS, opener=opener)
    assert opener.calls == [url(0, n) for n in rest]
    assert paths[:2] == [tmp_path / f"{gz_name}.gz", tmp_path / raw_name]
    assert not (tmp_path / f"{raw_name}.gz").exists()


def test_download_replaces_invalid_existing_file(tmp_path, fake_mnist):
    name = MNIST_FILES[0]
    (tmp_path / f"{name}.gz").write_bytes(b"\x1f\x8b broken")
    opener = FakeOpener({url(0, n): gzip.compress(c) for n, c in fake_mnist.items()})
    download_mnist(tmp_path, MIRRORS, opener=opener)
    assert url(0, name) in opener.calls
    assert_downloaded(tmp_path, fake_mnist)


def test_official_checksums_are_well_formed():
    assert set(idx.MNIST_SHA256) == set(MNIST_FILES)
    for digest in idx.MNIST_SHA256.values():
        assert len(digest) == 64 and int(digest, 16) >= 0


# --- the shipped subset -----------------------------------------------------


def test_shipped_subset():
    images, labels = load_mnist(SUBSET_DIR, "test")
    assert images.shape == (2000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (2000,) and labels.dtype == np.uint8
    counts = np.bincount(labels, minlength=10)
    assert counts.tolist() == [175, 234, 219, 207, 217, 179, 178, 205, 192, 194]
    assert counts.min() > 150  # every class well represented
    # Real handwriting: mostly black background, some full-intensity strokes.
    assert 0.7 < (images == 0).mean() < 0.9
    assert images.max() == 255
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
