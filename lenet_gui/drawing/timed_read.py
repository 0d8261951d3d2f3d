"""Read an image file on a worker thread, with a time budget.

Decoding runs inside Qt's image plugins, which cannot be interrupted: a
progressive JPEG with thousands of scans or an SVG full of large filters can
keep a decoder busy for minutes. :class:`TimedRead` starts
:func:`~lenet_gui.drawing.image_file.read_ink` on a daemon thread at once, so
the caller stays free (the window keeps painting; ``--predict`` goes on to
the next file) and decides how long to wait. A read given up on is left to
finish on its own thread and its result dropped.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from lenet_gui.drawing.image_file import ImageFileError, read_ink
from lenet_gui.drawing.image_file import _gui_application as _allow_svg_text

__all__ = ["TimedRead", "give_up_reason", "read_ink_within"]


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


def read_ink_within(path: str | os.PathLike[str], seconds: float) -> np.ndarray:
    """Return :func:`read_ink` of `path`, giving up after `seconds`.

    Raises
    ------
    ImageFileError
        The file cannot be used, or decoding it took longer than `seconds`
        (it goes on, unseen, on its own thread until the decoder returns).
    """
    read = TimedRead(path)
    if not read.wait(seconds):
        raise ImageFileError(path, give_up_reason(seconds))
    return read.result()
