"""Draw training digits in worker processes, chunk by chunk, in a fixed order.

Drawing a digit as the canvas would (inking a paper, then preprocessing) is
slow, so the drawn and pen digits of a training run are drawn in several
processes. Each caller splits its digits into chunks, each chunk a task for
one worker, and seeds every digit by its own key rather than by the worker
that draws it: the inputs are the same whatever the number of workers.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TypeVarTuple

import numpy as np

from lenet_gui.imaging.preprocess import INPUT_SIZE

__all__ = ["draw_chunks"]

_Task = TypeVarTuple("_Task")


def draw_chunks(
    draw_chunk: Callable[[*_Task], tuple[np.ndarray, np.ndarray]],
    tasks: Sequence[tuple[*_Task]],
    workers: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw every task's digits; return all inputs and which were drawn, in order.

    Parameters
    ----------
    draw_chunk : callable
        Draws one task's digits: called as ``draw_chunk(*task)``, it returns
        their (n, 32, 32) float32 inputs and an (n,) bool mask of the digits
        drawn. A module-level function, so that a worker process can import it.
    tasks : sequence of tuple
        The arguments of each call.
    workers : int, optional
        Processes to draw in (default: one per CPU); 1, or a single task,
        draws in this process.

    Returns
    -------
    inputs : np.ndarray
        (N, 32, 32) float32, the tasks' inputs one after the other, with a
        blank one where a digit was not drawn.
    drawn : np.ndarray
        (N,) bool, which of `inputs` hold a drawn digit.
    """
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(tasks) <= 1:
        results = [draw_chunk(*task) for task in tasks]
    else:
        # Fresh interpreters, not forks: a fork of a process whose torch threads
        # have run can hang.
        pool = ProcessPoolExecutor(
            min(workers, len(tasks)),
            mp_context=get_context("spawn"),
            initializer=_leave_interrupts_to_the_parent,
        )
        try:
            # map yields in the order of the tasks, whatever order they finish in.
            results = list(pool.map(draw_chunk, *zip(*tasks, strict=True)))
        except BaseException:
            # Stopped (Ctrl-C, SIGTERM) or failed: drop the chunks not started.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    if not results:
        return np.zeros((0, INPUT_SIZE, INPUT_SIZE), np.float32), np.zeros(0, bool)
    inputs = np.concatenate([chunk for chunk, _ in results])
    drawn = np.concatenate([mask for _, mask in results])
    return inputs, drawn


def _leave_interrupts_to_the_parent() -> None:
    """Ignore Ctrl-C in a worker: the command stops them, in one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
