"""Make the README's screenshots: the real window, offscreen, with an example drawn.

Run from the repository root (no display needed)::

    python resources/make_screenshots.py [--out resources]

Each picture is the whole window at 1280x860 with one of the bundled examples
loaded as strokes and one view shown, in the light or the dark theme; views
that compute in the background are waited for until they show the drawing.
Settings go to a throw-away folder, so the person's own are never read or
changed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

#: (file name, example index or None for the empty window, view, theme)
SHOTS = (
    ("screenshot.png", 17, "maps", "light"),
    ("screenshot-welcome.png", None, "maps", "light"),
    ("screenshot-network-dark.png", 14, "network", "dark"),
    ("screenshot-why.png", 19, "attribution", "light"),
    ("screenshot-weights-dark.png", 17, "kernels", "dark"),
    ("screenshot-invariance.png", 13, "invariance", "light"),
)
SIZE = (1280, 860)


def _wait_until_settled(app, window, seconds: float = 20.0) -> None:
    """Let Qt run until every panel shows the session as it is."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        panels = [window.panel(name) for name in window.panels()]
        if all(getattr(panel, "settled", True) for panel in panels):
            break
        time.sleep(0.02)
    for _ in range(20):  # the last repaints
        app.processEvents()
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("resources"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="lenet-shots-")

    from PySide6.QtWidgets import QApplication

    from lenet_gui.gui import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    for file_name, example, view, theme in SHOTS:
        window = MainWindow()
        window.resize(*SIZE)
        window.show()
        window.set_theme(theme)
        while window.session.network.loading:  # the bundled weights, off-thread
            app.processEvents()
            time.sleep(0.02)
        if example is not None:
            window.files.open_example(example)
        window.show_panel(view)
        window.session.last_result  # noqa: B018 - runs the pending refresh
        _wait_until_settled(app, window)
        window.grab().save(str(args.out / file_name))
        print(f"{args.out / file_name}: {view}, {theme}")
        window.close()
        window.deleteLater()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
