"""What the number reader read: the digits, their boxes, and its verdict.

:class:`Reading` is what :class:`lenet_gui.reading.number.NumberReader`
returns for a drawing or an image; its :meth:`Reading.as_json` is the object
``--predict`` prints and ``window.reading()`` returns. numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lenet_gui.network.classifier import Prediction

__all__ = ["NOT_A_DIGIT", "NOT_DIGITS", "DigitRead", "Reading", "ink_box"]

#: What is said of ink that does not look like digits.
NOT_A_DIGIT = "does not look like a digit"
NOT_DIGITS = "does not look like digits"


@dataclass(frozen=True)
class DigitRead:
    """One digit of a reading.

    Attributes
    ----------
    prediction : Prediction
        What the network computed for this digit alone: its input, every
        layer and the probabilities.
    box : tuple of int
        ``x0, y0, x1, y1`` of the digit's ink in the image's pixels, end
        exclusive.
    not_digit : float or None
        The probability that this is not a digit (None without the head).
    """

    prediction: Prediction
    box: tuple[int, int, int, int]
    not_digit: float | None

    @property
    def digit(self) -> int:
        """The digit read."""
        return self.prediction.digit

    def as_json(self) -> dict[str, Any]:
        """Return the digit as ``--predict`` and ``window.reading()`` give it."""
        return {
            "digit": self.digit,
            "probabilities": [
                round(float(p), 6) for p in self.prediction.probabilities
            ],
            "box": list(self.box),
        }


@dataclass(frozen=True)
class Reading:
    """What the network read in a drawing or an image.

    Attributes
    ----------
    digits : tuple of DigitRead
        The digits, left to right (one for a single digit).
    not_digit : str or None
        Why the ink is not read as digits, or None when it is.
    unsure : str or None
        Another way to split the ink that reads nearly as well (e.g. "17"
        for "1 7" against "7"), or None when the split is clear.
    """

    digits: tuple[DigitRead, ...]
    not_digit: str | None = None
    unsure: str | None = None
    scores: dict[int, float] = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        """The digits read, left to right; "" when it is not digits."""
        if self.not_digit is not None:
            return ""
        return "".join(str(d.digit) for d in self.digits)

    @property
    def nearest(self) -> str:
        """The digits the network would read, even when they are not digits."""
        return "".join(str(d.digit) for d in self.digits)

    def as_json(self) -> dict[str, Any]:
        """Return the reading as ``--predict`` prints it, without ``"file"``."""
        found = [] if self.not_digit is not None else self.digits
        one = found[0].as_json() if len(found) == 1 else None
        return {
            "text": self.text,
            "digits": [d.as_json() for d in found],
            "digit": None if one is None else one["digit"],
            "probabilities": None if one is None else one["probabilities"],
            "not_digit": self.not_digit,
        }


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int]:
    """Return the box of the marks (ink at 0.2 or more) in `ink`: x0, y0, x1, y1."""
    marked = ink >= 0.2
    rows = np.flatnonzero(marked.any(axis=1))
    cols = np.flatnonzero(marked.any(axis=0))
    if rows.size == 0:
        return (0, 0, 0, 0)
    return (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
