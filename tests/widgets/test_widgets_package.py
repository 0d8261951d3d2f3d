"""The widgets package: its exports, and that it never pulls in torch."""

import subprocess
import sys

import lenet_gui.gui.widgets as widgets


def test_exports_the_widgets():
    assert sorted(widgets.__all__) == [
        "AttributionView",
        "CheckpointView",
        "ComparisonView",
        "DrawingCanvas",
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


def test_importing_the_widgets_does_not_import_torch():
    # A fresh interpreter: other tests in this session may have imported torch.
    code = "import sys, lenet_gui.gui.widgets; print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
