"""Make resources/examples.json: the example digits offered on an empty canvas.

Ten MNIST test digits (one of each, traced into pen strokes from their
skeletons) and ten real pen trajectories (one of each, from the UCI
pen-digits writers), placed on the 448 px paper as a person would draw them,
so that loading an example gives strokes that undo and further drawing work
on. Run from the repository root::

    python resources/make_examples.py --mnist path/to/mnist \
        --strokes path/to/pendigits-train.json

MNIST digits are the first test digit of each class that traces into at
most three clean strokes (not bold: bold digits lose their shape as
skeletons) and that the bundled weights read, drawn this way, with at least
95 % confidence; pen digits are the first of each class by ten different
writers.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.files.idx import load_mnist
from lenet_gui.imaging.preprocess import stroke_width
from lenet_gui.network.classifier import Classifier
from lenet_gui.training.skeletons import BOLD_WIDTH, digit_strokes

HEIGHT = 0.62  # of the paper's side, as a person draws a digit


def centred(strokes: list[np.ndarray]) -> list[list[list[float]]]:
    """Scale strokes to HEIGHT of the paper and centre them; round to 0.1 px."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = HEIGHT * PAPER_SIZE / max(high[1] - low[1], 1e-6)
    centre = (low + high) / 2
    return [
        np.round((s - centre) * scale + PAPER_SIZE / 2, 1).tolist() for s in strokes
    ]


def main() -> None:
    """Write resources/examples.json from MNIST and the pen-digits file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=Path, required=True)
    parser.add_argument("--strokes", type=Path, required=True)
    args = parser.parse_args()
    images, labels = load_mnist(args.mnist, "test")
    classifier = Classifier.load()
    examples = []
    for digit in range(10):
        for index in np.flatnonzero(labels == digit):
            image = images[index]
            strokes = digit_strokes(image)
            if stroke_width(image / 255.0) > BOLD_WIDTH or not 0 < len(strokes) <= 3:
                continue
            placed = centred(strokes)
            read = classifier.predict(render(placed, DEFAULT_PEN_WIDTH))
            if read is not None and read.digit == digit and read.confidence >= 0.95:
                examples.append(
                    {
                        "label": digit,
                        "source": f"MNIST test digit {index}",
                        "strokes": placed,
                    }
                )
                break
    pen = json.loads(args.strokes.read_text())
    writers_used: set[str] = set()
    for digit in range(10):
        for sample in pen:
            if sample["label"] == digit and sample["writer"] not in writers_used:
                writers_used.add(sample["writer"])
                strokes = [np.asarray(s, dtype=np.float64) for s in sample["strokes"]]
                examples.append(
                    {
                        "label": digit,
                        "source": f"pen digit by writer {sample['writer']}",
                        "strokes": centred(strokes),
                    }
                )
                break
    out = Path(__file__).with_name("examples.json")
    out.write_text(json.dumps(examples, separators=(",", ":")) + "\n")
    print(f"wrote {len(examples)} examples to {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
