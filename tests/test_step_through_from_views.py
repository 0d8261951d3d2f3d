"""Step through a unit's sum from Weights, Looks for and Why?, as from Maps."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from test_step_through import choose_from_menu

from lenet_gui.gui.panels.panel import STEP_THROUGH


def _strongest(window, layer, index):
    values = window.session.last_result.activations[layer][index]
    row, col = np.unravel_index(int(np.argmax(values)), values.shape)
    return (layer, index, int(row), int(col))


@pytest.mark.parametrize(
    ("clicked", "layer", "index"),
    [
        (("C1 kernels", 4, 2, 3), "C1", 4),
        (("C3 kernels", 7 * 6 + 2, 1, 1), "C3", 7),
        (("S4 weights", 16 + 5, 0, 0), "S4", 5),  # a bias: the map's too
    ],
)
def test_a_right_click_on_weights_steps_through_the_maps_strongest_unit(
    example_window, qtbot, clicked, layer, index
):
    window = example_window
    window.show_panel("kernels")
    view = window.panel("kernels").view
    grid = view.grid(layer)
    seen: list[list[str]] = []
    choose_from_menu(qtbot, STEP_THROUGH, seen)
    grid.unitContextRequested.emit(clicked, window.pos())
    assert seen and seen[0][0] == STEP_THROUGH
    assert window._tabs.currentWidget().objectName() == "convolution"
    # The unit of that map that your drawing excites most, by the forward pass.
    assert window.panel("convolution").unit == _strongest(window, layer, index)


def test_a_right_click_on_a_c1_map_steps_through_that_unit(example_window, qtbot):
    window = example_window
    window.show_panel("kernels")
    grid = window.panel("kernels").view.grid("C1")
    seen: list[list[str]] = []
    choose_from_menu(qtbot, STEP_THROUGH, seen)
    grid.unitContextRequested.emit(("C1 maps", 2, 9, 17), window.pos())
    assert window.panel("convolution").unit == ("C1", 2, 9, 17)


def test_looks_for_steps_through_the_drawings_strongest_unit(example_window, qtbot):
    window = example_window
    window.show_panel("looks-for")
    panel = window.panel("looks-for")
    panel.view.set_choice("C3", 11)
    panel.changed()
    qtbot.waitUntil(lambda: panel.settled and panel.view.own_sum() is not None)
    qtbot.waitUntil(lambda: panel.view.choice() == ("C3", 11))
    assert panel.view.step_button.isEnabled()
    panel.view.step_button.click()
    assert window._tabs.currentWidget().objectName() == "convolution"
    assert window.panel("convolution").unit == _strongest(window, "C3", 11)


def test_looks_for_offers_no_step_on_an_empty_canvas(window, qtbot):
    window.show_panel("looks-for")
    panel = window.panel("looks-for")
    qtbot.waitUntil(lambda: panel.settled)
    assert not panel.view.step_button.isEnabled()


def _why(window, qtbot):
    window.show_panel("attribution")
    panel = window.panel("attribution")
    qtbot.waitUntil(
        lambda: panel.settled and panel.view.shown_map() is not None, timeout=20000
    )
    return panel.view


def _c1_unit_centred_on(window, row, col):
    """The C1 unit whose 5x5 window is centred on the pixel, its map the strongest."""
    top, left = min(max(row - 2, 0), 27), min(max(col - 2, 0), 27)
    values = window.session.last_result.activations["C1"][:, top, left]
    return ("C1", int(np.argmax(values)), top, left)


def test_why_steps_through_c1_at_the_strongest_credit(example_window, qtbot):
    window = example_window
    view = _why(window, qtbot)
    assert view.step_button.isEnabled()
    credits = view.shown_map()
    row, col = np.unravel_index(int(np.argmax(np.abs(credits))), credits.shape)
    view.step_button.click()
    assert window._tabs.currentWidget().objectName() == "convolution"
    unit = window.panel("convolution").unit
    assert unit == _c1_unit_centred_on(window, int(row), int(col))
    # The window stepped through has the strongest pixel at its centre
    # (unless that pixel is too near the edge for a window to be centred on it).
    if 2 <= row <= 29 and 2 <= col <= 29:
        assert (unit[2] + 2, unit[3] + 2) == (row, col)


@pytest.mark.parametrize(("row", "col"), [(16, 12), (0, 31)])
def test_a_right_click_on_a_why_pixel_steps_through_c1_there(
    example_window, qtbot, row, col
):
    window = example_window
    view = _why(window, qtbot)
    seen: list[list[str]] = []
    choose_from_menu(qtbot, view.STEP_HERE, seen)
    view.offer_step_through((row, col), window.pos())
    assert seen == [[view.STEP_HERE]]
    assert window._tabs.currentWidget().objectName() == "convolution"
    # Near the edge the window stays on the input: (0, 31) is read by (0, 27).
    assert window.panel("convolution").unit == _c1_unit_centred_on(window, row, col)


def test_a_right_click_on_the_why_pictures_offers_the_pixel_under_it(
    example_window, qtbot
):
    window = example_window
    view = _why(window, qtbot)
    graphics = view.graphics
    box = view._alone_box  # noqa: SLF001 - the picture of credits alone
    scene = box.mapViewToScene(QPointF(9.5, 20.5))  # column 9, row 20
    where = graphics.mapFromScene(scene)
    seen: list[list[str]] = []
    choose_from_menu(qtbot, view.STEP_HERE, seen)
    QTest.mouseClick(graphics.viewport(), Qt.MouseButton.RightButton, pos=where)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [[view.STEP_HERE]]
    assert window.panel("convolution").unit == _c1_unit_centred_on(window, 20, 9)


def test_why_offers_no_step_on_an_empty_canvas(window, qtbot):
    window.show_panel("attribution")
    panel = window.panel("attribution")
    qtbot.waitUntil(lambda: panel.settled)
    assert not panel.view.step_button.isEnabled()
    assert panel.view.step_button.isHidden()  # nothing to step through: not offered
