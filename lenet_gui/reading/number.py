"""Read a line of handwritten digits as a number, the network scoring the cuts.

The paper's heuristic over-segmentation (LeCun et al. 1998, section V): the
ink is cut into more pieces than there are digits
(:func:`~lenet_gui.reading.pieces.find_pieces`: connected pieces, and the
low points of the profile of pieces wide enough to hold touching digits);
every run of one to five neighbouring pieces is a candidate digit, read by
LeNet-5 in one batch; the best path through the candidates, by dynamic
programming, is the reading. A candidate's score is the log of the
network's probability for its digit plus the log of the probability that
it is a digit at all (:mod:`lenet_gui.reading.verdict`): half a digit or
two glued together read badly on one or the other, so the path that reads
best is the one whose pieces are whole digits. No gap between digits is
assumed.

Ink that is one run of columns no wider than it is tall takes a cheap path:
it is one digit, read exactly as a single digit is read (one pass, the same
input), with no cutting.

On the canvas the strokes are known too: a drawing the picture does not
read surely is also read as runs of consecutive strokes
(:mod:`lenet_gui.reading.stroke_runs`), which separates digits that touch.
While the pen is still moving, the costly readings (a search of ink that
only may hold several digits, the strokes) wait for it to lift.

Uses torch and numpy, never Qt.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from lenet_gui.imaging.ink_levels import to_ink
from lenet_gui.imaging.preprocess import preprocess_ink
from lenet_gui.network.classifier import Classifier, Prediction
from lenet_gui.network.model import Ablation
from lenet_gui.reading.candidate_reads import CandidateReads
from lenet_gui.reading.crossing_reader import read_fragments
from lenet_gui.reading.fragments import widest_cut_stroke
from lenet_gui.reading.path_verdict import (
    PATH_FLOOR,
    Terms,
    candidate_scores,
    refusal,
    unsure_split,
)
from lenet_gui.reading.pieces import Pieces, columns_apart, cut_apart, find_pieces
from lenet_gui.reading.result import (
    NOT_A_DIGIT,
    DigitRead,
    Reading,
    ink_box,
)
from lenet_gui.reading.search import MAX_PIECES, best_paths, candidates
from lenet_gui.reading.segment_scorer import (
    GLUED,
    WHOLE,
    SegmentScorer,
    geometry,
    places,
    scorer_inputs,
)
from lenet_gui.reading.stroke_runs import StrokeInk, StrokeRuns
from lenet_gui.reading.verdict import NotDigitHead

__all__ = [
    "MAX_PIECES",
    "DigitRead",
    "NumberReader",
    "Reading",
    "best_paths",
    "candidates",
    "ink_box",
]

_best_paths = best_paths  # the name the path search had

# Each digit on a path earns this (natural log): without it a path of fewer,
# larger candidates always wins, since every candidate costs its doubt.
DIGIT_BONUS = 0.5
# A cut through one connected stroke costs this (natural log) on the path that
# makes it: the two sides must read twice as well as the stroke read whole. A
# gap between separate strokes costs nothing. Without it a slashed 0, a loop
# and its tail, read as two confident digits, beat the whole read as one.
CUT_COST = math.log(2.0)
# With the segment scorer: ink that looks like one digit at a glance is still
# searched when the scorer gives the whole at least this chance of being
# several digits (digits that touch and overlap look like one at a glance).
GLANCE_GLUED = 0.9
# Other ink is read as one digit without a search when the scorer gives the
# whole less than this chance of being several digits: the growing strokes
# of one digit (a 7's bar, a 5's first stroke) are not searched.
SKIP_GLUED = 0.2
# While the pen is still moving, ink in one run of columns is searched only
# from this chance on: a half-drawn loop (an open 0 on its way to an 8) that
# the scorer gives a fair chance of being several digits is read as one digit
# until the pen lifts, instead of being cut and searched on every mouse move
# (10-15 ms each). Touching digits written whole score above it (98.5 % of
# them, writers w19-w24), and every reading after the pen lifts is the full one.
DRAWING_GLUED = 0.5
# Ink the not-a-digit head refuses as a whole is searched only when the scorer
# gives it at least this chance of being several digits.
SHAPE_GLUED = 0.8
# The weight of the scorer's log-probability that a candidate is one whole
# digit, in a candidate's score.
SCORER_WEIGHT = 1.0
# Whether the not-a-digit head's doubt also counts in a candidate's score
# when the scorer is there.
HEAD_IN_PATH = True
# With the scorer, the whole ink wider than this many line heights is read as
# one digit only when no split of it reads at all.
WIDE_WHOLE = 1.5
# With the scorer, digits cut out of one stroke at least CROSSING_WIDE line
# heights wide whose path scores below CROSSING_BELOW (natural log) per digit
# are read again from fragments cut where strokes cross
# (:mod:`lenet_gui.reading.crossing_reader`), taken when they score higher
# and, if the path was refused, at least CROSSING_FLOOR per digit (a flower
# cut at its petals reads a fair "883"). Chosen on writers w19-w24.
CROSSING_BELOW = -0.5
CROSSING_FLOOR = -1.0
CROSSING_WIDE = 0.9
# A drawing whose strokes are known (the canvas) is also read from its strokes
# (:mod:`lenet_gui.reading.stroke_runs`) unless the image reads it as one
# digit, or as several digits scoring at least IMAGE_SURE per digit (natural
# log); the strokes' reading is taken when it holds several digits, is not
# refused and scores at least STROKES_FLOOR per digit (a letter R written in
# two strokes reads "12" at -0.9). Chosen on writers w19-w24 and the program's
# own letters (``python -m studies.stroke_numbers``): touching numbers 64.5 ->
# 95.5 % read exactly, apart 98.0 -> 97.3 %, single digits and drawn shapes
# unchanged, letters refused 93.1 -> 92.2 % (91.4 % with a floor of -0.75);
# 85 % of numbers apart never read their strokes.
IMAGE_SURE = 0.25
STROKES_FLOOR = -0.25
Transform = Callable[[np.ndarray], np.ndarray]


class NumberReader:
    """Read drawings and images as numbers, with one classifier.

    Parameters
    ----------
    classifier : Classifier
        The network.
    head : NotDigitHead, optional
        The not-a-digit head; without it nothing is called "not a digit".
    scorer : SegmentScorer, optional
        The segment scorer (whole digit, part, several); without it the cuts
        are scored by the network's confidence and the head alone.
    """

    def __init__(
        self,
        classifier: Classifier,
        head: NotDigitHead | None,
        scorer: SegmentScorer | None = None,
    ) -> None:
        self.classifier = classifier
        self.head = head
        self.scorer = scorer
        #: The candidates' readings, the latest remembered: while a number
        #: is drawn, only the candidates near the pen change.
        self.reads = CandidateReads(classifier, head)
        #: The runs of strokes read lately, when the strokes are known.
        self.runs = StrokeRuns()

    def read(
        self,
        image: np.ndarray,
        ablation: Ablation | None = None,
        transform: Transform | None = None,
        *,
        drawing: bool = False,
        strokes: Callable[[], Sequence[StrokeInk]] | None = None,
    ) -> Reading | None:
        """Read an image; None when it holds no digit-sized mark.

        Parameters
        ----------
        image : np.ndarray
            2-D image of any size and real dtype, either polarity.
        ablation : mapping, optional
            Units switched off, as for :meth:`Classifier.predict`.
        transform : callable, optional
            A distortion applied to each (32, 32) network input before it is
            read (the Invariance view's).
        drawing : bool, optional
            Whether a stroke is still being drawn: ink in one run of columns
            is then searched for several digits only when it very likely
            holds several (:data:`DRAWING_GLUED`).
        strokes : callable, optional
            Gives the drawing's strokes in the order they were drawn, when
            they are known (the canvas): ink the image does not read surely
            is then also read from them (:data:`STROKES_FLOOR`), once the
            pen lifts (not while `drawing`).

        Raises
        ------
        ValueError
            The array cannot be an image.
        """
        ink = to_ink(image)
        skip = DRAWING_GLUED if drawing else SKIP_GLUED
        reading = self._read_ink(ink, preprocess_ink(ink), ablation, transform, skip)
        if reading is None or strokes is None or drawing:
            return reading  # while the pen moves, the strokes wait for it to lift
        return self._by_strokes(reading, strokes, (ablation, transform))

    def _by_strokes(
        self,
        reading: Reading,
        strokes: Callable[[], Sequence[StrokeInk]],
        how: tuple[Ablation | None, Transform | None],
    ) -> Reading:
        """Return the reading from the strokes when it reads well, else `reading`.

        Only with the scorer and the head, and only for ink the image does
        not read surely: a single digit is read as always.
        """
        if self.scorer is None or self.head is None:
            return reading
        count = len(reading.digits)
        if reading.not_digit is None:
            image = reading.scores.get(count)
            if count == 1 or (image is not None and image / count >= IMAGE_SURE):
                return reading
        found = strokes()
        if len(found) < 2:
            return reading
        by_strokes = self.runs.read(self.reads, self.scorer, found, _terms(), how)
        if by_strokes is None or by_strokes.not_digit is not None:
            return reading
        count = len(by_strokes.digits)
        if count < 2 or by_strokes.scores[count] / count < STROKES_FLOOR:
            return reading
        return by_strokes

    def read_many(self, images: Sequence[np.ndarray]) -> list[Reading | None]:
        """Read several images, each as :meth:`read` reads it (``--predict``).

        Each image's ink read whole goes through the network once, alone, as
        a single digit is read; whether it is a digit at all is then found
        for all of them in one batch of the head: a fraction of one call per
        image.
        """
        inks = [to_ink(image) for image in images]
        wholes = [preprocess_ink(ink) for ink in inks]
        found = [whole for whole in wholes if whole is not None]
        self.reads.judge_alone(found)
        return [
            self._read_ink(ink, whole, None, None, SKIP_GLUED)
            for ink, whole in zip(inks, wholes, strict=True)
        ]

    def _read_ink(
        self,
        ink: np.ndarray,
        whole: np.ndarray | None,
        ablation: Ablation | None,
        transform: Transform | None,
        skip: float,
    ) -> Reading | None:
        """:meth:`read` of an image's ink and its network input read whole.

        Ink in one run of columns whose chance of being several digits is
        below `skip` is read as one digit.
        """
        if whole is None:
            return None
        if self.scorer is None:
            pieces = cut_apart(ink)
            if pieces is not None and pieces.count > 1:
                return self._read_pieces(pieces, whole, ablation, transform)
            return self._read_one(ink, whole, ablation, transform)
        apart = columns_apart(ink)
        if apart:
            # Ink in separate runs of columns is always searched: reading it
            # whole as one digit, which only decides whether to search, is
            # skipped (the whole is one of the candidates all the same).
            pieces = cut_apart(ink, slanted=True)
            if pieces is not None and pieces.count > 1:
                return _crossed_path(self, pieces, whole, (ablation, transform))
        single = self._read_one(ink, whole, ablation, transform)
        pieces = self._pieces_to_search(ink, single.digits[0], apart, skip)
        if pieces is None or pieces.count < 2:
            return _crossed_one(self, pieces, whole, (ablation, transform), single)
        return _crossed_path(self, pieces, whole, (ablation, transform))

    def _read_one(
        self,
        ink: np.ndarray,
        whole: np.ndarray,
        ablation: Ablation | None,
        transform: Transform | None,
    ) -> Reading:
        """Read the ink as one digit, as a single digit is always read."""
        remember = transform is None and not ablation
        if transform is not None:
            whole = transform(whole)
        prediction = self.reads.alone(whole, ablation, remember)
        chance = self.reads.chance(prediction, remember)
        digit = DigitRead(prediction, ink_box(ink), chance)
        flagged = chance is not None and chance > self.reads.cutoff
        return Reading((digit,), NOT_A_DIGIT if flagged else None)

    def _pieces_to_search(
        self, ink: np.ndarray, digit: DigitRead, apart: bool, skip: float
    ) -> Pieces | None:
        """Return the pieces to search for several digits, or None for one digit.

        The segment scorer judges the whole ink read as one digit: ink that
        looks like one digit at a glance is searched only when the scorer
        finds it is very likely several; other ink in one run of columns is
        not searched when the scorer's chance that it is several is below
        `skip`, nor when the head refuses it and it is not very likely
        several. Ink with
        a gap between its columns (`apart`) is always searched.
        """
        assert self.scorer is not None
        box = digit.box
        glued = self._chances(digit.prediction, geometry(box, box, False, False))
        if not apart:
            if glued < skip:
                return None
            if digit.not_digit is not None and digit.not_digit > self.reads.cutoff:
                # Not a digit as a whole: searched only when very likely
                # several digits, so a star is not cut into digit-like parts.
                if glued < SHAPE_GLUED:
                    return None
        pieces = cut_apart(ink, slanted=True)
        if pieces is None and glued > GLANCE_GLUED:
            return find_pieces(ink, slanted=True)
        return pieces

    def _chances(self, prediction: Prediction, place: np.ndarray) -> float:
        """Return the scorer's chance that a reading holds several digits."""
        assert self.scorer is not None
        x = scorer_inputs(prediction.activations["F6"], prediction.probabilities, place)
        return float(np.exp(self.scorer.glance_log_probabilities(x)[0, GLUED]))

    def _read_pieces(
        self,
        pieces: Pieces,
        whole: np.ndarray,
        ablation: Ablation | None,
        transform: Transform | None,
    ) -> Reading:
        """Read every candidate run of pieces and take the best path."""
        n = pieces.count
        spans, inputs = candidates(pieces, whole, self.reads.network_input)
        batch = np.stack(inputs)
        if transform is not None:
            batch = np.stack([transform(x) for x in batch])
        remember = transform is None and not ablation
        probabilities, chances, f6 = self.reads.batch(batch, ablation, remember)
        whole_log = None
        if self.scorer is not None:
            x = scorer_inputs(f6, probabilities, places(pieces, spans))
            whole_log = self.scorer.log_probabilities(x)[:, WHOLE]
        scores = candidate_scores(probabilities, chances, whole_log, _terms())
        joined = pieces.joined
        for index, (_, stop) in enumerate(spans):
            if stop < n and joined[stop - 1] == joined[stop]:
                scores[index] -= CUT_COST
        if self.scorer is not None:
            x0, _, x1, _ = pieces.box(0, n)
            if x1 - x0 > WIDE_WHOLE * pieces.height:
                # Ink this wide is one digit only when no split reads at all.
                scores[spans.index((0, n))] -= 1e6
        paths = best_paths(n, spans, scores)
        count = max(paths, key=lambda k: paths[k][0])
        best, chosen = paths[count]
        digits = []
        for index in chosen:
            first, stop = spans[index]
            # Read again alone, so each digit's numbers are exactly what one
            # pass over its input gives (a batch may differ in the last bits).
            # A copy: a remembered reading must not keep the whole batch alive.
            prediction = self.reads.alone(batch[index].copy(), ablation, remember)
            digits.append(
                DigitRead(
                    prediction,
                    pieces.box(first, stop),
                    None if self.head is None else float(chances[index]),
                )
            )
        unsure = unsure_split(paths, count, probabilities)
        # The strokes the digits' ink comes from.
        strokes = {int(pieces.joined[i]) for k in chosen for i in range(*spans[k])}
        refused = refusal(
            digits,
            self.reads.cutoff,
            best,
            scored=self.scorer is not None,
            judged=self.head is not None,
            strokes=strokes,
        )
        totals = {k: float(v[0]) for k, v in paths.items()}
        return Reading(tuple(digits), refused, unsure, totals)


def _crossed_path(
    reader: NumberReader,
    pieces: Pieces,
    whole: np.ndarray,
    how: tuple[Ablation | None, Transform | None],
) -> Reading:
    """Read the pieces; cut where strokes cross too when they read badly.

    With the scorer, digits cut out of one stroke whose best path scores
    below :data:`CROSSING_BELOW` per digit are read again from fragments
    (:mod:`lenet_gui.reading.crossing_reader`), also when the not-a-digit
    head refuses the path's digits (a piece holding a scrap of its
    neighbour); that reading is taken when it scores higher, and, when the
    path scored below :data:`PATH_FLOOR` per digit, at least
    :data:`CROSSING_FLOOR` per digit.
    """
    ablation, transform = how
    reading = reader._read_pieces(pieces, whole, ablation, transform)
    count = len(reading.digits)
    if reader.scorer is None or count not in reading.scores:
        return reading
    best = reading.scores[count]
    if best / count >= CROSSING_BELOW or widest_cut_stroke(pieces) < CROSSING_WIDE:
        return reading
    floor = CROSSING_FLOOR if best / count < PATH_FLOOR else None
    crossed = read_fragments(reader, pieces, whole, how, (best, floor), _terms())
    return reading if crossed is None else crossed


def _crossed_one(
    reader: NumberReader,
    pieces: Pieces | None,
    whole: np.ndarray,
    how: tuple[Ablation | None, Transform | None],
    single: Reading,
) -> Reading:
    """Return `single`, or several digits when one piece is digits that cross.

    No cut goes through the piece; cut where strokes cross, it is taken as
    several digits when they score higher than the piece read whole (and at
    least :data:`CROSSING_FLOOR` per digit when the whole was refused).
    """
    if pieces is None or reader.scorer is None:
        return single
    floor = CROSSING_FLOOR if single.not_digit is not None else None
    crossed = read_fragments(reader, pieces, whole, how, (None, floor), _terms())
    return single if crossed is None else crossed


def _terms() -> Terms:
    """Return the terms of a candidate's score, as the reader weighs them."""
    return Terms(DIGIT_BONUS, CUT_COST, SCORER_WEIGHT, HEAD_IN_PATH, WIDE_WHOLE)
