"""Ctrl-C while ``--predict`` reads its files: one line and status 130, no traceback.

A real ``main.py`` process gets SIGINT once its first result is out (so it is
inside the loop over files, with torch loaded); the lines printed before stay
whole JSON.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from image_samples import grey_qimage, save

from lenet_gui.gui.ctrl_c import INTERRUPTED

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120
FILES = 2000


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_in_the_middle_of_predict_says_one_line(tmp_path):
    digit = np.zeros((28, 28), np.uint8)
    digit[5:23, 12:16] = 255
    data = save(grey_qimage(digit), tmp_path / "one.png").read_bytes()
    names = []
    for k in range(FILES):
        (tmp_path / f"d{k}.png").write_bytes(data)
        names.append(str(tmp_path / f"d{k}.png"))
    child = subprocess.Popen(
        [sys.executable, str(REPO / "main.py"), "--predict", *names],
        cwd=tmp_path,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        child.send_signal(signal.SIGINT)
        rest, err = child.communicate(timeout=TIMEOUT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    lines = (first + rest).splitlines()
    assert len(lines) < FILES, "every file was read before Ctrl-C arrived"
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "lenet-gui: stopped by Ctrl-C"
    assert child.returncode == INTERRUPTED
    for line in lines:
        assert "file" in json.loads(line)


def _wait_for_torch(child: subprocess.Popen, timeout: float) -> None:
    """Return once the child has loaded torch's library (it is importing torch)."""
    maps = Path(f"/proc/{child.pid}/maps")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        try:
            if "libtorch" in maps.read_text():
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError("the command never loaded torch")


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
@pytest.mark.parametrize(
    ("module", "name", "args"),
    [
        (
            "lenet_gui.adapt",
            "lenet-adapt",
            ["--strokes", "{sample}", "--output", "o.pt"],
        ),
        ("lenet_gui.evaluate", "lenet-evaluate", ["--data", "{mnist}"]),
    ],
)
def test_ctrl_c_while_a_command_loads_torch_says_one_line(tmp_path, module, name, args):
    data = REPO / "tests" / "data"
    filled = [
        a.format(
            sample=data / "strokes" / "pendigits-sample.json", mnist=data / "mnist"
        )
        for a in args
    ]
    child = subprocess.Popen(
        [sys.executable, "-m", module, *filled],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    try:
        _wait_for_torch(child, TIMEOUT)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=TIMEOUT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "Traceback" not in err
    assert err.splitlines()[-1] == f"{name}: stopped by Ctrl-C"
    assert child.returncode == INTERRUPTED
    assert list(tmp_path.iterdir()) == []  # nothing written
