"""Bad weights files, at start-up and by File > Load Weights, through the window.

The app must still start (or keep the weights it had), say clearly what is
wrong, and never run anything from the file: the malicious files here would
create a marker file if they were ever unpickled without ``weights_only``.
"""

from __future__ import annotations

import io
import pickle
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QLabel
from robust_helpers import (
    STEM,
    MessageLog,
    assert_result_matches_canvas,
    draw,
    drop_file,
    non_daemon_threads,
    show_window,
)

import lenet_gui.network.weights as weights_module
from lenet_gui.gui import MainWindow
from lenet_gui.gui.predict_cli import run_predict
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import BUNDLED_WEIGHTS, metadata_path, save_weights

# Torch warns about the pickle protocol of a raw (non-zip) pickle before it
# refuses it; the warning is not the app's, and would be an error here.
pytestmark = pytest.mark.filterwarnings("ignore:Detected pickle protocol")


class _RunsCode:
    """Unpickling this runs Python code that creates `marker`: stands in for malware.

    The pickle refers to ``builtins.exec`` only, not to this class, so it
    would run anywhere.
    """

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def _lenet_state() -> dict[str, torch.Tensor]:
    torch.manual_seed(1)
    return dict(LeNet5().state_dict())


def _make(kind: str, folder: Path, marker: Path) -> tuple[Path, list[str]]:
    """A bad weights file of one kind: its path and words its message must hold."""
    path = folder / f"{kind}.pt"
    if kind == "missing":
        return path, ["no such file"]
    if kind == "truncated":
        torch.save(_lenet_state(), path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        return path, ["not a readable PyTorch weights file", "truncated"]
    if kind == "wrong-shape":
        state = _lenet_state()
        state["f6.weight"] = torch.zeros(80, 120)
        torch.save(state, path)
        return path, ["f6.weight has shape (80, 120)", "(84, 120)"]
    if kind == "not-torch":
        path.write_text("These are not weights, just text.\n")
        return path, ["not a readable PyTorch weights file"]
    if kind == "malicious-state-dict":
        state = _lenet_state()
        state["payload"] = _RunsCode(marker)
        torch.save(state, path)
        return path, ["refused", "(exec)", "could run code"]
    if kind == "malicious-pickle":
        # A plain pickle, not torch's format: torch stops at its first opcode.
        path.write_bytes(pickle.dumps(_RunsCode(marker), protocol=4))
        return path, ["not a readable PyTorch weights file"]
    if kind == "malicious-pickle-v2":
        # Protocol 2, which torch's safe unpickler reads until the global.
        path.write_bytes(pickle.dumps(_RunsCode(marker), protocol=2))
        return path, ["refused", "(exec)", "could run code"]
    # Beyond the list.
    if kind == "non-finite":
        state = _lenet_state()
        state["c1.bias"][0] = float("nan")
        torch.save(state, path)
        return path, ["c1.bias", "non-finite"]
    if kind == "other-network":
        torch.save(torch.nn.Linear(3, 2).state_dict(), path)
        return path, ["not LeNet-5 weights"]
    if kind == "sparse-tensor":
        state = _lenet_state()
        state["f6.weight"] = state["f6.weight"].to_sparse()
        torch.save(state, path)
        return path, ["f6.weight", "sparse"]
    if kind == "meta-tensor":
        state = _lenet_state()
        state["f6.weight"] = torch.empty(84, 120, device="meta")
        torch.save(state, path)
        return path, ["f6.weight", "data-less"]
    if kind == "float8-tensor":
        # A float type torch cannot even test for finiteness.
        state = _lenet_state()
        state["f6.weight"] = state["f6.weight"].to(torch.float8_e4m3fn)
        torch.save(state, path)
        return path, ["cannot use"]
    if kind == "mixed-keys":
        torch.save({**_lenet_state(), 1: torch.zeros(1), "x\ny": torch.zeros(1)}, path)
        return path, ["not LeNet-5 weights", "unexpected 1, x y"]
    if kind == "empty":
        path.touch()
        return path, ["not a readable PyTorch weights file"]
    if kind == "directory":
        path.mkdir()
        return path, ["not a file"]
    raise AssertionError(kind)


KINDS = [
    "missing",
    "truncated",
    "wrong-shape",
    "not-torch",
    "malicious-state-dict",
    "malicious-pickle",
    "malicious-pickle-v2",
    "non-finite",
    "other-network",
    "sparse-tensor",
    "meta-tensor",
    "float8-tensor",
    "mixed-keys",
    "empty",
    "directory",
]


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "code-ran"


@pytest.fixture
def messages(monkeypatch):
    return MessageLog().install(monkeypatch)


@pytest.fixture(scope="module")
def bundled() -> Classifier:
    return Classifier.load()


def _weights_label(window: MainWindow) -> str:
    """The permanent status-bar label naming the weights in use."""
    texts = [
        label.text()
        for label in window.statusBar().findChildren(QLabel)
        if label.text().startswith(("LeNet-5", "No weights"))
    ]
    assert len(texts) == 1, texts
    return texts[0]


def test_the_malicious_files_really_run_code_when_loaded_unsafely(tmp_path, marker):
    """Proof that the marker would appear if anything unpickled them unsafely."""
    state_dict, _ = _make("malicious-state-dict", tmp_path, marker)
    torch.load(state_dict, weights_only=False)
    assert marker.exists()
    marker.unlink()
    for kind in ("malicious-pickle", "malicious-pickle-v2"):
        raw, _ = _make(kind, tmp_path, marker)
        pickle.loads(raw.read_bytes())
        assert marker.exists()
        marker.unlink()


# --- start-up with bad bundled weights ----------------------------------------------


@pytest.mark.parametrize("deferred", [False, True], ids=["sync", "deferred"])
@pytest.mark.parametrize("kind", KINDS)
def test_app_starts_without_usable_bundled_weights(
    qtbot, monkeypatch, messages, tmp_path, marker, bundled, kind, deferred
):
    path, words = _make(kind, tmp_path, marker)
    # load_model reads the module's BUNDLED_WEIGHTS when called.
    monkeypatch.setattr(weights_module, "BUNDLED_WEIGHTS", path)

    window = show_window(qtbot, MainWindow(defer_model=deferred))
    if deferred:
        qtbot.waitUntil(lambda: len(messages.warnings) > 0, timeout=30_000)
        qtbot.waitUntil(lambda: not non_daemon_threads(), timeout=30_000)

    assert window.isVisible()
    assert window.session.network.classifier is None
    assert messages.others == []
    assert len(messages.warnings) == 1, messages.warnings
    title, text = messages.warnings[0]
    assert title == "Cannot load the bundled weights"
    reason = text.splitlines()[0]
    assert reason.startswith(f"{path.name}: ")
    for word in words:
        assert word in reason, reason
    assert "File > Load Weights" in text
    assert window.statusBar().currentMessage() == reason
    assert _weights_label(window) == "No weights loaded"

    # Drawing, undo and clear still work; there is just no prediction.
    draw(window, STEM)
    assert not window.canvas.is_empty()
    assert window.session.last_result is None
    window.canvas.undo()
    assert window.canvas.is_empty() and window.session.last_result is None
    window.canvas.redo()
    drawing = window.canvas.to_array()

    # A good file then brings predictions, on the same drawing.
    good = tmp_path / "good.pt"
    shutil.copy(BUNDLED_WEIGHTS, good)
    with qtbot.waitSignal(
        window.session.network.weightsLoaded, timeout=30_000
    ) as loaded:
        window.session.network.load_weights(good)  # read in the background
    assert loaded.args == [True]
    assert np.array_equal(window.canvas.to_array(), drawing)
    assert window.session.last_result is not None
    assert_result_matches_canvas(window)
    assert not marker.exists()


def test_deferred_start_keeps_drawing_while_bad_weights_load(
    qtbot, monkeypatch, messages, tmp_path, marker
):
    """Strokes drawn before the failed load finishes survive it."""
    path, _ = _make("malicious-state-dict", tmp_path, marker)
    monkeypatch.setattr(weights_module, "BUNDLED_WEIGHTS", path)
    release = threading.Event()
    original = weights_module.load_model

    def slow_load(*args, **kwargs):
        assert release.wait(timeout=30), "the test never let the load go on"
        return original(*args, **kwargs)

    monkeypatch.setattr(weights_module, "load_model", slow_load)
    monkeypatch.setattr("lenet_gui.network.classifier.load_model", slow_load)
    try:
        window = show_window(qtbot, MainWindow(defer_model=True))
        draw(window, STEM)
        drawing = window.canvas.to_array()
        assert window.session.last_result is None and messages.warnings == []
    finally:
        release.set()
    qtbot.waitUntil(lambda: len(messages.warnings) > 0, timeout=30_000)
    assert "refused" in messages.warnings[0][1]
    assert np.array_equal(window.canvas.to_array(), drawing)
    assert window.canvas.can_undo()
    assert (
        window.session.network.classifier is None and window.session.last_result is None
    )
    assert not marker.exists()


def test_files_opened_and_bad_files_refused_while_the_weights_load(
    qtbot, monkeypatch, messages, tmp_path
):
    """Before the model is there, Open and drop work; it then reads the canvas."""
    release = threading.Event()
    original = weights_module.load_model

    def slow_load(*args, **kwargs):
        assert release.wait(timeout=30), "the test never let the load go on"
        return original(*args, **kwargs)

    monkeypatch.setattr("lenet_gui.network.classifier.load_model", slow_load)
    good = tmp_path / "seven.png"
    seven = np.zeros((28, 28), np.uint8)
    seven[4:7, 6:22] = 255
    seven[7:24, 17:20] = 255
    QImage(seven.data, 28, 28, 28, QImage.Format.Format_Grayscale8).save(str(good))
    (tmp_path / "bad.png").write_text("not a picture")
    try:
        window = show_window(qtbot, MainWindow(defer_model=True))
        drop_file(window, good)
        loaded = window.canvas.to_array()
        assert loaded.any() and window.session.last_result is None
        assert not window.files.open_image(tmp_path / "bad.png")
        assert np.array_equal(window.canvas.to_array(), loaded)
    finally:
        release.set()
    qtbot.waitUntil(
        lambda: window.session.network.classifier is not None, timeout=30_000
    )
    assert np.array_equal(window.canvas.to_array(), loaded)
    assert window.session.last_result is not None
    assert_result_matches_canvas(window)
    assert [text for _, text in messages.warnings] == [
        f"{tmp_path / 'bad.png'}: not an image in any format this app can read "
        f"(despite its .png name)"
    ]


# --- File > Load Weights ----------------------------------------------------------


def _load_by_menu(qtbot, window: MainWindow, monkeypatch, path: Path) -> bool:
    """Choose File > Load Weights…, pick `path` in the (stand-in) dialog, wait.

    The file is read in the background; returns whether it is in use now.
    """
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        lambda *args, **kwargs: (str(path), "PyTorch state_dict (*.pt *.pth)"),
    )
    (file_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    (action,) = [a for a in file_menu.actions() if a.text() == "Load &Weights…"]
    with qtbot.waitSignal(
        window.session.network.weightsLoaded, timeout=30_000
    ) as loaded:
        action.trigger()
    return loaded.args[0]


@pytest.fixture
def window(qtbot, messages, bundled):
    window = show_window(qtbot, MainWindow(bundled))
    draw(window, STEM)
    return window


@pytest.mark.parametrize("kind", KINDS)
def test_bad_weights_keep_the_classifier_in_use(
    qtbot, window, monkeypatch, messages, tmp_path, marker, kind
):
    path, words = _make(kind, tmp_path, marker)
    classifier = window.session.network.classifier
    result = window.session.last_result
    label = _weights_label(window)
    drawing = window.canvas.to_array()

    assert not _load_by_menu(qtbot, window, monkeypatch, path)

    assert window.session.network.classifier is classifier
    assert window.session.last_result is result
    assert np.array_equal(window.canvas.to_array(), drawing)
    assert_result_matches_canvas(window)
    assert _weights_label(window) == label
    assert messages.others == []
    assert len(messages.warnings) == 1, messages.warnings
    title, text = messages.warnings[0]
    assert title == "Cannot load weights"
    assert "\n" not in text and text.startswith(f"{path.name}: ")
    for word in words:
        assert word in text, text
    assert window.statusBar().currentMessage() == text
    assert not marker.exists()


def test_good_weights_switch_and_show_their_accuracy(
    qtbot, window, monkeypatch, messages, tmp_path, marker
):
    before = window.session.last_result
    torch.manual_seed(7)
    other = tmp_path / "retrained.pt"
    save_weights(LeNet5(), other, {"test_accuracy": 0.9876})

    assert _load_by_menu(qtbot, window, monkeypatch, other)

    assert messages.warnings == []
    assert window.session.network.classifier.source == other
    expected = "retrained.pt, 98.76% on MNIST test"
    assert _weights_label(window) == f"LeNet-5 · {expected}"
    assert window.statusBar().currentMessage() == f"Using {expected}"
    # The drawing is read again by the new weights (untrained: another answer).
    assert_result_matches_canvas(window)
    assert not np.allclose(
        window.session.last_result.probabilities, before.probabilities
    )
    switched = window.session.network.classifier

    # A bad file after that keeps the new weights, not the bundled ones.
    evil, _ = _make("malicious-state-dict", tmp_path, marker)
    assert not _load_by_menu(qtbot, window, monkeypatch, evil)
    assert window.session.network.classifier is switched
    assert _weights_label(window) == f"LeNet-5 · {expected}"
    assert not marker.exists()

    # Weights without a (readable) accuracy just do not show one.
    plain = tmp_path / "plain.pt"
    shutil.copy(BUNDLED_WEIGHTS, plain)
    metadata_path(plain).write_text('{"test_accuracy": "high"}')
    assert _load_by_menu(qtbot, window, monkeypatch, plain)
    assert _weights_label(window) == "LeNet-5 · plain.pt"
    assert len(messages.warnings) == 1


def test_every_weights_file_is_read_with_weights_only(
    qtbot, window, monkeypatch, messages, tmp_path, marker
):
    """Start-up, deferred start-up and Load Weights all unpickle safely."""
    calls = []
    original = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get("weights_only"))
        return original(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    other = show_window(qtbot, MainWindow(defer_model=True))
    qtbot.waitUntil(
        lambda: other.session.network.classifier is not None, timeout=30_000
    )
    show_window(qtbot, MainWindow())
    evil, _ = _make("malicious-state-dict", tmp_path, marker)
    assert not _load_by_menu(qtbot, window, monkeypatch, evil)
    assert _load_by_menu(qtbot, window, monkeypatch, BUNDLED_WEIGHTS)
    # The four weights files, and the not-a-digit head and segment scorer
    # each window loads once its weights are in use.
    assert len(calls) >= 4 and set(calls) == {True}
    assert not marker.exists()


@pytest.mark.parametrize(
    "kind", ["malicious-state-dict", "malicious-pickle", "malicious-pickle-v2"]
)
def test_predict_with_malicious_weights_runs_nothing(tmp_path, marker, kind):
    path, words = _make(kind, tmp_path, marker)
    out, err = io.StringIO(), io.StringIO()
    assert run_predict([str(path)], weights=str(path), out=out, err=err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().count("\n") == 1
    assert all(word in err.getvalue() for word in words)
    assert not marker.exists()
