"""The guided tour's card and the highlight around the part it speaks of."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRect, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.explanation_line import relink
from lenet_gui.gui.widgets.explanations import GLOSSARY_SCHEME, TourStep

__all__ = ["TourCard", "TourHighlight"]


class TourHighlight(QWidget):
    """A see-through layer over the window that frames one part and dims the rest.

    It lets every mouse event through, so the person can keep drawing.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tourHighlight")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._target = QRect()
        self.hide()

    def target(self) -> QRect:
        """Return the framed rectangle, in the parent's coordinates (null: none)."""
        return QRect(self._target)

    def set_target(self, rect: QRect | None) -> None:
        """Frame `rect` (the parent's coordinates); None frames nothing."""
        self._target = QRect() if rect is None else QRect(rect)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Dim everything but the target; frame the target in the highlight colour."""
        if self._target.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        around = QPainterPath()
        around.addRect(QRectF(self.rect()))
        hole = QPainterPath()
        hole.addRoundedRect(QRectF(self._target.adjusted(-4, -4, 4, 4)), 6, 6)
        painter.fillPath(around.subtracted(hole), QColor(0, 0, 0, 70))
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(colour, 4))
        painter.drawPath(hole)


class TourCard(QFrame):
    """A card under the window's views: one stop of the tour, Back, Next and Close.

    It also offers the tour (:meth:`offer`) before it starts. The card only
    shows and asks; what each stop shows in the window is up to whoever
    listens to :attr:`stepShown`.

    Parameters
    ----------
    steps : sequence of TourStep
        The tour's stops, in order.
    parent : QWidget, optional
        Whatever holds it (the window docks it under its views).
    """

    stepShown = Signal(int)
    """Stop `index` is shown: bring what it speaks of into view."""
    closed = Signal()
    """The tour ended (finished or closed)."""
    offerAccepted = Signal()
    """The person took up the offered tour."""
    offerDeclined = Signal()
    """The person declined the offered tour."""
    exampleRequested = Signal()
    """The person asked for an example digit to tour with."""
    termRequested = Signal(str)
    """A glossary link was clicked: the term."""
    shownChanged = Signal(bool)
    """The card was shown (True) or hidden (False): whatever holds it follows."""

    def __init__(
        self, steps: Sequence[TourStep], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tourCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._steps = list(steps)
        self._index = -1
        self._offering = False
        self.heading = QLabel()
        self.heading.setObjectName("tourHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.text.linkActivated.connect(self._on_text_link_activated)
        self.note = QLabel()
        self.note.setObjectName("tourNote")
        self.note.setWordWrap(True)
        self.example_button = QPushButton("Use an Example Digit")
        self.example_button.clicked.connect(self.exampleRequested)
        self.counter = QLabel()
        self.back_button = QPushButton("Back")
        self.next_button = QPushButton("Next")
        self.close_button = QPushButton("Close")
        self.back_button.clicked.connect(self._on_back_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.close_button.clicked.connect(self._on_close_clicked)
        # Words on the left, the buttons on the right: a wide, low card that
        # fits under the window's views without taking much of their height.
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_button)
        controls = QVBoxLayout()
        controls.addLayout(buttons)
        controls.addWidget(self.counter)
        controls.addStretch(1)
        words = QVBoxLayout()
        words.addWidget(self.heading)
        words.addWidget(self.text)
        words.addWidget(self.note)
        words.addWidget(self.example_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addLayout(words, 1)
        row.addSpacing(12)
        row.addLayout(controls)
        self.next_button.setDefault(True)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Lay the text out again in a new theme, so its links take its colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            relink(self.text)

    # -- what is shown ----------------------------------------------------------------

    def index(self) -> int:
        """Return the stop shown; -1 when the tour is not running."""
        return self._index

    def steps(self) -> list[TourStep]:
        """Return the tour's stops."""
        return list(self._steps)

    @property
    def offering(self) -> bool:
        """Whether the card is offering the tour rather than running it."""
        return self._offering

    def offer(self) -> None:
        """Offer the tour, with a button to take it and one to decline."""
        self._offering = True
        self._index = -1
        self.heading.setText("New to LeNet-5?")
        self.text.setText(
            "A guided tour walks you from your drawing through each layer of the "
            f"network to its reading, in {len(self._steps)} short steps. You can take "
            "it any time "
            "from Help \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} Guided Tour."
        )
        self.note.setText("")
        self.note.hide()
        self.example_button.hide()
        self.counter.setText("")
        self.back_button.hide()
        self.next_button.setText("Take the Tour")
        self.close_button.setText("No, Thanks")
        self._show_card()

    def start(self) -> None:
        """Start the tour at its first stop."""
        self._offering = False
        self.back_button.show()
        self.close_button.setText("Close")
        self.go(0)

    def go(self, index: int) -> None:
        """Show stop `index` (clamped to the tour) and say so (:attr:`stepShown`)."""
        index = max(0, min(index, len(self._steps) - 1))
        self._index = index
        step = self._steps[index]
        self.heading.setText(step.title)
        self.text.setText(step.text)
        self.counter.setText(f"{index + 1} of {len(self._steps)}")
        self.back_button.setEnabled(index > 0)
        last = index == len(self._steps) - 1
        self.next_button.setText("Finish" if last else "Next")
        self._show_card()
        self.stepShown.emit(index)

    def set_note(self, text: str, *, offer_example: bool = False) -> None:
        """Say something of the person's own digit under the stop's text."""
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.example_button.setVisible(offer_example)
        self._fit_height()

    def setVisible(self, visible: bool) -> None:  # noqa: N802
        """Show or hide the card, and say so (:attr:`shownChanged`)."""
        super().setVisible(visible)
        self.shownChanged.emit(visible)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Take the height the words need at the new width, and no more."""
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        layout = self.layout()
        if layout is None or self.width() <= 0:
            return
        layout.activate()
        height = layout.totalHeightForWidth(self.width())
        if height > 0 and height != self.height():
            self.setFixedHeight(height)

    def _show_card(self) -> None:
        self.show()
        self._fit_height()

    # -- the buttons ------------------------------------------------------------------

    @Slot()
    def _on_back_clicked(self) -> None:
        self.go(self._index - 1)

    @Slot()
    def _on_next_clicked(self) -> None:
        if self._offering:
            self._offering = False
            self.offerAccepted.emit()
        elif self._index >= len(self._steps) - 1:
            self.finish()
        else:
            self.go(self._index + 1)

    @Slot()
    def _on_close_clicked(self) -> None:
        if self._offering:
            self._offering = False
            self.hide()
            self.offerDeclined.emit()
        else:
            self.finish()

    def finish(self) -> None:
        """End the tour and hide the card."""
        self._index = -1
        self.hide()
        self.closed.emit()

    @Slot(str)
    def _on_text_link_activated(self, link: str) -> None:
        if link.startswith(GLOSSARY_SCHEME):
            self.termRequested.emit(link.removeprefix(GLOSSARY_SCHEME))
