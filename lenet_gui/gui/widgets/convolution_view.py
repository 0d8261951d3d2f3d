"""Step through a convolution: one unit's window moved across the maps it reads."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.convolution_canvas import ConvolutionCanvas
from lenet_gui.gui.widgets.themed import ThemedWidget
from lenet_gui.gui.widgets.window_sum_text import WindowNumbers
from lenet_gui.spec.lenet5 import Kind, NetworkSpec

__all__ = ["ConvolutionView"]


class ConvolutionView(ThemedWidget):
    """A unit of C1 to C5 and its sum, with the controls to move its window.

    Choose a layer and a map; step the window with the buttons or the arrow
    keys, or play it across the map at the speed chosen. The view says what
    the person asks for through its signals and shows what it is given
    (:meth:`set_step`); where the window is, and the playing, belong to its
    controller.

    Parameters
    ----------
    spec : NetworkSpec
        The network: the layers offered are those whose units slide a window.
    parent : QWidget, optional
        The parent widget.
    """

    unitChosen = Signal(str, int)
    """The person chose map `index` of layer `name`."""
    moveRequested = Signal(int, int)
    """Move the window by (rows, columns): the step buttons and the arrow keys."""
    playToggled = Signal()
    """Play or pause."""
    speedChanged = Signal(int)
    """Steps per second while playing."""
    placeChosen = Signal(int, int)
    """Put the window at (row, column) of the output map."""
    focusChosen = Signal(int)
    """Show the numbers of map read number k."""

    INTRO = (
        "Each unit multiplies the values under its window, x, by its weights, w, "
        "adds the products and a bias, and squashes the sum. Step the window "
        "across to see every unit of the map being made."
    )
    KEYS = (
        "\N{LEFTWARDS ARROW} \N{RIGHTWARDS ARROW} \N{UPWARDS ARROW} "
        "\N{DOWNWARDS ARROW} move the window \N{MIDDLE DOT} Space plays or pauses "
        "\N{MIDDLE DOT} click a map to move the window there and show its numbers "
        "\N{MIDDLE DOT} red numbers are positive, blue negative"
    )

    MINIMUM_SIZE_HINT = QSize(380, 380)
    ROOMY = 360
    """Least height of the canvas with the intro shown: where the intro would
    leave it less (a small window, larger text), the intro is left out."""

    def __init__(self, spec: NetworkSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Step through a convolution")
        self._spec = spec
        self._layers = [
            layer
            for layer in spec.layers
            if layer.kind in (Kind.CONVOLUTION, Kind.SUBSAMPLING)
        ]
        self.layer_box = QComboBox()
        for layer in self._layers:
            kind = (
                f"sums {layer.kernel}\N{MULTIPLICATION SIGN}{layer.kernel} blocks"
                if layer.kind is Kind.SUBSAMPLING
                else f"{layer.kernel}\N{MULTIPLICATION SIGN}{layer.kernel} kernels"
            )
            self.layer_box.addItem(f"{layer.name}: {kind}", layer.name)
        self.layer_box.setToolTip("The layer of the unit to step through")
        self.map_box = QSpinBox()
        self.map_box.setToolTip("Which of the layer's maps")
        self.back_button = QPushButton("\N{BLACK LEFT-POINTING TRIANGLE} Step")
        self.play_button = QPushButton()
        self.next_button = QPushButton("Step \N{BLACK RIGHT-POINTING TRIANGLE}")
        self.back_button.setToolTip("Move the window one place back (Left arrow)")
        self.next_button.setToolTip("Move the window one place on (Right arrow)")
        self.play_button.setToolTip("Slide the window across the map (Space)")
        for button in (self.back_button, self.play_button, self.next_button):
            # A click leaves the keys with the canvas: the arrows keep stepping.
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 20)
        self.speed.setValue(4)
        self.speed.setMinimumWidth(80)
        self.speed.setToolTip(
            "How many places the window moves per second when playing"
        )
        self._speed_label = QLabel()
        self.canvas = ConvolutionCanvas(spec.amplitude)
        self._intro = QLabel(self.INTRO)
        self._intro.setWordWrap(True)
        self._keys = QLabel(self.KEYS)
        self._keys.setWordWrap(True)

        # Two rows, so that every control keeps its words in a narrow window.
        choice = QHBoxLayout()
        choice.addWidget(QLabel("Unit of"))
        choice.addWidget(self.layer_box)
        choice.addWidget(QLabel("map"))
        choice.addWidget(self.map_box)
        choice.addStretch(1)
        steps = QHBoxLayout()
        for button in (self.back_button, self.play_button, self.next_button):
            steps.addWidget(button)
        steps.addSpacing(12)
        steps.addWidget(QLabel("Speed"))
        steps.addWidget(self.speed, 1)
        steps.addWidget(self._speed_label)
        self._rows = (choice, steps)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._intro)
        layout.addLayout(choice)
        layout.addLayout(steps)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self._keys)

        self.layer_box.activated.connect(self._on_layer_box_activated)
        self.map_box.valueChanged.connect(self._on_map_box_value_changed)
        self.back_button.clicked.connect(lambda: self.moveRequested.emit(0, -1))
        self.next_button.clicked.connect(lambda: self.moveRequested.emit(0, 1))
        self.play_button.clicked.connect(self.playToggled)
        self.speed.valueChanged.connect(self._on_speed_value_changed)
        self.canvas.moveRequested.connect(self.moveRequested)
        self.canvas.playToggled.connect(self.playToggled)
        self.canvas.placeChosen.connect(self.placeChosen)
        self.canvas.focusChosen.connect(self.focusChosen)
        self.set_unit(self._layers[0].name, 0)
        self.set_playing(False)
        self._on_speed_value_changed(self.speed.value())
        self._finish_building()

    # -- what is shown ------------------------------------------------------------

    def set_unit(self, layer: str, index: int) -> None:
        """Show which unit is chosen, without asking for it again."""
        with QSignalBlocker(self.layer_box), QSignalBlocker(self.map_box):
            self.layer_box.setCurrentIndex(self.layer_box.findData(layer))
            self.map_box.setRange(0, self._spec.layer(layer).maps - 1)
            self.map_box.setValue(index)

    def set_step(
        self, step: WindowNumbers | None, focus: int = 0, switched_off: bool = False
    ) -> None:
        """Show a unit's window and sum (None: nothing drawn to compute with)."""
        self.canvas.set_step(step, focus, switched_off)
        moves = step is not None and step.sources.shape[-1] > step.size
        for button in (self.back_button, self.next_button, self.play_button):
            button.setEnabled(step is not None)
        if step is not None and not moves:
            # C5's window covers its maps whole: the steps go map by map.
            self.back_button.setToolTip("Show the numbers of the map read before")
            self.next_button.setToolTip("Show the numbers of the next map read")
        else:
            self.back_button.setToolTip("Move the window one place back (Left arrow)")
            self.next_button.setToolTip("Move the window one place on (Right arrow)")

    def set_playing(self, playing: bool) -> None:
        """Show whether the window is sliding on its own."""
        self.play_button.setText(
            "\N{DOUBLE VERTICAL BAR} Pause"
            if playing
            else "\N{BLACK RIGHT-POINTING TRIANGLE} Play"
        )

    def lines(self) -> list[str]:
        """Return the sum's lines as shown."""
        return self.canvas.texts()

    def shows_intro(self) -> bool:
        """Whether the sentence above the controls is shown (not when short)."""
        return not self._intro.isHidden()

    def shows_keys(self) -> bool:
        """Whether the keys' line under the canvas is shown (not when shorter)."""
        return not self._keys.isHidden()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102, N802
        super().resizeEvent(event)
        self._fit_words()

    def _fit_words(self) -> None:
        """Leave the words around the canvas out where it would lack room.

        The intro says again what the tab's "What am I looking at?" line
        says: it goes first, where it would leave the canvas less than
        :attr:`ROOMY`. The keys' line goes next, where the canvas would get
        less than its least size (the buttons' tips name the keys too).
        """
        layout = self._layout
        margins = layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        spacing = layout.spacing()
        core = sum(row.sizeHint().height() + spacing for row in self._rows)
        core += margins.top() + margins.bottom()
        keys = self._keys.heightForWidth(width) + spacing
        intro = self._intro.heightForWidth(width) + spacing
        height = self.height()
        self._keys.setVisible(height >= core + self.canvas.minimumHeight() + keys)
        self._intro.setVisible(height >= core + self.ROOMY + keys + intro)

    # -- private ----------------------------------------------------------------

    @Slot(int)
    def _on_layer_box_activated(self, row: int) -> None:
        layer = str(self.layer_box.itemData(row))
        index = min(self.map_box.value(), self._spec.layer(layer).maps - 1)
        self.set_unit(layer, index)
        self.unitChosen.emit(layer, index)
        self.canvas.setFocus()

    @Slot(int)
    def _on_map_box_value_changed(self, index: int) -> None:
        self.unitChosen.emit(str(self.layer_box.currentData()), index)

    @Slot(int)
    def _on_speed_value_changed(self, value: int) -> None:
        self._speed_label.setText(f"{value} steps/s")
        self.speedChanged.emit(value)
