"""What the window remembers between sessions: geometry, pen, layer, theme, folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from lenet_gui.theme import THEMES

if TYPE_CHECKING:
    from lenet_gui.gui import MainWindow

__all__ = ["SETTINGS_SCOPE", "WindowSettings"]

#: Where the window keeps its settings: (organisation, application).
SETTINGS_SCOPE = ("lenet-gui", "LeNet-5 Explorer")


class WindowSettings:
    """The window's remembered settings; unreadable values fall back to defaults.

    A value another version wrote, or a hand-edited one, must never stop the
    window from opening: each is checked and ignored when it does not fit.
    """

    def __init__(self) -> None:
        self._settings = QSettings(*SETTINGS_SCOPE)

    def restore(self, window: MainWindow) -> None:
        """Give the window its remembered geometry, pen, layer shown and theme."""
        settings = self._settings
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            window.restoreGeometry(geometry)
        else:
            window.resize(window.sizeHint())
        splitter = settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            window.splitter.restoreState(splitter)
        try:
            window.canvas.set_pen_width(float(settings.value("canvas/pen_width")))
        except (TypeError, ValueError):
            pass  # no saved value yet, or an unreadable one: keep the default
        layer = settings.value("view/layer")
        maps = window.feature_maps
        maps.show_layer(layer if layer in maps.layers() else None)
        theme = settings.value("view/theme")
        window.set_theme(theme if theme in THEMES else "system")

    def save(self, window: MainWindow) -> None:
        """Remember the window's geometry, pen and layer shown."""
        settings = self._settings
        settings.setValue("window/geometry", window.saveGeometry())
        settings.setValue("window/splitter", window.splitter.saveState())
        settings.setValue("canvas/pen_width", window.canvas.pen_width())
        settings.setValue("view/layer", window.feature_maps.shown_layer() or "")
        settings.sync()

    def remember_theme(self, name: str) -> None:
        """Remember the theme chosen."""
        self._settings.setValue("view/theme", name)

    def last_folder(self) -> str:
        """Return the folder a file was last opened from or saved to."""
        return str(self._settings.value("files/last_dir", str(Path.home())))

    def remember_folder(self, path: str) -> None:
        """Remember the folder of a file just opened or saved."""
        self._settings.setValue("files/last_dir", str(Path(path).parent))
