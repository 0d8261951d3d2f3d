"""LeNet-5 as a specification: every size, level and connection, stated once.

Plain Python, no torch and no Qt. The model (:mod:`lenet_gui.network.model`)
is built from :data:`LENET5`, preprocessing takes the input's size and levels
from it, and the window hands it to the widgets, which import nothing from
the network. The figures are the paper's (LeCun, Bottou, Bengio and Haffner,
Proc. IEEE 1998, section II-B and appendix A):

====== ============= ========== ====== ======== =======================
layer  kind          output     kernel stride   reads
====== ============= ========== ====== ======== =======================
C1     convolution   6@28x28    5x5    1        the 32x32 input
S2     subsampling   6@14x14    2x2    2        its own C1 map
C3     convolution   16@10x10   5x5    1        the S2 maps of Table I
S4     subsampling   16@5x5     2x2    2        its own C3 map
C5     convolution   120@1x1    5x5    1        all 16 S4 maps
F6     full          84                         all 120 C5 units
output full          10                         all 84 F6 units
====== ============= ========== ====== ======== =======================

Every layer up to F6 is squashed by ``f(a) = 1.7159 tanh(2a/3)``; the output
is read through a softmax instead of the paper's RBF units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "C3_TABLE",
    "Field",
    "Kind",
    "LENET5",
    "LayerSpec",
    "MNIST_SIDE",
    "NetworkSpec",
]

#: Side of an MNIST image in pixels, the digits LeNet-5 learns from: the
#: input is this square with 2 px of paper on each side.
MNIST_SIDE = 28

#: Table I of the paper: the S2 maps each C3 map reads.
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2),
    (1, 2, 3),
    (2, 3, 4),
    (3, 4, 5),
    (0, 4, 5),
    (0, 1, 5),
    (0, 1, 2, 3),
    (1, 2, 3, 4),
    (2, 3, 4, 5),
    (0, 3, 4, 5),
    (0, 1, 4, 5),
    (0, 1, 2, 5),
    (0, 1, 3, 4),
    (1, 2, 4, 5),
    (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


class Kind(Enum):
    """What a layer computes."""

    CONVOLUTION = "convolution"
    """A kernel slid over the maps below, one weight per (source map, place)."""
    SUBSAMPLING = "subsampling"
    """Each 2x2 block of its own map summed, times a coefficient, plus a bias."""
    FULL = "full"
    """Every unit reads every unit below."""


@dataclass(frozen=True)
class LayerSpec:
    """One layer: its name, what it computes, its shape and what it reads.

    Attributes
    ----------
    name : str
        The paper's name: ``"C1"``, ..., ``"F6"``, ``"output"``.
    kind : Kind
        Convolution, subsampling or full connection.
    maps : int
        Feature maps (units, for a full layer).
    side : int
        Side of each square map; 0 for a full layer, whose units form a vector.
    kernel : int
        Side of the window read on each map below (0 for a full layer).
    stride : int
        Step of that window on the maps below.
    inputs : int
        Maps (or units) of the layer below.
    table : tuple of tuple of int, optional
        The maps below that each map reads, when not all of them: Table I for
        C3, one map each for S2 and S4.
    squashed : bool
        Whether the scaled tanh follows.
    """

    name: str
    kind: Kind
    maps: int
    side: int
    kernel: int
    stride: int
    inputs: int
    table: tuple[tuple[int, ...], ...] | None = None
    squashed: bool = True

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the layer's output as the model hands it, without the batch.

        (maps, side, side) for feature maps; (units,) for C5, whose maps are
        single units, and for the full layers.
        """
        return (self.maps, self.side, self.side) if self.has_maps else (self.maps,)

    @property
    def has_maps(self) -> bool:
        """Whether the output is feature maps of more than one unit each."""
        return self.side > 1

    def sources(self, index: int) -> tuple[int, ...]:
        """Return which maps (or units) of the layer below map `index` reads."""
        if not 0 <= index < self.maps:
            raise IndexError(f"{self.name} has maps 0 to {self.maps - 1}, not {index}")
        if self.table is None:
            return tuple(range(self.inputs))
        return self.table[index]


#: A unit: (layer, map, row, column); C5 and the full layers use row = col = 0.
Unit = tuple[str, int, int, int]


@dataclass(frozen=True)
class Field:
    """A square patch of the input: rows and columns from top/left, and its side."""

    top: int
    left: int
    size: int


@dataclass(frozen=True)
class NetworkSpec:
    """The network: its input and its layers, in order.

    Attributes
    ----------
    input_size : int
        Side of the square input (32).
    background, ink : float
        Input levels of paper and of full ink (-0.1 and 1.175, so the input's
        mean is about 0 and its variance about 1).
    field, box : int
        MNIST's framing inside the input: digits are scaled to fit a
        ``box``-pixel square and centred in a ``field``-pixel square.
    amplitude, slope : float
        The squashing function ``f(a) = amplitude * tanh(slope * a)``.
    layers : tuple of LayerSpec
        From the first layer (reading the input) to the output.
    """

    input_size: int
    background: float
    ink: float
    field: int
    box: int
    amplitude: float
    slope: float
    layers: tuple[LayerSpec, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The layers' names, in order."""
        return tuple(layer.name for layer in self.layers)

    @property
    def margin(self) -> int:
        """Paper on each side of MNIST's ``field``-pixel square in the input (2 px)."""
        return (self.input_size - self.field) // 2

    @property
    def feature_layers(self) -> tuple[LayerSpec, ...]:
        """The layers whose outputs are maps of many units (C1 to S4)."""
        return tuple(layer for layer in self.layers if layer.has_maps)

    def layer(self, name: str) -> LayerSpec:
        """Return a layer by name.

        Raises
        ------
        KeyError
            If there is no such layer.
        """
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(
            f"no layer {name!r} in LeNet-5 (layers: {', '.join(self.names)})"
        )

    def below(self, name: str) -> str:
        """Return the name of the layer that `name` reads, ``"input"`` for the first."""
        index = self.names.index(self.layer(name).name)
        return "input" if index == 0 else self.layers[index - 1].name

    def sources(self, name: str, index: int) -> tuple[str, tuple[int, ...]]:
        """Return the layer below `name` and which of its maps feed map `index`.

        C1 reads the input (one map, called ``"input"``); S2 and S4 subsample
        one map each; C3 reads the S2 maps of Table I; C5, F6 and the output
        read everything below.

        Raises
        ------
        KeyError
            If there is no layer `name`.
        IndexError
            If the layer has no map `index`.
        """
        return self.below(name), self.layer(name).sources(index)

    def receptive_field(self, name: str, row: int = 0, col: int = 0) -> Field:
        """Return the patch of the input that the unit at (`row`, `col`) sees.

        Each layer's window widens the patch by ``(kernel - 1)`` steps of the
        layer below, and its stride multiplies the step: 5 px for C1, 6 for
        S2, 14 for C3, 16 for S4, the whole 32 px input from C5 on.

        Raises
        ------
        KeyError
            If there is no layer `name`.
        """
        target = self.layer(name)
        size, step = 1, 1
        for layer in self.layers:
            if layer.kind is Kind.FULL:
                return Field(0, 0, self.input_size)
            size += (layer.kernel - 1) * step
            step *= layer.stride
            if layer is target:
                return Field(row * step, col * step, size)
        raise AssertionError("unreachable: every layer is in the list")

    def squash(self, a: float) -> float:
        """Return ``f(a) = amplitude * tanh(slope * a)``."""
        return self.amplitude * math.tanh(self.slope * a)


def _one_each(maps: int) -> tuple[tuple[int, ...], ...]:
    """Return the table of a layer whose map k reads map k below."""
    return tuple((k,) for k in range(maps))


#: LeNet-5 as the paper built it, with a softmax output.
LENET5 = NetworkSpec(
    input_size=32,
    background=-0.1,
    ink=1.175,
    field=MNIST_SIDE,
    box=20,
    amplitude=1.7159,
    slope=2.0 / 3.0,
    layers=(
        LayerSpec("C1", Kind.CONVOLUTION, 6, 28, kernel=5, stride=1, inputs=1),
        LayerSpec("S2", Kind.SUBSAMPLING, 6, 14, 2, 2, inputs=6, table=_one_each(6)),
        LayerSpec("C3", Kind.CONVOLUTION, 16, 10, 5, 1, inputs=6, table=C3_TABLE),
        LayerSpec("S4", Kind.SUBSAMPLING, 16, 5, 2, 2, inputs=16, table=_one_each(16)),
        LayerSpec("C5", Kind.CONVOLUTION, 120, 1, 5, 1, inputs=16),
        LayerSpec("F6", Kind.FULL, 84, 0, 0, 0, inputs=120),
        LayerSpec("output", Kind.FULL, 10, 0, 0, 0, inputs=84, squashed=False),
    ),
)
