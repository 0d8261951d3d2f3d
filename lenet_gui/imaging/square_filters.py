"""Filters over a square window of a 2-D array: largest, smallest, any, mean.

Grey dilation (:func:`max_filter`) and erosion (:func:`min_filter`), their
binary form (:func:`box_any`) and a box blur (:func:`box_mean`), each over a
square of side ``2 * radius + 1`` with the image's edges extended. Used by
the photo cleaning (:mod:`lenet_gui.imaging.photo`). Only numpy is used.
"""

from __future__ import annotations

import numpy as np

__all__ = ["box_any", "box_mean", "max_filter", "min_filter"]


def max_filter(image: np.ndarray, radius: int) -> np.ndarray:
    """Largest value over a square of side ``2 * radius + 1``, edges extended."""
    return _square_filter(image, radius, np.maximum)


def min_filter(image: np.ndarray, radius: int) -> np.ndarray:
    """Smallest value over a square of side ``2 * radius + 1``, edges extended."""
    return _square_filter(image, radius, np.minimum)


def _square_filter(image: np.ndarray, radius: int, op: np.ufunc) -> np.ndarray:
    """Largest or smallest value (or any) over a square of side ``2 * radius + 1``.

    Separable, with windows grown by doubling: about ``log2(radius)`` calls
    of `op` per axis, whatever the radius. Edges are extended.
    """
    out = image
    k = 2 * radius + 1
    for axis in (0, 1):
        n = out.shape[axis]
        pad = [(0, 0), (0, 0)]
        pad[axis] = (radius, radius)
        acc = np.pad(out, pad, mode="edge")
        # acc[i] holds `op` over the `span` values from i on.
        span = 1
        while span * 2 <= k:
            size = acc.shape[axis]
            acc = op(_along(acc, axis, 0, size - span), _along(acc, axis, span, size))
            span *= 2
        out = op(_along(acc, axis, 0, n), _along(acc, axis, k - span, k - span + n))
    return out


def _along(a: np.ndarray, axis: int, start: int, stop: int) -> np.ndarray:
    """Return the slice ``start:stop`` of a 2-D array along `axis` (a view)."""
    return a[start:stop] if axis == 0 else a[:, start:stop]


def box_mean(image: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a square of side ``2 * radius + 1``, edges extended; float32."""
    out = image.astype(np.float32, copy=False)
    k = 2 * radius + 1
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (radius, radius)
        a = np.pad(out, pad, mode="edge")
        n = out.shape[axis]
        window = [slice(None), slice(None)]
        window[axis] = slice(0, n)
        total = a[tuple(window)].copy()
        for step in range(1, k):
            window[axis] = slice(step, step + n)
            total += a[tuple(window)]
        out = total
    return out * np.float32(1.0 / (k * k))


def box_any(mask: np.ndarray, radius: int) -> np.ndarray:
    """Whether any pixel of a square of side ``2 * radius + 1`` is set."""
    return _square_filter(mask, radius, np.logical_or)
