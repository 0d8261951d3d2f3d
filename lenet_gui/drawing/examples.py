"""Example digits to start from: MNIST digits and real pen trajectories as strokes.

``resources/examples.json`` (made by ``resources/make_examples.py``) holds
ten MNIST test digits traced into pen strokes and ten digits written with a
stylus by real people (UCI pen-digits), placed on the paper as a person
would draw them. They load onto the canvas as strokes, so undo and further
drawing work on them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, Stroke
from lenet_gui.files.bundled import bundled_file
from lenet_gui.files.safe_read import read_regular_file

__all__ = ["EXAMPLES_FILE", "Example", "load_examples"]

#: The examples shipped with the app.
EXAMPLES_FILE = bundled_file("resources/examples.json")
# Largest examples file read: the twenty examples take 31 KB.
_MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class Example:
    """One example digit: what it is, where it comes from, and its strokes."""

    label: int
    source: str
    strokes: tuple[Stroke, ...]


def load_examples(path: Path = EXAMPLES_FILE) -> list[Example]:
    """Read the examples; an empty list if the file is missing or unusable.

    Examples are a convenience: a damaged file must not stop the app, so
    anything unreadable is skipped rather than raised.
    """
    try:
        entries = json.loads(read_regular_file(path, _MAX_BYTES).decode("utf-8"))
    except ValueError:  # refused, not UTF-8 or not JSON
        return []
    examples = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            strokes = tuple(
                Stroke(
                    tuple((float(x), float(y)) for x, y in points), DEFAULT_PEN_WIDTH
                )
                for points in entry["strokes"]
                if len(points) > 0
            )
            example = Example(int(entry["label"]), str(entry["source"]), strokes)
        except (KeyError, TypeError, ValueError):
            continue
        if strokes:
            examples.append(example)
    return examples
