"""Candidate digits as sets of fragments, and the best cover of the fragments.

When digits cross (:mod:`lenet_gui.reading.fragments`), a digit is a set of
fragments that need not be a run from left to right: the two halves of a
5's bar with the 1 that crosses it in between. The fragments are numbered
by their centre, left to right; a candidate is a set of up to `WINDOW`
neighbouring fragments that hang together (they touch, or overlap in
columns like the two strokes of a 4) and is no wider than `_MAX_WIDTH` line
heights. The best path is now an exact cover: every fragment belongs to
exactly one digit, each digit taking the leftmost fragment not yet taken,
found by dynamic programming over the fragments taken so far.

numpy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lenet_gui.reading.fragments import Fragments
from lenet_gui.reading.segment_scorer import GEOMETRY, geometry

__all__ = ["WINDOW", "best_covers", "fragment_candidates", "fragment_places"]

#: A candidate takes fragments among this many neighbours, its first included.
WINDOW = 5
# At most this many candidates are read: the window narrows until they fit.
MAX_CANDIDATES = 160
# A candidate of several fragments is at most this many line heights wide.
_MAX_WIDTH = 1.5
# Fragments whose columns overlap over this fraction of the narrower hang
# together even when they do not touch (the strokes of a 4 or a 5).
_OVERLAP = 0.5


def _together(fragments: Fragments) -> np.ndarray:
    """(n, n) bool: which fragments may be parts of one digit directly."""
    boxes = fragments.boxes
    left, right = boxes[:, 0], boxes[:, 2]
    shared = np.minimum(right[:, None], right[None, :]) - np.maximum(
        left[:, None], left[None, :]
    )
    narrower = np.minimum((right - left)[:, None], (right - left)[None, :])
    overlapping = shared >= _OVERLAP * np.maximum(narrower, 1)
    together: np.ndarray = fragments.touching | overlapping
    np.fill_diagonal(together, False)
    return together


def _connected(members: list[int], together: np.ndarray) -> bool:
    """Whether the members hang together through `together`."""
    seen = {members[0]}
    todo = [members[0]]
    while todo:
        k = todo.pop()
        for m in members:
            if m not in seen and together[k, m]:
                seen.add(m)
                todo.append(m)
    return len(seen) == len(members)


def _sets(fragments: Fragments, window: int) -> list[tuple[int, ...]]:
    """Every candidate set of fragments within `window` neighbours."""
    n = fragments.count
    together = _together(fragments)
    limit = _MAX_WIDTH * fragments.height
    boxes = fragments.boxes
    found: list[tuple[int, ...]] = []
    for first in range(n):
        others = list(range(first + 1, min(n, first + window)))
        for choice in range(1 << len(others)):
            members = [first] + [m for i, m in enumerate(others) if choice >> i & 1]
            if len(members) > 1:
                x0 = int(boxes[members, 0].min())
                x1 = int(boxes[members, 2].max())
                if x1 - x0 > limit or not _connected(members, together):
                    continue
            found.append(tuple(members))
    return found


def fragment_candidates(
    fragments: Fragments,
    whole: np.ndarray,
    prepare: Callable[[np.ndarray], np.ndarray | None],
) -> tuple[list[tuple[int, ...]], list[np.ndarray]]:
    """Return the candidate sets of fragments and their network inputs.

    The whole ink is always a candidate, with the input `whole`.
    """
    n = fragments.count
    window = WINDOW
    sets = _sets(fragments, window)
    while len(sets) > MAX_CANDIDATES and window > 2:
        window -= 1
        sets = _sets(fragments, window)
    everything = tuple(range(n))
    chosen: list[tuple[int, ...]] = []
    inputs: list[np.ndarray] = []
    for members in sets:
        if members == everything:
            continue
        network_input = prepare(fragments.image(members))
        if network_input is not None:
            chosen.append(members)
            inputs.append(network_input)
    chosen.append(everything)
    inputs.append(whole)
    return chosen, inputs


def fragment_places(
    fragments: Fragments, sets: list[tuple[int, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the (N, GEOMETRY) geometry of candidate sets, and their cuts.

    A side of a candidate is a cut when one of its fragments touches a
    fragment outside it whose centre lies on that side; the second array
    counts the cut sides (0, 1 or 2) of each candidate.
    """
    n = fragments.count
    line = fragments.box(range(n))
    centres = fragments.centres
    rows = []
    cuts = np.zeros(len(sets))
    for index, members in enumerate(sets):
        inside = np.zeros(n, dtype=bool)
        inside[list(members)] = True
        outside = fragments.touching[inside].any(axis=0) & ~inside
        middle = float(centres[inside].mean())
        cut_left = bool((outside & (centres < middle)).any())
        cut_right = bool((outside & (centres >= middle)).any())
        cuts[index] = int(cut_left) + int(cut_right)
        rows.append(geometry(fragments.box(members), line, cut_left, cut_right))
    return np.stack(rows).reshape(-1, GEOMETRY), cuts


def best_covers(
    n: int, sets: list[tuple[int, ...]], scores: np.ndarray
) -> dict[int, tuple[float, list[int]]]:
    """Find the best cover of fragments 0..n - 1 for each number of digits.

    Every fragment belongs to exactly one candidate; each step takes a
    candidate holding the lowest fragment not yet covered. Returns a mapping
    from the number of digits to the total score and the indices (into
    `sets`) of the candidates, left to right by their first fragment.
    """
    starting: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for index, members in enumerate(sets):
        mask = 0
        for m in members:
            mask |= 1 << m
        starting[members[0]].append((index, mask))
    full = (1 << n) - 1
    # best[mask][k]: the best score of k candidates covering `mask`, and how.
    best: dict[int, dict[int, tuple[float, int, int]]] = {0: {0: (0.0, -1, -1)}}
    buckets: list[list[int]] = [[] for _ in range(n + 1)]
    buckets[0].append(0)
    for low in range(n):
        for mask in buckets[low]:
            for index, taken in starting[low]:
                if mask & taken:
                    continue
                after = mask | taken
                if after not in best:
                    best[after] = {}
                    rest = ~after & full
                    buckets[(rest & -rest).bit_length() - 1 if rest else n].append(
                        after
                    )
                here = best[after]
                for k, (score, _, _) in best[mask].items():
                    total = score + float(scores[index])
                    if k + 1 not in here or total > here[k + 1][0]:
                        here[k + 1] = (total, mask, index)
    paths: dict[int, tuple[float, list[int]]] = {}
    for k, (total, _, _) in best.get(full, {}).items():
        chosen = []
        mask, count = full, k
        while count > 0:
            _, before, index = best[mask][count]
            chosen.append(index)
            mask, count = before, count - 1
        paths[k] = (total, chosen[::-1])
    return paths
