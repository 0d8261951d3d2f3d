"""Why this digit: integrated gradients on the input, for one digit or a contrast."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import BackgroundPanel
from lenet_gui.gui.widgets import PredictionLabel

if TYPE_CHECKING:
    from lenet_gui.explain.attribution import Attribution
    from lenet_gui.spec.lenet5 import NetworkSpec, Unit


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

    UNSURE = PredictionLabel.AMBIGUOUS
    """A runner-up at least this likely makes the reading unsure, as the
    prediction says ("1, or 7?"): the default contrast is then with it."""

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.widgets.attribution_view import AttributionView

        self.view = AttributionView(self.session.spec)
        self.view.targetChanged.connect(self.changed)
        self.view.hoverInfoChanged.connect(lambda text: self.say(text, 0))
        self.view.stepThroughRequested.connect(self._on_view_step_through_requested)
        return self.view

    def make_job(self) -> Callable[[], Any] | None:  # noqa: D102
        classifier, result = self.session.network.classifier, self.session.result
        if result is None:
            # A new drawing starts from the default question, so a digit
            # chosen for the last one never lingers.
            self.view.reset_choice()
        if classifier is None or result is None:
            return None
        target, versus = contrast(
            result.probabilities, result.digit, *self.view.choice()
        )
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

    def _on_view_step_through_requested(self, row: int, col: int) -> None:
        result = self.session.result
        if result is not None:
            self.session.step_through(
                unit_over_pixel(self.session.spec, result.activations, row, col)
            )


def unit_over_pixel(
    spec: NetworkSpec, activations: Mapping[str, np.ndarray], row: int, col: int
) -> Unit:
    """Return the first layer's unit whose window is centred on an input pixel.

    The window is kept on the input near its edges; of the layer's maps, the
    one whose unit there is strongest for the drawing (by the forward pass's
    own values) is chosen: the map that makes most of that spot.

    Parameters
    ----------
    spec : NetworkSpec
        The network.
    activations : Mapping
        The forward pass's values by layer name ((maps, side, side) each).
    row, col : int
        The input pixel.
    """
    first = spec.layers[0]
    half, last = first.kernel // 2, first.side - 1
    top, left = min(max(row - half, 0), last), min(max(col - half, 0), last)
    values = np.asarray(activations[first.name])[:, top, left]
    return first.name, int(np.argmax(values)), top, left


def contrast(
    probabilities: np.ndarray, read: int, target: int | None, versus: int | None
) -> tuple[int, int | None]:
    """Return the digit to explain and the one to contrast it with, if any.

    Parameters
    ----------
    probabilities : np.ndarray
        The ten probabilities of the reading.
    read : int
        The digit read.
    target : int or None
        The digit chosen, or None for the digit read.
    versus : int or None
        A digit, None for no contrast, -1 for the runner-up to `target`, or
        ``AttributionView.RUNNER_UP_IF_UNSURE`` for the runner-up only when
        the reading is unsure: its second most likely digit is at least
        ``AttributionPanel.UNSURE`` likely, as "1, or 7?" says.
    """
    from lenet_gui.gui.widgets.attribution_view import AttributionView

    order = [int(d) for d in np.argsort(-np.asarray(probabilities), kind="stable")]
    target = int(read) if target is None else int(target)
    runner_up = next(d for d in order if d != target)
    if versus == AttributionView.RUNNER_UP_IF_UNSURE:
        second = float(probabilities[next(d for d in order if d != read)])
        versus = runner_up if second >= AttributionPanel.UNSURE else None
    elif versus == -1:
        versus = runner_up
    if versus == target:
        versus = None
    return target, versus
