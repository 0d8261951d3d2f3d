"""One unit's window on the maps below, in numbers: a convolution stepped through.

A unit of C1, C3 or C5 slides a 5x5 kernel over the maps it reads; a unit of
S2 or S4 sums a 2x2 block of its own map, times the map's coefficient. For
any such unit, :func:`window_step` gives every number of its computation as
the model holds them: the inputs x under the window, the weights w, the
products x·w, their sum per map read, the bias, the sum before squashing,
and the unit's value from the forward pass itself.

>>> step = window_step(classifier, prediction, "C3", 0, 2, 5)
>>> step.products.sum() + step.bias == step.total       # what f squashes
>>> step.value                       # prediction.activations["C3"][0, 2, 5]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lenet_gui.network.classifier import Classifier, Prediction
from lenet_gui.spec.lenet5 import Kind, NetworkSpec

__all__ = ["WindowStep", "output_side", "steppable_layers", "window_step"]


@dataclass(frozen=True)
class WindowStep:
    """Every number of one unit's sum, for one place of its window.

    Attributes
    ----------
    layer : str
        The unit's layer: ``"C1"``, ``"S2"``, ``"C3"``, ``"S4"`` or ``"C5"``.
    index, row, col : int
        The unit's map and its place in that map (0, 0 for C5).
    below : str
        The layer read (``"input"`` for C1).
    maps : tuple of int
        The maps of `below` read: Table I for C3, one for S2 and S4, all 16
        for C5, the input for C1.
    sources : np.ndarray
        (len(maps), side, side) float64: the whole maps read, as the forward
        pass made them.
    top, left, size : int
        The window on those maps: its top-left place and its side.
    inputs, weights : np.ndarray
        (len(maps), size, size) float64: the values under the window, x, and
        the weights on them, w (for a subsampling, the map's coefficient in
        every place).
    bias : float
        The unit's bias.
    coefficient : float or None
        A subsampling map's trainable coefficient; None for a convolution.
    output : np.ndarray
        (side, side) float64: the whole output map the unit belongs to, as the
        forward pass made it (C5's 120 units as a 10x12 grid).
    landing : tuple of int
        Where the unit lies in `output`: (row, column).
    value : float
        The unit's value in the forward pass: the activation itself (0 when
        the map is switched off).
    amplitude, slope : float
        The squashing function ``f(a) = amplitude * tanh(slope * a)``.
    """

    layer: str
    index: int
    row: int
    col: int
    below: str
    maps: tuple[int, ...]
    sources: np.ndarray
    top: int
    left: int
    size: int
    inputs: np.ndarray
    weights: np.ndarray
    bias: float
    coefficient: float | None
    output: np.ndarray
    landing: tuple[int, int]
    value: float
    amplitude: float
    slope: float

    @property
    def products(self) -> np.ndarray:
        """(len(maps), size, size) float64: each input times its weight, x·w."""
        return self.inputs * self.weights

    @property
    def map_sums(self) -> np.ndarray:
        """(len(maps),) float64: the sum of the products on each map read."""
        return self.products.sum(axis=(1, 2))

    @property
    def total(self) -> float:
        """The sum of all products plus the bias: the value before squashing."""
        return float(self.products.sum()) + self.bias

    @property
    def squashed(self) -> float:
        """``f(total)``: what the unit's value is when its map is switched on."""
        return float(self.amplitude * np.tanh(self.slope * self.total))


def steppable_layers(spec: NetworkSpec) -> tuple[str, ...]:
    """Return the layers whose units slide a window over the maps below."""
    return tuple(
        layer.name
        for layer in spec.layers
        if layer.kind in (Kind.CONVOLUTION, Kind.SUBSAMPLING)
    )


def output_side(spec: NetworkSpec, layer: str) -> int:
    """Return how many places a window of `layer` takes along each side (1 for C5)."""
    return max(spec.layer(layer).side, 1)


def window_step(
    classifier: Classifier,
    prediction: Prediction,
    layer: str,
    index: int,
    row: int = 0,
    col: int = 0,
) -> WindowStep:
    """Return every number of one unit's sum for a prediction.

    Parameters
    ----------
    classifier : Classifier
        The classifier that made `prediction`: its weights are read.
    prediction : Prediction
        What the network made of a drawing; its activations are read.
    layer : str
        A layer whose units slide a window (see :func:`steppable_layers`).
    index, row, col : int
        The unit's map and place.

    Raises
    ------
    KeyError
        If there is no layer `layer`.
    ValueError
        If `layer` is a full layer (F6, output), which has no window.
    IndexError
        If the unit lies outside the layer.
    """
    spec = classifier.spec
    layer_spec = spec.layer(layer)
    if layer not in steppable_layers(spec):
        raise ValueError(f"{layer} units have no window: every unit reads all below")
    terms = classifier.unit_sum(prediction, layer, index, row, col)
    if terms.below == "input":
        below_maps = prediction.network_input[None]
    else:
        below_maps = prediction.activations[terms.below]
    sources = np.asarray(below_maps, dtype=np.float64)[list(terms.maps)]
    activations = np.asarray(prediction.activations[layer], dtype=np.float64)
    if layer_spec.has_maps:
        output = activations[index]
        landing = (row, col)
    else:
        # C5: one unit per map; laid out 12 wide, as the Network view does.
        columns = 12
        rows = -(-layer_spec.maps // columns)
        output = np.full(rows * columns, np.nan)
        output[: layer_spec.maps] = activations
        output = output.reshape(rows, columns)
        landing = divmod(index, columns)
    subsampling = layer_spec.kind is Kind.SUBSAMPLING
    return WindowStep(
        layer=layer,
        index=index,
        row=row,
        col=col,
        below=terms.below,
        maps=terms.maps,
        sources=sources,
        top=row * layer_spec.stride,
        left=col * layer_spec.stride,
        size=layer_spec.kernel,
        inputs=terms.inputs,
        weights=terms.weights,
        bias=terms.bias,
        coefficient=float(terms.weights.flat[0]) if subsampling else None,
        output=output,
        landing=(int(landing[0]), int(landing[1])),
        value=float(output[landing]),
        amplitude=spec.amplitude,
        slope=spec.slope,
    )
