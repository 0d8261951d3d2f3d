"""How well the app reads digits drawn with the mouse: MNIST skeletons replayed.

Each MNIST test digit is thinned to its skeleton, traced into pen strokes
and drawn on the real ``MainWindow`` canvas with mouse press, move and
release events (``lenet_gui/gui/replay.py``), at a random height (25 %
to 85 % of the paper) and position, once with the default pen and once with
a random pen (8 to 48 paper px). The app's reading
(``window.session.last_result``) is compared with two baselines computed on
the same canvases with the same network: (a) a plain area-average resize of
the paper to 28x28, and (b) MNIST-style preprocessing without stroke-width
normalisation; and with the network's reading of the original MNIST image.
A contact sheet shows failures: the MNIST image, the canvas and the network
input of each.

Run from the repository root::

    python -m studies.drawn_digits --count 1000    # about a minute
    python -m studies.drawn_digits --count 10000   # the whole test set, ~9 min

MNIST comes from ``--data DIR`` or the environment variable ``LENET_MNIST``;
with neither, the 2,000 test digits bundled for the tests
(``tests/data/mnist``) are used, and the output says so.

Skeletons are a proxy for people's pen trajectories, not a sample of them:
they inherit MNIST's writers, slants and proportions; thinning shrinks loops
that the writer filled in to specks and breaks faint strokes; stroke order
and direction are lost. The bundled weights were trained on MNIST's
*training* digits drawn the same way (``lenet_gui.training.drawn``), so these test
digits are new to the network but their way of being drawn is not: the
figure says how well the app reads digits drawn like this, and real
people's trajectories may differ in ways it cannot show.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from lenet_gui.files.idx import load_mnist
from lenet_gui.gui import MainWindow
from lenet_gui.gui.widgets import DrawingCanvas
from lenet_gui.imaging.preprocess import from_mnist, preprocess, stroke_width
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.weights import BUNDLED_WEIGHTS
from lenet_gui.training.skeletons import BOLD_WIDTH, digit_strokes, place_strokes
from studies.accuracy import (
    accuracy_row,
    contact_sheet,
    ink_image,
    input_ink,
    spread,
    thumbnail,
)
from studies.window import real_window, replay_and_read

_ROOT = Path(__file__).resolve().parents[1]
#: Environment variable naming the MNIST directory, as ``--data`` does.
DATA_VARIABLE = "LENET_MNIST"
#: The test subset bundled with the tests: the fallback when no data is named.
BUNDLED_SUBSET = _ROOT / "tests" / "data" / "mnist"
PAPER = DrawingCanvas.PAPER_SIZE
#: Height of a digit's pen trajectory, as a fraction of the paper's side.
HEIGHTS = (0.25, 0.85)
#: Range of the random pen width, in paper pixels.
PENS = (8.0, 48.0)
PEN_BINS = ((8, 18), (18, 28), (28, 38), (38, 48))
#: Readers compared, in table order.
READERS = ("app", "no_norm", "resize", "original")
_THUMB = 112  # side of each picture on the contact sheet


@dataclass(frozen=True)
class Trial:
    """One digit drawn under one condition and what each reader made of it."""

    index: int
    label: int
    height: float
    pen: float
    source_width: float
    app: int
    no_norm: int
    resize: int
    original: int
    image: np.ndarray
    canvas: np.ndarray
    network_input: np.ndarray | None


def _default_data() -> Path:
    """Return ``$LENET_MNIST`` if set, else the test subset bundled for the tests."""
    named = os.environ.get(DATA_VARIABLE)
    return Path(named) if named else BUNDLED_SUBSET


def _read(classifier: Classifier, network_input: np.ndarray | None) -> int:
    """Return the classifier's digit for a prepared input, -1 for none."""
    if network_input is None:
        return -1
    return classifier.classify_input(network_input).digit


def plain_resize(paper: np.ndarray) -> np.ndarray:
    """Baseline (a): the whole paper area-averaged to 28x28, padded to 32x32."""
    factor = PAPER // 28
    small = paper.reshape(28, factor, 28, factor).mean(axis=(1, 3))
    return from_mnist(np.rint(small).astype(np.uint8)[None])[0]


def draw_and_read(
    window: MainWindow,
    transform: tuple[float, np.ndarray],
    strokes: list[np.ndarray],
    pen: float,
) -> tuple[int, int, int, np.ndarray, np.ndarray | None]:
    """Draw strokes with a pen on a cleared canvas; read them three ways."""
    result = replay_and_read(window, transform, strokes, pen)
    paper = window.canvas.to_array()
    classifier = window.session.network.classifier
    return (
        -1 if result is None else result.digit,
        _read(classifier, preprocess(paper, normalize_stroke=False)),
        _read(classifier, plain_resize(paper)),
        paper,
        None if result is None else result.network_input,
    )


def run(
    window: MainWindow,
    transform: tuple[float, np.ndarray],
    images: np.ndarray,
    labels: np.ndarray,
    indices: np.ndarray,
    seed: int,
    heights: tuple[float, float] = HEIGHTS,
) -> dict[str, list[Trial]]:
    """Replay each chosen digit with the default pen and with a random pen.

    Both conditions share each digit's height (a fraction of the paper, in
    `heights`) and position, drawn from a generator seeded by (`seed`,
    index), so a digit is placed the same way whatever `indices` holds.
    """
    trials: dict[str, list[Trial]] = {"default pen": [], "random pen": []}
    for index in indices:
        image = images[index]
        original = _read(window.session.network.classifier, from_mnist(image[None])[0])
        source_width = stroke_width(image / 255)
        rng = np.random.default_rng((seed, int(index)))
        height = rng.uniform(*heights)
        random_pen = rng.uniform(*PENS)
        strokes = place_strokes(
            digit_strokes(image), height * PAPER, PAPER, PENS[1] / 2, rng
        )
        for condition, pen in (
            ("default pen", DrawingCanvas.DEFAULT_PEN_WIDTH),
            ("random pen", random_pen),
        ):
            app, no_norm, resize, paper, network_input = draw_and_read(
                window, transform, strokes, pen
            )
            trials[condition].append(
                Trial(
                    int(index),
                    int(labels[index]),
                    height,
                    pen,
                    source_width,
                    app,
                    no_norm,
                    resize,
                    original,
                    image,
                    thumbnail(paper, _THUMB),
                    network_input,
                )
            )
    return trials


def _row(name: str, trials: list[Trial]) -> str:
    """Format one table row: accuracy of each reader, and the app's interval."""
    if not trials:
        return f"  {name:<22}{'-':>8}"
    readers = [[getattr(t, r) == t.label for t in trials] for r in READERS]
    return accuracy_row(name, 22, readers, [t.app == t.label for t in trials])


def report(trials: dict[str, list[Trial]], heights: tuple[float, float]) -> None:
    """Print accuracy per condition, size, pen and source width; list errors."""
    low, high = heights
    step = (high - low) / 3
    terciles = [
        (name, low + k * step, low + (k + 1) * step)
        for k, name in enumerate(("small", "medium", "large"))
    ]
    print(
        f"\n  {'condition':<22}{'n':>6}{'app':>9}{'(b)':>9}{'(a)':>9}{'mnist':>9}"
        "   app 95% CI"
    )
    for condition, group in trials.items():
        rows = [(condition, group)]
        rows += [
            (
                f"  {name} {low:.0%}-{high:.0%}",
                [t for t in group if low <= t.height < high],
            )
            for name, low, high in terciles
        ]
        if condition == "random pen":
            rows += [
                (f"  pen {low}-{high} px", [t for t in group if low <= t.pen < high])
                for low, high in PEN_BINS
            ]
        rows += [
            (
                f"  source <= {BOLD_WIDTH} px",
                [t for t in group if t.source_width <= BOLD_WIDTH],
            ),
            (
                f"  source > {BOLD_WIDTH} px",
                [t for t in group if t.source_width > BOLD_WIDTH],
            ),
        ]
        for name, subset in rows:
            print(_row(name, subset))
    print(
        "\n  app: the app as shipped (last_result); (b): preprocess without stroke"
        "\n  normalisation; (a): plain resize of the paper to 28x28; mnist: the"
        "\n  same digits' original MNIST images, not drawn. Same network."
        f"\n  source: the MNIST digit's own stroke width in its 20 px box; bold"
        f"\n  (> {BOLD_WIDTH} px) digits often lose their shape in thinning."
    )
    for condition, group in trials.items():
        errors = Counter((t.label, t.app) for t in group if t.app != t.label)
        listed = ", ".join(
            f"{true}->{'none' if seen < 0 else seen} x{count}"
            for (true, seen), count in errors.most_common()
        )
        print(f"\n  app errors, {condition} (true->read): {listed or 'none'}")
        inherent = sum(t.app != t.label and t.original != t.label for t in group)
        print(f"  of which also misread in the original MNIST image: {inherent}")


def failure_sheet(failures: list[Trial], path: Path, columns: int = 4) -> None:
    """Save the original, the canvas and the network input of each failure."""
    tiles = []
    for trial in failures:
        pictures = [trial.image / 255, trial.canvas / 255]
        if trial.network_input is not None:
            pictures.append(input_ink(trial.network_input))
        read = "none" if trial.app < 0 else trial.app
        tiles.append(
            (
                [ink_image(picture, _THUMB) for picture in pictures],
                f"#{trial.index}: {trial.label} read {read}, height "
                f"{trial.height:.0%}, pen {trial.pen:.0f}",
            )
        )
    contact_sheet(tiles, path, _THUMB, 3 * _THUMB + 24, columns)


def main(argv: list[str] | None = None) -> int:
    """Run the study from the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m studies.drawn_digits",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=_default_data(),
        help=f"MNIST directory with the t10k files (default: ${DATA_VARIABLE}, "
        "else the test subset in tests/data/mnist)",
    )
    parser.add_argument("--count", type=int, default=1000, help="digits to draw")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument(
        "--heights",
        type=float,
        nargs=2,
        default=HEIGHTS,
        metavar=("LOW", "HIGH"),
        help="range of the digits' heights, as fractions of the canvas "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--weights", type=Path, default=BUNDLED_WEIGHTS, help="state_dict file"
    )
    parser.add_argument(
        "--failures",
        type=Path,
        default=Path("/tmp/drawn_digit_failures.png"),
        help="contact sheet of failures to write (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    images, labels = load_mnist(args.data, "test")
    count = min(args.count, len(images))
    indices = np.sort(
        np.random.default_rng(args.seed).choice(len(images), count, replace=False)
    )
    # One digit at a time gains nothing from threads, and the CPU is shared.
    torch.set_num_threads(1)
    # Qt reads the platform when the application starts: no display needed.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with real_window(args.weights) as (window, transform):
        _describe(args, window, transform, count)
        start = time.perf_counter()
        trials = run(
            window, transform, images, labels, indices, args.seed, tuple(args.heights)
        )
        elapsed = time.perf_counter() - start

    drawn = sum(len(group) for group in trials.values())
    report(trials, tuple(args.heights))
    print(
        f"\nruntime:  {elapsed:.1f} s for {drawn} drawings "
        f"({1000 * elapsed / drawn:.0f} ms each, three readers included)"
    )
    failures = [t for group in trials.values() for t in group if t.app != t.label]
    failure_sheet(spread(failures, 40), args.failures)
    print(
        f"failures: {len(failures)}; up to 40 on {args.failures} "
        "(each: MNIST image | canvas | network input)"
    )
    return 0


def _describe(
    args: argparse.Namespace,
    window: MainWindow,
    transform: tuple[float, np.ndarray],
    count: int,
) -> None:
    """Print what is measured: weights, data, window and canvas sizes, digits."""
    canvas = window.canvas
    stamp = time.strftime(
        "%Y-%m-%d %H:%M:%S", time.localtime(args.weights.stat().st_mtime)
    )
    print(
        f"weights:  {args.weights} (modified {stamp}, recorded MNIST test "
        f"accuracy {window.session.network.classifier.test_accuracy})"
    )
    subset = (
        f" (the subset bundled for the tests: pass --data or set {DATA_VARIABLE} "
        "for all 10,000)"
        if args.data.resolve() == BUNDLED_SUBSET.resolve()
        else ""
    )
    print(f"data:     {args.data}{subset}, {count} test digits, seed {args.seed}")
    print(
        f"window:   {window.width()}x{window.height()}; canvas widget "
        f"{canvas.width()}x{canvas.height()}, showing the {PAPER} px paper at "
        f"{transform[0] * PAPER:.0f} px"
    )
    low, high = args.heights
    print(
        f"digits:   pen-trajectory height {low:.0%}-{high:.0%} of the "
        f"paper, random position; pen {DrawingCanvas.DEFAULT_PEN_WIDTH:.0f} "
        f"(default), then random {PENS[0]:.0f}-{PENS[1]:.0f} px"
    )


if __name__ == "__main__":
    sys.exit(main())
