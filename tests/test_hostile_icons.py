"""The app icon is read once, bounded, and drawn from memory.

Given file names, Qt reads an icon's files again whenever it draws a size;
a named pipe put there meanwhile would block the window. The icons are read
once through the regular-file reader instead. The pipe is made in
``tmp_path`` and the drawing happens in a child process with a timeout.
"""

from __future__ import annotations

import os

import pytest
from child_python import run_python

SWAP_THEN_DRAW = """
import os, shutil, sys
from pathlib import Path
from PySide6.QtGui import QGuiApplication
from lenet_gui.gui import desktop
from lenet_gui.files.bundled import ICON_SIZES

app = QGuiApplication(["icon", "-platform", "offscreen"])
folder = Path(sys.argv[1])
(folder / "resources" / "icons").mkdir(parents=True)
for size in ICON_SIZES:
    name = f"resources/icons/{desktop.APP_ID}-{size}.png"
    shutil.copy(desktop.bundled_file(name), folder / name)
bundled = desktop.bundled_file
desktop.bundled_file = lambda name: folder / name
icon = desktop.app_icon()
sizes = sorted(s.width() for s in icon.availableSizes())
for size in ICON_SIZES:
    path = folder / f"resources/icons/{desktop.APP_ID}-{size}.png"
    os.unlink(path)
    os.mkfifo(path)  # drawing from the file now would wait for a writer
pixmaps = [icon.pixmap(size).width() for size in ICON_SIZES]
print(sizes == sorted(ICON_SIZES), pixmaps == list(ICON_SIZES))
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_the_icon_is_drawn_from_what_was_read(tmp_path):
    run = run_python(
        SWAP_THEN_DRAW,
        str(tmp_path),
        hung="drawing the icon blocked on a pipe put in place of its file",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "True"]
