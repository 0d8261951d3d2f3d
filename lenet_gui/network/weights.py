"""Saving and safely loading LeNet-5 weights.

Weights are a plain ``state_dict`` file (``.pt``) with a JSON file beside it
(same name, ``.json``) recording how they were made and how well they do.
Loading never runs code from the file (``torch.load(weights_only=True)``)
and checks every tensor against the model before anything is replaced, so
a wrong or damaged file costs a message, never the weights in use. Only a
regular file is read, of at most 8 MB, whose archive unpacks to at most 8 MB
(:mod:`lenet_gui.files.safe_read`, :mod:`lenet_gui.network.weights_guard`);
the weights must give finite outputs. The JSON beside them is a record
only: when it cannot be read (a pipe, a device, over 1 MB, not UTF-8, not
JSON, nested too deep, not an object) the weights load without it.
"""

from __future__ import annotations

import io
import json
import pickle
import re
from pathlib import Path
from typing import Any

import torch

from lenet_gui.files.bundled import bundled_file
from lenet_gui.files.safe_read import RefusedFile, read_regular_file
from lenet_gui.files.safe_write import replace_files
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights_guard import (
    archive_problem,
    output_problem,
    recorded_temperature,
    sensible_accuracy,
    sensible_temperature,
)

__all__ = [
    "BUNDLED_WEIGHTS",
    "WeightsError",
    "load_model",
    "metadata_path",
    "save_weights",
]

#: The weights shipped with the app.
BUNDLED_WEIGHTS = bundled_file("weights/lenet5.pt")

#: Largest weights file read: LeNet-5's state_dict takes 250 KB.
MAX_WEIGHTS_BYTES = 8 << 20
#: Largest metadata file read: the bundled one takes 5 KB.
MAX_METADATA_BYTES = 1 << 20


class WeightsError(ValueError):
    """A weights file that cannot be used, with the reason in plain words."""


def metadata_path(weights: Path | str) -> Path:
    """Return the JSON metadata file that sits beside a weights file."""
    return Path(weights).with_suffix(".json")


def save_weights(model: LeNet5, path: Path | str, metadata: dict[str, Any]) -> None:
    """Save ``model``'s state_dict to ``path`` and ``metadata`` beside it as JSON.

    Both are written in full before either replaces an old file, weights
    first (:func:`lenet_gui.files.safe_write.replace_files`): a full disk keeps the
    old pair, never cut weights beside the old record.

    Raises
    ------
    OSError
        A file could not be written; the old ones are unchanged.
    ValueError
        ``path`` is its own metadata file (it ends in ``.json``).
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        raise ValueError(f"{path.name}: the metadata would overwrite the weights")
    path.parent.mkdir(parents=True, exist_ok=True)
    weights = io.BytesIO()
    torch.save(model.state_dict(), weights)
    text = json.dumps(metadata, indent=2) + "\n"
    replace_files([(path, weights.getvalue()), (metadata_path(path), text.encode())])


def load_model(path: Path | str | None = None) -> tuple[LeNet5, dict[str, Any]]:
    """Load weights into a new LeNet-5, checked before use.

    Parameters
    ----------
    path : Path or str, optional
        A ``.pt`` state_dict file; the bundled weights when omitted.

    Returns
    -------
    model : LeNet5
        The model in evaluation mode.
    metadata : dict
        The JSON file beside the weights, or an empty dict when there is
        none or it cannot be read (the weights themselves are still usable).

    Raises
    ------
    WeightsError
        The file is missing, unreadable, not a regular file, too large, not
        a torch file, damaged, would unpack to too much, would need code to
        run to load, does not hold LeNet-5's tensors, or holds values so
        large that the network's outputs are not finite numbers.
    """
    path = Path(BUNDLED_WEIGHTS if path is None else path)
    state = _read_state_dict(path)
    model = LeNet5()
    try:
        _check_state_dict(path, state, model.state_dict())
        model.load_state_dict(state)
    except WeightsError:
        raise
    except Exception as error:  # exotic tensors torch itself cannot check or copy
        raise WeightsError(
            f"{path.name}: holds tensors LeNet-5 cannot use ({type(error).__name__})"
        ) from error
    model.eval()
    metadata = _read_metadata(path)
    # Values finite as stored can overflow once copied to float32 or summed.
    problem = output_problem(model, recorded_temperature(metadata))
    if problem is not None:
        raise WeightsError(f"{path.name}: {problem}")
    return model, metadata


def _read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    try:
        data = read_regular_file(path, MAX_WEIGHTS_BYTES)
    except RefusedFile as error:
        if error.missing:
            raise WeightsError(f"{path.name}: no such file ({path})") from error
        raise WeightsError(f"{path.name}: {error.reason}") from error
    # torch believes the sizes an archive declares: check them before it does.
    problem = archive_problem(data)
    if problem is not None:
        raise WeightsError(f"{path.name}: {problem}")
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises assorted types for junk input
        # weights_only refuses anything that is not plain tensors and
        # containers, including pickles that would run code; it names what it
        # refused. Its message is for developers (terminal escapes, advice to
        # load unsafely), and it says the same of junk that merely looks like
        # pickle opcodes (text starting with "T"): only the name is shown.
        refused = re.search(r"Unsupported global: GLOBAL (\S+)", str(error))
        if isinstance(error, pickle.UnpicklingError) and refused:
            raise WeightsError(
                f"{path.name}: refused: it holds objects other than tensors "
                f"({refused.group(1)}), and loading it could run code"
            ) from error
        raise WeightsError(
            f"{path.name}: not a readable PyTorch weights file "
            f"(damaged, truncated or another format: {type(error).__name__})"
        ) from error
    if not isinstance(state, dict):
        raise WeightsError(
            f"{path.name}: holds a {type(state).__name__}, not a state_dict"
        )
    return state


def _check_state_dict(
    path: Path, state: dict[str, Any], expected: dict[str, torch.Tensor]
) -> None:
    missing = sorted(set(expected) - set(state))
    # Keys of any type, as one line each (sorting mixed types would fail).
    unexpected = sorted(
        " ".join(str(key).split()) for key in set(state) - set(expected)
    )
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if unexpected:
            parts.append("unexpected " + ", ".join(unexpected[:5]))
        raise WeightsError(f"{path.name}: not LeNet-5 weights ({'; '.join(parts)})")
    for name, reference in expected.items():
        tensor = state[name]
        if not isinstance(tensor, torch.Tensor):
            raise WeightsError(f"{path.name}: {name} is not a tensor")
        if tensor.layout != torch.strided or tensor.is_meta:
            raise WeightsError(
                f"{path.name}: {name} is a sparse or data-less tensor, not plain values"
            )
        if tuple(tensor.shape) != tuple(reference.shape):
            raise WeightsError(
                f"{path.name}: {name} has shape {tuple(tensor.shape)}, "
                f"LeNet-5 needs {tuple(reference.shape)}"
            )
        if not tensor.is_floating_point() or not torch.isfinite(tensor).all():
            raise WeightsError(
                f"{path.name}: {name} holds non-finite or non-float values"
            )


def _read_metadata(path: Path) -> dict[str, Any]:
    """Return the JSON object beside the weights, {} if there is none to read.

    Any failure is "no metadata" (never a failure to load the weights): the
    file can be anything a person or an attacker put there. Values that
    would mislead are dropped: an accuracy outside 0 to 1 and a temperature
    outside 0.05 to 20 (see :mod:`lenet_gui.network.weights_guard`).
    """
    try:
        data = read_regular_file(metadata_path(path), MAX_METADATA_BYTES)
        metadata = json.loads(data.decode("utf-8"))
    except (RefusedFile, ValueError, RecursionError, MemoryError):
        # RecursionError: nesting deeper than the parser's recursion limit.
        return {}
    if not isinstance(metadata, dict):
        return {}
    for key, sensible in (
        ("test_accuracy", sensible_accuracy),
        ("temperature", sensible_temperature),
    ):
        if key in metadata and not sensible(metadata[key]):
            metadata.pop(key)
    return metadata
