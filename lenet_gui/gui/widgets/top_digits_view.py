"""What a feature map looks for: the test digits that excite it most."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.array_picture import ArrayPicture, diverging_rgb, ink_rgb
from lenet_gui.gui.widgets.themed import ThemedWidget

__all__ = ["TopDigitsView"]

_MINUS = "\N{MINUS SIGN}"


class TopDigitsView(ThemedWidget):
    """The digits that drive one map hardest, beside the map's weights and yours.

    For the map chosen, every bundled MNIST test digit's strongest unit in
    that map is ranked by its sum before squashing; the top nine are shown
    with the patch of the digit that unit sees framed, and that sum. Beside
    them, the map's kernel (or its coefficient and bias) and the person's own
    drawing's map, its strongest unit framed and its sum given, so the two
    can be compared.

    Parameters
    ----------
    layers : sequence of (str, int)
        The layers offered and their number of maps, e.g. ``("C1", 6)``.
    parent : QWidget, optional
        The parent widget.
    """

    mapChosen = Signal(str, int)
    """The person chose a layer and map to look at."""
    stepThroughRequested = Signal(object)
    """Step through the sum of the drawing's strongest unit in the map shown:
    its ``(layer, map, row, column)``."""

    COUNT = 9
    """Digits shown."""
    PICTURE = 112
    """Preferred side of each digit's picture, in pixels (4 per MNIST pixel)."""
    SIDE_WIDTH = 150
    """Width of the column with the map's weights and the person's map."""
    SIZE_HINT = QSize(700, 520)
    MINIMUM_SIZE_HINT = QSize(320, 300)

    def __init__(
        self, layers: Sequence[tuple[str, int]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("What each map looks for")
        self._maps = dict(layers)
        self._digits: list[Any] = []
        self._own_values: np.ndarray | None = None
        self._own_sums: np.ndarray | None = None
        self._layer = QComboBox()
        for name in self._maps:
            self._layer.addItem(name)
        self._map = QSpinBox()
        self._layer.currentTextChanged.connect(self._on_layer_changed)
        self._map.valueChanged.connect(self._on_choice_changed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Layer"))
        bar.addWidget(self._layer)
        bar.addWidget(QLabel("map"))
        bar.addWidget(self._map)
        bar.addStretch(1)
        self.step_button = QPushButton("Step Through Its Sum")
        self.step_button.setToolTip(
            "Show, step by step, how your drawing's strongest unit in this map "
            "(framed under Your drawing) sums what it reads"
        )
        self.step_button.clicked.connect(  # enabled only with the drawing's map
            lambda: self.stepThroughRequested.emit(self.strongest_unit())
        )
        bar.addWidget(self.step_button)
        self._caption = QLabel()
        self._caption.setWordWrap(True)
        grid = QGridLayout()
        grid.setSpacing(6)
        self._pictures: list[ArrayPicture] = []
        self._texts: list[QLabel] = []
        for k in range(self.COUNT):
            picture, text = ArrayPicture(self.PICTURE, 44), QLabel()
            text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(picture, 2 * (k // 3), k % 3)
            grid.addWidget(text, 2 * (k // 3) + 1, k % 3)
            grid.setRowStretch(2 * (k // 3), 1)
            self._pictures.append(picture)
            self._texts.append(text)
        row = QHBoxLayout()
        row.addWidget(self._build_side())
        row.addLayout(grid, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._caption)
        layout.addLayout(row, 1)
        self._on_layer_changed(self._layer.currentText())
        self.set_digits(None)
        self.set_weights(None, (), "", 1.0, 0.0)
        self.set_own_map(None, None, 1.0)
        self._finish_building()

    def _build_side(self) -> QWidget:
        side = QWidget()
        side.setMaximumWidth(self.SIDE_WIDTH)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        self._weights_title = QLabel()
        self._weights_title.setWordWrap(True)
        kernels = QGridLayout()
        kernels.setSpacing(3)
        self._kernels = [ArrayPicture(44, 22) for _ in range(6)]
        for k, picture in enumerate(self._kernels):
            kernels.addWidget(picture, k // 3, k % 3)
        self._weights_text = QLabel()
        self._weights_text.setWordWrap(True)
        self._own_title = QLabel("<b>Your drawing</b> in this map:")
        self._own_title.setWordWrap(True)
        self._own = ArrayPicture(self.SIDE_WIDTH - 10, 56)
        self._own_text = QLabel()
        self._own_text.setWordWrap(True)
        column.addWidget(self._weights_title)
        column.addLayout(kernels)
        column.addWidget(self._weights_text)
        column.addSpacing(8)
        column.addWidget(self._own_title)
        column.addWidget(self._own)
        column.addWidget(self._own_text)
        column.addStretch(1)
        return side

    def choice(self) -> tuple[str, int]:
        """Return the layer and map chosen."""
        return self._layer.currentText(), self._map.value()

    def set_choice(self, layer: str, index: int) -> None:
        """Choose a layer and map quietly (no :attr:`mapChosen`)."""
        for widget in (self._layer, self._map):
            widget.blockSignals(True)
        self._layer.setCurrentText(layer)
        self._map.setRange(0, self._maps[layer] - 1)
        self._map.setValue(index)
        for widget in (self._layer, self._map):
            widget.blockSignals(False)

    def set_digits(self, digits: Sequence[Any] | None) -> None:
        """Show the top digits, or none.

        Each has ``image`` (28, 28), ``label``, ``index``, ``value`` (after
        squashing), ``sum`` (before), ``unit`` and ``thumbnail_field``
        (``top``, ``left``, ``height``, ``width``).
        """
        digits = list(digits or [])[: self.COUNT]
        self._digits = digits
        layer, index = self.choice()
        if digits:
            self._caption.setText(
                f"The {len(digits)} bundled MNIST test digits that drive {layer} "
                f"map {index} hardest, strongest first. Under each: the digit, "
                "and the sum \N{GREEK CAPITAL LETTER SIGMA} w\N{MIDDLE DOT}x + b "
                "of the map's strongest unit before squashing, which ranks them; "
                "the frame is the patch that unit sees."
            )
        else:
            self._caption.setText("Finding the digits\N{HORIZONTAL ELLIPSIS}")
        for k, (picture, text) in enumerate(
            zip(self._pictures, self._texts, strict=True)
        ):
            if k < len(digits):
                digit = digits[k]
                field = digit.thumbnail_field
                frame = QRectF(field.left, field.top, field.width, field.height)
                picture.set_rgb(ink_rgb(digit.image), frame)
                text.setText(f"{digit.label}: {_signed(digit.sum)}")
                tip = (
                    f"MNIST test digit #{digit.index}, a {digit.label}. Its "
                    f"strongest unit of {layer} map {index} (row {digit.unit[0]}, "
                    f"column {digit.unit[1]}) sums to {_signed(digit.sum, 3)}, "
                    f"{_signed(digit.value, 3)} after squashing."
                )
                picture.setToolTip(tip)
                text.setToolTip(tip)
            else:
                picture.set_rgb(None)
                picture.setToolTip("")
                text.clear()
        self._compare_own()

    def shown_sums(self) -> list[float]:
        """Return the sums shown under the digits, strongest first."""
        return [float(digit.sum) for digit in self._digits]

    def set_weights(
        self,
        kernels: np.ndarray | None,
        sources: Sequence[int],
        below: str,
        limit: float,
        bias: float,
        coefficient: float | None = None,
    ) -> None:
        """Show the map's weights: its kernels, or its coefficient, and bias.

        Parameters
        ----------
        kernels : np.ndarray or None
            (k, 5, 5), one kernel per map of the layer below it reads; None
            for a subsampling map (or nothing chosen yet).
        sources : sequence of int
            Which maps of `below` the kernels read, in order.
        below : str
            The layer (or "input") the map reads.
        limit : float
            The colour scale's end, shared by the layer's kernels.
        bias : float
            The map's bias.
        coefficient : float, optional
            A subsampling map's coefficient.
        """
        count = 0 if kernels is None else len(kernels)
        for k, picture in enumerate(self._kernels):
            picture.setVisible(k < count)
            picture.set_preferred_side(100 if count == 1 else 44)
            if kernels is not None and k < count:
                picture.set_rgb(diverging_rgb(kernels[k], limit))
                picture.setToolTip(
                    f"The 5\N{MULTIPLICATION SIGN}5 kernel on {below} map {sources[k]}"
                )
        if coefficient is not None:
            self._weights_title.setText("<b>Its weights</b>:")
            self._weights_text.setText(
                f"each unit is {_signed(coefficient, 3)} \N{MULTIPLICATION SIGN} "
                f"(the sum of a 2\N{MULTIPLICATION SIGN}2 patch of {below} map "
                f"{sources[0] if sources else ''}) + bias {_signed(bias, 3)}"
            )
        elif kernels is not None:
            noun = "kernel" if count == 1 else f"{count} kernels"
            self._weights_title.setText(f"<b>Its {noun}</b>:")
            maps = ", ".join(str(j) for j in sources)
            read = "the input" if below == "input" else f"{below} maps {maps}"
            self._weights_text.setText(
                f"{'It is' if count == 1 else 'They are'} slid over {read}; "
                f"the map adds a bias of {_signed(bias, 3)}. Colours: blue "
                f"{_signed(-limit, 2)}, white 0, red {_signed(limit, 2)}."
            )
        else:
            self._weights_title.setText("")
            self._weights_text.setText("")

    def set_own_map(
        self, values: np.ndarray | None, sums: np.ndarray | None, limit: float
    ) -> None:
        """Show the person's drawing's map (after squashing) and its sums, or none.

        Parameters
        ----------
        values, sums : np.ndarray or None
            (side, side) outputs and sums before squashing of the chosen map.
        limit : float
            The outputs' colour scale end (the squashing's amplitude).
        """
        self._own_values, self._own_sums = values, sums
        self._own.setVisible(values is not None and sums is not None)
        self.step_button.setEnabled(sums is not None)
        if values is None or sums is None:
            self._own.set_rgb(None)
            self._own_text.setText("Draw a digit to see what it does to this map.")
            return
        row, col = np.unravel_index(int(np.argmax(sums)), sums.shape)
        self._own.set_rgb(
            diverging_rgb(values, limit), QRectF(float(col), float(row), 1.0, 1.0)
        )
        self._own.setToolTip(
            f"Red units respond, blue ones are pushed down; "
            f"{_signed(-limit, 2)} to {_signed(limit, 2)} as in Maps."
        )
        self._compare_own()

    def strongest_unit(self) -> tuple[str, int, int, int] | None:
        """Return the drawing's strongest unit in the map shown, or None."""
        sums = self._own_sums
        if sums is None:
            return None
        row, col = np.unravel_index(int(np.argmax(sums)), sums.shape)
        return (*self.choice(), int(row), int(col))

    def own_sum(self) -> float | None:
        """Return the person's strongest sum in the map shown, or None."""
        return None if self._own_sums is None else float(np.max(self._own_sums))

    def _compare_own(self) -> None:
        strongest = self.own_sum()
        if strongest is None or self._own_sums is None:
            return
        text = f"strongest unit (framed): {_signed(strongest)}"
        if self._digits:
            last = float(self._digits[-1].sum)
            text += (
                f", {'above' if strongest >= last else 'below'} the weakest "
                f"digit shown ({_signed(last)})"
            )
        self._own_text.setText(text)

    def _on_layer_changed(self, layer: str) -> None:
        self._map.blockSignals(True)
        self._map.setRange(0, self._maps[layer] - 1)
        self._map.blockSignals(False)
        self._on_choice_changed()

    def _on_choice_changed(self) -> None:
        self.mapChosen.emit(*self.choice())


def _signed(value: float, places: int = 2) -> str:
    """Return a number with its sign, a true minus sign for negatives."""
    return f"{value:+.{places}f}".replace("-", _MINUS)
