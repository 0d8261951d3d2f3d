"""A pass's batches made one step ahead, on a thread of their own; no Qt.

Distorting a batch of 128 digits (an affine grid, a smooth random field, one
``grid_sample``, the stroke-thickness changes) costs about a quarter of a
training step, and most of it runs on one core. :func:`ahead` makes the next
batches on a second thread while the network learns from the current one, so
that they can overlap on a core the machine leaves free. With both cores
busy with other work there is nothing to overlap with, and a pass took about
as long as with its batches made in line (``benchmarks/training_pass.py``
with and without ``--in-line`` compares the two).

The batches are the same, bit for bit, as made in line: one thread makes
them all, in order, drawing from the one random generator (nothing else
draws from it until the pass's batches are all made); distorting is
element-wise work whose results do not depend on the thread or the number
of threads that compute them. ``tests/test_training.py`` holds a pass made
ahead to the same weights as one made in line.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterator
from typing import TypeVar

import torch

__all__ = ["ahead"]

T = TypeVar("T")

#: Batches made ahead at most: one being learnt from, one ready, one in making.
DEPTH = 2
#: Seconds between checks, while waiting, whether the other side has stopped.
_POLL = 0.1


class _Failed:
    """An exception raised while making a batch, handed to the consumer."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


def ahead(make: Callable[[], Iterator[T]]) -> Generator[T, None, None]:
    """Yield what the iterator `make()` yields, made on a thread of its own.

    The thread uses as many torch threads as the caller. If the consumer
    stops early (an exception, a break), the thread stops at its next batch
    and is joined before this generator closes, so nothing goes on drawing
    from a random generator the caller uses next. An exception raised while
    making a batch is raised here, in the caller.
    """
    ready: queue.Queue[object] = queue.Queue(maxsize=DEPTH)
    stop = threading.Event()
    threads = torch.get_num_threads()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        torch.set_num_threads(threads)
        try:
            for item in make():
                if not put(item):
                    return
        except BaseException as error:  # handed over, raised in the caller
            put(_Failed(error))
            return
        put(_DONE)

    worker = threading.Thread(target=produce, name="training batches", daemon=True)
    worker.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
