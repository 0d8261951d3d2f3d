"""File > Load Weights reads the file off the GUI thread.

A file that takes long to read or refuse must not freeze the window: it keeps
drawing and reading with the weights in use, and a refused file costs one
message. Loads are held back here by a gate on the real loading function,
so "while it loads" is a state the test controls, not a race.
"""

from __future__ import annotations

import shutil
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog
from robust_helpers import (
    STEM,
    TOP,
    assert_result_matches_canvas,
    draw,
    non_daemon_threads,
    show_window,
)

from lenet_gui.gui import MainWindow
from lenet_gui.network import classifier as classifier_module
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import BUNDLED_WEIGHTS


@pytest.fixture
def gates(monkeypatch) -> dict[str, threading.Event]:
    """Gates by file name: a load of that file waits until its gate is opened."""
    gates: dict[str, threading.Event] = {}
    original = classifier_module.load_model

    def gated_load(path=None):
        gate = None if path is None else gates.get(Path(path).name)
        if gate is not None:
            assert gate.wait(timeout=10), "the test never let the load go on"
        return original(path)

    monkeypatch.setattr(classifier_module, "load_model", gated_load)
    yield gates
    for gate in gates.values():
        gate.set()


@pytest.fixture
def window(qtbot, messages, classifier):
    window = show_window(qtbot, MainWindow(classifier))
    draw(window, STEM)
    return window


def _bomb(path: Path) -> Path:
    """Valid weights with an extra 20 MB of zeros, deflated to a few KB."""
    torch.save(LeNet5().state_dict(), path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb/extra", bytes(20 << 20))
    return path


def _random_weights(path: Path, seed: int) -> Path:
    torch.manual_seed(seed)
    torch.save(LeNet5().state_dict(), path)
    return path


def test_a_file_picked_is_read_while_the_window_keeps_working(
    qtbot, window, monkeypatch, messages, tmp_path, gates
):
    bomb = _bomb(tmp_path / "bomb.pt")
    gates[bomb.name] = threading.Event()
    classifier = window.session.network.classifier
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bomb), ""))

    started = time.perf_counter()
    window.action_set.weights.trigger()
    assert time.perf_counter() - started < 1.0  # back at once: not waiting
    assert window.session.network.loading
    assert window.statusBar().currentMessage() == "Loading bomb.pt…"

    # Meanwhile the window answers: timers fire, strokes are drawn and read
    # with the weights in use.
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    draw(window, TOP)
    drawing = window.canvas.to_array()
    assert window.session.network.classifier is classifier
    assert_result_matches_canvas(window)

    with qtbot.waitSignal(
        window.session.network.weightsLoaded, timeout=30_000
    ) as loaded:
        gates[bomb.name].set()
    assert loaded.args == [False]
    assert window.session.network.classifier is classifier
    assert np.array_equal(window.canvas.to_array(), drawing)
    assert window.canvas.can_undo()
    assert_result_matches_canvas(window)
    ((title, text),) = messages.warnings
    assert title == "Cannot load weights"
    assert text.startswith("bomb.pt: refused: its archive unpacks to 20 MB")
    assert "\n" not in text
    assert window.statusBar().currentMessage() == text


def test_the_newest_file_picked_wins(qtbot, window, messages, tmp_path, gates):
    first = _random_weights(tmp_path / "first.pt", 1)
    second = _random_weights(tmp_path / "second.pt", 2)
    gates[first.name] = threading.Event()
    loaded_signal = window.session.network.weightsLoaded

    assert window.session.network.load_weights(first)  # started; held at its gate
    with qtbot.waitSignal(loaded_signal, timeout=30_000) as loaded:
        window.session.network.load_weights(second)
    assert loaded.args == [True]
    assert window.session.network.classifier.source == second

    # The first ends after the second: too late, it changes nothing.
    with qtbot.assertNotEmitted(loaded_signal, wait=200):
        gates[first.name].set()
        qtbot.waitUntil(lambda: not window.session.network.loading, timeout=30_000)
    assert window.session.network.classifier.source == second
    assert_result_matches_canvas(window)
    assert messages.warnings == []


def test_a_load_done_at_once_is_not_undone_by_one_still_running(
    qtbot, window, messages, tmp_path, gates
):
    slow = _random_weights(tmp_path / "slow.pt", 1)
    now = tmp_path / "now.pt"
    shutil.copy(BUNDLED_WEIGHTS, now)
    gates[slow.name] = threading.Event()

    assert window.session.network.load_weights(slow)
    assert window.session.network.load_weights(now, background=False)
    assert window.session.network.classifier.source == now

    with qtbot.assertNotEmitted(window.session.network.weightsLoaded, wait=200):
        gates[slow.name].set()
        qtbot.waitUntil(lambda: not window.session.network.loading, timeout=30_000)
    assert window.session.network.classifier.source == now
    assert messages.warnings == []


def test_closing_while_a_picked_file_loads_leaves_no_thread(
    qtbot, window, messages, tmp_path, gates
):
    slow = _random_weights(tmp_path / "slow.pt", 1)
    gates[slow.name] = threading.Event()
    window.session.network.load_weights(slow)
    assert [thread.name for thread in non_daemon_threads()] == ["load-weights"]
    gates[slow.name].set()
    with qtbot.captureExceptions() as exceptions:
        assert window.close()
        assert non_daemon_threads() == []
        qtbot.wait(50)  # the result, arriving after the close, is harmless
    assert exceptions == []
    assert messages.warnings == []
