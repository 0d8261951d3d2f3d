"""The window's teaching: each view's explanation, the glossary and the guided tour.

:class:`Guide` puts a "What am I looking at?" line at the top of every view
that has one (hidden and shown together, remembered), opens the glossary at
a term, offers the tour once at the first start and runs it: each stop
brings the part it speaks of into view, frames it, and says what the
network does there with the person's own digit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from lenet_gui.gui.file_commands import FileCommands
from lenet_gui.gui.panel_tabs import PanelTabs
from lenet_gui.gui.panels.maps import MapsPanel
from lenet_gui.gui.panels.network import NetworkPanel
from lenet_gui.gui.settings import WindowSettings
from lenet_gui.gui.state.session import ExplorerSession
from lenet_gui.gui.widgets.explanation_line import ExplanationLine
from lenet_gui.gui.widgets.explanations import (
    glossary,
    tour_steps,
    view_explanations,
)
from lenet_gui.gui.widgets.glossary_view import GlossaryView
from lenet_gui.gui.widgets.tour_card import TourCard, TourHighlight

__all__ = ["Guide", "tour_note"]

_SHOWN_KEY = "view/explanations"
_OFFERED_KEY = "tour/offered"


class Guide(QObject):
    """Explanations, glossary and tour for the window's parts.

    Parameters
    ----------
    window : QMainWindow
        The window the tour runs over and the glossary belongs to.
    session : ExplorerSession
        Whose reading the tour speaks of.
    settings : WindowSettings
        Where the explanations' visibility and the tour's offer are remembered.
    tabs : PanelTabs
        The views; each gets its explanation line.
    canvas, input_view : QWidget
        The drawing and the network's input, for the tour.
    reading : sequence of QWidget
        The widgets that show the reading (prediction and probabilities).
    files : FileCommands
        Where an example digit comes from when the canvas is empty.
    """

    explanationsShownChanged = Signal(bool)
    """The explanation lines were shown (True) or hidden (False)."""

    def __init__(
        self,
        window: QMainWindow,
        *,
        session: ExplorerSession,
        settings: WindowSettings,
        tabs: PanelTabs,
        canvas: QWidget,
        input_view: QWidget,
        reading: Sequence[QWidget],
        files: FileCommands,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._settings = settings
        self._tabs = tabs
        self._canvas = canvas
        self._input_view = input_view
        self._reading = list(reading)
        self._files = files
        spec = session.spec
        texts = view_explanations(spec)
        #: The explanation line of each view that has one, by panel name.
        self.lines: dict[str, ExplanationLine] = {}
        shown = settings.flag(_SHOWN_KEY, True)
        for panel in tabs.panels():
            text = texts.get(panel.NAME)
            layout = panel.widget.layout()
            if text is None or layout is None:
                continue
            line = ExplanationLine(text, panel.widget)
            line.termRequested.connect(self.show_glossary)
            line.hideRequested.connect(self._on_line_hide_requested)
            layout.insertWidget(0, line)  # type: ignore[attr-defined]
            if not shown:  # shown with its page otherwise, polished only then
                line.hide()
            self.lines[panel.NAME] = line
        self._explanations_shown = shown
        self._glossary_entries = glossary(spec)
        self._glossary: GlossaryView | None = None
        #: The tour's card and the highlight it frames its target with.
        self.highlight = TourHighlight(window)
        self.card = TourCard(tour_steps(spec))
        #: The card's place: docked under the views, so it covers none of them.
        self.dock = _card_dock(window, self.card)
        self.card.stepShown.connect(self._on_card_step_shown)
        self.card.closed.connect(self._on_card_closed)
        self.card.offerAccepted.connect(self.start_tour)
        self.card.offerDeclined.connect(self._on_card_offer_declined)
        self.card.exampleRequested.connect(self._on_card_example_requested)
        self.card.termRequested.connect(self.show_glossary)
        self._before_tour: tuple[str, str | None] | None = None
        session.predictionChanged.connect(self._on_session_prediction_changed)
        window.installEventFilter(self)
        central = window.centralWidget()
        if central is not None:  # it changes height as the docked card does
            central.installEventFilter(self)

    # -- explanations -----------------------------------------------------------------

    def explanations_shown(self) -> bool:
        """Whether the views' explanation lines are shown."""
        return self._explanations_shown

    @Slot(bool)
    def set_explanations_shown(self, shown: bool) -> None:
        """Show or hide every view's explanation line, and remember it."""
        for line in self.lines.values():
            line.setVisible(shown)
        self._settings.remember_flag(_SHOWN_KEY, shown)
        if shown != self._explanations_shown:
            self._explanations_shown = shown
            self.explanationsShownChanged.emit(shown)

    @Slot()
    def _on_line_hide_requested(self) -> None:
        self.set_explanations_shown(False)
        self._session.status.say(
            "Explanations hidden: View \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
            "What Am I Looking At? shows them again"
        )

    # -- glossary ---------------------------------------------------------------

    @property
    def glossary(self) -> GlossaryView:
        """The glossary window (made when first asked for)."""
        if self._glossary is None:
            self._glossary = GlossaryView(self._glossary_entries, self._window)
        return self._glossary

    @Slot()
    @Slot(str)
    def show_glossary(self, term: str = "") -> None:
        """Open the glossary, at `term` when one is given."""
        view = self.glossary
        if term:
            view.show_term(term)
        view.show()
        view.raise_()

    # -- the tour ---------------------------------------------------------------

    def offer_tour_once(self) -> None:
        """Offer the tour if it was never offered; it is not offered again unasked."""
        if self._settings.flag(_OFFERED_KEY, False):
            return
        self._settings.remember_flag(_OFFERED_KEY, True)
        self.card.offer()
        self._place(QRect())

    @Slot()
    def start_tour(self) -> None:
        """Start the guided tour at its first stop."""
        if self._before_tour is None:
            maps = self._maps().feature_maps if self._maps().built else None
            panel = self._tabs.currentWidget()
            self._before_tour = (
                panel.objectName() if panel is not None else "maps",
                maps.shown_layer() if maps is not None else None,
            )
        self.card.start()

    def tour_target(self) -> QWidget:
        """Return the widget the tour's stop frames (the canvas before it runs)."""
        index = self.card.index()
        if index < 0:
            return self._canvas
        return self._widget_for(self.card.steps()[index].target)

    def _maps(self) -> MapsPanel:
        panel = self._tabs.panel("maps")
        assert isinstance(panel, MapsPanel)
        return panel

    def _network(self) -> NetworkPanel:
        panel = self._tabs.panel("network")
        assert isinstance(panel, NetworkPanel)
        return panel

    def _is_map_layer(self, target: str) -> bool:
        return target in (layer.name for layer in self._session.spec.feature_layers)

    def _widget_for(self, target: str) -> QWidget:
        """Return the widget that shows `target` (the canvas, a view, the reading)."""
        if target == "canvas":
            return self._canvas
        if target == "input":
            return self._input_view
        if target == "output":
            return self._reading[-1] if self._reading else self._canvas
        if self._is_map_layer(target):
            return self._maps().widget
        network = self._network()
        network.ensure_built()
        return network.view.late_layers

    def _bring_into_view(self, target: str) -> None:
        """Show the view that holds `target`: its tab, and the layer large."""
        if self._is_map_layer(target):
            self._tabs.show_panel("maps")
            self._maps().feature_maps.show_layer(target)
        elif target not in ("canvas", "input", "output"):  # C5, F6: the network
            self._tabs.show_panel("network")
            self._network().view.show_stage("late")

    @Slot(int)
    def _on_card_step_shown(self, index: int) -> None:
        # The card explains each stop: the views' lines give their room to
        # the parts it frames (C5 and F6 are small in a small window).
        for line in self.lines.values():
            line.setVisible(False)
        self._bring_into_view(self.card.steps()[index].target)
        self._update_note()
        self.highlight.show()
        self._frame()
        QTimer.singleShot(0, self._frame)  # once the layouts have settled

    def _update_note(self) -> None:
        index = self.card.index()
        if index < 0:
            return
        result = self._session.last_result
        step = self.card.steps()[index]
        if result is None:
            self.card.set_note(
                "Your canvas is empty: draw a digit, or use an example.",
                offer_example=bool(self._files.examples),
            )
        else:
            self.card.set_note(
                tour_note(
                    step.target, result.digit, result.probabilities, result.activations
                )
            )

    @Slot()
    def _frame(self) -> None:
        """Frame the current stop's part and move the card away from it."""
        if self.card.index() < 0 and not self.card.offering:
            return
        rect = QRect()
        if self.card.index() >= 0:
            target = self.tour_target()
            rect = QRect(
                target.mapTo(self._window, target.rect().topLeft()), target.size()
            )
            if target is self._reading[-1] and len(self._reading) > 1:
                first = self._reading[0]
                rect = rect.united(
                    QRect(
                        first.mapTo(self._window, first.rect().topLeft()), first.size()
                    )
                )
        self._place(rect)

    def _place(self, rect: QRect) -> None:
        self.highlight.setGeometry(self._window.rect())
        self.highlight.set_target(rect if not rect.isNull() else None)
        self.highlight.raise_()
        self.dock.raise_()  # the card is never dimmed

    @Slot()
    def _on_card_closed(self) -> None:
        self.highlight.hide()
        self.highlight.set_target(None)
        for line in self.lines.values():
            line.setVisible(self._explanations_shown)
        before, self._before_tour = self._before_tour, None
        if before is not None:
            panel, layer = before
            if panel in self._tabs.names():
                self._tabs.show_panel(panel)
            self._maps().feature_maps.show_layer(layer)

    @Slot()
    def _on_card_offer_declined(self) -> None:
        self._session.status.say(
            "The tour is under Help \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
            "Guided Tour whenever you want it"
        )

    @Slot()
    def _on_card_example_requested(self) -> None:
        if self._files.examples:
            self._files.open_example(0)

    @Slot(object)
    def _on_session_prediction_changed(self, _result: object) -> None:
        if self.card.index() >= 0:
            self._update_note()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Keep the highlight on its target when the window is resized."""
        if event.type() == QEvent.Type.Resize and (
            watched is self._window or watched is self._window.centralWidget()
        ):
            if self.card.isVisible():
                self._refit()
                QTimer.singleShot(0, self._refit)  # once the parts are laid out
        return False

    @Slot()
    def _refit(self) -> None:
        if self.card.isVisible():
            self._frame() if self.card.index() >= 0 else self._place(QRect())


def _card_dock(window: QMainWindow, card: TourCard) -> QDockWidget:
    """Dock `card` under the window's views, shown and hidden with the card.

    Docked rather than floating, the card takes its own strip of the window
    and hides nothing the tour speaks of, at any window size. The dock has no
    title bar and cannot be closed, moved or floated: the card's own buttons
    end the tour.
    """
    dock = QDockWidget("Guided Tour", window)
    dock.setObjectName("tourDock")
    dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
    dock.setTitleBarWidget(QWidget(dock))
    dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea)
    dock.setWidget(card)
    dock.toggleViewAction().setVisible(False)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    card.shownChanged.connect(dock.setVisible)
    return dock


def tour_note(
    target: str,
    digit: int,
    probabilities: np.ndarray,
    activations: dict[str, np.ndarray],
) -> str:
    """Say what the network does at the tour's stop `target` with this digit.

    The figures are the forward pass's own: the most active map (by its
    mean) or unit of the layer, and the reading's logit and probability.
    """
    if target == "canvas":
        return f"LeNet-5 reads your drawing as {digit} ({probabilities[digit]:.1%})."
    if target == "input":
        return "This small picture is all the network ever sees of your drawing."
    if target == "output":
        logit = float(activations["output"][digit])
        return (
            f"Your digit: output {digit} has the largest logit, {logit:.2f}, which "
            f"the (calibrated) softmax turns into {probabilities[digit]:.1%}."
        )
    values = np.asarray(activations[target])
    if values.ndim == 3:
        means = values.reshape(values.shape[0], -1).mean(axis=1)
        k = int(means.argmax())
        return (
            f"On your digit, {target} map {k} (counted from 0, row by row) is the "
            f"most active (mean {means[k]:+.2f})."
        )
    k = int(values.argmax())
    return f"On your digit, {target} unit {k} is the most active ({values[k]:+.2f})."
