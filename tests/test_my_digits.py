"""My digits: correcting a reading keeps the drawing; the store is never lost.

The real window, the real model and real files in a temporary data folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from lenet_gui.drawing.paper import Stroke
from lenet_gui.files.stroke_files import load_pen_digits
from lenet_gui.gui import MainWindow
from lenet_gui.gui.panels.my_digits import MyDigitsPanel
from lenet_gui.gui.state.my_digits import MyDigits, MyDigitsError, default_path
from lenet_gui.gui.widgets.correction_bar import CorrectionBar

SAMPLE = Path(__file__).resolve().parent / "data" / "strokes" / "pendigits-sample.json"
ONE = [np.array([[200.0, 80.0], [210.0, 200.0], [215.0, 360.0]])]


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    """The person's data folder, in a temporary place."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text)
    )
    return shown


def test_digits_are_kept_relabelled_and_deleted_across_sessions(tmp_path):
    path = tmp_path / "my-digits.json"
    store = MyDigits(path)
    assert store.digits() == []
    store.add(ONE, 7)
    store.add(ONE, 1)
    store.relabel(0, 4)
    again = MyDigits(path)
    assert [d.label for d in again.digits()] == [4, 1]
    np.testing.assert_allclose(again.digits()[0].strokes[0], ONE[0])
    again.remove([0])
    assert [d.label for d in MyDigits(path).digits()] == [1]
    # The file is a stroke file, as the training and adapt commands read them.
    assert [d.label for d in load_pen_digits(path)] == [1]


def test_an_unusable_file_is_set_aside_with_a_message_never_lost(tmp_path):
    path = tmp_path / "my-digits.json"
    path.write_text('[{"label": 12, "writer": "me", "strokes": [[[1, 2]]]}]')
    original = path.read_bytes()
    store = MyDigits(path)
    message = store.load()
    assert message is not None and "label" in message and "kept as" in message
    aside = [p for p in tmp_path.iterdir() if "unusable" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == original
    assert str(aside[0]) in message
    assert store.digits() == []
    store.add(ONE, 3)  # a new file, the old one still aside
    assert aside[0].read_bytes() == original


def test_a_fifo_under_the_name_is_set_aside_unread(tmp_path):
    path = tmp_path / "my-digits.json"
    os.mkfifo(path)
    store = MyDigits(path)
    message = store.load()
    assert message is not None and "kept as" in message
    assert store.digits() == []


def test_a_failed_write_changes_nothing(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    store = MyDigits(blocker / "my-digits.json")
    with pytest.raises(MyDigitsError, match="not saved"):
        store.add(ONE, 5)
    assert store.digits() == []


def test_import_and_export_in_the_stroke_file_shape(tmp_path):
    store = MyDigits(tmp_path / "mine.json")
    added = store.import_file(SAMPLE)
    expected = load_pen_digits(SAMPLE)
    assert added == len(expected)
    out = tmp_path / "export.json"
    store.export_file(out)
    items = json.loads(out.read_text())
    assert set(items[0]) == {"label", "writer", "strokes"}
    assert [d.label for d in load_pen_digits(out)] == [d.label for d in expected]
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    with pytest.raises(MyDigitsError):
        store.import_file(bad)
    assert len(store.digits()) == added


def test_correcting_a_reading_keeps_the_drawing_in_my_digits(
    qtbot, data_home, warnings
):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    strokes = [Stroke(tuple(map(tuple, ONE[0])), 24.0)]
    window.canvas.set_strokes(strokes)
    result = window.session.last_result
    assert result is not None
    bar = window.reading_column.correction
    qtbot.waitUntil(lambda: bar.reading() == result.digit)
    assert bar.question() == f"Not a {result.digit}? It's a"
    wrong = (result.digit + 1) % 10
    bar.corrected.emit(wrong)
    panel = window.panel("my_digits")
    assert isinstance(panel, MyDigitsPanel)
    kept = panel.store.digits()
    assert [d.label for d in kept] == [wrong]
    np.testing.assert_allclose(kept[0].strokes[0], ONE[0])
    assert panel.store.path == default_path()
    assert str(data_home) in str(default_path())
    assert default_path().exists()
    # The view lists it, and relabelling goes to the file.
    window.show_panel("my_digits")
    qtbot.waitUntil(lambda: panel.view.labels() == [wrong])
    panel.view.relabelRequested.emit([0], 2)
    qtbot.waitUntil(lambda: panel.view.labels() == [2])
    assert [d.label for d in MyDigits(default_path()).digits()] == [2]
    # The canvas is untouched by keeping it.
    assert window.canvas.paper.current.strokes == tuple(strokes)
    assert not warnings


def test_an_empty_canvas_offers_no_correction(qtbot, data_home, warnings):
    window = MainWindow()
    qtbot.addWidget(window)
    window.canvas.clear()
    assert window.session.last_result is None
    bar = window.reading_column.correction
    qtbot.waitUntil(lambda: bar.reading() is None)
    assert bar.question() == CorrectionBar.EMPTY_HINT
