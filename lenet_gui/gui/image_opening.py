"""Open an image file without freezing the window, with a Cancel button.

Qt's decoders cannot be interrupted, and a file can be slow to decode on
purpose (a progressive JPEG of thousands of scans, an SVG full of blurs).
:func:`read_ink_responsively` reads the file on a worker thread
(:class:`~lenet_gui.drawing.timed_read.TimedRead`) while the window goes on
painting and answering; after a moment a small dialog says which file is
being opened and offers Cancel. The canvas is not touched until the image
has been read and accepted.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from lenet_gui.drawing.image_file import ImageFileError
from lenet_gui.drawing.timed_read import TimedRead, give_up_reason

__all__ = ["OPEN_SECONDS", "read_ink_responsively"]

#: Seconds an image may take to decode in the window before it is given up on.
OPEN_SECONDS = 30.0
# A read finished within this many seconds needs no event loop at all.
_QUICK = 0.05
# How long a read runs before the dialog with Cancel appears, in milliseconds.
_DIALOG_AFTER_MS = 400


def read_ink_responsively(
    parent: QWidget, path: Path, seconds: float | None = None
) -> np.ndarray | None:
    """Return the ink of an image file, read while the window stays live.

    Returns
    -------
    np.ndarray or None
        The ink, as :func:`~lenet_gui.drawing.image_file.read_ink` gives it;
        None when the person pressed Cancel.

    Raises
    ------
    ImageFileError
        The file cannot be used, or it took longer than `seconds` (by
        default :data:`OPEN_SECONDS`) to decode.
    """
    seconds = OPEN_SECONDS if seconds is None else seconds
    read = TimedRead(path)
    if read.wait(_QUICK):
        return read.result()
    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    dialog = QProgressDialog(
        f"Opening {path.name}\N{HORIZONTAL ELLIPSIS}", "Cancel", 0, 0, parent
    )
    dialog.setWindowTitle("Opening image")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(0)
    dialog.hide()
    cancelled: list[bool] = []

    def on_cancel() -> None:
        cancelled.append(True)
        loop.quit()

    def check() -> None:
        if dialog.wasCanceled():
            on_cancel()
        elif read.done() or time.monotonic() > deadline:
            loop.quit()

    dialog.canceled.connect(on_cancel)
    poll = QTimer(interval=20)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(_DIALOG_AFTER_MS, dialog, dialog.show)
    loop.exec()
    poll.stop()
    dialog.canceled.disconnect(on_cancel)
    dialog.close()
    dialog.deleteLater()
    if cancelled and not read.done():
        return None
    if not read.done():
        raise ImageFileError(path, give_up_reason(seconds))
    return read.result()
