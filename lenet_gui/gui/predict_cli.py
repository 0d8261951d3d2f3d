r"""Classify image files without a window: the ``--predict`` command.

Each file gives one line of JSON on standard output, in the order given::

    {"file": "seven.png", "text": "7", "digits": [{"digit": 7,
     "probabilities": [...], "box": [12, 4, 40, 60]}], "digit": 7,
     "probabilities": [...], "not_digit": null}
    {"file": "2026.png", "text": "2026", "digits": [... four ...],
     "digit": null, "probabilities": null, "not_digit": null}
    {"file": "star.png", "text": "", "digits": [], "digit": null,
     "probabilities": null, "not_digit": "does not look like a digit"}
    {"file": "blank.png", "text": "", "digits": [], "digit": null,
     "probabilities": null, "not_digit": null, "error": "no digit found"}
    {"file": "notes.txt", "error": "not an image in any format this app can read"}

(each object on one line). ``"text"`` is the digits read left to right,
``"digits"`` one object per digit with its ten probabilities (rounded to 6
decimals) and its ``[x0, y0, x1, y1]`` box in the image's pixels (end
exclusive; for a photo, in the pixels of the cleaned, cropped ink);
``"digit"`` and ``"probabilities"`` repeat the digit's when exactly one was
read. ``"not_digit"`` gives the reason when the ink was read but does not
look like digits. A name that is not valid UTF-8 is shown with each bad
byte as ``\xNN`` (:func:`shown_name`). Files are read as the window's File >
Open reads them (:func:`lenet_gui.drawing.image_file.read_ink`: photos and
scans are cleaned of uneven light, printed lines and specks first) and cut
into digits as the window cuts a drawing
(:class:`lenet_gui.reading.number.NumberReader`). A blank image holds no
digit to classify, so it counts as a failure like a file that cannot be
read: the exit status is 0 when every file was read (as digits or as "not a
digit"), 1 when any was not, and 2 when the weights cannot be loaded (one
line on standard error, nothing on standard output). Bad files never cause
a traceback, and a file that takes longer than :data:`DECODE_SECONDS` to
decode is reported as given up on while the command goes on to the next.

Standard output closed early (``--predict *.png | head -1``) ends the command
quietly, with status 1 (:data:`CLOSED_OUTPUT`): not every file was reported.
A failed write (a full disk, ``> /dev/full``) is reported in one line on
standard error, with status 74 (:data:`WRITE_FAILED`, ``EX_IOERR``).

No display is needed and no widget is created: Qt's image format plugins
(JPEG, GIF, WebP, ...) load without a ``QGuiApplication``; reading an SVG
starts an offscreen one, which Qt's SVG renderer needs for fonts. Qt may
still print its own decoder warnings (such as ``libpng error``) on standard
error.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np

from lenet_gui.drawing.image_file import ImageFileError
from lenet_gui.drawing.timed_read import ReadAhead
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.network.weights import WeightsError
from lenet_gui.reading.number import NumberReader, Reading
from lenet_gui.reading.segment_scorer import ScorerError, load_scorer
from lenet_gui.reading.verdict import VerdictError, load_head

__all__ = [
    "CLOSED_OUTPUT",
    "DECODE_SECONDS",
    "NO_DIGIT",
    "WRITE_FAILED",
    "run_predict",
    "shown_name",
]

#: The error reported for an image in which no digit was found.
NO_DIGIT = "no digit found"
#: Exit status when standard output was closed before every file was reported.
CLOSED_OUTPUT = 1
#: Exit status when the results could not be written (``EX_IOERR``).
WRITE_FAILED = 74
#: Seconds one file may take to decode before it is reported and skipped.
DECODE_SECONDS = 5.0
# Files read ahead are handed to the network in batches of at most this many.
_BATCH = 16


def run_predict(
    paths: list[str],
    weights: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Classify image files and print one JSON object per file.

    Parameters
    ----------
    paths : list of str
        The image files, classified and reported in this order.
    weights : str, optional
        A LeNet-5 weights file; the bundled weights when omitted.
    out, err : text streams, optional
        Where results and the weights error go; ``sys.stdout`` and
        ``sys.stderr`` at the time of the call by default.

    Returns
    -------
    int
        0 if every file was classified, 1 if any could not be read or held
        no digit (or `out` was closed before all were reported), 2 if the
        weights could not be loaded, 74 if writing to `out` failed.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    use_one_thread()  # before the weights' checks run the network
    try:
        classifier = Classifier.load(weights)
    except WeightsError as error:
        print(f"error: cannot load the weights: {error}", file=err)
        return 2
    try:
        head = load_head()
    except VerdictError as error:
        head = None
        print(f"warning: not checking for non-digits: {error}", file=err)
    scorer = None
    if weights is None:
        try:
            scorer = load_scorer()
        except ScorerError as error:
            print(f"warning: cutting numbers without the scorer: {error}", file=err)
    reader = NumberReader(classifier, head, scorer)
    files = ReadAhead(paths, DECODE_SECONDS)
    try:
        return _report_all(reader, files, out, err)
    finally:
        files.close()


def _report_all(
    reader: NumberReader, files: ReadAhead, out: TextIO, err: TextIO
) -> int:
    """Read and print every file; return the exit status."""
    status = 0
    for batch in _batches(files):
        readings = iter(
            reader.read_many(
                [found for _, found in batch if not isinstance(found, ImageFileError)]
            )
        )
        results = [
            _report(
                shown_name(path),
                found,
                None if isinstance(found, ImageFileError) else next(readings),
            )
            for path, found in batch
        ]
        status = max([status] + [1 for result in results if "error" in result])
        try:
            # Flushed per batch of files read ahead, so a caller reading a
            # pipe sees each file's result as soon as the network read it.
            print("\n".join(json.dumps(r) for r in results), file=out, flush=True)
        except BrokenPipeError:
            # The reader has all it wanted (`| head -1`): stop, quietly.
            _discard_output(out)
            return CLOSED_OUTPUT
        except OSError as error:
            _discard_output(out)
            reason = error.strerror or str(error)
            print(f"error: cannot write the results: {reason}", file=err)
            return WRITE_FAILED
    return status


def _discard_output(out: TextIO) -> None:
    """Point `out`'s file descriptor at the null device.

    What `out` still buffers is flushed again when Python exits; into a closed
    pipe or a full disk that would fail once more, with a traceback. This is
    what the Python documentation recommends for ``BrokenPipeError``.
    """
    try:
        descriptor = out.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return  # not a file (a StringIO): nothing is flushed at exit
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def shown_name(path: str) -> str:
    r"""Return a file name as printed: bytes that are not UTF-8 as ``\xNN``.

    A name that is not valid UTF-8 arrives with its bad bytes as lone
    surrogates, which no UTF-8 JSON may hold; each such byte is shown as the
    four characters ``\xNN`` instead (``caf\xe9.png``), so every line
    printed is valid UTF-8 JSON and the name stays recognisable.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _batches(
    files: ReadAhead,
) -> Iterator[list[tuple[str, np.ndarray | ImageFileError]]]:
    """Yield the files in order, in batches of those already read.

    A file is handed on as soon as it is read; the files read after it
    while the network was busy go with it, up to :data:`_BATCH`.
    """
    batch: list[tuple[str, np.ndarray | ImageFileError]] = []
    for item in files:
        batch.append(item)
        if len(batch) >= _BATCH or not files.ready():
            yield batch
            batch = []
    if batch:
        yield batch


def _report(
    name: str, found: np.ndarray | ImageFileError, reading: Reading | None
) -> dict[str, Any]:
    """Return the JSON object reported for one file: its error or its reading."""
    if isinstance(found, ImageFileError):
        return {"file": name, "error": found.reason}
    if reading is None:
        return {
            "file": name,
            "text": "",
            "digits": [],
            "digit": None,
            "probabilities": None,
            "not_digit": None,
            "error": NO_DIGIT,
        }
    return {"file": name, **reading.as_json()}
