"""Read digits that cross from fragments, when the cuts read them badly.

:class:`~lenet_gui.reading.number.NumberReader` reads a line cut into
pieces; when digits cut out of one stroke read badly on the best path, the
pieces are cut again where strokes cross
(:func:`~lenet_gui.reading.fragments.split_at_crossings`), every candidate
set of fragments (:mod:`lenet_gui.reading.crossing`) is read by LeNet-5
and the segment scorer and scored as a run of pieces is, and the best
exact cover is the reading when it scores higher than the path of pieces.

Uses torch and numpy, never Qt.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from lenet_gui.network.model import Ablation
from lenet_gui.reading.candidate_reads import CandidateReads
from lenet_gui.reading.crossing import (
    best_covers,
    fragment_candidates,
    fragment_places,
)
from lenet_gui.reading.fragments import split_at_crossings
from lenet_gui.reading.path_verdict import (
    Terms,
    candidate_scores,
    refusal,
    unsure_split,
)
from lenet_gui.reading.pieces import Pieces
from lenet_gui.reading.result import DigitRead, Reading
from lenet_gui.reading.segment_scorer import WHOLE, SegmentScorer, scorer_inputs

__all__ = ["read_fragments"]


class _Reader(Protocol):
    """What is used of the number reader."""

    scorer: SegmentScorer | None
    reads: CandidateReads


def read_fragments(
    reader: _Reader,
    pieces: Pieces,
    whole: np.ndarray,
    how: tuple[Ablation | None, object],
    limits: tuple[float | None, float | None],
    terms: Terms,
) -> Reading | None:
    """Read the pieces' fragments; None unless their best cover is good enough.

    `how` is the reading's ablation and input transform (None or a
    callable on each network input). `limits` are the score the best cover
    must beat (with None, it must hold several digits: the ink read whole
    is one of the covers) and the score per digit it must reach (None: any).
    """
    ablation, transform = how
    beat, floor = limits
    scorer = reader.scorer
    assert scorer is not None
    fragments = split_at_crossings(pieces)
    if fragments is None:
        return None
    sets, inputs = fragment_candidates(fragments, whole, reader.reads.network_input)
    batch = np.stack(inputs)
    if callable(transform):
        batch = np.stack([transform(x) for x in batch])
    remember = transform is None and not ablation
    probabilities, chances, f6 = reader.reads.batch(batch, ablation, remember)
    place, cuts = fragment_places(fragments, sets)
    whole_log = scorer.log_probabilities(scorer_inputs(f6, probabilities, place))
    scores = candidate_scores(probabilities, chances, whole_log[:, WHOLE], terms)
    scores -= terms.cut_cost * cuts / 2.0
    x0, _, x1, _ = fragments.box(range(fragments.count))
    if x1 - x0 > terms.wide_whole * fragments.height:
        scores[-1] -= 1e6  # the whole ink, always the last candidate
    paths = best_covers(fragments.count, sets, scores)
    if not paths:
        return None
    count = max(paths, key=lambda k: paths[k][0])
    best, chosen = paths[count]
    if (count < 2) if beat is None else (best <= beat):
        return None
    if floor is not None and best / count < floor:
        return None
    judged = reader.reads.cutoff < 1.0
    digits = [
        DigitRead(
            reader.reads.alone(batch[i].copy(), ablation, remember),
            fragments.box(sets[i]),
            float(chances[i]) if judged else None,
        )
        for i in chosen
    ]
    strokes = {int(fragments.stroke[m]) for i in chosen for m in sets[i]}
    refused = refusal(
        digits, reader.reads.cutoff, best, scored=True, judged=judged, strokes=strokes
    )
    return Reading(
        tuple(digits),
        refused,
        unsure_split(paths, count, probabilities),
        {k: float(v[0]) for k, v in paths.items()},
    )
