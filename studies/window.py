"""The real window, for the studies that read digits drawn on it with the mouse.

:func:`real_window` shows the app's ``MainWindow`` as a person would see it,
reading with given weights, and finds where its paper lies in the canvas;
:func:`replay_and_read` draws pen strokes on its cleared canvas as mouse
drags (:func:`lenet_gui.gui.replay.replay`) and returns what the window then
reads. ``drawn_digits`` and ``real_digits`` use them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lenet_gui.gui import MainWindow
from lenet_gui.gui.replay import replay, widget_transform
from lenet_gui.network.classifier import Classifier, Prediction

__all__ = ["real_window", "replay_and_read"]


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
    return window.session.last_result
