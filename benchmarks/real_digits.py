"""Real handwriting benchmark: digits by writers the network never trained on.

Pen trajectories recorded from real writers (a stroke file, as the training
command's ``--strokes`` reads) are split BY WRITER, never by digit: a model
is measured only on writers it has not seen. Each digit is drawn as written
(no augmentation), placed at a random size and position on the canvas:

- headline: 45-80 % of the canvas, default pen (how the product is checked);
- small: 10-25 % of the canvas, default pen;
- random pen: 45-80 %, pen 8-48 px;
- styled: the held-out digits with one style variant added where it fits
  (a slashed 0, a barred 7, a flagged or footed 1, a closed 4, a curled 9),
  to see whether the network reads styles the writers did not use.

Offline, every digit goes through the app's renderer and preprocessing
(:func:`lenet_gui.drawing.paper.render`, :func:`preprocess`); a sample of
the headline digits is also replayed as mouse events on the real window
(``MainWindow``) and read from ``window.last_result``. It reports accuracy
overall, per digit and per writer, the commonest confusions, the softmax
temperature fitted on these writers with the expected calibration error
before and after, and writes contact sheets of the misreads (canvas, the
32x32 network input, true and read digit).

Writers: those the weights' JSON records as held out (``--holdout-writers``
of the training command); otherwise ``--holdout N`` picked by
``--split-seed`` as the training command picks them, or ``--all-writers``.
With ``--folds K``, it first trains K models with the training command, each
leaving one group of writers out, and pools their out-of-fold readings.

    python -m benchmarks.real_digits --strokes FILE [--weights W] [--gui 300]
    python -m benchmarks.real_digits --data DIR     (every *.json in DIR)
    LENET_STROKES=FILE python -m benchmarks.real_digits
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from benchmarks.accuracy import (
    contact_sheet,
    ink_image,
    input_ink,
    thumbnail,
    wilson,
)
from lenet_gui.drawing.paper import render
from lenet_gui.drawing.pen_digits import (
    as_written,
    mouse_points,
    pen_drawing,
    pen_inputs,
)
from lenet_gui.drawing.pen_styles import STYLES
from lenet_gui.drawing.stroke_files import (
    PenDigit,
    StrokeFileError,
    load_pen_digits,
    pick_writers,
)
from lenet_gui.network.calibration import expected_calibration_error, softmax
from lenet_gui.network.weights import (
    BUNDLED_WEIGHTS,
    WeightsError,
    load_model,
    metadata_path,
)
from lenet_gui.pen_training import VALIDATION_SEED, calibration_report, logits_of

ENVIRONMENT = "LENET_STROKES"
HEADLINE = (0.45, 0.8)
SMALL = (0.1, 0.25)
_THUMB = 112


@dataclass
class Readings:
    """Digits of one condition and what the network made of them."""

    name: str
    labels: np.ndarray
    logits: np.ndarray
    writers: np.ndarray
    indices: np.ndarray
    digits: list[PenDigit] = field(repr=False)

    @property
    def predictions(self) -> np.ndarray:
        """The digit read for each drawing."""
        return self.logits.argmax(axis=1)

    @property
    def n(self) -> int:
        """Number of drawings."""
        return len(self.labels)

    def correct(self) -> np.ndarray:
        """Whether each drawing was read right."""
        return self.predictions == self.labels

    def joined(self, other: Readings) -> Readings:
        """Both sets of readings, as one (e.g. out-of-fold readings pooled)."""
        offset = len(self.digits)
        return Readings(
            self.name,
            np.concatenate([self.labels, other.labels]),
            np.concatenate([self.logits, other.logits]),
            np.concatenate([self.writers, other.writers]),
            np.concatenate([self.indices, other.indices + offset]),
            self.digits + other.digits,
        )


def styled(digits: list[PenDigit], name: str, seed: int) -> list[PenDigit]:
    """The digits of the style's class with the style added, where it fits."""
    label, vary = STYLES[name]
    out = []
    for k, digit in enumerate(digits):
        if digit.label != label:
            continue
        varied = vary(list(digit.strokes), np.random.default_rng((seed, 7, k)))
        if varied is not None:
            out.append(PenDigit(digit.label, digit.writer, tuple(varied)))
    return out


def conditions(digits: list[PenDigit], seed: int) -> list[tuple[str, list, object]]:
    """(name, digits, drawing settings) of every condition measured."""
    rows = [
        ("headline 45-80%, default pen", digits, as_written(HEADLINE)),
        ("small 10-25%, default pen", digits, as_written(SMALL)),
        ("random pen 8-48 px, 45-80%", digits, as_written(HEADLINE, pen=None)),
    ]
    for name in STYLES:
        rows.append((f"styled: {name}", styled(digits, name, seed), as_written()))
    return rows


def measure(
    model: torch.nn.Module, digits: list[PenDigit], seed: int, workers: int
) -> list[Readings]:
    """Draw and read every condition's digits offline."""
    out = []
    for name, chosen, aug in conditions(digits, seed):
        if not chosen:
            continue
        inputs, labels, indices = pen_inputs(chosen, seed, 1, aug, workers)
        writers = np.array([chosen[i].writer for i in indices])
        out.append(
            Readings(name, labels, logits_of(model, inputs), writers, indices, chosen)
        )
    return out


def pooled(rows: list[Readings], more: list[Readings]) -> list[Readings]:
    """Join two models' readings condition by condition (out-of-fold pooling).

    A condition one of them lacks (no digit of its writers takes a style)
    keeps the other's readings; the order of `rows` comes first.
    """
    by_name = {r.name: r for r in rows}
    for r in more:
        by_name[r.name] = by_name[r.name].joined(r) if r.name in by_name else r
    return list(by_name.values())


def redraw(
    digit: PenDigit, index: int, seed: int, aug: object
) -> tuple[list[np.ndarray], float, np.ndarray]:
    """Draw a digit again exactly as :func:`pen_inputs` drew it (copy 0).

    Returns the strokes placed on the paper (before the mouse grid), the pen
    and the paper's raster.
    """
    rng = np.random.default_rng((seed, 0, index))
    placed, pen = pen_drawing(digit.strokes, digit.label, rng, aug)
    return placed, pen, render(mouse_points(placed, rng), pen)


# -- report --------------------------------------------------------------------


def summary(readings: Readings) -> dict:
    """Accuracy, interval, per digit, per writer and confusions of one condition."""
    correct = readings.correct()
    low, high = wilson(int(correct.sum()), readings.n)
    per_writer = {
        w: round(float(correct[readings.writers == w].mean()), 4)
        for w in sorted(set(readings.writers))
    }
    confusions = Counter(
        (int(t), int(p))
        for t, p in zip(readings.labels, readings.predictions, strict=True)
        if t != p
    )
    return {
        "n": readings.n,
        "accuracy": round(float(correct.mean()), 5),
        "interval": [round(low, 4), round(high, 4)],
        "per_digit": {
            d: round(float(correct[readings.labels == d].mean()), 4)
            for d in range(10)
            if (readings.labels == d).any()
        },
        "per_writer": per_writer,
        "confusions": [[t, p, c] for (t, p), c in confusions.most_common(10)],
    }


def print_report(rows: list[Readings], calibration: dict) -> dict:
    """Print the table, the details of the headline row and the calibration."""
    print(f"\n  {'condition':<34}{'n':>6}{'accuracy':>10}   95% interval")
    results = {}
    for readings in rows:
        s = summary(readings)
        results[readings.name] = s
        low, high = s["interval"]
        print(
            f"  {readings.name:<34}{s['n']:>6}{s['accuracy']:>10.2%}"
            f"   {low:.1%}-{high:.1%}"
        )
    head = results[rows[0].name]
    print(f"\n  {rows[0].name}, per digit:")
    print("   " + "".join(f"{d:>7}" for d in head["per_digit"]))
    print("   " + "".join(f"{a:>7.1%}" for a in head["per_digit"].values()))
    writers = head["per_writer"]
    worst = min(writers, key=writers.get)
    print(
        f"  per writer: {min(writers.values()):.1%} ({worst}) to "
        f"{max(writers.values()):.1%}, {len(writers)} writers"
    )
    listed = ", ".join(f"{t}->{p} x{c}" for t, p, c in head["confusions"])
    print(f"  confusions (true->read): {listed or 'none'}")
    print(
        f"\n  calibration on these writers: T = {calibration['temperature']}; "
        f"ECE (15 bins) {calibration['ece_before']:.4f} before, "
        f"{calibration['ece_after']:.4f} after (T fitted on the other half of the "
        f"writers: {calibration['half_temperatures']})"
    )
    print(
        f"  misreads said to be >= 99 % sure: {calibration['sure_misreads_before']} "
        f"before, {calibration['sure_misreads_after']} after scaling by T"
    )
    return results


def calibration(readings: Readings) -> dict:
    """Temperature and ECE of the headline readings (writer-split, see report)."""
    report = calibration_report(readings.logits, readings.labels, readings.writers)
    wrong = ~readings.correct()
    sure = softmax(readings.logits).max(axis=1) >= 0.99
    scaled = softmax(readings.logits, report["temperature"]).max(axis=1) >= 0.99
    scaled_probs = softmax(readings.logits, report["temperature"])
    report["ece_after_same_writers"] = round(
        expected_calibration_error(scaled_probs, readings.labels), 5
    )
    report["sure_misreads_before"] = int((wrong & sure).sum())
    report["sure_misreads_after"] = int((wrong & scaled).sum())
    return report


# -- contact sheets ------------------------------------------------------------


def misread_sheet(
    tiles: list[tuple[np.ndarray, np.ndarray | None, str]],
    path: Path,
    columns: int = 5,
) -> None:
    """Save (canvas, network input, caption) tiles as one PNG."""
    pictures = []
    for canvas, network_input, text in tiles:
        inks = [thumbnail(canvas, _THUMB) / 255.0]
        if network_input is not None:
            inks.append(input_ink(network_input))
        pictures.append(([ink_image(ink, _THUMB) for ink in inks], text))
    contact_sheet(pictures, path, _THUMB, 2 * _THUMB + 16, columns)


def offline_sheet(readings: Readings, seed: int, path: Path, limit: int = 60) -> int:
    """Contact sheet of the headline misreads; return how many there were."""
    from lenet_gui.network.preprocess import preprocess

    wrong = np.flatnonzero(~readings.correct())
    probabilities = softmax(readings.logits)
    tiles = []
    for k in wrong[:limit]:
        index = int(readings.indices[k])
        digit = readings.digits[index]
        _, _, paper = redraw(digit, index, seed, as_written(HEADLINE))
        read = int(readings.predictions[k])
        tiles.append(
            (
                paper,
                preprocess(paper),
                f"{digit.label} read {read} ({probabilities[k, read]:.0%}) "
                f"{digit.writer}",
            )
        )
    if tiles:
        misread_sheet(tiles, path)
    return len(wrong)


# -- the real window -----------------------------------------------------------


def through_window(
    weights: Path, readings: Readings, seed: int, count: int, path: Path
) -> dict:
    """Replay a sample of the headline digits as mouse events on the real window.

    Returns accuracy, agreement with the offline reading and the misreads'
    count; writes their contact sheet to `path`.
    """
    # The window and its widgets only when they are used.
    from benchmarks.stroke_replay import real_window, replay_and_read

    pick = np.sort(
        np.random.default_rng(seed).choice(
            readings.n, min(count, readings.n), replace=False
        )
    )
    with real_window(weights) as (window, transform):
        read, tiles = [], []
        started = time.perf_counter()
        for k in pick:
            index = int(readings.indices[k])
            digit = readings.digits[index]
            placed, pen, _ = redraw(digit, index, seed, as_written(HEADLINE))
            result = replay_and_read(window, transform, placed, pen)
            seen = -1 if result is None else result.digit
            read.append(seen)
            if seen != digit.label:
                sure = "" if result is None else f" ({result.confidence:.0%})"
                tiles.append(
                    (
                        window.canvas.to_array(),
                        None if result is None else result.network_input,
                        f"{digit.label} read {seen}{sure} {digit.writer}",
                    )
                )
        seconds = time.perf_counter() - started
    read = np.array(read)
    labels = readings.labels[pick]
    if tiles:
        misread_sheet(tiles, path)
    return {
        "n": len(pick),
        "accuracy": round(float((read == labels).mean()), 5),
        "offline_accuracy_same_digits": round(
            float((readings.predictions[pick] == labels).mean()), 5
        ),
        "agreement_with_offline": round(
            float((read == readings.predictions[pick]).mean()), 5
        ),
        "misreads": len(tiles),
        "seconds": round(seconds, 1),
    }


# -- folds ---------------------------------------------------------------------


def fold_writers(digits: list[PenDigit], folds: int, seed: int) -> list[list[str]]:
    """Split the writers into `folds` groups of (nearly) equal size, by seed."""
    writers = sorted({d.writer for d in digits})
    order = np.random.default_rng(seed).permutation(len(writers))
    return [sorted(writers[i] for i in order[k::folds]) for k in range(folds)]


def train_folds(args: argparse.Namespace, digits: list[PenDigit]) -> list[Path]:
    """Train one model per fold with the training command; return their weights."""
    from lenet_gui import train

    paths = []
    for k, group in enumerate(fold_writers(digits, args.folds, args.split_seed)):
        out = args.fold_dir / f"fold{k}.pt"
        argv = [
            *shlex.split(args.train_args),
            "--strokes",
            *map(str, args.strokes),
            "--holdout-writers",
            ",".join(group),
            "--output",
            str(out),
        ]
        if out.exists() and not args.retrain:
            print(f"fold {k}: using {out} (--retrain to train it again)")
        else:
            print(f"fold {k}: training without {', '.join(group)}")
            if train.main(argv) != 0:
                raise RuntimeError(f"training fold {k} failed")
        paths.append(out)
    return paths


# -- command line --------------------------------------------------------------


def stroke_files(args: argparse.Namespace) -> list[Path]:
    """The stroke files from --strokes, --data or the environment."""
    if args.strokes:
        return list(args.strokes)
    if args.data:
        files = sorted(args.data.glob("*.json"))
        if not files:
            raise StrokeFileError(f"{args.data}: no .json stroke files in it")
        return files
    if os.environ.get(ENVIRONMENT):
        return [Path(p) for p in os.environ[ENVIRONMENT].split(os.pathsep)]
    raise StrokeFileError(
        f"no stroke file: give --strokes FILE, --data DIR or set {ENVIRONMENT}"
    )


def chosen_writers(
    args: argparse.Namespace, digits: list[PenDigit], metadata: dict
) -> list[str]:
    """The writers to measure on: recorded as held out, else picked as asked."""
    if args.all_writers:
        return sorted({d.writer for d in digits})
    if args.writers:
        return pick_writers(digits, args.writers.split(","), 0)
    recorded = (metadata.get("strokes") or {}).get("holdout_writers")
    if recorded:
        return recorded
    return pick_writers(digits, args.holdout, args.split_seed)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.real_digits", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--strokes", type=Path, nargs="+", metavar="FILE")
    parser.add_argument("--data", type=Path, help="folder of .json stroke files")
    parser.add_argument(
        "--weights", type=Path, default=BUNDLED_WEIGHTS, help="state_dict file"
    )
    parser.add_argument(
        "--writers", help="comma-separated writers to measure on (overrides the rest)"
    )
    parser.add_argument(
        "--all-writers", action="store_true", help="measure on every writer"
    )
    parser.add_argument(
        "--holdout",
        type=int,
        default=6,
        help="writers to measure on when the weights record none (default: 6)",
    )
    parser.add_argument(
        "--split-seed",
        type=int,
        default=1,
        help="seed that picks them, as the training command's --seed (default: 1)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=VALIDATION_SEED,
        help="seed of the drawing (default: %(default)s, as the training "
        "command's validation)",
    )
    parser.add_argument(
        "--gui",
        type=int,
        default=300,
        metavar="N",
        help="headline digits replayed on the real window (0: none; default 300)",
    )
    parser.add_argument("--workers", type=int, default=2, help="drawing processes")
    parser.add_argument(
        "--sheet",
        type=Path,
        default=Path(tempfile.gettempdir()) / "real_digit_misreads.png",
        help="contact sheet of the offline misreads (the window's: *-window.png)",
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=0,
        help="train K models, each without one group of writers, and pool them",
    )
    parser.add_argument(
        "--train-args",
        default="--data ../shared/mnist --epochs 8 --seed 1",
        help="training command options for --folds (default: %(default)s)",
    )
    parser.add_argument("--fold-dir", type=Path, default=Path("runs/folds"))
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument(
        "--record-temperature",
        type=Path,
        metavar="WEIGHTS",
        help="write the temperature fitted here into this weights file's JSON",
    )
    parser.add_argument("--json", type=Path, help="write the results here too")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = parse_args(argv)
    torch.set_num_threads(1)
    # Text on the contact sheets needs an application (for its fonts), and the
    # window one; Qt reads the platform when it starts: no display needed.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    try:
        args.strokes = stroke_files(args)
        digits = load_pen_digits(args.strokes)
        if args.folds:
            groups = fold_writers(digits, args.folds, args.split_seed)
            models = [
                (load_model(p)[0], g)
                for p, g in zip(train_folds(args, digits), groups, strict=True)
            ]
            weights_label = f"{args.folds} fold models in {args.fold_dir}"
        else:
            model, metadata = load_model(args.weights)
            models = [(model, chosen_writers(args, digits, metadata))]
            weights_label = str(args.weights)
    except (StrokeFileError, WeightsError, ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    rows: list[Readings] = []
    for model, writers in models:
        held = set(writers)
        chosen = [d for d in digits if d.writer in held]
        rows = pooled(rows, measure(model, chosen, args.seed, args.workers))
    all_writers = sorted({w for _, ws in models for w in ws})
    print(f"weights:  {weights_label}")
    print(f"strokes:  {', '.join(map(str, args.strokes))} ({len(digits)} digits)")
    print(f"writers:  {len(all_writers)} measured: {', '.join(all_writers)}")
    headline = rows[0]
    cal = calibration(headline)
    results = print_report(rows, cal)
    misreads = offline_sheet(headline, args.seed, args.sheet)
    print(f"\n  offline misreads: {misreads}; contact sheet {args.sheet}")
    window = None
    if args.gui and not args.folds:
        window_sheet = args.sheet.with_name(args.sheet.stem + "-window.png")
        window = through_window(
            args.weights, headline, args.seed, args.gui, window_sheet
        )
        print(
            f"  real window, {window['n']} headline digits as mouse events: "
            f"{window['accuracy']:.2%} (offline on the same digits "
            f"{window['offline_accuracy_same_digits']:.2%}, same reading "
            f"{window['agreement_with_offline']:.2%}); misreads on {window_sheet}"
        )
    if args.record_temperature:
        path = metadata_path(args.record_temperature)
        record = json.loads(path.read_text())
        record["temperature"] = cal["temperature"]
        record["temperature_fit"] = {
            "weights": weights_label,
            "writers": all_writers,
            "condition": headline.name,
            **{k: cal[k] for k in ("ece_before", "ece_after", "half_temperatures")},
        }
        path.write_text(json.dumps(record, indent=2) + "\n")
        print(f"  temperature {cal['temperature']} written to {path}")
    out = {
        "weights": weights_label,
        "writers": all_writers,
        "rows": results,
        "calibration": cal,
        "window": window,
    }
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(
        json.dumps(
            {k: out[k] for k in ("weights", "calibration", "window")}
            | {"accuracy": {k: v["accuracy"] for k, v in results.items()}}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
