"""Numbers and non-digits drawn from pen strokes, for training and measuring.

:func:`compose_number` lays pen digits side by side on the paper as one
line, apart or touching; :func:`non_digit_strokes` (from
:mod:`lenet_gui.training.shapes`) draws marks that are not digits: dots,
dashes, shapes, symbols and scribbles. Both give strokes in paper pixels, for
:func:`lenet_gui.drawing.paper.render` or a mouse replay. numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.training.shapes import SHAPES, non_digit_strokes

__all__ = ["SHAPES", "compose_number", "non_digit_strokes", "piece_of_digit"]


def compose_number(
    digits: Sequence[PenDigit],
    gap: tuple[float, float],
    rng: np.random.Generator,
    paper: float = 448.0,
    margin: float = 24.0,
) -> tuple[list[np.ndarray], list[tuple[float, float, float, float]]]:
    """Lay digits side by side as one handwritten number.

    Parameters
    ----------
    digits : sequence of PenDigit
        The digits, left to right.
    gap : tuple of float
        Range of the space between the strokes of neighbours, in digit
        heights; negative brings them closer than touching.
    rng : numpy.random.Generator
        Source of sizes, gaps and the line's place.
    paper, margin : float
        The paper's side and the free border, in paper pixels.

    Returns
    -------
    strokes : list of np.ndarray
        Every digit's strokes, in paper pixels, left digit first.
    boxes : list of tuple
        Each digit's point box ``x0, y0, x1, y1`` on the paper.
    """
    placed: list[list[np.ndarray]] = []
    x = 0.0
    for digit in digits:
        points = np.concatenate(digit.strokes)
        low, high = points.min(axis=0), points.max(axis=0)
        height = max(float(high[1] - low[1]), 1e-6)
        scale = rng.uniform(0.9, 1.1) / height
        shift = np.array([x, rng.uniform(-0.06, 0.06)]) - low * scale
        strokes = [s * scale + shift for s in digit.strokes]
        width = float(high[0] - low[0]) * scale
        placed.append(strokes)
        x += width + rng.uniform(*gap)
    every = np.concatenate([np.concatenate(s) for s in placed])
    low, high = every.min(axis=0), every.max(axis=0)
    extent = np.maximum(high - low, 1e-6)
    room = paper - 2.0 * margin
    scale = min(room / extent[0], 0.5 * room / extent[1])
    corner = margin + rng.uniform(0.0, 1.0, 2) * (room - scale * extent)
    out: list[np.ndarray] = []
    boxes = []
    for strokes in placed:
        moved = [(s - low) * scale + corner for s in strokes]
        pts = np.concatenate(moved)
        boxes.append(
            (
                float(pts[:, 0].min()),
                float(pts[:, 1].min()),
                float(pts[:, 0].max()),
                float(pts[:, 1].max()),
            )
        )
        out.extend(moved)
    return out, boxes


def piece_of_digit(
    digit: PenDigit, rng: np.random.Generator
) -> list[np.ndarray] | None:
    """Part of a digit, as a segmenter could wrongly cut it: a half or a stroke.

    None when the cut leaves too little ink.
    """
    points = np.concatenate(digit.strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    axis = 0 if rng.random() < 0.75 else 1
    cut = low[axis] + rng.uniform(0.35, 0.65) * (high[axis] - low[axis])
    keep_low = rng.random() < 0.5
    parts: list[np.ndarray] = []
    for stroke in digit.strokes:
        side = stroke[:, axis] < cut if keep_low else stroke[:, axis] >= cut
        runs = np.split(stroke, np.flatnonzero(np.diff(side.astype(np.int8))) + 1)
        parts.extend(
            r for r in runs if r.shape[0] >= 2 and (r[:, axis] < cut).all() == keep_low
        )
    if not parts or sum(r.shape[0] for r in parts) < 3:
        return None
    return parts
