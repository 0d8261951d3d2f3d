"""Watch it learn: a slider over the checkpoints of the training run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QSlider, QWidget

from lenet_gui.gui.widgets.feature_map_panel import FeatureMapPanel
from lenet_gui.gui.widgets.layer_grid import ColorScale, LayerGrid, LayerSlot
from lenet_gui.gui.widgets.themed import ThemedWidget, color_plots

__all__ = ["CheckpointView"]

#: One checkpoint: its label, passes over the training set done, and its
#: MNIST test accuracy (None if not measured).
Entry = tuple[str, float, float | None]


class CheckpointView(ThemedWidget):
    """A slider over a training run's checkpoints, its accuracy, and the maps.

    Moving the slider asks for that checkpoint's weights (:attr:`checkpointChosen`);
    the accuracy curve marks where the slider is, and C1's kernels and the
    feature maps of the drawing show what those weights make of it.

    Parameters
    ----------
    spec : NetworkSpec
        The network: layer shapes and the squashing amplitude.
    parent : QWidget, optional
        The parent widget.
    """

    checkpointChosen = Signal(int)
    """The person moved the slider to checkpoint `index`."""

    SIZE_HINT = QSize(700, 560)
    MINIMUM_SIZE_HINT = QSize(320, 300)
    PLOT_LEAST = 110
    """Least height of the accuracy chart, in pixels: its title stays whole."""

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Training checkpoints")
        self._entries: list[Entry] = []
        self._slider = QSlider(Qt.Orientation.Horizontal)
        self._slider.setObjectName("checkpointSlider")
        self._slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self._slider.setPageStep(1)
        self._slider.valueChanged.connect(self._on_slider_changed)
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._plot_widget = pg.PlotWidget()
        plot = self._plot_widget.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.setLabel("left", "accuracy")
        # Three ticks, which never run together however small the chart.
        plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "50 %"), (1.0, "100 %")]])
        plot.setLabel("bottom", "checkpoint (1: random weights)")
        plot.setYRange(0.0, 1.0, padding=0.02)
        self._curve = plot.plot(symbol="o", symbolSize=5)
        self._marker = pg.InfiniteLine(angle=90, movable=False)
        plot.addItem(self._marker)
        self._plot_widget.setMaximumHeight(170)
        # Room for the three ticks and the axis title, however small the window.
        self._plot_widget.setMinimumHeight(self.PLOT_LEAST)
        c1 = spec.layer("C1")
        self._kernels = LayerGrid(
            [
                LayerSlot("C1 kernels",
                          "C1's kernels at this checkpoint, on the trained ones' scale",
                          (c1.maps, c1.kernel, c1.kernel), (0, 0),
                          ColorScale((-1.0, 1.0)), (1, c1.maps)),
            ],
            [ColorScale((-1.0, 1.0), title="weight")],
        )  # fmt: skip
        self._kernels.setMaximumHeight(110)
        self._maps = FeatureMapPanel(spec, selector=False)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._slider, 0, 0)
        layout.addWidget(self._label, 1, 0)
        layout.addWidget(self._plot_widget, 2, 0)
        layout.addWidget(self._kernels, 3, 0)
        layout.addWidget(self._maps, 4, 0)
        layout.setRowStretch(4, 1)
        self.set_checkpoints([])
        self._finish_building()

    # ------------------------------------------------------------------ public API

    @property
    def slider(self) -> QSlider:
        """The slider over the checkpoints."""
        return self._slider

    @property
    def feature_maps(self) -> FeatureMapPanel:
        """The drawing's feature maps at the checkpoint shown."""
        return self._maps

    @property
    def kernels(self) -> LayerGrid:
        """C1's kernels at the checkpoint shown."""
        return self._kernels

    def set_checkpoints(self, entries: Sequence[Entry]) -> None:
        """Offer these checkpoints (in training order); an empty list disables."""
        self._entries = list(entries)
        self._slider.blockSignals(True)
        self._slider.setRange(0, max(0, len(self._entries) - 1))
        self._slider.setValue(self._slider.maximum())
        self._slider.blockSignals(False)
        self._slider.setEnabled(len(self._entries) > 1)
        measured = [
            (k, accuracy)
            for k, (_, _, accuracy) in enumerate(self._entries)
            if accuracy is not None
        ]
        if measured:
            x, y = zip(*measured, strict=True)
            self._curve.setData(list(x), list(y))
        else:
            self._curve.setData([], [])
        axis = self._plot_widget.getPlotItem().getAxis("bottom")
        # Numbers, which never run together; the text above names the one shown.
        axis.setTicks([[(k, str(k + 1)) for k in range(len(self._entries))]])
        self._show_current()

    def set_current(self, index: int) -> None:
        """Move the slider to checkpoint `index` without asking for it."""
        self._slider.blockSignals(True)
        self._slider.setValue(index)
        self._slider.blockSignals(False)
        self._show_current()

    def set_state(
        self,
        activations: Mapping[str, np.ndarray] | None,
        c1_kernels: np.ndarray | None,
        limit: float,
    ) -> None:
        """Show the drawing's maps and C1's (6, 5, 5) kernels at this checkpoint."""
        self._maps.set_activations(activations)
        if c1_kernels is None:
            self._kernels.set_values("C1 kernels", None)
        else:
            self._kernels.set_levels("C1 kernels", (-(limit or 1.0), limit or 1.0))
            self._kernels.set_values("C1 kernels", c1_kernels)

    # ------------------------------------------------------------------- private

    def _on_slider_changed(self, index: int) -> None:
        self._show_current()
        self.checkpointChosen.emit(index)

    def _show_current(self) -> None:
        if not self._entries:
            self._label.setText(
                "These weights came without checkpoints of their training run. "
                "The training command saves them beside the weights "
                "(a folder named like the weights, ending in .checkpoints)."
            )
            self._marker.setVisible(False)
            return
        index = self._slider.value()
        label, passes, accuracy = self._entries[index]
        measured = "" if accuracy is None else f": {accuracy:.2%} on MNIST test"
        last = " (the weights as trained)" if index == len(self._entries) - 1 else ""
        self._label.setText(
            f"Checkpoint {index + 1} of {len(self._entries)}, {label} "
            f"({passes:.2f} passes over the training set){last}{measured}. "
            "The prediction, the maps and the weights follow the slider."
        )
        self._marker.setVisible(True)
        self._marker.setValue(index)

    def _apply_palette(self) -> None:
        palette = self.palette()
        plot = self._plot_widget.getPlotItem()
        text = color_plots(self._plot_widget, [plot], palette)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setLabel(axis.labelText, color=text.name())
        accent = palette.color(QPalette.ColorRole.Highlight)
        self._curve.setPen(pg.mkPen(accent, width=2))
        self._curve.setSymbolBrush(accent)
        self._marker.setPen(pg.mkPen(text, width=1, style=Qt.PenStyle.DashLine))
