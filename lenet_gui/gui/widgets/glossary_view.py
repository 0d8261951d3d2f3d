"""The glossary: the words of the views, each explained in plain words."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QUrl, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.gui.widgets.explanations import GLOSSARY_SCHEME

__all__ = ["GlossaryView"]


class GlossaryView(QDialog):
    """A window listing the glossary's terms beside the chosen term's explanation.

    Parameters
    ----------
    entries : mapping of str to str
        Each term's explanation (rich text; ``glossary:<term>`` links lead to
        another term).
    parent : QWidget, optional
        The window it belongs to.
    """

    def __init__(self, entries: Mapping[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("glossary")
        self.setWindowTitle("Glossary")
        self._entries = dict(entries)
        self.terms = QListWidget()
        self.terms.addItems([term.capitalize() for term in self._entries])
        self.terms.setMaximumWidth(200)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._on_text_anchor_clicked)
        self.terms.currentRowChanged.connect(self._on_terms_current_row_changed)
        row = QHBoxLayout()
        row.addWidget(self.terms)
        row.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        column.addLayout(row, 1)
        column.addWidget(buttons)
        self.resize(620, 340)
        self.show_term(next(iter(self._entries)))

    def show_term(self, term: str) -> None:
        """Show `term`'s explanation (KeyError if the glossary lacks it)."""
        row = list(self._entries).index(self._key(term))
        self.terms.setCurrentRow(row)

    def term(self) -> str:
        """Return the term shown."""
        return list(self._entries)[self.terms.currentRow()]

    def _key(self, term: str) -> str:
        key = term.strip().lower()
        if key not in self._entries:
            raise KeyError(f"no term {term!r} in the glossary")
        return key

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Show the term again in a new theme, so its links take the theme's colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._on_terms_current_row_changed(self.terms.currentRow())

    @Slot(int)
    def _on_terms_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        term = list(self._entries)[row]
        self.text.setHtml(f"<h3>{term.capitalize()}</h3><p>{self._entries[term]}</p>")

    @Slot(QUrl)
    def _on_text_anchor_clicked(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith(GLOSSARY_SCHEME):
            self.show_term(link.removeprefix(GLOSSARY_SCHEME))
