"""Work that would hold up the pen, done on a thread of its own; the latest wins."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

__all__ = ["LatestJob"]


class LatestJob(QObject):
    """Runs one computation at a time on a worker thread, always the newest asked.

    A panel whose update costs tens of milliseconds (integrated gradients,
    probability curves) would stall the pen if it ran between mouse events on
    the GUI thread. :meth:`submit` hands the work to a thread instead; while
    it runs, newer requests replace each other, and only the last one runs
    next, so the result always catches up with the drawing. Results come back
    on the GUI thread through :attr:`done`. The worker thread exists only
    while there is work, and :meth:`shutdown` waits for it.

    torch releases the interpreter lock while it computes, and the app runs
    torch on one thread per caller, so the pen's thread keeps a core.
    """

    done = Signal(object, object)
    """(result, error): the result of the last job run, or the exception it
    raised (result None)."""
    _finished = Signal(object, object)  # emitted from the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: Callable[[], Any] | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._undelivered = 0  # results emitted by the worker, not yet handed on
        self._finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        """Whether a job is running or waiting, or its result is on its way."""
        with self._lock:
            return self._thread is not None or self._undelivered > 0

    def submit(self, job: Callable[[], Any]) -> None:
        """Run `job` on the worker as soon as it is free, replacing any waiting job."""
        with self._lock:
            if self._closed:
                return
            self._pending = job
            if self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._work, name="panel-worker", daemon=True
            )
            self._thread.start()

    def shutdown(self) -> None:
        """Drop waiting work, wait for the running job to end, ignore its result."""
        with self._lock:
            self._pending = None
            self._closed = True
            thread = self._thread
        if thread is not None:
            thread.join()

    def _work(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._thread = None
                    return
            try:
                result, error = job(), None
            except Exception as exc:  # handed to the panel, which says so
                result, error = None, exc
            with self._lock:
                newer = self._pending is not None
                if not newer:
                    self._undelivered += 1
            if not newer:  # a newer job makes this result stale: skip it
                self._finished.emit(result, error)

    @Slot(object, object)
    def _on_finished(self, result: Any, error: Exception | None) -> None:
        with self._lock:
            self._undelivered -= 1
        if not self._closed:  # after shutdown, the views may be gone
            self.done.emit(result, error)
