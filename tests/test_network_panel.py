"""The whole-network panel shows C5, F6 and the output as the model computes them."""

import numpy as np
import pyqtgraph as pg
import pytest

from lenet_gui.gui.widgets import NetworkView
from lenet_gui.gui.widgets.packed_layer import Packing


def unit_grid(values):
    return Packing.build((len(values),)).pack(values)


def test_show_panel_brings_the_named_panel_up(example_window):
    widget = example_window.show_panel("network")
    assert widget.objectName() == "network" and widget.isVisible()
    with pytest.raises(KeyError, match="panels are"):
        example_window.show_panel("no such panel")


def test_late_layers_equal_the_activations(example_window):
    view = example_window.show_panel("network").findChild(NetworkView)
    result = example_window.session.last_result
    late = view.late_layers
    np.testing.assert_array_equal(
        late.layer("F6").buffer, unit_grid(result.activations["F6"])
    )
    assert late.layer("F6").buffer.shape == (12, 7)  # the paper's 7x12 bitmap
    np.testing.assert_array_equal(
        late.layer("C5").buffer, unit_grid(result.activations["C5"])
    )
    np.testing.assert_allclose(
        late.layer("output").buffer.ravel(), result.probabilities, rtol=1e-6
    )
    strip = view.strip
    np.testing.assert_array_equal(strip.layer("input").buffer, result.network_input)


def test_the_panel_follows_the_drawing_only_while_shown(example_window, qtbot):
    view = example_window.show_panel("network").findChild(NetworkView)
    before = view.late_layers.layer("F6").buffer.copy()
    example_window.show_panel("maps")
    example_window.files.open_example(13)
    example_window.session.last_result  # noqa: B018 - flushes the pending refresh
    np.testing.assert_array_equal(view.late_layers.layer("F6").buffer, before)
    example_window.show_panel("network")  # catches up when shown
    np.testing.assert_array_equal(
        view.late_layers.layer("F6").buffer,
        unit_grid(example_window.session.last_result.activations["F6"]),
    )


@pytest.mark.parametrize("stage", ["input", "C1", "S2", "C3", "S4", "C5", "F6"])
def test_clicking_a_stage_shows_it_large(example_window, stage):
    view = example_window.show_panel("network").findChild(NetworkView)
    view.strip.layerClicked.emit(stage)
    expected = {"C5": "late", "F6": "late"}.get(stage, stage)
    assert view.stage() == expected
    result = example_window.session.last_result
    if stage == "input":
        (image,) = [
            item
            for item in view.input_view.graphics.scene().items()
            if isinstance(item, pg.ImageItem)
        ]
        np.testing.assert_array_equal(image.image, result.network_input)
    elif stage in ("C1", "S2", "C3", "S4"):
        shown = view.feature_maps.image_of_layer(stage)
        assert np.count_nonzero(~np.isnan(shown)) == result.activations[stage].size


def test_hovering_a_late_unit_explains_its_sum(example_window, qtbot):
    example_window.show_panel("network")
    result = example_window.session.last_result
    example_window.session.hover(("F6", 11, 0, 0))
    info = example_window.session.unit_info()
    assert info.terms.value == pytest.approx(result.activations["F6"][11], abs=1e-5)
    assert info.captions() == ["C5 units 0–119"]
    assert example_window._unit_sum.heading().startswith("F6 unit 11 = f(")
