"""S2 and S4 sum their blocks as the mean-times-size formulation did, bit for bit.

Subsampling adds each block's corners as strided views instead of taking the
block's mean with ``avg_pool2d`` and multiplying it back by the block's
size. For LeNet-5's 2x2 blocks (any power of two) both give the same
outputs and the same gradients, to the last bit, so training gives the same
weights and the app the same readings; other sizes keep the mean.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from lenet_gui.network.model import LeNet5, Subsampling


def _mean_times_size(layer: Subsampling, x: torch.Tensor) -> torch.Tensor:
    area = layer.window**2
    block_sum = F.avg_pool2d(x, layer.window) * area
    return block_sum * layer.coefficient[:, None, None] + layer.bias[:, None, None]


@pytest.mark.parametrize(
    ("window", "shape"),
    [
        (2, (64, 6, 28, 28)),  # S2
        (2, (64, 16, 10, 10)),  # S4
        (2, (3, 4, 11, 9)),  # a row and a column left over
        (4, (2, 3, 16, 12)),
        (3, (2, 3, 12, 9)),  # not a power of two: the mean, as before
        (1, (2, 3, 5, 5)),
    ],
)
def test_outputs_and_gradients_are_those_of_the_mean_times_size(window, shape):
    for seed in range(5):
        torch.manual_seed(seed)
        layer = Subsampling(shape[1], window)
        x = (torch.randn(shape) * 2).tanh().mul(1.7159)  # as squashed maps are
        ours_x = x.clone().requires_grad_()
        plain_x = x.clone().requires_grad_()
        ours = layer(ours_x)
        grad = torch.randn_like(ours)
        ours.backward(grad)
        ours_grads = [p.grad.clone() for p in (layer.coefficient, layer.bias)]
        layer.zero_grad()
        plain = _mean_times_size(layer, plain_x)
        plain.backward(grad)
        assert torch.equal(ours, plain)
        with torch.no_grad():  # reading without a gradient takes the mean
            assert torch.equal(layer(x), ours)
        assert torch.equal(ours_x.grad, plain_x.grad)
        assert torch.equal(ours_grads[0], layer.coefficient.grad)
        assert torch.equal(ours_grads[1], layer.bias.grad)


def test_a_block_is_the_sum_of_its_inputs():
    layer = Subsampling(1, 2)
    with torch.no_grad():
        layer.coefficient.fill_(1.0)
        layer.bias.zero_()
    x = torch.arange(16.0).view(1, 1, 4, 4)
    expected = torch.tensor(
        [[[[0.0 + 1 + 4 + 5, 2 + 3 + 6 + 7], [8 + 9 + 12 + 13, 10 + 11 + 14 + 15]]]]
    )
    assert torch.equal(layer(x), expected)


def test_the_whole_network_trains_as_with_the_mean():
    # One step of Adam on a batch, against a copy whose S2 and S4 take the mean.
    torch.manual_seed(0)
    ours = LeNet5()
    plain = LeNet5()
    plain.load_state_dict(ours.state_dict())
    for name in ("s2", "s4"):
        layer = getattr(plain, name)
        layer.forward = lambda x, layer=layer: _mean_times_size(layer, x)
    x = torch.rand(32, 1, 32, 32) * 1.275 - 0.1
    target = torch.randint(0, 10, (32,))
    for model in (ours, plain):
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, foreach=True)
        for _ in range(3):
            optimizer.zero_grad()
            F.cross_entropy(model(x), target).backward()
            optimizer.step()
    for (name, a), b in zip(
        ours.state_dict().items(), plain.state_dict().values(), strict=True
    ):
        assert torch.equal(a, b), name
