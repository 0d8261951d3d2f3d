"""A unit's sum in words and numbers, as the step-through view writes it."""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

import numpy as np

__all__ = ["WindowNumbers", "grid_text", "landing_text", "sum_lines"]

MINUS = "\N{MINUS SIGN}"
SIGMA = "\N{GREEK CAPITAL LETTER SIGMA}"
DOT = "\N{MIDDLE DOT}"
TIMES = "\N{MULTIPLICATION SIGN}"
ARROW = "\N{RIGHTWARDS ARROW}"


class WindowNumbers(Protocol):
    """The numbers of one unit's window, as the view reads them (numpy only)."""

    @property
    def layer(self) -> str: ...  # noqa: D102
    @property
    def index(self) -> int: ...  # noqa: D102
    @property
    def row(self) -> int: ...  # noqa: D102
    @property
    def col(self) -> int: ...  # noqa: D102
    @property
    def below(self) -> str: ...  # noqa: D102
    @property
    def maps(self) -> tuple[int, ...]: ...  # noqa: D102
    @property
    def sources(self) -> np.ndarray: ...  # noqa: D102
    @property
    def top(self) -> int: ...  # noqa: D102
    @property
    def left(self) -> int: ...  # noqa: D102
    @property
    def size(self) -> int: ...  # noqa: D102
    @property
    def inputs(self) -> np.ndarray: ...  # noqa: D102
    @property
    def weights(self) -> np.ndarray: ...  # noqa: D102
    @property
    def products(self) -> np.ndarray: ...  # noqa: D102
    @property
    def map_sums(self) -> np.ndarray: ...  # noqa: D102
    @property
    def bias(self) -> float: ...  # noqa: D102
    @property
    def coefficient(self) -> float | None: ...  # noqa: D102
    @property
    def total(self) -> float: ...  # noqa: D102
    @property
    def output(self) -> np.ndarray: ...  # noqa: D102
    @property
    def landing(self) -> tuple[int, int]: ...  # noqa: D102
    @property
    def value(self) -> float: ...  # noqa: D102
    @property
    def amplitude(self) -> float: ...  # noqa: D102
    @property
    def slope(self) -> float: ...  # noqa: D102
    @property
    def squashed(self) -> float: ...  # noqa: D102


def grid_text(value: float, decimals: int = 2, plus: bool = True) -> str:
    """Return a number as the view shows it: few decimals and a true minus sign.

    Positive numbers carry a plus sign unless `plus` is false (in the grids,
    where colour tells the sign too); numbers that round to zero carry none.

    >>> grid_text(-0.314159), grid_text(0.004), grid_text(1.5), grid_text(1.5, 1, False)
    ('−0.31', '0.00', '+1.50', '1.5')
    """
    value = float(value)
    if round(value, decimals) == 0:
        return f"{0:.{decimals}f}"
    text = f"{value:+.{decimals}f}" if plus else f"{value:.{decimals}f}"
    return text.replace("-", MINUS)


def landing_text(step: WindowNumbers) -> str:
    """Return where the unit lies and its value, e.g. ``"C3 map 0 (2, 5) = +1.33"``."""
    if step.sources.shape[-1] > step.size:
        where = f"{step.layer} map {step.index} ({step.row}, {step.col})"
    else:
        where = f"{step.layer} unit {step.index}"
    return f"{where} = {grid_text(step.value)}"


def _fraction(slope: float) -> str:
    fraction = Fraction(slope).limit_denominator(12)
    if abs(float(fraction) - slope) > 1e-9:
        return f"{slope:.4g}"
    return str(fraction)


def sum_lines(step: WindowNumbers, switched_off: bool = False) -> list[str]:
    """Return the unit's sum, line by line: products, bias, squashing, value.

    Parameters
    ----------
    step : WindowNumbers
        The unit's numbers.
    switched_off : bool
        Whether its map is switched off (its value is then 0, whatever the sum).
    """
    sums = step.map_sums
    if step.coefficient is not None:
        block = float(step.inputs.sum())
        first = (
            f"{SIGMA} x = {grid_text(block)} (the {step.size}{TIMES}{step.size} "
            f"block of {step.below} map {step.maps[0]}) {TIMES} coefficient "
            f"{grid_text(step.coefficient)} = {grid_text(float(sums.sum()))}"
        )
    elif len(sums) == 1:
        first = (
            f"{SIGMA} x{DOT}w of the {step.size * step.size} products = "
            f"{grid_text(float(sums[0]))}"
        )
    elif len(sums) <= 6:
        # "+0.25 (map 0) − 0.94 (map 5)": each term after the first with its sign.
        terms = f"{grid_text(sums[0])} (map {step.maps[0]})"
        for value, m in zip(sums[1:], step.maps[1:], strict=True):
            sign = MINUS if grid_text(value)[0] == MINUS else "+"
            digits = grid_text(abs(float(value)), plus=False)
            terms += f" {sign} {digits} (map {m})"
        first = (
            f"{SIGMA} x{DOT}w over {step.below} maps = {terms} = "
            f"{grid_text(float(sums.sum()))}"
        )
    else:
        first = (
            f"{SIGMA} x{DOT}w over all {len(sums)} {step.below} maps "
            f"({sums.size * step.size * step.size} products) = "
            f"{grid_text(float(sums.sum()))}"
        )
    second = (
        f"+ bias b {grid_text(step.bias)}  {ARROW}  a = {grid_text(step.total)} "
        f"(the sum before squashing)"
    )
    squash = (
        f"f(a) = {step.amplitude:g}{DOT}tanh({_fraction(step.slope)}{DOT}a) = "
        f"{grid_text(step.squashed)}"
    )
    if switched_off:
        third = f"{squash}, but this map is switched off: it gives 0.00"
    else:
        third = f"{squash}  {ARROW}  {landing_text(step)}"
    return [first, second, third]
