"""JSON from files a person chose, read within fixed bounds.

Stroke files and other JSON records are read from folders where anything can
sit under the expected name. :func:`read_json` reads one through
:func:`~lenet_gui.files.safe_read.read_regular_file` (a regular file only,
opened without waiting, never more than its size cap), then refuses, in one
line and before building any object, JSON nested deeper than a depth cap (a
file of 100,000 ``[`` would otherwise exhaust the parser's recursion), and
while parsing, numbers written with more digits than any real value has
(``1`` followed by 400 zeros cannot become a float) and the non-standard
``NaN`` and ``Infinity``. :func:`parse_json` does the same for bytes already
in memory.

Uses numpy only.
"""

from __future__ import annotations

import json
import re
from typing import NoReturn

import numpy as np

from lenet_gui.files.safe_read import RefusedFile, StrPath, read_regular_file

__all__ = [
    "MAX_DEPTH",
    "MAX_NUMBER_CHARACTERS",
    "UnusableJson",
    "parse_json",
    "read_json",
]

#: Deepest nesting of arrays and objects accepted (a stroke file needs 4).
MAX_DEPTH = 64
#: Longest number accepted, in characters: a float64 needs at most 25.
MAX_NUMBER_CHARACTERS = 40

# A string, closed or not (an unclosed one runs to the end of the text, so
# the search never starts again inside it and stays linear).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_OPEN = np.frombuffer(b"[{", np.uint8)
_CLOSE = np.frombuffer(b"]}", np.uint8)


class UnusableJson(ValueError):
    """A JSON file or text that was not used; the message says why, in one line.

    Attributes
    ----------
    reason : str
        The reason without the file name, e.g. ``"nested deeper than 64
        levels"``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_json(
    path: StrPath,
    limit: int,
    max_depth: int = MAX_DEPTH,
    *,
    allow_nan: bool = False,
) -> object:
    """Return the JSON value in a regular file of at most `limit` bytes.

    Parameters
    ----------
    path : str or path-like
    limit : int
        Most bytes the file may hold.
    max_depth : int
        Deepest nesting of arrays and objects accepted.
    allow_nan : bool
        Read ``NaN``, ``Infinity`` and ``-Infinity`` as floats (for a caller
        that checks its numbers itself and names where a bad one is) rather
        than refuse them.

    Raises
    ------
    UnusableJson
        Not a regular file of at most `limit` bytes (missing, a pipe, a
        device, a folder, too large, unreadable), not UTF-8, not JSON,
        nested too deep, or holding a number too long or not finite.
    """
    try:
        data = read_regular_file(path, limit)
    except RefusedFile as refused:
        raise UnusableJson(refused.reason) from None
    return parse_json(data, max_depth, allow_nan=allow_nan)


def parse_json(
    data: bytes, max_depth: int = MAX_DEPTH, *, allow_nan: bool = False
) -> object:
    """Return the JSON value in `data`, within the bounds of :func:`read_json`.

    Raises
    ------
    UnusableJson
        Not UTF-8, not JSON, nested deeper than `max_depth`, or holding a
        number too long or not finite.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnusableJson(
            f"cannot be read (not UTF-8 text: byte {error.start}, {error.reason})"
        ) from None
    depth = nesting_depth(text)
    if depth > max_depth:
        raise UnusableJson(f"nested deeper than {max_depth} levels")
    try:
        return json.loads(
            text,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=float if allow_nan else _constant,
        )
    except json.JSONDecodeError as error:
        raise UnusableJson(
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:  # only if the depth cap is above the parser's own
        raise UnusableJson("nested too deep") from None


def nesting_depth(text: str) -> int:
    """Return how deep arrays and objects nest in JSON `text`, strings skipped.

    Linear in the length of `text`; text that is not JSON gets a number too
    (the parser then refuses it).
    """
    pieces = []
    start = 0
    for match in _STRING.finditer(text):
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    # Outside strings JSON is ASCII; anything else only makes the parser fail.
    outside = np.frombuffer("".join(pieces).encode("ascii", errors="replace"), np.uint8)
    steps = np.isin(outside, _OPEN).astype(np.int64) - np.isin(outside, _CLOSE)
    if not len(steps):
        return 0
    return int(max(0, np.cumsum(steps).max()))


def _integer(digits: str) -> int:
    if len(digits) > MAX_NUMBER_CHARACTERS:
        _too_long(digits)
    return int(digits)


def _float(digits: str) -> float:
    if len(digits) > MAX_NUMBER_CHARACTERS:
        _too_long(digits)
    value = float(digits)
    if value in (float("inf"), float("-inf")):
        raise UnusableJson(f"the number {digits} is too large")
    return value


def _constant(name: str) -> NoReturn:
    raise UnusableJson(f"{name} is not a number JSON allows")


def _too_long(digits: str) -> NoReturn:
    raise UnusableJson(
        f"a number {len(digits)} characters long ({digits[:12]}...); "
        f"at most {MAX_NUMBER_CHARACTERS}"
    )
