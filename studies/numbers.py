"""Numbers and non-digits study: whole numbers by held-out writers, and shapes.

Pen digits of writers the not-a-digit head never saw (``--holdout``; the
bundled network itself was trained on all 30 writers of the stroke file, so
for it these writers are not new) are composed into numbers of 2 to 6
digits, one writer per number, the digits apart (gaps of 0.15-0.5 of a
digit's height) or touching (-0.05 to +0.02: the ink of neighbours meets),
and read:

- as images, through :class:`lenet_gui.reading.number.NumberReader`, as
  ``--predict`` reads a file;
- replayed as mouse strokes on the real window (2-4 digits, apart, and at
  the end touching), read from ``window.reading()["text"]``;
- single held-out digits: accuracy, and how many are called "not a digit";
- MNIST test (10,000): accuracy, and how many are called "not a digit";
- drawn non-digits (a seed the head's training never used), each kind
  drawn square and at its own proportions: how many are called "not a digit".

    python -m studies.numbers --strokes FILE --mnist DIR [--count 200] [--gui 60]
        [--sheet canvas-misses.png]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lenet_gui.drawing.paper import render
from lenet_gui.files.idx import load_mnist
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.imaging.preprocess import from_mnist
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.segment_scorer import load_scorer
from lenet_gui.reading.verdict import features, load_head
from lenet_gui.training.numbers import SHAPES, compose_number, non_digit_strokes

HOLDOUT = ",".join(f"train_w{k}" for k in range(25, 31))
APART = (0.15, 0.5)
TOUCHING = (-0.05, 0.02)


def _numbers(
    digits: list[PenDigit], count: int, sizes: tuple[int, int], rng: np.random.Generator
) -> list[list[PenDigit]]:
    writers = sorted({d.writer for d in digits})
    out = []
    for _ in range(count):
        writer = writers[int(rng.integers(len(writers)))]
        mine = [d for d in digits if d.writer == writer]
        k = int(rng.integers(sizes[0], sizes[1] + 1))
        out.append([mine[int(i)] for i in rng.integers(len(mine), size=k)])
    return out


def _pen(k: int) -> float:
    return 24.0 if k <= 2 else 16.0 if k <= 4 else 12.0


def read_images(reader: NumberReader, numbers, gap, rng):
    """Compose each number as an image and read it, as ``--predict`` reads a file.

    Yields each number's digits, its true text, the reading (None for no
    ink) and the milliseconds the reading took.
    """
    for digits in numbers:
        strokes, _ = compose_number(digits, gap, rng)
        image = render(strokes, _pen(len(digits)))
        start = time.perf_counter()
        reading = reader.read(image)
        ms = 1000 * (time.perf_counter() - start)
        yield digits, "".join(str(d.label) for d in digits), reading, ms


def images(reader: NumberReader, numbers, gap, rng) -> tuple[float, float]:
    """Exact-match rate and median time (ms) reading composed images."""
    right, times = 0, []
    for _, truth, reading, ms in read_images(reader, numbers, gap, rng):
        times.append(ms)
        right += reading is not None and reading.text == truth
    return right / len(numbers), float(np.median(times))


def on_canvas(
    classifier: Classifier, numbers, rng, sheet: str | None = None, gap=APART
) -> float:
    """Exact-match rate of numbers replayed as mouse strokes on the window.

    With `sheet`, the canvas of each misread number (its boxes and tags as
    the window draws them), the truth and the reading written above, is
    saved as one PNG.
    """
    from PySide6.QtWidgets import QApplication

    from lenet_gui.gui import MainWindow
    from lenet_gui.gui.replay import replay, widget_transform

    app = QApplication.instance() or QApplication([])
    window = MainWindow(classifier)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    transform = widget_transform(window.canvas)
    right = 0
    misses: list = []
    for digits in numbers:
        window.canvas.clear()
        window.canvas.set_pen_width(_pen(len(digits)))
        strokes, _ = compose_number(digits, gap, rng)
        replay(window.canvas, strokes, transform)
        reading = window.reading()
        truth = "".join(str(d.label) for d in digits)
        ok = reading is not None and reading["text"] == truth
        right += ok
        if sheet and not ok:
            said = None if reading is None else reading["text"]
            misses.append((window.canvas.grab().toImage(), f"{truth} read {said!r}"))
    window.hide()
    window.deleteLater()
    if sheet:
        _save_sheet(misses, sheet)
    return right / len(numbers)


def _save_sheet(misses: list, path: str, side: int = 300) -> None:
    """Save the canvases of misread numbers, four to a row, titled, as a PNG."""
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    columns = 4
    rows = max(1, -(-len(misses) // columns))
    out = QImage(side * columns, side * rows, QImage.Format.Format_RGB32)
    out.fill(QColor(128, 128, 128))
    painter = QPainter(out)
    painter.setFont(QFont("Sans", 11))
    for k, (image, title) in enumerate(misses):
        x, y = (k % columns) * side, (k // columns) * side
        painter.drawImage(x, y, image.scaled(side - 4, side - 4))
        painter.setPen(QColor(0, 120, 0))
        painter.drawText(x + 4, y + 16, title)
    painter.end()
    out.save(path)


def singles(reader: NumberReader, digits: list[PenDigit], rng) -> tuple[float, float]:
    """Accuracy and "not a digit" rate of single held-out digits, as drawn."""
    right = flagged = 0
    for digit in digits:
        strokes, _ = compose_number([digit], (0, 0), rng)
        reading = reader.read(render(strokes, 24.0))
        if reading is None:
            continue
        flagged += reading.not_digit is not None
        right += reading.digits[0].digit == digit.label and reading.not_digit is None
    return right / len(digits), flagged / len(digits)


def mnist(reader: NumberReader, folder: str) -> tuple[float, float]:
    """MNIST test accuracy of the network and its "not a digit" rate."""
    images_, labels = load_mnist(folder, "test")
    inputs = from_mnist(images_)
    probabilities, activations = reader.classifier.outputs(inputs)
    assert reader.head is not None
    chance = reader.head.probability(features(activations))
    accuracy = float((probabilities.argmax(1) == labels).mean())
    return accuracy, float((chance > reader.head.cutoff).mean())


def shapes(reader: NumberReader, per_kind: int, rng) -> dict[str, float]:
    """Return the "not a digit" rate of each kind of drawn shape."""
    rates = {}
    for kind in SHAPES:
        flagged = 0
        for k in range(per_kind):
            strokes = non_digit_strokes(kind, rng)
            if k % 2:  # square: as tall as wide, like a character in a box
                points = np.concatenate(strokes)
                low, high = points.min(0), points.max(0)
                span = np.maximum(high - low, 1e-3)
                strokes = [(s - low) / span for s in strokes]
            strokes = [s * 280 + 84 for s in strokes]
            reading = reader.read(render(strokes, float(rng.uniform(12, 32))))
            flagged += reading is not None and reading.not_digit is not None
        rates[kind] = flagged / per_kind
    return rates


def main(argv: list[str] | None = None) -> int:
    """Run the study and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--holdout", default=HOLDOUT)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--gui", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--sheet", help="save the canvases of numbers misread on the window here (PNG)"
    )
    args = parser.parse_args(argv)
    use_one_thread()
    rng = np.random.default_rng(args.seed)
    held = set(args.holdout.split(","))
    digits = [d for d in load_pen_digits(args.strokes) if d.writer in held]
    reader = NumberReader(Classifier.load(), load_head(), load_scorer())
    print(f"held-out writers: {len(held)}, {len(digits)} digits")
    for name, gap in (("apart", APART), ("touching", TOUCHING)):
        numbers = _numbers(digits, args.count, (2, 6), rng)
        rate, ms = images(reader, numbers, gap, rng)
        print(
            f"numbers of 2-6 digits, {name}, as images: {rate:.1%} exact "
            f"(n={len(numbers)}, median {ms:.1f} ms a read)"
        )
    if args.gui:
        numbers = _numbers(digits, args.gui, (2, 4), rng)
        rate = on_canvas(reader.classifier, numbers, rng, args.sheet)
        print(
            f"numbers of 2-4 digits replayed on the canvas: {rate:.1%} exact "
            f"(n={len(numbers)})"
        )
    accuracy, flagged = singles(reader, digits, rng)
    print(
        f"single held-out digits: {accuracy:.2%} read right, "
        f"{flagged:.2%} called not a digit (n={len(digits)})"
    )
    accuracy, flagged = mnist(reader, args.mnist)
    print(f"MNIST test: {accuracy:.2%} accuracy, {flagged:.2%} called not a digit")
    rates = shapes(reader, 40, rng)
    for kind, rate in rates.items():
        print(f"  {kind:9s} {rate:.0%} called not a digit")
    print(
        f"drawn non-digits: {np.mean(list(rates.values())):.1%} called not a "
        f"digit (n={40 * len(rates)})"
    )
    if args.gui:  # last, so the figures above keep their numbers for a seed
        numbers = _numbers(digits, args.gui, (2, 4), rng)
        rate = on_canvas(reader.classifier, numbers, rng, gap=TOUCHING)
        print(
            f"numbers of 2-4 digits, touching, replayed on the canvas: {rate:.1%} "
            f"exact (n={len(numbers)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
