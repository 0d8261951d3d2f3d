"""The window opens having read only its own code: the other tabs' come when shown."""

from __future__ import annotations

import json

from tests.child_python import run_python

# Read only when their tab is first shown or a first image is opened.
LATER = [
    "lenet_gui.gui.widgets.kernel_view",
    "lenet_gui.gui.widgets.network_view",
    "lenet_gui.gui.widgets.attribution_view",
    "lenet_gui.gui.widgets.adapt_view",
    "lenet_gui.gui.panels.adapt_control",
    "lenet_gui.drawing.image_file",
    "lenet_gui.imaging.photo",
    "torch",
]


def test_the_first_paint_reads_no_other_tab_and_no_image_reader():
    code = f"""
        import json, os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from lenet_gui.gui import MainWindow

        window = MainWindow(defer_model=True)
        window.show()
        app.processEvents()
        later = {LATER!r}
        before = [name for name in later if name in sys.modules]
        window.show_panel("kernels")
        window.show_panel("my_digits")
        from lenet_gui.gui.widgets import NetworkView

        print(json.dumps({{
            "before": before,
            "kernel_view": "lenet_gui.gui.widgets.kernel_view" in sys.modules,
            "adapt_view": "lenet_gui.gui.widgets.adapt_view" in sys.modules,
            "asked": NetworkView.__module__,
        }}))
        window.close()
    """
    done = run_python(code, hung="opening the window hung")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found == {
        "before": [],
        "kernel_view": True,
        "adapt_view": True,
        "asked": "lenet_gui.gui.widgets.network_view",
    }
