"""How the step-through view paints a unit's window: maps, number grids, the sum."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from lenet_gui.gui.widgets.window_sum_text import (
    WindowNumbers,
    grid_text,
    landing_text,
)

__all__ = ["GridColors", "WindowPainter", "paint_number_grid", "paint_products"]

CENTER = Qt.AlignmentFlag.AlignCenter
WRAP = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


def fitted_font(base: QFont, texts: list[str], width: float, largest: float) -> QFont:
    """Return `base` at the largest pixel size up to `largest` where all `texts` fit.

    Never below 9 px: text that is still too wide is then elided by the caller.
    """
    font = QFont(base)
    size = max(int(largest), 9)
    while True:
        font.setPixelSize(size)
        metrics = QFontMetricsF(font)
        if size <= 9 or all(metrics.horizontalAdvance(t) <= width for t in texts):
            return font
        size -= 1


@dataclass(frozen=True)
class GridColors:
    """The font and colours of number grids: text, signs, cell lines."""

    base: QFont
    text: QColor
    positive: QColor
    negative: QColor
    grid: QColor
    background: QColor


def _mixed(base: QColor, tint: QColor, amount: float) -> QColor:
    """Return `base` with `amount` (0 to 1) of `tint` mixed in."""
    keep = 1.0 - amount
    return QColor(
        int(base.red() * keep + tint.red() * amount),
        int(base.green() * keep + tint.green() * amount),
        int(base.blue() * keep + tint.blue() * amount),
    )


def paint_products(
    painter: QPainter,
    grids: tuple[np.ndarray, np.ndarray, np.ndarray],
    titles: list[str],
    band: QRectF,
    colors: GridColors,
) -> None:
    """Paint three (k, k) grids of numbers as ``x × w = x·w``, titled, in `band`."""
    k = grids[0].shape[0]
    operator = max(band.width() * 0.04, 14.0)
    title = max(14.0, band.height() * 0.11)
    cell = min((band.width() - 2 * operator) / (3 * k), (band.height() - title) / k)
    cell = min(cell, 90.0)
    used = 3 * k * cell + 2 * operator
    x = band.left() + (band.width() - used) / 2
    title_font = fitted_font(colors.base, titles, k * cell + operator, title * 0.72)
    for n, (values, heading) in enumerate(zip(grids, titles, strict=True)):
        area = QRectF(x, band.top() + title, k * cell, k * cell)
        painter.setPen(colors.text)
        painter.setFont(title_font)
        room = QRectF(
            area.left() - operator / 2, band.top(), area.width() + operator, title
        )
        elided = painter.fontMetrics().elidedText(
            heading, Qt.TextElideMode.ElideRight, int(room.width())
        )
        painter.drawText(room, CENTER, elided)
        paint_number_grid(painter, values, area, cell, colors)
        x = area.right()
        if n < 2:
            painter.setPen(colors.text)
            symbol = "\N{MULTIPLICATION SIGN}" if n == 0 else "="
            painter.setFont(
                fitted_font(colors.base, [symbol], operator, min(cell * 0.6, 40))
            )
            painter.drawText(
                QRectF(x, area.top(), operator, area.height()), CENTER, symbol
            )
            x += operator


def paint_number_grid(
    painter: QPainter,
    values: np.ndarray,
    area: QRectF,
    cell: float,
    colors: GridColors,
) -> None:
    """Paint a grid of numbers, each coloured by its sign on a faint tint."""
    texts = [grid_text(v, plus=False) for v in values.ravel()]
    font = fitted_font(colors.base, texts, cell * 0.9, min(cell * 0.32, 30))
    if font.pixelSize() <= 9:
        # Too narrow for two decimals: one, still readable.
        texts = [grid_text(v, 1, plus=False) for v in values.ravel()]
        font = fitted_font(colors.base, texts, cell * 0.92, min(cell * 0.32, 30))
    font.setBold(True)
    painter.setFont(font)
    for (r, c), value in np.ndenumerate(values):
        box = QRectF(area.left() + c * cell, area.top() + r * cell, cell, cell)
        sign = colors.positive if value > 0 else colors.negative
        # The sign's colour mixed into the background, opaque: blending a
        # translucent fill costs far more per cell.
        mix = min(abs(float(value)) / 2.0, 1.0) * 0.3
        painter.fillRect(box, _mixed(colors.background, sign, mix))
        painter.setPen(QPen(colors.grid, 1.0))
        painter.drawRect(box)
        shown = texts[r * values.shape[1] + c]
        zero = shown.strip("0.") == ""
        painter.setPen(colors.text if zero else sign)
        painter.drawText(box, CENTER, shown)


@dataclass
class WindowPainter:
    """Paints one unit's window with a painter, in the colours given.

    Attributes
    ----------
    base : QFont
        The widget's font, scaled for each part.
    text, highlight, positive, negative, grid, background : QColor
        Text; the window's frames and lines; positive and negative numbers;
        the lines between cells; what the cells are painted on.
    images : list of QImage
        The maps read, coloured; then `output`, the unit's output map.
    output : QImage
    focus : int
        Which map read has its numbers shown.
    """

    base: QFont
    text: QColor
    highlight: QColor
    positive: QColor
    negative: QColor
    grid: QColor
    background: QColor
    images: list[QImage]
    output: QImage
    focus: int
    source_rects: list[QRectF] = field(default_factory=list)
    output_rect: QRectF = field(default_factory=QRectF)

    def paint(
        self, painter: QPainter, step: WindowNumbers, lines: list[str], area: QRectF
    ) -> None:
        """Paint the maps, the grids and the sum's `lines` into `area`."""
        top = QRectF(area.left(), area.top(), area.width(), area.height() * 0.34)
        grids = QRectF(area.left(), top.bottom() + 4, area.width(), area.height() * 0.4)
        rest = area.bottom() - grids.bottom() - 4
        sums = QRectF(area.left(), grids.bottom() + 4, area.width(), rest)
        self.paint_maps(painter, step, top)
        self.paint_grids(painter, step, grids)
        self.paint_lines(painter, lines, sums)

    def paint_maps(self, painter: QPainter, step: WindowNumbers, band: QRectF) -> None:
        """Paint the maps read, the window framed on each, lines to the unit."""
        count = len(step.maps)
        per_row = min(count, 8)
        rows = -(-count // per_row)
        caption = max(12.0, band.height() * 0.1)
        label_rows = 2 if rows == 1 else 1
        output_width = min(band.height() * 1.05, band.width() * 0.3)
        room = band.width() - output_width - 30
        side = min(
            (band.height() - caption * label_rows * rows) / rows, room / per_row - 8
        )
        side = max(side, 12.0)
        self.source_rects = []
        names, sums = [], []
        for k in range(count):
            if step.below == "input":
                names.append("input")
            else:
                names.append(f"{step.below} map {step.maps[k]}")
            sigma = "\N{GREEK CAPITAL LETTER SIGMA} " if label_rows == 2 else ""
            sums.append(sigma + grid_text(step.map_sums[k]))
        painter.setFont(fitted_font(self.base, sums + names, side + 6, caption * 0.8))
        if (
            label_rows == 1
            or painter.fontMetrics().horizontalAdvance(names[0]) > side + 6
        ):
            names = [str(m) for m in step.maps] if step.below != "input" else names
        for k in range(count):
            r, c = divmod(k, per_row)
            x = band.left() + c * (side + 8)
            y = band.top() + r * (side + caption * label_rows)
            target = QRectF(x, y, side, side)
            self.source_rects.append(target)
            painter.drawImage(target, self.images[k])
            cell = side / step.sources.shape[-1]
            frame = QRectF(
                x + step.left * cell,
                y + step.top * cell,
                step.size * cell,
                step.size * cell,
            )
            focused = k == self.focus
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.highlight, 3.0 if focused else 1.5))
            painter.drawRect(frame)
            if focused:
                painter.setPen(QPen(self.highlight, 2.0))
                painter.drawRect(target.adjusted(-2, -2, 2, 2))
            painter.setPen(self.text)
            label = QRectF(x - 3, y + side, side + 6, caption)
            if label_rows == 2:
                painter.drawText(label, CENTER, names[k])
                label = label.translated(0, caption)
            painter.drawText(label, CENTER, sums[k])
        self._paint_output(painter, step, band, output_width, caption)

    def _paint_output(
        self,
        painter: QPainter,
        step: WindowNumbers,
        band: QRectF,
        width: float,
        caption: float,
    ) -> None:
        rows, cols = step.output.shape
        height = min(width * rows / cols, band.height() - caption)
        out = QRectF(
            band.right() - height * cols / rows,
            band.top(),
            height * cols / rows,
            height,
        )
        self.output_rect = out
        painter.drawImage(out, self.output)
        cell_w, cell_h = out.width() / cols, out.height() / rows
        row, col = step.landing
        unit = QRectF(
            out.left() + col * cell_w, out.top() + row * cell_h, cell_w, cell_h
        )
        painter.setPen(QPen(self.highlight, 1.2, Qt.PenStyle.DashLine))
        for k, target in enumerate(self.source_rects):
            cell = target.width() / step.sources.shape[-1]
            corner = QPointF(
                target.left() + (step.left + step.size) * cell,
                target.top() + (step.top + step.size / 2) * cell,
            )
            if k == self.focus or len(self.source_rects) <= 6:
                painter.drawLine(corner, unit.center())
        painter.setPen(QPen(self.highlight, 3.0))
        painter.drawRect(unit.adjusted(-1, -1, 1, 1))
        painter.setPen(self.text)
        landing = landing_text(step)
        label = QRectF(band.right() - width - 40, out.bottom(), width + 40, caption)
        painter.setFont(fitted_font(self.base, [landing], label.width(), caption * 0.8))
        painter.drawText(label, CENTER, landing)

    def paint_grids(self, painter: QPainter, step: WindowNumbers, band: QRectF) -> None:
        """Paint x, w and x·w of the focused map read, side by side."""
        focus = self.focus
        where = (
            "input" if step.below == "input" else f"{step.below} map {step.maps[focus]}"
        )
        last = step.size - 1
        titles = [
            f"x: {where}, rows {step.top}\N{EN DASH}{step.top + last}, "
            f"columns {step.left}\N{EN DASH}{step.left + last}",
            "w: coefficient" if step.coefficient is not None else "w: weights",
            "x\N{MIDDLE DOT}w: products",
        ]
        grids = (step.inputs[focus], step.weights[focus], step.products[focus])
        paint_products(painter, grids, titles, band, self.colors)

    @property
    def colors(self) -> GridColors:
        """The colours of the number grids."""
        return GridColors(
            self.base,
            self.text,
            self.positive,
            self.negative,
            self.grid,
            self.background,
        )

    def paint_lines(self, painter: QPainter, lines: list[str], band: QRectF) -> None:
        """Paint the sum's lines, as large as fits, wrapped when narrow."""
        painter.setPen(self.text)
        line_height = band.height() / max(len(lines), 1)
        font = QFont(self.base)
        size = int(min(line_height / 1.45, 30.0))
        while True:
            font.setPixelSize(max(size, 9))
            metrics = QFontMetricsF(font)
            fits = all(
                metrics.boundingRect(
                    QRectF(0, 0, band.width(), 1e6), int(WRAP), line
                ).height()
                <= line_height
                for line in lines
            )
            if fits or size <= 9:
                break
            size -= 1
        painter.setFont(font)
        for n, line in enumerate(lines):
            rect = QRectF(
                band.left(), band.top() + n * line_height, band.width(), line_height
            )
            painter.drawText(rect, WRAP, line)
