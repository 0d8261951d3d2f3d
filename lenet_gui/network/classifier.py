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

from lenet_gui.network.model import LayerSummary, LeNet5, ScaledTanh
from lenet_gui.network.preprocess import preprocess
from lenet_gui.network.weights import load_model
from lenet_gui.network.wiring import FEATURE_LAYERS, sources

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
    """How one feature-map unit's value was computed, with the numbers.

    Every unit of C1 to S4 computes ``f(sum(weights * inputs) + bias)``, f the
    scaled tanh: C1 and C3 with a 5x5 kernel on each map they read, S2 and S4
    with their map's coefficient on each of the 2x2 values they sum.

    Attributes
    ----------
    below : str
        The layer read: ``"input"``, ``"C1"``, ``"S2"`` or ``"C3"``.
    maps : tuple of int
        The maps of `below` read (for C3, the paper's Table I).
    weights : np.ndarray
        (len(maps), k, k) float64 weights, k = 5 for C1 and C3, 2 for S2, S4.
    inputs : np.ndarray
        (len(maps), k, k) float64 values read, in the same places.
    bias : float
        The map's bias.
    """

    below: str
    maps: tuple[int, ...]
    weights: np.ndarray
    inputs: np.ndarray
    bias: float

    @property
    def total(self) -> float:
        """The weighted sum plus the bias: the unit's value before squashing."""
        return float((self.weights * self.inputs).sum()) + self.bias

    @property
    def value(self) -> float:
        """The unit's output, ``1.7159 * tanh(2/3 * total)``."""
        return ScaledTanh.AMPLITUDE * float(np.tanh(ScaledTanh.SLOPE * self.total))


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

    def unit_sum(
        self, prediction: Prediction, layer: str, index: int, row: int, col: int
    ) -> UnitSum:
        """Work out one feature-map unit's value for a prediction, term by term.

        Parameters
        ----------
        prediction : Prediction
            A result of this classifier.
        layer : str
            ``"C1"``, ``"S2"``, ``"C3"`` or ``"S4"``.
        index, row, col : int
            The unit's map and position in it.

        Raises
        ------
        KeyError
            If `layer` has no feature maps.
        IndexError
            If the unit lies outside the layer.
        """
        below, maps = sources(layer, index)
        side, stride = FEATURE_LAYERS[layer]
        if below == "input":
            source = prediction.network_input[None]
        else:
            source = prediction.activations[below]
        count, height, width = prediction.activations[layer].shape
        if not (0 <= index < count and 0 <= row < height and 0 <= col < width):
            raise IndexError(f"{layer} has no unit {index} ({row}, {col})")
        top, left = row * stride, col * stride
        inputs = source[list(maps), top : top + side, left : left + side]
        module = getattr(self._model, layer.lower())
        with torch.no_grad():
            if isinstance(module, torch.nn.Conv2d):
                weights = module.weight[index, list(maps)].double().numpy()
            else:
                coefficient = float(module.coefficient[index])
                weights = np.full((1, side, side), coefficient)
            bias = float(module.bias[index])
        return UnitSum(below, maps, weights, inputs.astype(np.float64), bias)

    def summary(self) -> list[LayerSummary]:
        """Return the model's per-layer table (shapes, parameters, connections)."""
        return self._model.summary()

    @property
    def test_accuracy(self) -> float | None:
        """MNIST test accuracy recorded with the weights, if any."""
        return self.metadata.get("test_accuracy")

    def predict(self, image: np.ndarray) -> Prediction | None:
        """Preprocess an image as MNIST was made and classify it.

        Parameters
        ----------
        image : np.ndarray
            A 2-D array of any size and real dtype; dark ink on light paper
            or light ink on dark, as a scan or a canvas gives it.

        Returns
        -------
        Prediction or None
            None when the image holds no digit (blank or nearly so).

        Raises
        ------
        ValueError
            The array cannot be an image (not 2-D, empty, not real numbers).
        """
        network_input = preprocess(image)
        if network_input is None:
            return None
        return self.classify_input(network_input)

    def classify_input(self, network_input: np.ndarray) -> Prediction:
        """Classify an already preprocessed (32, 32) input in network levels."""
        x = torch.from_numpy(np.ascontiguousarray(network_input, dtype=np.float32))
        with torch.inference_mode():
            logits, activations = self._model.forward_with_activations(
                x.view(1, 1, 32, 32)
            )
        arrays = {name: value[0].numpy() for name, value in activations.items()}
        logits64 = logits[0].double().numpy()
        probabilities = np.exp(logits64 - logits64.max())
        probabilities /= probabilities.sum()
        return Prediction(
            digit=int(probabilities.argmax()),
            probabilities=probabilities,
            network_input=network_input,
            activations=arrays,
        )


def use_one_thread() -> None:
    """Run torch on one thread, the fastest way to classify one image at a time.

    A forward pass over one 32x32 image takes well under a millisecond, too
    little to share out. With other work on a 2-core machine, torch's default
    two-thread pool measured 0.7 ms median but 176 ms at the 95th percentile
    per prediction, against 0.5 ms and 5 ms on one thread.
    """
    torch.set_num_threads(1)
