"""The numbers of a unit's sum: x, w and x·w as grids, or its largest terms."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_gui.gui.widgets.window_painter import (
    GridColors,
    fitted_font,
    paint_products,
)
from lenet_gui.gui.widgets.window_sum_text import grid_text

__all__ = ["UnitNumbers"]


class UnitNumbers(QWidget):
    """Shows a unit's inputs x, weights w and products x·w in numbers.

    A unit that reads windows of a few maps (C1 to S4) shows the three grids
    of one map read, chosen in a list. A unit that reads more (C5, F6, the
    output) has too many terms for grids: its largest products are listed.

    Parameters
    ----------
    parent : QWidget, optional
        The parent widget.
    """

    TERMS = 6
    """How many of the largest products are listed for a unit that reads many."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The hovered unit's sum in numbers")
        self._choice = QComboBox()
        self._choice.setToolTip("Which map read to show the numbers of")
        self._choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._choice.currentIndexChanged.connect(self._on_choice_changed)
        self._choice_label = QLabel("Numbers of")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._choice_label)
        top.addWidget(self._choice)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addLayout(top)
        layout.addStretch(1)
        self._captions: list[str] = []
        self._inputs = np.zeros((0, 1, 1))
        self._weights = np.zeros((0, 1, 1))
        self._lines: list[str] = []
        self._show_choice(False)

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(480, 190)

    def set_terms(
        self, captions: Sequence[str], inputs: np.ndarray, weights: np.ndarray
    ) -> None:
        """Take a unit's (n, k, k) inputs and weights, one caption per map or one."""
        self._captions = list(captions)
        self._inputs = np.asarray(inputs, dtype=np.float64)
        self._weights = np.asarray(weights, dtype=np.float64)
        grids = self.shows_grids()
        self._show_choice(grids)
        if grids:
            keep = min(self._choice.currentIndex(), len(self._captions) - 1)
            self._choice.blockSignals(True)
            self._choice.clear()
            self._choice.addItems(self._captions)
            self._choice.setCurrentIndex(max(keep, 0))
            self._choice.blockSignals(False)
            self._lines = []
        else:
            self._lines = self._largest_terms()
        self.update()

    def shows_grids(self) -> bool:
        """Whether the numbers are grids (else a list of the largest terms)."""
        count, side = self._inputs.shape[0], self._inputs.shape[-1]
        return count > 0 and side > 1 and len(self._captions) == count

    def chosen(self) -> int:
        """Which map read has its grids shown."""
        return max(self._choice.currentIndex(), 0)

    def grids(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the grids shown: x, w and x·w of the chosen map read."""
        k = self.chosen()
        x, w = self._inputs[k], self._weights[k]
        return x, w, x * w

    def lines(self) -> list[str]:
        """Return the largest terms as listed (none when grids are shown)."""
        return list(self._lines)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102, N802
        if self._inputs.shape[0] == 0:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        positive, negative = (
            (QColor(255, 120, 100), QColor(110, 170, 255))
            if dark
            else (QColor(190, 30, 30), QColor(20, 80, 200))
        )
        colors = GridColors(
            self.font(),
            text,
            positive,
            negative,
            palette.color(QPalette.ColorRole.Mid),
            palette.color(QPalette.ColorRole.Window),
        )
        if self.shows_grids():
            top = self._choice.geometry().bottom() + 4.0
            band = QRectF(4, top, self.width() - 8, self.height() - top - 2)
            titles = ["x: values read", "w: weights", "x\N{MIDDLE DOT}w: products"]
            paint_products(painter, self.grids(), titles, band, colors)
        else:
            painter.setPen(text)
            largest = min(self.height() / (len(self._lines) + 1), 18.0)
            width = self.width() - 12.0
            painter.setFont(fitted_font(self.font(), self._lines, width, largest))
            painter.drawText(
                QRectF(self.rect()).adjusted(6, 4, -6, -4),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                "\n".join(self._lines),
            )
        painter.end()

    # -- private ----------------------------------------------------------------

    def _show_choice(self, shown: bool) -> None:
        self._choice.setVisible(shown)
        self._choice_label.setVisible(shown)

    def _largest_terms(self) -> list[str]:
        """Return the largest products x·w of a unit that reads many, and where."""
        products = self._inputs * self._weights
        count, side, _ = products.shape
        order = np.argsort(-np.abs(products.ravel()))[: self.TERMS]
        caption = self._captions[0] if self._captions else ""
        noun = caption.split(" ")[0]
        lines = [
            f"The {self.TERMS} largest of {products.size} products x\N{MIDDLE DOT}w "
            f"(their sum: {grid_text(products.sum())}):"
        ]
        for flat in order:
            k, r, c = np.unravel_index(flat, products.shape)
            where = f"{noun} unit {k}" if side == 1 else f"{noun} map {k} ({r}, {c})"
            x, w = float(self._inputs[k, r, c]), float(self._weights[k, r, c])
            lines.append(
                f"x {grid_text(x)} \N{MULTIPLICATION SIGN} w {grid_text(w)} = "
                f"{grid_text(x * w)}   {where}"
            )
        return lines

    @Slot(int)
    def _on_choice_changed(self, _: int) -> None:
        self.update()
