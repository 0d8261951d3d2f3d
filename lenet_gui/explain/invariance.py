"""Distort the network's input and watch the answer hold, as the paper shows it.

The paper (section III-C and its animations) shows LeNet-5 reading digits
shifted, scaled, rotated, squeezed, thickened and buried in noise. This
module applies those changes to the 32x32 network input, with a slider's
worth of settings each (:data:`TRANSFORMS`), and sweeps one of them to give
the ten probabilities along its range in one batched forward pass
(:func:`probability_curves`).

Work happens on whole batches in torch, in float32: one ``grid_sample`` for
shift, scale, rotation and squeeze together (bilinear, paper outside the
frame), then grey dilation or erosion by a disc, then noise. A transform at
its neutral value does nothing; with all of them neutral the input comes back
exactly as it went in.

Cost, one torch thread, on a 2-core machine shared with other heavy jobs
(load average 5-9; ``benchmarks/explainers.py``): :func:`transform_input`
0.6-4 ms median (a forward pass of one input measured 1-1.3 ms there);
:func:`probability_curves` with 25 points 10-20 ms median, about half of it
transforming the 25 inputs and half the forward pass (a sweep that thickens
costs most, ~20 ms: two disc filters per radius).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from lenet_gui.network.model import Ablation
from lenet_gui.spec.lenet5 import LENET5

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier

__all__ = [
    "TRANSFORMS",
    "Transform",
    "probability_curves",
    "transform_input",
    "transform_inputs",
]

_BACKGROUND = LENET5.background
_INK = LENET5.ink
_SIDE = LENET5.input_size


@dataclass(frozen=True)
class Transform:
    """One transform of the input and the range a slider offers for it.

    Attributes
    ----------
    name : str
        Key in the `params` of :func:`transform_input`.
    label : str
        Short text for the slider.
    low, high : float
        The slider's range, also the range :func:`probability_curves` sweeps.
    neutral : float
        The value that leaves the input alone.
    step : float
        The slider's step.
    unit : str
        Unit of the value, for the slider's read-out.
    description : str
        One sentence for a tooltip: what a value means.
    """

    name: str
    label: str
    low: float
    high: float
    neutral: float
    step: float
    unit: str
    description: str


#: The transforms, in the order they are applied (the four geometric ones
#: together, in one resampling).
TRANSFORMS: tuple[Transform, ...] = (
    Transform(
        "shift_x", "Shift right", -8.0, 8.0, 0.0, 0.5, "px",
        "Moves the digit right (left when negative) by this many input pixels.",
    ),
    Transform(
        "shift_y", "Shift down", -8.0, 8.0, 0.0, 0.5, "px",
        "Moves the digit down (up when negative) by this many input pixels.",
    ),
    Transform(
        "scale", "Scale", 0.5, 1.5, 1.0, 0.05, "×",
        "Enlarges (above 1) or shrinks (below 1) the digit about the centre.",
    ),
    Transform(
        "rotate", "Rotate", -90.0, 90.0, 0.0, 1.0, "°",
        "Turns the digit anticlockwise (clockwise when negative) about the centre.",
    ),
    Transform(
        "squeeze", "Squeeze", 0.6, 1.4, 1.0, 0.02, "×",
        "Multiplies the width by this factor and divides the height by it.",
    ),
    Transform(
        "thicken", "Thicken", -2.0, 2.0, 0.0, 0.1, "px",
        "Grows the strokes by this radius (thins them when negative); "
        "fractions blend the nearest whole radii.",
    ),
    Transform(
        "noise", "Noise", 0.0, 0.5, 0.0, 0.01, "ink",
        "Adds a fixed pattern of Gaussian noise with this standard deviation, "
        "in units of full ink.",
    ),
)  # fmt: skip

_BY_NAME = {transform.name: transform for transform in TRANSFORMS}
_GEOMETRIC = ("shift_x", "shift_y", "scale", "rotate", "squeeze")


def transform_input(
    network_input: np.ndarray, params: Mapping[str, float], seed: int = 0
) -> np.ndarray:
    """Return the network input transformed as `params` say.

    Parameters
    ----------
    network_input : np.ndarray
        (32, 32) input in network levels (background -0.1, ink 1.175).
    params : mapping of str to float
        Values by transform name (:data:`TRANSFORMS`); missing ones are
        neutral. Values outside a slider's range are allowed.
    seed : int
        Seed of the noise pattern. The pattern depends on the seed only, and
        the noise value only scales it, so a moving slider does not flicker.

    Returns
    -------
    np.ndarray
        (32, 32) float32 in [-0.1, 1.175]; what moved in from outside the
        frame is background. With every value neutral, a copy of the input,
        exactly (not clipped).

    Raises
    ------
    KeyError
        A name that is not a transform.
    ValueError
        A value that is not finite, a scale or squeeze that is not positive,
        negative noise, or an input that is not (32, 32).
    """
    return transform_inputs(network_input, _checked(params), seed)[0]


def transform_inputs(
    network_input: np.ndarray,
    params: Mapping[str, float | np.ndarray],
    seed: int = 0,
) -> np.ndarray:
    """Return a batch of transforms of one input, computed together.

    Parameters
    ----------
    network_input : np.ndarray
        (32, 32) input in network levels.
    params : mapping of str to float or np.ndarray
        Values by transform name: scalars apply to the whole batch, 1-D
        arrays give one value per output (all arrays of one length).
    seed : int
        Seed of the noise pattern, as in :func:`transform_input`.

    Returns
    -------
    np.ndarray
        (N, 32, 32) float32; row k is ``transform_input`` of the k-th values.

    Raises
    ------
    KeyError, ValueError
        As :func:`transform_input`; also arrays of different lengths.
    """
    x = np.asarray(network_input)
    if x.shape != (_SIDE, _SIDE):
        raise ValueError(f"the network input must be ({_SIDE}, {_SIDE}), not {x.shape}")
    columns = {}
    for name, value in params.items():
        column = np.atleast_1d(np.asarray(value, dtype=np.float64))
        if column.ndim != 1:
            raise ValueError(f"{name} must be a number or a 1-D array of numbers")
        columns[name] = column
    lengths = {len(column) for column in columns.values()} - {1}
    if len(lengths) > 1:
        raise ValueError(f"one value or one per output, not lengths {sorted(lengths)}")
    count = lengths.pop() if lengths else 1
    values = {}
    for transform in TRANSFORMS:
        column = columns.pop(transform.name, np.array([transform.neutral]))
        values[transform.name] = np.broadcast_to(column, (count,))
    if columns:
        raise KeyError(_unknown(next(iter(columns))))
    for name, column in values.items():
        for value in column:
            _check_value(name, float(value))
    return _apply(np.asarray(x, dtype=np.float32), values, seed)


def probability_curves(
    classifier: Classifier,
    network_input: np.ndarray,
    params: Mapping[str, float],
    name: str,
    count: int = 25,
    seed: int = 0,
    ablation: Ablation | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sweep one transform across its range and return the ten probabilities.

    The other transforms stay at `params`. The sweep's values are `count`
    evenly spaced points from the transform's ``low`` to ``high``, except
    that the one nearest the current value (``params[name]``, or neutral) is
    moved onto it when it lies in the range, so the curves pass through what
    the classifier shows for the current settings. Everything is one batch:
    `count` transformed inputs and one forward pass.

    Parameters
    ----------
    classifier : Classifier
        The network.
    network_input : np.ndarray
        (32, 32) input in network levels, before any transform.
    params : mapping of str to float
        The current settings, as for :func:`transform_input`.
    name : str
        The transform swept.
    count : int
        Values in the sweep, at least 2.
    seed : int
        Seed of the noise pattern, as in :func:`transform_input`.
    ablation : mapping of str to collection of int, optional
        Maps or units switched off, as in :meth:`Classifier.classify_input`.

    Returns
    -------
    values : np.ndarray
        (count,) float64, increasing.
    probabilities : np.ndarray
        (count, 10) float64; row k is the classifier's probabilities for
        ``transform_input`` with `name` at ``values[k]``.

    Raises
    ------
    KeyError
        `name` or a key of `params` is not a transform.
    ValueError
        `count` below 2, or a bad value in `params` (see
        :func:`transform_input`).
    """
    params = _checked(params)
    if name not in _BY_NAME:
        raise KeyError(_unknown(name))
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise ValueError(f"count must be an integer of at least 2, not {count!r}")
    transform = _BY_NAME[name]
    values = np.linspace(transform.low, transform.high, count)
    current = params.get(name, transform.neutral)
    if transform.low <= current <= transform.high:
        values[np.abs(values - current).argmin()] = current
    inputs = transform_inputs(network_input, {**params, name: values}, seed)
    return values, classifier.probabilities(inputs, ablation)


def _checked(params: Mapping[str, float]) -> dict[str, float]:
    """Return `params` as plain floats, or raise KeyError or ValueError."""
    checked = {}
    for name, value in params.items():
        if name not in _BY_NAME:
            raise KeyError(_unknown(name))
        try:
            checked[name] = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a number, not {value!r}") from None
        _check_value(name, checked[name])
    return checked


def _check_value(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, not {value}")
    if name in ("scale", "squeeze") and value <= 0:
        raise ValueError(f"{name} must be positive, not {value}")
    if name == "noise" and value < 0:
        raise ValueError(f"noise must be 0 or more, not {value}")


def _unknown(name: object) -> str:
    return f"no transform {name!r} (transforms: {', '.join(_BY_NAME)})"


def _apply(x: np.ndarray, values: dict[str, np.ndarray], seed: int) -> np.ndarray:
    """Transform one (32, 32) input by each row of `values`; (N, 32, 32) float32."""
    count = len(values["scale"])
    # Ink above paper: 0 outside the frame, which is what grid_sample pads with
    # and what the disc filters treat the outside as.
    ink = torch.tensor(x).sub(_BACKGROUND).expand(count, 1, _SIDE, _SIDE)
    # Settings in float64 (exact comparisons with neutral values, accurate
    # matrices); pixels in float32, like the network's input.
    column = {name: torch.from_numpy(np.array(v)) for name, v in values.items()}
    changed = torch.zeros(count, dtype=torch.bool)

    moved = torch.zeros(count, dtype=torch.bool)
    for name in _GEOMETRIC:
        moved |= column[name] != _BY_NAME[name].neutral
    if moved.any():
        theta = _inverse_affine(column).float()
        grid = F.affine_grid(theta, [count, 1, _SIDE, _SIDE], align_corners=False)
        resampled = F.grid_sample(ink, grid, align_corners=False)
        ink = torch.where(moved[:, None, None, None], resampled, ink)
        changed |= moved

    thickness = column["thicken"]
    if (thickness != 0).any():
        ink = torch.where(
            (thickness != 0)[:, None, None, None], _thicken(ink, thickness), ink
        )
        changed |= thickness != 0

    noise = column["noise"]
    if (noise != 0).any():
        pattern = torch.tensor(_noise_pattern(seed), dtype=torch.float32)
        spread = (noise * (_INK - _BACKGROUND)).float()[:, None, None, None]
        ink = ink + spread * pattern
        changed |= noise != 0

    out = (ink[:, 0] + _BACKGROUND).clamp(_BACKGROUND, _INK).numpy()
    # Rows with nothing to do are the input itself, bit for bit: the round trip
    # through ink units could change the last bit.
    out[~changed.numpy()] = x
    return out


def _inverse_affine(column: dict[str, Tensor]) -> Tensor:
    """Return (N, 2, 3) matrices from output to input coordinates.

    Forward, about the centre of the frame: squeeze and scale (width times
    ``scale * squeeze``, height times ``scale / squeeze``), turn anticlockwise
    as seen on screen (rows grow downwards), then shift. ``affine_grid`` wants
    the inverse, in coordinates where the frame spans [-1, 1].
    """
    sx = column["scale"] * column["squeeze"]
    sy = column["scale"] / column["squeeze"]
    angle = torch.deg2rad(column["rotate"])
    cos, sin = torch.cos(angle), torch.sin(angle)
    # Forward linear part R @ diag(sx, sy) with R = [[cos, sin], [-sin, cos]]
    # (anticlockwise with y down); its inverse is diag(1/sx, 1/sy) @ R.T.
    inverse = torch.stack(
        [
            torch.stack([cos / sx, -sin / sx], dim=1),
            torch.stack([sin / sy, cos / sy], dim=1),
        ],
        dim=1,
    )  # (N, 2, 2)
    shift = torch.stack([column["shift_x"], column["shift_y"]], dim=1) * (2 / _SIDE)
    offset = -(inverse @ shift[:, :, None])  # (N, 2, 1)
    return torch.cat([inverse, offset], dim=2)


def _thicken(ink: Tensor, thickness: Tensor) -> Tensor:
    """Grey-dilate (thickness > 0) or erode (< 0) each row by its disc radius.

    Whole radii use the same octagonal disc as preprocessing's stroke
    correction (``preprocess._disc_filter``); a fractional radius blends the
    two whole radii around it linearly.
    """
    largest = math.ceil(float(thickness.abs().max()))
    # levels[largest + r] is the image filtered by radius r (eroded for r < 0);
    # a side no row asks for is left as the image itself, unused.
    filtered = [ink]
    for radius in range(1, largest + 1):
        filtered.append(_disc(ink, radius) if (thickness > 0).any() else ink)
        filtered.insert(0, -_disc(-ink, radius) if (thickness < 0).any() else ink)
    levels = torch.stack(filtered)  # (2 * largest + 1, N, 1, 32, 32)
    size = thickness.abs()
    whole = size.floor()
    fraction = (size - whole).float()[:, None, None, None]
    sign = thickness.sign()
    rows = torch.arange(len(thickness))
    lower = (sign * whole).long() + largest
    upper = (sign * (whole + 1)).long().clamp(-largest, largest) + largest
    return (1 - fraction) * levels[lower, rows] + fraction * levels[upper, rows]


def _disc(ink: Tensor, radius: int) -> Tensor:
    """Grey dilation by an octagonal disc of `radius`, outside the frame paper.

    Built from 3x3 steps, as ``preprocess._disc_filter``: the first
    ``round(0.41 * radius)`` steps are squares, the rest crosses, so the disc
    reaches `radius` along both the axes and the diagonals.
    """
    square_steps = round(radius * (math.sqrt(2.0) - 1.0))
    for step in range(radius):
        down = F.max_pool2d(F.pad(ink, (0, 0, 1, 1)), (3, 1), stride=1)
        if step < square_steps:
            ink = F.max_pool2d(F.pad(down, (1, 1, 0, 0)), (1, 3), stride=1)
        else:
            across = F.max_pool2d(F.pad(ink, (1, 1, 0, 0)), (1, 3), stride=1)
            ink = torch.maximum(down, across)
    return ink


@lru_cache(maxsize=8)
def _noise_pattern(seed: int) -> np.ndarray:
    """Return the (32, 32) standard normal pattern of one seed (read-only)."""
    pattern = np.random.default_rng(seed).standard_normal((_SIDE, _SIDE))
    pattern.flags.writeable = False
    return pattern
