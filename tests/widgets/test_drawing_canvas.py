"""DrawingCanvas: real mouse and tablet events put ink on a fixed paper raster."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from lenet_gui.gui.widgets import DrawingCanvas

PAPER = DrawingCanvas.PAPER_SIZE


@pytest.fixture
def canvas(qtbot):
    widget = DrawingCanvas()
    qtbot.addWidget(widget)
    widget.resize(400, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def to_widget(canvas, x, y):
    """Widget position of paper point (x, y): the paper is a centred square."""
    side = min(canvas.width(), canvas.height())
    scale = side / PAPER
    left = (canvas.width() - side) / 2
    top = (canvas.height() - side) / 2
    return QPoint(round(left + x * scale), round(top + y * scale))


def drag(qtbot, canvas, points):
    """Press at the first widget point, move through the rest, release at the last."""
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(canvas, point)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1])


def draw_paper_line(qtbot, canvas, start, end, steps=8):
    points = [
        to_widget(
            canvas,
            start[0] + (end[0] - start[0]) * t / steps,
            start[1] + (end[1] - start[1]) * t / steps,
        )
        for t in range(steps + 1)
    ]
    drag(qtbot, canvas, points)


def ink_centroid(array):
    rows, cols = np.nonzero(array > 127)
    return cols.mean(), rows.mean()


def test_starts_empty_with_documented_defaults(canvas):
    assert canvas.objectName() == "canvas"
    assert canvas.pen_width() == 24
    assert canvas.is_empty()
    assert not canvas.can_undo() and not canvas.can_redo()
    array = canvas.to_array()
    assert array.shape == (PAPER, PAPER) and array.dtype == np.uint8
    assert not array.any()


def test_drag_puts_ink_under_the_pointer(qtbot, canvas):
    changes = []
    canvas.drawingChanged.connect(lambda: changes.append(1))
    draw_paper_line(qtbot, canvas, (100, 224), (350, 224))

    array = canvas.to_array()
    assert array[224, 120:330].min() == 255, "the stroke's middle is solid ink"
    assert array[224, 225] == 255
    assert not array[:150].any() and not array[300:].any(), "no ink far from it"
    assert not array[:, :80].any() and not array[:, 370:].any()
    # Press, eight moves and the release each report a change.
    assert len(changes) >= 10
    assert canvas.can_undo() and not canvas.is_empty()


def test_ink_is_shown_dark_on_light_paper(qtbot, canvas):
    draw_paper_line(qtbot, canvas, (150, 224), (300, 224))
    shot = canvas.grab().toImage()
    ink = shot.pixelColor(to_widget(canvas, 224, 224))
    paper = shot.pixelColor(to_widget(canvas, 224, 100))
    assert ink.lightness() < 60
    assert paper.lightness() > 230


def test_click_paints_a_round_dot(qtbot, canvas):
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=to_widget(canvas, 200, 200))
    array = canvas.to_array()
    area = np.count_nonzero(array > 127)
    radius = canvas.pen_width() / 2
    assert area == pytest.approx(math.pi * radius**2, rel=0.15)
    cx, cy = ink_centroid(array)
    assert cx == pytest.approx(200, abs=4) and cy == pytest.approx(200, abs=4)
    assert canvas.can_undo()


@pytest.mark.parametrize("width", [4.0, 10.0, 40.0, 64.0])
def test_pen_width_sets_stroke_thickness(qtbot, canvas, width):
    canvas.set_pen_width(width)
    draw_paper_line(qtbot, canvas, (100, 224), (350, 224))
    column = canvas.to_array()[:, 224]
    assert np.count_nonzero(column > 127) == pytest.approx(width, abs=2.5)


def test_pen_width_is_clamped_and_reported(qtbot, canvas):
    widths = []
    canvas.penWidthChanged.connect(widths.append)
    canvas.set_pen_width(40)
    canvas.set_pen_width(40)
    canvas.set_pen_width(1000)
    canvas.set_pen_width(0)
    assert widths == [40.0, DrawingCanvas.MAX_PEN_WIDTH, DrawingCanvas.MIN_PEN_WIDTH]
    assert canvas.pen_width() == DrawingCanvas.MIN_PEN_WIDTH
    with pytest.raises(ValueError, match="finite"):
        canvas.set_pen_width(float("nan"))


def test_a_move_repaints_only_the_new_segment(qtbot, canvas):
    class PaintSpy(QObject):
        def __init__(self):
            super().__init__()
            self.rects = []

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                self.rects.append(QRect(event.rect()))
            return False

    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=to_widget(canvas, 200, 200))
    QApplication.processEvents()
    spy = PaintSpy()
    canvas.installEventFilter(spy)
    qtbot.mouseMove(canvas, to_widget(canvas, 210, 204))
    qtbot.waitUntil(lambda: bool(spy.rects))
    canvas.removeEventFilter(spy)
    area = sum(r.width() * r.height() for r in spy.rects)
    assert area < 0.05 * canvas.width() * canvas.height()
    qtbot.mouseRelease(
        canvas, Qt.MouseButton.LeftButton, pos=to_widget(canvas, 210, 204)
    )


def test_drawing_survives_resizing(qtbot, canvas):
    draw_paper_line(qtbot, canvas, (120, 120), (330, 330))
    before = canvas.to_array()
    for width, height in [(300, 180), (900, 500), (161, 600), (400, 400)]:
        canvas.resize(width, height)
        qtbot.waitUntil(lambda w=width, h=height: canvas.size().toTuple() == (w, h))
        assert np.array_equal(canvas.to_array(), before)
    canvas.resize(900, 500)
    qtbot.waitUntil(lambda: canvas.width() == 900)
    shot = canvas.grab().toImage()
    assert shot.pixelColor(to_widget(canvas, 224, 224)).lightness() < 60
    assert shot.pixelColor(to_widget(canvas, 330, 110)).lightness() > 230


def test_undo_and_redo_walk_the_history(qtbot, canvas):
    undo_flags, redo_flags = [], []
    canvas.undoAvailableChanged.connect(undo_flags.append)
    canvas.redoAvailableChanged.connect(redo_flags.append)
    draw_paper_line(qtbot, canvas, (100, 150), (350, 150))
    first = canvas.to_array()
    draw_paper_line(qtbot, canvas, (100, 300), (350, 300))
    both = canvas.to_array()
    assert not np.array_equal(first, both)

    canvas.undo()
    assert np.array_equal(canvas.to_array(), first)
    canvas.undo()
    assert canvas.is_empty() and not canvas.can_undo() and canvas.can_redo()
    canvas.undo()  # nothing left: a no-op
    assert canvas.is_empty()
    canvas.redo()
    assert np.array_equal(canvas.to_array(), first)
    canvas.redo()
    assert np.array_equal(canvas.to_array(), both), "re-rendered like drawn live"
    assert not canvas.can_redo()
    assert undo_flags == [True, False, True]
    assert redo_flags == [True, False]

    canvas.undo()
    draw_paper_line(qtbot, canvas, (224, 100), (224, 350))
    assert not canvas.can_redo(), "a new stroke drops the undone one"


def test_clear_is_undoable_and_a_no_op_when_empty(qtbot, canvas):
    changes = []
    canvas.drawingChanged.connect(lambda: changes.append(1))
    canvas.clear()
    assert not changes and not canvas.can_undo()

    draw_paper_line(qtbot, canvas, (100, 224), (350, 224))
    drawn = canvas.to_array()
    changes.clear()
    canvas.clear()
    assert canvas.is_empty() and changes == [1]
    canvas.clear()
    assert changes == [1], "clearing an empty canvas changes nothing"
    canvas.undo()
    assert np.array_equal(canvas.to_array(), drawn)
    canvas.redo()
    assert canvas.is_empty()


def test_set_image_fits_the_image_centred_with_a_margin(canvas):
    wide = np.zeros((20, 80), dtype=np.uint8)
    wide[:, :] = 255
    canvas.set_image(wide)
    rows, cols = np.nonzero(canvas.to_array() > 127)
    box = PAPER - 2 * DrawingCanvas.IMAGE_MARGIN
    assert cols.min() == pytest.approx(DrawingCanvas.IMAGE_MARGIN, abs=1)
    assert cols.max() == pytest.approx(PAPER - DrawingCanvas.IMAGE_MARGIN - 1, abs=1)
    height = rows.max() - rows.min() + 1
    assert height == pytest.approx(box / 4, abs=2), "aspect ratio kept"
    assert (rows.min() + rows.max()) / 2 == pytest.approx(PAPER / 2, abs=1.5)


def test_set_image_is_one_undoable_step_and_can_be_drawn_on(qtbot, canvas):
    draw_paper_line(qtbot, canvas, (100, 40), (350, 40))
    sketch = canvas.to_array()
    digit = np.zeros((28, 28), dtype=np.uint8)
    digit[4:24, 12:16] = 255
    changes = []
    canvas.drawingChanged.connect(lambda: changes.append(1))
    canvas.set_image(digit)
    assert changes == [1]
    loaded = canvas.to_array()
    assert loaded[224, 224] == 255 and loaded[40, 224] == 0, "old strokes gone"

    draw_paper_line(qtbot, canvas, (100, 400), (350, 400))
    on_top = canvas.to_array()
    assert on_top[224, 224] == 255 and on_top[400, 224] == 255
    canvas.undo()
    assert np.array_equal(canvas.to_array(), loaded)
    canvas.undo()
    assert np.array_equal(canvas.to_array(), sketch)
    canvas.redo()
    canvas.redo()
    assert np.array_equal(canvas.to_array(), on_top)


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((3, 3, 3), dtype=np.uint8),
        np.zeros((0, 5), dtype=np.uint8),
        np.zeros((5, 5), dtype=np.float32),
    ],
)
def test_set_image_rejects_what_is_not_a_2d_uint8_image(canvas, bad):
    with pytest.raises(ValueError, match="2-D uint8"):
        canvas.set_image(bad)
    assert not canvas.can_undo()


def test_strokes_may_start_and_end_off_the_paper(qtbot, canvas):
    canvas.resize(700, 400)  # letterboxed: free space left and right of the paper
    qtbot.waitUntil(lambda: canvas.width() == 700)
    left_of_paper = QPoint(20, 200)
    drag(qtbot, canvas, [left_of_paper, QPoint(350, 200), QPoint(690, 200)])
    array = canvas.to_array()
    assert array[224, 0] == 255 and array[224, PAPER - 1] == 255
    assert canvas.can_undo()


def test_strokes_wholly_off_the_paper_leave_no_trace(qtbot, canvas):
    canvas.resize(700, 400)
    qtbot.waitUntil(lambda: canvas.width() == 700)
    changes = []
    canvas.drawingChanged.connect(lambda: changes.append(1))
    drag(qtbot, canvas, [QPoint(10, 10), QPoint(40, 390), QPoint(-500, -300)])
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(690, 5))
    assert canvas.is_empty() and not canvas.can_undo() and not changes


def test_zero_length_strokes_and_stray_events_do_not_crash(qtbot, canvas):
    point = to_widget(canvas, 224, 224)
    qtbot.mouseMove(canvas, point)  # a move with no stroke
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=point)  # no press
    assert canvas.is_empty()
    drag(qtbot, canvas, [point, point, point])
    assert canvas.to_array()[224, 224] == 255
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=to_widget(canvas, 50, 50))
    assert canvas.to_array()[50, 50] == 0, "only the left button draws"


def test_undo_during_a_stroke_removes_that_stroke(qtbot, canvas):
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=to_widget(canvas, 100, 224))
    qtbot.mouseMove(canvas, to_widget(canvas, 300, 224))
    assert canvas.can_undo()
    canvas.undo()
    qtbot.mouseMove(canvas, to_widget(canvas, 300, 300))
    qtbot.mouseRelease(
        canvas, Qt.MouseButton.LeftButton, pos=to_widget(canvas, 300, 300)
    )
    assert canvas.is_empty() and canvas.can_redo()


def test_tablet_pen_draws_like_the_mouse(canvas):
    device = QPointingDevice(
        "test pen",
        1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        3,
    )

    def send(kind, paper_x, paper_y, buttons):
        pos = QPointF(to_widget(canvas, paper_x, paper_y))
        event = QTabletEvent(
            kind,
            device,
            pos,
            QPointF(canvas.mapToGlobal(pos)),
            0.8,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            buttons,
        )
        QApplication.sendEvent(canvas, event)
        return event.isAccepted()

    held = Qt.MouseButton.LeftButton
    assert send(QEvent.Type.TabletPress, 100, 224, held)
    for x in range(120, 360, 20):
        assert send(QEvent.Type.TabletMove, x, 224, held)
    assert send(QEvent.Type.TabletRelease, 350, 224, Qt.MouseButton.NoButton)
    array = canvas.to_array()
    assert array[224, 110:340].min() == 255
    assert canvas.can_undo()


def test_to_array_returns_an_independent_copy(qtbot, canvas):
    draw_paper_line(qtbot, canvas, (100, 224), (350, 224))
    array = canvas.to_array()
    array[:] = 0
    assert canvas.to_array()[224, 224] == 255


def test_size_hints_are_square_and_usable(canvas):
    hint, minimum = canvas.sizeHint(), canvas.minimumSizeHint()
    assert hint.width() == hint.height() >= 300
    assert minimum.width() == minimum.height() <= 200


widget_points = st.tuples(st.integers(-60, 460), st.integers(-60, 460))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(strokes=st.lists(st.lists(widget_points, min_size=1, max_size=6), max_size=5))
def test_any_strokes_undo_to_empty_and_redo_to_the_same_drawing(qtbot, canvas, strokes):
    # The canvas is shared by all examples: go back to its empty first state.
    while canvas.can_undo():
        canvas.undo()
    assert canvas.is_empty()
    for stroke in strokes:
        drag(qtbot, canvas, [QPoint(x, y) for x, y in stroke])
    drawn = canvas.to_array()
    steps = 0
    while canvas.can_undo():
        canvas.undo()
        steps += 1
    assert canvas.is_empty() and steps <= len(strokes)
    for _ in range(steps):
        canvas.redo()
    assert np.array_equal(canvas.to_array(), drawn)
