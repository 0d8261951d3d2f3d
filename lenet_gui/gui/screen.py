"""Fitting the window to its screen: never larger than the room it has."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QSplitter, QWidget

__all__ = ["SCREEN_MARGIN", "fit_rect", "fit_to_screen", "side_by_side_minimum"]

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


def side_by_side_minimum(
    window: QWidget, splitter: QSplitter, base: QSize, column: tuple[int, int]
) -> QSize:
    """Return the smallest size of a window whose splitter holds two parts side by side.

    Larger text widens the left column (and the panels on the right); a
    window held at its old minimum width would draw one over the other. The
    minimum width grows to what the two need: the column's minimum, and for
    the right part at least the room it has at `base` (its own minimum, with
    tabs folded into "More views", if that is more); no wider than the
    screen. The height stays `base`'s.

    Parameters
    ----------
    window : QWidget
        The window, for its screen and frame.
    splitter : QSplitter
        The column (widget 0) and the panels (widget 1).
    base : QSize
        The window's minimum at actual text size.
    column : tuple of int
        The column's minimum width at actual text size and now.
    """
    margins = splitter.contentsMargins()
    right = splitter.widget(1)
    needed = 0 if right is None else right.minimumSizeHint().width()
    panels = max(
        base.width() - column[0],
        needed + splitter.handleWidth() + margins.left() + margins.right(),
    )
    wanted = QSize(max(base.width(), column[1] + panels), base.height())
    screen = window.screen()
    if screen is not None:
        frame = window.frameGeometry().size() - window.geometry().size()
        wanted = wanted.boundedTo(screen.availableGeometry().size() - frame)
    return wanted
