"""How the step-through view paints a unit's window: maps, number grids, the sum."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
)

from lenet_gui.gui.widgets.window_sum_text import (
    WindowNumbers,
    grid_text,
    landing_text,
)

__all__ = ["GridColors", "WindowPainter", "paint_number_grid", "paint_products"]

CENTER = Qt.AlignmentFlag.AlignCenter
WRAP = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
FILL = 0.88
"""The share of a grid cell's width its number may take."""


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


def text_pixels(base: QFont) -> int:
    """Return the pixel size of the window's text: numbers are written no smaller."""
    return max(QFontInfo(base).pixelSize(), 9)


def cell_for_text(base: QFont, grids: tuple[np.ndarray, ...]) -> float:
    """Return the side of a grid cell that holds every number at the text's size."""
    font = QFont(base)
    font.setPixelSize(text_pixels(base))
    font.setBold(True)
    metrics = QFontMetricsF(font)
    widest = max(metrics.horizontalAdvance(t) for t in _texts(grids, 2))
    return widest / FILL


def _texts(grids: tuple[np.ndarray, ...], decimals: int) -> set[str]:
    """Return the numbers of `grids` as the grids write them, each once."""
    return {
        grid_text(v, decimals, plus=False)
        for grid in grids
        for v in np.asarray(grid).ravel()
    }


def title_height(base: QFont, band_height: float) -> float:
    """Return the height of a grid's title row: the text's size at least."""
    return max(14.0, band_height * 0.11, text_pixels(base) / 0.72)


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
) -> tuple[QFont, int, tuple[float, float]]:
    """Paint three (k, k) grids of numbers as ``x × w = x·w``, titled, in `band`.

    Return the numbers' font and decimals, and a cell's (width, height).

    Cells are square where there is room; where the band is short they are
    as tall as it allows and as wide as the numbers need at the window's
    text size, so the numbers keep that size while width allows.
    """
    k = grids[0].shape[0]
    # The × and = take what their sign needs, the numbers the rest.
    operator = max(min(band.width() * 0.04, text_pixels(colors.base) * 1.6), 14.0)
    title = title_height(colors.base, band.height())
    wide = min((band.width() - 2 * operator) / (3 * k), 90.0)
    high = min((band.height() - title) / k, 90.0)
    cell_h = min(wide, high)
    cell_w = min(wide, max(cell_h, cell_for_text(colors.base, grids)))
    used = 3 * k * cell_w + 2 * operator
    x = band.left() + (band.width() - used) / 2
    title_font = fitted_font(colors.base, titles, k * cell_w + operator, title * 0.72)
    numbers = number_font(grids, (cell_w, cell_h), colors.base)
    for n, (values, heading) in enumerate(zip(grids, titles, strict=True)):
        area = QRectF(x, band.top() + title, k * cell_w, k * cell_h)
        painter.setPen(colors.text)
        painter.setFont(title_font)
        left = max(area.left() - operator / 2, band.left())
        right = min(area.right() + operator / 2, band.right())
        room = QRectF(left, band.top(), right - left, title)
        elided = painter.fontMetrics().elidedText(
            heading, Qt.TextElideMode.ElideRight, int(room.width())
        )
        painter.drawText(room, CENTER, elided)
        paint_number_grid(painter, values, area, (cell_w, cell_h), colors, numbers)
        x = area.right()
        if n < 2:
            painter.setPen(colors.text)
            symbol = "\N{MULTIPLICATION SIGN}" if n == 0 else "="
            painter.setFont(
                fitted_font(colors.base, [symbol], operator, min(cell_h * 0.6, 40))
            )
            painter.drawText(
                QRectF(x, area.top(), operator, area.height()), CENTER, symbol
            )
            x += operator
    return numbers[0], numbers[1], (cell_w, cell_h)


def number_font(
    grids: tuple[np.ndarray, ...], cell: tuple[float, float], base: QFont
) -> tuple[QFont, int]:
    """Return the font and decimals of the numbers of `grids`, the same for all.

    `cell` is a cell's (width, height). The numbers are as large as the
    window's text where the cells allow (larger in large cells), so they
    grow with View › Larger Text. Bold with two decimals, else bold with
    one, else plain with one, whichever fits first; in the narrowest cells,
    plain with one decimal at the smallest size, which still fits the cell.
    """
    cell_w, cell_h = cell
    largest = max(min(min(cell_w, cell_h) * 0.32, 30), text_pixels(base))
    largest = min(largest, cell_h * 0.75)
    room = cell_w * FILL
    for decimals, bold in ((2, True), (1, True), (1, False)):
        font = QFont(base)
        font.setBold(bold)
        texts = _texts(grids, decimals)
        # Fitted to the widest number alone (a size at a time is costly for
        # 75 numbers), then checked for all of them.
        font.setPixelSize(max(int(largest), 9))
        metrics = QFontMetricsF(font)
        widest = max(texts, key=metrics.horizontalAdvance)
        font = fitted_font(font, [widest], room, largest)
        metrics = QFontMetricsF(font)
        if all(metrics.horizontalAdvance(t) <= room for t in texts):
            break
    return font, decimals


def paint_number_grid(
    painter: QPainter,
    values: np.ndarray,
    area: QRectF,
    cell: tuple[float, float],
    colors: GridColors,
    font: tuple[QFont, int],
) -> None:
    """Paint a grid of numbers, each coloured by its sign on a faint tint.

    `cell` is a cell's (width, height); `font` the font and decimals from
    :func:`number_font`.
    """
    cell_w, cell_h = cell
    painter.setFont(font[0])
    texts = [grid_text(v, font[1], plus=False) for v in values.ravel()]
    for (r, c), value in np.ndenumerate(values):
        box = QRectF(area.left() + c * cell_w, area.top() + r * cell_h, cell_w, cell_h)
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
    numbers: tuple[QFont, int, tuple[float, float]] | None = None
    """The grids' last font, decimals and cell (width, height)."""

    def paint(
        self, painter: QPainter, step: WindowNumbers, lines: list[str], area: QRectF
    ) -> None:
        """Paint the maps, the grids and the sum's `lines` into `area`.

        The grids take 40 % of the height, or more where their numbers would
        be smaller than the window's text (View › Larger Text), the maps
        giving way down to a fifth of the height and the sum's lines to
        what their text needs.
        """
        height = area.height()
        # Rows tall enough for the text's size, and a title row.
        wanted = step.size * text_pixels(self.base) * 1.6
        wanted += title_height(self.base, height * 0.4)
        lines_room = len(lines) * text_pixels(self.base) * 1.45 + 8
        grids_height = min(
            max(height * 0.4, wanted), max(height * 0.8 - lines_room, height * 0.4)
        )
        maps_height = max(height * 0.74 - grids_height, height * 0.2)
        top = QRectF(area.left(), area.top(), area.width(), maps_height)
        grids = QRectF(area.left(), top.bottom() + 4, area.width(), grids_height)
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
        caption = max(12.0, band.height() * 0.1, float(text_pixels(self.base)))
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
        self.numbers = paint_products(painter, grids, titles, band, self.colors)

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
