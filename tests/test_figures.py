"""Export Figure and Copy Figure: real files that hold the drawing and the reading."""

from __future__ import annotations

import resource
import signal
import xml.etree.ElementTree as ET

import numpy as np
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_gui.gui.figures import FIGURE_FORMATS, figure_path
from lenet_gui.gui.widgets.figure import Figure, figure_image

SVG = "{http://www.w3.org/2000/svg}"


def _settle(qtbot):
    qtbot.wait(20)


def _darkness(image: QImage, rect, scale: float) -> np.ndarray:
    """Return 255 minus the grey level of `image` inside `rect` (logical pixels)."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = grey.width(), grey.height()
    pixels = np.frombuffer(grey.constBits(), np.uint8).reshape(
        height, grey.bytesPerLine()
    )[:, :width]
    top, left = round(rect.top() * scale), round(rect.left() * scale)
    bottom, right = round(rect.bottom() * scale), round(rect.right() * scale)
    return 255 - pixels[top + 4 : bottom - 4, left + 4 : right - 4].astype(int)


def test_png_is_twice_the_size_and_holds_the_drawing(example_window, tmp_path, qtbot):
    window = example_window
    _settle(qtbot)
    path = tmp_path / "figure.png"
    assert window.figures.export_figure(path)
    image = QImage(str(path))
    figure = window.figures.figure()
    assert (image.width(), image.height()) == (
        2 * figure.size().width(),
        2 * figure.size().height(),
    )
    ink = _darkness(image, figure.drawing_rect(), 2.0)
    canvas = window.canvas.to_array()
    # Dark ink where the canvas has ink, in the same share of the area.
    share = (ink > 128).mean()
    assert abs(share - (canvas > 128).mean()) < 0.03
    assert share > 0.02
    assert window.statusBar().currentMessage() == "Saved the figure as figure.png"


def test_the_reading_is_the_models_own(example_window, classifier, tmp_path, qtbot):
    window = example_window
    _settle(qtbot)
    expected = classifier.predict(window.canvas.to_array())
    digit, p = expected.digit, expected.probabilities
    runner_up = int(np.argsort(p)[-2])
    logit = float(expected.activations["output"][digit])
    reading = window.figures.figure().reading
    assert reading == [
        f"Read as {digit}: {p[digit]:.1%} (logit {logit:.2f})",
        f"Next: {runner_up} at {p[runner_up]:.1%}",
    ]
    path = tmp_path / "figure.svg"
    assert window.figures.export_figure(path)
    root = ET.parse(path).getroot()  # a well-formed SVG
    assert root.tag == f"{SVG}svg"
    texts = " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))
    assert f"Read as {digit}" in texts
    assert "LeNet-5" in root.findtext(f"{SVG}title")
    assert root.find(f".//{SVG}image") is not None  # the drawing


def test_pdf_is_a_real_pdf(example_window, tmp_path, qtbot):
    _settle(qtbot)
    path = tmp_path / "figure.pdf"
    assert example_window.figures.export_figure(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Image" in data or b"/XObject" in data


def test_controls_are_left_out_and_come_back(qapp, qtbot):
    view = QWidget()
    column = QVBoxLayout(view)
    label = QLabel("shown")
    button = QPushButton("a control")
    button.setStyleSheet("background: rgb(255, 0, 0); color: rgb(255, 0, 0);")
    button.setMinimumHeight(120)
    column.addWidget(label)
    column.addWidget(button)
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    drawing = QImage(28, 28, QImage.Format.Format_Grayscale8)
    drawing.fill(255)
    figure = Figure("test", drawing, ["Read as 1"], view=view)
    image = figure_image(figure).convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )
    blue, green, red = (pixels[..., k].astype(int) for k in range(3))
    assert not ((red > 200) & (green < 60) & (blue < 60)).any()
    assert button.isVisible()  # shown again after
    assert label.isVisible()


def test_copy_figure_puts_a_2x_picture_on_the_clipboard(example_window, qtbot):
    _settle(qtbot)
    example_window.figures.copy_figure()
    image = QGuiApplication.clipboard().image()
    size = example_window.figures.figure().size()
    assert (image.width(), image.height()) == (2 * size.width(), 2 * size.height())


def test_an_empty_canvas_exports_without_a_reading(window, tmp_path, qtbot):
    _settle(qtbot)
    figure = window.figures.figure()
    assert figure.reading == ["No digit drawn"]
    assert window.figures.export_figure(tmp_path / "empty.png")


def test_a_bad_place_costs_one_line_and_keeps_the_old_file(
    example_window, messages, tmp_path
):
    window = example_window
    assert not window.figures.export_figure(tmp_path / "missing" / "figure.png")
    assert not window.figures.export_figure(tmp_path / "figure.jpg")
    old = tmp_path / "figure.svg"
    old.write_text("old")
    # A full disk, played by a file-size limit: the first bytes land, the rest not.
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
    try:
        assert not window.figures.export_figure(old)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)
    assert old.read_text() == "old"
    assert len(messages.warnings) == 3
    assert "the existing figure.svg is unchanged" in messages.warnings[2][1]
    for title, text in messages.warnings:
        assert title == "Cannot export the figure"
        assert "\n" not in text and "Traceback" not in text
    assert "use .png, .svg or .pdf" in messages.warnings[1][1]


def test_the_menu_command_asks_for_a_name_and_a_format(
    example_window, monkeypatch, tmp_path
):
    chosen = str(tmp_path / "slide")
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *args, **kwargs: (chosen, FIGURE_FORMATS[".pdf"]),
    )
    export = example_window.action_set.figure_actions[0]
    assert export.text() == "Export &Figure…"
    export.trigger()
    assert (tmp_path / "slide.pdf").read_bytes().startswith(b"%PDF-")


def test_figure_path_adds_the_chosen_format(tmp_path):
    assert figure_path(tmp_path / "a.SVG") == (tmp_path / "a.SVG", False)
    assert figure_path(tmp_path / "a", FIGURE_FORMATS[".pdf"]) == (
        tmp_path / "a.pdf",
        False,
    )
    (tmp_path / "b.png").write_bytes(b"")
    assert figure_path(tmp_path / "b") == (tmp_path / "b.png", True)


def test_a_view_just_changed_is_drawn_as_it_will_be_shown(example_window, qtbot):
    window = example_window
    _settle(qtbot)
    maps = window.feature_maps
    maps.show_layer("S4")
    _settle(qtbot)
    maps.show_layer(None)  # then at once, before any repaint, the figure
    at_once = figure_image(window.figures.figure())
    _settle(qtbot)
    settled = figure_image(window.figures.figure())
    assert at_once == settled
