"""How well the app reads photos and scans of digits written on paper.

Photo-like pictures (``benchmarks/photo_scene.py``: grey or cream paper,
uneven light, shadows, noise, blur, ruled paper one time in three, slight
rotation and perspective, colour or grey, JPEG at phone qualities) are made of

* real pen trajectories of the pendigits writers (``--strokes FILE`` or the
  ``LENET_STROKES`` environment variable), drawn at photo resolution with a
  pen 2.5-10 % of the digit's height, and
* MNIST test digits (``--data DIR`` or ``LENET_MNIST``), enlarged,

written as real JPEG files into a temporary folder and read through the real
``--predict`` code (:func:`lenet_gui.predict_cli.run_predict`). Each digit is
also read three other ways, with the same network:

* ``plain``: ``Classifier.predict(read_image(file))``, the loaded-image path
  before photo cleaning (the code as it was);
* ``clean``: the same ink as a clean black-on-white image, no photo;
* ``canvas`` (pen trajectories only): the same strokes drawn on the app's
  448 px paper with its default pen, as a person would draw them: the
  ceiling for a photo.

Run from the repository root::

    python -m benchmarks.photo_digits --count 500            # ~10 min
    python -m benchmarks.photo_digits --writers w25-w30 --weights my.pt

It prints accuracy overall and by condition, per digit, the confusions, the
time to load a 12-megapixel photo, and writes a contact sheet of misses.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from benchmarks.photo_ink import catmull_rom, ink_from_mnist, ink_from_strokes
from benchmarks.photo_scene import LEVELS, Photo, photograph, save_photo
from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.image_file import read_image, read_ink
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.idx import load_mnist
from lenet_gui.network.photo import is_clean
from lenet_gui.network.preprocess import BACKGROUND, INK, to_ink
from lenet_gui.network.strokes import place_strokes
from lenet_gui.network.weights import BUNDLED_WEIGHTS
from lenet_gui.predict_cli import run_predict

#: Environment variables naming the data when no option does.
STROKES_VARIABLE = "LENET_STROKES"
MNIST_VARIABLE = "LENET_MNIST"
#: Pen width as a fraction of the digit's height: a fine ballpoint to a marker.
PEN_FRACTION = (0.025, 0.10)
#: Readers compared, in table order.
READERS = ("app", "plain", "clean", "canvas")
_THUMB = 120  # side of each picture on the contact sheet


@dataclass
class Trial:
    """One photographed digit and what each reader made of it (-1: none)."""

    source: str
    index: int
    writer: str
    label: int
    photo: Photo
    path: Path
    ink: np.ndarray
    strokes: list[np.ndarray] | None
    app: int = -1
    plain: int = -1
    clean: int = -1
    canvas: int = -1


# --- choosing and making the pictures -------------------------------------------------


def parse_writers(text: str) -> set[str]:
    """Writer ids from ``"w25-w30"``, ``"3,7,12"`` or ``"train_w05"``.

    Raises
    ------
    ValueError
        If a part names no writer number.
    """
    chosen = set()
    for part in text.split(","):
        numbers = [int(n) for n in re.findall(r"\d+", part)]
        if not numbers or len(numbers) > 2:
            raise ValueError(f"cannot read writers from {part!r}")
        low, high = numbers[0], numbers[-1]
        chosen.update(f"train_w{n:02d}" for n in range(low, high + 1))
    return chosen


def _data_path(option: Path | None, variable: str) -> Path | None:
    if option is not None:
        return option
    value = os.environ.get(variable)
    return Path(value) if value else None


def make_trials(args: argparse.Namespace, folder: Path, rng_seed: int) -> list[Trial]:
    """Choose the digits, photograph each and write it as a JPEG into `folder`."""
    trials: list[Trial] = []
    strokes_file = _data_path(args.strokes, STROKES_VARIABLE)
    if strokes_file is not None:
        records = json.loads(strokes_file.read_text())
        if args.writers:
            wanted = parse_writers(args.writers)
            records = [r for r in records if r["writer"] in wanted]
        if not records:
            raise SystemExit(f"no pen trajectories of writers {args.writers}")
        pick = np.random.default_rng(rng_seed).choice(
            len(records), min(args.count, len(records)), replace=False
        )
        for index in np.sort(pick):
            record = records[index]
            rng = np.random.default_rng((rng_seed, 1, int(index)))
            strokes = [np.asarray(s, dtype=np.float64) for s in record["strokes"]]
            height = 400.0
            pen = height * rng.uniform(*PEN_FRACTION)
            ink = ink_from_strokes(strokes, height, pen)
            trials.append(
                _photographed(
                    "strokes",
                    int(index),
                    record["writer"],
                    record["label"],
                    ink,
                    strokes,
                    rng,
                    folder,
                )
            )
    mnist_dir = _data_path(args.data, MNIST_VARIABLE)
    if mnist_dir is not None:
        images, labels = load_mnist(mnist_dir, "test")
        pick = np.random.default_rng((rng_seed, 2)).choice(
            len(images), min(args.count, len(images)), replace=False
        )
        for index in np.sort(pick):
            rng = np.random.default_rng((rng_seed, 2, int(index)))
            ink = ink_from_mnist(images[index], 400.0)
            trials.append(
                _photographed(
                    "mnist",
                    int(index),
                    "mnist",
                    int(labels[index]),
                    ink,
                    None,
                    rng,
                    folder,
                )
            )
    if not trials:
        raise SystemExit(
            f"no data: give --strokes FILE ({STROKES_VARIABLE}) and/or "
            f"--data DIR ({MNIST_VARIABLE})"
        )
    return trials


def _photographed(
    source: str,
    index: int,
    writer: str,
    label: int,
    ink: np.ndarray,
    strokes: list[np.ndarray] | None,
    rng: np.random.Generator,
    folder: Path,
) -> Trial:
    photo = photograph(ink, rng)
    path = folder / f"{source}-{index:05d}-{label}.jpg"
    save_photo(photo, str(path))
    return Trial(source, index, writer, label, photo, path, ink, strokes)


# --- reading them ---------------------------------------------------------------------


def read_all(trials: list[Trial], weights: Path, canvas_seed: int) -> float:
    """Fill in every reader's digit; return the seconds ``run_predict`` took."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    status = run_predict([str(t.path) for t in trials], str(weights), out, err)
    elapsed = time.perf_counter() - start
    if status == 2:
        raise SystemExit(err.getvalue().strip())
    for trial, line in zip(trials, out.getvalue().splitlines(), strict=True):
        result = json.loads(line)
        trial.app = -1 if result.get("digit") is None else result["digit"]

    classifier = Classifier.load(weights)
    for trial in trials:
        trial.plain = _digit(classifier.predict(read_image(trial.path)))
        trial.clean = _digit(classifier.predict(trial.ink))
        if trial.strokes is not None:
            rng = np.random.default_rng((canvas_seed, 3, trial.index))
            smooth = [catmull_rom(s) for s in trial.strokes]
            placed = place_strokes(
                smooth,
                rng.uniform(0.4, 0.75) * PAPER_SIZE,
                PAPER_SIZE,
                DEFAULT_PEN_WIDTH,
                rng,
            )
            trial.canvas = _digit(classifier.predict(render(placed, DEFAULT_PEN_WIDTH)))
    return elapsed


def _digit(prediction) -> int:
    return -1 if prediction is None else prediction.digit


# --- the report -----------------------------------------------------------------------


def _wilson(correct: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    z = 1.96
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _row(name: str, trials: list[Trial]) -> str:
    n = len(trials)
    if n == 0:
        return f"  {name:<26}{0:>6}"
    cells = []
    for reader in READERS:
        group = trials if reader != "canvas" else [t for t in trials if t.strokes]
        if not group:
            cells.append(f"{'-':>9}")
            continue
        correct = sum(getattr(t, reader) == t.label for t in group)
        cells.append(f"{correct / len(group):>9.1%}")
    low, high = _wilson(sum(t.app == t.label for t in trials), n)
    return f"  {name:<26}{n:>6}" + "".join(cells) + f"   {low:.1%}-{high:.1%}"


CONDITIONS: list[tuple[str, Callable[[Trial], str]]] = [
    ("source", lambda t: t.source),
    ("paper ruling", lambda t: t.photo.ruling),
    ("lighting", lambda t: t.photo.lighting),
    ("noise and blur", lambda t: t.photo.noise),
    ("shadow", lambda t: "shadow" if t.photo.shadow else "no shadow"),
    ("paper", lambda t: t.photo.paper),
    ("ink", lambda t: t.photo.ink),
    ("colour", lambda t: "colour" if t.photo.colour else "grey"),
    ("JPEG quality", lambda t: "60-75" if t.photo.quality <= 75 else "80-95"),
]
_ORDER = {level: k for k, level in enumerate(LEVELS)}


def report(trials: list[Trial]) -> dict[str, float]:
    """Print the tables; return the overall accuracy of each reader."""
    print(
        f"\n  {'condition':<26}{'n':>6}"
        + "".join(f"{r:>9}" for r in READERS)
        + "   app 95% CI"
    )
    print(_row("all", trials))
    ruled = [t for t in trials if t.photo.ruling != "plain"]
    print(_row("ruled or squared", ruled))
    print(_row("plain", [t for t in trials if t.photo.ruling == "plain"]))
    for title, key in CONDITIONS:
        print(f"  {title}")
        values = sorted({key(t) for t in trials}, key=lambda v: (_ORDER.get(v, 9), v))
        for value in values:
            print(_row(f"  {value}", [t for t in trials if key(t) == value]))
    print("  digit")
    for digit in range(10):
        print(_row(f"  {digit}", [t for t in trials if t.label == digit]))
    print(
        "\n  app: --predict (run_predict), the shipped path; plain: predict("
        "read_image(file)),\n  no photo cleaning (the code before it); clean: "
        "the same ink, black on white;\n  canvas: the same pen strokes drawn "
        "on the app's paper with its default pen."
    )
    for reader in ("app", "plain"):
        errors = Counter(
            (t.label, getattr(t, reader))
            for t in trials
            if getattr(t, reader) != t.label
        )
        listed = ", ".join(
            f"{true}->{'none' if seen < 0 else seen} x{count}"
            for (true, seen), count in errors.most_common(15)
        )
        print(f"\n  {reader} confusions (true->read), most common: {listed or 'none'}")
    return {
        reader: float(np.mean([getattr(t, reader) == t.label for t in trials]))
        for reader in ("app", "plain", "clean")
    }


# --- the contact sheet ----------------------------------------------------------------


def _grey_qimage(values: np.ndarray, size: int) -> QImage:
    """A 2-D array in [0, 1] (1 white) as a QImage scaled to fit `size`."""
    grey = np.ascontiguousarray(np.rint(255 * np.clip(values, 0, 1)), np.uint8)
    height, width = grey.shape
    image = QImage(grey.data, width, height, width, QImage.Format.Format_Grayscale8)
    return image.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).copy()


def contact_sheet(
    misses: list[Trial], classifier: Classifier, path: Path, columns: int = 4
) -> None:
    """Save each miss: the photo, the ink the app keeps, and the network input."""
    caption = 18
    tile_w, tile_h = 3 * (_THUMB + 4) + 16, _THUMB + caption + 8
    rows = max(1, -(-len(misses) // columns))
    sheet = QImage(columns * tile_w, rows * tile_h, QImage.Format.Format_RGB32)
    sheet.fill(QColor(255, 255, 255))
    painter = QPainter(sheet)
    for k, trial in enumerate(misses):
        x, y = (k % columns) * tile_w, (k // columns) * tile_h
        photo = QImage(str(trial.path)).scaled(
            _THUMB,
            _THUMB,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        ink = read_ink(trial.path)
        kept = 1.0 - ink
        prediction = classifier.predict(ink)
        pictures = [photo, _grey_qimage(kept, _THUMB)]
        if prediction is not None:
            network = (prediction.network_input - BACKGROUND) / (INK - BACKGROUND)
            pictures.append(_grey_qimage(1.0 - network, _THUMB).scaled(_THUMB, _THUMB))
        painter.setPen(QColor(160, 160, 160))
        for slot, picture in enumerate(pictures):
            left = x + slot * (_THUMB + 4)
            painter.drawImage(left, y + caption, picture)
            painter.drawRect(left, y + caption, picture.width(), picture.height())
        painter.setPen(QColor(180, 0, 0))
        read = "none" if trial.app < 0 else trial.app
        painter.drawText(
            QRect(x, y, tile_w, caption),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{trial.source} #{trial.index}: {trial.label} read {read}, "
            f"{trial.photo.ruling}, {trial.photo.lighting}/{trial.photo.noise}",
        )
    painter.end()
    if not sheet.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def _spread(items: list[Trial], count: int) -> list[Trial]:
    """At most `count` items, evenly spread over the list."""
    if len(items) <= count:
        return items
    return [items[i] for i in np.linspace(0, len(items) - 1, count).astype(int)]


# --- a 12-megapixel photo -------------------------------------------------------------


def time_large_photo(folder: Path, trial: Trial, repeats: int = 5) -> dict[str, float]:
    """Median seconds to load and read a 4000x3000 JPEG photo of a digit."""
    rng = np.random.default_rng(12)
    photo = photograph(trial.ink, rng, size=(750, 1000), colour=True)
    pixels = photo.pixels.astype(np.float32)
    big = np.repeat(np.repeat(pixels, 4, axis=0), 4, axis=1)
    big += rng.normal(0.0, 3.0, big.shape).astype(np.float32)
    large = Photo(
        np.clip(big, 0, 255).astype(np.uint8),
        photo.paper,
        photo.ruling,
        photo.ink,
        photo.lighting,
        photo.noise,
        photo.shadow,
        90,
        photo.rotation,
    )
    path = folder / "large-12mp.jpg"
    save_photo(large, str(path))
    classifier = Classifier.load()

    def median(step: Callable[[], object]) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        return float(np.median(times))

    out = io.StringIO()
    return {
        "read_image": median(lambda: read_image(path)),
        "read_image + to_ink (the old reading)": median(
            lambda: to_ink(read_image(path))
        ),
        "read_ink (read_image + extract_ink)": median(lambda: read_ink(path)),
        "--predict (run_predict, one file)": median(
            lambda: run_predict([str(path)], None, out, out)
        ),
        "plain predict(read_image)": median(
            lambda: classifier.predict(read_image(path))
        ),
        "megapixels": large.pixels.shape[0] * large.pixels.shape[1] / 1e6,
        "clean": float(is_clean(read_image(path))),
    }


# --- the command ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.photo_digits", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--strokes",
        type=Path,
        help=f"pendigits JSON of pen trajectories (default: ${STROKES_VARIABLE})",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help=f"MNIST directory with the t10k files (default: ${MNIST_VARIABLE})",
    )
    parser.add_argument(
        "--writers",
        help="only these pendigits writers, e.g. w25-w30 or 3,7,12 (default: all)",
    )
    parser.add_argument(
        "--count", type=int, default=500, help="digits per source (default 500)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument(
        "--weights", type=Path, default=BUNDLED_WEIGHTS, help="state_dict file"
    )
    parser.add_argument(
        "--misses",
        type=Path,
        default=Path(tempfile.gettempdir()) / "photo_misses.png",
        help="contact sheet of misses to write (default: %(default)s)",
    )
    parser.add_argument(
        "--keep", type=Path, help="write the photos into this folder and keep them"
    )
    parser.add_argument(
        "--no-timing", action="store_true", help="skip timing a 12-megapixel photo"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    # The contact sheet's captions need fonts, so an application; no display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([])

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        trials = make_trials(args, folder, args.seed)
        made = time.perf_counter() - start
        print(
            f"weights:  {args.weights}\nphotos:   {len(trials)} "
            f"({Counter(t.source for t in trials)}), seed {args.seed}, "
            f"writers {args.writers or 'all'}; made in {made:.0f} s"
        )
        elapsed = read_all(trials, args.weights, args.seed)
        overall = report(trials)
        print(
            f"\n--predict: {elapsed:.1f} s for {len(trials)} files "
            f"({1000 * elapsed / len(trials):.0f} ms each)"
        )
        misses = [t for t in trials if t.app != t.label]
        contact_sheet(_spread(misses, 48), Classifier.load(args.weights), args.misses)
        print(
            f"misses:   {len(misses)}; up to 48 on {args.misses} "
            "(each: photo | ink kept | network input)"
        )
        if not args.no_timing:
            timing = time_large_photo(folder, trials[0])
            kind = "a clean image" if timing.pop("clean") else "a photo"
            print(
                f"\n12 MP photo ({timing.pop('megapixels'):.1f} MP JPEG, read as "
                f"{kind}), median of 5:"
            )
            for name, seconds in timing.items():
                print(f"  {name:<36}{1000 * seconds:>8.0f} ms")
    print(json.dumps({k: round(v, 4) for k, v in overall.items()} | {"n": len(trials)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
