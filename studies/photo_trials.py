"""The photo study's trials: which digits, their photos, and what reads them.

Each :class:`Trial` is one digit (pendigits pen trajectories or an MNIST test
digit) photographed by :func:`studies.photo_scene.photograph` and written
as a JPEG file (:func:`make_trials`), then read by each of :data:`READERS`
(:func:`read_all`): the app's ``--predict``, plain ``predict(read_image)``,
the same ink clean, and the same strokes on the app's canvas.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lenet_gui.drawing.image_file import read_image
from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.files.idx import load_mnist
from lenet_gui.files.stroke_files import StrokeFileError, load_pen_digits
from lenet_gui.gui.predict_cli import run_predict
from lenet_gui.network.classifier import Classifier
from lenet_gui.training.skeletons import place_strokes
from studies.photo_ink import catmull_rom, ink_from_mnist, ink_from_strokes
from studies.photo_scene import Photo, photograph, save_photo

#: Environment variables naming the data when no option does.
STROKES_VARIABLE = "LENET_STROKES"
MNIST_VARIABLE = "LENET_MNIST"
#: Pen width as a fraction of the digit's height: a fine ballpoint to a marker.
PEN_FRACTION = (0.025, 0.10)
#: Readers compared, in table order.
READERS = ("app", "plain", "clean", "canvas")


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
        # Read and checked as training reads them: bounded, one line if unusable.
        try:
            records = load_pen_digits(strokes_file)
        except StrokeFileError as error:
            raise SystemExit(f"error: {error}") from None
        if args.writers:
            wanted = parse_writers(args.writers)
            records = [r for r in records if r.writer in wanted]
        if not records:
            raise SystemExit(f"no pen trajectories of writers {args.writers}")
        pick = np.random.default_rng(rng_seed).choice(
            len(records), min(args.count, len(records)), replace=False
        )
        for index in np.sort(pick):
            record = records[index]
            rng = np.random.default_rng((rng_seed, 1, int(index)))
            strokes = list(record.strokes)
            ink = ink_from_strokes(strokes, rng.uniform(*PEN_FRACTION))
            trials.append(
                _photographed(
                    "strokes",
                    int(index),
                    record.writer,
                    record.label,
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
