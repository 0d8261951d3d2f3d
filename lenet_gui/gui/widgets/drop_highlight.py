"""The drop target, highlighted while a file is dragged over the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

__all__ = ["DropHighlight"]


class DropHighlight(QWidget):
    """A frame and a caption over `target` while a usable file is dragged over `window`.

    It watches the window's drag events (it does not take them: the window
    still accepts the drop) and lets every mouse event through.

    Parameters
    ----------
    window : QWidget
        The window that takes drops; the highlight is its child.
    target : QWidget
        Where a dropped file lands (the canvas).
    accepts : callable
        Whether a drag's data would be opened.
    """

    CAPTION = "Drop to open the image on the canvas"

    def __init__(
        self,
        window: QWidget,
        target: QWidget,
        accepts: Callable[[QMimeData], bool],
    ) -> None:
        super().__init__(window)
        self.setObjectName("dropHighlight")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._window = window
        self._target = target
        self._accepts = accepts
        self.hide()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Show over the target on a usable drag; hide when it leaves or drops."""
        if watched is self._window:
            kind = event.type()
            if kind == QEvent.Type.DragEnter:
                assert isinstance(event, QDragEnterEvent)
                if self._accepts(event.mimeData()):
                    self._show_over_target()
            elif kind in (QEvent.Type.DragLeave, QEvent.Type.Drop):
                self.hide()
        return False

    def _show_over_target(self) -> None:
        target = self._target
        origin = target.mapTo(self._window, target.rect().topLeft())
        self.setGeometry(QRect(origin, target.size()))
        self.show()
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Paint a thick dashed frame in the highlight colour, and the caption."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        wash = QColor(colour)
        wash.setAlpha(40)
        painter.fillRect(self.rect(), wash)
        pen = QPen(colour, 4, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(3, 3, -3, -3), 8, 8)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(
            self.rect().adjusted(12, 12, -12, -12),
            Qt.AlignmentFlag.AlignHCenter
            | Qt.AlignmentFlag.AlignBottom
            | Qt.TextFlag.TextWordWrap,
            self.CAPTION,
        )
