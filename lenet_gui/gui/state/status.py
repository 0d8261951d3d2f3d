"""What the app tells the person: a line in the status bar, or a warning to read."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

__all__ = ["StatusLine"]


class StatusLine(QObject):
    """The one way anything in the app speaks to the person.

    The session, its network setup, the panels and the window's parts call
    :meth:`say` and :meth:`warn`; the window shows what they say (the status
    bar, a message box). Nothing else writes to the status bar.

    Parameters
    ----------
    parent : QObject, optional
        The Qt parent.
    """

    owner = ""
    """The panel (its name) whose message is shown, "" for the window's own.

    A panel's message belongs to its tab: when another tab is shown, it is
    cleared (see :meth:`say`)."""

    said = Signal(str, int)
    """A line for the status bar: (text, milliseconds to show, 0 until
    replaced); an empty text clears it."""
    warned = Signal(str, str)
    """Something went wrong that the person must read: (title, text)."""

    def say(self, text: str, milliseconds: int = 5000, owner: str = "") -> None:
        """Show `text` in the status bar for `milliseconds` (0: until replaced).

        `owner` names the panel that says it; "" for the window's own messages.
        """
        self.owner = owner if text else ""
        self.said.emit(text, milliseconds)

    def clear(self) -> None:
        """Clear the status bar's message."""
        self.owner = ""
        self.said.emit("", 0)

    def leave(self, shown: str) -> None:
        """Panel `shown` is now shown: clear a message another panel said."""
        if self.owner and self.owner != shown:
            self.clear()

    def warn(self, title: str, text: str) -> None:
        """Say what went wrong: a message box, its first line in the status bar."""
        self.warned.emit(title, text)
