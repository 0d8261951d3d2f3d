"""A view's "What am I looking at?" line: plain words above the view, hideable."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from lenet_gui.gui.widgets.explanations import GLOSSARY_SCHEME

__all__ = ["ExplanationLine", "first_sentence", "relink"]

_HEADING = "<b>What am I looking at?</b> "
_MORE, _LESS = "more:", "less:"


def relink(label: QLabel) -> None:
    """Lay a rich-text label out anew, so its links take the palette's link colour."""
    text = label.text()
    label.clear()
    label.setText(text)


def first_sentence(text: str) -> str:
    """Return the first sentence of `text` (up to its first ". " outside a tag)."""
    depth = 0
    for k, char in enumerate(text):
        depth += {"<": 1, ">": -1}.get(char, 0)
        if char == "." and depth == 0 and text[k + 1 : k + 2] in (" ", ""):
            return text[: k + 1]
    return text


class ExplanationLine(QFrame):
    """Two or three sentences on what a view shows, with glossary links.

    Where the whole text would take more than :attr:`MAX_LINES` lines at the
    line's width (a small window, large text), only its first sentence is
    shown, with a "More" link that shows the rest.

    Parameters
    ----------
    text : str
        The explanation, rich text; links ``glossary:<term>`` open the glossary.
    parent : QWidget, optional
        The Qt parent.
    """

    termRequested = Signal(str)
    """A glossary link was clicked: the term."""
    hideRequested = Signal()
    """The person asked to hide the explanations."""

    MAX_LINES = 4
    """Most lines the whole text may take before it is shortened."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explanation")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._full = text
        self._short = first_sentence(text)
        self._expanded = False
        self.label = QLabel(_HEADING + text)
        self.label.setObjectName("explanationText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.label.setToolTip("Click an underlined word to read about it")
        self.label.linkActivated.connect(self._on_label_link_activated)
        self.hide_button = QToolButton()
        self.hide_button.setText("Hide")
        self.hide_button.setAutoRaise(True)
        self.hide_button.setToolTip(
            "Hide these explanations (View \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "  # noqa: E501
            "What Am I Looking At? brings them back)"
        )
        self.hide_button.clicked.connect(self.hideRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 3, 3)
        row.addWidget(self.label, 1)
        row.addWidget(self.hide_button, 0, Qt.AlignmentFlag.AlignTop)

    @property
    def shortened(self) -> bool:
        """Whether only the first sentence is shown (the rest behind "More")."""
        return _MORE in self.label.text()

    def _fits(self, width: int) -> bool:
        """Whether the whole text takes at most :attr:`MAX_LINES` lines at `width`."""
        document = QTextDocument()
        document.setDefaultFont(self.label.font())
        document.setDocumentMargin(0)
        document.setHtml(_HEADING + self._full)
        document.setTextWidth(max(1, width))
        lines = document.size().height() / self.label.fontMetrics().lineSpacing()
        return lines <= self.MAX_LINES + 0.5

    def _refresh(self) -> None:
        if self._fits(self.label.width()):
            text = self._full
        elif self._expanded:
            text = f'{self._full} <a href="{_LESS}">Less</a>'
        else:
            text = f'{self._short} <a href="{_MORE}">More\N{HORIZONTAL ELLIPSIS}</a>'
        if self.label.text() != _HEADING + text:
            self.label.setText(_HEADING + text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Shorten or lengthen the text to the new width."""
        super().resizeEvent(event)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Follow a new theme (links take its colour) or a new font size."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            relink(self.label)
        elif event.type() == QEvent.Type.FontChange:
            self._refresh()

    @Slot(str)
    def _on_label_link_activated(self, link: str) -> None:
        if link.startswith(GLOSSARY_SCHEME):
            self.termRequested.emit(link.removeprefix(GLOSSARY_SCHEME))
        elif link in (_MORE, _LESS):
            self._expanded = link == _MORE
            self._refresh()
