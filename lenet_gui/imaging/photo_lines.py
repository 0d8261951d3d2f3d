"""Printed lines on a photo of a digit: found, and removed where no stroke is.

Step 4 of :func:`lenet_gui.imaging.photo.extract_ink`: ruled or squared
paper, or a margin line, runs across the whole picture. :func:`find_lines`
finds such lines in the mask of dark pixels by a Hough search over slopes
near the axes; :func:`remove_lines` removes them, keeping where a stroke
crosses a line and any "line" that is really a stroke (thicker than print,
or thicker or darker than the other lines, or as thick and dark as the
strokes). Only numpy is used.
"""

from __future__ import annotations

import numpy as np

from lenet_gui.imaging.preprocess import stroke_width

__all__ = ["find_lines", "remove_lines"]

# A printed line covers at least this fraction of its length across the image.
_LINE_COVER = 0.5
# Angles, in degrees either side of the axes, searched for printed lines.
_LINE_ANGLES = np.arange(-8.0, 8.01, 0.5)
# A line at least this thick and dark, relative to the strokes, is a stroke.
_STROKE_LIKE = 0.7
# A printed line is at most this thick, as a fraction of the image's longer
# side (ruled lines in a phone photo: 0.1-0.5 %; the app's thinnest pen on
# its paper: 0.9 %).
_LINE_THICKNESS = 0.008


def remove_lines(mask: np.ndarray, darkness: np.ndarray) -> np.ndarray:
    """Remove near-horizontal, then near-vertical, printed lines from the mask.

    Where a stroke crosses a line, ink lies on both sides of it, just beyond
    its thickness: those pixels of the line are kept, so the stroke is not
    cut.

    Parameters
    ----------
    mask : np.ndarray
        2-D bool mask of the dark pixels (ink and lines).
    darkness : np.ndarray
        How dark each pixel is against the paper, of the mask's shape.

    Returns
    -------
    np.ndarray
        The mask without the printed lines' pixels.
    """
    rows, row_thickness = find_lines(mask, darkness)
    columns, column_thickness = find_lines(mask.T, darkness.T)
    columns = columns.T
    lines = rows | columns
    if not lines.any():
        return mask
    strokes = mask & ~lines
    crossing = rows & _both_sides(strokes, row_thickness + 2, axis=0)
    crossing |= columns & _both_sides(strokes, column_thickness + 2, axis=1)
    return strokes | crossing


def find_lines(mask: np.ndarray, darkness: np.ndarray) -> tuple[np.ndarray, int]:
    """Pixels of near-horizontal printed lines in a mask (a Hough search).

    For each angle in `_LINE_ANGLES`, the mask's pixels are counted in
    one-pixel bands at that slope; a band whose pixels cover at least
    `_LINE_COVER` of its length inside the image (at least half the width)
    is a line, with the neighbouring bands that cover half as much. The
    strongest line is taken first and its pixels leave the count before the
    next is sought. A "line" thicker than print (`_LINE_THICKNESS`) is a
    stroke and stays; so is one much thicker or darker than the other lines
    found (a bar drawn along a ruled line), or, when it is the only one, one
    as thick and as dark as the digit's strokes (the bar of a 7 across a
    tight crop).

    Parameters
    ----------
    mask : np.ndarray
        2-D bool mask of the dark pixels; pass its transpose (and the
        darkness's) for near-vertical lines.
    darkness : np.ndarray
        How dark each pixel is (darkness against the paper, or ink level), of
        the mask's shape: compares the lines with each other and with the
        strokes.

    Returns
    -------
    lines : np.ndarray
        Boolean mask of the lines' pixels.
    thickness : int
        The thickest line's thickness, in bands (0 without lines).
    """
    height, width = mask.shape
    ys, xs = np.nonzero(mask)
    found = np.zeros_like(mask)
    if ys.size == 0 or width < 16:
        return found, 0
    slopes = np.tan(np.radians(_LINE_ANGLES))
    reach = int(np.ceil(np.abs(slopes).max() * width)) + 1
    bands = height + 2 * reach
    # Band of each pixel at each slope: (angles, pixels).
    bins = np.rint(ys[None, :] - xs[None, :] * slopes[:, None]).astype(np.intp)
    bins += reach
    offsets = np.arange(len(slopes))[:, None] * bands
    counts = np.bincount((bins + offsets).ravel(), minlength=len(slopes) * bands)
    counts = counts.reshape(len(slopes), bands).astype(np.float64)
    length = _band_lengths(slopes, height, width, reach, bands)
    usable = length >= 0.5 * width
    alive = np.ones(ys.size, dtype=bool)
    candidates: list[tuple[np.ndarray, int]] = []
    while len(candidates) < 64:
        cover = np.divide(counts, length, out=np.zeros_like(counts), where=usable)
        angle, band = np.unravel_index(np.argmax(cover), cover.shape)
        if cover[angle, band] < _LINE_COVER:
            break
        low = high = band
        while low > 0 and cover[angle, low - 1] >= _LINE_COVER / 2:
            low -= 1
        while high < bands - 1 and cover[angle, high + 1] >= _LINE_COVER / 2:
            high += 1
        members = alive & (bins[angle] >= low) & (bins[angle] <= high)
        candidates.append((members, int(high - low + 1)))
        alive &= ~members
        taken = (bins[:, members] + offsets).ravel()
        counts -= np.bincount(taken, minlength=counts.size).reshape(counts.shape)
    if not candidates:
        return found, 0
    # The digit's strokes: what is left once every candidate is out.
    if alive.any():
        stroke = np.zeros(mask.shape, dtype=np.float32)
        stroke[ys[alive], xs[alive]] = 1.0
        stroke_px = stroke_width(stroke)
        stroke_dark = float(np.median(darkness[ys[alive], xs[alive]]))
    else:
        stroke_px = stroke_dark = 0.0
    thin = _LINE_THICKNESS * max(height, width)
    printed = []
    for members, thickness in candidates:
        if thickness <= thin:  # thicker is a stroke: a tall 1, a long bar
            dark = float(np.median(darkness[ys[members], xs[members]]))
            printed.append((members, thickness, dark))
    if len(printed) >= 2:
        # Ruled or squared paper: its lines are alike, and one much thicker
        # or darker than they are is a stroke lying along them.
        typical = np.median([[t, d] for _, t, d in printed], axis=0)
        lines = [
            (m, t)
            for m, t, d in printed
            if t <= 1.5 * typical[0] + 1 and d <= 1.5 * typical[1]
        ]
    else:
        # One line: a stroke if as thick and as dark as the digit's strokes.
        lines = [
            (m, t)
            for m, t, d in printed
            if not (
                stroke_px > 0.0
                and t >= _STROKE_LIKE * stroke_px
                and d >= _STROKE_LIKE * stroke_dark
            )
        ]
    thickest = 0
    for members, thickness in lines:
        found[ys[members], xs[members]] = True
        thickest = max(thickest, thickness)
    return found, thickest


def _band_lengths(
    slopes: np.ndarray, height: int, width: int, reach: int, bands: int
) -> np.ndarray:
    """Columns of the image that each band at each slope crosses, (angles, bands).

    Band ``b`` at slope ``s`` holds row ``b - reach + x * s`` at column ``x``.
    """
    row0 = np.arange(bands, dtype=np.float64)[None, :] - reach
    s = slopes[:, None]
    flat = np.abs(s) < 1e-12
    safe = np.where(flat, 1.0, s)
    # Columns where 0 <= row0 + x * s <= height - 1.
    a = (0.0 - row0) / safe
    b = (height - 1.0 - row0) / safe
    first = np.where(flat, 0.0, np.minimum(a, b))
    last = np.where(flat, width - 1.0, np.maximum(a, b))
    first = np.maximum(np.ceil(first), 0.0)
    last = np.minimum(np.floor(last), width - 1.0)
    inside = (row0 >= 0) & (row0 <= height - 1) | ~flat
    return np.where(inside, np.maximum(last - first + 1.0, 0.0), 0.0)


def _both_sides(strokes: np.ndarray, reach: int, axis: int) -> np.ndarray:
    """Whether `strokes` has a pixel within `reach` on both sides along `axis`."""
    before = np.zeros_like(strokes)
    after = np.zeros_like(strokes)
    n = strokes.shape[axis]
    for step in range(1, min(reach, n - 1) + 1):
        src = [slice(None), slice(None)]
        dst = [slice(None), slice(None)]
        src[axis], dst[axis] = slice(0, n - step), slice(step, n)
        before[tuple(dst)] |= strokes[tuple(src)]
        after[tuple(src)] |= strokes[tuple(dst)]
    return before & after
