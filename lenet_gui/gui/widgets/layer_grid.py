"""Several layers' units in one picture: hover a unit for its value, click a layer.

The feature-map panel, the whole-network view and the comparison view all
show layers this way; this module holds what they share: each layer a packed
image (:class:`~lenet_gui.gui.widgets.packed_layer.PackedLayer`) with a label,
placed in a grid, fixed colour levels explained by colour bars, the unit
under the pointer framed, its value in the hover text.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from lenet_gui.gui.widgets.packed_layer import PackedLayer, Packing
from lenet_gui.gui.widgets.still_pictures import keep_still_pictures
from lenet_gui.gui.widgets.themed import ThemedWidget, color_axes
from lenet_gui.spec.lenet5 import Unit

__all__ = ["ColorScale", "LayerGrid", "LayerSlot", "fit_titles", "keep_titles_fitted"]

_UNLIMITED = 16777215.0  # Qt's largest widget size


@dataclass(frozen=True)
class ColorScale:
    """Fixed colour levels, the colour map that paints them, and what they measure.

    The title is the colour bar's; scales that differ only by title are equal,
    so a layer is matched to its bar by levels and colour map alone.
    """

    levels: tuple[float, float]
    color_map: str = "CET-D1"
    title: str = field(default="", compare=False)

    def lookup_table(self) -> np.ndarray:
        """Return the 256-entry RGB lookup table of the colour map."""
        return pg.colormap.get(self.color_map).getLookupTable(nPts=256, alpha=False)


@dataclass(frozen=True)
class LayerSlot:
    """One layer of a :class:`LayerGrid`: what it is and where it goes.

    Attributes
    ----------
    name : str
        The layer's name, as in units and signals (``"C3"``).
    title : str
        The label above the picture.
    shape : tuple of int
        (maps, h, w) for feature maps, (units,) for a vector.
    position : tuple of int
        (row, column) of the label in the grid; the picture is on the row below.
    scale : ColorScale
        The layer's colour levels.
    grid : tuple of int, optional
        Rows and columns of maps in the packed image (square-ish by default).
    noun : str
        What a unit is called in the hover text: ``"map"`` gives "C3 map 7
        (2, 5)", anything else "C5 unit 37".
    labels : sequence of str, optional
        For a vector: a label beside each unit (e.g. the digits of the output).
    describe : callable, optional
        ``describe(map, row, column, value)`` gives the hover text of a unit
        (value NaN where the layer shows none); by default "C3 map 7 (2, 5):
        -0.834".
    """

    name: str
    title: str
    shape: tuple[int, ...]
    position: tuple[int, int]
    scale: ColorScale
    grid: tuple[int, int] | None = None
    noun: str = "map"
    labels: Sequence[str] = ()
    describe: Callable[[int, int, int, float], str] | None = None

    def default_description(self, k: int, i: int, j: int, value: float) -> str:
        """Describe a unit: "C3 map 7 (2, 5): -0.834" or "C5 unit 37: 1.234"."""
        where = f" ({i}, {j})" if self.noun == "map" else ""
        shown = "" if np.isnan(value) else f": {value:.3f}"
        return f"{self.name} {self.noun} {k}{where}{shown}"


class LayerGrid(ThemedWidget):
    """Layers packed into images in one grid, with hover, frames and clicks.

    Parameters
    ----------
    slots : sequence of LayerSlot
        The layers and where they go.
    color_bars : sequence of ColorScale
        Colour bars to show at the right, in order.
    parent : QWidget, optional
        The parent widget.
    """

    unitHovered = Signal(object)
    """The pointer moved onto another unit: its ``(layer, map, row, column)``
    (row = column = 0 for a vector's units), or None off the units."""
    hoverInfoChanged = Signal(str)
    """The hover text changed, e.g. ``"C3 map 7 (2, 5): -0.834"`` (no value
    while cleared), or ``""`` off the units."""
    layerClicked = Signal(str)
    """A layer's picture was clicked (left button)."""
    layerDoubleClicked = Signal(str)
    """A layer's picture was double-clicked (left button)."""
    unitContextRequested = Signal(object, object)
    """A right click on a unit: its ``(layer, map, row, column)`` and the
    global position (a ``QPoint``) for a context menu."""

    def __init__(
        self,
        slots: Sequence[LayerSlot],
        color_bars: Sequence[ColorScale] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._slots = {slot.name: slot for slot in slots}
        self._layers = {
            slot.name: PackedLayer(
                slot.title,
                Packing.build(slot.shape, slot.grid, 1),
                slot.scale.lookup_table(),
                slot.scale.levels,
            )
            for slot in slots
        }
        self._hover_info = ""
        # Last hovered (layer, row, column) in a packed image, to refresh the
        # hover text when new values arrive under a still pointer.
        self._hover_at: tuple[str, int, int] | None = None
        self._hovered_unit: Unit | None = None
        self._visible = set(self._layers)
        self._emphasised: set[str] = set()

        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        self._graphics.ci.setContentsMargins(2, 2, 2, 2)
        self._graphics.ci.setSpacing(2)
        self._graphics.viewport().installEventFilter(self)
        self._graphics.viewport().setMouseTracking(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._graphics)

        # A nested grid, so that tall colour bars do not take part in sharing
        # out the height between the layers' rows.
        self._grid = self._graphics.ci.addLayout(row=0, col=0)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self._unit_labels: list[pg.TextItem] = []
        for slot in slots:
            layer = self._layers[slot.name]
            row, col = slot.position
            self._grid.addItem(layer.label, row=row, col=col)
            self._grid.addItem(layer.view, row=row + 1, col=col)
            for k, text in enumerate(slot.labels):
                label = pg.TextItem(text, anchor=(1.0, 0.5))
                label.setPos(-0.15, k + 0.5)
                layer.view.addItem(label)
                self._unit_labels.append(label)
        self._color_bars = [
            pg.ColorBarItem(
                values=scale.levels,
                colorMap=pg.colormap.get(scale.color_map),
                label=scale.title or None,
                width=10,
                interactive=False,
                colorMapMenu=False,
            )
            for scale in color_bars
        ]
        for k, bar in enumerate(self._color_bars):
            self._graphics.ci.addItem(bar, row=0, col=1 + k)
        self._bar_of = {
            slot.name: next(
                (
                    bar
                    for scale, bar in zip(color_bars, self._color_bars, strict=True)
                    if scale == slot.scale
                ),
                None,
            )
            for slot in slots
        }
        self.set_visible_layers(None)
        keep_still_pictures(self._graphics)
        self._finish_building()

    # ------------------------------------------------------------------ public API

    @property
    def graphics(self) -> pg.GraphicsLayoutWidget:
        """The pyqtgraph widget the layers are drawn in (for pictures and tests)."""
        return self._graphics

    def names(self) -> list[str]:
        """Return the layers' names, in the order given."""
        return list(self._layers)

    def layer(self, name: str) -> PackedLayer:
        """Return a layer's packed picture.

        Raises
        ------
        KeyError
            If there is no layer `name`.
        """
        try:
            return self._layers[name]
        except KeyError:
            raise KeyError(
                f"unknown layer {name!r}; layers are {', '.join(self._layers)}"
            ) from None

    def set_values(self, name: str, values: np.ndarray | None) -> None:
        """Show a layer's values (any array of its size), or clear them."""
        self.layer(name).set_values(values)
        if self._hover_at is not None and self._hover_at[0] == name:
            self._refresh_hover()

    def set_levels(self, name: str, levels: tuple[float, float]) -> None:
        """Give a layer, and the colour bar of its scale, other fixed levels."""
        layer = self.layer(name)
        layer.levels = levels
        layer.image.setLevels(levels)
        bar = self._bar_of[name]
        if bar is not None:
            bar.setLevels(levels)

    def emphasise(self, names: Collection[str]) -> None:
        """Set the titles of these layers in bold, the others plainly."""
        self._emphasised = set(names)
        for name, layer in self._layers.items():
            layer.label.setAttr("bold", name in self._emphasised)
            layer.label.setText(layer.label.text)

    def set_switched_off(self, ablation: Mapping[str, Collection[int]]) -> None:
        """Hatch the maps and units switched off, by layer; others show plainly."""
        for name, layer in self._layers.items():
            layer.set_switched_off(ablation.get(name, ()))

    def set_visible_layers(self, names: Sequence[str] | None) -> None:
        """Show only these layers (None: all); hidden ones get no space."""
        self._visible = set(self._layers if names is None else names)
        shown_rows = set()
        for name, layer in self._layers.items():
            visible = name in self._visible
            layer.set_visible(visible)
            if visible:
                shown_rows.add(self._slots[name].position[0] + 1)
        _share_rows(self._grid.layout, self._slots.values(), shown_rows)
        # Only the colour bars of the layers shown.
        used = {id(self._bar_of[name]) for name in self._visible}
        for bar in self._color_bars:
            bar.setVisible(id(bar) in used)
        self._set_hover(None)

    def outline_maps(self, layer: str | None, maps: Sequence[int] = ()) -> None:
        """Frame some maps of one layer (e.g. those feeding a hovered unit).

        Parameters
        ----------
        layer : str or None
            A layer with maps; None removes every frame.
        maps : sequence of int
            The maps of `layer` to frame; the others lose theirs.

        Raises
        ------
        KeyError
            If `layer` is not None and not a layer here.
        IndexError
            If a map index is out of range for `layer`.
        """
        framed = set()
        if layer is not None:
            count = self.layer(layer).packing.shape[0]
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

    def hovered_unit(self) -> Unit | None:
        """Return the ``(layer, map, row, column)`` under the pointer, or None."""
        return self._hovered_unit

    def hover_text(self) -> str:
        """Return the hover text shown now ("" off the units)."""
        return self._hover_info

    # -------------------------------------------------------------------- events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turn pointer events on the pictures into hover text and clicks."""
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            assert isinstance(event, QMouseEvent)
            self._set_hover(self._pixel_at(event.position()))
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            assert isinstance(event, QMouseEvent)
            hit = self._pixel_at(event.position())
            if hit is not None and event.button() == Qt.MouseButton.LeftButton:
                if kind == QEvent.Type.MouseButtonDblClick:
                    self.layerDoubleClicked.emit(hit[0])
                else:
                    self.layerClicked.emit(hit[0])
                return True
            if hit is not None and event.button() == Qt.MouseButton.RightButton:
                unit = self._unit_at(hit)
                if unit is not None:
                    where = event.globalPosition().toPoint()
                    self.unitContextRequested.emit(unit, where)
                return True
        elif kind == QEvent.Type.Leave:
            self._set_hover(None)
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------- private

    def _pixel_at(self, position: QPointF) -> tuple[str, int, int] | None:
        """Return the (layer, row, column) of the packed pixel under a point."""
        scene_pos = self._graphics.mapToScene(position.toPoint())
        for name, layer in self._layers.items():
            pixel = layer.pixel_at(scene_pos)
            if pixel is not None:
                return name, *pixel
        return None

    def _unit_at(self, at: tuple[str, int, int]) -> Unit | None:
        name, row, col = at
        found = self._layers[name].packing.unit_at(row, col)
        return None if found is None else (name, *found)

    def _set_hover(self, at: tuple[str, int, int] | None) -> None:
        self._hover_at = at
        unit = None if at is None else self._unit_at(at)
        if unit != self._hovered_unit:
            self._hovered_unit = unit
            for layer in self._layers.values():
                layer.mark(None)
            if at is not None and unit is not None:
                self._layers[at[0]].mark(at[1:])
            self.unitHovered.emit(unit)
        self._refresh_hover()

    def _refresh_hover(self) -> None:
        text = ""
        at = self._hover_at
        unit = None if at is None else self._unit_at(at)
        if at is not None and unit is not None:
            name, k, i, j = unit
            slot, layer = self._slots[name], self._layers[name]
            _, row, col = at
            value = float(layer.buffer[row, col]) if layer.has_values else np.nan
            text = (slot.describe or slot.default_description)(k, i, j, value)
        if text != self._hover_info:
            self._hover_info = text
            self.hoverInfoChanged.emit(text)

    def _apply_palette(self) -> None:
        palette = self.palette()
        self._graphics.setBackground(palette.color(QPalette.ColorRole.Window))
        text = palette.color(QPalette.ColorRole.WindowText)
        for layer in self._layers.values():
            layer.label.setAttr("color", text.name())
            layer.label.setText(layer.label.text)
        for label in self._unit_labels:
            label.setColor(text)
        color_axes(self._color_bars, ["right", "left"], text)


def _share_rows(layout: Any, slots: Iterable[LayerSlot], shown_rows: set[int]) -> None:
    """Give the height to the rows of shown pictures, none to hidden layers.

    Rows of shown pictures share the height; label rows keep only the height
    of their text; the rows of hidden layers get none at all (a hidden item
    still takes its height in a graphics layout, so their height is capped).
    """
    for slot in slots:
        row = slot.position[0] + 1
        shown = row in shown_rows
        layout.setRowStretchFactor(row, int(shown))
        for taken in (row - 1, row):
            layout.setRowMaximumHeight(taken, _UNLIMITED if shown else 0)


def fit_titles(grid: LayerGrid, titles: Mapping[str, Sequence[str]]) -> None:
    """Title a grid's layers in full if all titles fit beside the colour bars.

    `titles` gives each layer its full title and its short one; where
    the full titles would push the bars out of sight, every layer takes
    its short title.
    """
    layout = grid.graphics.ci.layout
    bars = sum(
        layout.itemAt(0, column).minimumWidth()
        for column in range(1, layout.columnCount())
        if layout.itemAt(0, column) is not None
    )
    full = sum(
        QFontMetricsF(grid.layer(name).label.item.font()).horizontalAdvance(choices[0])
        + 8
        for name, choices in titles.items()
    )
    which = 1 if full + 12 > grid.graphics.width() - bars else 0
    changed = False
    for name, choices in titles.items():
        label = grid.layer(name).label
        if label.text != choices[which]:
            label.setText(choices[which])
            changed = True
    if changed:  # the layout was held at the old titles' width: fit it again
        grid.graphics.ci.setGeometry(
            QRectF(0, 0, grid.graphics.width(), grid.graphics.height())
        )


class _TitleFitter(QObject):
    """Fits a grid's titles again when its pictures' width or the text size changes."""

    _CHANGES = (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange)

    def __init__(self, grid: LayerGrid, titles: Mapping[str, Sequence[str]]) -> None:
        super().__init__(grid)
        self._grid, self._titles = grid, dict(titles)
        grid.graphics.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Fit the titles on a resize, a show or a change of font."""
        if event.type() in self._CHANGES:
            fit_titles(self._grid, self._titles)
        return False


def keep_titles_fitted(grid: LayerGrid, titles: Mapping[str, Sequence[str]]) -> None:
    """Keep a grid's layers titled as :func:`fit_titles` chooses as it resizes."""
    _TitleFitter(grid, titles)
