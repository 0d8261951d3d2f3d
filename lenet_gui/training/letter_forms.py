"""More ways of writing each letter: the allographs people use.

Every letter of :mod:`lenet_gui.training.letters` has one plain print
form there; here are the other forms handwriting gives it: a round-topped
A, a G with a spur, a K of three strokes, an M with upright sides, a
cursive small r like a tick with a flag, a double-storey a, a t without a
hook, a y with a looped tail, and joined (cursive) forms with the lead-in
and exit strokes a pen makes. A y written as a u with a tail and a T
whose stem hooks left are left out: they are an open 4 and a 7 (or a J).
A form's name is its letter followed by a
mark ("A^" is a round-topped A), so :func:`letter_of` gives the letter.

The frame is that of :mod:`lenet_gui.training.letters`: a capital is one
unit tall (top at y = 0, baseline at y = 1), small letters run from the
x-height at y = 0.45 to the baseline, descenders to 1.5. None of these
forms is a digit's shape (see the letters left out there). numpy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["FORMS", "letter_of"]

Strokes = list[np.ndarray]


def _l(*points: tuple[float, float]) -> np.ndarray:
    return np.array(points, dtype=np.float64)


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, stop: float, n: int = 16
) -> np.ndarray:
    """Points of an elliptic arc, angles in turns (0 = right, 0.25 = down)."""
    angle = 2 * np.pi * np.linspace(start, stop, n)
    return np.stack([cx + rx * np.cos(angle), cy + ry * np.sin(angle)], 1)


def _join(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts)


def letter_of(name: str) -> str:
    """Return the letter a form's name writes ("A^" -> "A", "e~" -> "e")."""
    return name[0]


FORMS: dict[str, Callable[[], Strokes]] = {
    # Capitals.
    "A^": lambda: [
        _join(_l((0, 1)), _arc(0.4, 0.45, 0.4, 0.45, 0.5, 1.0)[1:-1], _l((0.8, 1))),
        _l((0.05, 0.6), (0.75, 0.6)),
    ],
    "A/": lambda: [
        _l((0, 1), (0.4, 0)),
        _l((0.4, 0), (0.8, 1)),
        _l((0.1, 0.55), (0.7, 0.6)),
    ],
    "C~": lambda: [_join(_arc(0.5, 0.5, 0.45, 0.5, -0.05, -0.85), _l((0.6, 0.85)))],
    "E2": lambda: [
        _l((0, 0), (0, 1)),
        _l((0, 0), (0.6, 0)),
        _l((0, 0.5), (0.45, 0.5)),
        _l((0, 1), (0.62, 1)),
    ],
    "F2": lambda: [
        _l((0.05, 0), (0.05, 1)),
        _l((0, 0.02), (0.62, 0)),
        _l((0.05, 0.5), (0.45, 0.48)),
    ],
    "G2": lambda: [
        _arc(0.45, 0.5, 0.45, 0.5, -0.1, -0.95),
        _l((0.88, 0.55), (0.88, 1.0)),
        _l((0.55, 0.58), (0.95, 0.58)),
    ],
    "G~": lambda: [
        _join(_arc(0.45, 0.5, 0.45, 0.5, -0.12, -1.0), _l((0.9, 0.5), (0.9, 0.95)))
    ],
    "H~": lambda: [
        _join(_l((0.1, 0.05)), _arc(0.0, 0.55, 0.1, 0.45, -0.25, 0.25)[4:]),
        _l((0.75, 0), (0.7, 1)),
        _l((-0.05, 0.55), (0.85, 0.45)),
    ],
    "K3": lambda: [
        _l((0, 0), (0, 1)),
        _l((0.6, 0), (0.02, 0.52)),
        _l((0.2, 0.38), (0.68, 1)),
    ],
    "K~": lambda: [
        _l((0, 0), (0, 1)),
        _join(
            _l((0.62, 0.02), (0.08, 0.5)),
            _arc(0.12, 0.55, 0.07, 0.06, 0.5, 1.5)[1:],
            _l((0.7, 1)),
        ),
    ],
    "L~": lambda: [
        _join(
            _arc(0.28, 0.12, 0.14, 0.12, 0.0, -0.5),
            _l((0.12, 0.9)),
            _arc(0.08, 0.93, 0.06, 0.07, 0.0, 0.6),
            _l((0.7, 0.98)),
        )
    ],
    "M2": lambda: [_l((0, 1), (0, 0), (0.42, 1), (0.84, 0), (0.84, 1))],
    "M~": lambda: [
        _join(
            _l((0, 1), (0.02, 0.2)),
            _arc(0.2, 0.2, 0.18, 0.18, 0.5, 1.0)[1:],
            _l((0.38, 0.95), (0.38, 0.2)),
            _arc(0.56, 0.2, 0.18, 0.18, 0.5, 1.0)[1:],
            _l((0.76, 1)),
        )
    ],
    "N~": lambda: [
        _join(
            _l((0, 1), (0.02, 0.05)),
            _l((0.68, 0.95)),
            _arc(0.75, 0.35, 0.08, 0.6, 0.25, 0.75)[:1],
            _l((0.72, 0)),
        )
    ],
    "P~": lambda: [
        _join(
            _l((0.02, 1), (0, 0)),
            _arc(0.02, 0.26, 0.52, 0.26, -0.25, 0.25)[1:],
            _l((-0.08, 0.5)),
        )
    ],
    "R2": lambda: [
        _l((0, 1), (0, 0)),
        _join(_l((0, 0)), _arc(0.0, 0.25, 0.5, 0.25, -0.25, 0.25)[1:], _l((0, 0.5))),
        _l((0.05, 0.5), (0.62, 1)),
    ],
    "U2": lambda: [
        _join(
            _l((0, 0)),
            _arc(0.35, 0.7, 0.35, 0.3, 0.5, 0.0)[1:-1],
            _l((0.7, 0.6), (0.7, 0)),
        ),
        _l((0.7, 0), (0.72, 1)),
    ],
    "V~": lambda: [
        _join(
            _arc(0.06, 0.08, 0.06, 0.08, 0.5, 0.9),
            _l((0.38, 1), (0.8, 0), (0.95, 0.05)),
        )
    ],
    "W~": lambda: [
        _join(
            _l((0, 0)),
            _arc(0.2, 0.7, 0.2, 0.3, 0.5, 0.0)[1:],
            _l((0.4, 0.35)),
            _arc(0.6, 0.7, 0.2, 0.3, 0.5, 0.0)[1:],
            _l((0.8, 0)),
        )
    ],
    "X~": lambda: [
        _arc(0.12, 0.5, 0.3, 0.5, -0.25, 0.25),
        _arc(0.7, 0.5, 0.3, 0.5, 0.75, 0.25),
    ],
    "Y2": lambda: [_l((0, 0), (0.4, 0.55)), _l((0.8, 0), (0.12, 1.05))],
    "A3": lambda: [
        _l((0, 1), (0.28, 0), (0.55, 0), (0.82, 1)),
        _l((0.12, 0.58), (0.72, 0.58)),
    ],
    "E~": lambda: [
        _join(
            _arc(0.4, 0.27, 0.3, 0.24, -0.1, -0.75),
            _arc(0.42, 0.74, 0.34, 0.25, -0.25, -0.9)[1:],
        )
    ],
    "H2": lambda: [_l((0, 0), (0, 1)), _l((0, 0.5), (0.7, 0.45), (0.72, 0), (0.7, 1))],
    "M3": lambda: [_l((0, 1), (0.15, 0), (0.42, 0.45), (0.7, 0), (0.85, 1))],
    "M4": lambda: [_l((0, 1), (0, 0)), _l((0, 0), (0.42, 0.62), (0.84, 0), (0.84, 1))],
    "N2": lambda: [_l((0, 1), (0, 0)), _l((0, 0), (0.7, 1)), _l((0.7, 1), (0.72, 0))],
    "R~": lambda: [
        _join(
            _l((0, 1), (0, 0)),
            _arc(0.0, 0.25, 0.5, 0.25, -0.25, 0.25)[1:],
            _l((0.12, 0.5), (0.65, 1)),
        )
    ],
    "T~": lambda: [
        _l((0, 0.1), (0.2, 0.0), (0.45, 0.06), (0.7, 0.0), (0.85, 0.05)),
        _l((0.42, 0.04), (0.44, 1)),
    ],
    "W3": lambda: [_l((0, 0), (0.25, 1), (0.5, 0)), _l((0.35, 0), (0.6, 1), (0.85, 0))],
    # Small letters.
    "a2": lambda: [
        _join(_arc(0.25, 0.58, 0.22, 0.13, 0.6, 1.0), _l((0.47, 0.95), (0.52, 1.0))),
        _arc(0.28, 0.82, 0.2, 0.17, -0.05, -0.95),
    ],
    "a~": lambda: [
        _join(
            _arc(0.3, 0.73, 0.22, 0.26, -0.05, -0.95),
            _l((0.52, 0.48), (0.52, 0.95)),
            _l((0.7, 0.82)),
        )
    ],
    "c~": lambda: [
        _join(
            _l((0.02, 0.95)), _arc(0.3, 0.73, 0.25, 0.26, -0.15, -0.92), _l((0.6, 0.85))
        )
    ],
    "e2": lambda: [
        _join(_l((0.03, 0.72), (0.5, 0.66)), _arc(0.27, 0.72, 0.25, 0.27, -0.05, -0.85))
    ],
    "f~": lambda: [
        _join(
            _arc(0.32, 0.15, 0.15, 0.14, 0.0, -0.5),
            _l((0.18, 1.35)),
            _arc(0.25, 1.3, 0.08, 0.15, 0.5, 0.0),
            _l((0.35, 0.9)),
        ),
        _l((0.0, 0.47), (0.45, 0.45)),
    ],
    "h~": lambda: [
        _join(
            _l((0, 0.95)),
            _arc(0.12, 0.25, 0.1, 0.25, 0.25, 0.75)[::-1],
            _l((0.02, 1.0)),
        ),
        _join(
            _l((0.03, 0.75)),
            _arc(0.25, 0.6, 0.2, 0.15, 0.5, 1.0),
            _l((0.45, 1.0), (0.55, 0.92)),
        ),
    ],
    "k~": lambda: [
        _join(_arc(0.12, 0.25, 0.1, 0.25, 0.25, 0.75)[::-1], _l((0.02, 1.0))),
        _join(_l((0.04, 0.8)), _arc(0.25, 0.62, 0.16, 0.14, 0.5, 1.2), _l((0.45, 1.0))),
    ],
    "m2": lambda: [
        _l((0, 0.45), (0, 1)),
        _l((0.0, 0.55), (0.2, 0.45), (0.32, 0.55), (0.32, 1)),
        _l((0.32, 0.55), (0.5, 0.45), (0.64, 0.55), (0.64, 1)),
    ],
    "n2": lambda: [
        _l((0, 0.45), (0, 1)),
        _l((0.0, 0.6), (0.2, 0.45), (0.45, 0.55), (0.45, 1)),
    ],
    "p~": lambda: [
        _join(_l((0.0, 0.55), (0.08, 0.45), (0.08, 1.5))),
        _join(
            _l((0.08, 0.6)), _arc(0.3, 0.75, 0.22, 0.25, -0.4, 0.4)[1:], _l((0.08, 0.9))
        ),
    ],
    "r2": lambda: [
        _join(_l((0, 1), (0.02, 0.5), (0.12, 0.58)), _l((0.3, 0.45), (0.42, 0.5)))
    ],
    "r~": lambda: [
        _join(_l((0, 1), (0.08, 0.45), (0.25, 0.52), (0.3, 1.0), (0.45, 0.9)))
    ],
    "t2": lambda: [_l((0.2, 0.1), (0.2, 1)), _l((0.0, 0.45), (0.45, 0.45))],
    "t~": lambda: [
        _l((0, 0.9), (0.25, 0.05), (0.22, 0.95), (0.45, 0.8)),
        _l((0.05, 0.45), (0.45, 0.45)),
    ],
    "u~": lambda: [
        _join(
            _l((0, 0.6), (0.06, 0.45)),
            _arc(0.25, 0.8, 0.19, 0.2, 0.5, 0.0)[1:],
            _l((0.44, 0.45), (0.47, 0.97), (0.62, 0.88)),
        )
    ],
    "v2": lambda: [
        _join(
            _l((0, 0.45)),
            _arc(0.25, 0.75, 0.25, 0.25, 0.5, 0.0)[1:],
            _l((0.5, 0.45), (0.38, 0.5)),
        )
    ],
    "w2": lambda: [
        _join(
            _l((0, 0.45)),
            _arc(0.16, 0.78, 0.16, 0.22, 0.5, 0.0)[1:],
            _l((0.32, 0.55)),
            _arc(0.48, 0.78, 0.16, 0.22, 0.5, 0.0)[1:],
            _l((0.64, 0.45)),
        )
    ],
    "x~": lambda: [
        _arc(0.06, 0.73, 0.2, 0.27, -0.25, 0.25),
        _arc(0.44, 0.73, 0.2, 0.27, 0.75, 0.25),
    ],
    "y~": lambda: [
        _l((0, 0.45), (0.25, 1)),
        _join(
            _l((0.5, 0.45), (0.2, 1.4)),
            _arc(0.12, 1.38, 0.08, 0.1, 0.0, -0.5),
            _l((0.55, 0.95)),
        ),
    ],
}
