"""Each stroke of the canvas drawn alone, for reading a number by its strokes.

:class:`StrokeInks` draws every stroke on a fresh paper with its own pen,
as :func:`~lenet_gui.drawing.paper.render` draws it, cut to its box
(:class:`~lenet_gui.reading.stroke_runs.StrokeInk`). A stroke kept in the
paper's history is the same object from one reading to the next, so it is
drawn once and keeps its key; the stroke still being drawn is drawn anew.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from lenet_gui.drawing.paper import Stroke, render

if TYPE_CHECKING:
    from lenet_gui.reading.stroke_runs import StrokeInk

__all__ = ["StrokeInks"]

# Keys unique in the process: a reader remembers runs by their strokes' keys,
# whichever StrokeInks drew them.
_SERIAL = itertools.count()


class StrokeInks:
    """The strokes of the latest drawing, each drawn alone once."""

    def __init__(self) -> None:
        # By id: the stroke itself (so the id stays its own) and its ink.
        self._known: dict[int, tuple[Stroke, StrokeInk | None]] = {}

    def of(self, strokes: Sequence[Stroke]) -> list[StrokeInk]:
        """Return the inks of `strokes`, in order; strokes that ink nothing left out."""
        known: dict[int, tuple[Stroke, StrokeInk | None]] = {}
        for stroke in strokes:
            found = self._known.get(id(stroke))
            if found is None or found[0] is not stroke:
                found = (stroke, self._drawn(stroke))
            known[id(stroke)] = found
        self._known = known
        return [ink for _, ink in known.values() if ink is not None]

    def _drawn(self, stroke: Stroke) -> StrokeInk | None:
        from lenet_gui.reading.stroke_runs import StrokeInk

        ink = render([stroke.points], stroke.width)
        rows = np.flatnonzero(ink.any(axis=1))
        if rows.size == 0:
            return None
        cols = np.flatnonzero(ink[rows[0] : rows[-1] + 1].any(axis=0))
        top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        part = ink[top:bottom, left:right].astype(np.float32) / np.float32(255.0)
        return StrokeInk(next(_SERIAL), part, int(left), int(top))
