"""Image files swapped while they are read: what was checked is what is decoded.

An image is read once, as bytes, by the bounded regular-file reader; Qt then
decodes those bytes from memory. Here the file is replaced right after that
read (by another image, or by a named pipe that would block any reader) to
show that Qt never opens the name again. The pipe case runs in a child
process with a timeout, the pipe in ``tmp_path``.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest
from child_python import run_python
from image_samples import grey_qimage, save

from lenet_gui.drawing import image_file
from lenet_gui.drawing.image_file import ImageFileError, read_image


def _digit() -> np.ndarray:
    digit = np.zeros((28, 28), np.uint8)
    digit[5:23, 12:16] = 255
    digit[5:9, 8:16] = 255
    return digit


def _swap_after_read(monkeypatch, replace) -> None:
    """Make the image reader's one read be followed by `replace(path)`."""
    read = image_file.read_regular_file

    def read_then_swap(path, limit):
        data = read(path, limit)
        replace(Path(path))
        return data

    monkeypatch.setattr(image_file, "read_regular_file", read_then_swap)


def test_the_bytes_read_are_the_ones_decoded(tmp_path, monkeypatch):
    digit = _digit()
    path = save(grey_qimage(digit), tmp_path / "digit.png")
    expected = read_image(path)
    other = save(grey_qimage(255 - digit), tmp_path / "other.png")
    _swap_after_read(monkeypatch, lambda name: os.replace(other, name))
    np.testing.assert_array_equal(read_image(path), expected)


def test_a_file_gone_after_its_read_is_still_decoded(tmp_path, monkeypatch):
    path = save(grey_qimage(_digit()), tmp_path / "digit.png")
    expected = read_image(path)
    _swap_after_read(monkeypatch, Path.unlink)
    np.testing.assert_array_equal(read_image(path), expected)


def test_a_format_known_only_by_its_suffix_is_still_read(tmp_path):
    """TGA has no signature: Qt needs the name's suffix to tell it."""
    digit = _digit()
    header = struct.pack("<BBB5sHHHHBB", 0, 0, 2, bytes(5), 0, 0, 28, 28, 24, 0x20)
    pixels = np.repeat(digit[:, :, None], 3, axis=2)  # true colour, top row first
    path = tmp_path / "digit.tga"
    footer = bytes(8) + b"TRUEVISION-XFILE.\0"  # TGA 2.0, which Qt requires
    path.write_bytes(header + pixels.tobytes() + footer)
    levels = read_image(path)
    assert levels.shape == (28, 28)
    np.testing.assert_allclose(levels, _digit() / 255, atol=1 / 255)


def test_content_beats_the_suffix(tmp_path):
    """A PNG named .jpg is a PNG, as when Qt opened the file by name."""
    path = save(grey_qimage(_digit()), tmp_path / "digit.png")
    misnamed = tmp_path / "digit.jpg"
    os.rename(path, misnamed)
    np.testing.assert_allclose(read_image(misnamed), _digit() / 255, atol=1 / 255)


def test_not_an_image_with_an_image_suffix_says_so(tmp_path):
    path = tmp_path / "notes.tga"
    path.write_bytes(b"just some words, not a picture\n" * 4)
    with pytest.raises(ImageFileError) as excinfo:
        read_image(path)
    assert "not an image" in excinfo.value.reason
    assert "\n" not in str(excinfo.value)


SWAP_FOR_PIPE_CHILD = """
import os, sys
from pathlib import Path
from lenet_gui.drawing import image_file

path = Path(sys.argv[1])
read = image_file.read_regular_file

def read_then_swap(name, limit):
    data = read(name, limit)
    os.unlink(name)
    os.mkfifo(name)  # opening this for reading would wait for a writer
    return data

image_file.read_regular_file = read_then_swap
levels = image_file.read_image(path)
print("read", levels.shape)
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_swapped_in_after_the_read_does_not_block(tmp_path):
    path = save(grey_qimage(_digit()), tmp_path / "digit.png")
    done = run_python(
        SWAP_FOR_PIPE_CHILD,
        str(path),
        hung="decoding blocked on the pipe swapped in for the image",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "read (28, 28)"
