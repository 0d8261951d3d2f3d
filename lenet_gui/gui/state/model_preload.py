"""The bundled model read on a thread of its own from the moment the app starts.

Importing torch and reading the weights takes about a second, as long as
importing Qt and building the window. Python runs one thread at a time, so
only the part of the import that runs outside Python can truly overlap the
window's start: loading torch's C++ library, whose start-up code registers
its operators (0.4 s of the 1 s here). :func:`start`, called before anything
of the window is imported, has a daemon thread load that library through the
C library's ``dlopen``, which ctypes calls with Python's lock released, while
the window is imported, built and painted. The Python half of
``import torch`` and the weights follow once the window has painted
(:meth:`Preload.after_first_paint`), so they never hold up the first paint.

:meth:`NetworkSetup.load_bundled
<lenet_gui.gui.state.network_setup.NetworkSetup.load_bundled>` takes the
outcome with :func:`take` instead of starting a load of its own; without a
preload it loads as before. Nothing here imports torch on the calling thread.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier

__all__ = ["Preload", "load_job", "preload_torch_library", "start", "take"]

# Without a first paint to wait for (no window shown), the load starts anyway
# this long after the app started.
_LONGEST_WAIT = 3.0

#: What a load gives: the classifier, or None and why not.
Outcome = tuple["Classifier | None", str]
#: A load on a worker thread: the path asked for, and the outcome.
Job = Callable[[], tuple[Path | None, "Classifier | None", str]]


class Preload:
    """One load of the bundled weights, running on a daemon thread.

    Parameters
    ----------
    load : callable
        Returns the outcome, ``(classifier, "")`` or ``(None, why)``; it must
        not raise.
    """

    def __init__(self, load: Callable[[], Outcome]) -> None:
        self._load = load
        self._outcome: Outcome = (None, "the bundled weights were not loaded")
        self._go = threading.Event()
        self._watcher: _FirstPaint | None = None
        self._thread = threading.Thread(
            target=self._run, name="preload-model", daemon=True
        )
        self._thread.start()

    def go(self) -> None:
        """Let the Python half of the load start now."""
        self._go.set()

    def after_first_paint(self) -> None:
        """Hold the Python half of the load until the app's first paint is done.

        Call on the GUI thread, with the application made. Without one the
        load goes ahead at once.
        """
        app = QCoreApplication.instance()
        if app is None or self._go.is_set():
            self.go()
            return
        self._watcher = _FirstPaint(self.go)
        app.installEventFilter(self._watcher)

    def _run(self) -> None:
        try:
            preload_torch_library()
            self._go.wait(_LONGEST_WAIT)
            self._outcome = self._load()
        except BaseException as error:  # never lost on a thread: said in result()
            self._outcome = (None, f"the bundled weights: cannot be loaded ({error})")

    @property
    def done(self) -> bool:
        """Whether the load has ended."""
        return not self._thread.is_alive()

    def result(self) -> Outcome:
        """Wait for the load to end and return its outcome."""
        self._thread.join()
        return self._outcome


class _FirstPaint(QObject):
    """Calls `then` once the first paint pass of any widget has returned."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802, D102
        if event.type() == QEvent.Type.Paint:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            # Posted now, run once this paint pass is done.
            QTimer.singleShot(0, self._then)
        return False


def preload_torch_library() -> bool:
    """Load torch's C++ library without Python's lock; True if it was loaded.

    Only on Linux, and only if the library is where torch's package keeps
    it; else nothing is done and ``import torch`` loads it as usual. Loaded
    with ``RTLD_LOCAL``, as torch's own import would.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        spec = importlib.util.find_spec("torch")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    library = Path(list(spec.submodule_search_locations)[0], "lib", "libtorch_cpu.so")
    if not library.is_file():
        return False
    try:
        libc = ctypes.CDLL(None)  # a CDLL function call releases the lock
        libc.dlopen.restype = ctypes.c_void_p
        libc.dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
        handle = libc.dlopen(os.fsencode(library), os.RTLD_NOW | os.RTLD_LOCAL)
    except (OSError, AttributeError):
        return False
    return bool(handle)


_pending: Preload | None = None
_lock = threading.Lock()


def _load_bundled() -> Outcome:
    """Load the bundled weights, one torch thread, as the window reads with."""
    from lenet_gui.gui.state.weights_loading import load_classifier

    outcome = load_classifier(None)
    if outcome[0] is not None:
        from lenet_gui.network.classifier import use_one_thread

        use_one_thread()
    return outcome


def start(load: Callable[[], Outcome] | None = None) -> Preload:
    """Start loading the bundled weights now, unless a load is already pending.

    `load` replaces the bundled weights' loader (for tests).
    """
    global _pending
    with _lock:
        if _pending is None:
            _pending = Preload(load or _load_bundled)
        return _pending


def take() -> Preload | None:
    """Return the pending preload, once; None if none was started."""
    global _pending
    with _lock:
        preload, _pending = _pending, None
    return preload


def load_job(
    path: Path | None,
) -> Callable[[], tuple[Path | None, Classifier | None, str]]:
    """Return the job that loads `path` (None: the bundled weights) on a worker.

    The bundled weights come from the preload started with the app, if there
    is one (held until the first paint); anything else is loaded by the job.
    """
    from lenet_gui.gui.state.weights_loading import load_classifier

    preload = take() if path is None else None
    if preload is None:
        return lambda: (path, *load_classifier(path))
    preload.after_first_paint()
    return lambda: (path, *preload.result())
