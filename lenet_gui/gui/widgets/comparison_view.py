"""Two drawings side by side, layer by layer, and where they differ."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_gui.gui.widgets.feature_map_panel import FeatureMapPanel
from lenet_gui.gui.widgets.layer_grid import ColorScale, LayerGrid, LayerSlot
from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["ComparisonView"]

#: A network state: (input, activations by layer, probabilities), or None.
#: A drawing as read: (network input, activations by layer, probabilities).
Reading = tuple[np.ndarray, Mapping[str, np.ndarray], np.ndarray]
State = Reading | None


class ComparisonView(ThemedWidget):
    """A pinned drawing, the drawing now, and now minus pinned, for every stage.

    Rows are the stages (input, C1 to F6, output probabilities); columns the
    pinned drawing, the current one and their difference, each on fixed
    colour levels (the difference on the same symmetric levels as its
    stage, so equal colours mean equal changes).

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
    SIZE_HINT = QSize(700, 560)
    MINIMUM_SIZE_HINT = QSize(320, 300)

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Comparison of two drawings")
        hidden = ColorScale((-spec.amplitude, spec.amplitude))
        span = spec.ink - spec.background
        scales = {
            "input": (
                ColorScale((spec.background, spec.ink), "CET-L1"),
                ColorScale((-span, span)),
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
        self._grid = LayerGrid(slots)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._grid, 1)
        self.set_states(None, None)
        self._finish_building()

    @property
    def grid(self) -> LayerGrid:
        """The pictures (for pictures and tests)."""
        return self._grid

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

    @staticmethod
    def _values(state: State) -> dict[str, np.ndarray] | None:
        if state is None:
            return None
        network_input, activations, probabilities = state
        return {**activations, "input": network_input, "output": probabilities}

    @staticmethod
    def _describe(pinned: State, now: State) -> str:
        def reading(state: Reading) -> str:
            probabilities = state[2]
            digit = int(np.argmax(probabilities))
            return f"{digit} ({100 * probabilities[digit]:.1f} %)"

        if pinned is None:
            return (
                "Pin a drawing, then draw another: every stage of both is shown "
                "side by side, with their difference."
            )
        if now is None:
            return f"Pinned: {reading(pinned)}. Now: no digit."
        return f"Pinned: {reading(pinned)}. Now: {reading(now)}."
