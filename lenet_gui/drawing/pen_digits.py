"""Real pen trajectories drawn as the app draws them, with augmentation.

MNIST's writers wrote on paper; the app's users draw with a mouse, a touchpad
or a stylus. Recorded pen trajectories (e.g. the UCI "Pen-Based Recognition
of Handwritten Digits" set: 30 writers on a tablet) show how people actually
move the pen: where strokes start, how 1s are flagged, how 4s are split. This
module loads such stroke files, checks them, and draws each digit on a
:class:`~lenet_gui.drawing.paper.Paper` through :func:`render` and
:func:`~lenet_gui.network.preprocess.preprocess`, as the canvas would, after
random changes that stretch a few writers' styles towards everyone's:

- geometry of the whole digit: rotation, slant (shear), aspect ratio;
- the hand: smooth wobble of the trajectory, and its point spacing (a dense
  mouse, or sparse 100 ms tablet samples joined by straight lines);
- the canvas: size and position on the paper, the default or a random pen,
  a mouse's whole-pixel grid (as :mod:`lenet_gui.drawing.drawn` does);
- style variants people write that the recordings hold too few of: a slash
  through a 0, a bar across a 7, a flag or a foot on a 1, a closed 4, a 9
  whose tail curls (:data:`STYLES`).

Every random choice of a digit comes from a generator seeded by (seed, copy,
index), so the inputs are the same whatever the number of worker processes.

Uses numpy and QtGui (through the paper; no widget, no application object),
so it runs in worker processes; no torch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.network.preprocess import INPUT_SIZE, preprocess
from lenet_gui.network.strokes import place_strokes, resample

__all__ = [
    "PLACEMENT_ONLY",
    "STYLES",
    "PenAugmentation",
    "PenDigit",
    "StrokeFileError",
    "as_written",
    "augment_strokes",
    "draw_pen_digit",
    "pen_drawing",
    "load_pen_digits",
    "mouse_points",
    "pen_inputs",
    "pick_writers",
    "style_variant",
]

# Digits a worker process draws per task.
_CHUNK = 1000
# Largest coordinate accepted in a stroke file: far beyond any tablet or
# screen, small enough that nothing overflows later.
_MAX_COORDINATE = 1e6


class StrokeFileError(ValueError):
    """A stroke file that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class PenDigit:
    """One digit written with a pen: its label, writer and strokes.

    Attributes
    ----------
    label : int
        The digit, 0-9.
    writer : str
        Who wrote it; digits of one writer look alike, so split by writer.
    strokes : tuple of np.ndarray
        The pen-down strokes in the order written, each (n, 2) float64
        (x, y) points, y growing downward.
    """

    label: int
    writer: str
    strokes: tuple[np.ndarray, ...]


def load_pen_digits(paths: Path | str | Iterable[Path | str]) -> list[PenDigit]:
    """Read stroke files, checking every field.

    A file is one JSON array of ``{"label": 0-9, "writer": "id", "strokes":
    [[[x, y], ...], ...]}`` objects; points are numbers, y down.

    Parameters
    ----------
    paths : path or iterable of paths
        One or more stroke files; their digits are concatenated in order.

    Returns
    -------
    list of PenDigit

    Raises
    ------
    StrokeFileError
        A file is missing, unreadable, not JSON, or any digit in it has a
        missing or wrong field; the message names the file and the digit.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    digits: list[PenDigit] = []
    for path in map(Path, paths):
        digits.extend(_load_file(path))
    return digits


def _load_file(path: Path) -> list[PenDigit]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StrokeFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise StrokeFileError(f"{path}: cannot be read ({error})") from None
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise StrokeFileError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from None
    if not isinstance(items, list):
        raise StrokeFileError(
            f"{path}: must hold a JSON array of digits, not a {type(items).__name__}"
        )
    if not items:
        raise StrokeFileError(f"{path}: holds no digits")
    return [_parse_digit(path, k, item) for k, item in enumerate(items)]


def _parse_digit(path: Path, k: int, item: object) -> PenDigit:
    where = f"{path}: digit {k}"
    if not isinstance(item, dict):
        raise StrokeFileError(f"{where}: must be an object, not {_kind(item)}")
    missing = [key for key in ("label", "writer", "strokes") if key not in item]
    if missing:
        raise StrokeFileError(f"{where}: missing {', '.join(missing)}")
    label, writer, strokes = item["label"], item["writer"], item["strokes"]
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= 9:
        raise StrokeFileError(f"{where}: label must be an integer 0-9, got {label!r}")
    if not isinstance(writer, str) or not writer.strip():
        raise StrokeFileError(f"{where}: writer must be a non-empty string")
    if not isinstance(strokes, list) or not strokes:
        raise StrokeFileError(f"{where}: strokes must be a non-empty list of strokes")
    arrays = []
    for s, stroke in enumerate(strokes):
        if not isinstance(stroke, list) or not stroke:
            raise StrokeFileError(
                f"{where}, stroke {s}: must be a non-empty list of [x, y] points"
            )
        for point in stroke:
            if (
                not isinstance(point, list)
                or len(point) != 2
                or not all(
                    isinstance(v, int | float) and not isinstance(v, bool)
                    for v in point
                )
            ):
                raise StrokeFileError(
                    f"{where}, stroke {s}: every point must be [x, y] numbers, "
                    f"got {point!r}"
                )
        array = np.array(stroke, dtype=np.float64)
        if not np.isfinite(array).all() or np.abs(array).max() > _MAX_COORDINATE:
            raise StrokeFileError(
                f"{where}, stroke {s}: coordinates must be finite and at most "
                f"{_MAX_COORDINATE:g} in size"
            )
        arrays.append(array)
    return PenDigit(label=label, writer=writer, strokes=tuple(arrays))


def _kind(value: object) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def pick_writers(
    digits: Sequence[PenDigit], holdout: int | Sequence[str], seed: int
) -> list[str]:
    """Choose writers to hold out of training, by number or by name.

    Parameters
    ----------
    digits : sequence of PenDigit
    holdout : int or sequence of str
        How many writers to pick at random (by `seed`, from the sorted list
        of writers), or their names.
    seed : int

    Returns
    -------
    list of str
        The writers held out, sorted.

    Raises
    ------
    ValueError
        A named writer is not in the data, or the number is not between 0
        and the number of writers less one (someone must be left to train on).
    """
    writers = sorted({digit.writer for digit in digits})
    if isinstance(holdout, int):
        if not 0 <= holdout < len(writers):
            raise ValueError(
                f"can hold out 0 to {len(writers) - 1} of {len(writers)} writers, "
                f"not {holdout}"
            )
        chosen = np.random.default_rng(seed).choice(len(writers), holdout, False)
        return sorted(writers[k] for k in chosen)
    unknown = sorted(set(holdout) - set(writers))
    if unknown:
        raise ValueError(f"no digits by writer(s) {', '.join(unknown)}")
    if len(set(holdout)) >= len(writers):
        raise ValueError("cannot hold out every writer")
    return sorted(set(holdout))


# -- style variants ---------------------------------------------------------


def _box(strokes: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Top-left corner and (width, height) of the strokes' bounding box."""
    points = np.concatenate(strokes)
    low = points.min(axis=0)
    return low, np.maximum(points.max(axis=0) - low, 1e-6)


def _segment(start: np.ndarray, end: np.ndarray, points: int = 6) -> np.ndarray:
    """Return a straight stroke from `start` to `end`, as a few points."""
    t = np.linspace(0.0, 1.0, points)[:, None]
    return start + t * (end - start)


def slashed_zero(strokes: list[np.ndarray], rng: np.random.Generator) -> list | None:
    """Add a slash through a 0 (Ø), from just beyond its top right to its bottom left.

    The slash crosses the whole oval and ends a little outside it, as people
    write it; a slash that stopped inside would make a 0 look like a 6 or 8.
    """
    (x, y), (w, h) = _box(strokes)
    over = rng.uniform(0.0, 0.15, 4)
    top = np.array([x + w * (0.8 + over[0]), y - h * over[1]])
    bottom = np.array([x + w * (0.2 - over[2]), y + h * (1.0 + over[3])])
    slash = _segment(bottom, top) if rng.random() < 0.5 else _segment(top, bottom)
    return [*strokes, slash]


def _crossings(strokes: Sequence[np.ndarray], level: float) -> list[float]:
    """Return the x of every crossing of the strokes with the line y = `level`."""
    xs = []
    for stroke in strokes:
        for (x0, y0), (x1, y1) in zip(stroke[:-1], stroke[1:], strict=True):
            if (y0 - level) * (y1 - level) <= 0 and y0 != y1:
                xs.append(x0 + (level - y0) / (y1 - y0) * (x1 - x0))
    return xs


def barred_seven(strokes: list[np.ndarray], rng: np.random.Generator) -> list | None:
    """Add a short bar across the stem of a 7, a little above its middle.

    Only for a 7 that has no bar yet (a second bar is no style anyone
    writes): one whose middle band holds no near-horizontal line.
    """
    (x, y), (w, h) = _box(strokes)
    if _flat_length(strokes, y + 0.3 * h, y + 0.75 * h) > 0.15 * w:
        return None
    level = y + h * rng.uniform(0.4, 0.6)
    # The stem is where the strokes cross the bar's line.
    xs = _crossings(strokes, level)
    if not xs:
        return None
    stem = float(np.median(xs))
    half = max(w, 0.5 * h) * rng.uniform(0.18, 0.3)
    tilt = h * rng.uniform(-0.04, 0.04)
    left = np.array([stem - half * rng.uniform(0.8, 1.2), level + tilt])
    right = np.array([stem + half * rng.uniform(0.8, 1.2), level - tilt])
    return [*strokes, _segment(left, right)]


def _flat_length(strokes: Sequence[np.ndarray], top: float, bottom: float) -> float:
    """Return the length of near-horizontal pieces (< 25 degrees) between two lines."""
    total = 0.0
    for stroke in strokes:
        step = np.diff(stroke, axis=0)
        middle = (stroke[:-1, 1] + stroke[1:, 1]) / 2.0
        inside = (middle >= top) & (middle <= bottom)
        flat = np.abs(step[:, 1]) <= np.tan(np.radians(25.0)) * np.abs(step[:, 0])
        total += float(np.hypot(*step[inside & flat].T).sum())
    return total


def flagged_one(strokes: list[np.ndarray], rng: np.random.Generator) -> list | None:
    """Start a plain 1 with the up-stroke (flag) people write before the stem.

    The flag is 15-40 % of the height and rises at 30-60 degrees from the
    horizontal: steeper and shorter than a 7's top bar, as a European 1 is
    written. A 1 whose top is not the start of a stroke already has a flag
    (or is no plain stem) and is left as it is.
    """
    (_, y), (_, h) = _box(strokes)
    first = strokes[0]
    if first[0, 1] > y + 0.1 * h or len(strokes) > 1:
        return None
    length = h * rng.uniform(0.15, 0.4)
    angle = np.radians(rng.uniform(30.0, 60.0))
    start = first[0] + length * np.array([-np.cos(angle), np.sin(angle)])
    flag = _segment(start, first[0])[:-1]
    return [np.concatenate([flag, first]), *strokes[1:]]


def footed_one(strokes: list[np.ndarray], rng: np.random.Generator) -> list | None:
    """Add a foot (base bar) under a 1 that is a single stem."""
    (x, y), (w, h) = _box(strokes)
    if w > 0.5 * h:
        return None
    bottom = np.concatenate(strokes)
    foot_y = float(bottom[:, 1].max())
    stem = float(bottom[bottom[:, 1] > y + 0.8 * h, 0].mean())
    half = h * rng.uniform(0.15, 0.3)
    return [*strokes, _segment(np.array([stem - half, foot_y]), [stem + half, foot_y])]


def closed_four(strokes: list[np.ndarray], rng: np.random.Generator) -> list | None:
    """Close an open 4: its first leg leans from the top of the stem to the corner.

    Only for a 4 written as an L-shaped stroke then a stem (how most of the
    recorded writers write it): the L's down-stroke is replaced by a line
    from near the stem's top to the L's corner, which makes the triangle of
    a closed 4.
    """
    if len(strokes) != 2:
        return None
    ell, stem = strokes
    if len(ell) < 3 or len(stem) < 2:
        return None
    # The corner is the L's point farthest from the line joining its ends.
    chord = ell[-1] - ell[0]
    norm = np.hypot(*chord)
    if norm == 0:
        return None
    relative = ell - ell[0]
    offsets = np.abs(chord[0] * relative[:, 1] - chord[1] * relative[:, 0]) / norm
    corner = int(np.argmax(offsets))
    if corner == 0 or corner == len(ell) - 1:
        return None
    top = stem[np.argmin(stem[:, 1])]
    (_, _), (w, h) = _box(strokes)
    # Only a 4 we understand: the corner well left of and below the stem's
    # top, and the crossbar reaching across the stem. Others would turn into
    # shapes nearer a 9 or a 7 than a 4.
    if (
        top[0] - ell[corner, 0] < 0.25 * w
        or ell[corner, 1] - top[1] < 0.4 * h
        or ell[-1, 0] < top[0] + 0.05 * w
    ):
        return None
    start = top + np.array([0.0, h * rng.uniform(0.0, 0.1)])
    leg = _segment(start, ell[corner])
    return [np.concatenate([leg[:-1], ell[corner:]]), stem]


def curled_nine(strokes: list[np.ndarray], rng: np.random.Generator) -> list | None:
    """Let the tail of a 9 curl to the left at its end, as many people write it."""
    last = strokes[-1]
    if len(last) < 2:
        return None
    (_, y), (w, h) = _box(strokes)
    end = last[-1]
    if end[1] < y + 0.8 * h:
        return None  # the stroke does not end at the bottom: not the tail
    # Heading of the last part of the tail, then turned steadily to the
    # writer's left-hand side (clockwise on a y-down screen is +angle).
    back = last[max(0, len(last) - 4)]
    heading = np.arctan2(*(end - back)[::-1])
    sweep = np.radians(rng.uniform(90.0, 180.0))
    length = h * rng.uniform(0.2, 0.35)
    steps = 8
    angles = heading + sweep * (np.arange(1, steps + 1) / steps)
    moves = (length / steps) * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    curl = end + np.cumsum(moves, axis=0)
    return [*strokes[:-1], np.concatenate([last, curl])]


#: Style variants by name: (digit, function of (strokes, rng) giving the
#: varied strokes, or None where the variant does not apply to this digit).
STYLES: dict[str, tuple[int, Callable]] = {
    "slashed_zero": (0, slashed_zero),
    "flagged_one": (1, flagged_one),
    "footed_one": (1, footed_one),
    "closed_four": (4, closed_four),
    "barred_seven": (7, barred_seven),
    "curled_nine": (9, curled_nine),
}


def style_variant(
    strokes: list[np.ndarray],
    label: int,
    styles: Iterable[str],
    rng: np.random.Generator,
) -> tuple[list[np.ndarray], str | None]:
    """Apply one of the chosen style variants that fits the digit, if any.

    Returns
    -------
    strokes : list of np.ndarray
        The varied strokes, or the same strokes when none applies.
    style : str or None
        The variant applied.
    """
    fitting = [name for name in styles if STYLES[name][0] == label]
    if not fitting:
        return strokes, None
    name = fitting[rng.integers(len(fitting))]
    varied = STYLES[name][1](strokes, rng)
    return (strokes, None) if varied is None else (varied, name)


# -- the hand and the canvas ---------------------------------------------------


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
        The variants used, names from :data:`STYLES`.
    """

    rotate: float = 15.0
    shear: float = 0.3
    aspect: float = 0.25
    wobble: float = 0.015
    sparse_probability: float = 0.3
    heights: tuple[float, float] = (0.1, 0.9)
    pens: tuple[float, float] = (8.0, 48.0)
    default_pen_probability: float = 0.5
    style_probability: float = 0.3
    styles: tuple[str, ...] = field(default=tuple(STYLES))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.styles) - set(STYLES))
        if unknown:
            raise ValueError(
                f"unknown style(s) {', '.join(unknown)}; known: {', '.join(STYLES)}"
            )

    def describe(self) -> dict:
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
    low, size = _box(strokes)
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


#: Distance between mouse positions, in screen pixels, and screen pixels per
#: paper pixel, as in :mod:`lenet_gui.drawing.drawn`.
MOUSE_STEPS = (2.0, 8.0)
SCREEN_SCALES = (0.6, 1.5)


def mouse_points(
    strokes: Sequence[np.ndarray], rng: np.random.Generator
) -> list[np.ndarray]:
    """Pass paper-coordinate strokes through a mouse's whole screen pixels.

    Each stroke is resampled every few screen pixels and rounded to whole
    pixels of a screen at a random scale, then mapped back to the paper.
    """
    scale = rng.uniform(*SCREEN_SCALES)
    step = rng.uniform(*MOUSE_STEPS)
    return [np.rint(resample(s * scale, step)) / scale for s in strokes]


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
        (*map(list, zip(*items[k : k + _CHUNK], strict=True)), seed, aug)
        for k in range(0, len(items), _CHUNK)
    ]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(tasks) <= 1:
        results = [_draw_chunk(*task) for task in tasks]
    else:
        # Fresh interpreters, not forks: a fork of a process whose torch threads
        # have run can hang.
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(_draw_chunk, *zip(*tasks, strict=True)))
    labels = np.array([label for _, label, _ in items], dtype=np.int64)
    indices = np.array([index for _, _, (_, index) in items], dtype=np.int64)
    if not results:
        return np.zeros((0, INPUT_SIZE, INPUT_SIZE), np.float32), labels, indices
    inputs = np.concatenate([chunk for chunk, _ in results])
    drawn = np.concatenate([mask for _, mask in results])
    return inputs[drawn], labels[drawn], indices[drawn]
