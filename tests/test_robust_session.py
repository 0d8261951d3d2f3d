"""Long sessions and arbitrary input: the app never crashes, never loses the drawing.

* Property tests (hypothesis) of the preprocessing and inference path: any
  2-D array the API accepts gives a valid result or None, never NaN; anything
  else a clear ``ValueError``; and the window's Open path takes any array.
* A seeded soak test of more than 10,000 events on the real window: strokes
  inside and outside the canvas, dots, one very long stroke, clear, undo,
  redo, opening good and bad files, resizing. The prediction always matches
  the canvas, and no exception reaches Qt.
* Closing the window mid-stroke or while the weights still load leaves no
  thread behind; ``--predict`` and the app, as processes, leave no child.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from image_samples import grey_qimage, save
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from robust_helpers import (
    LEFT,
    MNIST_DIR,
    NO_MOD,
    REPO,
    STEM,
    assert_result_matches_canvas,
    assert_valid_prediction,
    canvas_point,
    drop_file,
    non_daemon_threads,
    show_window,
)

from lenet_gui.files.idx import load_mnist
from lenet_gui.gui import MainWindow

SEED = 20240611
SOAK_EVENTS = 10_000
CHECK_EVERY = 100
LONG_STROKE = 3_000


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread():
    """Use one intra-op torch thread in this module.

    On a busy shared CPU, two threads that wait for each other make each
    prediction tens of times slower; every check compares results computed
    with the same setting.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# --- property tests of preprocessing and inference ----------------------------------

DTYPES = [
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.bool_,
    np.float16,
    np.float32,
    np.float64,
]
SHAPES = array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=96)


@st.composite
def images(draw) -> np.ndarray:
    """Any 2-D array ``predict`` accepts: all those dtypes, NaN, inf, constants.

    Arbitrary pixels (which hypothesis shrinks to constants and extremes),
    constant images, and a blob of ink on paper with specks of NaN and inf,
    sometimes as a strided or transposed view.
    """
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(SHAPES)
    kind = draw(st.sampled_from(["any", "constant", "blob", "blob"]))
    if dtype.kind == "f":
        elements = st.floats(
            allow_nan=True, allow_infinity=True, width=dtype.itemsize * 8
        )
    else:
        elements = None
    if kind == "any":
        a = draw(arrays(dtype, shape, elements=elements))
    elif kind == "constant":
        value = draw(arrays(dtype, (), elements=elements))
        a = np.full(shape, value, dtype=dtype)
    else:
        paper, ink = draw(arrays(dtype, (2,), elements=elements, unique=True))
        a = np.full(shape, paper, dtype=dtype)
        top, left = (
            draw(st.integers(0, shape[0] - 1)),
            draw(st.integers(0, shape[1] - 1)),
        )
        a[top : top + 1 + shape[0] // 2, left : left + 1 + shape[1] // 3] = ink
        if dtype.kind == "f":
            for value in draw(st.lists(st.sampled_from([np.nan, np.inf, -np.inf]))):
                a[
                    draw(st.integers(0, shape[0] - 1)),
                    draw(st.integers(0, shape[1] - 1)),
                ] = value
    view = draw(st.sampled_from(["plain", "transposed", "strided"]))
    if view == "transposed":
        a = a.T
    elif view == "strided" and min(a.shape) > 1:
        a = a[::2, ::-1]
    return a


@settings(max_examples=300, deadline=None)
@given(image=images())
def test_predict_on_any_image_is_a_valid_result_or_none(classifier, image):
    before = image.copy()
    result = classifier.predict(image)
    if result is not None:
        assert_valid_prediction(result)
        assert np.isfinite(result.confidence) and 0.0 < result.confidence <= 1.0
        for name, activation in result.activations.items():
            assert np.isfinite(activation).all(), name
    np.testing.assert_array_equal(image, before)  # the caller's array is not touched


@st.composite
def constant_images(draw) -> np.ndarray:
    """Arrays of one value: any dtype, any size, including all NaN or all inf."""
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    if dtype.kind == "f":
        elements = st.floats(width=dtype.itemsize * 8)
        value = draw(st.one_of(elements, st.sampled_from([np.nan, np.inf, -np.inf])))
    else:
        value = draw(arrays(dtype, ()))
    return np.full(draw(SHAPES), value, dtype=dtype)


@settings(max_examples=60, deadline=None)
@given(image=constant_images())
def test_a_constant_image_holds_no_digit(classifier, image):
    assert classifier.predict(image) is None


NOT_IMAGES = st.one_of(
    arrays(np.float64, array_shapes(min_dims=0, max_dims=1, min_side=0, max_side=8)),
    arrays(np.uint8, array_shapes(min_dims=3, max_dims=4, min_side=1, max_side=6)),
    arrays(
        np.float32,
        st.tuples(st.integers(0, 5), st.integers(0, 5)).filter(lambda s: 0 in s),
    ),
    arrays(np.complex128, array_shapes(min_dims=2, max_dims=2, max_side=8)),
    arrays(np.dtype("U3"), array_shapes(min_dims=2, max_dims=2, max_side=8)),
    arrays(np.dtype("datetime64[s]"), array_shapes(min_dims=2, max_dims=2, max_side=8)),
    arrays(
        object, array_shapes(min_dims=2, max_dims=2, max_side=4), elements=st.none()
    ),
)


@settings(max_examples=80, deadline=None)
@given(image=NOT_IMAGES)
def test_predict_on_what_is_not_an_image_is_a_clear_error(classifier, image):
    with pytest.raises(ValueError) as excinfo:
        classifier.predict(image)
    message = str(excinfo.value)
    assert message and "\n" not in message
    assert "image" in message


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(image=images())
def test_open_path_takes_any_array_without_an_exception(
    qtbot, window, messages, monkeypatch, image
):
    """Whatever a (future) image decoder returns, Open never throws into Qt.

    The array goes on through read_ink's photo cleaning, as a decoded file does.
    """
    monkeypatch.setattr("lenet_gui.drawing.image_file.read_image", lambda path: image)
    before = window.canvas.to_array()
    with qtbot.captureExceptions() as exceptions:
        opened = window.files.open_image("any.png")
    assert exceptions == []
    if opened:
        assert window.statusBar().currentMessage() == "Opened any.png"
    else:
        assert np.array_equal(window.canvas.to_array(), before)
        assert "\n" not in messages.warnings[-1][1]
    assert_result_matches_canvas(window)
    result = window.session.last_result
    if result is not None:
        assert_valid_prediction(result)


# --- pytest-qt really reports exceptions raised inside Qt ----------------------------


class _Faulty(QWidget):
    def mousePressEvent(self, event):  # noqa: N802
        raise RuntimeError("raised inside a Qt virtual method")

    def paintEvent(self, event):  # noqa: N802
        raise RuntimeError("raised while Qt painted")


def test_exceptions_inside_qt_are_never_silent(qtbot):
    """The soak test's "no exception" checks are not vacuous.

    An exception in a Python override that a Python call led to (sendEvent)
    comes back to the caller; one raised while Qt's event loop runs (a paint,
    a timer's slot) goes to ``sys.excepthook``, where pytest-qt collects it.
    """
    widget = _Faulty()
    qtbot.addWidget(widget)
    with pytest.raises(RuntimeError, match="raised inside a Qt virtual method"):
        QTest.mouseClick(widget, LEFT)
    with qtbot.captureExceptions() as exceptions:
        widget.show()
        qtbot.waitUntil(lambda: len(exceptions) > 0)
    assert "raised while Qt painted" in str(exceptions[0][1])

    def slot():
        raise ValueError("raised in a slot")

    with qtbot.captureExceptions() as exceptions:
        QTimer.singleShot(0, slot)
        qtbot.waitUntil(lambda: len(exceptions) > 0)
    assert "raised in a slot" in str(exceptions[0][1])
    widget.hide()


# --- the soak test ------------------------------------------------------------------


class _Soak:
    """Random events on the real window, as a very restless person would send.

    ``stats`` counts what was done, so the test can tell the session really
    went through every kind of event.
    """

    def __init__(self, window: MainWindow, files: dict[str, Path], seed: int) -> None:
        self.window = window
        self.canvas = window.canvas
        self.files = files
        self.rng = random.Random(seed)
        self.events = 0
        self.checks: list[int | None] = []  # the digit read at each check
        self.stats: Counter[str] = Counter()
        self.pressed = False
        self.last = QPointF(0, 0)
        self.next_check = CHECK_EVERY
        self.actions = {
            a.text().strip("&").lower(): a
            for a in window.actions()
            if a.text() in ("&Undo", "&Redo", "&Clear")
        }
        assert len(self.actions) == 3

    # -- positions

    def point(self) -> QPointF:
        """Mostly inside the canvas, sometimes well outside it."""
        w, h = self.canvas.width(), self.canvas.height()
        if self.rng.random() < 0.15:
            x, y = self.rng.uniform(-0.5, 1.5), self.rng.uniform(-0.5, 1.5)
        else:
            x, y = self.rng.random(), self.rng.random()
        return QPointF(x * w, y * h)

    def step(self) -> QPointF:
        if self.rng.random() < 0.03:
            return self.point()  # a jump, possibly off the canvas
        dx, dy = self.rng.gauss(0, 6), self.rng.gauss(0, 6)
        return QPointF(self.last.x() + dx, self.last.y() + dy)

    # -- events

    def mouse(self, kind: QEvent.Type, position: QPointF, button=LEFT) -> None:
        # Buttons held after the event, as Qt reports them.
        held = self.pressed and kind != QEvent.Type.MouseButtonRelease
        buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
        if kind == QEvent.Type.MouseButtonPress:
            buttons |= button
        event = QMouseEvent(
            kind,
            position,
            QPointF(self.canvas.mapToGlobal(position)),
            button if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
            buttons,
            NO_MOD,
        )
        QApplication.sendEvent(self.canvas, event)
        if not QRectF(self.canvas.rect()).contains(position):
            self.stats["outside"] += 1
        self.last = position
        self.count()

    def press(self, position: QPointF | None = None) -> None:
        self.pressed = True
        self.stats["press"] += 1
        self.mouse(QEvent.Type.MouseButtonPress, position or self.point())

    def move(self) -> None:
        self.stats["move" if self.pressed else "hover"] += 1
        self.mouse(QEvent.Type.MouseMove, self.step() if self.pressed else self.point())

    def release(self, position: QPointF | None = None) -> None:
        self.stats["release" if self.pressed else "stray release"] += 1
        self.mouse(QEvent.Type.MouseButtonRelease, position or self.step())
        self.pressed = False

    def stray_release(self) -> None:
        self.release(self.point())

    def dot(self) -> None:
        """A zero-length stroke: press and release on the same spot."""
        position = self.point()
        self.stats["dot"] += 1
        self.press(position)
        self.release(position)

    def right_click(self) -> None:
        position = self.point()
        self.stats["right click"] += 1
        self.mouse(QEvent.Type.MouseButtonPress, position, Qt.MouseButton.RightButton)
        self.mouse(QEvent.Type.MouseButtonRelease, position, Qt.MouseButton.RightButton)

    def long_stroke(self) -> None:
        """One stroke of LONG_STROKE points winding over (and off) the canvas."""
        w, h = self.canvas.width(), self.canvas.height()
        self.stats["long stroke"] += 1
        self.press(QPointF(w / 2, h / 2))
        for i in range(LONG_STROKE):
            angle = i * 0.013
            radius = (0.2 + 0.45 * (i % 700) / 700) * min(w, h)
            x, y = w / 2 + radius * np.cos(angle), h / 2 + radius * np.sin(angle)
            self.mouse(QEvent.Type.MouseMove, QPointF(x, y))
        self.release(self.last)

    def undo(self) -> None:
        self.trigger("undo")

    def redo(self) -> None:
        self.trigger("redo")

    def clear(self) -> None:
        self.trigger("clear")

    def trigger(self, name: str) -> None:
        self.stats[name] += 1
        self.actions[name].trigger()
        self.count()

    def open_good(self) -> None:
        self.open(self.files["good"], good=True)

    def open_bad(self) -> None:
        self.open(self.files[self.rng.choice(["bad", "empty", "blank"])], good=False)

    def open(self, path: Path, good: bool) -> None:
        before = self.canvas.to_array()
        if self.rng.random() < 0.5:
            opened = self.window.files.open_image(path)
            self.stats["open"] += 1
        else:
            drop_file(self.window, path)
            opened = None
            self.stats["drop"] += 1
        if good:
            assert opened in (True, None)
            assert self.window.statusBar().currentMessage() == f"Opened {path.name}"
        else:
            # A failed load never costs the drawing, even mid-stroke.
            assert opened in (False, None)
            assert np.array_equal(self.canvas.to_array(), before), path
        self.stats["good file" if good else "bad file"] += 1
        self.count()

    def resize(self) -> None:
        self.stats["resize"] += 1
        self.window.resize(self.rng.randint(600, 1500), self.rng.randint(420, 1050))
        QApplication.processEvents()
        self.count()

    def pen(self) -> None:
        self.stats["pen"] += 1
        self.canvas.set_pen_width(self.rng.uniform(1.0, 80.0))
        self.count()

    def process(self) -> None:
        self.stats["process"] += 1
        QApplication.processEvents()  # timers fire, the window repaints

    # -- run

    def count(self) -> None:
        """Count one event; every CHECK_EVERY events, check the prediction."""
        self.events += 1
        if self.events >= self.next_check:
            self.check()
            self.next_check = self.events + CHECK_EVERY

    def check(self) -> None:
        assert_result_matches_canvas(self.window)
        result = self.window.session.last_result
        if result is not None:
            assert_valid_prediction(result)
        self.checks.append(None if result is None else result.digit)

    def run(self, count: int) -> None:
        long_at = self.rng.randint(count // 4, count // 2)
        drawing = [
            (self.move, 70), (self.release, 8), (self.process, 6), (self.undo, 2),
            (self.redo, 1), (self.clear, 0.5), (self.open_good, 0.2),
            (self.open_bad, 0.3), (self.resize, 0.2),
        ]  # fmt: skip
        idle = [
            (self.press, 10), (self.dot, 3), (self.move, 3), (self.process, 5),
            (self.right_click, 0.5), (self.stray_release, 0.5), (self.undo, 4),
            (self.redo, 3), (self.clear, 1.5), (self.open_good, 0.6),
            (self.open_bad, 0.6), (self.resize, 0.5), (self.pen, 0.5),
        ]  # fmt: skip
        while self.events < count:
            if not self.pressed and long_at <= self.events:
                self.long_stroke()
                long_at = count * 10
                continue
            options = drawing if self.pressed else idle
            actions, weights = zip(*options, strict=True)
            self.rng.choices(actions, weights)[0]()
        if self.pressed:
            self.release()
        self.check()


@pytest.fixture(scope="module")
def soak_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("soak")
    digit = load_mnist(MNIST_DIR, "test")[0][0]
    (folder / "bad.png").write_text("not a picture\n")
    (folder / "empty.png").touch()
    return {
        "good": save(grey_qimage(digit), folder / "seven.png"),
        "bad": folder / "bad.png",
        "empty": folder / "empty.png",
        "blank": save(
            grey_qimage(np.full((20, 20), 255, np.uint8)), folder / "blank.png"
        ),
    }


def test_soak_ten_thousand_events(qtbot, window, messages, soak_files):
    soak = _Soak(window, soak_files, SEED)
    with qtbot.captureExceptions() as exceptions:
        soak.run(SOAK_EVENTS)
    assert exceptions == [], [str(e[1]) for e in exceptions]
    assert soak.events >= SOAK_EVENTS
    assert len(soak.checks) >= SOAK_EVENTS // CHECK_EVERY
    assert messages.others == []
    assert all("\n" not in text for _, text in messages.warnings)
    # The session really went through every kind of event, many times.
    stats = soak.stats
    assert stats["long stroke"] == 1
    for kind in ("press", "release", "dot", "hover", "outside", "undo", "redo"):
        assert stats[kind] >= 100, (kind, stats)
    for kind in ("clear", "open", "drop", "good file", "bad file", "resize", "pen"):
        assert stats[kind] >= 10, (kind, stats)
    assert stats["right click"] > 0 and stats["stray release"] > 0
    assert any("no digit found" in text for _, text in messages.warnings)
    assert any("not an image" in text for _, text in messages.warnings)
    # ... and checked blank canvases as well as several different readings.
    assert None in soak.checks
    assert len(set(soak.checks) - {None}) >= 3
    # The window still works after all that: draw on a clean canvas and read it.
    window.resize(window.sizeHint())
    QApplication.processEvents()
    window.canvas.clear()
    window.canvas.set_pen_width(24)
    positions = [canvas_point(window.canvas, p) for p in STEM]
    QTest.mousePress(window.canvas, LEFT, NO_MOD, positions[0])
    for position in positions[1:]:
        QTest.mouseMove(window.canvas, position)
    QTest.mouseRelease(window.canvas, LEFT, NO_MOD, positions[-1])
    assert (
        window.session.last_result is not None and window.session.last_result.digit == 1
    )


# --- closing in the middle of things --------------------------------------------------


def test_closing_mid_stroke_leaves_nothing_running(qtbot, window):
    children = {p.pid for p in psutil.Process().children(recursive=True)}
    canvas = window.canvas
    positions = [canvas_point(canvas, p) for p in STEM]
    with qtbot.captureExceptions() as exceptions:
        QTest.mousePress(canvas, LEFT, NO_MOD, positions[0])
        for position in positions[1:]:
            QTest.mouseMove(canvas, position)  # no release
        assert not canvas.is_empty()
        assert window.close()
        QApplication.processEvents()  # a frame timer left running would fire now
    assert exceptions == []
    assert not window.isVisible()
    assert non_daemon_threads() == []
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= children


def test_closing_while_the_weights_load_waits_for_them(
    qtbot, monkeypatch, messages, classifier
):
    """Closed mid-stroke and mid-load: the loader thread is finished, not left."""
    started, release = threading.Event(), threading.Event()

    def gated_load(path=None):
        started.set()
        assert release.wait(timeout=60), "the test never let the load go on"
        return classifier._model, dict(classifier.metadata)

    monkeypatch.setattr("lenet_gui.network.classifier.load_model", gated_load)
    try:
        window = show_window(qtbot, MainWindow(defer_model=True))
        qtbot.waitUntil(started.is_set, timeout=30_000)
        canvas = window.canvas
        QTest.mousePress(canvas, LEFT, NO_MOD, canvas_point(canvas, STEM[0]))
        QTest.mouseMove(canvas, canvas_point(canvas, STEM[5]))
        assert [t.name for t in non_daemon_threads()] == ["load-weights"]
        assert window.session.network.classifier is None
    finally:
        release.set()
    with qtbot.captureExceptions() as exceptions:
        assert window.close()
        assert non_daemon_threads() == []
        # The loaded model arrives after the close: harmless.
        qtbot.waitUntil(
            lambda: window.session.network.classifier is not None, timeout=10_000
        )
    assert exceptions == []
    assert messages.warnings == []


def _session_processes(session: int) -> list[psutil.Process]:
    """Processes still alive in a session (a child started with its own)."""
    alive = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == session:
                alive.append(process)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return alive


def _run_alone(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a child in its own session; note and kill what it leaves behind."""
    process = subprocess.Popen(
        args,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=180)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    leftovers = _session_processes(process.pid)
    for leftover in leftovers:
        leftover.kill()
    assert leftovers == [], f"left behind: {leftovers}"
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def test_predict_process_exits_and_leaves_no_child(tmp_path):
    digit = load_mnist(MNIST_DIR, "test")[0][0]
    good = save(grey_qimage(digit), tmp_path / "seven.png")
    bad = tmp_path / "bad.png"
    bad.write_text("not a picture\n")
    run = _run_alone(
        [sys.executable, str(REPO / "main.py"), "--predict", str(good), str(bad)],
        {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    assert first["file"] == str(good) and first["digit"] == 7
    assert second["file"] == str(bad) and "not an image" in second["error"]


CLOSE_WHILE_LOADING = """
import json, sys, threading
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from lenet_gui.gui import MainWindow

app = QApplication([])
torch_before = "torch" in sys.modules
window = MainWindow(defer_model=True)
window.show()
app.processEvents()
# The weights start loading once the window has been painted.
while not window.session.network.loading:
    app.processEvents()
canvas = window.canvas
QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                 QPoint(canvas.width() // 2, canvas.height() // 3))
QTest.mouseMove(canvas, QPoint(canvas.width() // 2, canvas.height() // 2))


def others():
    main = threading.main_thread()
    return [t.name for t in threading.enumerate() if t is not main and not t.daemon]


report = {"torch_before": torch_before, "loading": others()}
window.close()  # mid-stroke, while torch is still being imported
report["after_close"] = others()
report["ink"] = not canvas.is_empty()
app.processEvents()
report["classifier"] = window.session.network.classifier is not None
print(json.dumps(report))
"""


def test_app_process_closed_while_loading_exits_cleanly(tmp_path):
    """A fresh app (torch not yet imported) closed at once: exits, leaves nothing."""
    run = _run_alone(
        [sys.executable, "-c", CLOSE_WHILE_LOADING],
        {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(REPO),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["torch_before"] is False
    assert report["loading"] == ["load-weights"]  # closed while still loading
    assert report["after_close"] == []
    assert report["ink"] is True
    assert report["classifier"] is True
