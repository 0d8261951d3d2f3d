"""Make resources/examples.json: the example digits offered on an empty canvas.

Ten MNIST test digits (one of each, traced into pen strokes from their
skeletons), ten digits written with a stylus by real people (UCI
pen-digits, one of each, each by another writer) and four instructive ones:
digits written in a way that could mislead a person, which the network
still reads right. They are placed on the 448 px paper as a person draws,
so loading an example gives strokes that undo and further drawing work on.
Run from the repository root::

    python resources/make_examples.py --mnist path/to/mnist \
        --strokes path/to/pendigits-train.json

The digits were picked by eye, for being read at a glance, among those that
pass the rules checked here: an MNIST digit is not bold (bold digits lose
their shape as skeletons), traces into at most three strokes, and the
bundled weights read the original image at 99.5 % or more; every plain
example, drawn as the canvas draws it, is read as its digit at 99 % or more,
an instructive one at 95 % or more. A pick that breaks a rule stops the
script.
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
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.verdict import load_head
from lenet_gui.training.skeletons import BOLD_WIDTH, digit_strokes

HEIGHT = 0.62  # of the paper's side, as a person draws a digit

#: MNIST test-set index of the example of each digit, 0 to 9.
MNIST_PICKS = (10, 14, 35, 32, 6, 23, 50, 0, 179, 99)
#: Index in the pen-digits file of the example of each digit, 0 to 9.
PEN_PICKS = (7, 29, 1, 35, 37, 8, 24, 126, 0, 10)
#: Instructive pen digits: (index in the pen-digits file, what it teaches,
#: the caption under its thumbnail).
LESSONS = (
    (1792, "a 1 with a long flag, that looks like a 7", "1, not 7"),
    (1402, "a 7 crossed in the middle, as much of Europe writes it", "crossed 7"),
    (3582, "a 4 written in one stroke, open at the top", "open 4"),
    (1560, "a 0 with a slash through it", "slashed 0"),
)
PLAIN_CONFIDENCE = 0.99
LESSON_CONFIDENCE = 0.95


def centred(strokes: list[np.ndarray]) -> list[list[list[float]]]:
    """Scale strokes to HEIGHT of the paper and centre them; round to 0.1 px."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = HEIGHT * PAPER_SIZE / max(high[1] - low[1], 1e-6)
    centre = (low + high) / 2
    return [
        np.round((s - centre) * scale + PAPER_SIZE / 2, 1).tolist() for s in strokes
    ]


def checked(
    classifier: Classifier, digit: int, placed: list, least: float, what: str
) -> list:
    """Return `placed` if the network reads it as `digit` at `least`; else stop.

    The window reads it as one digit, not cut into a number, and not flagged.
    """
    image = render(placed, DEFAULT_PEN_WIDTH)
    read = classifier.predict(image)
    if read is None or read.digit != digit or read.confidence < least:
        got = "nothing" if read is None else f"{read.digit} at {read.confidence:.1%}"
        raise SystemExit(f"{what}: read as {got}, not {digit} at {least:.0%}")
    reading = NumberReader(classifier, load_head()).read(image)
    if reading is None or reading.text != str(digit):
        got = "nothing" if reading is None else repr(reading.text)
        raise SystemExit(f"{what}: the window would read {got}, not {digit}")
    return placed


def _a(digit: int) -> str:
    """Say "a 7", "an 8"."""
    return f"{'an' if digit == 8 else 'a'} {digit}"


def main() -> None:
    """Write resources/examples.json from MNIST and the pen-digits file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=Path, required=True)
    parser.add_argument("--strokes", type=Path, required=True)
    args = parser.parse_args()
    images, labels = load_mnist(args.mnist, "test")
    classifier = Classifier.load()
    examples = []
    for digit, index in enumerate(MNIST_PICKS):
        image, what = images[index], f"MNIST test #{index}"
        if labels[index] != digit:
            raise SystemExit(f"{what} is a {labels[index]}, not a {digit}")
        strokes = digit_strokes(image)
        original = classifier.predict(image.astype(np.float32) / 255.0)
        if (
            stroke_width(image / 255.0) > BOLD_WIDTH
            or not 0 < len(strokes) <= 3
            or original is None
            or original.digit != digit
            or original.confidence < 0.995
        ):
            raise SystemExit(f"{what} does not pass the rules for an MNIST example")
        placed = checked(classifier, digit, centred(strokes), PLAIN_CONFIDENCE, what)
        examples.append(
            {
                "label": digit,
                "kind": "mnist",
                "source": f"{what}, written as {_a(digit)}",
                "caption": f"#{index}",
                "strokes": placed,
            }
        )
    pen = json.loads(args.strokes.read_text())
    picks = [(index, "", "") for index in PEN_PICKS] + list(LESSONS)
    for position, (index, lesson, caption) in enumerate(picks):
        sample = pen[index]
        digit = int(sample["label"])
        if not lesson and digit != position:
            raise SystemExit(f"pen digit {index} is a {digit}, not a {position}")
        writer = int(str(sample["writer"]).rpartition("w")[2])
        strokes = [np.asarray(s, dtype=np.float64) for s in sample["strokes"]]
        least = LESSON_CONFIDENCE if lesson else PLAIN_CONFIDENCE
        what = f"pen digit, writer {writer}"
        placed = checked(classifier, digit, centred(strokes), least, what)
        examples.append(
            {
                "label": digit,
                "kind": "lesson" if lesson else "pen",
                "source": f"{what}: {lesson}"
                if lesson
                else f"{what}, written as {_a(digit)}",
                "caption": caption or f"writer {writer}",
                "strokes": placed,
            }
        )
    out = Path(__file__).with_name("examples.json")
    out.write_text(json.dumps(examples, separators=(",", ":")) + "\n")
    print(f"wrote {len(examples)} examples to {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
