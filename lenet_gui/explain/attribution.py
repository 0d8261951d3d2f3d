"""Which input pixels made the decision: integrated gradients on the 32x32 input.

Integrated gradients (Sundararajan, Taly and Yan, ICML 2017) credit each pixel
with ``(x - b) * mean of dF/dx along the straight path from b to x``, where
``b`` is a baseline and ``F`` the output explained. Here ``b`` is blank paper
(every pixel at the background level, -0.1) and ``F`` is one digit's logit,
or the difference of two logits ("why 7 and not 1"). The credits add up to
``F(x) - F(b)`` (completeness), so the map can be read in logit units.

The path integral is a trapezoid sum over all its points at once: one batched
forward and backward pass of ``steps + 1`` inputs. The points are not evenly
spaced: ``alpha = (k / steps) ** 2``, denser near blank paper. Along the
path LeNet-5's logits do most of their changing while the ink is still faint
(on MNIST test digits, most of the change happens for alpha between about 0.03
and 0.2, with spikes of dF/dalpha over 500), and evenly spaced points miss it.
Measured with the bundled weights (``benchmarks/explainers.py``), the gap
``|total - change| / |change|`` as median / 90th / 99th percentile, for the
predicted digit's logit and for its contrast with the runner-up; even spacing
on the first 150 MNIST test digits, the spacing used on the first 600:

===== ===================== ===================== =======================
steps even, logit (no p99)  alpha = u**2, logit   alpha = u**2, contrast
===== ===================== ===================== =======================
32    6.8 / 35 %            1.5 / 6.5 / 31 %      2.7 / 14 / 45 %
48    2.6 / 14 %            0.33 / 1.4 / 3.6 %    0.63 / 3.3 / 14 %
64    1.1 / 7.9 %           0.07 / 0.38 / 1.4 %   0.14 / 0.76 / 4.3 %
128   0.07 / 0.74 %         0.004 / 0.01 / 0.1 %  0.007 / 0.03 / 0.1 %
===== ===================== ===================== =======================

:data:`DEFAULT_STEPS` is 64: typical digits complete to about 0.1 %, nine in
ten to under 1 %, and the worst one in a hundred to a few per cent. The
gap is in every :class:`Attribution` (``gap``), for a caption to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from lenet_gui.network.classifier import Classifier, Prediction
from lenet_gui.network.model import Ablation, LeNet5

__all__ = ["DEFAULT_STEPS", "Attribution", "attribute", "integrated_gradients"]

#: Points on the path, less one. One call at 64 steps (a batch of 65 inputs
#: forward and backward, one torch thread) measured 25-40 ms median on a 2-core
#: machine shared with other heavy jobs (load average 5-9), 128 steps 75-90 ms;
#: a single forward pass measured 0.75-1.3 ms there, so about 30 of those.
DEFAULT_STEPS = 64


@dataclass(frozen=True)
class Attribution:
    """How much each input pixel contributed to a logit, or to a difference.

    Attributes
    ----------
    map : np.ndarray
        (32, 32) float64 credits in logit units; positive pixels raise the
        output explained, negative ones lower it. Exactly 0 wherever the input
        is blank paper.
    target : int
        The digit explained.
    versus : int or None
        The digit contrasted with, if any: the output explained is then
        ``logit[target] - logit[versus]``.
    total : float
        The map's sum.
    change : float
        The output's change from blank paper to the input; `total` matches it
        to within the integration error (see the module's table).
    method : str
        One line saying what was computed, for a caption or a tooltip.
    """

    map: np.ndarray
    target: int
    versus: int | None
    total: float
    change: float
    method: str

    @property
    def gap(self) -> float:
        """``total - change``: the integration error, in logit units."""
        return self.total - self.change


def integrated_gradients(
    model: LeNet5,
    network_input: np.ndarray,
    target: int,
    versus: int | None = None,
    steps: int = DEFAULT_STEPS,
    ablation: Ablation | None = None,
) -> Attribution:
    """Attribute a logit (or a difference of two) to the input's pixels.

    Parameters
    ----------
    model : LeNet5
        The network explained.
    network_input : np.ndarray
        (32, 32) input in network levels, as :class:`Prediction` holds it.
    target : int
        The digit whose logit is explained.
    versus : int, optional
        A second digit: explain ``logit[target] - logit[versus]`` instead,
        "why `target` and not `versus`".
    steps : int
        Intervals of the trapezoid sum; the cost grows linearly with it.
    ablation : mapping of str to collection of int, optional
        Maps or units switched off, as in :meth:`LeNet5.forward`: the
        attribution is then that of the ablated network.

    Returns
    -------
    Attribution

    Raises
    ------
    ValueError
        `target` or `versus` is not a digit, they are equal, `steps` is not
        a positive integer, or the input is not (32, 32).
    KeyError, IndexError, TypeError
        `ablation` names a layer, map or unit LeNet-5 does not have.
    """
    digits = model.spec.layers[-1].maps
    target = _digit("target", target, digits)
    if versus is not None:
        versus = _digit("versus", versus, digits)
        if versus == target:
            raise ValueError(
                f"versus must differ from target ({target}): "
                "a logit minus itself is 0 everywhere"
            )
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, not {steps!r}")
    side = model.spec.input_size
    given = np.asarray(network_input)
    if given.shape != (side, side):
        raise ValueError(
            f"the network input must be ({side}, {side}), not {given.shape}"
        )
    x = torch.from_numpy(np.array(given, dtype=np.float32))
    baseline = torch.full_like(x, model.spec.background)

    alpha, weight = _path(steps)
    # Works even when the caller is inside torch.inference_mode() or no_grad().
    with torch.inference_mode(False), torch.enable_grad():
        path = baseline + alpha.float()[:, None, None] * (x - baseline)
        path = path.unsqueeze(1).requires_grad_(True)  # (steps + 1, 1, 32, 32)
        logits = model(path, ablation)
        explained = logits[:, target]
        if versus is not None:
            explained = explained - logits[:, versus]
        # Samples are independent, so the gradient of the sum is each
        # sample's own gradient.
        (gradients,) = torch.autograd.grad(explained.sum(), path)
    mean_gradient = torch.einsum("k,kij->ij", weight, gradients[:, 0].double())
    credit = (x - baseline).double() * mean_gradient
    ends = explained.detach().double()
    what = f"logit {target}" + ("" if versus is None else f" minus logit {versus}")
    off = "" if not ablation else ", ablated network"
    method = (
        f"Integrated gradients of {what} from blank paper "
        f"({model.spec.background:g}), {steps} trapezoid steps denser near it{off}"
    )
    attribution_map = credit.numpy()
    return Attribution(
        map=attribution_map,
        target=target,
        versus=versus,
        total=float(attribution_map.sum()),
        change=float(ends[-1] - ends[0]),
        method=method,
    )


def attribute(
    classifier: Classifier,
    prediction: Prediction,
    target: int,
    versus: int | None = None,
    steps: int = DEFAULT_STEPS,
    ablation: Ablation | None = None,
) -> Attribution:
    """Say which input pixels made `target`'s logit, or beat `versus`'s.

    Integrated gradients on ``prediction.network_input`` from blank paper;
    see :func:`integrated_gradients` for the parameters, the errors raised,
    the accuracy and the cost (about 30 single predictions at the default 64
    steps). A prediction does not record an ablation: to explain an ablated
    one, pass the same `ablation`.
    """
    return integrated_gradients(
        classifier.model, prediction.network_input, target, versus, steps, ablation
    )


def _path(steps: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the path's points alpha (steps + 1,) and their trapezoid weights.

    Float64, weights summing to 1; alpha runs from 0 (blank paper) to 1.
    """
    alpha = torch.linspace(0.0, 1.0, steps + 1, dtype=torch.float64) ** 2
    width = alpha.diff()
    weight = torch.zeros_like(alpha)
    weight[:-1] += width / 2
    weight[1:] += width / 2
    return alpha, weight


def _digit(name: str, value: object, digits: int) -> int:
    """Return `value` as an int, or raise ValueError unless it is a digit."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a digit 0 to {digits - 1}, not {value!r}")
    if not 0 <= value < digits:
        raise ValueError(f"{name} must be a digit 0 to {digits - 1}, not {value}")
    return int(value)
