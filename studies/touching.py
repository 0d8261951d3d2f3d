"""Validation of the number reader's constants, on writers kept for it (w19-w24).

The segment scorer trains on writers w01-w18 and the held-out figures of
``studies.numbers`` are of w25-w30; the reader's constants (cut spacing,
path terms, the scorer's training) are chosen on these writers instead:

- numbers of 2-6 digits, touching and apart, read as images: exact rate,
  how many are called "not digits", and how many got the right number of
  digits;
- drawn non-digits (every kind of ``training.shapes``): how many are
  called "not a digit";
- single digits: read right, and their growing states (each stroke at a
  third and two thirds of its points) read as several digits.

    python -m studies.touching --strokes FILE [--count 200] [--apart 150]
        [--shapes 30] [--singles 300] [--scorer FILE]
"""

from __future__ import annotations

import argparse

import numpy as np

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.segment_scorer import load_scorer
from lenet_gui.reading.verdict import load_head
from lenet_gui.training.numbers import compose_number
from studies.numbers import APART, TOUCHING, _numbers, read_images, shapes

VALIDATION = ",".join(f"train_w{k}" for k in range(19, 25))


def numbers(
    reader: NumberReader,
    digits: list[PenDigit],
    count: int,
    gap: tuple[float, float],
    rng: np.random.Generator,
) -> dict[str, float]:
    """Exact, "not digits" and right-count rates, and the median read (ms)."""
    exact = refused = counted = 0
    times = []
    chosen = _numbers(digits, count, (2, 6), rng)
    for number, truth, reading, ms in read_images(reader, chosen, gap, rng):
        times.append(ms)
        exact += reading is not None and reading.text == truth
        refused += reading is not None and reading.not_digit is not None
        counted += reading is not None and len(reading.digits) == len(number)
    n = max(1, len(chosen))
    return {
        "exact": exact / n,
        "not digits": refused / n,
        "right count": counted / n,
        "median ms": float(np.median(times)) if times else 0.0,
    }


def singles(
    reader: NumberReader, digits: list[PenDigit], count: int, rng: np.random.Generator
) -> tuple[float, int, int]:
    """Single digits read right, and growing states read as several digits."""
    right = split = states = 0
    for index in rng.integers(len(digits), size=count):
        digit = digits[int(index)]
        strokes, _ = compose_number([digit], (0.0, 0.0), rng)
        reading = reader.read(render(strokes, 24.0))
        right += reading is not None and reading.text == str(digit.label)
        for k, stroke in enumerate(strokes):
            for end in sorted({len(stroke) // 3, 2 * len(stroke) // 3}):
                if end < 2:
                    continue
                reading = reader.read(render([*strokes[:k], stroke[:end]], 24.0))
                states += 1
                split += (
                    reading is not None
                    and reading.not_digit is None
                    and len(reading.digits) > 1
                )
    return right / max(1, count), split, states


def main(argv: list[str] | None = None) -> int:
    """Run the validation and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--writers", default=VALIDATION)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--apart", type=int, default=150)
    parser.add_argument("--shapes", type=int, default=30)
    parser.add_argument("--singles", type=int, default=300)
    parser.add_argument("--scorer", help="a segment scorer's file (the bundled one)")
    parser.add_argument("--seed", type=int, default=777)
    args = parser.parse_args(argv)
    use_one_thread()
    writers = set(args.writers.split(","))
    digits = [d for d in load_pen_digits(args.strokes) if d.writer in writers]
    reader = NumberReader(Classifier.load(), load_head(), load_scorer(args.scorer))
    rng = np.random.default_rng(args.seed)
    print(f"writers: {len(writers)}, {len(digits)} digits")
    for name, gap, count in (
        ("touching", TOUCHING, args.count),
        ("apart", APART, args.apart),
    ):
        if count:
            found = numbers(reader, digits, count, gap, rng)
            figures = ", ".join(
                f"{k} {v:.1%}" for k, v in found.items() if "ms" not in k
            )
            print(
                f"numbers of 2-6 digits, {name} (n={count}): {figures}; "
                f"median {found['median ms']:.1f} ms a read"
            )
    if args.shapes:
        rates = shapes(reader, args.shapes, np.random.default_rng(args.seed + 1))
        print(
            f"drawn non-digits: {np.mean(list(rates.values())):.1%} called not a "
            f"digit (n={args.shapes * len(rates)})"
        )
    if args.singles:
        right, split, states = singles(reader, digits, args.singles, rng)
        print(
            f"single digits: {right:.1%} read right (n={args.singles}); growing "
            f"states read as several digits: {split} of {states}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
