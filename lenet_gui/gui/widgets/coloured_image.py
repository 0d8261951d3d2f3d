"""An image item that colours its values itself, in one pass, and draws them as is.

pyqtgraph's ``ImageItem`` turns a float image into colours on every paint
through a general path (levels, lookup table, a mask for NaN, an RGBA
image that Qt converts again as it draws). A view that shows new values
many times a second pays for that on every stroke. This item keeps the
same interface and the same colours, pixel for pixel: values are scaled to
the lookup table's entries exactly as pyqtgraph scales them (float32,
truncated, clipped), NaN is transparent, and the colours land in one
premultiplied ARGB32 buffer, the format Qt's painter blends without
converting.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

__all__ = ["ColouredImage", "argb_table"]

_OPAQUE = np.uint32(0xFF000000)


def argb_table(lut: np.ndarray | None) -> np.ndarray:
    """Return a lookup table as opaque premultiplied ARGB32 words (uint32).

    Parameters
    ----------
    lut : numpy.ndarray or None
        ``(n, 3)`` or ``(n, 4)`` uint8 RGB(A) entries (alpha is ignored: the
        tables here are opaque), or None for 256 greys, black to white.
    """
    if lut is None:
        grey = np.arange(256, dtype=np.uint32)
        return _OPAQUE | (grey << 16) | (grey << 8) | grey
    rgb = np.asarray(lut, dtype=np.uint32).reshape(len(lut), -1)[:, :3]
    return _OPAQUE | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


class ColouredImage(pg.ImageItem):
    """A 2-D float image coloured by fixed levels and a lookup table.

    Use it as a row-major ``pg.ImageItem`` given a 2-D float array with
    ``levels`` (``setImage``, ``setLevels``, ``setLookupTable``, ``clear``,
    ``image``, ``getLevels`` all work as there); NaN pixels are transparent.

    Parameters
    ----------
    lut : numpy.ndarray, optional
        The lookup table (``(n, 3)`` uint8); None shows greys.
    levels : tuple of float, optional
        The values shown as the first and the last colour.
    """

    def __init__(
        self,
        lut: np.ndarray | None = None,
        levels: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(axisOrder="row-major")
        self._table_of: Any = None  # the lookup table the colours were made from
        self._table = argb_table(None)
        self._work: np.ndarray = np.empty((0, 0), dtype=np.float32)
        self._index = np.empty((0, 0), dtype=np.uint8)
        self._argb = np.empty((0, 0), dtype=np.uint32)
        self._picture = QImage()
        #: How many times the colours were computed (once per new image shown).
        self.colourings = 0
        if lut is not None:
            self.setLookupTable(lut)
        if levels is not None:
            self.setLevels(levels)

    def colours(self) -> np.ndarray:
        """Return the ARGB32 words drawn, one per pixel (0 where transparent)."""
        if self._renderRequired:
            self.render()
        return self._argb.copy()

    def render(self) -> None:
        """Colour the image into the premultiplied buffer drawn by :meth:`paint`."""
        self._renderRequired = False
        image = self.image
        levels = self.levels
        self._unrenderable = image is None or image.ndim != 2 or levels is None
        if self._unrenderable:
            return
        if self.lut is not self._table_of:
            self._table_of = self.lut
            self._table = argb_table(None if self.lut is None else np.asarray(self.lut))
        # pyqtgraph works in float32 unless the values need more.
        exact = np.float32 if np.can_cast(image, np.float32) else np.float64
        if self._work.shape != image.shape or self._work.dtype != exact:
            self._work = np.empty(image.shape, dtype=exact)
            self._index = np.empty(image.shape, dtype=np.uint8)
            self._argb = np.empty(image.shape, dtype=np.uint32)
        # As pyqtgraph scales: float32, (value - low) * entries / range, clipped
        # to the table, truncated; 255 / range without a table.
        count = len(self._table)
        low, high = float(levels[0]), float(levels[1])
        span = (high - low) or 1.0
        scale = (count if self.lut is not None else 255.0) / span
        work = self._work
        work[...] = image
        work -= low
        work *= scale
        np.clip(work, 0, count - 1, out=work)
        missing = np.isnan(work)
        work[missing] = 0
        np.copyto(self._index, work, casting="unsafe")
        np.take(self._table, self._index, out=self._argb)
        self._argb[missing] = 0
        height, width = image.shape
        self._picture = QImage(
            self._argb.data,
            width,
            height,
            4 * width,
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        self.qimage = self._picture
        self.colourings += 1

    def paint(self, painter: QPainter, *args: object) -> None:
        """Draw the coloured image, one pixel per value."""
        if self.image is None:
            return
        if self._renderRequired:
            self.render()
        if self._unrenderable:
            return
        height, width = self.image.shape
        painter.drawImage(QRectF(0, 0, width, height), self._picture)
