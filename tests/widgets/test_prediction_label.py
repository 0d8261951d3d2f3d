"""PredictionLabel: the big digit, its confidence, and the empty state."""

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from lenet_gui.gui.widgets import PredictionLabel


@pytest.fixture
def label(qtbot):
    widget = PredictionLabel()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def texts(label):
    digit = label.findChild(QLabel, "predictedDigit")
    confidence = label.findChild(QLabel, "predictionConfidence")
    return digit.text(), confidence.text()


def text_color(label, name):
    child = label.findChild(QLabel, name)
    return child.palette().color(QPalette.ColorRole.WindowText)


def test_starts_empty(label):
    assert texts(label) == ("\N{EM DASH}", "Draw a digit")


def test_shows_digit_and_confidence(label):
    label.set_prediction(7, 0.8731)
    assert texts(label) == ("7", "87.3 % sure")
    label.set_prediction(0, 1.0)
    assert texts(label) == ("0", "100.0 % sure")


def test_none_goes_back_to_the_empty_state(label):
    label.set_prediction(4, 0.5)
    label.set_prediction(None, None)
    assert texts(label) == ("\N{EM DASH}", "Draw a digit")


def test_digit_without_confidence(label):
    label.set_prediction(2, None)
    assert texts(label) == ("2", "")


def test_digit_is_drawn_much_larger_than_the_confidence(label):
    digit = label.findChild(QLabel, "predictedDigit")
    confidence = label.findChild(QLabel, "predictionConfidence")
    assert digit.font().pointSizeF() >= 3 * confidence.font().pointSizeF()


@pytest.mark.parametrize(
    ("digit", "confidence"), [(10, 0.5), (-1, 0.5), (3, 1.5), (3, float("nan"))]
)
def test_rejects_impossible_predictions(label, digit, confidence):
    with pytest.raises(ValueError):
        label.set_prediction(digit, confidence)


def test_colours_come_from_the_palette(label):
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    dark.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9aa0a6"))
    label.setPalette(dark)
    assert text_color(label, "predictedDigit") == QColor("#9aa0a6")
    label.set_prediction(1, 0.9)
    assert text_color(label, "predictedDigit") == QColor("#e8eaed")
    assert text_color(label, "predictionConfidence") == QColor("#e8eaed")


def test_a_likely_runner_up_is_shown_beside_the_digit(label):
    runner_up = label.findChild(QLabel, "runnerUp")
    label.set_prediction(1, 0.62, (7, 0.35))
    digit, confidence = texts(label)
    assert (digit, runner_up.text()) == ("1", ", or 7?")
    assert confidence == "62 % 1 \N{MIDDLE DOT} 35 % 7"
    assert "1, or 7?" in label.accessibleName()
    label.set_prediction(1, 0.9, (7, 0.08))  # a clear reading: the digit alone
    assert texts(label) == ("1", "90.0 % sure") and runner_up.text() == ""
    with pytest.raises(ValueError):
        label.set_prediction(1, 0.6, (11, 0.3))
