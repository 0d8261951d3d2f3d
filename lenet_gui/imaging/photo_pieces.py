"""The digit's pieces in the ink found on a photo: which connected pieces to keep.

Step 5 of :func:`lenet_gui.imaging.photo.extract_ink`: of the 8-connected
pieces of the ink's mask, :func:`digit_pieces` keeps the main piece and
those close to it, not specks, shadow edges along the border or marks
elsewhere on the page. The pieces are labelled by runs of pixels along the
rows and a vectorised union-find. Only numpy is used.
"""

from __future__ import annotations

import numpy as np

__all__ = ["digit_pieces", "label_pieces"]

# Pieces smaller than this fraction of the main piece are specks.
_SPECK = 0.04
# Pieces this far from the digit's box, as a fraction of its longer side,
# are not part of it.
_GAP = 0.25


def digit_pieces(mask: np.ndarray, strong: np.ndarray) -> np.ndarray | None:
    """Return the pieces of the mask that make the digit; None if there are none.

    Pieces (8-connected) without a `strong` pixel are noise. Of the rest,
    the main piece is the largest, a piece touching the image's edge
    counting a third of its area (the edge of a shadow or of a vignetted
    corner touches it; a digit seldom does), and one running along the edge
    for half its length only when there is no other. Pieces at least `_SPECK` of the
    main one's area that lie within `_GAP` of the digit's box (as it grows)
    join it: a digit written in two strokes, a broken stroke. The rest are
    specks or marks elsewhere on the page.

    Parameters
    ----------
    mask : np.ndarray
        2-D bool mask of the ink (after the hysteresis's low threshold).
    strong : np.ndarray
        Bool mask of the pixels above the ink threshold, of the same shape.

    Returns
    -------
    np.ndarray or None
        Bool mask of the digit's pieces; None if no piece is left.
    """
    row, start, end = _runs(mask)
    if row.size == 0:
        return None
    label = _run_labels(row, start, end)
    count = int(label.max()) + 1
    area = np.bincount(label, weights=end - start, minlength=count)
    painted = _paint(mask.shape, row, start, end, label + 1)
    has_strong = np.zeros(count + 1, dtype=bool)
    has_strong[painted[strong]] = True
    alive = has_strong[1:] & (area >= 4)
    if not alive.any():
        return None
    top = np.full(count, mask.shape[0])
    bottom = np.zeros(count, dtype=np.intp)
    left = np.full(count, mask.shape[1])
    right = np.zeros(count, dtype=np.intp)
    np.minimum.at(top, label, row)
    np.maximum.at(bottom, label, row + 1)
    np.minimum.at(left, label, start)
    np.maximum.at(right, label, end)
    height, width = mask.shape
    edge = (top == 0) | (left == 0) | (bottom == height) | (right == width)
    # Along the edge for half its length: a shadow's or the page's edge.
    along = ((top == 0) | (bottom == height)) & (right - left >= width / 2)
    along |= ((left == 0) | (right == width)) & (bottom - top >= height / 2)
    weight = np.where(edge, 1.0 / 3.0, 1.0)
    # A piece along the edge is the main one only when there is nothing else.
    score = np.where(alive & ~along, area * weight, -1.0)
    if score.max() < 0:
        score = np.where(alive, area, -1.0)
    main = int(np.argmax(score))
    chosen = np.zeros(count, dtype=bool)
    chosen[main] = True
    candidates = alive & (area >= _SPECK * area[main]) & ~along
    box = [top[main], bottom[main], left[main], right[main]]
    while True:
        gap = _GAP * max(box[1] - box[0], box[3] - box[2])
        near = (
            candidates
            & ~chosen
            & (top <= box[1] + gap)
            & (bottom >= box[0] - gap)
            & (left <= box[3] + gap)
            & (right >= box[2] - gap)
        )
        if not near.any():
            break
        chosen |= near
        box = [
            min(box[0], top[near].min()),
            max(box[1], bottom[near].max()),
            min(box[2], left[near].min()),
            max(box[3], right[near].max()),
        ]
    return chosen[np.maximum(painted - 1, 0)] & (painted > 0)


def label_pieces(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """Label the 8-connected pieces of a mask.

    Returns
    -------
    labels : np.ndarray
        Int array of the mask's shape: 0 off the mask, 1 to `count` on it.
    count : int
        The number of pieces.
    """
    row, start, end = _runs(mask)
    if row.size == 0:
        return np.zeros(mask.shape, dtype=np.intp), 0
    label = _run_labels(row, start, end)
    return _paint(mask.shape, row, start, end, label + 1), int(label.max()) + 1


def _paint(
    shape: tuple[int, int],
    row: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    value: np.ndarray,
) -> np.ndarray:
    """Return an int array of `shape`, each run filled with its value, 0 elsewhere."""
    out = np.zeros((shape[0], shape[1] + 1), dtype=np.intp)
    np.add.at(out, (row, start), value)
    np.add.at(out, (row, end), -value)
    return np.cumsum(out, axis=1)[:, :-1]


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Horizontal runs of set pixels: row, first column, column after the last."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    step = np.diff(padded, axis=1)
    row, start = np.nonzero(step == 1)
    _, end = np.nonzero(step == -1)
    return row, start, end


def _run_labels(row: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Component label of each run (runs touching, diagonals too, share one).

    Runs of consecutive rows touch when their column spans, widened by one,
    overlap. The pairs are found with two sorted searches and merged by a
    vectorised union-find (hooking to the smaller root, then pointer jumping).
    """
    n = row.size
    stride = int(max(end.max(), 1)) + 2
    start_key = row * stride + start
    end_key = row * stride + end
    # For each run b, the runs a of the row above with end_a >= start_b and
    # start_a <= end_b are a contiguous range [first, last).
    above = (row - 1) * stride
    first = np.searchsorted(end_key, above + start)
    last = np.searchsorted(start_key, above + end, side="right")
    count = np.maximum(last - first, 0)
    b = np.repeat(np.arange(n), count)
    a = np.repeat(first, count) + (
        np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    )
    parent = np.arange(n)
    while a.size:
        pa, pb = parent[a], parent[b]
        differ = pa != pb
        if not differ.any():
            break
        low, high = np.minimum(pa, pb)[differ], np.maximum(pa, pb)[differ]
        np.minimum.at(parent, high, low)
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    _, label = np.unique(parent, return_inverse=True)
    return label
