"""The weights: C1's kernels beside their maps, C3's Table I, S2/S4 coefficients."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import Panel
from lenet_gui.gui.widgets import KernelView

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier


class KernelsPanel(Panel):
    """What C1 to S4 have learnt; C1's maps for the drawing beside its kernels."""

    NAME = "kernels"
    TITLE = "Weights"
    TIP = "C1's kernels beside their maps, C3's kernels in Table I, S2/S4 coefficients"

    def build(self) -> QWidget:  # noqa: D102
        self.view = KernelView(self.session.spec)
        self.view.hoverInfoChanged.connect(lambda text: self.say(text, 0))
        self._weights_of: Classifier | None = None
        return self.view

    def update_view(self) -> None:  # noqa: D102
        classifier = self.session.network.classifier
        if classifier is not self._weights_of:
            # Weights change only with the classifier: read them once per change.
            self._weights_of = classifier
            # torch-facing: imported once a classifier exists, not with the window.
            from lenet_gui.explain.layer_weights import layer_weights

            self.view.set_weights(
                None
                if classifier is None
                else {
                    layer.name: layer_weights(classifier.model, layer.name)
                    for layer in self.session.spec.feature_layers
                }
            )
        result = self.session.result
        self.view.set_maps(None if result is None else result.activations["C1"])
