"""Boxes around the digits read on the canvas, each tagged with its reading.

A :class:`DigitBoxes` lies over a :class:`DrawingCanvas`, the same size. It
draws a frame around each digit of a number, in paper pixels mapped to the
widget as the canvas maps them, with a tag above it naming the digit; the
digit the views show is framed boldly. Only the tags take the mouse (a click
on one chooses that digit); everywhere else the pen goes through to the
canvas underneath.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QRegion
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.widgets.drawing_canvas import DrawingCanvas

__all__ = ["DigitBoxes"]

Box = tuple[int, int, int, int]


class DigitBoxes(QWidget):
    """Frames and tags for the digits of a number, over the canvas.

    Parameters
    ----------
    canvas : DrawingCanvas
        The canvas to lie over; the boxes follow its size.
    """

    digitChosen = Signal(int)
    """A tag was clicked: the index of its digit, left to right."""

    _TAG = 22  # tag height in widget pixels

    def __init__(self, canvas: DrawingCanvas) -> None:
        super().__init__(canvas)
        self._canvas = canvas
        self._boxes: list[Box] = []
        self._labels: list[str] = []
        self._chosen = 0
        self._unsure = False
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click a digit's tag (or use Tab / arrow keys) to show it")
        canvas.installEventFilter(self)
        self.setGeometry(canvas.rect())
        self._update_mask()

    def set_boxes(
        self, boxes: list[Box], labels: list[str], chosen: int, unsure: bool
    ) -> None:
        """Show boxes (paper pixels) with their tags; an empty list hides them."""
        self._boxes, self._labels = list(boxes), list(labels)
        self._chosen, self._unsure = chosen, unsure
        self.setVisible(len(self._boxes) > 1)
        self._update_mask()
        self.update()

    def boxes(self) -> list[Box]:
        """Return the boxes shown, in paper pixels."""
        return list(self._boxes)

    def tag_rect(self, index: int) -> QRect:
        """Where the tag of digit `index` is, in widget pixels.

        Above its frame and as wide; where frames overlap (digits that
        touch), a tag ends where the next frame begins and starts after the
        tag before it, so every tag stays in sight (never narrower than it
        is tall).
        """
        frames = [self._frame(box) for box in self._boxes]
        after = -self._TAG  # where the tag before ends
        for k, frame in enumerate(frames[: index + 1]):
            left = max(int(frame.left()), after + 2)
            end = int(frame.right())
            if k + 1 < len(frames):
                end = min(end, int(frames[k + 1].left()) - 2)
            width = max(self._TAG, end - left)
            after = left + width
        top = max(0, int(frames[index].top()) - self._TAG)
        return QRect(left, top, width, self._TAG)

    def _frame(self, box: Box) -> QRectF:
        paper = self._canvas.paper_rect()
        scale = paper.width() / self._canvas.PAPER_SIZE
        x0, y0, x1, y1 = box
        return QRectF(
            paper.x() + x0 * scale,
            paper.y() + y0 * scale,
            (x1 - x0) * scale,
            (y1 - y0) * scale,
        )

    def _update_mask(self) -> None:
        region = QRegion()
        for index, box in enumerate(self._boxes):
            # The tag takes clicks; the frame's thin outline only shows.
            frame = self._frame(box).toAlignedRect()
            outline = QRegion(frame.adjusted(-2, -2, 2, 2)).subtracted(
                QRegion(frame.adjusted(2, 2, -2, -2))
            )
            region = region.united(QRegion(self.tag_rect(index))).united(outline)
        if region.isEmpty():
            region = QRegion(0, 0, 1, 1)
        self.setMask(region)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Follow the canvas's size."""
        if watched is self._canvas and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._canvas.rect())
            self._update_mask()
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Choose the digit whose tag (or frame) was clicked."""
        point = event.position().toPoint()
        for index, box in enumerate(self._boxes):
            frame = self._frame(box).toAlignedRect().adjusted(-2, -2, 2, 2)
            if self.tag_rect(index).contains(point) or frame.contains(point):
                self.digitChosen.emit(index)
                event.accept()
                return
        event.ignore()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Draw each digit's frame and tag; the chosen one bold."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = QColor(230, 120, 20) if self._unsure else QColor(30, 136, 229)
        for index, box in enumerate(self._boxes):
            chosen = index == self._chosen
            pen = QPen(accent, 3.0 if chosen else 1.5)
            if not chosen:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._frame(box))
            tag = self.tag_rect(index)
            painter.setPen(Qt.PenStyle.NoPen)
            fill = QColor(accent)
            fill.setAlpha(255 if chosen else 150)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(tag), 4.0, 4.0)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, self._labels[index])
        painter.end()
