"""Sliders that distort the input, and the ten probabilities across each one's range."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.sweep_plot import DIGIT_COLORS, SweepPlot
from lenet_gui.gui.widgets.themed import ThemedWidget, color_plots

__all__ = ["DIGIT_COLORS", "InvarianceView"]


class InvarianceView(ThemedWidget):
    """A slider per distortion; beside each, how the ten probabilities change.

    Each curve plot sweeps one distortion across its slider's range, the
    others held where their sliders are, and marks the slider's value with a
    vertical line, so the person sees where the reading breaks. Each curve is
    labelled with its digit where it peaks; the digit read now is thick, with
    a dot where the slider is; pointing at a plot reads it out in words. The
    plots go in two columns when there is room, else one, and scroll rather
    than shrink below legibility.

    Parameters
    ----------
    transforms : sequence
        Records with ``name``, ``label``, ``low``, ``high``, ``neutral``,
        ``step``, ``unit`` and ``description``, one slider each.
    parent : QWidget, optional
        The parent widget.
    """

    paramsChanged = Signal(object)
    """The sliders moved: the settings by name (every transform)."""

    HOVER_HINT = "Point at a plot to read it."

    SIZE_HINT = QSize(700, 560)
    MINIMUM_SIZE_HINT = QSize(320, 300)
    PLOT_HEIGHT = 130
    """Least height of a plot, in pixels: below it the plots scroll."""
    TWO_COLUMNS = 460
    """Least width of the plots' area for two columns of plots."""
    SLIDER_WIDTH = 72
    """Least width of a slider."""

    def __init__(self, transforms: Sequence[Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Invariance: distort the input")
        self._transforms = {t.name: t for t in transforms}
        self._sliders: dict[str, QSlider] = {}
        self._readouts: dict[str, QLabel] = {}
        self._plots: dict[str, SweepPlot] = {}
        self._columns = 0
        controls = QGridLayout()
        controls.setVerticalSpacing(2)
        self._graphics = pg.GraphicsLayoutWidget()
        for row, t in enumerate(transforms):
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, round((t.high - t.low) / t.step))
            slider.setValue(self._position(t, t.neutral))
            slider.setToolTip(t.description)
            slider.setObjectName(t.name)
            slider.valueChanged.connect(self._on_slider_changed)
            slider.setMinimumWidth(self.SLIDER_WIDTH)
            readout = QLabel()
            readout.setMinimumWidth(56)
            name = QLabel(t.label)
            name.setToolTip(t.description)
            controls.addWidget(name, row, 0)
            controls.addWidget(slider, row, 1)
            controls.addWidget(readout, row, 2)
            self._sliders[t.name] = slider
            self._readouts[t.name] = readout
            self._plots[t.name] = SweepPlot(pg.PlotItem(), t)
        for plot in self._plots.values():
            plot.fit_axes(self.font())
        self._arrange(2)
        self._reset = QPushButton("Reset")
        self._reset.setToolTip("Put every slider back where it leaves the input alone")
        self._reset.clicked.connect(self.reset)
        controls.addWidget(self._reset, len(transforms), 2)
        controls.setRowStretch(len(transforms) + 1, 1)
        self._legend = QLabel()
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.setWordWrap(True)
        self._now = QLabel()
        self._now.setWordWrap(True)
        self._hover = QLabel(self.HOVER_HINT)
        self._hover.setWordWrap(True)
        self._caption = QLabel(
            "Move a slider: the drawing's input is distorted, and every view "
            "follows. Each plot shows the ten probabilities across one "
            "slider's whole range, the others held where they are."
        )
        self._caption.setWordWrap(True)
        self._graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        scroll = QScrollArea()
        scroll.setWidget(self._graphics)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll = scroll
        scroll.installEventFilter(self)
        left = QVBoxLayout()
        left.addWidget(self._caption)
        left.addLayout(controls)
        left.addWidget(self._now)
        left.addWidget(self._legend)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self._hover)
        right.addWidget(scroll, 1)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 0, 0)
        layout.addLayout(right, 0, 1)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 3)
        self._update_readouts()
        self._say_now(None)
        self._finish_building()

    # ------------------------------------------------------------------ public API

    @property
    def graphics(self) -> pg.GraphicsLayoutWidget:
        """The curve plots (for pictures and tests)."""
        return self._graphics

    def slider(self, name: str) -> QSlider:
        """Return the slider of transform `name`."""
        return self._sliders[name]

    def params(self) -> dict[str, float]:
        """Return every transform's setting, as the sliders show it."""
        return {
            name: self._value(self._transforms[name], slider.value())
            for name, slider in self._sliders.items()
        }

    def set_params(self, params: Mapping[str, float]) -> None:
        """Move the sliders to these settings (others to neutral), quietly."""
        for name, slider in self._sliders.items():
            t = self._transforms[name]
            slider.blockSignals(True)
            slider.setValue(self._position(t, params.get(name, t.neutral)))
            slider.blockSignals(False)
        self._update_readouts()

    def reset(self) -> None:
        """Put every slider back at its neutral value and say so."""
        self.set_params({})
        self.paramsChanged.emit(self.params())

    def set_curves(
        self, curves: Mapping[str, tuple[np.ndarray, np.ndarray]] | None
    ) -> None:
        """Show each transform's sweep: (values (n,), probabilities (n, 10)).

        None clears every plot.
        """
        params = self.params()
        for name, plot in self._plots.items():
            sweep = None if curves is None else curves.get(name)
            if sweep is None:
                plot.clear()
            else:
                plot.show(*sweep, params[name])
        self._say_now(curves)
        self._update_readouts()

    def curves(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Return the sweep shown for `name`, or None."""
        return self._plots[name].sweep()

    def plot(self, name: str) -> SweepPlot:
        """Return the plot of transform `name` (for pictures and tests)."""
        return self._plots[name]

    def reading_now(self) -> str:
        """Return what the view says of the reading where the sliders are."""
        return self._now.text()

    def hover_text(self) -> str:
        """Return the readout of the point last pointed at."""
        return self._hover.text()

    # ------------------------------------------------------------------- private

    @staticmethod
    def _position(t: Any, value: float) -> int:
        return round((value - t.low) / t.step)

    @staticmethod
    def _value(t: Any, position: int) -> float:
        return float(np.clip(round(t.low + position * t.step, 6), t.low, t.high))

    def _on_slider_changed(self) -> None:
        self._update_readouts()
        self.paramsChanged.emit(self.params())

    def _update_readouts(self) -> None:
        for name, value in self.params().items():
            t = self._transforms[name]
            self._readouts[name].setText(f"{value:g} {t.unit}")
            self._plots[name].marker.setValue(value)

    def _say_now(
        self, curves: Mapping[str, tuple[np.ndarray, np.ndarray]] | None
    ) -> None:
        """Say the reading where the sliders are, from any sweep (all agree)."""
        params = self.params()
        for name, (values, probabilities) in (curves or {}).items():
            at = int(np.abs(values - params[name]).argmin())
            digit = int(probabilities[at].argmax())
            color = DIGIT_COLORS[digit]
            self._now.setText(
                f"Now: <b style='color:{color}'>{digit}</b> at "
                f"{100 * probabilities[at, digit]:.0f} % \N{EM DASH} its curve is "
                "thick, with a dot where each slider is (dashed line)."
            )
            return
        self._now.setText("Draw a digit to see its curves.")

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        for plot in self._plots.values():
            box = plot.plot.getViewBox()
            if box.sceneBoundingRect().contains(scene_pos):
                text = plot.describe(box.mapSceneToView(scene_pos).x())
                self._hover.setText(text or self.HOVER_HINT)
                return

    def _arrange(self, columns: int) -> None:
        """Lay the plots out in `columns` columns (1 or 2)."""
        if columns == self._columns:
            return
        layout = self._graphics.ci
        for plot in self._plots.values():
            if plot.plot.scene() is not None:
                layout.removeItem(plot.plot)
        for k, plot in enumerate(self._plots.values()):
            layout.addItem(plot.plot, row=k // columns, col=k % columns)
        rows = -(-len(self._plots) // columns)
        self._graphics.setMinimumHeight(rows * self.PLOT_HEIGHT)
        self._columns = columns

    def changeEvent(self, event: QEvent) -> None:  # noqa: D102
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # Larger or smaller text: the axes make room for their numbers.
            for plot in self._plots.values():
                plot.fit_axes(self.font())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: D102
        if watched is self._scroll and event.type() == QEvent.Type.Resize:
            width = self._scroll.width()
            self._arrange(2 if width >= self.TWO_COLUMNS else 1)
        return super().eventFilter(watched, event)

    def _apply_palette(self) -> None:
        text = color_plots(
            self._graphics, [p.plot for p in self._plots.values()], self.palette()
        )
        muted = QColor(text)
        muted.setAlphaF(0.6)
        for plot in self._plots.values():
            plot.set_marker_pen(muted)
        swatches = " ".join(
            f'<span style="color:{c}"><b>\N{EM DASH}\N{EM DASH}&nbsp;{d}</b></span>'
            for d, c in enumerate(DIGIT_COLORS)
        )
        self._legend.setText(f"Digits: {swatches}")
