"""Hostile and unlucky files, made by hand, for ``tools/hostile_probe.py``.

Images of odd sizes, depths and frame counts; weights in other dtypes, with
strided or shared storage, with a zip central directory that disagrees with
the entries, or with a pickle that would run code; stroke files that are
deep, huge, NaN or endless. Each maker returns bytes.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def png(width: int, height: int, depth: int = 8, colour: int = 0) -> bytes:
    """Return a PNG of the given size, every pixel 0, written by hand."""
    channels = {0: 1, 2: 3, 6: 4}[colour]
    row = b"\0" + bytes(width * channels * depth // 8)
    body = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", body)
        + chunk(b"IEND", b"")
    )


def apng(frames: int) -> bytes:
    """Return a 16x16 animated PNG of `frames` frames."""
    base = png(16, 16)
    iend = base.rindex(b"IEND") - 4
    extra = b""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr_end = 8 + 25
    actl = chunk(b"acTL", struct.pack(">II", frames, 0))
    data = zlib.compress((b"\0" + bytes(16)) * 16)
    sequence = 0
    for k in range(frames):
        fctl = struct.pack(">IIIIIHHBB", sequence, 16, 16, 0, 0, 1, 10, 0, 0)
        extra += chunk(b"fcTL", fctl)
        sequence += 1
        if k:
            extra += chunk(b"fdAT", struct.pack(">I", sequence) + data)
            sequence += 1
    return base[:ihdr_end] + actl + base[ihdr_end:iend] + extra + base[iend:]


def gif(frames: int) -> bytes:
    """Return a 16x16 GIF of `frames` frames."""
    out = b"GIF89a" + struct.pack("<HHBBB", 16, 16, 0x80, 0, 0) + bytes(6)
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    lzw = bytes([2, 2, 0x4C, 0x01, 0])  # a tiny valid LZW stream (clear, 0, end)
    for _ in range(frames):
        out += b"\x21\xf9\x04\x00\x01\x00\x00\x00"
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, 16, 16, 0) + lzw
    return out + b"\x3b"


def tiff_pages(pages: int) -> bytes:
    """Return a little-endian TIFF of `pages` 8x8 grey pages."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    pixels_at = []
    entries = 8
    for page in range(pages):
        ifd_at = len(out)
        strip_at = ifd_at + 2 + entries * 12 + 4
        nxt = strip_at + 64 if page + 1 < pages else 0
        tags = [
            (256, 3, 1, 8),
            (257, 3, 1, 8),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, strip_at),
            (278, 3, 1, 8),
            (279, 4, 1, 64),
        ]
        out += struct.pack("<H", entries)
        for tag, kind, count, value in tags:
            out += struct.pack("<HHII", tag, kind, count, value)
        out += struct.pack("<I", nxt)
        out += bytes(64)
        pixels_at.append(strip_at)
    return bytes(out)


def cmyk_jpeg(folder: Path) -> bytes:
    """Return a 32x32 CMYK JPEG, as Qt writes it."""
    from PySide6.QtGui import QImage

    image = QImage(32, 32, QImage.Format.Format_CMYK8888)
    image.fill(0)
    path = folder / ".cmyk.jpg"
    image.save(str(path), "JPEG")
    data = path.read_bytes()
    path.unlink()
    return data


def weights_variants(folder: Path, kind: str) -> bytes:
    """Return the bundled weights made `kind`: another dtype, strided or shared."""
    import torch

    state = torch.load(REPO / "weights" / "lenet5.pt", weights_only=True)
    if kind in ("bfloat16", "float16", "float8"):
        dtype = {
            "bfloat16": torch.bfloat16,
            "float16": torch.float16,
            "float8": getattr(torch, "float8_e4m3fn", torch.float16),
        }[kind]
        state = {k: v.to(dtype) for k, v in state.items()}
    elif kind == "strided":
        state = {k: torch.stack([v, v], -1)[..., 0] for k, v in state.items()}
    elif kind == "shared":
        whole = torch.cat([v.flatten() for v in state.values()])
        shared, at = {}, 0
        for key, value in state.items():
            shared[key] = whole[at : at + value.numel()].view(value.shape)
            at += value.numel()
        state = shared
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def disagreeing_zip(claim: int) -> bytes:
    """Return weights whose zip central directory claims `claim` bytes for an entry.

    The local header and the data keep the true size; only the central
    directory, which Python's zipfile reads, says otherwise.
    """
    data = bytearray((REPO / "weights" / "lenet5.pt").read_bytes())
    central = data.rindex(b"PK\x01\x02", 0, len(data))
    data[central + 20 : central + 24] = struct.pack("<I", claim)  # compressed
    data[central + 24 : central + 28] = struct.pack("<I", claim)  # uncompressed
    return bytes(data)


def pickle_with_code() -> bytes:
    """Return a weights-like archive whose pickle would run a command."""
    payload = b"cos\nsystem\n(S'touch owned'\ntR."
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", payload)
        archive.writestr("archive/version", "3\n")
    return buffer.getvalue()


def strokes(kind: str) -> bytes:
    """Return a stroke file of the hostile `kind`."""
    one = [[[10, 10], [20, 20], [30, 40]]]
    if kind == "deep":
        return b"[" * 100_000 + b"]" * 100_000
    if kind == "huge number":
        return (
            b'[{"label": 1, "writer": "w", "strokes": [[[1' + b"0" * 400 + b", 2]]]}]"
        )
    if kind == "nan":
        return b'[{"label": 1, "writer": "w", "strokes": [[[NaN, 2], [3, 4]]]}]'
    if kind == "empty":
        return b""
    if kind == "no strokes":
        return json.dumps([{"label": 1, "writer": "w", "strokes": []}]).encode()
    if kind == "million points":
        points = [[k % 500, k % 300] for k in range(1_000_000)]
        return json.dumps([{"label": 1, "writer": "w", "strokes": [points]}]).encode()
    if kind == "good":
        return json.dumps([{"label": 1, "writer": "w", "strokes": one}] * 3).encode()
    raise ValueError(kind)


SVG_CASES = {
    "svg external": b'<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:xlink="http://www.w3.org/1999/xlink" width="28" height="28">'
    b'<use xlink:href="other.svg#x"/></svg>',
    "svg image dev zero": b'<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:xlink="http://www.w3.org/1999/xlink" width="28" height="28">'
    b'<image width="28" height="28" xlink:href="file:///dev/zero"/></svg>',
    "svg entities": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
}
