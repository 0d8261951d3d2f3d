"""What every panel of the window shares: theme changes and size hints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    import pyqtgraph as pg

__all__ = ["ThemedWidget", "color_axes", "color_plots"]


def color_axes(items: Iterable[Any], sides: Iterable[str], color: QColor) -> None:
    """Draw the axes of pyqtgraph plots or colour bars in the palette's text colour.

    Parameters
    ----------
    items : iterable
        Plot items or colour bars (anything with ``getAxis(side)``).
    sides : iterable of str
        Which of their axes: ``"left"``, ``"bottom"``, ``"right"``...
    color : QColor
        The colour of the lines, ticks and tick labels.
    """
    sides = tuple(sides)
    for item in items:
        for side in sides:
            axis = item.getAxis(side)
            axis.setPen(color)
            axis.setTextPen(color)


def color_plots(
    graphics: pg.GraphicsView, plots: Iterable[Any], palette: QPalette
) -> QColor:
    """Paint pyqtgraph plots in a palette: the Base background, text-coloured axes.

    Parameters
    ----------
    graphics : pyqtgraph.GraphicsView
        The widget the plots are drawn in (its background is set).
    plots : iterable
        Plot items whose left and bottom axes take the text colour.
    palette : QPalette
        The palette to follow.

    Returns
    -------
    QColor
        The palette's text colour, for the rest of the widget's colours.
    """
    text = palette.color(QPalette.ColorRole.WindowText)
    graphics.setBackground(palette.color(QPalette.ColorRole.Base))
    color_axes(plots, ["left", "bottom"], text)
    return text


class ThemedWidget(QWidget):
    """A widget that repaints its colours from the palette and gives fixed size hints.

    Subclasses may set :attr:`SIZE_HINT` and :attr:`MINIMUM_SIZE_HINT`, build
    themselves, then call :meth:`_finish_building`; :meth:`_apply_palette`
    then runs once, and again whenever the palette changes (a switch between
    light and dark themes). Qt may send palette changes while a subclass is
    still being built; those are ignored until it is done.
    """

    SIZE_HINT: QSize | None = None
    """The size the widget asks for; None leaves it to the widget's layout."""
    MINIMUM_SIZE_HINT: QSize | None = None
    """The smallest size at which the widget is still readable; None: the layout's."""

    _built = False

    def sizeHint(self) -> QSize:  # noqa: D102
        return self.SIZE_HINT or super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: D102
        return self.MINIMUM_SIZE_HINT or super().minimumSizeHint()

    def changeEvent(self, event: QEvent) -> None:
        """Follow palette changes, such as a switch between light and dark themes."""
        super().changeEvent(event)
        if self._built and event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _finish_building(self) -> None:
        """Mark the widget built and give it the palette's colours."""
        self._apply_palette()
        self._built = True

    def _apply_palette(self) -> None:
        """Take colours from the palette; subclasses with colours override this."""
