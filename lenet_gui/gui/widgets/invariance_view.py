"""Sliders that distort the input, and the ten probabilities across each one's range."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.themed import ThemedWidget, color_plots

__all__ = ["InvarianceView"]

#: One colour per digit, distinct on light and dark backgrounds (Tableau 10).
DIGIT_COLORS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip


class InvarianceView(ThemedWidget):
    """A slider per distortion; beside each, how the ten probabilities change.

    Each curve plot sweeps one distortion across its slider's range, the
    others held where their sliders are, and marks the slider's value with a
    vertical line, so the person sees where the reading breaks.

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

    SIZE_HINT = QSize(700, 560)
    MINIMUM_SIZE_HINT = QSize(320, 300)

    def __init__(self, transforms: Sequence[Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Invariance: distort the input")
        self._transforms = {t.name: t for t in transforms}
        self._sliders: dict[str, QSlider] = {}
        self._readouts: dict[str, QLabel] = {}
        self._plots: dict[str, pg.PlotItem] = {}
        self._curves: dict[str, list[pg.PlotCurveItem]] = {}
        # Each digit's pens: (thin, thick); the digit read is drawn thick.
        self._pens = [
            (pg.mkPen(color, width=1.5), pg.mkPen(color, width=3.5))
            for color in DIGIT_COLORS
        ]
        # The digit drawn thick in each plot, to change only what changes.
        self._read: dict[str, int | None] = {}
        self._markers: dict[str, pg.InfiniteLine] = {}

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
            readout = QLabel()
            readout.setMinimumWidth(64)
            name = QLabel(t.label)
            name.setToolTip(t.description)
            controls.addWidget(name, row, 0)
            controls.addWidget(slider, row, 1)
            controls.addWidget(readout, row, 2)
            self._sliders[t.name] = slider
            self._readouts[t.name] = readout

            plot = self._graphics.addPlot(row=row // 2, col=row % 2)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.setXRange(t.low, t.high, padding=0.0)
            plot.setYRange(0.0, 1.0, padding=0.05)
            plot.getAxis("left").setTicks([[(0.0, "0"), (1.0, "1")]])
            plot.getAxis("bottom").enableAutoSIPrefix(False)
            plot.setLabel("bottom", f"{t.label} ({t.unit})")
            plot.getAxis("bottom").setHeight(32)
            # Bare curve items: a sweep redraws 70 curves, and plot()'s data
            # items add a layer of bookkeeping to every one of them.
            self._curves[t.name] = [pg.PlotCurveItem(pen=pen) for pen, _ in self._pens]
            for line in self._curves[t.name]:
                plot.addItem(line)
            self._read[t.name] = None
            marker = pg.InfiniteLine(angle=90, movable=False)
            plot.addItem(marker)
            self._plots[t.name] = plot
            self._markers[t.name] = marker
        self._reset = QPushButton("Reset")
        self._reset.setToolTip("Put every slider back where it leaves the input alone")
        self._reset.clicked.connect(self.reset)
        controls.addWidget(self._reset, len(transforms), 2)
        controls.setRowStretch(len(transforms) + 1, 1)
        self._legend = QLabel()
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.setWordWrap(True)
        self._caption = QLabel(
            "Move a slider: the drawing's input is distorted, and every view "
            "follows. The curves show the ten probabilities across each "
            "slider's whole range, the others held where they are."
        )
        self._caption.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self._caption)
        left.addLayout(controls, 1)
        left.addWidget(self._legend)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 0, 0)
        layout.addWidget(self._graphics, 0, 1)
        layout.setColumnStretch(0, 2)
        layout.setColumnStretch(1, 4)
        self._update_readouts()
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
        for name, lines in self._curves.items():
            sweep = None if curves is None else curves.get(name)
            if sweep is None:
                for line in lines:
                    line.setData([], [])
                continue
            values, probabilities = sweep
            for digit, line in enumerate(lines):
                line.setData(values, probabilities[:, digit], skipFiniteCheck=True)
            # The digit read at the slider's value is drawn thicker, on top.
            read = int(probabilities[np.abs(values - params[name]).argmin()].argmax())
            previous = self._read[name]
            if read != previous:
                for digit in (read,) if previous is None else (read, previous):
                    lines[digit].setPen(self._pens[digit][digit == read])
                    lines[digit].setZValue(1 if digit == read else 0)
                self._read[name] = read
        self._update_readouts()

    def curves(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Return the sweep shown for `name`, or None."""
        lines = self._curves[name]
        x, _ = lines[0].getData()
        if x is None or len(x) == 0:
            return None
        return np.asarray(x), np.column_stack([line.getData()[1] for line in lines])

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
            self._markers[name].setValue(value)

    def _apply_palette(self) -> None:
        text = color_plots(self._graphics, self._plots.values(), self.palette())
        muted = QColor(text)
        muted.setAlphaF(0.6)
        for marker in self._markers.values():
            marker.setPen(pg.mkPen(muted, width=1, style=Qt.PenStyle.DashLine))
        swatches = " ".join(
            f'<span style="color:{c}">\N{EM DASH}\N{EM DASH}</span>&nbsp;{d}'
            for d, c in enumerate(DIGIT_COLORS)
        )
        self._legend.setText(f"Digits: {swatches}")
