"""Numbers on the real canvas: window.reading(), the boxes and the chosen digit."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import load_pen_digits
from lenet_gui.gui.replay import replay, widget_transform
from lenet_gui.gui.widgets import PredictionLabel
from lenet_gui.training.numbers import compose_number, non_digit_strokes

REPO = Path(__file__).resolve().parents[1]
STROKES = REPO / "tests" / "data" / "strokes" / "pendigits-sample.json"


def strokes_of(classifier, text: str, writer: str) -> list[np.ndarray]:
    """A number by one writer of the sample, of digits read right alone."""
    mine = [d for d in load_pen_digits(STROKES) if d.writer == writer]

    def fits(digit, label):
        if digit.label != label:
            return False
        alone = classifier.predict(render(list(digit.strokes), 24.0))
        return alone is not None and alone.digit == label

    digits = [next(d for d in mine if fits(d, int(c))) for c in text]
    strokes, _ = compose_number(digits, (0.3, 0.45), np.random.default_rng(0))
    return strokes


@pytest.fixture
def drawn(window, classifier):
    window.canvas.set_pen_width(16.0)
    transform = widget_transform(window.canvas)
    replay(window.canvas, strokes_of(classifier, "507", "train_w01"), transform)
    return window


def test_an_empty_canvas_reads_none(window):
    assert window.reading() is None


def test_a_number_drawn_with_the_mouse_is_read(drawn, classifier):
    reading = drawn.reading()
    assert reading["text"] == "507"
    assert reading["digit"] is None and reading["not_digit"] is None
    boxes = [d["box"] for d in reading["digits"]]
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)
    assert all(0 <= v <= 448 for box in boxes for v in box)
    # The views show one digit, the model's own reading of it.
    shown = drawn.session.last_result
    again = classifier.classify_input(shown.network_input)
    np.testing.assert_allclose(shown.probabilities, again.probabilities, atol=1e-6)
    assert drawn.reading_view.boxes.isVisible()
    assert drawn.reading_view.boxes.boxes() == [tuple(b) for b in boxes]


def test_tags_and_keys_choose_the_digit_every_view_shows(drawn, qtbot):
    session = drawn.session
    session.choose_digit(0)
    assert session.last_result.digit == 5
    drawn.canvas.setFocus()
    qtbot.keyClick(drawn.canvas, Qt.Key.Key_Right)
    assert session.chosen_digit == 1 and session.last_result.digit == 0
    qtbot.keyClick(drawn.canvas, Qt.Key.Key_Tab)
    assert session.last_result.digit == 7
    qtbot.keyClick(drawn.canvas, Qt.Key.Key_Left)
    assert session.last_result.digit == 0
    boxes = drawn.reading_view.boxes
    qtbot.mouseClick(boxes, Qt.MouseButton.LeftButton, pos=boxes.tag_rect(0).center())
    assert session.chosen_digit == 0 and session.last_result.digit == 5


def test_a_shape_says_not_a_digit_and_the_views_still_show_it(window):
    rng = np.random.default_rng(8)
    strokes = [s * 300 + 74 for s in non_digit_strokes("star", rng)]
    replay(window.canvas, strokes, widget_transform(window.canvas))
    reading = window.reading()
    assert reading["text"] == "" and reading["not_digit"]
    assert window.session.last_result is not None  # what the network computed
    label = window.findChild(PredictionLabel)
    assert "Not a digit?" in label.accessibleName()


def test_the_tags_of_digits_that_overlap_stay_apart_and_in_sight(window):
    """A 1 inside the box of the 7 it touches still shows its own tag."""
    boxes = window.reading_view.boxes
    # Paper boxes as the strokes of a touching "17" give them, then apart.
    overlapping = [(140, 100, 200, 300), (150, 95, 320, 300), (330, 100, 400, 300)]
    boxes.set_boxes(overlapping, ["1", "7", "4"], 0, False)
    tags = [boxes.tag_rect(i) for i in range(3)]
    for a, b in itertools.combinations(tags, 2):
        assert not a.intersects(b)
    assert all(t.width() >= t.height() for t in tags)
    assert [t.left() for t in tags] == sorted(t.left() for t in tags)
    # A tag apart from the others keeps its frame's width, as before.
    frame = boxes._frame(overlapping[2])
    assert tags[2].left() == int(frame.left())
    assert tags[2].width() == max(tags[2].height(), int(frame.right()) - tags[2].left())
    # Each tag still chooses its digit.
    chosen = []
    boxes.digitChosen.connect(chosen.append)
    for tag in tags:
        QTest.mouseClick(boxes, Qt.MouseButton.LeftButton, pos=tag.center())
    assert chosen == [0, 1, 2]
