"""Train LeNet-5 on MNIST: ``python -m lenet_gui.train --data DIR --output FILE``.

Trains with the paper's kind of distortions on MNIST's training digits and,
mixed in, the same digits drawn again as the app draws them
(:mod:`lenet_gui.training.drawn`); evaluates on the 10,000 test digits at the end, and
saves a plain state_dict with a JSON file beside it recording accuracy,
settings, timing, versions and the data's checksums.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import torch
from tqdm import tqdm

from lenet_gui.files.idx import (
    IdxFormatError,
    MnistDownloadError,
    download_mnist,
    load_mnist,
    sha256_of_data,
)
from lenet_gui.files.safe_write import check_writable, describe
from lenet_gui.imaging.preprocess import from_mnist
from lenet_gui.network.checkpoint_staging import holds_checkpoints
from lenet_gui.network.checkpoints import checkpoint_folder
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import metadata_path, save_weights
from lenet_gui.training.digit_pool import draw_mnist, pool_of
from lenet_gui.training.distortions import Distortion
from lenet_gui.training.drawing_cache import add_argument as add_cache_argument
from lenet_gui.training.freed_memory import keep_freed_memory
from lenet_gui.training.learning import (
    evaluate_inputs,
    make_optimizer,
    seed_everything,
    train_epoch,
    with_drawn_indices,
)
from lenet_gui.training.pen_training import add_arguments as add_pen_arguments
from lenet_gui.training.pen_training import prepare as prepare_pen_digits
from lenet_gui.training.pen_training import validate as validate_pen_digits
from lenet_gui.training.run_output import (
    RunCheckpoints,
    Stopped,
    stopping_on_signals,
    uninterrupted,
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not the whole usage."""

    def error(self, message: str) -> NoReturn:
        """Print the error as one line and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """Return an argparse type: a whole number from `low` (to `high`)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f"from {low}" if high is None else f"from {low} to {high}"
            raise argparse.ArgumentTypeError(f"must be {bounds}, not {value}")
        return value

    return parse


def _real_number(low: float, high: float, *, above_low: bool) -> Callable[[str], float]:
    """Return an argparse type: a finite number from `low` (or above) to `high`."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        too_low = value <= low if above_low else value < low
        if not math.isfinite(value) or too_low or value > high:
            bounds = f"above {low}" if above_low else f"from {low}"
            if math.isfinite(high):
                bounds += f" to {high}"
            raise argparse.ArgumentTypeError(f"must be a number {bounds}, not {text}")
        return value

    return parse


_POSITIVE = _whole_number(1)
#: torch threads a run uses unless --threads says otherwise. Fixed, not one per
#: core: the sums of a training step depend on how many threads share them, so
#: a default that followed the machine (or the cores a busy machine leaves
#: free) would give other weights for the same seed.
TRAINING_THREADS = 2
#: Most torch threads and drawing processes: far beyond any gain on a desktop,
#: low enough that a typo cannot start a thousand processes.
MAX_THREADS = 64
MAX_WORKERS = 64
#: Most variants drawn of each pen digit: 32 of the whole UCI training set take
#: about 1 GB; more would only exhaust memory before the first pass.
MAX_STROKE_COPIES = 32


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse and check the command line; a bad value exits with one line."""
    parser = _Parser(
        prog="python -m lenet_gui.train", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--data", type=Path, required=True, help="MNIST directory")
    parser.add_argument(
        "--download", action="store_true", help="fetch MNIST into --data if missing"
    )
    parser.add_argument("--epochs", type=_POSITIVE, default=20)
    parser.add_argument("--batch-size", type=_POSITIVE, default=128)
    parser.add_argument(
        "--lr",
        type=_real_number(0, math.inf, above_low=True),
        default=3e-3,
        help="peak learning rate",
    )
    # numpy's legacy seeding, used for the drawing, takes 0 to 2**32 - 1.
    parser.add_argument("--seed", type=_whole_number(0, 2**32 - 1), default=1)
    parser.add_argument(
        "--no-distortions", action="store_true", help="train on the plain digits"
    )
    parser.add_argument(
        "--drawn",
        type=_real_number(0, 1, above_low=False),
        default=1.0,
        metavar="FRACTION",
        help="each pass adds FRACTION x the training digits, drawn again with the "
        "canvas's pen (0 turns it off; default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=_whole_number(1, MAX_WORKERS),
        default=None,
        help="processes that draw the digits (default: one per CPU); the "
        "weights are the same whatever the number",
    )
    parser.add_argument(
        "--limit", type=_POSITIVE, default=None, help="train on the first N digits only"
    )
    parser.add_argument(
        "--threads",
        type=_whole_number(1, MAX_THREADS),
        default=TRAINING_THREADS,
        help="torch CPU threads (default: %(default)s on any machine, so that a "
        "seed gives the same weights; another number gives other weights)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        help="weights file to write (e.g. runs/lenet5.pt); its record goes "
        "beside it with .json; an existing file is replaced only with --force",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --output file and its .json",
    )
    parser.add_argument(
        "--no-checkpoints",
        dest="checkpoints",
        action="store_false",
        help="do not save the dozen checkpoints of the run beside the weights",
    )
    add_pen_arguments(parser)
    add_cache_argument(parser)
    args = parser.parse_args(argv)
    # The pen options belong to lenet_gui.training.pen_training; their ranges are
    # checked here, with the others.
    if not 1 <= args.stroke_copies <= MAX_STROKE_COPIES:
        parser.error(
            f"argument --stroke-copies: must be from 1 to {MAX_STROKE_COPIES}, "
            f"not {args.stroke_copies}"
        )
    per_pass = args.strokes_per_pass
    if not (math.isfinite(per_pass) and per_pass >= 0):
        parser.error(
            f"argument --strokes-per-pass: must be a number from 0, not {per_pass}"
        )
    return args


def check_output(args: argparse.Namespace) -> str | None:
    """Say why the weights could not be saved where asked, before any training.

    Refused: an output whose metadata (``.json``) or checkpoint folder would
    be the output itself; a place where no file can be created (a folder, a
    device, a path through a file, a read-only disk); an existing file
    without ``--force``. Missing folders are created.

    Returns
    -------
    str or None
        The reason, one line; None when the output is fine.
    """
    output = args.output
    record = metadata_path(output)
    if output.suffix.lower() == ".json" or record == output:
        return f"--output {output}: its .json record would overwrite the weights"
    folder = checkpoint_folder(output)
    if args.checkpoints and (folder == output or folder.is_file()):
        return f"--output {output}: its checkpoint folder {folder} is a file"
    for path in (output, record):
        try:
            check_writable(path)
        except OSError as error:
            return f"cannot write {path}: {describe(error)}"
    existing = [str(path) for path in (output, record) if os.path.lexists(path)]
    if holds_checkpoints(folder):
        if not args.checkpoints:
            return (
                f"{folder} holds an earlier run's checkpoints, which would be left "
                "beside the new weights (remove it, or train without "
                "--no-checkpoints to replace it)"
            )
        existing.append(str(folder))
    if existing and not args.force:
        verb = "exists" if len(existing) == 1 else "exist"
        alone = ""
        if str(folder) in existing and not os.path.lexists(output):
            alone = f"; {folder.name} has no weights beside it"
        return (
            f"{' and '.join(existing)} already {verb}{alone} "
            "(add --force to replace once the new weights are saved)"
        )
    return None


class _CannotSave(Exception):
    """A checkpoint or the weights could not be written; the message says why."""


@contextmanager
def _saving(path: Path) -> Iterator[None]:
    """Turn a failed write of `path` into :class:`_CannotSave`, in plain words."""
    try:
        yield
    except OSError as error:
        raise _CannotSave(f"cannot write {path}: {describe(error)}") from error


def main(argv: list[str] | None = None) -> int:
    """Run training from the command line; return the exit status.

    0 when the weights are saved; 1, with one line on stderr, when the data,
    the output or a save fails; 2 (exit) for a bad or missing option.
    """
    args = parse_args(argv)
    problem = check_output(args)
    if problem is not None:
        print(f"error: {problem}; nothing was trained", file=sys.stderr)
        return 1
    old = f"{args.output.name}, {metadata_path(args.output).name}"
    if args.checkpoints:
        old += f" and {checkpoint_folder(args.output).name}"
    try:
        with stopping_on_signals():
            return _train(args, argv)
    except _CannotSave as error:
        # A disk that filled up during training: one line. The weights and
        # record are replaced only once both new ones are whole.
        print(f"error: {error}; any earlier {old} are unchanged", file=sys.stderr)
        return 1
    except Stopped as stop:
        print(
            f"{stop}: nothing saved; any earlier {old} are unchanged", file=sys.stderr
        )
        return stop.exit_status


def _train(args: argparse.Namespace, argv: list[str] | None) -> int:
    """Load the data, train, evaluate and save; return the exit status."""
    keep_freed_memory()
    torch.set_num_threads(args.threads)
    generator = seed_everything(args.seed)
    try:
        if args.download:
            download_mnist(args.data)
        train_images, train_labels = load_mnist(args.data, "train")
        test_images, test_labels = load_mnist(args.data, "test")
        test_inputs = from_mnist(test_images)  # read after every pass: made once
        # Before the long drawing of MNIST, so a bad stroke file fails at once
        # (StrokeFileError is a ValueError).
        pen = prepare_pen_digits(args, args.workers)
    except (IdxFormatError, MnistDownloadError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.limit:
        train_images, train_labels = (
            train_images[: args.limit],
            train_labels[: args.limit],
        )
    labels = torch.from_numpy(train_labels).long()
    drawn_inputs, drawn_labels, drawing_seconds = draw_mnist(
        train_images, train_labels, args.drawn, args.seed, args.workers, args.cache
    )
    drawn_per_pass = min(round(args.drawn * len(labels)), len(drawn_labels))

    distortion = None if args.no_distortions else Distortion()
    model = LeNet5()
    pen_per_pass = 0 if pen is None else pen.per_pass
    steps = -(-(len(labels) + drawn_per_pass + pen_per_pass) // args.batch_size)
    optimizer, scheduler = make_optimizer(model, args.epochs, steps, args.lr)

    # Every digit a pass may hold, in one tensor: MNIST, drawn, pen. Each pass
    # picks its digits by index instead of copying them all into a new tensor.
    pool_ink, pool_labels = pool_of(
        train_images,
        labels,
        (drawn_inputs, drawn_labels),
        None if pen is None else (pen.ink, pen.labels),
    )
    every_mnist = torch.arange(len(labels))
    pen_offset = len(labels) + len(drawn_labels)
    del drawn_inputs

    started = time.perf_counter()
    history = []
    with _saving(checkpoint_folder(args.output)):
        checkpoints = RunCheckpoints(
            args.output,
            args.checkpoints,
            model,
            steps,
            args.epochs,
            (test_inputs, test_labels),
        )
    try:
        for epoch in range(1, args.epochs + 1):
            with tqdm(
                total=steps, desc=f"epoch {epoch}/{args.epochs}", unit="batch"
            ) as bar:

                def show(loss: float, accuracy: float, bar: tqdm = bar) -> None:
                    bar.set_postfix(
                        loss=f"{loss:.4f}", acc=f"{accuracy:.4f}", refresh=False
                    )
                    bar.update()
                    with _saving(checkpoint_folder(args.output)):
                        checkpoints.after_batch()

                subset = with_drawn_indices(
                    every_mnist, len(labels), len(drawn_labels), drawn_per_pass,
                    generator,
                )  # fmt: skip
                if pen is not None:
                    subset = with_drawn_indices(
                        subset, pen_offset, len(pen.labels), pen_per_pass, generator
                    )
                loss, accuracy = train_epoch(
                    model,
                    pool_ink,
                    pool_labels,
                    optimizer,
                    scheduler,
                    generator,
                    batch_size=args.batch_size,
                    distortion=distortion,
                    on_batch=show,
                    subset=subset,
                )
                # A checkpoint at the end of the pass has read the test set
                # with these very weights already.
                evaluation = checkpoints.evaluation_now() or evaluate_inputs(
                    model, test_inputs, test_labels
                )
                test_accuracy = evaluation.accuracy
                bar.set_postfix(
                    loss=f"{loss:.4f}",
                    acc=f"{accuracy:.4f}",
                    test=f"{test_accuracy:.4f}",
                )
            history.append(
                {
                    "epoch": epoch,
                    "loss": round(loss, 6),
                    "train_accuracy": round(accuracy, 6),
                    "test_accuracy": test_accuracy,
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
        seconds = time.perf_counter() - started

        result = evaluation  # the last pass's, of the weights saved
        print(f"test accuracy: {result.accuracy:.4%} on {result.n} digits")
        metadata = {
            "test_accuracy": result.accuracy,
            "test_images": result.n,
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "seed": args.seed,
            "optimizer": f"Adam, one-cycle learning rate, peak {args.lr}",
            "loss": "softmax cross-entropy",
            "augmentation": None if distortion is None else distortion.describe(),
            "training_images": len(labels),
            "drawn_fraction": args.drawn,
            "drawn_digits": len(drawn_labels),
            "drawn_per_pass": drawn_per_pass,
            "drawing_seconds": round(drawing_seconds, 1),
            "training_seconds": round(seconds, 1),
            "torch_version": torch.__version__,
            "python_version": platform.python_version(),
            "threads": torch.get_num_threads(),
            "data_sha256": sha256_of_data(args.data),
            "command": shlex.join(
                [
                    "python",
                    "-m",
                    "lenet_gui.training.train_cli",
                    *(sys.argv[1:] if argv is None else argv),
                ]
            ),
            "history": history,
        }
        if pen is not None:
            metadata["strokes"] = pen.record
            if pen.heldout:
                validation = validate_pen_digits(
                    model, pen.heldout, workers=args.workers
                )
                metadata["validation"] = validation
                # Fitted on writers the model never saw: the softmax temperature
                # for these weights (the app does not apply it yet).
                metadata["temperature"] = validation["temperature"]
                ece = f"{validation['ece_before']:.4f} -> {validation['ece_after']:.4f}"
                print(
                    f"held-out writers: {validation['accuracy']:.2%} of "
                    f"{validation['n']} digits; temperature "
                    f"{validation['temperature']}, ECE {ece}"
                )
        with uninterrupted():
            with _saving(args.output):
                save_weights(model, args.output, metadata)
            with _saving(checkpoint_folder(args.output)):
                replaced = checkpoints.install()
        print(f"saved {args.output} and {metadata_path(args.output)}")
        if args.checkpoints:
            earlier = " (the earlier ones replaced)" if replaced else ""
            print(f"checkpoints in {checkpoint_folder(args.output)}{earlier}")
        return 0
    finally:
        checkpoints.discard()


if __name__ == "__main__":
    sys.exit(main())
