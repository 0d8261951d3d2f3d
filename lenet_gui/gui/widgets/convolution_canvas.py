"""A unit's window on the maps below, painted: the maps, the grids, the sum."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_gui.gui.widgets.window_painter import WindowPainter
from lenet_gui.gui.widgets.window_sum_text import WindowNumbers, sum_lines

__all__ = ["ConvolutionCanvas", "WindowNumbers"]


class ConvolutionCanvas(QWidget):
    """Paints a unit's window: the maps it reads, x, w, x·w and the sum.

    Top: the maps read, the window framed on each, lines to the unit in its
    output map. Middle: the numbers of one map read (the focused one), inputs
    x, weights w and products x·w, each a grid coloured by sign. Bottom: the
    sum, the bias, the squashing and the value, in words and numbers.
    Everything scales with the widget, for a projector.

    Parameters
    ----------
    amplitude : float
        The squashing amplitude: maps are coloured on a fixed ±amplitude scale.
    parent : QWidget, optional
        The parent widget.
    """

    moveRequested = Signal(int, int)
    """Move the window by (rows, columns): the arrow keys."""
    playToggled = Signal()
    """Play or pause: the space bar."""
    placeChosen = Signal(int, int)
    """Put the window at (row, column) of the output map: a click on a map."""
    focusChosen = Signal(int)
    """Show the numbers of map read number k: a click on that map."""

    HIGHLIGHT = QColor(255, 64, 160)
    """The window's frames and lines: the input view's frame of a hovered unit."""
    EMPTY_TEXT = "Draw a digit, or pick an example, to see this unit's numbers."
    """Shown while there is nothing to compute."""

    def __init__(self, amplitude: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The chosen unit's sum, in numbers")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 240)
        self._amplitude = amplitude
        lut = pg.colormap.get("CET-D1").getLookupTable(nPts=256, alpha=False)
        self._lut = np.asarray(lut, dtype=np.uint8)
        self._step: WindowNumbers | None = None
        self._focus = 0
        self._switched_off = False
        self._images: list[tuple[QImage, np.ndarray]] = []
        self._output_image: tuple[QImage, np.ndarray] | None = None
        self._painter: WindowPainter | None = None

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(760, 520)

    # -- what is shown ------------------------------------------------------------

    def set_step(
        self, step: WindowNumbers | None, focus: int = 0, switched_off: bool = False
    ) -> None:
        """Show a unit's window (None: nothing to show), the numbers of map `focus`."""
        self._step = step
        self._switched_off = switched_off
        if step is None:
            self._images, self._output_image = [], None
        else:
            self._focus = min(max(focus, 0), len(step.maps) - 1)
            self._images = [self._image(m) for m in step.sources]
            self._output_image = self._image(step.output)
        self.update()

    @property
    def step(self) -> WindowNumbers | None:
        """The window shown, or None."""
        return self._step

    @property
    def focus(self) -> int:
        """Which map read has its numbers shown (its place in ``step.maps``)."""
        return self._focus

    @property
    def source_rects(self) -> list[QRectF]:
        """Where each map read was last painted (for clicks, and tests)."""
        return [] if self._painter is None else self._painter.source_rects

    @property
    def output_rect(self) -> QRectF:
        """Where the unit's output map was last painted."""
        return QRectF() if self._painter is None else self._painter.output_rect

    def grid_numbers(self) -> tuple[QFont, int, tuple[float, float]] | None:
        """Return the grids' font, decimals and cell (width, height) last painted."""
        return None if self._painter is None else self._painter.numbers

    def texts(self) -> list[str]:
        """Return every line of the sum as shown under the grids."""
        if self._step is None:
            return [self.EMPTY_TEXT]
        return sum_lines(self._step, self._switched_off)

    # -- painting ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102, N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        step = self._step
        if step is None:
            painter.setPen(text)
            painter.setFont(self._font(18))
            painter.drawText(
                QRectF(self.rect()).adjusted(12, 0, -12, 0),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.EMPTY_TEXT,
            )
            painter.end()
            return
        assert self._output_image is not None
        positive, negative = self._sign_colors()
        self._painter = WindowPainter(
            base=self.font(),
            text=text,
            highlight=self.HIGHLIGHT,
            positive=positive,
            negative=negative,
            grid=palette.color(QPalette.ColorRole.Mid),
            background=palette.color(QPalette.ColorRole.Base),
            images=[image for image, _ in self._images],
            output=self._output_image[0],
            focus=self._focus,
        )
        area = QRectF(self.rect()).adjusted(8, 6, -8, -6)
        self._painter.paint(painter, step, self.texts(), area)
        painter.end()

    # -- the person's hands ----------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: D102, N802
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        key = Qt.Key(event.key())
        if key in moves:
            self.moveRequested.emit(*moves[key])
        elif key == Qt.Key.Key_Space:
            self.playToggled.emit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: D102, N802
        self.setFocus()
        step = self._step
        if step is None:
            return
        where = event.position()
        for k, target in enumerate(self.source_rects):
            if target.contains(where):
                self.focusChosen.emit(k)
                side = step.sources.shape[-1]
                # The window centred on the place clicked, kept on the map.
                row = int((where.y() - target.top()) / target.height() * side)
                col = int((where.x() - target.left()) / target.width() * side)
                stride = step.size if step.coefficient is not None else 1
                places = max(step.output.shape[0], 1)
                offset = 0 if stride > 1 else step.size // 2
                self.placeChosen.emit(
                    min(max((row - offset) // stride, 0), places - 1),
                    min(max((col - offset) // stride, 0), places - 1),
                )
                return
        moves = step.sources.shape[-1] > step.size  # C5's window fills its maps
        if self.output_rect.contains(where) and moves:
            rows, cols = step.output.shape
            self.placeChosen.emit(
                int(
                    (where.y() - self.output_rect.top())
                    / self.output_rect.height()
                    * rows
                ),
                int(
                    (where.x() - self.output_rect.left())
                    / self.output_rect.width()
                    * cols
                ),
            )

    # -- private ---------------------------------------------------------------

    def _image(self, values: np.ndarray) -> tuple[QImage, np.ndarray]:
        """Colour a map on the fixed ±amplitude scale; NaN takes the background."""
        scaled = (np.nan_to_num(values, nan=0.0) / self._amplitude + 1) / 2
        index = np.clip(np.rint(scaled * 255), 0, 255).astype(np.intp)
        rgb = np.ascontiguousarray(self._lut[index])
        background = self.palette().color(QPalette.ColorRole.Base)
        rgb[np.isnan(values)] = (
            background.red(),
            background.green(),
            background.blue(),
        )
        rows, cols = values.shape
        image = QImage(rgb.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888)
        return image, rgb  # the array keeps the image's pixels alive

    def _sign_colors(self) -> tuple[QColor, QColor]:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        if dark:
            return QColor(255, 120, 100), QColor(110, 170, 255)
        return QColor(190, 30, 30), QColor(20, 80, 200)

    def _font(self, pixels: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(int(pixels), 9))
        font.setBold(bold)
        return font
