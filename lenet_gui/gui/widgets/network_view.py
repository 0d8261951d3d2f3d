"""The whole network at a glance, input to output, and any stage of it large."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from lenet_gui.gui.widgets.feature_map_panel import FeatureMapPanel
from lenet_gui.gui.widgets.layer_grid import (
    ColorScale,
    LayerGrid,
    LayerSlot,
    keep_titles_fitted,
)
from lenet_gui.gui.widgets.network_input_view import NetworkInputView
from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["NetworkView"]

_TIMES = "\N{MULTIPLICATION SIGN}"


class NetworkView(ThemedWidget):
    """A strip of every stage, input to output; the stage clicked shows below.

    The strip shows the input, C1, S2, C3, S4, C5, F6 and the output, small
    and live. Below it, the stage picked: by default C5's 120 units, F6's 84
    (laid out as the paper's 7x12 bitmap) and the ten outputs' probabilities,
    each unit hoverable; or the input, or one layer of feature maps, large.

    Parameters
    ----------
    spec : NetworkSpec
        The network: its input size and levels, layers and squashing amplitude.
    parent : QWidget, optional
        The parent widget.
    """

    unitHovered = Signal(object)
    """The pointer moved onto another unit, ``(layer, map, row, column)``, or
    off the units (None)."""
    hoverInfoChanged = Signal(str)
    """The hover text changed (``""`` off the units)."""
    stageChanged = Signal(str)
    """Another stage is shown large: ``"input"``, a layer name, or ``"late"``
    for C5, F6 and the output together."""
    unitContextRequested = Signal(object, object)
    """A right click on a unit: its ``(layer, map, row, column)`` and the
    global position for a context menu."""

    LATE = ("C5", "F6", "output")
    """The layers shown together when any of them is picked."""
    SIZE_HINT = QSize(700, 520)
    MINIMUM_SIZE_HINT = QSize(320, 260)

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The whole network")
        hidden = ColorScale((-spec.amplitude, spec.amplitude), title="unit output")
        ink = ColorScale((spec.background, spec.ink), "CET-L1", title="ink")
        chance = ColorScale((0.0, 1.0), "viridis", title="probability")
        side = spec.input_size
        strip_slots = [
            LayerSlot("input", "input", (1, side, side), (0, 0), ink, (1, 1))
        ]
        for k, layer in enumerate(spec.layers, start=1):
            if layer.name == "output":
                slot = LayerSlot(
                    "output",
                    "output",
                    (layer.maps,),
                    (0, k),
                    chance,
                    (layer.maps, 1),
                    noun="unit",
                )
            else:
                grid = FeatureMapPanel.GRIDS.get(layer.name)
                noun = "map" if layer.has_maps else "unit"
                slot = LayerSlot(
                    layer.name,
                    layer.name,
                    layer.shape,
                    (0, k),
                    hidden,
                    grid,
                    noun=noun,
                )
            strip_slots.append(slot)
        self._strip = LayerGrid(strip_slots)
        self._strip.setMaximumHeight(120)
        self._strip.setToolTip("Click a stage to see it large below")

        c5, f6, out = (spec.layer(name) for name in self.LATE)
        # The late layers' titles, in full and short for a narrow window, where
        # the full ones would push the colour bars out of sight.
        self._titles = {
            "C5": (
                f"C5 \N{MIDDLE DOT} {c5.maps} units",
                f"C5 \N{MIDDLE DOT} {c5.maps}",
            ),
            "F6": (
                f"F6 \N{MIDDLE DOT} {f6.maps} units (7{_TIMES}12)",
                f"F6 \N{MIDDLE DOT} {f6.maps}",
            ),
            "output": ("output \N{MIDDLE DOT} probability", "output"),
        }
        self._late = LayerGrid(
            [
                LayerSlot(
                    "C5",
                    self._titles["C5"][0],
                    c5.shape,
                    (0, 0),
                    hidden,
                    noun="unit",
                ),
                LayerSlot(
                    "F6",
                    self._titles["F6"][0],
                    f6.shape,
                    (0, 1),
                    hidden,
                    noun="unit",
                ),
                LayerSlot(
                    "output",
                    self._titles["output"][0],
                    out.shape,
                    (0, 2),
                    chance,
                    (out.maps, 1),
                    noun="unit",
                    labels=[str(d) for d in range(out.maps)],
                ),
            ],
            [hidden, chance],
        )
        self._maps = FeatureMapPanel(spec, selector=False)
        self._input = NetworkInputView(spec)
        self._stack = QStackedWidget()
        for page in (self._late, self._maps, self._input):
            self._stack.addWidget(page)

        self._caption = QLabel()
        self._caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._strip)
        layout.addWidget(self._caption)
        layout.addWidget(self._stack, 1)

        self._strip.layerClicked.connect(self.show_stage)
        for view in (self._late, self._maps):
            view.unitHovered.connect(self.unitHovered)
            view.hoverInfoChanged.connect(self.hoverInfoChanged)
            view.unitContextRequested.connect(self.unitContextRequested)
        self._strip.hoverInfoChanged.connect(self.hoverInfoChanged)
        keep_titles_fitted(self._late, self._titles)
        self._stage = ""
        self.show_stage("output")
        self._finish_building()

    # ------------------------------------------------------------------ public API

    @property
    def strip(self) -> LayerGrid:
        """The overview strip."""
        return self._strip

    @property
    def late_layers(self) -> LayerGrid:
        """C5, F6 and the output, large."""
        return self._late

    @property
    def feature_maps(self) -> FeatureMapPanel:
        """The feature maps, shown one layer at a time."""
        return self._maps

    @property
    def input_view(self) -> NetworkInputView:
        """The input, large."""
        return self._input

    def stage(self) -> str:
        """Return the stage shown large: ``"input"``, ``"late"`` or C1..S4."""
        return self._stage

    def show_stage(self, name: str) -> None:
        """Show a stage large: ``"input"``, any layer, or ``"late"``.

        Raises
        ------
        KeyError
            If `name` is not a stage.
        """
        page: QWidget
        if name in (*self.LATE, "late"):
            stage, page = "late", self._late
            caption = (
                "C5 reads all 16 S4 maps through 5\N{MULTIPLICATION SIGN}5 kernels; "
                "F6 reads all of C5; the output reads all of F6 and the softmax "
                "turns its sums into probabilities. Hover a unit for its sum."
            )
        elif name == "input":
            stage, page = "input", self._input
            caption = "What the network receives: 32\N{MULTIPLICATION SIGN}32."
        elif name in self._maps.layers():
            stage, page = name, self._maps
            self._maps.show_layer(name)
            caption = f"Layer {name}, large. Hover a unit for its sum."
        else:
            raise KeyError(f"no stage {name!r} in the network")
        self._stack.setCurrentWidget(page)
        self._caption.setText(caption)
        self._strip.emphasise(self.LATE if stage == "late" else [stage])
        if stage != self._stage:
            self._stage = stage
            self.stageChanged.emit(stage)

    def set_state(
        self,
        network_input: np.ndarray | None,
        activations: Mapping[str, np.ndarray] | None = None,
        probabilities: np.ndarray | None = None,
    ) -> None:
        """Show the network's state for one input, or clear it (None)."""
        if network_input is None or activations is None:
            for name in self._strip.names():
                self._strip.set_values(name, None)
            for name in self._late.names():
                self._late.set_values(name, None)
            self._maps.set_activations(None)
            self._input.set_input(None)
            return
        values = {**activations, "input": network_input, "output": probabilities}
        for name in self._strip.names():
            self._strip.set_values(name, values[name])
        if self._stage == "late":
            for name in self._late.names():
                self._late.set_values(name, values[name])
        elif self._stage == "input":
            self._input.set_input(network_input)
        else:
            self._maps.set_activations(activations)

    def set_switched_off(self, ablation: Mapping[str, Collection[int]]) -> None:
        """Hatch the maps and units switched off, by layer, wherever they show."""
        for grid in (self._strip, self._late, self._maps):
            grid.set_switched_off(ablation)

    def outline_maps(self, layer: str | None, maps: Sequence[int] = ()) -> None:
        """Frame maps feeding a hovered unit, where the large view shows them."""
        if layer in self._maps.layers():
            self._maps.outline_maps(layer, maps)
        else:
            self._maps.outline_maps(None)
