"""Pin a drawing and compare the next one with it, stage by stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import Panel

if TYPE_CHECKING:
    from lenet_gui.gui.state.session import ExplorerSession
    from lenet_gui.gui.widgets.comparison_view import State
    from lenet_gui.network.classifier import Prediction


def _state(result: Prediction | None) -> State:
    if result is None:
        return None
    return result.network_input, result.activations, result.probabilities


class ComparePanel(Panel):
    """The pinned drawing, the drawing now, and their difference, every stage."""

    NAME = "compare"
    TITLE = "Compare"
    TIP = "Pin a drawing and compare another with it, layer by layer"

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        super().__init__(session, parent)
        session.pinnedChanged.connect(self.changed)

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.widgets.comparison_view import ComparisonView

        self.view = ComparisonView(self.session.spec)
        self.view.pinRequested.connect(self._on_view_pin_requested)
        self.view.unpinRequested.connect(self.session.unpin)
        return self.view

    def update_view(self) -> None:  # noqa: D102
        self.view.set_states(_state(self.session.pinned), _state(self.session.result))

    def _on_view_pin_requested(self) -> None:
        if not self.session.pin():
            self.session.status.say("Nothing to pin: draw a digit first")
