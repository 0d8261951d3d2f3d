"""Temperature scaling: fitting T and measuring calibration."""

import numpy as np
import pytest

from lenet_gui.training.calibration import (
    expected_calibration_error,
    fit_temperature,
    softmax,
)


def _overconfident(temperature, n=4000, seed=0):
    """Logits whose labels are drawn from softmax(logits / temperature)."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 4.0, (n, 10))
    p = softmax(logits, temperature)
    labels = np.array([rng.choice(10, p=row) for row in p])
    return logits, labels


@pytest.mark.parametrize("true_t", [0.7, 2.5])
def test_the_fitted_temperature_is_the_one_the_labels_came_from(true_t):
    logits, labels = _overconfident(true_t)
    assert fit_temperature(logits, labels) == pytest.approx(true_t, rel=0.1)


def test_scaling_by_the_fitted_temperature_lowers_the_calibration_error():
    logits, labels = _overconfident(2.5, seed=1)
    t = fit_temperature(logits, labels)
    before = expected_calibration_error(softmax(logits), labels)
    after = expected_calibration_error(softmax(logits, t), labels)
    assert before > 0.1 and after < 0.03
    # Dividing the logits by T never changes a prediction.
    assert np.array_equal(softmax(logits).argmax(1), softmax(logits, t).argmax(1))


def test_the_calibration_error_by_hand():
    # Two bins used: 0.9 (right, right, wrong, wrong) and 0.6 (right).
    p = np.array([[0.9, 0.1]] * 4 + [[0.4, 0.6]])
    labels = np.array([0, 0, 1, 1, 1])
    # 4/5 * |0.5 - 0.9| + 1/5 * |1 - 0.6|
    assert expected_calibration_error(p, labels) == pytest.approx(0.4)
    sure_and_right = np.eye(3)
    assert expected_calibration_error(sure_and_right, np.arange(3)) == 0.0


def test_fitting_needs_matching_predictions():
    with pytest.raises(ValueError, match="need \\(N, C\\) logits"):
        fit_temperature(np.zeros((3, 10)), np.zeros(2, int))
    with pytest.raises(ValueError):
        fit_temperature(np.zeros((0, 10)), np.zeros(0, int))
