"""Score a candidate segment: one whole digit, part of one, or several glued.

The number reader (:mod:`lenet_gui.reading.number`) reads every run of
neighbouring pieces of ink as a candidate digit. LeNet-5 alone cannot tell
a whole digit from half a digit or two digits glued together: a 1 and a 7
that touch read as a confident 8, the loop of a 6 as a confident 0. As the
paper does (section V), the candidates are scored; this small scorer reads
what the frozen network computed for the candidate (F6's 84 units and the
ten probabilities) and where the candidate sits in the line of writing (its
width, height and place against the line's height, whether its sides are
cuts through one stroke), and gives three
probabilities: one whole digit, part of a digit, more than one digit.

It is trained by ``python -m lenet_gui.training.segments_cli`` on numbers
composed of the pen digits of writers w1-w18 (apart and touching), whose
digits' ink is known exactly, and on the growing strokes of single digits.
It answers two questions. *At a glance*: is the whole ink, read as one
digit, likely several digits (whether to search it for cuts at all)? One
scorer trained on runs of pieces answers it. *On a path*: how whole is
each candidate digit? :data:`MEMBERS` scorers answer it, their logits
averaged: the glance scorer and three trained also on the sets of
fragments cut where strokes cross, each on numbers of its own; their
hidden layers are laid side by side in one layer (:func:`fold`), read in
one pass.

The file, ``weights/segments.pt``, is a plain ``state_dict`` of tensors,
read like the network's weights: a regular file of at most 256 kB, no code
run, every tensor's shape and values checked. Without it, or with a broken
one, the reader scores candidates as before and the reason is given.

Uses torch and numpy, never Qt.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from lenet_gui.files.bundled import bundled_file
from lenet_gui.reading.checked_weights import read_checked_state
from lenet_gui.reading.pieces import Pieces

__all__ = [
    "GEOMETRY",
    "GLUED",
    "INPUTS",
    "PART",
    "MEMBERS",
    "WHOLE",
    "PathScorer",
    "ScorerError",
    "SegmentScorer",
    "fold",
    "geometry",
    "load_scorer",
    "places",
    "scorer_inputs",
]

#: The candidate's place in the line: width, height, width over height, top
#: and bottom margins and width against the whole ink's width (all in line
#: heights but the ratios), and whether its left and right sides are cuts
#: through one stroke.
GEOMETRY = 8
#: What the scorer reads: F6's 84 units, the 10 probabilities, the geometry.
INPUTS = 84 + 10 + GEOMETRY
#: The scorer's three answers, by index.
WHOLE, PART, GLUED = 0, 1, 2
#: Hidden units of one scorer.
HIDDEN = 32
#: Scorers whose logits are averaged on a path (:func:`fold`).
MEMBERS = 4
_LIMIT = 256 * 1024
_KEYS = {
    "mean": (INPUTS,),
    "scale": (INPUTS,),
    "hidden.weight": (HIDDEN, INPUTS),
    "hidden.bias": (HIDDEN,),
    "out.weight": (3, HIDDEN),
    "out.bias": (3,),
    "paths.hidden.weight": (HIDDEN * MEMBERS, INPUTS),
    "paths.hidden.bias": (HIDDEN * MEMBERS,),
    "paths.out.weight": (3, HIDDEN * MEMBERS),
    "paths.out.bias": (3,),
}


class ScorerError(ValueError):
    """The scorer's file cannot be used; the message says why."""


def geometry(
    box: tuple[int, int, int, int],
    line: tuple[int, int, int, int],
    cut_left: bool,
    cut_right: bool,
) -> np.ndarray:
    """Return a candidate's (GEOMETRY,) place in its line of writing.

    Parameters
    ----------
    box, line : tuple of int
        ``x0, y0, x1, y1`` of the candidate's ink and of all the ink.
    cut_left, cut_right : bool
        Whether its left or right side is a cut through one stroke.
    """
    x0, y0, x1, y1 = box
    lx0, ly0, lx1, ly1 = line
    height = max(1, ly1 - ly0)
    width, tall = x1 - x0, max(1, y1 - y0)
    return np.array(
        [
            width / height,
            tall / height,
            width / tall,
            (y0 - ly0) / height,
            (ly1 - y1) / height,
            width / max(1, lx1 - lx0),
            float(cut_left),
            float(cut_right),
        ],
        dtype=np.float32,
    )


def places(pieces: Pieces, spans: list[tuple[int, int]]) -> np.ndarray:
    """Return the (N, GEOMETRY) geometry of candidate runs of pieces."""
    n = pieces.count
    line = pieces.box(0, n)
    joined = pieces.joined
    return np.stack(
        [
            geometry(
                pieces.box(first, stop),
                line,
                first > 0 and joined[first - 1] == joined[first],
                stop < n and joined[stop - 1] == joined[stop],
            )
            for first, stop in spans
        ]
    ).reshape(-1, GEOMETRY)


def scorer_inputs(
    f6: np.ndarray | torch.Tensor, probabilities: np.ndarray, places: np.ndarray
) -> torch.Tensor:
    """Return the (N, INPUTS) scorer input from F6, probabilities and geometry."""
    return torch.cat(
        [
            torch.as_tensor(f6, dtype=torch.float32).reshape(-1, 84),
            torch.as_tensor(probabilities, dtype=torch.float32).reshape(-1, 10),
            torch.as_tensor(places, dtype=torch.float32).reshape(-1, GEOMETRY),
        ],
        dim=1,
    )


def _log_softmax(logits: torch.Tensor) -> np.ndarray:
    return torch.log_softmax(logits, dim=1).double().numpy()


class PathScorer(nn.Module):
    """Several scorers in one: raw inputs, their hidden units side by side."""

    def __init__(self, hidden: int = HIDDEN * MEMBERS) -> None:
        super().__init__()
        self.hidden = nn.Linear(INPUTS, hidden)
        self.out = nn.Linear(hidden, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the (N, 3) mean logits of the members for (N, INPUTS) inputs."""
        return self.out(torch.tanh(self.hidden(x)))


class SegmentScorer(nn.Module):
    """Whole digit, part of one, or several: three probabilities per candidate.

    On its own (as it is trained) it is one scorer; the bundled one also
    holds the path scorer (:attr:`paths`, see the module).
    """

    def __init__(self, paths: PathScorer | None = None) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(INPUTS))
        self.register_buffer("scale", torch.ones(INPUTS))
        self.hidden = nn.Linear(INPUTS, HIDDEN)
        self.out = nn.Linear(HIDDEN, 3)
        self.paths = paths

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return this scorer's own (N, 3) logits for (N, INPUTS) inputs."""
        z = (x - self.get_buffer("mean")) / self.get_buffer("scale")
        return self.out(torch.tanh(self.hidden(z)))

    def log_probabilities(self, x: torch.Tensor) -> np.ndarray:
        """Return the (N, 3) float64 log-probabilities of whole, part, glued.

        A candidate digit's on a path: the path scorer's when there is one.
        """
        with torch.inference_mode():
            if self.paths is not None:
                return _log_softmax(self.paths(x.float()))
            return _log_softmax(self(x.float()))

    def glance_log_probabilities(self, x: torch.Tensor) -> np.ndarray:
        """Return this scorer's own (N, 3) log-probabilities (the whole ink's)."""
        with torch.inference_mode():
            return _log_softmax(self(x.float()))


def fold(members: list[SegmentScorer]) -> PathScorer:
    """Return one path scorer whose logits are the mean of the members' logits.

    Each member's input scaling is taken into its hidden weights, so the
    folded scorer reads raw inputs and its hidden layer holds every
    member's units side by side.
    """
    weights, biases = [], []
    for member in members:
        mean, scale = member.get_buffer("mean"), member.get_buffer("scale")
        weight = member.hidden.weight.detach() / scale
        weights.append(weight)
        biases.append(member.hidden.bias.detach() - weight @ mean)
    folded = PathScorer(sum(w.shape[0] for w in weights))
    with torch.no_grad():
        folded.hidden.weight.copy_(torch.cat(weights))
        folded.hidden.bias.copy_(torch.cat(biases))
        outs = [m.out.weight.detach() / len(members) for m in members]
        folded.out.weight.copy_(torch.cat(outs, dim=1))
        folded.out.bias.copy_(
            torch.stack([m.out.bias.detach() for m in members]).mean(0)
        )
    return folded.eval()


def load_scorer(path: Path | str | None = None) -> SegmentScorer:
    """Read the scorer's file (the bundled one by default), checked before use.

    Raises
    ------
    ScorerError
        The file is missing, too big, not a state_dict of the right tensors,
        or holds values that are not finite numbers.
    """
    path = bundled_file("weights/segments.pt") if path is None else Path(path)
    state = read_checked_state(
        path,
        _LIMIT,
        _KEYS,
        what="the segment scorer's",
        error=ScorerError,
        positive=("scale",),
    )
    scorer = SegmentScorer(PathScorer())
    scorer.load_state_dict(state)
    return scorer.eval()
