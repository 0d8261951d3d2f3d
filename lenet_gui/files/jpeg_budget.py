"""A bound on what a JPEG costs to decode, checked before Qt decodes it.

A progressive JPEG is decoded scan by scan, and every scan updates the
coefficients of the whole image, whatever size it is shown at. An honest
progressive file has about ten scans; a hostile one repeats its last scan
thousands of times (about 15 ms each at 7000 x 7000 pixels: 35 s for 2,000
scans in 2.7 MB, nearly an hour within the file-size cap). :func:`check_jpeg`
counts the scans from the markers, without decoding, and refuses a file
whose scans times its pixels exceed :data:`MAX_SCAN_PIXELS`.
"""

from __future__ import annotations

__all__ = ["MAX_SCAN_PIXELS", "JpegRefused", "check_jpeg", "count_scans", "end_of_scan"]

#: Most pixels times scans a JPEG may ask to decode (3,000 megapixel-scans:
#: a 50-megapixel photo with 60 scans, a 1-megapixel one with 3,000).
MAX_SCAN_PIXELS = 3_000 * 10**6


class JpegRefused(ValueError):
    """A JPEG refused before decoding; the message says why, in one line."""


def count_scans(data: bytes) -> int:
    """Return how many scans (start-of-scan markers) a JPEG holds.

    Walks the markers after SOI, skipping segments by their length and
    entropy-coded data to the next marker; stops at EOI or the data's end.
    """
    end, i, scans = len(data), 2, 0
    while i + 1 < end:
        if data[i] != 0xFF:
            i = data.find(b"\xff", i)
            if i < 0:
                break
            continue
        marker = data[i + 1]
        if marker == 0xD9:  # end of image
            break
        if marker == 0xFF:
            i += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD8:
            i += 2
        else:
            if i + 4 > end:
                break
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
            if marker == 0xDA:
                scans += 1
                i = end_of_scan(data, i)
    return scans


def check_jpeg(data: bytes, pixels: int) -> int:
    """Check that decoding a JPEG of `pixels` pixels is bounded; return its scans.

    Raises
    ------
    JpegRefused
        Its scans times its pixels exceed :data:`MAX_SCAN_PIXELS`.
    """
    scans = count_scans(data)
    if scans * max(pixels, 1) > MAX_SCAN_PIXELS:
        raise JpegRefused(
            f"the JPEG has {scans:,} scans of {pixels / 1e6:.1f} megapixels; "
            f"decoding it would take too long (honest files have about ten)"
        )
    return scans


def end_of_scan(data: bytes, i: int) -> int:
    """Index of the first marker after entropy-coded data starting at `i`."""
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= len(data):
            return len(data)
        following = data[i + 1]
        if following == 0xFF:
            i += 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:
            i += 2
        else:
            return i
