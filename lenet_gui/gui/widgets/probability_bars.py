"""The probability chart's ten bars, moved in place on every reading.

pyqtgraph's ``BarGraphItem`` records its bars into a ``QPicture`` after
every change, announces new bounds to its view and plays the picture back
on paint. The chart's bars only change height, always within 0 to 1, so
this item keeps its bounds fixed, writes the new heights into its
rectangles and fills them straight away when painted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

__all__ = ["ProbabilityBars"]


class ProbabilityBars(pg.BarGraphItem):
    """Bars at 0, 1, ... of the same `width`, each with its own brush, no pen.

    ``opts["height"]`` holds the heights shown and ``opts["brushes"]`` their
    brushes, as for a ``BarGraphItem``. Heights must stay within 0 to 1.
    """

    def __init__(self, count: int, width: float, brushes: list[Any]) -> None:
        super().__init__(
            x=np.arange(count),
            height=np.zeros(count),
            width=width,
            pen=pg.mkPen(None),
            brushes=brushes,
        )
        self._count, self._width = count, width
        #: How many times new heights were given.
        self.height_updates = 0

    def set_heights(self, heights: np.ndarray) -> None:
        """Show new heights (``count`` numbers within 0 to 1)."""
        self.opts["height"] = heights
        self._rectarray.ndarray()[:, 3] = heights
        self._shape = None
        self.height_updates += 1
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        """Return where the bars can be: every slot, from 0 to 1 high."""
        half = self._width / 2
        return QRectF(-half, 0.0, self._count - 1 + self._width, 1.0)

    def dataBounds(  # noqa: N802
        self, ax: int, frac: float = 1.0, orthoRange: Any = None
    ) -> tuple[float, float]:
        """Return the bounds of :meth:`boundingRect` along axis `ax` (0: x, 1: y)."""
        rect = self.boundingRect()
        if ax == 0:
            return rect.left(), rect.right()
        return rect.top(), rect.bottom()

    def paint(self, painter: QPainter, *args: object) -> None:
        """Fill each bar with its brush."""
        self._render(painter)
