"""One feature-map unit's computation, term by term: what it reads and its weights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Slot
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.packed_layer import Packing
from lenet_gui.gui.widgets.themed import ThemedWidget
from lenet_gui.gui.widgets.unit_numbers import UnitNumbers


class UnitSumView(ThemedWidget):
    """Shows how one unit's value is made: ``f(sum(weights * inputs) + bias)``.

    One pair of squares per map the unit reads: on the left the values it
    reads there (the 5x5 patch of a convolution, the 2x2 block of a
    subsampling), on the right the weights applied to them. Values use the
    feature maps' fixed colours; weights their own symmetric scale, given in
    the heading with the bias and the sum. The Numbers button adds the same
    terms in numbers below: x, w and x·w as grids, or a unit's largest
    products when it reads more than a few maps.

    Parameters
    ----------
    spec : NetworkSpec
        The network: its squashing ``amplitude`` sets the values' fixed
        colour levels, as in the feature-map panel.
    parent : QWidget, optional
        The parent widget.
    """

    MAX_COLUMNS = 6
    """Most maps any feature-map unit reads (C3's last map reads all six S2 maps)."""
    COLOR_MAP = "CET-D1"
    """Diverging colour map, the feature-map panel's."""
    HINT = (
        "Hover a unit to see how its value is computed;<br>"
        "double-click a layer to show it alone;<br>"
        "right-click a unit to step through its sum<br>"
        "or to switch its map off"
    )
    """Heading shown while no unit is shown: the one place this is said, a short
    line each, so that it is whole in a narrow window too."""

    SIZE_HINT = QSize(480, 130)
    MINIMUM_SIZE_HINT = QSize(240, 100)

    def __init__(self, spec: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Computation of the hovered unit")
        self.value_levels = (-spec.amplitude, spec.amplitude)
        # A fixed height, so the panels above never move while a person draws.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._graphics = graphics = pg.GraphicsLayoutWidget()
        self.numbers_button = QToolButton()
        self.numbers_button.setText("Numbers")
        self.numbers_button.setCheckable(True)
        self.numbers_button.setToolTip(
            "Show the values x, weights w and x·w in numbers"
        )
        self.numbers_button.toggled.connect(self._on_numbers_button_toggled)
        self.numbers = UnitNumbers()
        self.numbers.setVisible(False)
        self._terms: tuple[list[str], np.ndarray, np.ndarray] | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(graphics, 1)
        row.addWidget(self.numbers_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row, 1)
        layout.addWidget(self.numbers)
        graphics.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        graphics.ci.setContentsMargins(2, 2, 2, 2)
        graphics.ci.setSpacing(1)
        lut = pg.colormap.get(self.COLOR_MAP).getLookupTable(nPts=256, alpha=False)
        columns = 2 * self.MAX_COLUMNS
        self._heading = graphics.addLabel(self.HINT, colspan=columns, size="9pt")

        graphics.nextRow()
        captions = [
            graphics.addLabel("", colspan=2, size="8pt")
            for _ in range(self.MAX_COLUMNS)
        ]
        for caption in captions:
            caption.setMaximumHeight(16)
        graphics.nextRow()
        # Each map read gets two squares side by side: the values, the weights.
        images = [self._add_image() for _ in range(columns)]
        for image in images:
            image.setLookupTable(lut)
        self._columns = list(zip(captions, images[0::2], images[1::2], strict=True))
        grid = graphics.ci.layout
        grid.setRowStretchFactor(2, 1)
        for column in range(columns):
            grid.setColumnStretchFactor(column, 1)
        self._shown = 0
        self._show_columns(0)
        self._finish_building()

    @property
    def graphics(self) -> pg.GraphicsLayoutWidget:
        """The pyqtgraph widget the squares are drawn in (for pictures and tests)."""
        return self._graphics

    def show_sum(
        self,
        heading: str,
        captions: Sequence[str],
        inputs: np.ndarray,
        weights: np.ndarray,
    ) -> None:
        """Show the values a unit reads and their weights.

        With one caption per map read (at most six), each map gets a column:
        its values beside their weights. A unit of C5, F6 or the output reads
        more: give one caption for all, and the values and weights are each
        packed into one grid (maps of 5x5 in rows of four; single units in
        columns of twelve, as the paper draws F6).

        Parameters
        ----------
        heading : str
            What the unit is and the sum's figures, e.g. ``"C3 map 7 (2, 5) =
            f(2.413) = 1.716"``.
        captions : sequence of str
            One name per map read, e.g. ``"S2 map 1"``, or one for all.
        inputs, weights : np.ndarray
            (n, k, k) values read and weights.

        Raises
        ------
        ValueError
            If the shapes do not agree, or there are more than six captions or
            neither one nor one per map.
        """
        inputs = np.asarray(inputs, dtype=np.float64)
        weights = np.asarray(weights, dtype=np.float64)
        count = len(captions)
        if not (
            inputs.ndim == 3
            and inputs.shape == weights.shape
            and 0 < count <= self.MAX_COLUMNS
            and count in (1, inputs.shape[0])
        ):
            raise ValueError(
                f"need inputs and weights of one (n, k, k) shape with 1 or n "
                f"captions, at most {self.MAX_COLUMNS}; got {count} captions, "
                f"{inputs.shape} and {weights.shape}"
            )
        self._terms = (list(captions), inputs, weights)
        if self.numbers.isVisible():
            self.numbers.set_terms(*self._terms)
        # One symmetric scale for all of this unit's weights, so they compare.
        limit = float(np.abs(weights).max()) or 1.0
        if count < inputs.shape[0]:
            inputs, weights = _packed(inputs)[None], _packed(weights)[None]
        for (caption, values, kernel), text, x, w in zip(
            self._columns, captions, inputs, weights, strict=False
        ):
            caption.setText(text)
            values.setImage(x, autoLevels=False, levels=self.value_levels)
            kernel.setImage(w, autoLevels=False, levels=(-limit, limit))
        self._heading.setText(heading)
        self._show_columns(count)

    def clear(self) -> None:
        """Show the hint instead of a unit (nothing to do if already shown)."""
        if self._shown == 0 and self._heading.text == self.HINT:
            return
        self._heading.setText(self.HINT)
        self._show_columns(0)
        self._terms = None
        self.numbers.set_terms([], np.zeros((0, 1, 1)), np.zeros((0, 1, 1)))

    def sizeHint(self) -> QSize:  # noqa: D102
        hint = QSize(self.SIZE_HINT)
        if self.numbers_button.isChecked():
            hint.setHeight(hint.height() + self.numbers.sizeHint().height())
        return hint

    def minimumSizeHint(self) -> QSize:  # noqa: D102
        hint = QSize(self.MINIMUM_SIZE_HINT)
        if self.numbers_button.isChecked():
            hint.setHeight(hint.height() + 120)
        return hint

    def heading(self) -> str:
        """Return the heading shown."""
        return self._heading.text

    def shown_columns(self) -> int:
        """Return how many maps are shown (0 when no unit is)."""
        return self._shown

    @Slot(bool)
    def _on_numbers_button_toggled(self, shown: bool) -> None:
        self.numbers.setVisible(shown)
        if shown and self._terms is not None:
            self.numbers.set_terms(*self._terms)
        self.updateGeometry()

    def _add_image(self) -> pg.ImageItem:
        view = self._graphics.addViewBox(
            lockAspect=True, invertY=True, enableMouse=False, enableMenu=False
        )
        image = pg.ImageItem(axisOrder="row-major")
        view.addItem(image)
        view.setRange(QRectF(0, 0, 5, 5), padding=0.05)
        return image

    def _show_columns(self, count: int) -> None:
        self._shown = count
        grid = self._graphics.ci.layout
        for k, (caption, values, kernel) in enumerate(self._columns):
            shown = k < count
            # Hidden squares give their width to the shown ones.
            for column in (2 * k, 2 * k + 1):
                grid.setColumnStretchFactor(column, int(shown))
                grid.setColumnMaximumWidth(column, 1e6 if shown else 0)
            caption.setVisible(shown)
            for image in (values, kernel):
                image.getViewBox().setVisible(shown)
                if shown:
                    height, width = image.image.shape
                    image.getViewBox().setRange(
                        QRectF(0, 0, width, height), padding=0.05
                    )

    def _apply_palette(self) -> None:
        palette = self.palette()
        self._graphics.setBackground(palette.color(QPalette.ColorRole.Window))
        text = palette.color(QPalette.ColorRole.WindowText).name()
        self._heading.setAttr("color", text)
        self._heading.setText(self._heading.text)
        for caption, _, _ in self._columns:
            caption.setAttr("color", text)
            caption.setText(caption.text)


def _packed(maps: np.ndarray) -> np.ndarray:
    """Pack (n, k, k) maps into one grid image, NaN (transparent) between maps.

    Maps of more than one value go in rows of four with one-pixel gaps;
    single values as the layer views lay units out (F6's 84 as the paper's
    7-wide, 12-high bitmap).
    """
    count, side, _ = maps.shape
    if side == 1:
        return Packing.build((count,)).pack(maps)
    return Packing.build(maps.shape, (-(-count // 4), 4)).pack(maps)
