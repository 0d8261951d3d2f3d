"""Read a small file whole, safely: only a regular file, and never more than a cap.

Weights, the JSON beside them and checkpoint indexes are read from folders a
person chose, where anything can sit under the expected name: a named pipe
(reading it waits for a writer that never comes, and the app freezes), a link
to ``/dev/zero`` (endless: memory runs out), another device, a folder, or a
file far larger than any honest one. :func:`read_regular_file` refuses all of
these before reading a byte, and never reads more than its cap, even from a
file that grows or is swapped for another while it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["RefusedFile", "read_regular_file"]

# Non-blocking: opening a named pipe for reading would otherwise wait for a
# writer (the name can change from a file to a pipe between stat and open).
# No controlling terminal, and not inherited by child processes.
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20


class RefusedFile(ValueError):
    """A file that was not read, with the reason in plain words.

    Attributes
    ----------
    reason : str
        E.g. ``"no such file"``, ``"not a regular file (a named pipe)"``,
        ``"too large (3.0 MB; at most 1.0 MB)"``.
    kind : str
        Why, for a caller that words it its own way: ``"missing"``,
        ``"unreadable"`` (the ``OSError`` is the exception's cause),
        ``"folder"``, ``"special"`` (a pipe, device or socket) or
        ``"too large"``.
    """

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind

    @property
    def missing(self) -> bool:
        """Whether there is nothing at all under that name."""
        return self.kind == "missing"


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes.

    Links are followed: what a link points to must be a regular file. The
    file is checked before it is opened (a device is never opened) and again
    once open, on what was actually opened.

    Raises
    ------
    RefusedFile
        Missing, unreadable, not a regular file, or larger than `limit`.
    """
    try:
        _check(os.stat(path), limit)
        descriptor = os.open(path, _FLAGS)
    except FileNotFoundError as error:
        raise RefusedFile("no such file", "missing") from error
    except OSError as error:
        raise _unreadable(error) from error
    try:
        _check(os.fstat(descriptor), limit)
        data = _read_at_most(descriptor, limit + 1)
    except OSError as error:
        raise _unreadable(error) from error
    finally:
        os.close(descriptor)
    if len(data) > limit:  # it grew after it was checked
        raise RefusedFile(f"too large (over {_size(limit)})", "too large")
    return data


def _check(info: os.stat_result, limit: int) -> None:
    """Refuse what is not a regular file of at most `limit` bytes."""
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise RefusedFile("not a file (a folder)", "folder")
    if not stat.S_ISREG(mode):
        raise RefusedFile(f"not a regular file ({_kind(mode)})", "special")
    if info.st_size > limit:
        raise RefusedFile(
            f"too large ({_size(info.st_size)}; at most {_size(limit)})", "too large"
        )


def _read_at_most(descriptor: int, count: int) -> bytes:
    chunks = []
    while count > 0:
        chunk = os.read(descriptor, min(count, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1 << 20:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1 << 20):.1f} MB"


def _unreadable(error: OSError) -> RefusedFile:
    return RefusedFile(f"cannot be read ({_strerror(error)})", "unreadable")


def _strerror(error: OSError) -> str:
    return error.strerror or type(error).__name__
