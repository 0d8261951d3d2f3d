"""Numbers drawn on the canvas read by their strokes, in the order they were drawn.

Digits that touch or overlap are often read wrong from the image alone (no
cut separates them), but each is a run of consecutive strokes: the canvas
knows its strokes, and reads such a number from them. A single digit, an
opened image and a drawing the image reads surely are read as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from lenet_gui.drawing.paper import Paper, Stroke, render
from lenet_gui.gui.replay import replay, widget_transform
from lenet_gui.gui.state.stroke_inks import StrokeInks
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.segment_scorer import load_scorer
from lenet_gui.reading.stroke_runs import MAX_STROKES
from lenet_gui.reading.verdict import load_head
from lenet_gui.training.numbers import compose_number

# Pairs of the test sample laid so close that their ink overlaps (a gap of
# -0.05 digit heights); read from the image alone each is misread or refused.
TOUCHING = [
    ("19", "train_w01"),
    ("64", "train_w02"),
    ("90", "train_w03"),
    ("53", "train_w04"),
    ("47", "train_w04"),
]


@pytest.fixture(scope="module")
def reader(classifier):
    return NumberReader(classifier, load_head(), load_scorer())


def _touching(pen, classifier, text: str, writer: str) -> list[np.ndarray]:
    """Strokes of `text` by `writer`, of digits the network reads right alone."""
    mine = [d for d in pen if d.writer == writer]

    def fits(digit, label):
        alone = classifier.predict(render(list(digit.strokes), 24.0))
        return digit.label == label and alone is not None and alone.digit == label

    digits = [next(d for d in mine if fits(d, int(c))) for c in text]
    strokes, _ = compose_number(digits, (-0.05, -0.05), np.random.default_rng(0))
    return strokes


def _as_strokes(strokes: list[np.ndarray], width: float) -> list[Stroke]:
    return [Stroke(tuple(map(tuple, s.tolist())), width) for s in strokes]


@pytest.mark.parametrize(("text", "writer"), TOUCHING)
def test_touching_digits_are_read_from_their_strokes(
    pen, classifier, reader, text, writer
):
    strokes = _as_strokes(_touching(pen, classifier, text, writer), 16.0)
    image = render([s.points for s in strokes], 16.0)
    inks = StrokeInks()
    reading = reader.read(image, strokes=lambda: inks.of(strokes))
    assert reading is not None and reading.text == text
    # Every digit is the network's own reading of its input.
    for digit in reading.digits:
        again = classifier.classify_input(digit.prediction.network_input)
        np.testing.assert_array_equal(
            digit.prediction.probabilities, again.probabilities
        )
    boxes = [d.box for d in reading.digits]
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)


def test_single_digits_read_the_same_with_their_strokes(pen, reader):
    several = [d for d in pen if len(d.strokes) > 1][:12]
    assert len(several) >= 8
    inks = StrokeInks()
    for digit in several:
        strokes = _as_strokes(list(digit.strokes), 24.0)
        image = render([s.points for s in strokes], 24.0)
        alone = reader.read(image)
        with_strokes = reader.read(image, strokes=lambda s=strokes: inks.of(s))
        assert alone is not None and with_strokes is not None
        assert with_strokes.as_json() == alone.as_json()


def test_while_the_pen_moves_the_strokes_wait_for_it_to_lift(pen, classifier, reader):
    strokes = _as_strokes(_touching(pen, classifier, "64", "train_w02"), 16.0)
    image = render([s.points for s in strokes], 16.0)
    inks, asked = StrokeInks(), []

    def given():
        asked.append(True)
        return inks.of(strokes)

    moving = reader.read(image, drawing=True, strokes=given)
    assert asked == []
    assert moving.as_json() == reader.read(image, drawing=True).as_json()
    assert reader.read(image, strokes=given).text == "64"
    assert asked == [True]


def test_the_paper_gives_its_strokes_the_open_one_last():
    paper = Paper()
    paper.draw_strokes([[(100.0, 100.0), (100.0, 300.0)]])
    first = paper.strokes_now()
    assert first is not None and len(first) == 1
    paper.begin_stroke((200.0, 100.0))
    paper.extend_stroke((250.0, 300.0))
    drawn = paper.strokes_now()
    assert drawn is not None and drawn[0] is first[0]
    assert drawn[1].points == ((200.0, 100.0), (250.0, 300.0))
    paper.end_stroke()
    assert paper.strokes_now()[1] is not drawn[1]  # committed: a stroke of its own
    paper.set_image(paper.to_array())
    assert paper.strokes_now() is None  # a placed image has no strokes


def test_each_stroke_is_drawn_once_and_keeps_its_key():
    inks = StrokeInks()
    a = Stroke(((100.0, 100.0), (100.0, 300.0)), 24.0)
    b = Stroke(((200.0, 100.0), (260.0, 300.0)), 16.0)
    first = inks.of([a, b])
    again = inks.of([a, b])
    assert [i.key for i in again] == [i.key for i in first]
    assert again[0] is first[0]
    # The ink is the stroke's own, cut to its box.
    whole = render([b.points], b.width).astype(np.float32) / 255.0
    x0, y0, x1, y1 = first[1].box
    np.testing.assert_array_equal(whole[y0:y1, x0:x1], first[1].ink)
    assert whole.sum() == pytest.approx(float(first[1].ink.sum()))
    # A stroke drawn anew (the open one grows) gets a new key.
    longer = Stroke((*b.points, (270.0, 320.0)), 16.0)
    assert inks.of([a, longer])[1].key != first[1].key


def test_the_window_reads_touching_digits_drawn_with_the_mouse(
    window, pen, classifier, reader
):
    window.canvas.set_pen_width(16.0)
    strokes = _touching(pen, classifier, "64", "train_w02")
    replay(window.canvas, strokes, widget_transform(window.canvas))
    assert window.reading()["text"] == "64"
    # The same ink opened as an image has no strokes: read from the image.
    ink = window.canvas.to_array()
    window.canvas.set_image(ink)
    expected = reader.read(window.canvas.to_array())
    assert window.reading() == (None if expected is None else expected.as_json())


def test_a_drawing_of_very_many_strokes_is_read_from_its_picture(window, monkeypatch):
    """A scribble of dots is not cut into thousands of runs of strokes."""
    drawn: list[int] = []
    of = StrokeInks.of

    def counted(self, strokes):
        drawn.append(len(strokes))
        return of(self, strokes)

    monkeypatch.setattr(StrokeInks, "of", counted)
    canvas = window.canvas
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for k in range(MAX_STROKES + 1):
        QTest.mouseClick(
            canvas, left, none, QPoint(60 + (k % 7) * 30, 60 + (k // 7) * 30)
        )
        window.reading()
    assert drawn, "dots read as several digits are read by their strokes"
    assert max(drawn) <= MAX_STROKES
    assert len(canvas.paper.strokes_now()) == MAX_STROKES + 1
