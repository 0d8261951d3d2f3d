"""A figure for slides: the drawing, the reading and a view, titled, without controls.

A :class:`Figure` is laid out once and painted on any device: a PNG at
twice the screen's resolution (:func:`figure_image`), an SVG
(:func:`figure_svg`) or a PDF (:func:`figure_pdf`). Widgets are painted
through :meth:`QWidget.render` with their buttons, sliders and other
controls left out, so a figure shows only what the network computed.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPoint,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QTabBar,
    QWidget,
)

__all__ = ["CONTROLS", "Figure", "figure_image", "figure_pdf", "figure_svg"]

#: The kinds of widget a figure leaves out: what a person clicks, not what is shown.
CONTROLS: tuple[type[QWidget], ...] = (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QTabBar,
)

_MARGIN = 24
_GAP = 20
_TITLE = 44
_LEFT = 360
_LINE = 22


@dataclass
class Figure:
    """What a figure holds, and where each part goes.

    Attributes
    ----------
    title : str
        The figure's title (what view it shows).
    drawing : QImage
        The drawing, as shown on the canvas.
    reading : list of str
        The reading in words, a line each.
    beside_drawing : QWidget or None
        A widget shown under the reading (the probabilities).
    view : QWidget or None
        The view shown, painted at its size on screen.
    left_out : tuple of type
        Widgets of these kinds are not painted.
    """

    title: str
    drawing: QImage
    reading: list[str]
    beside_drawing: QWidget | None = None
    view: QWidget | None = None
    left_out: tuple[type[QWidget], ...] = field(default=CONTROLS)

    def size(self) -> QSize:
        """Return the figure's size in logical pixels (points, for a PDF)."""
        left = _LEFT + _LINE * len(self.reading) + _GAP
        if self.beside_drawing is not None:
            left += self._chart_height() + _GAP
        view = self.view.size() if self.view is not None else QSize(0, 0)
        width = _MARGIN + _LEFT + (_GAP + view.width() if view.width() else 0)
        height = _TITLE + max(left, view.height())
        return QSize(width + _MARGIN, height + _MARGIN)

    def drawing_rect(self) -> QRect:
        """Return where the drawing is painted, in logical pixels."""
        return QRect(_MARGIN, _TITLE, _LEFT, _LEFT)

    def view_origin(self) -> QPoint:
        """Return where the view's top-left corner is painted."""
        return QPoint(_MARGIN + _LEFT + _GAP, _TITLE)

    def _chart_height(self) -> int:
        """Height of the chart under the reading: its shape on screen, at the width."""
        chart = self.beside_drawing
        if chart is None or chart.width() <= 0:
            return 0
        return min(_LEFT, round(_LEFT * chart.height() / chart.width()))

    def paint(self, painter: QPainter) -> None:
        """Paint the figure on `painter`, in logical pixels from (0, 0)."""
        palette = (self.view or QApplication.instance()).palette()  # type: ignore[union-attr]
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.WindowText)
        size = self.size()
        painter.fillRect(QRect(QPoint(0, 0), size), background)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        font = QFont(painter.font())
        font.setPixelSize(20)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text)
        painter.drawText(
            QRectF(_MARGIN, 8, size.width() - 2 * _MARGIN, _TITLE - 12),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.title,
        )
        box = self.drawing_rect()
        painter.drawImage(QRectF(box), self.drawing)
        painter.setPen(QColor(text.red(), text.green(), text.blue(), 120))
        painter.drawRect(box)
        font.setPixelSize(16)
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(text)
        y = box.bottom() + 8
        for line in self.reading:
            painter.drawText(
                QRectF(_MARGIN, y, _LEFT, _LINE),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            y += _LINE
        if self.beside_drawing is not None:
            self._render(
                painter,
                self.beside_drawing,
                QRect(_MARGIN, y + _GAP // 2, _LEFT, self._chart_height()),
            )
        if self.view is not None:
            self._render(
                painter, self.view, QRect(self.view_origin(), self.view.size())
            )

    def _render(self, painter: QPainter, widget: QWidget, where: QRect) -> None:
        """Paint `widget`, its controls left out, scaled into `where`."""
        size = widget.size()
        if size.isEmpty():
            return
        scale = min(where.width() / size.width(), where.height() / size.height())
        painter.save()
        painter.translate(where.topLeft())
        painter.scale(scale, scale)
        with _controls_hidden(widget, self.left_out):
            widget.render(painter, QPoint(0, 0))
        painter.restore()


@contextmanager
def _controls_hidden(widget: QWidget, kinds: Sequence[type[QWidget]]) -> Iterator[None]:
    """Hide `widget`'s visible controls while painting; show them again after.

    They are shown again before the window lays itself out anew, so the
    screen never changes; the focus goes back where it was.
    """
    focus = QApplication.focusWidget()
    hidden = [
        child
        for child in widget.findChildren(QWidget)
        if isinstance(child, tuple(kinds)) and child.isVisible()
    ]
    for child in hidden:
        child.setVisible(False)
    try:
        yield
    finally:
        for child in hidden:
            child.setVisible(True)
        if focus is not None and QApplication.focusWidget() is not focus:
            focus.setFocus()


def figure_image(figure: Figure, scale: float = 2.0) -> QImage:
    """Return the figure as an image at `scale` times its logical size."""
    size = figure.size()
    image = QImage(
        round(size.width() * scale),
        round(size.height() * scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        figure.paint(painter)
    finally:
        painter.end()
    return image


def figure_svg(figure: Figure) -> bytes:
    """Return the figure as an SVG document."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    size = figure.size()
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(0, 0), size))
    generator.setTitle(figure.title)
    generator.setDescription("\n".join(figure.reading))
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(errno.EINVAL, "the figure could not be made into an SVG")
    try:
        figure.paint(painter)
    finally:
        painter.end()
    return bytes(buffer.data().data())


def figure_pdf(figure: Figure) -> bytes:
    """Return the figure as a one-page PDF, one point per logical pixel."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    size = figure.size()
    writer = QPdfWriter(buffer)
    writer.setResolution(72)
    writer.setTitle(figure.title)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QSizeF(size), QPageSize.Unit.Point),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(errno.EINVAL, "the figure could not be made into a PDF")
    try:
        figure.paint(painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
