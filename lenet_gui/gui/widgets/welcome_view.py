"""What the maps area says before anything is drawn: what to do, and examples."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.themed import ThemedWidget


class WelcomeView(ThemedWidget):
    """An invitation to draw, with example digits to start from in one click.

    Parameters
    ----------
    groups : sequence of (str, sequence of (str, str, QImage))
        Titled rows of examples: each what it is (its tooltip), a caption of
        a few words shown under it, and its picture (:attr:`THUMBNAIL`
        pixels square).
    parent : QWidget, optional
        The parent widget.
    """

    exampleChosen = Signal(int)
    """Emitted with the example's index (counting through all groups in order)."""

    THUMBNAIL = 56
    """Side of an example's button picture, in pixels."""
    COLUMNS = 5
    """Example buttons per row: five keep the page narrow enough for a small window."""

    def __init__(
        self,
        groups: Sequence[tuple[str, Sequence[tuple[str, str, QImage]]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome: draw a digit or pick an example")
        self._heading = QLabel(
            "<h2>Draw a digit on the paper</h2>"
            "<p>LeNet-5 reads it while you draw. This area then shows how: the "
            "feature maps of its C1, S2, C3 and S4 layers. Hover any unit to see "
            "what it reads and how its value is computed.</p>"
            "<p>Or start from an example:</p>"
        )
        self._heading.setWordWrap(True)
        self._heading.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self._heading)
        self._captions: list[QLabel] = []
        self._buttons: list[QToolButton] = []
        index = 0
        for title, examples in groups:
            caption = QLabel(title)
            caption.setWordWrap(True)
            self._captions.append(caption)
            layout.addWidget(caption)
            grid = QGridLayout()
            grid.setSpacing(4)
            for column, (tip, words, thumbnail) in enumerate(examples):
                button = QToolButton()
                button.setIcon(QIcon(QPixmap.fromImage(thumbnail)))
                button.setText(words)
                small = button.font()
                small.setPointSizeF(small.pointSizeF() * 0.85)
                button.setFont(small)
                button.setToolButtonStyle(
                    Qt.ToolButtonStyle.ToolButtonTextUnderIcon
                    if words
                    else Qt.ToolButtonStyle.ToolButtonIconOnly
                )
                button.setIconSize(QSize(self.THUMBNAIL, self.THUMBNAIL))
                button.setToolTip(tip)
                button.setAccessibleName(tip)
                button.setAutoRaise(True)
                button.clicked.connect(
                    lambda _=False, k=index: self.exampleChosen.emit(k)
                )
                grid.addWidget(button, column // self.COLUMNS, column % self.COLUMNS)
                self._buttons.append(button)
                index += 1
            grid.setColumnStretch(self.COLUMNS, 1)
            layout.addLayout(grid)
        layout.addStretch(1)
        self._finish_building()

    def buttons(self) -> list[QToolButton]:
        """Return the example buttons, in the order of their indices."""
        return list(self._buttons)

    def _apply_palette(self) -> None:
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for caption in self._captions:
            caption.setStyleSheet(f"color: {muted.name()}")
