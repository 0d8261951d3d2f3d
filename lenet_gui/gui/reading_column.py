"""The window's left column: the drawing and what the network reads in it.

From top to bottom: the canvas; the reading beside the 32x32 input the network
receives; the note naming what changes the reading (experiments); the ten
digits' probabilities; "Not a 7? It's a ..." to correct the reading, its
question fitted to what was read. The column
connects itself to the session: the drawing goes in, the reading comes out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from lenet_gui.gui.state.my_digits import weights_name
from lenet_gui.gui.state.session import ExplorerSession, UnitInfo
from lenet_gui.gui.widgets import (
    DrawingCanvas,
    NetworkInputView,
    PredictionLabel,
    ProbabilityChart,
)
from lenet_gui.gui.widgets.correction_bar import CorrectionBar
from lenet_gui.gui.widgets.experiments_bar import ExperimentsBar

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier, Prediction
    from lenet_gui.reading.number import Reading

__all__ = ["ReadingColumn"]


class ReadingColumn(QWidget):
    """The canvas, the reading, the input view, the experiments, the probabilities.

    Parameters
    ----------
    session : ExplorerSession
        The state the column shows, and where the drawing goes.
    parent : QWidget, optional
        The Qt parent.
    """

    MINIMUM_WIDTH = 330
    """Room for the reading beside the 32x32 view's title and legend, at actual
    text size; larger text widens the column as far as they need."""

    corrected = Signal(object, int)
    """The person says the drawing is this digit: (the paper's ``Drawing``, digit)."""

    def __init__(self, session: ExplorerSession, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self.setMinimumWidth(self.MINIMUM_WIDTH)
        self.canvas = DrawingCanvas()
        self.canvas.setToolTip(
            "Draw a digit with the mouse or a pen. Esc clears, Ctrl+Z undoes."
        )
        self.prediction = PredictionLabel()
        self.probabilities = ProbabilityChart()
        self.probabilities.setToolTip("Probability of each digit (softmax output)")
        self.input_view = NetworkInputView(session.spec)
        self.input_view.setToolTip(
            "What LeNet-5 receives: your drawing cropped, scaled to fit 20×20, "
            "centred by its centre of mass in 28×28 and padded to 32×32. "
            "Hover a unit: a pink frame shows the patch it sees."
        )
        self.experiments = ExperimentsBar()
        self.correction = CorrectionBar()

        result_row = QHBoxLayout()
        result_row.addWidget(self.prediction, 1)
        result_row.addWidget(self.input_view, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.canvas, 5)
        column.addLayout(result_row, 2)
        column.addWidget(self.experiments)
        column.addWidget(self.probabilities, 2)
        column.addWidget(self.correction)
        self._connect()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Make room for the reading and the input view when the text grows."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self.fit_width)  # once the views took the size

    @Slot()
    def fit_width(self) -> None:
        """Take the width the reading and the input view need side by side."""
        beside = self.input_view.graphics.ci.minimumWidth()
        needed = self.prediction.minimumSizeHint().width() + int(beside) + 12
        self.setMinimumWidth(max(self.MINIMUM_WIDTH, needed))

    def _connect(self) -> None:
        session, network = self._session, self._session.network
        self.canvas.drawingChanged.connect(self._on_canvas_drawing_changed)
        session.predictionChanged.connect(self._on_session_prediction_changed)
        session.readingChanged.connect(self._on_session_reading_changed)
        session.unitChanged.connect(self._on_session_unit_changed)
        network.classifierChanged.connect(self._on_network_classifier_changed)
        network.changed.connect(self._on_network_changed)
        self.experiments.resetRequested.connect(network.reset_experiments)
        self.correction.corrected.connect(self._on_correction_corrected)

    @Slot()
    def _on_canvas_drawing_changed(self) -> None:
        paper = self.canvas.paper
        pen_down = paper.drawing_stroke
        # While the pen moves the strokes are not read (they wait for it to
        # lift): no copy of them, and of the growing stroke, at every move.
        self._session.set_drawing(
            self.canvas.to_array(),
            pen_down=pen_down,
            strokes=None if pen_down else paper.strokes_now(),
        )

    @Slot(object)
    def _on_session_prediction_changed(self, result: Prediction | None) -> None:
        if result is None:
            self.correction.set_reading(None)
            self.prediction.set_prediction(None, None)
            self.probabilities.set_probabilities(None)
            self.input_view.set_input(None)
            return
        runner_up = int(result.probabilities.argsort()[-2])
        chance = float(result.probabilities[runner_up])
        self.prediction.set_prediction(
            result.digit, result.confidence, (runner_up, chance)
        )
        hesitant = chance >= PredictionLabel.AMBIGUOUS
        self.correction.set_reading(
            result.digit, runner_up=runner_up if hesitant else None
        )
        self.probabilities.set_probabilities(result.probabilities)
        self.input_view.set_input(result.network_input)

    @Slot(object)
    def _on_session_reading_changed(self, reading: Reading | None) -> None:
        """Fit the correction's question to a number or a non-digit."""
        result = self._session.result
        if reading is None or result is None:
            return
        if reading.not_digit is not None:
            self.correction.set_reading(result.digit, not_digit=True)
        elif len(reading.digits) > 1:
            self.correction.set_reading(result.digit, number=True)

    @Slot(object)
    def _on_session_unit_changed(self, info: UnitInfo | None) -> None:
        """Frame the patch of the input the hovered unit reads."""
        if info is None:
            self.input_view.set_field(None)
        else:
            field = info.field
            self.input_view.set_field((field.top, field.left, field.size))

    @Slot(object)
    def _on_network_classifier_changed(self, classifier: Classifier | None) -> None:
        self.prediction.set_weights(weights_name(classifier))

    @Slot()
    def _on_network_changed(self) -> None:
        self.experiments.set_experiments(self._session.network.experiments())

    @Slot(int)
    def _on_correction_corrected(self, digit: int) -> None:
        self.corrected.emit(self.canvas.paper.current, digit)
