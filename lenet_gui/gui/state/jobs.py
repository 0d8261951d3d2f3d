"""Work that would hold up the window, done on worker threads; the newest wins."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

__all__ = ["LatestJob"]


class LatestJob(QObject):
    """Runs work off the GUI thread and hands back only the newest request's result.

    Each :meth:`submit` is a request; a result reaches :attr:`done`, on the
    GUI thread, only if no newer request was made (or :meth:`supersede`
    called) while it ran. Two ways to run the requests:

    - one at a time (``parallel=False``, the panels): while a job runs, newer
      requests replace each other and only the last one runs next, so the
      result catches up with the drawing without piling up work;
    - each at once on a thread of its own (``parallel=True``, weights files):
      a file that is slow to read or refuse never delays the next one asked.

    torch releases the interpreter lock while it computes, and the app runs
    torch on one thread per caller, so the pen's thread keeps a core.

    Parameters
    ----------
    parent : QObject, optional
        The Qt parent.
    name : str
        The worker threads' name.
    parallel : bool
        Start every request at once instead of one at a time.
    daemon : bool
        Whether the threads may be left running when the program exits;
        :meth:`shutdown` waits for them either way.
    """

    done = Signal(object, object)
    """(result, error): the newest request's result, or the exception it
    raised (result None)."""
    _finished = Signal(int, object, object)  # (request, result, error), from a worker

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        name: str = "panel-worker",
        parallel: bool = False,
        daemon: bool = True,
    ) -> None:
        super().__init__(parent)
        self._name, self._parallel, self._daemon = name, parallel, daemon
        self._lock = threading.Lock()
        self._newest = 0  # the number of the newest request
        self._pending: tuple[int, Callable[[], Any]] | None = None
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._undelivered = 0  # results emitted by a worker, not yet handed on
        self._finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        """Whether a job is running or waiting, or its result is on its way."""
        with self._lock:
            running = any(thread.is_alive() for thread in self._threads)
            return running or self._pending is not None or self._undelivered > 0

    def submit(self, job: Callable[[], Any]) -> None:
        """Ask for `job`'s result; it makes every earlier request's result stale."""
        with self._lock:
            if self._closed:
                return
            self._newest += 1
            self._threads = [t for t in self._threads if t.is_alive()]
            if self._parallel:
                self._start(functools.partial(self._run, self._newest, job))
                return
            self._pending = (self._newest, job)
            if not self._threads:
                self._start(self._work)

    def supersede(self) -> None:
        """Make the result of every request so far stale (newer state is in use)."""
        with self._lock:
            self._newest += 1
            self._pending = None

    def join(self) -> None:
        """Wait for the work asked for to end; the newest result is still handed on."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join()

    def shutdown(self) -> None:
        """Drop waiting work, wait for running jobs to end, ignore their results."""
        with self._lock:
            self._pending = None
            self._closed = True
        self.join()

    def _start(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=self._name, daemon=self._daemon)
        self._threads.append(thread)
        thread.start()

    def _work(self) -> None:
        """Run the waiting job, then the one that replaced it, until none waits."""
        while True:
            with self._lock:
                if self._pending is None:
                    self._threads.remove(threading.current_thread())
                    return
                (request, job), self._pending = self._pending, None
            self._run(request, job)

    def _run(self, request: int, job: Callable[[], Any]) -> None:
        try:
            result, error = job(), None
        except Exception as exc:  # handed to the caller, which says so
            result, error = None, exc
        with self._lock:
            newest = request == self._newest
            if newest:
                self._undelivered += 1
        if newest:  # a newer request makes this result stale: skip it
            self._finished.emit(request, result, error)

    @Slot(int, object, object)
    def _on_finished(self, request: int, result: Any, error: Exception | None) -> None:
        with self._lock:
            self._undelivered -= 1
            newest = request == self._newest and not self._closed
        if newest:  # after shutdown the receivers may be gone
            self.done.emit(result, error)
