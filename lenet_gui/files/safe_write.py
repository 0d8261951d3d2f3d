"""Save files so that a failure never leaves one half written.

A save goes to a temporary file in the destination's folder; it is written,
flushed to the disk and closed with every error checked, and only then
renamed over the destination. The rename is atomic, so a full disk, a
file-size limit or a crash leaves the old file exactly as it was, never a
stub that says "saved" and cannot be read.

A destination that is a symbolic link is followed, so the link stays and the
file it points to is replaced. One that is not a regular file (a folder, a
device such as ``/dev/full``, a pipe) is refused: renaming over it would
replace the device itself, and writing into it can lose the data without an
error.

Only the standard library is used here (no Qt, no torch), so the window and
the training command save the same way.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from lenet_gui.files.safe_read import RefusedFile, regular_file_status

__all__ = ["check_writable", "describe", "replace_files", "write_file"]

# Plain words for the errors a save commonly meets; others keep the system's.
_PLAIN = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would exceed the file-size limit",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a folder in its path is a file",
    errno.EISDIR: "it is a folder",
    errno.ENOENT: "its folder does not exist",
    errno.ENAMETOOLONG: "the name is too long",
}


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before
    # any thread of the app could be creating files.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def describe(error: OSError) -> str:
    """Say in plain words why a save failed, without the path or errno number."""
    plain = None if error.errno is None else _PLAIN.get(error.errno)
    return plain or error.strerror or str(error)


def write_file(path: Path | str, data: bytes, *, follow_links: bool = True) -> Path:
    """Replace the content of `path` with `data`, all or nothing.

    With ``follow_links=False`` a symbolic link at `path` is itself replaced
    by the new file, and whatever it pointed to is left untouched.

    Returns
    -------
    Path
        The file written: `path`, or the file it links to.

    Raises
    ------
    OSError
        The file could not be written (:func:`describe` says why); the old
        file, if any, is unchanged and no temporary file is left behind.
    """
    return replace_files([(path, data)], follow_links=follow_links)[0]


def replace_files(
    files: Sequence[tuple[Path | str, bytes]], *, follow_links: bool = True
) -> list[Path]:
    """Write several files, then rename them into place in the order given.

    Every file is written in full (where a full disk shows) before the first
    rename, so a failure keeps all the old files. Weights go before their
    metadata, so a reader never pairs new metadata with old weights. With
    ``follow_links=False`` links are replaced, never written through (as for
    :func:`write_file`).

    Returns
    -------
    list of Path
        The files written, in order.

    Raises
    ------
    OSError
        A file could not be written; as for :func:`write_file`.
    ValueError
        Two of the paths are the same file.
    """
    pick = _target if follow_links else _own_target
    targets = [pick(path) for path, _ in files]
    if len(set(targets)) != len(targets):
        raise ValueError(
            "the same file is given twice: " + ", ".join(map(str, targets))
        )
    temporaries: list[str] = []
    try:
        for target, (_, data) in zip(targets, files, strict=True):
            temporaries.append(_write_temporary(target, data))
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    except BaseException:
        for temporary in temporaries:  # those renamed are gone already
            Path(temporary).unlink(missing_ok=True)
        raise
    for folder in {target.parent for target in targets}:
        _sync_folder(folder)
    return targets


def check_writable(path: Path | str) -> Path:
    """Check that a file could be saved at `path` now, without writing it.

    Missing folders are created (the save would create them), then a
    temporary file is created and removed beside it. Meant for before long
    work whose result goes there, so a bad path fails in a second, not
    after an hour. A full disk may still only show when the file is written.

    Returns
    -------
    Path
        The file that would be written: `path`, or the file it links to.

    Raises
    ------
    OSError
        It could not be saved there; :func:`describe` says why.
    """
    target = _target(path)  # a file in the path fails here, as ENOTDIR
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _temporary(target)
    os.close(handle)
    os.unlink(temporary)
    return target


def _target(path: Path | str) -> Path:
    """Return the file a save to `path` replaces; refuse one that is not regular."""
    target = Path(os.path.realpath(path))
    try:
        regular_file_status(target)
    except RefusedFile as refused:
        if refused.missing:
            return target
        if isinstance(refused.__cause__, OSError):  # e.g. a file on the path
            raise refused.__cause__ from None
        if refused.kind == "folder":
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path)) from None
        raise OSError(errno.EINVAL, f"it is {refused.reason}", str(path)) from None
    return target


def _own_target(path: Path | str) -> Path:
    """Return `path` itself, made absolute; a link there is replaced, not followed."""
    target = Path(os.path.abspath(path))
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OSError(errno.EINVAL, "it is not a regular file", str(path))
    return target


def _temporary(target: Path) -> tuple[int, str]:
    """Create a hidden temporary file beside `target`; return its handle and path."""
    # The name's start keeps the temporary file recognisable, cut so the
    # whole name stays within the usual 255-byte limit.
    return tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp"
    )


def _write_temporary(target: Path, data: bytes) -> str:
    """Write `data` to a new temporary file beside `target`, synced and closed."""
    handle, temporary = _temporary(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; give it the old file's permissions,
        # or a new file's.
        os.chmod(temporary, _mode(target))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _mode(target: Path) -> int:
    try:
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode):  # a link being replaced: a new file's
            return 0o666 & ~_UMASK
        return stat.S_IMODE(info.st_mode)
    except OSError:
        return 0o666 & ~_UMASK


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so the renames survive a power cut; best effort."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
