"""The drawings and images whose readings must never change, and their readings.

Used by ``tests/test_same_readings.py`` and by ``tests/data/make_readings.py``,
which stores what the bundled weights read in them
(``tests/data/readings.npz``). Every case is made from files inside the
project: the bundled MNIST sample and the example digits, drawn stroke by
stroke as a person draws them (each prefix of a stroke is a case), plus
numbers of two and three examples side by side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import numpy as np

from lenet_gui.drawing.examples import load_examples
from lenet_gui.drawing.paper import render
from lenet_gui.files.bundled import bundled_file

#: MNIST sample images whose preprocessing and single-image pass are checked.
MNIST_SINGLE = 120
#: Points of a stroke between two checked prefixes.
STEP = 9


def mnist_sample() -> np.ndarray:
    """Return the bundled MNIST test sample's images, (2000, 28, 28) uint8."""
    with np.load(bundled_file("resources/mnist-test-sample.npz")) as data:
        return np.asarray(data["images"])


def drawings() -> Iterator[np.ndarray]:
    """Yield the drawn cases: each example growing stroke by stroke, then numbers."""
    examples = load_examples()
    for example in examples:
        strokes = [np.asarray(s.points, dtype=np.float64) for s in example.strokes]
        width = example.strokes[0].width
        for k, stroke in enumerate(strokes):
            for end in range(1, len(stroke) + STEP, STEP):
                yield render([*strokes[:k], stroke[:end]], width)
    # Numbers: examples shrunk to half size, side by side.
    for chosen in ((0, 5), (3, 8, 12), (7, 20)):
        strokes = []
        for place, index in enumerate(chosen):
            example = examples[index % len(examples)]
            for s in example.strokes:
                points = np.asarray(s.points, dtype=np.float64) * 0.4
                points[:, 0] += 20 + 140 * place
                points[:, 1] += 130
                strokes.append(points)
        yield render(strokes, examples[0].strokes[0].width * 0.5)


def digest(arrays: list[np.ndarray]) -> str:
    """Return the sha256 of arrays' shapes, dtypes and bytes, in order."""
    h = hashlib.sha256()
    for a in arrays:
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def readings(classifier: object) -> dict[str, np.ndarray]:
    """Return everything checked, by name: probabilities, inputs' digests, ...

    Arrays of numbers are kept whole (the test reports how far they moved);
    network inputs and layer outputs are kept as digests of their bytes.
    """
    from lenet_gui.imaging.preprocess import from_mnist, preprocess
    from lenet_gui.network.classifier import Classifier
    from lenet_gui.reading.number import NumberReader
    from lenet_gui.reading.verdict import load_head

    assert isinstance(classifier, Classifier)
    images = mnist_sample()
    out: dict[str, np.ndarray] = {}
    out["mnist_batch"] = classifier.probabilities(from_mnist(images))
    singles, inputs, layers = [], [], []
    for image in images[:MNIST_SINGLE]:
        # Enlarged 4x, as a scan would give it, so the whole framing runs.
        big = np.kron(image, np.ones((4, 4), np.uint8))
        prediction = classifier.predict(big)
        assert prediction is not None
        singles.append(prediction.probabilities)
        inputs.append(prediction.network_input)
        layers.extend(prediction.activations[k] for k in sorted(prediction.activations))
    out["mnist_single"] = np.array(singles)
    out["mnist_inputs"] = np.array(digest(inputs))
    out["mnist_layers"] = np.array(digest(layers))

    reader = NumberReader(classifier, load_head())
    probabilities, chances, boxes, texts = [], [], [], []
    drawn_inputs, drawn_layers = [], []
    for drawing in drawings():
        plain = preprocess(drawing)
        drawn_inputs.append(np.zeros(0) if plain is None else plain)
        reading = reader.read(drawing)
        if reading is None:
            texts.append("-")
            continue
        texts.append(f"{reading.nearest}/{reading.not_digit}/{reading.unsure}")
        for d in reading.digits:
            probabilities.append(d.prediction.probabilities)
            chances.append(-1.0 if d.not_digit is None else d.not_digit)
            boxes.append(d.box)
            drawn_inputs.append(d.prediction.network_input)
            acts = d.prediction.activations
            drawn_layers.extend(acts[k] for k in sorted(acts))
    out["drawn_probabilities"] = np.array(probabilities)
    out["drawn_not_digit"] = np.array(chances)
    out["drawn_boxes"] = np.array(boxes)
    out["drawn_texts"] = np.array(texts)
    out["drawn_inputs"] = np.array(digest(drawn_inputs))
    out["drawn_layers"] = np.array(digest(drawn_layers))
    return out
