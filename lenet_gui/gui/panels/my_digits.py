"""My digits: keep corrected drawings; review, relabel, delete, import, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QVBoxLayout, QWidget

from lenet_gui.drawing.paper import DEFAULT_PEN_WIDTH, PAPER_SIZE, render
from lenet_gui.gui.panels.panel import Panel
from lenet_gui.gui.state.my_digits import MyDigits, MyDigitsError, my_weights_path

if TYPE_CHECKING:
    from lenet_gui.drawing.paper import Drawing
    from lenet_gui.files.stroke_files import PenDigit
    from lenet_gui.gui.state.session import ExplorerSession

__all__ = ["MyDigitsPanel", "picture_of"]

# How much of the thumbnail's paper a digit's longer side takes.
_FILL = 0.7


def picture_of(digit: PenDigit) -> np.ndarray:
    """Draw a kept digit with the canvas's pen, fitted to the paper, as ink.

    Digits imported from a tablet come in its own units; each is scaled to
    70 % of the paper and centred, so every thumbnail shows its shape alike.
    """
    points = np.concatenate(digit.strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = _FILL * PAPER_SIZE / max(float((high - low).max()), 1e-6)
    centre = (low + high) / 2.0
    placed = [(s - centre) * scale + PAPER_SIZE / 2.0 for s in digit.strokes]
    return render(placed, DEFAULT_PEN_WIDTH)


class MyDigitsPanel(Panel):
    """The drawings a person corrected, kept to teach the network their hand."""

    NAME = "my_digits"
    TITLE = "My digits"
    TIP = "Your corrected drawings, kept to teach the network your handwriting"
    FOLLOWS_DRAWING = False

    def __init__(
        self,
        session: ExplorerSession,
        parent: QObject | None = None,
        store: MyDigits | None = None,
    ):
        super().__init__(session, parent)
        #: The digits kept, in the person's data folder.
        self.store = store if store is not None else MyDigits(parent=self)
        self.store.changed.connect(self.changed)
        self._loaded = False

    def build(self) -> QWidget:  # noqa: D102
        from lenet_gui.gui.panels.adapt_control import SCHEDULE_CHOICES, AdaptControl
        from lenet_gui.gui.widgets.adapt_view import AdaptView
        from lenet_gui.gui.widgets.my_digits_view import MyDigitsView

        self.view = MyDigitsView()
        self.view.relabelRequested.connect(self._on_view_relabel_requested)
        self.view.removeRequested.connect(self._on_view_remove_requested)
        self.view.importRequested.connect(self._on_view_import_requested)
        self.view.exportRequested.connect(self._on_view_export_requested)
        self.adapt_view = AdaptView(SCHEDULE_CHOICES)
        #: Adapt to my handwriting: runs, follows and cancels adaptations.
        self.adapting = AdaptControl(
            self.session, self.adapt_view, self._digits, my_weights_path, self
        )
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.adapt_view)
        return page

    def update_view(self) -> None:  # noqa: D102
        digits = self._digits()
        self.view.set_digits([picture_of(d) for d in digits], [d.label for d in digits])
        if not self.adapting.job.running:
            self.adapt_view.set_running(False, can_adapt=bool(digits))

    def shutdown(self) -> None:  # noqa: D102
        if self.built:
            self.adapting.shutdown()
        super().shutdown()

    def keep(self, drawing: Drawing, label: int) -> bool:
        """Keep the canvas's drawing as an example of `label`; say what happened."""
        status = self.session.status
        if drawing.background is not None:
            status.say(
                "Only digits drawn on the canvas can be kept in My digits, "
                "not a loaded image"
            )
            return False
        strokes = [np.asarray(s.points, dtype=np.float64) for s in drawing.strokes]
        try:
            self._digits()  # says if the file had to be set aside
            self.store.add(strokes, label)
        except MyDigitsError as error:
            status.say(str(error), 10000)
            return False
        count = sum(d.label == label for d in self.store.digits())
        status.say(
            f"Kept as a {label} in My digits ({count} of {label}, "
            f"{len(self.store.digits())} in all)"
        )
        return True

    def _digits(self) -> list[PenDigit]:
        if not self._loaded:
            self._loaded = True
            problem = self.store.load()
            if problem is not None:
                self.session.status.warn("My digits", problem)
        return self.store.digits()

    def _change(self, change: str, *args: object) -> None:
        try:
            getattr(self.store, change)(*args)
        except MyDigitsError as error:
            self.session.status.warn("My digits", str(error))

    def _on_view_relabel_requested(self, indices: list[int], label: int) -> None:
        for index in indices:
            self._change("relabel", index, label)

    def _on_view_remove_requested(self, indices: list[int]) -> None:
        self._change("remove", indices)
        self.session.status.say(f"Deleted {len(indices)} from My digits")

    def _on_view_import_requested(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.widget, "Import digits", "", "Stroke files (*.json);;All files (*)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> int:
        """Add a stroke file's digits; say how many, or why none."""
        self._digits()
        try:
            added = self.store.import_file(path)
        except MyDigitsError as error:
            self.session.status.warn("Cannot import digits", str(error))
            return 0
        self.session.status.say(f"Imported {added} digits from {path.name}")
        return added

    def _on_view_export_requested(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.widget, "Export digits", "my-digits.json", "Stroke files (*.json)"
        )
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> bool:
        """Save every kept digit to a stroke file; say where, or why not."""
        try:
            self.store.export_file(path)
        except MyDigitsError as error:
            self.session.status.warn("Cannot export digits", str(error))
            return False
        self.session.status.say(f"Exported {len(self.store.digits())} digits to {path}")
        return True
