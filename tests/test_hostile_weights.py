"""Hostile weights, metadata and checkpoints.

Weights whose outputs overflow, metadata that cannot be read or holds values
of the wrong kind, named pipes and devices where files should be, and
archives that unpack to hundreds of megabytes. Each must cost at most a
one-line message: never a hang, never NaN printed as a probability, never
the weights in use. The hangs run in a child process with a timeout, or with
a watchdog that unblocks a pipe, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np
import pytest
import torch
from image_samples import grey_qimage, save
from PySide6.QtWidgets import QFileDialog, QLabel
from robust_helpers import MNIST_DIR, REPO, STEM, draw, show_window

from lenet_gui.gui import MainWindow
from lenet_gui.gui.state.network_setup import describe
from lenet_gui.imaging.preprocess import preprocess
from lenet_gui.network.checkpoints import INDEX, checkpoint_folder, list_checkpoints
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import (
    BUNDLED_WEIGHTS,
    WeightsError,
    load_model,
    metadata_path,
)

# A child process: a Python with torch and Qt starting on a busy 2-core machine.
CHILD_TIMEOUT = 120
# Runs a script with its data segment capped: python -c LIMITED BYTES SCRIPT ARGS...
LIMITED = (
    "import resource, runpy, sys\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))\n"
    "sys.argv = sys.argv[2:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)

# --- helpers ------------------------------------------------------------------------


def _copy_bundled(folder: Path, name: str = "w.pt") -> Path:
    """The bundled weights under another name, without their metadata."""
    path = folder / name
    shutil.copy(BUNDLED_WEIGHTS, path)
    return path


def _huge_output_weights(path: Path) -> Path:
    """The bundled weights with outputs at ±3e38: finite, but logits overflow."""
    state = torch.load(BUNDLED_WEIGHTS, weights_only=True)
    signs = torch.where(torch.arange(84) % 2 == 0, 1.0, -1.0)
    state["output.weight"] = (signs * 3e38).expand(10, 84).clone()
    torch.save(state, path)
    return path


def _ink(kind: str) -> np.ndarray:
    """A 100x100 drawing, ink 1 on paper 0: a "1", a "0" or a filled square."""
    image = np.zeros((100, 100), np.float32)
    if kind == "one":
        image[15:85, 46:54] = 1.0
    elif kind == "zero":
        rows, cols = np.mgrid[:100, :100] - 49.5
        radius = np.hypot(rows, cols)
        image[(radius > 24) & (radius < 34)] = 1.0
    else:
        image[20:80, 20:80] = 1.0
    return image


def _overflows_on_a_filled_square() -> LeNet5:
    """Weights with finite outputs for a blank input, a 1 and a 0, not for a square.

    One chain of units fires only for solid ink over the middle of the
    input: C1 map 0 for a 5x5 patch of solid ink, S2, C3 and S4 map 0 for
    solid regions of that, C5 and F6 unit 0 for the middle of S4 map 0. F6
    unit 1 is always at +1.7159. The output's logit 0 weighs both by 1.5e38:
    its sum is 0.7e38 while unit 0 is off, and overflows once it is on.
    """
    model = LeNet5()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.zero_()
        model.c1.weight[0] = 1.0
        model.c1.bias[0] = -25.0
        model.s2.coefficient[0] = 1.0
        model.c3.weight[0, 0] = 1.0
        model.c3.bias[0] = -20.0
        model.s4.coefficient[0] = 1.0
        model.c5.weight[0, 0, 2, 2] = 1.0
        model.f6.weight[0, 0] = 1.0
        model.f6.bias[1] = 10.0
        model.output.weight[0, :2] = 1.5e38
    return model.eval()


def _digit_png(folder: Path) -> Path:
    digit = load_mnist_digit()
    return save(grey_qimage(digit), folder / "seven.png")


def load_mnist_digit() -> np.ndarray:
    from lenet_gui.files.idx import load_mnist

    return load_mnist(MNIST_DIR, "test")[0][0]


def _run_child(
    args: list[str], tmp_path: Path, memory: int | None = None
) -> subprocess.CompletedProcess:
    """Run Python with `args` from the repository; fail (not hang) after a timeout.

    `memory` caps the child's data segment in bytes, so code that reads
    without end fails in the child instead of exhausting the machine (a
    script only: ``args[0]``).
    """
    if memory is not None:
        args = ["-c", LIMITED, str(memory), *args]
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{' '.join(args)} still running after {CHILD_TIMEOUT} s")
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


@contextmanager
def _pipe_watchdog(fifo: Path, seconds: float) -> Iterator[threading.Event]:
    """After `seconds`, end any read of `fifo` (a writer opens and closes it).

    Yields an event set when the watchdog had to: something read the pipe
    and would have waited for ever.
    """
    stop, fed = threading.Event(), threading.Event()

    def feed() -> None:
        if stop.wait(seconds):
            return
        while not stop.is_set():
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader at the moment
                time.sleep(0.05)
                continue
            fed.set()
            os.close(descriptor)  # the reader sees the end of the file

    thread = threading.Thread(target=feed, name="pipe-watchdog", daemon=True)
    thread.start()
    try:
        yield fed
    finally:
        stop.set()
        thread.join(timeout=5)


def _load_by_menu(qtbot, window: MainWindow, monkeypatch, path: Path) -> bool:
    """File > Load Weights…, picking `path`; wait for it, return whether in use."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(
        window.session.network.weightsLoaded, timeout=30_000
    ) as loaded:
        window.action_set.weights.trigger()
    return loaded.args[0]


def _weights_label(window: MainWindow) -> str:
    (text,) = [
        label.text()
        for label in window.statusBar().findChildren(QLabel)
        if label.text().startswith(("LeNet-5", "No weights"))
    ]
    return text


@pytest.fixture
def window(qtbot, messages, classifier):
    window = show_window(qtbot, MainWindow(classifier))
    draw(window, STEM)
    return window


# --- 8: weights whose outputs are not finite ----------------------------------------


def test_huge_output_weights_are_refused(tmp_path):
    path = _huge_output_weights(tmp_path / "huge.pt")
    with pytest.raises(WeightsError) as refused:
        load_model(path)
    message = str(refused.value)
    assert message.startswith("huge.pt: ") and "\n" not in message
    assert "infinite or undefined outputs" in message


def test_weights_that_overflow_only_on_some_drawings_are_refused(tmp_path):
    """A few test inputs are not enough: the worst case over all inputs counts."""
    model = _overflows_on_a_filled_square()
    with torch.inference_mode():
        for kind in ("one", "zero"):
            logits = model(torch.from_numpy(preprocess(_ink(kind)))[None, None])
            assert torch.isfinite(logits).all(), kind
        square = torch.from_numpy(preprocess(_ink("square")))[None, None]
        assert not torch.isfinite(model(square)).all()
    path = tmp_path / "sly.pt"
    torch.save(model.state_dict(), path)
    with pytest.raises(WeightsError, match="sly.pt: output weights so large that"):
        load_model(path)


def test_predict_with_huge_weights_exits_2_and_prints_no_nan(tmp_path):
    weights = _huge_output_weights(tmp_path / "huge.pt")
    image = _digit_png(tmp_path)
    run = _run_child(
        ["main.py", "--predict", str(image), "--weights", str(weights)], tmp_path
    )
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "huge.pt" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_window_keeps_its_weights_when_huge_ones_are_picked(
    qtbot, window, monkeypatch, messages, tmp_path
):
    classifier = window.session.network.classifier
    path = _huge_output_weights(tmp_path / "huge.pt")
    assert not _load_by_menu(qtbot, window, monkeypatch, path)
    assert window.session.network.classifier is classifier
    ((title, text),) = messages.warnings
    assert title == "Cannot load weights" and text.startswith("huge.pt: ")
    with qtbot.captureExceptions() as exceptions:
        draw(window, [(0.3 + 0.3 * t, 0.22) for t in np.linspace(0, 1, 10)])
        result = window.session.last_result
    assert exceptions == []
    assert np.isfinite(result.probabilities).all()


# --- 9 and 16: metadata that cannot be read, or holds values of the wrong kind ------


def _deep(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


UNREADABLE = {
    "nested-100000-deep": "[" * 100_000 + "]" * 100_000,
    "object-nested-100000-deep": _deep(100_000),
    "not-utf-8": b'{"test_accuracy": 0.5, "note": "\xff\xfe"}',
    "a-list": "[0.5]",
    "a-number": "0.5",
    "over-1-mb": json.dumps({"test_accuracy": 0.5, "pad": "x" * (1 << 20)}),
    "not-json": "{test_accuracy: 0.5}",
    "empty": "",
}


@pytest.mark.parametrize("kind", UNREADABLE)
def test_unreadable_metadata_means_no_metadata(tmp_path, kind):
    weights = _copy_bundled(tmp_path)
    content = UNREADABLE[kind]
    if isinstance(content, str):
        content = content.encode()
    metadata_path(weights).write_bytes(content)
    model, metadata = load_model(weights)
    assert metadata == {}
    assert isinstance(model, LeNet5)
    assert Classifier.load(weights).test_accuracy is None


def test_metadata_that_is_a_folder_or_a_device_means_no_metadata(tmp_path):
    weights = _copy_bundled(tmp_path)
    metadata_path(weights).mkdir()
    assert load_model(weights)[1] == {}
    metadata_path(weights).rmdir()
    metadata_path(weights).symlink_to("/dev/null")
    assert load_model(weights)[1] == {}


@pytest.mark.parametrize(
    "accuracy",
    ["5.0", "true", "-0.01", "1.0001", '"0.99"', "NaN", "Infinity", "1" + "0" * 400],
)
def test_an_accuracy_outside_0_to_1_is_not_shown(tmp_path, accuracy):
    weights = _copy_bundled(tmp_path)
    metadata_path(weights).write_text(f'{{"test_accuracy": {accuracy}, "epochs": 3}}')
    classifier = Classifier.load(weights)
    assert classifier.test_accuracy is None
    assert "test_accuracy" not in classifier.metadata
    assert classifier.metadata["epochs"] == 3  # the rest is kept
    assert describe(classifier) == "w.pt"


@pytest.mark.parametrize(
    ("accuracy", "shown"), [("0.9876", "98.76%"), ("1", "100.00%"), ("0", "0.00%")]
)
def test_an_accuracy_from_0_to_1_is_shown(tmp_path, accuracy, shown):
    weights = _copy_bundled(tmp_path)
    metadata_path(weights).write_text(f'{{"test_accuracy": {accuracy}}}')
    assert describe(Classifier.load(weights)) == f"w.pt, {shown} on MNIST test"


@pytest.mark.parametrize(
    "metadata",
    [
        {"test_accuracy": 5.0, "temperature": "abc"},
        {"test_accuracy": True, "temperature": -1},
        {"test_accuracy": "high", "temperature": float("nan")},
        {"test_accuracy": 10**400, "temperature": True},
    ],
)
def test_a_classifier_made_with_odd_metadata_uses_none_of_it(classifier, metadata):
    """Metadata handed to Classifier directly, not read from a file, is checked too."""
    odd = Classifier(classifier.model, metadata)
    assert odd.test_accuracy is None
    assert odd.temperature == 1.0
    result = odd.predict(load_mnist_digit())
    assert np.isfinite(result.probabilities).all()
    assert describe(odd) == "bundled weights"


@pytest.mark.parametrize("accuracy", ["5.0", "true"])
def test_the_status_bar_shows_no_accuracy_out_of_range(
    qtbot, window, monkeypatch, messages, tmp_path, accuracy
):
    weights = _copy_bundled(tmp_path)
    metadata_path(weights).write_text(f'{{"test_accuracy": {accuracy}}}')
    assert _load_by_menu(qtbot, window, monkeypatch, weights)
    assert _weights_label(window) == "LeNet-5 · w.pt"
    assert "%" not in window.statusBar().currentMessage()
    assert messages.warnings == []


# --- 10: pipes and devices where files should be ------------------------------------


def test_predict_with_a_pipe_for_metadata_does_not_hang(tmp_path):
    weights = _copy_bundled(tmp_path)
    os.mkfifo(metadata_path(weights))
    image = _digit_png(tmp_path)
    run = _run_child(
        ["main.py", "--predict", str(image), "--weights", str(weights)], tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["digit"] == 7


def test_evaluate_with_a_pipe_for_metadata_does_not_hang(tmp_path):
    weights = _copy_bundled(tmp_path)
    os.mkfifo(metadata_path(weights))
    run = _run_child(
        [
            "-m",
            "lenet_gui.training.evaluate_cli",
            "--data",
            str(MNIST_DIR),
            "--weights",
            str(weights),
        ],
        tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1])["accuracy"] > 0.9


def test_predict_with_metadata_linked_to_dev_zero_reads_nothing(tmp_path):
    """Before: read until memory ran out. The child's memory is capped to 2 GB."""
    weights = _copy_bundled(tmp_path)
    metadata_path(weights).symlink_to("/dev/zero")
    image = _digit_png(tmp_path)
    run = _run_child(
        ["main.py", "--predict", str(image), "--weights", str(weights)],
        tmp_path,
        memory=2 << 30,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["digit"] == 7


def test_load_weights_in_the_window_with_a_pipe_for_metadata(
    qtbot, window, monkeypatch, messages, tmp_path
):
    weights = _copy_bundled(tmp_path)
    fifo = metadata_path(weights)
    os.mkfifo(fifo)
    with _pipe_watchdog(fifo, seconds=10) as fed:
        assert _load_by_menu(qtbot, window, monkeypatch, weights)
    assert not fed.is_set(), "the pipe was read: the load waited for a writer"
    assert window.session.network.classifier.source == weights
    assert window.session.network.classifier.metadata == {}
    assert messages.warnings == []


@pytest.mark.parametrize("kind", ["pipe", "dev-zero", "dev-null", "over-8-mb"])
def test_weights_that_are_not_a_small_regular_file_are_refused(tmp_path, kind):
    path = tmp_path / "w.pt"
    if kind == "pipe":
        os.mkfifo(path)
        reason = "not a regular file (a named pipe)"
    elif kind.startswith("dev-"):
        path.symlink_to(f"/dev/{kind[4:]}")
        reason = "not a regular file (a device)"
    else:
        with path.open("wb") as sparse:
            sparse.truncate(9 << 20)
        reason = "too large (9.0 MB; at most 8.0 MB)"
    watchdog = _pipe_watchdog(path, 10) if kind == "pipe" else nullcontext()
    with watchdog as fed:
        with pytest.raises(WeightsError) as refused:
            load_model(path)
    assert str(refused.value) == f"w.pt: {reason}"
    assert fed is None or not fed.is_set()


def test_weights_through_a_link_to_a_regular_file_load(tmp_path):
    real = _copy_bundled(tmp_path, "real.pt")
    (tmp_path / "link.pt").symlink_to(real)
    assert isinstance(load_model(tmp_path / "link.pt")[0], LeNet5)


def _checkpoint_run(tmp_path: Path) -> tuple[Path, Path]:
    """Bundled weights with two checkpoints and their index, written by hand."""
    weights = _copy_bundled(tmp_path, "lenet5.pt")
    folder = checkpoint_folder(weights)
    folder.mkdir()
    entries = []
    for k in range(2):
        shutil.copy(BUNDLED_WEIGHTS, folder / f"0{k}.pt")
        entries.append(
            {
                "file": f"0{k}.pt",
                "label": f"pass {k}",
                "pass": k,
                "batches": k,
                "test_accuracy": 0.5,
            }
        )
    document = {"format": "lenet5-checkpoints", "version": 1, "checkpoints": entries}
    (folder / INDEX).write_text(json.dumps(document))
    assert len(list_checkpoints(weights)) == 2
    return weights, folder


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("pipe", "not a regular file (a named pipe)"),
        ("dev-zero", "not a regular file (a device)"),
        ("over-1-mb", "too large (20.0 MB; at most 1.0 MB)"),
        ("nested-100000-deep", "not usable JSON (RecursionError)"),
    ],
)
def test_a_checkpoint_index_that_is_not_a_small_json_file_is_named(
    tmp_path, kind, reason
):
    weights, folder = _checkpoint_run(tmp_path)
    index = folder / INDEX
    index.unlink()
    if kind == "pipe":
        os.mkfifo(index)
    elif kind == "dev-zero":
        index.symlink_to("/dev/zero")
    elif kind == "over-1-mb":
        with index.open("wb") as sparse:
            sparse.truncate(20 << 20)
    else:
        index.write_text("[" * 100_000 + "]" * 100_000)
    watchdog = _pipe_watchdog(index, 10) if kind == "pipe" else nullcontext()
    with watchdog as fed:
        with pytest.raises(WeightsError) as refused:
            list_checkpoints(weights)
    assert str(refused.value) == f"lenet5.checkpoints/index.json: {reason}"
    assert fed is None or not fed.is_set()


def test_a_checkpoint_that_is_a_pipe_or_has_a_huge_accuracy_is_named(tmp_path):
    weights, folder = _checkpoint_run(tmp_path)
    (folder / "01.pt").unlink()
    os.mkfifo(folder / "01.pt")
    with pytest.raises(WeightsError, match="01.pt: not a regular file, though"):
        list_checkpoints(weights)
    (folder / "01.pt").unlink()
    shutil.copy(BUNDLED_WEIGHTS, folder / "01.pt")
    text = (folder / INDEX).read_text().replace("0.5", "1" + "0" * 400, 1)
    (folder / INDEX).write_text(text)
    with pytest.raises(WeightsError, match="checkpoint 0 has test_accuracy 1000"):
        list_checkpoints(weights)


# --- 11: archives that unpack to far more than LeNet-5's weights --------------------


def _with_extra_entries(path: Path, entries: dict[str, int]) -> Path:
    """Valid weights plus entries of zeros (name: megabytes), zip-deflated."""
    torch.save(LeNet5().state_dict(), path)
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, megabytes in entries.items():
            with archive.open(name, "w") as entry:
                for _ in range(megabytes):
                    entry.write(zeros)
    return path


@pytest.fixture
def torch_loads(monkeypatch) -> list:
    """Every call of torch.load, recorded (the calls still happen)."""
    calls = []
    original = torch.load

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    return calls


def test_an_archive_that_unpacks_to_300_mb_is_refused_before_torch_reads_it(
    tmp_path, torch_loads
):
    path = _with_extra_entries(tmp_path / "bomb.pt", {"bomb/extra": 300})
    assert path.stat().st_size < 2 << 20  # small on disk
    started = time.perf_counter()
    with pytest.raises(WeightsError) as refused:
        load_model(path)
    assert time.perf_counter() - started < 5
    message = str(refused.value)
    assert message.startswith("bomb.pt: refused: its archive unpacks to 300 MB")
    assert "\n" not in message
    assert torch_loads == []


def test_an_archive_of_many_entries_adding_up_is_refused(tmp_path, torch_loads):
    path = _with_extra_entries(
        tmp_path / "many.pt", {f"many/x{k}": 1 for k in range(9)}
    )
    with pytest.raises(WeightsError, match="many.pt: refused: its archive unpacks to"):
        load_model(path)
    assert torch_loads == []


def test_an_archive_of_thousands_of_entries_is_refused(tmp_path, torch_loads):
    path = tmp_path / "crowd.pt"
    torch.save(LeNet5().state_dict(), path)
    with zipfile.ZipFile(path, "a") as archive:
        for k in range(2000):
            archive.writestr(f"crowd/{k}", b"")
    with pytest.raises(WeightsError, match="more than 1000 entries"):
        load_model(path)
    assert torch_loads == []


def test_honest_weights_are_read_by_torch_once(tmp_path, torch_loads):
    path = tmp_path / "honest.pt"
    torch.save(LeNet5().state_dict(), path)
    load_model(path)
    assert len(torch_loads) == 1
