"""The prepared forward pass gives the model's own numbers, bit for bit."""

import numpy as np
import pytest
import torch

from lenet_gui.network.inference import InferencePass
from lenet_gui.network.model import LeNet5


def _inputs(n: int) -> torch.Tensor:
    rng = np.random.default_rng(5)
    return torch.from_numpy(rng.uniform(-0.1, 1.175, (n, 1, 32, 32)).astype("f4"))


@pytest.mark.parametrize("ablation", [None, {"C3": {4}, "F6": [0, 7]}, {"S2": {0}}])
def test_every_layer_is_the_models_to_the_bit(classifier, ablation):
    x = _inputs(3)
    with torch.inference_mode():
        logits, layers = classifier.model.forward_with_activations(x, ablation)
        fast_logits, fast = InferencePass(classifier.model)(x, ablation)
    assert list(fast) == list(layers)
    for name, value in layers.items():
        assert torch.equal(fast[name], value), name
    assert torch.equal(fast_logits, logits)


def test_changed_weights_are_read_again():
    torch.manual_seed(0)
    model = LeNet5().eval()
    fast = InferencePass(model)
    x = _inputs(2)
    with torch.inference_mode():
        before, _ = fast(x)
    with torch.no_grad():
        model.c3.weight.mul_(2.0)  # C3's masked kernels must be made again
        model.output.bias.add_(1.0)
    with torch.inference_mode():
        after, _ = fast(x)
        expected = model(x)
    assert not torch.equal(before, after)
    assert torch.equal(after, expected)


def test_a_bad_ablation_is_refused_as_by_the_model(classifier):
    with torch.inference_mode(), pytest.raises(IndexError):
        InferencePass(classifier.model)(_inputs(1), {"C1": {6}})
