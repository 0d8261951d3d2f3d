"""Is it a digit at all? A small head on LeNet-5's own features says.

LeNet-5 has ten outputs and always picks one, so a dot or a letter gets a
confident digit. The paper's answer was its RBF output units: each measures
the distance of F6 to one digit's prototype, and a non-character is far
from all of them. Our network has a softmax output, so the same idea is
added beside it: a small two-layer head reads what the frozen network
computed for this input and gives the probability that it is not a digit.
It reads

- C5's 120 units, F6's 84 and the ten logits;
- each of S4's 16 maps, its mean and its peak;
- the ink's place in the input, as C1 sees it (where C1 differs from its
  response to blank paper): its height and width and how much of that box
  is inked, so a dot (a filled blob), a dash (a flat line) or a scribble
  (a box full of ink) is seen for what it is;
- inside the head, the paper's distances: F6's mean squared distance
  to each digit's prototype (the mean F6 of real digits of that class) and
  the smallest of them;
- and S2's six 14 x 14 maps whole, through two small convolutional layers
  of the head's own (12 and 16 maps of 3 x 3), so that it sees the shape
  of the strokes and not only what LeNet-5's upper layers make of them.
  Those layers were trained for this question alone: a letter LeNet-5
  takes for a digit still has strokes where no digit has them.

The head is three such heads (:data:`MEMBERS`), trained alike from
different random starts, whose logits are averaged: each learns the drawn
non-digits a little differently, and together they flag more of the
letters and marks none of them saw. Their layers are stacked, so all three
are read in one pass.

It was trained on real digits (MNIST training images, as network inputs
and framed again as an image file is, and pen digits) against non-digits
drawn programmatically (letters and short words from stroke recipes in
several forms each, written by a random hand, signs made of strokes of
two letters, dots, dashes, shapes, symbols, pen digits mirrored or turned,
and pieces of digits), by ``python -m
lenet_gui.training.verdict_cli``. :func:`pieces_not_digits` decides
whether a drawing read as several pieces is digits at all.

The head's file, ``weights/not_digit.pt``, is a plain ``state_dict`` of
tensors with the threshold chosen on real digits; it is read like the
network's weights (a regular file of at most 1 MB, no code run, every
tensor's shape and values checked). Without it, or with a broken one,
nothing is ever called "not a digit" and the reason is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lenet_gui.files.bundled import bundled_file
from lenet_gui.reading.checked_weights import read_checked_state

__all__ = [
    "DISTANCES",
    "FEATURES",
    "STATISTICS",
    "HIDDEN",
    "MEMBERS",
    "PIECES_ODDS",
    "PIECE_SURE",
    "NotDigitHead",
    "VerdictError",
    "features",
    "load_head",
    "pieces_not_digits",
]

#: The statistics read: C5's 120 units, F6's 84, the 10 logits, S4's 16
#: means and 16 peaks, and the ink's height, width, fill and area in C1.
STATISTICS = 120 + 84 + 10 + 2 * 16 + 4
#: S2's six maps of 14 x 14, read by the head's convolutional layers.
_MAPS = (6, 14, 14)
#: Every feature read: the statistics, then S2's maps flattened.
FEATURES = STATISTICS + 6 * 14 * 14
#: Maps of the head's two convolutional layers, and what the second gives.
_CONV = (12, 16)
_SEEN = _CONV[1] * 4 * 4
#: Distances of F6 to the ten digit prototypes, and the smallest.
DISTANCES = 11
#: Units of the head's hidden layer.
HIDDEN = 48
#: Heads trained alike from different random starts, whose logits are
#: averaged: together they flag more of the letters none of them saw.
MEMBERS = 3
#: A piece of a number this sure to be no digit makes the whole "not digits".
PIECE_SURE = 0.9995
#: Pieces whose mean log-odds of "not a digit" exceed this are not digits.
#: The head of three is surer of pieces than one head was: at 1.0, a 7 cut
#: from an 8 whose stroke it crosses (0.985) outweighed the clean 8 (0.12)
#: and refused "87"; numbers read the same at 1.0, 1.5 and 2.0.
PIECES_ODDS = 1.5
_LIMIT = 1 << 20
# C1 differs from its response to blank paper by more than this where ink is
# in reach of its 5 x 5 window.
_TOUCHED = 0.02
_KEYS = {
    "mean": (FEATURES,),
    "scale": (FEATURES,),
    "prototypes": (10, 84),
    "distance_mean": (DISTANCES,),
    "distance_scale": (DISTANCES,),
    "conv1.weight": (MEMBERS * _CONV[0], _MAPS[0], 3, 3),
    "conv1.bias": (MEMBERS * _CONV[0],),
    "conv2.weight": (MEMBERS * _CONV[1], _CONV[0], 3, 3),
    "conv2.bias": (MEMBERS * _CONV[1],),
    "hidden_weight": (MEMBERS, STATISTICS + DISTANCES + _SEEN, HIDDEN),
    "hidden_bias": (MEMBERS, 1, HIDDEN),
    "out_weight": (MEMBERS, HIDDEN, 1),
    "out_bias": (MEMBERS, 1, 1),
    "threshold": (),
}


def _uniform(*shape: int, fan_in: int) -> nn.Parameter:
    """Return a parameter drawn as a dense layer's, uniform in +-1/sqrt(fan_in)."""
    bound = fan_in**-0.5
    return nn.Parameter(torch.empty(shape).uniform_(-bound, bound))


class VerdictError(ValueError):
    """The head's file cannot be used; the message says why."""


def _ink_extent(c1: torch.Tensor) -> torch.Tensor:
    """Return the ink's height, width, fill and area as C1 sees it, (N, 4).

    The corner units of every C1 map read the input's frame, which is blank
    paper, so their median is each map's response to no ink; units that differ from
    it have ink in their window. Height and width count such rows and
    columns, as fractions of C1's side; fill is the share of their box that
    is touched; area the share of all units.

    In numpy: a third of the time of the same steps in torch for one digit,
    whose small operations each cost more to start than to run; the same
    float32 numbers (of four corners, the median is the lower middle one,
    as torch takes it).
    """
    maps = c1.detach().cpu().numpy()
    corners = maps[:, :, [0, 0, -1, -1], [0, -1, 0, -1]]
    blank = np.sort(corners, axis=2)[:, :, 1, None, None]
    touched = (np.abs(maps - blank) > np.float32(_TOUCHED)).any(axis=1)
    side = np.float32(touched.shape[-1])
    rows = touched.any(axis=2).sum(axis=1, dtype=np.float32)
    cols = touched.any(axis=1).sum(axis=1, dtype=np.float32)
    area = touched.sum(axis=(1, 2), dtype=np.float32)
    fill = area / np.maximum(rows * cols, np.float32(1.0))
    extent = np.stack([rows / side, cols / side, fill, area / side**2], axis=1)
    return torch.from_numpy(extent)


def features(activations: dict[str, torch.Tensor]) -> torch.Tensor:
    """Return the (N, FEATURES) features the head reads, from a batch's activations."""
    s4 = activations["S4"].flatten(2)
    return torch.cat(
        [
            activations["C5"],
            activations["F6"],
            activations["output"],
            s4.mean(dim=2),
            s4.amax(dim=2),
            _ink_extent(activations["C1"]),
            activations["S2"].flatten(1),
        ],
        dim=1,
    ).float()


def pieces_not_digits(chances: Sequence[float | None], cutoff: float) -> bool:
    """Whether the pieces a drawing was read as are not digits at all.

    `chances` holds each piece's probability of "not a digit" (None without
    the head), left to right; `cutoff` the head's threshold. A single piece
    is judged against the threshold. Several pieces are judged as a whole:
    a letter, a shape or a word is often cut into pieces that each look a
    little like a digit (a G into "13", an M into "14"), so they are "not
    digits" when, on average, the pieces look more like no digit than like
    one (the mean of their log-odds above :data:`PIECES_ODDS`), or when one
    of them is surely no digit (above :data:`PIECE_SURE`, or the threshold
    if that is higher). A piece cut out of touching digits often carries a
    scrap of its neighbour and only just passes the threshold; it does not
    refuse the whole number. Measured on numbers by held-out writers and
    drawn letters, words and marks (README, "Numbers and "not a digit"").
    """
    known = np.array([c for c in chances if c is not None], dtype=np.float64)
    if known.size == 0:
        return False
    if known.size == 1:
        return bool(known[0] > cutoff)
    if float(known.max()) > max(cutoff, PIECE_SURE):
        return True
    odds = np.clip(known, 1e-9, 1.0 - 1e-9)
    return float(np.mean(np.log(odds / (1.0 - odds)))) > PIECES_ODDS


class NotDigitHead(nn.Module):
    """The probability that an input is not a digit, from the network's features.

    It holds `members` small heads of the same layers, trained alike from
    different random starts, and averages their logits; their layers are
    stacked so that all of them are read in one pass (one convolution, one
    grouped convolution, two batched products), at about the cost of one.

    Attributes
    ----------
    threshold : float
        Probabilities above this are called "not a digit".
    """

    def __init__(self, members: int = MEMBERS) -> None:
        super().__init__()
        self.members = members
        self.register_buffer("mean", torch.zeros(FEATURES))
        self.register_buffer("scale", torch.ones(FEATURES))
        self.register_buffer("prototypes", torch.zeros(10, 84))
        self.register_buffer("distance_mean", torch.zeros(DISTANCES))
        self.register_buffer("distance_scale", torch.ones(DISTANCES))
        self.register_buffer("threshold", torch.tensor(0.5))
        self.conv1 = nn.Conv2d(_MAPS[0], members * _CONV[0], 3)
        self.conv2 = nn.Conv2d(
            members * _CONV[0], members * _CONV[1], 3, groups=members
        )
        inputs = STATISTICS + DISTANCES + _SEEN
        self.hidden_weight = _uniform(members, inputs, HIDDEN, fan_in=inputs)
        self.hidden_bias = _uniform(members, 1, HIDDEN, fan_in=inputs)
        self.out_weight = _uniform(members, HIDDEN, 1, fan_in=HIDDEN)
        self.out_bias = _uniform(members, 1, 1, fan_in=HIDDEN)
        #: Whether the convolutional layers are read (a study may switch
        #: them off to train and compare a head without them).
        self.shapes = True

    def strokes(self, z: torch.Tensor) -> torch.Tensor:
        """Return what each member's convolutions see in S2, (members, N, 256)."""
        if not self.shapes:
            return z.new_zeros(self.members, z.shape[0], _SEEN)
        maps = z[:, STATISTICS:].reshape(-1, *_MAPS)
        seen = torch.tanh(nn.functional.max_pool2d(self.conv1(maps), 2))
        out = torch.tanh(self.conv2(seen)).reshape(z.shape[0], self.members, _SEEN)
        return out.transpose(0, 1)

    def distances(self, x: torch.Tensor) -> torch.Tensor:
        """Return F6's mean squared distance to each prototype and the least, (N, 11).

        The paper's RBF output units computed the same distances.
        """
        f6 = x[:, 120:204]
        d = ((f6[:, None, :] - self.get_buffer("prototypes")[None]) ** 2).mean(dim=2)
        return torch.cat([d, d.amin(dim=1, keepdim=True)], dim=1)

    def member_logits(self, x: torch.Tensor) -> torch.Tensor:
        """Return each member's logits of "not a digit", (members, N)."""
        z = (x - self.get_buffer("mean")) / self.get_buffer("scale")
        d = (self.distances(x) - self.get_buffer("distance_mean")) / self.get_buffer(
            "distance_scale"
        )
        shared = torch.cat([z[:, :STATISTICS], d], dim=1)
        inputs = torch.cat(
            [shared.expand(self.members, *shared.shape), self.strokes(z)], dim=2
        )
        hidden = torch.tanh(torch.baddbmm(self.hidden_bias, inputs, self.hidden_weight))
        return torch.baddbmm(self.out_bias, hidden, self.out_weight)[:, :, 0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the (N,) logits of "not a digit" for (N, FEATURES) features."""
        return self.member_logits(x).mean(dim=0)

    def member(self, k: int) -> NotDigitHead:
        """Return member `k` alone, as a head of one member (to study or time it)."""
        one = NotDigitHead(1)
        state = self.state_dict()
        for name, maps in (("conv1", _CONV[0]), ("conv2", _CONV[1])):
            for part in ("weight", "bias"):
                key = f"{name}.{part}"
                state[key] = state[key][k * maps : (k + 1) * maps]
        for key in ("hidden_weight", "hidden_bias", "out_weight", "out_bias"):
            state[key] = state[key][k : k + 1]
        one.load_state_dict({name: v.clone() for name, v in state.items()})
        one.shapes = self.shapes
        return one.eval()

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
    state = read_checked_state(
        path,
        _LIMIT,
        _KEYS,
        what="the not-a-digit head's",
        error=VerdictError,
        positive=("scale", "distance_scale"),
    )
    if not 0.0 < float(state["threshold"]) < 1.0:
        raise VerdictError(f"{path.name}: threshold must lie between 0 and 1")
    head = NotDigitHead()
    head.load_state_dict(state)
    return head.eval()
