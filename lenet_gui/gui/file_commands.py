"""The window's file commands: images in and out, examples, weights, drag and drop."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QObject, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lenet_gui.drawing.examples import Example
from lenet_gui.drawing.paper import ink_picture
from lenet_gui.files.safe_write import describe, write_file
from lenet_gui.gui.settings import WindowSettings
from lenet_gui.gui.state.session import ExplorerSession
from lenet_gui.gui.widgets import DrawingCanvas

__all__ = ["FileCommands", "confirm_replace", "png_bytes", "png_path"]


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
    # The stub asks for bytes; PySide takes only str for the format here.
    if image.isNull() or not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError(errno.EINVAL, "the picture could not be made into a PNG")
    return bytes(buffer.data().data())


class FileCommands(QObject):
    """Open, save and export files, draw the examples, take dropped files.

    A bad file costs a message, never the drawing. Dialogs open over
    `window`; messages go to the session's status line.

    Parameters
    ----------
    window : QWidget
        The window the dialogs belong to.
    canvas : DrawingCanvas
        Where images and examples are drawn, and what is saved.
    session : ExplorerSession
        Whose status line speaks, and whose network loads weights.
    settings : WindowSettings
        Where the folder of the last file is remembered.
    examples : sequence of Example
        The example digits (File > Examples).
    picture : callable
        Returns the widget File > Export pictures (the panel shown).
    """

    def __init__(
        self,
        window: QWidget,
        canvas: DrawingCanvas,
        session: ExplorerSession,
        settings: WindowSettings,
        examples: Sequence[Example],
        picture: Callable[[], QWidget],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._canvas = canvas
        self._status = session.status
        self._network = session.network
        self._settings = settings
        self._examples = list(examples)
        self._picture = picture

    @property
    def examples(self) -> list[Example]:
        """The example digits offered (File > Examples, and on a blank canvas)."""
        return list(self._examples)

    def open_example(self, index: int) -> None:
        """Draw example `index` (see :attr:`examples`) on the canvas, undoably."""
        example = self._examples[index]
        self._canvas.set_strokes(list(example.strokes))
        self._status.say(f"Example: {example.source}")

    def open_image(self, path: str | Path) -> bool:
        """Place an image file's ink on the canvas; on failure say why and keep all.

        The ink is :func:`~lenet_gui.drawing.image_file.read_ink`'s, as ``--predict``
        reads it: a photo or scan arrives cleaned and cropped to its digit.
        It is read on a worker thread, so the window stays live and offers
        Cancel while a slow file decodes (:mod:`lenet_gui.gui.image_opening`).

        Returns
        -------
        bool
            True when the image was placed on the canvas.
        """
        # The image readers are imported when a first image is opened.
        from lenet_gui.drawing.image_file import ImageFileError
        from lenet_gui.gui.image_opening import read_ink_responsively

        path = Path(path)
        self._status.say(f"Opening {path.name}\N{HORIZONTAL ELLIPSIS}", 0)
        try:
            ink = read_ink_responsively(self._window, path)
        except (ImageFileError, ValueError) as error:
            self._status.warn("Cannot open image", str(error))
            return False
        if ink is None:
            self._status.say(f"Not opened: {path.name}; the drawing is unchanged")
            return False
        if not ink.any():
            self._status.warn(
                "Cannot open image", f"{path.name}: no digit found (blank image)"
            )
            return False
        self._canvas.set_image(np.round(ink * 255).astype(np.uint8))
        self._status.say(f"Opened {path.name}")
        return True

    def load_weights(self, path: str | Path) -> bool:
        """Switch to another weights file, checked first; keep the old on failure."""
        return self._network.load_weights(path)

    def save_drawing(self, path: str | Path) -> bool:
        """Save the canvas as a PNG, dark ink on white paper as it is shown."""
        return self._save_image(ink_picture(self._canvas.to_array()), path)

    def export_picture(self, path: str | Path) -> bool:
        """Save a picture of the panel shown (the feature maps by default) as PNG."""
        return self._save_image(self._picture().grab().toImage(), path)

    @Slot()
    def ask_open_image(self) -> None:
        """Ask for an image file and open it."""
        from lenet_gui.drawing.image_file import image_formats

        patterns = " ".join(f"*.{suffix}" for suffix in image_formats())
        path, _ = QFileDialog.getOpenFileName(
            self._window,
            "Open Image",
            self._last_dir(),
            f"Images ({patterns});;All files (*)",
        )
        if path:
            self._remember_dir(path)
            self.open_image(path)

    @Slot()
    def ask_save_drawing(self) -> None:
        """Ask where to save the drawing, and save it."""
        path = self._ask_save_path("Save Drawing", "digit.png")
        if path:
            self.save_drawing(path)

    @Slot()
    def ask_export_picture(self) -> None:
        """Ask where to save a picture of the panel shown, and save it."""
        path = self._ask_save_path("Export Picture of the Panel", "feature-maps.png")
        if path:
            self.export_picture(path)

    @Slot()
    def ask_load_weights(self) -> None:
        """Ask for a weights file and load it."""
        path, _ = QFileDialog.getOpenFileName(
            self._window,
            "Load Weights",
            self._last_dir(),
            "PyTorch state_dict (*.pt *.pth);;All files (*)",
        )
        if path:
            self._remember_dir(path)
            self.load_weights(path)

    @staticmethod
    def dropped_files(data: QMimeData) -> list[str]:
        """Return the local files a drag carries (what a drop would open)."""
        return [url.toLocalFile() for url in data.urls() if url.isLocalFile()]

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
            self._status.warn("Cannot save", message)
            return False
        self._status.say(f"Saved {path.name}")
        return True

    def _ask_save_path(self, title: str, name: str) -> str:
        """Ask where to save; "" when cancelled or a replacement is declined.

        The dialog confirms replacing only the name it returns; ``.png`` is
        added afterwards (:func:`png_path`) and, if that name exists, the
        question is asked again. No default suffix is set: a native dialog
        may add it after its own overwrite check, and so replace
        ``name.png`` without a word.
        """
        start = str(Path(self._last_dir()) / name)
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, title, start, "PNG image (*.png)"
        )
        if not chosen:
            return ""
        self._remember_dir(chosen)
        path, confirm = png_path(chosen)
        if confirm and not confirm_replace(self._window, path):
            self._status.say(f"Not saved; {path.name} is unchanged")
            return ""
        return str(path)

    def _last_dir(self) -> str:
        return self._settings.last_folder()

    def _remember_dir(self, path: str) -> None:
        self._settings.remember_folder(path)


def confirm_replace(parent: QWidget, path: Path) -> bool:
    """Ask before replacing `path`, which the file dialog did not ask about."""
    answer = QMessageBox.question(
        parent,
        "Replace file?",
        f"{path.name} already exists in {path.parent}. Replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
