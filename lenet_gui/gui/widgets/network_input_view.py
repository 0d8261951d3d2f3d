"""The 32x32 image the network actually receives, pixel for pixel."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QVBoxLayout, QWidget

from lenet_gui.gui.widgets.coloured_image import ColouredImage
from lenet_gui.gui.widgets.still_pictures import keep_still_pictures
from lenet_gui.gui.widgets.themed import ThemedWidget


class NetworkInputView(ThemedWidget):
    """Shows the network's input in greyscale with fixed levels.

    Thin outlines mark the MNIST frame (28x28) and the box the digit is scaled
    into (20x20), so a person sees how the drawing was centred.

    Parameters
    ----------
    spec : NetworkSpec
        The network: its ``input_size``, input levels ``background`` and
        ``ink``, and MNIST's framing ``field`` and ``box``.
    parent : QWidget, optional
        The parent widget.
    """

    FRAME_COLOR = QColor(255, 170, 0)
    """Outline colour of the central 28x28 frame."""
    BOX_COLOR = QColor(0, 170, 255)
    """Outline colour of the central 20x20 box."""
    FIELD_COLOR = QColor(255, 64, 160)
    """Outline colour of the patch a hovered feature-map unit sees."""

    SIZE_HINT = QSize(180, 210)
    MINIMUM_SIZE_HINT = QSize(90, 110)

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Network input image")
        self._side = spec.input_size
        self._levels = (spec.background, spec.ink)
        self._field_side, self._box_side = spec.field, spec.box
        self._graphics = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._graphics)
        graphics = self._graphics
        # Each input pixel must show as a sharp square, never interpolated.
        graphics.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        graphics.ci.setContentsMargins(4, 4, 4, 4)
        graphics.ci.setSpacing(2)

        self._title = graphics.addLabel(
            f"Network input {self._side}\N{MULTIPLICATION SIGN}{self._side}",
            size="10pt",
        )
        graphics.nextRow()
        self._view = graphics.addViewBox(
            lockAspect=True, invertY=True, enableMouse=False, enableMenu=False
        )
        self._image = ColouredImage(levels=self._levels)
        self._view.addItem(self._image)
        # The whole input's extent (coloured from the palette), so the square stays
        # visible while blank, then the 28x28 frame and the 20x20 box.
        self._extent = self._add_outline(0, QColor())
        self._add_outline((self._side - self._field_side) // 2, self.FRAME_COLOR)
        self._add_outline((self._side - self._box_side) // 2, self.BOX_COLOR)
        self._field = self._add_outline(0, self.FIELD_COLOR, width=2.0)
        self._field.setZValue(2)
        self._field.setVisible(False)
        self._view.setRange(QRectF(0, 0, self._side, self._side), padding=0.02)
        self._view.disableAutoRange()
        graphics.nextRow()
        self._caption = graphics.addLabel(size="8pt")

        self._buffer = np.empty((self._side, self._side), dtype=np.float32)
        keep_still_pictures(graphics)
        self._finish_building()

    @property
    def graphics(self) -> pg.GraphicsLayoutWidget:
        """The pyqtgraph widget the input is drawn in (for pictures and tests)."""
        return self._graphics

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
        if array.size != self._side * self._side or array.shape[-2:] != (
            self._side,
            self._side,
        ):
            raise ValueError(
                f"expected a {self._side}x{self._side} input, got shape {array.shape}"
            )
        # Copied into a buffer the view owns, so the caller may reuse its array.
        np.copyto(self._buffer, array.reshape(self._side, self._side))
        self._image.setImage(self._buffer, autoLevels=False, levels=self._levels)

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

    def _add_outline(
        self, margin: int, color: QColor, width: float = 1.0
    ) -> QGraphicsRectItem:
        side = self._side - 2 * margin
        outline = QGraphicsRectItem(QRectF(margin, margin, side, side))
        pen = QPen(color, width)
        pen.setCosmetic(True)
        outline.setPen(pen)
        outline.setZValue(1)
        self._view.addItem(outline)
        return outline

    def _apply_palette(self) -> None:
        palette = self.palette()
        self._graphics.setBackground(palette.color(QPalette.ColorRole.Window))
        pen = self._extent.pen()
        pen.setColor(palette.color(QPalette.ColorRole.Mid))
        self._extent.setPen(pen)
        text = palette.color(QPalette.ColorRole.WindowText).name()
        self._title.setText(self._title.text, color=text)
        field, box = self._field_side, self._box_side
        times = "\N{MULTIPLICATION SIGN}"
        square = "\N{WHITE SQUARE}"
        self._caption.setText(
            f'<span style="color:{self.FRAME_COLOR.name()}">{square}</span>'
            f" {field}{times}{field} frame<br>"
            f'<span style="color:{self.BOX_COLOR.name()}">{square}</span>'
            f" {box}{times}{box} box",
            color=text,
        )
