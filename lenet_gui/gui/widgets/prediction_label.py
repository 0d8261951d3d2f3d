"""The predicted digit, shown very large, with how sure the network is."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from lenet_gui.gui.widgets.themed import ThemedWidget


class PredictionLabel(ThemedWidget):
    """Big predicted digit with its confidence, e.g. "7" over "87.3 % sure".

    With no prediction it shows an em dash over "Draw a digit". Text colours come
    from the palette, so it stays readable in light and dark themes.

    Parameters
    ----------
    parent : QWidget, optional
        The parent widget.
    """

    EMPTY_DIGIT = "\N{EM DASH}"
    """Shown in place of a digit when there is no prediction."""
    EMPTY_HINT = "Draw a digit"
    """Shown under the em dash when there is no prediction."""
    AMBIGUOUS = 0.2
    """Probability of the runner-up from which it is shown beside the digit."""
    ROOM_LINES = 3
    """Lines of text kept free under the digit, the most any reading needs."""
    WIDEST_LINE = "100 % 8 \N{MIDDLE DOT} 100 % 8"
    """The widest line under the digit that a single digit's reading shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Plain text throughout: a rich-text label lays out a text document on
        # every repaint, which cost about 1 ms a change at this size.
        self._digit_label = QLabel(self.EMPTY_DIGIT)
        self._digit_label.setTextFormat(Qt.TextFormat.PlainText)
        self._digit_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
        )
        self._digit_label.setObjectName("predictedDigit")
        digit_font = QFont(self.font())
        digit_font.setPointSizeF(digit_font.pointSizeF() * 6)
        digit_font.setWeight(QFont.Weight.Bold)
        self._digit_label.setFont(digit_font)
        self._digit_font = digit_font

        # ", or 7?" beside the digit when the runner-up is likely; empty otherwise,
        # so the digit alone stays centred.
        self._runner_up_label = QLabel("")
        self._runner_up_label.setTextFormat(Qt.TextFormat.PlainText)
        self._runner_up_label.setAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        )
        self._runner_up_label.setObjectName("runnerUp")
        runner_up_font = QFont(digit_font)
        runner_up_font.setPointSizeF(digit_font.pointSizeF() * 0.45)
        self._runner_up_label.setFont(runner_up_font)
        # Bottom-aligned, the smaller text would sit below the digit's baseline.
        descent_gap = (
            QFontMetrics(digit_font).descent() - QFontMetrics(runner_up_font).descent()
        )
        self._runner_up_label.setContentsMargins(0, 0, 0, max(0, descent_gap))

        self._confidence_label = QLabel(self.EMPTY_HINT)
        self._confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._confidence_label.setObjectName("predictionConfidence")
        confidence_font = QFont(self.font())
        confidence_font.setPointSizeF(confidence_font.pointSizeF() * 1.4)
        self._confidence_label.setFont(confidence_font)

        # Which weights read the drawing: the bundled ones, "my weights" or a file.
        self._weights_label = QLabel("")
        self._weights_label.setTextFormat(Qt.TextFormat.PlainText)
        self._weights_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._weights_label.setObjectName("predictionWeights")

        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(0)
        reading = QHBoxLayout()
        reading.setSpacing(0)
        reading.addStretch(1)
        reading.addWidget(self._digit_label)
        reading.addWidget(self._runner_up_label)
        reading.addStretch(1)
        layout.addLayout(reading)
        layout.addWidget(self._confidence_label)
        layout.addWidget(self._weights_label)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # Opaque: a new reading repaints this widget alone, not the window
        # beneath it as well (the same colour as the window's own).
        self.setAutoFillBackground(True)

        self._has_prediction = False
        self._room: tuple[int, int, int, int] | None = None
        self._room_fonts: tuple[QFont, ...] = ()
        self._colour: QColor | None = None
        self.set_prediction(None, None)
        self._finish_building()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Keep room for the longest reading when the text size changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._built:
            self._keep_room()

    def _keep_room(self) -> None:
        """Reserve the room of the tallest and widest reading.

        A reading while the pen moves may be a digit, "Not a digit?" or a
        number with its doubt on three lines. Were the label as tall as its
        text, every change of form would lay the window out again: the
        canvas under the pen would move and the chart and the input view
        beside would be repainted whole.
        """
        # The digit's full size: a long number is shown smaller.
        labels = (self._runner_up_label, self._confidence_label, self._weights_label)
        fonts = (self._digit_font, *(label.font() for label in labels))
        if fonts == self._room_fonts:
            return  # measured for these fonts already
        self._room_fonts = fonts
        room = _room(
            fonts,
            self._runner_up_label.contentsMargins(),
            self.ROOM_LINES,
            self.WIDEST_LINE,
        )
        if room == self._room:
            return
        self._room = room
        margins = self._layout.contentsMargins()
        self._digit_label.setMinimumHeight(room[0])
        self._confidence_label.setMinimumWidth(room[2])
        # The room is kept below the words, so the reading stays at the top.
        self.setMinimumHeight(
            margins.top() + room[0] + room[1] + room[3] + margins.bottom()
        )

    def set_weights(self, name: str) -> None:
        """Say under the reading which weights read it, e.g. "my weights"."""
        self._weights_label.setText(f"read by {name}" if name else "")

    def weights_caption(self) -> str:
        """Return the caption naming the weights that read the drawing."""
        return self._weights_label.text()

    def set_prediction(
        self,
        digit: int | None,
        confidence: float | None,
        runner_up: tuple[int, float] | None = None,
    ) -> None:
        """Show a prediction, or the empty state.

        When the runner-up is likely enough (at least :attr:`AMBIGUOUS`), the
        label admits it: "1, or 7?" with both probabilities, instead of one
        confident digit. A European 1 and an American 7 can be the same shape.

        Parameters
        ----------
        digit : int or None
            The predicted digit 0..9, or None when there is nothing to classify.
        confidence : float or None
            Probability of `digit` in 0..1; None shows the digit alone. Ignored
            when `digit` is None.
        runner_up : tuple of (int, float), optional
            The second most probable digit and its probability.

        Raises
        ------
        ValueError
            If a digit is not in 0..9 or a probability not a number in 0..1.
        """
        self._digit_label.setFont(self._digit_font)
        self._keep_room()
        if digit is None:
            self._has_prediction = False
            self._digit_label.setText(self.EMPTY_DIGIT)
            self._runner_up_label.setText("")
            self._confidence_label.setText(self.EMPTY_HINT)
            self.setAccessibleName("No prediction: draw a digit")
            self._apply_palette()
            return
        digit = int(digit)
        if not 0 <= digit <= 9:
            raise ValueError(f"digit must be in 0..9, got {digit}")
        if confidence is None:
            sure = ""
        else:
            confidence = float(confidence)
            if not (math.isfinite(confidence) and 0.0 <= confidence <= 1.0):
                raise ValueError(f"confidence must be in 0..1, got {confidence}")
            sure = f"{100 * confidence:.1f} % sure"
        beside = ""
        if runner_up is not None and confidence is not None:
            other, chance = int(runner_up[0]), float(runner_up[1])
            if not (0 <= other <= 9 and math.isfinite(chance) and 0 <= chance <= 1):
                raise ValueError(
                    f"runner-up must be a digit and a chance, not {runner_up}"
                )
            if chance >= self.AMBIGUOUS:
                beside = f", or {other}?"
                sure = (
                    f"{100 * confidence:.0f} % {digit} \N{MIDDLE DOT} "
                    f"{100 * chance:.0f} % {other}"
                )
        self._has_prediction = True
        self._digit_label.setText(str(digit))
        self._runner_up_label.setText(beside)
        self._confidence_label.setText(sure)
        spoken = f"{digit}{beside}"
        self.setAccessibleName(f"Prediction: {spoken}" + (f", {sure}" if sure else ""))
        self._apply_palette()

    def show_number(
        self, text: str, chosen: int, confidence: float, unsure: str | None = None
    ) -> None:
        """Show several digits read as one number, e.g. "2026".

        Parameters
        ----------
        text : str
            The digits, left to right.
        chosen : int
            The index of the digit the views show.
        confidence : float
            That digit's probability, 0..1.
        unsure : str, optional
            Another reading of the ink when the split between digits is
            unsure, said under the number.
        """
        self._has_prediction = True
        # Long numbers in a smaller type, so they fit where one digit did.
        font = QFont(self._digit_font)
        font.setPointSizeF(font.pointSizeF() * min(1.0, 2.5 / max(1, len(text))))
        self._digit_label.setFont(font)
        self._digit_label.setText(text)
        self._runner_up_label.setText("")
        # Short lines, so the input view beside keeps its room.
        sure = (
            f"digit {chosen + 1} of {len(text)}: "
            f"{'an' if text[chosen] == '8' else 'a'} {text[chosen]},\n"
            f"{100 * confidence:.0f} % sure"
        )
        if unsure:
            sure = f"{text}, or {unsure}?\n" + sure
        self._confidence_label.setText(sure)
        self.setAccessibleName(f"Number read: {text}, {sure.replace(chr(10), ' ')}")
        self._apply_palette()

    def show_not_digit(self, nearest: str, confidence: float) -> None:
        """Say that the ink does not look like a digit, the nearest reading small.

        Parameters
        ----------
        nearest : str
            What the network would read it as.
        confidence : float
            The network's probability for the chosen digit of `nearest`.
        """
        self._has_prediction = True
        self._digit_label.setText("")
        self._runner_up_label.setText("Not a\ndigit?")  # two lines: room for the input
        if len(nearest) == 1:
            nearest_text = f"nearest digit: {nearest},\n{100 * confidence:.0f} % sure"
        else:  # a long run of pieces would not fit; its start says enough
            shown = (
                nearest
                if len(nearest) <= 4
                else nearest[:4] + "\N{HORIZONTAL ELLIPSIS}"
            )
            nearest_text = f"nearest: {shown}"
        self._confidence_label.setText(nearest_text)
        self.setAccessibleName(f"Not a digit? Nearest digit {nearest}")
        self._apply_palette()

    def _apply_palette(self) -> None:
        # The empty state is drawn in the placeholder colour so it reads as a hint.
        role = (
            QPalette.ColorRole.WindowText
            if self._has_prediction
            else QPalette.ColorRole.PlaceholderText
        )
        color = self.palette().color(role)
        if color == self._colour:
            return  # the labels have it already; setting it again costs a copy each
        self._colour = color
        for label in (self._digit_label, self._runner_up_label, self._confidence_label):
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, color)
            label.setPalette(palette)


def _room(
    fonts: tuple[QFont, ...], gap: QMargins, lines_kept: int, widest: str
) -> tuple[int, int, int, int]:
    """Measure the room of the longest reading, in pixels.

    Returns the height of the digit's line, of the lines under it, the width
    of the widest line and the height of the weights' line, for the fonts of
    the digit, the words beside it, the lines under it and the weights' line.
    """
    digit, beside, lines, weights = (QFontMetrics(font) for font in fonts)
    return (
        # The digit, or "Not a / digit?" beside it on two lines.
        max(
            digit.height(),
            beside.lineSpacing() + beside.height() + gap.top() + gap.bottom(),
        ),
        lines.lineSpacing() * (lines_kept - 1) + lines.height(),
        # "8, or 8?" on the digit's line, or the widest line under it.
        max(
            lines.size(0, widest).width(),
            # (a label is as wide as its text's size, bearings included)
            max(digit.size(0, str(d)).width() for d in range(10))
            + max(beside.size(0, f", or {d}?").width() for d in range(10))
            + gap.left()
            + gap.right(),
        ),
        # "read by ...", one line.
        weights.height(),
    )
