"""Training digits drawn once and kept between runs, keyed by their whole recipe.

Drawing the training digits as the canvas would (:mod:`lenet_gui.training.drawn`,
:mod:`lenet_gui.training.pen_digits`) is the largest fixed cost of a run: over a
minute before the first pass on two cores. Their pixels depend only on their
recipe: which digits (the MNIST images picked, or the stroke files' bytes and
the writers trained on), the seed, the number of copies, the pen styles and
augmentation, and the code and libraries that draw them. So the first run
keeps them in the user's cache folder (``$XDG_CACHE_HOME/lenet-gui/``, else
``~/.cache/lenet-gui/``) under a name made from the recipe's sha256, and any
later run with the same recipe reads them back instead of drawing: the same
bytes, so the same weights.

An entry is written whole (a temporary file renamed into place) and read
through the project's bounded regular-file reader; one that is damaged, of
another recipe, or not an entry at all is ignored with one line and the
digits are drawn again. ``--no-cache`` neither reads nor writes.
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import io
import json
import os
import sys
import zipfile
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lenet_gui.files.safe_read import RefusedFile, read_regular_file
from lenet_gui.files.safe_write import describe, write_file
from lenet_gui.imaging.preprocess import INPUT_SIZE

if TYPE_CHECKING:
    from lenet_gui.files.stroke_files import PenDigit
    from lenet_gui.training.pen_digits import PenAugmentation

__all__ = [
    "CACHE_VARIABLE",
    "DrawingCache",
    "add_argument",
    "cache_folder",
    "cached_drawn_inputs",
    "cached_pen_inputs",
    "drawing_code_version",
]

#: Set to a folder, it holds the cached digits instead of the user's cache
#: folder (tests and benchmarks point it at a scratch folder).
CACHE_VARIABLE = "LENET_DRAWING_CACHE"

#: Modules whose code decides the drawn pixels; their source is part of the key,
#: so a change to any of them draws the digits again.
_DRAWING_MODULES = (
    "lenet_gui.drawing.paper",
    "lenet_gui.drawing.strokes",
    "lenet_gui.imaging.ink_levels",
    "lenet_gui.imaging.preprocess",
    "lenet_gui.imaging.resampling",
    "lenet_gui.spec.lenet5",
    "lenet_gui.training.drawn",
    "lenet_gui.training.pen_digits",
    "lenet_gui.training.pen_styles",
    "lenet_gui.training.skeletons",
)
#: Libraries whose arithmetic decides the drawn pixels (Qt paints the ink).
_DRAWING_LIBRARIES = ("numpy", "PySide6-Essentials", "shiboken6")
_FORMAT = 1
_BYTES_PER_DIGIT = INPUT_SIZE * INPUT_SIZE * 4 + 8 + 1
_SLACK = 1 << 20


def add_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-cache`` to a training command's parser."""
    parser.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="draw the training digits again even if the cache folder "
        f"(${CACHE_VARIABLE}, else $XDG_CACHE_HOME/lenet-gui or "
        "~/.cache/lenet-gui) holds them from an earlier run, and keep nothing",
    )


def cache_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """Return the folder cached digits go in; None when there is no home for it.

    ``$LENET_DRAWING_CACHE`` if set; else ``lenet-gui/training-digits`` in
    ``$XDG_CACHE_HOME`` (when it is an absolute path, as the XDG rules ask)
    or in ``~/.cache``.
    """
    env = os.environ if environ is None else environ
    chosen = env.get(CACHE_VARIABLE, "")
    if chosen:
        return Path(chosen)
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = env.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "lenet-gui" / "training-digits"


def drawing_code_version() -> str:
    """Return a sha256 of the code and library versions that draw the digits."""
    import importlib

    digest = hashlib.sha256()
    for name in _DRAWING_MODULES:
        module = importlib.import_module(name)
        source = getattr(module, "__file__", None)
        digest.update(name.encode())
        if source is not None:
            digest.update(Path(source).read_bytes())
    for library in _DRAWING_LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version};".encode())
    return digest.hexdigest()


class DrawingCache:
    """Reads and writes cached drawn digits in one folder, or does nothing.

    Parameters
    ----------
    folder : Path or None
        Where entries live; None turns the cache off (``--no-cache``, or no
        home folder).
    say : callable
        Where the one-line notes go (default: standard error).
    """

    def __init__(
        self, folder: Path | None, say: Callable[[str], None] | None = None
    ) -> None:
        self.folder = folder
        self._say = say or (lambda line: print(line, file=sys.stderr))

    @classmethod
    def for_command(cls, enabled: bool) -> DrawingCache:
        """Return the cache a training command uses: the user's, unless off."""
        return cls(cache_folder() if enabled else None)

    def entry(self, recipe: Mapping[str, Any]) -> Path | None:
        """Return the file an entry of `recipe` is kept in (None when off)."""
        if self.folder is None:
            return None
        key = hashlib.sha256(_recipe_bytes(recipe)).hexdigest()
        return self.folder / f"{recipe['kind']}-{key[:40]}.npz"

    def drawn(
        self,
        recipe: Mapping[str, Any],
        count: int,
        numbers_below: int,
        draw: Callable[[], tuple[np.ndarray, np.ndarray]],
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """Return the digits of `recipe`, from the cache or drawn now.

        Parameters
        ----------
        recipe : mapping
            Everything the pixels depend on, as JSON values, with a ``kind``.
        count : int
            Most digits the recipe can give (bounds the bytes read).
        numbers_below : int
            Bound of the numbers: each is from 0 to this less one.
        draw : callable
            Draws them: returns (N, 32, 32) float32 inputs and (N,) int64
            numbers (indices or labels).

        Returns
        -------
        inputs, numbers : np.ndarray
        cached : bool
            Whether they came from the cache.
        """
        path = self.entry(recipe)
        if path is not None:
            found = self._read(path, recipe, count, numbers_below)
            if found is not None:
                return found[0], found[1], True
        inputs, numbers = draw()
        if path is not None:
            self._write(path, recipe, inputs, numbers)
        return inputs, numbers, False

    def _read(
        self, path: Path, recipe: Mapping[str, Any], count: int, below: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        limit = count * _BYTES_PER_DIGIT + _SLACK
        try:
            data = read_regular_file(path, limit)
        except RefusedFile as refused:
            cause = refused.__cause__
            absent = isinstance(cause, OSError) and cause.errno == errno.ENOTDIR
            if not (refused.missing or absent):  # nothing cached is no news
                self._say(f"ignoring cached digits {path}: {refused.reason}")
            return None
        try:
            return _unpack(data, recipe, count, below, limit)
        except (ValueError, OSError, KeyError, zipfile.BadZipFile, EOFError) as error:
            self._say(f"ignoring cached digits {path}: {error}; drawing them again")
            return None

    def _write(
        self,
        path: Path,
        recipe: Mapping[str, Any],
        inputs: np.ndarray,
        numbers: np.ndarray,
    ) -> None:
        buffer = io.BytesIO()
        np.savez(
            buffer,
            recipe=np.frombuffer(_recipe_bytes(recipe), dtype=np.uint8),
            inputs=np.ascontiguousarray(inputs, dtype=np.float32),
            numbers=np.ascontiguousarray(numbers, dtype=np.int64),
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, buffer.getvalue(), follow_links=False)
        except OSError as error:
            self._say(f"cannot keep the drawn digits in {path}: {describe(error)}")


def _recipe_bytes(recipe: Mapping[str, Any]) -> bytes:
    """Return the recipe as canonical JSON, with the entry format."""
    whole = {"format": _FORMAT, **recipe}
    return json.dumps(whole, sort_keys=True, separators=(",", ":")).encode()


def _unpack(
    data: bytes, recipe: Mapping[str, Any], count: int, below: int, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Check an entry's bytes against `recipe`; return its inputs and numbers.

    Raises
    ------
    ValueError
        Not an entry of this recipe, or its arrays are not what one holds.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # Unpacked sizes first: a small archive can unpack to gigabytes.
        if sum(info.file_size for info in archive.infolist()) > limit:
            raise ValueError("it unpacks to more than the digits could fill")
    with np.load(io.BytesIO(data), allow_pickle=False) as entry:
        if sorted(entry.files) != ["inputs", "numbers", "recipe"]:
            raise ValueError("not a file of drawn digits")
        stored = entry["recipe"]
        if stored.dtype != np.uint8 or stored.tobytes() != _recipe_bytes(recipe):
            raise ValueError("drawn with another recipe")
        inputs = entry["inputs"]
        numbers = entry["numbers"]
    shape = (len(numbers), INPUT_SIZE, INPUT_SIZE)
    if (
        inputs.dtype != np.float32
        or numbers.dtype != np.int64
        or numbers.ndim != 1
        or inputs.shape != shape
        or len(numbers) > count
    ):
        raise ValueError("its arrays are not drawn digits")
    if not np.isfinite(inputs).all():
        raise ValueError("it holds numbers that are not finite")
    if len(numbers) and (numbers.min() < 0 or numbers.max() >= below):
        raise ValueError("its digits are numbered out of range")
    return inputs, numbers


def cached_drawn_inputs(
    images: np.ndarray, seed: int, workers: int | None, cache: DrawingCache
) -> tuple[np.ndarray, np.ndarray, bool]:
    """:func:`~lenet_gui.training.drawn.drawn_inputs`, through `cache`.

    Returns the inputs, their indices into `images`, and whether they came
    from the cache.
    """
    from lenet_gui.training.drawn import drawn_inputs

    images = np.ascontiguousarray(images)
    recipe = {
        "kind": "mnist-drawn",
        "images_sha256": hashlib.sha256(images.tobytes()).hexdigest(),
        "images": list(images.shape),
        "seed": seed,
        "code": drawing_code_version(),
    }
    return cache.drawn(
        recipe, len(images), len(images), lambda: drawn_inputs(images, seed, workers)
    )


def cached_pen_inputs(
    digits: Sequence[PenDigit],
    seed: int,
    copies: int,
    aug: PenAugmentation,
    workers: int | None,
    cache: DrawingCache,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """:func:`~lenet_gui.training.pen_digits.pen_inputs`, through `cache`.

    The recipe holds the sha256 of the digits themselves (labels, writers and
    every stroke's points, as read from the stroke files), so a stroke file
    changed in any way draws them again. Returns the inputs, their labels,
    and whether they came from the cache.
    """
    from lenet_gui.training.pen_digits import pen_inputs

    digest = hashlib.sha256()
    for digit in digits:
        digest.update(f"{digit.label};{digit.writer};{len(digit.strokes)};".encode())
        for stroke in digit.strokes:
            points = np.ascontiguousarray(stroke, dtype=np.float64)
            digest.update(f"{points.shape};".encode())
            digest.update(points.tobytes())
    recipe = {
        "kind": "pen-drawn",
        "digits_sha256": digest.hexdigest(),
        "digits": len(digits),
        "seed": seed,
        "copies": copies,
        "augmentation": aug.describe(),
        "code": drawing_code_version(),
    }

    def draw() -> tuple[np.ndarray, np.ndarray]:
        inputs, labels, _ = pen_inputs(digits, seed, copies, aug, workers)
        return inputs, labels

    return cache.drawn(recipe, copies * len(digits), 10, draw)
