"""What a feature map looks for: the test digits that excite it most."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.packed_layer import OUTLINE_COLOR
from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["TopDigitsView"]


class TopDigitsView(ThemedWidget):
    """The digits that drive one map hardest, each with the patch framed.

    For the map chosen, every bundled MNIST test digit's strongest unit in
    that map is ranked; the top nine are shown with the patch of the digit
    that unit sees framed, and the value it reached.

    Parameters
    ----------
    layers : sequence of (str, int)
        The layers offered and their number of maps, e.g. ``("C1", 6)``.
    parent : QWidget, optional
        The parent widget.
    """

    mapChosen = Signal(str, int)
    """The person chose a layer and map to look at."""

    COUNT = 9
    """Digits shown."""
    PICTURE = 112
    """Side of each digit's picture, in pixels (4 per MNIST pixel)."""
    SIZE_HINT = QSize(700, 520)
    MINIMUM_SIZE_HINT = QSize(320, 300)

    def __init__(
        self, layers: Sequence[tuple[str, int]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("What each map looks for")
        self._maps = dict(layers)
        self._layer = QComboBox()
        for name in self._maps:
            self._layer.addItem(name)
        self._map = QSpinBox()
        self._layer.currentTextChanged.connect(self._on_layer_changed)
        self._map.valueChanged.connect(self._on_choice_changed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Layer"))
        bar.addWidget(self._layer)
        bar.addWidget(QLabel("map"))
        bar.addWidget(self._map)
        bar.addStretch(1)
        self._caption = QLabel()
        self._caption.setWordWrap(True)
        grid = QGridLayout()
        grid.setSpacing(8)
        self._pictures: list[QLabel] = []
        self._texts: list[QLabel] = []
        for k in range(self.COUNT):
            picture, text = QLabel(), QLabel()
            picture.setFixedSize(self.PICTURE, self.PICTURE)
            text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            cell = QVBoxLayout()
            cell.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
            cell.addWidget(text)
            grid.addLayout(cell, k // 3, k % 3)
            self._pictures.append(picture)
            self._texts.append(text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._caption)
        layout.addLayout(grid)
        layout.addStretch(1)
        self._on_layer_changed(self._layer.currentText())
        self.set_digits(None)
        self._finish_building()

    def choice(self) -> tuple[str, int]:
        """Return the layer and map chosen."""
        return self._layer.currentText(), self._map.value()

    def set_choice(self, layer: str, index: int) -> None:
        """Choose a layer and map quietly (no :attr:`mapChosen`)."""
        for widget in (self._layer, self._map):
            widget.blockSignals(True)
        self._layer.setCurrentText(layer)
        self._map.setRange(0, self._maps[layer] - 1)
        self._map.setValue(index)
        for widget in (self._layer, self._map):
            widget.blockSignals(False)

    def set_digits(self, digits: Sequence[Any] | None) -> None:
        """Show the top digits, or none.

        Each has ``image`` (28, 28), ``label``, ``index``, ``value`` and
        ``thumbnail_field`` (``top``, ``left``, ``height``, ``width``).
        """
        digits = list(digits or [])[: self.COUNT]
        layer, index = self.choice()
        if digits:
            self._caption.setText(
                f"The {len(digits)} bundled MNIST test digits that drive {layer} map "
                f"{index} hardest, strongest first; the frame is the patch its "
                "strongest unit sees."
            )
        else:
            self._caption.setText("Computing…")
        for k, (picture, text) in enumerate(
            zip(self._pictures, self._texts, strict=True)
        ):
            if k < len(digits):
                digit = digits[k]
                picture.setPixmap(self._picture(digit.image, digit.thumbnail_field))
                text.setText(f"{digit.label} (#{digit.index}): {digit.value:.3f}")
            else:
                picture.clear()
                text.clear()

    def _picture(self, image: np.ndarray, field: Any) -> QPixmap:
        ink = np.ascontiguousarray(255 - np.asarray(image, dtype=np.uint8))
        height, width = ink.shape
        grey = QImage(ink.data, width, height, width, QImage.Format.Format_Grayscale8)
        pixmap = QPixmap.fromImage(
            grey.scaled(self.PICTURE, self.PICTURE, Qt.AspectRatioMode.KeepAspectRatio)
        )
        scale = self.PICTURE / width
        painter = QPainter(pixmap)
        painter.setPen(QPen(QColor(OUTLINE_COLOR), 2))
        painter.drawRect(
            QRectF(field.left * scale, field.top * scale,
                   field.width * scale, field.height * scale).adjusted(1, 1, -1, -1)
        )  # fmt: skip
        painter.end()
        return pixmap

    def _on_layer_changed(self, layer: str) -> None:
        self._map.blockSignals(True)
        self._map.setRange(0, self._maps[layer] - 1)
        self._map.blockSignals(False)
        self._on_choice_changed()

    def _on_choice_changed(self) -> None:
        self.mapChosen.emit(*self.choice())
