"""Network inputs of real digits and of drawn non-digits, for the verdict head.

Everything is drawn on the app's own paper (:func:`lenet_gui.drawing.paper.render`)
with a random pen and framed as the window frames a drawing
(:func:`lenet_gui.imaging.preprocess.preprocess`), so the head learns from
the inputs the window will give it.

Digits: pen digits at random sizes and pens, some in the style variants
people write (a slashed 0, a barred 7, a flagged 1, a closed 4, a curled 9).
Non-digits, by :data:`KINDS`: letters and short words from the stroke
recipes of :mod:`lenet_gui.training.letters`, the marks of
:mod:`lenet_gui.training.shapes` at their own size in a character's cell
(a dot stays a dot), pieces of pen digits (what a wrong cut leaves) and two
or three pen digits glued or set close (what a missed cut leaves).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.imaging.preprocess import preprocess
from lenet_gui.training.letters import LETTERS, letter_strokes, word_strokes
from lenet_gui.training.numbers import compose_number, piece_of_digit
from lenet_gui.training.pen_styles import STYLES, style_variant
from lenet_gui.training.shapes import SHAPES, non_digit_strokes

__all__ = [
    "KINDS",
    "draw_digit_inputs",
    "draw_non_digit",
    "draw_non_digit_inputs",
    "place",
]

#: The kinds of non-digit drawn, and how often each is drawn.
KINDS = {
    "letter": 0.36,
    "word": 0.12,
    "shape": 0.28,
    "piece": 0.12,
    "glued": 0.12,
}

_PAPER = 448.0


def place(
    strokes: list[np.ndarray], rng: np.random.Generator, low: float = 0.2
) -> list[np.ndarray]:
    """Scale strokes to a random size and put them at a random place on paper."""
    points = np.concatenate(strokes)
    first, last = points.min(axis=0), points.max(axis=0)
    extent = np.maximum(last - first, 1e-3)
    size = rng.uniform(low, 0.85) * _PAPER
    scale = min(size / extent.max(), (_PAPER - 40.0) / extent.max())
    corner = 20.0 + rng.uniform(0, 1, 2) * np.maximum(
        _PAPER - 40.0 - scale * extent, 0.0
    )
    return [(s - first) * scale + corner for s in strokes]


def _in_cell(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """Put a mark drawn in a unit cell on paper, the cell 35-90 % of the paper."""
    cell = rng.uniform(0.35, 0.9) * _PAPER
    corner = rng.uniform(10.0, _PAPER - 10.0 - cell, 2)
    return [s * cell + corner for s in strokes]


def _draw(strokes: list[np.ndarray], rng: np.random.Generator) -> np.ndarray | None:
    pen = float(np.exp(rng.uniform(np.log(8.0), np.log(44.0))))
    return preprocess(render(strokes, pen))


def draw_digit_inputs(
    digits: Sequence[PenDigit], rng: np.random.Generator, styled: float = 0.25
) -> tuple[np.ndarray, np.ndarray]:
    """Network inputs of pen digits drawn at random sizes and pens, and labels.

    A share `styled` of them is written in a style variant that fits.
    """
    out, labels = [], []
    for digit in digits:
        strokes = list(digit.strokes)
        if rng.random() < styled:
            strokes, _ = style_variant(strokes, digit.label, STYLES, rng)
        x = _draw(place(strokes, rng), rng)
        if x is not None:
            out.append(x)
            labels.append(digit.label)
    return np.stack(out), np.array(labels, dtype=np.int64)


def draw_non_digit(
    kind: str,
    digits: Sequence[PenDigit],
    letters: Sequence[str],
    rng: np.random.Generator,
) -> list[np.ndarray] | None:
    """Strokes on paper of one non-digit of a kind of :data:`KINDS`.

    None when the draw did not give one (a piece too small, a 1 cut).
    """
    if kind == "letter":
        name = letters[int(rng.integers(len(letters)))]
        return place(letter_strokes(name, rng), rng)
    if kind == "word":
        k = int(rng.integers(2, 5))
        names = [letters[int(i)] for i in rng.integers(len(letters), size=k)]
        return place(word_strokes(names, rng), rng, low=0.5)
    if kind == "shape":
        shape = SHAPES[int(rng.integers(len(SHAPES)))]
        return _in_cell(non_digit_strokes(shape, rng), rng)
    if kind == "piece":
        digit = digits[int(rng.integers(len(digits)))]
        parts = None if digit.label == 1 else piece_of_digit(digit, rng)
        return None if parts is None else place(parts, rng)
    k = 2 if rng.random() < 0.7 else 3
    chosen = [digits[int(i)] for i in rng.integers(len(digits), size=k)]
    strokes, _ = compose_number(chosen, (-0.15, 0.2), rng)
    return place(strokes, rng)


def draw_non_digit_inputs(
    count: int,
    digits: Sequence[PenDigit],
    rng: np.random.Generator,
    letters: Sequence[str] = tuple(LETTERS),
) -> np.ndarray:
    """Network inputs of `count` non-digits, of the kinds in :data:`KINDS`."""
    kinds = list(KINDS)
    chances = np.array(list(KINDS.values()))
    out: list[np.ndarray] = []
    while len(out) < count:
        kind = kinds[int(rng.choice(len(kinds), p=chances / chances.sum()))]
        strokes = draw_non_digit(kind, digits, letters, rng)
        x = None if strokes is None else _draw(strokes, rng)
        if x is not None:
            out.append(x)
    return np.stack(out)
