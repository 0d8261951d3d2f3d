"""What changes the reading, said beside it, with a button that puts it back."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["ExperimentsBar"]


class ExperimentsBar(ThemedWidget):
    """A framed note, "Changed from the plain reading:", one line per change.

    Shown only while something changes the reading (a distorted input, a
    training checkpoint, switched-off units, other weights); hidden when the
    reading is the plain one. Its Reset button asks for all of them to be
    undone (:attr:`resetRequested`).

    Parameters
    ----------
    parent : QWidget, optional
        The parent widget.
    """

    resetRequested = Signal()
    """The person asked to read the drawing plainly again."""

    HEADING = "The reading is changed by:"
    """The first line, above the changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("experiments")
        self.setAccessibleName("What changes the reading")
        self._label = QLabel()
        self._label.setObjectName("experimentsText")
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setWordWrap(True)
        self._label.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
        )
        self._reset = QPushButton("Reset")
        self._reset.setObjectName("experimentsReset")
        self._reset.setToolTip(
            "Read the drawing as drawn, with every unit on and the bundled "
            "weights (Ctrl+R)"
        )
        self._reset.clicked.connect(self.resetRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._reset, 0, Qt.AlignmentFlag.AlignVCenter)
        self._lines: list[str] = []
        self.setVisible(False)
        self._finish_building()

    def set_experiments(self, lines: Sequence[str]) -> None:
        """Say what changes the reading, a line each; hide when nothing does."""
        self._lines = list(lines)
        self._label.setText("\n".join([self.HEADING, *(f"• {x}" for x in lines)]))
        self.setToolTip("\n".join(lines))
        self.setVisible(bool(lines))

    def experiments(self) -> list[str]:
        """Return the lines shown ([] when hidden)."""
        return list(self._lines)

    def text(self) -> str:
        """Return the text shown, heading included."""
        return self._label.text()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Paint a faint frame in the highlight colour, readable in both themes."""
        edge = self.palette().color(QPalette.ColorRole.Highlight)
        fill = QColor(edge)
        fill.setAlpha(40)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(edge)
        painter.setBrush(fill)
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4
        )
        painter.end()
