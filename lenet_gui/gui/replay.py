"""Pen strokes replayed as mouse drags on the drawing canvas.

Strokes come in paper coordinates (e.g. from
:func:`lenet_gui.training.skeletons.place_strokes`). :func:`widget_transform`
finds where the paper lies in a shown canvas widget, by clicking on it, and
:func:`replay` sends the strokes to the canvas as mouse press, move and
release events a few pixels apart, at whole widget pixels, as a mouse
delivers them: the canvas's own mouse handling draws them, so the window
reads what it would read from a person drawing the same strokes.

The test suite (``tests/test_drawn_digits.py``) and the accuracy studies
(``python -m studies.drawn_digits``, ``python -m studies.real_digits``) draw
with it. The app never imports it; it needs only the canvas widget, and
QtTest for the events.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from lenet_gui.gui.widgets import DrawingCanvas
from lenet_gui.training.skeletons import resample

__all__ = ["replay", "widget_transform"]


def widget_transform(canvas: DrawingCanvas) -> tuple[float, np.ndarray]:
    """Measure where paper points lie in the canvas widget, by clicking twice.

    Two clicks, a quarter of the shorter side up-left and down-right of the
    widget's centre, each leave a round dot; the centroids of the dots give
    the scale and the offset. The canvas is cleared before each click and
    after the last.

    Parameters
    ----------
    canvas : DrawingCanvas
        A shown canvas at the size it will be used.

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
    dots: list[np.ndarray] = []
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
    centres = np.array(dots)
    scale = float(np.mean((clicks[1] - clicks[0]) / (centres[1] - centres[0])))
    return scale, clicks[0] - scale * centres[0]


def replay(
    canvas: DrawingCanvas,
    strokes: list[np.ndarray],
    transform: tuple[float, np.ndarray],
    spacing: float = 4.0,
) -> None:
    """Draw strokes on a canvas with mouse press, move and release events.

    Parameters
    ----------
    canvas : DrawingCanvas
        The canvas, shown.
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
