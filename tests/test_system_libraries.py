"""The start-up check names every missing library Qt's xcb platform needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lenet_gui.gui.cli import MISSING_LIBRARY, MISSING_XCB_CURSOR
from lenet_gui.gui.system_libraries import (
    XCB_LIBRARIES,
    missing_packages,
    needs_message,
)

REPO = Path(__file__).resolve().parents[1]
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="xcb is Linux's"
)


@linux_only
def test_missing_libraries_are_named_by_their_packages_once_each():
    libraries = {
        "libxcb.so.1": "libxcb1",  # there wherever Qt's own libraries load
        "libxcb-icccm-missing.so.4": "libxcb-icccm4",
        "libxcb-keysyms-missing.so.1": "libxcb-keysyms1",
        "libxcb-keysyms-missing.so.2": "libxcb-keysyms1",
    }
    assert missing_packages(libraries) == ["libxcb-icccm4", "libxcb-keysyms1"]


def test_the_message_is_one_line_with_the_install_command():
    assert needs_message(["libxcb-cursor0"]) == MISSING_XCB_CURSOR
    text = needs_message(["libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0"])
    assert text == (
        "LeNet-5 Explorer needs the system libraries libxcb-icccm4, libxcb-keysyms1 "
        "and libxcb-shape0: sudo apt-get install libxcb-icccm4 libxcb-keysyms1 "
        "libxcb-shape0"
    )


def test_the_list_covers_what_the_xcb_plugin_links_to():
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"):
        assert package in XCB_LIBRARIES.values()
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt/plugins/platforms/libqxcb.so"
    if not plugin.is_file() or not sys.platform.startswith("linux"):
        pytest.skip("no xcb plugin here")
    linked = subprocess.run(
        ["ldd", str(plugin), str(plugin.parents[2] / "lib/libQt6XcbQpa.so.6")],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    names = {line.split()[0] for line in linked.splitlines() if "=>" in line}
    xcb = {n for n in names if n.startswith(("libxcb", "libX11", "libxkbcommon"))}
    assert xcb <= set(XCB_LIBRARIES), xcb - set(XCB_LIBRARIES)


START = """
import sys
import lenet_gui.gui.system_libraries as libraries
libraries.XCB_LIBRARIES["libxcb-icccm-missing.so.4"] = "libxcb-icccm4"
libraries.XCB_LIBRARIES["libxcb-keysyms-missing.so.1"] = "libxcb-keysyms1"
from lenet_gui.gui import cli
sys.exit(cli.main([]))
"""


@linux_only
def test_two_missing_libraries_are_both_named_in_one_line_not_a_qt_abort():
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")
    }
    env["DISPLAY"] = ":97"  # no such display: Qt would abort with its own text
    run = subprocess.run(
        [sys.executable, "-c", START],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == MISSING_LIBRARY
    assert run.stderr == (
        "LeNet-5 Explorer needs the system libraries libxcb-icccm4 and "
        "libxcb-keysyms1: sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n"
    )
