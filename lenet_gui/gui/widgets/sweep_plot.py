"""One distortion's sweep: the ten probabilities along a slider's range, labelled."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF

__all__ = ["DIGIT_COLORS", "SweepPlot"]

#: One colour per digit, told apart on light and dark backgrounds (the
#: "tab10" set, 7 and 9 swapped so the digit most drawn is not the grey one).
DIGIT_COLORS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#8c8c8c",
)  # fmt: skip

LABEL_LEAST = 0.2
"""A digit's curve is labelled where it peaks if it reaches this probability."""


class SweepPlot:
    """A plot of ten curves, each labelled with its digit where it peaks.

    The digit read at the slider's value is drawn thick, and a dot marks its
    probability there, on a dashed line at the slider's value. The bottom
    axis has three ticks (the range's ends and the neutral value), so it
    reads at any width.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        The plot to draw in (it is set up here).
    transform : object
        With ``label``, ``low``, ``high``, ``neutral`` and ``unit``.
    """

    def __init__(self, plot: pg.PlotItem, transform: Any) -> None:
        self.plot, self.transform = plot, transform
        t = transform
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.setXRange(t.low, t.high, padding=0.0)
        plot.setYRange(0.0, 1.0, padding=0.05)
        plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "50 %"), (1.0, "100 %")]])
        ticks = sorted({t.low, t.neutral, t.high})
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        plot.getAxis("bottom").setTicks([[(v, f"{v:g}") for v in ticks], []])
        plot.setLabel("bottom", f"{t.label} ({t.unit})")
        self.fit_axes(QFont())
        self._pens = [
            (pg.mkPen(color, width=1.5), pg.mkPen(color, width=3.5))
            for color in DIGIT_COLORS
        ]
        # Bare curve items: a sweep redraws 70 curves, and plot()'s data
        # items add a layer of bookkeeping to every one of them.
        self.curves = [pg.PlotCurveItem(pen=pen) for pen, _ in self._pens]
        for line in self.curves:
            plot.addItem(line)
        self.labels = []
        for digit, color in enumerate(DIGIT_COLORS):
            label = pg.TextItem(str(digit), color=color, anchor=(0.5, 1.0))
            font = label.textItem.font()
            font.setBold(True)
            label.setFont(font)
            label.setZValue(3)
            label.setVisible(False)
            plot.addItem(label)
            self.labels.append(label)
        self.marker = pg.InfiniteLine(angle=90, movable=False)
        plot.addItem(self.marker)
        self.dot = pg.ScatterPlotItem(size=9, pxMode=True)
        self.dot.setZValue(4)
        plot.addItem(self.dot)
        self.read: int | None = None
        self._values = np.empty(0)
        self._probabilities = np.empty((0, len(DIGIT_COLORS)))

    def fit_axes(self, font: QFont) -> None:
        """Give the axes room for their numbers and title in `font`.

        The bottom axis holds a line of numbers over its title, the left one
        "100 %": both grow with the text size, so a number never touches the
        title and no tick is dropped for want of room.
        """
        metrics = QFontMetricsF(font)
        line = metrics.height()
        # pyqtgraph puts the numbers 2 px under the axis line and gives the
        # title 0.8 of its box's height (the text plus 4 px above and below).
        self.plot.getAxis("bottom").setHeight(max(36, int(line + 0.8 * (line + 8) + 6)))
        widest = metrics.horizontalAdvance("100 %")
        self.plot.getAxis("left").setWidth(max(44, int(widest + 10)))
        # The range's ends sit on the axis's ends: half of each number lies
        # beyond it, which pyqtgraph would take for an overlap and hide.
        t = self.transform
        ends = [f"{v:g}" for v in (t.low, t.high)]
        half = max(metrics.horizontalAdvance(text) for text in ends) / 2
        self.plot.getAxis("bottom").setStyle(hideOverlappingLabels=int(half) + 3)

    def clear(self) -> None:
        """Show no sweep."""
        self._values = np.empty(0)
        self._probabilities = np.empty((0, len(DIGIT_COLORS)))
        for line, label in zip(self.curves, self.labels, strict=True):
            line.setData([], [])
            label.setVisible(False)
        self.dot.setData([], [])
        self.read = None

    def show(self, values: np.ndarray, probabilities: np.ndarray, now: float) -> None:
        """Show a sweep: values (n,), probabilities (n, 10); the slider at `now`."""
        self._values, self._probabilities = values, probabilities
        low, high = self.transform.low, self.transform.high
        for digit, (line, label) in enumerate(
            zip(self.curves, self.labels, strict=True)
        ):
            curve = probabilities[:, digit]
            line.setData(values, curve, skipFiniteCheck=True)
            peak = int(np.argmax(curve))
            label.setVisible(bool(curve[peak] >= LABEL_LEAST))
            x = float(values[peak])
            # Kept inside the plot at either end of the range.
            fraction = (x - low) / (high - low)
            side = 0.0 if fraction < 0.1 else 1.0 if fraction > 0.9 else 0.5
            label.setAnchor((side, 1.0 if curve[peak] < 0.9 else 0.0))
            label.setPos(x, float(curve[peak]))
        at = int(np.abs(values - now).argmin())
        read = int(probabilities[at].argmax())
        if read != self.read:
            for digit in (read,) if self.read is None else (read, self.read):
                self.curves[digit].setPen(self._pens[digit][digit == read])
                self.curves[digit].setZValue(1 if digit == read else 0)
            self.read = read
        self.dot.setData(
            [float(values[at])],
            [float(probabilities[at, read])],
            brush=pg.mkBrush(DIGIT_COLORS[read]),
            pen=pg.mkPen("w", width=1.5),
        )

    def sweep(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Return the sweep shown (values, probabilities), or None."""
        if len(self._values) == 0:
            return None
        return self._values, self._probabilities

    def describe(self, x: float) -> str | None:
        """Say what the sweep reads at `x`: "Rotate 40 °: 7 at 62 %", or None."""
        if len(self._values) == 0:
            return None
        t = self.transform
        at = int(np.abs(self._values - x).argmin())
        order = np.argsort(-self._probabilities[at], kind="stable")
        first, second = int(order[0]), int(order[1])
        p1, p2 = self._probabilities[at, first], self._probabilities[at, second]
        text = f"{t.label} {self._values[at]:g} {t.unit}: {first} at {100 * p1:.0f} %"
        if p2 >= 0.05:
            text += f", {second} at {100 * p2:.0f} %"
        return text

    def set_marker_pen(self, color: QColor) -> None:
        """Draw the slider's dashed line in `color`."""
        self.marker.setPen(pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine))
