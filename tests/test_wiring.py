"""The wiring the window shows matches what the real network computes."""

import pytest
import torch

from lenet_gui.network.model import LeNet5
from lenet_gui.network.wiring import C3_TABLE, receptive_field, sources

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


def test_layers_without_feature_maps_are_refused():
    with pytest.raises(KeyError, match="F6"):
        receptive_field("F6", 0, 0)
    with pytest.raises(KeyError, match="C5"):
        sources("C5", 0)
