"""Real pen trajectories drawn as the app draws them, with augmentation.

MNIST's writers wrote on paper; the app's users draw with a mouse, a touchpad
or a stylus. Recorded pen trajectories (stroke files, read by
:mod:`lenet_gui.files.stroke_files`) show how people actually move the
pen: where strokes start, how 1s are flagged, how 4s are split. This module
draws each digit on a :class:`~lenet_gui.drawing.paper.Paper` through
:func:`render` and :func:`~lenet_gui.imaging.preprocess.preprocess`, as the
canvas would, after random changes that stretch a few writers' styles
towards everyone's:

- geometry of the whole digit: rotation, slant (shear), aspect ratio;
- the hand: smooth wobble of the trajectory, and its point spacing (a dense
  mouse, or sparse 100 ms tablet samples joined by straight lines);
- the canvas: size and position on the paper, the default or a random pen,
  a mouse's whole-pixel grid (as :mod:`lenet_gui.training.drawn` does);
- style variants people write that the recordings hold too few of
  (:mod:`lenet_gui.training.pen_styles`).

Every random choice of a digit comes from a generator seeded by (seed, copy,
index), so the inputs are the same whatever the number of worker processes.

Uses numpy and QtGui (through the paper; no widget, no application object),
so it runs in worker processes; no torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.imaging.preprocess import INPUT_SIZE, preprocess
from lenet_gui.training.drawn import HEIGHTS, PENS, mouse_points
from lenet_gui.training.pen_styles import STYLES, bounding_box, style_variant
from lenet_gui.training.skeletons import place_strokes, resample
from lenet_gui.training.worker_pool import draw_chunks

__all__ = [
    "PLACEMENT_ONLY",
    "PenAugmentation",
    "as_written",
    "augment_strokes",
    "draw_pen_digit",
    "pen_drawing",
    "mouse_points",
    "pen_inputs",
]

# Digits a worker process draws per task.
_CHUNK = 1000


@dataclass(frozen=True)
class PenAugmentation:
    """Ranges of the random changes made to a pen digit before it is drawn.

    Attributes
    ----------
    rotate : float
        Largest rotation, degrees.
    shear : float
        Largest slant: x moves by ``shear * (y - centre)``.
    aspect : float
        Largest change of the aspect ratio, as a log factor split between
        the axes (0.25: width over height from 0.78 to 1.28 times).
    wobble : float
        Standard deviation of the hand's smooth wobble, as a fraction of the
        digit's height.
    sparse_probability : float
        Chance that a digit keeps its recorded points joined by straight
        lines (a fast hand, or 100 ms tablet samples); otherwise it is
        resampled densely and smoothed, as a mouse moved slowly gives.
    heights : tuple of float
        Range of the digit's height, as a fraction of the paper's side.
    pens : tuple of float
        Range of the random pen width in paper pixels.
    default_pen_probability : float
        Chance of the canvas's default pen instead of a random one.
    style_probability : float
        Chance that a digit of a class with style variants gets one.
    styles : tuple of str
        The variants used, names from :data:`~lenet_gui.training.pen_styles.STYLES`.
    """

    rotate: float = 15.0
    shear: float = 0.3
    aspect: float = 0.25
    wobble: float = 0.015
    sparse_probability: float = 0.3
    heights: tuple[float, float] = HEIGHTS
    pens: tuple[float, float] = PENS
    default_pen_probability: float = 0.5
    style_probability: float = 0.3
    styles: tuple[str, ...] = field(default=tuple(STYLES))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.styles) - set(STYLES))
        if unknown:
            raise ValueError(
                f"unknown style(s) {', '.join(unknown)}; known: {', '.join(STYLES)}"
            )

    def describe(self) -> dict[str, Any]:
        """Return the settings as a plain dict, for the weights' metadata."""
        described = asdict(self)
        described["heights"] = list(self.heights)
        described["pens"] = list(self.pens)
        described["styles"] = list(self.styles)
        return described


#: Only size, position, pen and mouse grid: the digit's shape as written.
PLACEMENT_ONLY = PenAugmentation(
    rotate=0.0, shear=0.0, aspect=0.0, wobble=0.0, sparse_probability=1.0, styles=()
)


def as_written(
    heights: tuple[float, float] = (0.45, 0.8),
    pen: float | None = DEFAULT_PEN_WIDTH,
    styles: tuple[str, ...] = (),
) -> PenAugmentation:
    """Return settings that draw a digit as written, only sized and placed.

    Parameters
    ----------
    heights : tuple of float, default (0.45, 0.8)
        Range of the digit's height on the paper (how the product is checked).
    pen : float or None, default the canvas's default pen
        Pen width; None for a random pen from 8 to 48 px.
    styles : tuple of str, default ()
        Style variants to apply wherever one fits (each digit gets one).
    """
    return PenAugmentation(
        rotate=0.0,
        shear=0.0,
        aspect=0.0,
        wobble=0.0,
        sparse_probability=1.0,
        heights=heights,
        default_pen_probability=0.0 if pen is None else 1.0,
        pens=PLACEMENT_ONLY.pens if pen is None else (pen, pen),
        style_probability=1.0 if styles else 0.0,
        styles=styles,
    )


def augment_strokes(
    strokes: Sequence[np.ndarray], rng: np.random.Generator, aug: PenAugmentation
) -> list[np.ndarray]:
    """Rotate, slant, stretch and wobble a digit's strokes.

    Works in the strokes' own coordinates about their bounding box's centre;
    size and place on the paper come later (:func:`draw_pen_digit`).

    Returns
    -------
    list of np.ndarray
        The changed strokes, (n, 2) float64 each; with all ranges 0 and
        sparse probability 1, the strokes as given.
    """
    strokes = [np.asarray(s, dtype=np.float64) for s in strokes]
    low, size = bounding_box(strokes)
    centre = low + size / 2.0
    height = max(size[1], size[0] * 0.5)
    angle = np.radians(rng.uniform(-aug.rotate, aug.rotate))
    shear = rng.uniform(-aug.shear, aug.shear)
    stretch = np.exp(rng.uniform(-aug.aspect, aug.aspect) / 2.0)
    cos, sin = np.cos(angle), np.sin(angle)
    # Slant, then stretch, then rotate: x' = R S H (p - c) + c.
    matrix = (
        np.array([[cos, -sin], [sin, cos]])
        @ np.diag([stretch, 1.0 / stretch])
        @ np.array([[1.0, shear], [0.0, 1.0]])
    )
    out = [(s - centre) @ matrix.T + centre for s in strokes]
    if rng.random() < aug.sparse_probability:
        return out
    # A slow hand: points every 1 % of the height, each moved by a smooth
    # random offset (white noise smoothed along the stroke), then smoothed.
    spacing = 0.01 * height
    smooth = []
    for stroke in out:
        dense = resample(stroke, spacing)
        if len(dense) >= 3:
            noise = rng.normal(0.0, aug.wobble * height * 3.0, dense.shape)
            dense = dense + _gaussian_along(noise, 4.0)
            ends = dense[[0, -1]].copy()
            dense = _gaussian_along(dense, 1.5)
            # Smoothing pulls the ends inwards; put them back.
            t = np.linspace(0.0, 1.0, len(dense))[:, None]
            dense = dense + (1.0 - t) * (ends[0] - dense[0]) + t * (ends[1] - dense[-1])
        smooth.append(dense)
    return smooth


def _gaussian_along(points: np.ndarray, sigma: float) -> np.ndarray:
    """Smooth a sequence of points (or offsets) by a Gaussian of `sigma` samples."""
    radius = int(np.ceil(3.0 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(points, ((radius, radius), (0, 0)), mode="edge")
    return np.stack(
        [np.convolve(padded[:, k], kernel, mode="valid") for k in range(2)], axis=1
    )


def pen_drawing(
    strokes: Sequence[np.ndarray],
    label: int,
    rng: np.random.Generator,
    aug: PenAugmentation,
) -> tuple[list[np.ndarray], float]:
    """Change a pen digit at random and place it on the paper.

    Parameters
    ----------
    strokes : sequence of np.ndarray
        The digit's strokes as written, (n, 2) points each, y down.
    label : int
        The digit, which decides the style variants that fit.
    rng : numpy.random.Generator
        Source of every random choice.
    aug : PenAugmentation
        The ranges of the changes.

    Returns
    -------
    strokes : list of np.ndarray
        The strokes in paper pixels, before any mouse grid.
    pen : float
        The pen width to draw them with, in paper pixels.
    """
    strokes = [np.asarray(s, dtype=np.float64) for s in strokes]
    if aug.styles and rng.random() < aug.style_probability:
        strokes, _ = style_variant(strokes, label, aug.styles, rng)
    strokes = augment_strokes(strokes, rng, aug)
    height = rng.uniform(*aug.heights) * PAPER_SIZE
    if rng.random() < aug.default_pen_probability:
        pen = DEFAULT_PEN_WIDTH
    else:
        pen = rng.uniform(*aug.pens)
    placed = place_strokes(strokes, height, PAPER_SIZE, aug.pens[1] / 2.0, rng)
    return placed, pen


def draw_pen_digit(
    strokes: Sequence[np.ndarray],
    label: int,
    rng: np.random.Generator,
    aug: PenAugmentation,
) -> np.ndarray | None:
    """Draw one pen digit, changed at random, as the canvas would; return its input.

    The digit is changed and placed by :func:`pen_drawing`, passed through a
    mouse's pixel grid (:func:`mouse_points`), inked by :func:`render` and
    preprocessed as a drawing is.

    Returns
    -------
    np.ndarray or None
        (32, 32) float32 network input, as the app would compute it from the
        drawing; None if the drawing holds no digit (too little ink).
    """
    placed, pen = pen_drawing(strokes, label, rng, aug)
    return preprocess(render(mouse_points(placed, rng), pen))


def _draw_chunk(
    strokes: list[tuple[np.ndarray, ...]],
    labels: list[int],
    keys: list[tuple[int, int]],
    seed: int,
    aug: PenAugmentation,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw one task's digits; return their inputs and which were drawn."""
    inputs = np.zeros((len(strokes), INPUT_SIZE, INPUT_SIZE), dtype=np.float32)
    drawn = np.zeros(len(strokes), dtype=bool)
    for k, (digit, label, (copy, index)) in enumerate(
        zip(strokes, labels, keys, strict=True)
    ):
        rng = np.random.default_rng((seed, copy, index))
        network_input = draw_pen_digit(digit, label, rng, aug)
        if network_input is not None:
            inputs[k] = network_input
            drawn[k] = True
    return inputs, drawn


def pen_inputs(
    digits: Sequence[PenDigit],
    seed: int,
    copies: int = 1,
    aug: PenAugmentation | None = None,
    workers: int | None = None,
    first_copy: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw every digit `copies` times, each time changed anew.

    Copy ``c`` of digit ``i`` is drawn with a generator seeded by (`seed`,
    ``first_copy + c``, ``i``), so the result is the same whatever the
    number of workers, and a later call with another `first_copy` (e.g. the
    next training pass) draws new variants.

    Parameters
    ----------
    digits : sequence of PenDigit
    seed : int
    copies : int, default 1
        Variants of each digit.
    aug : PenAugmentation, optional
        Ranges of the changes (default: :class:`PenAugmentation()`).
    workers : int, optional
        Processes to draw in (default: one per CPU); 1 draws in this process.
    first_copy : int, default 0
        Number of the first copy.

    Returns
    -------
    inputs : np.ndarray
        (M, 32, 32) float32 network inputs, copy by copy, digit by digit
        (M is ``copies * len(digits)`` less any drawing without a digit).
    labels : np.ndarray
        (M,) int64 labels.
    indices : np.ndarray
        (M,) index into `digits` of each input.
    """
    aug = PenAugmentation() if aug is None else aug
    items = [
        (digit.strokes, digit.label, (first_copy + c, i))
        for c in range(copies)
        for i, digit in enumerate(digits)
    ]
    tasks = [
        (
            [strokes for strokes, _, _ in chunk],
            [label for _, label, _ in chunk],
            [key for _, _, key in chunk],
            seed,
            aug,
        )
        for chunk in (items[k : k + _CHUNK] for k in range(0, len(items), _CHUNK))
    ]
    inputs, drawn = draw_chunks(_draw_chunk, tasks, workers)
    labels = np.array([label for _, label, _ in items], dtype=np.int64)
    indices = np.array([index for _, _, (_, index) in items], dtype=np.int64)
    return inputs[drawn], labels[drawn], indices[drawn]
