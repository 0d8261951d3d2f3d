"""Is it a digit at all? A small head on LeNet-5's own features says.

LeNet-5 has ten outputs and always picks one, so a dot or a zig-zag gets a
confident digit. The paper's answer was its RBF output units, whose distance
to each digit's prototype can be large for a non-character; our network has
a softmax output, so the same idea is learned instead: a small two-layer
head reads the frozen network's C5 and F6 units and its ten logits (what
the network itself computed for this input) and gives the probability that
the input is not a digit. It was trained on real digits against
non-digits drawn programmatically (shapes, scribbles, strokes, pieces of
digits and digits glued together), by
``python -m lenet_gui.training.verdict_cli``.

The head's file, ``weights/not_digit.pt``, is a plain ``state_dict`` of
tensors with the threshold chosen on real digits; it is read like the
network's weights (a regular file of at most 1 MB, no code run, every
tensor's shape and values checked). Without it, or with a broken one,
nothing is ever called "not a digit" and the reason is given.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lenet_gui.files.bundled import bundled_file
from lenet_gui.files.safe_read import RefusedFile, read_regular_file

__all__ = [
    "FEATURES",
    "HIDDEN",
    "NotDigitHead",
    "VerdictError",
    "features",
    "load_head",
]

#: The features read: C5's 120 units, F6's 84 and the 10 logits.
FEATURES = 120 + 84 + 10
#: Units of the head's hidden layer.
HIDDEN = 32
_LIMIT = 1 << 20
_KEYS = {
    "mean": (FEATURES,),
    "scale": (FEATURES,),
    "hidden.weight": (HIDDEN, FEATURES),
    "hidden.bias": (HIDDEN,),
    "out.weight": (1, HIDDEN),
    "out.bias": (1,),
    "threshold": (),
}


class VerdictError(ValueError):
    """The head's file cannot be used; the message says why."""


def features(activations: dict[str, torch.Tensor]) -> torch.Tensor:
    """Return the (N, FEATURES) features the head reads, from a batch's activations."""
    return torch.cat(
        [activations["C5"], activations["F6"], activations["output"]], dim=1
    )


class NotDigitHead(nn.Module):
    """The probability that an input is not a digit, from the network's features.

    Attributes
    ----------
    threshold : float
        Probabilities above this are called "not a digit".
    """

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(FEATURES))
        self.register_buffer("scale", torch.ones(FEATURES))
        self.register_buffer("threshold", torch.tensor(0.5))
        self.hidden = nn.Linear(FEATURES, HIDDEN)
        self.out = nn.Linear(HIDDEN, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the (N,) logits of "not a digit" for (N, FEATURES) features."""
        z = (x - self.get_buffer("mean")) / self.get_buffer("scale")
        return self.out(torch.tanh(self.hidden(z)))[:, 0]

    def probability(self, x: torch.Tensor) -> np.ndarray:
        """Return the (N,) float64 probability of "not a digit"."""
        with torch.inference_mode():
            return torch.sigmoid(self(x.float())).double().numpy()

    @property
    def cutoff(self) -> float:
        """The threshold as a number."""
        return float(self.get_buffer("threshold"))


def load_head(path: Path | str | None = None) -> NotDigitHead:
    """Read the head's file (the bundled one by default), checked before use.

    Raises
    ------
    VerdictError
        The file is missing, too big, not a state_dict of the right tensors,
        or holds values that are not finite numbers.
    """
    path = bundled_file("weights/not_digit.pt") if path is None else Path(path)
    try:
        data = read_regular_file(path, _LIMIT)
    except RefusedFile as error:
        raise VerdictError(f"{path.name}: {error}") from None
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception:  # torch raises assorted types for junk input
        raise VerdictError(f"{path.name}: not a weights file") from None
    if not isinstance(state, dict) or set(state) != set(_KEYS):
        raise VerdictError(f"{path.name}: not the not-a-digit head's tensors")
    for key, shape in _KEYS.items():
        value = state[key]
        if not isinstance(value, torch.Tensor) or tuple(value.shape) != shape:
            raise VerdictError(f"{path.name}: {key} is not of shape {shape}")
        if not value.is_floating_point() or not bool(torch.isfinite(value).all()):
            raise VerdictError(f"{path.name}: {key} holds values that are not numbers")
    if not bool((state["scale"] > 0).all()):
        raise VerdictError(f"{path.name}: scale must be positive")
    if not 0.0 < float(state["threshold"]) < 1.0:
        raise VerdictError(f"{path.name}: threshold must lie between 0 and 1")
    head = NotDigitHead()
    head.load_state_dict({k: v.float() for k, v in state.items()})
    return head.eval()
