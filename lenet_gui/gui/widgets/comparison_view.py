"""Two drawings side by side, layer by layer, and where they differ."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.feature_map_panel import FeatureMapPanel
from lenet_gui.gui.widgets.layer_grid import ColorScale, LayerGrid, LayerSlot
from lenet_gui.gui.widgets.probability_chart import ProbabilityChart
from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["ComparisonView"]

#: A network state: (input, activations by layer, probabilities), or None.
#: A drawing as read: (network input, activations by layer, probabilities).
Reading = tuple[np.ndarray, Mapping[str, np.ndarray], np.ndarray]
State = Reading | None


class ComparisonView(ThemedWidget):
    """A pinned drawing, the drawing now, and now minus pinned, one stage at a time.

    Both readings are shown as labelled bar charts of the ten probabilities.
    Below them, for the stage chosen (the input, or C1 to F6), three large
    pictures: the pinned drawing's, the current one's and their difference,
    on fixed colour levels (the difference on the same symmetric levels as
    its stage, so equal colours mean equal changes) with titled colour bars.

    Parameters
    ----------
    spec : NetworkSpec
        The network: input size and levels, layers, squashing amplitude.
    parent : QWidget, optional
        The parent widget.
    """

    pinRequested = Signal()
    """The person asked to pin the drawing shown now."""
    unpinRequested = Signal()
    """The person asked to forget the pinned drawing."""

    COLUMNS = ("pinned", "now", "now \N{MINUS SIGN} pinned")
    """What each column shows."""
    FIRST_STAGE = "C1"
    """The stage shown at first."""
    SIZE_HINT = QSize(700, 560)
    MINIMUM_SIZE_HINT = QSize(320, 300)
    NOTHING = (
        "Nothing to compare yet. Draw a digit and press Pin This Drawing "
        "(Ctrl+P); then draw another: each stage of the two appears here, side "
        "by side, with their difference."
    )

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Comparison of two drawings")
        hidden = ColorScale(
            (-spec.amplitude, spec.amplitude),
            title="unit output, or its change",
        )
        span = spec.ink - spec.background
        scales = {
            "input": (
                ColorScale((spec.background, spec.ink), "CET-L1", title="ink"),
                ColorScale((-span, span), title="change of ink"),
            ),
            "output": (ColorScale((0.0, 1.0), "viridis"), ColorScale((-1.0, 1.0))),
        }
        side = spec.input_size
        stages = [("input", (1, side, side), (1, 1))] + [
            (
                layer.name,
                layer.shape,
                FeatureMapPanel.GRIDS.get(layer.name) if layer.has_maps else None,
            )
            for layer in spec.layers
        ]
        slots = []
        for row, (name, shape, grid) in enumerate(stages):
            same, difference = scales.get(name, (hidden, hidden))
            for col, column in enumerate(self.COLUMNS):
                slots.append(
                    LayerSlot(
                        f"{name} {column}",
                        f"{name} \N{MIDDLE DOT} {column}",
                        shape,
                        (2 * row, col),
                        difference if col == 2 else same,
                        (shape[0], 1) if name == "output" else grid,
                        noun="map" if len(shape) == 3 and shape[1] > 1 else "unit",
                    )
                )
        self._stages = [name for name, _, _ in stages]
        self._grid = LayerGrid(slots, [hidden, *scales["input"]])
        self._stage = QComboBox()
        for name in self._stages[:-1]:  # the output is the charts above
            self._stage.addItem(name)
        self._stage.setCurrentText(self.FIRST_STAGE)
        self._stage.setToolTip("The stage of the network shown large below")
        self._stage.currentTextChanged.connect(self.show_stage)
        self._charts = [ProbabilityChart(), ProbabilityChart()]
        self._chart_titles = [QLabel(), QLabel()]
        readings = QGridLayout()
        for col, (title, chart) in enumerate(
            zip(self._chart_titles, self._charts, strict=True)
        ):
            chart.setMinimumHeight(90)
            chart.setMaximumHeight(130)
            readings.addWidget(title, 0, col)
            readings.addWidget(chart, 1, col)
        self._summary = QLabel()
        self._summary.setWordWrap(True)
        self._pin = QPushButton("Pin This Drawing")
        self._pin.setToolTip("Keep the drawing shown now, to compare the next with it")
        self._pin.clicked.connect(self.pinRequested)
        self._unpin = QPushButton("Unpin")
        self._unpin.clicked.connect(self.unpinRequested)
        bar = QHBoxLayout()
        bar.addWidget(self._pin)
        bar.addWidget(self._unpin)
        bar.addWidget(self._summary, 1)
        stage = QHBoxLayout()
        stage.addWidget(QLabel("Stage:"))
        stage.addWidget(self._stage)
        meaning = QLabel("difference: red higher now, blue lower")
        meaning.setWordWrap(True)
        stage.addWidget(meaning, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(readings)
        layout.addLayout(stage)
        layout.addWidget(self._grid, 1)
        self._nothing = QLabel(self.NOTHING)
        self._nothing.setObjectName("nothing-to-compare")
        self._nothing.setWordWrap(True)
        self._nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._nothing.setEnabled(False)  # greyed, as the charts' "no digit"
        layout.addWidget(self._nothing, 1)
        self.show_stage(self.FIRST_STAGE)
        self.set_states(None, None)
        self._finish_building()

    @property
    def grid(self) -> LayerGrid:
        """The pictures (for pictures and tests)."""
        return self._grid

    def stage(self) -> str:
        """Return the stage shown."""
        return self._stage.currentText()

    def show_stage(self, name: str) -> None:
        """Show one stage (``"input"``, ``"C1"`` ... ``"F6"``) large."""
        if self._stage.currentText() != name:
            self._stage.setCurrentText(name)  # comes back here
            return
        self._grid.set_visible_layers([f"{name} {column}" for column in self.COLUMNS])

    def chart(self, which: int) -> ProbabilityChart:
        """Return the chart of the pinned (0) or current (1) reading."""
        return self._charts[which]

    def set_states(self, pinned: State, now: State) -> None:
        """Show a pinned state and the state now; either may be None."""
        values = [self._values(pinned), self._values(now)]
        for name in self._stages:
            first, second = (v.get(name) if v else None for v in values)
            self._grid.set_values(f"{name} {self.COLUMNS[0]}", first)
            self._grid.set_values(f"{name} {self.COLUMNS[1]}", second)
            difference = None
            if first is not None and second is not None:
                difference = np.asarray(second, float) - np.asarray(first, float)
            self._grid.set_values(f"{name} {self.COLUMNS[2]}", difference)
        self._unpin.setEnabled(pinned is not None)
        self._summary.setText(self._describe(pinned, now))
        # With nothing on either side, the pictures would be titles over
        # empty columns: say what to do there instead.
        self._grid.setVisible(pinned is not None or now is not None)
        self._nothing.setVisible(pinned is None and now is None)
        for which, (state, chart, title) in enumerate(
            zip((pinned, now), self._charts, self._chart_titles, strict=True)
        ):
            chart.set_probabilities(None if state is None else state[2])
            name = ("Pinned", "Now")[which]
            if state is None:
                title.setText(f"<b>{name}</b>: nothing")
            else:
                digit = int(np.argmax(state[2]))
                title.setText(
                    f"<b>{name}</b>: {digit} at {100 * state[2][digit]:.1f} %"
                )

    @staticmethod
    def _values(state: State) -> dict[str, np.ndarray] | None:
        if state is None:
            return None
        network_input, activations, probabilities = state
        return {**activations, "input": network_input, "output": probabilities}

    @staticmethod
    def _describe(pinned: State, now: State) -> str:
        if pinned is None:
            return (
                "Pin a drawing, then draw another: both readings and every "
                "stage of both are shown side by side, with their difference."
            )
        return "" if now is not None else "Draw another digit to compare with it."
