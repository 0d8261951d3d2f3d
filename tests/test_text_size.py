"""Larger Text, Smaller Text and Actual Size: every text scales, bounded, remembered."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGraphicsView, QLabel, QTabBar, QWidget
from robust_helpers import show_window

from lenet_gui.gui import MainWindow
from lenet_gui.gui.text_size import TEXT_SCALES
from lenet_gui.gui.widgets import PredictionLabel


@pytest.fixture
def sized_window(window):
    """The window; its text back to actual size afterwards (the font is app-wide)."""
    base = QApplication.font().pointSizeF()
    yield window
    window.text_size.actual_size()
    assert QApplication.font().pointSizeF() == pytest.approx(base)


def _labels_pt(window) -> list[float]:
    sizes = []
    for view in window.findChildren(QGraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.LabelItem) and "size" in item.opts:
                sizes.append(float(item.opts["size"].removesuffix("pt")))
    return sizes


def test_larger_and_smaller_scale_every_text_within_bounds(sized_window):
    window = sized_window
    base = QApplication.font().pointSizeF()
    digit = window.findChildren(PredictionLabel)[0].findChildren(QLabel)[0]
    digit_base = digit.font().pointSizeF()
    labels_base = _labels_pt(window)
    assert labels_base
    larger, smaller, actual = window.action_set.text_actions
    assert larger.shortcut().toString() == "Ctrl+="
    assert smaller.shortcut().toString() == "Ctrl+-"
    for _ in range(len(TEXT_SCALES) + 2):  # past the last step: it stays there
        larger.trigger()
    top = TEXT_SCALES[-1]
    assert window.text_size.scale() == top
    assert QApplication.font().pointSizeF() == pytest.approx(base * top)
    assert digit.font().pointSizeF() == pytest.approx(digit_base * top)
    assert _labels_pt(window) == pytest.approx([round(s * top, 1) for s in labels_base])
    for _ in range(len(TEXT_SCALES) + 2):
        smaller.trigger()
    assert window.text_size.scale() == TEXT_SCALES[0]
    actual.trigger()
    assert window.text_size.scale() == 1.0
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    assert digit.font().pointSizeF() == pytest.approx(digit_base)


def test_the_size_is_remembered_and_reaches_views_built_later(sized_window, qtbot):
    window = sized_window
    window.text_size.larger()
    window.text_size.larger()
    chosen = window.text_size.scale()
    window.close()
    again = show_window(qtbot, MainWindow(window.session.network.classifier))
    assert again.text_size.scale() == chosen
    base = again.text_size._app_font.pointSizeF()  # noqa: SLF001 - the start's size
    assert QApplication.font().pointSizeF() == pytest.approx(base * chosen)
    again.show_panel("network")  # built now, after the size was set
    sizes = _labels_pt(again)
    assert sizes and min(sizes) >= 8 * chosen - 0.05
    again.show_panel("invariance")  # its axis titles made in the scaled font
    titles = [
        item.label.font().pointSizeF()
        for view in again.findChildren(QGraphicsView)
        for item in view.scene().items()
        if isinstance(item, pg.AxisItem) and item.label is not None
    ]
    assert titles
    assert max(titles) == pytest.approx(base * chosen)  # scaled once, not twice
    again.text_size.actual_size()


def test_nothing_is_cut_at_the_largest_size_at_1366x768(sized_window, qtbot):
    window = sized_window
    window.resize(1366, 768)
    window.text_size.set_scale(TEXT_SCALES[-1])
    tabs = window.findChildren(QTabBar)[0]
    for name in window.panels():
        window.show_panel(name)
        qtbot.wait(20)
        # Every tab's title is in view, with no scroll arrows.
        assert sum(tabs.tabRect(k).width() for k in range(tabs.count())) <= (
            tabs.width()
        )
        line = window.guide.lines.get(name)
        if line is not None:  # the explanation is whole, not cut off
            label = line.label
            assert label.height() >= label.heightForWidth(label.width())


@pytest.mark.parametrize(
    ("stored", "expected"),
    [("1e308", TEXT_SCALES[-1]), ("-5", TEXT_SCALES[0]), ("nan", 1.0), ("big", 1.0)],
)
def test_a_hand_edited_size_stays_within_the_steps(
    qtbot, messages, classifier, stored, expected
):
    from PySide6.QtCore import QSettings

    from lenet_gui.gui.settings import SETTINGS_SCOPE

    settings = QSettings(*SETTINGS_SCOPE)
    settings.setValue("view/text_scale", stored)
    settings.setValue("view/explanations", "maybe")
    settings.sync()
    base = QApplication.font().pointSizeF()
    window = show_window(qtbot, MainWindow(classifier))
    try:
        assert window.text_size.scale() == expected
        assert QApplication.font().pointSizeF() == pytest.approx(base * expected)
        assert window.guide.explanations_shown()  # not a yes or no: the default
    finally:
        window.text_size.actual_size()


def test_actual_size_reaches_views_built_while_the_text_was_larger(sized_window, qtbot):
    window = sized_window
    base = QApplication.font().pointSizeF()
    window.text_size.set_scale(TEXT_SCALES[-1])
    for name in ("invariance", "kernels", "convolution"):  # built at the larger size
        window.show_panel(name)
    qtbot.wait(20)
    window.text_size.actual_size()
    qtbot.wait(20)
    for name in ("invariance", "kernels", "convolution"):
        page = window.panel(name).widget
        # Every widget that did not set a font of its own is back at actual size.
        for widget in [page, *page.findChildren(QWidget)]:
            if not widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                assert widget.font().pointSizeF() == pytest.approx(base), (name, widget)
