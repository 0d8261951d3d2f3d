"""Weights files read on worker threads, so the window never waits for one.

Reading and checking weights takes torch's import (about a second) the first
time, and a hostile file must never freeze the window while it is refused.
:class:`WeightsLoader` reads each file asked for on a thread of its own and
hands back, on the GUI thread, only the outcome of the newest request: a
person who picks another file (or whose bundled weights are still loading)
gets the one asked for last.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier

__all__ = ["WeightsLoader", "load_classifier"]


class WeightsLoader(QObject):
    """Loads weights off the GUI thread; the newest request's outcome wins.

    Parameters
    ----------
    parent : QObject, optional
        The Qt parent.
    """

    loaded = Signal(object, object, str)
    """(path, classifier, error) of the newest request, on the GUI thread:
    the path asked for (None for the bundled weights), then the classifier
    and "", or None and the reason in one line."""
    _finished = Signal(int, object, object, str)  # from a worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []
        self._newest = 0
        self._finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        """Whether a load is still running."""
        return any(thread.is_alive() for thread in self._threads)

    def start(self, path: Path | None) -> None:
        """Load `path` (None: the bundled weights) on a new worker thread."""
        self._newest += 1
        request = self._newest
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        thread = threading.Thread(
            target=lambda: self._finished.emit(request, path, *load_classifier(path)),
            name="load-weights",
        )
        self._threads.append(thread)
        thread.start()

    def supersede(self) -> None:
        """Drop the outcome of every load still running (newer weights are in use)."""
        self._newest += 1

    def join(self) -> None:
        """Wait for every load still running (each is bounded: see load_model)."""
        for thread in list(self._threads):
            thread.join()

    @Slot(int, object, object, str)
    def _on_finished(
        self, request: int, path: Path | None, classifier: Classifier | None, error: str
    ) -> None:
        if request == self._newest:
            self.loaded.emit(path, classifier, error)


def load_classifier(path: Path | None) -> tuple[Classifier | None, str]:
    """Load weights (None: the bundled ones): (classifier, "") or (None, why).

    Anything that goes wrong, a bad file or a broken torch install, becomes
    one line for the person, never an exception: the window must say so,
    not hang at "Loading".
    """
    name = "the bundled weights" if path is None else path.name
    try:
        from lenet_gui.network.classifier import Classifier
        from lenet_gui.network.weights import WeightsError
    except Exception as error:  # a broken torch install
        return None, f"{name}: cannot be loaded ({_one_line(error)})"
    try:
        return Classifier.load(path), ""
    except WeightsError as error:
        return None, str(error)
    except Exception as error:  # reported to the person, never raised
        return None, f"{name}: cannot be loaded ({_one_line(error)})"


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__
