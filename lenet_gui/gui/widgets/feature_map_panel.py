"""The feature maps of LeNet-5's C1, S2, C3 and S4 layers, one packed image each."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.layer_grid import ColorScale, LayerGrid, LayerSlot
from lenet_gui.gui.widgets.packed_layer import OUTLINE_COLOR
from lenet_gui.gui.widgets.themed import ThemedWidget


class FeatureMapPanel(ThemedWidget):
    """Feature maps of the C1, S2, C3 and S4 layers, all at once or one large.

    Each layer is one image in one view: its maps packed in a grid with thin
    transparent gaps. Values use fixed symmetric levels over the scaled tanh range
    and a diverging colour map, explained by one colour bar. Hovering over a map
    shows the layer, map index, position and value; double-clicking a layer, or
    the selector above, shows that layer alone.

    Parameters
    ----------
    spec : NetworkSpec
        The network: its ``feature_layers`` (each with a ``name`` and a
        ``shape`` of (maps, height, width)) are shown, and its squashing
        ``amplitude`` gives the fixed colour levels.
    selector : bool
        Whether to offer the buttons that pick the layer shown.
    parent : QWidget, optional
        The parent widget.
    """

    hoverInfoChanged = Signal(str)
    """Emitted with a description of the value under the pointer, e.g.
    ``"C3 map 7 (2, 5): -0.834"`` (without the value while the maps are cleared),
    or ``""`` when the pointer leaves the maps."""
    shownLayerChanged = Signal(object)
    """Emitted with the layer now shown alone, or None when all layers are shown."""
    unitHovered = Signal(object)
    """Emitted when the pointer moves onto another unit, with its
    ``(layer, map, row, column)``, or None when it leaves the maps (or a gap).
    The unit is framed while the pointer is on it."""
    unitContextRequested = Signal(object, object)
    """A right click on a unit: its ``(layer, map, row, column)`` and the
    global position for a context menu."""

    GRIDS: Mapping[str, tuple[int, int]] = MappingProxyType(
        {"C1": (2, 3), "S2": (2, 3), "C3": (4, 4), "S4": (4, 4)}
    )
    """Rows and columns of maps in each layer's packed image."""
    GAP = 1
    """Transparent gap between maps in a packed image, in pixels."""
    COLOR_MAP = "CET-D1"
    """Name of the diverging pyqtgraph colour map: blue negative, red positive."""
    OUTLINE_COLOR = OUTLINE_COLOR
    """Colour of the frames :meth:`outline_maps` draws around maps."""

    # Where each layer sits when all are shown: (label row, column); the view is on
    # the row below its label.
    _ALL_LAYOUT = MappingProxyType(
        {"C1": (0, 0), "S2": (0, 1), "C3": (2, 0), "S4": (2, 1)}
    )
    _ALL = "All layers"
    SIZE_HINT = QSize(700, 420)
    MINIMUM_SIZE_HINT = QSize(320, 220)

    def __init__(
        self, spec: Any, parent: QWidget | None = None, *, selector: bool = True
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feature maps")
        #: Fixed colour levels: the same colours for the same values, always.
        self.levels = (-spec.amplitude, spec.amplitude)
        scale = ColorScale(self.levels, self.COLOR_MAP, title="unit output")
        self._shapes = MappingProxyType(
            {layer.name: layer.shape for layer in spec.feature_layers}
        )
        times = "\N{MULTIPLICATION SIGN}"
        self._grid = LayerGrid(
            [
                LayerSlot(
                    name,
                    f"{name} \N{MIDDLE DOT} {count}@{height}{times}{width}",
                    shape,
                    self._ALL_LAYOUT[name],
                    scale,
                    self.GRIDS[name],
                )
                for name, shape in self._shapes.items()
                for count, height, width in [shape]
            ],
            [scale],
        )
        self._shown: str | None = None
        # What hovering, double-clicking and right-clicking do is said once, in
        # the unit-sum view's heading, not in a tooltip over the maps.
        self._grid.unitHovered.connect(self.unitHovered)
        self._grid.hoverInfoChanged.connect(self._on_grid_hover_info_changed)
        self._grid.layerDoubleClicked.connect(self._on_grid_layer_double_clicked)
        self._grid.unitContextRequested.connect(self.unitContextRequested)

        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        bar = QHBoxLayout()
        bar.setSpacing(0)
        for index, text in enumerate((self._ALL, *self._shapes)):
            button = QToolButton()
            button.setText(text)
            button.setCheckable(True)
            button.setVisible(selector)
            button.setObjectName("showAll" if index == 0 else f"show{text}")
            button.setToolTip(
                "Show every layer"
                if index == 0
                else f"Show layer {text} alone (or double-click it)"
            )
            self._buttons.addButton(button, index)
            bar.addWidget(button)
        self._buttons.button(0).setChecked(True)
        self._buttons.idClicked.connect(self._on_selector_clicked)
        bar.addSpacing(12)
        self._hover_label = QLabel()
        self._hover_label.setObjectName("hoverInfo")
        self._hover_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self._hover_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        bar.addWidget(self._hover_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self._grid, 1)
        self._finish_building()

    def layers(self) -> Mapping[str, tuple[int, int, int]]:
        """Return the layers shown, in network order, with their (maps, h, w)."""
        return self._shapes

    # ------------------------------------------------------------------ public API

    @property
    def grid(self) -> LayerGrid:
        """The pictures of the layers (for pictures and tests)."""
        return self._grid

    def set_activations(self, activations: Mapping[str, np.ndarray] | None) -> None:
        """Show new feature maps, or clear them.

        Parameters
        ----------
        activations : Mapping[str, numpy.ndarray] or None
            Arrays keyed by layer name with the shapes of :meth:`layers` (a
            leading batch axis of size 1 is accepted); other keys are ignored.
            None clears every layer.

        Raises
        ------
        ValueError
            If a layer is missing or an array does not have its layer's shape.
        """
        if activations is None:
            for name in self._shapes:
                self._grid.set_values(name, None)
            return
        arrays = {}
        for name, shape in self._shapes.items():
            if name not in activations:
                raise ValueError(f"activations lack layer {name!r}")
            array = np.asarray(activations[name])
            if array.shape != shape and array.shape != (1, *shape):
                raise ValueError(
                    f"layer {name} expects shape {shape}, got {array.shape}"
                )
            arrays[name] = array
        # Validated first, so a bad layer leaves the display unchanged.
        for name, array in arrays.items():
            self._grid.set_values(name, array)

    def image_of_layer(self, name: str) -> np.ndarray:
        """Return a layer's packed image as displayed.

        Parameters
        ----------
        name : str
            A layer name from :meth:`layers`.

        Returns
        -------
        numpy.ndarray
            A copy of the 2-D ``float32`` packed image: map ``k`` occupies grid
            cell ``(k // cols, k % cols)`` of :attr:`GRIDS`, cells are separated
            by :attr:`GAP` NaN pixels, and cleared maps are NaN.

        Raises
        ------
        KeyError
            If `name` is not a layer.
        """
        return self._grid.layer(name).buffer.copy()

    def show_layer(self, name: str | None) -> None:
        """Show one layer alone and large, or every layer.

        Parameters
        ----------
        name : str or None
            A layer name from :meth:`layers`, or None for all layers.

        Raises
        ------
        KeyError
            If `name` is not a layer.
        """
        if name is not None:
            self._grid.layer(name)
        if name == self._shown:
            return
        self._shown = name
        index = 0 if name is None else list(self._shapes).index(name) + 1
        self._buttons.button(index).setChecked(True)
        self._grid.set_visible_layers(None if name is None else [name])
        self.shownLayerChanged.emit(name)

    def outline_maps(self, layer: str | None, maps: Sequence[int] = ()) -> None:
        """Frame some maps of one layer, e.g. the maps that feed a hovered unit.

        Parameters
        ----------
        layer : str or None
            One of :meth:`layers`; None removes every frame.
        maps : sequence of int
            Indices of the maps of `layer` to frame; the others lose theirs.

        Raises
        ------
        KeyError
            If `layer` is not None and not one of :meth:`layers`.
        IndexError
            If a map index is out of range for `layer`.
        """
        self._grid.outline_maps(layer, maps)

    def set_switched_off(self, ablation: Mapping[str, Collection[int]]) -> None:
        """Hatch the maps switched off, by layer."""
        self._grid.set_switched_off(ablation)

    def outlined_maps(self) -> dict[str, list[int]]:
        """Return the framed maps, by layer (layers with none left out)."""
        return self._grid.outlined_maps()

    def hovered_unit(self) -> tuple[str, int, int, int] | None:
        """Return the ``(layer, map, row, column)`` under the pointer, or None."""
        return self._grid.hovered_unit()

    def shown_layer(self) -> str | None:
        """Return the layer shown alone, or None when all layers are shown."""
        return self._shown

    # ------------------------------------------------------------------- private

    def _on_grid_hover_info_changed(self, text: str) -> None:
        self._hover_label.setText(text)
        self.hoverInfoChanged.emit(text)

    def _on_grid_layer_double_clicked(self, name: str) -> None:
        self.show_layer(None if self._shown else name)

    def _on_selector_clicked(self, index: int) -> None:
        self.show_layer(None if index == 0 else list(self._shapes)[index - 1])
