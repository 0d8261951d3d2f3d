"""Checkpoints of one training run, to watch training change the maps.

About a dozen snapshots of the same run sit in a folder beside the weights,
``lenet5.checkpoints/`` next to ``lenet5.pt``: plain state_dicts ``00.pt``,
``01.pt``, ... and an ``index.json`` saying what each one is::

    {
      "format": "lenet5-checkpoints",
      "version": 1,
      "checkpoints": [
        {"file": "00.pt", "label": "start", "pass": 0.0, "batches": 0,
         "test_accuracy": null},
        {"file": "01.pt", "label": "after 35 batches", "pass": 0.0373134,
         "batches": 35, "test_accuracy": 0.8312},
        ...
      ]
    }

A checkpoint is a weights file like any other: :meth:`Classifier.load` (and
:func:`~lenet_gui.network.weights.load_model`) read it with the same safe,
checked loading. The training command saves them like this::

    folder = start_checkpoint_folder(args.output)
    due = {plan.batches: plan for plan in checkpoint_schedule(epochs, steps)}
    saved = []
    ...  # after each batch, with `seen` batches done so far (0 before the first):
    if (plan := due.get(seen)) is not None:
        saved.append(save_checkpoint(model, folder, len(saved), plan, accuracy))
        write_index(folder, saved)  # after each, so a stopped run keeps its own
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from lenet_gui.files.safe_read import (
    RefusedFile,
    open_regular_file,
    read_regular_file,
    regular_file_status,
)
from lenet_gui.files.safe_write import write_file
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import WeightsError
from lenet_gui.network.weights_guard import finite_number, sensible_accuracy

__all__ = [
    "INDEX",
    "CheckpointInfo",
    "CheckpointPlan",
    "checkpoint_folder",
    "checkpoint_schedule",
    "file_sha256",
    "list_checkpoints",
    "save_checkpoint",
    "start_checkpoint_folder",
    "write_index",
]

#: Name of the index file inside a checkpoint folder.
INDEX = "index.json"
#: Largest index read: twelve checkpoints take 2 KB.
MAX_INDEX_BYTES = 1 << 20

_FORMAT = "lenet5-checkpoints"
_VERSION = 1
_FILE = re.compile(r"\d{2,}\.pt")  # 00.pt, 01.pt, ...
# Points of pass 1 saved, as fractions of it: the maps change fastest at the
# start, so they are spaced by factors of 3 (35, 104 and 313 of 938 batches).
_WITHIN_FIRST_PASS = (1 / 27, 1 / 9, 1 / 3)
# Passes saved, as fractions of the run: 1, 2, 3, 5, 8, 12, 16, 20 of 20.
_PASSES = (0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True)
class CheckpointPlan:
    """When to save a checkpoint, and what to call it.

    Attributes
    ----------
    batches : int
        Training batches done when it is saved (0: before the first).
    passes : float
        The same in passes over the training set, fractional within a pass.
    label : str
        Name for a slider or a list: ``"start"``, ``"after 35 batches"``,
        ``"pass 1"``, ...
    """

    batches: int
    passes: float
    label: str


@dataclass(frozen=True)
class CheckpointInfo:
    """One saved checkpoint, as its index lists it.

    Attributes
    ----------
    path : Path
        The state_dict file; ``Classifier.load(info.path)`` loads it.
    label : str
        Its name, e.g. ``"pass 3"``.
    passes : float
        Passes over the training set done when it was saved (``"pass"`` in
        the index).
    batches : int
        Training batches done when it was saved.
    test_accuracy : float or None
        MNIST test accuracy of these weights, if it was measured.
    """

    path: Path
    label: str
    passes: float
    batches: int
    test_accuracy: float | None = None


def checkpoint_folder(weights: Path | str) -> Path:
    """Return the checkpoint folder of a weights file, whether or not it exists.

    ``weights/lenet5.pt`` has its checkpoints in ``weights/lenet5.checkpoints``.
    """
    weights = Path(weights)
    return weights.with_name(f"{weights.stem}.checkpoints")


def checkpoint_schedule(
    epochs: int, batches_per_pass: int
) -> tuple[CheckpointPlan, ...]:
    """Return when a training run should save its checkpoints, in order.

    Roughly logarithmic: the start, three points within pass 1 (1/27, 1/9
    and 1/3 of it), then the ends of passes at 5, 10, 15, 25, 40, 60, 80 and
    100 % of the run. For 20 passes of 938 batches (60,000 digits plus as many
    drawn ones, 128 a batch): start, after 35, 104 and 313 batches, passes 1,
    2, 3, 5, 8, 12, 16 and 20; twelve checkpoints. Shorter runs get fewer.

    Raises
    ------
    ValueError
        If `epochs` or `batches_per_pass` is not a positive integer.
    """
    for name, value in (("epochs", epochs), ("batches_per_pass", batches_per_pass)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")
    plans = {0: "start"}
    for fraction in _WITHIN_FIRST_PASS:
        batches = _round_half_up(fraction * batches_per_pass)
        if 0 < batches < batches_per_pass:
            plural = "" if batches == 1 else "es"
            plans.setdefault(batches, f"after {batches} batch{plural}")
    for fraction in _PASSES:
        done = max(1, _round_half_up(fraction * epochs))
        plans.setdefault(done * batches_per_pass, f"pass {done}")
    return tuple(
        CheckpointPlan(batches, batches / batches_per_pass, label)
        for batches, label in sorted(plans.items())
    )


def start_checkpoint_folder(weights: Path | str) -> Path:
    """Create the checkpoint folder of `weights`, or clear an earlier run's.

    Only an earlier index and numbered checkpoint files (``NN.pt``) are
    removed; anything else a person put there stays.

    Returns
    -------
    Path
        The folder.
    """
    folder = checkpoint_folder(weights)
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        if path.name == INDEX or _FILE.fullmatch(path.name):
            path.unlink()
    return folder


def save_checkpoint(
    model: LeNet5,
    folder: Path | str,
    number: int,
    plan: CheckpointPlan,
    test_accuracy: float | None = None,
) -> CheckpointInfo:
    """Save the model's state_dict as checkpoint `number` of the run.

    Parameters
    ----------
    model : LeNet5
        The model being trained.
    folder : Path or str
        The run's checkpoint folder (:func:`start_checkpoint_folder`).
    number : int
        Its place in the run, from 0; the file is ``f"{number:02d}.pt"``.
    plan : CheckpointPlan
        When it is saved and its label.
    test_accuracy : float, optional
        MNIST test accuracy of the model now, if measured.

    Returns
    -------
    CheckpointInfo
        What :func:`write_index` lists.
    """
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError(f"number must be an integer from 0, not {number!r}")
    path = Path(folder) / f"{number:02d}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole, then renamed: a full disk never leaves a cut checkpoint.
    state = io.BytesIO()
    torch.save(model.state_dict(), state)
    write_file(path, state.getvalue())
    return CheckpointInfo(path, plan.label, plan.passes, plan.batches, test_accuracy)


def write_index(
    folder: Path | str,
    checkpoints: Sequence[CheckpointInfo],
    weights_sha256: str | None = None,
) -> Path:
    """Write the folder's index listing `checkpoints`, replacing it atomically.

    Parameters
    ----------
    folder : Path or str
    checkpoints : sequence of CheckpointInfo
    weights_sha256 : str, optional
        The sha256 of the weights file the run ended with, once it is saved:
        :func:`list_checkpoints` then lists these checkpoints only beside
        those very weights.

    Returns
    -------
    Path
        The index file, with the permissions of a new file (0644 under the
        usual umask), as the checkpoints have.
    """
    folder = Path(folder)
    entries = [
        {
            "file": info.path.name,
            "label": info.label,
            "pass": info.passes,
            "batches": info.batches,
            "test_accuracy": info.test_accuracy,
        }
        for info in checkpoints
    ]
    document: dict[str, Any] = {"format": _FORMAT, "version": _VERSION}
    if weights_sha256 is not None:
        document["weights_sha256"] = weights_sha256
    document["checkpoints"] = entries
    text = json.dumps(document, indent=2) + "\n"
    # Written whole, then renamed: a reader (the app, while training runs)
    # sees the old index or the new one, never half of one.
    write_file(folder / INDEX, text.encode())
    return folder / INDEX


def file_sha256(path: Path | str) -> str:
    """Return the sha256 of a regular file, read in pieces.

    Raises
    ------
    RefusedFile
        Missing, unreadable or not a regular file.
    """
    digest = hashlib.sha256()
    with open_regular_file(path) as stream:
        try:
            for piece in iter(lambda: stream.read(1 << 20), b""):
                digest.update(piece)
        except OSError as error:
            raise RefusedFile(
                f"cannot be read ({error.strerror})", "unreadable"
            ) from error
    return digest.hexdigest()


def list_checkpoints(weights: Path | str) -> list[CheckpointInfo]:
    """Return the checkpoints saved beside a weights file, by batches done.

    Only the index is read and each file's presence checked (0.2-0.4 ms for
    twelve); loading a checkpoint, with ``Classifier.load(info.path)``,
    checks its tensors as for any weights (all twelve took 170-190 ms, on a
    2-core machine shared with other heavy jobs).

    Returns
    -------
    list of CheckpointInfo
        Empty when there is no checkpoint folder.

    Raises
    ------
    WeightsError
        The folder is there but its index is missing, unreadable or damaged,
        or lists a file that is missing; the message names the file.
    """
    folder = checkpoint_folder(weights)
    if not folder.exists():
        return []
    index = folder / INDEX
    where = f"{folder.name}/{INDEX}"
    if not folder.is_dir():
        raise WeightsError(f"{folder.name}: not a folder of checkpoints")
    try:
        # Only a regular file, capped: a pipe or a device here must not hang
        # or exhaust the app.
        text = read_regular_file(index, MAX_INDEX_BYTES).decode("utf-8")
        document = json.loads(text)
    except RefusedFile as error:
        if error.missing:
            raise WeightsError(
                f"{where}: no such file; the checkpoints cannot be listed"
            ) from error
        raise WeightsError(f"{where}: {error.reason}") from error
    except UnicodeDecodeError as error:
        raise WeightsError(f"{where}: cannot be read ({error})") from error
    except json.JSONDecodeError as error:
        raise WeightsError(
            f"{where}: not valid JSON (line {error.lineno}: {error.msg})"
        ) from error
    except (ValueError, RecursionError) as error:  # e.g. nested too deep
        raise WeightsError(
            f"{where}: not usable JSON ({type(error).__name__})"
        ) from error
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise WeightsError(f"{where}: not an index of LeNet-5 checkpoints")
    if document.get("version") != _VERSION:
        raise WeightsError(
            f"{where}: version {document.get('version')!r}, "
            f"this app reads version {_VERSION}"
        )
    _check_weights_match(weights, folder, document.get("weights_sha256", None))
    entries = document.get("checkpoints")
    if not isinstance(entries, list):
        raise WeightsError(f"{where}: no list of checkpoints")
    checkpoints = [_entry(folder, where, k, entry) for k, entry in enumerate(entries)]
    return sorted(checkpoints, key=lambda info: info.batches)


def _check_weights_match(weights: Path | str, folder: Path, recorded: Any) -> None:
    """Refuse checkpoints whose index names other weights than `weights`.

    An index without ``weights_sha256`` (written before training recorded it,
    or by a run still going) is taken as it is.
    """
    if recorded is None:
        return
    name = Path(weights).name
    if not isinstance(recorded, str):
        raise WeightsError(f"{folder.name}/{INDEX}: weights_sha256 is not a text")
    try:
        actual = file_sha256(weights)
    except RefusedFile as refused:
        raise WeightsError(
            f"{folder.name}: not shown, since {name} beside it is {refused.reason}"
        ) from refused
    if actual != recorded:
        raise WeightsError(
            f"{folder.name}: not shown, since these checkpoints belong to other "
            f"weights than {name}"
        )


def _entry(folder: Path, where: str, k: int, entry: Any) -> CheckpointInfo:
    """Return one index entry as a CheckpointInfo, or raise WeightsError."""

    def bad(what: str) -> WeightsError:
        return WeightsError(f"{where}: checkpoint {k} {what}")

    if not isinstance(entry, dict):
        raise bad("is not a record")
    name = entry.get("file")
    if not isinstance(name, str) or not _FILE.fullmatch(name):
        raise bad(f"has file {name!r}, not a name like 00.pt in the folder")
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        raise bad("has no label")
    passes = entry.get("pass")
    if not finite_number(passes) or passes < 0:
        raise bad(f"has pass {passes!r}, not a number from 0")
    batches = entry.get("batches")
    if isinstance(batches, bool) or not isinstance(batches, int) or batches < 0:
        raise bad(f"has batches {batches!r}, not a whole number from 0")
    accuracy = entry.get("test_accuracy")
    if accuracy is not None and not sensible_accuracy(accuracy):
        raise bad(f"has test_accuracy {accuracy!r}, not a fraction 0 to 1")
    recorded = None if accuracy is None else float(accuracy)
    path = folder / name
    try:
        regular_file_status(path)
    except RefusedFile as refused:
        what = "no such file" if refused.missing else "not a regular file"
        raise WeightsError(
            f"{folder.name}/{name}: {what}, though {INDEX} lists it"
        ) from refused
    return CheckpointInfo(
        path,
        label,
        float(passes),
        batches,
        recorded,
    )


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)
