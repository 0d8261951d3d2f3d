"""What the window remembers between sessions: geometry, pen, layer, theme, folder.

The settings live in one INI file, :func:`settings_path` (on Linux the very
file ``QSettings("lenet-gui", "LeNet-5 Explorer")`` uses). Qt never opens
that file itself: left to it, QSettings opens whatever sits under the name,
at start and again whenever it syncs, and reads it whole, with no size cap,
blocking (a named pipe hangs the window for ever, ``/dev/zero`` is read
until memory runs out, a huge file is read whole, a symlink to a device is
read from and written to). INI has no nesting, so depth is no danger there.
So the file is read once, as bytes, by the bounded regular-file reader
(:func:`~lenet_gui.files.safe_read.read_regular_file`, at most
:data:`MAX_SETTINGS_BYTES`), and Qt parses a private copy of those bytes.
Saving takes the file as it is then (another window may have saved since),
applies only the values this window changed, and replaces the file whole
(:func:`~lenet_gui.files.safe_write.write_file`): a full disk or an
unwritable folder leaves the old file as it was and is said in one line.

When the file cannot be used the window runs on its defaults, saves nothing,
and says why in the status bar (:attr:`WindowSettings.problem`).

Every value read is checked for its type and range: a value another version
wrote, or a hand-edited one (a list, a huge number, garbage bytes), falls
back to the default and never stops the window from opening.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import stat
import sys
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from lenet_gui.files.safe_read import RefusedFile, read_regular_file
from lenet_gui.files.safe_write import describe, write_file
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
        Why the settings file is not used this session, or why the last
        save failed, in one line; None when all is well.
    """

    def __init__(self) -> None:
        self.problem: str | None = None
        self._settings: QSettings | None = None
        self._path: Path | None = None
        self._copies: Path | None = None
        self._names = itertools.count()
        # What this window set, to apply over the file as it is when saved.
        self._changed: dict[str, object] = {}
        if sys.platform == "win32":
            self._settings = QSettings(*SETTINGS_SCOPE)  # the registry: no file
            return
        path = settings_path()
        problem = settings_problem(path)
        if problem is None:
            try:
                data = _read_settings(path)
                self._copies = Path(tempfile.mkdtemp(prefix="lenet-gui-"))
                weakref.finalize(self, shutil.rmtree, self._copies, True)
                self._settings = self._parsed(data)
            except RefusedFile as refused:
                problem = f"{path} {refused.reason}"
            except OSError as error:
                problem = f"no private copy of {path} ({describe(error)})"
        if problem is not None:
            self._settings = None
            self.problem = f"Settings not loaded or saved: {problem}"
            return
        self._path = path
        folder = _unwritable_folder(path)
        if folder is not None:
            self.problem = f"Settings not saved: {folder} cannot be written"

    def _parsed(self, data: bytes) -> QSettings:
        """Return settings parsed by Qt from a private copy of `data`."""
        assert self._copies is not None
        # A new name each time: Qt caches what it parsed by file name.
        copy = self._copies / f"{next(self._names)}.conf"
        copy.write_bytes(data)
        return QSettings(os.fspath(copy), QSettings.Format.IniFormat)

    def _set(self, key: str, value: object) -> None:
        if self._settings is not None:
            self._settings.setValue(key, value)
            self._changed[key] = value

    def _write(self) -> str | None:
        """Save the values changed to the file, whole; return why not, or None."""
        if self._settings is None:
            return None
        if self._path is None:  # the registry
            self._settings.sync()
            return None
        if not self._changed:
            return None
        path = self._path
        try:
            problem = settings_problem(path)
            if problem is not None:
                raise RefusedFile(problem, "special")
            current = self._parsed(_read_settings(path))
            for key, value in self._changed.items():
                current.setValue(key, value)
            current.sync()
            if current.status() != QSettings.Status.NoError:
                raise OSError(0, "Qt could not write its copy")
            data = read_regular_file(current.fileName(), MAX_SETTINGS_BYTES)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, data)
        except RefusedFile as refused:
            return self._failed(f"{refused.reason}")
        except OSError as error:
            return self._failed(f"cannot write {path} ({describe(error)})")
        self._changed.clear()
        return None

    def _failed(self, reason: str) -> str:
        self.problem = f"Settings not saved: {_one_line(reason)}"
        # Said where it can still be seen: the window may be closing.
        print(self.problem, file=sys.stderr)
        return self.problem

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
        for key, value in (
            ("window/geometry", remembered.geometry),
            ("window/splitter", remembered.splitter),
            ("canvas/pen_width", remembered.pen_width),
        ):
            if value is not None:
                self._set(key, value)
        self._set("view/layer", remembered.layer or "")
        self._write()

    def remember_theme(self, name: str) -> None:
        """Remember the theme chosen."""
        self._set("view/theme", name)

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
        self._set(key, value)
        self._write()

    def number(self, key: str) -> float | None:
        """Return the number remembered as `key`; None when none usable is."""
        return self._number(key)

    def remember_number(self, key: str, value: float) -> None:
        """Remember the number `key`."""
        self._set(key, value)

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
        self._set("files/last_dir", str(Path(path).parent))


def _read_settings(path: Path) -> bytes:
    """Return the settings file's bytes, bounded; none when there is no file."""
    try:
        return read_regular_file(path, MAX_SETTINGS_BYTES)
    except RefusedFile as refused:
        if refused.missing:
            return b""
        raise


def _unwritable_folder(path: Path) -> Path | None:
    """Return the folder that stops `path` being saved, if one plainly does.

    The nearest folder on the path that exists must be writable (a folder
    still missing is made on saving). As root only a read-only disk stops a
    save; anything else shows when the save is tried.
    """
    for folder in path.parents:
        try:
            if folder.is_dir():
                return None if os.access(folder, os.W_OK) else folder
        except OSError:
            return folder
    return None


def _one_line(text: str) -> str:
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
