"""The network's and the head's readings of candidate digits, the latest remembered.

A number is read by reading many candidate digits (runs of pieces, sets of
fragments), and while it is drawn most of them are the same ink as at the
mouse move before. :class:`CandidateReads` reads candidates with the
classifier and the not-a-digit head and remembers, by a digest, what the
latest gave: each candidate's network input (by its ink), its outputs and
verdict (by its input), and the readings alone of the digits shown. Only
readings with the network as it is are remembered (no ablation, no
distortion).

Uses torch and numpy, never Qt.
"""

from __future__ import annotations

import numpy as np
import torch

from lenet_gui.imaging.preprocess import preprocess_ink
from lenet_gui.network.classifier import Classifier, Prediction
from lenet_gui.network.model import Ablation
from lenet_gui.reading.recent import Recent, digest
from lenet_gui.reading.verdict import NotDigitHead, features

__all__ = ["CandidateReads"]

# Candidates whose network input and outputs are remembered, the newest.
_REMEMBERED = 256
# Digits whose whole reading (every layer) is remembered, the newest: those
# of the latest few readings, enough for a number of 8 digits.
_REMEMBERED_DIGITS = 32


class CandidateReads:
    """Read candidate digits with a classifier and a head, the latest remembered.

    Parameters
    ----------
    classifier : Classifier
        The network.
    head : NotDigitHead, optional
        The not-a-digit head; without it every chance of "not a digit" is 0.
    """

    def __init__(self, classifier: Classifier, head: NotDigitHead | None) -> None:
        self.classifier = classifier
        self.head = head
        self._inputs: Recent[np.ndarray | None] = Recent(_REMEMBERED)
        self._outputs: Recent[tuple[np.ndarray, float, np.ndarray]] = Recent(
            _REMEMBERED
        )
        self._alone: Recent[Prediction] = Recent(_REMEMBERED_DIGITS)

    @property
    def cutoff(self) -> float:
        """The head's threshold of "not a digit" (1.0 without a head)."""
        return 1.0 if self.head is None else self.head.cutoff

    def network_input(self, ink: np.ndarray) -> np.ndarray | None:
        """Return ``preprocess_ink(ink)``, remembered for the latest candidates."""
        key = digest(ink)
        if key in self._inputs:
            return self._inputs.get(key)
        network_input = preprocess_ink(ink)
        self._inputs.put(key, network_input)
        return network_input

    def batch(
        self, batch: np.ndarray, ablation: Ablation | None, remember: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the probabilities, not-a-digit chances and F6 of a batch.

        With `remember`, inputs read before are not read again.
        """
        size = batch.shape[0]
        probabilities = np.zeros((size, 10))
        chances = np.zeros(size)
        f6 = np.zeros((size, 84), dtype=np.float32)
        keys = [digest(x) if remember else b"" for x in batch]
        todo = []
        for i, key in enumerate(keys):
            if remember and key in self._outputs:
                probabilities[i], chances[i], f6[i] = self._outputs.get(key)
            else:
                todo.append(i)
        if todo:
            found, activations = self.classifier.outputs(batch[todo], ablation)
            probabilities[todo] = found
            f6[todo] = activations["F6"].reshape(len(todo), -1).numpy()
            if self.head is not None:
                chances[todo] = self.head.probability(features(activations))
        for i in todo if remember else []:
            self._outputs.put(
                keys[i], (probabilities[i].copy(), float(chances[i]), f6[i].copy())
            )
        return probabilities, chances, f6

    def alone(
        self, network_input: np.ndarray, ablation: Ablation | None, remember: bool
    ) -> Prediction:
        """Return ``classify_input``'s reading, remembered with `remember`.

        A digit's numbers are exactly what one pass over its input gives (a
        batch may differ in the last bits).
        """
        key = digest(network_input) if remember else b""
        if remember and key in self._alone:
            return self._alone.get(key)
        prediction = self.classifier.classify_input(network_input, ablation)
        if remember:
            self._alone.put(key, prediction)
        return prediction

    def chance(self, prediction: Prediction, remember: bool) -> float | None:
        """Return the head's chance that a reading alone is not a digit.

        None without a head. With `remember`, a verdict already given for
        the same input (:meth:`judge_alone`, :meth:`batch`) is taken.
        """
        if self.head is None:
            return None
        key = digest(prediction.network_input) if remember else b""
        if remember and key in self._outputs:
            return self._outputs.get(key)[1]
        acts = {k: torch.from_numpy(v[None]) for k, v in prediction.activations.items()}
        return float(self.head.probability(features(acts))[0])

    def judge_alone(self, inputs: list[np.ndarray]) -> None:
        """Read each network input alone and judge them all in one batch of the head.

        Both are remembered: the readings alone, and the outputs with the
        head's verdict as :meth:`batch` remembers them. Nothing to do
        without a head.
        """
        if self.head is None or not inputs:
            return
        predictions = [self.alone(x, None, remember=True) for x in inputs]
        activations = {
            name: torch.from_numpy(np.stack([p.activations[name] for p in predictions]))
            for name in predictions[0].activations
        }
        chances = self.head.probability(features(activations))
        for x, prediction, chance in zip(inputs, predictions, chances, strict=True):
            self._outputs.put(
                digest(x),
                (
                    np.asarray(prediction.probabilities, dtype=np.float64),
                    float(chance),
                    prediction.activations["F6"].reshape(-1).copy(),
                ),
            )
