"""Files that are slow to decode: --predict gives up on them, the window stays live."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from lenet_gui.drawing.timed_read import TimedRead, give_up_reason

REPO = Path(__file__).resolve().parents[1]


def slow_svg(path: Path, blurs: int, side: int = 1024) -> Path:
    """An SVG of full-canvas rectangles, each blurred: Qt spends ~0.3-0.7 s on each."""
    rects = "".join(
        f'<rect width="{side}" height="{side}" fill="black" filter="url(#b)"/>'
        for _ in range(blurs)
    )
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}">'
        f'<filter id="b"><feGaussianBlur stdDeviation="3"/></filter>{rects}</svg>'
    )
    return path


def digit_png(path: Path) -> Path:
    ink = np.full((28, 28), 255, dtype=np.uint8)
    ink[4:24, 12:16] = 0
    QImage(ink.data, 28, 28, 28, QImage.Format.Format_Grayscale8).save(str(path))
    return path


PREDICT = """
import sys, threading
from lenet_gui.drawing import timed_read
from lenet_gui.gui import predict_cli
from lenet_gui.gui.cli import main

real_read_ink = timed_read.read_ink


def read_ink(path):  # a decoder that never returns on "hang.png"
    if str(path).endswith("hang.png"):
        threading.Event().wait()
    return real_read_ink(path)


timed_read.read_ink = read_ink
predict_cli.DECODE_SECONDS = 2.0
sys.exit(main(["--predict", *sys.argv[1:]]))
"""


def test_predict_gives_up_on_a_file_that_never_decodes_and_goes_on(tmp_path):
    hang = digit_png(tmp_path / "hang.png")
    good = digit_png(tmp_path / "one.png")
    done = subprocess.run(
        [sys.executable, "-c", PREDICT, str(hang), str(good)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert lines[0] == {"file": str(hang), "error": give_up_reason(2.0)}
    assert lines[1]["file"] == str(good) and lines[1]["digit"] == 1


def test_a_real_slow_svg_is_given_up_on_while_qt_still_decodes_it(tmp_path):
    slow = slow_svg(tmp_path / "slow.svg", 3)
    read = TimedRead(slow)
    assert not read.wait(0.05)  # the caller is free again after its budget
    assert not read.done()  # while Qt still blurs
    with pytest.raises(RuntimeError):
        read.result()
    assert read.wait(300)  # left alone, it ends, and its result is dropped
    assert read.result().shape


def find_progress_dialog(window):
    from PySide6.QtWidgets import QProgressDialog

    found = [w for w in window.findChildren(QProgressDialog) if w.isVisible()]
    return found[0] if found else None


@pytest.fixture
def stuck_decoder(monkeypatch):
    """A decoder that does not return on "stuck.png" until the test ends."""
    from lenet_gui.drawing import timed_read

    release = threading.Event()
    real_read_ink = timed_read.read_ink

    def read_ink(path):
        if str(path).endswith("stuck.png"):
            release.wait(300)
        return real_read_ink(path)

    monkeypatch.setattr(timed_read, "read_ink", read_ink)
    yield
    release.set()


def test_the_window_stays_live_while_a_slow_image_opens_and_cancel_keeps_the_drawing(
    window, qtbot, tmp_path, stuck_decoder
):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QPushButton

    window.files.open_example(7)
    before = window.canvas.to_array()
    stuck = digit_png(tmp_path / "stuck.png")
    ticks = []
    ticker = QTimer(interval=20)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()
    seen = {}

    def press_cancel() -> None:
        dialog = find_progress_dialog(window)
        if dialog is None:  # not shown yet: look again
            QTimer.singleShot(100, press_cancel)
            return
        seen["text"] = dialog.labelText()
        seen["drawing"] = window.canvas.to_array()
        seen["ticks"] = len(ticks)
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    QTimer.singleShot(100, press_cancel)
    assert window.files.open_image(stuck) is False
    ticker.stop()
    assert seen["ticks"] >= 1  # the event loop ran while the file decoded
    assert seen["text"].startswith("Opening stuck.png")
    assert np.array_equal(seen["drawing"], before)  # untouched meanwhile
    assert np.array_equal(window.canvas.to_array(), before)
    assert "Not opened: stuck.png" in window.statusBar().currentMessage()


def test_the_window_gives_up_on_an_image_after_its_time_budget(
    window, messages, monkeypatch, tmp_path, stuck_decoder
):
    from lenet_gui.gui import image_opening

    monkeypatch.setattr(image_opening, "OPEN_SECONDS", 0.3)
    window.files.open_example(7)
    before = window.canvas.to_array()
    assert window.files.open_image(digit_png(tmp_path / "stuck.png")) is False
    assert np.array_equal(window.canvas.to_array(), before)
    (title, text), *_ = messages.warnings
    assert title == "Cannot open image" and "gave up after 0.3 s" in text
    assert "\n" not in text


def test_a_file_that_decodes_within_the_budget_opens_through_the_same_path(
    window, tmp_path, stuck_decoder
):
    assert window.files.open_image(digit_png(tmp_path / "one.png")) is True
    assert not window.canvas.is_empty()


def test_files_read_ahead_come_in_order_and_a_stuck_one_does_not_stop_the_rest(
    tmp_path, stuck_decoder
):
    from lenet_gui.drawing.image_file import ImageFileError, read_ink
    from lenet_gui.drawing.timed_read import ReadAhead

    good = [str(digit_png(tmp_path / f"{i}.png")) for i in range(5)]
    stuck = str(digit_png(tmp_path / "stuck.png"))
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    paths = [good[0], str(text), good[1], stuck, *good[2:]]
    files = ReadAhead(paths, 1.0, ahead=2)
    found = list(files)
    assert [path for path, _ in found] == paths
    by_path = dict(found)
    for path in good:
        np.testing.assert_array_equal(by_path[path], read_ink(path))
    assert isinstance(by_path[str(text)], ImageFileError)
    assert by_path[stuck].reason == give_up_reason(1.0)  # ImageFileError


def test_files_read_ahead_wait_for_the_caller(tmp_path):
    from lenet_gui.drawing.timed_read import ReadAhead

    paths = [str(digit_png(tmp_path / f"{i}.png")) for i in range(6)]
    files = ReadAhead(paths, 5.0, ahead=2)
    iterator = iter(files)
    next(iterator)
    deadline = time.monotonic() + 30
    while files.ready() < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # time enough to read more, were it allowed
    assert files.ready() == 2  # no further than `ahead` past the caller
    assert len(list(iterator)) == 5


def test_files_read_ahead_stop_when_closed(tmp_path, monkeypatch):
    """A caller that stops early (``| head -1``) leaves no worker decoding."""
    from lenet_gui.drawing import timed_read

    decoding = threading.Event()
    release = threading.Event()
    decoded: list[str] = []
    read_ink = timed_read.read_ink

    def slow(path):  # the second file takes a while to decode
        if path.endswith("1.png"):
            decoding.set()
            release.wait(5)
        decoded.append(path)
        return read_ink(path)

    monkeypatch.setattr(timed_read, "read_ink", slow)
    paths = [str(digit_png(tmp_path / f"{i}.png")) for i in range(6)]
    files = timed_read.ReadAhead(paths, 5.0, ahead=4)
    iterator = iter(files)
    next(iterator)
    assert decoding.wait(5)
    threading.Timer(0.2, release.set).start()
    files.close()  # waits for the file being decoded, then the worker stops
    assert files._thread is not None and not files._thread.is_alive()
    assert decoded == paths[:2]
