"""My digits: the drawings kept with their labels, as a grid to review and change."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.drawing.paper import ink_picture
from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["MyDigitsView"]


class MyDigitsView(ThemedWidget):
    """A grid of the kept digits, each with its label, and what can be done.

    Signals
    -------
    relabelRequested(object, int)
        The selected digits' indices (a list) are really this digit.
    removeRequested(object)
        Delete the digits at these indices (a list).
    importRequested, exportRequested
        Add digits from a stroke file; save them all to one.
    """

    relabelRequested = Signal(object, int)
    removeRequested = Signal(object)
    importRequested = Signal()
    exportRequested = Signal()

    THUMBNAIL = 56
    """Side of a digit's picture, in pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("My digits: the drawings you corrected")
        self._summary = QLabel()
        self._summary.setWordWrap(True)
        self._summary.setTextFormat(Qt.TextFormat.RichText)
        self._grid = QListWidget()
        self._grid.setViewMode(QListWidget.ViewMode.IconMode)
        self._grid.setIconSize(QSize(self.THUMBNAIL, self.THUMBNAIL))
        self._grid.setResizeMode(QListWidget.ResizeMode.Adjust)
        self._grid.setMovement(QListWidget.Movement.Static)
        self._grid.setSpacing(4)
        self._grid.setMinimumHeight(self.THUMBNAIL + 30)  # one row at least
        self._grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._grid.itemSelectionChanged.connect(self._on_selection_changed)
        self._relabel = QPushButton("Change label")
        self._relabel.setToolTip("Say what the selected digits really are")
        menu = QMenu(self._relabel)
        for digit in range(10):
            action = menu.addAction(f"It's a {digit}")
            action.triggered.connect(
                lambda _=False, d=digit: self.relabelRequested.emit(self.selected(), d)
            )
        self._relabel.setMenu(menu)
        self._remove = QPushButton("Delete")
        self._remove.setToolTip("Delete the selected digits (Delete key)")
        self._remove.clicked.connect(lambda: self.removeRequested.emit(self.selected()))
        self._import = QPushButton("Import…")
        self._import.setToolTip("Add digits from a stroke file (JSON)")
        self._import.clicked.connect(self.importRequested)
        self._export = QPushButton("Export…")
        self._export.setToolTip("Save all your digits as a stroke file (JSON)")
        self._export.clicked.connect(self.exportRequested)
        buttons = QHBoxLayout()
        for button in (self._relabel, self._remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self._import, self._export):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self._summary)
        layout.addWidget(self._grid, 1)
        layout.addLayout(buttons)
        self._labels: list[int] = []
        self.set_digits([], [])
        self._finish_building()

    def set_digits(self, pictures: Sequence[np.ndarray], labels: Sequence[int]) -> None:
        """Show the digits: 2-D uint8 ink pictures (255 ink) and their labels."""
        self._labels = list(labels)
        self._grid.clear()
        for k, (picture, label) in enumerate(zip(pictures, labels, strict=True)):
            item = QListWidgetItem(QIcon(self._picture(picture)), str(label))
            item.setToolTip(f"Digit {k + 1}: kept as a {label}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._grid.addItem(item)
        self._summary.setText(self._describe(labels))
        self._export.setEnabled(bool(labels))
        self._on_selection_changed()

    def labels(self) -> list[int]:
        """Return the labels shown, in order."""
        return list(self._labels)

    def summary(self) -> str:
        """Return the text above the grid."""
        return self._summary.text()

    def selected(self) -> list[int]:
        """Return the indices of the selected digits, in order."""
        return sorted(self._grid.row(item) for item in self._grid.selectedItems())

    def select(self, indices: Sequence[int]) -> None:
        """Select the digits at `indices` (and no others)."""
        self._grid.clearSelection()
        for k in indices:
            item = self._grid.item(k)
            if item is not None:
                item.setSelected(True)

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        """Delete removes the selected digits."""
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        if event.key() == Qt.Key.Key_Delete and self.selected():
            self.removeRequested.emit(self.selected())
            return
        super().keyPressEvent(event)

    @staticmethod
    def _describe(labels: Sequence[int]) -> str:
        if not labels:
            return (
                "<b>No digits yet.</b> When the network misreads your drawing, "
                "press the right digit under the reading (“Not a 4? It's a …”): "
                "the drawing is kept here, to teach the network your handwriting."
            )
        counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=10)
        per_digit = ", ".join(f"{d}: {n}" for d, n in enumerate(counts))
        missing = [str(d) for d, n in enumerate(counts) if n == 0]
        text = f"<b>{len(labels)} of your digits</b> ({per_digit})."
        if missing:
            text += (
                f" None yet of {', '.join(missing)}: {len(missing)} more (one of "
                "each) would teach every digit."
            )
        return text + " Select digits to change their label or delete them."

    def _picture(self, ink: np.ndarray) -> QPixmap:
        return QPixmap.fromImage(
            ink_picture(ink).scaled(
                self.THUMBNAIL,
                self.THUMBNAIL,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _on_selection_changed(self) -> None:
        chosen = bool(self._grid.selectedItems())
        self._relabel.setEnabled(chosen)
        self._remove.setEnabled(chosen)

    def _apply_palette(self) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        self._summary.setStyleSheet(f"color: {text.name()}")
