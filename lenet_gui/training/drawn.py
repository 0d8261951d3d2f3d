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

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.imaging.preprocess import INPUT_SIZE, preprocess, stroke_width
from lenet_gui.training.skeletons import (
    BOLD_WIDTH,
    digit_strokes,
    place_strokes,
    resample,
)

__all__ = ["draw_digit", "drawn_inputs"]

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
    scale = rng.uniform(*SCREEN_SCALES)
    step = rng.uniform(*MOUSE_STEPS)
    mouse = [np.rint(resample(s * scale, step)) / scale for s in placed]
    return preprocess(render(mouse, pen))


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
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(tasks) == 1:
        results = [_draw_chunk(*task) for task in tasks]
    else:
        # Fresh interpreters, not forks: a fork of a process whose torch threads
        # have run can hang.
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(_draw_chunk, *zip(*tasks, strict=True)))
    if not results:
        return np.zeros((0, INPUT_SIZE, INPUT_SIZE), np.float32), indices[:0]
    inputs = np.concatenate([chunk for chunk, _ in results])
    drawn = np.concatenate([mask for _, mask in results])
    return inputs[drawn], indices[drawn]
