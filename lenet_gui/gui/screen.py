"""Fitting the window to its screen: never larger than the room it has."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget

__all__ = ["SCREEN_MARGIN", "fit_rect", "fit_to_screen"]

#: Room left free on every side of a window fitted to the screen, in pixels.
SCREEN_MARGIN = 24


def fit_rect(
    rect: QRect, available: QRect, minimum: QSize, margin: int = SCREEN_MARGIN
) -> QRect:
    """Return `rect` shrunk and moved to lie inside `available`.

    A window that is larger than the screen hides its status bar and its
    edges (1180x820 on a 1366x768 screen, or at 200 % scaling), so it is
    made to fit with `margin` free on every side, and not below `minimum`
    unless the screen itself is smaller.

    Parameters
    ----------
    rect : QRect
        The window's wanted geometry.
    available : QRect
        The screen's available geometry (without panels and task bars).
    minimum : QSize
        The window's minimum size, kept when the margin alone is too much.
    margin : int
        Pixels left free on each side when there is room for them.

    Returns
    -------
    QRect
        A rectangle inside `available`, no larger than `rect`.
    """

    def span(wanted: int, room: int, least: int) -> int:
        if wanted <= room - 2 * margin:
            return wanted
        # The margin goes first when it would squeeze the window below its
        # minimum; the minimum goes when the screen itself is smaller.
        return max(1, min(room, max(least, room - 2 * margin)))

    size = QSize(
        span(rect.width(), available.width(), minimum.width()),
        span(rect.height(), available.height(), minimum.height()),
    )
    x = min(max(rect.x(), available.left()), available.right() + 1 - size.width())
    y = min(max(rect.y(), available.top()), available.bottom() + 1 - size.height())
    return QRect(QPoint(x, y), size)


def fit_to_screen(window: QWidget, *, place: bool) -> None:
    """Shrink the window to its screen's available area; move it there if `place`.

    Its minimum size is lowered when the screen is smaller still. A window
    not placed is left where the window manager puts it.
    """
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    fitted = fit_rect(frame, available, window.minimumSize())
    minimum = window.minimumSize()
    if fitted.width() < minimum.width() or fitted.height() < minimum.height():
        window.setMinimumSize(fitted.size().boundedTo(minimum))
    if fitted.size() != frame.size():
        extra = frame.size() - window.geometry().size()  # the frame's own size
        window.resize((fitted.size() - extra).expandedTo(QSize(1, 1)))
    if place and fitted.topLeft() != frame.topLeft():
        window.move(fitted.topLeft())
