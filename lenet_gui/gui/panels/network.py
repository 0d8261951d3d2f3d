"""The whole network: every stage at a glance, and C5, F6 and the output large."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import Panel, offer_switch

if TYPE_CHECKING:
    from lenet_gui.gui.state.session import UnitInfo


class NetworkPanel(Panel):
    """Input to output in one strip; the stage clicked, large, hoverable."""

    NAME = "network"
    TITLE = "Network"
    SHORT_TITLE = "Net"
    TIP = "Every stage from input to output; C5, F6 and the ten outputs live"
    SHOWS_UNITS = True
    EMPTY_HINT = (
        "Nothing drawn yet. Draw a digit on the paper at the left, or pick an "
        "example on the Maps tab: every stage below, from the 32×32 input to "
        "the ten outputs, then shows what the network computes from it."
    )

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.widgets.network_view import NetworkView

        self.view = NetworkView(self.session.spec)
        self.view.unitHovered.connect(self.session.hover)
        self.view.unitContextRequested.connect(
            lambda unit, where: offer_switch(self.session, unit, where)
        )
        self.view.set_switched_off(self.session.network.ablation)
        self.session.network.ablationChanged.connect(self.view.set_switched_off)
        self.view.hoverInfoChanged.connect(self._on_view_hover_info_changed)
        self.view.stageChanged.connect(self.changed)
        self.session.unitChanged.connect(self._on_session_unit_changed)
        return self.view

    def update_view(self) -> None:  # noqa: D102
        result = self.session.result
        if result is None:
            self.view.set_state(None)
        else:
            self.view.set_state(
                result.network_input, result.activations, result.probabilities
            )

    @Slot(str)
    def _on_view_hover_info_changed(self, text: str) -> None:
        unit = self.session.unit
        info = self.session.unit_info(unit) if unit is not None else None
        if text and info is not None:
            text += " — " + info.wiring_text()
        self.say(text, 0)

    @Slot(object)
    def _on_session_unit_changed(self, info: UnitInfo | None) -> None:
        if self.shown:
            self.view.outline_maps(
                None if info is None else info.below, () if info is None else info.maps
            )
