"""What a best path of candidate digits says besides its digits.

Both ways of cutting a number, runs of pieces (:mod:`lenet_gui.reading.number`)
and sets of fragments cut where strokes cross
(:mod:`lenet_gui.reading.crossing_reader`), score their candidates on one
scale and judge their best path alike: whether another number of digits
comes close (the split is unsure), and whether the digits are no digits at
all.

Uses numpy, never Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lenet_gui.reading.result import NOT_A_DIGIT, NOT_DIGITS, DigitRead
from lenet_gui.reading.verdict import pieces_not_digits

__all__ = [
    "FLOOR",
    "PATH_FLOOR",
    "UNSURE",
    "Terms",
    "candidate_scores",
    "refusal",
    "unsure_split",
]

#: Log-probabilities are floored here, so one impossible candidate does not
#: give -inf.
FLOOR = math.log(1e-6)
#: Another split whose path scores within this (natural log) of the best one
#: makes the split unsure: the best is less than three times as likely.
UNSURE = math.log(3.0)
#: With the segment scorer, several digits whose path scores below this
#: (natural log) per digit on average are not digits: every piece reads badly
#: as a whole digit (a letter F cut into "15", a star into "82"). Digits that
#: touch and are read right score above -2.5 per digit (writers w19-w24).
PATH_FLOOR = -3.0


@dataclass(frozen=True)
class Terms:
    """The number reader's terms of a candidate's score (see its module)."""

    digit_bonus: float
    cut_cost: float
    scorer_weight: float
    head_in_path: bool
    wide_whole: float


def candidate_scores(
    probabilities: np.ndarray,
    chances: np.ndarray,
    whole: np.ndarray | None,
    terms: Terms,
) -> np.ndarray:
    """Return the (N,) scores of candidates, on the one scale every reading uses.

    The log of the network's top probability, the digit bonus, the log of
    the head's chance that it is a digit (always without the scorer, else
    when `terms.head_in_path`), and the scorer's log-probability that it is
    one whole digit, weighted (`whole`, (N,); None without the scorer); each
    log floored at :data:`FLOOR`. The cuts' costs are the caller's.
    """
    scores = np.maximum(np.log(probabilities.max(axis=1)), FLOOR) + terms.digit_bonus
    if whole is None or terms.head_in_path:
        scores += np.maximum(np.log1p(-np.minimum(chances, 1.0 - 1e-12)), FLOOR)
    if whole is not None:
        scores += terms.scorer_weight * np.maximum(whole, FLOOR)
    return scores


# One best path per number of digits: its score and its candidates.
Paths = dict[int, tuple[float, list[int]]]


def unsure_split(paths: Paths, count: int, probabilities: np.ndarray) -> str | None:
    """Return the digits of the closest other split, when it comes close.

    `count` is the number of digits of the best path; `probabilities` the
    candidates' (N, 10). None when no path with another number of digits
    scores within :data:`UNSURE` of the best.
    """
    best = paths[count][0]
    rivals = [k for k in paths if k != count and paths[k][0] >= best - UNSURE]
    if not rivals:
        return None
    rival = max(rivals, key=lambda k: paths[k][0])
    return "".join(str(int(probabilities[i].argmax())) for i in paths[rival][1])


def refusal(
    digits: list[DigitRead],
    cutoff: float,
    best: float,
    *,
    scored: bool,
    judged: bool,
    strokes: set[int],
) -> str | None:
    """Return why the digits of a best path are not digits at all, or None.

    Parameters
    ----------
    digits : list of DigitRead
        The path's digits, left to right.
    cutoff : float
        The not-a-digit head's threshold.
    best : float
        The path's score.
    scored : bool
        Whether the segment scorer scored the path (:data:`PATH_FLOOR`).
    judged : bool
        Whether the head judged the digits.
    strokes : set of int
        The strokes the digits' ink comes from.
    """
    if pieces_not_digits([d.not_digit for d in digits], cutoff):
        return NOT_A_DIGIT if len(digits) == 1 else NOT_DIGITS
    if scored and len(digits) > 1 and best / len(digits) < PATH_FLOOR:
        return NOT_DIGITS
    if judged and len(strokes) == 1 and _ones(digits):
        # Nobody joins 1s into one stroke; a wave or a zig-zag cut at its
        # low points leaves slanted strokes that each look like a 1.
        return NOT_DIGITS
    return None


def _ones(digits: list[DigitRead]) -> bool:
    """Whether the digits are 1s: two or more, or all but one of three or more.

    A flat stroke (a dash, the first stroke of a 5) cut into slivers reads
    "111110".
    """
    ones = sum(d.digit == 1 for d in digits)
    return len(digits) >= 2 and ones >= len(digits) - (len(digits) >= 3)
