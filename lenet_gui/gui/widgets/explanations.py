"""The teaching texts: each view's "What am I looking at?", the glossary, the tour.

Every text is written for a student who has never met a convolutional
network. The numbers they quote (sizes, counts, levels) are read from the
specification handed in, never retyped. Terms of the glossary are links
(``glossary:<term>``, see :func:`glossary_link`), so a view can open the
glossary at the word a person did not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "GLOSSARY_SCHEME",
    "TourStep",
    "glossary",
    "glossary_link",
    "tour_steps",
    "view_explanations",
]

#: The scheme of the links that open the glossary at a term.
GLOSSARY_SCHEME = "glossary:"

_TIMES = "\N{MULTIPLICATION SIGN}"


def glossary_link(term: str, words: str | None = None) -> str:
    """Return a rich-text link to the glossary's `term`, reading `words` (the term)."""
    return f'<a href="{GLOSSARY_SCHEME}{term}">{words or term}</a>'


def _maps(spec: Any, name: str) -> str:
    """Return "6 maps of 28×28 units" for layer `name`."""
    layer = spec.layer(name)
    return f"{layer.maps} maps of {layer.side}{_TIMES}{layer.side} units"


def _c3_reads(spec: Any) -> str:
    """Return "3 to 6" for the number of S2 maps each C3 map reads."""
    counts = sorted({len(sources) for sources in spec.layer("C3").table})
    return f"{counts[0]} to {counts[-1]}"


def view_explanations(spec: Any) -> dict[str, str]:
    """Return each view's "What am I looking at?" text (rich text), by panel name.

    Two or three plain sentences each; glossary terms are links.
    """
    g = glossary_link
    c1, s2, c5, f6 = (spec.layer(n) for n in ("C1", "S2", "C5", "F6"))
    side = spec.input_size
    kernel = f"{c1.kernel}{_TIMES}{c1.kernel}"
    output = spec.layers[-1]
    return {
        "maps": (
            f"Each small square is a {g('feature map')}: one pattern detector slid "
            f"over your digit (a {g('convolution')}), red where it finds its pattern, "
            "blue where it finds "
            f"the opposite. The label C1 \N{MIDDLE DOT} "
            f"{c1.maps}@{c1.side}{_TIMES}{c1.side} means {_maps(spec, 'C1')}; each "
            f"C1 unit looks at a {kernel} patch of the {side}{_TIMES}{side} input "
            f"through its {g('kernel')}. S2 and S4 {g('subsampling', 'shrink')} the "
            f"maps by half, C3 combines S2's maps; hover a unit to see its sum, "
            "right-click it to step through that sum."
        ),
        "network": (
            f"The whole network from left to right: the {side}{_TIMES}{side} input, "
            f"four layers of {g('feature map', 'feature maps')}, then {c5.name}'s "
            f"{c5.maps} units and {f6.name}'s {f6.maps}, each reading everything "
            f"before it. The last {output.maps} units are the {g('logit', 'scores')} "
            f"of the ten digits, which the {g('softmax')} turns into "
            f"{g('calibration', 'calibrated')} probabilities. "
            "Click a stage to see it large; right-click a unit to step through "
            "its sum."
        ),
        "kernels": (
            f"What the network learned: each {kernel} {g('kernel')} is a small "
            f"stencil of weights (red adds, blue subtracts) that C1 slides over the "
            f"input to make one map. Each C3 map reads {_c3_reads(spec)} of S2's "
            f"{s2.maps} maps, one kernel per map it reads; empty cells are "
            "connections the network does not have. Right-click a kernel to step "
            "through its map's sum on your drawing."
        ),
        "attribution": (
            f"Which pixels of the input made the network choose this digit: red "
            f"pixels pushed it towards the digit, blue pixels pushed it away. This "
            f"is an {g('attribution')}; the numbers are shares of the digit's "
            f"{g('logit', 'score')}, measured from a blank page."
        ),
        "looks-for": (
            f"A {g('feature map')} lights up for some pattern. Here are the MNIST "
            f"digits that light the chosen map up most, with the patch its "
            f"strongest unit sees (its {g('receptive field')}) framed: what they "
            "share is what the map looks for. Step Through Its Sum shows how your "
            "own drawing's strongest unit in the map adds up."
        ),
        "invariance": (
            "Move a slider to shift, scale, rotate, squeeze, thicken or add noise "
            "to your drawing and watch the reading follow. Each chart shows the "
            "ten digits' probabilities across the slider's range: where the curves "
            "cross, the reading breaks."
        ),
        "compare": (
            "Pin one drawing (Ctrl+P), then draw another: every layer of the two is "
            "shown side by side with their difference, so you see where the network "
            f"starts to tell them apart. The difference is in the {g('feature map')}s' "
            f"own units, after the {g('squashing function')}."
        ),
        "checkpoints": (
            "The same network at moments of its training, from random weights to "
            "the end: move the slider and watch the kernels, the maps and the "
            "reading appear. On the chart, \N{LEFT DOUBLE QUOTATION MARK}b"
            "\N{RIGHT DOUBLE QUOTATION MARK} stands for batches (groups of training "
            "digits seen so far), and the curve is the accuracy on MNIST's test digits."
        ),
        "convolution": (
            f"One unit's sum, worked out in numbers: its {kernel} window of inputs x, "
            f"the {g('kernel')}'s weights w, each product x\N{MIDDLE DOT}w, their sum "
            f"plus the bias, and the {g('squashing function')} that gives the unit's "
            "value. Step (arrow keys) or play (Space) to slide the window across the "
            f"input and watch the {g('feature map')} fill in, one unit at a time."
        ),
        "my_digits": (
            "The digits you taught the network: when it misreads you, tell it the "
            "right digit under the reading and the drawing is kept here. With one or "
            "two of each digit, Adapt fine-tunes a copy of the network to your "
            "handwriting in seconds, without forgetting MNIST."
        ),
    }


def glossary(spec: Any) -> dict[str, str]:
    """Return the glossary: each term's explanation in plain words (rich text)."""
    c1, s2, c3 = (spec.layer(n) for n in ("C1", "S2", "C3"))
    kernel = f"{c1.kernel}{_TIMES}{c1.kernel}"
    side = spec.input_size
    sub = f"{s2.kernel}{_TIMES}{s2.kernel}"
    return {
        "feature map": (
            "A picture the network makes from the one below: one detector applied at "
            "every place, so each unit says how strongly its pattern is there. "
            f"C1 \N{MIDDLE DOT} {c1.maps}@{c1.side}{_TIMES}{c1.side} means "
            f"{_maps(spec, 'C1')} each."
        ),
        "kernel": (
            f"A small grid of learned weights ({kernel} in LeNet-5). Laid over a "
            "patch, each weight multiplies the value under it; the products are "
            "added, with a bias, to give one unit."
        ),
        "convolution": (
            f"Sliding one {glossary_link('kernel')} over every place of a map and "
            "working out its sum at each: the same detector everywhere, so a stroke "
            f"is found wherever it is. C1 slides {kernel} kernels over the "
            f"{side}{_TIMES}{side} input and gets {c1.side}{_TIMES}{c1.side} maps."
        ),
        "subsampling": (
            f"Shrinking a map by half: each {sub} block is added up, times one "
            "learned coefficient, plus a bias. The maps get coarser, so a stroke "
            f"moved by a pixel changes them less (S2: {s2.maps}@{s2.side}{_TIMES}"
            f"{s2.side})."
        ),
        "squashing function": (
            f"What every layer up to F6 does to its sums: f(a) = {spec.amplitude} "
            f"tanh({spec.slope:.3g}\N{MIDDLE DOT}a) (a scaled tanh). Large sums "
            f"level off at \N{PLUS-MINUS SIGN}{spec.amplitude}, so no unit can "
            "grow without bound."
        ),
        "receptive field": (
            "The patch of the input a unit can see. It grows layer by layer: a C1 "
            f"unit sees {spec.receptive_field('C1').size}\N{NO-BREAK SPACE}px, "
            f"a C3 unit {spec.receptive_field('C3').size}\N{NO-BREAK SPACE}px, "
            f"and from C5 on every unit sees all {side}{_TIMES}{side} pixels."
        ),
        "logit": (
            "The raw score of one digit: the sum the output unit works out before "
            "anything turns it into a probability. Larger means more likely; it can "
            "be any number, negative too."
        ),
        "softmax": (
            f"Turns the ten {glossary_link('logit', 'logits')} into probabilities "
            "that add up to 100 %: each is raised as e to its power and divided by "
            "the total. A logit a few points above the others gets almost all of it."
        ),
        "calibration": (
            "Making the probabilities honest: among drawings read at 90 %, about "
            "90 % should be right. The app's probabilities were calibrated on "
            "writers the network never saw in training."
        ),
        "attribution": (
            "Sharing out a reading among the input's pixels: how much each pixel "
            "pushed the score up (red) or down (blue). The app uses integrated "
            "gradients, whose shares add up to the change of the score from a "
            "blank page."
        ),
        "unit": (
            "One number in a layer: one place of one "
            f"{glossary_link('feature map')}, or one of C5's, F6's or the output's "
            f"neurons. C3 alone has {c3.maps * c3.side * c3.side:,} of them."
        ),
    }


@dataclass(frozen=True)
class TourStep:
    """One stop of the guided tour.

    Attributes
    ----------
    target : str
        What the stop speaks of: ``"canvas"``, ``"input"``, a layer's name
        (``"C1"`` ... ``"F6"``) or ``"output"``.
    title : str
        The stop's heading.
    text : str
        What to look at, in plain words (rich text with glossary links).
    """

    target: str
    title: str
    text: str


def tour_steps(spec: Any) -> list[TourStep]:
    """Return the guided tour: the drawing, the input, each layer, the output."""
    g = glossary_link
    c1, s2, c3, s4, c5, f6 = (
        spec.layer(n) for n in ("C1", "S2", "C3", "S4", "C5", "F6")
    )
    side = spec.input_size
    box = spec.box
    field = spec.field
    return [
        TourStep(
            "canvas",
            "Your drawing",
            "Everything starts here: draw a digit with the mouse (or pick an "
            "example). The network reads it again at every movement of the pen.",
        ),
        TourStep(
            "input",
            "What the network receives",
            f"Your drawing is cropped to its ink, scaled to fit {box}{_TIMES}{box}, "
            f"centred in {field}{_TIMES}{field} and padded to {side}{_TIMES}{side} "
            "pixels, the way the MNIST digits it learned from were made.",
        ),
        TourStep(
            "C1",
            f"C1: {c1.maps} detectors of strokes",
            f"C1 slides {c1.maps} small {g('kernel', 'kernels')} over the input "
            f"({g('convolution')}) and makes {_maps(spec, 'C1')}. Each "
            f"{g('feature map')} is red where your digit has that map's kind of "
            "stroke.",
        ),
        TourStep(
            "S2",
            "S2: the same maps, coarser",
            f"S2 {g('subsampling', 'halves')} each C1 map to "
            f"{s2.side}{_TIMES}{s2.side}: a stroke moved by a pixel now changes the "
            "maps less.",
        ),
        TourStep(
            "C3",
            f"C3: {c3.maps} combinations",
            f"Each of C3's {c3.maps} maps reads {_c3_reads(spec)} of S2's maps at "
            "once, so it finds combinations of strokes: corners, crossings, loops.",
        ),
        TourStep(
            "S4",
            "S4: coarser again",
            f"S4 halves C3's maps to {s4.side}{_TIMES}{s4.side}. Each unit now sees "
            f"a {spec.receptive_field('S4').size}-pixel {g('receptive field')} of "
            "the input.",
        ),
        TourStep(
            "C5",
            f"C5: {c5.maps} units",
            f"Each of C5's {c5.maps} units reads all {s4.maps} S4 maps: every one "
            "sees the whole digit, and none is tied to a place any more.",
        ),
        TourStep(
            "F6",
            f"F6: {f6.maps} units",
            f"F6's {f6.maps} units each read all {c5.maps} C5 units, shown as the "
            f"paper's grid. Every layer so far ends with the "
            f"{g('squashing function')}.",
        ),
        TourStep(
            "output",
            "The reading",
            f"Ten {g('logit', 'scores')}, one per digit, become probabilities "
            f"through the {g('softmax')}; the largest is the reading.",
        ),
    ]
