"""How LeNet-5's feature maps are wired: which inputs each unit reads.

Plain Python, no torch: the window uses it to show, for the unit under the
pointer, the patch of the 32x32 input it sees and the maps of the layer below
that feed it. The model (:mod:`lenet_gui.network.model`) is built from the
same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["C3_TABLE", "FEATURE_LAYERS", "Field", "receptive_field", "sources"]

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

#: The layers with feature maps, in order: (window side, stride) of each, on
#: the layer below. C1 and C3 are 5x5 convolutions, S2 and S4 sum 2x2 blocks.
FEATURE_LAYERS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"C1": (5, 1), "S2": (2, 2), "C3": (5, 1), "S4": (2, 2)}
)


@dataclass(frozen=True)
class Field:
    """A square patch of the 32x32 input: rows and columns from top/left."""

    top: int
    left: int
    size: int


def receptive_field(layer: str, row: int, col: int) -> Field:
    """Return the patch of the input that the unit at (`row`, `col`) of `layer` sees.

    Each layer's window widens the patch by ``(side - 1)`` steps of the layer
    below, and its stride multiplies the step: 5 px for C1, 6 for S2, 14 for
    C3, 16 for S4.

    Raises
    ------
    KeyError
        If `layer` is not one of C1, S2, C3, S4.
    """
    size, step = 1, 1
    for name, (side, stride) in FEATURE_LAYERS.items():
        size += (side - 1) * step
        step *= stride
        if name == layer:
            return Field(row * step, col * step, size)
    raise KeyError(f"no feature maps in layer {layer!r}")


def sources(layer: str, index: int) -> tuple[str, tuple[int, ...]]:
    """Return the layer below `layer` and which of its maps feed map `index`.

    C1 reads the input (one map, called ``"input"``); S2 and S4 subsample one
    map each; C3 reads the S2 maps of Table I.

    Raises
    ------
    KeyError
        If `layer` is not one of C1, S2, C3, S4.
    """
    if layer == "C1":
        return "input", (0,)
    if layer == "S2":
        return "C1", (index,)
    if layer == "C3":
        return "S2", C3_TABLE[index]
    if layer == "S4":
        return "C3", (index,)
    raise KeyError(f"no feature maps in layer {layer!r}")
