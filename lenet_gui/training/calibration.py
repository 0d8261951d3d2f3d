"""Temperature scaling: make the softmax's confidence mean what it says.

A network trained with cross-entropy is often surer than it is right: the
app said "100.0 % sure" of digits it misread. Temperature scaling (Guo et
al., "On Calibration of Modern Neural Networks", ICML 2017) divides the
logits by one number T fitted on held-out predictions, which leaves every
prediction the same and only changes how sure each one is. Measured by the
expected calibration error (ECE): the gap between confidence and accuracy,
averaged over bins of confidence, weighted by how many predictions fall in
each.

numpy only: the logits are collected first, then fitted here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["expected_calibration_error", "fit_temperature", "softmax"]

# Search range of T: far beyond any sensible temperature on both sides.
_LOG_T_RANGE = (np.log(0.05), np.log(50.0))


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``, (N, C) -> (N, C)."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(labels)), labels].mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """Fit the temperature that minimises the negative log-likelihood.

    The NLL is a smooth, unimodal function of log T for fixed logits, so a
    golden-section search on log T finds its minimum to 1e-6 relative.

    Parameters
    ----------
    logits : np.ndarray
        (N, C) output-layer values before the softmax.
    labels : np.ndarray
        (N,) true classes.

    Returns
    -------
    float
        T > 0; divide the logits by it before the softmax.

    Raises
    ------
    ValueError
        If the shapes do not match or there are no predictions.
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if logits.ndim != 2 or labels.shape != (len(logits),) or len(logits) == 0:
        raise ValueError(
            f"need (N, C) logits and (N,) labels with N > 0, got {logits.shape} "
            f"and {labels.shape}"
        )
    low, high = _LOG_T_RANGE
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    fa, fb = _nll(logits, labels, np.exp(a)), _nll(logits, labels, np.exp(b))
    while high - low > 1e-6:
        if fa < fb:
            high, b, fb = b, a, fa
            a = high - ratio * (high - low)
            fa = _nll(logits, labels, np.exp(a))
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = _nll(logits, labels, np.exp(b))
    return float(np.exp((low + high) / 2.0))


def expected_calibration_error(
    probabilities: np.ndarray, labels: np.ndarray, bins: int = 15
) -> float:
    """Return the expected calibration error of the top prediction (ECE).

    Parameters
    ----------
    probabilities : np.ndarray
        (N, C) predicted probabilities.
    labels : np.ndarray
        (N,) true classes.
    bins : int, default 15
        Confidence bins over (0, 1], as Guo et al.

    Returns
    -------
    float
        Sum over bins of (share of predictions in the bin) x |accuracy -
        mean confidence| in the bin; 0 is perfectly calibrated.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels)
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    # Bin k holds confidences in (k / bins, (k + 1) / bins].
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    error = 0.0
    for k in range(bins):
        members = which == k
        if members.any():
            gap = abs(correct[members].mean() - confidence[members].mean())
            error += members.mean() * gap
    return float(error)
