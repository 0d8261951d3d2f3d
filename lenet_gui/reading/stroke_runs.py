"""Read a number drawn on the canvas from its strokes, in the order they were written.

On the canvas the pen's strokes are known. People write a number digit by
digit, each digit's strokes one after the other, so every digit is a run of
consecutive strokes, however close its neighbours come: digits that touch
or overlap, which no cut through the image separates, are runs of
different strokes. Every run of one to :data:`MAX_RUN` consecutive strokes
is a candidate digit, read by LeNet-5 and scored as a run of pieces is
(:mod:`lenet_gui.reading.number`: the network's confidence, the digit
bonus, the head's doubt, the segment scorer's "one whole digit"); the best
split of the strokes into runs, by the same dynamic programming
(:func:`~lenet_gui.reading.search.best_paths`), is the reading, its digits
left to right. No cut goes through a stroke, so none costs anything.

While a number is drawn, only the runs that hold the stroke being drawn
change: each run's network input is remembered by its strokes' keys.

Uses numpy and torch (through the reader), never Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from lenet_gui.imaging.preprocess import preprocess_ink
from lenet_gui.network.model import Ablation
from lenet_gui.reading.candidate_reads import CandidateReads
from lenet_gui.reading.path_verdict import (
    Terms,
    candidate_scores,
    refusal,
    unsure_split,
)
from lenet_gui.reading.recent import Recent
from lenet_gui.reading.result import DigitRead, Reading
from lenet_gui.reading.search import best_paths
from lenet_gui.reading.segment_scorer import (
    WHOLE,
    SegmentScorer,
    geometry,
    scorer_inputs,
)

__all__ = ["MAX_RUN", "MAX_STROKES", "StrokeInk", "StrokeRuns"]

#: A digit is at most this many consecutive strokes (a 4, 5 or barred 7 has
#: two or three; a 5 retraced, four).
MAX_RUN = 4
#: Drawings of more strokes are read from the picture alone: a number of
#: eight digits of three strokes has 24; a scribble of hundreds of dots would
#: make thousands of candidates.
MAX_STROKES = 24
# Runs whose network input is remembered, the newest.
_REMEMBERED = 256

Transform = Callable[[np.ndarray], np.ndarray]
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class StrokeInk:
    """One stroke's ink on the paper, cut to its box.

    Attributes
    ----------
    key : Hashable
        The same for the same stroke from one reading to the next, and no
        other stroke's.
    ink : np.ndarray
        The stroke's ink in [0, 1] (float32), the box's pixels.
    left, top : int
        Where the box lies on the paper, in paper pixels.
    """

    key: Hashable
    ink: np.ndarray
    left: int
    top: int

    @property
    def box(self) -> Box:
        """``x0, y0, x1, y1`` of the stroke's box on the paper."""
        height, width = self.ink.shape
        return (self.left, self.top, self.left + width, self.top + height)


def _union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _run_ink(strokes: Sequence[StrokeInk]) -> tuple[np.ndarray, Box]:
    """Return the ink of strokes drawn together (the darker of any two), and its box.

    A blank pixel is kept on every side, so the ink's box and its faint rim
    are found as on the whole paper.
    """
    x0, y0, x1, y1 = _union([s.box for s in strokes])
    ink = np.zeros((y1 - y0 + 2, x1 - x0 + 2), dtype=np.float32)
    for stroke in strokes:
        sx0, sy0, sx1, sy1 = stroke.box
        part = ink[sy0 - y0 + 1 : sy1 - y0 + 1, sx0 - x0 + 1 : sx1 - x0 + 1]
        np.maximum(part, stroke.ink, out=part)
    return ink, (x0, y0, x1, y1)


class StrokeRuns:
    """Read strokes as digits, the runs' network inputs remembered by their keys."""

    def __init__(self) -> None:
        self._inputs: Recent[tuple[np.ndarray | None, Box]] = Recent(_REMEMBERED)

    def _input(self, strokes: Sequence[StrokeInk]) -> tuple[np.ndarray | None, Box]:
        key = repr(tuple(s.key for s in strokes)).encode()
        if key in self._inputs:
            return self._inputs.get(key)
        ink, box = _run_ink(strokes)
        found = (preprocess_ink(ink), box)
        self._inputs.put(key, found)
        return found

    def read(
        self,
        reads: CandidateReads,
        scorer: SegmentScorer,
        strokes: Sequence[StrokeInk],
        terms: Terms,
        how: tuple[Ablation | None, Transform | None],
    ) -> Reading | None:
        """Read the strokes as the best split into runs; None with no ink.

        Parameters
        ----------
        reads : CandidateReads
            The network and the head, with what they read lately.
        scorer : SegmentScorer
            The segment scorer.
        strokes : sequence of StrokeInk
            The strokes, in the order they were drawn.
        terms : Terms
            The weights of a run's score (no cut goes through a stroke, so
            its cut cost is never charged).
        how : tuple
            Units switched off and the input's distortion, as for
            :meth:`NumberReader.read <lenet_gui.reading.number.NumberReader.read>`.
        """
        ablation, transform = how
        n = len(strokes)
        spans, inputs, boxes = [], [], []
        for first in range(n):
            for stop in range(first + 1, min(n, first + MAX_RUN) + 1):
                network_input, box = self._input(strokes[first:stop])
                if network_input is not None:
                    spans.append((first, stop))
                    inputs.append(network_input)
                    boxes.append(box)
        if not inputs:
            return None
        batch = np.stack(inputs)
        if transform is not None:
            batch = np.stack([transform(x) for x in batch])
        remember = transform is None and not ablation
        probabilities, chances, f6 = reads.batch(batch, ablation, remember)
        line = _union(boxes)
        place = np.stack([geometry(box, line, False, False) for box in boxes])
        whole = scorer.log_probabilities(scorer_inputs(f6, probabilities, place))
        scores = candidate_scores(probabilities, chances, whole[:, WHOLE], terms)
        paths = best_paths(n, spans, scores)
        if not paths:
            return None  # a stroke too faint to read on its own splits nothing
        count = max(paths, key=lambda k: paths[k][0])
        best, chosen = paths[count]
        digits = [
            DigitRead(
                reads.alone(batch[k].copy(), ablation, remember),
                boxes[k],
                None if reads.head is None else float(chances[k]),
            )
            for k in chosen
        ]
        digits.sort(key=lambda d: d.box[0])
        refused = refusal(
            digits,
            reads.cutoff,
            best,
            scored=True,
            judged=reads.head is not None,
            strokes=set(range(n)),
        )
        unsure = unsure_split(paths, count, probabilities)
        scored = {k: float(v[0]) for k, v in paths.items()}
        return Reading(tuple(digits), refused, unsure, scored)
