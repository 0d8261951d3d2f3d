"""The picture the network reads, made by Qt: the paper and pen, and image files.

QtGui and numpy; never widgets or torch. May import ``spec``, ``imaging``, ``files``.
"""

from lenet_gui.drawing.paper import (
    DEFAULT_PEN_WIDTH,
    PAPER_SIZE,
    Drawing,
    Paper,
    Stroke,
    render,
)

__all__ = ["DEFAULT_PEN_WIDTH", "PAPER_SIZE", "Drawing", "Paper", "Stroke", "render"]
