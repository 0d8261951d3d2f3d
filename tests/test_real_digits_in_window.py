"""Real pen digits drawn with the mouse on the window are read as drawn offline.

Digits by the writers shipped for the tests (``tests/data/strokes``), each
drawn as written (only sized and placed, with the default pen), are replayed
as mouse drags on the real window's canvas (``lenet_gui/gui/replay.py``).
The window reads each one as the app's renderer and classifier read the same
strokes offline, passed through a mouse's pixel grid, the way the real
handwriting figures in the README are measured.
"""

from pathlib import Path

import numpy as np

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import load_pen_digits
from lenet_gui.gui.replay import replay, widget_transform
from lenet_gui.training.drawn import mouse_points
from lenet_gui.training.pen_digits import as_written, pen_drawing

SAMPLE = Path(__file__).parent / "data" / "strokes" / "pendigits-sample.json"
SEED = 1


def test_pen_digits_drawn_with_the_mouse_are_read_as_offline(window, classifier):
    digits = load_pen_digits(SAMPLE)
    transform = widget_transform(window.canvas)
    differ = []
    for index, digit in enumerate(digits):
        rng = np.random.default_rng((SEED, index))
        placed, pen = pen_drawing(digit.strokes, digit.label, rng, as_written())
        offline = classifier.predict(render(mouse_points(placed, rng), pen))
        window.canvas.clear()
        window.canvas.set_pen_width(pen)
        replay(window.canvas, placed, transform)
        seen = window.session.last_result
        if seen is None or seen.digit != offline.digit:
            differ.append((index, digit.label, offline.digit, seen and seen.digit))
    # (index, label, offline reading, window's reading) of each that differs
    assert not differ, f"read otherwise in the window: {differ}"
