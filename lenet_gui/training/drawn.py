"""Training digits drawn again as the app draws them: even round strokes on paper.

MNIST digits were written with pens on paper and scanned: strokes swell and
thin, ends are blunt. A digit drawn in the app is a few mouse trajectories
painted with one round pen on the 448 px paper, then preprocessed. To train
on what the app will show the network, each training digit is thinned to its
skeleton, traced into strokes (:mod:`lenet_gui.training.skeletons`), placed at a
random size and position on the paper, passed through a mouse's whole-pixel
positions, inked on a :class:`~lenet_gui.drawing.paper.Paper` as the canvas
inks a mouse's strokes, with the default or a random pen width, and
preprocessed exactly as a drawing is
(:func:`~lenet_gui.imaging.preprocess.preprocess`).

Bold digits are left out: thinning turns their filled loops and merged
strokes into shapes that no longer show the digit (a bold 3 can become a
hook), and training on those would teach the network to read hooks as 3s.

Uses numpy and QtGui (through the paper; no widget and no application
object), so it runs in worker processes; no torch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.imaging.preprocess import INPUT_SIZE, preprocess, stroke_width
from lenet_gui.training.skeletons import (
    BOLD_WIDTH,
    digit_strokes,
    place_strokes,
    resample,
)
from lenet_gui.training.worker_pool import draw_chunks

__all__ = ["draw_digit", "drawn_inputs", "mouse_points"]

PAPER = PAPER_SIZE
#: Height of a drawn digit's strokes, as a fraction of the paper's side.
HEIGHTS = (0.1, 0.9)
#: Range of the random pen width, in paper pixels; half the digits are drawn
#: with the canvas's default pen instead.
PENS = (8.0, 48.0)
#: Distance between mouse positions, in screen pixels, and screen pixels per
#: paper pixel: a mouse reports whole screen pixels, so strokes are polylines
#: through a grid of this pitch.
MOUSE_STEPS = (2.0, 8.0)
SCREEN_SCALES = (0.6, 1.5)
# Digits a worker process draws per task.
_CHUNK = 2000


def draw_digit(image: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """Draw an MNIST digit as a person would on the canvas; return the network input.

    Parameters
    ----------
    image : np.ndarray
        (28, 28) uint8 MNIST digit.
    rng : numpy.random.Generator
        Source of the size, position, pen and mouse grid.

    Returns
    -------
    np.ndarray or None
        (32, 32) float32 network input, as the app would compute it from the
        drawing; None for a digit whose skeleton holds no stroke.
    """
    strokes = digit_strokes(image)
    if not strokes:
        return None
    height = rng.uniform(*HEIGHTS) * PAPER
    if rng.random() < 0.5:
        pen = DEFAULT_PEN_WIDTH
    else:
        pen = rng.uniform(*PENS)
    placed = place_strokes(strokes, height, PAPER, PENS[1] / 2.0, rng)
    return preprocess(render(mouse_points(placed, rng), pen))


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


def _draw_chunk(
    images: np.ndarray, indices: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Draw the digits of one task; return their inputs and which were drawn."""
    inputs = np.zeros((len(images), INPUT_SIZE, INPUT_SIZE), dtype=np.float32)
    drawn = np.zeros(len(images), dtype=bool)
    for k, (image, index) in enumerate(zip(images, indices, strict=True)):
        if stroke_width(image / 255.0) > BOLD_WIDTH:
            continue
        network_input = draw_digit(image, np.random.default_rng((seed, int(index))))
        if network_input is not None:
            inputs[k] = network_input
            drawn[k] = True
    return inputs, drawn


def drawn_inputs(
    images: np.ndarray, seed: int, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Draw every digit that keeps its shape as a skeleton, as :func:`draw_digit`.

    Each digit's randomness comes from (`seed`, its index), so the result is
    the same whatever the number of workers.

    Parameters
    ----------
    images : np.ndarray
        (N, 28, 28) uint8 MNIST digits.
    seed : int
        Seed of the sizes, positions, pens and mouse grids.
    workers : int, optional
        Processes to draw in (default: one per CPU); 1 draws in this process.

    Returns
    -------
    inputs : np.ndarray
        (M, 32, 32) float32 network inputs of the drawn digits.
    indices : np.ndarray
        (M,) indices into `images` of the digits drawn, ascending; bold digits
        and digits without a stroke are left out.
    """
    images = np.asarray(images)
    indices = np.arange(len(images))
    starts = range(0, len(images), _CHUNK)
    tasks = [(images[i : i + _CHUNK], indices[i : i + _CHUNK], seed) for i in starts]
    inputs, drawn = draw_chunks(_draw_chunk, tasks, workers)
    return inputs[drawn], indices[drawn]
