"""Light and dark themes for the whole application."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

__all__ = ["THEMES", "apply_theme"]

#: The themes a person can choose, by name.
THEMES = ("system", "light", "dark")

_SYSTEM: tuple[str, QPalette] | None = None


def _dark_palette() -> QPalette:
    palette = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    muted = QColor(150, 150, 155)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Window, window)
        palette.setColor(group, QPalette.ColorRole.WindowText, text)
        palette.setColor(group, QPalette.ColorRole.Base, base)
        palette.setColor(group, QPalette.ColorRole.AlternateBase, window)
        palette.setColor(group, QPalette.ColorRole.Text, text)
        palette.setColor(group, QPalette.ColorRole.Button, window)
        palette.setColor(group, QPalette.ColorRole.ButtonText, text)
        palette.setColor(group, QPalette.ColorRole.ToolTipBase, base)
        palette.setColor(group, QPalette.ColorRole.ToolTipText, text)
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, muted)
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor(61, 142, 201))
        palette.setColor(
            group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)
        )
        palette.setColor(group, QPalette.ColorRole.Mid, QColor(90, 90, 95))
        palette.setColor(group, QPalette.ColorRole.Link, QColor(110, 170, 240))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, muted)
    palette.setColor(disabled, QPalette.ColorRole.Window, window)
    palette.setColor(disabled, QPalette.ColorRole.Base, base)
    palette.setColor(disabled, QPalette.ColorRole.Button, window)
    return palette


def apply_theme(name: str) -> None:
    """Give the running application a theme: ``"system"``, ``"light"`` or ``"dark"``.

    Light and dark use Qt's Fusion style, which follows the palette on every
    platform; "system" brings back the style and palette the application
    started with. Every widget repaints from the new palette.

    Raises
    ------
    ValueError
        If `name` is not one of :data:`THEMES`.
    """
    global _SYSTEM
    if name not in THEMES:
        raise ValueError(f"no theme {name!r}; themes are {', '.join(THEMES)}")
    app = QApplication.instance()
    assert isinstance(app, QApplication), "a QApplication must exist"
    if _SYSTEM is None:
        _SYSTEM = (app.style().name(), QPalette(app.palette()))
    style, palette = _SYSTEM
    if name == "system":
        app.setStyle(QStyleFactory.create(style))
        app.setPalette(palette)
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    if name == "dark":
        app.setPalette(_dark_palette())
    else:
        app.setPalette(app.style().standardPalette())
