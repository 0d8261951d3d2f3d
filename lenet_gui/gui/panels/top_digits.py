"""What each map looks for: the bundled test digits that excite it most."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import BackgroundPanel
from lenet_gui.gui.state.session import ExplorerSession, UnitInfo
from lenet_gui.gui.widgets import TopDigitsView

if TYPE_CHECKING:
    from lenet_gui.explain.top_digits import TopDigit


class TopDigitsPanel(BackgroundPanel):
    """For a chosen C1/S2/C3/S4 map, the nine test digits that drive it hardest.

    The first ranking reads all 2,000 bundled digits through the network
    (about half a second), so it runs off the GUI thread; later maps of the
    same weights come from a cache at once. The map chosen follows the last
    unit hovered in the other panels.
    """

    NAME = "looks-for"
    TITLE = "Looks for"
    TIP = "The MNIST test digits that excite a chosen feature map most"
    FOLLOWS_DRAWING = False  # only the weights and the map chosen matter

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        super().__init__(session, parent)
        session.unitChanged.connect(self._on_session_unit_changed)
        self._follow: tuple[str, int] | None = None

    def build(self) -> QWidget:  # noqa: D102
        layers = [
            (layer.name, layer.maps) for layer in self.session.spec.feature_layers
        ]
        self.view = TopDigitsView(layers)
        self.view.mapChosen.connect(self.changed)
        if self._follow is not None:
            self.view.set_choice(*self._follow)
        return self.view

    def make_job(self) -> Callable[[], Any] | None:  # noqa: D102
        classifier = self.session.network.classifier
        if classifier is None:
            return None
        layer, index = self.view.choice()

        def job() -> list[TopDigit]:
            from lenet_gui.explain.top_digits import top_activating

            return top_activating(classifier, layer, index)

        return job

    def show_result(self, result: Any) -> None:  # noqa: D102
        self.view.set_digits(result)

    def _on_session_unit_changed(self, info: UnitInfo | None) -> None:
        if info is None or not self.session.spec.layer(info.unit[0]).has_maps:
            return
        self._follow = info.unit[:2]
        if self.built:
            self.view.set_choice(*self._follow)
            self.changed()
