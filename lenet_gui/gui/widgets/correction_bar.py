"""Correct a reading: "Not a 4? It's a …" and ten digit buttons.

Shown under the prediction. Pressing a digit (or Ctrl+Alt and the digit
key) says what the drawing really is; the window keeps it in My digits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

__all__ = ["CorrectionBar"]


class CorrectionBar(QWidget):
    """A question and ten digit buttons; emits the digit the person picks.

    Signals
    -------
    corrected(int)
        The person says the drawing is this digit.
    """

    corrected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self._question = QLabel()
        layout.addWidget(self._question)
        self._buttons: list[QToolButton] = []
        for digit in range(10):
            button = QToolButton()
            button.setText(str(digit))
            button.setFixedWidth(22)  # ten fit beside the question at the minimum
            button.clicked.connect(lambda _=False, d=digit: self.corrected.emit(d))
            layout.addWidget(button)
            self._buttons.append(button)
            shortcut = QShortcut(QKeySequence(f"Ctrl+Alt+{digit}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda d=digit: self._on_shortcut(d))
        layout.addStretch(1)
        self._reading: int | None = None
        self.set_reading(None)

    def reading(self) -> int | None:
        """Return the digit the network read, or None when nothing is read."""
        return self._reading

    def question(self) -> str:
        """Return the question shown, e.g. "Not a 4? It's a"."""
        return self._question.text()

    def set_reading(self, digit: int | None) -> None:
        """Show the question for the digit read; None disables the buttons."""
        self._reading = digit
        if digit is None:
            self._question.setText("Wrong? It's a")
        else:
            self._question.setText(f"Not a {digit}? It's a")
        for d, button in enumerate(self._buttons):
            button.setEnabled(digit is not None and d != digit)
            button.setToolTip(
                f"Keep this drawing in My digits as a {d} (Ctrl+Alt+{d}); "
                "Adapt to my handwriting learns from them"
            )

    def _on_shortcut(self, digit: int) -> None:
        if self._reading is not None and digit != self._reading:
            self.corrected.emit(digit)
