"""Cut touching digits where their strokes cross, into fragments.

Pen digits lean and cross: a 1 whose stroke runs through the next digit's
bar, a 7's bar over its neighbour. No cut from top to bottom separates
them (:mod:`lenet_gui.reading.pieces`), but the strokes can be cut where
they meet. The ink's pieces are thinned to a skeleton on the coarse grid;
the skeleton's branches between junctions (where three or more strokes
meet) are the seeds, and every block of ink goes to the branch it reaches
first along the ink. Each connected stroke is cut into the fragments of
its branches (the cuts between pieces do not cut a branch: a loop touching
its neighbour stays one fragment, not the slices the pieces make of it),
so a digit is a set of fragments, not always a run from left to right
(:mod:`lenet_gui.reading.crossing` finds which sets are digits).

Only numpy is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lenet_gui.imaging.photo_pieces import label_pieces
from lenet_gui.reading.pieces import Pieces

__all__ = ["Fragments", "split_at_crossings", "widest_cut_stroke"]

# At most this many fragments: the smallest join their neighbours first.
MAX_FRAGMENTS = 40
# A fragment shorter than this many line heights (its area over the
# strokes' width) joins the neighbour it touches most.
_SHORT = 0.2
# Junctions of the skeleton are widened by this many blocks before the
# branches are taken apart, so a crossing drawn as two close junctions
# leaves no sliver of skeleton between them.
_JUNCTION_REACH = 1


@dataclass(frozen=True)
class Fragments:
    """The fragments of an image's ink, numbered by their centre, left to right.

    Attributes
    ----------
    ink : np.ndarray
        The image as ink, float32 in [0, 1].
    labels : np.ndarray
        Int array on the coarse grid: 0 where no fragment is, k + 1 on
        fragment k.
    block : int
        The coarse grid's block side, in `ink`'s pixels.
    boxes : np.ndarray
        (n, 4) int ``x0, y0, x1, y1`` of each fragment, in `ink`'s pixels.
    height : int
        The line's height in pixels.
    touching : np.ndarray
        (n, n) bool: whether two fragments touch on the coarse grid.
    stroke : np.ndarray
        (n,) int: fragments with the same number are of one connected stroke.
    centres : np.ndarray
        (n,) float: each fragment's centre column, in coarse blocks.
    """

    ink: np.ndarray
    labels: np.ndarray
    block: int
    boxes: np.ndarray
    height: int
    touching: np.ndarray
    stroke: np.ndarray
    centres: np.ndarray

    @property
    def count(self) -> int:
        """The number of fragments."""
        return int(self.boxes.shape[0])

    def box(self, members: Sequence[int]) -> tuple[int, int, int, int]:
        """Return the bounding box of the fragments `members` together."""
        part = self.boxes[list(members)]
        return (
            int(part[:, 0].min()),
            int(part[:, 1].min()),
            int(part[:, 2].max()),
            int(part[:, 3].max()),
        )

    def image(self, members: Sequence[int]) -> np.ndarray:
        """Return the ink of the fragments `members` alone, in their box."""
        x0, y0, x1, y1 = self.box(members)
        b = self.block
        coarse = self.labels[y0 // b : -(-y1 // b), x0 // b : -(-x1 // b)]
        keep = np.isin(coarse, np.asarray(members) + 1)
        keep = np.repeat(np.repeat(keep, b, axis=0), b, axis=1)
        keep = keep[y0 - (y0 // b) * b :, x0 - (x0 // b) * b :][: y1 - y0, : x1 - x0]
        return np.where(keep, self.ink[y0:y1, x0:x1], np.float32(0.0))


def widest_cut_stroke(pieces: Pieces) -> float:
    """Return the width of the widest stroke cut into pieces, in line heights.

    0 when no connected stroke was cut (every piece is a stroke of its own).
    """
    widest = 0
    for stroke in np.unique(pieces.joined):
        mine = np.flatnonzero(pieces.joined == stroke)
        if mine.size > 1:
            boxes = pieces.boxes[mine]
            widest = max(widest, int(boxes[:, 2].max() - boxes[:, 0].min()))
    return widest / max(1, pieces.height)


def split_at_crossings(pieces: Pieces) -> Fragments | None:
    """Cut the pieces' strokes where they meet; None when no stroke is cut.

    Every fragment lies inside one connected stroke; it may span several
    pieces of it.
    """
    rows = np.flatnonzero((pieces.labels > 0).any(axis=1))
    cols = np.flatnonzero((pieces.labels > 0).any(axis=0))
    if rows.size == 0:
        return None
    top, left = int(rows[0]), int(cols[0])
    crop = pieces.labels[top : rows[-1] + 1, left : cols[-1] + 1]
    mask = crop > 0
    line = max(1, int(rows[-1] - rows[0]) + 1)
    branches, width = _branches(mask)
    # A fragment is one branch's ink within one connected stroke: the cuts
    # between pieces do not cut it (a 0 touching its neighbour stays one
    # loop, not the five slices the closer cuts make of it).
    area = np.where(mask, pieces.joined[np.maximum(crop, 1) - 1] + 1, 0)
    key = area.astype(np.int64) * (int(branches.max()) + 1) + branches
    _, fragment = np.unique(key, return_inverse=True)
    fragment = fragment.reshape(crop.shape)
    fragment = _renumber(np.where(mask, fragment, 0))
    fragment = _join_small(fragment, area, _SHORT * line * width, MAX_FRAGMENTS)
    count = int(fragment.max())
    if count <= np.unique(pieces.joined).size:
        return None
    touching = _touching(fragment, count)
    ys, xs = np.nonzero(fragment)
    owner = fragment[ys, xs] - 1
    centres = np.bincount(owner, weights=xs, minlength=count) / np.bincount(
        owner, minlength=count
    )
    order = np.argsort(centres, kind="stable")
    remap = np.zeros(count + 1, dtype=np.intp)
    remap[order + 1] = np.arange(1, count + 1)
    fragment = remap[fragment]
    touching = touching[np.ix_(order, order)]
    centres = centres[order] + left
    full = np.zeros_like(pieces.labels)
    full[top : rows[-1] + 1, left : cols[-1] + 1] = fragment
    stroke = np.zeros(count, dtype=np.intp)
    piece_of = np.zeros(count, dtype=np.intp)
    piece_of[fragment[mask] - 1] = crop[mask]
    stroke[:] = pieces.joined[piece_of - 1]
    boxes = _boxes(pieces.ink, full, pieces.block, count)
    return Fragments(
        pieces.ink,
        full,
        pieces.block,
        boxes,
        pieces.height,
        touching,
        stroke,
        centres,
    )


def _branches(mask: np.ndarray) -> tuple[np.ndarray, float]:
    """Label each block of ink with the skeleton branch it reaches first.

    Also returns the strokes' width in blocks (the ink's area over the
    skeleton's length).
    """
    skeleton = _thin(mask)
    area = int(mask.sum())
    width = area / max(1, int(skeleton.sum()))
    skeleton = _prune(skeleton, max(1, round(width)))
    junctions = skeleton & (_crossings(skeleton) >= 3)
    near = _grow(junctions, _JUNCTION_REACH) & skeleton
    seeds, _ = label_pieces(skeleton & ~near)
    return _spread(seeds, mask), width


def _neighbours(image: np.ndarray) -> list[np.ndarray]:
    """Return the eight neighbours of every pixel, clockwise from above."""
    p = np.pad(image, 1)
    return [
        p[:-2, 1:-1],
        p[:-2, 2:],
        p[1:-1, 2:],
        p[2:, 2:],
        p[2:, 1:-1],
        p[2:, :-2],
        p[1:-1, :-2],
        p[:-2, :-2],
    ]


def _crossings(image: np.ndarray) -> np.ndarray:
    """How many times the ring of eight neighbours goes from paper to ink."""
    ring = [n.astype(np.int8) for n in _neighbours(image)]
    total = np.zeros(image.shape, dtype=np.int8)
    for i in range(8):
        total += (ring[i] == 0) & (ring[(i + 1) % 8] == 1)
    return total


def _thin(mask: np.ndarray) -> np.ndarray:
    """Thin the mask to lines one block wide (Zhang and Suen, 1984)."""
    image = mask.astype(np.int8)
    changed = True
    while changed:
        changed = False
        for step in (0, 1):
            p2, p3, p4, p5, p6, p7, p8, p9 = _neighbours(image)
            count = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9
            if step == 0:
                sides = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                sides = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            remove = (
                (image == 1)
                & (count >= 2)
                & (count <= 6)
                & (_crossings(image) == 1)
                & sides
            )
            if remove.any():
                image[remove] = 0
                changed = True
    return image.astype(bool)


def _prune(skeleton: np.ndarray, steps: int) -> np.ndarray:
    """Remove spurs: end points are taken off `steps` times, then grown back.

    Only the branches that survive (longer than `steps`) grow back along the
    skeleton, so short spurs at a thick stroke's corners vanish.
    """
    kept = skeleton.copy()
    for _ in range(steps):
        count = sum(n.astype(np.int8) for n in _neighbours(kept))
        ends = kept & (count <= 1)
        if not ends.any():
            break
        kept &= ~ends
    if not kept.any():
        return skeleton
    for _ in range(steps):
        kept = _grow(kept, 1) & skeleton
    return kept


def _grow(image: np.ndarray, steps: int) -> np.ndarray:
    """Grow a mask by `steps` blocks (8-connected)."""
    out = image.copy()
    for _ in range(steps):
        out = out | np.logical_or.reduce(_neighbours(out))
    return out


def _spread(seeds: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Give every block of the mask the label of the seed it reaches first."""
    labels = np.where(mask, seeds, 0)
    while True:
        empty = mask & (labels == 0)
        if not empty.any():
            return labels
        reached = np.maximum.reduce(_neighbours(labels))
        grown = empty & (reached > 0)
        if not grown.any():
            # Ink no seed reaches (a piece too small for a skeleton): its
            # own fragments.
            rest, _ = label_pieces(empty)
            return np.where(empty, rest + labels.max(), labels)
        labels = np.where(grown, reached, labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Renumber the labels present 1..n, 0 staying 0."""
    present = np.unique(labels)
    present = present[present > 0]
    remap = np.zeros(int(labels.max()) + 1, dtype=np.intp)
    remap[present] = np.arange(1, present.size + 1)
    return remap[labels]


def _touching(labels: np.ndarray, count: int) -> np.ndarray:
    """(count, count) bool: which labels touch (8-connected)."""
    touching = np.zeros((count + 1, count + 1), dtype=bool)
    for other in _neighbours(labels):
        touching[labels.ravel(), other.ravel()] = True
    touching = touching[1:, 1:]
    np.fill_diagonal(touching, False)
    return touching


def _join_small(
    labels: np.ndarray, pieces: np.ndarray, small: float, most: int
) -> np.ndarray:
    """Join small fragments, and the smallest while too many, to a neighbour.

    A fragment joins the neighbour of its own piece that it shares the
    longest border with; one with no such neighbour stays.
    """
    while True:
        count = int(labels.max())
        if count < 2:
            return labels  # nothing to join (a speck's skeleton may be empty)
        area = np.bincount(labels.ravel(), minlength=count + 1)[1:].astype(float)
        piece = np.zeros(count + 1, dtype=np.intp)
        piece[labels.ravel()] = pieces.ravel()
        contact = np.zeros((count + 1, count + 1))
        for other in _neighbours(labels):
            np.add.at(contact, (labels.ravel(), other.ravel()), 1.0)
        contact[piece[:, None] != piece[None, :]] = 0.0
        contact = contact[1:, 1:]
        np.fill_diagonal(contact, 0.0)
        lonely = contact.max(axis=1) == 0
        area_left = np.where(lonely, np.inf, area)
        smallest = int(area_left.argmin())
        if not np.isfinite(area_left[smallest]):
            return labels
        if area_left[smallest] >= small and count <= most:
            return labels
        target = int(contact[smallest].argmax())
        labels = np.where(labels == smallest + 1, target + 1, labels)
        labels = _renumber(labels)


def _boxes(ink: np.ndarray, labels: np.ndarray, block: int, count: int) -> np.ndarray:
    """Return the (count, 4) pixel box of each fragment's ink."""
    boxes = []
    height, width = ink.shape
    for k in range(1, count + 1):
        ys, xs = np.nonzero(labels == k)
        top, left = int(ys.min()) * block, int(xs.min()) * block
        bottom = min(height, (int(ys.max()) + 1) * block)
        right = min(width, (int(xs.max()) + 1) * block)
        region = labels[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] == k
        region = np.repeat(np.repeat(region, block, axis=0), block, axis=1)
        region = region[: bottom - top, : right - left]
        inked = region & (ink[top:bottom, left:right] >= 0.2)
        if not inked.any():
            inked = region
        r = np.flatnonzero(inked.any(axis=1))
        c = np.flatnonzero(inked.any(axis=0))
        boxes.append((left + c[0], top + r[0], left + c[-1] + 1, top + r[-1] + 1))
    return np.array(boxes, dtype=np.intp).reshape(-1, 4)
