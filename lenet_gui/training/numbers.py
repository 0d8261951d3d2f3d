"""Numbers and non-digits drawn from pen strokes, for training and measuring.

:func:`compose_number` lays pen digits side by side on the paper as one
line, apart or touching; :func:`non_digit_strokes` draws things that are not
digits: dots, dashes, crosses, triangles, squares, stars, spirals, waves,
ticks, zig-zags, scribbles, and letter-like marks made of a few random
strokes. Both give strokes in paper pixels, for
:func:`lenet_gui.drawing.paper.render` or a mouse replay. numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lenet_gui.files.stroke_files import PenDigit

__all__ = ["SHAPES", "compose_number", "non_digit_strokes", "piece_of_digit"]

#: The kinds of non-digit shapes drawn.
SHAPES = (
    "dot",
    "dash",
    "cross",
    "triangle",
    "square",
    "star",
    "spiral",
    "wave",
    "tick",
    "zigzag",
    "scribble",
    "marks",
)


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


def non_digit_strokes(kind: str, rng: np.random.Generator) -> list[np.ndarray]:
    """Strokes of one non-digit shape in a unit box (x, y in 0..1, y down).

    Parameters
    ----------
    kind : str
        One of :data:`SHAPES`.
    rng : numpy.random.Generator
        Source of the shape's proportions and wobble.
    """
    t = np.linspace(0.0, 1.0, 40)
    if kind == "dot":
        centre = rng.uniform(0.3, 0.7, 2)
        angle = np.linspace(0, 2 * np.pi, 12)
        radius = rng.uniform(0.01, 0.05)
        strokes = [centre + radius * np.stack([np.cos(angle), np.sin(angle)], 1)]
    elif kind == "dash":
        # Never near vertical: a vertical bar is a 1.
        tilt = rng.uniform(-0.6, 0.6)
        half = rng.uniform(0.2, 0.5) * np.array([np.cos(tilt), np.sin(tilt)])
        strokes = [np.stack([0.5 - half, 0.5 + half])]
    elif kind == "cross":
        a = rng.uniform(-0.3, 0.3) + (np.pi / 4 if rng.random() < 0.5 else 0.0)
        strokes = []
        for tilt in (a, a + np.pi / 2 + rng.uniform(-0.2, 0.2)):
            half = rng.uniform(0.3, 0.45) * np.array([np.cos(tilt), np.sin(tilt)])
            strokes.append(np.stack([0.5 - half, 0.5 + half]))
    elif kind in ("triangle", "square", "star"):
        corners = {"triangle": 3, "square": 4, "star": 5}[kind]
        step = 2 if kind == "star" else 1
        start = rng.uniform(0, 2 * np.pi)
        k = (np.arange(corners + 1) * step) % corners
        angle = start + 2 * np.pi * k / corners
        reach = rng.uniform(0.3, 0.45, corners + 1)
        reach[-1] = reach[0]
        strokes = [0.5 + np.stack([reach * np.cos(angle), reach * np.sin(angle)], 1)]
    elif kind == "spiral":
        turns = rng.uniform(1.5, 3.0)
        angle = 2 * np.pi * turns * np.linspace(0, 1, 80)
        reach = 0.45 * np.linspace(0.05, 1, 80)
        strokes = [0.5 + np.stack([reach * np.cos(angle), reach * np.sin(angle)], 1)]
    elif kind == "wave":
        waves = rng.uniform(1.0, 3.0)
        y = 0.5 + rng.uniform(0.08, 0.25) * np.sin(2 * np.pi * waves * t)
        strokes = [np.stack([0.05 + 0.9 * t, y], 1)]
    elif kind == "tick":
        corner = np.array([rng.uniform(0.3, 0.45), rng.uniform(0.6, 0.8)])
        strokes = [
            np.stack(
                [
                    [rng.uniform(0.05, 0.2), rng.uniform(0.35, 0.55)],
                    corner,
                    [rng.uniform(0.8, 0.95), rng.uniform(0.05, 0.25)],
                ]
            )
        ]
    elif kind == "zigzag":
        n = int(rng.integers(4, 9))
        xs = np.linspace(0.05, 0.95, n)
        ys = np.where(np.arange(n) % 2 == 0, 0.3, 0.7) + rng.normal(0, 0.04, n)
        strokes = [np.stack([xs, ys], 1)]
    elif kind == "scribble":
        n = int(rng.integers(8, 20))
        strokes = [rng.uniform(0.05, 0.95, (n, 2))]
    else:  # "marks": a letter-like cluster of a few straight or bent strokes
        strokes = []
        for _ in range(int(rng.integers(2, 5))):
            n = int(rng.integers(2, 4))
            strokes.append(rng.uniform(0.05, 0.95, (n, 2)))
    wobble = rng.uniform(0.0, 0.02)
    return [s + rng.normal(0.0, wobble, s.shape) for s in strokes]
