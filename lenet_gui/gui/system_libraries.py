"""The system libraries Qt's X11 (xcb) platform needs, and which are missing.

Without any one of them Qt prints a page of plugin diagnostics, often
blaming ``libxcb-cursor0`` whatever is missing, and aborts. The window's
start-up checks them all first and names every missing one, with the
Debian and Ubuntu packages that hold them, in one line.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping

__all__ = ["XCB_LIBRARIES", "missing_packages", "needs_message", "qt_uses_xcb"]

#: Every library Qt's xcb platform plugin links to, with its Debian/Ubuntu
#: package (``ldd`` of ``libqxcb.so`` and ``libQt6XcbQpa.so.6``, Qt 6.11).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def qt_uses_xcb(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> bool:
    """Whether Qt will start its xcb platform here.

    Parameters
    ----------
    environ : mapping, optional
        The environment (``os.environ`` by default): ``QT_QPA_PLATFORM``,
        ``DISPLAY``, ``XDG_SESSION_TYPE``.
    platform : str, optional
        A ``-platform`` given on the command line, which Qt prefers.
    """
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return False
    requested = platform or environ.get("QT_QPA_PLATFORM", "")
    if requested:
        # "xcb", "xcb:option=...", or a list "wayland;xcb" tried in order.
        return requested.split(";")[0].split(":")[0].strip() == "xcb"
    # Qt's default on Linux is xcb, except in a Wayland session.
    return bool(environ.get("DISPLAY")) and (
        environ.get("XDG_SESSION_TYPE") != "wayland"
    )


def missing_packages(libraries: Mapping[str, str] | None = None) -> list[str]:
    """Return the packages of the `libraries` that cannot be loaded, in order.

    Parameters
    ----------
    libraries : mapping, optional
        Library file name to package name; :data:`XCB_LIBRARIES` by default.
    """
    libraries = XCB_LIBRARIES if libraries is None else libraries
    missing: list[str] = []
    for library, package in libraries.items():
        try:
            ctypes.CDLL(library)
        except OSError:
            if package not in missing:
                missing.append(package)
    return missing


def needs_message(packages: list[str]) -> str:
    """Say, in one line, which packages the window needs and how to install them."""
    if len(packages) == 1:
        named = f"the system library {packages[0]}"
    else:
        named = f"the system libraries {', '.join(packages[:-1])} and {packages[-1]}"
    return f"LeNet-5 Explorer needs {named}: sudo apt-get install {' '.join(packages)}"
