"""Nothing hidden: whatever changes the reading is said beside it, and Ctrl+R undoes it.

The real window, the bundled weights and the real checkpoints of their
training run; the sliders are moved as a person moves them.
"""

import shutil

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from lenet_gui.gui.state.experiments import describe_experiments, describe_transform
from lenet_gui.gui.widgets import CheckpointView, InvarianceView
from lenet_gui.network.weights import BUNDLED_WEIGHTS
from lenet_gui.spec.lenet5 import LENET5


def _bar(window) -> QWidget:
    found = window.findChildren(QWidget, "experiments")
    assert len(found) == 1  # one place says it, whatever the tab
    return found[0]


def _plain(window, classifier):
    """The bundled network's reading of the canvas as drawn."""
    return classifier.predict(window.canvas.to_array())


def _press_ctrl_r(window, qtbot) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)


def test_nothing_is_said_while_the_reading_is_plain(example_window):
    assert example_window.experiments() == []
    assert not _bar(example_window).isVisible()
    assert not example_window.action_set.reset.isEnabled()


def test_a_rotated_input_is_said_on_every_tab_and_ctrl_r_undoes_it(
    example_window, classifier, qtbot
):
    window = example_window
    plain = _plain(window, classifier)
    view = window.show_panel("invariance").findChild(InvarianceView)
    view.slider("rotate").setValue(view.slider("rotate").value() + 40)  # +40 degrees
    rotated = window.session.last_result
    assert not np.allclose(rotated.probabilities, plain.probabilities)
    for name in window.panels():
        window.show_panel(name)
        # The digit stays rotated while switching tabs, and that is said.
        assert window.experiments() == ["Input rotated 40° anticlockwise"]
        assert _bar(window).isVisible()
        assert "Input rotated 40°" in _bar(window).text()
        np.testing.assert_allclose(
            window.session.last_result.probabilities, rotated.probabilities
        )
    window.show_panel("maps")
    assert window.action_set.reset.isEnabled()
    _press_ctrl_r(window, qtbot)
    assert window.experiments() == []
    assert not _bar(window).isVisible()
    window.show_panel("invariance")  # its sliders are back at neutral
    assert view.params()["rotate"] == 0.0
    np.testing.assert_array_equal(
        window.session.last_result.probabilities, plain.probabilities
    )


def test_a_training_checkpoint_is_said_and_reset_by_ctrl_r(
    example_window, classifier, qtbot
):
    window = example_window
    plain = _plain(window, classifier)
    view = window.show_panel("checkpoints").findChild(CheckpointView)
    view.slider.setValue(2)  # early in training: the reading changes
    count = len(window.session.network.checkpoints)
    assert window.session.network.checkpoint == 2
    early = window.session.last_result.probabilities
    assert not np.allclose(early, plain.probabilities)
    window.show_panel("maps")
    said = window.experiments()
    assert len(said) == 1
    assert said[0].startswith(f"Network from training checkpoint 3 of {count} (")
    assert "right on MNIST test" in said[0]
    assert _bar(window).isVisible()
    # The menu item is offered in this state too.
    assert window.action_set.reset.isEnabled()
    _press_ctrl_r(window, qtbot)
    assert window.session.network.checkpoint is None
    assert window.experiments() == []
    assert not _bar(window).isVisible()
    window.show_panel("checkpoints")  # its slider is back at the end
    assert view.slider.value() == count - 1
    np.testing.assert_array_equal(
        window.session.last_result.probabilities, plain.probabilities
    )


def test_everything_at_once_is_listed_and_the_reset_button_undoes_it(
    example_window, classifier
):
    window = example_window
    plain = _plain(window, classifier)
    network = window.session.network
    network.set_transform({"noise": 0.14, "shift_x": -3.0})
    network.set_switched_off("S2", 1, True)
    network.set_switched_off("S2", 4, True)
    network.set_switched_off("C5", 7, True)
    network.use_checkpoint(len(network.checkpoints) - 2)
    said = window.experiments()
    assert said[0].startswith("Network from training checkpoint")
    assert said[1:] == [
        "2 of 6 S2 maps switched off: 1, 4",
        "C5 unit 7 switched off",
        "Input shifted 3 px left",
        "Noise added to the input (0.14 of full ink)",
    ]
    bar = _bar(window)
    assert bar.experiments() == said
    bar.findChild(QPushButton, "experimentsReset").click()
    assert window.experiments() == []
    assert not bar.isVisible()
    assert network.ablation == {}
    np.testing.assert_array_equal(
        window.session.last_result.probabilities, plain.probabilities
    )


def test_weights_from_another_file_are_said_and_reset_to_the_bundled(
    example_window, classifier, qtbot, tmp_path
):
    window = example_window
    plain = _plain(window, classifier)
    other = tmp_path / "my-lenet.pt"
    shutil.copyfile(BUNDLED_WEIGHTS, other)
    assert window.session.network.load_weights(other, background=False)
    assert window.experiments() == [
        "Weights from the file my-lenet.pt, not the bundled ones"
    ]
    assert _bar(window).isVisible()
    _press_ctrl_r(window, qtbot)
    assert window.session.network.classifier.source is None
    assert window.experiments() == []
    np.testing.assert_array_equal(
        window.session.last_result.probabilities, plain.probabilities
    )


def test_the_bundled_file_loaded_by_name_is_not_an_experiment(example_window):
    network = example_window.session.network
    assert network.load_weights(BUNDLED_WEIGHTS, background=False)
    assert example_window.experiments() == []


@pytest.mark.parametrize(
    ("transform", "words"),
    [
        ({"rotate": -12.0}, "Input rotated 12° clockwise"),
        ({"shift_y": 2.5}, "Input shifted 2.5 px down"),
        ({"shift_y": -1.0}, "Input shifted 1 px up"),
        ({"scale": 0.8}, "Input shrunk to 0.8× its size"),
        ({"scale": 1.25}, "Input enlarged to 1.25× its size"),
        ({"squeeze": 0.7}, "Input narrowed to 0.7× its width"),
        ({"thicken": 1.0}, "Strokes thickened by 1 px"),
        ({"thicken": -0.5}, "Strokes thinned by 0.5 px"),
        ({"noise": 0.1 + 0.2}, "Noise added to the input (0.3 of full ink)"),
    ],
)
def test_each_distortion_is_said_in_words(transform, words):
    assert describe_transform(transform) == [words]


def test_many_switched_off_units_are_counted_not_listed():
    said = describe_experiments(
        LENET5,
        transform={},
        ablation={"F6": frozenset(range(10)), "C1": frozenset()},
        checkpoint=None,
        checkpoints=[],
        weights_file=None,
    )
    assert said == ["10 of 84 F6 units switched off"]
