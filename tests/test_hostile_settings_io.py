"""The settings file read once, bounded, saved whole: swaps, full disks, two windows.

Qt parses a private copy of the bytes read; the real file is only ever read
by the bounded reader and replaced whole. Settings point into ``tmp_path``
(``XDG_CONFIG_HOME``); a trap that could hang runs in a child process with a
timeout. Failures to write are made by a monkeypatched ``os.replace`` or
write (as root, permissions do not stop a write), or by a path whose folder
is a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from child_python import run_python

from lenet_gui.files import safe_write
from lenet_gui.gui.settings import Remembered, WindowSettings, settings_path


@pytest.fixture
def settings_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = settings_path()
    assert tmp_path in path.parents, "settings must never point outside tmp_path"
    path.parent.mkdir(parents=True)
    path.write_text("[canvas]\npen_width=21\n[view]\ntheme=dark\n")
    return path


def test_values_are_read_and_saved_through_a_copy(settings_file):
    settings = WindowSettings()
    assert settings.problem is None
    assert settings.load().pen_width == 21 and settings.load().theme == "dark"
    settings.save(Remembered(pen_width=30.0, layer="C3"))
    assert settings.problem is None
    again = WindowSettings().load()
    assert again.pen_width == 30 and again.layer == "C3" and again.theme == "dark"
    # Qt's lock file is taken beside its private copy, never beside the file.
    assert sorted(p.name for p in settings_file.parent.iterdir()) == [
        settings_file.name
    ]


def test_two_windows_keep_each_others_changes(settings_file):
    first, second = WindowSettings(), WindowSettings()
    first.remember_theme("light")
    first.save(Remembered(pen_width=25.0))
    second.remember_flag("tour/offered", True)
    second.save(Remembered(layer="S2"))
    text = settings_file.read_text()
    # Each saved what it changed over the file as the other had left it.
    assert "theme=light" in text and "offered=true" in text
    assert "layer=S2" in text
    assert WindowSettings().load().theme == "light"


@pytest.mark.parametrize(
    "failure",
    [
        PermissionError(errno.EACCES, "Permission denied"),
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system"),
    ],
    ids=["permission", "full disk", "read-only disk"],
)
def test_a_failed_save_says_so_and_keeps_the_file(
    settings_file, monkeypatch, capsys, failure
):
    before = settings_file.read_bytes()
    settings = WindowSettings()

    def refuse(*args, **kwargs):
        raise failure

    monkeypatch.setattr(safe_write.os, "replace", refuse)
    settings.save(Remembered(pen_width=40.0))
    problem = settings.problem
    assert problem is not None and problem.startswith("Settings not saved: ")
    assert "\n" not in problem and str(settings_file) in problem
    assert capsys.readouterr().err == problem + "\n"
    assert settings_file.read_bytes() == before
    assert [p.name for p in settings_file.parent.iterdir()] == [settings_file.name]


def test_a_full_disk_while_writing_keeps_the_file(settings_file, monkeypatch):
    """The disk fills while the new file is written (fsync reports it)."""
    before = settings_file.read_bytes()
    settings = WindowSettings()

    def full(handle):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", full)
    settings.save(Remembered(pen_width=40.0))
    assert settings.problem is not None and "the disk is full" in settings.problem
    assert settings_file.read_bytes() == before
    assert [p.name for p in settings_file.parent.iterdir()] == [settings_file.name]


def test_a_config_folder_that_is_a_file_is_said_at_start(tmp_path, monkeypatch):
    (tmp_path / "config").write_text("a file, not a folder\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = WindowSettings()
    assert settings.problem is not None
    assert settings.problem.startswith("Settings not loaded or saved: ")
    settings.save(Remembered(pen_width=30.0))  # nothing to save to: no error
    assert (tmp_path / "config").read_text() == "a file, not a folder\n"


SWAPPED_FOR_A_PIPE = """
import os, sys
from pathlib import Path
from lenet_gui.gui.settings import Remembered, WindowSettings, settings_path

settings = WindowSettings()
assert settings.problem is None, settings.problem
path = settings_path()
os.unlink(path)
os.mkfifo(path)  # swapped in while the window runs
settings.remember_flag("tour/offered", True)
settings.save(Remembered(pen_width=30.0))
print(settings.problem)
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_swapped_in_while_running_is_not_opened(settings_file, tmp_path):
    run = run_python(
        SWAPPED_FOR_A_PIPE,
        env={"XDG_CONFIG_HOME": str(tmp_path / "config")},
        hung="saving the settings blocked on a pipe swapped in for the file",
    )
    assert run.returncode == 0, run.stderr
    problem = run.stdout.strip()
    assert problem.startswith("Settings not saved: ")
    assert "not a regular file" in problem
    assert stat.S_ISFIFO(settings_file.lstat().st_mode)  # left as it was


def test_a_read_only_config_folder_is_said_at_start(settings_file, monkeypatch):
    """As root every folder is writable, so the check is isolated by a mock."""
    from lenet_gui.gui import settings as module

    real_access = os.access

    def read_only(path, mode, **kwargs):
        if Path(path) == settings_file.parent and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(module.os, "access", read_only)
    settings = WindowSettings()
    assert (
        settings.problem
        == f"Settings not saved: {settings_file.parent} cannot be written"
    )
    assert settings.load().pen_width == 21  # still read
