"""The canvas is highlighted while a file is dragged over the window, and only then."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from lenet_gui.gui.widgets.drop_highlight import DropHighlight

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier


def _enter(window, mime):
    centre = window.canvas.mapTo(window, window.canvas.rect().center())
    event = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    event.setAccepted(False)
    QApplication.sendEvent(window, event)
    return event


def test_a_dragged_file_lights_up_the_canvas_until_it_leaves_or_drops(window, tmp_path):
    highlight = window.findChildren(DropHighlight)[0]
    assert not highlight.isVisible()
    text = QMimeData()
    text.setText("not a file")
    assert not _enter(window, text).isAccepted()
    assert not highlight.isVisible()

    image = QImage(64, 64, QImage.Format.Format_Grayscale8)
    image.fill(255)
    for x in range(10, 50):
        for y in (20, 21, 22, 23):
            image.setPixelColor(x, y, Qt.GlobalColor.black)
    path = tmp_path / "dash.png"
    assert image.save(str(path))
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(path))])
    assert _enter(window, files).isAccepted()
    assert highlight.isVisible()
    canvas = window.canvas
    assert highlight.geometry() == QRect(
        canvas.mapTo(window, canvas.rect().topLeft()), canvas.size()
    )
    QApplication.sendEvent(window, QDragLeaveEvent())
    assert not highlight.isVisible()

    assert _enter(window, files).isAccepted()
    centre = QPointF(canvas.mapTo(window, canvas.rect().center()))
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, files, LEFT, NO_MOD)
    QApplication.sendEvent(window, drop)
    assert drop.type() == QEvent.Type.Drop
    assert not highlight.isVisible()
    assert not window.session.blank  # the dropped image is on the canvas
