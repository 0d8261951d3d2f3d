"""Imports after Qt skip PySide6's source check; Qt and the window work as before.

Each case runs in a child Python: the check is a process-wide import hook,
and the test process itself must keep the one it has.
"""

from __future__ import annotations

import json

from tests.child_python import run_python

# Prints, as JSON, whether a module imported after Qt had its source read
# (PySide6 keeps what it read in linecache) and which hook imports now.
_PROBE = """
    import builtins, json, linecache, sys
    {before}
    import fractions  # a standard module nothing here has imported yet
    from PySide6.QtWidgets import QLabel  # classes still load on demand
    print(json.dumps({{
        "read": fractions.__file__ in linecache.cache,
        "hook": builtins.__import__.__name__,
        "label": QLabel.__name__,
        {extra}
    }}))
"""


def _probe(before: str, extra: str = "") -> dict[str, object]:
    code = _PROBE.format(before=before, extra=extra)
    done = run_python(code, hung="importing after Qt hung")
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_pyside_reads_the_source_of_every_later_import():
    # What the app avoids: without the step, the source check is there.
    found = _probe("import PySide6.QtCore")
    assert found == {"read": True, "hook": "__feature_import__", "label": "QLabel"}


def test_after_the_step_later_imports_are_not_read():
    found = _probe(
        "from lenet_gui.gui.pyside_imports import skip_feature_check\n"
        "    first = skip_feature_check()\n"
        "    again = skip_feature_check()",
        extra='"first": first, "again": again,',
    )
    assert found == {
        "read": False,
        "hook": "__lazy_import__",
        "label": "QLabel",
        "first": True,
        "again": False,  # nothing left to remove
    }


def test_the_window_and_the_model_load_without_putting_the_check_back():
    code = """
        import builtins, json, linecache, sys
        from lenet_gui.gui.pyside_imports import skip_feature_check
        skip_feature_check()
        from PySide6.QtWidgets import QApplication
        from lenet_gui.gui import MainWindow
        app = QApplication([])
        window = MainWindow()  # the bundled weights, loaded at once
        window.show()
        app.processEvents()
        def theirs(name):
            return "torch" in name or "pyqtgraph" in name

        print(json.dumps({
            "ready": window.session.network.classifier is not None,
            "hook": builtins.__import__.__name__,
            "read": sum(theirs(name) for name in linecache.cache),
            "imported": sum(theirs(name) for name in sys.modules),
        }))
        window.close()
    """
    done = run_python(code, hung="the window did not start")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["ready"] and found["hook"] == "__lazy_import__"
    # torch reads a few of its own files (its config modules); with the
    # check, every one of its modules and pyqtgraph's would be read.
    assert found["imported"] > 500
    assert found["read"] < found["imported"] / 20
