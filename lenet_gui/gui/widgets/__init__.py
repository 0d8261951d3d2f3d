"""Qt widgets of the app. They take and give numpy arrays; none imports torch."""

from lenet_gui.gui.widgets.attribution_view import AttributionView
from lenet_gui.gui.widgets.checkpoint_view import CheckpointView
from lenet_gui.gui.widgets.comparison_view import ComparisonView
from lenet_gui.gui.widgets.convolution_view import ConvolutionView
from lenet_gui.gui.widgets.digit_boxes import DigitBoxes
from lenet_gui.gui.widgets.drawing_canvas import DrawingCanvas
from lenet_gui.gui.widgets.experiments_bar import ExperimentsBar
from lenet_gui.gui.widgets.feature_map_panel import FeatureMapPanel
from lenet_gui.gui.widgets.invariance_view import InvarianceView
from lenet_gui.gui.widgets.kernel_view import KernelView
from lenet_gui.gui.widgets.network_input_view import NetworkInputView
from lenet_gui.gui.widgets.network_view import NetworkView
from lenet_gui.gui.widgets.prediction_label import PredictionLabel
from lenet_gui.gui.widgets.probability_chart import ProbabilityChart
from lenet_gui.gui.widgets.top_digits_view import TopDigitsView
from lenet_gui.gui.widgets.unit_sum_view import UnitSumView
from lenet_gui.gui.widgets.welcome_view import WelcomeView

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
