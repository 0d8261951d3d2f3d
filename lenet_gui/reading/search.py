"""The candidates of a line of pieces, and the best path through them.

The second half of the paper's heuristic over-segmentation (LeCun et al.
1998, section V): every run of one to `MAX_PIECES` neighbouring pieces is a
candidate digit; once each is scored, the best path from the first piece to
the last, for each number of digits, is found by dynamic programming.
numpy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lenet_gui.imaging.preprocess import preprocess_ink
from lenet_gui.reading.pieces import Pieces

__all__ = ["MAX_PIECES", "best_paths", "candidates"]

#: A candidate digit joins at most this many neighbouring pieces.
MAX_PIECES = 5
# A candidate of several pieces is at most this many line heights wide.
_MAX_WIDTH = 1.5


def candidates(
    pieces: Pieces,
    whole: np.ndarray,
    prepare: Callable[[np.ndarray], np.ndarray | None] = preprocess_ink,
) -> tuple[list[tuple[int, int]], list[np.ndarray]]:
    """Return the candidate digits of the pieces and their network inputs.

    Every run of one to `MAX_PIECES` neighbouring pieces no wider than
    `_MAX_WIDTH` line heights (a single piece may be wider), and always the
    whole ink, whose input is `whole`.
    """
    n = pieces.count
    spans: list[tuple[int, int]] = []
    inputs: list[np.ndarray] = []
    for first in range(n):
        for stop in range(first + 1, min(n, first + MAX_PIECES) + 1):
            if (first, stop) == (0, n):
                network_input: np.ndarray | None = whole
            else:
                x0, _, x1, _ = pieces.box(first, stop)
                if stop - first > 1 and x1 - x0 > _MAX_WIDTH * pieces.height:
                    break
                network_input = prepare(pieces.image(first, stop))
            if network_input is None:
                continue
            spans.append((first, stop))
            inputs.append(network_input)
    if (0, n) not in spans:
        spans.append((0, n))
        inputs.append(whole)
    return spans, inputs


def best_paths(
    n: int, spans: list[tuple[int, int]], scores: np.ndarray
) -> dict[int, tuple[float, list[int]]]:
    """Find the best path from piece 0 to piece n for each number of digits.

    Returns a mapping from the number of digits to the path's total score and
    the indices (into `spans`) of its candidates, left to right.
    """
    ending: list[list[int]] = [[] for _ in range(n + 1)]
    for index, (_, stop) in enumerate(spans):
        ending[stop].append(index)
    # best[j][k]: the best score of k candidates covering pieces 0..j - 1.
    best: list[dict[int, tuple[float, int]]] = [{} for _ in range(n + 1)]
    best[0][0] = (0.0, -1)
    for stop in range(1, n + 1):
        for index in ending[stop]:
            first = spans[index][0]
            for k, (score, _) in best[first].items():
                total = score + float(scores[index])
                if k + 1 not in best[stop] or total > best[stop][k + 1][0]:
                    best[stop][k + 1] = (total, index)
    paths: dict[int, tuple[float, list[int]]] = {}
    for k, (total, _) in best[n].items():
        chosen = []
        stop, count = n, k
        while count > 0:
            index = best[stop][count][1]
            chosen.append(index)
            stop, count = spans[index][0], count - 1
        paths[k] = (total, chosen[::-1])
    return paths
