"""read_image: every kind of file a person might load, good or bad.

All files are made in tmp_path: with Qt's own writers where Qt can write the
format, by hand (GIF, crafted PNG headers, EXIF) where it cannot.
"""

from __future__ import annotations

import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import array_shapes, arrays
from image_samples import (
    GREYS,
    gif_bytes,
    grey_qimage,
    palette_qimage,
    png_claiming,
    rgba_qimage,
    save,
)
from PySide6.QtGui import QColor, QImage, QImageReader, QImageWriter, QPainter

from lenet_gui.drawing.image_file import (
    MAX_FILE_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    ImageFileError,
    image_formats,
    read_image,
)
from lenet_gui.files.idx import load_mnist
from lenet_gui.network.weights import BUNDLED_WEIGHTS

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"


# --- making image files ------------------------------------------------------


@pytest.fixture(scope="module")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    return load_mnist(MNIST_DIR, "test")


@pytest.fixture(scope="module")
def digit(mnist) -> np.ndarray:
    """A 7 from MNIST, enlarged 4x: 112x112 uint8, light ink on dark."""
    return np.kron(mnist[0][0], np.ones((4, 4), dtype=np.uint8))


def check_levels(a: np.ndarray, shape: tuple[int, int]) -> None:
    assert a.shape == shape
    assert a.dtype == np.float32
    assert a.flags.c_contiguous
    assert np.isfinite(a).all()
    assert a.min() >= 0.0 and a.max() <= 1.0


def assert_one_line_error(excinfo: pytest.ExceptionInfo, path: Path, *words: str):
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert excinfo.value.path == str(path)
    for word in words:
        assert word in excinfo.value.reason, message


# --- formats and polarity ----------------------------------------------------

LOSSLESS = ["png", "bmp", "tiff", "pgm"]


@pytest.mark.parametrize("suffix", LOSSLESS)
@pytest.mark.parametrize("dark_on_light", [False, True])
def test_lossless_formats_read_back_exactly(tmp_path, digit, suffix, dark_on_light):
    if suffix not in image_formats():
        pytest.skip(f"no Qt plugin for {suffix} here")
    source = 255 - digit if dark_on_light else digit
    path = save(grey_qimage(source), tmp_path / f"digit.{suffix}")
    a = read_image(path)
    check_levels(a, source.shape)
    np.testing.assert_allclose(a, source / 255.0, atol=1e-6)


@pytest.mark.parametrize("suffix", ["jpg", "webp"])
@pytest.mark.parametrize("dark_on_light", [False, True])
def test_lossy_formats_read_back_closely(tmp_path, digit, suffix, dark_on_light):
    if suffix not in image_formats():
        pytest.skip(f"no Qt plugin for {suffix} here")
    source = 255 - digit if dark_on_light else digit
    path = save(grey_qimage(source), tmp_path / f"digit.{suffix}", quality=95)
    a = read_image(path)
    check_levels(a, source.shape)
    assert np.abs(a - source / 255.0).mean() < 0.02
    # The polarity is the file's: paper stays paper.
    assert a[:8, :8].mean() == pytest.approx(1.0 if dark_on_light else 0.0, abs=0.03)


@pytest.mark.parametrize("dark_on_light", [False, True])
def test_gif_reads_back_exactly(tmp_path, digit, dark_on_light):
    source = 255 - digit if dark_on_light else digit
    path = tmp_path / "digit.gif"
    path.write_bytes(gif_bytes([source], GREYS))
    a = read_image(path)
    check_levels(a, source.shape)
    np.testing.assert_allclose(a, source / 255.0, atol=1e-6)


def test_colour_image_is_read_as_luma(tmp_path):
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, size=(20, 30, 3), dtype=np.uint8)
    rgba = np.dstack([rgb, np.full((20, 30), 255, np.uint8)])
    a = read_image(save(rgba_qimage(rgba), tmp_path / "colour.png"))
    expected = rgb @ np.array([0.299, 0.587, 0.114]) / 255.0
    np.testing.assert_allclose(a, expected, atol=1e-5)


def test_content_decides_the_format_not_the_suffix(tmp_path, digit):
    path = save(grey_qimage(digit), tmp_path / "digit.png")
    renamed = path.rename(tmp_path / "actually-a-png.jpg")
    no_suffix = shutil.copy(renamed, tmp_path / "digit")
    np.testing.assert_allclose(read_image(renamed), digit / 255.0, atol=1e-6)
    np.testing.assert_allclose(read_image(no_suffix), digit / 255.0, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(arrays(np.uint8, array_shapes(min_dims=2, max_dims=2, max_side=40)))
def test_any_grey_png_round_trips(pixels):
    with tempfile.TemporaryDirectory() as folder:
        path = save(grey_qimage(pixels), Path(folder) / "any.png")
        a = read_image(path)
    check_levels(a, pixels.shape)
    np.testing.assert_array_equal(np.rint(a * 255).astype(np.uint8), pixels)


# --- alpha ---------------------------------------------------------------------


@pytest.mark.parametrize("colour", ["black", "white", "noise"])
def test_transparency_is_background_whatever_the_colour(tmp_path, digit, colour):
    height, width = digit.shape
    rgb = {
        "black": np.zeros((height, width, 3), np.uint8),
        "white": np.full((height, width, 3), 255, np.uint8),
        "noise": np.random.default_rng(2).integers(
            0, 256, (height, width, 3), dtype=np.uint8
        ),
    }[colour]
    # The digit lives only in the alpha channel: ink opaque, background clear.
    path = save(rgba_qimage(np.dstack([rgb, digit])), tmp_path / f"{colour}.png")
    a = read_image(path)
    check_levels(a, digit.shape)
    np.testing.assert_allclose(a, digit / 255.0, atol=1e-6)


def test_opaque_alpha_channel_reads_colour(tmp_path, digit):
    rgba = np.dstack([np.stack([255 - digit] * 3, axis=2), np.full_like(digit, 255)])
    image = rgba_qimage(rgba)
    assert image.hasAlphaChannel()
    a = read_image(save(image, tmp_path / "opaque.png"))
    np.testing.assert_allclose(a, (255 - digit) / 255.0, atol=1e-5)


def test_uniformly_faded_image_reads_colour(tmp_path, digit):
    # A constant opacity has no shape: the colours still show the digit.
    rgba = np.dstack([np.stack([digit] * 3, axis=2), np.full_like(digit, 128)])
    a = read_image(save(rgba_qimage(rgba), tmp_path / "faded.png"))
    np.testing.assert_allclose(a, digit / 255.0, atol=1e-5)


def test_fully_transparent_image_is_empty(tmp_path, digit):
    rgba = np.dstack([np.stack([digit] * 3, axis=2), np.zeros_like(digit)])
    a = read_image(save(rgba_qimage(rgba), tmp_path / "invisible.png"))
    check_levels(a, digit.shape)
    assert a.max() == 0.0


def test_gif_transparent_index_is_background(tmp_path, digit):
    frame = np.where(digit > 127, 1, 0).astype(np.uint8)
    path = tmp_path / "transparent.gif"
    # Both colours black: only the transparency tells ink from background.
    path.write_bytes(gif_bytes([frame], [(0, 0, 0), (0, 0, 0)], transparent=0))
    np.testing.assert_array_equal(read_image(path), frame.astype(np.float32))


def test_svg_with_transparent_background(tmp_path):
    if "svg" not in image_formats():
        pytest.skip("no Qt SVG plugin here")
    path = tmp_path / "one.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="80">'
        '<rect x="40" y="10" width="20" height="60" fill="#202020"/></svg>'
    )
    a = read_image(path)
    check_levels(a, (80, 100))
    assert a[40, 50] == pytest.approx(1.0)
    assert a[5, 5] == 0.0 and a[40, 20] == 0.0


# --- depth, palette, CMYK, animation, orientation -------------------------------


def test_16_bit_greyscale_keeps_its_precision(tmp_path):
    values = (np.arange(30 * 40).reshape(30, 40) * 53 + 7).astype(np.uint16)
    path = save(grey_qimage(values), tmp_path / "deep.png")
    assert QImageReader(str(path)).read().format() == QImage.Format.Format_Grayscale16
    a = read_image(path)
    check_levels(a, values.shape)
    # 8 bits would lose up to 128 of these steps; every value survives.
    np.testing.assert_array_equal(np.rint(a.astype(np.float64) * 65535), values)


def test_palette_png(tmp_path, digit):
    colours = [(255, 255, 255), (200, 30, 30), (20, 20, 120), (0, 0, 0)]
    indices = (digit // 64).astype(np.uint8)
    path = save(palette_qimage(indices, colours), tmp_path / "palette.png")
    assert QImageReader(str(path)).imageFormat() == QImage.Format.Format_Indexed8
    luma = np.array([c @ np.array([0.299, 0.587, 0.114]) for c in np.array(colours)])
    np.testing.assert_allclose(read_image(path), luma[indices] / 255.0, atol=1e-5)


def test_cmyk_jpeg(tmp_path, digit):
    if not hasattr(QImage.Format, "Format_CMYK8888"):
        pytest.skip("Qt before 6.8 has no CMYK images")
    paper = grey_qimage(255 - digit).convertToFormat(QImage.Format.Format_CMYK8888)
    path = save(paper, tmp_path / "cmyk.jpg", quality=95)
    assert QImageReader(str(path)).imageFormat() == QImage.Format.Format_CMYK8888
    a = read_image(path)
    check_levels(a, digit.shape)
    # Converted the right way round: light paper, dark ink, as drawn.
    assert a[digit == 0].mean() > 0.95
    assert a[digit == 255].mean() < 0.1
    assert np.abs(a - (255 - digit) / 255.0).mean() < 0.03


def test_animated_gif_reads_its_first_frame(tmp_path, mnist):
    first, second = mnist[0][0], 255 - mnist[0][1]
    path = tmp_path / "animated.gif"
    path.write_bytes(gif_bytes([first, second], GREYS))
    reader = QImageReader(str(path))
    assert reader.imageCount() == 2
    np.testing.assert_allclose(read_image(path), first / 255.0, atol=1e-6)


def jpeg_with_orientation(jpeg: bytes, orientation: int) -> bytes:
    """The JPEG with an EXIF APP1 segment holding only an orientation tag."""
    tiff = b"II*\x00" + struct.pack("<I", 8)
    tiff += struct.pack("<HHHIHHI", 1, 0x0112, 3, 1, orientation, 0, 0)
    app1 = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


def test_exif_orientation_is_applied(tmp_path):
    image = np.zeros((30, 60), np.uint8)
    image[:10, :15] = 255  # a mark in the top-left corner
    plain = save(grey_qimage(image), tmp_path / "plain.jpg", quality=95)
    rotated = tmp_path / "rotated.jpg"
    rotated.write_bytes(jpeg_with_orientation(plain.read_bytes(), 6))
    a = read_image(rotated)
    # Orientation 6: turn 90 degrees clockwise to view; top-left goes top-right.
    check_levels(a, (60, 30))
    assert a[:10, -10:].mean() > 0.9
    assert a[:10, :10].mean() < 0.1


# --- sizes ---------------------------------------------------------------------


def test_one_pixel_image(tmp_path):
    a = read_image(save(grey_qimage(np.array([[200]], np.uint8)), tmp_path / "1.png"))
    check_levels(a, (1, 1))
    assert a[0, 0] == pytest.approx(200 / 255)


@pytest.mark.parametrize("suffix", ["png", "jpg"])
def test_large_photo_is_decoded_scaled_down(tmp_path, suffix):
    image = QImage(6000, 4000, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(1500, 1000, 3000, 2000, QColor("black"))
    painter.end()
    path = save(image, tmp_path / f"photo.{suffix}")
    start = time.perf_counter()
    a = read_image(path)
    elapsed = time.perf_counter() - start
    check_levels(a, (683, MAX_SIDE))
    # The black rectangle is scaled with the image: 256..768 x 171..512.
    assert a[200:480, 290:730].max() < 0.05
    assert a[:150].min() > 0.95 and a[:, :230].min() > 0.95
    assert elapsed < 5, f"decoding took {elapsed:.1f} s"


PEAK_MEMORY_CHILD = """
import re, sys
from lenet_gui.drawing.image_file import read_image

def peak_mib():
    # VmHWM is this process's own peak; ru_maxrss would include the parent's
    # from before exec.
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)) // 1024

read_image(sys.argv[2])  # warm up: plugins, numpy, first allocations
before = peak_mib()
shape = read_image(sys.argv[1]).shape
print(shape, peak_mib() - before)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_large_jpeg_never_exists_at_full_size_in_memory(tmp_path):
    image = QImage(6000, 4000, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    path = save(image, tmp_path / "photo.jpg")
    small = save(grey_qimage(np.zeros((8, 8), np.uint8)), tmp_path / "small.jpg")
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY_CHILD, str(path), str(small)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    shape, growth_mib = result.stdout.rsplit(" ", 1)
    assert shape == f"(683, {MAX_SIDE})"
    # At full size the decoded photo alone would take 92 MiB.
    assert int(growth_mib) < 40, f"peak memory grew by {growth_mib} MiB"


def test_extreme_aspect_ratio_keeps_at_least_one_pixel(tmp_path):
    image = QImage(20000, 8, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    a = read_image(save(image, tmp_path / "strip.png"))
    check_levels(a, (1, MAX_SIDE))


def test_header_claiming_huge_image_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_claiming(100_000, 100_000))
    assert path.stat().st_size < 1000
    assert QImageReader(str(path)).size().width() == 100_000
    start = time.perf_counter()
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    # Decoding 10 GB of pixels (or failing to allocate them) would take longer.
    assert time.perf_counter() - start < 1.0
    assert_one_line_error(excinfo, path, "100000 x 100000", "megapixels")


def test_header_just_over_the_pixel_limit_is_refused(tmp_path):
    width = MAX_PIXELS // 1000 + 1
    path = tmp_path / "wide.png"
    path.write_bytes(png_claiming(width, 1000))
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, f"{width} x 1000")


@pytest.fixture
def allocation_limit():
    before = QImageReader.allocationLimit()
    yield
    QImageReader.setAllocationLimit(before)


def test_qt_allocation_limit_cannot_reject_an_accepted_image(
    tmp_path, allocation_limit
):
    image = QImage(1500, 1000, QImage.Format.Format_RGB32)  # 6 MB decoded
    image.fill(QColor("white"))
    path = save(image, tmp_path / "medium.png")
    QImageReader.setAllocationLimit(1)  # MB: Qt alone would refuse to decode it
    a = read_image(path)
    check_levels(a, (683, MAX_SIDE))
    assert QImageReader.allocationLimit() * 2**20 >= MAX_PIXELS * 8


def test_disabled_allocation_limit_stays_disabled(tmp_path, allocation_limit):
    QImageReader.setAllocationLimit(0)
    read_image(save(grey_qimage(np.zeros((4, 4), np.uint8)), tmp_path / "z.png"))
    assert QImageReader.allocationLimit() == 0


# --- blank, full and noisy images -----------------------------------------------


def test_blank_all_ink_and_noise_images(tmp_path):
    noise = np.random.default_rng(3).integers(0, 256, (50, 50), dtype=np.uint8)
    blank = read_image(
        save(grey_qimage(np.full((50, 50), 255, np.uint8)), tmp_path / "b.png")
    )
    ink = read_image(
        save(grey_qimage(np.zeros((50, 50), np.uint8)), tmp_path / "i.png")
    )
    noisy = read_image(save(grey_qimage(noise), tmp_path / "n.png"))
    assert (blank == 1.0).all()
    assert (ink == 0.0).all()
    np.testing.assert_allclose(noisy, noise / 255.0, atol=1e-6)


# --- bad files -------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.png"
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "no such file")


def test_path_through_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    path = tmp_path / "file" / "digit.png"
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "no such file")


def test_directory(tmp_path):
    path = tmp_path / "folder.png"
    path.mkdir()
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "directory")


def test_empty_name():
    with pytest.raises(ImageFileError, match="no file name"):
        read_image("")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    path = tmp_path / "pipe.png"
    os.mkfifo(path)
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "not a regular file")


def test_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "huge.png"
    with path.open("wb") as stream:
        stream.write(png_claiming(10, 10))
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk space needed
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "larger than the 256 MiB limit")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.png"
    path.touch()
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "empty")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.png", b"This is a text file, not a picture.\n" * 20),
        ("random.jpg", np.random.default_rng(4).bytes(5000)),
    ],
)
def test_non_image_with_image_suffix(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    suffix = name.rsplit(".", 1)[1]
    assert_one_line_error(excinfo, path, "not an image", f".{suffix} name")


def test_unsupported_format(tmp_path):
    # A Photoshop header: a real image format, but not one Qt reads.
    path = tmp_path / "layers.psd"
    path.write_bytes(
        b"8BPS\x00\x01" + bytes(6) + struct.pack(">HIIHH", 3, 64, 64, 8, 3)
    )
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "not an image in any format this app can read")


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_png(tmp_path, digit, fraction):
    data = save(grey_qimage(digit), tmp_path / "whole.png").read_bytes()
    path = tmp_path / "cut.png"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "PNG", "damaged or truncated")


def cut_jpeg(tmp_path: Path, data: bytes, keep: int) -> Path:
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[:keep])
    # What Qt alone does with it: an image, the missing part filled in grey.
    assert not QImageReader(str(path)).read().isNull()
    return path


@pytest.mark.parametrize("progressive", [False, True])
@pytest.mark.parametrize("fraction", [0.3, 0.7, 0.99])
def test_truncated_jpeg_is_refused(tmp_path, digit, progressive, fraction):
    writer = QImageWriter(str(tmp_path / "whole.jpg"))
    writer.setProgressiveScanWrite(progressive)
    assert writer.write(grey_qimage(255 - digit))
    data = (tmp_path / "whole.jpg").read_bytes()
    path = cut_jpeg(tmp_path, data, int(len(data) * fraction))
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "JPEG", "truncated")


def test_jpeg_without_only_its_end_marker_is_refused(tmp_path, digit):
    data = save(grey_qimage(digit), tmp_path / "whole.jpg").read_bytes()
    assert data.endswith(b"\xff\xd9")
    with pytest.raises(ImageFileError, match="truncated"):
        read_image(cut_jpeg(tmp_path, data, len(data) - 2))


def test_jpeg_cut_after_an_embedded_thumbnail_is_refused(tmp_path, digit):
    thumbnail = save(grey_qimage(digit[::8, ::8]), tmp_path / "thumb.jpg").read_bytes()
    main = save(grey_qimage(digit), tmp_path / "main.jpg").read_bytes()
    # The thumbnail's own end marker sits inside an APP15 segment, and must
    # not be taken for the end of the main image.
    segment = b"\xff\xef" + struct.pack(">H", len(thumbnail) + 2) + thumbnail
    whole = main[:2] + segment + main[2:]
    (tmp_path / "whole.jpg").write_bytes(whole)
    assert np.abs(read_image(tmp_path / "whole.jpg") - digit / 255).mean() < 0.02
    with pytest.raises(ImageFileError, match="truncated"):
        read_image(cut_jpeg(tmp_path, whole, len(whole) - len(main) // 3))


def test_jpeg_with_data_after_its_end_is_accepted(tmp_path, digit):
    # Some phone cameras append their own data after the end marker.
    data = save(grey_qimage(digit), tmp_path / "d.jpg", quality=95).read_bytes()
    path = tmp_path / "trailer.jpg"
    path.write_bytes(data + b"SEFH" + bytes(100) + b"\xff\xd8\xff")
    assert np.abs(read_image(path) - digit / 255.0).mean() < 0.02


def test_truncated_bmp_is_refused(tmp_path, digit):
    data = save(grey_qimage(digit), tmp_path / "whole.bmp").read_bytes()
    path = tmp_path / "cut.bmp"
    path.write_bytes(data[: len(data) - 500])
    assert not QImageReader(str(path)).read().isNull()  # Qt alone accepts it
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "BMP", "truncated")


def test_truncated_gif_is_refused(tmp_path, digit):
    data = gif_bytes([digit], GREYS)
    path = tmp_path / "cut.gif"
    path.write_bytes(data[: len(data) // 2])
    assert not QImageReader(str(path)).read().isNull()  # Qt alone accepts it
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert_one_line_error(excinfo, path, "GIF", "truncated")


def test_gif_cut_in_its_second_frame_still_gives_the_first(tmp_path, mnist):
    first = mnist[0][0]
    data = gif_bytes([first, mnist[0][1]], GREYS)
    path = tmp_path / "cut.gif"
    path.write_bytes(data[: len(data) - 200])
    np.testing.assert_allclose(read_image(path), first / 255.0, atol=1e-6)


# --- names and permissions --------------------------------------------------------


def test_non_ascii_file_name(tmp_path, digit):
    path = save(grey_qimage(digit), tmp_path / "chiffre sept ✓ 数字 é.png")
    np.testing.assert_allclose(read_image(path), digit / 255.0, atol=1e-6)
    (tmp_path / "vide é.png").touch()
    with pytest.raises(ImageFileError) as excinfo:
        read_image(tmp_path / "vide é.png")
    assert "vide é.png" in str(excinfo.value)


def test_control_characters_in_the_name_keep_the_message_on_one_line(tmp_path):
    path = tmp_path / "two\nlines.png"
    path.touch()
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert "\n" not in str(excinfo.value)
    assert "two\\nlines.png" in str(excinfo.value)
    assert excinfo.value.path == str(path)


@pytest.mark.skipif(
    sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8",
    reason="needs a POSIX file system with UTF-8 names",
)
def test_file_name_that_is_not_utf8(tmp_path, digit):
    """Such a name is read like any other: Qt decodes the bytes, not the name."""
    png = save(grey_qimage(digit), tmp_path / "digit.png").read_bytes()
    path = os.fsencode(tmp_path) + b"/latin1-\xe9t\xe9.png"
    with open(path, "wb") as stream:
        stream.write(png)
    np.testing.assert_array_equal(
        read_image(os.fsdecode(path)), read_image(tmp_path / "digit.png")
    )


UNREADABLE_CHILD = """
import os, sys
from lenet_gui.drawing.image_file import ImageFileError, read_image
os.setgid(65534)
os.setuid(65534)  # nobody: root ignores permission bits, nobody does not
try:
    read_image(sys.argv[1])
except ImageFileError as error:
    print(error.reason)
"""


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions only")
def test_file_without_read_permission(digit):
    # In a fresh folder readable by all, so only the file's own bits deny.
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        path = save(grey_qimage(digit), folder / "secret.png")
        path.chmod(0)
        if os.geteuid() == 0:
            # Root reads anything: drop to nobody in a child process, after
            # the imports (the interpreter may live where nobody cannot read).
            result = subprocess.run(
                [sys.executable, "-c", UNREADABLE_CHILD, str(path)],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, result.stderr
            reason = result.stdout.strip()
        else:
            with pytest.raises(ImageFileError) as excinfo:
                read_image(path)
            reason = excinfo.value.reason
        assert reason == "permission denied (the file cannot be read)"
    finally:
        (folder / "secret.png").chmod(stat.S_IWUSR | stat.S_IRUSR)
        shutil.rmtree(folder)


# --- formats list and a real prediction -------------------------------------------


def test_image_formats():
    formats = image_formats()
    assert {"bmp", "gif", "jpeg", "jpg", "png"} <= set(formats)
    assert formats == sorted(set(formats))
    assert all(f == f.lower() and "." not in f for f in formats)


@pytest.mark.skipif(
    not BUNDLED_WEIGHTS.exists(), reason="the trained weights are not there yet"
)
@pytest.mark.parametrize("suffix", ["png", "jpg", "gif"])
def test_loaded_digit_is_recognised_in_both_polarities(tmp_path, mnist, suffix):
    from lenet_gui.network.classifier import Classifier

    classifier = Classifier.load()
    images, labels = mnist
    for index in range(5):
        for source in (images[index], 255 - images[index]):
            path = tmp_path / f"{index}.{suffix}"
            if suffix == "gif":
                path.write_bytes(gif_bytes([source], GREYS))
            else:
                save(grey_qimage(source), path, quality=95)
            prediction = classifier.predict(read_image(path))
            assert prediction is not None
            assert prediction.digit == labels[index], path
