"""Guards against PySide6 6.12's refcount crash in QPainterPath and ImageItem.

PySide6 6.12.0 over-released ``None`` and ``bool`` results, which aborted the
process ("none_dealloc" / "bool_dealloc") after enough painter-path segments or
ImageItem renders. On Python 3.11 ``None`` and ``True`` are not immortal, so an
over-release shows up as their reference counts falling well before the abort.
"""

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from lenet_gui.gui.widgets import DrawingCanvas, FeatureMapPanel
from lenet_gui.spec.lenet5 import LENET5

# Counts move a little with caches and the interpreter's own work; a refcount bug
# costs one reference per call, that is thousands here.
SLACK = 200


@contextmanager
def _collector_held() -> Iterator[None]:
    """Collect earlier tests' garbage first, then hold the collector off.

    Freeing other objects that refer to None (a cycle left by an earlier test,
    collected in the middle of the count) drops None's count by thousands
    without any over-release: the counts must move only with the calls here.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_painter_paths_and_image_items_keep_none_and_bool_alive(qtbot):
    with _collector_held():
        none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)

        image = QImage(448, 448, QImage.Format.Format_Grayscale8)
        image.fill(0)
        pen = QPen(QColor(255, 255, 255), 12)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        for stroke in range(20):
            path = QPainterPath(QPointF(10, 10 + stroke))
            for i in range(1, 501):
                path.lineTo(QPointF(10 + (i * 7) % 430, 10 + (i * 13 + stroke) % 430))
            assert not path.isEmpty()
            assert path.elementCount() == 501
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(pen)
            painter.drawPath(path)
            painter.end()
        assert image.pixelColor(10, 10).value() == 255

        layout = pg.GraphicsLayoutWidget()
        qtbot.addWidget(layout)
        layout.resize(300, 300)
        view = layout.addViewBox(lockAspect=True)
        item = pg.ImageItem(axisOrder="row-major")
        view.addItem(item)
        layout.show()
        qtbot.waitExposed(layout)
        rng = np.random.default_rng(0)
        for _ in range(300):
            item.setImage(rng.random((32, 32), dtype=np.float32), levels=(0, 1))
            layout.viewport().repaint()
        shot = layout.grab().toImage()
        assert not shot.isNull()

        assert sys.getrefcount(None) > none_before - SLACK
        assert sys.getrefcount(True) > true_before - SLACK


def test_live_drawing_and_panel_updates_keep_none_and_bool_alive(qtbot):
    canvas = DrawingCanvas()
    panel = FeatureMapPanel(LENET5)
    for widget in (canvas, panel):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
    with _collector_held():
        none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)

        rng = np.random.default_rng(1)
        for stroke in range(10):
            centre = canvas.rect().center()
            qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=centre)
            for i in range(100):
                x = 20 + (i * 11 + stroke * 17) % (canvas.width() - 40)
                y = 20 + (i * 7) % (canvas.height() - 40)
                at = canvas.rect().topLeft() + QPointF(x, y).toPoint()
                qtbot.mouseMove(canvas, at)
            qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton)
            canvas.undo()
            canvas.redo()
            panel.set_activations(
                {
                    name: rng.uniform(-1.7, 1.7, shape).astype(np.float32)
                    for name, shape in panel.layers().items()
                }
            )
            panel.grab()
        assert not canvas.is_empty()

        assert sys.getrefcount(None) > none_before - SLACK
        assert sys.getrefcount(True) > true_before - SLACK
