"""Bar chart of the network's probability for each digit 0 to 9."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from lenet_gui.gui.widgets.probability_bars import ProbabilityBars
from lenet_gui.gui.widgets.still_pictures import keep_still_pictures
from lenet_gui.gui.widgets.themed import ThemedWidget, color_plots


class ProbabilityChart(ThemedWidget):
    """Bar chart of the ten class probabilities, the most likely digit highlighted.

    The y axis is fixed to 0..1 so bars move without the axes jumping. Hovering
    over a digit's column shows its exact probability.

    Parameters
    ----------
    parent : QWidget, optional
        The parent widget.
    """

    DIGITS = 10
    """Number of bars, one per digit."""

    SIZE_HINT = QSize(320, 200)
    MINIMUM_SIZE_HINT = QSize(160, 100)

    _BAR_WIDTH = 0.7

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Digit probabilities")
        self._probabilities: np.ndarray | None = None
        self._highlighted: int | None = None
        self._hovered: int | None = None
        self._plot_widget = pg.PlotWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._plot_widget)
        # Hover is read from the view's own pointer events, not the scene's
        # sigMouseMoved, which pyqtgraph throttles and so can miss the last one.
        self._plot_widget.viewport().installEventFilter(self)
        self._plot_widget.viewport().setMouseTracking(True)

        plot = self._plot_widget.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.showGrid(x=False, y=True, alpha=0.25)
        # A fixed range: autoranging on every update would make the axes flicker.
        plot.disableAutoRange()
        # Headroom above 1 keeps the hover label of a full-height bar readable.
        plot.setRange(xRange=(-0.6, 9.6), yRange=(0.0, 1.12), padding=0.0)
        plot.layout.setContentsMargins(2, 6, 8, 2)
        bottom = plot.getAxis("bottom")
        bottom.setTicks([[(d, str(d)) for d in range(self.DIGITS)]])
        bottom.setLabel("digit")
        bottom.setStyle(tickLength=4)
        left = plot.getAxis("left")
        self._set_probability_ticks(tall=True)
        left.setWidth(34)
        # The axes never change while bars move: paint them from a cache
        # instead of re-laying out tick text on every update (0.8 -> 0.4 ms).
        for axis in (bottom, left):
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        self._bars = ProbabilityBars(
            self.DIGITS, self._BAR_WIDTH, [QBrush()] * self.DIGITS
        )
        plot.addItem(self._bars)

        self._empty_label = pg.TextItem("no digit", anchor=(0.5, 0.5))
        self._empty_label.setPos(4.5, 0.5)
        plot.addItem(self._empty_label)

        self._hover_label = pg.TextItem(anchor=(0.5, 1.0))
        self._hover_label.setZValue(10)
        self._hover_label.hide()
        plot.addItem(self._hover_label)

        self._bar_brush = QBrush()
        self._accent_brush = QBrush()
        keep_still_pictures(self._plot_widget)
        self._finish_building()

    @property
    def plot_widget(self) -> pg.PlotWidget:
        """The pyqtgraph plot the bars are drawn in (for pictures and tests)."""
        return self._plot_widget

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Show new probabilities, or the empty "no digit" state.

        Parameters
        ----------
        probabilities : numpy.ndarray or None
            Ten probabilities (summing to 1) for the digits 0..9, or None when
            there is nothing to classify.

        Raises
        ------
        ValueError
            If `probabilities` does not hold exactly ten finite numbers.
        """
        if probabilities is None:
            self._probabilities = None
            self._bars.set_heights(np.zeros(self.DIGITS))
            self._set_highlight(None)
            self._empty_label.show()
        else:
            values = np.asarray(probabilities, dtype=np.float64).reshape(-1)
            if values.shape != (self.DIGITS,) or not np.isfinite(values).all():
                raise ValueError(
                    f"expected {self.DIGITS} finite probabilities, got shape "
                    f"{np.shape(probabilities)}"
                )
            self._probabilities = values.copy()
            self._bars.set_heights(self._probabilities)
            self._set_highlight(int(np.argmax(values)))
            self._empty_label.hide()
        self._refresh_hover()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Show the probability of the digit column under the pointer."""
        if event.type() == QEvent.Type.MouseMove:
            assert isinstance(event, QMouseEvent)
            widget = self._plot_widget
            scene_pos = widget.mapToScene(event.position().toPoint())
            view = widget.getPlotItem().getViewBox()
            if view.sceneBoundingRect().contains(scene_pos):
                digit = round(view.mapSceneToView(scene_pos).x())
                self._set_hovered(digit if 0 <= digit < self.DIGITS else None)
            else:
                self._set_hovered(None)
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep every probability tick labelled, with fewer ticks when short."""
        super().resizeEvent(event)
        self._set_probability_ticks(tall=event.size().height() >= 150)

    def _set_probability_ticks(self, *, tall: bool) -> None:
        # pyqtgraph drops tick labels that would overlap or cross the axis's
        # ends: below ~150 px it dropped "1", the most important one. Fewer
        # ticks, and more headroom above 1, keep every label drawn.
        values = (0.25, 0.5, 0.75, 1.0) if tall else (0.5, 1.0)
        plot = self._plot_widget.getPlotItem()
        plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in values]])
        plot.setYRange(0.0, 1.12 if tall else 1.22, padding=0.0)

    def leaveEvent(self, event: QEvent) -> None:
        """Hide the hover label when the pointer leaves the chart."""
        super().leaveEvent(event)
        self._set_hovered(None)

    def _apply_palette(self) -> None:
        palette = self.palette()
        text = color_plots(
            self._plot_widget, [self._plot_widget.getPlotItem()], palette
        )
        muted = QColor(text)
        muted.setAlphaF(0.45)
        self._bar_brush = QBrush(muted)
        self._accent_brush = QBrush(palette.color(QPalette.ColorRole.Highlight))
        faint = QColor(text)
        faint.setAlphaF(0.4)
        self._empty_label.setColor(faint)
        self._hover_label.setColor(text)
        self._set_brushes()

    def _set_highlight(self, digit: int | None) -> None:
        # Brushes are only re-sent when the top digit changes, keeping updates cheap.
        if digit != self._highlighted:
            self._highlighted = digit
            self._set_brushes()

    def _set_brushes(self) -> None:
        brushes = [self._bar_brush] * self.DIGITS
        if self._highlighted is not None:
            brushes[self._highlighted] = self._accent_brush
        self._bars.setOpts(brushes=brushes)

    def _set_hovered(self, digit: int | None) -> None:
        self._hovered = digit
        self._refresh_hover()

    def _refresh_hover(self) -> None:
        digit = self._hovered
        if digit is None:
            self._hover_label.hide()
            self.setToolTip("")
            return
        if self._probabilities is None:
            self._hover_label.hide()
            self.setToolTip(f"Digit {digit}: no prediction")
            return
        p = float(self._probabilities[digit])
        self._hover_label.setText(f"{100 * p:.1f} %")
        self._hover_label.setPos(digit, p)
        self._hover_label.show()
        self.setToolTip(f"Digit {digit}: probability {p:.4f} ({100 * p:.2f} %)")
