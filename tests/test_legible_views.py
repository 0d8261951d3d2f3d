"""The reading area says each state in plain words; views stay whole when small."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontInfo, QFontMetricsF
from PySide6.QtWidgets import QLabel, QToolButton
from test_reading_window import strokes_of

from lenet_gui.gui.panel_tabs import PanelTabs
from lenet_gui.gui.replay import replay, widget_transform
from lenet_gui.gui.text_size import TEXT_SCALES
from lenet_gui.gui.widgets import InvarianceView, PredictionLabel, UnitSumView
from lenet_gui.gui.widgets.correction_bar import CorrectionBar
from lenet_gui.gui.widgets.window_painter import FILL
from lenet_gui.gui.widgets.window_sum_text import grid_text
from lenet_gui.training.numbers import non_digit_strokes


def _bar(window) -> CorrectionBar:
    return window.reading_column.correction


def _draw(window, strokes) -> None:
    replay(window.canvas, strokes, widget_transform(window.canvas))
    window.session.last_result  # noqa: B018 - reads what was drawn


def test_a_digit_is_corrected_to_any_other_digit(example_window):
    result = example_window.session.last_result
    bar = _bar(example_window)
    assert bar.question() == f"Not a {result.digit}? It's a"
    assert bar.offered() == [d for d in range(10) if d != result.digit]


def test_a_non_digit_asks_whether_it_is_a_digit(window):
    rng = np.random.default_rng(7)
    strokes = [s * 300 + 74 for s in non_digit_strokes("hash", rng)]
    _draw(window, strokes)
    assert window.reading()["not_digit"]
    bar = _bar(window)
    # Not "Not a 4?": the network did not say it is a 4.
    assert bar.question() == "A digit? It's a"
    assert bar.offered() == list(range(10))
    label = window.findChild(PredictionLabel)
    assert "Not a digit?" in label.accessibleName()


def test_a_number_is_corrected_one_digit_at_a_time(window, classifier):
    window.canvas.set_pen_width(16.0)
    _draw(window, strokes_of(classifier, "507", "train_w01"))
    assert window.reading()["text"] == "507"
    bar = _bar(window)
    assert bar.question() == "A number: draw one digit alone to correct it"
    assert bar.offered() == []
    corrected: list[int] = []
    bar.corrected.connect(corrected.append)
    bar._on_shortcut(3)  # noqa: SLF001 - Ctrl+Alt+3 keeps nothing
    assert corrected == []
    window.canvas.clear()
    window.session.last_result  # noqa: B018
    assert bar.question() == CorrectionBar.EMPTY_HINT and bar.offered() == []


def test_an_unsure_reading_offers_both_digits():
    bar = CorrectionBar()
    bar.set_reading(7, runner_up=1)
    assert bar.question() == "7 or 1? It's a"
    assert bar.offered() == list(range(10))  # the 7 too: it may be one


def test_the_unsure_question_follows_the_model(window, classifier):
    """The question names the runner-up only when the label says "or" too."""
    window.files.open_example(20)  # a 1 with a long flag
    result = window.session.last_result
    ranked = np.argsort(result.probabilities)
    runner_up = int(ranked[-2])
    hesitant = result.probabilities[runner_up] >= PredictionLabel.AMBIGUOUS
    question = _bar(window).question()
    expected = (
        f"{result.digit} or {runner_up}? It's a"
        if hesitant
        else f"Not a {result.digit}? It's a"
    )
    assert question == expected


@pytest.mark.parametrize("state", ["not_digit", "number"])
def test_at_the_minimum_size_the_reading_leaves_the_input_whole(
    window, classifier, qtbot, state
):
    window.resize(window.minimumSize())
    if state == "number":
        window.canvas.set_pen_width(16.0)
        _draw(window, strokes_of(classifier, "507", "train_w01"))
    else:
        rng = np.random.default_rng(7)
        _draw(window, [s * 300 + 74 for s in non_digit_strokes("star", rng)])
    column = window.reading_column
    qtbot.wait(20)
    # Neither the reading nor the input's title is cut.
    assert column.prediction.width() >= column.prediction.minimumSizeHint().width()
    title_width = column.input_view.fontMetrics().horizontalAdvance(
        "Network input 32×32"
    )
    assert column.input_view.width() >= title_width


def _scene_rect(item) -> QRectF:
    return item.mapRectToScene(item.boundingRect())


def test_at_the_minimum_size_both_colour_bars_of_the_network_are_in_view(
    example_window, qtbot
):
    window = example_window
    window.show_panel("network")
    view = window.panel("network").view
    late = view.late_layers
    graphics = late.graphics
    bars = [late.graphics.ci.layout.itemAt(0, k) for k in (1, 2)]
    titles = {name: late.layer(name).label.text for name in ("C5", "F6", "output")}
    assert "units" in titles["C5"] and "probability" in titles["output"]
    window.resize(window.minimumSize())

    def bars_inside() -> bool:
        inside = QRectF(0, 0, graphics.width(), graphics.height())
        return all(inside.contains(_scene_rect(bar)) for bar in bars)

    qtbot.waitUntil(bars_inside, timeout=2000)
    assert all(bar.isVisible() for bar in bars)
    # Where room was short, the layers' titles were shortened, not the bars'.
    assert late.layer("output").label.text in ("output", titles["output"])
    assert late.layer("C5").label.text in ("C5 · 120", titles["C5"])
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: "units" in late.layer("C5").label.text, timeout=2000)
    qtbot.waitUntil(bars_inside, timeout=2000)


def test_the_hint_under_the_views_is_whole_at_the_minimum_size(window, qtbot):
    window.resize(window.minimumSize())
    sums = window.findChild(UnitSumView)
    qtbot.wait(20)
    heading = sums._heading  # noqa: SLF001 - the label drawn in the view
    assert sums.heading() == UnitSumView.HINT
    assert _scene_rect(heading).right() <= sums.graphics.width()
    assert heading.item.boundingRect().width() <= sums.graphics.width()


@pytest.fixture
def large_text(window, qtbot):
    """The window at 1366x768 with the largest text; actual size afterwards."""
    window.resize(1366, 768)
    window.text_size.set_scale(TEXT_SCALES[-1])
    qtbot.wait(50)
    yield window
    window.text_size.actual_size()


def test_at_the_largest_text_the_reading_column_is_whole(large_text, qtbot):
    window = large_text
    window.files.open_example(17)
    window.session.last_result  # noqa: B018
    column = window.reading_column
    graphics = column.input_view.graphics
    qtbot.waitUntil(lambda: graphics.width() >= graphics.ci.minimumWidth())
    assert column.prediction.width() >= column.prediction.minimumSizeHint().width()
    bar = column.correction
    question = bar.findChild(QLabel)
    qtbot.waitUntil(lambda: question.width() >= question.sizeHint().width())
    assert all(b.isVisible() for b in bar.findChildren(QToolButton))


def test_at_the_largest_text_the_weights_titles_are_whole(large_text, qtbot):
    window = large_text
    window.show_panel("kernels")
    view = window.panel("kernels").view
    room = window.width() - window.reading_column.width()
    qtbot.waitUntil(lambda: 0 < view.width() < room)
    qtbot.wait(50)  # the pictures inside take their share
    for name in ("C1", "C3", "S2", "S4"):
        grid = view.grid(name)
        for layer in grid.names():
            label = grid.layer(layer).label

            def whole(grid=grid, label=label) -> bool:
                right = _scene_rect(label).left() + label.item.boundingRect().width()
                return right <= grid.graphics.width() + 1

            assert whole(), (name, layer)


def test_an_eight_is_said_with_its_article():
    bar = CorrectionBar()
    bar.set_reading(8)
    assert bar.question() == "Not an 8? It's a"
    bar.set_reading(3)
    assert bar.question() == "Not a 3? It's a"


def test_the_s4_strip_numbers_fewer_maps_when_narrow(window, qtbot):
    window.show_panel("kernels")
    view = window.panel("kernels").view
    _, _, s4 = view.map_numbers()

    def gaps() -> list[float]:
        shown = [item for item in s4.items if item.isVisible()]
        rects = [item.sceneBoundingRect() for item in shown]
        return [b.left() - a.right() for a, b in zip(rects, rects[1:], strict=False)]

    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: not s4.items[1].isVisible(), timeout=2000)
    assert min(gaps()) >= 0  # no two numbers overlap
    assert s4.items[0].isVisible() and len(gaps()) >= 3  # still numbered
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: all(item.isVisible() for item in s4.items), timeout=2000)
    assert min(gaps()) >= 0


def test_at_the_minimum_size_no_tab_is_cut_whichever_is_shown(window, qtbot):
    tabs = window.findChild(PanelTabs)
    bar = tabs.tabBar()
    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: bool(tabs.hidden_tabs()))
    for name in window.panels():
        window.show_panel(name)
        qtbot.wait(5)
        shown = [i for i in range(bar.count()) if bar.isTabVisible(i)]
        assert tabs.currentIndex() in shown
        for index in shown:  # whole, from the bar's left edge to its right
            rect = bar.tabRect(index)
            assert rect.left() >= 0 and rect.right() < bar.width(), (name, index)


def test_an_empty_canvas_offers_a_hint_not_a_greyed_question(window, qtbot):
    window.canvas.clear()
    assert window.session.last_result is None
    bar = _bar(window)
    assert bar.question() == CorrectionBar.EMPTY_HINT
    assert "Wrong" not in bar.question() and "It's a" not in bar.question()
    assert not any(b.isVisible() for b in bar.findChildren(QToolButton))
    assert bar.offered() == []
    # As soon as a digit is read, the question and the buttons are back.
    window.files.open_example(17)
    digit = window.session.last_result.digit
    assert bar.question() == f"Not {'an' if digit == 8 else 'a'} {digit}? It's a"
    qtbot.waitUntil(lambda: all(b.isVisible() for b in bar.findChildren(QToolButton)))


def _axis_gap(axis) -> float:
    """Return the room between the bottom axis's numbers and its title, in pixels."""
    numbers_bottom = 2 + QFontMetricsF(axis.font()).height()  # pyqtgraph's offset
    title = axis.label
    margin = title.document().documentMargin()
    return title.pos().y() + margin - numbers_bottom


def test_at_the_largest_text_no_invariance_number_touches_its_title(large_text, qtbot):
    window = large_text
    window.files.open_example(17)
    view = window.show_panel("invariance").findChild(InvarianceView)
    panel = window.panel("invariance")
    qtbot.waitUntil(lambda: panel.settled, timeout=20000)
    qtbot.wait(20)
    for name in ("shift_x", "scale", "rotate"):
        plot = view.plot(name).plot
        bottom, left = plot.getAxis("bottom"), plot.getAxis("left")
        assert _axis_gap(bottom) >= 1, name
        # "100 %" fits the left axis beside its tick, so no number is dropped.
        widest = QFontMetricsF(left.font()).horizontalAdvance("100 %")
        assert left.width() >= widest + 5, name
    large_height = view.plot("rotate").plot.getAxis("bottom").height()
    # Back at actual size, the axes give the room back.
    window.text_size.actual_size()
    qtbot.wait(20)
    axis = view.plot("rotate").plot.getAxis("bottom")
    assert _axis_gap(axis) >= 1
    assert axis.height() < large_height


def test_at_the_minimum_size_the_c1_maps_title_keeps_its_range(window, qtbot):
    window.show_panel("kernels")
    view = window.panel("kernels").view
    grid = view.grid("C1")
    label = grid.layer("C1 maps").label
    amplitude = f"\N{PLUS-MINUS SIGN}{window.session.spec.amplitude:.2f}"

    def whole() -> bool:
        right = _scene_rect(label).left() + label.item.boundingRect().width()
        return right <= grid.graphics.width() + 1

    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: "<br>" in label.text, timeout=2000)
    assert amplitude in label.text and whole()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: "<br>" not in label.text, timeout=2000)
    assert label.text == f"C1 maps ({amplitude})" and whole()


def _grid_numbers(window, qtbot):
    """The step-through's grid font, decimals and cell, freshly painted."""
    canvas = window.panel("convolution").view.canvas
    qtbot.waitUntil(lambda: canvas.step is not None)
    canvas.grab()  # paints it, shown or not
    return canvas, canvas.grid_numbers()


def _every_number_fits(canvas, numbers, fill=FILL) -> bool:
    font, decimals, (cell_w, _) = numbers
    metrics = QFontMetricsF(font)
    step = canvas.step
    grids = (step.inputs, step.weights, step.products)
    return all(
        metrics.horizontalAdvance(grid_text(v, decimals, plus=False)) <= cell_w * fill
        for grid in grids
        for v in np.asarray(grid[canvas.focus]).ravel()
    )


def test_the_step_through_grids_grow_with_the_text(window, qtbot):
    window.resize(1366, 768)
    window.files.open_example(17)
    window.show_panel("convolution")
    canvas, (font, decimals, _) = _grid_numbers(window, qtbot)
    actual = font.pixelSize()
    text = QFontInfo(window.font()).pixelSize()
    assert actual >= text and decimals == 2  # as large as the window's text
    window.text_size.set_scale(TEXT_SCALES[-1])
    try:
        qtbot.wait(50)
        canvas, numbers = _grid_numbers(window, qtbot)
        larger = numbers[0].pixelSize()
        assert larger > actual and numbers[1] == 2
        assert _every_number_fits(canvas, numbers)
        # As large as the text, or as the cells' width allows: one pixel more
        # and a number would not fit.
        text = QFontInfo(window.font()).pixelSize()
        if larger < text:
            bigger = QFont(numbers[0])
            bigger.setPixelSize(larger + 1)
            assert not _every_number_fits(canvas, (bigger, *numbers[1:]))
        # The sum's lines and the grids share the canvas without overlapping.
        assert canvas.height() >= canvas.minimumHeight()
    finally:
        window.text_size.actual_size()


def test_the_step_through_stays_whole_and_legible_at_the_minimum_size(window, qtbot):
    window.files.open_example(17)
    window.show_panel("convolution")
    view = window.panel("convolution").view
    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: not view.shows_intro(), timeout=2000)
    canvas, numbers = _grid_numbers(window, qtbot)
    # Small, but whole: no number runs over its cell's edges.
    assert numbers[0].pixelSize() >= 9 and _every_number_fits(canvas, numbers, 1.0)
    # The canvas keeps its least size, whole; the keys' line, where there is
    # room for it, sits under it, not on it.
    assert canvas.height() >= canvas.minimumHeight()
    assert canvas.geometry().bottom() < view.height()
    if view.shows_keys():
        keys = view._keys  # noqa: SLF001 - the line under the canvas
        assert canvas.geometry().bottom() < keys.geometry().top()
        assert keys.geometry().bottom() < view.height()
    window.resize(1366, 768)
    qtbot.waitUntil(view.shows_intro, timeout=2000)


def test_at_the_minimum_size_the_accuracy_chart_keeps_its_title(window, qtbot):
    from lenet_gui.gui.widgets.checkpoint_view import CheckpointView

    window.resize(window.minimumSize())
    page = window.show_panel("checkpoints")
    view = page.findChild(CheckpointView)
    chart = view._plot_widget  # noqa: SLF001 - the accuracy chart
    axis = chart.getPlotItem().getAxis("left")
    qtbot.waitUntil(lambda: 0 < axis.height() < chart.height(), timeout=3000)
    qtbot.wait(50)  # the page laid out in the small window
    # The title runs up the axis: whole if the axis is as tall as the title is long.
    title = axis.label
    length = title.boundingRect().width() - 2 * title.document().documentMargin()
    assert length <= axis.height()
    assert view.feature_maps.height() > 0  # the maps keep a share


def _drawn_ticks(axis) -> list[str]:
    """The tick numbers pyqtgraph draws on an axis (it hides those it finds overlap)."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(4, 4, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else [text for _, _, text in specs[2]]


@pytest.mark.parametrize("size", [(1366, 768), None])
def test_every_invariance_axis_shows_its_range_ends(window, qtbot, size):
    window.resize(*size) if size else window.resize(window.minimumSize())
    view = window.show_panel("invariance").findChild(InvarianceView)
    qtbot.wait(50)
    for name, transform in view._transforms.items():  # noqa: SLF001
        axis = view.plot(name).plot.getAxis("bottom")
        qtbot.waitUntil(lambda axis=axis: axis.width() > 0)
        ends = {f"{transform.low:g}", f"{transform.neutral:g}", f"{transform.high:g}"}
        assert set(_drawn_ticks(axis)) == ends, name


def test_the_correction_bar_keeps_its_height_with_nothing_drawn(window, qtbot):
    bar = _bar(window)
    window.files.open_example(17)
    window.session.last_result  # noqa: B018
    qtbot.wait(20)
    with_buttons = bar.height()
    window.canvas.clear()
    window.session.last_result  # noqa: B018
    qtbot.wait(20)
    assert bar.question() == CorrectionBar.EMPTY_HINT
    assert bar.height() == with_buttons  # the column below does not jump


@pytest.mark.parametrize("size", [(1366, 768), None])
def test_the_c3_column_numbers_stay_clear_of_the_title(window, qtbot, size):
    window.resize(*size) if size else window.resize(window.minimumSize())
    window.show_panel("kernels")
    view = window.panel("kernels").view
    grid = view.grid("C3")
    title = grid.layer("C3 kernels").label
    c3_numbers = view.map_numbers()[0]
    columns = c3_numbers.items[-6:]  # one per S2 map, above the grid
    assert [item.textItem.toPlainText() for item in columns] == list("012345")
    qtbot.wait(50)

    def glyph_top(item) -> float:
        margin = item.textItem.document().documentMargin()
        return item.mapRectToScene(item.boundingRect()).top() + margin

    title_bottom = _scene_rect(title).bottom() - title.item.document().documentMargin()
    assert all(glyph_top(item) >= title_bottom for item in columns)


def test_the_narrow_tabs_follow_a_change_of_theme(window):
    """Tabs squeezed at the minimum size take the new theme's colours at once.

    Their tighter padding comes from a style sheet, which kept the palette of
    the theme it was set under: after dark then light, the tabs stayed dark
    and the shown tab's title vanished.
    """
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from lenet_gui.gui.theme import apply_theme

    tabs = window.findChild(PanelTabs)
    bar = tabs.tabBar()

    def tab_colour() -> tuple[int, int, int]:
        QApplication.processEvents()
        image = bar.grab().toImage()
        rect = bar.tabRect(bar.count() - 1 if tabs.currentIndex() == 0 else 0)
        colour = image.pixelColor(rect.center().x(), rect.top() + 3)
        return colour.red(), colour.green(), colour.blue()

    try:
        apply_theme("dark")
        window.resize(window.minimumSize())
        QApplication.processEvents()
        assert tabs.findChild(QToolButton, "more-views").isVisible(), "squeezed"
        apply_theme("light")
        ground = QApplication.palette().color(QPalette.ColorRole.Window).lightness()
        tab = sum(tab_colour()) / 3
        assert abs(tab - ground) < 60, (tab, ground)
    finally:
        apply_theme("system")
