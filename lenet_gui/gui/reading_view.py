"""What the drawing was read as, shown on the canvas and in the reading area.

A :class:`ReadingView` shows the session's reading: a number's digits boxed
on the canvas (:class:`~lenet_gui.gui.widgets.DigitBoxes`), the number in
the reading area, "Not a digit?" with the nearest digit small when the ink
does not look like digits. A click on a box's tag, or Tab / Shift+Tab and
the left and right arrow keys on the canvas, choose which digit the input
view, the maps and every tab show (:meth:`ExplorerSession.choose_digit`).
A single digit is shown as it always was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent

from lenet_gui.gui.state.session import ExplorerSession
from lenet_gui.gui.widgets import DigitBoxes, DrawingCanvas, PredictionLabel

if TYPE_CHECKING:
    from lenet_gui.reading.number import Reading

__all__ = ["ReadingView"]

_NEXT = {Qt.Key.Key_Right: 1, Qt.Key.Key_Tab: 1, Qt.Key.Key_Left: -1}
_PREVIOUS = Qt.Key.Key_Backtab


class ReadingView(QObject):
    """Show the session's reading on the canvas and the reading label.

    Parameters
    ----------
    session : ExplorerSession
        Whose reading is shown and whose chosen digit is set.
    canvas : DrawingCanvas
        Where the digits are boxed.
    label : PredictionLabel
        Where the number, or "Not a digit?", is said.
    """

    def __init__(
        self, session: ExplorerSession, canvas: DrawingCanvas, label: PredictionLabel
    ) -> None:
        super().__init__(canvas)
        self._session, self._canvas, self._label = session, canvas, label
        self.boxes = DigitBoxes(canvas)
        self.boxes.hide()
        canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        canvas.installEventFilter(self)
        session.readingChanged.connect(self._on_session_reading_changed)
        self.boxes.digitChosen.connect(session.choose_digit)

    def reading(self) -> dict[str, Any] | None:
        """Return the reading of the canvas as it is now, as ``--predict`` prints it.

        Boxes are in canvas (paper) pixels; None for an empty canvas.
        """
        if self._canvas.is_empty():
            return None
        reading = self._session.last_reading
        return None if reading is None else reading.as_json()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Tab, Shift+Tab and the arrow keys choose among a number's digits."""
        if watched is not self._canvas or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        reading = self._session.result and self._session.last_reading
        if not reading or len(reading.digits) < 2 or reading.not_digit:
            return False
        key = event.key()
        step = -1 if key == _PREVIOUS else _NEXT.get(Qt.Key(key), 0)
        if not step:
            return False
        count = len(reading.digits)
        self._session.choose_digit((self._session.chosen_digit + step) % count)
        return True

    @Slot(object)
    def _on_session_reading_changed(self, reading: Reading | None) -> None:
        if reading is None:
            self.boxes.set_boxes([], [], 0, False)
            return
        chosen = self._session.chosen_digit
        digit = reading.digits[chosen]
        confidence = digit.prediction.confidence
        if reading.not_digit is not None:
            self.boxes.set_boxes([], [], 0, False)
            self._label.show_not_digit(reading.nearest, confidence)
            return
        if len(reading.digits) == 1:
            self.boxes.set_boxes([], [], 0, False)
            return  # shown as a single digit always was
        self.boxes.set_boxes(
            [d.box for d in reading.digits],
            [str(d.digit) for d in reading.digits],
            chosen,
            reading.unsure is not None,
        )
        self._label.show_number(reading.text, chosen, confidence, reading.unsure)
