"""Real handwriting study: digits by writers the network never trained on.

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
(``MainWindow``) and read from ``window.session.last_result``. It reports accuracy
overall, per digit and per writer, the commonest confusions, the softmax
temperature fitted on these writers with the expected calibration error
before and after, and writes contact sheets of the misreads (canvas, the
32x32 network input, true and read digit).

Writers: those the weights' JSON records as held out (``--holdout-writers``
of the training command); otherwise ``--holdout N`` picked by
``--split-seed`` as the training command picks them, or ``--all-writers``.
With ``--folds K``, it first trains K models with the training command, each
leaving one group of writers out, and pools their out-of-fold readings.

    python -m studies.real_digits --strokes FILE [--weights W] [--gui 300]
    python -m studies.real_digits --data DIR     (every *.json in DIR)
    LENET_STROKES=FILE python -m studies.real_digits
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from lenet_gui.files.stroke_files import (
    PenDigit,
    StrokeFileError,
    load_pen_digits,
    pick_writers,
)
from lenet_gui.network.weights import (
    BUNDLED_WEIGHTS,
    WeightsError,
    load_model,
    metadata_path,
)
from lenet_gui.training.pen_digits import as_written
from lenet_gui.training.pen_training import VALIDATION_SEED
from studies.real_folds import fold_writers, train_folds
from studies.real_readings import HEADLINE, Readings, measure, pooled, redraw
from studies.real_report import (
    calibration,
    misread_sheet,
    offline_sheet,
    print_report,
)

ENVIRONMENT = "LENET_STROKES"


# -- the real window -----------------------------------------------------------


def through_window(
    weights: Path, readings: Readings, seed: int, count: int, path: Path
) -> dict:
    """Replay a sample of the headline digits as mouse events on the real window.

    Returns accuracy, agreement with the offline reading and the misreads'
    count; writes their contact sheet to `path`.
    """
    # The window and its widgets only when they are used.
    from studies.window import real_window, replay_and_read

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


# -- command line --------------------------------------------------------------


def stroke_files(args: argparse.Namespace) -> list[Path]:
    """Return the stroke files from --strokes, --data or the environment."""
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
    """Return the writers to measure on: recorded as held out, else as asked."""
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
        prog="python -m studies.real_digits", description=__doc__.splitlines()[0]
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
    """Run the study; return the exit status."""
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
