"""Shared test setup.

Qt runs offscreen so a bare ``pytest`` works without a display, and the app's
remembered settings live in a throw-away folder, cleared before each test, so
tests neither read nor change a person's own settings or each other's; so do
the training digits a run keeps drawn.
"""

import os
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="lenet-gui-test-config-")
# Training digits drawn by the tests are cached here, never in the user's cache.
os.environ["LENET_DRAWING_CACHE"] = tempfile.mkdtemp(prefix="lenet-gui-test-drawn-")


@pytest.fixture(autouse=True)
def _fresh_settings():
    from PySide6.QtCore import QSettings

    from lenet_gui.gui.settings import SETTINGS_SCOPE

    QSettings(*SETTINGS_SCOPE).clear()
    yield


@pytest.fixture(scope="session")
def classifier():
    """The bundled weights, loaded once; a missing file fails, not a message box."""
    from lenet_gui.network.classifier import Classifier

    return Classifier.load()


@pytest.fixture(scope="session")
def pen():
    """The pen digits of the test sample (a few per writer of the stroke file)."""
    from pathlib import Path

    from lenet_gui.files.stroke_files import load_pen_digits

    here = Path(__file__).resolve().parent
    return load_pen_digits(here / "data" / "strokes" / "pendigits-sample.json")


@pytest.fixture(scope="module")
def one_torch_thread():
    """Run torch as the app does, on one thread (two cost ~10x more when busy)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def messages(monkeypatch):
    """Message boxes the window shows, recorded instead of shown."""
    from robust_helpers import MessageLog

    return MessageLog().install(monkeypatch)


@pytest.fixture
def window(qtbot, messages, classifier):
    """A main window with the bundled weights, shown at its usual size."""
    from robust_helpers import show_window

    from lenet_gui.gui import MainWindow

    return show_window(qtbot, MainWindow(classifier))


@pytest.fixture
def example_window(window):
    """The main window with example 7 (an MNIST 7) drawn and read."""
    window.files.open_example(7)
    window.session.last_result  # noqa: B018 - flushes the pending refresh
    return window
