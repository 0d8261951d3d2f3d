#!/usr/bin/env python
"""Benchmarks of LeNet-5 Explorer: ``python benchmarks/bench.py``.

Measures, offscreen (``QT_QPA_PLATFORM=offscreen``):

1. live update: one canvas change (a real mouse-move event on the canvas) to
   the prediction, probability bars, 32x32 input view and all four
   feature-map views updated *and painted*, at the default window size, with
   a breakdown and the ratio to the bare forward pass;
2. drawing under load: a fast stroke replayed in real time at 250 Hz for 3 s;
3. start-up of ``python main.py``: process start to the first painted window
   and to the model being ready, beside a bare import of torch, PySide6 and
   pyqtgraph;
4. resident memory after start-up and after 10,000 live updates;
5. training with the README's command: seconds per epoch and time to reach
   99.2 % test accuracy.

Every measurement but training runs in a fresh child process (this same file
with ``--child``), with a throw-away ``XDG_CONFIG_HOME`` so that saved window
geometry never changes the window size. Options: ``--quick`` (short run, no
training), ``--skip-training``, ``--training-json FILE`` (report a recorded
run instead of training), ``--runs N`` (timed live updates), ``--markdown
FILE`` (also write the results as Markdown).

Only the standard library is imported at module level: the start-up child
must cost what ``main.py`` costs.
"""

from __future__ import annotations

import json
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

MARKER = "BENCH_JSON:"
MNIST = "/work/shared/mnist"

TARGETS = {
    "live_p95_ms": 6.0,
    "gap_ms": 20.0,
    "painted_s": 1.0,
    "ready_s": 2.0,
    "rss_mb": 450.0,
    "growth_mb": 20.0,
    "train_s": 300.0,
    "accuracy": 0.992,
}


# =============================================================================
# Child processes
# =============================================================================


def _emit(payload: dict) -> None:
    sys.stdout.write(MARKER + json.dumps(payload) + "\n")
    sys.stdout.flush()


def _patch_weights(path: str | None, gui=None) -> None:
    """Make the deferred loader read `path` instead of the bundled weights.

    Only used when ``weights/lenet5.pt`` is missing; the replacement imports
    torch lazily, exactly as ``gui._load_bundled`` does.
    """
    if not path:
        return
    if gui is None:
        import lenet_gui.gui as gui

    def load_other():
        from lenet_gui.network.classifier import Classifier
        from lenet_gui.network.weights import WeightsError

        try:
            return Classifier.load(path), ""
        except WeightsError as error:
            return None, str(error)

    gui._load_bundled = load_other


def child_startup(args) -> int:
    """``python main.py`` with probes: first paint of the window, model ready."""
    stamps = {"child_start": time.time()}
    # Probe the window without changing the import order of main.py: the
    # probes are installed the moment cli.main() imports lenet_gui.gui.
    import importlib.abc
    import importlib.machinery

    class AfterImport(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "lenet_gui.gui":
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                stamps["gui_imported"] = time.time()
                _install_startup_probes(module, stamps, args.weights)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, AfterImport())
    from lenet_gui.cli import main

    status = main([])
    stamps["status"] = status
    _emit(stamps)
    return 0


def _install_startup_probes(gui, stamps: dict, weights: str | None) -> None:
    """Subclass gui.MainWindow to time the first paint and the model load."""
    _patch_weights(weights, gui)
    from PySide6.QtCore import QEvent, QObject, QTimer, Slot
    from PySide6.QtWidgets import QApplication

    class Probe(QObject):
        def __init__(self, window):
            super().__init__()
            self.window = window

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and "paint_start" not in stamps:
                stamps["paint_start"] = time.time()
                # Posted now, run once this paint pass (children too) and the
                # flush to the backing store are done.
                QTimer.singleShot(0, self.painted)
            return False

        @Slot()
        def painted(self):
            stamps["painted"] = time.time()
            self.maybe_quit()

        @Slot(object, str)
        def loaded(self, classifier, error):
            # Connected after the window's own slot: runs once the window has
            # taken the classifier (and made its first, empty-canvas refresh).
            stamps["ready"] = time.time()
            stamps["load_error"] = error
            self.maybe_quit()

        def maybe_quit(self):
            if "painted" in stamps and "ready" in stamps:
                import psutil

                stamps["rss_mb"] = psutil.Process().memory_info().rss / 2**20
                QTimer.singleShot(0, self.window.close)

    class ProbedWindow(gui.MainWindow):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            stamps["window_built"] = time.time()
            self._probe = Probe(self)
            self.installEventFilter(self._probe)
            self._modelLoaded.connect(self._probe.loaded)
            if self.classifier is not None and "ready" not in stamps:
                stamps["ready"] = time.time()
            QTimer.singleShot(60_000, QApplication.instance().quit)

    gui.MainWindow = ProbedWindow


def _make_app():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("LeNet-5 Explorer")
    app.setOrganizationName("lenet-gui")
    return app


def _load_classifier(weights: str | None):
    from lenet_gui.network.classifier import Classifier

    return Classifier.load(weights) if weights else Classifier.load()


# Single-stroke digits in unit coordinates of the paper (y down).
def _digit_paths():
    import math

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
        "2": [
            (0.25, 0.3),
            (0.35, 0.15),
            (0.55, 0.1),
            (0.72, 0.2),
            (0.72, 0.38),
            (0.5, 0.6),
            (0.25, 0.88),
            (0.78, 0.88),
        ],
        "3": [
            (0.25, 0.15),
            (0.7, 0.15),
            (0.45, 0.45),
            (0.7, 0.55),
            (0.72, 0.75),
            (0.55, 0.9),
            (0.25, 0.85),
        ],
        "4": [(0.6, 0.9), (0.6, 0.1), (0.2, 0.65), (0.8, 0.65)],
        "5": [
            (0.72, 0.12),
            (0.32, 0.12),
            (0.28, 0.45),
            (0.55, 0.42),
            (0.72, 0.58),
            (0.7, 0.8),
            (0.5, 0.9),
            (0.25, 0.82),
        ],
        "6": [
            (0.65, 0.1),
            (0.4, 0.35),
            (0.28, 0.65),
            (0.35, 0.88),
            (0.6, 0.9),
            (0.72, 0.72),
            (0.6, 0.55),
            (0.35, 0.6),
        ],
        "7": [(0.22, 0.12), (0.78, 0.12), (0.45, 0.9)],
        "8": eight,
        "9": nine,
    }


def _resample(points, step):
    """Points every `step` pixels along a polyline, as a mouse would report them."""
    import math

    out = [points[0]]
    carry = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        length = math.hypot(x1 - x0, y1 - y0)
        d = step - carry
        while d <= length:
            t = d / length
            out.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
            d += step
        carry = length - (d - step)
    if out[-1] != points[-1]:
        out.append(points[-1])
    return out


class Driver:
    """Drives a MainWindow with real mouse events and watches what gets painted."""

    def __init__(self, app, window):
        from PySide6.QtCore import QEvent, QObject

        self.app = app
        self.window = window
        self.canvas = window.canvas
        self.paint_counts: dict[str, int] = {}
        self.views = {
            "canvas": self.canvas,
            "probabilities": window._probabilities.viewport(),
            "input": window._input_view.viewport(),
            "feature_maps": window.feature_maps._graphics.viewport(),
        }
        driver = self

        class PaintCounter(QObject):
            def eventFilter(self, watched, event):  # noqa: N802
                if event.type() == QEvent.Type.Paint:
                    name = watched.objectName()
                    driver.paint_counts[name] = driver.paint_counts.get(name, 0) + 1
                    driver.paints += 1
                return False

        self.paints = 0
        self._counter = PaintCounter()
        for name, widget in self.views.items():
            if widget is not self.canvas:
                widget.setObjectName(f"bench-{name}")
            widget.installEventFilter(self._counter)

    def stroke_points(self, digit: str, step: float):
        """Widget coordinates of a digit's stroke, one point per `step` px."""
        w, h = self.canvas.width(), self.canvas.height()
        side = min(w, h) - 8
        x0, y0 = (w - side) / 2, (h - side) / 2
        pts = [
            (x0 + side * (0.1 + 0.8 * u), y0 + side * (0.1 + 0.8 * v))
            for u, v in _digit_paths()[digit]
        ]
        return _resample(pts, step)

    def mouse_event(self, kind: str, x: float, y: float):
        from PySide6.QtCore import QEvent, QPointF, Qt
        from PySide6.QtGui import QMouseEvent

        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        types = {
            "press": (QEvent.Type.MouseButtonPress, left, left),
            "move": (QEvent.Type.MouseMove, none, left),
            "release": (QEvent.Type.MouseButtonRelease, left, none),
        }
        kind_, button, buttons = types[kind]
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
        self.app.sendEvent(self.canvas, self.mouse_event(kind, x, y))

    def paint_pass(self, max_rounds: int = 20) -> tuple[float, set]:
        """Process events until the repaint happened; return (end time, views painted).

        The end time is taken after the last event-loop round that painted:
        Qt paints a whole window (all its dirty widgets) in one UpdateRequest,
        so once that round returns, every view is painted and flushed.
        """
        from time import perf_counter

        before = dict(self.paint_counts)
        end = perf_counter()
        painted_any = False
        for _ in range(max_rounds):
            n = self.paints
            self.app.processEvents()
            if self.paints > n:
                end = perf_counter()
                painted_any = True
            elif painted_any:
                break
        painted = {k for k, v in self.paint_counts.items() if v > before.get(k, 0)}
        names = {w.objectName(): k for k, w in self.views.items()}
        return end, {names.get(k, k) for k in painted}

    def settle(self, seconds: float = 0.3) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()
            time.sleep(0.005)


def _timed(store: dict, key: str, fn):
    from time import perf_counter

    def wrapper(*a, **k):
        t = perf_counter()
        try:
            return fn(*a, **k)
        finally:
            store[key] = store.get(key, 0.0) + (perf_counter() - t)

    return wrapper


def _run_updates(driver, n, on_sample, digits="0123456789", step=4.0, paced=False):
    """Draw digits, one timed update per mouse move, until `n` samples.

    Every sample must refresh at once, so the window's frame-rate throttle must
    be idle: with `paced`, wait (running the event loop) until its timer has
    run out, as between two refreshes in real use; otherwise stop the timer,
    as if a frame had passed (back to back: faster, but torch's worker threads
    then never go idle between two forward passes).
    """
    import itertools

    window = driver.window
    count = 0
    for digit in itertools.cycle(digits):
        points = driver.stroke_points(digit, step)
        window.canvas.clear()
        driver.paint_pass()
        driver.send("press", *points[0])
        driver.paint_pass()
        for x, y in points[1:]:
            if paced:
                while window._frame_timer.isActive():
                    driver.app.processEvents()
                    time.sleep(0.0005)
            else:
                window._frame_timer.stop()
            on_sample(x, y)
            count += 1
            if count >= n:
                driver.send("release", x, y)
                driver.paint_pass()
                return
        driver.send("release", *points[-1])
        driver.paint_pass()


def child_live(args) -> int:
    """Live update timings, breakdown and bare forward pass."""
    from time import perf_counter

    import numpy as np
    import torch

    import lenet_gui.network.classifier as classifier_module

    app = _make_app()
    from lenet_gui.gui import MainWindow

    classifier = _load_classifier(args.weights)
    window = MainWindow(classifier=classifier)
    window.show()
    driver = Driver(app, window)
    driver.settle(0.5)
    info = {
        "window": [window.width(), window.height()],
        "canvas": [window.canvas.width(), window.canvas.height()],
        "feature_maps": [
            driver.views["feature_maps"].width(),
            driver.views["feature_maps"].height(),
        ],
        "probabilities": [
            driver.views["probabilities"].width(),
            driver.views["probabilities"].height(),
        ],
        "input": [driver.views["input"].width(), driver.views["input"].height()],
        "torch_threads": torch.get_num_threads(),
        "frame_interval_ms": window._frame_interval_ms(),
    }
    expected = {"canvas", "probabilities", "input", "feature_maps"}

    # Warm-up: one of each digit, untimed.
    _run_updates(
        driver, 300, lambda x, y: (driver.send("move", x, y), driver.paint_pass())
    )

    # ---- timed updates: clean and broken-down samples interleaved ----------
    # Even samples run the product code untouched; odd ones with every step
    # wrapped by a timer. Interleaving gives both the same machine load, so
    # the two medians show the wrappers' own cost.
    totals, event_ms, paint_ms, complete = [], [], [], 0
    parts: dict[str, float] = {}
    rows: list[dict] = []
    w = window
    wrapped = [
        (w, "_refresh", "refresh (all)"),
        (w.canvas, "to_array", "canvas.to_array"),
        (w._classifier, "classify_input", "forward + activations + softmax"),
        (w._prediction, "set_prediction", "PredictionLabel.set_prediction"),
        (w._probabilities, "set_probabilities", "ProbabilityChart.set_probabilities"),
        (w._input_view, "set_input", "NetworkInputView.set_input"),
        (w.feature_maps, "set_activations", "FeatureMapPanel.set_activations"),
        (w.canvas, "paintEvent", "paint: canvas"),
        (w._probabilities, "paintEvent", "paint: probability chart"),
        (w._input_view, "paintEvent", "paint: input view"),
        (w.feature_maps._graphics, "paintEvent", "paint: feature maps"),
        (w._prediction._digit_label, "paintEvent", "paint: prediction digit"),
        (w._prediction._confidence_label, "paintEvent", "paint: prediction confidence"),
    ]
    wrappers = [
        (obj, name, _timed(parts, key, getattr(obj, name)))
        for obj, name, key in wrapped
    ]
    original_preprocess = classifier_module.preprocess
    timed_preprocess = _timed(parts, "preprocess", original_preprocess)

    def wrap(on: bool) -> None:
        for obj, name, wrapper in wrappers:
            if on:
                setattr(obj, name, wrapper)
            elif name in getattr(obj, "__dict__", {}):
                delattr(obj, name)
        classifier_module.preprocess = timed_preprocess if on else original_preprocess

    sample = 0

    def timed_update(x, y):
        nonlocal complete, sample
        broken_down = sample % 2 == 1
        sample += 1
        wrap(broken_down)
        parts.clear()
        t0 = perf_counter()
        driver.send("move", x, y)
        t1 = perf_counter()
        end, painted = driver.paint_pass()
        if broken_down:
            row = dict(parts)
            row["total"] = end - t0
            row["mouse event (stroke ink + refresh)"] = t1 - t0
            row["repaint pass"] = end - t1
            rows.append({k: v * 1e3 for k, v in row.items()})
        else:
            totals.append((end - t0) * 1e3)
            event_ms.append((t1 - t0) * 1e3)
            paint_ms.append((end - t1) * 1e3)
            complete += expected <= painted

    _run_updates(driver, 2 * args.runs, timed_update, paced=True)
    wrap(False)

    # The same, back to back (no idle frame between updates), clean only.
    back_to_back = []

    def unpaced(x, y):
        t0 = perf_counter()
        driver.send("move", x, y)
        end, _ = driver.paint_pass()
        back_to_back.append((end - t0) * 1e3)

    _run_updates(driver, args.runs, unpaced)

    # ---- bare forward pass --------------------------------------------------
    x = torch.from_numpy(
        np.ascontiguousarray(window.last_result.network_input, dtype=np.float32)
    ).view(1, 1, 32, 32)
    model = classifier._model
    for _ in range(50):
        with torch.inference_mode():
            model.forward_with_activations(x)
    bare = []
    for _ in range(max(args.runs, 200)):
        t = perf_counter()
        with torch.inference_mode():
            model.forward_with_activations(x)
        bare.append((perf_counter() - t) * 1e3)
    bare1 = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    for _ in range(max(args.runs, 200)):
        t = perf_counter()
        with torch.inference_mode():
            model.forward_with_activations(x)
        bare1.append((perf_counter() - t) * 1e3)
    torch.set_num_threads(threads)

    window.close()
    _emit(
        {
            "info": info,
            "total_ms": totals,
            "back_to_back_ms": back_to_back,
            "event_ms": event_ms,
            "paint_ms": paint_ms,
            "complete": complete,
            "rows": rows,
            "bare_forward_ms": bare,
            "bare_forward_1thread_ms": bare1,
        }
    )
    return 0


def _shown_matches(window) -> dict:
    """Compare what the window shows with a fresh prediction of the canvas."""
    import numpy as np

    reference = window.classifier.predict(window.canvas.to_array())
    shown = window._result  # without last_result's catch-up refresh
    out = {
        "dirty": bool(window._dirty),
        "reference_digit": None if reference is None else reference.digit,
    }
    if reference is None or shown is None:
        out["match"] = reference is None and shown is None
        return out
    fm = window.feature_maps
    layer = fm._layers["C1"]
    shown_c1 = layer.flat[layer.packing.targets].reshape(layer.packing.shape)
    checks = {
        "digit_label": window._prediction._digit_label.text() == str(reference.digit),
        "probabilities": bool(
            np.allclose(window._probabilities._probabilities, reference.probabilities)
        ),
        "input_view": bool(
            np.array_equal(window._input_view._buffer, reference.network_input)
        ),
        "feature_maps_C1": bool(np.allclose(shown_c1, reference.activations["C1"])),
        "result": bool(np.allclose(shown.probabilities, reference.probabilities)),
    }
    out.update(checks)
    out["match"] = all(checks.values()) and not window._dirty
    return out


def child_stroke(args) -> int:
    """A fast stroke replayed in real time (250 Hz) through the event loop."""
    from time import perf_counter

    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer

    app = _make_app()
    from lenet_gui.gui import MainWindow

    window = MainWindow(classifier=_load_classifier(args.weights))
    window.show()
    driver = Driver(app, window)
    driver.settle(0.5)
    # Warm-up stroke, then a clean canvas.
    _run_updates(
        driver, 100, lambda x, y: (driver.send("move", x, y), driver.paint_pass())
    )
    window.canvas.clear()
    driver.settle(0.3)

    rate, duration = args.rate, args.duration
    n_events = int(rate * duration)
    # A fast "8" traced over and over: the path for 3 s at 250 Hz.
    base = driver.stroke_points("8", 1.0)
    speed = max(1, round(len(base) * 2 / n_events))  # the 8 about twice in 3 s
    path = [base[(i * speed) % len(base)] for i in range(n_events)]
    schedule = [i / rate for i in range(n_events)]

    processed: list[float] = []
    refreshes = 0
    fm_paints_before = driver.paint_counts.get("bench-feature_maps", 0)

    class MouseLog(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() in (
                QEvent.Type.MouseMove,
                QEvent.Type.MouseButtonPress,
                QEvent.Type.MouseButtonRelease,
            ):
                processed.append(perf_counter())
            return False

    log = MouseLog()
    window.canvas.installEventFilter(log)
    original_refresh = window._refresh

    def counting_refresh():
        nonlocal refreshes
        refreshes += 1
        original_refresh()

    window._refresh = counting_refresh

    loop = QEventLoop()
    state = {"next": 0, "start": perf_counter()}

    def post_due():
        now = perf_counter() - state["start"]
        while state["next"] < n_events and schedule[state["next"]] <= now:
            i = state["next"]
            kind = "press" if i == 0 else ("release" if i == n_events - 1 else "move")
            app.postEvent(window.canvas, driver.mouse_event(kind, *path[i]))
            state["next"] += 1
        if state["next"] >= n_events:
            feeder.stop()
            # Let the throttle's last refresh and its paint happen.
            QTimer.singleShot(250, loop.quit)

    feeder = QTimer()
    feeder.setTimerType(Qt.TimerType.PreciseTimer)
    feeder.setInterval(1)
    feeder.timeout.connect(post_due)
    state["start"] = perf_counter()
    feeder.start()
    loop.exec()
    window._refresh = original_refresh

    start = state["start"]
    gaps = [(b - a) * 1e3 for a, b in zip(processed, processed[1:], strict=False)]
    latency = [(t - start - s) * 1e3 for t, s in zip(processed, schedule, strict=False)]
    result = {
        "events": n_events,
        "processed": len(processed),
        "refreshes": refreshes,
        "feature_map_paints": driver.paint_counts.get("bench-feature_maps", 0)
        - fm_paints_before,
        "max_gap_ms": max(gaps) if gaps else None,
        "gaps_ms": gaps,
        "latency_ms": latency,
        "wall_s": (processed[-1] - start) if processed else None,
        "final": _shown_matches(window),
        "frame_interval_ms": window._frame_interval_ms(),
    }
    window.close()
    _emit(result)
    return 0


def child_memory(args) -> int:
    """RSS after start-up (as main.py starts), then over many live updates."""
    import gc

    import psutil

    proc = psutil.Process()
    _patch_weights(args.weights)
    app = _make_app()
    from lenet_gui.gui import MainWindow

    window = MainWindow(defer_model=True)
    window.show()
    driver = Driver(app, window)
    deadline = time.perf_counter() + 60
    while window.classifier is None and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)
    driver.settle(0.5)
    rss = lambda: proc.memory_info().rss / 2**20  # noqa: E731
    after_start = rss()
    series = [(0, after_start)]
    every = max(1, args.updates // 10)
    count = 0

    def update(x, y):
        nonlocal count
        driver.send("move", x, y)
        driver.paint_pass()
        count += 1
        if count % every == 0:
            series.append((count, rss()))

    _run_updates(driver, args.updates, update)
    driver.settle(0.2)
    final = rss()
    gc.collect()
    after_gc = rss()
    window.close()
    _emit(
        {
            "after_start_mb": after_start,
            "after_updates_mb": final,
            "after_gc_mb": after_gc,
            "series": series,
            "updates": count,
        }
    )
    return 0


def child_make_weights(args) -> int:
    """Save an untrained LeNet-5 (for timing only, when no weights exist)."""
    import torch

    from lenet_gui.network.model import LeNet5

    torch.manual_seed(0)
    torch.save(LeNet5().state_dict(), args.weights)
    return 0


# =============================================================================
# The parent: runs the children, prints the table
# =============================================================================


def percentile(values, q):
    """Linear-interpolated percentile (q in 0..100) of a non-empty list."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values):
    return percentile(values, 50)


def loadavg() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_snapshot() -> tuple[float, float, float, float]:
    """(wall time, CPU s busy machine-wide, CPU s of this benchmark, steal)."""
    import resource

    import psutil

    c = psutil.cpu_times()
    busy = (
        c.user + c.nice + c.system + getattr(c, "irq", 0.0) + getattr(c, "softirq", 0.0)
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    me = resource.getrusage(resource.RUSAGE_SELF)
    own = children.ru_utime + children.ru_stime + me.ru_utime + me.ru_stime
    return time.time(), busy, own, getattr(c, "steal", 0.0)


def other_load(before, after) -> str:
    """CPU cores kept busy by other processes between two snapshots."""
    wall = after[0] - before[0]
    if wall <= 0:
        return "?"
    others = max(0.0, (after[1] - before[1]) - (after[2] - before[2])) / wall
    steal = (after[3] - before[3]) / wall
    return f"{others:.2f} cores busy with other processes" + (
        f", steal {steal:.2f}" if steal > 0.01 else ""
    )


def machine_info() -> dict:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def ver(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "missing"

    mem = "?"
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": ver("torch"),
        "PySide6": ver("PySide6-Essentials")
        if ver("PySide6") == "missing"
        else ver("PySide6"),
        "pyqtgraph": ver("pyqtgraph"),
        "numpy": ver("numpy"),
        "qpa": "offscreen",
    }


def run_child(name: str, extra: list[str], env: dict, timeout: float = 900) -> dict:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lenet-bench-") as config:
        child_env = dict(env, XDG_CONFIG_HOME=config)
        proc = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--child", name, *extra],
            cwd=REPO,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    raise RuntimeError(
        f"child {name} failed "
        f"({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    )


def code_fingerprint() -> str:
    """sha256 of the lenet_gui sources measured (the tree has no commit to name)."""
    import hashlib

    digest = hashlib.sha256()
    newest = 0.0
    package = os.path.join(REPO, "lenet_gui")
    for folder, _, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, REPO).encode())
                with open(path, "rb") as f:
                    digest.update(f.read())
                newest = max(newest, os.path.getmtime(path))
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(newest))
    return f"lenet_gui sources sha256 {digest.hexdigest()[:12]} (newest file {stamp})"


def child_env() -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = REPO + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    env.setdefault("XDG_RUNTIME_DIR", "/tmp")
    return env


def measure_startup(runs: int, weights: str | None, env: dict) -> dict:
    import subprocess

    extra = ["--weights", weights] if weights else []
    painted, ready, built, bare, rss, started, imported_gui, torch_only = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    bare_cmd = [
        sys.executable,
        "-c",
        "import torch, PySide6.QtWidgets, pyqtgraph, time; print(time.time())",
    ]
    torch_cmd = [sys.executable, "-c", "import torch, time; print(time.time())"]
    for i in range(runs + 1):  # run 0 warms the file cache and is not counted
        t0 = time.time()
        s = run_child("startup", extra, env)
        t1 = time.time()
        out = subprocess.run(
            bare_cmd, cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        imported = float(out.stdout.strip().splitlines()[-1])
        t2 = time.time()
        out = subprocess.run(
            torch_cmd, cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        torch_imported = float(out.stdout.strip().splitlines()[-1])
        if s.get("load_error"):
            raise RuntimeError(f"start-up: model failed to load: {s['load_error']}")
        if i == 0:
            continue
        painted.append(s["painted"] - t0)
        ready.append(s["ready"] - t0)
        built.append(s["window_built"] - t0)
        bare.append(imported - t1)
        torch_only.append(torch_imported - t2)
        started.append(s["child_start"] - t0)
        imported_gui.append(s["gui_imported"] - t0)
        rss.append(s.get("rss_mb", float("nan")))
    return {
        "painted_s": painted,
        "ready_s": ready,
        "built_s": built,
        "started_s": started,
        "gui_imported_s": imported_gui,
        "bare_import_s": bare,
        "torch_import_s": torch_only,
        "rss_mb": rss,
    }


def measure_training(args, env, keep_weights: str | None = None) -> dict:
    import subprocess
    import tempfile

    if args.training_json:
        with open(args.training_json) as f:
            meta = json.load(f)
        return {
            "source": f"recorded in {args.training_json}",
            "meta": meta,
            "wall_s": None,
        }
    with tempfile.TemporaryDirectory(prefix="lenet-train-") as tmp:
        output = os.path.join(tmp, "lenet5.pt")
        cmd = [
            sys.executable,
            "-m",
            "lenet_gui.train",
            "--data",
            args.data,
            "--epochs",
            "20",
            "--seed",
            "1",
            "--output",
            output,
        ]
        print(
            f"  training: {' '.join(cmd[1:])} (minutes) ...",
            file=sys.stderr,
            flush=True,
        )
        t0 = time.time()
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        wall = time.time() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"training failed:\n{proc.stderr[-3000:]}")
        with open(os.path.join(tmp, "lenet5.json")) as f:
            meta = json.load(f)
        if keep_weights:
            import shutil

            shutil.copyfile(output, keep_weights)
    return {
        "source": "measured in this run",
        "meta": meta,
        "wall_s": wall,
        "stdout": proc.stdout[-500:],
    }


def fmt_ms(v):
    return f"{v:.2f} ms"


def stat_row(label: str, values: list[float]) -> list[str]:
    """Return a table row with the median and p95 of ``values``, in ms."""
    return [label, fmt_ms(median(values)), fmt_ms(percentile(values, 95)), "", "", ""]


def status(ok):
    return "PASS" if ok else "FAIL"


def build_report(res: dict, args) -> tuple[list[list[str]], list[str]]:
    """Rows of the results table and extra lines (breakdown, notes)."""
    rows: list[list[str]] = []
    notes: list[str] = []
    T = TARGETS

    live = res.get("live")
    if live:
        tot = live["total_ms"]
        p95 = percentile(tot, 95)
        n = len(tot)
        rows.append(
            [
                "1. Live update: mouse move -> all views updated + painted",
                fmt_ms(median(tot)),
                fmt_ms(p95),
                "p95 <= 6 ms",
                status(p95 <= T["live_p95_ms"]),
                live["load"],
            ]
        )
        if live.get("back_to_back_ms"):
            bb = live["back_to_back_ms"]
            rows.append(
                stat_row("   same, updates back to back (no idle frame between)", bb)
            )
        rows.append(
            stat_row("   of which the mouse event (ink + refresh)", live["event_ms"])
        )
        rows.append(stat_row("   of which the repaint pass", live["paint_ms"]))
        bf = live["bare_forward_ms"]
        rows.append(stat_row("   bare forward_with_activations (inference_mode)", bf))
        rows.append(
            [
                "   full update / bare forward",
                f"{median(tot) / median(bf):.1f}x",
                f"{p95 / percentile(bf, 95):.1f}x",
                "",
                "",
                "",
            ]
        )
        info = live["info"]
        notes.append(
            f"Live update: {n} timed updates (mouse moves every 4 px along digits 0-9, "
            "each one when the "
            "frame-rate throttle is idle, i.e. about one frame after the previous "
            "refresh, as in use), window "
            f"{info['window'][0]}x{info['window'][1]}, canvas "
            f"{info['canvas'][0]}x{info['canvas'][1]}, "
            f"feature maps {info['feature_maps'][0]}x{info['feature_maps'][1]}, torch "
            f"threads {info['torch_threads']}; "
            f"all four views painted in {live['complete']}/{n} updates."
        )
        # Breakdown table.
        keys = [
            "mouse event (stroke ink + refresh)",
            "refresh (all)",
            "canvas.to_array",
            "preprocess",
            "forward + activations + softmax",
            "PredictionLabel.set_prediction",
            "ProbabilityChart.set_probabilities",
            "NetworkInputView.set_input",
            "FeatureMapPanel.set_activations",
            "repaint pass",
            "paint: canvas",
            "paint: probability chart",
            "paint: input view",
            "paint: feature maps",
            "paint: prediction digit",
            "paint: prediction confidence",
            "total",
        ]
        br = live["rows"]
        derived = []
        for r in br:
            r = dict(r)
            inner = sum(r.get(k, 0.0) for k in keys[2:9])
            r["refresh: other (Python glue)"] = r.get("refresh (all)", 0.0) - inner
            r["mouse event: canvas ink + dispatch"] = r[
                "mouse event (stroke ink + refresh)"
            ] - r.get("refresh (all)", 0.0)
            paints = sum(r.get(k, 0.0) for k in keys[10:16])
            r["repaint: Qt repaint manager, flush, other"] = r["repaint pass"] - paints
            derived.append(r)
        order = (
            keys[:1]
            + ["mouse event: canvas ink + dispatch"]
            + keys[1:9]
            + ["refresh: other (Python glue)"]
            + keys[9:16]
            + ["repaint: Qt repaint manager, flush, other", "total"]
        )
        lines = [
            "| step | median | p95 | share of median total |",
            "|---|---:|---:|---:|",
        ]
        total_med = median([r["total"] for r in derived])
        for k in order:
            vals = [r.get(k, 0.0) for r in derived]
            indent = (
                ""
                if k in ("mouse event (stroke ink + refresh)", "repaint pass", "total")
                else (
                    "&nbsp;&nbsp;"
                    if k != "refresh (all)"
                    and not k.startswith(
                        (
                            "canvas.",
                            "preprocess",
                            "forward",
                            "Pred",
                            "Prob",
                            "Netw",
                            "Feat",
                            "refresh:",
                        )
                    )
                    else "&nbsp;&nbsp;&nbsp;&nbsp;"
                )
            )
            if k == "refresh (all)":
                indent = "&nbsp;&nbsp;"
            lines.append(
                f"| {indent}{k} | {median(vals):.3f} | {percentile(vals, 95):.3f} | "
                f"{100 * median(vals) / total_med:.0f} % |"
            )
        notes.append("BREAKDOWN")
        notes.extend(lines)
        notes.append(
            f"(Breakdown pass: every step wrapped with a timer, {len(derived)} "
            "updates; its total "
            f"median {total_med:.2f} ms vs {median(tot):.2f} ms unwrapped. Medians of "
            "parts do not add up exactly.)"
        )
        b1 = live.get("bare_forward_1thread_ms")
        if b1:
            notes.append(
                f"Bare forward with torch.set_num_threads(1): median {median(b1):.3f} "
                f"ms, p95 {percentile(b1, 95):.3f} ms (the app ran torch with "
                f"{info['torch_threads']} thread(s))."
            )

    st = res.get("stroke")
    if st:
        gap = st["max_gap_ms"]
        rows.append(
            [
                f"2. Fast stroke ({st['events']} mouse events at {args.rate:g} Hz): "
                "refreshes shown",
                f"{st['refreshes']} refreshes, {st['feature_map_paints']} feature-map "
                "paints",
                "",
                "",
                "",
                st["load"],
            ]
        )
        rows.append(
            [
                "   longest gap between processed mouse events",
                fmt_ms(gap),
                f"p99 {fmt_ms(percentile(st['gaps_ms'], 99))}",
                "< 20 ms",
                status(gap < T["gap_ms"]),
                "",
            ]
        )
        rows.append(
            [
                "   mouse event latency (processed - due)",
                fmt_ms(median(st["latency_ms"])),
                f"max {fmt_ms(max(st['latency_ms']))}",
                "",
                "",
                "",
            ]
        )
        f = st["final"]
        rows.append(
            [
                "   final shown result == predict(final drawing)",
                "yes" if f["match"] else "NO",
                "",
                "must match",
                status(f["match"]),
                "",
            ]
        )
        notes.append(
            f"Fast stroke: {st['processed']}/{st['events']} mouse events processed, "
            f"refresh throttle {st['frame_interval_ms']} ms; final check {f}."
        )

    su = res.get("startup")
    if su:
        n = len(su["painted_s"])
        p, r = median(su["painted_s"]), median(su["ready_s"])
        rows.append(
            [
                f"3. Start-up: process start -> first painted window (median of {n})",
                f"{p:.3f} s",
                f"max {max(su['painted_s']):.3f} s",
                "<= 1.0 s",
                status(p <= T["painted_s"]),
                su["load"],
            ]
        )
        rows.append(
            [
                "   process start -> model loaded, first prediction possible",
                f"{r:.3f} s",
                f"max {max(su['ready_s']):.3f} s",
                "<= 2.0 s",
                status(r <= T["ready_s"]),
                "",
            ]
        )
        rows.append(
            [
                '   bare `python -c "import torch, PySide6.QtWidgets, pyqtgraph"`',
                f"{median(su['bare_import_s']):.3f} s",
                f"max {max(su['bare_import_s']):.3f} s",
                "",
                "",
                "",
            ]
        )
        rows.append(
            [
                '   bare `python -c "import torch"`',
                f"{median(su['torch_import_s']):.3f} s",
                f"max {max(su['torch_import_s']):.3f} s",
                "",
                "",
                "",
            ]
        )
        notes.append(
            "Start-up phases (medians, from process start): interpreter up and "
            "benchmark wrapper loaded "
            f"{median(su['started_s']):.3f} s; PySide6 + pyqtgraph + numpy + "
            "lenet_gui.gui imported "
            f"{median(su['gui_imported_s']):.3f} s; QApplication + MainWindow built "
            f"{median(su['built_s']):.3f} s; "
            f"first paint done {p:.3f} s; model ready {r:.3f} s. RSS at ready: "
            f"{median(su['rss_mb']):.0f} MB."
        )
        notes.append(
            "Start-up: painted/ready runs: "
            + ", ".join(
                f"{a:.2f}/{b:.2f}"
                for a, b in zip(su["painted_s"], su["ready_s"], strict=False)
            )
            + " s; bare imports: "
            + ", ".join(f"{a:.2f}" for a in su["bare_import_s"])
            + " s (one warm-up run not counted)."
        )

    mem = res.get("memory")
    if mem:
        growth = mem["after_updates_mb"] - mem["after_start_mb"]
        full = mem["updates"] >= 10_000
        rows.append(
            [
                "4. RSS after start-up (model loaded, window shown)",
                f"{mem['after_start_mb']:.0f} MB",
                "",
                "< 450 MB",
                status(mem["after_start_mb"] < T["rss_mb"]),
                mem["load"],
            ]
        )
        rows.append(
            [
                f"   RSS after {mem['updates']:,} live updates",
                f"{mem['after_updates_mb']:.0f} MB",
                "",
                "< 450 MB",
                status(mem["after_updates_mb"] < T["rss_mb"]),
                "",
            ]
        )
        rows.append(
            [
                f"   growth over {mem['updates']:,} updates",
                f"{growth:+.1f} MB",
                "",
                "< 20 MB" + ("" if full else " (over 10,000)"),
                status(growth < T["growth_mb"]) if full else "n/a (--quick)",
                "",
            ]
        )
        notes.append(
            "Memory (updates, RSS MB): "
            + ", ".join(f"{c}: {m:.1f}" for c, m in mem["series"])
            + f"; after gc.collect(): {mem['after_gc_mb']:.1f}."
        )

    tr = res.get("training")
    if tr:
        meta = tr["meta"]
        hist = meta.get("history", [])
        secs = [h["seconds"] for h in hist]
        per_epoch = [b - a for a, b in zip([0.0, *secs], secs, strict=False)]
        reach = next((h for h in hist if h["test_accuracy"] >= T["accuracy"]), None)
        # Drawing the training digits again comes before the first epoch.
        drawing = meta.get("drawing_seconds", 0.0)
        label = "recorded" if tr["wall_s"] is None else "measured"
        images = meta.get("training_images", 0) + meta.get("drawn_per_pass", 0)
        rows.append(
            [
                f"5. Training ({label}): seconds per epoch ({images:,} images + "
                "10,000 test)",
                f"{median(per_epoch):.1f} s",
                f"max {max(per_epoch):.1f} s",
                "",
                "",
                (
                    tr.get("load", "")
                    if tr["wall_s"] is not None
                    else "recorded run: load not known"
                ),
            ]
        )
        if reach:
            rows.append(
                [
                    f"   time to 99.2 % test accuracy (epoch {reach['epoch']}, "
                    f"after {drawing:.0f} s drawing the digits)",
                    f"{drawing + reach['seconds']:.0f} s",
                    "",
                    "< 300 s",
                    status(drawing + reach["seconds"] < T["train_s"]),
                    "",
                ]
            )
            slow = [i + 1 for i, x in enumerate(per_epoch) if x > 2 * median(per_epoch)]
            if slow:
                estimate = drawing + reach["epoch"] * median(per_epoch)
                rows.append(
                    [
                        "   same at the median epoch time (epochs "
                        f"{', '.join(map(str, slow))} ran > 2x slower)",
                        f"~{estimate:.0f} s (estimate)",
                        "",
                        "< 300 s",
                        "",
                        "",
                    ]
                )
        else:
            best = max((h["test_accuracy"] for h in hist), default=float("nan"))
            rows.append(
                [
                    "   time to 99.2 % test accuracy",
                    f"never (best {best:.2%})",
                    "",
                    "< 300 s",
                    "FAIL",
                    "",
                ]
            )
        rows.append(
            [
                "   final test accuracy after 20 epochs",
                f"{meta.get('test_accuracy', float('nan')):.2%}",
                "",
                ">= 99.2 %",
                status(meta.get("test_accuracy", 0) >= T["accuracy"]),
                "",
            ]
        )
        notes.append(
            f"Training {tr['source']}: threads {meta.get('threads')}, total "
            f"{meta.get('drawing_seconds', 0)} s drawing the digits and "
            f"{meta.get('training_seconds')} s of training"
            + (
                f", {tr['wall_s']:.0f} s wall clock including data loading"
                if tr["wall_s"]
                else ""
            )
            + "; per-epoch test accuracy: "
            + ", ".join(f"{h['test_accuracy']:.4f}" for h in hist)
            + "; seconds per epoch: "
            + ", ".join(f"{x:.1f}" for x in per_epoch)
            + "."
        )
    return rows, notes


def render(rows, notes, machine, command, weights_note) -> tuple[str, str]:
    """Plain-text and Markdown renderings."""
    head = [
        "measure",
        "median",
        "p95 / max",
        "target",
        "status",
        "load avg (1/5/15 min)",
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    text = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=False))]
    text.append("  ".join("-" * w for w in widths))
    text += [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False))
        for r in rows
    ]
    md = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    md += [
        ("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |").replace(
            "|    ", "| &nbsp;&nbsp;&nbsp;", 1
        )
        for r in rows
    ]
    text_notes, md_notes = [], []
    for n in notes:
        if n == "BREAKDOWN":
            text_notes.append("\nLive update breakdown (ms):")
            md_notes.append("\n### Live update breakdown (ms)\n")
            continue
        if n.startswith("|"):
            if n.startswith("|---"):
                md_notes.append(n)
                continue
            cells = [c.strip().replace("&nbsp;", " ") for c in n.strip("|").split("|")]
            text_notes.append(
                f"  {cells[0]:<48} {cells[1]:>9} {cells[2]:>9} {cells[3]:>8}"
            )
            md_notes.append(n)
        else:
            text_notes.append(n)
            md_notes.append("\n" + n)
    mach = ", ".join(f"{k} {v}" for k, v in machine.items())
    plain = "\n".join([*text, "", weights_note, *text_notes])
    markdown = "\n".join(
        [
            f"Command: `{command}`\n",
            f"Machine: {mach}\n",
            weights_note + "\n",
            *md,
            *md_notes,
        ]
    )
    return plain, markdown


def parse_args(argv=None):
    import argparse

    p = argparse.ArgumentParser(
        description="Benchmarks of LeNet-5 Explorer (offscreen)."
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="short run: fewer samples, 1,000 memory updates, no training",
    )
    p.add_argument(
        "--skip-training",
        action="store_true",
        help="skip the training benchmark (minutes)",
    )
    p.add_argument(
        "--training-json",
        metavar="FILE",
        help="report a recorded training run's JSON instead of training",
    )
    p.add_argument(
        "--runs",
        type=int,
        default=None,
        help="timed live updates (default 1000, --quick 200)",
    )
    p.add_argument(
        "--startup-runs",
        type=int,
        default=None,
        help="start-up repetitions (default 7, --quick 3)",
    )
    p.add_argument(
        "--updates",
        type=int,
        default=None,
        help="live updates for the memory test (default 10000)",
    )
    p.add_argument(
        "--only",
        default="live,stroke,startup,memory,training",
        help="comma-separated sections to run",
    )
    p.add_argument(
        "--weights",
        metavar="FILE",
        help="weights to use (default: the bundled weights/lenet5.pt)",
    )
    p.add_argument("--data", default=MNIST, help="MNIST directory for training")
    p.add_argument(
        "--markdown", metavar="FILE", help="also write the results as Markdown"
    )
    p.add_argument("--json", metavar="FILE", help="also write the raw results as JSON")
    p.add_argument("--rate", type=float, default=250.0, help=argparse.SUPPRESS)
    p.add_argument("--duration", type=float, default=3.0, help=argparse.SUPPRESS)
    p.add_argument("--child", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.child:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return {
            "startup": child_startup,
            "live": child_live,
            "stroke": child_stroke,
            "memory": child_memory,
            "make-weights": child_make_weights,
        }[args.child](args)

    import tempfile

    runs = args.runs or (200 if args.quick else 1000)
    startup_runs = args.startup_runs or (3 if args.quick else 7)
    updates = args.updates or (1000 if args.quick else 10_000)
    sections = set(args.only.split(","))
    if args.quick or args.skip_training:
        if not args.training_json:
            sections.discard("training")
    env = child_env()
    machine = machine_info()
    machine["code"] = code_fingerprint()
    command = "python benchmarks/bench.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    print("LeNet-5 Explorer benchmarks (offscreen)")
    for k, v in machine.items():
        print(f"  {k:10} {v}")
    print(f"  load avg   {loadavg()} (1/5/15 min) at start")

    scratch = tempfile.mkdtemp(prefix="lenet-bench-")
    bundled = os.path.join(REPO, "weights", "lenet5.pt")
    results: dict = {}
    train_first = (
        "training" in sections
        and not args.training_json
        and not args.weights
        and not os.path.exists(bundled)
    )
    if args.weights:
        weights, weights_note = (
            os.path.abspath(args.weights),
            f"Weights: {args.weights}.",
        )
    elif os.path.exists(bundled):
        weights, weights_note = None, "Weights: the bundled weights/lenet5.pt."
    elif train_first:
        weights = os.path.join(scratch, "trained.pt")
        weights_note = (
            "Weights: weights/lenet5.pt is missing, so the training benchmark (5) ran "
            "first "
            "and its weights were used for 1-4 (start-up loads them on the worker "
            "thread "
            "exactly as it would load the bundled file)."
        )
    else:
        weights = os.path.join(scratch, "untrained.pt")
        import subprocess

        subprocess.run(
            [
                sys.executable,
                os.path.abspath(__file__),
                "--child",
                "make-weights",
                "--weights",
                weights,
            ],
            cwd=REPO,
            env=env,
            check=True,
        )
        weights_note = (
            "Weights: weights/lenet5.pt is missing, so an UNTRAINED LeNet-5 was used "
            "(timings and memory do not depend on the weight values; start-up loads it "
            "on the worker thread the same way)."
        )
    wargs = ["--weights", weights] if weights else []

    def section(name, fn):
        if name not in sections:
            return
        print(f"  running {name} ...", file=sys.stderr, flush=True)
        before, snap = loadavg(), cpu_snapshot()
        t = time.time()
        results[name] = fn()
        results[name]["load"] = (
            f"{before} -> {loadavg()}; {other_load(snap, cpu_snapshot())}"
        )
        print(
            f"    done in {time.time() - t:.0f} s, load {results[name]['load']}",
            file=sys.stderr,
            flush=True,
        )

    if train_first:
        section("training", lambda: measure_training(args, env, keep_weights=weights))
        sections.discard("training")
    section("live", lambda: run_child("live", [*wargs, "--runs", str(runs)], env))
    section(
        "stroke",
        lambda: run_child(
            "stroke",
            [*wargs, "--rate", str(args.rate), "--duration", str(args.duration)],
            env,
        ),
    )
    section("startup", lambda: measure_startup(startup_runs, weights, env))
    section(
        "memory",
        lambda: run_child(
            "memory", [*wargs, "--updates", str(updates)], env, timeout=3600
        ),
    )
    section("training", lambda: measure_training(args, env))

    rows, notes = build_report(results, args)
    plain, markdown = render(rows, notes, machine, command.strip(), weights_note)
    print(f"  load avg   {loadavg()} (1/5/15 min) at end\n")
    print(plain)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine, "results": results}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
