"""Figures for slides: File › Export Figure… and Edit › Copy Figure.

A figure holds the drawing, the reading in words and numbers, the ten
probabilities and the view shown, titled and without any button or slider
(:mod:`lenet_gui.gui.widgets.figure`). It is saved as a PNG at twice the
screen's resolution, an SVG or a PDF, all or nothing, like every file the
app writes.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from lenet_gui.drawing.paper import ink_picture
from lenet_gui.files.safe_write import describe, write_file
from lenet_gui.gui.file_commands import confirm_replace, png_bytes
from lenet_gui.gui.panel_tabs import PanelTabs
from lenet_gui.gui.settings import WindowSettings
from lenet_gui.gui.state.session import ExplorerSession
from lenet_gui.gui.widgets import DrawingCanvas
from lenet_gui.gui.widgets.figure import Figure, figure_image, figure_pdf, figure_svg

__all__ = ["FIGURE_FORMATS", "FigureCommands", "figure_path", "reading_lines"]

#: The figure's file formats: suffix -> the save dialog's filter.
FIGURE_FORMATS = {
    ".png": "PNG image, twice the screen's resolution (*.png)",
    ".svg": "SVG drawing (*.svg)",
    ".pdf": "PDF document (*.pdf)",
}
#: How many times the screen's resolution a PNG figure has.
PNG_SCALE = 2.0


def figure_path(chosen: str | Path, chosen_filter: str = "") -> tuple[Path, bool]:
    """Return the file to write for a name chosen in the dialog, and whether to ask.

    A name ending in ``.png``, ``.svg`` or ``.pdf`` is kept; any other gets
    the suffix of the filter chosen (PNG when none). The second value is True
    when the suffix was added and that file already exists: the dialog did
    not ask about replacing it.
    """
    chosen = Path(chosen)
    if chosen.suffix.lower() in FIGURE_FORMATS:
        return chosen, False
    suffix = next(
        (s for s, text in FIGURE_FORMATS.items() if text == chosen_filter), ".png"
    )
    path = chosen.with_name(chosen.name + suffix)
    return path, os.path.lexists(path)


def reading_lines(digit: int, probabilities: np.ndarray, logit: float) -> list[str]:
    """Say the reading in two lines: the digit, its probability and logit; the next."""
    order = np.argsort(probabilities)[::-1]
    runner_up = int(order[1])
    return [
        f"Read as {digit}: {probabilities[digit]:.1%} (logit {logit:.2f})",
        f"Next: {runner_up} at {probabilities[runner_up]:.1%}",
    ]


class FigureCommands(QObject):
    """Make, save and copy the figure of the window as it is.

    Parameters
    ----------
    window : QWidget
        The window the dialogs belong to.
    canvas : DrawingCanvas
        The drawing.
    session : ExplorerSession
        The reading, and where messages go.
    tabs : PanelTabs
        The views; the one shown goes into the figure.
    probabilities : QWidget
        The probability chart, shown under the reading.
    settings : WindowSettings
        Where the last folder is remembered.
    """

    def __init__(
        self,
        window: QWidget,
        *,
        canvas: DrawingCanvas,
        session: ExplorerSession,
        tabs: PanelTabs,
        probabilities: QWidget,
        settings: WindowSettings,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._canvas = canvas
        self._session = session
        self._tabs = tabs
        self._probabilities = probabilities
        self._settings = settings

    def figure(self) -> Figure:
        """Return the figure of the window as it is now."""
        QCoreApplication.sendPostedEvents()  # layouts settled, as a repaint would
        page = self._tabs.currentWidget()
        name = page.objectName() if page is not None else ""
        title = self._tabs.panel(name).TITLE if name in self._tabs.names() else ""
        drawing = ink_picture(self._canvas.to_array())
        result = self._session.last_result
        if result is None:
            reading = ["No digit drawn"]
        else:
            logit = float(result.activations["output"][result.digit])
            reading = reading_lines(result.digit, result.probabilities, logit)
        heading = "LeNet-5" + (f" \N{EM DASH} {title}" if title else "")
        return Figure(
            title=heading,
            drawing=drawing,
            reading=reading,
            beside_drawing=self._probabilities if result is not None else None,
            view=_view_of(page),
        )

    def export_figure(self, path: str | Path) -> bool:
        """Save the figure as PNG, SVG or PDF by `path`'s suffix; say so or why not."""
        path = Path(path)
        suffix = path.suffix.lower()
        existed = os.path.lexists(path)
        try:
            if suffix not in FIGURE_FORMATS:
                raise OSError(
                    f"unknown figure format {suffix or '(none)'}; "
                    "use .png, .svg or .pdf"
                )
            figure = self.figure()
            if suffix == ".svg":
                data = figure_svg(figure)
            elif suffix == ".pdf":
                data = figure_pdf(figure)
            else:
                data = png_bytes(figure_image(figure, PNG_SCALE))
            write_file(path, data)
        except OSError as error:
            message = f"{path.name}: not saved: {describe(error)}"
            if existed:
                message += f"; the existing {path.name} is unchanged"
            self._session.status.warn("Cannot export the figure", message)
            return False
        self._session.status.say(f"Saved the figure as {path.name}")
        return True

    @Slot()
    def copy_figure(self) -> None:
        """Put the figure on the clipboard as an image, at twice the resolution."""
        clipboard = QGuiApplication.clipboard()
        clipboard.setImage(figure_image(self.figure(), PNG_SCALE))
        self._session.status.say("Figure copied: paste it into your slides")

    @Slot()
    def ask_export_figure(self) -> None:
        """Ask where and in which format to save the figure, and save it."""
        start = str(Path(self._settings.last_folder()) / "lenet5-figure.png")
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self._window, "Export Figure", start, ";;".join(FIGURE_FORMATS.values())
        )
        if not chosen:
            return
        self._settings.remember_folder(chosen)
        path, confirm = figure_path(chosen, chosen_filter)
        if confirm and not confirm_replace(self._window, path):
            self._session.status.say(f"Not saved; {path.name} is unchanged")
            return
        self.export_figure(path)


def _view_of(page: QWidget | None) -> QWidget | None:
    """Return the view on a tab's page: its last widget, below the explanation."""
    if page is None:
        return None
    layout = page.layout()
    if layout is None or layout.count() == 0:
        return page
    item = layout.itemAt(layout.count() - 1)
    widget = item.widget() if item is not None else None
    return widget if widget is not None else page
