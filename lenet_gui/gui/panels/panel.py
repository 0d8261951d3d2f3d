"""A panel: one view of the explorer, kept up to date from the session while shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QTimer, Slot
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from lenet_gui.gui.state.jobs import LatestJob
from lenet_gui.spec.lenet5 import Kind

if TYPE_CHECKING:
    from lenet_gui.gui.state.session import ExplorerSession
    from lenet_gui.spec.lenet5 import Unit


STEP_THROUGH = "Step through this unit's sum"
"""The context-menu entry that opens a unit in the step-through view."""


class Panel(QObject):
    """One tab of the window: a widget and what keeps it up to date.

    A panel connects the session to its view. Its view is built the first
    time it is shown (every panel's pyqtgraph scenes built up front would
    cost seconds at start-up), and it updates only while shown: changes that
    arrive while it is hidden mark it stale, and it catches up when it is
    shown again, so hidden panels cost nothing per drawing update. Panels
    whose update is costly set :attr:`LAG_MS`: their updates are then
    coalesced on a timer, at most one per `LAG_MS`, and always one after the
    last change, so they never hold up the pen.

    Subclasses set :attr:`NAME`, :attr:`TITLE` and :attr:`TIP`, build their
    view in :meth:`build` and show the session's state in
    :meth:`update_view`; :attr:`widget` is the tab's page that holds it.

    Parameters
    ----------
    session : ExplorerSession
        The state the panel shows.
    parent : QObject, optional
        The Qt parent.
    """

    NAME = ""
    """The panel's name, for ``MainWindow.show_panel`` and as its widget's name."""
    TITLE = ""
    """The tab's title."""
    SHORT_TITLE = ""
    """A shorter title for the tab when the window is too narrow for all the
    titles; empty keeps :attr:`TITLE`."""
    TIP = ""
    """What the panel shows, in a sentence, for the tab's tooltip."""
    LAG_MS = 0
    """Least time between two updates; 0 updates with every change."""
    SHOWS_UNITS = False
    """Whether hovering this panel's units explains them in the unit-sum view."""
    FOLLOWS_DRAWING = True
    """Whether the panel shows something of the drawing (else only of the weights)."""
    EMPTY_HINT = ""
    """What to do, said above the view while the canvas is empty ("": nothing)."""

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        # A child of the session by default, so it goes with the window.
        super().__init__(parent if parent is not None else session)
        self.session = session
        self._shown = False
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._update_now)
        #: The tab's page; the view goes in it when first shown.
        self.widget = QWidget()
        self.widget.setObjectName(self.NAME)
        self._page = QVBoxLayout(self.widget)
        self._page.setContentsMargins(0, 0, 0, 0)
        self._built = False
        self._hint: QLabel | None = None
        # New predictions are listened to only while shown (set_shown), so
        # that a live update pays for no slot of a hidden tab.
        self._listening = False
        session.network.classifierChanged.connect(self.changed)

    def say(self, text: str, milliseconds: int = 5000) -> None:
        """Say `text` in the status bar, as this tab's: cleared on another tab."""
        self.session.status.say(text, milliseconds, owner=self.NAME)

    def build(self) -> QWidget:
        """Return the panel's view; called once, when first needed."""
        raise NotImplementedError

    @property
    def built(self) -> bool:
        """Whether the view exists yet."""
        return self._built

    def ensure_built(self) -> None:
        """Build the view now if it is not built yet."""
        if not self._built:
            self._built = True
            if self.EMPTY_HINT:
                self._hint = QLabel(self.EMPTY_HINT)
                self._hint.setObjectName("emptyHint")
                self._hint.setWordWrap(True)
                self._hint.setContentsMargins(12, 10, 12, 10)
                font = self._hint.font()
                font.setPointSizeF(font.pointSizeF() * 1.15)
                self._hint.setFont(font)
                self._page.addWidget(self._hint)
            self._page.addWidget(self.build(), 1)

    def update_view(self) -> None:
        """Show the session's current state in the widget."""
        raise NotImplementedError

    def shutdown(self) -> None:
        """Stop any work still running; called when the window closes."""

    @property
    def shown(self) -> bool:
        """Whether the panel is the one shown."""
        return self._shown

    def set_shown(self, shown: bool) -> None:
        """Say whether the panel is shown; a stale panel catches up at once.

        A hidden panel does not hear of new predictions, so it counts as
        stale from the moment it is hidden.
        """
        self._shown = shown
        if self.FOLLOWS_DRAWING and shown != self._listening:
            self._listening = shown
            if shown:
                self.session.predictionChanged.connect(self.changed)
            else:
                self.session.predictionChanged.disconnect(self.changed)
                self._stale = True
        if shown:
            self.ensure_built()
            if self._stale:
                self._update_now()

    @Slot()
    def changed(self, *_: object) -> None:
        """Note that what the panel shows has changed."""
        self._stale = True
        if not self._shown:
            return
        if self.LAG_MS <= 0:
            self._update_now()
        elif not self._timer.isActive():
            self._timer.start(self.LAG_MS)

    @Slot()
    def _update_now(self) -> None:
        self._timer.stop()
        self._stale = False
        if self._hint is not None:
            self._hint.setVisible(self.session.blank)
        self.update_view()


class BackgroundPanel(Panel):
    """A panel whose update costs too much for the GUI thread.

    :meth:`make_job` captures what to compute from the session (on the GUI
    thread) and returns a function that computes it; that function runs on a
    worker thread (:class:`~lenet_gui.gui.state.jobs.LatestJob`), the
    newest request always winning, and :meth:`show_result` shows its result
    back on the GUI thread. The pen never waits for it.
    """

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        super().__init__(session, parent)
        self.job = LatestJob(self)
        self.job.done.connect(self._on_job_done)

    def make_job(self) -> Callable[[], Any] | None:
        """Return the computation for the session as it is, or None for none."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        """Show a computation's result (None when there was nothing to compute)."""
        raise NotImplementedError

    def update_view(self) -> None:  # noqa: D102
        job = self.make_job()
        if job is None:
            self.show_result(None)
        else:
            self.job.submit(job)

    def shutdown(self) -> None:  # noqa: D102
        self.job.shutdown()

    @property
    def settled(self) -> bool:
        """Whether the view shows the session as it is: nothing waiting or running."""
        return not self._timer.isActive() and not self.job.busy

    @Slot(object, object)
    def _on_job_done(self, result: Any, error: Exception | None) -> None:
        if error is not None:
            self.say(f"{self.TITLE}: {error}", 8000)
            self.show_result(None)
        else:
            self.show_result(result)


def offer_switch(session: ExplorerSession, unit: Unit, where: QPoint) -> None:
    """Offer, in a context menu, to switch a unit's map off or back on.

    Units with a window (C1 to C5) are also offered to the step-through view.

    Switching a map (C1 to S4) or a unit (C5, F6) off forces its output to 0
    for the layers above: the experiment that shows what it contributes.
    """
    network = session.network
    layer, index = unit[0], unit[1]
    if layer == session.spec.layers[-1].name:
        return  # the output's units are what is read, not switched
    noun = "map" if session.spec.layer(layer).has_maps else "unit"
    off = network.is_switched_off(layer, index)
    menu = QMenu()
    # Units with a window (C1 to C5) can have their sum stepped through.
    stepped = session.spec.layer(layer).kind is not Kind.FULL
    step = menu.addAction(STEP_THROUGH) if stepped else None
    toggle = menu.addAction(
        f"Switch {layer} {noun} {index} {'back on' if off else 'off'}"
    )
    everything = menu.addAction("Switch everything back on")
    everything.setEnabled(bool(network.ablation))
    chosen = menu.exec(where)
    if step is not None and chosen is step:
        session.step_through(unit)
    elif chosen is toggle:
        network.set_switched_off(layer, index, not off)
    elif chosen is everything:
        network.switch_all_on()
