"""Step through a convolution: one unit's sum, its window moved place by place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import Panel

if TYPE_CHECKING:
    from lenet_gui.gui.state.session import ExplorerSession
    from lenet_gui.spec.lenet5 import Unit


class ConvolutionPanel(Panel):
    """One unit of C1 to C5 and its window, stepped or played across its maps.

    The panel holds which unit is chosen, where its window is, which map
    read has its numbers shown and whether the window plays; the numbers
    come from the model (:func:`lenet_gui.explain.convolution.window_step`)
    for the current drawing. A unit of another view comes here through
    ``session.step_through(unit)`` (the units' context menu).
    """

    NAME = "convolution"
    TITLE = "Step through"
    TIP = "One unit's sum in numbers, its window stepped across the maps it reads"

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        super().__init__(session, parent)
        self._layer = session.spec.layers[0].name
        self._index = self._row = self._col = self._focus = 0
        self._playing = False
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(250)
        self._play_timer.timeout.connect(self._on_play_timer_timeout)
        session.stepThroughRequested.connect(self.choose)
        session.network.ablationChanged.connect(self.changed)

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.widgets.convolution_view import ConvolutionView

        self.view = ConvolutionView(self.session.spec)
        self.view.set_unit(self._layer, self._index)
        self.view.unitChosen.connect(self._on_view_unit_chosen)
        self.view.moveRequested.connect(self.move)
        self.view.playToggled.connect(self._on_view_play_toggled)
        self.view.speedChanged.connect(self._on_view_speed_changed)
        self.view.placeChosen.connect(self._on_view_place_chosen)
        self.view.focusChosen.connect(self._on_view_focus_chosen)
        return self.view

    @property
    def unit(self) -> Unit:
        """The unit shown: (layer, map, row, column)."""
        return self._layer, self._index, self._row, self._col

    @property
    def focus(self) -> int:
        """Which map read has its numbers shown (its place among the maps read)."""
        return self._focus

    @property
    def playing(self) -> bool:
        """Whether the window slides on its own."""
        return self._playing

    @Slot(object)
    def choose(self, unit: Unit) -> None:
        """Show a unit of C1 to C5 (another layer is ignored)."""
        layer, index, row, col = unit
        spec = self.session.spec
        if layer not in self._layers():
            return
        side = max(spec.layer(layer).side, 1)
        self._layer, self._index = layer, index
        self._row, self._col = min(max(row, 0), side - 1), min(max(col, 0), side - 1)
        self._focus = 0
        if self.built:
            self.view.set_unit(layer, index)
        self.changed()

    @Slot(int, int)
    def move(self, rows: int, cols: int) -> None:
        """Move the window by rows and columns, in reading order, wrapping round.

        C5's window covers its maps whole, so there the steps go from one map
        read to the next instead.
        """
        side = max(self.session.spec.layer(self._layer).side, 1)
        if side == 1:
            count = len(self.session.spec.sources(self._layer, self._index)[1])
            self._focus = (self._focus + cols + rows) % count
        else:
            place = (self._row + rows) * side + self._col + cols
            self._row, self._col = divmod(place % (side * side), side)
        self.changed()

    def update_view(self) -> None:  # noqa: D102
        result = self.session.result
        classifier = self.session.network.classifier
        if result is None or classifier is None:
            self._set_playing(False)
            self.view.set_step(None)
            return
        # torch-facing: imported once there is something to compute.
        from lenet_gui.explain.convolution import window_step

        step = window_step(classifier, result, *self.unit)
        off = self.session.network.is_switched_off(self._layer, self._index)
        self.view.set_step(step, self._focus, off)

    def set_shown(self, shown: bool) -> None:  # noqa: D102
        if not shown:
            self._set_playing(False)
        super().set_shown(shown)
        if shown:
            self.view.canvas.setFocus()

    def shutdown(self) -> None:  # noqa: D102
        self._play_timer.stop()

    # -- private ----------------------------------------------------------------

    def _layers(self) -> tuple[str, ...]:
        from lenet_gui.spec.lenet5 import Kind

        return tuple(
            layer.name
            for layer in self.session.spec.layers
            if layer.kind is not Kind.FULL
        )

    def _set_playing(self, playing: bool) -> None:
        self._playing = playing
        if playing:
            self._play_timer.start()
        else:
            self._play_timer.stop()
        if self.built:
            self.view.set_playing(playing)

    @Slot(str, int)
    def _on_view_unit_chosen(self, layer: str, index: int) -> None:
        self.choose((layer, index, self._row, self._col))

    @Slot()
    def _on_view_play_toggled(self) -> None:
        self._set_playing(not self._playing and self.session.result is not None)

    @Slot(int)
    def _on_view_speed_changed(self, steps_per_second: int) -> None:
        self._play_timer.setInterval(max(1000 // max(steps_per_second, 1), 20))

    @Slot(int, int)
    def _on_view_place_chosen(self, row: int, col: int) -> None:
        side = max(self.session.spec.layer(self._layer).side, 1)
        self._row, self._col = min(max(row, 0), side - 1), min(max(col, 0), side - 1)
        self.changed()

    @Slot(int)
    def _on_view_focus_chosen(self, focus: int) -> None:
        self._focus = focus
        self.changed()

    @Slot()
    def _on_play_timer_timeout(self) -> None:
        self.move(0, 1)
