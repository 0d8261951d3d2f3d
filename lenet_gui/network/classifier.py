"""Classify any digit image with LeNet-5: the API for the GUI and for scripts.

>>> classifier = Classifier.load()           # the bundled weights
>>> result = classifier.predict(image)       # any 2-D array, either polarity
>>> result.digit, result.probabilities       # None when there is no digit
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lenet_gui.imaging.preprocess import preprocess
from lenet_gui.network.inference import InferencePass
from lenet_gui.network.model import (
    Ablation,
    LayerSummary,
    LeNet5,
    Subsampling,
    layer_bias,
)
from lenet_gui.network.weights import load_model
from lenet_gui.network.weights_guard import recorded_accuracy, recorded_temperature
from lenet_gui.spec.lenet5 import Kind, NetworkSpec

__all__ = ["Classifier", "Prediction", "UnitSum", "use_one_thread"]


@dataclass(frozen=True)
class Prediction:
    """What LeNet-5 made of one image.

    Attributes
    ----------
    digit : int
        The most probable digit.
    probabilities : np.ndarray
        (10,) float64, the softmax of the output layer; sums to 1.
    network_input : np.ndarray
        (32, 32) float32, the preprocessed image the network actually saw.
    activations : dict of str to np.ndarray
        Each layer's output for this image, without the batch axis: C1
        (6, 28, 28), S2 (6, 14, 14), C3 (16, 10, 10), S4 (16, 5, 5), C5 (120,),
        F6 (84,), output (10,) logits.
    """

    digit: int
    probabilities: np.ndarray
    network_input: np.ndarray
    activations: dict[str, np.ndarray] = field(repr=False)

    @property
    def confidence(self) -> float:
        """Probability of the predicted digit."""
        return float(self.probabilities[self.digit])


@dataclass(frozen=True)
class UnitSum:
    """How one unit's value was computed, with the numbers.

    Every unit computes ``f(sum(weights * inputs) + bias)``, f the scaled tanh
    (none for the output layer, whose sums are the softmax's logits): C1, C3
    and C5 with a 5x5 kernel on each map they read, S2 and S4 with their
    map's coefficient on each of the 2x2 values they sum, F6 and the output
    with one weight per unit below.

    Attributes
    ----------
    below : str
        The layer read: ``"input"``, ``"C1"``, ..., ``"F6"``.
    maps : tuple of int
        The maps (units, for C5 up) of `below` read; for C3, Table I.
    weights : np.ndarray
        (len(maps), k, k) float64 weights: k = 5 for convolutions, 2 for
        subsamplings, 1 for full layers (one weight per unit read).
    inputs : np.ndarray
        (len(maps), k, k) float64 values read, in the same places.
    bias : float
        The unit's bias.
    value : float
        The unit's output: ``f(total)``, or `total` for the output layer.
    """

    below: str
    maps: tuple[int, ...]
    weights: np.ndarray
    inputs: np.ndarray
    bias: float
    value: float

    @property
    def total(self) -> float:
        """The weighted sum plus the bias: the unit's value before squashing."""
        return float((self.weights * self.inputs).sum()) + self.bias


class Classifier:
    """LeNet-5 with its weights, ready to read digits.

    Parameters
    ----------
    model : LeNet5
        A trained model.
    metadata : dict, optional
        What is known about the weights (e.g. ``test_accuracy``).
    source : Path, optional
        The weights file the model came from.
    """

    def __init__(
        self,
        model: LeNet5,
        metadata: dict[str, Any] | None = None,
        source: Path | None = None,
    ) -> None:
        self._model = model.eval()
        self._pass = InferencePass(self._model)
        self.metadata = dict(metadata or {})
        self.source = source

    @classmethod
    def load(cls, path: Path | str | None = None) -> Classifier:
        """Load a weights file (the bundled one by default), checked before use.

        Raises
        ------
        lenet_gui.network.weights.WeightsError
            The file cannot be used; the message says why.
        """
        model, metadata = load_model(path)
        return cls(model, metadata, None if path is None else Path(path))

    @property
    def spec(self) -> NetworkSpec:
        """The network's specification: layers, sizes, levels."""
        return self._model.spec

    @property
    def model(self) -> LeNet5:
        """The model itself, for batched work in :mod:`lenet_gui.network`.

        In evaluation mode; nothing may change its weights.
        """
        return self._model

    def unit_sum(
        self, prediction: Prediction, layer: str, index: int, row: int = 0, col: int = 0
    ) -> UnitSum:
        """Work out one unit's value for a prediction, term by term.

        Parameters
        ----------
        prediction : Prediction
            A result of this classifier.
        layer : str
            A layer name: ``"C1"`` to ``"F6"`` or ``"output"``.
        index, row, col : int
            The unit's map and position in it (0, 0 for C5 and up).

        Raises
        ------
        KeyError
            If there is no layer `layer`.
        IndexError
            If the unit lies outside the layer.
        """
        spec = self.spec.layer(layer)
        below, maps = self.spec.sources(layer, index)
        side = max(spec.side, 1)
        if not (0 <= row < side and 0 <= col < side):
            raise IndexError(f"{layer} has no unit {index} ({row}, {col})")
        if below == "input":
            source = prediction.network_input[None]
        else:
            source = prediction.activations[below]
        if spec.kind is Kind.FULL:
            inputs = source[list(maps)].reshape(-1, 1, 1)
        else:
            source = source.reshape(-1, *source.shape[-2:])  # C5: (16, 5, 5)
            top, left = row * spec.stride, col * spec.stride
            window = (slice(top, top + spec.kernel), slice(left, left + spec.kernel))
            inputs = source[(list(maps), *window)]
        module = self._model.layer(layer)
        with torch.no_grad():
            if isinstance(module, Subsampling):
                weights = np.full(inputs.shape, float(module.coefficient[index]))
            else:
                weights = module.weight[index].double().numpy()
                weights = weights.reshape(spec.inputs, *inputs.shape[1:])[list(maps)]
            bias = float(layer_bias(module)[index])
        inputs = inputs.astype(np.float64)
        total = float((weights * inputs).sum()) + bias
        value = self.spec.squash(total) if spec.squashed else total
        return UnitSum(below, maps, weights, inputs, bias, value)

    def summary(self) -> list[LayerSummary]:
        """Return the model's per-layer table (shapes, parameters, connections)."""
        return self._model.summary()

    @property
    def test_accuracy(self) -> float | None:
        """MNIST test accuracy recorded with the weights, if any.

        None also when the recorded value is not a fraction from 0 to 1 (5.0
        or ``true`` in a hand-edited file), so it is never shown as "500 %".
        """
        return recorded_accuracy(self.metadata)

    @property
    def temperature(self) -> float:
        """The softmax temperature recorded with the weights (1 without one).

        Probabilities are ``softmax(logits / temperature)``: a temperature
        fitted on writers the network never saw makes a "90 % sure" right about
        nine times in ten (temperature scaling, Guo et al. 2017). The digit
        read, the largest logit, does not change. A recorded value that is
        not a number from 0.05 to 20 is not used.
        """
        return recorded_temperature(self.metadata)

    def predict(
        self, image: np.ndarray, ablation: Ablation | None = None
    ) -> Prediction | None:
        """Preprocess an image as MNIST was made and classify it.

        Parameters
        ----------
        image : np.ndarray
            A 2-D array of any size and real dtype; dark ink on light paper
            or light ink on dark, as a scan or a canvas gives it.
        ablation : mapping of str to collection of int, optional
            Maps or units to switch off, e.g. ``{"C3": {4}}``; see
            :meth:`LeNet5.forward_with_activations`.

        Returns
        -------
        Prediction or None
            None when the image holds no digit (blank or nearly so).

        Raises
        ------
        ValueError
            The array cannot be an image (not 2-D, empty, not real numbers).
        KeyError, IndexError, TypeError
            `ablation` names a layer, map or unit LeNet-5 does not have.
        """
        network_input = preprocess(image)
        if network_input is None:
            return None
        return self.classify_input(network_input, ablation)

    def classify_input(
        self, network_input: np.ndarray, ablation: Ablation | None = None
    ) -> Prediction:
        """Classify an already preprocessed (32, 32) input in network levels.

        `ablation` switches maps or units off, as in :meth:`predict`.
        """
        x = torch.from_numpy(np.ascontiguousarray(network_input, dtype=np.float32))
        side = self.spec.input_size
        with torch.inference_mode():
            logits, activations = self._pass(x.view(1, 1, side, side), ablation)
        arrays = {name: value[0].numpy() for name, value in activations.items()}
        probabilities = _softmax(logits, self.temperature)[0]
        return Prediction(
            digit=int(probabilities.argmax()),
            probabilities=probabilities,
            network_input=network_input,
            activations=arrays,
        )

    def probabilities(
        self, network_inputs: np.ndarray, ablation: Ablation | None = None
    ) -> np.ndarray:
        """Return the (N, 10) float64 probabilities of (N, 32, 32) inputs, in one pass.

        The same softmax as :meth:`classify_input`, for sweeps and batches.
        """
        x = torch.from_numpy(np.ascontiguousarray(network_inputs, dtype=np.float32))
        side = self.spec.input_size
        with torch.inference_mode():
            logits, _ = self._pass(x.view(-1, 1, side, side), ablation)
        return _softmax(logits, self.temperature)

    def outputs(
        self, network_inputs: np.ndarray, ablation: Ablation | None = None
    ) -> tuple[np.ndarray, dict[str, torch.Tensor]]:
        """Read (N, 32, 32) inputs in one pass: probabilities and every layer.

        Returns the (N, 10) float64 probabilities, as :meth:`probabilities`
        gives them, and each layer's (N, ...) output by name, as
        :meth:`LeNet5.forward_with_activations` gives them.
        """
        x = torch.from_numpy(np.ascontiguousarray(network_inputs, dtype=np.float32))
        side = self.spec.input_size
        with torch.inference_mode():
            logits, activations = self._pass(x.view(-1, 1, side, side), ablation)
        return _softmax(logits, self.temperature), dict(activations)


def _softmax(logits: torch.Tensor, temperature: float) -> np.ndarray:
    """Return the softmax of (N, 10) logits / temperature as float64, by row."""
    logits64 = logits.double().numpy() / temperature
    probabilities = np.exp(logits64 - logits64.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    return probabilities


def use_one_thread() -> None:
    """Run torch on one thread, the fastest way to classify one image at a time.

    A forward pass over one 32x32 image takes well under a millisecond, too
    little to share out. With other work on a 2-core machine, torch's default
    two-thread pool measured 0.7 ms median but 176 ms at the 95th percentile
    per prediction, against 0.5 ms and 5 ms on one thread.
    """
    torch.set_num_threads(1)
