"""The product's targets: one table for the report's target column and verdicts.

Every figure with a target names it by key in its report row
(:class:`benchmarks.harness.Row`); the row's "target" text, its PASS/FAIL and
the benchmark's exit status all come from here, so a bound is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TARGETS", "Target"]

_COMPARISONS = {
    "<": lambda value, bound: value < bound,
    "<=": lambda value, bound: value <= bound,
    ">=": lambda value, bound: value >= bound,
}


@dataclass(frozen=True)
class Target:
    """A bound a measured figure must keep.

    Parameters
    ----------
    key : str
        The name report rows use for it.
    label : str
        What is measured, for people.
    bound : float
        The limit, in `unit` (a fraction for ``"%"``).
    unit : str
        ``"ms"``, ``"s"``, ``"MB"``, ``"%"``, or ``""`` for a yes/no check.
    comparison : str
        ``"<"``, ``"<="``, ``">="``, or ``"match"``: the value must be true.
    statistic : str, optional
        The statistic compared, when not the figure itself (e.g. ``"p95"``).
    decimals : int, optional
        Decimals of the bound in the target text; the shortest form if None.
    """

    key: str
    label: str
    bound: float
    unit: str
    comparison: str
    statistic: str = ""
    decimals: int | None = None

    def __post_init__(self) -> None:
        if self.comparison != "match" and self.comparison not in _COMPARISONS:
            raise ValueError(f"{self.key}: unknown comparison {self.comparison!r}")

    def bound_text(self) -> str:
        """Return the bound with its unit, e.g. ``"1.0 s"`` or ``"99.2 %"``."""
        value = 100 * self.bound if self.unit == "%" else self.bound
        number = f"{value:g}" if self.decimals is None else f"{value:.{self.decimals}f}"
        return f"{number} {self.unit}".strip()

    def text(self) -> str:
        """Return the target as the report shows it, e.g. ``"p95 <= 6 ms"``."""
        if self.comparison == "match":
            return "must match"
        return " ".join(
            p for p in (self.statistic, self.comparison, self.bound_text()) if p
        )

    def met(self, value: float | bool) -> bool:
        """Return whether `value` (in the target's unit) keeps the bound."""
        if self.comparison == "match":
            return bool(value)
        return _COMPARISONS[self.comparison](value, self.bound)

    def verdict(self, value: float | bool) -> str:
        """Return ``"PASS"`` or ``"FAIL"`` for `value`."""
        return "PASS" if self.met(value) else "FAIL"


TARGETS: dict[str, Target] = {
    target.key: target
    for target in (
        Target(
            "live_p95_ms",
            "live update: mouse move to all views updated and painted",
            6.0,
            "ms",
            "<=",
            statistic="p95",
        ),
        Target(
            "gap_ms",
            "fast stroke: longest gap between processed mouse events",
            20.0,
            "ms",
            "<",
        ),
        Target(
            "final_match",
            "fast stroke: the result shown at the end is that of the final drawing",
            1,
            "",
            "match",
        ),
        Target(
            "painted_s",
            "start-up: process start to first painted window (median)",
            1.0,
            "s",
            "<=",
            decimals=1,
        ),
        Target(
            "ready_s",
            "start-up: process start to model loaded (median)",
            2.0,
            "s",
            "<=",
            decimals=1,
        ),
        Target("rss_mb", "resident memory of the app", 450.0, "MB", "<"),
        Target("growth_mb", "memory growth over 10,000 live updates", 20.0, "MB", "<"),
        Target("train_s", "training: time to the accuracy target", 300.0, "s", "<"),
        Target(
            "accuracy",
            "training: MNIST test accuracy",
            0.992,
            "%",
            ">=",
            decimals=1,
        ),
    )
}
