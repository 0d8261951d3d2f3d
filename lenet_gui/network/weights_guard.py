"""Checks that keep hostile weights out: archive sizes, outputs, recorded values.

A weights file is a zip archive that torch unpacks entry by entry, trusting
the unpacked size each entry declares: a 3 MB file can declare a 3 GB entry
of zeros, which torch allocates and inflates (seconds, gigabytes) before it
finds no use for it. :func:`archive_problem` reads the declared sizes first.

Finite weights can still be unusable: output weights at 3e38 overflow float32,
so every logit is infinite or undefined and every probability NaN.
:func:`output_problem` runs the network on a few fixed inputs and bounds its
worst case over every input it can be given.

The JSON beside the weights is only a record, hand-editable: a value there
is used only when it makes sense (:func:`recorded_accuracy`,
:func:`recorded_temperature`).
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

import numpy as np
import torch

from lenet_gui.network.model import LeNet5, SparseConv2d, Subsampling, layer_bias
from lenet_gui.spec.lenet5 import NetworkSpec

__all__ = [
    "MAX_UNPACKED_BYTES",
    "archive_problem",
    "finite_number",
    "output_problem",
    "probe_inputs",
    "recorded_accuracy",
    "recorded_temperature",
    "sensible_accuracy",
    "sensible_temperature",
    "worst_case_sums",
]

#: Largest total of the sizes a weights archive's entries unpack to. LeNet-5's
#: 61,706 values take 250 KB as float32 and 500 KB as float64.
MAX_UNPACKED_BYTES = 8 << 20
# A LeNet-5 archive has about 20 entries; each one costs an object to list.
_MAX_ENTRIES = 1000
_ZIP_MAGIC = b"PK\x03\x04"  # how torch tells its zip format from older ones
_CENTRAL_ENTRY = b"PK\x01\x02"  # starts each entry of the zip's directory
# Largest sum any unit may reach, for any input: far beyond a trained
# network (the bundled weights stay under 100) and far below float32's 3.4e38.
_MAX_SUM = 1e30
_TEMPERATURES = (0.05, 20.0)


def archive_problem(data: bytes) -> str | None:
    """Say what is wrong with a weights archive's sizes, or None if nothing.

    Files that are not zip archives (torch's legacy format) are left to
    torch; their size was capped when they were read.
    """
    if not data.startswith(_ZIP_MAGIC):
        return None
    # Each directory entry becomes an object when the archive is opened.
    if data.count(_CENTRAL_ENTRY) > _MAX_ENTRIES:
        return f"refused: an archive of more than {_MAX_ENTRIES} entries"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sizes = [entry.file_size for entry in archive.infolist()]
    except Exception as error:  # zipfile raises assorted types for junk
        return (
            "not a readable PyTorch weights file "
            f"(damaged, truncated or another format: {type(error).__name__})"
        )
    if sum(sizes) > MAX_UNPACKED_BYTES:  # sizes as declared: what torch allocates
        return (
            f"refused: its archive unpacks to {sum(sizes) / (1 << 20):,.0f} MB, "
            f"over {MAX_UNPACKED_BYTES >> 20} MB (LeNet-5 weights take 0.25 MB)"
        )
    return None


def output_problem(model: LeNet5, temperature: float = 1.0) -> str | None:
    """Say why a model's outputs cannot be trusted to be numbers, or None.

    Two checks: the logits and probabilities for a blank input and two
    drawn digits must be finite, and no unit's sum may reach 1e30 for any
    input in the network's levels, so no drawing can overflow either.
    """
    with torch.inference_mode():
        logits = model(probe_inputs(model.spec)).double().numpy()
    finite = np.isfinite(logits).all()
    if finite:  # the softmax as the classifier computes it
        scaled = logits / temperature
        probabilities = np.exp(scaled - scaled.max(axis=1, keepdims=True))
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        finite = np.isfinite(probabilities).all()
    if not finite:
        return "gives infinite or undefined outputs (its weights are far too large)"
    for layer, largest in worst_case_sums(model):
        if not largest <= _MAX_SUM:  # also NaN
            return (
                f"{layer} weights so large that some drawings would give "
                f"infinite outputs (sums up to {largest:.3g})"
            )
    return None


def probe_inputs(spec: NetworkSpec) -> torch.Tensor:
    """Return (3, 1, side, side) inputs in network levels: blank, a 1 and a 0."""
    side = spec.input_size
    blank = np.full((side, side), spec.background, np.float32)
    one = blank.copy()
    one[side // 5 : side - side // 5, side // 2 - 2 : side // 2 + 2] = spec.ink
    rows, cols = np.mgrid[:side, :side] - (side - 1) / 2
    radius = np.hypot(rows, cols)
    zero = blank.copy()
    zero[(radius > side * 0.2) & (radius < side * 0.32)] = spec.ink
    return torch.from_numpy(np.stack([blank, one, zero])[:, None])


def worst_case_sums(model: LeNet5) -> Iterator[tuple[str, float]]:
    """Yield each layer's name and the largest sum one of its units can reach.

    A unit's sum is at most the sum of its weights' magnitudes times the
    largest value it reads, plus its bias: the input's levels for the first
    layer, the squashing function's amplitude above. Computed in float64, so
    the bound itself cannot overflow.
    """
    spec = model.spec
    largest_input = max(abs(spec.background), abs(spec.ink))
    for layer in spec.layers:
        module = model.layer(layer.name)
        with torch.no_grad():
            if isinstance(module, Subsampling):
                gains = module.coefficient.double().abs() * layer.kernel**2
            else:
                weight = module.weight.double()
                if isinstance(module, SparseConv2d):
                    weight = weight * module.mask.double()
                gains = weight.abs().flatten(1).sum(1)
            sums = gains * largest_input + layer_bias(module).double().abs()
        largest = float(sums.max())
        yield layer.name, largest
        largest_input = spec.amplitude if layer.squashed else largest


def recorded_accuracy(metadata: Mapping[str, Any]) -> float | None:
    """Return the recorded ``test_accuracy`` if a fraction from 0 to 1, else None."""
    value = metadata.get("test_accuracy")
    return float(value) if sensible_accuracy(value) else None


def recorded_temperature(metadata: Mapping[str, Any]) -> float:
    """Return the recorded softmax ``temperature`` if from 0.05 to 20, else 1.

    A hand-edited or damaged value must not make every reading 100 % or a
    uniform 10 %: without it, the plain softmax is used.
    """
    value = metadata.get("temperature")
    return float(value) if sensible_temperature(value) else 1.0


def sensible_accuracy(value: object) -> TypeGuard[float]:
    """Whether `value` can be an accuracy: a real number from 0 to 1."""
    return finite_number(value) and 0.0 <= value <= 1.0


def sensible_temperature(value: object) -> TypeGuard[float]:
    """Whether `value` can be a softmax temperature: a number from 0.05 to 20."""
    return finite_number(value) and _TEMPERATURES[0] <= value <= _TEMPERATURES[1]


def finite_number(value: object) -> TypeGuard[float]:
    """Whether `value` is a finite real number (True and False are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond any float
        return False
