"""What each map looks for: the bundled test digits that excite it most."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import BackgroundPanel
from lenet_gui.gui.state.session import ExplorerSession, UnitInfo

if TYPE_CHECKING:
    from lenet_gui.explain.top_digits import TopDigit
    from lenet_gui.network.classifier import Classifier


@dataclass(frozen=True)
class LooksFor:
    """What the view shows for one map: the digits, its weights, the person's map."""

    digits: list[TopDigit]
    kernels: np.ndarray | None
    sources: tuple[int, ...]
    below: str
    limit: float
    bias: float
    coefficient: float | None
    own_values: np.ndarray | None
    own_sums: np.ndarray | None


class TopDigitsPanel(BackgroundPanel):
    """For a chosen C1/S2/C3/S4 map, the nine test digits that drive it hardest.

    The first ranking reads all 2,000 bundled digits through the network
    (about half a second), so it runs off the GUI thread; later maps of the
    same weights come from a cache at once. Beside them, the map's weights
    and what the person's drawing does to the map (one more forward pass,
    with no map switched off, like the digits). The map chosen follows the
    last unit hovered in the other panels.
    """

    NAME = "looks-for"
    TITLE = "Looks for"
    TIP = "The MNIST test digits that excite a chosen feature map most"
    LAG_MS = 30

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        super().__init__(session, parent)
        session.unitChanged.connect(self._on_session_unit_changed)
        self._follow: tuple[str, int] | None = None

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.widgets.top_digits_view import TopDigitsView

        layers = [
            (layer.name, layer.maps) for layer in self.session.spec.feature_layers
        ]
        self.view = TopDigitsView(layers)
        self.view.mapChosen.connect(self.changed)
        self.view.stepThroughRequested.connect(self.session.step_through)
        if self._follow is not None:
            self.view.set_choice(*self._follow)
        return self.view

    def make_job(self) -> Callable[[], Any] | None:  # noqa: D102
        classifier = self.session.network.classifier
        if classifier is None:
            return None
        layer, index = self.view.choice()
        result = self.session.result
        network_input = None if result is None else result.network_input

        def job() -> LooksFor:
            return looks_for(classifier, layer, index, network_input)

        return job

    def show_result(self, result: Any) -> None:  # noqa: D102
        if result is None:
            self.view.set_digits(None)
            self.view.set_weights(None, (), "", 1.0, 0.0)
            self.view.set_own_map(None, None, 1.0)
            return
        self.view.set_digits(result.digits)
        self.view.set_weights(
            result.kernels,
            result.sources,
            result.below,
            result.limit,
            result.bias,
            result.coefficient,
        )
        self.view.set_own_map(
            result.own_values, result.own_sums, self.session.spec.amplitude
        )

    def _on_session_unit_changed(self, info: UnitInfo | None) -> None:
        if info is None or not self.session.spec.layer(info.unit[0]).has_maps:
            return
        self._follow = info.unit[:2]
        if self.built:
            self.view.set_choice(*self._follow)
            self.changed()


def looks_for(
    classifier: Classifier, layer: str, index: int, network_input: np.ndarray | None
) -> LooksFor:
    """Rank the digits for one map and gather its weights and the person's map."""
    import torch

    from lenet_gui.explain.layer_weights import layer_weights
    from lenet_gui.explain.top_digits import layer_sums, top_activating

    spec = classifier.spec
    below, sources = spec.sources(layer, index)
    weights = layer_weights(classifier.model, layer)
    kernels, coefficient = None, None
    if weights.weights.ndim == 4:  # a convolution: one kernel per map read
        kernels = weights.weights[index][list(sources)]
    else:
        coefficient = float(weights.weights[index])
    own_values = own_sums = None
    if network_input is not None:
        given = torch.from_numpy(np.array(network_input, dtype=np.float32))
        sums, values = layer_sums(classifier, given[None, None])[layer]
        own_sums, own_values = sums[0, index].numpy(), values[0, index].numpy()
    return LooksFor(
        digits=top_activating(classifier, layer, index),
        kernels=kernels,
        sources=tuple(sources),
        below=below,
        limit=weights.limit,
        bias=float(weights.biases[index]),
        coefficient=coefficient,
        own_values=own_values,
        own_sums=own_sums,
    )
