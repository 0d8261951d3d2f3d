"""A layer's units packed into one image, with frames for hovered and picked units.

Drawing each map as its own image costs about three times as much per
update as one image per layer (11-12 ms against about 4 ms for C1 to S4,
measured offscreen on this project's 2-core machine), so every view of a
layer packs its maps into one grid image with thin transparent gaps.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from lenet_gui.gui.widgets.coloured_image import ColouredImage

__all__ = ["OUTLINE_COLOR", "Packing", "PackedLayer", "outline_pen"]

#: Colour of the frames around hovered units and outlined maps.
OUTLINE_COLOR = QColor(255, 64, 160)
#: Rows of the grid a vector of units is laid out in: F6's 84 units make the
#: paper's 7x12 bitmap (7 wide, 12 high); C5's 120 make a 10x12 grid.
UNIT_ROWS = 12


@dataclass(frozen=True)
class Packing:
    """Where each unit of a layer goes in the layer's packed grid image.

    Maps are placed row by row in a grid, with a `gap`-pixel NaN
    (transparent) gap between them. A vector of units is packed as maps of
    one unit each, in :data:`UNIT_ROWS` rows and no gaps.
    """

    shape: tuple[int, int, int]
    # Flat indices into the packed image, in the order of ``values.ravel()``.
    targets: np.ndarray
    # Per packed pixel: the map index, or -1 in a gap; and the row and column in it.
    map_index: np.ndarray
    map_row: np.ndarray
    map_col: np.ndarray

    @classmethod
    def build(
        cls, shape: tuple[int, ...], grid: tuple[int, int] | None = None, gap: int = 1
    ) -> Packing:
        """Pack maps of `shape` (maps, h, w), or units of shape (n,), in a grid.

        Units of a vector go in :data:`UNIT_ROWS` rows unless `grid` says
        otherwise, without gaps; maps in a square-ish grid by default.
        """
        if len(shape) == 1:
            count = shape[0]
            shape = (count, 1, 1)
            grid, gap = grid or (UNIT_ROWS, -(-count // UNIT_ROWS)), 0
        count, height, width = shape
        if grid is None:
            cols = math.ceil(math.sqrt(count))
            grid = (-(-count // cols), cols)
        rows, cols = grid
        packed = (rows * (height + gap) - gap, cols * (width + gap) - gap)
        k, i, j = np.indices(shape)
        top = (k // cols) * (height + gap) + i
        left = (k % cols) * (width + gap) + j
        targets = (top * packed[1] + left).ravel()
        map_index = np.full(packed, -1, dtype=np.intp)
        map_row = np.zeros(packed, dtype=np.intp)
        map_col = np.zeros(packed, dtype=np.intp)
        map_index.ravel()[targets] = k.ravel()
        map_row.ravel()[targets] = i.ravel()
        map_col.ravel()[targets] = j.ravel()
        return cls((count, height, width), targets, map_index, map_row, map_col)

    @property
    def packed_shape(self) -> tuple[int, int]:
        """(height, width) of the packed image."""
        return self.map_index.shape

    def map_rect(self, index: int) -> QRectF:
        """Return where map `index` lies in the packed image, in its pixels."""
        _, height, width = self.shape
        top, left = np.unravel_index(
            self.targets[index * height * width], self.packed_shape
        )
        return QRectF(float(left), float(top), float(width), float(height))

    def pack(self, values: np.ndarray) -> np.ndarray:
        """Return `values` (any array of the layer's size) as a new packed image."""
        packed = np.full(self.packed_shape, np.nan)
        packed.ravel()[self.targets] = np.reshape(values, -1)
        return packed

    def unit_at(self, row: int, col: int) -> tuple[int, int, int] | None:
        """Return the (map, row, column) at a packed pixel, None in a gap."""
        k = int(self.map_index[row, col])
        if k < 0:
            return None
        return k, int(self.map_row[row, col]), int(self.map_col[row, col])


def outline_pen() -> QPen:
    """Return the pen of the frames around units and maps: 2 screen px, any zoom."""
    pen = QPen(OUTLINE_COLOR, 2.0)
    pen.setCosmetic(True)
    return pen


class PackedLayer:
    """One layer's packed buffer and the pyqtgraph items that show it.

    Parameters
    ----------
    title : str
        The label shown above the view.
    packing : Packing
        Where each unit goes.
    lut : np.ndarray
        The colour lookup table.
    levels : tuple of float
        Fixed colour levels: the same colours for the same values, always.
    """

    def __init__(
        self, title: str, packing: Packing, lut: np.ndarray, levels: tuple[float, float]
    ) -> None:
        self.packing = packing
        self.levels = levels
        self.buffer = np.full(packing.packed_shape, np.nan, dtype=np.float32)
        # A flat view of the buffer: writing through it needs no allocation.
        self.flat = self.buffer.reshape(-1)
        self.label = pg.LabelItem(title, size="9pt")
        # Without a cap, a grid layout hands labels as much height as views.
        self.label.setMaximumHeight(18)
        self.view = pg.ViewBox(
            lockAspect=True, invertY=True, enableMouse=False, enableMenu=False
        )
        self.image = ColouredImage(lut, levels)
        self.view.addItem(self.image)
        height, width = packing.packed_shape
        self.view.setRange(QRectF(0, 0, width, height), padding=0.0)
        self.view.disableAutoRange()
        self.has_values = False
        # Frames around maps picked by outline(), made once; none for single units.
        self.outlines = []
        if packing.shape[1] > 1:
            for index in range(packing.shape[0]):
                outline = QGraphicsRectItem(packing.map_rect(index))
                outline.setPen(outline_pen())
                outline.setZValue(1)
                outline.setVisible(False)
                self.view.addItem(outline)
                self.outlines.append(outline)
        # Hatching over maps (or units) switched off, made when first needed.
        self._off: dict[int, QGraphicsRectItem] = {}
        # A frame around the unit under the pointer.
        self.marker = QGraphicsRectItem(QRectF(0, 0, 1, 1))
        self.marker.setPen(outline_pen())
        self.marker.setZValue(2)
        self.marker.setVisible(False)
        self.view.addItem(self.marker)
        self.set_values(None)

    def set_values(self, values: np.ndarray | None) -> None:
        """Show new values (any array of the layer's size), or clear them."""
        if values is None:
            self.buffer.fill(np.nan)
            self.has_values = False
        else:
            self.flat[self.packing.targets] = np.reshape(values, -1)
            self.has_values = True
        self.image.setImage(self.buffer, autoLevels=False, levels=self.levels)

    def set_switched_off(self, maps: Collection[int]) -> None:
        """Hatch the maps (or units) switched off; the others lose their hatching."""
        for index in maps:
            if index not in self._off:
                item = QGraphicsRectItem(self.packing.map_rect(index))
                item.setPen(QPen(Qt.PenStyle.NoPen))
                item.setBrush(
                    QBrush(QColor(128, 128, 128, 200), Qt.BrushStyle.BDiagPattern)
                )
                item.setZValue(1.5)
                self.view.addItem(item)
                self._off[index] = item
        for index, item in self._off.items():
            item.setVisible(index in maps)

    def switched_off(self) -> list[int]:
        """Return the maps (or units) shown switched off."""
        return sorted(k for k, item in self._off.items() if item.isVisible())

    def set_visible(self, visible: bool) -> None:
        """Show or hide the label and the view; hidden, they take no height.

        A hidden item still takes its minimum height in a graphics layout,
        and a title's is that of its text: in a short window the hidden
        layers' titles would leave the shown pictures no height at all.
        """
        self.label.setVisible(visible)
        self.view.setVisible(visible)
        self.label.setMinimumHeight(
            self.label.item.boundingRect().height() if visible else 0
        )
        self.label.setMaximumHeight(18 if visible else 0)

    def mark(self, pixel: tuple[int, int] | None) -> None:
        """Frame the packed pixel (row, column), or nothing."""
        if pixel is None:
            self.marker.setVisible(False)
            return
        row, col = pixel
        self.marker.setRect(QRectF(col, row, 1, 1))
        self.marker.setVisible(True)

    def pixel_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """Return the packed pixel (row, column) under a scene point, if any."""
        if not self.view.isVisible():
            return None
        if not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        row, col = math.floor(point.y()), math.floor(point.x())
        height, width = self.packing.packed_shape
        if 0 <= row < height and 0 <= col < width:
            return row, col
        return None
