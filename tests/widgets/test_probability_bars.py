"""The probability chart's bars, as painted, stand as high as the model says."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from lenet_gui.drawing.paper import PAPER_SIZE, render
from lenet_gui.gui.widgets import ProbabilityChart
from lenet_gui.gui.widgets.probability_bars import ProbabilityBars


def stroke(*corners):
    """A stroke through corners given in fractions of the paper."""
    points = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:], strict=False):
        for t in np.linspace(0.0, 1.0, 100, endpoint=False):
            points.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
    points.append(corners[-1])
    return [(PAPER_SIZE * x, PAPER_SIZE * y) for x, y in points]


def painted_heights(chart):
    """Each bar's painted height, in the plot's units, read off a screenshot."""
    view = chart.plot_widget.getPlotItem().getViewBox()
    shot = chart.plot_widget.grab().toImage()
    shot = shot.convertToFormat(QImage.Format.Format_RGB32)
    words = np.frombuffer(shot.constBits(), dtype=np.uint32)
    words = words.reshape(shot.height(), shot.bytesPerLine() // 4)
    background = chart.plot_widget.mapFromScene(view.mapViewToScene(QPointF(0.5, 0.5)))
    empty = words[background.y(), background.x()]
    base = chart.plot_widget.mapFromScene(view.mapViewToScene(QPointF(0, 0))).y()
    unit = base - chart.plot_widget.mapFromScene(view.mapViewToScene(QPointF(0, 1))).y()
    heights = []
    for digit in range(ProbabilityChart.DIGITS):
        x = chart.plot_widget.mapFromScene(view.mapViewToScene(QPointF(digit, 0))).x()
        column = words[:base, x]
        filled = np.flatnonzero(column != empty)
        # The bar is the run of filled pixels that ends at the base line.
        top = base
        while top - 1 in set(filled.tolist()):
            top -= 1
        heights.append((base - top) / unit)
    return np.array(heights), 1.5 / unit


@pytest.fixture
def chart(qtbot):
    widget = ProbabilityChart()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_painted_bars_are_the_models_probabilities(qtbot, chart, classifier):
    for corners in (
        [(0.5, 0.15), (0.5, 0.85)],
        [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)],
        [(0.3, 0.3), (0.7, 0.3), (0.3, 0.7), (0.7, 0.7)],
    ):
        prediction = classifier.predict(render([stroke(*corners)], 28.0))
        chart.set_probabilities(prediction.probabilities)
        heights, pixel = painted_heights(chart)
        np.testing.assert_allclose(heights, prediction.probabilities, atol=pixel)


def test_new_readings_move_the_same_bars(qtbot, chart):
    (bars,) = [
        i
        for i in chart.plot_widget.getPlotItem().items
        if isinstance(i, ProbabilityBars)
    ]
    rng = np.random.default_rng(0)
    before = bars.height_updates
    for count in range(1, 4):
        chart.set_probabilities(rng.dirichlet(np.ones(10)))
        assert bars.height_updates == before + count
    chart.set_probabilities(None)
    heights, pixel = painted_heights(chart)
    np.testing.assert_allclose(heights, 0, atol=pixel)
