"""My digits: the drawings a person corrected, kept with their labels to teach from.

When the network misreads a drawing and the person says what it is ("Not a
4? It's a 9"), the drawing's strokes are kept here with that label, in the
person's data folder (``QStandardPaths.AppDataLocation``, e.g.
``~/.local/share/lenet-gui/LeNet-5 Explorer/my-digits.json``), in the JSON shape of
stroke files (label, writer, strokes; see
:mod:`lenet_gui.files.stroke_files`), so that the same file can be exported,
imported and taught from the command line (``python -m lenet_gui.adapt``).

Every change rewrites the file whole or not at all
(:func:`~lenet_gui.files.safe_write.write_file`). A file that cannot be
read as digits is never overwritten or lost: it is renamed aside (with
``.unusable-<time>`` before ``.json``) and the person is told where it went.
The file is read the first time the digits are needed, never at start-up.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QStandardPaths, Signal

from lenet_gui.files.safe_read import RefusedFile, regular_file_status
from lenet_gui.files.safe_write import describe, write_file
from lenet_gui.files.stroke_files import PenDigit, StrokeFileError, load_pen_digits

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier

__all__ = [
    "MAX_MY_DIGITS",
    "MAX_MY_DIGITS_BYTES",
    "MyDigits",
    "MyDigitsError",
    "default_path",
    "my_weights_path",
    "weights_name",
]

#: Most digits kept (and imported): a person's own handful, not a data set.
MAX_MY_DIGITS = 2000
#: Largest file of digits read: 16 MiB, some 2,000 digits drawn slowly.
MAX_MY_DIGITS_BYTES = 16 * 2**20
#: Who wrote the digits kept here, as the stroke files name writers.
WRITER = "me"
_MAX_POINTS = 20_000
_MAX_STROKES = 50


class MyDigitsError(ValueError):
    """A change to My digits that cannot be made; the message says why."""


def default_path() -> Path:
    """Return where My digits are kept: the person's data folder for the app."""
    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation
    )
    return Path(folder or Path.home() / ".lenet-gui") / "my-digits.json"


def my_weights_path() -> Path:
    """Return where "my weights" are kept: beside the settings file.

    The settings are ``QSettings("lenet-gui", "LeNet-5 Explorer")``'s file in
    the configuration folder (:func:`lenet_gui.gui.settings.settings_path`),
    e.g. ``~/.config/lenet-gui/my-weights.pt``; read from the environment at
    each call.
    """
    location = QStandardPaths.StandardLocation.GenericConfigLocation
    return Path(QStandardPaths.writableLocation(location), "lenet-gui", "my-weights.pt")


def weights_name(classifier: Classifier | None) -> str:
    """Name the weights a classifier reads with, e.g. "my weights"."""
    if classifier is None:
        return ""
    if classifier.source is None:
        return "bundled weights"
    if classifier.source == my_weights_path():
        return "my weights"
    return classifier.source.name


def _as_json(digits: Sequence[PenDigit]) -> bytes:
    items = [
        {
            "label": d.label,
            "writer": d.writer,
            "strokes": [np.round(s, 1).tolist() for s in d.strokes],
        }
        for d in digits
    ]
    return (json.dumps(items) + "\n").encode()


def _read(path: Path) -> list[PenDigit]:
    """Read a file of digits, bounded; raise MyDigitsError in one line."""
    try:
        regular_file_status(path, MAX_MY_DIGITS_BYTES)
        digits = load_pen_digits(path)
    except RefusedFile as refused:
        raise MyDigitsError(f"{path.name}: {refused.reason}") from None
    except StrokeFileError as error:
        raise MyDigitsError(str(error).replace(str(path), path.name)) from None
    except RecursionError:
        raise MyDigitsError(f"{path.name}: nested too deeply to be digits") from None
    if len(digits) > MAX_MY_DIGITS:
        raise MyDigitsError(
            f"{path.name}: {len(digits):,} digits; at most {MAX_MY_DIGITS:,} are kept"
        )
    for k, digit in enumerate(digits):
        points = sum(len(s) for s in digit.strokes)
        if len(digit.strokes) > _MAX_STROKES or points > _MAX_POINTS:
            raise MyDigitsError(
                f"{path.name}: digit {k} has {len(digit.strokes)} strokes and "
                f"{points:,} points, more than a hand writes"
            )
    return digits


class MyDigits(QObject):
    """The person's corrected digits, kept in a file, changed whole.

    Parameters
    ----------
    path : Path, optional
        The file; :func:`default_path` when omitted.

    Signals
    -------
    changed
        The digits changed (added, relabelled, removed, imported).
    """

    changed = Signal()

    def __init__(self, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._path = path
        self._digits: list[PenDigit] | None = None

    @property
    def path(self) -> Path:
        """The file the digits are kept in."""
        return self._path if self._path is not None else default_path()

    def digits(self) -> list[PenDigit]:
        """Return the digits kept (read from the file the first time)."""
        if self._digits is None:
            self.load()
        assert self._digits is not None
        return list(self._digits)

    def load(self) -> str | None:
        """Read the file; return a one-line message if it had to be set aside."""
        path = self.path
        try:
            regular_file_status(path)
        except RefusedFile as refused:
            if refused.missing:
                self._digits = []
                return None
        try:
            self._digits = _read(path)
            return None
        except MyDigitsError as error:
            self._digits = []
            return self._set_aside(path, str(error))

    def _set_aside(self, path: Path, reason: str) -> str:
        aside = path.with_name(
            f"{path.stem}.unusable-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}"
        )
        try:
            path.rename(aside)
        except OSError as error:
            return (
                f"My digits could not be read ({reason}) nor set aside "
                f"({describe(error)}); new digits are kept in memory only"
            )
        return f"My digits could not be read ({reason}); the file was kept as {aside}"

    def add(self, strokes: Sequence[np.ndarray], label: int) -> None:
        """Keep a drawing's strokes (paper pixels) as an example of `label`.

        Raises
        ------
        MyDigitsError
            No strokes, a label that is not a digit, too many digits, or the
            file cannot be written (then nothing changes).
        """
        if not 0 <= label <= 9:
            raise MyDigitsError(f"{label} is not a digit 0-9")
        if not strokes or not any(len(s) for s in strokes):
            raise MyDigitsError("draw a digit first")
        digits = self.digits()
        if len(digits) >= MAX_MY_DIGITS:
            raise MyDigitsError(
                f"My digits holds {MAX_MY_DIGITS:,} already; delete some first"
            )
        arrays = tuple(np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes)
        self._store([*digits, PenDigit(label, WRITER, arrays)])

    def relabel(self, index: int, label: int) -> None:
        """Say that digit `index` is a `label`."""
        if not 0 <= label <= 9:
            raise MyDigitsError(f"{label} is not a digit 0-9")
        digits = self.digits()
        old = digits[index]
        digits[index] = PenDigit(label, old.writer, old.strokes)
        self._store(digits)

    def remove(self, indices: Sequence[int]) -> None:
        """Delete the digits at `indices`."""
        gone = set(indices)
        self._store([d for k, d in enumerate(self.digits()) if k not in gone])

    def import_file(self, path: Path) -> int:
        """Add the digits of a stroke file; return how many were added.

        Raises
        ------
        MyDigitsError
            The file cannot be used (nothing is added), or there would be too many.
        """
        added = _read(Path(path))
        digits = self.digits()
        if len(digits) + len(added) > MAX_MY_DIGITS:
            raise MyDigitsError(
                f"{Path(path).name}: {len(added):,} digits would make more than "
                f"{MAX_MY_DIGITS:,}"
            )
        self._store(digits + added)
        return len(added)

    def export_file(self, path: Path) -> None:
        """Write the digits to a stroke file, whole or not at all."""
        try:
            write_file(path, _as_json(self.digits()))
        except OSError as error:
            raise MyDigitsError(f"cannot write {path}: {describe(error)}") from None

    def _store(self, digits: list[PenDigit]) -> None:
        """Write `digits` whole, then keep them; on failure nothing changes."""
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, _as_json(digits))
        except OSError as error:
            raise MyDigitsError(
                f"My digits not saved: cannot write {path} ({describe(error)})"
            ) from None
        self._digits = digits
        self.changed.emit()
