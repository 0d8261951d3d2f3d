"""Numbers beside a packed layer's rows and above its columns of maps."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from lenet_gui.gui.widgets.packed_layer import PackedLayer

__all__ = ["MapNumbers"]


class MapNumbers:
    """Numbers the rows and the columns of a packed layer's grid of maps.

    The layer's view is widened by `left` and `top` of its pixels to make
    room for them.

    Parameters
    ----------
    layer : PackedLayer
        The layer whose maps are numbered.
    rows, columns : sequence of str
        One number (or word) per row and per column of its grid; empty for none.
    left, top : float
        Room made on the left and above, in the layer's pixels.
    """

    def __init__(
        self,
        layer: PackedLayer,
        rows: Sequence[str],
        columns: Sequence[str],
        left: float,
        top: float,
    ) -> None:
        self.items: list[pg.TextItem] = []
        packing = layer.packing
        per_row = len(columns) if columns else 1
        for k, text in enumerate(rows):
            rect = packing.map_rect(k * per_row)
            self._add(layer, text, rect.left() - 0.3, rect.center().y(), (1.0, 0.5))
        for k, text in enumerate(columns):
            rect = packing.map_rect(k)
            self._add(layer, text, rect.center().x(), rect.top() - 0.1, (0.5, 1.0))
        height, width = packing.packed_shape
        layer.view.setRange(
            QRectF(-left, -top, width + left, height + top), padding=0.0
        )

    def _add(
        self,
        layer: PackedLayer,
        text: str,
        x: float,
        y: float,
        anchor: tuple[float, float],
    ) -> None:
        item = pg.TextItem(text, anchor=anchor)
        font = item.textItem.font()
        font.setPointSizeF(7.5)
        item.setFont(font)
        item.setPos(x, y)
        layer.view.addItem(item)
        self.items.append(item)

    def texts(self) -> list[str]:
        """Return the numbers shown, rows first."""
        return [item.textItem.toPlainText() for item in self.items]

    def set_color(self, color: QColor) -> None:
        """Draw the numbers in `color` (the palette's text)."""
        for item in self.items:
            item.setColor(color)
