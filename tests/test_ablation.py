"""Switching maps and units off: the layers above see zeros, nothing else changes."""

from pathlib import Path

import numpy as np
import pytest
import torch

from lenet_gui.files.idx import load_mnist
from lenet_gui.imaging.preprocess import from_mnist
from lenet_gui.network.model import LeNet5

MNIST = Path(__file__).parent / "data" / "mnist"


@pytest.fixture(scope="module")
def inputs():
    images, _ = load_mnist(MNIST, "test")
    return from_mnist(images[:64])


def _forward_as_before(model, x):
    """The forward pass as it was before ablation existed, step for step."""
    acts = {}
    for spec in model.spec.layers:
        x = getattr(model, spec.name.lower())(x)
        if spec.squashed:
            x = model.squash(x)
        if not spec.has_maps:
            x = x.flatten(1)
        acts[spec.name] = x
    return x, acts


def _forward_by_hand(model, x, layer, index):
    """Run the network, zero one map (unit) of `layer`, run the layers above."""
    acts = {}
    for spec in model.spec.layers:
        x = getattr(model, spec.name.lower())(x)
        if spec.squashed:
            x = model.squash(x)
        if spec.name == layer:
            x = x.clone()
            x[:, index] = 0.0
        if not spec.has_maps:
            x = x.flatten(1)
        acts[spec.name] = x
    return x, acts


def test_no_ablation_is_bit_identical_to_the_forward_pass_before(classifier, inputs):
    model = classifier.model
    x = torch.from_numpy(inputs).unsqueeze(1)
    with torch.no_grad():
        reference, reference_acts = _forward_as_before(model, x)
        for ablation in (None, {}, {"C3": []}):
            logits, acts = model.forward_with_activations(x, ablation)
            assert torch.equal(logits, reference)
            assert torch.equal(model(x, ablation), reference)
            for name, value in reference_acts.items():
                assert torch.equal(acts[name], value), name


def test_classify_input_without_ablation_matches_the_old_computation(
    classifier, inputs
):
    model = classifier.model
    for network_input in inputs[:16]:
        with torch.inference_mode():
            logits, acts = _forward_as_before(
                model, torch.from_numpy(network_input).view(1, 1, 32, 32)
            )
        logits64 = logits[0].double().numpy() / classifier.temperature
        expected = np.exp(logits64 - logits64.max())
        expected /= expected.sum()
        prediction = classifier.classify_input(network_input)
        assert np.array_equal(prediction.probabilities, expected)
        for name, value in acts.items():
            assert np.array_equal(prediction.activations[name], value[0].numpy())


@pytest.mark.parametrize(
    ("layer", "index"),
    [("C1", 2), ("S2", 5), ("C3", 4), ("S4", 15), ("C5", 17), ("F6", 83)],
)
def test_ablating_equals_recomputing_with_the_map_zeroed(
    classifier, inputs, layer, index
):
    model = classifier.model
    x = torch.from_numpy(inputs).unsqueeze(1)
    with torch.no_grad():
        expected, expected_acts = _forward_by_hand(model, x, layer, index)
        logits, acts = model.forward_with_activations(x, {layer: {index}})
        plain = model(x)
    assert torch.equal(logits, expected)
    assert (acts[layer][:, index] == 0).all()
    for name in model.spec.names:
        assert torch.equal(acts[name], expected_acts[name]), name
    # The experiment changes something: the logits move.
    assert (logits - plain).abs().max() > 1e-3


def test_ablation_reaches_the_classifier(classifier, inputs):
    plain = classifier.classify_input(inputs[0])
    ablation = {"C3": {0, 1, 2, 3}, "F6": range(40)}
    ablated = classifier.classify_input(inputs[0], ablation)
    assert (ablated.activations["C3"][:4] == 0).all()
    assert (ablated.activations["F6"][:40] == 0).all()
    assert np.array_equal(ablated.activations["C1"], plain.activations["C1"])
    assert not np.allclose(ablated.probabilities, plain.probabilities)
    assert ablated.probabilities.sum() == pytest.approx(1.0)
    image = np.zeros((60, 60))
    image[10:50, 28:32] = 1.0  # a "1"
    via_predict = classifier.predict(image, ablation)
    assert (via_predict.activations["C3"][:4] == 0).all()
    direct = classifier.classify_input(via_predict.network_input, ablation)
    assert np.array_equal(via_predict.probabilities, direct.probabilities)


def test_batched_probabilities_match_single_ones(classifier, inputs):
    ablation = {"S4": [3]}
    batch = classifier.probabilities(inputs[:8], ablation)
    assert batch.shape == (8, 10)
    for row, network_input in zip(batch, inputs[:8], strict=True):
        single = classifier.classify_input(network_input, ablation).probabilities
        np.testing.assert_allclose(row, single, rtol=0, atol=1e-6)


def test_bad_ablations_say_what_is_wrong():
    model = LeNet5()
    x = torch.zeros(1, 1, 32, 32)
    with pytest.raises(KeyError, match="no layer 'C7'"):
        model(x, {"C7": {0}})
    with pytest.raises(IndexError, match="C1 has maps 0 to 5, not 6"):
        model(x, {"C1": {6}})
    with pytest.raises(IndexError, match="F6 has units 0 to 83, not -1"):
        model(x, {"F6": [-1]})
    with pytest.raises(ValueError, match="output cannot be ablated"):
        model(x, {"output": {0}})
    with pytest.raises(TypeError, match="collection of indices"):
        model(x, {"C3": 4})
    with pytest.raises(TypeError, match="integers, not 1.5"):
        model(x, {"C3": [1.5]})
    with pytest.raises(TypeError, match="integers, not True"):
        model(x, {"C3": [True]})


def test_numpy_indices_are_accepted():
    model = LeNet5()
    x = torch.randn(2, 1, 32, 32)
    with torch.no_grad():
        _, acts = model.forward_with_activations(x, {"C5": np.array([3, 7])})
    assert (acts["C5"][:, [3, 7]] == 0).all()
    assert (acts["C5"][:, 4] != 0).all()
