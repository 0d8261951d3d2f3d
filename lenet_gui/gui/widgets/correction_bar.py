"""Correct a reading: "Not a 4? It's a …" and ten digit buttons.

Shown under the prediction. Pressing a digit (or Ctrl+Alt and the digit
key) says what the drawing really is; the window keeps it in My digits.
The question fits the reading: "Not a 4?" for a digit, "7 or 1?" when the
network hesitates, "A digit?" for ink that does not look like one;
a number is corrected one digit at a time, so the buttons wait for one;
with nothing drawn there is nothing to correct, and the bar says so.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QToolButton, QWidget

__all__ = ["CorrectionBar"]

# The longest questions asked beside the buttons (an 8 and a 7 are the widest
# digits in most fonts).
_BUTTON_QUESTIONS = (
    "A digit? It's a",
    "8 or 8? It's a",
    "Not an 8? It's a",
)


class CorrectionBar(QWidget):
    """A question and ten digit buttons; emits the digit the person picks.

    Signals
    -------
    corrected(int)
        The person says the drawing is this digit.
    """

    corrected = Signal(int)

    EMPTY_HINT = "Draw a digit; if it is read wrong, correct it here"
    """Said while nothing is drawn: no reading to correct, so no buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Opaque: a new question repaints the bar alone, not the window
        # beneath it as well (the same colour as the window's own).
        self.setAutoFillBackground(True)
        # The question beside the buttons, or above them when both do not fit.
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(1)
        self._question = QLabel()
        self._layout.addWidget(self._question)
        layout = QHBoxLayout()
        layout.setSpacing(1)
        self._layout.addLayout(layout)
        self._buttons: list[QToolButton] = []
        for digit in range(10):
            button = QToolButton()
            button.setText(str(digit))
            button.setFixedWidth(22)  # ten fit beside the question at the minimum
            button.setToolTip(
                f"Keep this drawing in My digits as a {digit} (Ctrl+Alt+{digit}); "
                "Adapt to my handwriting learns from them"
            )
            button.clicked.connect(lambda _=False, d=digit: self.corrected.emit(d))
            layout.addWidget(button)
            self._buttons.append(button)
            shortcut = QShortcut(QKeySequence(f"Ctrl+Alt+{digit}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda d=digit: self._on_shortcut(d))
        layout.addStretch(1)
        self._reading: int | None = None
        self._offered: set[int] = set()
        self._asked: tuple[int | None, int | None, bool, bool] | None = None
        self._keep_height()
        self.set_reading(None)

    def reading(self) -> int | None:
        """Return the digit the network read, or None when nothing is read."""
        return self._reading

    def question(self) -> str:
        """Return the question shown, e.g. "Not a 4? It's a"."""
        return self._question.text()

    def set_reading(
        self,
        digit: int | None,
        *,
        runner_up: int | None = None,
        not_digit: bool = False,
        number: bool = False,
    ) -> None:
        """Ask the question that fits the reading; None hides the buttons.

        Parameters
        ----------
        digit : int or None
            The digit read (for a number, the one chosen); None: nothing read.
        runner_up : int, optional
            The other digit when the network hesitates ("7 or 1?"): then
            every digit can be picked, the one read too.
        not_digit : bool
            The ink was read as no digit: "A digit?", every digit offered.
        number : bool
            Several digits were read: only a single digit can be kept, so
            the buttons make way for words that say so.
        """
        asked = (digit, runner_up, not_digit, number)
        if asked == self._asked:
            return  # the same question: nothing to lay out or repaint
        self._asked = asked
        self._reading = digit
        offered: set[int] = set(range(10))
        if digit is None:
            question, offered = self.EMPTY_HINT, set()
        elif number:
            question, offered = "A number: draw one digit alone to correct it", set()
        elif not_digit:
            question = "A digit? It's a"
        elif runner_up is not None:
            question = f"{digit} or {runner_up}? It's a"
        else:
            question = f"Not {'an' if digit == 8 else 'a'} {digit}? It's a"
            offered.discard(digit)
        self._offered = offered
        self._question.setText(question)
        for d, button in enumerate(self._buttons):
            button.setEnabled(d in offered)
            # The words take their room; nothing drawn, nothing to correct.
            button.setVisible(not number and digit is not None)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Put the question above the buttons when the row is too narrow."""
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: D102
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._keep_height()

    def _keep_height(self) -> None:
        """Make the words alone as tall as the buttons: the column does not jump."""
        self._question.setMinimumHeight(self._buttons[0].sizeHint().height())

    def _fit(self) -> None:
        """Lay the question beside the buttons or above them, the same while drawing.

        The choice is made for the longest question asked with the buttons,
        and the bar keeps the height it has with them, so that a new reading
        as the pen moves never changes the bar's height (which would move
        the canvas under the pen).
        """
        metrics = self._question.fontMetrics()
        widest = max(metrics.horizontalAdvance(q) for q in _BUTTON_QUESTIONS)
        margins = self._question.contentsMargins()
        buttons = sum(b.minimumWidth() + 1 for b in self._buttons)
        beside = widest + margins.left() + margins.right() + buttons <= self.width()
        question = self._question.sizeHint().height()
        button = self._buttons[0].sizeHint().height()
        height = (
            max(question, button)
            if beside
            else question + self._layout.spacing() + button
        )
        asked = self._asked
        if asked is not None and (asked[3] or asked[0] is None):  # words alone
            beside = self._question.sizeHint().width() <= self.width()
        direction = (
            QBoxLayout.Direction.LeftToRight
            if beside
            else QBoxLayout.Direction.TopToBottom
        )
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
        if self.minimumHeight() != height:
            self.setMinimumHeight(height)
        # The buttons stay in place whichever question is asked beside them.
        keep = widest + margins.left() + margins.right() if beside else 0
        if self._question.minimumWidth() != keep:
            self._question.setMinimumWidth(keep)

    def stacked(self) -> bool:
        """Whether the question is above the buttons (the row was too narrow)."""
        return self._layout.direction() == QBoxLayout.Direction.TopToBottom

    def offered(self) -> list[int]:
        """Return the digits that can be picked now."""
        return sorted(self._offered)

    def _on_shortcut(self, digit: int) -> None:
        if digit in self._offered:
            self.corrected.emit(digit)
