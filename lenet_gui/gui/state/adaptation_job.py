"""Adapt to my handwriting, off the GUI thread, with progress and Cancel.

Runs :func:`~lenet_gui.training.adaptation_check.run_adaptation` (the code
``python -m lenet_gui.adapt`` runs) on a worker thread, one adaptation at
a time. Every batch reports its loss and accuracy and a copy of C1's
kernels (:attr:`AdaptationJob.stepped`), so a view can follow the learning;
an accepted result is written whole to the "my weights" file before it is
handed back (:attr:`AdaptationJob.done`). torch is imported on the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from lenet_gui.gui.state.jobs import LatestJob

if TYPE_CHECKING:
    from lenet_gui.files.stroke_files import PenDigit
    from lenet_gui.network.model import LeNet5

__all__ = ["AdaptationJob", "Progress"]


@dataclass(frozen=True)
class Progress:
    """One batch of an adaptation: where it is, how it learns, C1's kernels."""

    batch: int
    batches: int
    loss: float
    accuracy: float
    kernels: np.ndarray


class AdaptationJob(QObject):
    """One adaptation at a time, on a worker thread.

    Signals
    -------
    stepped(Progress)
        After each batch (on the GUI thread).
    said(str)
        What is being done now.
    done(object, object)
        ``(AdaptationResult, None)`` when it ran to the end (refused or
        saved: see ``result.refused``), ``(None, error)`` when cancelled
        or impossible; the error's text says why in one line.
    """

    stepped = Signal(object)
    said = Signal(str)
    done = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = LatestJob(self, name="adaptation", daemon=True)
        self._job.done.connect(self._on_job_done)
        self._cancel = threading.Event()
        self._running = False

    @property
    def running(self) -> bool:
        """Whether an adaptation is running."""
        return self._running

    def start(
        self,
        base: Path | None,
        digits: Sequence[PenDigit],
        schedule: str,
        output: Path,
        folds: int = 2,
    ) -> bool:
        """Start adapting a copy of the weights file `base` (None: the bundled ones).

        Returns False, starting nothing, if an adaptation is running already.
        """
        if self._running:
            return False
        self._running = True
        self._cancel.clear()
        digits = list(digits)
        self._job.submit(lambda: self._work(base, digits, schedule, output, folds))
        return True

    def cancel(self) -> None:
        """Stop the adaptation after the current batch; nothing is saved."""
        self._cancel.set()

    def join(self) -> None:
        """Cancel and wait for the worker (closing the window)."""
        self._cancel.set()
        self._job.join()

    def _work(
        self,
        base_path: Path | None,
        digits: list[PenDigit],
        schedule: str,
        output: Path,
        folds: int,
    ) -> Any:
        from lenet_gui.network.classifier import use_one_thread
        from lenet_gui.network.weights import load_model, save_weights
        from lenet_gui.training.adaptation import SCHEDULES, Step, settings_record
        from lenet_gui.training.adaptation_check import run_adaptation

        use_one_thread()
        base, _ = load_model(base_path)

        def on_step(step: Step, model: LeNet5) -> None:
            kernels = model.state_dict()["c1.weight"].numpy()[:, 0].copy()
            self.stepped.emit(
                Progress(step.batch, step.batches, step.loss, step.accuracy, kernels)
            )

        chosen = SCHEDULES[schedule]
        counts = np.bincount([d.label for d in digits], minlength=10)
        result = run_adaptation(
            base,
            digits,
            chosen,
            folds=folds if counts.max() >= 2 else 0,
            separate_process=True,
            on_step=on_step,
            cancelled=self._cancel.is_set,
            say=self.said.emit,
        )
        if not result.refused:
            record = {
                "base_weights": "bundled" if base_path is None else str(base_path),
                **result.record(),
                **settings_record(chosen, 0, 64),
            }
            save_weights(result.model, output, {"adaptation": record})
        return result

    def _on_job_done(self, result: Any, error: Exception | None) -> None:
        self._running = False
        self.done.emit(result, error)
