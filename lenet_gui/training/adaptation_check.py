"""Check an adaptation before it is used: your digits, and everyone else's.

:func:`run_adaptation` adapts the weights (:func:`~lenet_gui.training.adaptation.adapt`)
and measures, before and after:

- the person's own digits, drawn as written on the canvas. Read by the
  adapted weights they would be flattered (it learnt them), so the "after"
  figure is cross-validated when asked: the digits are split into folds,
  each held back in turn while the others are learnt, and read by the
  weights that never saw them;
- the 2,000 bundled MNIST test digits. An adaptation that costs more than
  :data:`MNIST_COST_LIMIT` (half a point) on them is refused, with the
  numbers: it would read everyone else worse.

The command line and the window call :func:`run_adaptation` alike.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lenet_gui.explain.top_digits import load_digit_set
from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.network.model import LeNet5
from lenet_gui.training.adaptation import (
    SCHEDULES,
    AdaptationError,
    Schedule,
    Step,
    adapt,
    check_taught,
    coverage,
)
from lenet_gui.training.learning import evaluate, evaluate_inputs

__all__ = [
    "MNIST_COST_LIMIT",
    "AdaptationResult",
    "Score",
    "fold_of",
    "run_adaptation",
    "taught_inputs",
]

#: Largest drop of accuracy on the bundled MNIST test digits accepted: 0.5 points.
MNIST_COST_LIMIT = 0.005


@dataclass(frozen=True)
class Score:
    """Digits read correctly out of a number read."""

    correct: int
    n: int

    @property
    def accuracy(self) -> float:
        """Fraction read correctly (0 when nothing was read)."""
        return self.correct / self.n if self.n else 0.0

    def describe(self) -> str:
        """Return e.g. ``"95.0 % (19/20)"``."""
        return f"{self.accuracy:.1%} ({self.correct}/{self.n})"

    def record(self) -> dict[str, Any]:
        """Return the score as plain JSON values."""
        return {
            "accuracy": round(self.accuracy, 5),
            "correct": self.correct,
            "n": self.n,
        }


@dataclass
class AdaptationResult:
    """An adaptation and what it changed.

    Attributes
    ----------
    model : LeNet5
        The adapted weights (not yet saved or used).
    taught_before : Score
        The base weights on the taught digits, drawn as written.
    taught_after : Score or None
        The adapted weights on the same digits, each read by weights
        adapted without it (None when not cross-validated).
    mnist_before, mnist_after : Score
        On the 2,000 bundled MNIST test digits.
    folds : int
        Folds of the cross-validation (0: none).
    note : str or None
        Which digits had no example and were not taught.
    seconds : float
        Time of the whole run.
    """

    model: LeNet5
    taught_before: Score
    taught_after: Score | None
    mnist_before: Score
    mnist_after: Score
    folds: int
    note: str | None
    seconds: float
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def mnist_cost(self) -> float:
        """Accuracy lost on the MNIST test digits, in points (negative: gained)."""
        return 100.0 * (self.mnist_before.accuracy - self.mnist_after.accuracy)

    @property
    def refused(self) -> bool:
        """Whether the adaptation costs too much on the MNIST test digits."""
        return self.mnist_cost > 100.0 * MNIST_COST_LIMIT + 1e-9

    def refusal(self) -> str:
        """Return the reason it is refused, in one line with the numbers."""
        return (
            f"the adapted weights read {self.mnist_after.describe()} of the bundled "
            f"MNIST test digits, {self.mnist_cost:.2f} points below "
            f"{self.mnist_before.describe()}; at most "
            f"{100 * MNIST_COST_LIMIT:.1f} points may be lost"
        )

    def lines(self) -> list[str]:
        """Return the before/after figures, one line each, for a person to read."""
        lines = [f"your digits, base weights: {self.taught_before.describe()}"]
        if self.taught_after is not None:
            lines.append(
                f"your digits, adapted, each held back in turn ({self.folds} folds): "
                f"{self.taught_after.describe()}"
            )
        sign = "-" if self.mnist_cost >= 0 else "+"
        lines.append(
            f"MNIST test digits (bundled {self.mnist_before.n:,}): "
            f"{self.mnist_before.describe()} -> {self.mnist_after.describe()} "
            f"({sign}{abs(self.mnist_cost):.2f} points)"
        )
        return lines

    def record(self) -> dict[str, Any]:
        """Return everything measured, as plain JSON values."""
        return {
            "taught_before": self.taught_before.record(),
            "taught_after_cross_validated": (
                None if self.taught_after is None else self.taught_after.record()
            ),
            "folds": self.folds,
            "mnist_before": self.mnist_before.record(),
            "mnist_after": self.mnist_after.record(),
            "mnist_cost_points": round(self.mnist_cost, 3),
            "refused": self.refused,
            "note": self.note,
            "seconds": round(self.seconds, 2),
            **self.settings,
        }


def taught_inputs(digits: Sequence[PenDigit]) -> tuple[np.ndarray, np.ndarray]:
    """Draw the taught digits once as written; return inputs and labels.

    Uses the same placement as the validation of held-out writers (45-80 %
    of the canvas, the default pen, a fixed seed). Digits with too little
    ink to hold a digit are left out.
    """
    from lenet_gui.training.pen_digits import as_written, pen_inputs
    from lenet_gui.training.pen_training import VALIDATION_SEED

    inputs, labels, _ = pen_inputs(digits, VALIDATION_SEED, 1, as_written(), 1)
    return inputs, labels


def fold_of(digits: Sequence[PenDigit], folds: int) -> np.ndarray:
    """Assign each digit to a fold, spreading every label's examples evenly.

    The k-th example of a label goes to fold ``k % folds``, so with two
    examples of each digit and two folds each fold holds one of each.
    """
    seen: dict[int, int] = defaultdict(int)
    assigned = np.zeros(len(digits), dtype=np.int64)
    for i, digit in enumerate(digits):
        assigned[i] = seen[digit.label] % folds
        seen[digit.label] += 1
    return assigned


def _score(model: LeNet5, inputs: np.ndarray, labels: np.ndarray) -> Score:
    if not len(labels):
        return Score(0, 0)
    result = evaluate_inputs(model, inputs, labels)
    return Score(result.n - result.errors, result.n)


def run_adaptation(
    base: LeNet5,
    digits: Sequence[PenDigit],
    schedule: Schedule = SCHEDULES["quick"],
    seed: int = 0,
    *,
    folds: int = 0,
    separate_process: bool = False,
    on_step: Callable[[Step, LeNet5], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    say: Callable[[str], None] | None = None,
) -> AdaptationResult:
    """Adapt `base` to the digits and measure before and after.

    Parameters
    ----------
    folds : int
        0: no cross-validation; 2 or more: the taught digits are read, fold
        by fold, by weights adapted without that fold (`folds` more
        adaptations, each on the other folds).
    separate_process : bool
        Draw the digits' variants in a fresh process (for a window).
    on_step, cancelled
        As for :func:`~lenet_gui.training.adaptation.adapt`, for the
        adaptation that is kept.
    say : callable, optional
        Told what is being done, one line at a time.

    Raises
    ------
    AdaptationError
        The digits cannot be learnt from (see
        :func:`~lenet_gui.training.adaptation.check_taught`).
    AdaptationCancelled
        Cancelled.
    """
    started = time.perf_counter()
    check_taught(digits)
    tell = say or (lambda _line: None)
    cover = coverage(digits)
    inputs, labels = taught_inputs(digits)
    if not len(labels):
        raise AdaptationError("none of the digits holds enough ink to be read")
    mnist = load_digit_set()
    mnist_images, mnist_labels = np.asarray(mnist.images), np.asarray(mnist.labels)
    before = evaluate(base, mnist_images, mnist_labels)
    tell("adapting the weights to your digits...")
    model = adapt(
        base,
        digits,
        schedule,
        seed,
        separate_process=separate_process,
        on_step=on_step,
        cancelled=cancelled,
    )
    after = evaluate(model, mnist_images, mnist_labels)
    taught_after = None
    if folds >= 2:
        taught_after = _cross_validate(
            base, digits, schedule, seed, folds, tell, cancelled, separate_process
        )
    return AdaptationResult(
        model=model,
        taught_before=_score(base, inputs, labels),
        taught_after=taught_after,
        mnist_before=Score(before.n - before.errors, before.n),
        mnist_after=Score(after.n - after.errors, after.n),
        folds=folds if taught_after is not None else 0,
        note=cover.describe(),
        seconds=time.perf_counter() - started,
        settings={"taught_digits": len(digits), "per_digit": list(cover.counts)},
    )


def _cross_validate(
    base: LeNet5,
    digits: Sequence[PenDigit],
    schedule: Schedule,
    seed: int,
    folds: int,
    tell: Callable[[str], None],
    cancelled: Callable[[], bool] | None = None,
    separate_process: bool = False,
) -> Score:
    """Read each fold of the taught digits with weights adapted on the others."""
    assigned = fold_of(digits, folds)
    correct = n = 0
    for fold in range(folds):
        held = [d for d, f in zip(digits, assigned, strict=True) if f == fold]
        learnt = [d for d, f in zip(digits, assigned, strict=True) if f != fold]
        if not held or not learnt:
            continue
        tell(f"checking on held-back digits: fold {fold + 1} of {folds}...")
        model = adapt(
            base,
            learnt,
            schedule,
            seed + 1 + fold,
            separate_process=separate_process,
            cancelled=cancelled,
        )
        score = _score(model, *taught_inputs(held))
        correct += score.correct
        n += score.n
    return Score(correct, n)
