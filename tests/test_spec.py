"""The spec's wiring, which the window shows, matches what the real network computes."""

import numpy as np
import pytest
import torch

from lenet_gui.network.model import LeNet5
from lenet_gui.spec.lenet5 import C3_TABLE, LENET5

receptive_field = LENET5.receptive_field
sources = LENET5.sources

SHAPES = {"C1": (6, 28, 28), "S2": (6, 14, 14), "C3": (16, 10, 10), "S4": (16, 5, 5)}
UNITS = [
    ("C1", 0, 0, 0),
    ("C1", 5, 27, 13),
    ("S2", 2, 13, 6),
    ("C3", 0, 0, 0),
    ("C3", 9, 7, 3),
    ("S4", 15, 4, 4),
    ("S4", 3, 2, 0),
]


@pytest.mark.parametrize(("layer", "index", "row", "col"), UNITS)
def test_the_field_is_exactly_the_input_the_unit_depends_on(layer, index, row, col):
    model = LeNet5()
    x = torch.randn(1, 1, 32, 32, requires_grad=True)
    _, activations = model.forward_with_activations(x)
    activations[layer][0, index, row, col].backward()
    rows, cols = torch.nonzero(x.grad[0, 0], as_tuple=True)
    field = receptive_field(layer, row, col)
    assert (rows.min(), cols.min()) == (field.top, field.left)
    assert rows.max() - rows.min() + 1 == field.size
    assert cols.max() - cols.min() + 1 == field.size


@pytest.mark.parametrize("index", range(16))
def test_c3_maps_read_the_s2_maps_of_table_one(index):
    model = LeNet5()
    s2 = torch.randn(1, 6, 14, 14, requires_grad=True)
    model.c3(s2)[0, index].sum().backward()
    fed_by = tuple(
        int(k) for k in torch.nonzero(s2.grad[0].abs().sum(dim=(1, 2))).flatten()
    )
    assert sources("C3", index) == ("S2", fed_by) == ("S2", C3_TABLE[index])


def test_subsampling_and_c1_read_one_map():
    assert sources("C1", 4) == ("input", (0,))
    assert sources("S2", 4) == ("C1", (4,))
    assert sources("S4", 11) == ("C3", (11,))


def test_c5_and_the_full_layers_read_everything_below_and_see_the_whole_input():
    assert sources("C5", 7) == ("S4", tuple(range(16)))
    assert sources("F6", 0) == ("C5", tuple(range(120)))
    assert sources("output", 9) == ("F6", tuple(range(84)))
    for layer in ("C5", "F6", "output"):
        assert receptive_field(layer) == receptive_field(layer, 0, 0)
        assert receptive_field(layer).size == 32


def test_unknown_layers_and_maps_are_refused():
    with pytest.raises(KeyError, match="F7"):
        receptive_field("F7", 0, 0)
    with pytest.raises(KeyError, match="input"):
        sources("input", 0)
    with pytest.raises(IndexError, match="C3 has maps 0 to 15"):
        sources("C3", 16)


def test_each_units_sum_worked_through_gives_its_value():
    from lenet_gui.network.classifier import Classifier

    classifier = Classifier.load()
    image = np.zeros((60, 60))
    image[10:50, 27:33] = 1.0
    image[10:15, 15:45] = 1.0
    prediction = classifier.predict(image)
    for layer, (count, height, width) in SHAPES.items():
        for index in range(count):
            for row in range(height):
                for col in range(width):
                    terms = classifier.unit_sum(prediction, layer, index, row, col)
                    expected = prediction.activations[layer][index, row, col]
                    assert terms.value == pytest.approx(expected, abs=1e-5)
    terms = classifier.unit_sum(prediction, "C3", 15, 2, 3)
    assert terms.below == "S2" and terms.maps == C3_TABLE[15]
    assert terms.weights.shape == terms.inputs.shape == (6, 5, 5)
    assert np.array_equal(
        terms.inputs, prediction.activations["S2"][:, 2:7, 3:8].astype(np.float64)
    )
    terms = classifier.unit_sum(prediction, "S4", 3, 1, 2)
    assert terms.below == "C3" and terms.maps == (3,)
    assert terms.weights.shape == (1, 2, 2) and len(set(terms.weights.ravel())) == 1
    terms = classifier.unit_sum(prediction, "C1", 0, 0, 0)
    assert terms.below == "input"
    assert np.array_equal(terms.inputs[0], prediction.network_input[:5, :5])
    with pytest.raises(IndexError):
        classifier.unit_sum(prediction, "S4", 0, 5, 0)
    for layer, count in (("C5", 120), ("F6", 84), ("output", 10)):
        for index in range(count):
            terms = classifier.unit_sum(prediction, layer, index)
            expected = prediction.activations[layer][index]
            assert terms.value == pytest.approx(expected, abs=1e-5), (layer, index)
    terms = classifier.unit_sum(prediction, "C5", 3)
    assert terms.below == "S4" and terms.weights.shape == (16, 5, 5)
    terms = classifier.unit_sum(prediction, "F6", 3)
    assert terms.inputs.shape == (120, 1, 1)
    assert np.array_equal(terms.inputs.ravel(), prediction.activations["C5"])
