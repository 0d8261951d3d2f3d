"""Numbers read with their strokes against the picture alone, on writers kept for it.

The canvas knows the strokes of what is drawn and reads a number by them
(:mod:`lenet_gui.reading.stroke_runs`); a file is read from its picture
alone. Pen digits of the validation writers (w19-w24, the ones the number
reader's constants are chosen on) are composed into numbers of 2-6 digits,
touching and apart, and single digits; drawn shapes and letters (the
program's own recipes, a seed the not-a-digit head never used) are drawn
too. Each is read twice by the reader as shipped: from its picture, as
``--predict`` reads a file, and with its strokes, each drawn alone, as the
canvas reads it once the pen lifts. Prints the share read exactly (numbers)
or called not digits (shapes, letters), both ways.

    python -m studies.stroke_numbers --strokes FILE [--count 200] [--apart 150]
        [--singles 300] [--shapes 20] [--letters 4]
"""

from __future__ import annotations

import argparse

import numpy as np

from lenet_gui.drawing.paper import Stroke, render
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.gui.state.stroke_inks import StrokeInks
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.segment_scorer import load_scorer
from lenet_gui.reading.verdict import load_head
from lenet_gui.training.letters import LETTERS, letter_strokes
from lenet_gui.training.numbers import SHAPES, compose_number, non_digit_strokes
from studies.numbers import APART, TOUCHING, _numbers, _pen
from studies.touching import VALIDATION


def both(
    reader: NumberReader, strokes: list[np.ndarray], width: float
) -> tuple[str | None, str | None]:
    """Return what the picture alone and the picture with its strokes read."""
    pen = [Stroke(tuple(map(tuple, s.tolist())), width) for s in strokes]
    image = render([s.points for s in pen], width)
    inks = StrokeInks()
    alone = reader.read(image)
    known = reader.read(image, strokes=lambda: inks.of(pen))
    return (
        None if alone is None else alone.text,
        None if known is None else known.text,
    )


def numbers(
    reader: NumberReader,
    digits: list[PenDigit],
    count: int,
    how: tuple[tuple[int, int], tuple[float, float]],
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Exact rates of composed numbers, from the picture and with strokes."""
    sizes, gap = how
    right = np.zeros(2)
    for number in _numbers(digits, count, sizes, rng):
        strokes, _ = compose_number(number, gap, rng)
        truth = "".join(str(d.label) for d in number)
        right += [t == truth for t in both(reader, strokes, _pen(len(number)))]
    return right[0] / max(1, count), right[1] / max(1, count)


def refused(
    reader: NumberReader, drawn: list[tuple[list[np.ndarray], float]]
) -> tuple[float, float]:
    """Shares called not digits, from the picture and with strokes."""
    flagged = np.zeros(2)
    for strokes, width in drawn:
        flagged += [t == "" for t in both(reader, strokes, width)]
    return flagged[0] / max(1, len(drawn)), flagged[1] / max(1, len(drawn))


def _placed(strokes: list[np.ndarray], square: bool) -> list[np.ndarray]:
    """Strokes scaled into the paper's middle, square or at their proportions."""
    points = np.concatenate(strokes)
    low, high = points.min(0), points.max(0)
    span = np.maximum(high - low, 1e-3)
    scale = span if square else np.full(2, span.max())
    return [(s - low) / scale * 280 + 84 for s in strokes]


def main(argv: list[str] | None = None) -> int:
    """Run the study and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--writers", default=VALIDATION)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--apart", type=int, default=150)
    parser.add_argument("--singles", type=int, default=300)
    parser.add_argument("--shapes", type=int, default=20, help="of each kind")
    parser.add_argument("--letters", type=int, default=4, help="of each letter")
    parser.add_argument("--seed", type=int, default=777)
    args = parser.parse_args(argv)
    use_one_thread()
    writers = set(args.writers.split(","))
    digits = [d for d in load_pen_digits(args.strokes) if d.writer in writers]
    reader = NumberReader(Classifier.load(), load_head(), load_scorer())
    print(
        f"writers: {len(writers)}, {len(digits)} digits; picture alone -> with strokes"
    )
    for name, count, how in (
        ("numbers of 2-6 digits, touching", args.count, ((2, 6), TOUCHING)),
        ("numbers of 2-6 digits, apart", args.apart, ((2, 6), APART)),
        ("single digits", args.singles, ((1, 1), APART)),
    ):
        alone, known = numbers(
            reader, digits, count, how, np.random.default_rng(args.seed)
        )
        print(f"{name} (n={count}): {alone:.1%} -> {known:.1%} read exactly")
    rng = np.random.default_rng(args.seed + 1)
    marks = [
        (_placed(non_digit_strokes(kind, rng), k % 2 == 1), float(rng.uniform(12, 32)))
        for kind in SHAPES
        for k in range(args.shapes)
    ]
    alone, known = refused(reader, marks)
    print(
        f"drawn shapes (n={len(marks)}): {alone:.1%} -> {known:.1%} called not digits"
    )
    letters = [
        (_placed(letter_strokes(name, rng), False), 24.0)
        for name in sorted(LETTERS)
        for _ in range(args.letters)
    ]
    alone, known = refused(reader, letters)
    print(f"letters (n={len(letters)}): {alone:.1%} -> {known:.1%} not digits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
