"""The explorer's panels: one view each, kept up to date from the session.

To add a panel: subclass :class:`Panel` in a module of its own (its view
widget in :mod:`lenet_gui.gui.widgets`), and list it in :func:`make_panels`.
The window gives it a tab and shows it by name (``window.show_panel(name)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lenet_gui.gui.panels.attribution import AttributionPanel
from lenet_gui.gui.panels.checkpoints import CheckpointsPanel
from lenet_gui.gui.panels.compare import ComparePanel
from lenet_gui.gui.panels.convolution import ConvolutionPanel
from lenet_gui.gui.panels.invariance import InvariancePanel
from lenet_gui.gui.panels.kernels import KernelsPanel
from lenet_gui.gui.panels.maps import MapsPanel
from lenet_gui.gui.panels.my_digits import MyDigitsPanel
from lenet_gui.gui.panels.network import NetworkPanel
from lenet_gui.gui.panels.panel import Panel
from lenet_gui.gui.panels.top_digits import TopDigitsPanel

if TYPE_CHECKING:
    from lenet_gui.drawing.examples import Example
    from lenet_gui.gui.state.session import ExplorerSession

__all__ = [
    "ComparePanel",
    "InvariancePanel",
    "KernelsPanel",
    "MapsPanel",
    "MyDigitsPanel",
    "NetworkPanel",
    "Panel",
    "TopDigitsPanel",
    "make_panels",
]


def make_panels(session: ExplorerSession, examples: Sequence[Example]) -> list[Panel]:
    """Return the window's panels, in the order of their tabs; the first is shown."""
    return [
        MapsPanel(session, examples),
        NetworkPanel(session),
        KernelsPanel(session),
        AttributionPanel(session),
        TopDigitsPanel(session),
        InvariancePanel(session),
        ComparePanel(session),
        CheckpointsPanel(session),
        ConvolutionPanel(session),
        MyDigitsPanel(session),
    ]
