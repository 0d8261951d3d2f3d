"""Remember the latest results by a key, forgetting the oldest.

While a number is drawn the strokes only grow, so between two live updates
most candidate digits are the same ink as before: their network input, the
network's outputs and the not-a-digit head's verdict are remembered here by
a digest of the ink or of the input, and only new candidates are computed.
Pure Python and numpy.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Generic, TypeVar

import numpy as np

__all__ = ["Recent", "digest"]

V = TypeVar("V")


def digest(array: np.ndarray) -> bytes:
    """Return a 16-byte digest of an array's shape, type and values."""
    array = np.ascontiguousarray(array)
    shape = "x".join(str(n) for n in array.shape) + array.dtype.str
    # SHA-256 runs in the processor's own instructions where it has them:
    # twice as fast as BLAKE2b here, on the candidates' ink.
    found = hashlib.sha256(shape.encode() + b"\0")
    found.update(array.data.cast("B"))
    return found.digest()[:16]


class Recent(Generic[V]):
    """The latest `size` values by key; the least recently used go first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[bytes, V] = OrderedDict()

    def __contains__(self, key: bytes) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: bytes) -> V:
        """Return the value of `key` (which must be known), now the newest."""
        self._values.move_to_end(key)
        return self._values[key]

    def put(self, key: bytes, value: V) -> None:
        """Remember `value` for `key`, forgetting the oldest beyond the size."""
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self._size:
            self._values.popitem(last=False)
