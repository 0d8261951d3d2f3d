"""What a training run leaves on disk: its weights, their record, its checkpoints.

Nothing of an earlier run is touched until the new weights are saved. The
checkpoints are built in a hidden folder beside the old ones
(:mod:`lenet_gui.network.checkpoint_staging`); the weights and their record
are written whole, then the checkpoint folder is swapped in, with Ctrl-C and
SIGTERM held back for those few milliseconds. Ctrl-C or SIGTERM before then
stops the run with one line (:class:`Stopped`), the earlier files exactly as
they were.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import numpy as np

from lenet_gui.network.checkpoint_staging import (
    discard_folder,
    install_folder,
    stage_folder,
)
from lenet_gui.network.checkpoints import (
    CheckpointInfo,
    CheckpointPlan,
    checkpoint_schedule,
    file_sha256,
    save_checkpoint,
    write_index,
)
from lenet_gui.network.model import LeNet5
from lenet_gui.training.learning import Evaluation, evaluate_inputs

__all__ = ["RunCheckpoints", "Stopped", "stopping_on_signals", "uninterrupted"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(Exception):
    """The run was stopped by Ctrl-C or SIGTERM before anything was saved."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        super().__init__(f"stopped by {self.name}")

    @property
    def exit_status(self) -> int:
        """The shell's status for a process ended by this signal: 128 + its number."""
        return 128 + self.signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextmanager
def stopping_on_signals() -> Iterator[None]:
    """Turn Ctrl-C and SIGTERM into :class:`Stopped` inside the block.

    Only in the main thread (the only one Python delivers signals to); the
    earlier handlers come back afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    earlier = {signum: signal.signal(signum, _stop) for signum in _SIGNALS}
    try:
        yield
    finally:
        for signum, handler in earlier.items():
            signal.signal(signum, handler)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back inside the block, and ignore them after it.

    For the moment the weights, their record and the checkpoints are put in
    place: a signal then would leave new weights beside old checkpoints. A
    signal that came meanwhile is dropped: the run is done by then. Restore
    the handlers afterwards (:func:`stopping_on_signals` does).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        for signum in _SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


class RunCheckpoints:
    """Saves about a dozen checkpoints of the run, beside the weights in the end.

    On the schedule of :func:`~lenet_gui.network.checkpoints.checkpoint_schedule`
    (the start, three points in pass 1, then passes 1, 2, 3, 5, 8, 12, 16 and
    20 of 20), each with its MNIST test accuracy (about 0.5 s to measure),
    so the app can show training change the maps. They are saved in a hidden
    folder until :meth:`install` puts it in place of the checkpoint folder
    of the weights; :meth:`discard` removes it if the run ends otherwise.
    """

    def __init__(
        self,
        output: Path,
        enabled: bool,
        model: LeNet5,
        steps: int,
        epochs: int,
        test: tuple[np.ndarray, np.ndarray],
    ) -> None:
        """Start the run's checkpoints (the first one now, if `enabled`).

        `test` holds the test digits as (N, 32, 32) network inputs
        (:func:`~lenet_gui.imaging.preprocess.from_mnist`, made once for the
        run rather than at every reading) and their labels.
        """
        self._output = output
        self._model = model
        self._test = test
        self._saved: list[CheckpointInfo] = []
        self._seen = 0
        self._due: dict[int, CheckpointPlan] = {}
        self._evaluated: tuple[int, Evaluation] | None = None
        self._folder: Path | None = None
        if enabled:
            self._folder = stage_folder(output)
            self._due = {p.batches: p for p in checkpoint_schedule(epochs, steps)}
            self._save_if_due()  # the start: the initial random weights

    @property
    def folder(self) -> Path | None:
        """The hidden folder the checkpoints are saved in; None when off."""
        return self._folder

    def after_batch(self) -> None:
        """Count a batch done, and save a checkpoint if one is due now."""
        self._seen += 1
        self._save_if_due()

    def evaluation_now(self) -> Evaluation | None:
        """Return the test set's reading by the weights as they are now.

        None unless a checkpoint saved after the last batch read it.
        """
        if self._evaluated is None or self._evaluated[0] != self._seen:
            return None
        return self._evaluated[1]

    def install(self) -> bool:
        """Record the saved weights in the index and put the folder in place.

        Call once the weights are saved at the output. Returns whether an
        earlier checkpoint folder was replaced (False too when off).
        """
        if self._folder is None:
            return False
        write_index(self._folder, self._saved, file_sha256(self._output))
        replaced = install_folder(self._folder, self._output)
        self._folder = None
        return replaced

    def discard(self) -> None:
        """Remove the hidden folder, if it was not installed."""
        if self._folder is not None:
            discard_folder(self._folder)
            self._folder = None

    def _save_if_due(self) -> None:
        plan = self._due.get(self._seen)
        if plan is None or self._folder is None:
            return
        evaluation = evaluate_inputs(self._model, *self._test)
        self._model.train()  # evaluate() left it in evaluation mode
        self._evaluated = (self._seen, evaluation)
        accuracy = evaluation.accuracy
        info = save_checkpoint(
            self._model, self._folder, len(self._saved), plan, accuracy
        )
        self._saved.append(info)
        write_index(self._folder, self._saved)
