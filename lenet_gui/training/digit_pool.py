"""Every digit a training pass may hold, in one tensor: MNIST, drawn, pen.

The training command (:mod:`lenet_gui.training.train_cli`) draws a share of
MNIST's digits again as the canvas draws them (:func:`draw_mnist`) and puts
them, MNIST's own and any pen digits in one tensor (:func:`pool_of`); each
pass picks its digits from it by index
(:func:`~lenet_gui.training.learning.with_drawn_indices`).
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import Tensor

from lenet_gui.training.drawing_cache import DrawingCache, cached_drawn_inputs
from lenet_gui.training.learning import ink_from_inputs, ink_tensor

__all__ = ["draw_mnist", "pool_of"]


def draw_mnist(
    images: np.ndarray,
    labels: np.ndarray,
    fraction: float,
    seed: int,
    workers: int | None,
    cache: bool = True,
) -> tuple[np.ndarray, Tensor, float]:
    """Draw the training digits as the app would; return inputs, labels, seconds.

    Only as many as a pass uses are drawn (`fraction` of the digits, picked at
    random with `seed`; all when `fraction` >= 1): drawing costs about 3.6 ms a
    digit and one process a core, the largest fixed cost of a run, while the
    image distortions already make each pass's copy of a digit different.
    The inputs are (N, 32, 32) network inputs, the labels (N,) int64.
    """
    if fraction <= 0:
        return np.zeros((0, 32, 32), np.float32), torch.zeros(0, dtype=torch.long), 0.0
    wanted = min(len(images), round(fraction * len(images)))
    # About 8 % of MNIST's digits are bold and left out: draw a few more.
    picked = np.random.default_rng(seed).permutation(len(images))
    picked = np.sort(picked[: min(len(images), round(wanted * 1.1))])
    started = time.perf_counter()
    print(f"drawing {len(picked)} training digits with the canvas's pen...")
    inputs, indices, cached = cached_drawn_inputs(
        images[picked], seed, workers, DrawingCache.for_command(cache)
    )
    inputs, indices = inputs[:wanted], picked[indices[:wanted]]
    seconds = time.perf_counter() - started
    how = "read them from the cache" if cached else "drew them"
    print(f"{how}: {len(indices)} (bold ones left out) in {seconds:.1f} s")
    drawn_labels = torch.from_numpy(labels[indices]).long()
    return inputs, drawn_labels, seconds


def pool_of(
    images: np.ndarray,
    labels: Tensor,
    drawn: tuple[np.ndarray, Tensor],
    pen: tuple[Tensor, Tensor] | None,
) -> tuple[Tensor, Tensor]:
    """Return the ink and labels of every digit, in one tensor each.

    Parameters
    ----------
    images, labels : np.ndarray, Tensor
        MNIST's (N, 28, 28) uint8 training digits and their labels.
    drawn : (np.ndarray, Tensor)
        The digits drawn again (:func:`draw_mnist`): network inputs, labels.
    pen : (Tensor, Tensor) or None
        Pen digits as ink, and their labels.

    Returns
    -------
    ink, labels : Tensor
        (M, 1, 32, 32) ink in [0, 1], MNIST's first, then the drawn ones,
        then the pen digits; (M,) labels. Each part is written straight into
        its place, not made on its own and copied (the README's command
        holds 96,000 digits, 400 MB).
    """
    drawn_inputs, drawn_labels = drawn
    mnist_end = len(labels)
    drawn_end = mnist_end + len(drawn_labels)
    pen_count = 0 if pen is None else len(pen[1])
    ink = torch.empty(drawn_end + pen_count, 1, 32, 32)
    ink_tensor(images, out=ink[:mnist_end])
    ink_from_inputs(drawn_inputs, out=ink[mnist_end:drawn_end])
    parts = [labels, drawn_labels]
    if pen is not None:
        ink[drawn_end:] = pen[0]
        parts.append(pen[1])
    return ink, torch.cat(parts)
