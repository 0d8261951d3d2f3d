"""The paper a digit is drawn on: its raster, the pen, the strokes and their history.

One :class:`Paper` serves the live canvas and every offline drawing (training
digits, benchmarks, examples): a stroke is inked by the same calls whether a
mouse or a script delivers its points, so the canvas and :func:`render` give
identical pixels for the same strokes (a test holds them to it).

Uses numpy and QtGui only (a ``QImage`` and a ``QPainter``, no widget, no
application object), so it runs in worker processes that never load
QtWidgets; no torch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPolygonF

from lenet_gui.drawing.strokes import (
    EMPTY,
    Drawing,
    Point,
    Snapshots,
    Stroke,
    ink_pen,
    paint_segment,
    paint_strokes,
)

__all__ = [
    "DEFAULT_PEN_WIDTH",
    "Drawing",
    "IMAGE_MARGIN",
    "MAX_PEN_WIDTH",
    "MIN_PEN_WIDTH",
    "PAPER_SIZE",
    "Paper",
    "Point",
    "Stroke",
    "ink_picture",
    "render",
]

#: Side of the square paper raster, in pixels.
PAPER_SIZE = 448
#: Pen width, in paper pixels, of a new paper.
DEFAULT_PEN_WIDTH = 24.0
#: Smallest pen width, in paper pixels.
MIN_PEN_WIDTH = 4.0
#: Largest pen width, in paper pixels.
MAX_PEN_WIDTH = 64.0
#: Free border, in paper pixels, around an image placed with :meth:`Paper.set_image`.
IMAGE_MARGIN = 56
# Old states beyond this many are dropped so a long session cannot grow forever.
_MAX_HISTORY = 500
# The raster of every this many strokes is kept, so undo and redo re-paint at
# most this many strokes, however many the drawing holds.
_SNAPSHOT_EVERY = 16
_PIXEL_FORMAT = QImage.Format.Format_ARGB32_Premultiplied

#: A stroke's points in paper pixels: (x, y) pairs, or an (n, 2) array of them.
StrokePoints = Sequence[Point] | np.ndarray


class Paper:
    """A ``PAPER_SIZE`` square greyscale raster with a pen and undo history.

    Ink is 255 on background 0. The raster is what the network reads; the
    strokes are also kept as vectors, with an optional background image, in
    a stack of immutable :class:`Drawing` states that undo and redo walk.

    A stroke is drawn in three calls, :meth:`begin_stroke`,
    :meth:`extend_stroke` (once per new point) and :meth:`end_stroke`; each
    inks at once and returns the paper rectangle it changed, so a live view
    repaints only that. A repeated point adds nothing; a stroke that never
    moves is a round dot; a stroke that inked nothing (drawn entirely off the
    paper) leaves no state behind.
    """

    def __init__(self) -> None:
        size = PAPER_SIZE
        # Qt paints into 32-bit images about ten times faster than into 8-bit
        # greyscale ones (0.9 against 9.7 ms for a digit of 117 points here), so
        # the pen inks white, premultiplied by coverage, into `_pixels`, and
        # each change is copied into the 8-bit raster `_ink` that is read.
        self._pixels = np.zeros((size, size, 4), dtype=np.uint8)
        self._image = QImage(self._pixels.data, size, size, 4 * size, _PIXEL_FORMAT)
        self._ink = np.zeros((size, size), dtype=np.uint8)
        self._pen_width = DEFAULT_PEN_WIDTH
        self._history: list[Drawing] = [EMPTY]
        self._position = 0
        # Rasters of some states in the history.
        self._snapshots = Snapshots()
        self._active: list[Point] | None = None
        self._active_width = DEFAULT_PEN_WIDTH
        self._active_inked = False
        # The painter of a draw_strokes call in progress, if any.
        self._batch: QPainter | None = None

    # -- the raster -------------------------------------------------------------

    @property
    def ink(self) -> np.ndarray:
        """The raster itself, (PAPER_SIZE, PAPER_SIZE) uint8; do not write to it."""
        return self._ink

    def to_array(self) -> np.ndarray:
        """Return a copy of the raster, ink 255 on background 0."""
        return self._ink.copy()

    def is_empty(self) -> bool:
        """Return whether the paper holds no ink at all."""
        return not self._ink.any()

    # -- the pen ----------------------------------------------------------------

    @property
    def pen_width(self) -> float:
        """Width of new strokes, in paper pixels."""
        return self._pen_width

    def set_pen_width(self, width: float) -> float:
        """Set the width of new strokes; return it as clamped.

        Raises
        ------
        ValueError
            If `width` is not a finite number.
        """
        width = float(width)
        if not math.isfinite(width):
            raise ValueError(f"pen width must be finite, got {width}")
        self._pen_width = min(max(width, MIN_PEN_WIDTH), MAX_PEN_WIDTH)
        return self._pen_width

    # -- drawing a stroke ---------------------------------------------------------

    @property
    def drawing_stroke(self) -> bool:
        """Whether a stroke has begun and not yet ended."""
        return self._active is not None

    def begin_stroke(self, point: Point) -> QRectF | None:
        """Put the pen down at `point` (ending any stroke still open).

        Returns
        -------
        QRectF or None
            The paper rectangle inked, or None if the dot lies off the paper.
        """
        self.end_stroke()
        point = (float(point[0]), float(point[1]))
        self._active = [point]
        self._active_width = self._pen_width
        self._active_inked = False
        return self._ink_segment(point, point)

    def extend_stroke(self, point: Point) -> QRectF | None:
        """Draw the open stroke on to `point`; return the rectangle inked, if any."""
        if self._active is None:
            return None
        point = (float(point[0]), float(point[1]))
        last = self._active[-1]
        if point == last:
            return None
        self._active.append(point)
        return self._ink_segment(last, point)

    def end_stroke(self) -> bool:
        """Lift the pen; return whether the stroke became a new state of the drawing."""
        if self._active is None:
            return False
        stroke = Stroke(points=tuple(self._active), width=self._active_width)
        self._active = None
        if not self._active_inked:
            return False
        self._push(self.current.adding(stroke))
        self._remember_raster()
        return True

    def draw_strokes(self, strokes: Iterable[StrokePoints]) -> bool:
        """Draw whole strokes with the current pen, as a person would, one by one.

        Returns
        -------
        bool
            Whether any of them inked the paper.
        """
        inked = False
        # One painter for all the segments, and one copy into the raster at
        # the end: the same pixels as a painter per segment (a test checks),
        # five times faster.
        self._batch = self._painter()
        try:
            for points in strokes:
                remaining = iter(points)
                first = next(remaining, None)
                if first is None:
                    continue
                self.begin_stroke(first)
                for point in remaining:
                    self.extend_stroke(point)
                inked |= self.end_stroke()
        finally:
            self._batch.end()
            self._batch = None
            np.copyto(self._ink, self._pixels[..., 3])
        return inked

    # -- history ------------------------------------------------------------------

    @property
    def current(self) -> Drawing:
        """The state shown, without the stroke still being drawn."""
        return self._history[self._position]

    def strokes_now(self) -> tuple[Stroke, ...] | None:
        """Return the strokes in drawing order, the open one last; None on an image."""
        if self.current.background is not None:
            return None
        if self._active is None or not self._active_inked:
            return self.current.strokes
        return (*self.current.strokes, Stroke(tuple(self._active), self._active_width))

    def can_undo(self) -> bool:
        """Return whether there is a state to go back to (an inking stroke counts)."""
        return self._position > 0 or (self._active is not None and self._active_inked)

    def can_redo(self) -> bool:
        """Return whether there is an undone state to go forward to."""
        return self._position < len(self._history) - 1

    def undo(self) -> bool:
        """Go back one state (ending an open stroke first); return whether it did."""
        self.end_stroke()
        if self._position == 0:
            return False
        self._position -= 1
        self._render_current()
        return True

    def redo(self) -> bool:
        """Go forward one undone state; return whether it did."""
        self.end_stroke()
        if not self.can_redo():
            return False
        self._position += 1
        self._render_current()
        return True

    def clear(self) -> bool:
        """Remove all ink as one undoable step; return False on empty paper."""
        self.end_stroke()
        if self.is_empty():
            return False
        self._push(EMPTY)
        self._render_current()
        return True

    def set_image(self, ink: np.ndarray) -> None:
        """Replace the drawing with an image, as one undoable step.

        The image is scaled smoothly, keeping its aspect ratio, to fit inside a
        margin of ``IMAGE_MARGIN`` pixels, centred. It becomes the background,
        with no strokes; drawing can go on on top of it.

        Parameters
        ----------
        ink : np.ndarray
            2-D uint8 array of any size, ink 255 on background 0.

        Raises
        ------
        ValueError
            If `ink` is not a non-empty 2-D uint8 array.
        """
        ink = np.asarray(ink)
        if ink.ndim != 2 or ink.size == 0 or ink.dtype != np.uint8:
            raise ValueError(
                "set_image expects a non-empty 2-D uint8 array, got "
                f"shape {ink.shape} and dtype {ink.dtype}"
            )
        self.end_stroke()
        self._push(Drawing(background=_fit_to_paper(ink)))
        self._render_current()

    def set_strokes(self, strokes: Sequence[Stroke]) -> None:
        """Replace the drawing with vector strokes, as one undoable step."""
        self.end_stroke()
        self._push(Drawing.of(None, strokes))
        self._render_current()
        self._remember_raster()

    # -- painting -------------------------------------------------------------------

    def _ink_segment(self, start: Point, end: Point) -> QRectF | None:
        """Ink one piece of the open stroke; None if it lies wholly off the paper."""
        width = self._active_width
        half = width / 2.0
        left, right = min(start[0], end[0]) - half, max(start[0], end[0]) + half
        top, bottom = min(start[1], end[1]) - half, max(start[1], end[1]) + half
        if right < 0 or bottom < 0 or left > PAPER_SIZE or top > PAPER_SIZE:
            return None
        if self._batch is not None:
            paint_segment(self._batch, start, end, width)
            self._active_inked = True  # the raster is updated when the batch ends
            return QRectF(left, top, right - left, bottom - top)
        painter = self._painter()
        paint_segment(painter, start, end, width)
        painter.end()
        # Antialiasing reaches at most one pixel beyond the pen's outline.
        rows = slice(
            max(0, math.floor(top) - 1), min(PAPER_SIZE, math.ceil(bottom) + 1)
        )
        cols = slice(
            max(0, math.floor(left) - 1), min(PAPER_SIZE, math.ceil(right) + 1)
        )
        np.copyto(self._ink[rows, cols], self._pixels[rows, cols, 3])
        self._active_inked = True
        return QRectF(left, top, right - left, bottom - top)

    def _painter(self) -> QPainter:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter

    def _render_current(self) -> None:
        """Redraw the whole raster from the current state, segment by segment."""
        _paint_state(self.current, self._snapshots, self._pixels, self._image)
        np.copyto(self._ink, self._pixels[..., 3])

    def _remember_raster(self) -> None:
        """Keep the raster of the current state if it is far from a kept one."""
        # From the 32-bit pixels, which a batch's painter has already inked
        # (Qt's raster engine paints at once) before the 8-bit copy is made.
        self._snapshots.keep_if_far(self.current, self._pixels[..., 3], _SNAPSHOT_EVERY)

    def _push(self, drawing: Drawing) -> None:
        """Make `drawing` the current state, dropping any redo states."""
        del self._history[self._position + 1 :]
        self._history.append(drawing)
        if len(self._history) > _MAX_HISTORY:
            self._keep_raster_of_second()
            del self._history[0]
        self._position = len(self._history) - 1
        self._snapshots.keep_only(self._history)

    def _keep_raster_of_second(self) -> None:
        """Before the oldest state is dropped, keep the next one's raster if needed.

        Rasters are kept only for states in the history; if the next state's
        nearest kept raster is the oldest one's, it gets its own, so undoing
        to it never re-paints the whole drawing.
        """
        first, second = self._history[0], self._history[1]
        if self._snapshots.nearest(second)[0] is not first:
            return
        pixels = np.zeros_like(self._pixels)
        image = QImage(
            pixels.data, PAPER_SIZE, PAPER_SIZE, 4 * PAPER_SIZE, _PIXEL_FORMAT
        )
        _paint_state(second, self._snapshots, pixels, image)
        self._snapshots.keep(second, pixels[..., 3])


def _paint_state(
    drawing: Drawing, snapshots: Snapshots, pixels: np.ndarray, image: QImage
) -> None:
    """Paint `drawing` into `pixels` (the memory of `image`).

    Starts from the nearest kept raster of a state it was built on, so at
    most about ``_SNAPSHOT_EVERY`` strokes are painted. The pixels are the
    same as painting every stroke on a blank page: a kept raster is exactly
    what painting its strokes gave, and the rest are painted on it in the
    same order.
    """
    start, raster = snapshots.nearest(drawing)
    if raster is not None:
        # White ink premultiplied by its level: every channel is the level.
        pixels[...] = raster[..., None]
    elif drawing.background is not None:
        pixels[...] = drawing.background[..., None]
    else:
        pixels.fill(0)
    strokes = drawing.strokes_since(start)
    if strokes:
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_strokes(painter, strokes)
        painter.end()


def _fit_to_paper(ink: np.ndarray) -> np.ndarray:
    """Scale an ink image into a read-only background raster for the paper."""
    height, width = ink.shape
    source = np.ascontiguousarray(ink)
    image = QImage(source.data, width, height, width, QImage.Format.Format_Grayscale8)
    box = PAPER_SIZE - 2 * IMAGE_MARGIN
    scaled = image.scaled(
        box,
        box,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    background = np.zeros((PAPER_SIZE, PAPER_SIZE), dtype=np.uint8)
    canvas = QImage(
        background.data,
        PAPER_SIZE,
        PAPER_SIZE,
        PAPER_SIZE,
        QImage.Format.Format_Grayscale8,
    )
    painter = QPainter(canvas)
    painter.drawImage(
        (PAPER_SIZE - scaled.width()) // 2,
        (PAPER_SIZE - scaled.height()) // 2,
        scaled,
    )
    painter.end()
    background.flags.writeable = False
    return background


def ink_picture(ink: np.ndarray) -> QImage:
    """Return ink (255 ink on 0 paper) as a picture of dark ink on white paper.

    The picture owns its pixels: `ink` may change or go once it is made.
    """
    paper = np.ascontiguousarray(255 - np.asarray(ink, dtype=np.uint8))
    height, width = paper.shape
    image = QImage(paper.data, width, height, width, QImage.Format.Format_Grayscale8)
    return image.copy()


def thumbnail(strokes: Iterable[StrokePoints], width: float, side: int) -> QImage:
    """Draw strokes small: a `side` pixels square picture, dark ink on light paper.

    The picture :func:`render` then :func:`ink_picture` give, scaled down to
    `side`, but drawn at that size with the pen scaled alike (antialiased
    round strokes), in about a quarter of the time: no full-size paper is inked.
    `width` is the pen's in paper pixels, clamped as the canvas's pen is.
    """
    pen = min(max(float(width), MIN_PEN_WIDTH), MAX_PEN_WIDTH)
    image = QImage(side, side, QImage.Format.Format_Grayscale8)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(side / PAPER_SIZE, side / PAPER_SIZE)
    for points in strokes:
        line = [QPointF(float(x), float(y)) for x, y in points]
        if not line:
            continue
        first = (line[0].x(), line[0].y())
        paint_segment(painter, first, first, pen)  # its round dot, as the canvas
        painter.setPen(ink_pen(pen))
        painter.drawPolyline(QPolygonF(line))
    painter.end()
    image.invertPixels()
    return image


def render(strokes: Iterable[StrokePoints], width: float) -> np.ndarray:
    """Draw strokes on a fresh paper with one pen, as the canvas would.

    Parameters
    ----------
    strokes : iterable of sequences of (x, y)
        Points in paper pixels, e.g. (n, 2) arrays; a stroke of one point is a
        round dot.
    width : float
        Pen width, in paper pixels (clamped as the canvas's pen is).

    Returns
    -------
    np.ndarray
        (PAPER_SIZE, PAPER_SIZE) uint8 raster, ink 255 on background 0,
        identical to the canvas's after the same strokes.
    """
    paper = Paper()
    paper.set_pen_width(width)
    paper.draw_strokes(strokes)
    return paper.ink
