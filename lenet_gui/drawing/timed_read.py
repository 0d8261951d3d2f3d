"""Read an image file on a worker thread, with a time budget.

Decoding runs inside Qt's image plugins, which cannot be interrupted: a
progressive JPEG with thousands of scans or an SVG full of large filters can
keep a decoder busy for minutes. :class:`TimedRead` starts
:func:`~lenet_gui.drawing.image_file.read_ink` on a daemon thread at once, so
the caller stays free (the window keeps painting) and decides how long to
wait. :class:`ReadAhead` reads a list of files in order on one worker
thread, ahead of the caller (``--predict``: the next files decode while the
network reads this one). A read given up on is left to finish on its own
thread and its result dropped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence

import numpy as np

from lenet_gui.drawing.image_file import ImageFileError, read_ink
from lenet_gui.drawing.image_file import _gui_application as _allow_svg_text

__all__ = ["ReadAhead", "TimedRead", "give_up_reason"]


def give_up_reason(seconds: float) -> str:
    """Return why an image that took over `seconds` to decode was given up on."""
    return (
        f"gave up after {seconds:g} s: the image is too costly to decode "
        f"(a huge or deliberately slow file)"
    )


class TimedRead:
    """:func:`read_ink` of one file, running on its own daemon thread.

    Parameters
    ----------
    path : str or path-like
        The image file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        # Qt's SVG renderer needs a GUI application for text, and only the
        # main thread may start one: start it here, before the worker runs.
        _allow_svg_text()
        self._ink: np.ndarray | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(
            target=self._run, name="image-reader", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        try:
            self._ink = read_ink(self.path)
        except Exception as error:  # handed to the caller by result()
            self._error = error

    def done(self) -> bool:
        """Whether the read has finished (with an image or an error)."""
        return not self._thread.is_alive()

    def wait(self, seconds: float) -> bool:
        """Wait at most `seconds` for the read to finish; return whether it did."""
        self._thread.join(max(0.0, seconds))
        return self.done()

    def result(self) -> np.ndarray:
        """Return the ink of a finished read.

        Raises
        ------
        ImageFileError
            The file cannot be used (as :func:`read_ink` raises it).
        ValueError
            Any other failure of the decoder, as :func:`read_ink` raised it.
        RuntimeError
            The read has not finished.
        """
        if not self.done():
            raise RuntimeError("the image is still being read")
        if self._error is not None:
            raise self._error
        assert self._ink is not None
        return self._ink


class ReadAhead:
    """Read files in order on one worker thread, ahead of the caller.

    Iterating gives each path with its ink or the :class:`ImageFileError`
    that says why it cannot be used, in the order given. The caller waits
    at most `seconds` for a file once it asks for it; a file that takes
    longer is given up on (its error says so) and a new worker goes on with
    the files after it, while the old one finishes the stuck file unseen and
    stops. At most `ahead` files are read before the caller asks for them.

    Parameters
    ----------
    paths : sequence of str
        The image files.
    seconds : float
        The time budget of one file, from when the caller asks for it.
    ahead : int
        How many files the worker may read before they are asked for (each
        is at most 1024 px on its longer side once read: 4 MB of ink).
    """

    def __init__(
        self,
        paths: Sequence[str],
        seconds: float,
        ahead: int = 16,
    ) -> None:
        self.paths = [os.fspath(path) for path in paths]
        self.seconds = seconds
        # Qt's SVG renderer needs a GUI application for text, and only the
        # main thread may start one: start it here, before a worker runs.
        _allow_svg_text()
        self._results: dict[int, np.ndarray | ImageFileError] = {}
        self._changed = threading.Condition()
        self._asked = 0  # the index the caller waits for next
        self._ahead = max(1, ahead)
        self._worker = 0  # a worker whose number is not this stops
        self._thread: threading.Thread | None = None

    def __iter__(self) -> Iterator[tuple[str, np.ndarray | ImageFileError]]:
        self._start(0)
        for index, path in enumerate(self.paths):
            yield path, self._take(index)

    def ready(self) -> int:
        """How many files after the one asked for last are read already."""
        with self._changed:
            count = 0
            while self._asked + 1 + count in self._results:
                count += 1
            return count

    def close(self) -> None:
        """Stop reading ahead, and wait for the file being read (at most `seconds`).

        A caller that stops early (its output closed) must not leave the
        worker decoding an image while Python and Qt shut down: that could
        crash the process on its way out.
        """
        with self._changed:
            self._worker += 1
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=max(0.0, self.seconds))

    def _start(self, first: int) -> None:
        """Start a worker on the files from `first` on."""
        with self._changed:
            self._worker += 1
            number = self._worker
        self._thread = threading.Thread(
            target=self._run, args=(first, number), name="image-reader", daemon=True
        )
        self._thread.start()

    def _run(self, first: int, number: int) -> None:
        for index in range(first, len(self.paths)):
            with self._changed:
                while number == self._worker and index > self._asked + self._ahead:
                    self._changed.wait()
                if number != self._worker:
                    return  # given up on: a newer worker reads the rest
            try:
                result: np.ndarray | ImageFileError = read_ink(self.paths[index])
            except ImageFileError as error:
                result = error
            except Exception as error:  # a decoder's own failure: one message
                result = ImageFileError(self.paths[index], str(error))
            with self._changed:
                if number != self._worker:
                    return
                self._results[index] = result
                self._changed.notify_all()

    def _take(self, index: int) -> np.ndarray | ImageFileError:
        """Wait for file `index`: its ink or its error."""
        with self._changed:
            self._asked = index
            self._changed.notify_all()
            found = self._changed.wait_for(
                lambda: index in self._results, timeout=max(0.0, self.seconds)
            )
            if found:
                return self._results.pop(index)
        self._start(index + 1)
        return ImageFileError(self.paths[index], give_up_reason(self.seconds))
