"""Run a piece of Python in a child process from the repository, never hanging a test.

Tests of hostile files put a trap in place (a named pipe swapped in for a file)
and check that the code under test does not block on it: the code runs in a
child, and a child that does not end in time fails the test instead of
hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Seconds a child may take before the test fails.
TIMEOUT = 60


def run_python(
    code: str, *args: str, env: dict[str, str] | None = None, hung: str
) -> subprocess.CompletedProcess[str]:
    """Run `code` (dedented) with `args` in a child Python, offscreen, from the repo.

    `env` is added to this process's environment. A child still running after
    :data:`TIMEOUT` seconds fails the test with the message `hung`.
    """
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code), *args],
            cwd=REPO,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(hung)
