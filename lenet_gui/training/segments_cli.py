"""Train the segment scorer: whole digit, part of one, or several glued.

    python -m lenet_gui.training.segments_cli --strokes pendigits-train.json
        [--train-writers 1-18] [--check-writers 19-24] [--numbers 1500]
        [--output weights/segments.pt] [--fragments] [--glance FILE]

Numbers of 1 to 6 pen digits, one writer each, are composed apart and
touching (:func:`lenet_gui.training.numbers.compose_number`) and cut as the
reader cuts them (:func:`lenet_gui.reading.pieces.find_pieces`,
:func:`lenet_gui.reading.number.candidates`). Each digit is also drawn alone
at its place, so every candidate's label is known exactly: *whole* when its
marks match one digit's (intersection over union at least 0.8), *glued*
when it holds at least half of two digits, *part* otherwise. Single digits
are also taken while they grow, stroke by stroke, the whole ink being the
candidate (a digit half drawn is a part), and marks that are not digits
(:func:`lenet_gui.training.numbers.non_digit_strokes`: dots, dashes, shapes,
scribbles), every candidate of which is a part: not one digit, nor
several. LeNet-5 (the bundled weights, frozen) reads each candidate; the
scorer learns from F6, the probabilities and the candidate's place in the
line. The check writers are never trained
on; their figures are printed. With ``--fragments`` the sets of fragments
cut where strokes cross (:mod:`lenet_gui.reading.crossing`) are candidates
too, in touching numbers and drawn non-digits, for three more scorers
that score candidates on a path with the first (see
:mod:`lenet_gui.reading.segment_scorer`), each on numbers of its own
(drawn from the seed plus 0, 1 and 2); the bundled scorer was trained
with them. Without it, the first scorer alone scores paths too. With
``--glance FILE`` the first scorer is the one in FILE, not trained again:
the bundled file is ``--fragments --glance`` of the file bundled before,
whose scorer of the whole ink the reader's thresholds were chosen for.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import numpy as np
import torch

from lenet_gui.drawing.paper import render
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.imaging.ink_levels import to_ink
from lenet_gui.imaging.preprocess import preprocess_ink
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.reading.crossing import fragment_candidates, fragment_places
from lenet_gui.reading.fragments import split_at_crossings
from lenet_gui.reading.number import candidates, ink_box
from lenet_gui.reading.pieces import Pieces, find_pieces
from lenet_gui.reading.segment_scorer import (
    GLUED,
    MEMBERS,
    PART,
    WHOLE,
    SegmentScorer,
    fold,
    geometry,
    load_scorer,
    places,
    scorer_inputs,
)
from lenet_gui.training.numbers import SHAPES, compose_number, non_digit_strokes

__all__ = ["label_candidates", "main", "samples", "train"]

APART = (0.15, 0.5)
TOUCHING = (-0.05, 0.02)


def _writers(spec: str) -> set[str]:
    first, last = (int(x) for x in spec.split("-"))
    return {f"train_w{k:02d}" for k in range(first, last + 1)}


def label_candidates(marks: np.ndarray, digits: list[np.ndarray]) -> int:
    """Return WHOLE, PART or GLUED for a candidate's marks against each digit's."""
    covered = 0
    best = 0.0
    for digit in digits:
        shared = int((marks & digit).sum())
        covered += shared >= 0.5 * max(1, int(digit.sum()))
        best = max(best, shared / max(1, int((marks | digit).sum())))
    if covered >= 2:
        return GLUED
    return WHOLE if best >= 0.8 else PART


def _fragment_sets(
    classifier: Classifier,
    pieces: Pieces,
    whole: np.ndarray,
    truth: list[np.ndarray] | None,
) -> tuple[torch.Tensor, np.ndarray] | None:
    """Return the scorer inputs and labels of the pieces' sets of fragments.

    The sets are those the reader makes where strokes cross (the whole ink,
    a run of pieces already, left out); with no `truth` (a drawn non-digit)
    every set is a part.
    """
    fragments = split_at_crossings(pieces)
    if fragments is None:
        return None
    sets, inputs = fragment_candidates(fragments, whole, preprocess_ink)
    sets, inputs = sets[:-1], inputs[:-1]
    if not sets:
        return None
    labels = []
    for members in sets:
        if truth is None:
            labels.append(PART)
            continue
        x0, y0, x1, y1 = fragments.box(members)
        marks = np.zeros(pieces.ink.shape, dtype=bool)
        marks[y0:y1, x0:x1] = fragments.image(members) >= 0.2
        labels.append(label_candidates(marks, truth))
    probabilities, activations = classifier.outputs(np.stack(inputs))
    place, _ = fragment_places(fragments, sets)
    return scorer_inputs(activations["F6"], probabilities, place), np.array(labels)


def _with_fragments(
    found: tuple[torch.Tensor, np.ndarray],
    more: tuple[torch.Tensor, np.ndarray] | None,
) -> tuple[torch.Tensor, np.ndarray]:
    """Return the samples of `found` and of `more` together."""
    if more is None:
        return found
    return torch.cat([found[0], more[0]]), np.concatenate([found[1], more[1]])


def _number(
    classifier: Classifier,
    chosen: Sequence[PenDigit],
    gap: tuple[float, float],
    pen: float,
    rng: np.random.Generator,
    fragments: bool = False,
) -> tuple[torch.Tensor, np.ndarray] | None:
    """Return the candidates of one composed number: scorer inputs and labels."""
    strokes, _ = compose_number(chosen, gap, rng)
    ink = to_ink(render(strokes, pen))
    whole = preprocess_ink(ink)
    pieces = find_pieces(ink, slanted=True)
    if whole is None or pieces is None:
        return None
    truth = []
    start = 0
    for digit in chosen:
        mine = strokes[start : start + len(digit.strokes)]
        start += len(digit.strokes)
        truth.append(to_ink(render(mine, pen)) >= 0.2)
    spans, inputs = candidates(pieces, whole)
    labels = []
    for first, stop in spans:
        x0, y0, x1, y1 = pieces.box(first, stop)
        marks = np.zeros(ink.shape, dtype=bool)
        marks[y0:y1, x0:x1] = pieces.image(first, stop) >= 0.2
        labels.append(label_candidates(marks, truth))
    probabilities, activations = classifier.outputs(np.stack(inputs))
    x = scorer_inputs(activations["F6"], probabilities, places(pieces, spans))
    found = x, np.array(labels)
    if fragments and gap[0] < 0:
        return _with_fragments(found, _fragment_sets(classifier, pieces, whole, truth))
    return found


def _growing(
    classifier: Classifier, digit: PenDigit, pen: float, rng: np.random.Generator
) -> tuple[torch.Tensor, np.ndarray] | None:
    """Return a digit at a few growing states, the whole ink as the candidate."""
    strokes, _ = compose_number([digit], (0.0, 0.0), rng)
    full = to_ink(render(strokes, pen)) >= 0.2
    states = []
    for k, stroke in enumerate(strokes):
        for end in sorted({2, len(stroke) // 3, 2 * len(stroke) // 3, len(stroke)}):
            if end >= 2:
                states.append([*strokes[:k], stroke[:end]])
    inputs, labels, geometries = [], [], []
    for state in states:
        ink = to_ink(render(state, pen))
        network_input = preprocess_ink(ink)
        if network_input is None:
            continue
        box = ink_box(ink)
        inputs.append(network_input)
        labels.append(label_candidates(ink >= 0.2, [full]))
        geometries.append(geometry(box, box, False, False))
    if not inputs:
        return None
    probabilities, activations = classifier.outputs(np.stack(inputs))
    return scorer_inputs(activations["F6"], probabilities, np.stack(geometries)), (
        np.array(labels)
    )


def _shape(
    classifier: Classifier, rng: np.random.Generator, fragments: bool = False
) -> tuple[torch.Tensor, np.ndarray] | None:
    """Return a drawn non-digit's candidates, every one labelled part (not digits)."""
    kind = SHAPES[int(rng.integers(len(SHAPES)))]
    scale = rng.uniform(150.0, 380.0)
    corner = rng.uniform(20.0, 428.0 - scale, 2)
    strokes = [s * scale + corner for s in non_digit_strokes(kind, rng)]
    ink = to_ink(render(strokes, float(rng.uniform(12, 26))))
    whole = preprocess_ink(ink)
    pieces = find_pieces(ink, slanted=True)
    if whole is None or pieces is None:
        return None
    spans, inputs = candidates(pieces, whole)
    probabilities, activations = classifier.outputs(np.stack(inputs))
    x = scorer_inputs(activations["F6"], probabilities, places(pieces, spans))
    found = x, np.full(len(spans), PART)
    if fragments:
        return _with_fragments(found, _fragment_sets(classifier, pieces, whole, None))
    return found


def samples(
    classifier: Classifier,
    digits: list[PenDigit],
    count: int,
    rng: np.random.Generator,
    fragments: bool = False,
) -> tuple[torch.Tensor, np.ndarray]:
    """Scorer inputs and labels from `count` composed numbers and growing digits.

    With `fragments`, the sets of fragments cut where strokes cross are
    candidates too, in touching numbers and drawn non-digits.
    """
    writers = sorted({d.writer for d in digits})
    by_writer = {w: [d for d in digits if d.writer == w] for w in writers}
    xs, ys = [], []
    for index in range(count):
        mine = by_writer[writers[int(rng.integers(len(writers)))]]
        if index % 10 == 7:
            found = _shape(classifier, rng, fragments)
        elif index % 5 == 4:
            digit = mine[int(rng.integers(len(mine)))]
            found = _growing(classifier, digit, float(rng.uniform(12, 26)), rng)
        else:
            k = int(rng.integers(1, 7))
            chosen = [mine[int(i)] for i in rng.integers(len(mine), size=k)]
            gap = TOUCHING if rng.random() < 0.6 else APART
            pen = {1: 24.0, 2: 24.0, 3: 16.0, 4: 16.0}.get(k, 12.0)
            pen *= rng.uniform(0.8, 1.2)
            found = _number(classifier, chosen, gap, pen, rng, fragments)
        if found is not None:
            xs.append(found[0])
            ys.append(found[1])
    return torch.cat(xs), np.concatenate(ys)


def train(
    x: torch.Tensor, y: np.ndarray, epochs: int = 60, seed: int = 0
) -> SegmentScorer:
    """Fit a scorer to inputs and labels (full-batch Adam, classes balanced)."""
    torch.manual_seed(seed)
    scorer = SegmentScorer()
    scorer.get_buffer("mean").copy_(x.mean(dim=0))
    scorer.get_buffer("scale").copy_(x.std(dim=0).clamp_min(1e-3))
    target = torch.from_numpy(y).long()
    counts = torch.bincount(target, minlength=3).float().clamp_min(1.0)
    loss_fn = torch.nn.CrossEntropyLoss(weight=counts.sum() / (3.0 * counts))
    optimiser = torch.optim.Adam(scorer.parameters(), lr=0.01, weight_decay=1e-4)
    order = torch.randperm(x.shape[0])
    for _ in range(epochs):
        for batch in order.split(512):
            optimiser.zero_grad()
            loss = loss_fn(scorer(x[batch]), target[batch])
            loss.backward()
            optimiser.step()
    return scorer.eval()


def _report(name: str, scorer: SegmentScorer, x: torch.Tensor, y: np.ndarray) -> None:
    found = scorer.log_probabilities(x).argmax(axis=1)
    parts = ", ".join(
        f"{label} {np.mean(found[y == k] == k):.1%} of {int((y == k).sum())}"
        for k, label in ((WHOLE, "whole"), (PART, "part"), (GLUED, "glued"))
    )
    print(f"{name}: {np.mean(found == y):.1%} right ({parts})")


def main(argv: list[str] | None = None) -> int:
    """Build the samples, train, print the figures and save the scorer."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--train-writers", default="1-18")
    parser.add_argument("--check-writers", default="19-24")
    parser.add_argument("--numbers", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--output", default="weights/segments.pt")
    parser.add_argument(
        "--fragments",
        action="store_true",
        help="also train on the sets of fragments cut where strokes cross",
    )
    parser.add_argument(
        "--glance",
        help="keep the scorer of the whole ink of this scorer file (e.g. the "
        "bundled one) and train only the scorers of paths",
    )
    args = parser.parse_args(argv)
    use_one_thread()
    classifier = Classifier.load()
    every = load_pen_digits(args.strokes)
    trained = _writers(args.train_writers)
    mine = [d for d in every if d.writer in trained]
    checked = [d for d in every if d.writer in _writers(args.check_writers)]
    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    if args.glance:
        # The scorer of the whole ink is kept as it is; only paths are trained.
        glance = load_scorer(args.glance)
        glance.paths = None
    else:
        x, y = samples(classifier, mine, args.numbers, rng)
    cx, cy = samples(classifier, checked, args.numbers // 3, rng)
    if not args.glance:
        print(f"samples: {x.shape[0]} ({time.perf_counter() - start:.0f} s)")
        glance = train(x, y)
        _report("at a glance, trained writers", glance, x, y)
    _report("at a glance, check writers", glance, cx, cy)
    members = [glance]
    for k in range(MEMBERS - 1 if args.fragments else 0):
        start = time.perf_counter()
        rng = np.random.default_rng(args.seed + k)
        x, y = samples(classifier, mine, args.numbers, rng, fragments=True)
        print(
            f"path member {k + 2}: {x.shape[0]} samples "
            f"({time.perf_counter() - start:.0f} s)"
        )
        members.append(train(x, y))
        _report(f"path member {k + 2}, trained writers", members[-1], x, y)
    while len(members) < MEMBERS:
        members.append(glance)  # without fragments: the glance scorer alone
    scorer = glance
    scorer.paths = fold(members)
    _report("on a path, check writers", scorer, cx, cy)
    torch.save(
        {k: v.detach().clone() for k, v in scorer.state_dict().items()}, args.output
    )
    print(f"saved {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
