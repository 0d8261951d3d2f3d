"""A training run's checkpoints, built beside the old ones and swapped in whole.

A new run never writes into an earlier run's ``lenet5.checkpoints/``: its
checkpoints go into a hidden folder beside it (``.lenet5.checkpoints.XXXX.partial``),
and only once the run's weights are saved does that folder take the old
one's place, in two renames. A run that is stopped or fails leaves the old
folder exactly as it was, and its own partial folder is removed. Files a
person put in the old folder, other than its index and numbered
checkpoints, move into the new one. The training command uses it like
this::

    staged = stage_folder(weights)
    ...  # save_checkpoint(model, staged, ...) and write_index(staged, ...)
    save_weights(model, weights, metadata)
    write_index(staged, saved, weights_sha256=file_sha256(weights))
    install_folder(staged, weights)
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from lenet_gui.network.checkpoints import INDEX, checkpoint_folder

__all__ = [
    "discard_folder",
    "holds_checkpoints",
    "install_folder",
    "stage_folder",
]

_CHECKPOINT = re.compile(r"\d{2,}\.pt")  # as list_checkpoints reads them
_UMASK = os.umask(0)
os.umask(_UMASK)


def holds_checkpoints(folder: Path) -> bool:
    """Whether `folder` is a folder holding an index or numbered checkpoints."""
    try:
        return folder.is_dir() and any(_is_run_file(p.name) for p in folder.iterdir())
    except OSError:
        return True  # cannot tell: treat it as one, so it is not replaced silently


def stage_folder(weights: Path | str) -> Path:
    """Create the hidden folder a new run saves its checkpoints in; return it.

    It sits beside the checkpoint folder of `weights`, with a new folder's
    permissions (0755 under the usual umask).

    Raises
    ------
    OSError
        The folder could not be created.
    """
    folder = checkpoint_folder(weights)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = tempfile.mkdtemp(
        dir=folder.parent, prefix=f".{folder.name[:100]}.", suffix=".partial"
    )
    os.chmod(staged, 0o777 & ~_UMASK)  # mkdtemp makes it private
    return Path(staged)


def discard_folder(staged: Path) -> None:
    """Remove a staged folder that will not be used; best effort."""
    shutil.rmtree(staged, ignore_errors=True)


def install_folder(staged: Path, weights: Path | str) -> bool:
    """Put the `staged` folder in place of the checkpoint folder of `weights`.

    The old folder is first renamed aside (into a hidden folder beside it),
    the staged one renamed into its place, then a person's own files are
    moved over from the old one and the old one is removed. If the second
    rename fails, the old folder is put back.

    Returns
    -------
    bool
        Whether an earlier folder was replaced.

    Raises
    ------
    OSError
        A rename failed; the old folder is back in place (or, if even that
        failed, in the hidden folder beside it, which the message names).
    """
    folder = checkpoint_folder(weights)
    if not os.path.lexists(folder):
        os.rename(staged, folder)
        return False
    aside = Path(
        tempfile.mkdtemp(
            dir=folder.parent, prefix=f".{folder.name[:100]}.", suffix=".old"
        )
    )
    old = aside / folder.name
    os.rename(folder, old)
    try:
        os.rename(staged, folder)
    except OSError:
        try:
            os.rename(old, folder)
        except OSError as error:
            raise OSError(
                error.errno, f"the earlier checkpoints are in {aside}", str(folder)
            ) from error
        aside.rmdir()
        raise
    if old.is_dir() and not old.is_symlink():
        for entry in old.iterdir():
            if not _is_run_file(entry.name) and not os.path.lexists(
                folder / entry.name
            ):
                os.rename(entry, folder / entry.name)
    shutil.rmtree(aside)
    return True


def _is_run_file(name: str) -> bool:
    return name == INDEX or bool(_CHECKPOINT.fullmatch(name))
