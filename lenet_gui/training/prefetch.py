"""The next training batches made while the network learns from this one.

Making a batch (gathering its digits, distorting them, mapping them to the
network's levels) needs neither the network nor its gradients, only the
pass's random generator, in a fixed order. :func:`ahead` runs such a
sequence in a second thread, a few items ahead of the training step, so that
its work fills the moments when the step leaves a core idle (Python,
autograd's bookkeeping). The items are made in the same order, from the same
generator calls, with operations whose results do not depend on how many
threads share them, so the batches, and the weights, are the same bytes as
when made in line.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["ahead"]

_Item = TypeVar("_Item")
_DONE = object()
_WAIT = 0.1


def ahead(items: Iterator[_Item], depth: int = 2) -> Iterator[_Item]:
    """Yield `items` in order, made up to `depth` ahead in a second thread.

    The thread has finished (and touches nothing more) when the generator
    returned is exhausted or closed, so whatever the items draw from (a
    random generator) is the caller's again afterwards. An exception raised
    while making an item is raised here, at that item.
    """
    made: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(value: object) -> bool:
        while not stop.is_set():
            try:
                made.put(value, timeout=_WAIT)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as error:  # handed to the consumer, raised there
            put(_Failed(error))

    worker = threading.Thread(target=make, name="training-batches", daemon=True)
    worker.start()
    try:
        while True:
            value = made.get()
            if value is _DONE:
                return
            if isinstance(value, _Failed):
                raise value.error
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


class _Failed:
    """An exception raised while making an item, carried to the consumer."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
