"""Helpers for the whole-app robustness tests (``test_robust_*.py``).

Plain functions and classes, no fixtures: each test module builds its own
fixtures from them. Imported as a plain module (pytest puts ``tests/`` on the
path).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from lenet_gui.gui import MainWindow

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"
LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier

# Two strokes in fractions of the canvas: a vertical bar and a top bar.
STEM = [(0.55, 0.2 + 0.6 * t) for t in np.linspace(0.0, 1.0, 15)]
TOP = [(0.3 + 0.3 * t, 0.22) for t in np.linspace(0.0, 1.0, 10)]


class MessageLog:
    """Stands in for QMessageBox's static dialogs and records what they said.

    Every call returns at once, so no dialog ever blocks a test.
    """

    def __init__(self) -> None:
        self.warnings: list[tuple[str, str]] = []
        self.others: list[tuple[str, str, str]] = []

    def install(self, monkeypatch) -> MessageLog:
        def warning(parent, title, text, *args, **kwargs):
            self.warnings.append((title, text))
            return QMessageBox.StandardButton.Ok

        def other(kind):
            def record(parent, title, text, *args, **kwargs):
                self.others.append((kind, title, text))
                return QMessageBox.StandardButton.Ok

            return record

        monkeypatch.setattr(QMessageBox, "warning", warning)
        for kind in ("critical", "information", "question"):
            monkeypatch.setattr(QMessageBox, kind, other(kind))
        return self


def show_window(qtbot, window: MainWindow) -> MainWindow:
    """Register, show and wait for a main window, at its usual size."""
    qtbot.addWidget(window)
    window.resize(window.sizeHint())
    window.show()
    qtbot.waitExposed(window)
    return window


def canvas_point(canvas, fraction: tuple[float, float]) -> QPoint:
    """Widget position of a point given in fractions of the canvas size."""
    return QPoint(
        round(fraction[0] * canvas.width()), round(fraction[1] * canvas.height())
    )


def draw(window: MainWindow, points) -> None:
    """Draw one stroke with real mouse events through points in canvas fractions."""
    canvas = window.canvas
    positions = [canvas_point(canvas, p) for p in points]
    QTest.mousePress(canvas, LEFT, NO_MOD, positions[0])
    for position in positions[1:]:
        QTest.mouseMove(canvas, position)
    QTest.mouseRelease(canvas, LEFT, NO_MOD, positions[-1])


def drop_file(window: MainWindow, path: str | Path) -> None:
    """Drag a local file over the canvas and drop it, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = window.canvas.mapTo(window, window.canvas.rect().center())
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    enter.setAccepted(False)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted(), "the window refused a drag carrying a local file"
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    drop.setAccepted(False)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted(), "the window did not take the dropped file"


def non_daemon_threads() -> list[threading.Thread]:
    """Threads other than the main one that would keep the process alive."""
    return [
        t
        for t in threading.enumerate()
        if t is not threading.main_thread() and not t.daemon
    ]


def assert_same_prediction(actual, expected) -> None:
    """Two predictions (or Nones) say the same: digit and probabilities."""
    if expected is None:
        assert actual is None
        return
    assert actual is not None
    assert actual.digit == expected.digit
    np.testing.assert_allclose(actual.probabilities, expected.probabilities, atol=1e-9)


def assert_result_matches_canvas(window: MainWindow) -> None:
    """``last_result`` is what the classifier makes of the canvas right now."""
    if window.session.network.classifier is None:
        assert window.session.last_result is None
        return
    classifier = window.session.network.classifier
    reading = window.session.last_reading
    if reading is None or len(reading.digits) == 1:
        # One digit (or none) is read exactly as the whole canvas always was.
        expected = classifier.predict(window.canvas.to_array())
    else:
        # Several: the views show the chosen one, read alone.
        shown = reading.digits[window.session.chosen_digit].prediction
        expected = classifier.classify_input(shown.network_input)
    assert_same_prediction(window.session.last_result, expected)


def assert_valid_prediction(result) -> None:
    """A prediction is well formed: finite probabilities summing to 1."""
    p = result.probabilities
    assert p.shape == (10,)
    assert np.isfinite(p).all()
    assert (p >= 0.0).all() and (p <= 1.0).all()
    assert abs(p.sum() - 1.0) < 1e-9
    assert result.digit == int(p.argmax())
    assert result.network_input.shape == (32, 32)
    assert np.isfinite(result.network_input).all()


@dataclass
class Session:
    """A drawing with some history, to check a failure leaves all of it alone.

    Two strokes are drawn and the second undone, so there is both something
    to undo and something to redo.
    """

    empty: np.ndarray
    one_stroke: np.ndarray
    two_strokes: np.ndarray
    digit: int | None
    probabilities: np.ndarray | None

    @classmethod
    def start(cls, window: MainWindow) -> Session:
        empty = window.canvas.to_array()
        draw(window, STEM)
        one_stroke = window.canvas.to_array()
        draw(window, TOP)
        two_strokes = window.canvas.to_array()
        window.canvas.undo()
        assert np.array_equal(window.canvas.to_array(), one_stroke)
        assert window.canvas.can_undo() and window.canvas.can_redo()
        result = window.session.last_result
        return cls(
            empty,
            one_stroke,
            two_strokes,
            None if result is None else result.digit,
            None if result is None else result.probabilities.copy(),
        )

    def assert_untouched(self, window: MainWindow) -> None:
        """Canvas, undo and redo state and prediction are exactly as they were."""
        canvas = window.canvas
        assert np.array_equal(canvas.to_array(), self.one_stroke)
        assert canvas.can_undo() and canvas.can_redo()
        result = window.session.last_result
        if self.digit is None:
            assert result is None
        else:
            assert result.digit == self.digit
            assert np.array_equal(result.probabilities, self.probabilities)

    def assert_history_intact(self, window: MainWindow) -> None:
        """Redo and undo still walk the very same drawings (consumes the history)."""
        canvas = window.canvas
        canvas.redo()
        assert np.array_equal(canvas.to_array(), self.two_strokes)
        assert_result_matches_canvas(window)
        canvas.undo()
        canvas.undo()
        assert np.array_equal(canvas.to_array(), self.empty)
        assert not canvas.can_undo()
        assert_result_matches_canvas(window)
