"""The explorer session: what is being explored, and the network exploring it.

One :class:`ExplorerSession` owns the state behind the window: the drawing,
its current prediction, a pinned drawing to compare with, the hovered unit
and the live-update throttle; its :attr:`~ExplorerSession.network` (a
:class:`~lenet_gui.gui.state.network_setup.NetworkSetup`) holds the weights and the
experiments on them. It takes plain data through its slots
(:meth:`~ExplorerSession.set_drawing`, :meth:`~ExplorerSession.hover`, ...)
and says what changed through its signals; it knows no widget. The window
connects the signals to widget setters, and tests and benchmarks drive a
session with arrays and no window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lenet_gui.gui.state.drawing_reader import DrawingReader
from lenet_gui.gui.state.network_setup import NetworkSetup
from lenet_gui.gui.state.status import StatusLine
from lenet_gui.spec.lenet5 import LENET5, Field, NetworkSpec, Unit

if TYPE_CHECKING:
    from lenet_gui.drawing.paper import Stroke
    from lenet_gui.network.classifier import Prediction, UnitSum
    from lenet_gui.reading.number import Reading

__all__ = ["ExplorerSession", "UnitInfo"]


@dataclass(frozen=True)
class UnitInfo:
    """Everything known about one unit for the current prediction.

    Attributes
    ----------
    unit : Unit
        (layer, map, row, column).
    field : Field
        The patch of the input the unit sees.
    below : str
        The layer it reads (``"input"`` for C1).
    maps : tuple of int
        The maps of `below` that feed it.
    terms : UnitSum or None
        Its sum worked through with the current numbers; None with no
        prediction.
    spec : NetworkSpec
        The network the unit belongs to.
    probability : float or None
        For an output unit, the probability the softmax gives its digit.
    """

    unit: Unit
    field: Field
    below: str
    maps: tuple[int, ...]
    terms: UnitSum | None
    spec: NetworkSpec = LENET5
    probability: float | None = None

    @property
    def reads_whole_layer(self) -> bool:
        """Whether the unit reads every map or unit below (C5 and up)."""
        return not self.spec.layer(self.unit[0]).has_maps

    def wiring_text(self) -> str:
        """Describe what the unit reads, e.g. for the status bar."""
        field = self.field
        last = field.size - 1
        seen = (
            f"sees input rows {field.top}–{field.top + last}, "
            f"columns {field.left}–{field.left + last}"
        )
        if self.below == "input":
            return seen
        layer = self.unit[0]
        verb = "subsamples" if layer.startswith("S") else "reads"
        if self.reads_whole_layer:
            names = f"all {len(self.maps)}"
        else:
            names = ", ".join(map(str, self.maps))
        noun = "map" if self.spec.layer(self.below).has_maps else "unit"
        plural = "s" if len(self.maps) > 1 else ""
        return f"{seen}; {verb} {self.below} {noun}{plural} {names}"

    def sum_heading(self) -> str:
        """Describe the unit's sum with its figures, for the unit-sum view."""
        layer, index, row, col = self.unit
        terms = self.terms
        assert terms is not None
        limit = float(abs(terms.weights).max())
        where = f" ({row}, {col})" if self.spec.layer(layer).has_maps else ""
        name = "unit" if where == "" else "map"
        if layer == self.spec.layers[-1].name and self.probability is not None:
            # The output's sums are logits; the softmax makes them probabilities.
            return (
                f"output {index} (digit {index}): logit {terms.total:.2f} "
                f"\N{RIGHTWARDS ARROW} {100 * self.probability:.1f} % after softmax"
            )
        squash = "" if layer == "output" else "f"
        return (
            f"{layer} {name} {index}{where} = {squash}(\N{GREEK CAPITAL LETTER SIGMA} "
            f"w\N{MIDDLE DOT}x + b) = {squash}({terms.total:.3f}) = {terms.value:.3f}, "
            f"b = {terms.bias:.3f} \N{EM DASH} left: values read, right: weights "
            f"(\N{PLUS-MINUS SIGN}{limit:.2f})"
        )

    def captions(self) -> list[str]:
        """Name each map read, e.g. ``"S2 map 1"``, for the unit-sum view."""
        if self.below == "input":
            return ["input"]
        if self.reads_whole_layer:
            noun = "maps" if self.spec.layer(self.below).has_maps else "units"
            return [f"{self.below} {noun} {self.maps[0]}–{self.maps[-1]}"]
        return [f"{self.below} map {k}" for k in self.maps]


class ExplorerSession(QObject):
    """The state of one exploration of LeNet-5, and its live updates.

    Parameters
    ----------
    spec : NetworkSpec
        The network explored (what the widgets are built for).
    parent : QObject, optional
        The Qt parent.
    """

    predictionChanged = Signal(object)
    """The prediction for the drawing changed: a ``Prediction``, or None when
    there is no digit or no classifier."""
    unitChanged = Signal(object)
    """The hovered unit, or its numbers, changed: a :class:`UnitInfo`, or None
    when no unit is hovered."""
    readingChanged = Signal(object)
    """What the drawing was read as changed: a ``Reading`` (one digit or
    several, or "not a digit"), or None with no digit or no classifier.
    Emitted after ``predictionChanged``, which carries the chosen digit."""
    pinnedChanged = Signal(object)
    """The pinned drawing's prediction changed (a drawing was pinned, or the
    network changed): a ``Prediction``, or None when nothing is pinned."""
    stepThroughRequested = Signal(object)
    """The person asked to step through a unit's sum: the ``Unit``."""

    def __init__(self, spec: NetworkSpec = LENET5, parent: QObject | None = None):
        super().__init__(parent)
        self.spec = spec
        #: What the app tells the person (the window shows it).
        self.status = StatusLine(self)
        #: The weights in use and the experiments on them.
        self.network = NetworkSetup(spec, self.status, self)
        self._reader = DrawingReader(self.network, self.status)
        self._drawing: np.ndarray | None = None
        self._pen_down = False
        self._strokes: tuple[Stroke, ...] | None = None
        self._result: Prediction | None = None
        self._reading: Reading | None = None
        self._chosen = 0
        self._unit: Unit | None = None
        self._pinned_drawing: np.ndarray | None = None
        self._pinned: Prediction | None = None
        self._dirty = False
        # Mouse moves come faster than the screen refreshes: update at once,
        # then at most once per frame while changes keep coming, and always
        # once after the last change.
        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(16)
        self._frame_timer.timeout.connect(self._on_frame_timer_timeout)
        self.network.changed.connect(self._on_network_changed)
        # Once the weights are in use and their first reading is out, the
        # reading's own parts are loaded while the person has not drawn yet.
        self.network.classifierChanged.connect(
            lambda _: QTimer.singleShot(0, self, self._reader.prepare)
        )

    # -- the drawing and its prediction ----------------------------------------------

    @property
    def drawing(self) -> np.ndarray | None:
        """The drawing as last given to :meth:`set_drawing`."""
        return self._drawing

    @property
    def last_result(self) -> Prediction | None:
        """The prediction for the drawing as it is now; None when it holds none.

        A refresh held back by the frame-rate throttle is done first, so the
        result always matches the last drawing given.
        """
        if self._dirty:
            self.refresh()
        return self._result

    @property
    def last_reading(self) -> Reading | None:
        """What the drawing as it is now was read as; None when it holds none.

        Its digits are left to right; :attr:`last_result` is the chosen one's
        prediction (:meth:`choose_digit`).
        """
        if self._dirty:
            self.refresh()
        return self._reading

    @property
    def chosen_digit(self) -> int:
        """The index, left to right, of the digit the views show."""
        return self._chosen

    @Slot(int)
    def choose_digit(self, index: int) -> None:
        """Show digit `index` of the reading (left to right) in every view."""
        reading = self.last_reading
        if reading is None or not 0 <= index < len(reading.digits):
            return
        if index == self._chosen:
            return
        self._chosen = index
        self._result = reading.digits[index].prediction
        self.predictionChanged.emit(self._result)
        self.readingChanged.emit(self._reading)
        if self._unit is not None:
            self._emit_unit()

    @property
    def result(self) -> Prediction | None:
        """The prediction last shown (without catching up on a pending drawing)."""
        return self._result

    @property
    def blank(self) -> bool:
        """Whether the drawing holds no ink at all."""
        return self._drawing is None or not self._drawing.any()

    @property
    def pending(self) -> bool:
        """Whether a drawing has arrived that is not classified yet."""
        return self._dirty

    @property
    def frame_interval(self) -> int:
        """The shortest time between two live updates, in milliseconds."""
        return self._frame_timer.interval()

    def set_frame_interval(self, milliseconds: int) -> None:
        """Set the shortest time between two live updates (one screen frame)."""
        self._frame_timer.setInterval(max(1, int(milliseconds)))

    @Slot(object)
    def set_drawing(
        self,
        image: np.ndarray | None,
        *,
        pen_down: bool = False,
        strokes: tuple[Stroke, ...] | None = None,
    ) -> None:
        """Take a new drawing (any 2-D image, or None for nothing drawn).

        The first change after a pause is classified at once, later ones at
        most once per frame, and the last one always. `pen_down` says a
        stroke is still being drawn: until the pen lifts, a drawing is
        searched for several digits only where it very likely holds several
        (:data:`~lenet_gui.reading.number.DRAWING_GLUED`); the drawing as the
        pen lifts is read in full. `strokes`, the drawing's strokes in the
        order drawn when they are known, let a number whose digits touch be
        read by its strokes.
        """
        self._drawing = image
        self._pen_down = pen_down
        self._strokes = strokes
        self._dirty = True
        if not self._frame_timer.isActive():
            self.refresh()
            self._frame_timer.start()

    @Slot()
    def refresh(self) -> None:
        """Classify the drawing now and say so."""
        self._dirty = False
        before = 0 if self._reading is None else len(self._reading.digits)
        self._reading = self._read(self._drawing)
        if self._reading is None:
            self._result, self._chosen = None, 0
        else:
            count = len(self._reading.digits)
            if count != before or self._chosen >= count:
                # A digit added or taken away: show the newest, the rightmost.
                self._chosen = count - 1
            self._result = self._reading.digits[self._chosen].prediction
        self.predictionChanged.emit(self._result)
        self.readingChanged.emit(self._reading)
        if self._unit is not None:
            self._emit_unit()

    # -- the hovered unit ----------------------------------------------------------

    @property
    def unit(self) -> Unit | None:
        """The hovered unit, or None."""
        return self._unit

    @Slot(object)
    def hover(self, unit: Unit | None) -> None:
        """Take the unit under the pointer, or None when it leaves the units."""
        if unit == self._unit:
            return
        self._unit = unit
        self._emit_unit()

    @Slot(object)
    def step_through(self, unit: Unit) -> None:
        """Ask for a unit's sum to be stepped through, window place by place."""
        self.stepThroughRequested.emit(unit)

    def unit_info(self, unit: Unit | None = None) -> UnitInfo | None:
        """Return what is known about a unit (the hovered one by default)."""
        unit = self._unit if unit is None else unit
        if unit is None:
            return None
        layer, index, row, col = unit
        below, maps = self.spec.sources(layer, index)
        terms = None
        classifier = self.network.classifier
        if self._result is not None and classifier is not None:
            terms = classifier.unit_sum(self._result, *unit)
        field = self.spec.receptive_field(layer, row, col)
        probability = None
        if self._result is not None and layer == self.spec.layers[-1].name:
            probability = float(self._result.probabilities[index])
        return UnitInfo(unit, field, below, maps, terms, self.spec, probability)

    # -- comparing two drawings -------------------------------------------------

    @property
    def pinned(self) -> Prediction | None:
        """The pinned drawing's prediction, with the network as it is now."""
        return self._pinned

    @Slot()
    def pin(self) -> bool:
        """Pin the drawing as it is now, to compare later drawings with it.

        Returns
        -------
        bool
            False, and nothing pinned, when the drawing holds no digit.
        """
        if self.last_result is None:
            return False
        self._pinned_drawing = self._drawing
        self._pinned = self._result
        self.pinnedChanged.emit(self._pinned)
        return True

    @Slot()
    def unpin(self) -> None:
        """Forget the pinned drawing."""
        self._pinned_drawing = None
        self._pinned = None
        self.pinnedChanged.emit(None)

    def shutdown(self) -> None:
        """Stop live updates and wait for a weights load still running."""
        self._frame_timer.stop()
        self.network.shutdown()

    # -- private ----------------------------------------------------------------

    @Slot()
    def _on_frame_timer_timeout(self) -> None:
        if self._dirty:
            self.refresh()
        else:
            self._frame_timer.stop()  # a frame with no change: drawing paused

    @Slot()
    def _on_network_changed(self) -> None:
        """Read the drawing, and the pinned one, with the network as it is now."""
        if self._pinned_drawing is not None:
            self._pinned = self._classify(self._pinned_drawing)
            self.pinnedChanged.emit(self._pinned)
        self.refresh()

    def _classify(self, image: np.ndarray | None) -> Prediction | None:
        """Classify an image with the network as it is; None without a digit."""
        if image is None:
            return None
        try:
            return self.network.classify(image)
        except (ValueError, RuntimeError) as error:
            # Never let a strange drawing take the app down; keep the drawing.
            self.status.say(f"Could not classify the drawing: {error}")
            return None

    def _read(self, image: np.ndarray | None) -> Reading | None:
        """Read an image as digits with the network as it is; None without any."""
        if image is None:
            return None
        try:
            return self._reader.read(
                image, drawing=self._pen_down, strokes=self._strokes
            )
        except (ValueError, RuntimeError) as error:
            # Never let a strange drawing take the app down; keep the drawing.
            self.status.say(f"Could not classify the drawing: {error}")
            return None

    def _emit_unit(self) -> None:
        self.unitChanged.emit(self.unit_info())
