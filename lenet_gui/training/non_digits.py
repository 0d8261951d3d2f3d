"""Network inputs of real digits and of drawn non-digits, for the verdict head.

Everything is drawn on the app's own paper (:func:`lenet_gui.drawing.paper.render`)
with a random pen and framed as the window frames a drawing
(:func:`lenet_gui.imaging.preprocess.preprocess`), so the head learns from
the inputs the window will give it.

Digits: pen digits at random sizes and pens, some in the style variants
people write (a slashed 0, a barred 7, a flagged 1, a closed 4, a curled 9).
Non-digits, by :data:`KINDS`: letters and short words from the stroke
recipes of :mod:`lenet_gui.training.letters`, letter-like signs made of
strokes of two letters (:func:`lenet_gui.training.letters.glyph_strokes`:
so that "not a digit" is learnt as more than the recipes), the marks of
:mod:`lenet_gui.training.shapes` at their own size in a character's cell
(a dot stays a dot), pieces of pen digits (what a wrong cut leaves) and two
or three pen digits glued or set close (what a missed cut leaves), and
pen digits mirrored or turned on their side or upside down where that
leaves no digit (:data:`TURNS`): real handwriting, in shapes that are not
digits.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.imaging.preprocess import preprocess
from lenet_gui.training.letters import (
    LETTERS,
    glyph_strokes,
    hand_warp,
    letter_of,
    letter_strokes,
    word_strokes,
)
from lenet_gui.training.numbers import compose_number, piece_of_digit
from lenet_gui.training.pen_styles import STYLES, style_variant
from lenet_gui.training.shapes import SHAPES, non_digit_strokes

__all__ = [
    "KINDS",
    "TURNS",
    "draw_digit_inputs",
    "draw_non_digit",
    "draw_non_digit_inputs",
    "draw_tagged_non_digits",
    "place",
]

#: The kinds of non-digit drawn, and how often each is drawn.
KINDS = {
    "letter": 0.3,
    "word": 0.1,
    "glyph": 0.12,
    "shape": 0.3,
    "turned": 0.08,
    "piece": 0.1,
    "glued": 0.1,
}

#: Real digits that are no digit once mirrored or turned (a mirrored 7, a
#: 4 upside down like an h, a 3 on its side like an m), by how they are
#: turned: the digits, and the turn in quarter turns (None: mirrored).
#: Turns that leave a digit (a 6 upside down is a 9, a 2 upside down a Z
#: that reads as 2, a 5 upside down or mirrored an S and on its side often
#: a 2, a 0, 1 or 8 mirrored) are not drawn.
TURNS: tuple[tuple[frozenset[int], int | None], ...] = (
    (frozenset({3, 4, 7}), None),
    (frozenset({3, 4, 7}), 2),
    (frozenset({3, 4, 7, 8}), 1),
    (frozenset({3, 4, 7, 8}), 3),
)

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


def _filling_the_cell(strokes: list[np.ndarray]) -> list[np.ndarray]:
    """Stretch a mark to fill its cell, as tall as wide.

    People draw a mark as big as the space they have: a dash becomes a
    long slanted stroke, an exclamation mark a wide wedge.
    """
    points = np.concatenate(strokes)
    low = points.min(axis=0)
    span = np.maximum(points.max(axis=0) - low, 1e-3)
    return [(s - low) / span for s in strokes]


def _draw(strokes: list[np.ndarray], rng: np.random.Generator) -> np.ndarray | None:
    pen = float(np.exp(rng.uniform(np.log(8.0), np.log(44.0))))
    return preprocess(render(strokes, pen))


def _turned(
    digits: Sequence[PenDigit], rng: np.random.Generator
) -> tuple[list[np.ndarray] | None, str]:
    """Draw a real pen digit mirrored or turned so that it is no digit."""
    labels, quarter = TURNS[int(rng.integers(len(TURNS)))]
    digit = digits[int(rng.integers(len(digits)))]
    if digit.label not in labels:
        return None, "turned"
    points = np.concatenate(digit.strokes)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    if quarter is None:
        turn = np.array([[-1.0, 0.0], [0.0, 1.0]])
    else:
        angle = quarter * np.pi / 2 + rng.uniform(-0.2, 0.2)
        cos, sin = np.cos(angle), np.sin(angle)
        turn = np.array([[cos, -sin], [sin, cos]])
    strokes = [(s - centre) @ turn.T for s in digit.strokes]
    return place(strokes, rng), f"turned:{digit.label}"


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
    shapes: Sequence[str] = tuple(SHAPES),
) -> list[np.ndarray] | None:
    """Strokes on paper of one non-digit of a kind of :data:`KINDS`.

    None when the draw did not give one (a piece too small, a 1 cut).
    """
    return _draw_tagged(kind, digits, letters, shapes, rng)[0]


def _draw_tagged(
    kind: str,
    digits: Sequence[PenDigit],
    letters: Sequence[str],
    shapes: Sequence[str],
    rng: np.random.Generator,
) -> tuple[list[np.ndarray] | None, str]:
    """Strokes of one non-digit and its tag: "letter:Ah", "shape:star", "piece"."""
    if kind == "letter":
        name = letters[int(rng.integers(len(letters)))]
        return place(letter_strokes(name, rng), rng), f"letter:{letter_of(name)}"
    if kind == "word":
        k = int(rng.integers(2, 5))
        names = [letters[int(i)] for i in rng.integers(len(letters), size=k)]
        tag = "word:" + "".join(letter_of(name) for name in names)
        return place(word_strokes(names, rng), rng, low=0.5), tag
    if kind == "glyph":
        strokes, used = glyph_strokes(letters, rng)
        return place(strokes, rng), f"glyph:{used}"
    if kind == "shape":
        shape = shapes[int(rng.integers(len(shapes)))]
        strokes = non_digit_strokes(shape, rng)
        if shape not in ("dot", "dash", "underline") and rng.random() < 0.5:
            strokes = hand_warp(strokes, rng)
        if shape != "dot" and rng.random() < 0.35:
            strokes = _filling_the_cell(strokes)
        return _in_cell(strokes, rng), f"shape:{shape}"
    if kind == "turned":
        return _turned(digits, rng)
    if kind == "piece":
        digit = digits[int(rng.integers(len(digits)))]
        parts = None if digit.label == 1 else piece_of_digit(digit, rng)
        return (None if parts is None else place(parts, rng)), "piece"
    k = 2 if rng.random() < 0.7 else 3
    chosen = [digits[int(i)] for i in rng.integers(len(digits), size=k)]
    strokes, _ = compose_number(chosen, (-0.15, 0.2), rng)
    return place(strokes, rng), "glued"


def draw_non_digit_inputs(
    count: int,
    digits: Sequence[PenDigit],
    rng: np.random.Generator,
    letters: Sequence[str] = tuple(LETTERS),
) -> np.ndarray:
    """Network inputs of `count` non-digits, of the kinds in :data:`KINDS`."""
    return draw_tagged_non_digits(count, digits, rng, letters)[0]


def draw_tagged_non_digits(
    count: int,
    digits: Sequence[PenDigit],
    rng: np.random.Generator,
    letters: Sequence[str] = tuple(LETTERS),
    shapes: Sequence[str] = tuple(SHAPES),
) -> tuple[np.ndarray, list[str]]:
    """Network inputs of `count` non-digits and what each is.

    Each tag names the kind and, for letters and words, the letters written
    ("word:Kah"), for marks the mark ("shape:spiral"), so that letters or
    marks can be held out of training afterwards.
    """
    kinds = list(KINDS)
    chances = np.array(list(KINDS.values()))
    out: list[np.ndarray] = []
    tags: list[str] = []
    while len(out) < count:
        kind = kinds[int(rng.choice(len(kinds), p=chances / chances.sum()))]
        strokes, tag = _draw_tagged(kind, digits, letters, shapes, rng)
        x = None if strokes is None else _draw(strokes, rng)
        if x is not None:
            out.append(x)
            tags.append(tag)
    return np.stack(out), tags
