"""The explainer panels show the model's own numbers."""

import shutil

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QSlider

from lenet_gui.gui.widgets import (
    AttributionView,
    InvarianceView,
    KernelView,
    TopDigitsView,
)
from lenet_gui.network.checkpoints import (
    CheckpointPlan,
    save_checkpoint,
    start_checkpoint_folder,
    write_index,
)
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import BUNDLED_WEIGHTS, load_model


def wait_for(qtbot, condition, timeout=20000):
    """Wait in an event loop that lets worker threads run (QTest.qWait does not)."""
    qtbot.waitUntil(condition, timeout=timeout)


def test_kernels_panel_shows_the_state_dict(example_window):
    view = example_window.show_panel("kernels").findChild(KernelView)
    state = load_model()[0].state_dict()
    c1 = view.grid("C1").layer("C1 kernels")
    np.testing.assert_array_equal(
        c1.buffer, c1.packing.pack(state["c1.weight"][:, 0].numpy())
    )
    c3 = view.grid("C3").layer("C3 kernels")
    kernels = (state["c3.weight"]).numpy().astype(np.float64)
    from lenet_gui.spec.lenet5 import C3_TABLE

    mask = np.zeros((16, 6), bool)
    for out_map, maps in enumerate(C3_TABLE):
        mask[out_map, list(maps)] = True
    kernels[~mask] = np.nan  # Table I's absent connections show empty
    expected = c3.packing.pack(kernels.reshape(96, 5, 5))
    np.testing.assert_array_equal(np.isnan(c3.buffer), np.isnan(expected))
    np.testing.assert_allclose(c3.buffer, expected, equal_nan=True)
    kernel_cells = c3.buffer.ravel()[c3.packing.targets]
    # Table I connects 60 of the 16 x 6 pairs: 36 kernels are absent.
    assert np.isnan(kernel_cells).sum() == 36 * 25
    s2 = view.grid("S2").layer("S2 weights").buffer
    np.testing.assert_allclose(s2[0], state["s2.coefficient"].numpy())
    np.testing.assert_allclose(s2[1], state["s2.bias"].numpy())
    maps = view.grid("C1").layer("C1 maps")
    np.testing.assert_array_equal(
        maps.buffer,
        maps.packing.pack(example_window.session.last_result.activations["C1"]),
    )


def test_attribution_panel_credits_add_up_to_the_score(example_window, qtbot):
    view = example_window.show_panel("attribution").findChild(AttributionView)
    panel = example_window.panel("attribution")
    wait_for(qtbot, lambda: panel.settled and view.shown_map() is not None)
    result = example_window.session.last_result
    credits = view.shown_map()
    blank = example_window.session.network.classifier.classify_input(
        np.full((32, 32), -0.1, np.float32)
    )
    change = (
        result.activations["output"][result.digit]
        - blank.activations["output"][result.digit]
    )
    # Integrated gradients: the credits add up to the logit's rise from blank
    # paper, to the integration error (well under 2 % at 64 steps).
    assert credits.sum() == pytest.approx(change, rel=0.02)
    view.set_choice(result.digit, -1)  # why this digit and not the runner-up
    runner_up = int(np.argsort(result.probabilities)[-2])
    wait_for(
        qtbot, lambda: panel.settled and not np.allclose(view.shown_map(), credits)
    )
    logits = result.activations["output"]
    blank_logits = blank.activations["output"]
    contrast = (logits[result.digit] - logits[runner_up]) - (
        blank_logits[result.digit] - blank_logits[runner_up]
    )
    assert view.shown_map().sum() == pytest.approx(contrast, rel=0.05)


def test_switching_a_map_off_equals_recomputing_with_it_zeroed(example_window):
    image = example_window.canvas.to_array()
    before = example_window.session.last_result
    example_window.session.network.set_switched_off("C3", 4, True)
    after = example_window.session.last_result
    assert (after.activations["C3"][4] == 0).all()
    expected = example_window.session.network.classifier.predict(image, {"C3": [4]})
    np.testing.assert_allclose(after.probabilities, expected.probabilities)
    # By hand: the layers above C3 run on C3's maps with map 4 zeroed.
    model = example_window.session.network.classifier.model
    c3 = torch.from_numpy(before.activations["C3"].copy())[None]
    c3[0, 4] = 0
    with torch.no_grad():
        s4 = model.squash(model.s4(c3))
        c5 = model.squash(model.c5(s4)).flatten(1)
        f6 = model.squash(model.f6(c5))
        logits = model.output(f6)[0].numpy()
    np.testing.assert_allclose(after.activations["output"], logits, atol=1e-5)
    assert example_window.feature_maps.grid.layer("C3").switched_off() == [4]
    example_window.session.network.reset_experiments()
    np.testing.assert_allclose(
        example_window.session.last_result.probabilities, before.probabilities
    )


def test_invariance_curves_pass_through_the_reading_shown(example_window, qtbot):
    view = example_window.show_panel("invariance").findChild(InvarianceView)
    view.slider("rotate").setValue(view.slider("rotate").value() + 20)  # +20 degrees
    assert example_window.session.network.transform == {"rotate": 20.0}
    shown = example_window.session.last_result.probabilities
    panel = example_window.panel("invariance")
    wait_for(qtbot, lambda: panel.settled and view.curves("rotate") is not None)
    values, curves = view.curves("rotate")
    np.testing.assert_allclose(curves.sum(axis=1), 1.0, atol=1e-6)
    at = int(np.argmin(np.abs(values - 20.0)))
    assert values[at] == 20.0
    np.testing.assert_allclose(curves[at], shown, atol=1e-6)
    view.reset()
    assert example_window.session.network.transform == {}


def test_looks_for_values_are_the_networks_activations(example_window, qtbot):
    page = example_window.show_panel("looks-for")
    view = page.findChild(TopDigitsView)
    view.set_choice("C3", 7)
    view.mapChosen.emit("C3", 7)
    panel = example_window.panel("looks-for")
    wait_for(qtbot, lambda: panel.settled and view.choice() == ("C3", 7))
    from lenet_gui.explain.top_digits import top_activating

    digits = top_activating(example_window.session.network.classifier, "C3", 7)
    for digit in digits:
        from lenet_gui.imaging.preprocess import from_mnist

        result = example_window.session.network.classifier.classify_input(
            from_mnist(digit.image[None])[0]
        )
        assert result.activations["C3"][7][digit.unit] == pytest.approx(digit.value)
    assert [d.value for d in digits] == sorted((d.value for d in digits), reverse=True)


@pytest.fixture
def weights_with_checkpoints(tmp_path):
    weights = tmp_path / "lenet5.pt"
    shutil.copy(BUNDLED_WEIGHTS, weights)
    folder = start_checkpoint_folder(weights)
    torch.manual_seed(3)
    infos = [
        save_checkpoint(LeNet5(), folder, 0, CheckpointPlan(0, 0.0, "start"), 0.1),
        save_checkpoint(
            load_model(weights)[0], folder, 1, CheckpointPlan(10, 1.0, "pass 1"), 0.99
        ),
    ]
    write_index(folder, infos)
    return weights, infos


def test_checkpoint_slider_reads_with_the_checkpoints_tensors(
    qtbot, example_window, weights_with_checkpoints
):
    weights, infos = weights_with_checkpoints
    signal = example_window.session.network.weightsLoaded
    with qtbot.waitSignal(signal, timeout=30_000) as loaded:
        example_window.session.network.load_weights(weights)  # read in the background
    assert loaded.args == [True]
    page = example_window.show_panel("checkpoints")
    assert page.objectName() == "checkpoints" and page.isVisible()
    slider = page.findChild(QSlider)
    assert (slider.minimum(), slider.maximum(), slider.value()) == (0, 1, 1)
    trained = example_window.session.last_result.probabilities.copy()
    slider.setValue(0)
    start = torch.load(infos[0].path, weights_only=True)
    for (
        name,
        tensor,
    ) in example_window.session.network.classifier.model.state_dict().items():
        assert torch.equal(tensor, start[name]), name
    assert not np.allclose(example_window.session.last_result.probabilities, trained)
    slider.setValue(1)
    np.testing.assert_array_equal(
        example_window.session.last_result.probabilities, trained
    )
