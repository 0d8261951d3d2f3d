"""Qt widgets of the app. They take and give numpy arrays; none imports torch.

The widgets of the window as it opens are imported with the package; the
views of the other tabs only when first asked for (``from
lenet_gui.gui.widgets import KernelView`` works the same), so their code is
not read before the window is first painted.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from lenet_gui.gui.widgets.digit_boxes import DigitBoxes
from lenet_gui.gui.widgets.drawing_canvas import DrawingCanvas
from lenet_gui.gui.widgets.experiments_bar import ExperimentsBar
from lenet_gui.gui.widgets.feature_map_panel import FeatureMapPanel
from lenet_gui.gui.widgets.network_input_view import NetworkInputView
from lenet_gui.gui.widgets.prediction_label import PredictionLabel
from lenet_gui.gui.widgets.probability_chart import ProbabilityChart
from lenet_gui.gui.widgets.unit_sum_view import UnitSumView
from lenet_gui.gui.widgets.welcome_view import WelcomeView

if TYPE_CHECKING:
    from lenet_gui.gui.widgets.attribution_view import AttributionView
    from lenet_gui.gui.widgets.checkpoint_view import CheckpointView
    from lenet_gui.gui.widgets.comparison_view import ComparisonView
    from lenet_gui.gui.widgets.convolution_view import ConvolutionView
    from lenet_gui.gui.widgets.invariance_view import InvarianceView
    from lenet_gui.gui.widgets.kernel_view import KernelView
    from lenet_gui.gui.widgets.network_view import NetworkView
    from lenet_gui.gui.widgets.top_digits_view import TopDigitsView

#: The other tabs' views, by name: the module each is imported from when asked for.
_ON_DEMAND = {
    "AttributionView": "attribution_view",
    "CheckpointView": "checkpoint_view",
    "ComparisonView": "comparison_view",
    "ConvolutionView": "convolution_view",
    "InvarianceView": "invariance_view",
    "KernelView": "kernel_view",
    "NetworkView": "network_view",
    "TopDigitsView": "top_digits_view",
}

__all__ = [
    "AttributionView",
    "CheckpointView",
    "ComparisonView",
    "ConvolutionView",
    "DigitBoxes",
    "DrawingCanvas",
    "ExperimentsBar",
    "FeatureMapPanel",
    "InvarianceView",
    "KernelView",
    "NetworkInputView",
    "NetworkView",
    "PredictionLabel",
    "ProbabilityChart",
    "TopDigitsView",
    "UnitSumView",
    "WelcomeView",
]


def __getattr__(name: str) -> Any:
    """Import one of the other tabs' views the first time it is asked for."""
    module = _ON_DEMAND.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
