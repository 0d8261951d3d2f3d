"""The 32x32 image the network actually receives, pixel for pixel."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QWidget


class NetworkInputView(pg.GraphicsLayoutWidget):
    """Shows the network's 32x32 input in greyscale with fixed levels.

    Thin outlines mark the central 28x28 frame (the MNIST image) and the 20x20
    box the digit is scaled into, so a person sees how the drawing was centred.

    Parameters
    ----------
    parent : QWidget, optional
        The parent widget.
    """

    SIZE = 32
    """Side of the network input, in pixels."""
    LEVELS = (-0.1, 1.175)
    """Input values shown as black and white: background and full ink."""
    FRAME_COLOR = QColor(255, 170, 0)
    """Outline colour of the central 28x28 frame."""
    BOX_COLOR = QColor(0, 170, 255)
    """Outline colour of the central 20x20 box."""
    FIELD_COLOR = QColor(255, 64, 160)
    """Outline colour of the patch a hovered feature-map unit sees."""

    # Qt sends palette changes while the base class is still being constructed.
    _built = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Network input image")
        # Each input pixel must show as a sharp square, never interpolated.
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        self.ci.setContentsMargins(4, 4, 4, 4)
        self.ci.setSpacing(2)

        self._title = self.addLabel(
            "Network input 32\N{MULTIPLICATION SIGN}32", size="10pt"
        )
        self.nextRow()
        self._view = self.addViewBox(
            lockAspect=True, invertY=True, enableMouse=False, enableMenu=False
        )
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setLevels(self.LEVELS)
        self._view.addItem(self._image)
        # The whole input's extent (coloured from the palette), so the square stays
        # visible while blank, then the 28x28 frame and the 20x20 box.
        self._extent = self._add_outline(0, QColor())
        self._add_outline(2, self.FRAME_COLOR)
        self._add_outline(6, self.BOX_COLOR)
        self._field = self._add_outline(0, self.FIELD_COLOR, width=2.0)
        self._field.setZValue(2)
        self._field.setVisible(False)
        self._view.setRange(QRectF(0, 0, self.SIZE, self.SIZE), padding=0.02)
        self._view.disableAutoRange()
        self.nextRow()
        self._caption = self.addLabel(size="8pt")

        self._buffer = np.empty((self.SIZE, self.SIZE), dtype=np.float32)
        self._apply_palette()
        self._built = True

    def set_input(self, x: np.ndarray | None) -> None:
        """Show a new network input, or nothing.

        Parameters
        ----------
        x : numpy.ndarray or None
            The ``(32, 32)`` float input (background -0.1, ink 1.175); a leading
            batch and channel axis of size 1 each are accepted. None blanks the
            view.

        Raises
        ------
        ValueError
            If `x` does not hold a 32x32 image.
        """
        if x is None:
            self._image.clear()
            return
        array = np.asarray(x)
        if array.size != self.SIZE * self.SIZE or array.shape[-2:] != (
            self.SIZE,
            self.SIZE,
        ):
            raise ValueError(
                f"expected a {self.SIZE}x{self.SIZE} input, got shape {array.shape}"
            )
        # Copied into a buffer the view owns, so the caller may reuse its array.
        np.copyto(self._buffer, array.reshape(self.SIZE, self.SIZE))
        self._image.setImage(self._buffer, autoLevels=False, levels=self.LEVELS)

    def set_field(self, field: tuple[int, int, int] | None) -> None:
        """Frame the square patch of the input that one unit sees, or none.

        Parameters
        ----------
        field : tuple of (int, int, int) or None
            ``(top, left, size)`` in input pixels; None removes the frame.
        """
        if field is None:
            self._field.setVisible(False)
            return
        top, left, size = field
        self._field.setRect(QRectF(left, top, size, size))
        self._field.setVisible(True)

    def field(self) -> tuple[int, int, int] | None:
        """Return the framed ``(top, left, size)``, or None if nothing is framed."""
        if not self._field.isVisible():
            return None
        rect = self._field.rect()
        return round(rect.top()), round(rect.left()), round(rect.width())

    def sizeHint(self) -> QSize:
        """Return a size that shows each input pixel as a few screen pixels."""
        return QSize(180, 210)

    def minimumSizeHint(self) -> QSize:
        """Return the smallest size at which the input is still recognisable."""
        return QSize(90, 110)

    def changeEvent(self, event: QEvent) -> None:
        """Follow palette changes, such as a switch between light and dark themes."""
        super().changeEvent(event)
        if self._built and event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _add_outline(
        self, margin: int, color: QColor, width: float = 1.0
    ) -> QGraphicsRectItem:
        side = self.SIZE - 2 * margin
        outline = QGraphicsRectItem(QRectF(margin, margin, side, side))
        pen = QPen(color, width)
        pen.setCosmetic(True)
        outline.setPen(pen)
        outline.setZValue(1)
        self._view.addItem(outline)
        return outline

    def _apply_palette(self) -> None:
        palette = self.palette()
        self.setBackground(palette.color(QPalette.ColorRole.Window))
        pen = self._extent.pen()
        pen.setColor(palette.color(QPalette.ColorRole.Mid))
        self._extent.setPen(pen)
        text = palette.color(QPalette.ColorRole.WindowText).name()
        self._title.setText(self._title.text, color=text)
        self._caption.setText(
            f'<span style="color:{self.FRAME_COLOR.name()}">\N{WHITE SQUARE}</span>'
            " 28\N{MULTIPLICATION SIGN}28 frame&nbsp;&nbsp;"
            f'<span style="color:{self.BOX_COLOR.name()}">\N{WHITE SQUARE}</span>'
            " 20\N{MULTIPLICATION SIGN}20 box",
            color=text,
        )
