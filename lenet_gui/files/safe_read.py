"""Open only regular files: never a pipe, a device or a folder, never too large.

Weights, the JSON beside them, checkpoint indexes, stroke files, MNIST files
and images are read from folders a person chose, where anything can sit
under the expected name: a named pipe (reading it waits for a writer that
never comes, and the app freezes), a link to ``/dev/zero`` (endless: memory
runs out), another device, a folder, or a file far larger than any honest
one. :func:`open_regular_file` is the one way this package opens such a
file: it refuses all of these before reading a byte.
:func:`read_regular_file` reads a small file whole through it, never more
than its cap, even from a file that grows or is swapped for another while
it is read. :func:`regular_file_status` checks a name without opening it.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

__all__ = [
    "RefusedFile",
    "StrPath",
    "open_regular_file",
    "read_regular_file",
    "regular_file_status",
]

#: A file name, as the standard library takes it.
StrPath = str | os.PathLike[str]

# Non-blocking: opening a named pipe for reading would otherwise wait for a
# writer (the name can change from a file to a pipe between stat and open).
# No controlling terminal, and not inherited by child processes.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FLAGS = (
    os.O_RDONLY
    | _NONBLOCK
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


def regular_file_status(path: StrPath, limit: int | None = None) -> os.stat_result:
    """Return the status of a regular file of at most `limit` bytes, unopened.

    Links are followed: what a link points to must be a regular file.

    Parameters
    ----------
    path : str or path-like
    limit : int, optional
        Most bytes the file may hold; None for any size.

    Raises
    ------
    RefusedFile
        Missing, unreadable, not a regular file, or larger than `limit`.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError as error:
        raise RefusedFile("no such file", "missing") from error
    except OSError as error:
        raise _unreadable(error) from error
    _check(info, limit)
    return info


def open_regular_file(path: StrPath, limit: int | None = None) -> BinaryIO:
    """Open a regular file of at most `limit` bytes for reading, in binary.

    The name is checked before it is opened (a device is never opened), then
    opened without waiting (a named pipe put in its place meanwhile returns
    at once), and checked again on what was actually opened. The caller
    closes the stream.

    Parameters
    ----------
    path : str or path-like
    limit : int, optional
        Most bytes the file may hold when opened; None for any size.

    Raises
    ------
    RefusedFile
        Missing, unreadable, not a regular file, or larger than `limit`.
    """
    regular_file_status(path, limit)
    try:
        descriptor = os.open(path, _FLAGS)
    except FileNotFoundError as error:  # removed since it was checked
        raise RefusedFile("no such file", "missing") from error
    except OSError as error:
        raise _unreadable(error) from error
    try:
        _check(os.fstat(descriptor), limit)
        if _NONBLOCK:
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except OSError as error:
        os.close(descriptor)
        raise _unreadable(error) from error
    except BaseException:
        os.close(descriptor)
        raise


def read_regular_file(path: StrPath, limit: int) -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes.

    Opened by :func:`open_regular_file`; never more than `limit` bytes are
    read, even from a file that grew after it was checked.

    Raises
    ------
    RefusedFile
        Missing, unreadable, not a regular file, or larger than `limit`.
    """
    with open_regular_file(path, limit) as stream:
        try:
            data = _read_at_most(stream, limit + 1)
        except OSError as error:
            raise _unreadable(error) from error
    if len(data) > limit:  # it grew after it was checked
        raise RefusedFile(f"too large (over {_size(limit)})", "too large")
    return data


def _check(info: os.stat_result, limit: int | None) -> None:
    """Refuse what is not a regular file of at most `limit` bytes."""
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise RefusedFile("not a file (a folder)", "folder")
    if not stat.S_ISREG(mode):
        raise RefusedFile(f"not a regular file ({_kind(mode)})", "special")
    if limit is not None and info.st_size > limit:
        raise RefusedFile(
            f"too large ({_size(info.st_size)}; at most {_size(limit)})", "too large"
        )


def _read_at_most(stream: BinaryIO, count: int) -> bytes:
    chunks = []
    while count > 0:
        chunk = stream.read(min(count, _CHUNK))
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
