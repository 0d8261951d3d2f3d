"""LeNet-5's forward pass for reading digits: the same arithmetic, less overhead.

:class:`InferencePass` runs exactly the operations of
:meth:`~lenet_gui.network.model.LeNet5.forward_with_activations`,
in the same order on the same numbers, so every layer's output is the same to
the last bit. What it leaves out is work that does not change the numbers:
module calls and their hooks, attribute lookups by name, C3's masked kernels
rebuilt on every call (they are made once, and again only when a weight
changes), and intermediate tensors (squashing and the subsampling's scaling
are done in place on the layer's own output, which is then kept as that
layer's activation: no copies). It is for inference only: call it under
``torch.inference_mode()``.

Uses torch, never Qt.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from lenet_gui.network.model import (
    Ablation,
    LeNet5,
    SparseConv2d,
    Subsampling,
    layer_bias,
)

__all__ = ["InferencePass"]

# One layer's work on the tensor below it: returns a new tensor.
_Step = Callable[[Tensor], Tensor]


class InferencePass:
    """A prepared forward pass of one model, rebuilt when its weights change.

    Parameters
    ----------
    model : LeNet5
        The model whose weights are read (never changed).
    """

    def __init__(self, model: LeNet5) -> None:
        self._model = model
        self._parameters = list(model.parameters())
        self._versions: tuple[int, ...] = ()
        self._steps: list[tuple[str, _Step, bool, bool]] = []
        spec = model.spec
        self._amplitude, self._slope = spec.amplitude, spec.slope

    def __call__(
        self, x: Tensor, ablation: Ablation | None = None
    ) -> tuple[Tensor, dict[str, Tensor]]:
        """Return the logits and every layer's output by name, as the model does.

        `ablation` is checked, and raises, as
        :meth:`LeNet5.forward_with_activations` says.
        """
        off = self._model.ablation_indices(ablation) if ablation else None
        versions = tuple(p._version for p in self._parameters)
        if versions != self._versions:
            self._prepare()
            self._versions = versions
        amplitude, slope = self._amplitude, self._slope
        keep: dict[str, Tensor] = {}
        for name, step, squashed, flat in self._steps:
            x = step(x)
            if squashed:
                # f(a) = A tanh(S a), the model's ScaledTanh, on x itself.
                x.mul_(slope).tanh_().mul_(amplitude)
            if off is not None and name in off:
                x.index_fill_(1, off[name], 0.0)
            if flat:
                x = x.flatten(1)
            keep[name] = x
        return x, keep

    def _prepare(self) -> None:
        """Read the weights into the steps (C3's kernels masked once)."""
        self._steps = []
        for spec in self._model.spec.layers:
            module = self._model.layer(spec.name)
            self._steps.append(
                (spec.name, _step(module), spec.squashed, not spec.has_maps)
            )


def _step(module: nn.Module) -> _Step:
    """Return a function doing `module`'s forward pass with its weights as now."""
    with torch.no_grad():
        if isinstance(module, Subsampling):
            window = module.window
            area = window**2
            coefficient = module.coefficient.detach()[:, None, None]
            bias = module.bias.detach()[:, None, None]

            def subsample(x: Tensor) -> Tensor:
                return F.avg_pool2d(x, window).mul_(area).mul_(coefficient).add_(bias)

            return subsample
        if isinstance(module, nn.Conv2d):
            weight = module.weight.detach()
            if isinstance(module, SparseConv2d):
                weight = weight * module.mask
            conv_bias = layer_bias(module).detach()
            stride, padding = module.stride, module.padding
            dilation, groups = module.dilation, module.groups
            if module.padding_mode != "zeros" or isinstance(padding, str):
                return module

            def convolve(x: Tensor) -> Tensor:
                return F.conv2d(x, weight, conv_bias, stride, padding, dilation, groups)

            return convolve
        if isinstance(module, nn.Linear):
            linear_weight = module.weight.detach()
            linear_bias = layer_bias(module).detach()

            def connect(x: Tensor) -> Tensor:
                return F.linear(x, linear_weight, linear_bias)

            return connect
    return module
