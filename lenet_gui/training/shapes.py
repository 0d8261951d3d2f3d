"""Marks that are not digits: dots, dashes, shapes, symbols and scribbles.

:func:`non_digit_strokes` draws one of :data:`SHAPES` in a unit box (x, y
in 0..1, y down) where the box is a character's cell: a dot stays a small
dot and a dash a thin line, so they keep their size relative to the pen
when the box is scaled to paper pixels. Marks that handwriting shares with
digits are never drawn: a plain circle (0), an upright bar or a round
bracket (1), an S-curve (5), and shapes a hand makes round: a polygon of
many sides or a circle with a cross in it (a 0, a slashed 0). numpy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["SHAPES", "non_digit_strokes"]

Strokes = list[np.ndarray]


def _ring(
    centre: np.ndarray, rx: float, ry: float, start: float, stop: float, n: int = 24
) -> np.ndarray:
    """Points of an elliptic arc; angles in turns, 0 = right, 0.25 = down."""
    angle = 2 * np.pi * np.linspace(start, stop, n)
    return centre + np.stack([rx * np.cos(angle), ry * np.sin(angle)], 1)


def _segment(rng: np.random.Generator, low: float, high: float) -> np.ndarray:
    """Return a straight line at least 25 degrees away from upright."""
    tilt = rng.uniform(-1.1, 1.1) + (np.pi if rng.random() < 0.5 else 0.0)
    half = rng.uniform(low, high) / 2 * np.array([np.cos(tilt), np.sin(tilt)])
    centre = rng.uniform(0.5 - 0.2, 0.5 + 0.2, 2)
    return np.stack([centre - half, centre + half])


def _dot(rng: np.random.Generator) -> Strokes:
    centre = rng.uniform(0.3, 0.7, 2)
    if rng.random() < 0.5:  # a tap of the pen
        return [centre[None]]
    turns = rng.uniform(1.0, 3.0)
    radius = rng.uniform(0.01, 0.12)
    angle = 2 * np.pi * turns * np.linspace(0, 1, 30)
    reach = radius * np.linspace(1.0, 0.2, 30)
    return [centre + np.stack([reach * np.cos(angle), reach * np.sin(angle)], 1)]


def _dash(rng: np.random.Generator) -> Strokes:
    return [_segment(rng, 0.08, 0.9)]


def _underline(rng: np.random.Generator) -> Strokes:
    x = np.linspace(rng.uniform(0.0, 0.2), rng.uniform(0.8, 1.0), 12)
    y = rng.uniform(0.6, 0.95) + rng.normal(0, 0.01, 12).cumsum() + 0.1 * (x - 0.5)
    out = [np.stack([x, y], 1)]
    if rng.random() < 0.3:  # underlined twice
        out.append(out[0] + [rng.normal(0, 0.03), rng.uniform(0.05, 0.1)])
    return out


def _cross(rng: np.random.Generator) -> Strokes:
    a = rng.uniform(-0.3, 0.3) + (np.pi / 4 if rng.random() < 0.5 else 0.0)
    out = []
    for tilt in (a, a + np.pi / 2 + rng.uniform(-0.2, 0.2)):
        half = rng.uniform(0.3, 0.45) * np.array([np.cos(tilt), np.sin(tilt)])
        out.append(np.stack([0.5 - half, 0.5 + half]))
    return out


def _polygon(corners: int, step: int, rng: np.random.Generator) -> Strokes:
    start = rng.uniform(0, 2 * np.pi)
    k = (np.arange(corners + 1) * step) % corners
    angle = start + 2 * np.pi * k / corners
    reach = rng.uniform(0.3, 0.45, corners + 1)
    reach[-1] = reach[0]
    squash = rng.uniform(0.6, 1.0)
    return [0.5 + np.stack([reach * np.cos(angle), squash * reach * np.sin(angle)], 1)]


def _square(rng: np.random.Generator) -> Strokes:
    w, h = rng.uniform(0.3, 0.9, 2)
    x0, y0 = (1 - w) / 2, (1 - h) / 2
    box = np.array([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]])
    if rng.random() < 0.4:  # drawn as two strokes, an L and a turned L
        return [box[[0, 3, 2]], box[[0, 1, 2]]]
    return [np.roll(box[:4], int(rng.integers(4)), axis=0)[[0, 1, 2, 3, 0]]]


def _spiral(rng: np.random.Generator) -> Strokes:
    turns = rng.uniform(1.5, 3.0)
    angle = 2 * np.pi * turns * np.linspace(0, 1, 80)
    reach = 0.45 * np.linspace(0.05, 1, 80)
    return [0.5 + np.stack([reach * np.cos(angle), reach * np.sin(angle)], 1)]


def _wave(rng: np.random.Generator) -> Strokes:
    t = np.linspace(0.0, 1.0, 40)
    waves = rng.uniform(1.0, 3.0)
    y = 0.5 + rng.uniform(0.05, 0.25) * np.sin(2 * np.pi * waves * t)
    return [np.stack([0.05 + 0.9 * t, y], 1)]


def _tick(rng: np.random.Generator) -> Strokes:
    corner = np.array([rng.uniform(0.3, 0.45), rng.uniform(0.6, 0.8)])
    start = [rng.uniform(0.05, 0.2), rng.uniform(0.35, 0.55)]
    end = [rng.uniform(0.8, 0.95), rng.uniform(0.05, 0.25)]
    return [np.stack([start, corner, end])]


def _zigzag(rng: np.random.Generator) -> Strokes:
    n = int(rng.integers(4, 9))
    xs = np.linspace(0.05, 0.95, n)
    ys = np.where(np.arange(n) % 2 == 0, 0.3, 0.7) + rng.normal(0, 0.04, n)
    return [np.stack([xs, ys], 1)]


def _scribble(rng: np.random.Generator) -> Strokes:
    n = int(rng.integers(8, 20))
    return [rng.uniform(0.05, 0.95, (n, 2))]


def _marks(rng: np.random.Generator) -> Strokes:
    out = []
    for _ in range(int(rng.integers(2, 5))):
        out.append(rng.uniform(0.05, 0.95, (int(rng.integers(2, 4)), 2)))
    return out


def _arrow(rng: np.random.Generator) -> Strokes:
    shaft = _segment(rng, 0.5, 0.9)
    tip, tail = shaft[1], shaft[0]
    back = (tail - tip) / np.linalg.norm(tail - tip) * rng.uniform(0.12, 0.25)
    spread = rng.uniform(0.4, 0.7)
    wings = []
    for side in (spread, -spread):
        c, s = np.cos(side), np.sin(side)
        wings.append(tip + back @ np.array([[c, s], [-s, c]]))
    head = np.stack([wings[0], tip, wings[1]])
    return [shaft, head] if rng.random() < 0.6 else [np.concatenate([shaft, head[1:]])]


def _heart(rng: np.random.Generator) -> Strokes:
    t = np.linspace(0, 2 * np.pi, 50)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [0.5 + np.stack([x, y], 1) / 36 * rng.uniform(0.7, 1.1)]


def _smiley(rng: np.random.Generator) -> Strokes:
    r = rng.uniform(0.3, 0.45)
    centre = np.array([0.5, 0.5])
    eyes = [centre + [dx * r, -0.3 * r] for dx in (-0.35, 0.35)]
    out = [_ring(centre, r, r, 0, 1, 40)] if rng.random() < 0.8 else []
    out += [e[None] for e in eyes]
    out.append(_ring(centre + [0, 0.05 * r], 0.55 * r, 0.45 * r, 0.08, 0.42))
    return out


def _bracket(rng: np.random.Generator) -> Strokes:
    h = rng.uniform(0.6, 0.95)
    top, bottom = 0.5 - h / 2, 0.5 + h / 2
    flip = -1.0 if rng.random() < 0.5 else 1.0
    kind = rng.random()
    if kind < 0.4:  # [ or ]: feet long enough that it is no 1
        foot = rng.uniform(0.2, 0.35) * flip
        x = 0.5 - foot / 2
        stroke = np.array([[x + foot, top], [x, top], [x, bottom], [x + foot, bottom]])
    elif kind < 0.7:  # < or >
        stroke = np.array(
            [
                [0.5 + 0.3 * flip, top],
                [0.5 - 0.3 * flip, 0.5],
                [0.5 + 0.3 * flip, bottom],
            ]
        )
    else:  # { or }
        d = 0.12 * flip
        stroke = np.array(
            [
                [0.5 + d, top],
                [0.5, top + 0.1],
                [0.5, 0.42],
                [0.5 - d, 0.5],
                [0.5, 0.58],
                [0.5, bottom - 0.1],
                [0.5 + d, bottom],
            ]
        )
    return [stroke]


def _question(rng: np.random.Generator) -> Strokes:
    hook = _ring(np.array([0.5, 0.3]), 0.2, 0.18, 0.5, 1.15, 20)
    stem = np.array([hook[-1], [0.5, 0.62]])
    dot = np.array([[0.5, rng.uniform(0.82, 0.92)]])
    return [np.concatenate([hook, stem[1:]]), dot]


def _exclaim(rng: np.random.Generator) -> Strokes:
    x = rng.uniform(0.4, 0.6)
    return [np.array([[x, 0.05], [x - 0.03, 0.68]]), np.array([[x - 0.04, 0.9]])]


def _plus(rng: np.random.Generator) -> Strokes:
    a = rng.uniform(0.2, 0.45)
    b = rng.uniform(0.2, 0.45)
    return [
        np.array([[0.5 - a, 0.5], [0.5 + a, 0.5]]),
        np.array([[0.5, 0.5 - b], [0.5, 0.5 + b]]),
    ]


def _equals(rng: np.random.Generator) -> Strokes:
    w = rng.uniform(0.3, 0.9) / 2
    gap = rng.uniform(0.08, 0.25) / 2
    return [np.array([[0.5 - w, 0.5 + s], [0.5 + w, 0.5 + s]]) for s in (-gap, gap)]


def _hash(rng: np.random.Generator) -> Strokes:
    lean = rng.uniform(0.0, 0.15)
    out = [np.array([[0.15, y], [0.85, y]]) for y in (0.35, 0.65)]
    out += [np.array([[x + lean, 0.1], [x - lean, 0.9]]) for x in (0.38, 0.62)]
    return out


def _percent(rng: np.random.Generator) -> Strokes:
    r = rng.uniform(0.08, 0.14)
    return [
        _ring(np.array([0.25, 0.25]), r, r, 0, 1, 16),
        np.array([[0.85, 0.05], [0.15, 0.95]]),
        _ring(np.array([0.75, 0.75]), r, r, 0, 1, 16),
    ]


def _at(rng: np.random.Generator) -> Strokes:
    inner = _ring(np.array([0.5, 0.5]), 0.14, 0.16, 0.0, 1.0, 16)
    outer = _ring(np.array([0.5, 0.5]), 0.42, 0.42, 0.05, 0.9, 36)
    return [np.concatenate([inner, [[0.66, 0.68]], outer])]


def _asterisk(rng: np.random.Generator) -> Strokes:
    arms = int(rng.integers(3, 5))
    start = rng.uniform(0, np.pi)
    out = []
    for k in range(arms):
        a = start + np.pi * k / arms
        half = 0.35 * np.array([np.cos(a), np.sin(a)])
        out.append(np.stack([0.5 - half, 0.5 + half]))
    return out


def _house(rng: np.random.Generator) -> Strokes:
    w, h = rng.uniform(0.45, 0.8), rng.uniform(0.3, 0.5)
    x0, x1, floor = 0.5 - w / 2, 0.5 + w / 2, rng.uniform(0.8, 0.95)
    top = floor - h - rng.uniform(0.2, 0.35)
    walls = np.array([[x0, floor - h], [x0, floor], [x1, floor], [x1, floor - h]])
    roof = np.array([[x0 - 0.05, floor - h], [0.5, top], [x1 + 0.05, floor - h]])
    if rng.random() < 0.5:
        return [np.concatenate([walls, roof[::-1]])]
    return [walls, roof]


def _checkbox(rng: np.random.Generator) -> Strokes:
    box = _square(rng)
    mark = _tick(rng) if rng.random() < 0.6 else _cross(rng)
    return box + [0.2 + 0.6 * m for m in mark]


def _infinity(rng: np.random.Generator) -> Strokes:
    t = np.linspace(0, 2 * np.pi, 60)
    x = 0.5 + rng.uniform(0.3, 0.45) * np.cos(t)
    y = 0.5 + rng.uniform(0.12, 0.25) * np.sin(2 * t)
    return [np.stack([x, y], 1)]


def _sun(rng: np.random.Generator) -> Strokes:
    r = rng.uniform(0.12, 0.22)
    out = [_ring(np.array([0.5, 0.5]), r, r, 0, 1, 30)]
    rays = int(rng.integers(5, 10))
    for k in range(rays):
        a = 2 * np.pi * k / rays
        unit = np.array([np.cos(a), np.sin(a)])
        out.append(0.5 + np.stack([unit * (r + 0.05), unit * rng.uniform(0.35, 0.47)]))
    return out


def _figure(rng: np.random.Generator) -> Strokes:
    """Draw a stick figure: head, body, arms and legs."""
    head = _ring(np.array([0.5, 0.15]), 0.1, 0.1, 0, 1, 20)
    body = np.array([[0.5, 0.25], [0.5, 0.62]])
    arms = np.array([[0.25, rng.uniform(0.3, 0.5)], [0.5, 0.38], [0.75, 0.4]])
    legs = np.array([[0.3, 0.95], [0.5, 0.62], [0.7, 0.95]])
    return [head, body, arms, legs]


def _envelope(rng: np.random.Generator) -> Strokes:
    box = _square(rng)
    corners = np.concatenate(box)
    (x0, y0), (x1, _) = corners.min(0), corners.max(0)
    fold = np.array([[x0, y0], [(x0 + x1) / 2, y0 + rng.uniform(0.15, 0.35)], [x1, y0]])
    return box + [fold]


def _loops(rng: np.random.Generator) -> Strokes:
    """Draw a run of loops, as a pen tries itself out or writes a row of l's."""
    n = int(rng.integers(3, 7))
    t = np.linspace(0, 2 * np.pi * n, 30 * n)
    x = 0.05 + 0.9 * t / t[-1] - 0.08 * np.sin(t)
    y = 0.55 - rng.uniform(0.15, 0.35) * (1 - np.cos(t)) / 2
    return [np.stack([x, y], 1)]


def _crescent(rng: np.random.Generator) -> Strokes:
    outer = _ring(np.array([0.5, 0.5]), 0.4, 0.42, 0.2, 0.8, 30)
    inner = _ring(np.array([0.62, 0.5]), 0.3, 0.32, 0.75, 0.25, 30)
    return [np.concatenate([outer, inner])]


def _hatching(rng: np.random.Generator) -> Strokes:
    """Parallel slanted lines, as a pen shades an area."""
    n = int(rng.integers(3, 9))
    tilt = rng.uniform(0.3, 1.2) * (1 if rng.random() < 0.5 else -1)
    step = np.array([np.cos(tilt), np.sin(tilt)]) * rng.uniform(0.5, 0.9) / 2
    across = np.array([step[1], -step[0]]) / np.linalg.norm(step)
    return [
        np.stack([0.5 + c * across - step, 0.5 + c * across + step])
        for c in np.linspace(-0.35, 0.35, n)
    ]


def _divide(rng: np.random.Generator) -> Strokes:
    w = rng.uniform(0.25, 0.45)
    gap = rng.uniform(0.15, 0.3)
    return [np.array([[0.5 - w, 0.5], [0.5 + w, 0.5]]), *_dots(2, gap, rng)]


def _dots(n: int, gap: float, rng: np.random.Generator) -> Strokes:
    """Dots above and below the middle (n = 2) or in a row (n > 2)."""
    if n == 2:
        places = [[0.5, 0.5 - gap], [0.5, 0.5 + gap]]
    else:
        places = [[x, 0.75] for x in np.linspace(0.2, 0.8, n)]
    return [np.array([p]) + rng.normal(0, 0.02, 2) for p in places]


def _row_of_dots(rng: np.random.Generator) -> Strokes:
    if rng.random() < 0.4:
        return _dots(2, rng.uniform(0.1, 0.3), rng)
    return _dots(int(rng.integers(3, 6)), 0.0, rng)


def _not_equal(rng: np.random.Generator) -> Strokes:
    return _equals(rng) + [np.array([[0.65, 0.15], [0.35, 0.85]])]


def _plus_minus(rng: np.random.Generator) -> Strokes:
    a = rng.uniform(0.2, 0.35)
    return [
        np.array([[0.5 - a, 0.4], [0.5 + a, 0.4]]),
        np.array([[0.5, 0.4 - a], [0.5, 0.4 + a]]),
        np.array([[0.5 - a, 0.88], [0.5 + a, 0.88]]),
    ]


def _brace(rng: np.random.Generator) -> Strokes:
    flip = -1.0 if rng.random() < 0.5 else 1.0
    y = np.linspace(0.05, 0.95, 40)
    x = 0.5 + flip * (0.15 * np.abs(np.sin(np.pi * (y - 0.05) / 0.9)) - 0.15)
    x += flip * 0.2 * np.exp(-(((y - 0.5) / 0.04) ** 2))
    return [np.stack([x, y], 1)]


def _lightning(rng: np.random.Generator) -> Strokes:
    x = np.array([0.6, 0.3, 0.6, 0.35]) + rng.normal(0, 0.04, 4)
    y = np.array([0.05, 0.45, 0.5, 0.95]) + rng.normal(0, 0.03, 4)
    return [np.stack([x, y], 1)]


def _flower(rng: np.random.Generator) -> Strokes:
    petals = int(rng.integers(5, 9))
    t = np.linspace(0, 2 * np.pi, 30 * petals)
    r = 0.2 + rng.uniform(0.12, 0.25) * np.abs(np.sin(petals * t / 2))
    out = [0.5 + np.stack([r * np.cos(t), r * np.sin(t)], 1)]
    if rng.random() < 0.6:
        out.append(_ring(np.array([0.5, 0.5]), 0.08, 0.08, 0, 1, 12))
    return out


def _curved_arrow(rng: np.random.Generator) -> Strokes:
    start, stop = rng.uniform(0.0, 0.3), rng.uniform(0.55, 0.8)
    arc = _ring(np.array([0.5, 0.55]), 0.38, 0.3, start + 0.5, stop + 0.5, 24)
    tip, before = arc[-1], arc[-4]
    back = (before - tip) / np.linalg.norm(before - tip) * 0.2
    wings = [
        tip + back @ np.array([[c, s], [-s, c]]) for c, s in ((0.8, 0.6), (0.8, -0.6))
    ]
    return [arc, np.stack([wings[0], tip, wings[1]])]


def _caret(rng: np.random.Generator) -> Strokes:
    w, h = rng.uniform(0.3, 0.45), rng.uniform(0.2, 0.4)
    y = 0.5 + h / 2 if rng.random() < 0.7 else 0.5 - h / 2
    return [np.array([[0.5 - w, y], [0.5, 1.0 - y], [0.5 + w, y]])]


_DRAW: dict[str, Callable[[np.random.Generator], Strokes]] = {
    "dot": _dot,
    "dash": _dash,
    "underline": _underline,
    "cross": _cross,
    "triangle": lambda rng: _polygon(3, 1, rng),
    "square": _square,
    "star": lambda rng: _polygon(5, 2, rng),
    "spiral": _spiral,
    "wave": _wave,
    "tick": _tick,
    "zigzag": _zigzag,
    "scribble": _scribble,
    "marks": _marks,
    "arrow": _arrow,
    "heart": _heart,
    "smiley": _smiley,
    "bracket": _bracket,
    "question": _question,
    "exclaim": _exclaim,
    "plus": _plus,
    "equals": _equals,
    "hash": _hash,
    "percent": _percent,
    "at": _at,
    "asterisk": _asterisk,
    "diamond": lambda rng: _polygon(4, 1, rng),
    "house": _house,
    "checkbox": _checkbox,
    "infinity": _infinity,
    "sun": _sun,
    "figure": _figure,
    "envelope": _envelope,
    "loops": _loops,
    "crescent": _crescent,
    "hatching": _hatching,
    "divide": _divide,
    "dots": _row_of_dots,
    "notequal": _not_equal,
    "plusminus": _plus_minus,
    "brace": _brace,
    "lightning": _lightning,
    "flower": _flower,
    "curved arrow": _curved_arrow,
    "caret": _caret,
}

#: The kinds of non-digit marks drawn.
SHAPES = tuple(_DRAW)


def non_digit_strokes(kind: str, rng: np.random.Generator) -> Strokes:
    """Strokes of one non-digit mark in a character's unit box (y down).

    Parameters
    ----------
    kind : str
        One of :data:`SHAPES`.
    rng : numpy.random.Generator
        Source of the mark's proportions and wobble.
    """
    strokes = _DRAW[kind](rng)
    wobble = rng.uniform(0.0, 0.015)
    return [s + rng.normal(0.0, wobble, s.shape) for s in strokes]
