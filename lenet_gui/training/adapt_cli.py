"""Adapt LeNet-5 to your handwriting: ``python -m lenet_gui.adapt``.

``python -m lenet_gui.adapt --strokes MINE.json --output MINE.pt`` (or
``lenet-adapt``) reads your digits from a stroke file (the JSON of "My digits" › Export:
label, writer, strokes), fine-tunes a copy of the weights on them (the same
code as the window's "Adapt to my handwriting",
:func:`~lenet_gui.training.adaptation_check.run_adaptation`), prints the
before/after figures and, as its last line, one JSON object. The weights
are written, with a ``.json`` record beside them (unless that name is the
stroke file's, which is never touched), only when the adaptation
keeps the bundled MNIST test digits within half a point; an existing file
is replaced only with ``--force``. Exit status: 0 saved, 1 refused or a bad
file (one line on stderr, nothing written), 2 a bad option.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import torch

from lenet_gui.files.safe_read import RefusedFile, read_regular_file
from lenet_gui.files.safe_write import check_writable, describe, write_file
from lenet_gui.files.stroke_files import PenDigit, StrokeFileError, load_pen_digits
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import (
    BUNDLED_WEIGHTS,
    WeightsError,
    load_model,
    metadata_path,
    save_weights,
)
from lenet_gui.training.adaptation import (
    MAX_TAUGHT_DIGITS,
    SCHEDULES,
    AdaptationError,
    settings_record,
)
from lenet_gui.training.adaptation_check import run_adaptation
from lenet_gui.training.train_cli import check_output

__all__ = ["MAX_TAUGHT_FILE_BYTES", "main", "read_taught_digits"]

#: Largest stroke file of your own digits read: 16 MiB, some 2,000 digits
#: drawn slowly with a mouse.
MAX_TAUGHT_FILE_BYTES = 16 * 2**20


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not the whole usage."""

    def error(self, message: str) -> NoReturn:
        """Print the error as one line and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be from {low} to {high}, not {value}"
            )
        return value

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse and check the command line; a bad value exits with one line."""
    parser = _Parser(
        prog="python -m lenet_gui.adapt", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--strokes", type=Path, required=True, help="your digits: a stroke file (JSON)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        help="weights file to write (not .json); its record goes beside it with "
        ".json; an existing file is replaced only with --force",
    )
    parser.add_argument(
        "--weights",
        type=Path,
        default=None,
        help="weights to start from (default: the bundled ones)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an existing --output and .json"
    )
    parser.add_argument(
        "--schedule",
        choices=tuple(SCHEDULES),
        default="quick",
        help="; ".join(s.describe() for s in SCHEDULES.values()),
    )
    parser.add_argument(
        "--folds",
        type=_count(0, 10),
        default=0,
        help="also read your digits with weights adapted without them, in K "
        "folds (K more adaptations; 0: off, the default)",
    )
    parser.add_argument("--seed", type=_count(0, 2**31 - 1), default=0)
    parser.add_argument(
        "--threads",
        type=_count(1, 256),
        default=1,
        help="torch CPU threads (default: 1, fastest for so small a job)",
    )
    args = parser.parse_args(argv)
    if args.folds == 1:
        parser.error("argument --folds: 1 fold holds nothing back; use 0 or 2 to 10")
    return args


def read_taught_digits(path: Path) -> list[PenDigit]:
    """Read a stroke file of a person's own digits, bounded before it is parsed.

    Raises
    ------
    AdaptationError
        The file is not a regular file, is over :data:`MAX_TAUGHT_FILE_BYTES`,
        holds more than :data:`MAX_TAUGHT_DIGITS` digits, or any digit is
        wrong (:func:`~lenet_gui.files.stroke_files.load_pen_digits`).
    """
    try:
        data = read_regular_file(path, MAX_TAUGHT_FILE_BYTES)
    except RefusedFile as refused:
        raise AdaptationError(f"{path}: {refused.reason}") from None
    try:
        items = json.loads(data)
    except (ValueError, RecursionError):
        items = None  # the stroke file reader says what is wrong, and where
    if isinstance(items, list) and len(items) > MAX_TAUGHT_DIGITS:
        raise AdaptationError(
            f"{path}: {len(items):,} digits; an adaptation learns from at most "
            f"{MAX_TAUGHT_DIGITS:,} of your own"
        )
    try:
        return load_pen_digits(path)
    except StrokeFileError as error:
        raise AdaptationError(str(error)) from None
    except RecursionError:
        raise AdaptationError(
            f"{path}: nested too deeply to be a stroke file"
        ) from None


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (or would, once created)."""
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def _check_output(args: argparse.Namespace, with_record: bool) -> str | None:
    """Say why the weights could not be written where asked; None if they can.

    The training command's rules (:func:`~lenet_gui.training.train_cli.check_output`).
    When the record's name is the stroke file itself (``--strokes MINE.json
    --output MINE.pt``), the stroke file is never touched: the weights are
    written alone.
    """
    if with_record:
        return check_output(
            argparse.Namespace(output=args.output, force=args.force, checkpoints=False)
        )
    if args.output.suffix.lower() == ".json":
        return f"--output {args.output}: weights are never written to a .json"
    try:
        check_writable(args.output)
    except OSError as error:
        return f"cannot write {args.output}: {describe(error)}"
    if os.path.lexists(args.output) and not args.force:
        return f"{args.output} already exists (add --force to replace)"
    return None


def _save(model: LeNet5, output: Path, record: dict[str, Any] | None) -> None:
    """Write the weights, with their record beside them unless it is None."""
    if record is not None:
        save_weights(model, output, {"adaptation": record})
        return
    data = io.BytesIO()
    torch.save(model.state_dict(), data)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_file(output, data.getvalue())


def main(argv: list[str] | None = None) -> int:
    """Run the adaptation from the command line; return the exit status."""
    args = parse_args(argv)
    with_record = not _same_file(metadata_path(args.output), args.strokes)
    problem = _check_output(args, with_record)
    if problem is not None:
        print(f"error: {problem}; nothing was adapted", file=sys.stderr)
        return 1
    torch.set_num_threads(args.threads)
    try:
        digits = read_taught_digits(args.strokes)
        base, _ = load_model(args.weights)
        print(f"read {len(digits)} digits from {args.strokes}")
        result = run_adaptation(
            base,
            digits,
            SCHEDULES[args.schedule],
            args.seed,
            folds=args.folds,
            say=print,
        )
    except (AdaptationError, WeightsError) as error:
        print(f"error: {error}; nothing was written", file=sys.stderr)
        return 1
    if result.note:
        print(f"note: {result.note}")
    for line in result.lines():
        print(line)
    record = {
        "strokes": str(args.strokes),
        "base_weights": str(args.weights or BUNDLED_WEIGHTS),
        **result.record(),
        **settings_record(SCHEDULES[args.schedule], args.seed, 64),
    }
    if result.refused:
        print(json.dumps({"saved": None, **record}))
        print(
            f"error: refused: {result.refusal()}; nothing was written", file=sys.stderr
        )
        return 1
    try:
        _save(result.model, args.output, record if with_record else None)
    except OSError as error:
        print(
            f"error: cannot write {args.output}: {describe(error)}; "
            "any earlier file is unchanged",
            file=sys.stderr,
        )
        return 1
    if with_record:
        print(f"saved {args.output} and {metadata_path(args.output)}")
    else:
        print(f"saved {args.output} (no record beside it: {args.strokes} is kept)")
    print(json.dumps({"saved": str(args.output), **record}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
