"""The app's icon, and its Linux desktop entry (menu item and icon).

The icon's bitmaps and ``lenet-gui.desktop`` ship with the package (see
:mod:`lenet_gui.files.bundled`), so an installed wheel can put itself in the
applications menu without the repository::

    python -m lenet_gui.desktop              # install for the current user
    python -m lenet_gui.desktop --uninstall  # remove what that installed
    python -m lenet_gui.desktop --force      # replace others' files too

writes ``applications/lenet-gui.desktop`` and the icon in every size
(``icons/hicolor/<n>x<n>/apps/lenet-gui.png`` and ``scalable/apps/``) under
``$XDG_DATA_HOME`` (``~/.local/share`` when unset). A menu launches
programs without a virtual environment's ``PATH``, so the entry's ``Exec``
names this installation's ``lenet-gui`` by its full path.

It never loses a file it did not write: an entry someone customised, an
icon of their own or a symbolic link (dotfile managers keep these files as
links) is replaced only when the person agrees on the terminal, or with
``--force``; a link is then replaced itself, never written through. All
files are written whole before any is renamed into place, so an error
leaves everything as it was. Uninstall removes only what the installer
wrote, never a link or a changed file.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lenet_gui.files.bundled import ICON_SIZES, bundled_file
from lenet_gui.files.safe_read import RefusedFile, read_regular_file
from lenet_gui.files.safe_write import describe, replace_files
from lenet_gui.gui.ctrl_c import stops_on_ctrl_c

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

__all__ = [
    "APP_ID",
    "DesktopEntryRefused",
    "app_icon",
    "desktop_files",
    "install_desktop_entry",
    "main",
    "uninstall_desktop_entry",
    "use_app_icon",
]

#: The name of the desktop entry and of the icon in the icon theme.
APP_ID = "lenet-gui"

# Largest icon or entry read: the shipped ones are a few KB.
_MAX_BUNDLED = 1 << 20
# Characters that make a desktop entry's Exec argument need quotes.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def app_icon() -> QIcon:
    """Return the application's icon with every bitmap size.

    Qt picks the bitmap nearest the size it needs (title bar, task bar,
    window switcher), so each size looks as drawn (16 and 32 px are drawn
    on their own pixel grid) rather than scaled down from one large image.
    A missing or unusable file leaves that size out rather than stopping
    the app. Each is read once through the bounded regular-file reader and
    decoded from memory: Qt given the name would read the file again
    whenever it draws that size, whatever sits there by then.
    """
    from PySide6.QtGui import QIcon, QImage, QPixmap

    icon = QIcon()
    for size in ICON_SIZES:
        path = bundled_file(f"resources/icons/{APP_ID}-{size}.png")
        try:
            image = QImage.fromData(read_regular_file(path, _MAX_BUNDLED))
        except RefusedFile:
            continue
        if not image.isNull():
            icon.addPixmap(QPixmap.fromImage(image))
    return icon


def use_app_icon(app: QApplication) -> None:
    """Give the application its icon, in the window and on the desktop.

    X11 and Windows show the window icon; Wayland shells ignore it and take
    the icon of the desktop entry named by the application's desktop file
    name, which :func:`install_desktop_entry` installs.
    """
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(APP_ID)


def desktop_files(data_home: Path) -> dict[Path, Path]:
    """Return where each shipped icon goes under `data_home`, from where."""
    icons = data_home / "icons" / "hicolor"
    files = {
        icons / "scalable" / "apps" / f"{APP_ID}.svg": bundled_file(
            f"resources/icons/{APP_ID}.svg"
        )
    }
    for size in ICON_SIZES:
        target = icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        files[target] = bundled_file(f"resources/icons/{APP_ID}-{size}.png")
    return files


class DesktopEntryRefused(OSError):
    """The desktop entry was not installed or removed; the message says why."""


def install_desktop_entry(
    data_home: Path | None = None,
    command: list[str] | None = None,
    *,
    replace: Callable[[list[Path]], bool] | None = None,
) -> list[Path]:
    """Install the desktop entry and the icon for the current user.

    Files this installer wrote (the same icon, the same entry with any
    ``Exec`` line) are replaced without a question. Any other file under
    those names (an entry someone customised, an icon of their own, a
    symbolic link kept by a dotfile manager) is replaced only when
    `replace` agrees; a link is then itself replaced by a file, never
    written through, so what it pointed to stays as it was. Everything is
    written in full before the first file is renamed into place, so a
    failure changes nothing.

    Parameters
    ----------
    data_home : Path, optional
        The user's data folder; ``$XDG_DATA_HOME`` or ``~/.local/share``.
    command : list of str, optional
        The command the menu runs; this installation's ``lenet-gui``.
    replace : callable, optional
        Asked with the files this installer did not write; returns whether
        to replace them. None refuses.

    Returns
    -------
    list of Path
        The files written, the desktop entry last.

    Raises
    ------
    DesktopEntryRefused
        The command cannot be named in a desktop entry, or files this
        installer did not write are in the way and `replace` declined.
    OSError
        A file could not be read or written; nothing was changed.
    """
    data_home = _data_home() if data_home is None else data_home
    exec_line = "Exec=" + " ".join(map(_exec_argument, command or _command()))
    files = {
        target: _read_bundled(source)
        for target, source in desktop_files(data_home).items()
    }
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    template = _read_bundled(bundled_file(f"resources/{APP_ID}.desktop"))
    files[entry] = _with_exec(template, exec_line).encode("utf-8")
    foreign = [path for path in files if not _is_ours(path, files[path], template)]
    if foreign and not (replace is not None and replace(foreign)):
        raise DesktopEntryRefused(
            f"{_names(foreign)} {'was' if len(foreign) == 1 else 'were'} not "
            f"written by this installer (a link or a changed file); nothing was "
            f"changed (--force replaces {'it' if len(foreign) == 1 else 'them'})"
        )
    for target in files:
        target.parent.mkdir(parents=True, exist_ok=True)
    return replace_files(list(files.items()), follow_links=False)


def uninstall_desktop_entry(
    data_home: Path | None = None, *, kept: list[Path] | None = None
) -> list[Path]:
    """Remove what :func:`install_desktop_entry` wrote; return what was removed.

    Only regular files that hold what the installer writes are removed: a
    symbolic link, or an entry or icon someone changed, stays (listed in
    `kept` when given), and so does anything a link points to.
    """
    data_home = _data_home() if data_home is None else data_home
    template = _read_bundled(bundled_file(f"resources/{APP_ID}.desktop"))
    targets = {
        target: _read_bundled(source)
        for target, source in desktop_files(data_home).items()
    }
    targets[data_home / "applications" / f"{APP_ID}.desktop"] = template
    removed = []
    for target, content in targets.items():
        if not os.path.lexists(target):
            continue
        if _is_ours(target, content, template):
            target.unlink()
            removed.append(target)
        elif kept is not None:
            kept.append(target)
    return removed


def _read_bundled(path: Path) -> bytes:
    return read_regular_file(path, _MAX_BUNDLED)


def _with_exec(template: bytes, exec_line: str) -> str:
    lines = template.decode("utf-8").split("\n")
    return "\n".join(exec_line if line.startswith("Exec=") else line for line in lines)


def _is_ours(path: Path, content: bytes, template: bytes) -> bool:
    """Whether `path` is missing or is a regular file this installer wrote.

    An icon is ours when it holds the shipped bytes; the entry when it is
    the shipped entry with any ``Exec`` line. Read with the bounded
    regular-file reader, never through a link.
    """
    try:
        info = os.lstat(path)
    except OSError:  # nothing there, or nothing it could reach: writing says why
        return True
    if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_BUNDLED:
        return False
    try:
        found = read_regular_file(path, _MAX_BUNDLED)
    except RefusedFile:
        return False
    if path.suffix != ".desktop":
        return found == content
    try:
        text = found.decode("utf-8")
    except UnicodeDecodeError:
        return False
    exec_lines = [line for line in text.split("\n") if line.startswith("Exec=")]
    return len(exec_lines) == 1 and _with_exec(template, exec_lines[0]) == text


def _names(paths: list[Path]) -> str:
    shown = ", ".join(_printable(str(path)) for path in paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    # The specification says to ignore a relative path.
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def _command() -> list[str]:
    """Return the command that starts this installation of the app.

    ``os.path.abspath`` (not ``resolve``) keeps a virtual environment's
    ``python`` link, whose folder holds the ``lenet-gui`` script; a user
    install keeps its script elsewhere, so ``python -m lenet_gui`` is used.
    """
    python = os.path.abspath(sys.executable)
    script = Path(python).with_name(APP_ID)
    if script.is_file():
        return [str(script)]
    return [python, "-m", "lenet_gui"]


def _exec_argument(argument: str) -> str:
    r"""Quote one argument for a desktop entry's ``Exec`` key.

    Arguments with reserved characters go in double quotes, with ``"``,
    `````, ``$`` and ``\`` escaped by a backslash; the value's own escaping
    then doubles every backslash, and ``%`` (which starts a field code) is
    doubled.

    Raises
    ------
    DesktopEntryRefused
        The argument cannot be written in a desktop entry: it is not valid
        UTF-8 (a file name with such bytes) or holds a control character.
    """
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError:
        raise DesktopEntryRefused(
            f"the path {_printable(ascii(argument)[1:-1])} is not valid UTF-8, "
            f"which a desktop entry cannot hold; install from a Python whose "
            f"path is plain text"
        ) from None
    if any(not char.isprintable() for char in argument):
        raise DesktopEntryRefused(
            f"the path {ascii(argument)[1:-1]} holds a control character, "
            f"which a desktop entry cannot hold"
        )
    if any(char in _RESERVED for char in argument):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        argument = f'"{escaped}"'
    return argument.replace("\\", "\\\\").replace("%", "%%")


@stops_on_ctrl_c("python -m lenet_gui.desktop")
def main(argv: list[str] | None = None) -> int:
    """Install or remove the desktop entry; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m lenet_gui.desktop",
        description="Put LeNet-5 Explorer in the applications menu of this user.",
    )
    parser.add_argument(
        "--uninstall", action="store_true", help="remove the entry and icons"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an entry, icon or link this installer did not write "
        "(without asking)",
    )
    args = parser.parse_args(argv)
    try:
        if args.uninstall:
            kept: list[Path] = []
            files = uninstall_desktop_entry(kept=kept)
            print(f"removed {len(files)} files" if files else "nothing to remove")
            if kept:
                print(
                    f"kept {_names(kept)}: not written by this installer "
                    f"(a link or a changed file)"
                )
        else:
            files = install_desktop_entry(replace=_always if args.force else _confirm)
            print(
                f"installed {_printable(str(files[-1]))} "
                f"and {len(files) - 1} icon files"
            )
    except DesktopEntryRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        done = "removed" if args.uninstall else "installed"
        where = f" ({error.filename})" if error.filename else ""
        reason = _printable(describe(error) + where)
        print(f"error: desktop entry not {done}: {reason}", file=sys.stderr)
        return 1
    return 0


def _always(_paths: list[Path]) -> bool:
    return True


def _confirm(paths: list[Path]) -> bool:
    """Ask on the terminal whether to replace files this installer did not write.

    Without a terminal to ask on, the answer is no (``--force`` says yes).
    """
    if not (sys.stdin is not None and sys.stdin.isatty()):
        return False
    print(f"{_names(paths)}: not written by this installer (a link or a changed file).")
    try:
        answer = input("Replace? (a link is replaced, not what it points to) [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


if __name__ == "__main__":
    sys.exit(main())
