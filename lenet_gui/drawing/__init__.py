"""The paper and pen: digits drawn as the canvas draws them, QtGui only, no widgets."""

from lenet_gui.drawing.paper import (
    DEFAULT_PEN_WIDTH,
    PAPER_SIZE,
    Drawing,
    Paper,
    Stroke,
    render,
)

__all__ = ["DEFAULT_PEN_WIDTH", "PAPER_SIZE", "Drawing", "Paper", "Stroke", "render"]
