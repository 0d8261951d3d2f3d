"""Read a small weights file of the reader's own, checked before it is used.

The not-a-digit head (:mod:`lenet_gui.reading.verdict`) and the segment
scorer (:mod:`lenet_gui.reading.segment_scorer`) each ship a small file
under ``weights/``. Both are read the same way: a regular file under a size
cap (never a pipe or a device), a ``state_dict`` of exactly the expected
tensors, each of its shape, floating point and finite, and the named ones
positive. Anything else raises the caller's own error with one line that
names the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path

import torch

from lenet_gui.files.safe_read import RefusedFile, read_regular_file

__all__ = ["read_checked_state"]


def read_checked_state(
    path: Path,
    limit: int,
    shapes: Mapping[str, tuple[int, ...]],
    *,
    what: str,
    error: type[Exception],
    positive: Iterable[str] = (),
) -> dict[str, torch.Tensor]:
    """Return the file's tensors as float32, after every check.

    Parameters
    ----------
    path : Path
        The file.
    limit : int
        The largest size accepted, in bytes.
    shapes : mapping
        Every tensor the file must hold, by name, with its shape.
    what : str
        What the tensors are, for the message ("the segment scorer's").
    error : exception type
        Raised, with a one-line message naming the file, when a check fails.
    positive : names
        Tensors whose values must all be above zero.
    """
    try:
        data = read_regular_file(path, limit)
    except RefusedFile as refused:
        raise error(f"{path.name}: {refused}") from None
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception:  # torch raises assorted types for junk input
        raise error(f"{path.name}: not a weights file") from None
    if not isinstance(state, dict) or set(state) != set(shapes):
        raise error(f"{path.name}: not {what} tensors")
    for key, shape in shapes.items():
        value = state[key]
        if not isinstance(value, torch.Tensor) or tuple(value.shape) != shape:
            raise error(f"{path.name}: {key} is not of shape {shape}")
        if not value.is_floating_point() or not bool(torch.isfinite(value).all()):
            raise error(f"{path.name}: {key} holds values that are not numbers")
    for key in positive:
        if not bool((state[key] > 0).all()):
            raise error(f"{path.name}: {key} must be positive")
    return {k: v.float() for k, v in state.items()}
