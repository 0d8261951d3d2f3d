"""Adapt to my handwriting: start, follow and cancel the learning; pick the weights.

A schedule to choose, Adapt and Cancel, a live curve of the loss and the
accuracy batch by batch, C1's six 5×5 kernels as they change, the
before/after figures when it is done, and buttons to read with the bundled
weights or "my weights".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.themed import ThemedWidget, color_plots

__all__ = ["AdaptView"]

_KERNEL_PIXELS = 40
#: Least time between two redraws of the curve and kernels, in milliseconds.
_REDRAW_MS = 150


class AdaptView(ThemedWidget):
    """The controls and the live picture of an adaptation.

    Signals
    -------
    adaptRequested(str)
        Start adapting with this schedule.
    cancelRequested
        Stop the adaptation running.
    useRequested(str)
        Read with "bundled" or "mine" (my weights).
    """

    adaptRequested = Signal(str)
    cancelRequested = Signal()
    useRequested = Signal(str)

    def __init__(
        self, schedules: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._schedule = QComboBox()
        for name, description in schedules:
            self._schedule.addItem(name.capitalize(), name)
            self._schedule.setItemData(
                self._schedule.count() - 1, description, Qt.ItemDataRole.ToolTipRole
            )
        self._adapt = QPushButton("Adapt to my handwriting")
        self._adapt.setToolTip(
            "Fine-tune a copy of the weights on My digits, with MNIST digits "
            "replayed so that other handwriting is still read"
        )
        self._adapt.clicked.connect(
            lambda: self.adaptRequested.emit(self._schedule.currentData())
        )
        self._cancel = QPushButton("Cancel")
        self._cancel.clicked.connect(self.cancelRequested)
        self._bundled = QPushButton("Bundled weights")
        self._bundled.setToolTip("Read with the weights the app ships with")
        self._bundled.clicked.connect(lambda: self.useRequested.emit("bundled"))
        self._mine = QPushButton("My weights")
        self._mine.setToolTip("Read with the weights adapted to your handwriting")
        self._mine.clicked.connect(lambda: self.useRequested.emit("mine"))
        row = QHBoxLayout()
        row.addWidget(QLabel("Schedule:"))
        row.addWidget(self._schedule)
        row.addWidget(self._adapt)
        row.addWidget(self._cancel)
        row.addStretch(1)
        choice = QHBoxLayout()
        choice.addWidget(QLabel("Read with:"))
        choice.addWidget(self._bundled)
        choice.addWidget(self._mine)
        choice.addStretch(1)

        self._plot = pg.PlotWidget()
        self._plot.setMinimumHeight(70)
        self._plot.setMaximumHeight(170)
        self._plot.setLabel("bottom", "batch")
        self._plot.setYRange(0.0, 1.0)
        self._plot.addLegend(offset=(-10, 10))
        self._loss = self._plot.plot(
            [], [], pen=pg.mkPen("#d9534f", width=2), name="loss"
        )
        self._accuracy = self._plot.plot(
            [], [], pen=pg.mkPen("#2a7fd4", width=2), name="accuracy"
        )
        self._kernels: list[QLabel] = []
        kernels = QGridLayout()
        kernels.addWidget(QLabel("C1 kernels"), 0, 0, 1, 3)
        for k in range(6):
            label = QLabel()
            label.setFixedSize(QSize(_KERNEL_PIXELS, _KERNEL_PIXELS))
            label.setToolTip(f"C1 kernel {k}, as it learns (grey 0, white +, black −)")
            kernels.addWidget(label, 1 + k // 3, k % 3)
            self._kernels.append(label)
        kernels.setRowStretch(3, 1)
        live = QHBoxLayout()
        live.addWidget(self._plot, 1)
        live.addLayout(kernels)
        self._report = QLabel()
        self._report.setWordWrap(True)
        self._report.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(live)
        layout.addWidget(self._report)
        layout.addLayout(choice)
        self._steps: list[tuple[float, float]] = []
        self._latest_kernels: np.ndarray | None = None
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(_REDRAW_MS)
        self._redraw.timeout.connect(self._draw_steps)
        self.set_running(False)
        self.set_report("")
        self._finish_building()

    def set_running(self, running: bool, can_adapt: bool = True) -> None:
        """Enable Cancel while running, Adapt otherwise (if there are digits)."""
        self._adapt.setEnabled(not running and can_adapt)
        self._schedule.setEnabled(not running)
        self._cancel.setEnabled(running)
        if running:
            self._steps = []
            self._latest_kernels = None
            self._loss.setData([], [])
            self._accuracy.setData([], [])
        else:
            self._draw_steps()

    def set_weights_choice(self, mine_available: bool, using_mine: bool) -> None:
        """Show which weights read, and whether my weights exist to switch to."""
        self._mine.setEnabled(mine_available and not using_mine)
        self._bundled.setEnabled(using_mine)

    def add_step(self, loss: float, accuracy: float, kernels: np.ndarray) -> None:
        """Add one batch to the curve and show C1's (6, 5, 5) kernels.

        Drawn at most every :data:`_REDRAW_MS` (and once after the last
        batch), so that learning fast never holds up the pen.
        """
        self._steps.append((loss, accuracy))
        self._latest_kernels = kernels
        if not self._redraw.isActive():
            self._redraw.start()

    def _draw_steps(self) -> None:
        kernels = self._latest_kernels
        if kernels is None or not self._steps:
            return
        steps = np.asarray(self._steps)
        x = np.arange(1, len(steps) + 1)
        self._loss.setData(x, steps[:, 0])
        self._accuracy.setData(x, steps[:, 1])
        top = max(float(np.abs(kernels).max()), 1e-6)
        for label, kernel in zip(self._kernels, kernels, strict=True):
            grey = np.ascontiguousarray(
                np.clip(127.5 + 127.5 * kernel / top, 0, 255).astype(np.uint8)
            )
            image = QImage(grey.data, 5, 5, 5, QImage.Format.Format_Grayscale8)
            label.setPixmap(
                QPixmap.fromImage(
                    image.scaled(
                        _KERNEL_PIXELS,
                        _KERNEL_PIXELS,
                        Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.FastTransformation,
                    )
                )
            )

    def steps(self) -> list[tuple[float, float]]:
        """Return the (loss, accuracy) of each batch shown."""
        return list(self._steps)

    def set_report(self, text: str) -> None:
        """Show what the adaptation did (rich text), or how to start one."""
        self._report.setText(
            text
            or "Adapting fine-tunes a copy of the weights on your digits in "
            "seconds, checks it still reads the 2,000 bundled MNIST test digits "
            "(at most half a point lost), and saves it as “my weights”."
        )

    def report(self) -> str:
        """Return the report shown."""
        return self._report.text()

    def _apply_palette(self) -> None:
        color_plots(self._plot, [self._plot.getPlotItem()], self.palette())
        muted = self.palette().color(QPalette.ColorRole.WindowText)
        self._report.setStyleSheet(f"color: {muted.name()}")
