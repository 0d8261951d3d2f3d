"""Adapting the weights to a person's digits: a copy is trained, the original never.

The training loop runs for real on a short schedule (one pass, two variants
of each digit), so these checks take seconds; the full schedule runs in
``tests/test_adapt_cli.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lenet_gui.files.stroke_files import PenDigit
from lenet_gui.network.weights import load_model
from lenet_gui.training.adaptation import (
    AdaptationCancelled,
    AdaptationError,
    Schedule,
    Step,
    adapt,
    check_taught,
    coverage,
)
from lenet_gui.training.adaptation_check import (
    AdaptationResult,
    Score,
    fold_of,
    run_adaptation,
)

SHORT = Schedule("short", passes=1, copies=2, lr=1e-3)


def line(label: int, x: float = 0.0) -> PenDigit:
    """A digit written as one stroke: a vertical line (a 1) or a box."""
    if label == 1:
        stroke = np.array([[x + 10, 10], [x + 10, 90]], dtype=np.float64)
    else:
        stroke = np.array(
            [[10, 10], [60, 10], [60, 90], [10, 90], [10, 10]], dtype=np.float64
        )
    return PenDigit(label=label, writer="me", strokes=(stroke,))


def weights_of(model) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


def test_adapting_trains_a_copy_and_reports_every_batch(one_torch_thread):
    base, _ = load_model()
    before = weights_of(base)
    steps: list[Step] = []
    adapted = adapt(
        base,
        [line(1), line(0)],
        SHORT,
        on_step=lambda step, model: steps.append(step),
    )
    assert all(
        np.array_equal(a, b) for a, b in zip(before, weights_of(base), strict=True)
    )
    assert not all(
        np.array_equal(a, b) for a, b in zip(before, weights_of(adapted), strict=True)
    )
    assert steps and steps[-1].batch == steps[-1].batches == len(steps)
    assert all(np.isfinite(s.loss) and 0 <= s.accuracy <= 1 for s in steps)
    assert not adapted.training


def test_cancel_stops_at_once_and_leaves_the_weights(one_torch_thread):
    base, _ = load_model()
    before = weights_of(base)
    steps: list[Step] = []
    with pytest.raises(AdaptationCancelled):
        adapt(
            base,
            [line(1)],
            SHORT,
            on_step=lambda step, model: steps.append(step),
            cancelled=lambda: len(steps) >= 2,
        )
    assert len(steps) == 2
    assert all(
        np.array_equal(a, b) for a, b in zip(before, weights_of(base), strict=True)
    )


def test_missing_digits_are_named_with_how_many_more_are_needed():
    cover = coverage([line(1), line(1), line(0)])
    assert cover.counts == (1, 2, 0, 0, 0, 0, 0, 0, 0, 0)
    message = cover.describe()
    assert message is not None
    assert "2, 3, 4, 5, 6, 7, 8, 9" in message and "8 more" in message
    assert "adapting only 0, 1" in message
    assert coverage([line(d % 2) for d in range(2)]).missing == list(range(2, 10))


def test_no_digits_or_a_scribble_of_points_is_refused():
    with pytest.raises(AdaptationError, match="no digits"):
        check_taught([])
    many = PenDigit(1, "me", (np.zeros((30_000, 2)),))
    with pytest.raises(AdaptationError, match="points"):
        check_taught([many])


def test_folds_hold_back_one_of_each_digit_in_turn():
    digits = [line(1), line(0), line(1), line(0), line(1)]
    assert fold_of(digits, 2).tolist() == [0, 0, 1, 1, 0]


def test_an_adaptation_that_costs_more_than_half_a_point_is_refused():
    def result(after: int) -> AdaptationResult:
        return AdaptationResult(
            model=None,  # type: ignore[arg-type]
            taught_before=Score(5, 10),
            taught_after=None,
            mnist_before=Score(1980, 2000),
            mnist_after=Score(after, 2000),
            folds=0,
            note=None,
            seconds=1.0,
        )

    assert not result(1970).refused  # 0.5 points: allowed
    refused = result(1969)
    assert refused.refused
    assert "99.0%" in refused.refusal() and "0.55 points" in refused.refusal()


def test_the_cross_validated_figure_reads_digits_with_weights_that_never_saw_them(
    one_torch_thread,
):
    digits = [line(1), line(0), line(1, 20.0), line(0)]
    result = run_adaptation(load_model()[0], digits, SHORT, folds=2)
    assert result.taught_after is not None and result.taught_after.n == 4
    assert result.folds == 2
    assert result.taught_before.n == 4
    assert result.mnist_before.n == result.mnist_after.n == 2000
    assert torch.is_tensor(next(result.model.parameters()))
