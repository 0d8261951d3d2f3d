"""Messages belong to their tab, empty views say what to do, and `main.py FILE`.

The real window and the bundled weights; `main.py FILE` runs the command's
own code in this process, the event loop replaced by the test's.
"""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel

from lenet_gui.files.idx import load_mnist
from lenet_gui.gui import MainWindow, cli
from lenet_gui.gui import window as window_module
from lenet_gui.gui.widgets import AttributionView


def test_a_tab_message_is_cleared_on_another_tab(example_window):
    window = example_window
    view = window.show_panel("attribution").findChild(AttributionView)
    view.hoverInfoChanged.emit("input pixel (12, 9): credit +0.1255")
    assert "credit +0.1255" in window.statusBar().currentMessage()
    window.show_panel("maps")
    assert window.statusBar().currentMessage() == ""
    # The window's own messages stay when the tab changes.
    window.session.status.say("Opened seven.png", 0)
    window.show_panel("network")
    assert window.statusBar().currentMessage() == "Opened seven.png"


def test_a_message_of_the_tab_shown_stays(example_window):
    window = example_window
    view = window.show_panel("attribution").findChild(AttributionView)
    view.hoverInfoChanged.emit("input pixel (1, 2): credit -0.0100")
    window.show_panel("attribution")  # shown again: still its own message
    assert "credit -0.0100" in window.statusBar().currentMessage()


@pytest.mark.parametrize("name", ["network", "invariance"])
def test_an_empty_canvas_says_what_to_do(window, qtbot, name):
    page = window.show_panel(name)
    hint = page.findChild(QLabel, "emptyHint")
    assert hint is not None and hint.isVisible()
    assert hint.text().startswith("Nothing drawn yet. Draw a digit")
    window.files.open_example(3)
    window.session.last_result  # noqa: B018 - flushes the pending refresh
    qtbot.waitUntil(lambda: not hint.isVisible())  # Invariance updates ~60 ms later
    window.canvas.clear()
    window.session.last_result  # noqa: B018
    qtbot.waitUntil(hint.isVisible)


@pytest.fixture
def started(monkeypatch, messages):
    """Run ``cli.main`` with a command line; return the window it opened."""
    opened = []

    class Recorded(MainWindow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            opened.append(self)

    def run(*argv):
        monkeypatch.setattr(window_module, "MainWindow", Recorded)
        monkeypatch.setattr(QApplication, "exec", lambda self: 0)
        assert cli.main(["-platform", "offscreen", *argv]) == 0
        assert len(opened) == 1
        return opened[0]

    yield run
    for window in opened:
        window.session.network.shutdown()
        window.close()
        window.deleteLater()


@pytest.fixture
def seven_png(tmp_path):
    """The first MNIST test digit, a 7, dark on light at 112 x 112 pixels."""
    images, labels = load_mnist(Path(__file__).parent / "data" / "mnist", "test")
    assert labels[0] == 7
    paper = np.ascontiguousarray(np.kron(255 - images[0], np.ones((4, 4), np.uint8)))
    image = QImage(paper.data, 112, 112, 112, QImage.Format.Format_Grayscale8)
    path = tmp_path / "seven.png"
    assert image.copy().save(str(path))
    return path


def _wait_for_weights(qtbot, window):
    qtbot.waitUntil(
        lambda: window.session.network.classifier is not None, timeout=60000
    )


def test_main_with_an_image_opens_the_window_with_it_read(
    started, qtbot, seven_png, messages, classifier
):
    window = started(str(seven_png))
    assert window.isVisible()
    assert messages.warnings == []
    assert window.canvas.to_array().any()
    _wait_for_weights(qtbot, window)
    result = window.session.last_result
    assert result is not None and result.digit == 7
    expected = classifier.predict(window.canvas.to_array())
    np.testing.assert_allclose(result.probabilities, expected.probabilities, atol=1e-6)
    assert result.confidence > 0.9


@pytest.mark.parametrize("kind", ["missing", "not an image", "blank", "a folder"])
def test_main_with_a_bad_file_opens_the_window_empty_and_says_why(
    started, qtbot, tmp_path, messages, kind
):
    path = tmp_path / "digit.png"
    if kind == "not an image":
        path.write_bytes(b"this is not a picture")
    elif kind == "a folder":
        path.mkdir()
    elif kind == "blank":
        white = QImage(64, 64, QImage.Format.Format_Grayscale8)
        white.fill(255)
        assert white.save(str(path))
    window = started(str(path))
    assert window.isVisible()
    assert not window.canvas.to_array().any()
    assert len(messages.warnings) == 1
    title, text = messages.warnings[0]
    assert title == "Cannot open image" and "digit.png" in text
    assert "Traceback" not in text
    assert window.statusBar().currentMessage() == text.splitlines()[0]
    _wait_for_weights(qtbot, window)
    assert window.session.last_result is None
