"""Shared test setup.

Qt runs offscreen so a bare ``pytest`` works without a display, and the app's
remembered settings live in a throw-away folder, cleared before each test, so
tests neither read nor change a person's own settings or each other's.
"""

import os
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="lenet-gui-test-config-")


@pytest.fixture(autouse=True)
def _fresh_settings():
    from PySide6.QtCore import QSettings

    from lenet_gui.gui import SETTINGS_SCOPE

    QSettings(*SETTINGS_SCOPE).clear()
    yield
