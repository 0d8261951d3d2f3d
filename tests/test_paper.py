"""The paper: one renderer for the live canvas and every offline drawing."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from lenet_gui.drawing.paper import PAPER_SIZE, Paper, Stroke, render
from lenet_gui.gui.widgets import DrawingCanvas


def test_a_stroke_is_inked_with_the_pens_width_and_round_ends():
    width = 24.0
    ink = render([[(100.0, 200.0), (300.0, 200.0)]], width).astype(np.float64) / 255
    # A capsule: a 200 x 24 rectangle and two half discs.
    assert ink.sum() == pytest.approx(200 * width + np.pi * (width / 2) ** 2, rel=0.01)
    assert ink[:, 200].sum() == pytest.approx(width, abs=0.5)
    assert ink[200, 100 - 13] == 0 and ink[200, 100 - 11] > 0.9
    dot = render([[(50.0, 60.0)]], width)
    assert dot.sum() / 255 == pytest.approx(np.pi * (width / 2) ** 2, rel=0.02)


def test_repeated_points_and_strokes_off_the_paper_add_nothing():
    paper = Paper()
    assert not paper.draw_strokes([[(-100.0, -100.0), (-60.0, -100.0)]])
    assert paper.is_empty() and not paper.can_undo()
    assert paper.draw_strokes([[(10.0, 10.0), (10.0, 10.0), (40.0, 10.0)]])
    assert paper.current.strokes == (Stroke(((10.0, 10.0), (40.0, 10.0)), 24.0),)


strokes_on_and_off_the_paper = st.lists(
    st.lists(
        st.tuples(
            st.floats(-40, PAPER_SIZE + 40, allow_nan=False),
            st.floats(-40, PAPER_SIZE + 40, allow_nan=False),
        ),
        min_size=1,
        max_size=30,
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=40, deadline=None)
@given(strokes=strokes_on_and_off_the_paper, width=st.floats(4, 64))
def test_live_inking_undo_redo_and_offline_rendering_agree_exactly(strokes, width):
    live = Paper()
    live.set_pen_width(width)
    for points in strokes:  # a painter per segment, as mouse events come
        live.begin_stroke(points[0])
        for point in points[1:]:
            live.extend_stroke(point)
        live.end_stroke()
    drawn = live.to_array()
    np.testing.assert_array_equal(render(strokes, width), drawn)
    if live.undo():
        live.redo()  # the whole raster rendered again from the strokes
    np.testing.assert_array_equal(live.ink, drawn)
    again = Paper()
    again.set_strokes(live.current.strokes)
    np.testing.assert_array_equal(again.ink, drawn)


def _drag(canvas, points):
    buttons = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas, *buttons, QPoint(*points[0]))
    for x, y in points[1:]:
        QTest.mouseMove(canvas, QPoint(x, y))
    QTest.mouseRelease(canvas, *buttons, QPoint(*points[-1]))


@pytest.mark.parametrize("side", [168, 333, 456, 701])
def test_the_canvas_gives_the_offline_renderers_pixels_at_any_widget_size(qtbot, side):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(side, side)
    canvas.show()
    qtbot.waitExposed(canvas)
    rng = np.random.default_rng(side)
    for _ in range(3):
        walk = np.cumsum(rng.normal(0, side / 40, (40, 2)), axis=0) + side / 2
        _drag(canvas, [(int(x), int(y)) for x, y in walk])
    canvas.set_pen_width(9)
    _drag(canvas, [(side // 3, side // 3)])  # a dot with another pen
    strokes = canvas.paper.current.strokes
    assert len(strokes) == 4
    offline = Paper()
    offline.set_strokes(strokes)
    np.testing.assert_array_equal(offline.ink, canvas.to_array())
    by_pen = {}
    for stroke in strokes:
        by_pen.setdefault(stroke.width, []).append(stroke.points)
    if len(by_pen) == 2:  # render() draws with one pen: one pen's strokes alone
        only_first = Paper()
        only_first.set_strokes(strokes[:3])
        np.testing.assert_array_equal(
            render(by_pen[strokes[0].width], strokes[0].width), only_first.ink
        )


def test_where_the_paper_is_shown_pixel_for_pixel_mouse_and_script_agree(qtbot):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(PAPER_SIZE + 8, PAPER_SIZE + 8)  # a 4 px frame round the paper
    canvas.show()
    qtbot.waitExposed(canvas)
    mouse = [(80, 90), (140, 120), (200, 200), (260, 300), (320, 310)]
    _drag(canvas, mouse)
    paper_points = [(x - 4.0, y - 4.0) for x, y in mouse]
    np.testing.assert_array_equal(
        render([paper_points], canvas.pen_width()), canvas.to_array()
    )


@pytest.mark.parametrize("width", [6.0, 24.0, 48.0])
def test_a_thumbnail_is_the_rendered_paper_scaled_down(qtbot, width):
    from lenet_gui.drawing.examples import load_examples
    from lenet_gui.drawing.paper import ink_picture, thumbnail

    side = 56
    for example in load_examples()[:6]:
        strokes = [s.points for s in example.strokes]
        scaled = ink_picture(render(strokes, width)).scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        small = thumbnail(strokes, width, side)
        assert (small.width(), small.height()) == (side, side)
        a, b = (_grey(image) for image in (scaled, small))
        assert (b < 128).any(), "the thumbnail shows ink"
        # Dark ink where the paper scaled down has it, light paper elsewhere.
        assert np.abs(a - b).mean() < 3.0
        assert ((a < 128) == (b < 128)).mean() > 0.97


def _grey(image):
    image = image.convertToFormat(image.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = pixels.reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width()].astype(float)
