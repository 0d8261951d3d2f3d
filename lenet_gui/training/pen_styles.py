"""Style variants people write that the recorded pen digits hold too few of.

A slash through a 0, a bar across a 7, a flag or a foot on a 1, a closed 4,
a 9 whose tail curls (:data:`STYLES`): each variant is a function of a
digit's strokes and a random generator that returns the varied strokes, or
None where the variant does not fit this way of writing the digit.
:func:`style_variant` applies one that fits.

Uses numpy only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

__all__ = [
    "STYLES",
    "barred_seven",
    "bounding_box",
    "closed_four",
    "curled_nine",
    "flagged_one",
    "footed_one",
    "slashed_zero",
    "style_variant",
]

#: A digit's strokes: (n, 2) float64 arrays of (x, y) points, y down.
Strokes = list[np.ndarray]
#: A style variant: the digit's varied strokes, or None where it does not fit.
Variant = Callable[[Strokes, np.random.Generator], Strokes | None]


def bounding_box(strokes: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Top-left corner and (width, height) of the strokes' bounding box."""
    points = np.concatenate(strokes)
    low = points.min(axis=0)
    return low, np.maximum(points.max(axis=0) - low, 1e-6)


def _segment(start: np.ndarray, end: np.ndarray, points: int = 6) -> np.ndarray:
    """Return a straight stroke from `start` to `end`, as a few points."""
    t = np.linspace(0.0, 1.0, points)[:, None]
    return start + t * (end - start)


def slashed_zero(strokes: Strokes, rng: np.random.Generator) -> Strokes | None:
    """Add a slash through a 0 (Ø), from just beyond its top right to its bottom left.

    The slash crosses the whole oval and ends a little outside it, as people
    write it; a slash that stopped inside would make a 0 look like a 6 or 8.
    """
    (x, y), (w, h) = bounding_box(strokes)
    over = rng.uniform(0.0, 0.15, 4)
    top = np.array([x + w * (0.8 + over[0]), y - h * over[1]])
    bottom = np.array([x + w * (0.2 - over[2]), y + h * (1.0 + over[3])])
    slash = _segment(bottom, top) if rng.random() < 0.5 else _segment(top, bottom)
    return [*strokes, slash]


def _crossings(strokes: Sequence[np.ndarray], level: float) -> list[float]:
    """Return the x of every crossing of the strokes with the line y = `level`."""
    xs = []
    for stroke in strokes:
        for (x0, y0), (x1, y1) in zip(stroke[:-1], stroke[1:], strict=True):
            if (y0 - level) * (y1 - level) <= 0 and y0 != y1:
                xs.append(x0 + (level - y0) / (y1 - y0) * (x1 - x0))
    return xs


def barred_seven(strokes: Strokes, rng: np.random.Generator) -> Strokes | None:
    """Add a short bar across the stem of a 7, a little above its middle.

    Only for a 7 that has no bar yet (a second bar is no style anyone
    writes): one whose middle band holds no near-horizontal line.
    """
    (x, y), (w, h) = bounding_box(strokes)
    if _flat_length(strokes, y + 0.3 * h, y + 0.75 * h) > 0.15 * w:
        return None
    level = y + h * rng.uniform(0.4, 0.6)
    # The stem is where the strokes cross the bar's line.
    xs = _crossings(strokes, level)
    if not xs:
        return None
    stem = float(np.median(xs))
    half = max(w, 0.5 * h) * rng.uniform(0.18, 0.3)
    tilt = h * rng.uniform(-0.04, 0.04)
    left = np.array([stem - half * rng.uniform(0.8, 1.2), level + tilt])
    right = np.array([stem + half * rng.uniform(0.8, 1.2), level - tilt])
    return [*strokes, _segment(left, right)]


def _flat_length(strokes: Sequence[np.ndarray], top: float, bottom: float) -> float:
    """Return the length of near-horizontal pieces (< 25 degrees) between two lines."""
    total = 0.0
    for stroke in strokes:
        step = np.diff(stroke, axis=0)
        middle = (stroke[:-1, 1] + stroke[1:, 1]) / 2.0
        inside = (middle >= top) & (middle <= bottom)
        flat = np.abs(step[:, 1]) <= np.tan(np.radians(25.0)) * np.abs(step[:, 0])
        total += float(np.hypot(*step[inside & flat].T).sum())
    return total


def flagged_one(strokes: Strokes, rng: np.random.Generator) -> Strokes | None:
    """Start a plain 1 with the up-stroke (flag) people write before the stem.

    The flag is 15-40 % of the height and rises at 30-60 degrees from the
    horizontal: steeper and shorter than a 7's top bar, as a European 1 is
    written. A 1 whose top is not the start of a stroke already has a flag
    (or is no plain stem) and is left as it is.
    """
    (_, y), (_, h) = bounding_box(strokes)
    first = strokes[0]
    if first[0, 1] > y + 0.1 * h or len(strokes) > 1:
        return None
    length = h * rng.uniform(0.15, 0.4)
    angle = np.radians(rng.uniform(30.0, 60.0))
    start = first[0] + length * np.array([-np.cos(angle), np.sin(angle)])
    flag = _segment(start, first[0])[:-1]
    return [np.concatenate([flag, first]), *strokes[1:]]


def footed_one(strokes: Strokes, rng: np.random.Generator) -> Strokes | None:
    """Add a foot (base bar) under a 1 that is a single stem."""
    (x, y), (w, h) = bounding_box(strokes)
    if w > 0.5 * h:
        return None
    bottom = np.concatenate(strokes)
    foot_y = float(bottom[:, 1].max())
    stem = float(bottom[bottom[:, 1] > y + 0.8 * h, 0].mean())
    half = h * rng.uniform(0.15, 0.3)
    foot = _segment(np.array([stem - half, foot_y]), np.array([stem + half, foot_y]))
    return [*strokes, foot]


def closed_four(strokes: Strokes, rng: np.random.Generator) -> Strokes | None:
    """Close an open 4: its first leg leans from the top of the stem to the corner.

    Only for a 4 written as an L-shaped stroke then a stem (how most of the
    recorded writers write it): the L's down-stroke is replaced by a line
    from near the stem's top to the L's corner, which makes the triangle of
    a closed 4.
    """
    if len(strokes) != 2:
        return None
    ell, stem = strokes
    if len(ell) < 3 or len(stem) < 2:
        return None
    # The corner is the L's point farthest from the line joining its ends.
    chord = ell[-1] - ell[0]
    norm = np.hypot(*chord)
    if norm == 0:
        return None
    relative = ell - ell[0]
    offsets = np.abs(chord[0] * relative[:, 1] - chord[1] * relative[:, 0]) / norm
    corner = int(np.argmax(offsets))
    if corner == 0 or corner == len(ell) - 1:
        return None
    top = stem[np.argmin(stem[:, 1])]
    (_, _), (w, h) = bounding_box(strokes)
    # Only a 4 we understand: the corner well left of and below the stem's
    # top, and the crossbar reaching across the stem. Others would turn into
    # shapes nearer a 9 or a 7 than a 4.
    if (
        top[0] - ell[corner, 0] < 0.25 * w
        or ell[corner, 1] - top[1] < 0.4 * h
        or ell[-1, 0] < top[0] + 0.05 * w
    ):
        return None
    start = top + np.array([0.0, h * rng.uniform(0.0, 0.1)])
    leg = _segment(start, ell[corner])
    return [np.concatenate([leg[:-1], ell[corner:]]), stem]


def curled_nine(strokes: Strokes, rng: np.random.Generator) -> Strokes | None:
    """Let the tail of a 9 curl to the left at its end, as many people write it."""
    last = strokes[-1]
    if len(last) < 2:
        return None
    (_, y), (w, h) = bounding_box(strokes)
    end = last[-1]
    if end[1] < y + 0.8 * h:
        return None  # the stroke does not end at the bottom: not the tail
    # Heading of the last part of the tail, then turned steadily to the
    # writer's left-hand side (clockwise on a y-down screen is +angle).
    back = last[max(0, len(last) - 4)]
    heading = np.arctan2(*(end - back)[::-1])
    sweep = np.radians(rng.uniform(90.0, 180.0))
    length = h * rng.uniform(0.2, 0.35)
    steps = 8
    angles = heading + sweep * (np.arange(1, steps + 1) / steps)
    moves = (length / steps) * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    curl = end + np.cumsum(moves, axis=0)
    return [*strokes[:-1], np.concatenate([last, curl])]


#: Style variants by name: (digit, function of (strokes, rng) giving the
#: varied strokes, or None where the variant does not apply to this digit).
STYLES: dict[str, tuple[int, Variant]] = {
    "slashed_zero": (0, slashed_zero),
    "flagged_one": (1, flagged_one),
    "footed_one": (1, footed_one),
    "closed_four": (4, closed_four),
    "barred_seven": (7, barred_seven),
    "curled_nine": (9, curled_nine),
}


def style_variant(
    strokes: list[np.ndarray],
    label: int,
    styles: Iterable[str],
    rng: np.random.Generator,
) -> tuple[list[np.ndarray], str | None]:
    """Apply one of the chosen style variants that fits the digit, if any.

    Returns
    -------
    strokes : list of np.ndarray
        The varied strokes, or the same strokes when none applies.
    style : str or None
        The variant applied.
    """
    fitting = [name for name in styles if STYLES[name][0] == label]
    if not fitting:
        return strokes, None
    name = fitting[rng.integers(len(fitting))]
    varied = STYLES[name][1](strokes, rng)
    return (strokes, None) if varied is None else (varied, name)
