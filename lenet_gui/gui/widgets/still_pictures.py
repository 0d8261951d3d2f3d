"""Titles drawn once and then shown as pictures, not laid out again.

A live update repaints the part of a view whose values changed: the
feature maps, the bars, the network input. Qt repaints every item in that
part, and the titles and labels lying in it are text, which Qt lays out
and rasterises again on each repaint although it has not changed. Given a
device-coordinate cache, an item is drawn once into a picture of its own,
which each repaint copies; the picture is drawn again only when the item
changes (new text, a theme, a text size) or the view is resized. On screen
the pixels are the same.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem

__all__ = ["keep_still_pictures"]

_CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache


def keep_still_pictures(view: pg.GraphicsView) -> int:
    """Cache the text items of `view` as pictures; return how many there are.

    Only text: a cached picture of an axis or a colour bar can differ from
    one drawn afresh by a pixel where a tick falls between two, text never.
    """
    count = 0
    for item in view.scene().items():
        if isinstance(item, QGraphicsTextItem):
            if item.cacheMode() != _CACHED:
                item.setCacheMode(_CACHED)
            count += 1
    return count
