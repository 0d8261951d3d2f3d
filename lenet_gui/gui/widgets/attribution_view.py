"""Which pixels made the decision: an attribution map over the network's input."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.themed import ThemedWidget, color_axes

__all__ = ["AttributionView"]


class _Explanation(Protocol):
    """What the view reads of an attribution (widgets do not import explainers)."""

    @property
    def map(self) -> np.ndarray: ...
    @property
    def target(self) -> int: ...
    @property
    def versus(self) -> int | None: ...
    @property
    def total(self) -> float: ...
    @property
    def change(self) -> float: ...
    @property
    def method(self) -> str: ...


def _overlay_table(color_map: str) -> np.ndarray:
    """Return a diverging RGBA table whose opacity grows with the magnitude."""
    rgb = pg.colormap.get(color_map).getLookupTable(nPts=256, alpha=False)
    alpha = np.abs(np.arange(256) - 127.5) / 127.5 * 255
    return np.column_stack([rgb, alpha]).astype(np.ubyte)


class AttributionView(ThemedWidget):
    """The input with each pixel's share in a digit's score, and the map alone.

    Red pixels raise the score explained, blue ones lower it. The score is a
    digit's logit ("why 7"), or the difference of two ("why 7 and not 1").
    Colours run to the largest credit shown, so even a weak explanation is
    seen, and the titled colour bar says how large that is. The caption
    starts with one plain sentence; how the credits are computed, and that
    they add up to the score's change, is one click away.

    Parameters
    ----------
    spec : NetworkSpec
        The network: input size and levels.
    parent : QWidget, optional
        The parent widget.
    """

    targetChanged = Signal(object, object)
    """The person chose what to explain: (digit or None for the predicted
    one, versus digit, or None for no contrast, or -1 for the runner-up, or
    :attr:`RUNNER_UP_IF_UNSURE`)."""
    hoverInfoChanged = Signal(str)
    """The hover text changed: a pixel's credit (``""`` off the pictures)."""
    stepThroughRequested = Signal(int, int)
    """Step through the sum of a first-layer unit whose window is centred on
    this input pixel: its (row, column) in the input."""

    RUNNER_UP_IF_UNSURE = -2
    """The contrast chosen by default: the runner-up when the reading is
    unsure ("1, or 7?"), else none."""
    BAR_TITLE = "credit per pixel"
    """The colour bar's title."""
    STEP_HERE = "Step through C1 at this pixel"
    """The context-menu entry of a pixel: its C1 sum, stepped through."""
    SIZE_HINT = QSize(700, 520)
    MINIMUM_SIZE_HINT = QSize(320, 260)

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Why this digit: attribution")
        self._side = spec.input_size
        # The input in mid grey at most, so red and blue credits show on ink.
        self._levels = (spec.background, 2 * spec.ink - spec.background)
        self._map: np.ndarray | None = None

        self._target = QComboBox()
        self._target.addItem("the digit read", None)
        for digit in range(10):
            self._target.addItem(f"digit {digit}", digit)
        self._versus = QComboBox()
        self._versus.addItem("runner-up if unsure", self.RUNNER_UP_IF_UNSURE)
        self._versus.addItem("nothing else", None)
        self._versus.addItem("the runner-up", -1)
        for digit in range(10):
            self._versus.addItem(f"digit {digit}", digit)
        for combo in (self._target, self._versus):
            combo.currentIndexChanged.connect(self._on_choice_changed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Why"))
        bar.addWidget(self._target)
        bar.addWidget(QLabel("and not"))
        bar.addWidget(self._versus)
        bar.addStretch(1)
        self._caption = QLabel()
        self._caption.setWordWrap(True)
        self._how = QToolButton()
        self._how.setText("How is this computed?")
        self._how.setCheckable(True)
        self._how.setAutoRaise(True)
        self._how.setArrowType(Qt.ArrowType.RightArrow)
        self._how.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._how.toggled.connect(self._on_how_toggled)
        self._details = QLabel()
        self._details.setWordWrap(True)
        self._details.setVisible(False)
        self.step_button = QPushButton("Step Through C1 at the Strongest Pixel")
        self.step_button.setToolTip(
            "Show, in numbers, how C1 reads your drawing where the strongest "
            "credit is: the sum of the C1 unit whose 5\N{MULTIPLICATION SIGN}5 "
            "window is centred there. Right-click any pixel for its own."
        )
        self.step_button.clicked.connect(self._on_step_button_clicked)
        how = QHBoxLayout()
        how.addWidget(self._how)
        how.addStretch(1)
        how.addWidget(self.step_button)

        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        self._titles = [
            self._graphics.addLabel("input and credits", size="9pt", row=0, col=0),
            self._graphics.addLabel("credits alone", size="9pt", row=0, col=1),
        ]
        self._overlay_box = self._view(row=1, col=0)
        self._input = pg.ImageItem(axisOrder="row-major")
        self._input.setLookupTable(
            pg.colormap.get("CET-L1").getLookupTable(nPts=256, alpha=False)
        )
        self._overlay = pg.ImageItem(axisOrder="row-major")
        self._overlay.setLookupTable(_overlay_table("CET-D1"))
        self._overlay_box.addItem(self._input)
        self._overlay_box.addItem(self._overlay)
        self._alone_box = self._view(row=1, col=1)
        self._alone = pg.ImageItem(axisOrder="row-major")
        self._alone.setLookupTable(
            pg.colormap.get("CET-D1").getLookupTable(nPts=256, alpha=False)
        )
        self._alone_box.addItem(self._alone)
        self._bar = pg.ColorBarItem(
            values=(-1.0, 1.0),
            colorMap=pg.colormap.get("CET-D1"),
            label=self.BAR_TITLE,
            width=10,
            interactive=False,
            colorMapMenu=False,
        )
        self._graphics.addItem(self._bar, row=1, col=2)
        self._graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._graphics.scene().sigMouseClicked.connect(self._on_mouse_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._caption)
        layout.addLayout(how)
        layout.addWidget(self._details)
        layout.addWidget(self._graphics, 1)
        self.set_attribution(None, None)
        self._finish_building()

    # ------------------------------------------------------------------ public API

    @property
    def graphics(self) -> pg.GraphicsLayoutWidget:
        """The pictures (for pictures and tests)."""
        return self._graphics

    def choice(self) -> tuple[int | None, int | None]:
        """Return what is explained: (digit or None, versus or None or -1)."""
        return self._target.currentData(), self._versus.currentData()

    def set_choice(self, target: int | None, versus: int | None) -> None:
        """Choose what to explain, as the combo boxes would."""
        self._target.setCurrentIndex(self._target.findData(target))
        self._versus.setCurrentIndex(self._versus.findData(versus))

    def shown_map(self) -> np.ndarray | None:
        """Return the credits shown, (32, 32), or None."""
        return None if self._map is None else self._map.copy()

    def color_limit(self) -> float | None:
        """Return the colour scale's end: the largest credit's size, or None."""
        return None if self._map is None else float(self._bar.levels()[1])

    def strongest_pixel(self) -> tuple[int, int] | None:
        """Return the input pixel with the largest credit, either sign, or None."""
        if self._map is None:
            return None
        row, col = np.unravel_index(int(np.argmax(np.abs(self._map))), self._map.shape)
        return int(row), int(col)

    def caption(self) -> str:
        """Return the caption's plain sentences."""
        return self._caption.text()

    def details(self) -> str:
        """Return how the credits were computed (shown on request)."""
        return self._details.text()

    def reset_choice(self) -> None:
        """Go back to explaining the digit read, against the runner-up if unsure."""
        self.set_choice(None, self.RUNNER_UP_IF_UNSURE)

    def set_attribution(
        self, network_input: np.ndarray | None, attribution: _Explanation | None
    ) -> None:
        """Show an input and its attribution, or nothing.

        Parameters
        ----------
        network_input : np.ndarray or None
            The (32, 32) input in network levels.
        attribution : object or None
            With ``map`` (32, 32) credits, ``target``, ``versus``, ``total``,
            ``change`` and ``method`` (a one-line description).
        """
        if network_input is None or attribution is None:
            self._map = None
            self._input.clear()
            self._overlay.clear()
            self._alone.clear()
            self._caption.setText(
                "Draw a digit: this panel shows which pixels made LeNet-5 read it."
            )
            self._details.setText("")
            self._show_scale(False)
            return
        self._show_scale(True)
        self._map = np.asarray(attribution.map, dtype=np.float64)
        self._input.setImage(
            np.asarray(network_input), autoLevels=False, levels=self._levels
        )
        limit = self._limit(self._map)
        for item in (self._overlay, self._alone):
            item.setImage(self._map, autoLevels=False, levels=(-limit, limit))
        self._bar.setLevels((-limit, limit))
        self._caption.setText(_describe(attribution, limit))
        self._details.setText(_explain_method(attribution))

    # ------------------------------------------------------------------- private

    def _view(self, row: int, col: int) -> pg.ViewBox:
        box = self._graphics.addViewBox(
            row=row,
            col=col,
            lockAspect=True,
            invertY=True,
            enableMouse=False,
            enableMenu=False,
        )
        box.setRange(QRectF(0, 0, self._side, self._side), padding=0.02)
        box.disableAutoRange()
        return box

    @staticmethod
    def _limit(credits: np.ndarray) -> float:
        """Return the colour scale's end: the largest credit, never 0."""
        largest = float(np.abs(credits).max()) if credits.size else 0.0
        return largest if np.isfinite(largest) and largest > 1e-6 else 1e-6

    def _show_scale(self, shown: bool) -> None:
        """Show the colour bar and the method's details button, or hide them."""
        self._bar.setVisible(shown)
        self._how.setVisible(shown)
        self.step_button.setEnabled(shown)
        self.step_button.setVisible(shown)
        self._details.setVisible(shown and self._how.isChecked())

    def _on_how_toggled(self, shown: bool) -> None:
        self._details.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self._how.setArrowType(arrow)

    def _on_choice_changed(self) -> None:
        self.targetChanged.emit(*self.choice())

    def _pixel_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """Return the input pixel under a scene point, on either picture, or None."""
        if self._map is None:
            return None
        for box in (self._overlay_box, self._alone_box):
            if box.sceneBoundingRect().contains(scene_pos):
                point = box.mapSceneToView(scene_pos)
                row, col = int(np.floor(point.y())), int(np.floor(point.x()))
                if 0 <= row < self._side and 0 <= col < self._side:
                    return row, col
        return None

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        text = ""
        pixel = self._pixel_at(scene_pos)
        if pixel is not None and self._map is not None:
            credit = self._map[pixel]
            text = f"input pixel ({pixel[0]}, {pixel[1]}): credit {credit:+.4f}"
        self.hoverInfoChanged.emit(text)

    def _on_mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.RightButton:
            return
        pixel = self._pixel_at(event.scenePos())
        if pixel is not None:
            event.accept()
            self.offer_step_through(pixel, event.screenPos().toPoint())

    def offer_step_through(self, pixel: tuple[int, int], where: QPoint) -> None:
        """Offer, in a context menu at `where`, to step through C1 at `pixel`."""
        menu = QMenu(self)
        step = menu.addAction(self.STEP_HERE)
        if menu.exec(where) is step:
            self.stepThroughRequested.emit(*pixel)

    def _on_step_button_clicked(self) -> None:
        pixel = self.strongest_pixel()
        if pixel is not None:
            self.stepThroughRequested.emit(*pixel)

    def _apply_palette(self) -> None:
        palette = self.palette()
        self._graphics.setBackground(palette.color(QPalette.ColorRole.Window))
        text = palette.color(QPalette.ColorRole.WindowText)
        for title in self._titles:
            title.setAttr("color", text.name())
            title.setText(title.text)
        color_axes([self._bar], ["right", "left"], text)


def _a(digit: int) -> str:
    """Say a digit with its article, as it is read aloud: "a 7", "an 8"."""
    return f"an {digit}" if digit == 8 else f"a {digit}"


def _describe(a: _Explanation, limit: float) -> str:
    """Say in plain words what the colours mean for this explanation."""
    if a.versus is None:
        why = (
            f"Red pixels made it look more like {_a(a.target)}; "
            f"blue pixels made it look less like one."
        )
    else:
        why = (
            f"Red pixels made it look more like {_a(a.target)} than "
            f"{_a(a.versus)}; blue pixels made it look more like {_a(a.versus)}."
        )
    return (
        f"{why} The stronger the colour, the larger the pixel's share; "
        f"the strongest pixel's credit is {limit:.2f}."
    )


def _explain_method(a: _Explanation) -> str:
    """Say how the credits were computed and what they add up to."""
    score = f"the network's score for {a.target} (its logit, before softmax)"
    if a.versus is not None:
        score = (
            f"the network's score for {a.target} minus its score for "
            f"{a.versus} (logits, before softmax)"
        )
    return (
        f"The drawing is faded in from blank paper, and each pixel is "
        f"credited with how much {score} rose as that pixel appeared. "
        f"The credits add up to {a.total:+.2f}, the score's change from "
        f"blank paper ({a.change:+.2f}). {a.method}."
    )
