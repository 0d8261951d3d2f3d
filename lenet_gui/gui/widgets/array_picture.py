"""A small array drawn as a picture that grows and shrinks with its place."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_gui.gui.widgets.packed_layer import OUTLINE_COLOR

__all__ = ["ArrayPicture", "diverging_rgb", "ink_rgb"]

_DIVERGING = pg.colormap.get("CET-D1").getLookupTable(nPts=256, alpha=False)


def diverging_rgb(values: np.ndarray, limit: float) -> np.ndarray:
    """Return (h, w, 3) uint8 colours: blue at -`limit`, white at 0, red at +`limit`.

    Not-a-number values (absent connections) come out mid grey.
    """
    values = np.asarray(values, dtype=np.float64)
    scale = limit if limit > 0 else 1.0
    index = np.clip(np.round((values / scale + 1) * 127.5), 0, 255)
    rgb = _DIVERGING[np.nan_to_num(index).astype(np.intp)].astype(np.uint8)
    rgb[np.isnan(values)] = 160
    return rgb


def ink_rgb(image: np.ndarray) -> np.ndarray:
    """Return (h, w, 3) uint8 colours of an MNIST image: dark ink on white paper."""
    grey = 255 - np.asarray(image, dtype=np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


class ArrayPicture(QWidget):
    """An (h, w, 3) colour array drawn with square pixels, as large as it fits.

    The picture keeps its aspect ratio, centred, and may frame one rectangle
    of the array (in array pixels) in the outline colour the maps use.

    Parameters
    ----------
    side : int
        The preferred side, in screen pixels.
    least : int
        The smallest side it shrinks to.
    parent : QWidget, optional
        The parent widget.
    """

    def __init__(self, side: int, least: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._side, self._least = side, least
        self._image: QImage | None = None
        self._frame: QRectF | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(self._side, self._side)

    def minimumSizeHint(self) -> QSize:  # noqa: D102
        return QSize(self._least, self._least)

    def set_rgb(self, rgb: np.ndarray | None, frame: QRectF | None = None) -> None:
        """Show an (h, w, 3) uint8 array, or nothing; `frame` in array pixels."""
        if rgb is None:
            self._image = None
        else:
            rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
            height, width = rgb.shape[:2]
            self._image = QImage(
                rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888
            ).copy()  # the array may go; the picture stays
        self._frame = frame
        self.update()

    def set_preferred_side(self, side: int) -> None:
        """Change the side the picture asks for."""
        if side != self._side:
            self._side = side
            self.updateGeometry()

    def has_picture(self) -> bool:
        """Whether a picture is shown."""
        return self._image is not None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        if self._image is None:
            return
        width, height = self._image.width(), self._image.height()
        scale = min(self.width() / width, self.height() / height)
        target = QRectF(0, 0, width * scale, height * scale)
        target.moveCenter(QRectF(self.rect()).center())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, self._image)
        painter.setPen(QPen(QColor(128, 128, 128), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        if self._frame is not None:
            painter.setPen(QPen(OUTLINE_COLOR, 2))
            frame = QRectF(
                target.left() + self._frame.left() * scale,
                target.top() + self._frame.top() * scale,
                self._frame.width() * scale,
                self._frame.height() * scale,
            )
            painter.drawRect(frame.adjusted(1, 1, -1, -1))
        painter.end()
