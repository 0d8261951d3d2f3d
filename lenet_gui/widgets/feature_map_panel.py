"""The feature maps of LeNet-5's C1, S2, C3 and S4 layers, one packed image each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.widgets.packed_layer import OUTLINE_COLOR, PackedLayer, Packing
from lenet_gui.widgets.themed import ThemedWidget


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

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feature maps")
        color_map = pg.colormap.get(self.COLOR_MAP)
        lut = color_map.getLookupTable(nPts=256, alpha=False)
        #: Fixed colour levels: the same colours for the same values, always.
        self.levels = (-spec.amplitude, spec.amplitude)
        self._shapes = MappingProxyType(
            {layer.name: layer.shape for layer in spec.feature_layers}
        )
        times = "\N{MULTIPLICATION SIGN}"
        self._layers = {
            name: PackedLayer(
                f"{name} \N{MIDDLE DOT} {count}@{height}{times}{width}",
                Packing.build(shape, self.GRIDS[name], self.GAP),
                lut,
                self.levels,
            )
            for name, shape in self._shapes.items()
            for count, height, width in [shape]
        }
        self._shown: str | None = None
        self._maps: pg.GraphicsLayout
        self._hover_info = ""
        # Last hovered (layer, row, column) in a packed image, to refresh the
        # hover text when new activations arrive under a still pointer.
        self._hover_at: tuple[str, int, int] | None = None
        self._hovered_unit: tuple[str, int, int, int] | None = None

        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        self._graphics.ci.setContentsMargins(2, 2, 2, 2)
        self._graphics.ci.setSpacing(2)
        self._graphics.viewport().installEventFilter(self)
        self._graphics.viewport().setMouseTracking(True)
        self._color_bar = pg.ColorBarItem(
            values=self.levels,
            colorMap=color_map,
            width=10,
            interactive=False,
            colorMapMenu=False,
        )

        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        selector = QHBoxLayout()
        selector.setSpacing(0)
        for index, text in enumerate((self._ALL, *self._shapes)):
            button = QToolButton()
            button.setText(text)
            button.setCheckable(True)
            button.setObjectName("showAll" if index == 0 else f"show{text}")
            button.setToolTip(
                "Show every layer"
                if index == 0
                else f"Show layer {text} alone (or double-click it)"
            )
            self._buttons.addButton(button, index)
            selector.addWidget(button)
        self._buttons.button(0).setChecked(True)
        self._buttons.idClicked.connect(self._on_selector_clicked)
        selector.addSpacing(12)
        self._hover_label = QLabel()
        self._hover_label.setObjectName("hoverInfo")
        self._hover_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self._hover_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        selector.addWidget(self._hover_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(selector)
        layout.addWidget(self._graphics, 1)

        self._build_layout()
        self._arrange()
        self._finish_building()

    def layers(self) -> Mapping[str, tuple[int, int, int]]:
        """Return the layers shown, in network order, with their (maps, h, w)."""
        return self._shapes

    # ------------------------------------------------------------------ public API

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
            for layer in self._layers.values():
                layer.set_values(None)
        else:
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
                self._layers[name].set_values(array)
        self._refresh_hover()

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
        return self._layer(name).buffer.copy()

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
            self._layer(name)
        if name == self._shown:
            return
        self._shown = name
        index = 0 if name is None else list(self._shapes).index(name) + 1
        self._buttons.button(index).setChecked(True)
        self._arrange()
        self._set_hover(None)
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
        framed = set()
        if layer is not None:
            count = self._layer(layer).packing.shape[0]
            framed = {(layer, int(k)) for k in maps}
            bad = [k for _, k in framed if not 0 <= k < count]
            if bad:
                raise IndexError(f"{layer} has maps 0 to {count - 1}, not {bad}")
        for name, item in self._layers.items():
            for index, outline in enumerate(item.outlines):
                outline.setVisible((name, index) in framed)

    def outlined_maps(self) -> dict[str, list[int]]:
        """Return the framed maps, by layer (layers with none left out)."""
        return {
            name: shown
            for name, layer in self._layers.items()
            if (shown := [k for k, o in enumerate(layer.outlines) if o.isVisible()])
        }

    def hovered_unit(self) -> tuple[str, int, int, int] | None:
        """Return the ``(layer, map, row, column)`` under the pointer, or None."""
        return self._hovered_unit

    def shown_layer(self) -> str | None:
        """Return the layer shown alone, or None when all layers are shown."""
        return self._shown

    # -------------------------------------------------------------------- events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turn pointer events on the maps into hover text and layer switches."""
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            assert isinstance(event, QMouseEvent)
            self._set_hover(self._pixel_at(event.position()))
        elif kind == QEvent.Type.MouseButtonDblClick:
            assert isinstance(event, QMouseEvent)
            hit = self._pixel_at(event.position())
            if hit is not None and event.button() == Qt.MouseButton.LeftButton:
                self.show_layer(None if self._shown else hit[0])
                return True
        elif kind == QEvent.Type.Leave:
            self._set_hover(None)
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------- private

    def _layer(self, name: str) -> PackedLayer:
        try:
            return self._layers[name]
        except KeyError:
            raise KeyError(
                f"unknown layer {name!r}; layers are {', '.join(self._shapes)}"
            ) from None

    def _build_layout(self) -> None:
        """Place every layer in a grid, and the colour bar beside it."""
        ci = self._graphics.ci
        # A nested grid, so that the tall colour bar does not take part in sharing
        # out the height between the layers' rows.
        self._maps = ci.addLayout(row=0, col=0)
        self._maps.setContentsMargins(0, 0, 0, 0)
        self._maps.setSpacing(2)
        for name, (row, col) in self._ALL_LAYOUT.items():
            layer = self._layers[name]
            self._maps.addItem(layer.label, row=row, col=col)
            self._maps.addItem(layer.view, row=row + 1, col=col)
        ci.addItem(self._color_bar, row=0, col=1)

    def _arrange(self) -> None:
        """Show the chosen layers; the grid gives hidden ones no space."""
        shown_rows = set()
        for name, layer in self._layers.items():
            visible = self._shown is None or name == self._shown
            layer.set_visible(visible)
            if visible:
                shown_rows.add(self._ALL_LAYOUT[name][0] + 1)
        # Rows of shown views share the height; label rows keep only the height of
        # their text, and rows of hidden views none at all.
        for row, _ in self._ALL_LAYOUT.values():
            self._maps.layout.setRowStretchFactor(row + 1, int(row + 1 in shown_rows))

    def _pixel_at(self, position: QPointF) -> tuple[str, int, int] | None:
        """Return the (layer, row, column) of the packed pixel under a point."""
        scene_pos = self._graphics.mapToScene(position.toPoint())
        for name, layer in self._layers.items():
            pixel = layer.pixel_at(scene_pos)
            if pixel is not None:
                return name, *pixel
        return None

    def _set_hover(self, at: tuple[str, int, int] | None) -> None:
        self._hover_at = at
        unit = None
        if at is not None:
            name, row, col = at
            found = self._layers[name].packing.unit_at(row, col)
            unit = None if found is None else (name, *found)
        if unit != self._hovered_unit:
            self._hovered_unit = unit
            for layer in self._layers.values():
                layer.mark(None)
            if unit is not None:
                self._layers[name].mark((row, col))
            self.unitHovered.emit(unit)
        self._refresh_hover()

    def _refresh_hover(self) -> None:
        text = ""
        if self._hover_at is not None:
            name, row, col = self._hover_at
            layer = self._layers[name]
            found = layer.packing.unit_at(row, col)
            if found is not None:
                k, i, j = found
                text = f"{name} map {k} ({i}, {j})"
                if layer.has_values:
                    text += f": {float(layer.buffer[row, col]):.3f}"
        if text != self._hover_info:
            self._hover_info = text
            self._hover_label.setText(text)
            self.hoverInfoChanged.emit(text)

    def _apply_palette(self) -> None:
        palette = self.palette()
        self._graphics.setBackground(palette.color(QPalette.ColorRole.Window))
        text = palette.color(QPalette.ColorRole.WindowText)
        for layer in self._layers.values():
            layer.label.setAttr("color", text.name())
            layer.label.setText(layer.label.text)
        axis = self._color_bar.getAxis("right")
        axis.setPen(text)
        axis.setTextPen(text)

    def _on_selector_clicked(self, index: int) -> None:
        self.show_layer(None if index == 0 else list(self._shapes)[index - 1])
