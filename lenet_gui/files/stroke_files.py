"""Stroke files: real pen trajectories read and checked, and writers held out.

A stroke file holds digits written with a pen (e.g. the UCI "Pen-Based
Recognition of Handwritten Digits" set: 30 writers on a tablet), each with
its label, its writer and its pen-down strokes. :func:`load_pen_digits`
reads such files and checks every field, naming the file and the digit of
anything wrong (:class:`StrokeFileError`); :func:`pick_writers` chooses the
writers to hold out of training, since digits of one writer look alike.
Files are read by :func:`~lenet_gui.files.bounded_json.read_json`: a named
pipe or a device under a stroke file's name is refused, not read, and a file
too large, nested too deep or holding a number too long for a coordinate is
refused in one line before it can exhaust memory or the parser.

Uses numpy only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lenet_gui.files.bounded_json import UnusableJson, read_json

__all__ = [
    "MAX_STROKE_FILE_BYTES",
    "MAX_STROKE_FILE_DEPTH",
    "PenDigit",
    "StrokeFileError",
    "load_pen_digits",
    "pick_writers",
]

#: Largest stroke file read: 32 MiB, some seven times a file of the whole UCI
#: set (10,992 digits at about 400 bytes each). Parsed, JSON takes up to about
#: fifteen times its size in memory, so this keeps a stroke file under 0.5 GB.
MAX_STROKE_FILE_BYTES = 32 * 2**20
#: Deepest nesting read: a stroke file needs 4 (digits, strokes, points, x y).
MAX_STROKE_FILE_DEPTH = 8

# Largest coordinate accepted in a stroke file: far beyond any tablet or
# screen, small enough that nothing overflows later.
_MAX_COORDINATE = 1e6


class StrokeFileError(ValueError):
    """A stroke file that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class PenDigit:
    """One digit written with a pen: its label, writer and strokes.

    Attributes
    ----------
    label : int
        The digit, 0-9.
    writer : str
        Who wrote it; digits of one writer look alike, so split by writer.
    strokes : tuple of np.ndarray
        The pen-down strokes in the order written, each (n, 2) float64
        (x, y) points, y growing downward.
    """

    label: int
    writer: str
    strokes: tuple[np.ndarray, ...]


def load_pen_digits(paths: Path | str | Iterable[Path | str]) -> list[PenDigit]:
    """Read stroke files, checking every field.

    A file is one JSON array of ``{"label": 0-9, "writer": "id", "strokes":
    [[[x, y], ...], ...]}`` objects; points are numbers, y down.

    Parameters
    ----------
    paths : path or iterable of paths
        One or more stroke files; their digits are concatenated in order.

    Returns
    -------
    list of PenDigit

    Raises
    ------
    StrokeFileError
        A file is missing, unreadable, not JSON, or any digit in it has a
        missing or wrong field; the message names the file and the digit.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    digits: list[PenDigit] = []
    for path in map(Path, paths):
        digits.extend(_load_file(path))
    return digits


def _load_file(path: Path) -> list[PenDigit]:
    try:
        items = read_json(
            path, MAX_STROKE_FILE_BYTES, MAX_STROKE_FILE_DEPTH, allow_nan=True
        )
    except UnusableJson as error:
        raise StrokeFileError(f"{path}: {error.reason}") from None
    if not isinstance(items, list):
        raise StrokeFileError(
            f"{path}: must hold a JSON array of digits, not a {type(items).__name__}"
        )
    if not items:
        raise StrokeFileError(f"{path}: holds no digits")
    return [_parse_digit(path, k, item) for k, item in enumerate(items)]


def _parse_digit(path: Path, k: int, item: object) -> PenDigit:
    where = f"{path}: digit {k}"
    if not isinstance(item, dict):
        raise StrokeFileError(f"{where}: must be an object, not {_kind(item)}")
    missing = [key for key in ("label", "writer", "strokes") if key not in item]
    if missing:
        raise StrokeFileError(f"{where}: missing {', '.join(missing)}")
    label, writer, strokes = item["label"], item["writer"], item["strokes"]
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= 9:
        raise StrokeFileError(
            f"{where}: label must be an integer 0-9, got {_short(label)}"
        )
    if not isinstance(writer, str) or not writer.strip():
        raise StrokeFileError(f"{where}: writer must be a non-empty string")
    if not isinstance(strokes, list) or not strokes:
        raise StrokeFileError(f"{where}: strokes must be a non-empty list of strokes")
    arrays = []
    for s, stroke in enumerate(strokes):
        if not isinstance(stroke, list) or not stroke:
            raise StrokeFileError(
                f"{where}, stroke {s}: must be a non-empty list of [x, y] points"
            )
        for point in stroke:
            if (
                not isinstance(point, list)
                or len(point) != 2
                or not all(
                    isinstance(v, int | float) and not isinstance(v, bool)
                    for v in point
                )
            ):
                raise StrokeFileError(
                    f"{where}, stroke {s}: every point must be [x, y] numbers, "
                    f"got {_short(point)}"
                )
        array = np.array(stroke, dtype=np.float64)
        if not np.isfinite(array).all() or np.abs(array).max() > _MAX_COORDINATE:
            raise StrokeFileError(
                f"{where}, stroke {s}: coordinates must be finite and at most "
                f"{_MAX_COORDINATE:g} in size"
            )
        arrays.append(array)
    return PenDigit(label=label, writer=writer, strokes=tuple(arrays))


def _short(value: object) -> str:
    """Return `value`'s repr on one line, cut to at most 60 characters."""
    text = repr(value).replace("\n", " ")
    return text if len(text) <= 60 else f"{text[:57]}..."


def _kind(value: object) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def pick_writers(
    digits: Sequence[PenDigit], holdout: int | Sequence[str], seed: int
) -> list[str]:
    """Choose writers to hold out of training, by number or by name.

    Parameters
    ----------
    digits : sequence of PenDigit
    holdout : int or sequence of str
        How many writers to pick at random (by `seed`, from the sorted list
        of writers), or their names.
    seed : int

    Returns
    -------
    list of str
        The writers held out, sorted.

    Raises
    ------
    ValueError
        A named writer is not in the data, or the number is not between 0
        and the number of writers less one (someone must be left to train on).
    """
    writers = sorted({digit.writer for digit in digits})
    if isinstance(holdout, int):
        if not 0 <= holdout < len(writers):
            raise ValueError(
                f"can hold out 0 to {len(writers) - 1} of {len(writers)} writers, "
                f"not {holdout}"
            )
        chosen = np.random.default_rng(seed).choice(len(writers), holdout, False)
        return sorted(writers[k] for k in chosen)
    unknown = sorted(set(holdout) - set(writers))
    if unknown:
        raise ValueError(f"no digits by writer(s) {', '.join(unknown)}")
    if len(set(holdout)) >= len(writers):
        raise ValueError("cannot hold out every writer")
    return sorted(set(holdout))
