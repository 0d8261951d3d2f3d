"""after_first_paint: work held back until a window is on screen, run once."""

from PySide6.QtWidgets import QLabel

from lenet_gui.gui.first_paint import after_first_paint


def test_runs_once_after_the_first_paint_pass(qtbot):
    label = QLabel("hello")
    qtbot.addWidget(label)
    calls = []
    after_first_paint(label, lambda: calls.append(label.isVisible()), latest_ms=60_000)
    assert calls == []  # not before the widget is painted
    label.show()
    qtbot.waitUntil(lambda: calls == [True])
    label.repaint()
    label.update()
    qtbot.wait(50)
    assert calls == [True]  # never twice


def test_a_widget_never_painted_gets_it_later(qtbot):
    label = QLabel("hidden")
    qtbot.addWidget(label)
    calls = []
    after_first_paint(label, lambda: calls.append(1), latest_ms=50)
    qtbot.wait(10)
    assert calls == []
    qtbot.waitUntil(lambda: calls == [1])
    qtbot.wait(100)
    assert calls == [1]


def test_nothing_runs_once_the_widget_is_gone(qtbot):
    label = QLabel("gone")
    calls = []
    after_first_paint(label, lambda: calls.append(1), latest_ms=20)
    label.deleteLater()
    qtbot.wait(100)
    assert calls == []
