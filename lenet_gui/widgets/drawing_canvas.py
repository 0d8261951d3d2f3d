"""A square paper on which a person draws a digit with the mouse or a tablet pen."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
    qRgb,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

_Point = tuple[float, float]


@dataclass(frozen=True)
class _Stroke:
    """One pen stroke in paper coordinates."""

    points: tuple[_Point, ...]
    width: float


@dataclass(frozen=True)
class _Document:
    """An immutable drawing: an optional background raster and the strokes on it."""

    background: np.ndarray | None
    strokes: tuple[_Stroke, ...]


_EMPTY = _Document(background=None, strokes=())


def ink_pen(width: float) -> QPen:
    """Return the pen strokes are drawn with on the paper raster: full ink, round.

    Parameters
    ----------
    width : float
        Pen width, in paper pixels.
    """
    return QPen(
        QColor(255, 255, 255),
        width,
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )


def ink_dot(painter: QPainter, centre: tuple[float, float], width: float) -> None:
    """Paint the round dot a pen leaves where it touches down without moving.

    Parameters
    ----------
    painter : QPainter
        A painter on the paper raster; its pen and brush are changed.
    centre : tuple of float
        Where the pen touched, in paper pixels.
    width : float
        Pen width, in paper pixels: the dot's diameter.
    """
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255))
    painter.drawEllipse(QPointF(*centre), width / 2.0, width / 2.0)


def _mix(paper: QColor, ink: QColor, t: float) -> int:
    """Return the ``qRgb`` a fraction ``t`` of the way from paper to ink."""
    return qRgb(
        round(paper.red() + (ink.red() - paper.red()) * t),
        round(paper.green() + (ink.green() - paper.green()) * t),
        round(paper.blue() + (ink.blue() - paper.blue()) * t),
    )


class DrawingCanvas(QWidget):
    """A square paper to draw a digit on, with undo and redo.

    The drawing lives on a fixed ``PAPER_SIZE`` x ``PAPER_SIZE`` greyscale raster
    (ink 255 on 0) that the widget shows scaled to fit, so resizing the widget never
    changes the drawing. Strokes are also kept as vectors, together with an optional
    background image, in a stack of immutable states that undo and redo walk.

    Parameters
    ----------
    parent : QWidget, optional
        The parent widget.
    """

    drawingChanged = Signal()
    """Emitted whenever the drawing changes: ink added, stroke finished, clear, undo,
    redo or a new image."""
    penWidthChanged = Signal(float)
    """Emitted with the new pen width, in paper pixels, when it changes."""
    undoAvailableChanged = Signal(bool)
    """Emitted when :meth:`can_undo` changes."""
    redoAvailableChanged = Signal(bool)
    """Emitted when :meth:`can_redo` changes."""

    PAPER_SIZE = 448
    """Side of the square paper raster, in pixels."""
    DEFAULT_PEN_WIDTH = 24.0
    """Pen width, in paper pixels, of a new canvas."""
    MIN_PEN_WIDTH = 4.0
    """Smallest pen width, in paper pixels."""
    MAX_PEN_WIDTH = 64.0
    """Largest pen width, in paper pixels."""
    IMAGE_MARGIN = 56
    """Free border, in paper pixels, around an image given to :meth:`set_image`."""

    # Paper stays light whatever the theme, like real paper; ink is near black.
    _PAPER_COLOR = QColor(252, 252, 249)
    _INK_COLOR = QColor(24, 24, 28)
    _BORDER_COLOR = QColor(0, 0, 0, 80)
    # Free space, in widget pixels, kept around the paper so its border shows.
    _FRAME = 4
    # Old states beyond this many are dropped so a long session cannot grow forever.
    _MAX_HISTORY = 500

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Drawing canvas")

        size = self.PAPER_SIZE
        # One buffer, three views: numpy for to_array(), a Grayscale8 QImage to paint
        # ink into, and an Indexed8 QImage whose colour table turns ink into dark
        # strokes on light paper for display, so nothing is converted per frame.
        self._ink = np.zeros((size, size), dtype=np.uint8)
        self._paper = QImage(
            self._ink.data, size, size, size, QImage.Format.Format_Grayscale8
        )
        self._display = QImage(
            self._ink.data, size, size, size, QImage.Format.Format_Indexed8
        )
        self._display.setColorTable(
            [_mix(self._PAPER_COLOR, self._INK_COLOR, i / 255) for i in range(256)]
        )

        self._pen_width = self.DEFAULT_PEN_WIDTH
        self._history: list[_Document] = [_EMPTY]
        self._position = 0
        self._active_points: list[_Point] | None = None
        self._active_width = self._pen_width
        self._active_inked = False
        self._undo_available = False
        self._redo_available = False

    # ------------------------------------------------------------------ public API

    def pen_width(self) -> float:
        """Return the pen width.

        Returns
        -------
        float
            Width of new strokes, in paper pixels.
        """
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        """Set the width of new strokes.

        Parameters
        ----------
        width : float
            Width in paper pixels; clamped to ``MIN_PEN_WIDTH..MAX_PEN_WIDTH``.

        Raises
        ------
        ValueError
            If `width` is not a finite number.
        """
        width = float(width)
        if not math.isfinite(width):
            raise ValueError(f"pen width must be finite, got {width}")
        width = min(max(width, self.MIN_PEN_WIDTH), self.MAX_PEN_WIDTH)
        if width != self._pen_width:
            self._pen_width = width
            self.penWidthChanged.emit(width)

    def can_undo(self) -> bool:
        """Return whether there is a state to go back to."""
        return self._position > 0 or (
            self._active_points is not None and self._active_inked
        )

    def can_redo(self) -> bool:
        """Return whether there is an undone state to go forward to."""
        return self._position < len(self._history) - 1

    def is_empty(self) -> bool:
        """Return whether the paper holds no ink at all."""
        return not self._ink.any()

    def undo(self) -> None:
        """Go back to the previous state of the drawing, if there is one."""
        self._finish_stroke()
        if self._position == 0:
            return
        self._position -= 1
        self._show_current()

    def redo(self) -> None:
        """Go forward to the next undone state of the drawing, if there is one."""
        self._finish_stroke()
        if not self.can_redo():
            return
        self._position += 1
        self._show_current()

    def clear(self) -> None:
        """Remove all ink, as one undoable step; a no-op on an empty canvas."""
        self._finish_stroke()
        if self.is_empty():
            return
        self._push(_EMPTY)
        self._show_current()

    def set_image(self, ink: np.ndarray) -> None:
        """Replace the drawing with an image, as one undoable step.

        The image is scaled smoothly, keeping its aspect ratio, to fit the paper
        inside a margin of ``IMAGE_MARGIN`` pixels, centred. It becomes the
        background layer, with no strokes; drawing can go on on top of it.

        Parameters
        ----------
        ink : numpy.ndarray
            2-D ``uint8`` array of any size, ink 255 on background 0.

        Raises
        ------
        ValueError
            If `ink` is not a non-empty 2-D ``uint8`` array.
        """
        ink = np.asarray(ink)
        if ink.ndim != 2 or ink.size == 0 or ink.dtype != np.uint8:
            raise ValueError(
                "set_image expects a non-empty 2-D uint8 array, got "
                f"shape {ink.shape} and dtype {ink.dtype}"
            )
        self._finish_stroke()
        self._push(_Document(background=self._fit_to_paper(ink), strokes=()))
        self._show_current()

    def to_array(self) -> np.ndarray:
        """Return the paper as it is now.

        Returns
        -------
        numpy.ndarray
            A ``(PAPER_SIZE, PAPER_SIZE)`` ``uint8`` copy, ink 255 on background 0.
        """
        return self._ink.copy()

    def sizeHint(self) -> QSize:
        """Return a comfortable size to draw in."""
        return QSize(360, 360)

    def minimumSizeHint(self) -> QSize:
        """Return the smallest size a digit can still be drawn in."""
        return QSize(160, 160)

    # -------------------------------------------------------------------- events

    def paintEvent(self, event: QPaintEvent) -> None:
        """Show the paper, scaled to fit and centred, with a thin border."""
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        target = self._paper_rect()
        # Only the clip region is rasterised, so a small dirty rectangle stays cheap.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._display)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self._BORDER_COLOR, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a stroke on a left-button press."""
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._start_stroke(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Extend the stroke being drawn, if any."""
        # The stroke's own state, not event.buttons(), says whether ink flows: some
        # platforms deliver moves of a held button without the button flag.
        if self._active_points is None:
            event.ignore()
            return
        self._extend_stroke(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Finish the stroke on a left-button release."""
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        if self._active_points is not None:
            self._extend_stroke(event.position())
        self._finish_stroke()
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        """Draw with a tablet pen the way the mouse draws."""
        # Handled directly, and accepted, so a pen draws with its full sub-pixel
        # precision and Qt does not also synthesise mouse events for it.
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._start_stroke(event.position())
        elif kind == QEvent.Type.TabletMove:
            if self._active_points is not None:
                self._extend_stroke(event.position())
        elif kind == QEvent.Type.TabletRelease:
            if self._active_points is not None:
                self._extend_stroke(event.position())
            self._finish_stroke()
        event.accept()

    # ------------------------------------------------------------------- drawing

    def _paper_rect(self) -> QRectF:
        """Return where the paper is shown: the largest centred square that fits."""
        # Whole pixels keep the border crisp.
        side = max(1, min(self.width(), self.height()) - 2 * self._FRAME)
        return QRectF(
            (self.width() - side) // 2, (self.height() - side) // 2, side, side
        )

    def _to_paper(self, position: QPointF) -> _Point:
        """Map a widget position to paper coordinates (may lie off the paper)."""
        target = self._paper_rect()
        scale = self.PAPER_SIZE / target.width()
        return (
            (position.x() - target.x()) * scale,
            (position.y() - target.y()) * scale,
        )

    def _start_stroke(self, position: QPointF) -> None:
        self._finish_stroke()
        point = self._to_paper(position)
        self._active_points = [point]
        self._active_width = self._pen_width
        self._active_inked = False
        self._paint_segment(point, point, self._active_width)

    def _extend_stroke(self, position: QPointF) -> None:
        assert self._active_points is not None
        point = self._to_paper(position)
        last = self._active_points[-1]
        if point == last:
            return
        self._active_points.append(point)
        self._paint_segment(last, point, self._active_width)

    def _finish_stroke(self) -> None:
        """Commit the stroke being drawn, if any, as a new state."""
        if self._active_points is None:
            return
        stroke = _Stroke(points=tuple(self._active_points), width=self._active_width)
        inked = self._active_inked
        self._active_points = None
        if inked:
            current = self._history[self._position]
            self._push(
                _Document(
                    background=current.background,
                    strokes=(*current.strokes, stroke),
                )
            )
            self.drawingChanged.emit()
        self._update_history_flags()

    def _paint_segment(self, start: _Point, end: _Point, width: float) -> None:
        """Paint one piece of the live stroke and repaint only what it touched."""
        half = width / 2.0
        left, right = min(start[0], end[0]) - half, max(start[0], end[0]) + half
        top, bottom = min(start[1], end[1]) - half, max(start[1], end[1]) + half
        size = self.PAPER_SIZE
        if right < 0 or bottom < 0 or left > size or top > size:
            return
        painter = self._ink_painter()
        self._draw_segment(painter, start, end, width)
        painter.end()
        if not self._active_inked:
            self._active_inked = True
            self._update_history_flags()

        target = self._paper_rect()
        scale = target.width() / size
        dirty = QRectF(
            target.x() + left * scale,
            target.y() + top * scale,
            (right - left) * scale,
            (bottom - top) * scale,
        )
        # A couple of pixels more for antialiasing and smooth scaling at the edges.
        self.update(dirty.adjusted(-2, -2, 2, 2).intersected(target).toAlignedRect())
        self.drawingChanged.emit()

    def _ink_painter(self) -> QPainter:
        painter = QPainter(self._paper)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter

    @staticmethod
    def _draw_segment(
        painter: QPainter, start: _Point, end: _Point, width: float
    ) -> None:
        """Draw ink from `start` to `end`; a zero-length segment is a round dot.

        Live drawing and re-rendering both go through here, segment by segment,
        so a stroke looks exactly the same after undo and redo as when drawn.
        """
        if start == end:
            ink_dot(painter, start, width)
            return
        painter.setPen(ink_pen(width))
        painter.drawLine(QPointF(*start), QPointF(*end))

    def _render(self, document: _Document) -> None:
        """Redraw the whole paper from a state's background and vector strokes."""
        if document.background is None:
            self._ink.fill(0)
        else:
            np.copyto(self._ink, document.background)
        if document.strokes:
            painter = self._ink_painter()
            for stroke in document.strokes:
                first = stroke.points[0]
                self._draw_segment(painter, first, first, stroke.width)
                for start, end in zip(stroke.points, stroke.points[1:], strict=False):
                    self._draw_segment(painter, start, end, stroke.width)
            painter.end()

    def _fit_to_paper(self, ink: np.ndarray) -> np.ndarray:
        """Scale an ink image into a read-only background raster for the paper."""
        height, width = ink.shape
        source = np.ascontiguousarray(ink)
        image = QImage(
            source.data, width, height, width, QImage.Format.Format_Grayscale8
        )
        box = self.PAPER_SIZE - 2 * self.IMAGE_MARGIN
        scaled = image.scaled(
            box,
            box,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        background = np.zeros((self.PAPER_SIZE, self.PAPER_SIZE), dtype=np.uint8)
        canvas = QImage(
            background.data,
            self.PAPER_SIZE,
            self.PAPER_SIZE,
            self.PAPER_SIZE,
            QImage.Format.Format_Grayscale8,
        )
        painter = QPainter(canvas)
        painter.drawImage(
            (self.PAPER_SIZE - scaled.width()) // 2,
            (self.PAPER_SIZE - scaled.height()) // 2,
            scaled,
        )
        painter.end()
        background.flags.writeable = False
        return background

    # ------------------------------------------------------------------- history

    def _push(self, document: _Document) -> None:
        """Make `document` the current state, dropping any redo states."""
        del self._history[self._position + 1 :]
        self._history.append(document)
        if len(self._history) > self._MAX_HISTORY:
            del self._history[0]
        self._position = len(self._history) - 1

    def _show_current(self) -> None:
        self._render(self._history[self._position])
        self.update()
        self.drawingChanged.emit()
        self._update_history_flags()

    def _update_history_flags(self) -> None:
        undo, redo = self.can_undo(), self.can_redo()
        if undo != self._undo_available:
            self._undo_available = undo
            self.undoAvailableChanged.emit(undo)
        if redo != self._redo_available:
            self._redo_available = redo
            self.redoAvailableChanged.emit(redo)
