"""Weights stored in other ways, and a window started in an odd environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from lenet_gui.network.classifier import Classifier
from lenet_gui.network.weights import BUNDLED_WEIGHTS, WeightsError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def state():
    return torch.load(BUNDLED_WEIGHTS, weights_only=True)


@pytest.fixture(scope="module")
def digit():
    ink = np.zeros((28, 28), dtype=np.float32)
    ink[4:24, 12:16] = 1.0
    return ink


def shared_storage(state):
    flat = torch.cat([v.flatten() for v in state.values()])
    views, offset = {}, 0
    for key, value in state.items():
        views[key] = flat[offset : offset + value.numel()].view(value.shape)
        offset += value.numel()
    return views


def strided(state):
    return {k: v.t().contiguous().t() if v.dim() == 2 else v for k, v in state.items()}


@pytest.mark.parametrize(
    ("name", "make", "tolerance"),
    [
        ("float16", lambda s: {k: v.half() for k, v in s.items()}, 1e-2),
        ("bfloat16", lambda s: {k: v.bfloat16() for k, v in s.items()}, 5e-2),
        ("float64", lambda s: {k: v.double() for k, v in s.items()}, 1e-6),
        ("strided", strided, 1e-6),
        ("shared storage", shared_storage, 1e-6),
    ],
)
def test_weights_stored_otherwise_read_as_the_same_network(
    tmp_path, state, digit, name, make, tolerance
):
    plain, path = tmp_path / "plain.pt", tmp_path / "other.pt"
    torch.save(state, plain)  # without the bundled record's calibration, as `path`
    torch.save(make(state), path)
    other = Classifier.load(path).predict(digit)
    bundled = Classifier.load(plain).predict(digit)
    assert other is not None and bundled is not None
    assert other.digit == bundled.digit
    assert np.allclose(other.probabilities, bundled.probabilities, atol=tolerance)


def test_float8_weights_are_refused_in_one_line(tmp_path, state):
    path = tmp_path / "float8.pt"
    torch.save({k: v.to(torch.float8_e4m3fn) for k, v in state.items()}, path)
    with pytest.raises(WeightsError) as refused:
        Classifier.load(path)
    assert "\n" not in str(refused.value) and "float8.pt" in str(refused.value)


def test_a_zip_whose_local_header_disagrees_is_read_by_its_central_directory(
    tmp_path, state, digit
):
    plain, path = tmp_path / "plain.pt", tmp_path / "odd.pt"
    torch.save(state, plain)
    torch.save(state, path)
    data = bytearray(path.read_bytes())
    start = data.index(b"PK\x03\x04")
    length = int.from_bytes(data[start + 26 : start + 28], "little")
    data[start + 30 + length - 1] ^= 0x01  # the first local name, one letter off
    path.write_bytes(bytes(data))
    other = Classifier.load(path)  # torch reads names from the central directory
    bundled = Classifier.load(plain).predict(digit)
    result = other.predict(digit)
    assert result is not None and bundled is not None
    assert np.allclose(result.probabilities, bundled.probabilities)


START = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(["lenet-gui", "-platform", "offscreen"])
from lenet_gui.gui.cli import main
QTimer.singleShot(1500, app.quit)
sys.exit(main([]))
"""


@pytest.mark.parametrize("case", ["HOME unset", "XDG_CONFIG_HOME is a file"])
def test_the_window_starts_and_closes_in_an_odd_environment(tmp_path, case):
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CONFIG_HOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    not_a_folder = tmp_path / "config"
    not_a_folder.write_bytes(b"mine")
    if case != "HOME unset":
        env["HOME"] = str(tmp_path)
        env["XDG_CONFIG_HOME"] = str(not_a_folder)
    run = subprocess.run(
        [sys.executable, "-c", START],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert not_a_folder.read_bytes() == b"mine"
