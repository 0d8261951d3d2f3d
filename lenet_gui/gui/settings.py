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
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from lenet_gui.gui.theme import THEMES

__all__ = [
    "MAX_SETTINGS_BYTES",
    "SETTINGS_SCOPE",
    "Remembered",
    "WindowSettings",
    "settings_path",
    "settings_problem",
]

#: Where the window keeps its settings: (organisation, application).
SETTINGS_SCOPE = ("lenet-gui", "LeNet-5 Explorer")
#: Largest settings file read (1 MiB; the window's settings take a few KB).
MAX_SETTINGS_BYTES = 2**20
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


@dataclass(frozen=True)
class Remembered:
    """What the window remembers between sessions; None where nothing usable is.

    Attributes
    ----------
    geometry, splitter : QByteArray or None
        The window's geometry and the splitter's state, as Qt saves them.
    pen_width : float or None
        The pen's width in canvas pixels (the canvas clamps it to its range).
    layer : str or None
        The layer shown large on the Maps tab; None for all layers.
    theme : str
        One of :data:`~lenet_gui.gui.theme.THEMES`.
    """

    geometry: QByteArray | None = None
    splitter: QByteArray | None = None
    pen_width: float | None = None
    layer: str | None = None
    theme: str = "system"


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

    def load(self) -> Remembered:
        """Return what is remembered; a value unusable for any reason is left out."""
        theme = self._text("view/theme")
        return Remembered(
            geometry=self._bytes("window/geometry"),
            splitter=self._bytes("window/splitter"),
            pen_width=self._number("canvas/pen_width"),
            layer=self._text("view/layer") or None,
            theme=theme if theme in THEMES else "system",
        )

    def save(self, remembered: Remembered) -> None:
        """Remember the window's geometry, splitter, pen and layer shown.

        The theme is remembered when it is chosen (:meth:`remember_theme`).
        """
        settings = self._settings
        if settings is None:
            return
        for key, value in (
            ("window/geometry", remembered.geometry),
            ("window/splitter", remembered.splitter),
            ("canvas/pen_width", remembered.pen_width),
        ):
            if value is not None:
                settings.setValue(key, value)
        settings.setValue("view/layer", remembered.layer or "")
        settings.sync()

    def remember_theme(self, name: str) -> None:
        """Remember the theme chosen."""
        if self._settings is not None:
            self._settings.setValue("view/theme", name)

    def flag(self, key: str, default: bool) -> bool:
        """Return the yes-or-no setting `key` (``"tour/offered"``), else `default`."""
        value = self._value(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return default

    def remember_flag(self, key: str, value: bool) -> None:
        """Remember the yes-or-no setting `key` (written at once)."""
        if self._settings is not None:
            self._settings.setValue(key, value)
            self._settings.sync()

    def number(self, key: str) -> float | None:
        """Return the number remembered as `key`; None when none usable is."""
        return self._number(key)

    def remember_number(self, key: str, value: float) -> None:
        """Remember the number `key`."""
        if self._settings is not None:
            self._settings.setValue(key, value)

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
