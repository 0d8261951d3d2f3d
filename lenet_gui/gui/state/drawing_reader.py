"""Read a drawing as digits with the network as the person has set it up.

:class:`DrawingReader` reads with everything
:meth:`NetworkSetup.classify <lenet_gui.gui.state.network_setup.NetworkSetup.classify>`
uses (weights or checkpoint, switched-off units, the input's distortion): one
digit is read exactly as ``classify`` reads it, several are cut apart by the
network's scores (:mod:`lenet_gui.reading.number`). Whether the ink is a
digit at all is judged only with the bundled weights as loaded, which the
judging head (:mod:`lenet_gui.reading.verdict`) was trained on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lenet_gui.gui.state.network_setup import NetworkSetup
from lenet_gui.gui.state.status import StatusLine
from lenet_gui.gui.state.stroke_inks import StrokeInks

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lenet_gui.drawing.paper import Stroke
    from lenet_gui.network.classifier import Classifier
    from lenet_gui.reading.number import NumberReader, Reading
    from lenet_gui.reading.segment_scorer import SegmentScorer
    from lenet_gui.reading.stroke_runs import StrokeInk
    from lenet_gui.reading.verdict import NotDigitHead

__all__ = ["DrawingReader"]


class DrawingReader:
    """Read drawings as numbers with a :class:`NetworkSetup`.

    Parameters
    ----------
    network : NetworkSetup
        The weights and experiments to read with.
    status : StatusLine
        Where a missing or broken not-a-digit head is reported, once.
    """

    def __init__(self, network: NetworkSetup, status: StatusLine) -> None:
        self._network, self._status = network, status
        self._head: NotDigitHead | None = None
        self._head_tried = False
        self._reader: NumberReader | None = None
        self._scorer: SegmentScorer | None = None
        self._scorer_tried = False
        self._inks = StrokeInks()

    def read(
        self,
        image: np.ndarray,
        *,
        drawing: bool = False,
        strokes: Sequence[Stroke] | None = None,
    ) -> Reading | None:
        """Read a drawing; None without weights or without a digit.

        `drawing` says a stroke is still being drawn; `strokes` are the
        drawing's strokes in the order drawn, when they are known (the
        canvas), to read a number by its strokes
        (:meth:`NumberReader.read <lenet_gui.reading.number.NumberReader.read>`).

        Raises
        ------
        ValueError, RuntimeError
            If the image cannot be read (not 2-D, not numbers, ...).
        """
        classifier = self._network.classifier
        if classifier is None:
            return None
        head = self._judge()
        reader = self._reader_for(classifier, head, self._segments(head))
        settings = dict(self._network.transform)
        transform = None
        if settings:
            from lenet_gui.explain.invariance import transform_input

            def transform(network_input: np.ndarray) -> np.ndarray:
                return transform_input(network_input, settings)

        ablation = {k: set(v) for k, v in self._network.ablation.items() if v}
        from lenet_gui.reading.stroke_runs import MAX_STROKES

        inks = None
        if strokes is not None and 1 < len(strokes) <= MAX_STROKES:
            known = strokes

            def inks() -> list[StrokeInk]:
                return self._inks.of(known)

        return reader.read(
            image, ablation or None, transform, drawing=drawing, strokes=inks
        )

    def prepare(self) -> None:
        """Load now what the first reading with these weights would load.

        The not-a-digit head, the segment scorer and the reading code: about
        100 ms of CPU, which would otherwise hold up the first touch of the
        pen, and 0.4 MB. Nothing to do when they are loaded or the weights
        have no head.
        """
        classifier = self._network.classifier
        if classifier is not None:
            head = self._judge()
            self._reader_for(classifier, head, self._segments(head))

    def _reader_for(
        self,
        classifier: Classifier,
        head: NotDigitHead | None,
        scorer: SegmentScorer | None,
    ) -> NumberReader:
        """Return a reader for these weights, kept while they stay in use."""
        reader = self._reader
        if (
            reader is None
            or reader.classifier is not classifier
            or reader.head is not head
            or reader.scorer is not scorer
        ):
            from lenet_gui.reading.number import NumberReader

            reader = self._reader = NumberReader(classifier, head, scorer)
        return reader

    def _segments(self, head: NotDigitHead | None) -> SegmentScorer | None:
        """Return the segment scorer when the head is in use (bundled weights)."""
        if head is None:
            return None
        if not self._scorer_tried:
            from lenet_gui.reading.segment_scorer import ScorerError, load_scorer

            self._scorer_tried = True
            try:
                self._scorer = load_scorer()
            except ScorerError as error:
                self._status.say(f"Cutting numbers without the segment scorer: {error}")
        return self._scorer

    def _judge(self) -> NotDigitHead | None:
        """Return the not-a-digit head with the bundled weights, else None."""
        classifier = self._network.classifier
        bundled = self._network.checkpoint is None and (
            classifier is not None and classifier.source is None
        )
        if not bundled:
            return None
        if not self._head_tried:
            from lenet_gui.reading.verdict import VerdictError, load_head

            self._head_tried = True
            try:
                self._head = load_head()
            except VerdictError as error:
                self._status.say(f"Not checking for non-digits: {error}")
        return self._head
