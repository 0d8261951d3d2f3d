"""Why this digit: integrated gradients on the input, for one digit or a contrast."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import BackgroundPanel
from lenet_gui.gui.widgets import AttributionView

if TYPE_CHECKING:
    from lenet_gui.explain.attribution import Attribution


class AttributionPanel(BackgroundPanel):
    """Which pixels raised a digit's score, or one digit's over another's.

    Integrated gradients from blank paper: the credits add up exactly (to
    the integration error) to the score's change from blank paper, so the
    map reads in the same units as the output. The gradient alone would not
    add up, and occlusion would blur it with a patch's size; this costs one
    batched forward and backward pass of 65 inputs, off the GUI thread.
    """

    NAME = "attribution"
    TITLE = "Why?"
    TIP = "Which pixels made the network read this digit, or one digit over another"
    LAG_MS = 30

    def build(self) -> QWidget:  # noqa: D102
        self.view = AttributionView(self.session.spec)
        self.view.targetChanged.connect(self.changed)
        self.view.hoverInfoChanged.connect(lambda text: self.say(text, 0))
        return self.view

    def make_job(self) -> Callable[[], Any] | None:  # noqa: D102
        classifier, result = self.session.network.classifier, self.session.result
        if classifier is None or result is None:
            return None
        target, versus = self.view.choice()
        target = result.digit if target is None else target
        if versus == -1:  # the runner-up to the digit explained
            order = [int(d) for d in np.argsort(result.probabilities)[::-1]]
            versus = next(d for d in order if d != target)
        elif versus == target:
            versus = None
        ablation = self.session.network.ablation or None

        # torch-facing: imported once a classifier exists, not with the window.
        from lenet_gui.explain.attribution import attribute

        def job() -> tuple[np.ndarray, Attribution]:
            attribution = attribute(
                classifier, result, target, versus, ablation=ablation
            )
            return result.network_input, attribution

        return job

    def show_result(self, result: Any) -> None:  # noqa: D102
        if result is None:
            self.view.set_attribution(None, None)
        else:
            self.view.set_attribution(*result)
