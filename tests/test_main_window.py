"""The main window driven as a person would: mouse, keys, files, drops."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lenet_gui.files.idx import load_mnist
from lenet_gui.gui import MainWindow
from lenet_gui.gui.actions import about_text
from lenet_gui.gui.widgets import UnitSumView

ROOT = Path(__file__).resolve().parents[1]
MNIST = Path(__file__).parent / "data" / "mnist"
LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text)
    )
    return shown


@pytest.fixture
def window(qtbot, warnings):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def draw(window, points):
    """Draw one stroke through ``points`` given in fractions of the canvas."""
    canvas = window.canvas
    shown = []
    window.session.predictionChanged.connect(shown.append)

    def at(p):
        return QPoint(round(p[0] * canvas.width()), round(p[1] * canvas.height()))

    QTest.mousePress(canvas, LEFT, NO_MOD, at(points[0]))
    for p in points[1:]:
        QTest.mouseMove(canvas, at(p))
    QTest.mouseRelease(canvas, LEFT, NO_MOD, at(points[-1]))


def line(a, b, steps=12):
    return [
        (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        for t in np.linspace(0, 1, steps)
    ]


SEVEN = line((0.3, 0.25), (0.7, 0.25)) + line((0.7, 0.25), (0.42, 0.8))[1:]
ONE = line((0.5, 0.2), (0.5, 0.8))


def save_digit(path, image, invert=False, fmt=None):
    """Save a uint8 MNIST digit (white on black) as an image file."""
    pixels = np.ascontiguousarray(255 - image if invert else image)
    pixels = np.kron(pixels, np.ones((4, 4), dtype=np.uint8))  # 112x112
    height, width = pixels.shape
    q = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8)
    assert q.copy().save(str(path), fmt)
    return path


def test_empty_canvas_shows_no_prediction(window):
    assert window.session.last_result is None
    assert window.feature_maps.image_of_layer("C1").size > 0
    assert np.isnan(window.feature_maps.image_of_layer("C1")).all()


def test_drawing_a_seven_with_the_mouse_reads_seven(window):
    assert window.findChild(QWidget, "canvas") is window.canvas
    draw(window, SEVEN)
    result = window.session.last_result
    assert result is not None and result.digit == 7
    assert result.probabilities.shape == (10,)
    assert result.probabilities.sum() == pytest.approx(1.0)
    assert result.confidence > 0.5


def test_drawing_a_one_reads_one(window):
    draw(window, ONE)
    assert window.session.last_result.digit == 1


def test_every_view_receives_the_right_shapes(window):
    draw(window, SEVEN)
    result = window.session.last_result
    assert result.network_input.shape == (32, 32)
    expected = {
        "C1": (6, 28, 28),
        "S2": (6, 14, 14),
        "C3": (16, 10, 10),
        "S4": (16, 5, 5),
        "C5": (120,),
        "F6": (84,),
        "output": (10,),
    }
    for name, shape in expected.items():
        assert result.activations[name].shape == shape, name
    panel = window.feature_maps
    for name in ("C1", "S2", "C3", "S4"):
        shown = panel.image_of_layer(name)
        maps = result.activations[name]
        # Every value of every map is on screen (the rest are NaN gaps).
        assert np.count_nonzero(~np.isnan(shown)) == maps.size, name
        assert np.nanmax(shown) == pytest.approx(maps.max()), name


def test_result_follows_the_stroke_while_drawing(window, qtbot):
    """A prediction appears before the stroke ends, and matches at the end."""
    canvas = window.canvas
    shown = []
    window.session.predictionChanged.connect(shown.append)

    def at(p):
        return QPoint(round(p[0] * canvas.width()), round(p[1] * canvas.height()))

    QTest.mousePress(canvas, LEFT, NO_MOD, at(SEVEN[0]))
    for p in SEVEN[1:12]:
        QTest.mouseMove(canvas, at(p))
    qtbot.waitUntil(lambda: any(shown))  # a prediction shown mid-stroke
    for p in SEVEN[12:]:
        QTest.mouseMove(canvas, at(p))
    # Without waiting: last_result must already describe the whole drawing.
    fresh = window.session.network.classifier.predict(canvas.to_array())
    assert window.session.last_result.digit == fresh.digit
    np.testing.assert_allclose(
        window.session.last_result.probabilities, fresh.probabilities
    )
    QTest.mouseRelease(canvas, LEFT, NO_MOD, at(SEVEN[-1]))


def test_throttle_shows_the_final_drawing_without_being_asked(window, qtbot):
    shown = []
    window.session.predictionChanged.connect(shown.append)
    draw(window, SEVEN)
    final = window.session.network.classifier.predict(window.canvas.to_array())
    # The frame timer fires on its own and catches up with the last event.
    qtbot.waitUntil(lambda: not window.session.pending, timeout=1000)
    np.testing.assert_allclose(shown[-1].probabilities, final.probabilities)


def test_the_frame_interval_reads_back_what_was_set(window):
    session = window.session
    session.set_frame_interval(5)
    assert session.frame_interval == 5
    session.set_frame_interval(0)  # never a busy timer
    assert session.frame_interval == 1


def test_clear_undo_redo_by_keyboard(window):
    draw(window, SEVEN)
    drawn = window.canvas.to_array()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.canvas.is_empty() and window.session.last_result is None
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(window.canvas.to_array(), drawn)
    assert window.session.last_result.digit == 7
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.is_empty() and window.session.last_result is None
    QTest.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert np.array_equal(window.canvas.to_array(), drawn)
    QTest.keyClick(window, Qt.Key.Key_Delete)
    assert window.canvas.is_empty()


def test_undo_and_redo_actions_follow_the_history(window):
    assert not window.action_set.undo.isEnabled()
    draw(window, ONE)
    assert window.action_set.undo.isEnabled() and not window.action_set.redo.isEnabled()
    window.action_set.undo.trigger()
    assert window.action_set.redo.isEnabled()


@pytest.mark.parametrize(
    "fmt,suffix", [("PNG", "png"), ("JPEG", "jpg"), ("BMP", "bmp")]
)
@pytest.mark.parametrize(
    "invert", [False, True], ids=["white-on-black", "black-on-white"]
)
def test_open_image_files_of_several_formats_and_polarities(
    window, tmp_path, fmt, suffix, invert
):
    images, labels = load_mnist(MNIST, "test")
    path = save_digit(tmp_path / f"digit.{suffix}", images[0], invert, fmt)
    assert window.files.open_image(path)
    assert window.session.last_result.digit == labels[0]
    assert not window.canvas.is_empty()
    # The image is on the canvas; a person can keep drawing and undo the load.
    window.canvas.undo()
    assert window.canvas.is_empty()


def test_drag_and_drop_a_file(window, tmp_path):
    images, labels = load_mnist(MNIST, "test")
    path = save_digit(tmp_path / "dropped.png", images[1])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    QApplication.sendEvent(window, drop)
    assert window.session.last_result.digit == labels[1]


def test_a_drag_without_files_is_refused(window):
    mime = QMimeData()
    mime.setText("7")
    enter = QDragEnterEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD
    )
    enter.setAccepted(False)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_a_bad_file_keeps_the_drawing(window, tmp_path, warnings):
    draw(window, SEVEN)
    before = window.canvas.to_array()
    probabilities = window.session.last_result.probabilities.copy()
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    assert not window.files.open_image(tmp_path / "broken.png")
    assert len(warnings) == 1 and "broken.png" in warnings[0]
    assert "\n" not in warnings[0]
    assert np.array_equal(window.canvas.to_array(), before)
    np.testing.assert_array_equal(
        window.session.last_result.probabilities, probabilities
    )


def test_save_drawing_and_export_feature_maps(window, tmp_path):
    draw(window, SEVEN)
    assert window.files.save_drawing(tmp_path / "drawing.png")
    saved = QImage(str(tmp_path / "drawing.png"))
    assert saved.width() == window.canvas.PAPER_SIZE
    # Saved as shown: dark ink on white paper, and it reads back as a 7.
    assert saved.pixelColor(0, 0).lightness() == 255
    assert window.files.open_image(tmp_path / "drawing.png")
    assert window.session.last_result.digit == 7
    assert window.files.export_picture(tmp_path / "maps.png")
    maps = QImage(str(tmp_path / "maps.png"))
    assert maps.width() > 300 and maps.height() > 200


def _load_weights(qtbot, window, path) -> bool:
    """Load weights as the window does (in the background) and wait for them."""
    with qtbot.waitSignal(
        window.session.network.weightsLoaded, timeout=30_000
    ) as loaded:
        window.session.network.load_weights(path)
    return loaded.args[0]


def test_load_weights_shows_their_accuracy_and_a_bad_file_keeps_the_old(
    qtbot, window, tmp_path, warnings
):
    from lenet_gui.network.model import LeNet5
    from lenet_gui.network.weights import save_weights

    draw(window, SEVEN)
    bundled = window.session.network.classifier
    (tmp_path / "junk.pt").write_text("junk")
    assert not _load_weights(qtbot, window, tmp_path / "junk.pt")
    assert window.session.network.classifier is bundled and "junk.pt" in warnings[0]
    save_weights(LeNet5(), tmp_path / "other.pt", {"test_accuracy": 0.5})
    assert _load_weights(qtbot, window, tmp_path / "other.pt")
    assert window.session.network.classifier is not bundled
    assert "50.00%" in window._weights_label.text()
    assert "other.pt" in window._weights_label.text()


def test_enlarging_a_layer_from_the_view_menu(window):
    window.action_set.layers["C3"].trigger()
    assert window.feature_maps.shown_layer() == "C3"
    assert window.action_set.layers["C3"].isChecked()
    window.feature_maps.show_layer(None)
    assert window.action_set.layers[None].isChecked()
    assert not window.action_set.layers["C3"].isChecked()


def hover_unit(window, name, k, i, j):
    """Move the mouse onto pixel (i, j) of map k of a layer in the real panel."""
    panel = window.feature_maps
    (view,) = panel.findChildren(pg.GraphicsView)
    shape = panel.image_of_layer(name).shape
    (image,) = [
        item
        for item in view.scene().items()
        if isinstance(item, pg.ImageItem) and item.image.shape == shape
    ]
    _, height, width = panel.layers()[name]
    _, cols = panel.GRIDS[name]
    row = (k // cols) * (height + panel.GAP) + i
    col = (k % cols) * (width + panel.GAP) + j
    scene = image.getViewBox().mapViewToScene(QPointF(col + 0.5, row + 0.5))
    QTest.mouseMove(view.viewport(), view.mapFromScene(scene))


def test_hovering_a_unit_shows_what_it_reads(window, qtbot):
    draw(window, line((0.3, 0.2), (0.7, 0.2)) + line((0.7, 0.2), (0.45, 0.85)))
    window.session.last_result  # noqa: B018 - flushes the pending refresh
    hover_unit(window, "C3", 7, 2, 5)
    qtbot.waitUntil(lambda: window.input_view.field() == (4, 10, 14))
    assert window.feature_maps.outlined_maps() == {"S2": [1, 2, 3, 4]}
    message = window.statusBar().currentMessage()
    assert message.startswith("C3 map 7 (2, 5): ")
    assert "sees input rows 4\N{EN DASH}17, columns 10\N{EN DASH}23" in message
    assert message.endswith("reads S2 maps 1, 2, 3, 4")
    # The sum worked through gives the value the status bar shows.
    sums = window.findChild(UnitSumView)
    value = message.split(": ")[1].split(" ")[0]
    assert sums.heading().startswith("C3 map 7 (2, 5) = f(")
    assert f") = {value}, b = " in sums.heading()
    assert sums.shown_columns() == 4
    # Drawing on under a still pointer works the sum out again.
    draw(window, line((0.2, 0.5), (0.8, 0.5)))
    value = window.session.last_result.activations["C3"][7, 2, 5]
    assert f") = {value:.3f}, b = " in sums.heading()

    hover_unit(window, "S4", 15, 4, 4)
    qtbot.waitUntil(lambda: window.input_view.field() == (16, 16, 16))
    assert window.feature_maps.outlined_maps() == {"C3": [15]}
    hover_unit(window, "C1", 0, 0, 0)
    qtbot.waitUntil(lambda: window.input_view.field() == (0, 0, 5))
    assert window.feature_maps.outlined_maps() == {}

    QApplication.sendEvent(
        window.feature_maps.findChild(pg.GraphicsView).viewport(),
        QEvent(QEvent.Type.Leave),
    )
    assert window.input_view.field() is None
    assert window.statusBar().currentMessage() == ""
    assert sums.heading() == UnitSumView.HINT


def test_pen_width_and_layer_are_remembered(qtbot, warnings):
    first = MainWindow()
    qtbot.addWidget(first)
    first.canvas.set_pen_width(40)
    first.feature_maps.show_layer("S4")
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.canvas.pen_width() == 40
    assert second.feature_maps.shown_layer() == "S4"
    assert second.action_set.pen_slider.value() == 40


def test_deferred_model_loading_predicts_once_ready(qtbot, warnings):
    window = MainWindow(defer_model=True)
    qtbot.addWidget(window)
    window.show()
    draw(window, ONE)  # drawing works before the model is there
    qtbot.waitUntil(
        lambda: window.session.network.classifier is not None, timeout=20000
    )
    assert window.session.last_result.digit == 1
    window.close()
    assert not window.session.network.loading


def test_about_box_lists_the_layer_table(window):
    text = about_text(window.session.network.classifier)
    assert "122,304" in text and "1,516" in text and "48,120" in text


def test_main_py_predict(tmp_path):
    images, labels = load_mnist(MNIST, "test")
    good = save_digit(tmp_path / "good.png", images[2])
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--predict", str(good), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 1
    assert lines[0]["file"] == str(good) and lines[0]["digit"] == labels[2]
    assert sum(lines[0]["probabilities"]) == pytest.approx(1.0, abs=1e-5)
    assert lines[1]["file"] == str(bad) and "error" in lines[1]
    assert "Traceback" not in run.stderr
    ok = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--predict", str(good)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert ok.returncode == 0
