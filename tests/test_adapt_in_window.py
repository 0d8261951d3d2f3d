"""Adapt to my handwriting in the window: live curve, Cancel, my weights used at once.

The real window, model and files; only the schedule is shortened (one pass,
two variants of each digit) so that the test takes seconds, not minutes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from lenet_gui.explain.top_digits import load_digit_set
from lenet_gui.gui import MainWindow
from lenet_gui.gui.panels.my_digits import MyDigitsPanel
from lenet_gui.gui.settings import settings_path
from lenet_gui.gui.state.my_digits import my_weights_path
from lenet_gui.training import adaptation
from lenet_gui.training.learning import evaluate

SAMPLE = Path(__file__).resolve().parent / "data" / "strokes" / "pendigits-sample.json"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setitem(
        adaptation.SCHEDULES, "quick", adaptation.Schedule("quick", 1, 2, 1e-3)
    )
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text)
    )
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_panel("my_digits")
    yield window
    assert not warned
    window.close()


def panel_of(window) -> MyDigitsPanel:
    panel = window.panel("my_digits")
    assert isinstance(panel, MyDigitsPanel)
    return panel


def test_my_weights_live_beside_the_settings():
    assert my_weights_path() == settings_path().with_name("my-weights.pt")


def test_adapting_shows_the_curve_saves_and_reads_with_my_weights(qtbot, window):
    panel = panel_of(window)
    assert panel.import_file(SAMPLE) > 0
    assert not my_weights_path().exists()
    assert panel.adapting.adapt("quick")
    job = panel.adapting.job
    qtbot.waitUntil(lambda: not job.running, timeout=300_000)
    report = panel.adapt_view.report()
    assert "Saved as my weights" in report, report
    classifier = window.session.network.classifier
    assert classifier is not None and classifier.source == my_weights_path()
    assert panel.adapting.using_mine()
    # The curve holds every batch, each a real loss and accuracy.
    steps = panel.adapt_view.steps()
    assert len(steps) > 10
    assert all(np.isfinite(loss) and 0 <= accuracy <= 1 for loss, accuracy in steps)
    # The MNIST figure shown is the saved weights' own reading.
    shown = re.search(r"-&gt; [\d.]+% \((\d+)/2000\)", report)
    assert shown is not None, report
    sample = load_digit_set()
    result = evaluate(
        classifier.model, np.asarray(sample.images), np.asarray(sample.labels)
    )
    assert int(shown.group(1)) == result.n - result.errors
    assert "held back in turn" in report
    # Switch back and forth.
    panel.adapting.use("bundled")
    assert window.session.network.classifier.source is None
    panel.adapting.use("mine")
    assert window.session.network.classifier.source == my_weights_path()


def test_cancel_saves_nothing_and_keeps_the_weights(qtbot, window):
    panel = panel_of(window)
    panel.import_file(SAMPLE)
    before = window.session.network.classifier
    assert panel.adapting.adapt("quick")
    panel.adapting.job.cancel()
    qtbot.waitUntil(lambda: not panel.adapting.job.running, timeout=300_000)
    assert "Cancelled" in panel.adapt_view.report()
    assert not my_weights_path().exists()
    assert window.session.network.classifier is before


def test_adapting_without_digits_says_what_to_do(qtbot, window):
    panel = panel_of(window)
    assert not panel.adapt_view._adapt.isEnabled()
    assert not panel.adapting.adapt("quick")
    assert not panel.adapting.job.running


def test_the_caption_and_the_menu_say_and_switch_which_weights_read(qtbot, window):
    label = window.reading_column.prediction
    assert label.weights_caption() == "read by bundled weights"
    actions = window.action_set
    actions.my_weights.trigger()  # none yet: said, nothing changes
    assert window.session.network.classifier.source is None
    panel = panel_of(window)
    panel.import_file(SAMPLE)
    assert panel.adapting.adapt("quick")
    qtbot.waitUntil(lambda: not panel.adapting.job.running, timeout=300_000)
    assert label.weights_caption() == "read by my weights"
    actions.bundled_weights.trigger()
    assert label.weights_caption() == "read by bundled weights"
    actions.my_weights.trigger()
    assert window.session.network.classifier.source == my_weights_path()


def test_a_refused_adaptation_says_why_and_keeps_the_weights(
    qtbot, window, monkeypatch
):
    from lenet_gui.training import adaptation_check

    monkeypatch.setattr(adaptation_check, "MNIST_COST_LIMIT", -0.01)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text)
    )
    panel = panel_of(window)
    panel.import_file(SAMPLE)
    assert panel.adapting.adapt("quick")
    qtbot.waitUntil(lambda: not panel.adapting.job.running, timeout=300_000)
    assert "Refused" in panel.adapt_view.report()
    assert len(shown) == 1 and "MNIST test digits" in shown[0]
    assert not my_weights_path().exists()
    assert window.session.network.classifier.source is None
