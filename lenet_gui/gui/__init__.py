"""The desktop app: the window and its parts, the panels, the widgets, the state.

Qt and pyqtgraph; torch only through ``network`` and ``explain``. Inside, the
window's modules import ``panels``, panels import ``widgets`` and ``state``,
never upward. ``MainWindow`` is loaded on first use, so the commands in here
(``cli``, ``predict_cli``) start without building the window's modules;
the modules it needs are then imported without PySide6's source check
(:mod:`lenet_gui.gui.pyside_imports`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lenet_gui.gui.window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> object:
    if name == "MainWindow":
        from lenet_gui.gui.pyside_imports import skip_feature_check

        skip_feature_check()  # before pyqtgraph's imports, and torch's later
        from lenet_gui.gui.window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
