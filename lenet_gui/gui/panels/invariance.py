"""Invariance, as the paper shows it: distort the input, see where the reading holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import BackgroundPanel
from lenet_gui.gui.state.session import ExplorerSession


class InvariancePanel(BackgroundPanel):
    """Sliders shift, scale, rotate, squeeze, thicken and add noise to the input.

    The sliders set the session's input transform, so the prediction, the
    input view and every map follow them. The curves, one batched forward
    pass per slider, are computed off the GUI thread while the panel shows.
    """

    NAME = "invariance"
    TITLE = "Invariance"
    SHORT_TITLE = "Invar."
    TIP = "Shift, scale, rotate, squeeze, thicken or add noise; see where it breaks"
    LAG_MS = 60
    EMPTY_HINT = (
        "Nothing drawn yet. Draw a digit on the paper at the left, or pick an "
        "example on the Maps tab: the sliders then shift, scale, rotate, "
        "squeeze, thicken or add noise to it, and the curves show how sure the "
        "network is of each digit across each slider's range."
    )

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        super().__init__(session, parent)
        session.network.transformChanged.connect(self._on_session_transform_changed)
        session.network.ablationChanged.connect(self.changed)

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.explain.invariance import TRANSFORMS
        from lenet_gui.gui.widgets.invariance_view import InvarianceView

        self.view = InvarianceView(TRANSFORMS)
        self.view.paramsChanged.connect(self.session.network.set_transform)
        return self.view

    def make_job(self) -> Callable[[], Any] | None:  # noqa: D102
        classifier, drawing = self.session.network.classifier, self.session.drawing
        if classifier is None or drawing is None or self.session.result is None:
            return None
        network = self.session.network
        params, ablation = network.transform, network.ablation or None

        def job() -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
            from lenet_gui.explain.invariance import TRANSFORMS, probability_curves
            from lenet_gui.imaging.preprocess import preprocess

            network_input = preprocess(drawing)
            if network_input is None:
                return None
            return {
                t.name: probability_curves(
                    classifier, network_input, params, t.name, ablation=ablation
                )
                for t in TRANSFORMS
            }

        return job

    def show_result(self, result: Any) -> None:  # noqa: D102
        self.view.set_curves(result)

    def update_view(self) -> None:  # noqa: D102
        self.view.set_params(self.session.network.transform)
        super().update_view()

    def _on_session_transform_changed(self, params: dict[str, float]) -> None:
        self.changed()
