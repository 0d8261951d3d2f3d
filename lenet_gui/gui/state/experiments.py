"""Everything that changes how a drawing is read, said in words a newcomer follows.

The network setup (:class:`~lenet_gui.gui.state.network_setup.NetworkSetup`)
can read a drawing differently from the plain bundled LeNet-5: through a
distortion of the input (the Invariance sliders), with a checkpoint of the
training run (the Training slider), with maps or units switched off, or with
weights from another file. :func:`describe_experiments` names each of them
in one short line ("Input rotated 40° anticlockwise", "2 of 6 S2 maps
switched off: 1, 4"), so nothing that changes the reading stays hidden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from lenet_gui.spec.lenet5 import NetworkSpec

if TYPE_CHECKING:
    from lenet_gui.network.checkpoints import CheckpointInfo

__all__ = ["describe_experiments", "describe_transform"]

# Switched-off maps or units listed by number up to this many; beyond, counted.
_MOST_LISTED = 6


def describe_experiments(
    spec: NetworkSpec,
    *,
    transform: Mapping[str, float],
    ablation: Mapping[str, frozenset[int]],
    checkpoint: int | None,
    checkpoints: Sequence[CheckpointInfo],
    weights_file: str | None,
) -> list[str]:
    """Name, one short line each, what makes the reading differ from the plain one.

    Parameters
    ----------
    spec : NetworkSpec
        The network (for its layers' sizes).
    transform : mapping of str to float
        The input's distortion by setting name; neutral settings are left out.
    ablation : mapping of str to frozenset of int
        The maps or units switched off, by layer.
    checkpoint : int or None
        The training checkpoint read with (an index into `checkpoints`), or
        None for the final weights.
    checkpoints : sequence of CheckpointInfo
        The checkpoints of the training run, the last the final weights.
    weights_file : str or None
        The name of the weights file in use when it is not the bundled one.

    Returns
    -------
    list of str
        Empty when the drawing is read as drawn, by the bundled network.
    """
    lines = []
    if weights_file is not None:
        lines.append(f"Weights from the file {weights_file}, not the bundled ones")
    if checkpoint is not None:
        lines.append(_describe_checkpoint(checkpoint, checkpoints))
    for layer, off in ablation.items():
        if off:
            lines.append(_describe_switched_off(spec, layer, off))
    lines.extend(describe_transform(transform))
    return lines


def describe_transform(transform: Mapping[str, float]) -> list[str]:
    """Say how the input is distorted, one line per setting, in the sliders' order."""
    words = {
        "shift_x": lambda v: (
            f"Input shifted {_number(abs(v))} px " + ("right" if v > 0 else "left")
        ),
        "shift_y": lambda v: (
            f"Input shifted {_number(abs(v))} px " + ("down" if v > 0 else "up")
        ),
        "scale": lambda v: (
            f"Input {'enlarged' if v > 1 else 'shrunk'} to {_number(v)}× its size"
        ),
        "rotate": lambda v: (
            f"Input rotated {_number(abs(v))}° "
            + ("anticlockwise" if v > 0 else "clockwise")
        ),
        "squeeze": lambda v: (
            f"Input {'widened' if v > 1 else 'narrowed'} to {_number(v)}× its width"
        ),
        "thicken": lambda v: (
            f"Strokes {'thickened' if v > 0 else 'thinned'} by {_number(abs(v))} px"
        ),
        "noise": lambda v: f"Noise added to the input ({_number(v)} of full ink)",
    }
    lines = [say(transform[name]) for name, say in words.items() if name in transform]
    lines += [
        f"Input changed: {name} {_number(value)}"
        for name, value in transform.items()
        if name not in words
    ]
    return lines


def _describe_checkpoint(index: int, checkpoints: Sequence[CheckpointInfo]) -> str:
    info = checkpoints[index]
    accuracy = info.test_accuracy
    measured = (
        "" if accuracy is None else f", {accuracy * 100:.1f} % right on MNIST test"
    )
    return (
        f"Network from training checkpoint {index + 1} of {len(checkpoints)} "
        f"({info.label}{measured})"
    )


def _describe_switched_off(spec: NetworkSpec, layer: str, off: frozenset[int]) -> str:
    layer_spec = spec.layer(layer)
    noun = "map" if layer_spec.has_maps else "unit"
    numbers = sorted(off)
    if len(numbers) == 1:
        return f"{layer} {noun} {numbers[0]} switched off"
    counted = f"{len(numbers)} of {layer_spec.maps} {layer} {noun}s switched off"
    if len(numbers) > _MOST_LISTED:
        return counted
    return f"{counted}: {_listed(numbers)}"


def _listed(numbers: Sequence[int]) -> str:
    return ", ".join(map(str, numbers))


def _number(value: float) -> str:
    """Write a setting as a person reads it: 40, 1.2, 0.14 (no float noise)."""
    return f"{round(value, 2):g}"
