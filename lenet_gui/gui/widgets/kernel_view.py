"""The weights of C1 to S4: kernels, Table I's connections, coefficients and biases."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from lenet_gui.gui.widgets.layer_grid import (
    ColorScale,
    LayerGrid,
    LayerSlot,
    keep_titles_fitted,
)
from lenet_gui.gui.widgets.map_numbers import MapNumbers
from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["KernelView"]

_TIMES = "\N{MULTIPLICATION SIGN}"


def _value(value: float) -> str:
    return "" if np.isnan(value) else f": {value:.4f}"


class KernelView(ThemedWidget):
    """What C1 to S4 have learnt, each layer on its own symmetric colour scale.

    C1's six 5x5 kernels stand beside the maps they make from the input
    drawn now. C3's kernels form Table I's 16x6 grid, one row per C3 map and
    one column per S2 map, the 36 connections the paper leaves out empty.
    S2 and S4 show each map's coefficient (top row) and bias (bottom row).
    Hover any square for its value.

    Parameters
    ----------
    spec : NetworkSpec
        The network: layer shapes and the squashing amplitude.
    parent : QWidget, optional
        The parent widget.
    """

    hoverInfoChanged = Signal(str)
    """The hover text changed (``""`` off the squares)."""
    mapContextRequested = Signal(object, object)
    """A right click on a kernel, weight or map unit: ``(layer, map, row,
    column)`` of the network's unit, row and column None when a kernel or
    weight was clicked (it belongs to the whole map), and the global position
    for a context menu."""

    SIZE_HINT = QSize(700, 520)
    MINIMUM_SIZE_HINT = QSize(320, 260)

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Weights of C1 to S4")
        c1, s2, c3, s4 = (spec.layer(name) for name in ("C1", "S2", "C3", "S4"))
        self._c3_sources = c3.inputs
        self._mask = np.ones((c3.maps, c3.inputs), dtype=bool)
        unit = ColorScale((-1.0, 1.0), title="weight")
        maps = ColorScale((-spec.amplitude, spec.amplitude), title="unit output")
        k = c1.kernel
        # C1's titles in one line, or in two where one line would be cut, so
        # the maps' range is never lost.
        self._c1_titles = {
            "C1 kernels": (
                f"C1 kernels {k}{_TIMES}{k}",
                f"C1 kernels<br>{k}{_TIMES}{k}",
            ),
            "C1 maps": (
                f"C1 maps (\N{PLUS-MINUS SIGN}{spec.amplitude:.2f})",
                f"C1 maps<br>\N{PLUS-MINUS SIGN}{spec.amplitude:.2f}",
            ),
        }
        self._c1 = LayerGrid(
            [
                LayerSlot(
                    "C1 kernels",
                    self._c1_titles["C1 kernels"][0],
                    (c1.maps, k, k),
                    (0, 0),
                    unit,
                    (c1.maps, 1),
                    describe=lambda m, i, j, v: f"C1 kernel {m} ({i}, {j})" + _value(v),
                ),
                LayerSlot(
                    "C1 maps",
                    self._c1_titles["C1 maps"][0],
                    c1.shape,
                    (0, 1),
                    maps,
                    (c1.maps, 1),
                ),
            ],
            [unit],
        )
        self._c3 = LayerGrid(
            [
                LayerSlot(
                    "C3 kernels",
                    f"C3 kernels: C3 maps (rows) {_TIMES} S2 maps",
                    (c3.maps * c3.inputs, k, k),
                    (0, 0),
                    unit,
                    (c3.maps, c3.inputs),
                    describe=self._describe_c3,
                ),
            ],
            [unit],
        )
        self._subsampling = {}
        for layer in (s2, s4):
            grid = LayerGrid(
                [
                    LayerSlot(
                        f"{layer.name} weights",
                        f"{layer.name}: coefficient over bias",
                        (2 * layer.maps,),
                        (0, 0),
                        unit,
                        (2, layer.maps),
                        describe=functools.partial(
                            _describe_coefficient, layer.name, layer.maps
                        ),
                    ),
                ],
                [unit],
            )
            grid.setMaximumHeight(110)
            self._subsampling[layer.name] = grid
        self._grids = [self._c1, self._c3, *self._subsampling.values()]
        numbers = [str(k) for k in range(c3.maps)], [str(k) for k in range(c3.inputs)]
        self._numbers = [
            MapNumbers(self._c3.layer("C3 kernels"), *numbers, left=7.0, top=7.0)
        ]
        for layer in (s2, s4):
            strip = self._subsampling[layer.name].layer(f"{layer.name} weights")
            columns = [str(k) for k in range(layer.maps)]
            self._numbers.append(MapNumbers(strip, [], columns, left=0.0, top=0.8))

        self._hover = QLabel()
        self._hover.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._hover.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._hover, 0, 0, 1, 2)
        layout.addWidget(self._c1, 1, 0)
        layout.addWidget(self._c3, 1, 1)
        layout.addWidget(self._subsampling["S2"], 2, 0)
        layout.addWidget(self._subsampling["S4"], 2, 1)
        layout.setRowStretch(1, 1)
        layout.setColumnStretch(0, 2)
        layout.setColumnStretch(1, 3)
        self._subsampling_maps = {s2.name: s2.maps, s4.name: s4.maps}
        for layer in (s2, s4):  # the strips' numbers thin out when crowded
            strip = self._subsampling[layer.name].layer(f"{layer.name} weights")
            strip.view.sigTransformChanged.connect(self._thin_numbers)
        for grid in self._grids:
            grid.hoverInfoChanged.connect(self._on_grid_hover_info_changed)
            grid.unitContextRequested.connect(self._on_grid_unit_context_requested)
        keep_titles_fitted(self._c1, self._c1_titles)
        self._finish_building()

    def grid(self, name: str) -> LayerGrid:
        """Return the pictures holding layer `name` ("C1", "C3", "S2" or "S4")."""
        return {"C1": self._c1, "C3": self._c3, **self._subsampling}[name]

    def set_weights(self, layers: Mapping[str, Any] | None) -> None:
        """Show the weights of C1, S2, C3 and S4, or clear them (None).

        Parameters
        ----------
        layers : Mapping or None
            By layer name, objects with ``weights`` (C1, C3: (maps, inputs,
            5, 5) kernels; S2, S4: (maps,) coefficients), ``biases``,
            ``limit`` (largest magnitude, for the symmetric scale) and, for
            C3, ``mask`` ((16, 6) bool, Table I).
        """
        if layers is None:
            for grid in self._grids:
                for name in grid.names():
                    if name != "C1 maps":
                        grid.set_values(name, None)
            return
        c1, c3 = layers["C1"], layers["C3"]
        self._set(self._c1, "C1 kernels", c1.weights[:, 0], c1.limit)
        self._mask = np.asarray(c3.mask, dtype=bool)
        kernels = np.array(c3.weights, dtype=np.float32)
        kernels[~self._mask] = np.nan  # Table I's absent connections: empty
        self._set(
            self._c3, "C3 kernels", kernels.reshape(-1, *kernels.shape[2:]), c3.limit
        )
        for name, grid in self._subsampling.items():
            layer = layers[name]
            values = np.concatenate([layer.weights, layer.biases])
            self._set(grid, f"{name} weights", values, float(np.abs(values).max()))

    def set_maps(self, c1_maps: np.ndarray | None) -> None:
        """Show C1's maps for the input drawn now, beside their kernels."""
        self._c1.set_values("C1 maps", c1_maps)

    @staticmethod
    def _set(grid: LayerGrid, name: str, values: np.ndarray, limit: float) -> None:
        limit = limit or 1.0
        grid.set_levels(name, (-limit, limit))
        grid.set_values(name, values)

    def _describe_c3(self, index: int, row: int, col: int, value: float) -> str:
        c3_map, s2_map = divmod(index, self._c3_sources)
        if not self._mask[c3_map, s2_map]:
            return f"C3 map {c3_map} does not read S2 map {s2_map} (Table I)"
        return (
            f"C3 map {c3_map} \N{LEFTWARDS ARROW} S2 map {s2_map}, "
            f"kernel ({row}, {col}){_value(value)}"
        )

    def _thin_numbers(self, *_: object) -> None:
        """Show every number of a strip, or every 2nd, 4th... where they crowd."""
        for numbers in self._numbers[1:]:
            items = numbers.items
            if len(items) < 2:
                continue
            view = items[0].getViewBox()
            if view is None:
                continue
            first, second = (view.mapViewToScene(item.pos()) for item in items[:2])
            spacing = abs(second.x() - first.x())
            widest = max(item.textItem.boundingRect().width() for item in items)
            step = 1  # every number, or every 2nd, 4th... as room allows
            while step < len(items) and spacing * step < widest + 4:
                step *= 2
            for k, item in enumerate(items):
                item.setVisible(k % step == 0)

    def map_numbers(self) -> list[MapNumbers]:
        """Return the numbers of C3's grid and of S2's and S4's strips."""
        return list(self._numbers)

    def _apply_palette(self) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for numbers in self._numbers:
            numbers.set_color(text)

    def _on_grid_unit_context_requested(
        self, unit: tuple[str, int, int, int], where: object
    ) -> None:
        """Say which of the network's maps (or units) was right-clicked."""
        name, index, row, col = unit
        if name == "C1 maps":
            self.mapContextRequested.emit(("C1", index, row, col), where)
        elif name == "C1 kernels":
            self.mapContextRequested.emit(("C1", index, None, None), where)
        elif name == "C3 kernels":
            c3_map = index // self._c3_sources
            self.mapContextRequested.emit(("C3", c3_map, None, None), where)
        else:  # "S2 weights", "S4 weights": coefficients, then biases
            layer = name.split()[0]
            maps = self._subsampling_maps[layer]
            self.mapContextRequested.emit((layer, index % maps, None, None), where)

    def _on_grid_hover_info_changed(self, text: str) -> None:
        self._hover.setText(text)
        self.hoverInfoChanged.emit(text)


def _describe_coefficient(
    layer: str, maps: int, index: int, row: int, col: int, value: float
) -> str:
    """Say which subsampling coefficient or bias square `index` is, and its value."""
    kind = "coefficient" if index < maps else "bias"
    return f"{layer} map {index % maps} {kind}" + _value(value)
