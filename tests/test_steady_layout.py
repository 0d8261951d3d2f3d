"""The window holds still while a person draws: the reading never moves the canvas.

As the pen moves, the reading changes form: a digit, a digit with its
runner-up ("3, or 2?"), a number over three lines, "Not a digit?". Each form
has its own text, and the correction bar its own question. None of them may
change the size of the canvas under the pen, of the chart or of the input
view: a canvas that grows or shrinks mid-stroke maps the same mouse position
to another point of the paper, and every view laid out again is repainted
whole.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_reading_window import strokes_of

from lenet_gui.gui.replay import widget_transform
from lenet_gui.training.numbers import non_digit_strokes
from lenet_gui.training.skeletons import resample


def _draw_watching(window, strokes) -> tuple[set[str], dict[str, set[tuple]]]:
    """Draw `strokes` move by move; return the reading forms and views' sizes seen."""
    column = window.reading_column
    views = {
        "canvas": column.canvas,
        "chart": column.probabilities,
        "input": column.input_view,
        "reading": column.prediction,
        "correction": column.correction,
    }
    sizes: dict[str, set[tuple]] = {name: set() for name in views}
    forms: set[str] = set()
    scale, offset = widget_transform(column.canvas)
    for stroke in strokes:
        points = np.rint(resample(stroke * scale + offset, 4.0)).astype(int)
        where = [QPoint(int(x), int(y)) for x, y in points]
        QTest.mousePress(column.canvas, Qt.MouseButton.LeftButton, pos=where[0])
        for position in where[1:]:
            QTest.mouseMove(column.canvas, position)
            window.session.last_result  # noqa: B018 - reads the drawing now
            QApplication.processEvents()  # lays the window out, if it must
            reading = window.session.last_reading
            if reading is not None:
                forms.add(
                    "not a digit"
                    if reading.not_digit
                    else "number"
                    if len(reading.digits) > 1
                    else "digit"
                )
            forms.add(column.correction.question())
            for name, view in views.items():
                sizes[name].add((view.width(), view.height()))
        QTest.mouseRelease(column.canvas, Qt.MouseButton.LeftButton, pos=where[-1])
    return forms, sizes


def test_the_reading_changing_form_moves_no_view(window, classifier):
    window.canvas.set_pen_width(16.0)
    rng = np.random.default_rng(7)
    scribble = [s * 300 + 74 for s in non_digit_strokes("hash", rng)]
    forms, sizes = _draw_watching(window, strokes_of(classifier, "507", "train_w01"))
    window.canvas.clear()
    more, more_sizes = _draw_watching(window, scribble)
    forms |= more
    for name, seen in more_sizes.items():
        sizes[name] |= seen
    # The drawing went through every form of reading, and several questions.
    assert {"digit", "number", "not a digit"} <= forms
    assert len(forms) >= 6
    for name, seen in sizes.items():
        assert len(seen) == 1, (name, sorted(seen))


def test_the_first_touch_raises_the_maps_without_showing_or_laying_them_out(window):
    """Under the welcome the maps stay shown at their size, disabled.

    Disabled, Tab never reaches them; shown, the first touch only raises them.
    """
    from PySide6.QtCore import QEvent, QObject

    from lenet_gui.gui.widgets import WelcomeView

    maps = window.feature_maps
    welcome = window.show_panel("maps").findChild(WelcomeView)
    window.files.open_example(7)
    window.session.last_result  # noqa: B018 - flushes the pending refresh
    window.canvas.clear()
    window.session.last_result  # noqa: B018
    QApplication.processEvents()
    assert welcome.isVisible() and maps.isVisible() and not maps.isEnabled()

    seen: list[QEvent.Type] = []
    watched = (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.LayoutRequest)

    class Watch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() in watched:
                seen.append(event.type())
            return False

    watch = Watch()
    maps.installEventFilter(watch)
    window.files.open_example(3)
    window.session.last_result  # noqa: B018
    QApplication.processEvents()
    maps.removeEventFilter(watch)
    assert seen == []
    assert maps.isEnabled() and not welcome.isVisible()
