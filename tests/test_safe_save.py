"""Saving from the window never cuts the old file nor says "Saved" when it was not.

A full disk is played by a file-size limit
(RLIMIT_FSIZE) on this process, a device by a symlink to ``/dev/full``; the
save dialog, which needs a person, is stood in for by a function returning
the name a person would type.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox
from robust_helpers import STEM, TOP, draw

from lenet_gui.files.safe_write import check_writable, replace_files, write_file


@contextmanager
def file_size_limit(limit: int):
    """Let this process write files of at most `limit` bytes inside the block.

    A write past the limit then fails with EFBIG, as one on a full disk fails
    with ENOSPC: the first bytes land, the rest do not. SIGXFSZ is ignored
    (Python ignores it already) so the write fails instead of killing pytest.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def save_action(window, which: str):
    """The window's save (or export) method, as File > Save/Export calls it."""
    files = window.files
    return {"drawing": files.save_drawing, "maps": files.export_picture}[which]


def last_warning(messages) -> str:
    assert messages.warnings, "no message said the save failed"
    text = messages.warnings[-1][1]
    assert "\n" not in text
    return text


@pytest.mark.parametrize("which", ["drawing", "maps"])
def test_save_past_a_size_limit_keeps_the_old_file_and_says_not_saved(
    window, messages, tmp_path, which
):
    save = save_action(window, which)
    draw(window, STEM)
    target = tmp_path / "digit.png"
    assert save(target)
    old = target.read_bytes()
    assert len(old) > 200 and not QImage(str(target)).isNull()
    draw(window, TOP)  # something new to save

    with file_size_limit(64):
        saved = save(target)

    assert not saved
    assert target.read_bytes() == old, "the old file was cut"
    text = last_warning(messages)
    assert "digit.png: not saved" in text
    assert "file-size limit" in text and "unchanged" in text
    status = window.statusBar().currentMessage()
    assert not status.startswith("Saved") and "not saved" in status
    assert sorted(os.listdir(tmp_path)) == ["digit.png"], "a temporary file is left"


def test_a_new_file_that_cannot_be_written_leaves_nothing(window, messages, tmp_path):
    draw(window, STEM)
    with file_size_limit(64):
        assert not window.files.save_drawing(tmp_path / "new.png")
    assert os.listdir(tmp_path) == []
    text = last_warning(messages)
    assert text.startswith("new.png: not saved") and "unchanged" not in text


@pytest.mark.parametrize("which", ["drawing", "maps"])
def test_save_to_a_link_to_dev_full_says_not_saved(window, messages, tmp_path, which):
    link = tmp_path / "digit.png"
    link.symlink_to("/dev/full")
    draw(window, STEM)
    assert not save_action(window, which)(link)
    assert "digit.png: not saved" in last_warning(messages)
    assert "not a regular file" in last_warning(messages)
    assert not window.statusBar().currentMessage().startswith("Saved")
    # Neither the link nor the device was replaced.
    assert link.is_symlink() and os.readlink(link) == "/dev/full"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert os.listdir(tmp_path) == ["digit.png"]


def test_save_through_a_link_replaces_the_file_it_points_to(window, tmp_path):
    real = tmp_path / "drawings" / "real.png"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(real)
    real.chmod(0o640)
    draw(window, STEM)
    assert window.files.save_drawing(link)
    assert link.is_symlink() and link.resolve() == real
    assert not QImage(str(real)).isNull()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # its permissions kept
    assert window.statusBar().currentMessage() == "Saved link.png"


@pytest.mark.parametrize("where", ["folder", "through-a-file"])
def test_save_where_no_file_can_be_says_why(window, messages, tmp_path, where):
    (tmp_path / "plain").write_text("a file, not a folder")
    (tmp_path / "digit.png").mkdir()
    path = {
        "folder": tmp_path / "digit.png",
        "through-a-file": tmp_path / "plain" / "digit.png",
    }[where]
    draw(window, STEM)
    assert not window.files.save_drawing(path)
    reason = {"folder": "it is a folder", "through-a-file": "is a file"}[where]
    assert reason in last_warning(messages)
    assert (tmp_path / "plain").read_text() == "a file, not a folder"


# --- the name the dialog returns and the file written (item 2) ---------------


def test_png_path_adds_the_suffix_and_asks_again_only_if_that_exists(tmp_path):
    from lenet_gui.gui.file_commands import png_path

    (tmp_path / "name.png").write_bytes(b"x")
    (tmp_path / "scan.jpg.png").write_bytes(b"x")
    cases = {
        "name": ("name.png", True),  # the dialog asked about "name", not this
        "other": ("other.png", False),
        "name.png": ("name.png", False),  # the dialog asked about this one
        "NAME.PNG": ("NAME.PNG", False),
        "scan.jpg": ("scan.jpg.png", True),
    }
    for typed, (written, ask) in cases.items():
        assert png_path(str(tmp_path / typed)) == (tmp_path / written, ask), typed


@pytest.fixture
def typed_name(monkeypatch, tmp_path):
    """Stand in for the save dialog: it returns tmp_path / the name typed.

    Like a native dialog, it has asked about replacing that very name only.
    """
    asked = []

    def use(name: str) -> list:
        def dialog(parent, title, start, filters, *args, **kwargs):
            asked.append(start)
            return str(tmp_path / name), filters

        monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
        return asked

    return use


def test_typing_a_name_without_png_asks_before_replacing_name_png(
    window, messages, tmp_path, typed_name
):
    existing = tmp_path / "name.png"
    existing.write_bytes(b"a picture someone keeps")
    draw(window, STEM)
    typed_name("name")
    window.action_set.save.trigger()  # File > Save Drawing, answered "No"
    assert existing.read_bytes() == b"a picture someone keeps"
    [(kind, _, question)] = messages.others
    assert kind == "question" and "name.png already exists" in question
    assert "\n" not in window.statusBar().currentMessage()


def test_replacing_after_the_second_question_saves(
    window, messages, tmp_path, typed_name, monkeypatch
):
    existing = tmp_path / "name.png"
    existing.write_bytes(b"old")
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes
    )
    draw(window, STEM)
    typed_name("name")
    window.action_set.export.trigger()
    assert not QImage(str(existing)).isNull()
    assert window.statusBar().currentMessage() == "Saved name.png"
    assert not (tmp_path / "name").exists()


def test_a_new_name_without_png_is_saved_without_a_question(
    window, messages, tmp_path, typed_name
):
    draw(window, STEM)
    asked = typed_name("fresh")
    window.action_set.save.trigger()
    assert not QImage(str(tmp_path / "fresh.png")).isNull()
    assert messages.others == [] and asked[0].endswith("digit.png")


# --- the helper itself --------------------------------------------------------


def test_replace_files_keeps_every_old_file_if_one_cannot_be_written(tmp_path):
    small, large = tmp_path / "w.json", tmp_path / "w.pt"
    small.write_bytes(b"old record")
    large.write_bytes(b"old weights")
    with file_size_limit(1000), pytest.raises(OSError):
        replace_files([(large, b"w" * 5000), (small, b"new record")])
    assert large.read_bytes() == b"old weights"
    assert small.read_bytes() == b"old record"
    assert sorted(os.listdir(tmp_path)) == ["w.json", "w.pt"]


def test_write_file_gives_a_new_file_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    path = write_file(tmp_path / "new.bin", b"data")
    assert path.read_bytes() == b"data"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_check_writable_creates_folders_and_leaves_no_file(tmp_path):
    target = check_writable(tmp_path / "a" / "b" / "w.pt")
    assert target == Path(os.path.realpath(tmp_path)) / "a" / "b" / "w.pt"
    assert (tmp_path / "a" / "b").is_dir()
    assert list((tmp_path / "a" / "b").iterdir()) == []
