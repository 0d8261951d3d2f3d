"""A view's "What am I looking at?" line: plain words above the view, hideable."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from lenet_gui.gui.widgets.explanations import GLOSSARY_SCHEME

__all__ = ["ExplanationLine", "relink"]


def relink(label: QLabel) -> None:
    """Lay a rich-text label out anew, so its links take the palette's link colour."""
    text = label.text()
    label.clear()
    label.setText(text)


class ExplanationLine(QFrame):
    """Two or three sentences on what a view shows, with glossary links.

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

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explanation")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(f"<b>What am I looking at?</b> {text}")
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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Lay the text out again in a new theme, so its links take its colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            relink(self.label)

    @Slot(str)
    def _on_label_link_activated(self, link: str) -> None:
        if link.startswith(GLOSSARY_SCHEME):
            self.termRequested.emit(link.removeprefix(GLOSSARY_SCHEME))
