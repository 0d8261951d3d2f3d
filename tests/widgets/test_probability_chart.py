"""ProbabilityChart: bar heights, the highlighted top digit, fixed axes, hover."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from lenet_gui.gui.widgets import ProbabilityChart


@pytest.fixture
def chart(qtbot):
    widget = ProbabilityChart()
    qtbot.addWidget(widget)
    widget.resize(360, 220)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def bars_of(chart):
    (bars,) = [
        i
        for i in chart.plot_widget.getPlotItem().items
        if isinstance(i, pg.BarGraphItem)
    ]
    return bars


def texts_of(chart):
    return {
        item.textItem.toPlainText(): item
        for item in chart.plot_widget.getPlotItem().items
        if isinstance(item, pg.TextItem)
    }


def highlighted(chart):
    accent = chart.palette().color(QPalette.ColorRole.Highlight)
    brushes = bars_of(chart).opts["brushes"]
    return [d for d, brush in enumerate(brushes) if brush.color() == accent]


def probabilities(top, p_top=0.8):
    p = np.full(10, (1 - p_top) / 9)
    p[top] = p_top
    return p


def hover(qtbot, chart, x, y):
    view = chart.plot_widget.getPlotItem().getViewBox()
    pos = chart.plot_widget.mapFromScene(view.mapViewToScene(QPointF(x, y)))
    qtbot.mouseMove(chart.plot_widget.viewport(), pos)


def test_bar_heights_equal_the_probabilities(chart):
    p = np.random.default_rng(1).dirichlet(np.ones(10))
    chart.set_probabilities(p)
    np.testing.assert_allclose(bars_of(chart).opts["height"], p)
    assert np.array_equal(bars_of(chart).opts["x"], np.arange(10))


def test_the_top_digit_is_highlighted_and_follows_the_argmax(chart):
    for top in (3, 7, 0, 9):
        chart.set_probabilities(probabilities(top))
        assert highlighted(chart) == [top]


def test_none_resets_to_the_no_digit_state(chart):
    texts = texts_of(chart)
    assert texts["no digit"].isVisible()
    chart.set_probabilities(probabilities(4))
    assert not texts["no digit"].isVisible()
    chart.set_probabilities(None)
    assert not np.any(bars_of(chart).opts["height"])
    assert highlighted(chart) == []
    assert texts["no digit"].isVisible()


def test_updates_reuse_the_same_bar_item(chart):
    bars = bars_of(chart)
    item_count = len(chart.plot_widget.getPlotItem().items)
    for top in range(10):
        chart.set_probabilities(probabilities(top))
    assert bars_of(chart) is bars
    assert len(chart.plot_widget.getPlotItem().items) == item_count


def test_axes_stay_fixed_between_updates(qtbot, chart):
    view = chart.plot_widget.getPlotItem().getViewBox()
    before = view.viewRange()
    assert before[1][0] == 0 and before[1][1] >= 1
    for top in range(10):
        chart.set_probabilities(probabilities(top, p_top=1.0))
        chart.repaint()
    assert view.viewRange() == before
    assert view.autoRangeEnabled() == [False, False]


def test_caller_array_is_not_aliased(chart):
    p = probabilities(2)
    chart.set_probabilities(p)
    p[:] = 0
    assert bars_of(chart).opts["height"][2] == pytest.approx(0.8)


@pytest.mark.parametrize("bad", [np.ones(9) / 9, np.full(10, np.nan)])
def test_rejects_what_is_not_ten_probabilities(chart, bad):
    with pytest.raises(ValueError, match="10"):
        chart.set_probabilities(bad)


def test_hovering_a_bar_shows_its_exact_probability(qtbot, chart):
    p = probabilities(3, p_top=0.8731)
    chart.set_probabilities(p)
    hover(qtbot, chart, 3.1, 0.3)
    qtbot.waitUntil(lambda: "0.8731" in chart.toolTip())
    assert "Digit 3" in chart.toolTip()
    assert "87.3 %" in texts_of(chart)
    hover(qtbot, chart, 6.0, 0.9)
    qtbot.waitUntil(lambda: chart.toolTip().startswith("Digit 6"))
    assert f"{p[6]:.4f}" in chart.toolTip()


def test_hover_label_follows_new_probabilities(qtbot, chart):
    chart.set_probabilities(probabilities(5, p_top=0.5))
    hover(qtbot, chart, 5, 0.2)
    qtbot.waitUntil(lambda: "0.5000" in chart.toolTip())
    chart.set_probabilities(probabilities(5, p_top=0.25))
    assert "0.2500" in chart.toolTip()
    chart.set_probabilities(None)
    assert "no prediction" in chart.toolTip()


def test_leaving_the_chart_hides_the_hover_label(qtbot, chart):
    chart.set_probabilities(probabilities(1, p_top=0.6))
    hover(qtbot, chart, 1, 0.2)
    qtbot.waitUntil(lambda: "0.6000" in chart.toolTip())
    assert texts_of(chart)["60.0 %"].isVisible()
    QApplication.sendEvent(chart, QEvent(QEvent.Type.Leave))
    assert chart.toolTip() == ""
    assert not texts_of(chart)["60.0 %"].isVisible()
