"""Not-a-digit study: letters, words and marks flagged, real digits kept.

Everything is read as ``--predict`` reads a file: the drawing, rendered on
the app's paper with a random pen, goes through
:class:`lenet_gui.reading.number.NumberReader` with the not-a-digit head and
the segment scorer (``--no-scorer``: without it, as figures measured before
the scorer was used here were read), and a drawing counts as flagged when
the reading says "not a digit" (its text is empty). The drawings use a
seed the head's training never used (``--seed``); the head's training seeds
are 1 and 99.

- Letters, one per drawing, by letter. Letters named by ``--unseen`` were
  left out of the head's training when it was trained with the same
  ``--holdout-letters`` (pass the head trained that way with ``--head``):
  their rate is the closest this project can come to letters written by
  people it never saw. Words of 2-4 letters: made of seen letters, and of
  unseen letters only.
- Marks of every kind of :data:`lenet_gui.training.shapes.SHAPES`, at their
  own size in a character's cell; by kind, also the share the head refuses
  when the mark is read whole as one input, so that a mark the head knows
  but the cutting of numbers lets through is told from one the head misses.
- Real digits: the pen digits of held-out writers (``--holdout``, never in
  the head's training), drawn as the numbers study draws them (one size,
  pen 24) and at random sizes and pens, plain and in style variants (a 1
  with a flag like a 7, a barred 7, a closed 4, a slashed 0, a curled 9):
  accuracy and the share called "not a digit".
- MNIST test (10,000): accuracy of the bundled network and the share called
  "not a digit", as network inputs and as 28 x 28 image files are read.

Contact sheets (``--sheets DIR``): the real digits it refuses and the
non-digits it lets through, each with its reading.

    python -m studies.non_digits --strokes FILE --mnist DIR [--head FILE]
        [--unseen K,R,e,h,y] [--unseen-marks spiral,...] [--count 40]
        [--sheets DIR] [--no-mnist] [--no-digits] [--no-scorer]
"""

from __future__ import annotations

import argparse
import os
from collections import defaultdict
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from lenet_gui.drawing.paper import render
from lenet_gui.files.idx import load_mnist
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.imaging.preprocess import from_mnist, preprocess
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.reading.number import NumberReader, Reading
from lenet_gui.reading.segment_scorer import load_scorer
from lenet_gui.reading.verdict import features, load_head
from lenet_gui.training.letters import (
    LETTERS,
    letter_of,
    letter_strokes,
    word_strokes,
)
from lenet_gui.training.non_digits import place
from lenet_gui.training.numbers import compose_number
from lenet_gui.training.pen_styles import STYLES, style_variant
from lenet_gui.training.shapes import SHAPES, non_digit_strokes
from studies.accuracy import contact_sheet, ink_image, thumbnail, wilson

HOLDOUT = ",".join(f"train_w{k}" for k in range(25, 31))
UNSEEN = "K,R,e,h,y"
UNSEEN_MARKS = ""
_THUMB = 112
_SHEET_MAX = 60


class Tally:
    """Flagged counts by row, and the drawings worth a look."""

    def __init__(self) -> None:
        self.flagged: dict[str, int] = defaultdict(int)
        self.total: dict[str, int] = defaultdict(int)
        self.shown: list[tuple[np.ndarray, str]] = []

    def add(self, row: str, flagged: bool) -> None:
        """Count one drawing of a row."""
        self.total[row] += 1
        self.flagged[row] += flagged

    def rate(self, row: str) -> float:
        """Return the share of the row's drawings flagged."""
        return self.flagged[row] / max(self.total[row], 1)

    def line(self, row: str, label: str | None = None) -> str:
        """Return the row as a printed line: rate, 95 % interval, count."""
        n = self.total[row]
        if n == 0:
            return f"{label or row:34s} none drawn"
        low, high = wilson(self.flagged[row], n)
        return (
            f"{label or row:34s} {self.rate(row):7.1%} flagged "
            f"[{low:.1%}, {high:.1%}] (n={n})"
        )


def _pen(rng: np.random.Generator) -> float:
    return float(np.exp(rng.uniform(np.log(8.0), np.log(44.0))))


def _read(reader: NumberReader, paper: np.ndarray) -> Reading | None:
    return reader.read(paper)


def _flagged(reading: Reading | None) -> bool:
    return reading is not None and reading.not_digit is not None


def _caption(reading: Reading | None) -> str:
    if reading is None:
        return "nothing read"
    nearest = "".join(str(d.digit) for d in reading.digits)
    return ("not a digit, " if reading.not_digit else "read ") + nearest


def letters(
    reader: NumberReader,
    count: int,
    unseen: set[str],
    rng: np.random.Generator,
    tally: Tally,
) -> None:
    """Letters and words, the letters seen in training and the unseen ones apart."""
    for name in LETTERS:
        group = "unseen" if letter_of(name) in unseen else "seen"
        for _ in range(count):
            paper = render(place(letter_strokes(name, rng), rng), _pen(rng))
            reading = _read(reader, paper)
            flagged = _flagged(reading)
            tally.add(f"letter {letter_of(name)}", flagged)
            tally.add(f"letters {group}", flagged)
            if not flagged:
                tally.shown.append((paper, f"{name}: {_caption(reading)}"))
    for group in ("seen", "unseen"):
        names = [n for n in LETTERS if (letter_of(n) in unseen) == (group == "unseen")]
        if not names:
            continue
        for _ in range(4 * count):
            k = int(rng.integers(2, 5))
            word = [names[int(i)] for i in rng.integers(len(names), size=k)]
            paper = render(place(word_strokes(word, rng), rng, low=0.5), _pen(rng))
            reading = _read(reader, paper)
            flagged = _flagged(reading)
            tally.add(f"words {group}", flagged)
            if not flagged:
                tally.shown.append((paper, f"{''.join(word)}: {_caption(reading)}"))


def _whole_flagged(reader: NumberReader, paper: np.ndarray) -> bool:
    """Whether the head refuses the whole drawing read as one input.

    A mark the head refuses whole but the reading lets through was cut
    into pieces that each pass as a digit (a heart into "57", an infinity
    sign into "00"): the cutting, not the head, let it through.
    """
    x = preprocess(paper)
    if x is None or reader.head is None:
        return False
    _, activations = reader.classifier.outputs(x[None])
    return bool(reader.head.probability(features(activations))[0] > reader.head.cutoff)


def marks(
    reader: NumberReader,
    count: int,
    unseen: set[str],
    rng: np.random.Generator,
    tally: Tally,
) -> None:
    """Every kind of mark, at its own size in a cell of 35-90 % of the paper.

    Besides the reading, whether the head refuses each mark read whole
    (rows "read whole: ...").
    """
    for kind in SHAPES:
        group = "marks unseen" if kind in unseen else "marks seen"
        for _ in range(count):
            cell = rng.uniform(0.35, 0.9) * 448.0
            corner = rng.uniform(10.0, 438.0 - cell, 2)
            strokes = [s * cell + corner for s in non_digit_strokes(kind, rng)]
            paper = render(strokes, _pen(rng))
            reading = _read(reader, paper)
            flagged = _flagged(reading)
            tally.add(f"mark {kind}", flagged)
            tally.add("marks", flagged)
            tally.add(group, flagged)
            whole = _whole_flagged(reader, paper)
            tally.add(f"read whole: {kind}", whole)
            tally.add("every mark read whole", whole)
            if not flagged:
                tally.shown.append((paper, f"{kind}: {_caption(reading)}"))


def real_digits(
    reader: NumberReader,
    digits: list[PenDigit],
    rng: np.random.Generator,
    tally: Tally,
    refused: list[tuple[np.ndarray, str]],
) -> dict[str, float]:
    """Held-out pen digits: accuracy and share flagged, three ways of drawing."""
    right: dict[str, int] = defaultdict(int)
    for digit in digits:
        strokes, _ = compose_number([digit], (0, 0), rng)
        styled, style = style_variant(list(digit.strokes), digit.label, STYLES, rng)
        ways = {
            "as in the numbers study": render(strokes, 24.0),
            "random size and pen": render(place(list(digit.strokes), rng), _pen(rng)),
        }
        if style is not None:
            ways[f"style {style}"] = render(place(styled, rng), _pen(rng))
        for way, paper in ways.items():
            reading = _read(reader, paper)
            flagged = _flagged(reading)
            tally.add(way, flagged)
            ok = (
                not flagged and reading is not None and reading.text == str(digit.label)
            )
            right[way] += ok
            if flagged:
                refused.append((paper, f"{digit.label} ({way}): {_caption(reading)}"))
    return {way: right[way] / tally.total[way] for way in right}


def mnist(reader: NumberReader, folder: str) -> tuple[float, float, float]:
    """MNIST test: accuracy, share flagged as inputs, share flagged as image files."""
    images, labels = load_mnist(folder, "test")
    probabilities, activations = reader.classifier.outputs(from_mnist(images))
    assert reader.head is not None
    chance = reader.head.probability(features(activations))
    accuracy = float((probabilities.argmax(1) == labels).mean())
    as_files = sum(_flagged(reader.read(image)) for image in images)
    return accuracy, float((chance > reader.head.cutoff).mean()), as_files / len(images)


def sheet(items: list[tuple[np.ndarray, str]], path: Path) -> None:
    """Save drawings with their captions as one PNG contact sheet."""
    tiles: list[tuple[list[QImage], str]] = [
        ([ink_image(thumbnail(paper / 255.0, _THUMB), _THUMB)], caption[:26])
        for paper, caption in items[:_SHEET_MAX]
    ]
    contact_sheet(tiles, path, _THUMB, 2 * _THUMB, 6)


def main(argv: list[str] | None = None) -> int:
    """Run the study and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--head", help="the head's file (default: the bundled one)")
    parser.add_argument("--holdout", default=HOLDOUT)
    parser.add_argument("--unseen", default=UNSEEN)
    parser.add_argument(
        "--unseen-marks",
        default=UNSEEN_MARKS,
        help="marks the head was trained without (--holdout-shapes)",
    )
    parser.add_argument("--count", type=int, default=40, help="drawings per kind")
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--sheets", type=Path, help="folder for the contact sheets")
    parser.add_argument(
        "--no-scorer",
        action="store_true",
        help="cut numbers without the segment scorer (--predict uses it)",
    )
    parser.add_argument("--no-mnist", action="store_true")
    parser.add_argument(
        "--no-digits",
        action="store_true",
        help="skip the real digits (to compare heads on non-digits alone)",
    )
    args = parser.parse_args(argv)
    use_one_thread()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication, not only a QGuiApplication: whatever runs after in the
    # same process (the studies' self-test) may need widgets.
    _app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(args.seed)
    held = set(args.holdout.split(","))
    unseen = set(filter(None, args.unseen.split(",")))
    digits = [d for d in load_pen_digits(args.strokes) if d.writer in held]
    scorer = None if args.no_scorer else load_scorer()
    reader = NumberReader(Classifier.load(), load_head(args.head), scorer)
    assert reader.head is not None
    print(
        f"head: {args.head or 'bundled'}, threshold {reader.head.cutoff:.4f}; "
        f"segment scorer: {'no' if scorer is None else 'bundled'}"
    )
    print(f"seed {args.seed}; unseen letters {sorted(unseen)}; {len(held)} writers")
    tally = Tally()
    letters(reader, args.count, unseen, rng, tally)
    for letter in dict.fromkeys(letter_of(name) for name in LETTERS):
        print("  " + tally.line(f"letter {letter}"))
    for row in ("letters seen", "letters unseen", "words seen", "words unseen"):
        print(tally.line(row))
    unseen_marks = set(filter(None, args.unseen_marks.split(",")))
    marks(reader, args.count, unseen_marks, rng, tally)
    for kind in SHAPES:
        whole = f", refused whole {tally.rate(f'read whole: {kind}'):.0%}"
        print("  " + tally.line(f"mark {kind}") + whole)
    for row in ("marks", "marks seen", "marks unseen", "every mark read whole"):
        print(tally.line(row))
    unseen_all = (
        tally.flagged["letters unseen"]
        + tally.flagged["words unseen"]
        + tally.flagged["marks"]
    ) / (
        tally.total["letters unseen"]
        + tally.total["words unseen"]
        + tally.total["marks"]
    )
    print(f"{'unseen letters, their words, marks':34s} {unseen_all:7.1%} flagged")
    refused: list[tuple[np.ndarray, str]] = []
    if not args.no_digits:
        accuracy = real_digits(reader, digits, rng, tally, refused)
        for way, rate in accuracy.items():
            print(f"real digits, {tally.line(way)}; {rate:.2%} read right")
    if not args.no_mnist:
        right, as_inputs, as_files = mnist(reader, args.mnist)
        print(
            f"MNIST test: {right:.2%} accuracy; {as_inputs:.2%} flagged as "
            f"network inputs, {as_files:.2%} as 28 x 28 images"
        )
    if args.sheets is not None:
        args.sheets.mkdir(parents=True, exist_ok=True)
        sheet(refused, args.sheets / "refused-digits.png")
        passed = tally.shown
        picks = rng.permutation(len(passed))[:_SHEET_MAX]
        sheet([passed[i] for i in sorted(picks)], args.sheets / "passed-non-digits.png")
        print(f"contact sheets in {args.sheets}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
