"""Strokes, the immutable states of a drawing, and how a stroke is inked.

Live strokes, undo and redo, and offline rendering all paint through
:func:`paint_segment`, segment by segment, so the same stroke always gives
the same pixels. QtGui only, no widget and no torch.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

__all__ = [
    "EMPTY",
    "Drawing",
    "Point",
    "Snapshots",
    "Stroke",
    "ink_pen",
    "paint_segment",
    "paint_strokes",
]

Point = tuple[float, float]


@dataclass(frozen=True)
class Stroke:
    """One pen stroke: its points in paper pixels and the pen's width."""

    points: tuple[Point, ...]
    width: float


@dataclass(frozen=True, eq=False)
class Drawing:
    """An immutable state of the paper: an optional background raster and strokes.

    A state made by one more stroke holds that stroke and the state before
    it, not a copy of every stroke, so a long history of a long drawing
    shares its strokes: each stroke is stored once, however many states
    hold it.

    Attributes
    ----------
    background : np.ndarray or None
        Read-only (PAPER_SIZE, PAPER_SIZE) uint8 ink of a placed image.
    base : Drawing or None
        The state `last` was drawn on; None for a state with no strokes.
    last : Stroke or None
        The newest stroke; None for a state with no strokes.
    count : int
        How many strokes the state holds.
    """

    background: np.ndarray | None
    base: Drawing | None = None
    last: Stroke | None = None
    count: int = 0

    @classmethod
    def of(cls, background: np.ndarray | None, strokes: Iterable[Stroke]) -> Drawing:
        """Return the state of `strokes` drawn, in order, on `background`."""
        drawing = cls(background)
        for stroke in strokes:
            drawing = drawing.adding(stroke)
        return drawing

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        """The strokes drawn on top, in order (built on each call)."""
        return tuple(self.strokes_since(None))

    def adding(self, stroke: Stroke) -> Drawing:
        """Return this state with `stroke` drawn on top."""
        return Drawing(self.background, self, stroke, self.count + 1)

    def strokes_since(self, earlier: Drawing | None) -> list[Stroke]:
        """Return the strokes drawn after `earlier` (None: all), oldest first.

        `earlier` must be this state or one it was built on.
        """
        strokes = []
        state: Drawing | None = self
        while state is not None and state is not earlier and state.last is not None:
            strokes.append(state.last)
            state = state.base
        strokes.reverse()
        return strokes


EMPTY = Drawing(background=None)


@functools.lru_cache(maxsize=64)
def ink_pen(width: float) -> QPen:
    """Return the pen strokes are inked with: full ink, round caps and joins.

    Cached: a stroke paints one segment per point, each with this pen. Do not
    change the pen returned.
    """
    return QPen(
        QColor(255, 255, 255),
        width,
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )


def paint_segment(painter: QPainter, start: Point, end: Point, width: float) -> None:
    """Ink from `start` to `end`; a zero-length segment is the pen's round dot.

    Live strokes, undo and redo, and offline rendering all paint through here,
    segment by segment, so the same stroke always gives the same pixels.
    """
    if start == end:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255))
        painter.drawEllipse(QPointF(*start), width / 2.0, width / 2.0)
        return
    painter.setPen(ink_pen(width))
    painter.drawLine(QPointF(*start), QPointF(*end))


def paint_strokes(painter: QPainter, strokes: Iterable[Stroke]) -> None:
    """Ink whole strokes, in order: each a round dot, then its segments."""
    for stroke in strokes:
        first = stroke.points[0]
        paint_segment(painter, first, first, stroke.width)
        for start, end in zip(stroke.points, stroke.points[1:], strict=False):
            paint_segment(painter, start, end, stroke.width)


class Snapshots:
    """Rasters kept for some states of a history, so undo re-paints only a few strokes.

    A raster is the ink (uint8 alpha) that painting a state's strokes gave;
    painting the later strokes on it gives the same pixels as painting every
    stroke on a blank page.
    """

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Drawing, np.ndarray]] = {}  # by identity

    def nearest(self, drawing: Drawing) -> tuple[Drawing | None, np.ndarray | None]:
        """Return the nearest state `drawing` was built on with a kept raster."""
        state: Drawing | None = drawing
        while state is not None:
            kept = self._kept.get(id(state))
            if kept is not None and kept[0] is state:
                return kept
            state = state.base
        return None, None

    def keep(self, drawing: Drawing, ink: np.ndarray) -> None:
        """Keep a copy of `ink` as the raster of `drawing`."""
        self._kept[id(drawing)] = (drawing, ink.copy())

    def keep_if_far(self, drawing: Drawing, ink: np.ndarray, every: int) -> None:
        """Keep `ink` for `drawing` if `every` strokes or more lie past a kept one."""
        start = self.nearest(drawing)[0]
        if drawing.count - (0 if start is None else start.count) >= every:
            self.keep(drawing, ink)

    def keep_only(self, states: Iterable[Drawing]) -> None:
        """Forget the rasters of every state not in `states`."""
        wanted = {id(state) for state in states}
        for key in [key for key in self._kept if key not in wanted]:
            del self._kept[key]
