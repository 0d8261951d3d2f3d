"""The app's icon, and its Linux desktop entry (menu item and icon).

The icon's bitmaps and ``lenet-gui.desktop`` ship with the package (see
:mod:`lenet_gui.files.bundled`), so an installed wheel can put itself in the
applications menu without the repository::

    python -m lenet_gui.desktop              # install for the current user
    python -m lenet_gui.desktop --uninstall  # remove what that installed

writes ``applications/lenet-gui.desktop`` and the icon in every size
(``icons/hicolor/<n>x<n>/apps/lenet-gui.png`` and ``scalable/apps/``) under
``$XDG_DATA_HOME`` (``~/.local/share`` when unset). A menu launches
programs without a virtual environment's ``PATH``, so the entry's ``Exec``
names this installation's ``lenet-gui`` by its full path.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lenet_gui.files.bundled import ICON_SIZES, bundled_file

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

__all__ = [
    "APP_ID",
    "app_icon",
    "desktop_files",
    "install_desktop_entry",
    "main",
    "uninstall_desktop_entry",
    "use_app_icon",
]

#: The name of the desktop entry and of the icon in the icon theme.
APP_ID = "lenet-gui"

# Characters that make a desktop entry's Exec argument need quotes.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def app_icon() -> QIcon:
    """Return the application's icon with every bitmap size.

    Qt picks the bitmap nearest the size it needs (title bar, task bar,
    window switcher), so each size looks as drawn (16 and 32 px are drawn
    on their own pixel grid) rather than scaled down from one large image.
    A missing file leaves that size out rather than stopping the app.
    """
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in ICON_SIZES:
        path = bundled_file(f"resources/icons/{APP_ID}-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
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


def install_desktop_entry(
    data_home: Path | None = None, command: list[str] | None = None
) -> list[Path]:
    """Install the desktop entry and the icon for the current user.

    Parameters
    ----------
    data_home : Path, optional
        The user's data folder; ``$XDG_DATA_HOME`` or ``~/.local/share``.
    command : list of str, optional
        The command the menu runs; this installation's ``lenet-gui``.

    Returns
    -------
    list of Path
        The files written, the desktop entry last.

    Raises
    ------
    OSError
        If a file cannot be read or written; the files written before stay.
    """
    data_home = _data_home() if data_home is None else data_home
    written = []
    for target, source in desktop_files(data_home).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    text = bundled_file(f"resources/{APP_ID}.desktop").read_text(encoding="utf-8")
    exec_line = "Exec=" + " ".join(map(_exec_argument, command or _command()))
    lines = [
        exec_line if line.startswith("Exec=") else line for line in text.split("\n")
    ]
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text("\n".join(lines), encoding="utf-8")
    written.append(entry)
    return written


def uninstall_desktop_entry(data_home: Path | None = None) -> list[Path]:
    """Remove what :func:`install_desktop_entry` wrote; return what was there."""
    data_home = _data_home() if data_home is None else data_home
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    targets = [*desktop_files(data_home), entry]
    removed = [target for target in targets if target.is_file()]
    for target in removed:
        target.unlink()
    return removed


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
    then doubles every backslash and writes a new line as ``\n``, and ``%``
    (which starts a field code) is doubled.
    """
    if any(char in _RESERVED for char in argument):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        argument = f'"{escaped}"'
    escaped = argument.replace("\\", "\\\\").replace("\n", "\\n")
    return escaped.replace("%", "%%")


def main(argv: list[str] | None = None) -> int:
    """Install or remove the desktop entry; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m lenet_gui.desktop",
        description="Put LeNet-5 Explorer in the applications menu of this user.",
    )
    parser.add_argument(
        "--uninstall", action="store_true", help="remove the entry and icons"
    )
    args = parser.parse_args(argv)
    try:
        if args.uninstall:
            files = uninstall_desktop_entry()
            print(f"removed {len(files)} files" if files else "nothing to remove")
        else:
            files = install_desktop_entry()
            print(f"installed {files[-1]} and {len(files) - 1} icon files")
    except OSError as error:
        done = "removed" if args.uninstall else "installed"
        print(f"error: desktop entry not fully {done}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
