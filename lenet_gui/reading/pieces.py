"""Cut a line of handwriting into pieces, each a digit or a part of one.

The first half of the paper's heuristic over-segmentation (LeCun et al.
1998, section V): candidate cuts, more than needed, from the ink's
connected pieces and its vertical profile. Which pieces go together into
one digit is decided later, by the network (:mod:`lenet_gui.reading.number`).

The ink is looked at on a coarse grid (blocks of a few pixels, taking their
strongest ink), where labelling pieces is cheap. Each connected piece is a
candidate digit or part of one; a specks is joined to its nearest piece; a
piece much wider than the line is tall (digits that touch) is also cut at
the low points of its column profile, where a joint between two digits is
thinnest. The pieces are numbered left to right, so every digit is a run of
consecutive pieces. Only numpy is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lenet_gui.imaging.photo_pieces import label_pieces

__all__ = ["Pieces", "columns_apart", "cut_apart", "find_pieces", "one_piece"]

# The coarse grid has at most this many blocks along the image's longer side.
_GRID = 160
# Ink at or above this level is a mark (as the network's preprocessing reads it).
_MARK = 0.2
# A piece with fewer coarse pixels than this fraction of the largest is a speck.
_SPECK = 0.03
# A piece wider than this many times the line's height may hold touching digits.
_WIDE = 0.6
# Cuts stay this far (in line heights) from a piece's ends and from each other.
_CUT_END = 0.15
_CUT_SPACING = 0.12
# A cut goes only where the column holds at most this fraction of the piece's
# tallest column.
_CUT_DEPTH = 0.7
# Slanted cuts go at every low point of the profile.
_SEAM_DEPTH = 1.0
# A cut may lean this many line heights away from its profile's low point,
# each sideways step costing this much ink, and each block away from the low
# point a little (at the reach, this much).
_SEAM_REACH = 0.45
_SEAM_STEP = 0.3
_SEAM_AWAY = 0.5
# Ink narrower than this many line heights is one digit at a glance, when it
# is also one run of columns: the cheap path of a single digit.
_ONE_DIGIT = 1.05
# Pieces that overlap each other this far are one digit up to this many line
# heights wide.
_OVERLAPPING = 1.3


@dataclass(frozen=True)
class Pieces:
    """The pieces of an image's ink, numbered left to right.

    Attributes
    ----------
    ink : np.ndarray
        The image as ink, float32 in [0, 1].
    labels : np.ndarray
        Int array on the coarse grid: 0 where no piece is, k + 1 on piece k.
    block : int
        The coarse grid's block side, in `ink`'s pixels.
    boxes : np.ndarray
        (n, 4) int ``x0, y0, x1, y1`` of each piece in `ink`'s pixels, end
        exclusive.
    height : int
        The line's height in pixels (the ink's bounding box).
    joined : np.ndarray
        (n,) int: pieces with the same number were cut out of one connected
        stroke of ink (digits that touch, or one long stroke).
    """

    ink: np.ndarray
    labels: np.ndarray
    block: int
    boxes: np.ndarray
    height: int
    joined: np.ndarray

    @property
    def count(self) -> int:
        """The number of pieces."""
        return int(self.boxes.shape[0])

    def box(self, first: int, stop: int) -> tuple[int, int, int, int]:
        """Return the bounding box of pieces `first` to `stop` - 1 together."""
        part = self.boxes[first:stop]
        return (
            int(part[:, 0].min()),
            int(part[:, 1].min()),
            int(part[:, 2].max()),
            int(part[:, 3].max()),
        )

    def image(self, first: int, stop: int) -> np.ndarray:
        """Return the ink of pieces `first` to `stop` - 1 alone, in their box."""
        x0, y0, x1, y1 = self.box(first, stop)
        return self._ink_of(x0, y0, x1, y1, first, stop)

    def _ink_of(
        self, x0: int, y0: int, x1: int, y1: int, first: int, stop: int
    ) -> np.ndarray:
        """Return the ink inside a box that belongs to pieces `first` to `stop` - 1."""
        b = self.block
        coarse = self.labels[y0 // b : -(-y1 // b), x0 // b : -(-x1 // b)]
        keep = (coarse > first) & (coarse <= stop)
        keep = np.repeat(np.repeat(keep, b, axis=0), b, axis=1)
        keep = keep[y0 - (y0 // b) * b :, x0 - (x0 // b) * b :][: y1 - y0, : x1 - x0]
        return np.where(keep, self.ink[y0:y1, x0:x1], np.float32(0.0))


@dataclass(frozen=True)
class _Marks:
    """The marks of an image on the coarse grid, cropped to the blocks they touch.

    Only the blocks around the marks are looked at, so the cost follows the
    ink, not the paper; the grid is the one of the whole image, so what is
    found is the same.
    """

    mask: np.ndarray  # bool, the cropped coarse grid
    block: int
    top: int  # the crop's first row and column, in blocks
    left: int
    shape: tuple[int, int]  # the whole coarse grid's shape
    width: int  # the marks' width and height, in pixels
    height: int

    def full(self, cropped: np.ndarray) -> np.ndarray:
        """Return a cropped grid array placed in the whole grid (zeros around)."""
        out = np.zeros(self.shape, dtype=cropped.dtype)
        rows, cols = cropped.shape
        out[self.top : self.top + rows, self.left : self.left + cols] = cropped
        return out


def _marks(ink: np.ndarray) -> _Marks | None:
    """Return the ink's marks on the coarse grid; None when there are none."""
    marked = ink >= _MARK
    rows = np.flatnonzero(marked.any(axis=1))
    if rows.size == 0:
        return None
    columns = np.flatnonzero(marked[rows[0] : rows[-1] + 1].any(axis=0))
    block = max(1, -(-max(ink.shape) // _GRID))
    top, left = int(rows[0]) // block, int(columns[0]) // block
    bottom = -(-(int(rows[-1]) + 1) // block)
    right = -(-(int(columns[-1]) + 1) // block)
    part = np.zeros(((bottom - top) * block, (right - left) * block), dtype=bool)
    inside = marked[top * block : bottom * block, left * block : right * block]
    part[: inside.shape[0], : inside.shape[1]] = inside
    # One axis at a time: the blocks' rows, then their columns.
    by_rows = part.reshape(bottom - top, block, -1).any(axis=1)
    mask = np.asarray(by_rows.reshape(bottom - top, right - left, block).any(axis=2))
    height, width = ink.shape
    return _Marks(
        mask,
        block,
        top,
        left,
        (-(-height // block), -(-width // block)),
        int(columns[-1] - columns[0]) + 1,
        int(rows[-1] - rows[0]) + 1,
    )


def one_piece(ink: np.ndarray) -> bool:
    """Whether the ink is one digit at a glance, with no reading needed.

    True when its marks form one run of columns no wider than the line is
    tall, or pieces that each overlap the others over half their width (the
    strokes of a 4, a 5 or a barred 7) no wider than `_OVERLAPPING` line
    heights; such ink is read as one digit, as a single digit always was.
    Also True for no ink at all (nothing to cut).
    """
    marks = _marks(ink)
    return marks is None or _one_piece(marks)


def _one_piece(marks: _Marks) -> bool:
    """:func:`one_piece` of marks already found."""
    width, height = marks.width, marks.height
    if width > _OVERLAPPING * height:
        return False
    mask = marks.mask
    used = np.flatnonzero(mask.any(axis=0))
    if used.size and not (np.diff(used) == 1).all():
        return False  # a gap between columns: more than one digit
    if width <= _ONE_DIGIT * height:
        return True
    labels, count = label_pieces(mask)
    if count < 2:
        return False  # one wide piece: perhaps digits that touch
    ys, xs = np.nonzero(labels)
    owner = labels[ys, xs] - 1
    left = np.full(count, mask.shape[1])
    right = np.zeros(count, dtype=np.intp)
    np.minimum.at(left, owner, xs)
    np.maximum.at(right, owner, xs + 1)
    for k in range(count):
        others = np.arange(count) != k
        shared = np.minimum(right[k], right[others]) - np.maximum(left[k], left[others])
        if shared.max() < 0.5 * (right[k] - left[k]):
            return False
    return True


def columns_apart(ink: np.ndarray) -> bool:
    """Whether the ink's marks stand in separate runs of columns (a gap between)."""
    marks = _marks(np.asarray(ink, dtype=np.float32))
    if marks is None:
        return False
    used = np.flatnonzero(marks.mask.any(axis=0))
    return bool(used.size) and not bool((np.diff(used) == 1).all())


def cut_apart(ink: np.ndarray, slanted: bool = False) -> Pieces | None:
    """Return the ink's pieces, or None when it is one digit at a glance or blank.

    The same as ``None if one_piece(ink) else find_pieces(ink, slanted)``,
    with the marks found once.
    """
    ink = np.asarray(ink, dtype=np.float32)
    marks = _marks(ink)
    if marks is None or _one_piece(marks):
        return None
    return _find_pieces(ink, marks, slanted)


def find_pieces(ink: np.ndarray, slanted: bool = False) -> Pieces | None:
    """Cut the ink into candidate pieces; None when it holds no mark.

    Parameters
    ----------
    ink : np.ndarray
        2-D float ink in [0, 1] (0 paper), e.g. from
        :func:`lenet_gui.imaging.ink_levels.to_ink`.
    slanted : bool
        Cut touching digits along slanted seams through the least ink, at
        every low point of the profile (more candidates, for a reader that
        can score them: :mod:`lenet_gui.reading.segment_scorer`), instead of
        straight down at the deepest low points.
    """
    ink = np.asarray(ink, dtype=np.float32)
    marks = _marks(ink)
    return None if marks is None else _find_pieces(ink, marks, slanted)


def _find_pieces(ink: np.ndarray, marks: _Marks, slanted: bool) -> Pieces | None:
    """:func:`find_pieces` of marks already found, working on their crop."""
    mask, block = marks.mask, marks.block
    labels, count = label_pieces(mask)
    if count == 0:
        return None
    labels = _join_specks(labels, count)
    rows = np.flatnonzero(mask.any(axis=1))
    line = int(rows[-1] - rows[0]) + 1
    connected = labels
    labels = _cut_wide(labels, line, slanted)
    if slanted:
        # Seams close together can leave slivers of a few blocks: each joins
        # its nearest piece, so a digit is not made of more pieces than a
        # candidate may join.
        labels = _join_specks(labels, int(labels.max()))
    labels = _left_to_right(labels)
    joined = np.zeros(int(labels.max()), dtype=np.intp)
    joined[labels[labels > 0] - 1] = connected[labels > 0]
    cropped, labels = labels, marks.full(labels)
    boxes = []
    height, width = ink.shape
    for k in range(1, int(joined.size) + 1):
        ys, xs = np.nonzero(cropped == k)
        top = (int(ys.min()) + marks.top) * block
        left = (int(xs.min()) + marks.left) * block
        bottom = min(height, (int(ys.max()) + 1 + marks.top) * block)
        right = min(width, (int(xs.max()) + 1 + marks.left) * block)
        region = (
            labels[
                top // block : -(-bottom // block), left // block : -(-right // block)
            ]
            == k
        )
        region = np.repeat(np.repeat(region, block, axis=0), block, axis=1)
        region = region[: bottom - top, : right - left]
        inked = region & (ink[top:bottom, left:right] >= _MARK)
        if not inked.any():
            inked = region
        rows_in = np.flatnonzero(inked.any(axis=1))
        cols_in = np.flatnonzero(inked.any(axis=0))
        boxes.append(
            (
                left + cols_in[0],
                top + rows_in[0],
                left + cols_in[-1] + 1,
                top + rows_in[-1] + 1,
            )
        )
    box_array = np.array(boxes, dtype=np.intp).reshape(-1, 4)
    line_height = int(box_array[:, 3].max() - box_array[:, 1].min())
    return Pieces(ink, labels, block, box_array, line_height, joined)


def _join_specks(labels: np.ndarray, count: int) -> np.ndarray:
    """Give each speck the label of the nearest piece that is not one."""
    area = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    big = (area >= _SPECK * area.max()) | (area == 0)
    if big.all():
        return labels
    ys, xs = np.nonzero(labels)
    owner = labels[ys, xs]
    keep = big[owner - 1]
    remap = np.arange(count + 1)
    for k in np.flatnonzero(~big) + 1:
        mine = owner == k
        cy, cx = ys[mine].mean(), xs[mine].mean()
        distance = (ys[keep] - cy) ** 2 + (xs[keep] - cx) ** 2
        remap[k] = owner[keep][int(distance.argmin())]
    return remap[labels]


def _cut_wide(labels: np.ndarray, line: int, slanted: bool) -> np.ndarray:
    """Cut pieces wider than the line is tall at their profile's low points."""
    out = labels.copy()
    next_label = int(labels.max()) + 1
    for k in range(1, int(labels.max()) + 1):
        piece = labels == k
        columns = np.flatnonzero(piece.any(axis=0))
        if columns.size == 0:
            continue
        left, right = int(columns[0]), int(columns[-1]) + 1
        if right - left <= _WIDE * line:
            continue
        profile = piece[:, left:right].sum(axis=0).astype(np.float64)
        cuts = _low_points(profile, line, _SEAM_DEPTH if slanted else _CUT_DEPTH)
        if not cuts:
            continue
        columns_of = np.arange(piece.shape[1])[None, :]
        bound = np.full(piece.shape[0], left)
        for cut in cuts:
            if slanted:
                seam = np.maximum(_seam(piece, left + cut, line), bound + 1)
            else:
                seam = np.full(piece.shape[0], left + cut)
            # The part right of the seam gets a new label (the left keeps k).
            part = piece & (columns_of >= seam[:, None])
            out[part] = next_label
            next_label += 1
            bound = seam
    return out


def _seam(piece: np.ndarray, column: int, line: int) -> np.ndarray:
    """Return, for each row, where a cut near `column` through the least ink goes.

    The cut runs from top to bottom, moving at most one block sideways per
    row and at most `_SEAM_REACH` line heights from `column`, so it can
    follow the slant between two leaning digits that touch.
    """
    reach = max(1, round(_SEAM_REACH * line))
    lo, hi = max(0, column - reach), min(piece.shape[1], column + reach + 1)
    cost = piece[:, lo:hi].astype(np.float64)
    cost += _SEAM_AWAY * np.abs(np.arange(lo, hi) - column)[None, :] / reach
    rows, width = cost.shape
    totals = np.empty((rows, width))
    totals[0] = cost[0]
    shifted = np.full(width + 2, np.inf)
    for y in range(1, rows):
        shifted[1:-1] = totals[y - 1]
        best = np.minimum(shifted[:-2] + _SEAM_STEP, shifted[2:] + _SEAM_STEP)
        totals[y] = np.minimum(best, totals[y - 1]) + cost[y]
    seam = np.zeros(rows, dtype=np.intp)
    x = int(totals[-1].argmin())
    seam[-1] = x
    for y in range(rows - 1, 0, -1):
        above = totals[y - 1]
        options = [(above[x], x)]
        if x > 0:
            options.append((above[x - 1] + _SEAM_STEP, x - 1))
        if x < width - 1:
            options.append((above[x + 1] + _SEAM_STEP, x + 1))
        x = min(options)[1]
        seam[y - 1] = x
    return seam + lo


def _low_points(profile: np.ndarray, line: int, depth: float) -> list[int]:
    """Columns where the profile dips low enough to cut, left to right."""
    end = max(1, round(_CUT_END * line))
    spacing = max(1, round(_CUT_SPACING * line))
    limit = depth * profile.max()
    inner = np.arange(end, profile.size - end)
    if inner.size == 0:
        return []
    # Smoothed over three columns, so one ragged column does not make a dip.
    smooth = np.convolve(profile, np.ones(3) / 3.0, mode="same")
    low = inner[
        (smooth[inner] <= smooth[inner - 1])
        & (smooth[inner] <= smooth[inner + 1])
        & (profile[inner] <= limit)
    ]
    chosen: list[int] = []
    for column in low[np.argsort(smooth[low], kind="stable")]:
        if all(abs(int(column) - c) >= spacing for c in chosen):
            chosen.append(int(column))
    return sorted(chosen)


def _left_to_right(labels: np.ndarray) -> np.ndarray:
    """Renumber the pieces 1..n by the centre of their columns, left to right."""
    present = np.unique(labels)
    present = present[present > 0]
    ys, xs = np.nonzero(labels)
    owner = labels[ys, xs]
    sums = np.bincount(owner, weights=xs, minlength=int(labels.max()) + 1)
    counts = np.bincount(owner, minlength=int(labels.max()) + 1)
    centres = sums[present] / counts[present]
    remap = np.zeros(int(labels.max()) + 1, dtype=np.intp)
    remap[present[np.argsort(centres, kind="stable")]] = np.arange(1, present.size + 1)
    return remap[labels]
