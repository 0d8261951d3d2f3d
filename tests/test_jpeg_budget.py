"""A progressive JPEG whose last scan repeats is refused before it is decoded."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage, QImageWriter

from lenet_gui.drawing.image_file import ImageFileError, read_image
from lenet_gui.files.jpeg_budget import (
    MAX_SCAN_PIXELS,
    JpegRefused,
    check_jpeg,
    count_scans,
)


def progressive_jpeg(side: int) -> bytes:
    grey = np.full((side, side), 200, dtype=np.uint8)
    grey[side // 4 : side // 2, side // 3 : side // 2] = 30  # a dark block
    image = QImage(grey.data, side, side, side, QImage.Format.Format_Grayscale8)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"jpeg")
    writer.setProgressiveScanWrite(True)
    writer.setQuality(90)
    assert writer.write(image), writer.errorString()
    return bytes(buffer.data().data())


def repeat_last_scan(data: bytes, times: int) -> bytes:
    """The hostile file: the last scan (SOS to EOI) repeated `times` more times."""
    last = data.rindex(b"\xff\xda")
    end = data.rindex(b"\xff\xd9")
    return data[:end] + data[last:end] * times + data[end:]


def test_the_scans_are_counted_from_the_markers():
    honest = progressive_jpeg(64)
    scans = count_scans(honest)
    assert 2 <= scans <= 20  # a progressive file: several scans
    assert count_scans(repeat_last_scan(honest, 500)) == scans + 500


def test_repeated_scans_are_refused_by_scans_times_pixels(tmp_path):
    side = 2000  # 4 megapixels: 750 scans reach the bound
    honest = progressive_jpeg(side)
    assert check_jpeg(honest, side * side) < 20
    hostile = repeat_last_scan(honest, 1000)
    assert len(hostile) < 2**20  # about 100 KB
    assert count_scans(hostile) * side * side > MAX_SCAN_PIXELS
    with pytest.raises(JpegRefused, match="scans"):
        check_jpeg(hostile, side * side)
    # The same scans on a small image stay cheap, and are read.
    small = repeat_last_scan(progressive_jpeg(64), 1000)
    assert check_jpeg(small, 64 * 64) > 1000

    path = tmp_path / "scans.jpg"
    path.write_bytes(hostile)
    with pytest.raises(ImageFileError, match="1,0[0-9][0-9] scans") as refused:
        read_image(path)
    assert "\n" not in str(refused.value)
    path.write_bytes(honest)
    assert read_image(path).shape == (1024, 1024)
