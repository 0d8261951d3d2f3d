"""Adapt to my handwriting, from the My digits tab: start, follow, cancel, use.

Connects an :class:`~lenet_gui.gui.widgets.adapt_view.AdaptView` to an
:class:`~lenet_gui.gui.state.adaptation_job.AdaptationJob` and to the
session's weights: an accepted adaptation is saved as "my weights" and
read with at once; the view switches between them and the bundled ones.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from lenet_gui.gui.state.adaptation_job import AdaptationJob, Progress
from lenet_gui.gui.widgets.adapt_view import AdaptView

if TYPE_CHECKING:
    from lenet_gui.files.stroke_files import PenDigit
    from lenet_gui.gui.state.session import ExplorerSession

__all__ = ["AdaptControl", "SCHEDULE_CHOICES"]

#: The schedules offered, with what each does (as the adapt command's --schedule).
SCHEDULE_CHOICES = (
    ("quick", "3 passes, 12 new variants of each of your digits a pass"),
    ("thorough", "6 passes, 12 new variants of each of your digits a pass"),
)


class AdaptControl(QObject):
    """Runs adaptations asked for in an :class:`AdaptView`.

    Parameters
    ----------
    session : ExplorerSession
    view : AdaptView
    digits : callable
        Returns the digits to learn from (My digits).
    weights_path : callable
        Returns where "my weights" are kept.
    """

    def __init__(
        self,
        session: ExplorerSession,
        view: AdaptView,
        digits: Callable[[], list[PenDigit]],
        weights_path: Callable[[], Path],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._view = view
        self._digits = digits
        self._weights_path = weights_path
        self.job = AdaptationJob(self)
        self.job.stepped.connect(self._on_job_stepped)
        self.job.said.connect(lambda text: session.status.say(text, 0))
        self.job.done.connect(self._on_job_done)
        view.adaptRequested.connect(self.adapt)
        view.cancelRequested.connect(self.job.cancel)
        view.useRequested.connect(self.use)
        session.network.classifierChanged.connect(self.show_choice)
        self.show_choice()

    def using_mine(self) -> bool:
        """Whether the weights reading now are "my weights"."""
        classifier = self._session.network.classifier
        source = None if classifier is None else classifier.source
        return source is not None and source == self._weights_path()

    def show_choice(self, *_: object) -> None:
        """Enable the switch to the weights not in use."""
        self._view.set_weights_choice(self._weights_path().is_file(), self.using_mine())

    def adapt(self, schedule: str) -> bool:
        """Start adapting to My digits; False, saying why, if it cannot start."""
        digits = self._digits()
        status = self._session.status
        if not digits:
            status.say("Keep some of your digits first: correct a reading below it")
            return False
        classifier = self._session.network.classifier
        if classifier is None:
            status.say("No weights loaded to adapt")
            return False
        # A copy of the weights in use, unless they are my weights: then the
        # bundled ones, so adaptations do not pile up on each other.
        base = None if self.using_mine() else classifier.source
        if not self.job.start(base, digits, schedule, self._weights_path()):
            return False
        self._view.set_running(True)
        self._view.set_report(f"Adapting to {len(digits)} of your digits…")
        status.say("Adapting to your handwriting…", 0)
        return True

    def use(self, which: str) -> None:
        """Read with the "bundled" weights or with "mine"."""
        network = self._session.network
        if which == "bundled":
            network.load_bundled()
        else:
            network.load_weights(self._weights_path(), background=False)

    def shutdown(self) -> None:
        """Stop an adaptation still running and wait for it."""
        self.job.join()

    def _on_job_stepped(self, progress: Progress) -> None:
        self._view.add_step(progress.loss, progress.accuracy, progress.kernels)

    def _on_job_done(self, result: Any, error: Exception | None) -> None:
        from lenet_gui.training.adaptation import AdaptationCancelled, AdaptationError

        self._view.set_running(False)
        status = self._session.status
        if error is not None:
            if isinstance(error, AdaptationCancelled):
                text = "Cancelled: nothing was saved; the weights are unchanged."
            elif isinstance(error, AdaptationError | OSError | ValueError):
                text = f"Not adapted: {error}"
            else:
                text = f"Not adapted: {type(error).__name__}: {error}"
            self._view.set_report(html.escape(text))
            status.say(text)
            return
        lines = [html.escape(line) for line in result.lines()]
        if result.note:
            lines.insert(0, html.escape(f"Note: {result.note}."))
        if result.refused:
            lines.append("<b>Refused:</b> " + html.escape(result.refusal()) + ".")
            self._view.set_report("<br>".join(lines))
            status.warn("Adaptation refused", result.refusal())
            return
        path = self._weights_path()
        lines.append("<b>Saved as my weights</b>; reading with them now.")
        self._view.set_report("<br>".join(lines))
        if self._session.network.load_weights(path, background=False):
            status.say(f"Reading with my weights, saved as {path}", 10000)
