"""Shared test setup: Qt runs offscreen so a bare ``pytest`` works without a display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
