"""The worked sum in numbers: grids of x, w and x·w, and outputs as logits."""

import numpy as np
import pytest

from lenet_gui.gui.widgets import FeatureMapPanel, UnitSumView
from lenet_gui.gui.widgets.window_sum_text import grid_text

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def shown_sum(window, unit):
    window.session.hover(unit)
    return window.findChild(UnitSumView)


def test_the_numbers_are_the_units_own_terms(example_window):
    sums = shown_sum(example_window, ("C3", 7, 2, 5))
    assert not sums.numbers.isVisible()
    sums.numbers_button.click()
    assert sums.numbers.isVisible() and sums.numbers.shows_grids()
    assert sums.sizeHint().height() > UnitSumView.SIZE_HINT.height()
    result = example_window.session.last_result
    terms = example_window.session.network.classifier.unit_sum(result, "C3", 7, 2, 5)
    x, w, xw = sums.numbers.grids()
    # S2 map 1, the first map C3 map 7 reads: the forward pass's own values.
    np.testing.assert_array_equal(x, result.activations["S2"][1, 2:7, 5:10])
    np.testing.assert_array_equal(w, terms.weights[0])
    np.testing.assert_array_equal(xw, x * w)
    total = sum(g.sum() for g in terms.inputs * terms.weights) + terms.bias
    squashed = example_window.session.spec.squash(total)
    assert squashed == pytest.approx(result.activations["C3"][7, 2, 5], abs=2e-5)
    # Hovering on follows the unit; another map read can be chosen.
    sums = shown_sum(example_window, ("C1", 4, 9, 11))
    x, _, _ = sums.numbers.grids()
    np.testing.assert_array_equal(x, result.network_input[9:14, 11:16])
    sums.numbers_button.click()
    assert not sums.numbers.isVisible()
    assert sums.sizeHint().height() == UnitSumView.SIZE_HINT.height()


def test_a_unit_that_reads_many_lists_its_largest_products(example_window):
    sums = shown_sum(example_window, ("F6", 11, 0, 0))
    sums.numbers_button.click()
    assert not sums.numbers.shows_grids()
    lines = sums.numbers.lines()
    result = example_window.session.last_result
    products = result.activations["C5"].astype(np.float64) * (
        example_window.session.network.classifier.model.f6.weight[11]
        .detach()
        .double()
        .numpy()
    )
    largest = int(np.argmax(np.abs(products)))
    assert lines[0].startswith("The 6 largest of 120 products")
    assert f"(their sum: {grid_text(products.sum())})" in lines[0]
    assert lines[1].endswith(f"C5 unit {largest}")
    assert f"= {grid_text(products[largest])}" in lines[1]
    assert len(lines) == 7


def test_an_output_is_a_logit_turned_into_a_probability(example_window):
    sums = shown_sum(example_window, ("output", 7, 0, 0))
    result = example_window.session.last_result
    logit = float(result.activations["output"][7])
    percent = 100 * result.probabilities[7]
    assert sums.heading() == (
        f"output 7 (digit 7): logit {logit:.2f} \N{RIGHTWARDS ARROW} "
        f"{percent:.1f} % after softmax"
    )


def test_the_hint_is_said_once_in_place_not_on_every_hover(example_window):
    maps = example_window.findChild(FeatureMapPanel)
    assert all(not child.toolTip() for child in maps.findChildren(type(maps._grid)))
    sums = example_window.findChild(UnitSumView)
    sums.clear()
    assert "right-click a unit" in sums.heading()
