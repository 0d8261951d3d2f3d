"""Image files for tests, made in a folder: with Qt's writers where Qt can write
the format, by hand (GIF, crafted PNG headers) where it cannot.

Shared by the ``read_image`` tests and the whole-app robustness tests; imported
as a plain module (pytest puts ``tests/`` on the path).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from PySide6.QtGui import QColor, QImage

__all__ = [
    "GREYS",
    "gif_bytes",
    "grey_qimage",
    "png_chunk",
    "png_claiming",
    "palette_qimage",
    "rgba_qimage",
    "save",
]


def grey_qimage(a: np.ndarray) -> QImage:
    a = np.ascontiguousarray(a)
    fmt = {
        np.dtype(np.uint8): QImage.Format.Format_Grayscale8,
        np.dtype(np.uint16): QImage.Format.Format_Grayscale16,
    }[a.dtype]
    height, width = a.shape
    return QImage(a.tobytes(), width, height, a.strides[0], fmt).copy()


def rgba_qimage(rgba: np.ndarray) -> QImage:
    """QImage from a (h, w, 4) uint8 array of straight (not premultiplied) RGBA."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    height, width, _ = rgba.shape
    return QImage(
        rgba.tobytes(), width, height, width * 4, QImage.Format.Format_RGBA8888
    ).copy()


def palette_qimage(indices: np.ndarray, colours: list[tuple[int, int, int]]) -> QImage:
    """Indexed-colour QImage: ``indices`` (h, w) uint8 into ``colours`` (RGB)."""
    indices = np.ascontiguousarray(indices, dtype=np.uint8)
    height, width = indices.shape
    image = QImage(
        indices.tobytes(), width, height, width, QImage.Format.Format_Indexed8
    )
    image.setColorTable([QColor(*c).rgb() for c in colours])
    return image.copy()


def save(image: QImage, path: Path, fmt: str | None = None, quality: int = -1) -> Path:
    assert image.save(str(path), fmt, quality), f"Qt could not write {path}"
    return path


def gif_bytes(
    frames: list[np.ndarray],
    palette: list[tuple[int, int, int]],
    transparent: int | None = None,
) -> bytes:
    """A GIF89a of same-sized frames of palette indices (Qt cannot write GIF).

    The LZW stream uses literal codes only, with a clear code every 250
    pixels so that codes stay 9 bits wide: valid, if not compact.
    """
    height, width = frames[0].shape
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0))
    for r, g, b in list(palette) + [(0, 0, 0)] * (256 - len(palette)):
        out += bytes((r, g, b))
    if len(frames) > 1:
        out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    for frame in frames:
        flags = 1 if transparent is not None else 0
        out += struct.pack("<BBBBHBB", 0x21, 0xF9, 4, flags, 10, transparent or 0, 0)
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
        codes = []
        for i, value in enumerate(frame.ravel()):
            if i % 250 == 0:
                codes.append(256)
            codes.append(int(value))
        codes.append(257)
        bits = acc = 0
        data = bytearray()
        for code in codes:
            acc |= code << bits
            bits += 9
            while bits >= 8:
                data.append(acc & 0xFF)
                acc >>= 8
                bits -= 8
        if bits:
            data.append(acc)
        out += b"\x08"
        for i in range(0, len(data), 255):
            chunk = data[i : i + 255]
            out += bytes((len(chunk),)) + chunk
        out += b"\x00"
    return bytes(out + b"\x3b")


GREYS = [(v, v, v) for v in range(256)]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose IHDR (valid CRC) claims width x height grey pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1)))
        + png_chunk(b"IEND", b"")
    )
