"""LeNet-5 as LeCun, Bottou, Bengio and Haffner built it (Proc. IEEE, 1998).

Every layer follows the paper (section II-B, appendix A):

- input 1@32x32, background -0.1 and ink +1.175;
- squashing f(a) = 1.7159 tanh(2a/3) after every layer up to F6;
- S2 and S4 sum each 2x2 block, multiply by a trainable coefficient, add a
  trainable bias, per map;
- C3 reads only the S2 maps that Table I gives it;
- initial weights uniform in +-2.4/F, F the unit's fan-in.

The one departure is the output: ten fully connected units read through a
softmax instead of the paper's Euclidean RBF units.

Every size, the C3 table and the squashing constants come from the spec
(:data:`lenet_gui.spec.lenet5.LENET5`); nothing here repeats them. The
model reports its own per-layer summary (output shape, trainable parameters,
connections) from its structure, so the figures in the README are computed,
not typed in.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from lenet_gui.spec.lenet5 import LENET5, Kind, LayerSpec, NetworkSpec

__all__ = [
    "Ablation",
    "LayerModule",
    "LayerSummary",
    "LeNet5",
    "ScaledTanh",
    "SparseConv2d",
    "Subsampling",
    "layer_bias",
]


#: Maps (C1 to S4) or units (C5, F6) to switch off, by layer name: ``{"C3": {4}}``.
Ablation = Mapping[str, Collection[int]]


class ScaledTanh(nn.Module):
    """The paper's squashing function f(a) = 1.7159 tanh(2a/3).

    The constants make f(1) = 1 and f(-1) = -1, so targets at +-1 sit where
    the curve bends most.
    """

    def __init__(self, amplitude: float, slope: float) -> None:
        super().__init__()
        self.amplitude = amplitude
        self.slope = slope

    def forward(self, a: Tensor) -> Tensor:  # noqa: D102
        return self.amplitude * torch.tanh(self.slope * a)


class Subsampling(nn.Module):
    """S2/S4: sum of each block times a trainable coefficient, plus a bias.

    Blocks are ``window`` x ``window`` (2x2 in LeNet-5) and do not overlap. One
    coefficient and one bias per map, so a layer of ``channels`` maps has
    ``2 * channels`` trainable parameters. Squashing is applied by the model.
    """

    def __init__(self, channels: int, window: int) -> None:
        super().__init__()
        self.window = window
        self.coefficient = nn.Parameter(torch.empty(channels))
        self.bias = nn.Parameter(torch.empty(channels))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Initialise uniformly in +-2.4/F with F the inputs a unit sums."""
        bound = 2.4 / self.window**2
        nn.init.uniform_(self.coefficient, -bound, bound)
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102
        window = self.window
        # The same numbers either way (see _BlockSum): the corners' sum where
        # a gradient will be taken (training), where it saves a third of the
        # time; the mean otherwise (the app reading one drawing, evaluation),
        # where it is the fewer operations. Only sizes that are powers of two
        # (LeNet-5's 2 among them) give the sum exactly.
        if x.requires_grad and torch.is_grad_enabled() and window & (window - 1) == 0:
            block_sum = _BlockSum.apply(x, window)  # (N, C, H/w, W/w)
        else:
            block_sum = F.avg_pool2d(x, window) * window**2
        return block_sum * self.coefficient[:, None, None] + self.bias[:, None, None]

    def trainable_parameters(self) -> int:
        """Return the number of trainable parameters."""
        return self.coefficient.numel() + self.bias.numel()

    def connections(self, output_shape: tuple[int, ...]) -> int:
        """Return connections: each output unit sums its block plus a bias."""
        channels, height, width = output_shape
        return channels * height * width * (self.window**2 + 1)


class _BlockSum(torch.autograd.Function):
    """The sum of each ``window`` x ``window`` block, row by row, and its gradient.

    For windows whose size is a power of two, the same numbers as
    ``F.avg_pool2d(x, window) * window**2`` (the mean of a block times its
    size is then its sum exactly: both scalings are by powers of two), and
    the same gradient (each input of a block receives its
    block's), in a third less time: the blocks' corners are added as four
    strided views, in the order the pooling sums them, and no mean is taken
    only to be scaled back.
    """

    @staticmethod
    def forward(ctx: Any, x: Tensor, window: int) -> Tensor:  # noqa: D102
        n, c, height, width = x.shape
        rows, cols = height // window * window, width // window * window
        ctx.shape = (n, c, height, width)
        ctx.window = window
        corners = [
            x[:, :, i:rows:window, j:cols:window]
            for i in range(window)
            for j in range(window)
        ]
        if len(corners) == 1:
            return corners[0].clone()
        total = corners[0] + corners[1]
        for corner in corners[2:]:
            total = total + corner
        return total

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, None]:  # noqa: D102
        n, c, height, width = ctx.shape
        w = ctx.window
        out_h, out_w = grad.shape[2], grad.shape[3]
        spread = grad[:, :, :, None, :, None].expand(n, c, out_h, w, out_w, w)
        spread = spread.reshape(n, c, out_h * w, out_w * w)
        if (out_h * w, out_w * w) != (height, width):  # rows left over
            spread = F.pad(spread, (0, width - out_w * w, 0, height - out_h * w))
        return spread, None


class SparseConv2d(nn.Conv2d):
    """A convolution whose output maps read only a subset of the input maps.

    ``table[k]`` lists the input maps that output map ``k`` reads. Kernels of
    the connections the table leaves out are held at exactly zero: they are
    zero from the start and the forward pass multiplies by the mask, so their
    gradient is zero too. Only the connections that exist are counted as
    trainable parameters.
    """

    mask: Tensor

    def __init__(
        self,
        table: tuple[tuple[int, ...], ...],
        in_channels: int,
        kernel_size: int,
    ) -> None:
        self.table = table
        super().__init__(in_channels, len(table), kernel_size)
        mask = torch.zeros(len(table), in_channels, 1, 1)
        for out_map, in_maps in enumerate(table):
            mask[out_map, list(in_maps)] = 1.0
        self.register_buffer("mask", mask, persistent=False)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Initialise each map uniformly in +-2.4/F, F its own fan-in."""
        if not hasattr(self, "mask"):  # nn.Conv2d.__init__ calls this early
            return
        kernel_area = self.kernel_size[0] * self.kernel_size[1]
        bias = layer_bias(self)
        with torch.no_grad():
            for out_map, in_maps in enumerate(self.table):
                bound = 2.4 / (len(in_maps) * kernel_area)
                self.weight[out_map].uniform_(-bound, bound)
                bias[out_map].uniform_(-bound, bound)
            self.weight.mul_(self.mask)

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102
        return self._conv_forward(x, self.weight * self.mask, self.bias)

    def trainable_parameters(self) -> int:
        """Return the weights the table connects plus one bias per map."""
        kernel_area = self.kernel_size[0] * self.kernel_size[1]
        return int(self.mask.sum().item()) * kernel_area + self.out_channels


@dataclass(frozen=True)
class LayerSummary:
    """One row of the model's layer table."""

    name: str
    output_shape: tuple[int, ...]
    trainable_parameters: int
    connections: int


#: The module of one layer: a subsampling, a convolution (sparse for C3) or a
#: full connection.
LayerModule = Subsampling | nn.Conv2d | nn.Linear


def layer_bias(module: LayerModule) -> Tensor:
    """Return a layer's biases, one per map or unit.

    Every layer of LeNet-5 is built with them; torch's types allow a
    convolution or a full connection without.
    """
    if module.bias is None:
        raise ValueError(f"{type(module).__name__} layer built without biases")
    return module.bias


class LeNet5(nn.Module):
    """LeNet-5 with a softmax output, built layer by layer from its spec.

    The layers are attributes named as in the paper, lower case (``c1``, ...,
    ``f6``, ``output``), so a state_dict's keys read ``c1.weight`` and so on.
    ``forward`` returns the ten logits; ``forward_with_activations`` returns
    them together with every layer's output by name, in one pass, so the GUI
    never reaches into module internals.

    Parameters
    ----------
    spec : NetworkSpec
        The network to build; LeNet-5 as the paper gives it by default.
    """

    def __init__(self, spec: NetworkSpec = LENET5) -> None:
        super().__init__()
        self.spec = spec
        self.squash = ScaledTanh(spec.amplitude, spec.slope)
        for layer in spec.layers:
            self.add_module(layer.name.lower(), _build(layer))

    def forward(self, x: Tensor, ablation: Ablation | None = None) -> Tensor:
        """Return the logits for a batch of (N, 1, 32, 32) inputs.

        `ablation` switches maps or units off, as in
        :meth:`forward_with_activations`.
        """
        return self._run(x, None, self._ablation_indices(ablation))

    def forward_with_activations(
        self, x: Tensor, ablation: Ablation | None = None
    ) -> tuple[Tensor, dict[str, Tensor]]:
        """Return the logits and each layer's output, keyed by layer name.

        Shapes follow ``spec.layers[k].shape`` with the batch axis first: C5
        is flattened to (N, 120); ``output`` holds the logits.

        Parameters
        ----------
        x : Tensor
            (N, 1, 32, 32) inputs in network levels.
        ablation : mapping of str to collection of int, optional
            Maps (C1 to S4) or units (C5, F6) to switch off, by layer name,
            e.g. ``{"C3": {4}, "F6": [0, 7]}``: their output is exactly 0
            after squashing, and the layers above read those zeros. The
            output layer cannot be ablated.

        Raises
        ------
        KeyError
            `ablation` names a layer LeNet-5 does not have.
        IndexError
            An index is outside the layer's maps (units).
        ValueError
            `ablation` names the output layer.
        TypeError
            An index is not an integer, or a layer's entry is not a collection.
        """
        activations: dict[str, Tensor] = OrderedDict()
        logits = self._run(x, activations, self._ablation_indices(ablation))
        return logits, activations

    def ablation_indices(self, ablation: Ablation | None) -> dict[str, Tensor] | None:
        """Check an ablation and return its indices as tensors, None if empty.

        Raises
        ------
        KeyError, IndexError, ValueError, TypeError
            As :meth:`forward_with_activations` says.
        """
        return self._ablation_indices(ablation)

    def _ablation_indices(self, ablation: Ablation | None) -> dict[str, Tensor] | None:
        """Check an ablation and return its indices as tensors, None if empty.

        Raises
        ------
        KeyError, IndexError, ValueError, TypeError
            As :meth:`forward_with_activations` says.
        """
        if not ablation:
            return None
        off = {}
        for name, indices in ablation.items():
            spec = self.spec.layer(name)
            if not spec.squashed:
                raise ValueError(
                    f"{spec.name} cannot be ablated: its units are the logits "
                    f"the prediction is read from"
                )
            if not isinstance(indices, Collection) or isinstance(indices, str):
                raise TypeError(
                    f"ablation[{name!r}] must be a collection of indices such as "
                    f"{{0, 3}}, not {type(indices).__name__}"
                )
            what = "maps" if spec.has_maps else "units"
            chosen = set()
            for index in indices:
                if isinstance(index, bool) or not hasattr(index, "__index__"):
                    raise TypeError(
                        f"{spec.name} {what} are numbered by integers, not {index!r}"
                    )
                if not 0 <= index < spec.maps:
                    raise IndexError(
                        f"{spec.name} has {what} 0 to {spec.maps - 1}, not {index}"
                    )
                chosen.add(int(index))
            if chosen:
                off[spec.name] = torch.tensor(sorted(chosen))
        return off or None

    def layer(self, name: str) -> LayerModule:
        """Return the module of the layer called `name` in the spec."""
        return getattr(self, self.spec.layer(name).name.lower())

    def _run(
        self,
        x: Tensor,
        keep: dict[str, Tensor] | None,
        off: dict[str, Tensor] | None,
    ) -> Tensor:
        for spec in self.spec.layers:
            x = getattr(self, spec.name.lower())(x)  # (N, maps, side, side)
            if spec.squashed:
                x = self.squash(x)
            if off is not None and spec.name in off:
                # Out of place, so gradients (attribution) flow through the rest.
                x = x.index_fill(1, off[spec.name], 0.0)
            if not spec.has_maps:
                x = x.flatten(1)  # (N, units)
            if keep is not None:
                keep[spec.name] = x
        return x

    def summary(self) -> list[LayerSummary]:
        """Return the layer table, computed from the model's structure.

        Output shapes come from a forward pass; trainable parameters count
        what training can change (C3's absent connections are not counted);
        connections count, per output unit, its inputs plus its bias.
        """
        side = self.spec.input_size
        with torch.no_grad():
            _, acts = self.forward_with_activations(torch.zeros(1, 1, side, side))
        rows = []
        for spec in self.spec.layers:
            layer = getattr(self, spec.name.lower())
            shape = tuple(acts[spec.name].shape[1:])
            if isinstance(layer, Subsampling):
                params = layer.trainable_parameters()
                connections = layer.connections(shape)
            else:
                params = (
                    layer.trainable_parameters()
                    if isinstance(layer, SparseConv2d)
                    else sum(p.numel() for p in layer.parameters())
                )
                # Shared kernels: every output position uses all the parameters
                # once (for a fully connected layer there is one position).
                positions = shape[1] * shape[2] if len(shape) == 3 else 1
                connections = params * positions
            rows.append(LayerSummary(spec.name, shape, params, connections))
        return rows


def _build(spec: LayerSpec) -> LayerModule:
    """Return the module that computes one layer of the spec, initialised."""
    if spec.kind is Kind.SUBSAMPLING:
        return Subsampling(spec.maps, spec.kernel)
    if spec.kind is Kind.CONVOLUTION and spec.table is not None:
        return SparseConv2d(spec.table, spec.inputs, spec.kernel)
    module: nn.Conv2d | nn.Linear
    if spec.kind is Kind.CONVOLUTION:
        module = nn.Conv2d(spec.inputs, spec.maps, spec.kernel, spec.stride)
    else:
        module = nn.Linear(spec.inputs, spec.maps)
    _init_uniform_by_fan_in(module)
    return module


def _init_uniform_by_fan_in(layer: nn.Conv2d | nn.Linear) -> None:
    """Initialise weights and bias uniformly in +-2.4/F, F = inputs per unit."""
    fan_in = layer.weight[0].numel()
    bound = 2.4 / fan_in
    with torch.no_grad():
        layer.weight.uniform_(-bound, bound)
        layer_bias(layer).uniform_(-bound, bound)
