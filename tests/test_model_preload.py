"""The bundled model loaded from the app's start, and handed to the window."""

import sys

import pytest
from PySide6.QtWidgets import QLabel

from lenet_gui.gui.state import model_preload
from lenet_gui.gui.state.network_setup import NetworkSetup
from lenet_gui.gui.state.status import StatusLine
from lenet_gui.spec.lenet5 import LENET5


@pytest.fixture(autouse=True)
def _no_preload_left():
    model_preload.take()
    yield
    model_preload.take()


def test_a_preload_is_taken_once(classifier):
    preload = model_preload.start(lambda: (classifier, ""))
    assert model_preload.start(lambda: (None, "second")) is preload
    preload.go()
    assert preload.result() == (classifier, "")
    assert model_preload.take() is preload
    assert model_preload.take() is None


def test_the_load_waits_for_the_first_paint(qtbot, classifier):
    calls = []

    def load():
        calls.append("loaded")
        return classifier, ""

    preload = model_preload.start(load)
    label = QLabel("painted first")
    qtbot.addWidget(label)
    preload.after_first_paint()
    qtbot.wait(300)
    assert calls == []  # nothing painted yet: still held
    label.show()
    qtbot.waitUntil(lambda: preload.done, timeout=5000)
    assert calls == ["loaded"]


def test_a_failing_load_is_an_outcome_not_an_exception():
    def load():
        raise RuntimeError("broken torch")

    preload = model_preload.start(load)
    preload.go()
    classifier, why = preload.result()
    assert classifier is None and "broken torch" in why


def test_the_window_uses_the_preloaded_weights(qtbot, classifier):
    preload = model_preload.start(lambda: (classifier, ""))
    preload.go()
    setup = NetworkSetup(LENET5, StatusLine())
    with qtbot.waitSignal(setup.weightsLoaded, timeout=10000) as loaded:
        setup.load_bundled(background=True)
    assert loaded.args == [True]
    assert setup.classifier is classifier
    assert model_preload.take() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_torchs_library_is_found_and_loaded():
    assert model_preload.preload_torch_library()
