"""Handwritten letters and short words, drawn from stroke recipes.

Each recipe writes one letter the way a person does, stroke by stroke, in
the order and direction of the pen: capitals and small letters in print,
and a few joined small letters. :func:`letter_strokes` draws a letter with
random slant, width, proportions, stroke ends and wobble;
:func:`word_strokes` writes two to four letters side by side on one
baseline, as a word is written. Both give strokes in a frame where a
capital is one unit tall (y down, the baseline at y = 1), for
:func:`lenet_gui.drawing.paper.render` after scaling to paper pixels.

Letters that handwriting shares with digits are left out, so that the
not-a-digit head is never taught to refuse a real digit: O o and D (0),
I l and i (1), Z z (2), S s (5), b (6), g q (9), B (8), Q (0 with a
tail), d (a 9 or a 6 turned) and J j (a hooked 1 or a 7). numpy only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from lenet_gui.training.letter_forms import FORMS, letter_of

__all__ = [
    "CAPITALS",
    "LETTERS",
    "SMALL",
    "glyph_strokes",
    "hand_warp",
    "letter_of",
    "letter_strokes",
    "word_strokes",
]

Strokes = list[np.ndarray]


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.array(points, dtype=np.float64)


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, stop: float
) -> np.ndarray:
    """Points of an elliptic arc, angles in turns (0 = right, 0.25 = down)."""
    angle = 2 * np.pi * np.linspace(start, stop, 16)
    return np.stack([cx + rx * np.cos(angle), cy + ry * np.sin(angle)], 1)


def _bump(top: float, bottom: float, reach: float) -> np.ndarray:
    """Return a bowl right of a stem at x = 0, from `top` to `bottom` (P, R)."""
    half = (bottom - top) / 2
    arc = _arc(0.0, top + half, reach, half, -0.25, 0.25)
    return np.concatenate([[[0.0, top]], arc[1:-1], [[0.0, bottom]]])


def _arch(x0: float, x1: float, top: float, bottom: float) -> np.ndarray:
    """Return the arch of n, h and m: up from a stem at x0, over, down to x1."""
    half = (x1 - x0) / 2
    arc = _arc(x0 + half, top + 0.12, half, 0.12, 0.5, 1.0)
    return np.concatenate([arc, [[x1, bottom]]])


def _cup(x0: float, x1: float, top: float, bottom: float) -> np.ndarray:
    """Down from x0, round the bottom, up to x1 (U, u)."""
    half = (x1 - x0) / 2
    arc = _arc(x0 + half, bottom - 0.15, half, 0.15, 0.5, 0.0)
    return np.concatenate([[[x0, top]], arc, [[x1, top]]])


# Capitals: one unit tall, the top at y = 0.
CAPITALS: dict[str, Callable[[], Strokes]] = {
    "A": lambda: [_line((0, 1), (0.4, 0), (0.8, 1)), _line((0.18, 0.62), (0.62, 0.62))],
    "C": lambda: [_arc(0.45, 0.5, 0.45, 0.5, -0.12, -0.88)],
    "E": lambda: [
        _line((0.6, 0), (0, 0), (0, 1), (0.65, 1)),
        _line((0, 0.5), (0.45, 0.5)),
    ],
    "F": lambda: [_line((0.6, 0), (0, 0), (0, 1)), _line((0, 0.48), (0.45, 0.48))],
    "G": lambda: [
        np.concatenate(
            [_arc(0.45, 0.5, 0.45, 0.5, -0.1, -0.95), _line((0.88, 0.55), (0.5, 0.55))]
        )
    ],
    "H": lambda: [
        _line((0, 0), (0, 1)),
        _line((0.7, 0), (0.7, 1)),
        _line((0, 0.5), (0.7, 0.5)),
    ],
    "K": lambda: [_line((0, 0), (0, 1)), _line((0.6, 0), (0, 0.55), (0.65, 1))],
    "L": lambda: [_line((0, 0), (0, 1), (0.55, 1))],
    "M": lambda: [_line((0, 1), (0.05, 0), (0.42, 0.65), (0.8, 0), (0.85, 1))],
    "N": lambda: [_line((0, 1), (0, 0), (0.7, 1), (0.7, 0))],
    "P": lambda: [_line((0, 1), (0, 0)), _bump(0.0, 0.52, 0.55)],
    "R": lambda: [
        _line((0, 1), (0, 0)),
        np.concatenate([_bump(0.0, 0.5, 0.55), _line((0.65, 1))]),
    ],
    "T": lambda: [_line((0, 0), (0.8, 0)), _line((0.4, 0), (0.4, 1))],
    "U": lambda: [_cup(0, 0.7, 0, 1)],
    "V": lambda: [_line((0, 0), (0.38, 1), (0.76, 0))],
    "W": lambda: [_line((0, 0), (0.22, 1), (0.46, 0.3), (0.7, 1), (0.92, 0))],
    "X": lambda: [_line((0, 0), (0.7, 1)), _line((0.7, 0), (0, 1))],
    "Y": lambda: [_line((0, 0), (0.38, 0.5)), _line((0.76, 0), (0.38, 0.5), (0.38, 1))],
}

# Small letters: the x-height from y = 0.45 to the baseline at 1, ascenders
# up to 0, descenders down to 1.5.
SMALL: dict[str, Callable[[], Strokes]] = {
    "a": lambda: [
        np.concatenate([_arc(0.25, 0.73, 0.25, 0.27, -0.05, -0.95)]),
        _line((0.5, 0.46), (0.5, 1), (0.56, 0.97)),
    ],
    "c": lambda: [_arc(0.27, 0.73, 0.27, 0.27, -0.1, -0.9)],
    "e": lambda: [
        np.concatenate(
            [
                _line((0.02, 0.74), (0.52, 0.74)),
                _arc(0.27, 0.73, 0.27, 0.27, 0.0, -0.88),
            ]
        )
    ],
    "f": lambda: [
        np.concatenate([_arc(0.4, 0.12, 0.17, 0.12, -0.05, -0.5), _line((0.23, 1))]),
        _line((0.02, 0.46), (0.46, 0.46)),
    ],
    "h": lambda: [_line((0, 0), (0, 1)), _arch(0, 0.45, 0.45, 1)],
    "k": lambda: [_line((0, 0), (0, 1)), _line((0.42, 0.45), (0, 0.75), (0.45, 1))],
    "m": lambda: [
        _line((0, 0.45), (0, 1)),
        np.concatenate([_arch(0, 0.32, 0.45, 1), _arch(0.32, 0.64, 0.45, 1)[1:]]),
    ],
    "n": lambda: [_line((0, 0.45), (0, 1)), _arch(0, 0.45, 0.45, 1)],
    "p": lambda: [_line((0, 0.45), (0, 1.5)), _bump(0.47, 0.98, 0.45)],
    "r": lambda: [_line((0, 0.45), (0, 1)), _arc(0.2, 0.62, 0.2, 0.12, 0.5, 0.85)],
    "t": lambda: [
        np.concatenate(
            [_line((0.18, 0.1), (0.18, 0.88)), _arc(0.33, 0.86, 0.15, 0.14, 0.5, 0.15)]
        ),
        _line((0, 0.45), (0.42, 0.45)),
    ],
    "u": lambda: [_cup(0, 0.45, 0.45, 1), _line((0.45, 0.45), (0.45, 1))],
    "v": lambda: [_line((0, 0.45), (0.25, 1), (0.5, 0.45))],
    "w": lambda: [_line((0, 0.45), (0.16, 1), (0.33, 0.6), (0.5, 1), (0.66, 0.45))],
    "x": lambda: [_line((0, 0.45), (0.48, 1)), _line((0.48, 0.45), (0, 1))],
    "y": lambda: [_line((0, 0.45), (0.25, 1)), _line((0.5, 0.45), (0.08, 1.5))],
    # Joined (cursive) forms: one stroke, with the lead-in a pen makes.
    "e~": lambda: [
        np.concatenate(
            [
                _line((0, 0.9), (0.35, 0.7)),
                _arc(0.25, 0.63, 0.14, 0.17, -0.05, -0.95),
                _line((0.45, 0.98), (0.6, 0.85)),
            ]
        )
    ],
    "n~": lambda: [
        np.concatenate(
            [
                _line((0, 1), (0.1, 0.5), (0.1, 1)),
                _arch(0.1, 0.45, 0.45, 0.95),
                _line((0.6, 0.85)),
            ]
        )
    ],
    "m~": lambda: [
        np.concatenate(
            [
                _line((0, 1), (0.08, 0.5), (0.08, 1)),
                _arch(0.08, 0.36, 0.45, 1),
                _arch(0.36, 0.64, 0.45, 0.95)[1:],
                _line((0.76, 0.85)),
            ]
        )
    ],
    "w~": lambda: [
        _line((0, 0.5), (0.12, 1), (0.27, 0.6), (0.42, 1), (0.55, 0.5), (0.62, 0.55))
    ],
}

#: Every letter recipe by name, with the other forms of
#: :mod:`lenet_gui.training.letter_forms` ("e~" is a joined e, "A^" a
#: round-topped A; :func:`letter_of` gives the letter).
LETTERS: dict[str, Callable[[], Strokes]] = {**CAPITALS, **SMALL, **FORMS}


def _densify(stroke: np.ndarray, step: float = 0.04) -> np.ndarray:
    """Points along the stroke no further apart than `step`."""
    out = [stroke[:1]]
    for a, b in zip(stroke[:-1], stroke[1:], strict=True):
        n = max(int(np.ceil(np.hypot(*(b - a)) / step)), 1)
        out.append(a + (b - a) * np.linspace(0, 1, n + 1)[1:, None])
    return np.concatenate(out)


def letter_strokes(name: str, rng: np.random.Generator) -> Strokes:
    """One letter as a person might write it, a capital one unit tall.

    Parameters
    ----------
    name : str
        A key of :data:`LETTERS`.
    rng : numpy.random.Generator
        Source of the slant, width, proportions and wobble.
    """
    strokes = LETTERS[name]()
    if name[0].islower() and rng.random() < 0.3:
        strokes = _joined(strokes, rng)
    return _written(strokes, rng)


def _joined(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """Add the lead-in and exit strokes of joined writing to a small letter."""
    out = [s.copy() for s in strokes]
    first, last = out[0], out[-1]
    if rng.random() < 0.7:
        start = np.array([first[0, 0] - rng.uniform(0.1, 0.3), rng.uniform(0.75, 1.0)])
        out[0] = np.concatenate([start[None], first])
    if rng.random() < 0.7:
        end = last[-1] + [rng.uniform(0.1, 0.3), -rng.uniform(0.0, 0.25)]
        out[-1] = np.concatenate([out[-1], end[None]])
    return out


def _trimmed(stroke: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Cut a little off one end of a long stroke: a loop left open."""
    cut = int(len(stroke) * rng.uniform(0.0, 0.15))
    if len(stroke) <= 8 or cut == 0:
        return stroke
    return stroke[cut:] if rng.random() < 0.5 else stroke[:-cut]


def _written(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """Strokes in the letters' frame, written by a random hand.

    Slant, width and height (sometimes squashed or stretched well beyond a
    letter's usual proportions), a small turn, stroke ends that overshoot
    or stop short, loops left open, a shaky or a steady pen, and a smooth
    bend of the whole (:func:`hand_warp`).
    """
    wobble = rng.uniform(0.005, 0.035)
    width = rng.uniform(0.7, 1.35)
    height = rng.uniform(0.92, 1.08)
    if rng.random() < 0.3:
        width *= float(np.exp(rng.uniform(-0.6, 0.5)))
        height *= float(np.exp(rng.uniform(-0.4, 0.4)))
    slant = rng.uniform(-0.35, 0.3)
    turn = rng.uniform(-0.2, 0.2)
    reach = 0.15 if rng.random() < 0.6 else 0.35
    tremor = rng.uniform(0.004, 0.018) if rng.random() < 0.2 else 0.0
    open_loops = rng.random() < 0.25
    cos, sin = np.cos(turn), np.sin(turn)
    out = []
    for stroke in strokes:
        # Corners wobble freely; the many points of a curve less, or it frays.
        shake = wobble if len(stroke) <= 6 else wobble * 0.35
        s = stroke + rng.normal(0.0, shake, stroke.shape)
        if open_loops:
            s = _trimmed(s, rng)
        # Each stroke's ends overshoot or stop short.
        if len(s) >= 2:
            s[0] += (s[0] - s[1]) * rng.uniform(-reach, reach)
            s[-1] += (s[-1] - s[-2]) * rng.uniform(-reach, reach)
        s = _densify(s)
        x = s[:, 0] * width + slant * (1.0 - s[:, 1])
        y = s[:, 1] * height
        s = np.stack([x * cos - y * sin, x * sin + y * cos], 1)
        # A slow drift along the stroke: the hand is not a plotter.
        s += np.cumsum(rng.normal(0.0, wobble / 10, s.shape), axis=0)
        if tremor:
            s += rng.normal(0.0, tremor, s.shape)
        out.append(s)
    return hand_warp(out, rng)


def glyph_strokes(
    names: Sequence[str], rng: np.random.Generator
) -> tuple[Strokes, str]:
    """Draw a letter-like sign no alphabet has, from strokes of two letters.

    Some strokes of one letter recipe and one stroke of another (moved a
    little, sometimes mirrored), written by a random hand: shapes a pen
    makes that are neither these recipes nor digits, so that "not a digit"
    is learnt as more than the recipes. Returns the strokes and the two
    letters used.
    """
    first, second = (names[int(i)] for i in rng.integers(len(names), size=2))
    own = LETTERS[first]()
    keep = rng.random(len(own)) < 0.7
    keep[int(rng.integers(len(own)))] = True
    other = LETTERS[second]()
    extra = other[int(rng.integers(len(other)))].copy()
    if rng.random() < 0.4:
        extra[:, 0] = -extra[:, 0] + extra[:, 0].max()
    extra += rng.uniform(-0.3, 0.3, 2)
    strokes = [s for s, k in zip(own, keep, strict=True) if k] + [extra]
    return _written(strokes, rng), letter_of(first) + letter_of(second)


def _rounded(stroke: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return the stroke with its corners rounded, as a fast pen rounds them."""
    if len(stroke) < 5:
        return stroke
    width = int(rng.integers(2, 6))
    kernel = np.ones(width) / width
    padded = np.concatenate(
        [np.repeat(stroke[:1], width, 0), stroke, np.repeat(stroke[-1:], width, 0)]
    )
    smooth = np.stack([np.convolve(padded[:, k], kernel, "same") for k in range(2)], 1)
    return smooth[width:-width]


def hand_warp(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """Bend strokes by a smooth random field; move some apart, round some.

    What makes one hand's letter differ from another's beyond slant and
    width: the shape bends as a whole (a field of a few slow waves, up to
    about a tenth of the letter's size), strokes that should meet stop short
    or cross over, and corners are rounded when written fast.
    """
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    size = float(max(np.max(high - low), 1e-3))
    amount = rng.uniform(0.0, 0.09) * size
    waves = rng.normal(0.0, 1.0, (3, 2, 2)) * np.pi / size
    phases = rng.uniform(0, 2 * np.pi, (3, 2))
    gaps = rng.uniform(0.0, 0.06) * size
    rounding = rng.random() < 0.4
    out = []
    for stroke in strokes:
        field = np.zeros_like(stroke)
        for k in range(3):
            field += np.sin(stroke @ waves[k] + phases[k]) / 3
        s = stroke + amount * field + rng.normal(0.0, gaps, 2) * (len(strokes) > 1)
        out.append(_rounded(s, rng) if rounding else s)
    return out


def word_strokes(names: Sequence[str], rng: np.random.Generator) -> Strokes:
    """Letters written side by side on one baseline, as a short word."""
    out: Strokes = []
    x = 0.0
    size = rng.uniform(0.85, 1.15)
    for name in names:
        strokes = letter_strokes(name, rng)
        points = np.concatenate(strokes)
        shift = np.array([x - points[:, 0].min(), rng.normal(0.0, 0.03)])
        out.extend((s + shift) * size for s in strokes)
        x += float(np.ptp(points[:, 0])) + rng.uniform(0.08, 0.3)
    return out
