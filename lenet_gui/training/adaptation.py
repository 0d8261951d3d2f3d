"""Adapt LeNet-5 to one person's handwriting from a few of their digits.

A person who writes a 1 with a long flag or slashes their 0s sees the same
misreading every time. Given a few of their digits as pen strokes (a stroke
file, or the window's "My digits"), :func:`adapt` fine-tunes a copy of the
weights for a few passes:

- every pass draws new variants of each taught digit, changed the way a
  hand varies (rotation, slant, stretch, wobble, point spacing, size,
  position and pen: :class:`~lenet_gui.training.pen_digits.PenAugmentation`),
  and draws them on a paper with the canvas's pen, as the window would;
- mixed with 3,000 replayed MNIST training digits
  (``resources/mnist-train-replay.npz``), as they are, so the network keeps
  reading everyone else's digits. (The image distortions of training would
  add nothing the pen variants lack, and cost more than the network does.)

The command line (:mod:`lenet_gui.training.adapt_cli`) and the window run
this same function. No Qt beyond the drawing of the digits (QtGui, through
the paper); a caller may cancel between batches.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_context
from typing import Any

import numpy as np
import torch

from lenet_gui.explain.top_digits import DigitSet, load_digit_set
from lenet_gui.files.bundled import bundled_file
from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.network.model import LeNet5
from lenet_gui.training.learning import (
    ink_from_inputs,
    ink_tensor,
    make_optimizer,
    train_epoch,
)

__all__ = [
    "MAX_POINTS_PER_DIGIT",
    "MAX_STROKES_PER_DIGIT",
    "MAX_TAUGHT_DIGITS",
    "REPLAY_SET",
    "SCHEDULES",
    "AdaptationCancelled",
    "AdaptationError",
    "Coverage",
    "Schedule",
    "Step",
    "adapt",
    "check_taught",
    "coverage",
    "replay_digits",
    "settings_record",
]

#: MNIST training digits replayed in every pass (never test digits).
REPLAY_SET = bundled_file("resources/mnist-train-replay.npz")

#: Most digits one adaptation learns from: a person's own handful, not a data set.
MAX_TAUGHT_DIGITS = 2000
#: Most pen-down strokes in one taught digit.
MAX_STROKES_PER_DIGIT = 50
#: Most points in one taught digit (a slow hand on a fast mouse gives about 1,000).
MAX_POINTS_PER_DIGIT = 20_000


class AdaptationError(ValueError):
    """The digits cannot be learnt from; the message says why, in one line."""


class AdaptationCancelled(Exception):
    """The person cancelled the adaptation; nothing was changed."""


@dataclass(frozen=True)
class Schedule:
    """How long and how hard an adaptation learns.

    Attributes
    ----------
    name : str
        What the person picks: "quick" or "thorough".
    passes : int
        Passes over the taught digits' variants and the replayed digits.
    copies : int
        New variants of each taught digit drawn for every pass.
    lr : float
        Peak learning rate of the one-cycle schedule.
    """

    name: str
    passes: int
    copies: int
    lr: float

    def describe(self) -> str:
        """Return the schedule in words, for menus and help."""
        return (
            f"{self.name}: {self.passes} passes, {self.copies} new variants of each "
            f"of your digits a pass, learning rate up to {self.lr:g}"
        )


#: The schedules a person can choose from; "quick" is the default.
SCHEDULES = {
    "quick": Schedule("quick", passes=3, copies=12, lr=1e-3),
    "thorough": Schedule("thorough", passes=6, copies=12, lr=7e-4),
}


@dataclass(frozen=True)
class Step:
    """Progress after one batch, for a live curve.

    Attributes
    ----------
    batch, batches : int
        Batches done, and in all.
    loss, accuracy : float
        Running mean loss and accuracy of the current pass.
    """

    batch: int
    batches: int
    loss: float
    accuracy: float


@dataclass(frozen=True)
class Coverage:
    """Which digits the taught examples cover.

    Attributes
    ----------
    counts : tuple of int
        Examples of each digit 0-9.
    """

    counts: tuple[int, ...]

    @property
    def present(self) -> list[int]:
        """Digits with at least one example."""
        return [d for d, n in enumerate(self.counts) if n > 0]

    @property
    def missing(self) -> list[int]:
        """Digits with no example."""
        return [d for d, n in enumerate(self.counts) if n == 0]

    def describe(self) -> str | None:
        """Say which digits are missing and what is adapted; None if all are there."""
        missing = self.missing
        if not missing:
            return None
        names = ", ".join(map(str, missing))
        more = len(missing)
        return (
            f"no examples of {names}: {more} more (one of each) would teach every "
            f"digit; adapting only {', '.join(map(str, self.present))}"
        )


def coverage(digits: Sequence[PenDigit]) -> Coverage:
    """Count the taught examples of each digit."""
    counts = Counter(d.label for d in digits)
    return Coverage(tuple(counts.get(d, 0) for d in range(10)))


def check_taught(digits: Sequence[PenDigit]) -> None:
    """Refuse digits no adaptation should learn from, in one line.

    Raises
    ------
    AdaptationError
        No digits, more than :data:`MAX_TAUGHT_DIGITS`, or a digit with more
        strokes or points than a hand writes.
    """
    if not digits:
        raise AdaptationError("no digits to learn from")
    if len(digits) > MAX_TAUGHT_DIGITS:
        raise AdaptationError(
            f"{len(digits):,} digits: an adaptation learns from at most "
            f"{MAX_TAUGHT_DIGITS:,} of your own"
        )
    for k, digit in enumerate(digits):
        if len(digit.strokes) > MAX_STROKES_PER_DIGIT:
            raise AdaptationError(
                f"digit {k} (a {digit.label}) has {len(digit.strokes)} strokes; "
                f"at most {MAX_STROKES_PER_DIGIT}"
            )
        points = sum(len(s) for s in digit.strokes)
        if points > MAX_POINTS_PER_DIGIT:
            raise AdaptationError(
                f"digit {k} (a {digit.label}) has {points:,} points; "
                f"at most {MAX_POINTS_PER_DIGIT:,}"
            )


@lru_cache(maxsize=1)
def replay_digits() -> DigitSet:
    """Return the replayed MNIST training digits (read once, then shared).

    Raises
    ------
    DigitSetError
        The bundled file is missing or damaged.
    """
    return load_digit_set(REPLAY_SET)


def _draw_variants(
    digits: Sequence[PenDigit],
    seed: int,
    schedule: Schedule,
    workers: int,
    separate_process: bool = False,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Draw every pass's new variants of the taught digits, as ink and labels.

    With `separate_process`, in one fresh process (spawned, not forked),
    so that a window's thread does not wait for this one's interpreter lock.
    """
    # QtGui is needed only here, through the paper.
    from lenet_gui.training.pen_digits import PenAugmentation, pen_inputs

    aug = PenAugmentation()
    calls = [
        (list(digits), seed, schedule.copies, aug, workers, number * schedule.copies)
        for number in range(schedule.passes)
    ]
    if separate_process:
        context = get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            drawn = list(pool.map(pen_inputs, *zip(*calls, strict=True)))
    else:
        drawn = [pen_inputs(*call) for call in calls]
    passes = []
    for inputs, labels, _ in drawn:
        passes.append((ink_from_inputs(inputs), torch.from_numpy(labels).long()))
    if not any(len(labels) for _, labels in passes):
        raise AdaptationError("none of the digits holds enough ink to be drawn")
    return passes


def adapt(
    base: LeNet5,
    digits: Sequence[PenDigit],
    schedule: Schedule = SCHEDULES["quick"],
    seed: int = 0,
    *,
    workers: int = 1,
    separate_process: bool = False,
    batch_size: int = 64,
    on_step: Callable[[Step, LeNet5], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LeNet5:
    """Fine-tune a copy of `base` on the taught digits; `base` is not changed.

    Parameters
    ----------
    base : LeNet5
        The weights to start from.
    digits : sequence of PenDigit
        The person's digits (checked by :func:`check_taught`). Digits with
        no example are not taught, only replayed from MNIST.
    schedule : Schedule
        Passes, variants and learning rate (:data:`SCHEDULES`).
    seed : int
        Seeds the variants, the order and the distortions: the same digits
        and seed give the same weights.
    workers : int
        Processes that draw the variants (1: this process).
    separate_process : bool
        Draw them in a fresh process (for a window: see :func:`_draw_variants`).
    batch_size : int
    on_step : callable, optional
        Called after each batch with the progress and the model being
        trained (read it, do not change it).
    cancelled : callable, optional
        Asked after each batch; True stops with :class:`AdaptationCancelled`.

    Returns
    -------
    LeNet5
        The adapted copy, in evaluation mode.

    Raises
    ------
    AdaptationError
        The digits cannot be learnt from.
    AdaptationCancelled
        `cancelled` returned True.
    """
    check_taught(digits)
    generator = torch.Generator().manual_seed(seed)
    variants = _draw_variants(digits, seed, schedule, workers, separate_process)
    replay = replay_digits()
    replay_ink = ink_tensor(np.array(replay.images))
    replay_labels = torch.from_numpy(np.array(replay.labels)).long()
    sizes = [len(replay_labels) + len(labels) for _, labels in variants]
    steps = [math.ceil(size / batch_size) for size in sizes]

    model = copy.deepcopy(base)
    # make_optimizer spreads the one-cycle schedule over passes x steps; the
    # passes differ by a batch at most, so give it the total.
    optimizer, scheduler = make_optimizer(model, 1, sum(steps), schedule.lr)
    done = 0
    total = sum(steps)

    def after_batch(loss: float, accuracy: float) -> None:
        nonlocal done
        done += 1
        if on_step is not None:
            on_step(Step(done, total, loss, accuracy), model)
        if cancelled is not None and cancelled():
            raise AdaptationCancelled

    for ink, labels in variants:
        train_epoch(
            model,
            torch.cat([replay_ink, ink]),
            torch.cat([replay_labels, labels]),
            optimizer,
            scheduler,
            generator,
            batch_size=batch_size,
            on_batch=after_batch,
        )
    model.eval()
    return model


def settings_record(schedule: Schedule, seed: int, batch_size: int) -> dict[str, Any]:
    """Return how an adaptation was made, for the weights' metadata."""
    from lenet_gui.training.pen_digits import PenAugmentation

    return {
        "schedule": schedule.name,
        "passes": schedule.passes,
        "copies_per_pass": schedule.copies,
        "peak_lr": schedule.lr,
        "optimizer": "Adam, one-cycle learning rate",
        "batch_size": batch_size,
        "seed": seed,
        "replayed_mnist_training_digits": len(replay_digits().labels),
        "augmentation": PenAugmentation().describe(),
    }
