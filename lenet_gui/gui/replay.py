"""Pen strokes replayed as mouse drags on the real window's canvas.

Strokes come in paper coordinates (e.g. from
:func:`lenet_gui.training.skeletons.place_strokes`); :func:`real_window` shows
the app's ``MainWindow`` as a person would see it and :func:`widget_transform`
finds where the paper lies in its canvas widget; :func:`replay` sends the
strokes to the canvas as mouse press, move and release events a few pixels
apart, as a mouse delivers them, and :func:`replay_and_read` returns what
the window then reads.

Used by the accuracy benchmarks (``drawn_digits``, ``real_digits``) and by
``tests/test_drawn_digits.py``, their in-suite version. It lives with the
benchmarks, which the tests import already (pytest puts the repository root
on the path), so that nothing changes ``sys.path`` to reach ``tests/``; it
drives the app from outside, so it is no part of ``lenet_gui``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from lenet_gui.gui import MainWindow
from lenet_gui.network.classifier import Classifier, Prediction
from lenet_gui.training.skeletons import resample

__all__ = ["real_window", "replay", "replay_and_read", "widget_transform"]


@contextmanager
def real_window(weights: Path) -> Iterator[tuple[MainWindow, tuple[float, np.ndarray]]]:
    """Show the main window reading with `weights`, at its natural size.

    Settings come from a throw-away directory while the window is open: the
    user's saved geometry and pen neither apply nor get overwritten. The
    weights are loaded here rather than by ``MainWindow()`` so that bad
    weights raise an error instead of opening a message box nobody can close.

    Yields
    ------
    window : MainWindow
        The shown window; hidden and deleted afterwards.
    transform : tuple of (float, np.ndarray)
        Where the paper lies in its canvas, from :func:`widget_transform`.
    """
    saved_config = os.environ.get("XDG_CONFIG_HOME")
    with tempfile.TemporaryDirectory() as config:
        os.environ["XDG_CONFIG_HOME"] = config
        app = QApplication.instance() or QApplication([])
        window = MainWindow(Classifier.load(weights))
        window.resize(window.sizeHint())
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()
        try:
            yield window, widget_transform(window.canvas)
        finally:
            window.hide()
            window.deleteLater()
            if saved_config is None:
                os.environ.pop("XDG_CONFIG_HOME", None)
            else:
                os.environ["XDG_CONFIG_HOME"] = saved_config


def replay_and_read(
    window: MainWindow,
    transform: tuple[float, np.ndarray],
    strokes: list[np.ndarray],
    pen: float,
) -> Prediction | None:
    """Draw strokes with a pen on the cleared canvas; return the window's reading."""
    canvas = window.canvas
    canvas.clear()
    canvas.set_pen_width(pen)
    replay(canvas, strokes, transform)
    QApplication.processEvents()
    return window.last_result


def widget_transform(canvas: QWidget) -> tuple[float, np.ndarray]:
    """Measure where paper points lie in the canvas widget, by clicking twice.

    Two clicks, a quarter of the shorter side up-left and down-right of the
    widget's centre, each leave a round dot; the centroids of the dots give
    the scale and the offset. The canvas is cleared before each click and
    after the last.

    Parameters
    ----------
    canvas : QWidget
        A shown ``DrawingCanvas`` at the size it will be used.

    Returns
    -------
    scale : float
        Widget pixels per paper pixel.
    offset : np.ndarray
        Widget (x, y) of the paper's origin.

    Raises
    ------
    RuntimeError
        If a click leaves no ink.
    """
    size = np.array([canvas.width(), canvas.height()], dtype=np.float64)
    reach = size.min() / 4.0
    clicks = np.rint([size / 2.0 - reach, size / 2.0 + reach])
    dots = []
    for x, y in clicks.astype(int):
        canvas.clear()
        QTest.mouseClick(
            canvas,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            QPoint(x, y),
        )
        ink = canvas.to_array().astype(np.float64)
        if not ink.any():
            raise RuntimeError(f"a click at ({x}, {y}) left no ink on the canvas")
        rows, cols = np.indices(ink.shape) + 0.5
        dots.append([(cols * ink).sum(), (rows * ink).sum()] / ink.sum())
    canvas.clear()
    dots = np.array(dots)
    scale = float(np.mean((clicks[1] - clicks[0]) / (dots[1] - dots[0])))
    return scale, clicks[0] - scale * dots[0]


def replay(
    canvas: QWidget,
    strokes: list[np.ndarray],
    transform: tuple[float, np.ndarray],
    spacing: float = 4.0,
) -> None:
    """Draw strokes on a canvas with mouse press, move and release events.

    Parameters
    ----------
    canvas : QWidget
        The ``DrawingCanvas``.
    strokes : list of np.ndarray
        (n, 2) point arrays in paper coordinates, e.g. from
        :func:`place_strokes`.
    transform : tuple of (float, np.ndarray)
        Widget pixels per paper pixel and the widget position of the paper's
        origin, from :func:`widget_transform`.
    spacing : float, default 4.0
        Distance between consecutive mouse positions, in widget pixels.
        Positions are whole widget pixels, as a mouse reports them.
    """
    scale, offset = transform
    left = Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    for stroke in strokes:
        points = np.rint(resample(stroke * scale + offset, spacing)).astype(int)
        positions = [QPoint(x, y) for x, y in points]
        QTest.mousePress(canvas, left, none, positions[0])
        for position in positions[1:]:
            QTest.mouseMove(canvas, position)
        QTest.mouseRelease(canvas, left, none, positions[-1])
