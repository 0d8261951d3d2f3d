"""Are a number's digits among the reader's candidates at all? And what it misreads.

The number reader (:mod:`lenet_gui.reading.number`) can only read a digit
right if one of its candidate segments (a run of one to five neighbouring
pieces) holds that digit's ink and little else. For numbers composed of pen
digits (one writer each, apart or touching, as ``studies.numbers`` composes
them), each digit is also drawn alone at the same place, and the candidate
whose ink best matches it is found (intersection over union of the marks).
A number is *reachable* when every digit has a candidate matching at least
``--match``; its exact reading rate can be no better than that.

With ``--sheet FILE`` a contact sheet (PNG) of the misread numbers is saved:
each piece in its own colour, the chosen digits boxed in red, the truth and
the reading above.

    python -m studies.segments --strokes FILE [--writers train_w01,...]
        [--gap touching] [--count 100] [--sheet misread.png]
"""

from __future__ import annotations

import argparse

import numpy as np

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.imaging.ink_levels import to_ink
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.reading.number import MAX_PIECES, NumberReader, Reading
from lenet_gui.reading.pieces import Pieces, find_pieces
from lenet_gui.reading.segment_scorer import load_scorer
from lenet_gui.reading.verdict import load_head
from lenet_gui.training.numbers import compose_number
from studies.numbers import APART, TOUCHING, _numbers, _pen

VALIDATION = ",".join(f"train_w{k:02d}" for k in range(1, 25))
_COLOURS = np.array(
    [[0, 0, 0], [200, 0, 0], [0, 0, 220], [0, 150, 0], [200, 120, 0], [150, 0, 150]],
    dtype=np.uint8,
)


def best_match(pieces: Pieces, digit: np.ndarray) -> float:
    """Return the best intersection over union of a candidate's marks and `digit`."""
    best = 0.0
    n = pieces.count
    for first in range(n):
        for stop in range(first + 1, min(n, first + MAX_PIECES) + 1):
            x0, y0, x1, y1 = pieces.box(first, stop)
            marks = np.zeros_like(digit)
            marks[y0:y1, x0:x1] = pieces.image(first, stop) >= 0.2
            union = int((marks | digit).sum())
            best = max(best, int((marks & digit).sum()) / max(1, union))
    return best


def _tile(ink: np.ndarray, pieces: Pieces | None, reading: Reading | None, title: str):
    """One misread number, its pieces coloured and its digits boxed."""
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    rows = np.flatnonzero((ink >= 0.2).any(axis=1))
    top, bottom = max(0, int(rows[0]) - 30), min(ink.shape[0], int(rows[-1]) + 10)
    crop = ink[top:bottom]
    rgb = np.full((*crop.shape, 4), 255, dtype=np.uint8)
    marks = crop >= 0.2
    if pieces is not None:
        b = pieces.block
        labels = np.repeat(np.repeat(pieces.labels, b, 0), b, 1)
        labels = labels[: ink.shape[0], : ink.shape[1]][top:bottom]
        rgb[marks, :3] = _COLOURS[labels[marks] % len(_COLOURS)]
    image = QImage(
        rgb.data,
        rgb.shape[1],
        rgb.shape[0],
        4 * rgb.shape[1],
        QImage.Format.Format_RGBX8888,
    ).copy()
    painter = QPainter(image)
    if reading is not None:
        painter.setPen(QPen(QColor(255, 0, 0), 2))
        for digit in reading.digits:
            x0, y0, x1, y1 = digit.box
            painter.drawRect(x0, y0 - top, x1 - x0, y1 - y0)
    painter.setPen(QColor(0, 110, 0))
    painter.setFont(QFont("Sans", 14))
    painter.drawText(4, 20, title)
    painter.end()
    return image


def save_sheet(tiles: list, path: str, width: int = 448, height: int = 220) -> None:
    """Save the tiles two to a row as one PNG."""
    from PySide6.QtGui import QColor, QImage, QPainter

    columns = 2
    rows = max(1, -(-len(tiles) // columns))
    sheet = QImage(width * columns, height * rows, QImage.Format.Format_RGB32)
    sheet.fill(QColor(200, 200, 200))
    painter = QPainter(sheet)
    for k, tile in enumerate(tiles):
        painter.drawImage(
            (k % columns) * width,
            (k // columns) * height,
            tile.scaled(width - 4, height - 4),
        )
    painter.end()
    sheet.save(path)


def main(argv: list[str] | None = None) -> int:
    """Run the study and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--writers", default=VALIDATION)
    parser.add_argument("--gap", choices=("apart", "touching"), default="touching")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--match", type=float, default=0.85)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--sheet", help="save a contact sheet of misread numbers here")
    args = parser.parse_args(argv)
    use_one_thread()
    if args.sheet:
        import os

        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication.instance() or QApplication([])  # noqa: F841
    writers = set(args.writers.split(","))
    digits: list[PenDigit] = [
        d for d in load_pen_digits(args.strokes) if d.writer in writers
    ]
    reader = NumberReader(Classifier.load(), load_head(), load_scorer())
    gap = TOUCHING if args.gap == "touching" else APART
    rng = np.random.default_rng(args.seed)
    numbers = _numbers(digits, args.count, (2, 6), rng)
    matches: list[float] = []
    reachable = right = right_reachable = 0
    tiles = []
    for chosen in numbers:
        strokes, _ = compose_number(chosen, gap, rng)
        pen = _pen(len(chosen))
        ink = to_ink(render(strokes, pen))
        pieces = find_pieces(ink, slanted=True)
        every = True
        start = 0
        for digit in chosen:
            mine = strokes[start : start + len(digit.strokes)]
            start += len(digit.strokes)
            alone = to_ink(render(mine, pen)) >= 0.2
            match = 0.0 if pieces is None else best_match(pieces, alone)
            matches.append(match)
            every &= match >= args.match
        reading = reader.read(ink)
        truth = "".join(str(d.label) for d in chosen)
        ok = reading is not None and reading.text == truth
        reachable += every
        right += ok
        right_reachable += ok and every
        if not ok and args.sheet and len(tiles) < 24:
            said = "nothing" if reading is None else reading.nearest
            tiles.append(_tile(ink, pieces, reading, f"{truth} read {said}"))
    found = np.array(matches)
    n = len(numbers)
    print(f"writers: {len(writers)}, numbers of 2-6 digits, {args.gap} (n={n})")
    print(
        f"digits whose best candidate matches (IoU) >= {args.match}: "
        f"{(found >= args.match).mean():.1%}; < 0.7: {(found < 0.7).mean():.1%}; "
        f"median {np.median(found):.2f} (n={found.size})"
    )
    print(f"numbers with every digit among the candidates: {reachable / n:.1%}")
    print(
        f"read exactly: {right / n:.1%}; of the reachable ones: "
        f"{right_reachable / max(1, reachable):.1%}"
    )
    if args.sheet:
        save_sheet(tiles, args.sheet)
        print(f"contact sheet of {len(tiles)} misread numbers: {args.sheet}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
