"""Training: C1's kernels on one scale at every checkpoint, readable labels."""

import pytest
from PySide6.QtWidgets import QSlider

from lenet_gui.explain.layer_weights import layer_weights
from lenet_gui.gui.widgets import CheckpointView
from lenet_gui.network.checkpoints import (
    CheckpointPlan,
    save_checkpoint,
    start_checkpoint_folder,
    write_index,
)
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import BUNDLED_WEIGHTS, load_model


@pytest.fixture
def weights_with_checkpoints(tmp_path):
    """The bundled weights copied, with a random start and themselves as checkpoints."""
    import shutil

    weights = tmp_path / "lenet5.pt"
    shutil.copy(BUNDLED_WEIGHTS, weights)
    folder = start_checkpoint_folder(weights)
    infos = [
        save_checkpoint(LeNet5(), folder, 0, CheckpointPlan(0, 0.0, "start"), 0.1),
        save_checkpoint(
            load_model(weights)[0], folder, 1, CheckpointPlan(10, 1.0, "pass 1"), 0.99
        ),
    ]
    write_index(folder, infos)
    return weights


def test_random_kernels_are_shown_on_the_trained_scale(
    qtbot, example_window, weights_with_checkpoints
):
    network = example_window.session.network
    with qtbot.waitSignal(network.weightsLoaded, timeout=30_000):
        network.load_weights(weights_with_checkpoints)
    page = example_window.show_panel("checkpoints")
    view = page.findChild(CheckpointView)
    kernels = view.kernels.layer("C1 kernels")
    trained = layer_weights(network.classifier.model, "C1").limit  # no checkpoint
    assert kernels.levels == pytest.approx((-trained, trained))
    page.findChild(QSlider).setValue(0)  # the random start
    start = layer_weights(network.classifier.model, "C1")
    assert start.limit < trained / 2  # random kernels are weak...
    assert kernels.levels == pytest.approx((-trained, trained))  # ...and look it
    plot = view._plot_widget.getPlotItem()
    assert [label for _, label in plot.getAxis("bottom")._tickLevels[0]] == ["1", "2"]
    assert len(plot.getAxis("left")._tickLevels[0]) == 3
