"""Watch it learn: the training run's checkpoints on a slider."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lenet_gui.gui.panels.panel import Panel
from lenet_gui.gui.state.session import ExplorerSession

if TYPE_CHECKING:
    from lenet_gui.network.checkpoints import CheckpointInfo


class CheckpointsPanel(Panel):
    """A slider over about a dozen checkpoints of the weights' training run.

    Moving it makes the session read with that checkpoint's weights, so the
    prediction, every map and the weights panel follow; the last checkpoint
    is the weights themselves.
    """

    NAME = "checkpoints"
    TITLE = "Training"
    SHORT_TITLE = "Train"
    TIP = "Scrub through checkpoints of the training run: watch the network learn"

    def __init__(self, session: ExplorerSession, parent: QObject | None = None):
        super().__init__(session, parent)
        session.network.checkpointChanged.connect(self.changed)
        self._offered: list[CheckpointInfo] | None = None
        self._trained_limit: float | None = None

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.widgets.checkpoint_view import CheckpointView

        self.view = CheckpointView(self.session.spec)
        self.view.checkpointChosen.connect(self.session.network.use_checkpoint)
        return self.view

    def update_view(self) -> None:  # noqa: D102
        network = self.session.network
        checkpoints = network.checkpoints
        if checkpoints != self._offered:
            self.view.set_checkpoints(
                [(c.label, c.passes, c.test_accuracy) for c in checkpoints]
            )
            self._offered = checkpoints
        index = network.checkpoint
        self.view.set_current(len(checkpoints) - 1 if index is None else index)
        result, classifier = self.session.result, self.session.network.classifier
        if classifier is None:
            self.view.set_state(None, None, 1.0)
            return
        # torch-facing: imported once a classifier exists, not with the window.
        from lenet_gui.explain.layer_weights import layer_weights

        c1 = layer_weights(classifier.model, "C1")
        self.view.set_state(
            None if result is None else result.activations,
            c1.weights[:, 0],
            self._kernel_scale(c1.limit),
        )

    def _kernel_scale(self, limit: float) -> float:
        """Return one colour scale for C1's kernels at every checkpoint.

        The trained weights' largest kernel weight (widened only if a
        checkpoint's is larger), so the small random kernels of the start
        look as weak as they are instead of being stretched to full colour.
        The trained weights are the ones in use when no checkpoint is, as
        when weights are loaded, before the slider can move.
        """
        if self.session.network.checkpoint is None:
            self._trained_limit = limit
        return max(self._trained_limit or limit, limit)
