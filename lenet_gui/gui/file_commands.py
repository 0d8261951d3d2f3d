"""The window's dealings with files: images in and out, weights, drag and drop."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from lenet_gui.drawing.image_file import ImageFileError, image_formats, read_ink
from lenet_gui.files.safe_write import describe, write_file
from lenet_gui.gui.settings import WindowSettings
from lenet_gui.gui.state.session import ExplorerSession
from lenet_gui.gui.widgets import DrawingCanvas

__all__ = ["FilesMixin", "png_bytes", "png_path"]


def png_path(chosen: str | Path) -> tuple[Path, bool]:
    """Return the file to write for a name chosen in the save dialog.

    ``.png`` is added when the name lacks it (``digit`` becomes
    ``digit.png``, ``scan.jpg`` becomes ``scan.jpg.png``). The dialog asked
    about replacing the name it returned, not this one, so the caller must
    ask again when the name grew and the longer one exists.

    Returns
    -------
    path : Path
        The file to write.
    confirm : bool
        True when `path` is not the name chosen and already exists.
    """
    chosen = Path(chosen)
    if chosen.name.lower().endswith(".png"):
        return chosen, False
    path = chosen.with_name(chosen.name + ".png")
    return path, os.path.lexists(path)


def png_bytes(image: QImage) -> bytes:
    """Encode `image` as PNG in memory, so a failed disk write is seen as one.

    Raises
    ------
    OSError
        Qt could not encode the picture.
    """
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not image.save(buffer, "PNG"):
        raise OSError(errno.EINVAL, "the picture could not be made into a PNG")
    return bytes(buffer.data())


class FilesMixin(QMainWindow):
    """Open, save and export files, and take dropped ones, for the main window.

    A bad file costs a message, never the drawing. The window provides the
    canvas, the session and the settings.
    """

    _canvas: DrawingCanvas
    _session: ExplorerSession
    _settings: WindowSettings

    def _warn(self, title: str, message: str) -> None:
        """Say what went wrong in a message box, its first line in the status bar."""
        self.statusBar().showMessage(message.splitlines()[0], 8000)
        QMessageBox.warning(self, title, message)

    def _export_widget(self) -> QWidget:
        """Return the widget File > Export pictures: the panel shown."""
        return self.centralWidget().findChild(QTabWidget).currentWidget()

    def open_image(self, path: str | Path) -> bool:
        """Place an image file's ink on the canvas; on failure say why and keep all.

        The ink is :func:`~lenet_gui.drawing.image_file.read_ink`'s, as ``--predict``
        reads it: a photo or scan arrives cleaned and cropped to its digit.

        Returns
        -------
        bool
            True when the image was placed on the canvas.
        """
        path = Path(path)
        try:
            ink = read_ink(path)
        except (ImageFileError, ValueError) as error:
            self._warn("Cannot open image", str(error))
            return False
        if not ink.any():
            self._warn(
                "Cannot open image", f"{path.name}: no digit found (blank image)"
            )
            return False
        self._canvas.set_image(np.round(ink * 255).astype(np.uint8))
        self.statusBar().showMessage(f"Opened {path.name}", 5000)
        return True

    def load_weights(self, path: str | Path) -> bool:
        """Switch to another weights file, checked first; keep the old on failure."""
        return self._session.load_weights(path)

    def save_drawing(self, path: str | Path) -> bool:
        """Save the canvas as a PNG, dark ink on white paper as it is shown."""
        paper = np.ascontiguousarray(255 - self._canvas.to_array())
        height, width = paper.shape
        image = QImage(
            paper.data, width, height, width, QImage.Format.Format_Grayscale8
        )
        return self._save_image(image.copy(), path)

    def export_feature_maps(self, path: str | Path) -> bool:
        """Save a picture of the panel shown (the feature maps by default) as PNG."""
        return self._save_image(self._export_widget().grab().toImage(), path)

    @Slot()
    def _on_open_triggered(self) -> None:
        patterns = " ".join(f"*.{suffix}" for suffix in image_formats())
        path, _ = QFileDialog.getOpenFileName(
            self, "Open Image", self._last_dir(), f"Images ({patterns});;All files (*)"
        )
        if path:
            self._remember_dir(path)
            self.open_image(path)

    @Slot()
    def _on_save_triggered(self) -> None:
        path = self._ask_save_path("Save Drawing", "digit.png")
        if path:
            self.save_drawing(path)

    @Slot()
    def _on_export_triggered(self) -> None:
        path = self._ask_save_path("Export Picture of the Panel", "feature-maps.png")
        if path:
            self.export_feature_maps(path)

    @Slot()
    def _on_load_weights_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Load Weights",
            self._last_dir(),
            "PyTorch state_dict (*.pt *.pth);;All files (*)",
        )
        if path:
            self._remember_dir(path)
            self.load_weights(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        """Accept drags that carry local files."""
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Open the first dropped file."""
        files = [
            url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()
        ]
        if files:
            event.acceptProposedAction()
            self.open_image(files[0])

    def _save_image(self, image: QImage, path: str | Path) -> bool:
        """Write `image` as a PNG, all or nothing; say "Saved" only when it was.

        The file is replaced only after the new one is written and closed
        without error (:func:`~lenet_gui.files.safe_write.write_file`), so a full
        disk or a file-size limit keeps the old file and costs a message.
        """
        path = Path(path)
        existed = os.path.lexists(path)
        try:
            write_file(path, png_bytes(image))
        except OSError as error:
            message = f"{path.name}: not saved: {describe(error)}"
            if existed:
                message += f"; the existing {path.name} is unchanged"
            self._warn("Cannot save", message)
            return False
        self.statusBar().showMessage(f"Saved {path.name}", 5000)
        return True

    def _ask_save_path(self, title: str, name: str) -> str:
        """Ask where to save; "" when cancelled or a replacement is declined.

        The dialog confirms replacing only the name it returns; ``.png`` is
        added afterwards (:func:`png_path`) and, if that name exists, the
        question is asked again. No default suffix is set: a native dialog
        may add it after its own overwrite check, which is how ``name.png``
        was once replaced without a word.
        """
        start = str(Path(self._last_dir()) / name)
        chosen, _ = QFileDialog.getSaveFileName(self, title, start, "PNG image (*.png)")
        if not chosen:
            return ""
        self._remember_dir(chosen)
        path, confirm = png_path(chosen)
        if confirm and not self._confirm_replace(path):
            self.statusBar().showMessage(f"Not saved; {path.name} is unchanged", 5000)
            return ""
        return str(path)

    def _confirm_replace(self, path: Path) -> bool:
        """Ask before replacing `path`, which the dialog did not ask about."""
        answer = QMessageBox.question(
            self,
            "Replace file?",
            f"{path.name} already exists in {path.parent}. Replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _last_dir(self) -> str:
        return self._settings.last_folder()

    def _remember_dir(self, path: str) -> None:
        self._settings.remember_folder(path)
