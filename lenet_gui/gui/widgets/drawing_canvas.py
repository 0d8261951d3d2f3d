"""A square paper on which a person draws a digit with the mouse or a tablet pen."""

from __future__ import annotations

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

from lenet_gui.drawing import paper as _paper
from lenet_gui.drawing.paper import Paper, Point, Stroke
from lenet_gui.gui.widgets.themed import ThemedWidget


def _mix(paper: QColor, ink: QColor, t: float) -> int:
    """Return the ``qRgb`` a fraction ``t`` of the way from paper to ink."""
    return qRgb(
        round(paper.red() + (ink.red() - paper.red()) * t),
        round(paper.green() + (ink.green() - paper.green()) * t),
        round(paper.blue() + (ink.blue() - paper.blue()) * t),
    )


class DrawingCanvas(ThemedWidget):
    """A square paper to draw a digit on, with undo and redo.

    The drawing lives on a :class:`~lenet_gui.drawing.paper.Paper`: a fixed
    ``PAPER_SIZE`` square greyscale raster (ink 255 on 0) with its strokes and
    their history. The canvas shows it scaled to fit, so resizing the widget
    never changes the drawing, and turns mouse and tablet events into strokes
    on it.

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

    PAPER_SIZE = _paper.PAPER_SIZE
    """Side of the square paper raster, in pixels."""
    DEFAULT_PEN_WIDTH = _paper.DEFAULT_PEN_WIDTH
    """Pen width, in paper pixels, of a new canvas."""
    MIN_PEN_WIDTH = _paper.MIN_PEN_WIDTH
    """Smallest pen width, in paper pixels."""
    MAX_PEN_WIDTH = _paper.MAX_PEN_WIDTH
    """Largest pen width, in paper pixels."""
    IMAGE_MARGIN = _paper.IMAGE_MARGIN
    """Free border, in paper pixels, around an image given to :meth:`set_image`."""

    # Paper stays light whatever the theme, like real paper; ink is near black.
    _PAPER_COLOR = QColor(252, 252, 249)
    _INK_COLOR = QColor(24, 24, 28)
    _BORDER_COLOR = QColor(0, 0, 0, 80)
    # Free space, in widget pixels, kept around the paper so its border shows.
    _FRAME = 4
    SIZE_HINT = QSize(360, 360)
    MINIMUM_SIZE_HINT = QSize(160, 160)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Drawing canvas")

        self._paper = Paper()
        # An Indexed8 view of the paper's own buffer, whose colour table turns ink
        # into dark strokes on light paper: nothing is converted per frame.
        size = self.PAPER_SIZE
        self._display = QImage(
            self._paper.ink.data, size, size, size, QImage.Format.Format_Indexed8
        )
        self._display.setColorTable(
            [_mix(self._PAPER_COLOR, self._INK_COLOR, i / 255) for i in range(256)]
        )
        self._undo_available = False
        self._redo_available = False

    # ------------------------------------------------------------------ public API

    @property
    def paper(self) -> Paper:
        """The paper drawn on: its raster, strokes and history."""
        return self._paper

    def pen_width(self) -> float:
        """Return the width of new strokes, in paper pixels."""
        return self._paper.pen_width

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
        before = self._paper.pen_width
        if self._paper.set_pen_width(width) != before:
            self.penWidthChanged.emit(self._paper.pen_width)

    def can_undo(self) -> bool:
        """Return whether there is a state to go back to."""
        return self._paper.can_undo()

    def can_redo(self) -> bool:
        """Return whether there is an undone state to go forward to."""
        return self._paper.can_redo()

    def is_empty(self) -> bool:
        """Return whether the paper holds no ink at all."""
        return self._paper.is_empty()

    def undo(self) -> None:
        """Go back to the previous state of the drawing, if there is one."""
        self._changed(self._end_stroke() | self._paper.undo())

    def redo(self) -> None:
        """Go forward to the next undone state of the drawing, if there is one."""
        self._changed(self._end_stroke() | self._paper.redo())

    def clear(self) -> None:
        """Remove all ink, as one undoable step; a no-op on an empty canvas."""
        self._changed(self._end_stroke() | self._paper.clear())

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
        self._end_stroke()
        self._paper.set_image(ink)
        self._changed(True)

    def set_strokes(self, strokes: list[Stroke]) -> None:
        """Replace the drawing with vector strokes, as one undoable step."""
        self._end_stroke()
        self._paper.set_strokes(strokes)
        self._changed(True)

    def to_array(self) -> np.ndarray:
        """Return the paper as it is now.

        Returns
        -------
        numpy.ndarray
            A ``(PAPER_SIZE, PAPER_SIZE)`` ``uint8`` copy, ink 255 on background 0.
        """
        return self._paper.to_array()

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
        self._begin_stroke(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Extend the stroke being drawn, if any."""
        # The stroke's own state, not event.buttons(), says whether ink flows: some
        # platforms deliver moves of a held button without the button flag.
        if not self._paper.drawing_stroke:
            event.ignore()
            return
        self._extend_stroke(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Finish the stroke on a left-button release."""
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._extend_stroke(event.position())
        self._end_stroke()
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        """Draw with a tablet pen the way the mouse draws."""
        # Handled directly, and accepted, so a pen draws with its full sub-pixel
        # precision and Qt does not also synthesise mouse events for it.
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin_stroke(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend_stroke(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._extend_stroke(event.position())
            self._end_stroke()
        event.accept()

    # ------------------------------------------------------------------- drawing

    def paper_rect(self) -> QRectF:
        """Return where the paper is shown in the widget, in widget pixels."""
        return self._paper_rect()

    def _paper_rect(self) -> QRectF:
        """Return where the paper is shown: the largest centred square that fits."""
        # Whole pixels keep the border crisp.
        side = max(1, min(self.width(), self.height()) - 2 * self._FRAME)
        return QRectF(
            (self.width() - side) // 2, (self.height() - side) // 2, side, side
        )

    def _to_paper(self, position: QPointF) -> Point:
        """Map a widget position to paper coordinates (may lie off the paper)."""
        target = self._paper_rect()
        scale = self.PAPER_SIZE / target.width()
        return (
            (position.x() - target.x()) * scale,
            (position.y() - target.y()) * scale,
        )

    def _begin_stroke(self, position: QPointF) -> None:
        self._end_stroke()
        self._inked(self._paper.begin_stroke(self._to_paper(position)))

    def _extend_stroke(self, position: QPointF) -> None:
        if self._paper.drawing_stroke:
            self._inked(self._paper.extend_stroke(self._to_paper(position)))

    def _end_stroke(self) -> bool:
        """Lift the pen; return whether that made a new state of the drawing."""
        if not self._paper.drawing_stroke:
            return False
        committed = self._paper.end_stroke()
        if committed:
            self.drawingChanged.emit()
        self._update_history_flags()
        return committed

    def _inked(self, rect: QRectF | None) -> None:
        """Repaint the part of the widget a piece of stroke inked, if any."""
        if rect is None:
            return
        target = self._paper_rect()
        scale = target.width() / self.PAPER_SIZE
        dirty = QRectF(
            target.x() + rect.x() * scale,
            target.y() + rect.y() * scale,
            rect.width() * scale,
            rect.height() * scale,
        )
        # A couple of pixels more for antialiasing and smooth scaling at the edges.
        self.update(dirty.adjusted(-2, -2, 2, 2).intersected(target).toAlignedRect())
        self._update_history_flags()
        self.drawingChanged.emit()

    def _changed(self, changed: bool) -> None:
        """Show a change of the whole drawing (undo, redo, clear, image)."""
        if changed:
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
