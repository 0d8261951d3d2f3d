"""The desktop installer never loses a file it did not write."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from lenet_gui.gui.desktop import (
    DesktopEntryRefused,
    install_desktop_entry,
    main,
    uninstall_desktop_entry,
)

CUSTOM = b"[Desktop Entry]\nType=Application\nName=My LeNet\nExec=my-own-launcher\n"


def entry_path(home: Path) -> Path:
    return home / "applications" / "lenet-gui.desktop"


def all_files(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(root))] = "-> " + os.readlink(path)
        elif path.is_file():
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


@pytest.fixture
def home(tmp_path, monkeypatch):
    data = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal to ask on
    return data


def test_a_customised_entry_needs_force_and_is_never_emptied(home, capsys):
    entry = entry_path(home)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(CUSTOM)
    assert main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and "not written" in err
    assert entry.read_bytes() == CUSTOM
    assert not (home / "icons").exists() or not all_files(home / "icons")
    assert main(["--force"]) == 0
    assert b"Name=LeNet-5 Explorer" in entry.read_bytes()


def test_it_asks_on_a_terminal(home, monkeypatch):
    entry = entry_path(home)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(CUSTOM)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert main([]) == 1
    assert entry.read_bytes() == CUSTOM
    assert main([]) == 0
    assert b"Name=LeNet-5 Explorer" in entry.read_bytes()


def test_its_own_entry_is_replaced_without_asking(home):
    install_desktop_entry(home, ["/old/place/lenet-gui"])
    install_desktop_entry(home, ["/new/place/lenet-gui"])
    assert b"Exec=/new/place/lenet-gui\n" in entry_path(home).read_bytes()


def test_links_are_never_written_through(home, tmp_path, capsys):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "entry").write_bytes(CUSTOM)
    (dotfiles / "icon.png").write_bytes(b"my icon")
    entry = entry_path(home)
    icon = home / "icons/hicolor/48x48/apps/lenet-gui.png"
    for link, target in ((entry, "entry"), (icon, "icon.png")):
        link.parent.mkdir(parents=True)
        link.symlink_to(dotfiles / target)
    before = all_files(tmp_path)

    assert main([]) == 1
    assert all_files(tmp_path) == before
    assert main(["--uninstall"]) == 0  # the links are not its files
    assert all_files(tmp_path) == before
    assert "kept" in capsys.readouterr().out

    assert main(["--force"]) == 0
    assert (dotfiles / "entry").read_bytes() == CUSTOM
    assert (dotfiles / "icon.png").read_bytes() == b"my icon"
    assert not entry.is_symlink() and not icon.is_symlink()
    assert main(["--uninstall"]) == 0
    assert not entry.exists() and not icon.exists()
    assert (dotfiles / "entry").read_bytes() == CUSTOM


def test_uninstall_keeps_a_changed_entry(home):
    install_desktop_entry(home, ["lenet-gui"])
    entry = entry_path(home)
    entry.write_bytes(entry.read_bytes() + b"X-Mine=1\n")
    kept: list[Path] = []
    removed = uninstall_desktop_entry(home, kept=kept)
    assert kept == [entry] and entry not in removed and entry.is_file()


def test_a_python_path_that_is_not_utf8_is_refused_in_one_line(
    home, monkeypatch, capsys
):
    entry = entry_path(home)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(CUSTOM)
    python = os.fsdecode(b"/opt/py\xff/bin/python")
    monkeypatch.setattr(sys, "executable", python)
    assert main(["--force"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "UTF-8" in err and "Traceback" not in err
    assert entry.read_bytes() == CUSTOM
    assert not (home / "icons").exists() or not all_files(home / "icons")


@pytest.mark.parametrize("argument", ["/opt/a\nb/python", "/opt/a\tb\x01/python"])
def test_control_characters_are_refused(tmp_path, argument):
    with pytest.raises(DesktopEntryRefused, match="control character"):
        install_desktop_entry(tmp_path, [argument])
    assert not entry_path(tmp_path).exists()


def test_a_failed_install_changes_nothing(home, capsys):
    install_desktop_entry(home, ["/old/lenet-gui"])
    before = all_files(home)
    blocker = home / "icons/hicolor/256x256/apps/lenet-gui.png"
    blocker.unlink()
    blocker.mkdir()  # a folder where an icon goes
    before = all_files(home)
    assert main(["--force"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert all_files(home) == before


def test_a_data_folder_that_cannot_exist_is_one_plain_line(monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", "/dev/null/share")
    assert main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "a folder in its path is a file" in err and "not written by" not in err
