"""The real-handwriting study's readings: each condition's digits, drawn and read.

Every held-out digit is drawn as written (no augmentation) under each
condition (:func:`conditions`: headline, small, random pen, and one row per
style variant added where it fits), through the app's renderer and
preprocessing, and read offline by the network (:func:`measure`); the
readings of several fold models pool condition by condition
(:func:`pooled`); :func:`redraw` draws one digit again exactly as it was
read, for the contact sheets and the real window.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.training.drawn import mouse_points
from lenet_gui.training.pen_digits import as_written, pen_drawing, pen_inputs
from lenet_gui.training.pen_styles import STYLES
from lenet_gui.training.pen_training import logits_of

HEADLINE = (0.45, 0.8)
SMALL = (0.1, 0.25)


@dataclass
class Readings:
    """Digits of one condition and what the network made of them."""

    name: str
    labels: np.ndarray
    logits: np.ndarray
    writers: np.ndarray
    indices: np.ndarray
    digits: list[PenDigit] = field(repr=False)

    @property
    def predictions(self) -> np.ndarray:
        """The digit read for each drawing."""
        return self.logits.argmax(axis=1)

    @property
    def n(self) -> int:
        """Number of drawings."""
        return len(self.labels)

    def correct(self) -> np.ndarray:
        """Whether each drawing was read right."""
        return self.predictions == self.labels

    def joined(self, other: Readings) -> Readings:
        """Both sets of readings, as one (e.g. out-of-fold readings pooled)."""
        offset = len(self.digits)
        return Readings(
            self.name,
            np.concatenate([self.labels, other.labels]),
            np.concatenate([self.logits, other.logits]),
            np.concatenate([self.writers, other.writers]),
            np.concatenate([self.indices, other.indices + offset]),
            self.digits + other.digits,
        )


def styled(digits: list[PenDigit], name: str, seed: int) -> list[PenDigit]:
    """Return the digits of the style's class with the style added where it fits."""
    label, vary = STYLES[name]
    out = []
    for k, digit in enumerate(digits):
        if digit.label != label:
            continue
        varied = vary(list(digit.strokes), np.random.default_rng((seed, 7, k)))
        if varied is not None:
            out.append(PenDigit(digit.label, digit.writer, tuple(varied)))
    return out


def conditions(digits: list[PenDigit], seed: int) -> list[tuple[str, list, object]]:
    """(name, digits, drawing settings) of every condition measured."""
    rows = [
        ("headline 45-80%, default pen", digits, as_written(HEADLINE)),
        ("small 10-25%, default pen", digits, as_written(SMALL)),
        ("random pen 8-48 px, 45-80%", digits, as_written(HEADLINE, pen=None)),
    ]
    for name in STYLES:
        rows.append((f"styled: {name}", styled(digits, name, seed), as_written()))
    return rows


def measure(
    model: torch.nn.Module, digits: list[PenDigit], seed: int, workers: int
) -> list[Readings]:
    """Draw and read every condition's digits offline."""
    out = []
    for name, chosen, aug in conditions(digits, seed):
        if not chosen:
            continue
        inputs, labels, indices = pen_inputs(chosen, seed, 1, aug, workers)
        writers = np.array([chosen[i].writer for i in indices])
        out.append(
            Readings(name, labels, logits_of(model, inputs), writers, indices, chosen)
        )
    return out


def pooled(rows: list[Readings], more: list[Readings]) -> list[Readings]:
    """Join two models' readings condition by condition (out-of-fold pooling).

    A condition one of them lacks (no digit of its writers takes a style)
    keeps the other's readings; the order of `rows` comes first.
    """
    by_name = {r.name: r for r in rows}
    for r in more:
        by_name[r.name] = by_name[r.name].joined(r) if r.name in by_name else r
    return list(by_name.values())


def redraw(
    digit: PenDigit, index: int, seed: int, aug: object
) -> tuple[list[np.ndarray], float, np.ndarray]:
    """Draw a digit again exactly as :func:`pen_inputs` drew it (copy 0).

    Returns the strokes placed on the paper (before the mouse grid), the pen
    and the paper's raster.
    """
    rng = np.random.default_rng((seed, 0, index))
    placed, pen = pen_drawing(digit.strokes, digit.label, rng, aug)
    return placed, pen, render(mouse_points(placed, rng), pen)
