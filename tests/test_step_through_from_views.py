"""Step through a unit's sum from Weights and Looks for, as from Maps and Network."""

from __future__ import annotations

import numpy as np
import pytest
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
