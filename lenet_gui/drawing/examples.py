"""Example digits to start from: MNIST digits and real pen trajectories as strokes.

``resources/examples.json`` (made by ``resources/make_examples.py``) holds
ten MNIST test digits traced into pen strokes, ten digits written with a
stylus by real people (UCI pen-digits) and a few instructive ones (a 1 that
looks like a 7), placed on the paper as a person would draw them. Each says
what it is ("MNIST test #35, written as a 2", "pen digit, writer 14, written
as a 4"). They load onto the canvas as strokes, so undo and further drawing
work on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, Stroke
from lenet_gui.files.bounded_json import UnusableJson, read_json
from lenet_gui.files.bundled import bundled_file

__all__ = ["EXAMPLES_FILE", "KINDS", "Example", "load_examples"]

#: The examples shipped with the app.
EXAMPLES_FILE = bundled_file("resources/examples.json")
# Largest examples file read: the 24 examples take 34 KB.
_MAX_BYTES = 1 << 20
# Deepest nesting read: examples need 4 (list, entry, strokes, points).
_MAX_DEPTH = 8


#: The kinds of example, in the order they are offered, with their titles.
KINDS = {
    "mnist": "MNIST test digits, traced into strokes",
    "pen": "Digits written with a pen by people (UCI pen-digits)",
    "lesson": "Written in ways that could mislead a person; the network reads "
    "them right",
}


@dataclass(frozen=True)
class Example:
    """One example digit: what it is, where it comes from, and its strokes.

    Attributes
    ----------
    label : int
        The digit it is.
    source : str
        What it is, for people: "MNIST test #35, written as a 2", "pen
        digit, writer 21: a 1 with a long flag, that looks like a 7".
    strokes : tuple of Stroke
        The pen strokes, on the paper.
    kind : str
        ``"mnist"``, ``"pen"`` or ``"lesson"`` (see :data:`KINDS`).
    caption : str
        A few words under its thumbnail ("#35", "writer 14", "1, not 7").
    """

    label: int
    source: str
    strokes: tuple[Stroke, ...]
    kind: str = "pen"
    caption: str = ""


def load_examples(path: Path = EXAMPLES_FILE) -> list[Example]:
    """Read the examples; an empty list if the file is missing or unusable.

    Examples are a convenience: a damaged file must not stop the app, so
    anything unreadable is skipped rather than raised.
    """
    try:
        entries = read_json(path, _MAX_BYTES, _MAX_DEPTH)
    except UnusableJson:  # refused, not UTF-8, not JSON or nested too deep
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
            kind = str(entry.get("kind", "pen"))
            example = Example(
                int(entry["label"]),
                str(entry["source"]),
                strokes,
                kind if kind in KINDS else "pen",
                str(entry.get("caption", "")),
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
        if strokes:
            examples.append(example)
    return examples
