"""Work that waits until a window has been painted for the first time.

Loading the network imports torch, which holds Python's interpreter lock
for most of a second: started while the window is still being laid out and
painted, it holds the first paint back by about as long. Started once the
window is on screen, it costs the person nothing they can see.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

__all__ = ["after_first_paint"]


class _AfterFirstPaint(QObject):
    """Calls back once, after the widget's first paint pass (or `latest_ms`)."""

    def __init__(
        self, widget: QWidget, callback: Callable[[], None], latest_ms: int
    ) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        # A window that is never painted (hidden, minimised) still gets it.
        QTimer.singleShot(latest_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Note the first paint; run once that paint pass is over."""
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    @Slot()
    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


def after_first_paint(
    widget: QWidget, callback: Callable[[], None], latest_ms: int = 1000
) -> None:
    """Call `callback` once `widget` has painted for the first time.

    It is called from the event loop once that paint pass has returned, or
    after `latest_ms` if the widget has not been painted by then; never
    twice, and never once the widget is gone.
    """
    _AfterFirstPaint(widget, callback, latest_ms)
