"""Faster repaints, the same pixels: titles kept as pictures, an opaque reading."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsTextItem

from lenet_gui.gui.widgets.still_pictures import keep_still_pictures

_CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache


def _pixels(view: pg.GraphicsView) -> np.ndarray:
    image = view.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    bits = np.frombuffer(image.constBits(), dtype=np.uint8)
    rows = bits.reshape(image.height(), image.bytesPerLine())
    return rows[:, : 4 * image.width()].copy()


def _graphics(window, name: str) -> pg.GraphicsView:
    column = window.reading_column
    return {
        "feature maps": lambda: window.feature_maps.findChild(pg.GraphicsView),
        "chart": lambda: column.probabilities.plot_widget,
        "input": lambda: column.input_view.graphics,
    }[name]()


@pytest.mark.parametrize("name", ["feature maps", "chart", "input"])
def test_cached_titles_paint_the_same_pixels(example_window, name):
    graphics = _graphics(example_window, name)
    texts = [i for i in graphics.scene().items() if isinstance(i, QGraphicsTextItem)]
    cached = [i for i in texts if i.cacheMode() == _CACHED]
    # The view was built with its titles and labels cached.
    assert keep_still_pictures(graphics) == len(cached) == len(texts) > 0
    QApplication.processEvents()
    with_cache = _pixels(graphics)
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    QApplication.processEvents()
    afresh = _pixels(graphics)
    for item in cached:
        item.setCacheMode(_CACHED)
    assert with_cache.shape == afresh.shape
    assert np.count_nonzero(with_cache != afresh) == 0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_opaque_reading_looks_as_the_window_beneath(example_window, theme):
    """The reading and the correction bar fill their background as the window does."""
    from lenet_gui.gui.theme import apply_theme

    apply_theme(theme)
    try:
        column = example_window.reading_column
        opaque = [column.prediction, column.correction]
        assert all(widget.autoFillBackground() for widget in opaque)
        QApplication.processEvents()
        filled = _pixels(column)
        for widget in opaque:
            widget.setAutoFillBackground(False)
        QApplication.processEvents()
        beneath = _pixels(column)
        for widget in opaque:
            widget.setAutoFillBackground(True)
        assert np.count_nonzero(filled != beneath) == 0
    finally:
        apply_theme("system")
