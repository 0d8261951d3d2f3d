"""Real pen trajectories in training, and validation on writers held out.

The training command (:mod:`lenet_gui.training.train_cli`) takes stroke files with
``--strokes``; this module reads them, holds out writers if asked, draws
a pool of augmented variants of every digit left
(:func:`lenet_gui.training.pen_digits.pen_inputs`), and, after training,
reads the held-out writers' digits as written, placed on the canvas as the
product is checked (45-80 % of the canvas, default pen), to report accuracy
and fit a softmax temperature on them.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.network.model import LeNet5
from lenet_gui.training.calibration import (
    expected_calibration_error,
    fit_temperature,
    softmax,
)
from lenet_gui.training.learning import ink_from_inputs

__all__ = [
    "VALIDATION_SEED",
    "PenTraining",
    "add_arguments",
    "calibration_report",
    "logits_of",
    "parse_styles",
    "prepare",
    "validate",
]


def parse_styles(text: str) -> tuple[str, ...]:
    """Read ``--pen-styles``: "all", "none" or comma-separated style names."""
    from lenet_gui.training.pen_styles import STYLES

    if text == "all":
        return tuple(STYLES)
    if text == "none":
        return ()
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = sorted(set(names) - set(STYLES))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown style(s) {', '.join(unknown)}; known: {', '.join(STYLES)}"
        )
    return names


def _holdout(text: str) -> int | list[str]:
    """Read ``--holdout-writers``: a number, or comma-separated writer ids."""
    if text.strip().isdigit():
        return int(text)
    return [name.strip() for name in text.split(",") if name.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the pen-trajectory options to the training command's parser."""
    group = parser.add_argument_group("real pen trajectories")
    group.add_argument(
        "--strokes",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="stroke files (JSON: label, writer, strokes) to draw and mix into "
        "every pass",
    )
    group.add_argument(
        "--holdout-writers",
        type=_holdout,
        default=0,
        metavar="N|IDS",
        help="writers left out of training and validated on: a number picked "
        "by --seed, or comma-separated ids (default: none)",
    )
    group.add_argument(
        "--stroke-copies",
        type=int,
        default=4,
        metavar="K",
        help="augmented variants drawn of each pen digit, once, before "
        "training (default: %(default)s)",
    )
    group.add_argument(
        "--strokes-per-pass",
        type=float,
        default=2.0,
        metavar="X",
        help="pen digits in each pass, as a multiple of the digits trained on, "
        "picked at random from the variants (default: %(default)s)",
    )
    group.add_argument(
        "--pen-styles",
        type=parse_styles,
        default="all",
        metavar="NAMES",
        help="style variants: all, none, or a comma-separated list (default: all)",
    )
    group.add_argument(
        "--pen-augment",
        choices=("full", "placement"),
        default="full",
        help="full: rotate, slant, stretch, wobble, resample, then place; "
        "placement: only size, position, pen and mouse grid; style variants "
        "(--pen-styles) apply to both (default: full)",
    )


@dataclass
class PenTraining:
    """Pen digits drawn for training, and the writers held out.

    Attributes
    ----------
    ink : Tensor
        (M, 1, 32, 32) drawn variants, ink in [0, 1].
    labels : Tensor
        (M,) their labels.
    per_pass : int
        Variants that join each training pass.
    heldout : list
        The held-out writers' digits (:class:`PenDigit`), to validate on.
    record : dict
        What the weights' metadata should say about them.
    """

    ink: Tensor
    labels: Tensor
    per_pass: int
    heldout: list[PenDigit]
    record: dict[str, Any]


def prepare(args: argparse.Namespace, workers: int | None) -> PenTraining | None:
    """Load, split and draw the pen digits the command line asks for.

    Returns
    -------
    PenTraining or None
        None when no stroke file is given.

    Raises
    ------
    StrokeFileError
        A stroke file cannot be used.
    ValueError
        The held-out writers cannot be chosen as asked.
    """
    if not args.strokes:
        return None
    # Qt is needed only here: plain MNIST training runs without it.
    from lenet_gui.files.stroke_files import load_pen_digits, pick_writers
    from lenet_gui.training.drawing_cache import DrawingCache, cached_pen_inputs
    from lenet_gui.training.pen_digits import PLACEMENT_ONLY, PenAugmentation

    digits = load_pen_digits(args.strokes)
    heldout_writers = pick_writers(digits, args.holdout_writers, args.seed)
    held = set(heldout_writers)
    train = [d for d in digits if d.writer not in held]
    heldout = [d for d in digits if d.writer in held]
    if args.pen_augment == "full":
        aug = PenAugmentation(styles=args.pen_styles)
    else:
        aug = replace(PLACEMENT_ONLY, styles=args.pen_styles)
    started = time.perf_counter()
    print(
        f"drawing {args.stroke_copies} variants of {len(train)} pen digits "
        f"by {len({d.writer for d in train})} writers..."
    )
    inputs, labels, cached = cached_pen_inputs(
        train,
        args.seed,
        args.stroke_copies,
        aug,
        workers,
        DrawingCache.for_command(getattr(args, "cache", True)),
    )
    seconds = time.perf_counter() - started
    how = "read them from the cache" if cached else "drew them"
    print(f"{how}: {len(labels)} in {seconds:.1f} s")
    per_pass = min(round(args.strokes_per_pass * len(train)), len(labels))
    record = {
        "files": [str(path) for path in args.strokes],
        "digits": len(digits),
        "trained_digits": len(train),
        "trained_writers": len({d.writer for d in train}),
        "holdout_writers": heldout_writers,
        "copies": args.stroke_copies,
        "drawn": len(labels),
        "per_pass": per_pass,
        "augmentation": aug.describe(),
        "drawing_seconds": round(seconds, 1),
    }
    return PenTraining(
        ink_from_inputs(inputs),
        torch.from_numpy(labels).long(),
        per_pass,
        heldout,
        record,
    )


def logits_of(model: LeNet5, inputs: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """Output-layer values (before the softmax) of (N, 32, 32) network inputs."""
    x = torch.from_numpy(np.asarray(inputs, dtype=np.float32)).unsqueeze(1)
    model.eval()
    with torch.no_grad():
        return torch.cat(
            [model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        ).numpy()


def calibration_report(
    logits: np.ndarray, labels: np.ndarray, writers: np.ndarray
) -> dict[str, Any]:
    """Fit a temperature, and measure calibration on writers it was not fitted on.

    The writers are split in two halves; T fitted on one half is scored on
    the other, both ways, so the ECE "after" is not measured on the digits
    T was fitted to. The temperature returned is fitted on all of them.

    Returns
    -------
    dict
        ``temperature``, ``ece_before`` and ``ece_after`` (15 bins, on all
        digits; after: each half with the other half's T), and the
        temperatures of the halves.
    """
    names = np.array(sorted(set(writers)))
    halves = [np.isin(writers, names[0::2]), np.isin(writers, names[1::2])]
    probabilities = np.zeros_like(logits, dtype=np.float64)
    half_temperatures = []
    for fit_on, score_on in (halves, halves[::-1]):
        if not fit_on.any() or not score_on.any():
            continue
        t = fit_temperature(logits[fit_on], labels[fit_on])
        half_temperatures.append(round(t, 4))
        probabilities[score_on] = softmax(logits[score_on], t)
    temperature = fit_temperature(logits, labels)
    if len(half_temperatures) < 2:
        # One writer: no honest split; score with the temperature fitted here.
        probabilities = softmax(logits, temperature)
    return {
        "temperature": round(temperature, 4),
        "ece_before": round(expected_calibration_error(softmax(logits), labels), 5),
        "ece_after": round(expected_calibration_error(probabilities, labels), 5),
        "half_temperatures": half_temperatures,
    }


#: Seed of the drawing of held-out digits, here and in the benchmark
#: (``studies/real_digits.py``), so both report the same figure.
VALIDATION_SEED = 0


def validate(
    model: LeNet5,
    heldout: list[PenDigit],
    seed: int = VALIDATION_SEED,
    workers: int | None = None,
) -> dict[str, Any]:
    """Read held-out writers' digits, drawn as the product is checked.

    Each digit is drawn once as written (no augmentation), 45-80 % of the
    canvas high with the default pen, at a random position, through a
    mouse's pixel grid, the same way whatever the training seed.

    Returns
    -------
    dict
        Accuracy overall and per digit, the commonest confusions, and the
        calibration (:func:`calibration_report`).
    """
    from lenet_gui.training.pen_digits import as_written, pen_inputs

    inputs, labels, indices = pen_inputs(heldout, seed, 1, as_written(), workers)
    logits = logits_of(model, inputs)
    predictions = logits.argmax(axis=1)
    writers = np.array([heldout[i].writer for i in indices])
    correct = predictions == labels
    confusions = Counter(
        (int(t), int(p)) for t, p in zip(labels, predictions, strict=True) if t != p
    )
    return {
        "condition": "as written, 45-80 % of the canvas, default pen",
        "n": len(labels),
        "accuracy": round(float(correct.mean()), 5),
        "per_digit": [round(float(correct[labels == d].mean()), 4) for d in range(10)],
        "confusions": [
            {"true": t, "read": p, "count": c}
            for (t, p), c in confusions.most_common(8)
        ],
        **calibration_report(logits, labels, writers),
    }
