"""My digits and the examples under hostile files and folders that refuse writes.

Imports of hostile stroke files run in a child process with a timeout (a
pipe or a device that were read would hang or exhaust it); every trap sits
in ``tmp_path``. Failed writes are made by a path whose folder is a regular
file or by a monkeypatched ``os.replace`` (as root, permissions stop nothing).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from lenet_gui.drawing.examples import load_examples
from lenet_gui.files import safe_write
from lenet_gui.gui.state.my_digits import MyDigits, MyDigitsError

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120
ONE = [np.array([[200.0, 80.0], [210.0, 200.0], [215.0, 360.0]])]


def _kept(path: Path) -> MyDigits:
    store = MyDigits(path)
    store.add(ONE, 7)
    return store


def test_a_refused_replace_keeps_file_and_digits(tmp_path, monkeypatch):
    path = tmp_path / "my-digits.json"
    store = _kept(path)
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(safe_write.os, "replace", refuse)
    for change in (
        lambda: store.add(ONE, 3),
        lambda: store.relabel(0, 1),
        lambda: store.remove([0]),
    ):
        with pytest.raises(MyDigitsError) as excinfo:
            change()
        message = str(excinfo.value)
        assert "\n" not in message and "permission denied" in message
        assert path.read_bytes() == before
        assert [d.label for d in store.digits()] == [7]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-digits.json"]


def test_a_full_disk_keeps_file_and_digits(tmp_path, monkeypatch):
    path = tmp_path / "my-digits.json"
    store = _kept(path)
    before = path.read_bytes()

    def full(handle):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", full)
    with pytest.raises(MyDigitsError, match="the disk is full"):
        store.add(ONE, 3)
    assert path.read_bytes() == before
    assert [d.label for d in store.digits()] == [7]


def test_export_into_a_folder_that_is_a_file_says_so(tmp_path):
    store = _kept(tmp_path / "my-digits.json")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(MyDigitsError) as excinfo:
        store.export_file(blocker / "out.json")
    assert "\n" not in str(excinfo.value)
    assert blocker.read_text() == "x"


def test_export_over_a_folder_says_so(tmp_path):
    store = _kept(tmp_path / "my-digits.json")
    (tmp_path / "out.json").mkdir()
    with pytest.raises(MyDigitsError):
        store.export_file(tmp_path / "out.json")
    assert (tmp_path / "out.json").is_dir()


IMPORTS = """
import json, sys
from pathlib import Path
from lenet_gui.gui.state.my_digits import MyDigits, MyDigitsError

store = MyDigits(Path(sys.argv[1]))
said = {}
for name in sys.argv[2:]:
    try:
        store.import_file(Path(name))
        said[Path(name).name] = None
    except MyDigitsError as error:
        said[Path(name).name] = str(error)
print(json.dumps(said))
"""


def _hostile_stroke_files(folder: Path) -> list[Path]:
    good = [[[10, 10], [20, 20]]]
    files = {
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "huge.json": b'[{"label": 1, "writer": "w", "strokes": [[[1'
        + b"0" * 400
        + b", 2]]]}]",
        "nan.json": b'[{"label": 1, "writer": "w", "strokes": [[[NaN, 2]]]}]',
        "empty.json": b"",
        "no-strokes.json": json.dumps(
            [{"label": 1, "writer": "w", "strokes": []}]
        ).encode(),
        "million.json": json.dumps(
            [
                {
                    "label": 1,
                    "writer": "w",
                    "strokes": [[[k % 9, 1] for k in range(10**6)]],
                }
            ]
        ).encode(),
        "label.json": json.dumps(
            [{"label": 12, "writer": "w", "strokes": good}]
        ).encode(),
    }
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    os.mkfifo(folder / "pipe.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "folder.json").mkdir()
    return [*paths, folder / "pipe.json", folder / "zero.json", folder / "folder.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_hostile_imports_add_nothing_and_say_why(tmp_path):
    mine = tmp_path / "my-digits.json"
    _kept(mine)
    before = mine.read_bytes()
    files = _hostile_stroke_files(tmp_path)
    try:
        run = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(IMPORTS), str(mine)]
            + [str(p) for p in files],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("an import hung")
    assert run.returncode == 0, run.stderr
    said = json.loads(run.stdout)
    assert set(said) == {p.name for p in files}
    for name, message in said.items():
        assert message is not None, f"{name} was imported"
        assert "\n" not in message and name in message, message
    assert mine.read_bytes() == before


def test_examples_nested_too_deep_are_no_examples(tmp_path):
    path = tmp_path / "examples.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert load_examples(path) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_examples_that_are_a_pipe_are_no_examples(tmp_path):
    path = tmp_path / "examples.json"
    os.mkfifo(path)
    assert load_examples(path) == []
