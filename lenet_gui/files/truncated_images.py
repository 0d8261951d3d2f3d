"""Tell a JPEG, BMP or GIF that ends before its image does.

Qt decodes these three formats from partial data without an error and fills
the missing part with grey or paper, so a cut download would become half a
digit. :func:`is_truncated` checks such bytes for completeness before they
are decoded: a JPEG must reach its end-of-image marker, a BMP must hold all
its rows, a GIF its whole first frame. Other formats fail on their own.

Pure Python (bytes in, a yes or no out).
"""

from __future__ import annotations

import struct

from lenet_gui.files.jpeg_budget import end_of_scan

__all__ = ["is_truncated"]


def is_truncated(data: bytes) -> bool:
    """Whether a JPEG, BMP or GIF ends before its (first) image does.

    Qt decodes these three from partial data without an error; the other
    formats fail on their own. Other data returns False.
    """
    if data.startswith(b"\xff\xd8"):
        return _jpeg_is_truncated(data)
    if data.startswith(b"BM"):
        return _bmp_is_truncated(data)
    if data.startswith(b"GIF8"):
        return _gif_is_truncated(data)
    return False


def _jpeg_is_truncated(data: bytes) -> bool:
    """Whether the JPEG ends before its end-of-image marker (EOI).

    Walks the markers from after SOI, skipping segments by their length (so
    the EOI of an embedded EXIF thumbnail does not count) and entropy-coded
    scans up to the next real marker. Bytes after the EOI are allowed: some
    cameras append data there.
    """
    end = len(data)
    i = 2
    while i + 1 < end:
        if data[i] != 0xFF:
            # Garbage between segments: libjpeg skips to the next marker too.
            i = data.find(b"\xff", i)
            if i < 0:
                return True
            continue
        marker = data[i + 1]
        if marker == 0xD9:
            return False
        if marker == 0xFF:  # fill byte before a marker
            i += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without length
            i += 2
        else:
            if i + 4 > end:
                return True
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
            if marker == 0xDA:  # start of scan: entropy-coded data follows
                i = end_of_scan(data, i)
    return True


def _bmp_is_truncated(data: bytes) -> bool:
    """Whether an uncompressed BMP holds fewer bytes than its rows need.

    Compressed (RLE) bitmaps have no fixed size and are left to Qt.
    """
    if len(data) < 26:
        return True
    offset, header_size = struct.unpack_from("<II", data, 10)
    if header_size == 12:  # OS/2 BITMAPCOREHEADER: 16-bit sizes, no compression
        width, height, _, bits = struct.unpack_from("<HHHH", data, 18)
        compression = 0
    else:
        if len(data) < 34:
            return True
        width, height, _, bits, compression = struct.unpack_from("<iiHHI", data, 18)
    if compression not in (0, 3, 6):  # BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS
        return False
    row_bytes = (abs(width) * bits + 31) // 32 * 4
    return len(data) < offset + row_bytes * abs(height)


def _gif_is_truncated(data: bytes) -> bool:
    """Whether a GIF ends before the data of its first frame does."""
    end = len(data)
    if end < 13:
        return True
    i = 13 + _colour_table_bytes(data[10])
    while i < end:
        block = data[i]
        if block == 0x21:  # extension: label, then sub-blocks
            i = _skip_sub_blocks(data, i + 2)
        elif block == 0x2C:  # image descriptor, colour table, LZW code size
            if i + 10 > end:
                return True
            i += 10 + _colour_table_bytes(data[i + 9])
            return _skip_sub_blocks(data, i + 1) > end
        else:  # trailer before any image, or junk: Qt reports either
            return False
    return True


def _colour_table_bytes(flags: int) -> int:
    """Size of the colour table a GIF screen or image descriptor announces."""
    return 3 << ((flags & 0x07) + 1) if flags & 0x80 else 0


def _skip_sub_blocks(data: bytes, i: int) -> int:
    """Index after the GIF sub-block chain at `i`; past the end if it is cut."""
    while i < len(data):
        size = data[i]
        i += 1 + size
        if size == 0:
            return i
    return len(data) + 1
