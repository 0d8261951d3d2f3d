"""A layer's trainable numbers as numpy arrays, for showing them.

The kernels, coefficients and weight matrices exactly as the forward pass uses
them (C3's absent connections exactly zero), read-only, with one symmetric
colour limit per layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from lenet_gui.network.model import LeNet5, SparseConv2d, Subsampling, layer_bias
from lenet_gui.spec.lenet5 import Kind

__all__ = ["LayerWeights", "layer_weights"]


@dataclass(frozen=True)
class LayerWeights:
    """One layer's weights and biases (float32, read-only arrays).

    Attributes
    ----------
    name : str
        The layer: ``"C1"``, ..., ``"F6"``, ``"output"``.
    kind : Kind
        Convolution, subsampling or full.
    weights : np.ndarray
        Convolutions: the kernels, (maps, inputs, 5, 5): C1 (6, 1, 5, 5), C3
        (16, 6, 5, 5), C5 (120, 16, 5, 5). Subsamplings: the coefficient of
        each map, (maps,). Full layers: the weight matrix (units, inputs), F6
        (84, 120) and output (10, 84).
    biases : np.ndarray
        One per map or unit, (maps,).
    mask : np.ndarray or None
        C3 only: (16, 6) bool, True where Table I connects C3 map i to S2
        map j. Kernels where it is False are exactly zero in `weights`.
    limit : float
        ``max |weights|`` over the whole layer, biases excluded: a symmetric
        colour range ``[-limit, limit]`` shared by all the layer's kernels.
    """

    name: str
    kind: Kind
    weights: np.ndarray
    biases: np.ndarray
    mask: np.ndarray | None
    limit: float


def layer_weights(model: LeNet5, name: str) -> LayerWeights:
    """Return the weights of the layer called `name`.

    Raises
    ------
    KeyError
        If LeNet-5 has no layer `name`.
    """
    spec = model.spec.layer(name)
    module = model.layer(name)
    mask = None
    weight: torch.Tensor
    with torch.no_grad():
        if isinstance(module, Subsampling):
            weight = module.coefficient
        elif isinstance(module, SparseConv2d):
            # As the forward pass uses them: a loaded state_dict may hold
            # non-zero kernels where the table has no connection.
            weight = module.weight * module.mask
            mask = _frozen(module.mask[:, :, 0, 0].numpy() != 0)
        else:
            weight = module.weight
        weights = _frozen(weight.numpy().copy())
        biases = _frozen(layer_bias(module).numpy().copy())
    return LayerWeights(
        name=spec.name,
        kind=spec.kind,
        weights=weights,
        biases=biases,
        mask=mask,
        limit=float(np.abs(weights).max()),
    )


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
