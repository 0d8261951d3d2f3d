"""The note of what changes the reading: shown only with something to say."""

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from lenet_gui.gui.widgets import ExperimentsBar


def test_hidden_until_something_changes_the_reading(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    bar = ExperimentsBar()
    QVBoxLayout(window).addWidget(bar)
    window.show()
    assert bar.objectName() == "experiments"
    assert not bar.isVisible() and bar.experiments() == []
    bar.set_experiments(["Input rotated 40° anticlockwise", "S2 map 2 switched off"])
    assert bar.isVisible()
    assert bar.text() == (
        "The reading is changed by:\n"
        "• Input rotated 40° anticlockwise\n"
        "• S2 map 2 switched off"
    )
    bar.set_experiments([])
    assert not bar.isVisible()


def test_reset_asks_for_the_plain_reading(qtbot):
    bar = ExperimentsBar()
    qtbot.addWidget(bar)
    bar.set_experiments(["Noise added to the input (0.1 of full ink)"])
    with qtbot.waitSignal(bar.resetRequested, timeout=1000):
        bar.findChild(QPushButton, "experimentsReset").click()
