"""The widgets package exports every widget by its own name."""

import lenet_gui.gui.widgets as widgets


def test_exports_the_widgets():
    assert sorted(widgets.__all__) == [
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
    for name in widgets.__all__:
        assert getattr(widgets, name).__name__ == name
