"""Pen strokes recovered from digit images: skeletons traced into polylines.

A person draws a digit as a few pen trajectories; an MNIST image is the ink
such trajectories left. :func:`digit_strokes` recovers trajectories from the
image: binarise, thin to a one-pixel skeleton (Zhang-Suen), trace the skeleton
into polylines that split at endpoints and junctions, and smooth them lightly.
:func:`place_strokes` gives them a size and position on the paper.

Training draws its digits again from these strokes with the canvas's pen
(:mod:`lenet_gui.training.drawn`), and the drawn-digit benchmark replays strokes of
test digits on the real window, so both see digits as the app draws them.

Skeletons of MNIST digits are only a proxy for pen trajectories: they keep
MNIST's writers, slants and proportions, but not the order or direction of
the strokes; a stroke that crossed itself or overlapped another leaves a
single line, and a bold digit whose loops the writer filled in loses them.

Only numpy is used here (no torch, no Qt).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "BOLD_WIDTH",
    "digit_strokes",
    "place_strokes",
    "resample",
    "skeleton_paths",
    "zhang_suen",
]

#: MNIST stroke width (pixels in the 20 px box, by
#: :func:`~lenet_gui.imaging.preprocess.stroke_width`) above which a digit is
#: bold: its skeleton often loses the shape, a filled loop becoming a speck or
#: a hook. About 9 % of MNIST's digits.
BOLD_WIDTH = 3.5

# Zhang-Suen's neighbours P2..P9 as (row, column) offsets: clockwise from north.
_RING = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))
# Spacing, in pixels of the digit image, of the polyline that is smoothed.
_DENSE = 0.25

_Pixel = tuple[int, int]


def zhang_suen(mask: np.ndarray) -> np.ndarray:
    """Thin a binary image to a one-pixel-wide skeleton (Zhang and Suen, 1984).

    Each iteration is two parallel sub-iterations, each computed for all
    pixels at once: a pixel is removed when it has 2 to 6 neighbours, exactly
    one 0 -> 1 transition around it, and is on a south-east boundary or a
    north-west corner (first sub-iteration) or the opposite (second).

    Parameters
    ----------
    mask : np.ndarray
        2-D array, True (or non-zero) for ink.

    Returns
    -------
    np.ndarray
        Boolean skeleton of the same shape. Diagonal runs may keep an extra
        pixel at a corner (a staircase); :func:`skeleton_paths` reads those as
        one line.
    """
    image = np.pad(np.asarray(mask, dtype=bool), 1).astype(np.uint8)
    height, width = image.shape
    core = image[1:-1, 1:-1]
    changed = True
    while changed:
        changed = False
        for first in (True, False):
            ring = np.stack(
                [
                    image[1 + dy : height - 1 + dy, 1 + dx : width - 1 + dx]
                    for dy, dx in _RING
                ]
            )
            p2, _, p4, _, p6, _, p8, _ = ring
            count = ring.sum(axis=0)
            transitions = ((ring == 0) & (np.roll(ring, -1, axis=0) == 1)).sum(axis=0)
            if first:
                side = ((p2 & p4 & p6) == 0) & ((p4 & p6 & p8) == 0)
            else:
                side = ((p2 & p4 & p8) == 0) & ((p2 & p6 & p8) == 0)
            delete = (core == 1) & (count >= 2) & (count <= 6) & (transitions == 1)
            delete &= side
            if delete.any():
                core[delete] = 0
                changed = True
    return core.astype(bool)


def _adjacency(skeleton: np.ndarray) -> dict[_Pixel, list[_Pixel]]:
    """Neighbours of each skeleton pixel under m-adjacency.

    Diagonal neighbours count only when no pixel touches both of them along
    the axes: a staircase corner then is a path, not a triangle, and the
    degree of a pixel tells line (2) from endpoint (1) and junction (3+).
    """
    on = {(int(r), int(c)) for r, c in zip(*np.nonzero(skeleton), strict=True)}
    adjacency = {}
    for r, c in sorted(on):
        neighbours = []
        for dr, dc in _RING:
            if (r + dr, c + dc) not in on:
                continue
            if dr and dc and ((r + dr, c) in on or (r, c + dc) in on):
                continue
            neighbours.append((r + dr, c + dc))
        adjacency[(r, c)] = neighbours
    return adjacency


def skeleton_paths(skeleton: np.ndarray) -> list[list[_Pixel]]:
    """Trace a skeleton into paths of pixels that split at endpoints and junctions.

    Every pixel lies on at least one path and every link between neighbours
    on exactly one. A path runs from an endpoint or junction to the next; a
    loop without either (an ``0``) is one closed path whose last pixel repeats
    its first; an isolated pixel is a path of one.

    Parameters
    ----------
    skeleton : np.ndarray
        2-D boolean one-pixel-wide skeleton, e.g. from :func:`zhang_suen`.

    Returns
    -------
    list of list of tuple of int
        Paths of (row, column) pixels, in a deterministic order.
    """
    adjacency = _adjacency(skeleton)
    used: set[frozenset[_Pixel]] = set()

    def walk(start: _Pixel, step: _Pixel) -> list[_Pixel]:
        path = [start, step]
        used.add(frozenset((start, step)))
        previous, current = start, step
        while len(adjacency[current]) == 2 and current != start:
            (following,) = (p for p in adjacency[current] if p != previous)
            used.add(frozenset((current, following)))
            path.append(following)
            previous, current = current, following
        return path

    paths = []
    for pixel, neighbours in adjacency.items():
        if not neighbours:
            paths.append([pixel])
        elif len(neighbours) != 2:
            paths.extend(
                walk(pixel, step)
                for step in neighbours
                if frozenset((pixel, step)) not in used
            )
    # What is left are loops without endpoints or junctions.
    for pixel, neighbours in adjacency.items():
        if neighbours and frozenset((pixel, neighbours[0])) not in used:
            paths.append(walk(pixel, neighbours[0]))
    return paths


def resample(points: np.ndarray, spacing: float) -> np.ndarray:
    """Space points evenly along a polyline, keeping both ends.

    Parameters
    ----------
    points : np.ndarray
        (n, 2) vertices.
    spacing : float
        Largest distance between consecutive output points.

    Returns
    -------
    np.ndarray
        (m, 2) float64 points; a polyline of no length gives its first point.
    """
    points = np.asarray(points, dtype=np.float64)
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    if arc[-1] == 0.0:
        return points[:1]
    at = np.linspace(0.0, arc[-1], int(np.ceil(arc[-1] / spacing)) + 1)
    return np.stack([np.interp(at, arc, points[:, k]) for k in range(2)], axis=1)


def _smooth(path: np.ndarray, sigma: float) -> np.ndarray:
    """Resample a path densely and smooth it by a Gaussian along its length.

    Its ends stay where they were, so strokes still meet at junctions: an
    open path is bent back onto them, a closed one (smoothed all round) is
    shifted onto its start.
    """
    dense = resample(path, _DENSE)
    if len(dense) < 3:
        return dense
    radius = int(np.ceil(3.0 * sigma / _DENSE))
    offsets = np.arange(-radius, radius + 1) * _DENSE
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    kernel /= kernel.sum()
    closed = bool(np.all(path[0] == path[-1]))
    if closed:
        ring = dense[:-1]
        padded = ring[np.arange(-radius, len(ring) + radius) % len(ring)]
    else:
        padded = np.pad(dense, ((radius, radius), (0, 0)), mode="edge")
    smooth = np.stack(
        [np.convolve(padded[:, k], kernel, mode="valid") for k in range(2)], axis=1
    )
    if closed:
        return np.concatenate([smooth, smooth[:1]]) + (dense[0] - smooth[0])
    t = np.linspace(0.0, 1.0, len(smooth))[:, None]
    return smooth + (1.0 - t) * (dense[0] - smooth[0]) + t * (dense[-1] - smooth[-1])


def digit_strokes(
    image: np.ndarray, *, threshold: int = 128, sigma: float = 0.75
) -> list[np.ndarray]:
    """Recover pen strokes from a digit image.

    Parameters
    ----------
    image : np.ndarray
        2-D uint8 digit, ink 255 on 0 (an MNIST image).
    threshold : int, default 128
        Grey level from which a pixel is ink.
    sigma : float, default 0.75
        Standard deviation, in image pixels, of the Gaussian that smooths each
        stroke along its length.

    Returns
    -------
    list of np.ndarray
        One (n, 2) float64 array of (x, y) points per stroke, in image
        coordinates (pixel ``(r, c)`` spans ``[c, c + 1) x [r, r + 1)``),
        points at most 0.25 px apart; a single point is a dot. Empty when the
        image holds no ink at or above `threshold`.
    """
    skeleton = zhang_suen(np.asarray(image) >= threshold)
    strokes = []
    for path in skeleton_paths(skeleton):
        xy = np.array([(c + 0.5, r + 0.5) for r, c in path], dtype=np.float64)
        strokes.append(_smooth(xy, sigma))
    return strokes


def place_strokes(
    strokes: list[np.ndarray],
    height: float,
    paper: float,
    margin: float,
    rng: np.random.Generator,
) -> list[np.ndarray]:
    """Scale strokes to a given height and put them at a random place on paper.

    Parameters
    ----------
    strokes : list of np.ndarray
        (n, 2) point arrays, e.g. from :func:`digit_strokes`.
    height : float
        Height of the strokes' bounding box on paper, in paper pixels; the
        width follows with the aspect ratio, and both shrink if the width
        would not fit.
    paper : float
        Side of the square paper.
    margin : float
        Least distance between a point and the paper's edge (half the widest
        pen to be used keeps all ink on the paper).
    rng : numpy.random.Generator
        Source of the position, uniform over all places that fit.

    Returns
    -------
    list of np.ndarray
        The strokes in paper coordinates.
    """
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = np.maximum(high - low, 1e-6)
    room = paper - 2.0 * margin
    scale = min(height / extent[1], room / extent[0])
    corner = margin + rng.uniform(0.0, 1.0, 2) * (room - scale * extent)
    return [(stroke - low) * scale + corner for stroke in strokes]
