"""What the window remembers between sessions: geometry, pen, layer, theme, folder.

The settings live in one INI file, :func:`settings_path` (on Linux the very
file ``QSettings("lenet-gui", "LeNet-5 Explorer")`` uses). It is handed to
Qt only once it proves a regular file of sane size: Qt opens whatever is
there, so a FIFO would hang the start-up for ever, a symlink to a device
would be read from and written to, and ``/dev/zero`` would be read until
memory runs out. Otherwise the window runs on its defaults, saves nothing,
and says why in the status bar (:attr:`WindowSettings.problem`).

Every value read is checked for its type and range: a value another version
wrote, or a hand-edited one (a list, a huge number, garbage bytes), falls
back to the default and never stops the window from opening.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, QSize, QStandardPaths
from PySide6.QtWidgets import QLabel

from lenet_gui.gui.theme import THEMES

if TYPE_CHECKING:
    from lenet_gui.gui.window import MainWindow

__all__ = [
    "MAX_SETTINGS_BYTES",
    "SCREEN_MARGIN",
    "SETTINGS_SCOPE",
    "WindowSettings",
    "fit_rect",
    "settings_path",
    "settings_problem",
]

#: Where the window keeps its settings: (organisation, application).
SETTINGS_SCOPE = ("lenet-gui", "LeNet-5 Explorer")
#: Largest settings file read (1 MiB; the window's settings take a few KB).
MAX_SETTINGS_BYTES = 2**20
#: Room left free on every side of a window fitted to the screen, in pixels.
SCREEN_MARGIN = 24
# Longest folder name remembered (Linux's PATH_MAX).
_MAX_FOLDER = 4096


def settings_path() -> Path:
    """Return the settings file: QSettings' own choice for :data:`SETTINGS_SCOPE`.

    That is ``$XDG_CONFIG_HOME/lenet-gui/LeNet-5 Explorer.conf`` on Linux
    (``~/.config`` when the variable is unset), read from the environment at
    each call.
    """
    location = QStandardPaths.StandardLocation.GenericConfigLocation
    organisation, application = SETTINGS_SCOPE
    base = QStandardPaths.writableLocation(location)
    return Path(base, organisation, f"{application}.conf")


def settings_problem(path: Path) -> str | None:
    """Return why the settings file `path` must not be opened, or None.

    A missing file is no problem (there are no settings yet). A symlink is
    judged by what it points to, and one that points nowhere is refused,
    since saving would create a file wherever it points. The lock file Qt
    takes to save (``path.lock``) must not be a FIFO or a device either.
    """
    for name in (path, path.with_name(path.name + ".lock")):
        try:
            link = name.lstat()
            info = name.stat()
        except FileNotFoundError:
            if name.is_symlink():
                return f"{name} is a symlink to nothing"
            continue
        except NotADirectoryError:
            return f"{name} cannot exist: a folder on its path is a file"
        except OSError as error:
            return f"{name} cannot be read ({error.strerror or error})"
        if not stat.S_ISREG(info.st_mode):
            through = " (through a symlink)" if stat.S_ISLNK(link.st_mode) else ""
            return f"{name} is not a regular file{through}"
        if name == path and info.st_size > MAX_SETTINGS_BYTES:
            return f"{name} is larger than {MAX_SETTINGS_BYTES // 2**20} MiB"
    return None


def fit_rect(
    rect: QRect, available: QRect, minimum: QSize, margin: int = SCREEN_MARGIN
) -> QRect:
    """Return `rect` shrunk and moved to lie inside `available`.

    A window that is larger than the screen hides its status bar and its
    edges (1180x820 on a 1366x768 screen, or at 200 % scaling), so it is
    made to fit with `margin` free on every side, and not below `minimum`
    unless the screen itself is smaller.

    Parameters
    ----------
    rect : QRect
        The window's wanted geometry.
    available : QRect
        The screen's available geometry (without panels and task bars).
    minimum : QSize
        The window's minimum size, kept when the margin alone is too much.
    margin : int
        Pixels left free on each side when there is room for them.

    Returns
    -------
    QRect
        A rectangle inside `available`, no larger than `rect`.
    """

    def span(wanted: int, room: int, least: int) -> int:
        if wanted <= room - 2 * margin:
            return wanted
        # The margin goes first when it would squeeze the window below its
        # minimum; the minimum goes when the screen itself is smaller.
        return max(1, min(room, max(least, room - 2 * margin)))

    size = QSize(
        span(rect.width(), available.width(), minimum.width()),
        span(rect.height(), available.height(), minimum.height()),
    )
    x = min(max(rect.x(), available.left()), available.right() + 1 - size.width())
    y = min(max(rect.y(), available.top()), available.bottom() + 1 - size.height())
    return QRect(QPoint(x, y), size)


def fit_to_screen(window: MainWindow, *, place: bool) -> None:
    """Shrink the window to its screen's available area; move it there if `place`.

    Its minimum size is lowered when the screen is smaller still. A window
    not placed is left where the window manager puts it.
    """
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    fitted = fit_rect(frame, available, window.minimumSize())
    minimum = window.minimumSize()
    if fitted.width() < minimum.width() or fitted.height() < minimum.height():
        window.setMinimumSize(fitted.size().boundedTo(minimum))
    if fitted.size() != frame.size():
        extra = frame.size() - window.geometry().size()  # the frame's own size
        window.resize((fitted.size() - extra).expandedTo(QSize(1, 1)))
    if place and fitted.topLeft() != frame.topLeft():
        window.move(fitted.topLeft())


class WindowSettings:
    """The window's remembered settings; unreadable values fall back to defaults.

    Attributes
    ----------
    problem : str or None
        Why the settings file is not used this session (nothing is read or
        saved), in one line; None when it is used.
    """

    def __init__(self) -> None:
        self.problem: str | None = None
        self._settings: QSettings | None = None
        if sys.platform == "win32":
            self._settings = QSettings(*SETTINGS_SCOPE)  # the registry: no file
            return
        path = settings_path()
        problem = settings_problem(path)
        if problem is None:
            self._settings = QSettings(os.fspath(path), QSettings.Format.IniFormat)
        else:
            self.problem = f"Settings not loaded or saved: {problem}"

    # -- reading, whatever the file holds ----------------------------------------

    def _value(self, key: str) -> object:
        if self._settings is None:
            return None
        try:
            return self._settings.value(key)
        except Exception:  # a value PySide cannot convert is no value at all
            return None

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        return None

    def _text(self, key: str) -> str | None:
        value = self._value(key)
        return value if isinstance(value, str) else None

    def _number(self, key: str) -> float | None:
        value = self._value(key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return None
        return number if math.isfinite(number) else None

    # -- the window's settings ----------------------------------------------------

    def restore(self, window: MainWindow) -> None:
        """Give the window its remembered geometry, pen, layer shown and theme.

        The geometry, remembered or first, is fitted to the screen. When the
        settings file is not used, the status bar says so.
        """
        geometry = self._bytes("window/geometry")
        restored = geometry is not None and window.restoreGeometry(geometry)
        if not restored:
            window.resize(window.sizeHint())
        fit_to_screen(window, place=restored)
        splitter = self._bytes("window/splitter")
        if splitter is not None:
            window.splitter.restoreState(splitter)
        pen_width = self._number("canvas/pen_width")
        if pen_width is not None:
            window.canvas.set_pen_width(pen_width)  # clamped to the pen's range
        layer = self._text("view/layer")
        maps = window.feature_maps
        maps.show_layer(layer if layer in maps.layers() else None)
        theme = self._text("view/theme")
        window.set_theme(theme if theme in THEMES else "system")
        if self.problem is not None:
            # Said for the whole session, beside the weights, and once in full.
            label = QLabel("Settings not saved")
            label.setToolTip(self.problem)
            window.statusBar().addPermanentWidget(label)
            window.statusBar().showMessage(self.problem, 15000)

    def save(self, window: MainWindow) -> None:
        """Remember the window's geometry, pen and layer shown."""
        settings = self._settings
        if settings is None:
            return
        settings.setValue("window/geometry", window.saveGeometry())
        settings.setValue("window/splitter", window.splitter.saveState())
        settings.setValue("canvas/pen_width", window.canvas.pen_width())
        settings.setValue("view/layer", window.feature_maps.shown_layer() or "")
        settings.sync()

    def remember_theme(self, name: str) -> None:
        """Remember the theme chosen."""
        if self._settings is not None:
            self._settings.setValue("view/theme", name)

    def last_folder(self) -> str:
        """Return the folder a file was last opened from or saved to.

        The home folder when none is remembered, or when what is remembered
        is not the name of an existing folder.
        """
        folder = self._text("files/last_dir")
        if folder and len(folder) <= _MAX_FOLDER and "\0" not in folder:
            try:
                if Path(folder).is_dir():
                    return folder
            except (OSError, ValueError):
                pass
        return str(Path.home())

    def remember_folder(self, path: str) -> None:
        """Remember the folder of a file just opened or saved."""
        if self._settings is not None:
            self._settings.setValue("files/last_dir", str(Path(path).parent))
