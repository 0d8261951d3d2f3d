"""The feature maps of C1 to S4, or, before anything is drawn, a welcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QStackedLayout,
    QStackedWidget,
    QWidget,
)

from lenet_gui.drawing.examples import KINDS, Example
from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH
from lenet_gui.drawing.paper import thumbnail as render_thumbnail
from lenet_gui.gui.panels.panel import Panel, offer_switch
from lenet_gui.gui.widgets import FeatureMapPanel, WelcomeView

if TYPE_CHECKING:
    from lenet_gui.gui.state.session import ExplorerSession, UnitInfo


class MapsPanel(Panel):
    """C1, S2, C3 and S4 live; hovering a unit explains it.

    While the canvas is blank the panel says what to do instead, and offers
    the examples (:attr:`exampleChosen` asks the window to draw one).

    Parameters
    ----------
    session : ExplorerSession
        The state shown.
    examples : sequence of Example
        The example digits to offer.
    parent : QObject, optional
        The Qt parent.
    """

    NAME = "maps"
    TITLE = "Maps"
    TIP = "The feature maps of C1, S2, C3 and S4; hover a unit to see its sum"
    SHOWS_UNITS = True

    exampleChosen = Signal(int)
    """The person picked example `index` on the welcome page."""

    def __init__(
        self,
        session: ExplorerSession,
        examples: Sequence[Example],
        parent: QObject | None = None,
    ) -> None:
        self._examples = list(examples)
        super().__init__(session, parent)
        session.unitChanged.connect(self._on_session_unit_changed)
        self.ensure_built()  # the first tab: shown at start

    def build(self) -> QWidget:  # noqa: D102
        self.feature_maps = FeatureMapPanel(self.session.spec)
        groups: dict[str, list[tuple[str, str, QImage]]] = {}
        for example in self._examples:
            thumbnail = render_thumbnail(
                [s.points for s in example.strokes],
                DEFAULT_PEN_WIDTH,
                WelcomeView.THUMBNAIL,
            )
            groups.setdefault(example.kind, []).append(
                (example.source, example.caption, thumbnail)
            )
        self.welcome = WelcomeView(
            [(KINDS[kind], groups[kind]) for kind in KINDS if kind in groups]
        )
        self.welcome.exampleChosen.connect(self.exampleChosen)
        self.feature_maps.unitHovered.connect(self.session.hover)
        self.feature_maps.unitContextRequested.connect(
            lambda unit, where: offer_switch(self.session, unit, where)
        )
        self.session.network.ablationChanged.connect(self.feature_maps.set_switched_off)
        self.feature_maps.hoverInfoChanged.connect(self._on_hover_info_changed)
        # Scrolled, so the welcome never makes a small window taller.
        scroller = QScrollArea()
        scroller.setWidget(self.welcome)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        stack = QStackedWidget()
        stack.addWidget(scroller)
        stack.addWidget(self.feature_maps)
        # The maps stay shown and laid out at the stack's size, under the
        # welcome while the canvas is empty (disabled there, so Tab never
        # reaches them): at the first touch of the pen they are raised, not
        # shown and laid out again (10-15 ms, a stall at the start of a
        # stroke). The welcome is hidden while the maps are on top.
        stack_layout = stack.layout()
        assert isinstance(stack_layout, QStackedLayout)
        stack_layout.setStackingMode(QStackedLayout.StackingMode.StackAll)
        self.feature_maps.setAutoFillBackground(True)
        stack.currentChanged.connect(self._on_stack_current_changed)
        self._stack = stack
        self._on_stack_current_changed(stack.currentIndex())
        return stack

    @Slot(int)
    def _on_stack_current_changed(self, index: int) -> None:
        welcome = self._stack.widget(0)
        maps_on_top = index == 1
        if welcome is not None:
            welcome.setVisible(not maps_on_top)
        self.feature_maps.setEnabled(maps_on_top)

    def update_view(self) -> None:  # noqa: D102
        result = self.session.result
        blank = self.session.blank
        self._stack.setCurrentIndex(0 if blank else 1)
        self.feature_maps.set_activations(
            None if result is None else result.activations
        )

    @Slot(str)
    def _on_hover_info_changed(self, text: str) -> None:
        info = self.session.unit_info(self.feature_maps.hovered_unit())
        if text and info is not None:
            text += " — " + info.wiring_text()
        self.say(text, 0)

    @Slot(object)
    def _on_session_unit_changed(self, info: UnitInfo | None) -> None:
        if info is not None and info.below in self.feature_maps.layers():
            self.feature_maps.outline_maps(info.below, info.maps)
        else:
            self.feature_maps.outline_maps(None)
