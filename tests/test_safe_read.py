"""Every file a person can point the app at is opened only if it is a regular file.

A named pipe under a file's name must be refused at once (reading it would wait
for a writer), a link to /dev/zero must be refused (reading it never ends),
and a folder named like the file must say so. Each reader is run in a thread
with a deadline, so that a reader that waits on a pipe fails instead of
hanging the tests.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from lenet_gui.drawing.examples import load_examples
from lenet_gui.explain.top_digits import DigitSetError, load_digit_set
from lenet_gui.files.idx import IdxFormatError, read_idx
from lenet_gui.files.safe_read import (
    RefusedFile,
    open_regular_file,
    read_regular_file,
    regular_file_status,
)
from lenet_gui.files.safe_write import write_file
from lenet_gui.files.stroke_files import StrokeFileError, load_pen_digits


def _outcome(action, fifo: Path | None = None, seconds: float = 10.0):
    """Run `action` in a thread; return what it returned or the error it raised."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(action())
        except Exception as error:  # handed back to the test
            result.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:  # unblock the stuck open, then fail
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(seconds)
        pytest.fail("reading waited on a named pipe")
    return result[0]


def _special(tmp_path: Path, kind: str, name: str) -> Path:
    path = tmp_path / name
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


KINDS = {
    "pipe": ("not a regular file (a named pipe)", "special"),
    "dev-zero": ("not a regular file (a device)", "special"),
    "folder": ("not a file (a folder)", "folder"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_opener_refuses_what_is_not_a_regular_file(tmp_path, kind):
    path = _special(tmp_path, kind, "thing")
    reason, refusal = KINDS[kind]
    for action in (
        lambda: open_regular_file(path),
        lambda: read_regular_file(path, 1 << 20),
        lambda: regular_file_status(path),
    ):
        error = _outcome(action, path if kind == "pipe" else None)
        assert isinstance(error, RefusedFile)
        assert (error.reason, error.kind) == (reason, refusal)


def test_the_opener_opens_a_regular_file_for_blocking_binary_reads(tmp_path):
    path = tmp_path / "plain.bin"
    path.write_bytes(b"\x00\x01abc")
    link = tmp_path / "link.bin"
    link.symlink_to(path)
    for name in (path, str(link)):
        with open_regular_file(name) as stream:
            assert os.get_blocking(stream.fileno())
            assert stream.read() == b"\x00\x01abc"
    assert regular_file_status(path).st_size == 5


def test_missing_and_too_large_files_are_refused_with_their_reason(tmp_path):
    missing = _outcome(lambda: open_regular_file(tmp_path / "absent"))
    assert isinstance(missing, RefusedFile) and missing.missing
    assert missing.reason == "no such file"
    path = tmp_path / "big"
    path.write_bytes(bytes(3000))
    large = _outcome(lambda: open_regular_file(path, limit=2048))
    assert isinstance(large, RefusedFile) and large.kind == "too large"
    assert large.reason == "too large (3 KB; at most 2 KB)"
    with open_regular_file(path) as stream:  # no limit: any size
        assert len(stream.read()) == 3000


#: Each reader of a file a person names: the error it raises, and its message.
READERS = {
    "stroke file": (load_pen_digits, StrokeFileError, "{path}: {reason}"),
    "digit set": (load_digit_set, DigitSetError, "{name}: {reason}"),
    "IDX file": (read_idx, IdxFormatError, "{path}: {reason}"),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("reader", READERS)
def test_each_reader_refuses_what_is_not_a_regular_file(tmp_path, reader, kind):
    read, error_type, message = READERS[reader]
    path = _special(tmp_path, kind, "digits")
    error = _outcome(lambda: read(path), path if kind == "pipe" else None)
    assert isinstance(error, error_type)
    reason = KINDS[kind][0]
    assert str(error) == message.format(path=path, name=path.name, reason=reason)


@pytest.mark.parametrize("kind", KINDS)
def test_examples_that_are_not_a_regular_file_are_skipped(tmp_path, kind):
    path = _special(tmp_path, kind, "examples.json")
    assert _outcome(lambda: load_examples(path), path if kind == "pipe" else None) == []


def test_a_save_does_not_replace_a_device_or_a_folder(tmp_path):
    device = _special(tmp_path, "dev-zero", "zero.png")
    with pytest.raises(OSError, match="it is not a regular file \\(a device\\)"):
        write_file(device, b"data")
    assert device.is_symlink() and os.readlink(device) == "/dev/zero"
    folder = _special(tmp_path, "folder", "folder.png")
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        write_file(folder, b"data")
    plain = write_file(tmp_path / "new.png", b"data")
    assert plain.read_bytes() == b"data"
