"""The weights: C1's kernels beside their maps, C3's Table I, S2/S4 coefficients."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import Panel, offer_switch
from lenet_gui.gui.state.session import ExplorerSession

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier
    from lenet_gui.spec.lenet5 import Unit


class KernelsPanel(Panel):
    """What C1 to S4 have learnt; C1's maps for the drawing beside its kernels."""

    NAME = "kernels"
    TITLE = "Weights"
    TIP = "C1's kernels beside their maps, C3's kernels in Table I, S2/S4 coefficients"

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.widgets.kernel_view import KernelView

        self.view = KernelView(self.session.spec)
        self.view.hoverInfoChanged.connect(lambda text: self.say(text, 0))
        self.view.mapContextRequested.connect(
            lambda unit, where: offer_switch(
                self.session, strongest(self.session, unit), where
            )
        )
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


def strongest(
    session: ExplorerSession, unit: tuple[str, int, int | None, int | None]
) -> Unit:
    """Return the unit meant by a click on a map's weights.

    A click on a unit gives that unit; a click on a kernel or weight, which
    serves the whole map, gives the map's unit most active for the drawing
    (its centre when nothing is drawn).
    """
    layer, index, row, col = unit
    if row is not None and col is not None:
        return (layer, index, row, col)
    height, width = session.spec.layer(layer).shape[1:]
    result = session.result
    if result is None:
        return (layer, index, height // 2, width // 2)
    values = np.asarray(result.activations[layer][index])
    top, left = np.unravel_index(int(np.argmax(values)), values.shape)
    return (layer, index, int(top), int(left))
