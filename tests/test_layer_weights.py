"""Layer weights for display: the state_dict, as the forward pass uses it."""

import numpy as np
import pytest
import torch

from lenet_gui.explain.layer_weights import layer_weights
from lenet_gui.network.model import LeNet5
from lenet_gui.spec.lenet5 import C3_TABLE, Kind

SHAPES = {
    "C1": (6, 1, 5, 5),
    "S2": (6,),
    "C3": (16, 6, 5, 5),
    "S4": (16,),
    "C5": (120, 16, 5, 5),
    "F6": (84, 120),
    "output": (10, 84),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_weights_equal_the_state_dict(classifier, name):
    state = classifier.model.state_dict()
    weights = layer_weights(classifier.model, name)
    key = "coefficient" if weights.kind is Kind.SUBSAMPLING else "weight"
    expected = state[f"{name.lower()}.{key}"].numpy()
    assert weights.name == name
    assert weights.weights.shape == SHAPES[name]
    assert weights.weights.dtype == np.float32
    assert np.array_equal(weights.weights, expected)
    assert np.array_equal(weights.biases, state[f"{name.lower()}.bias"].numpy())
    assert weights.limit == float(np.abs(expected).max())
    assert weights.limit > 0
    assert (weights.mask is not None) == (name == "C3")


def test_c3_mask_is_table_one_and_absent_kernels_are_zero(classifier):
    weights = layer_weights(classifier.model, "C3")
    assert weights.mask.shape == (16, 6) and weights.mask.dtype == bool
    for out_map, in_maps in enumerate(C3_TABLE):
        assert set(np.flatnonzero(weights.mask[out_map])) == set(in_maps)
    assert (weights.weights[~weights.mask] == 0).all()
    assert (np.abs(weights.weights[weights.mask]).sum(axis=(1, 2)) > 0).all()


def test_absent_kernels_are_zero_even_if_a_file_holds_others():
    model = LeNet5()
    with torch.no_grad():
        model.c3.weight.fill_(0.5)  # as a foreign state_dict might
    weights = layer_weights(model, "C3")
    assert (weights.weights[~weights.mask] == 0).all()
    assert (weights.weights[weights.mask] == 0.5).all()


def test_arrays_are_read_only_copies(classifier):
    weights = layer_weights(classifier.model, "C1")
    with pytest.raises(ValueError, match="read-only"):
        weights.weights[0, 0, 0, 0] = 1.0
    assert not np.shares_memory(
        weights.weights, classifier.model.c1.weight.detach().numpy()
    )


def test_unknown_layer(classifier):
    with pytest.raises(KeyError, match="no layer 'C4'"):
        layer_weights(classifier.model, "C4")
