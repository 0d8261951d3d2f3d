"""While the pen moves, ink is searched for several digits only where likely.

A search for several digits (cutting the ink, reading every run of pieces
and the fragments) takes 10-15 ms; run on every mouse move of a half-drawn
loop, it stalls the stroke. Until the pen lifts, ink in one run of columns
is searched only when the segment scorer finds it very likely several
digits; the drawing as the pen lifts is read in full.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from lenet_gui.drawing.image_file import read_image
from lenet_gui.gui.state.drawing_reader import DrawingReader
from lenet_gui.imaging.ink_levels import to_ink
from lenet_gui.imaging.preprocess import preprocess_ink
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.segment_scorer import load_scorer
from lenet_gui.reading.verdict import load_head

# The loop of a figure 8 half drawn on the canvas with the default pen, as it
# stood at one mouse move of a fast stroke: the scorer gives it a fair chance
# (about 23 %) of being several digits, so the full reading searches it.
OPEN_LOOP = Path(__file__).resolve().parent / "data" / "open_loop.png"


@pytest.fixture
def reader(classifier):
    return NumberReader(classifier, load_head(), load_scorer())


@pytest.fixture
def searches(monkeypatch):
    """Count the reader's searches of runs of pieces, calling the real one."""
    calls: list[int] = []
    search = NumberReader._read_pieces

    def counted(self, pieces, *args):
        calls.append(pieces.count)
        return search(self, pieces, *args)

    monkeypatch.setattr(NumberReader, "_read_pieces", counted)
    return calls


def test_a_half_drawn_loop_is_searched_only_once_the_pen_lifts(
    reader, searches, classifier
):
    image = read_image(OPEN_LOOP)
    lifted = reader.read(image)
    assert searches, "the full reading searches the loop for several digits"
    searches.clear()
    moving = reader.read(image, drawing=True)
    assert searches == []
    assert lifted.text == moving.text == "0"
    # While the pen moves, the loop is read as one digit is always read.
    alone = classifier.classify_input(preprocess_ink(to_ink(image)))
    (digit,) = moving.digits
    np.testing.assert_array_equal(digit.prediction.probabilities, alone.probabilities)


def test_the_window_reads_in_full_as_the_pen_lifts(window, monkeypatch):
    asked: list[bool] = []
    read = DrawingReader.read

    def noted(self, image, *, drawing=False, **rest):
        asked.append(drawing)
        return read(self, image, drawing=drawing, **rest)

    monkeypatch.setattr(DrawingReader, "read", noted)
    canvas = window.canvas
    left = Qt.MouseButton.LeftButton
    centre = canvas.rect().center()
    QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, centre)
    for step in range(1, 30):
        QTest.mouseMove(canvas, centre + QPoint(step * 3, step * 2))
        window.session.last_reading  # noqa: B018  (catch up, as a paint would)
    assert asked and all(asked), "every reading while the pen moves says so"
    QTest.mouseRelease(
        canvas, left, Qt.KeyboardModifier.NoModifier, centre + QPoint(90, 60)
    )
    reading = window.reading()
    assert asked[-1] is False
    full = NumberReader(
        window.session.network.classifier, load_head(), load_scorer()
    ).read(canvas.to_array())
    assert reading == full.as_json()
