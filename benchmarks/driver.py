"""Drive the real main window with mouse events and watch what it paints.

Used inside the child processes of the live, stroke and memory measures
(never by the parent, which imports the standard library only). Everything
here goes through the app's public API: ``MainWindow(...)``,
``window.session`` (``predictionChanged``, ``pending``, ``frame_interval``,
``set_frame_interval``), ``window.canvas`` and the views' public
``graphics`` / ``plot_widget`` properties; pyqtgraph views are found with
``findChildren``.
"""

from __future__ import annotations

import itertools
import math
import sys
import time
from collections.abc import Callable
from time import perf_counter

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from lenet_gui.gui import MainWindow
from lenet_gui.gui.widgets import ProbabilityChart
from lenet_gui.training.skeletons import resample

#: The four views every live update must repaint.
CORE_VIEWS = ("canvas", "probabilities", "input", "feature_maps")


def make_app() -> QApplication:
    """Return the QApplication, made as ``cli.main`` makes it."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("LeNet-5 Explorer")
    app.setOrganizationName("lenet-gui")
    return app


def show_panels(window: MainWindow, names: list[str]) -> None:
    """Show extra views by name with ``window.show_panel``.

    Raises
    ------
    SystemExit
        If the window offers no ``show_panel`` (this version of the app).
    """
    if names and not hasattr(window, "show_panel"):
        raise SystemExit(
            f"--show {' '.join(names)}: this MainWindow has no show_panel(name); "
            "the views it would show do not exist in this version of the app"
        )
    for name in names:
        window.show_panel(name)


# Single-stroke digits in unit coordinates of the paper (y down).
def _digit_paths() -> dict[str, list[tuple[float, float]]]:
    def curve(fn, n=80):
        return [fn(i / (n - 1)) for i in range(n)]

    tau = 2 * math.pi
    zero = curve(
        lambda t: (
            0.5 + 0.27 * math.sin(1.05 * tau * t),
            0.5 - 0.38 * math.cos(1.05 * tau * t),
        )
    )
    eight = curve(
        lambda t: (
            0.5 - 0.2 * math.sin(2 * tau * t),
            0.5 - 0.37 * math.sin(tau * t + math.pi),
        )
    )
    nine = curve(
        lambda t: (0.5 + 0.2 * math.cos(tau * t), 0.32 - 0.2 * math.sin(tau * t)), 50
    ) + [(0.62, 0.9)]
    return {
        "0": zero,
        "1": [(0.4, 0.22), (0.55, 0.1), (0.55, 0.9)],
        "2": [(0.25, 0.3), (0.35, 0.15), (0.55, 0.1), (0.72, 0.2), (0.72, 0.38)]
        + [(0.5, 0.6), (0.25, 0.88), (0.78, 0.88)],
        "3": [(0.25, 0.15), (0.7, 0.15), (0.45, 0.45), (0.7, 0.55), (0.72, 0.75)]
        + [(0.55, 0.9), (0.25, 0.85)],
        "4": [(0.6, 0.9), (0.6, 0.1), (0.2, 0.65), (0.8, 0.65)],
        "5": [(0.72, 0.12), (0.32, 0.12), (0.28, 0.45), (0.55, 0.42), (0.72, 0.58)]
        + [(0.7, 0.8), (0.5, 0.9), (0.25, 0.82)],
        "6": [(0.65, 0.1), (0.4, 0.35), (0.28, 0.65), (0.35, 0.88), (0.6, 0.9)]
        + [(0.72, 0.72), (0.6, 0.55), (0.35, 0.6)],
        "7": [(0.22, 0.12), (0.78, 0.12), (0.45, 0.9)],
        "8": eight,
        "9": nine,
    }


def find_views(window: MainWindow) -> dict[str, QWidget]:
    """Return the widgets that paint each view, by name.

    A pyqtgraph view paints its scene in its viewport, not in itself. Views
    beyond the four core ones (the unit-sum view, panels shown with
    ``--show``) are named after the app's widget class that holds them.
    """
    (maps,) = window.feature_maps.findChildren(pg.GraphicsView)
    views: dict[str, QWidget] = {
        "canvas": window.canvas,
        "probabilities": window.findChild(ProbabilityChart).plot_widget.viewport(),
        "input": window.input_view.graphics.viewport(),
        "feature_maps": maps.viewport(),
    }
    known = set(views.values())
    for view in window.findChildren(pg.GraphicsView):
        if view.viewport() in known:
            continue
        owner = view
        while owner is not None and not type(owner).__module__.startswith("lenet_gui"):
            owner = owner.parentWidget()
        name = type(owner or view).__name__
        views[name if name not in views else f"{name}-{len(views)}"] = view.viewport()
    return views


class _PaintCounter(QObject):
    """Counts Paint events of the watched views."""

    def __init__(self, names: dict[QWidget, str]):
        super().__init__()
        self.names = names
        self.counts: dict[str, int] = dict.fromkeys(names.values(), 0)
        self.total = 0

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            name = self.names.get(watched)
            if name is not None:
                self.counts[name] += 1
                self.total += 1
        return False


class Driver:
    """Drives a shown MainWindow with real mouse events on its canvas.

    Parameters
    ----------
    app : QApplication
        The application.
    window : MainWindow
        A shown window with a classifier.
    """

    def __init__(self, app: QApplication, window: MainWindow):
        self.app = app
        self.window = window
        self.session = window.session
        self.canvas = window.canvas
        self.views = find_views(window)
        self._counter = _PaintCounter({w: n for n, w in self.views.items()})
        for widget in self.views.values():
            widget.installEventFilter(self._counter)
        self.last_refresh = perf_counter()
        self.held_back = 0
        self.session.predictionChanged.connect(self._on_session_prediction_changed)

    def _on_session_prediction_changed(self, _result) -> None:
        self.last_refresh = perf_counter()

    @property
    def paint_counts(self) -> dict[str, int]:
        """Paint events seen so far, by view name."""
        return self._counter.counts

    def stroke_points(
        self,
        digit: str,
        step: float,
        box: tuple[float, float, float, float] = (0.1, 0.1, 0.9, 0.9),
    ) -> list[tuple[float, float]]:
        """Return widget coordinates along a digit, at most `step` px apart.

        `box` is ``u0, v0, u1, v1``: where the digit goes, in fractions of
        the paper's side (the whole paper less a margin by default).
        """
        w, h = self.canvas.width(), self.canvas.height()
        side = min(w, h) - 8
        x0, y0 = (w - side) / 2, (h - side) / 2
        u0, v0, u1, v1 = box
        pts = [
            (x0 + side * (u0 + (u1 - u0) * u), y0 + side * (v0 + (v1 - v0) * v))
            for u, v in _digit_paths()[digit]
        ]
        return [(float(x), float(y)) for x, y in resample(np.array(pts), step)]

    def mouse_event(self, kind: str, x: float, y: float) -> QMouseEvent:
        """Return a left-button press, move or release at (x, y) on the canvas."""
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        kind_, button, buttons = {
            "press": (QEvent.Type.MouseButtonPress, left, left),
            "move": (QEvent.Type.MouseMove, none, left),
            "release": (QEvent.Type.MouseButtonRelease, left, none),
        }[kind]
        p = QPointF(x, y)
        return QMouseEvent(
            kind_,
            p,
            self.canvas.mapToGlobal(p),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )

    def send(self, kind: str, x: float, y: float) -> None:
        """Deliver a mouse event to the canvas now."""
        self.app.sendEvent(self.canvas, self.mouse_event(kind, x, y))
        if not self.session.pending:
            # A change classified at once started the throttle's frame just
            # now, after its predictionChanged.
            self.last_refresh = perf_counter()

    def move_and_paint(self, x: float, y: float) -> None:
        """Send a mouse move and let the window repaint (an untimed update)."""
        self.send("move", x, y)
        self.paint_pass()

    def paint_pass(self, max_rounds: int = 20) -> tuple[float, set[str]]:
        """Process events until the repaint happened; return (end time, views painted).

        The end time is taken after the last event-loop round that painted:
        Qt paints a whole window (all its dirty widgets) in one UpdateRequest,
        so once that round returns, every view is painted and flushed.
        """
        counts = self._counter.counts
        before = dict(counts)
        end = perf_counter()
        painted_any = False
        for _ in range(max_rounds):
            n = self._counter.total
            self.app.processEvents()
            if self._counter.total > n:
                end = perf_counter()
                painted_any = True
            elif painted_any:
                break
        return end, {k for k, v in counts.items() if v > before[k]}

    def settle(self, seconds: float = 0.3) -> None:
        """Run the event loop for a while."""
        end = perf_counter() + seconds
        while perf_counter() < end:
            self.app.processEvents()
            time.sleep(0.005)

    def wait_for_throttle(self) -> None:
        """Run the event loop until the next drawing change is classified at once.

        The session classifies the first change after a pause at once, then
        at most once a frame until a frame passes with no change. So wait
        one frame after the last refresh (Qt may fire a coarse timer 5 %
        late), as between two refreshes in real use.
        """
        while True:
            refreshed = self.last_refresh
            due = refreshed + (1.05 * self.session.frame_interval + 1.0) / 1e3
            while perf_counter() < due:
                self.app.processEvents()
                time.sleep(0.0005)
            self.app.processEvents()
            # A change held back before (the pen's release, a clear) may be
            # classified just now, on the frame: then wait a frame again.
            if self.last_refresh == refreshed:
                return

    def move(self, x: float, y: float) -> bool:
        """Send a mouse move; return whether the session classified it at once."""
        self.send("move", x, y)
        if self.session.pending:
            self.held_back += 1
            return False
        return True

    def run_updates(
        self,
        n: int,
        on_sample: Callable[[float, float], bool | None],
        *,
        paced: bool = True,
        digits: str = "0123456789",
        step: float = 4.0,
    ) -> None:
        """Draw digits, calling ``on_sample(x, y)`` for each mouse move, `n` times.

        A call that returns False (a move the throttle held back) does not
        count.

        Each sample must be classified at once, so every one waits for the
        session's frame-rate throttle to let it through. `paced` keeps the
        app's frame interval: about one idle frame between two refreshes, as
        in use. Otherwise the interval is set to 1 ms for the run, so updates
        follow back to back (faster, but torch's worker threads then never go
        idle between two forward passes).
        """
        interval = self.session.frame_interval
        if not paced:
            self.session.set_frame_interval(1)
        try:
            count = 0
            for digit in itertools.cycle(digits):
                points = self.stroke_points(digit, step)
                self.canvas.clear()
                self.paint_pass()
                self.send("press", *points[0])
                self.paint_pass()
                for x, y in points[1:]:
                    self.wait_for_throttle()
                    if on_sample(x, y) is not False:
                        count += 1
                    if count >= n:
                        self.send("release", x, y)
                        self.paint_pass()
                        return
                self.send("release", *points[-1])
                self.paint_pass()
        finally:
            self.session.set_frame_interval(interval)

    def window_info(self) -> dict:
        """Return the sizes of the window and its views, and the throttle."""
        sizes = {name: [w.width(), w.height()] for name, w in self.views.items()}
        return {
            "window": [self.window.width(), self.window.height()],
            **{k: sizes[k] for k in CORE_VIEWS},
            "frame_interval_ms": self.session.frame_interval,
        }
