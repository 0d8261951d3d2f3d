"""Stepping through a unit's sum: the numbers are the forward pass's own."""

from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from lenet_gui.explain.convolution import output_side, steppable_layers, window_step
from lenet_gui.files.idx import load_mnist
from lenet_gui.gui.panels.panel import STEP_THROUGH, offer_switch
from lenet_gui.gui.widgets.window_sum_text import grid_text
from lenet_gui.imaging.preprocess import from_mnist
from lenet_gui.spec.lenet5 import C3_TABLE, LENET5

pytestmark = pytest.mark.usefixtures("one_torch_thread")

MNIST = Path(__file__).parent / "data" / "mnist"

# Several units of every layer with a window: corners, middles, the C3 maps
# with 3, 4 and 6 inputs, the first and last C5 units.
UNITS = [
    ("C1", 0, 0, 0),
    ("C1", 3, 13, 9),
    ("C1", 5, 27, 27),
    ("S2", 0, 0, 0),
    ("S2", 2, 7, 4),
    ("S2", 5, 13, 13),
    ("C3", 0, 2, 5),
    ("C3", 9, 5, 5),
    ("C3", 13, 0, 9),
    ("C3", 15, 9, 0),
    ("S4", 0, 0, 0),
    ("S4", 7, 2, 3),
    ("S4", 15, 4, 4),
    ("C5", 0, 0, 0),
    ("C5", 57, 0, 0),
    ("C5", 119, 0, 0),
]


@pytest.fixture(scope="module")
def prediction(classifier):
    images, _ = load_mnist(MNIST, "test")
    return classifier.classify_input(from_mnist(images[1:2])[0])


def before_squashing(classifier, prediction, layer):
    """The layer's sums straight from its torch module, on the forward pass's input."""
    below = LENET5.below(layer)
    if below == "input":
        x = prediction.network_input[None]
    else:
        x = prediction.activations[below]
    x = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))[None]
    if layer == "C5":
        x = x.reshape(1, 16, 5, 5)
    with torch.no_grad():
        return classifier.model.layer(layer)(x)[0].double().numpy()


def test_only_layers_with_a_window_are_stepped():
    assert steppable_layers(LENET5) == ("C1", "S2", "C3", "S4", "C5")
    assert [output_side(LENET5, n) for n in steppable_layers(LENET5)] == [
        28,
        14,
        10,
        5,
        1,
    ]


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: "-".join(map(str, u)))
def test_every_number_is_the_forward_pass_own(classifier, prediction, unit):
    layer, index, row, col = unit
    step = window_step(classifier, prediction, *unit)
    spec = LENET5.layer(layer)
    activations = prediction.activations[layer]
    own = activations[index, row, col] if spec.has_maps else activations[index]
    assert step.value == float(own)
    # The view's arithmetic lands on the forward pass's value and sum.
    sums = before_squashing(classifier, prediction, layer)
    expected_total = sums[index, row, col] if spec.has_maps else sums[index, 0, 0]
    assert step.total == pytest.approx(expected_total, abs=2e-5)
    assert step.squashed == pytest.approx(own, abs=2e-5)
    assert step.map_sums.sum() + step.bias == pytest.approx(step.total)
    np.testing.assert_array_equal(step.products, step.inputs * step.weights)
    # The windows are the maps read, at the unit's place.
    if layer == "C3":
        assert step.maps == C3_TABLE[index]
    top, left, k = row * spec.stride, col * spec.stride, spec.kernel
    assert (step.top, step.left, step.size) == (top, left, k)
    np.testing.assert_array_equal(
        step.inputs, step.sources[:, top : top + k, left : left + k]
    )
    below = LENET5.below(layer)
    source = (
        prediction.network_input[None]
        if below == "input"
        else (prediction.activations[below])
    )
    np.testing.assert_array_equal(step.sources, source[list(step.maps)])
    # The weights are the model's own, the coefficient in each place of a block.
    module = classifier.model.layer(layer)
    if spec.kind.value == "subsampling":
        assert step.coefficient == pytest.approx(
            float(module.coefficient[index].detach())
        )
        assert np.all(step.weights == step.weights.flat[0])
    else:
        weights = module.weight[index].detach().double().numpy()
        np.testing.assert_array_equal(step.weights, weights[list(step.maps)])
    assert step.bias == pytest.approx(float(module.bias[index].detach()))
    # The output map is the layer's, the unit framed where it lies.
    assert step.output[step.landing] == float(own)


def test_full_layers_have_no_window(classifier, prediction):
    with pytest.raises(ValueError, match="no window"):
        window_step(classifier, prediction, "F6", 0)


def test_a_switched_off_map_gives_zero_whatever_its_sum(classifier, prediction):
    off = classifier.classify_input(prediction.network_input, {"C3": {4}})
    step = window_step(classifier, off, "C3", 4, 3, 3)
    assert step.value == 0.0
    on = window_step(classifier, prediction, "C3", 4, 3, 3)
    assert step.squashed == pytest.approx(on.squashed)


# -- the view in the window --------------------------------------------------------


def choose_from_menu(qtbot, text, seen):
    """Pick the entry `text` from the next context menu, as a person would."""

    def pick():
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        actions = {a.text(): a for a in menu.actions()}
        seen.append(list(actions))
        if text in actions:
            menu.setActiveAction(actions[text])
            QTest.keyClick(menu, Qt.Key.Key_Return)
        else:
            menu.close()

    QTimer.singleShot(20, pick)


def test_a_unit_of_the_maps_opens_in_the_step_through_view(example_window, qtbot):
    window = example_window
    seen = []
    choose_from_menu(qtbot, STEP_THROUGH, seen)
    offer_switch(window.session, ("C3", 7, 2, 5), window.pos())
    panel = window._tabs.panel("convolution")
    assert seen[0][0] == STEP_THROUGH
    assert window._tabs.currentWidget().objectName() == "convolution"
    assert panel.unit == ("C3", 7, 2, 5)
    step = panel.view.canvas.step
    expected = window_step(
        window.session.network.classifier, window.session.last_result, "C3", 7, 2, 5
    )
    np.testing.assert_array_equal(step.inputs, expected.inputs)
    np.testing.assert_array_equal(step.weights, expected.weights)
    assert step.value == expected.value
    lines = panel.view.lines()
    assert lines[-1].endswith(f"C3 map 7 (2, 5) = {grid_text(expected.value)}")
    assert grid_text(expected.map_sums.sum()) in lines[0]
    # One term per S2 map of Table I, each the sum of that map's products.
    for m, part in zip(expected.maps, expected.map_sums, strict=True):
        assert f"{grid_text(abs(part), plus=False)} (map {m})" in lines[0]
    assert f"a = {grid_text(expected.total)}" in lines[1]


def test_the_output_layer_offers_no_step_through(example_window, qtbot):
    seen = []
    choose_from_menu(qtbot, "none", seen)
    offer_switch(example_window.session, ("F6", 3, 0, 0), example_window.pos())
    assert STEP_THROUGH not in seen[0]
    offer_switch(example_window.session, ("output", 3, 0, 0), example_window.pos())
    assert len(seen) == 1  # the output's units have no menu at all


def test_keys_step_the_window_and_wrap_round(example_window, qtbot):
    example_window.show_panel("convolution")
    panel = example_window._tabs.panel("convolution")
    panel.choose(("S4", 2, 0, 3))
    canvas = panel.view.canvas
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert panel.unit == ("S4", 2, 0, 4)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)  # end of the row: the next one
    assert panel.unit == ("S4", 2, 1, 0)
    qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert panel.unit == ("S4", 2, 0, 0)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)  # the very first place: the last
    assert panel.unit == ("S4", 2, 4, 4)
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert panel.unit == ("S4", 2, 0, 4)
    step = canvas.step
    assert (step.row, step.col, step.top, step.left) == (0, 4, 0, 8)
    assert step.value == example_window.session.result.activations["S4"][2, 0, 4]


def test_space_plays_and_pauses(example_window, qtbot):
    example_window.show_panel("convolution")
    panel = example_window._tabs.panel("convolution")
    panel.choose(("C1", 1, 0, 0))
    panel.view.speed.setValue(20)
    qtbot.keyClick(panel.view.canvas, Qt.Key.Key_Space)
    assert panel.playing
    assert "Pause" in panel.view.play_button.text()
    qtbot.waitUntil(lambda: panel.unit[3] >= 3, timeout=5000)
    qtbot.keyClick(panel.view.canvas, Qt.Key.Key_Space)
    assert not panel.playing
    stopped = panel.unit
    qtbot.wait(200)
    assert panel.unit == stopped
    assert panel.view.canvas.step.col == stopped[3]


def test_c5_steps_from_one_map_read_to_the_next(example_window, qtbot):
    example_window.show_panel("convolution")
    panel = example_window._tabs.panel("convolution")
    panel.choose(("C5", 40, 0, 0))
    assert panel.focus == 0
    panel.view.next_button.click()
    panel.view.next_button.click()
    assert panel.focus == 2 and panel.unit == ("C5", 40, 0, 0)
    panel.view.back_button.click()
    panel.view.back_button.click()
    panel.view.back_button.click()
    assert panel.focus == 15
    assert panel.view.canvas.focus == 15
    assert len(panel.view.canvas.step.maps) == 16


def test_clicking_a_map_read_shows_its_numbers_there(example_window, qtbot):
    example_window.show_panel("convolution")
    panel = example_window._tabs.panel("convolution")
    panel.choose(("C3", 6, 0, 0))
    canvas = panel.view.canvas
    canvas.grab()  # painted once, so the maps have their places
    target = canvas.source_rects[2]
    # The middle of S2 map 2 (of 0, 1, 2, 3): a 5x5 window centred there.
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=target.center().toPoint())
    assert panel.focus == 2
    layer, index, row, col = panel.unit
    assert (layer, index) == ("C3", 6)
    assert 4 <= row <= 6 and 4 <= col <= 6
    assert canvas.focus == 2 and canvas.step.maps == C3_TABLE[6]


def test_the_layer_and_map_controls_choose_the_unit(example_window):
    example_window.show_panel("convolution")
    panel = example_window._tabs.panel("convolution")
    view = panel.view
    view.layer_box.setCurrentIndex(view.layer_box.findData("S2"))
    view.layer_box.activated.emit(view.layer_box.currentIndex())
    view.map_box.setValue(4)
    assert panel.unit[:2] == ("S2", 4)
    assert view.map_box.maximum() == 5
    assert view.canvas.step.coefficient is not None
    assert "coefficient" in view.lines()[0]


def test_an_empty_canvas_says_what_to_do(window):
    window.show_panel("convolution")
    panel = window._tabs.panel("convolution")
    assert panel.view.canvas.step is None
    assert panel.view.lines() == [panel.view.canvas.EMPTY_TEXT]
    assert not panel.view.play_button.isEnabled()
    panel.view.play_button.click()
    assert not panel.playing


def test_a_switched_off_map_says_so(example_window):
    example_window.session.network.set_switched_off("C1", 2, True)
    example_window.show_panel("convolution")
    panel = example_window._tabs.panel("convolution")
    panel.choose(("C1", 2, 10, 10))
    assert panel.view.canvas.step.value == 0.0
    assert "switched off" in panel.view.lines()[-1]
