"""Stroke files and MNIST files that try to crash, hang or exhaust the training.

Each case runs the real training command in a child process with a time
limit: a file nested 100,000 levels deep, a coordinate of 10**400, a named
pipe, ``/dev/zero``, NaN, a file past the size cap. Every one must end in
one line on standard error with status 1, no traceback, well inside the
limit. Pipes and links to devices are made only inside ``tmp_path``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lenet_gui.files.bounded_json import UnusableJson, nesting_depth, parse_json
from lenet_gui.files.idx import load_mnist, write_idx
from lenet_gui.files.stroke_files import (
    MAX_STROKE_FILE_BYTES,
    StrokeFileError,
    load_pen_digits,
)

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"
SAMPLE = REPO / "tests" / "data" / "strokes" / "pendigits-sample.json"
TIME_LIMIT = 120  # seconds; the command imports torch, slow on a busy machine


@pytest.fixture(scope="module")
def small_mnist(tmp_path_factory) -> Path:
    """A tiny MNIST folder: 64 training and 32 test digits."""
    images, labels = load_mnist(MNIST_DIR, "test")
    data = tmp_path_factory.mktemp("mnist")
    for prefix, part in (("train", slice(0, 64)), ("t10k", slice(64, 96))):
        write_idx(data / f"{prefix}-images-idx3-ubyte.gz", images[part])
        write_idx(data / f"{prefix}-labels-idx1-ubyte.gz", labels[part])
    return data


def train(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the training command in a child process with a time limit."""
    return subprocess.run(
        [sys.executable, "-m", "lenet_gui.train", *argv],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    return lines[0]


def hostile_stroke_file(kind: str, folder: Path) -> Path:
    """Make one hostile stroke file inside `folder`; return its path."""
    path = folder / f"{kind}.json"
    if kind == "nested-100000-deep":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif kind == "coordinate-10-to-the-400":
        point = f"[1{'0' * 400}, 0]"
        path.write_text(f'[{{"label": 1, "writer": "w", "strokes": [[{point}]]}}]')
    elif kind == "nan":
        path.write_text('[{"label": 1, "writer": "w", "strokes": [[[NaN, 0]]]}]')
    elif kind == "float-1e400":
        path.write_text('[{"label": 1, "writer": "w", "strokes": [[[1e400, 0]]]}]')
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "huge":
        with open(path, "wb") as stream:  # sparse: no disk used
            stream.truncate(MAX_STROKE_FILE_BYTES + 1)
    else:
        raise AssertionError(kind)
    return path


CASES = {
    "nested-100000-deep": "nested deeper than",
    "coordinate-10-to-the-400": "a number 401 characters long",
    "nan": "must be finite",
    "float-1e400": "too large",
    "fifo": "not a regular file (a named pipe)",
    "dev-zero": "not a regular file (a device)",
    "huge": "too large",
}


@pytest.mark.parametrize("kind", CASES)
def test_a_hostile_stroke_file_stops_training_in_one_line(kind, small_mnist, tmp_path):
    strokes = hostile_stroke_file(kind, tmp_path)
    output = tmp_path / "out" / "w.pt"
    result = train(
        "--data", str(small_mnist), "--strokes", str(strokes),
        "--output", str(output), "--epochs", "1", "--drawn", "0", "--workers", "1",
        cwd=tmp_path,
    )  # fmt: skip
    line = one_line_error(result)
    assert line.startswith(f"error: {strokes}:"), line
    assert CASES[kind] in line, line
    assert len(line) < 300, line
    assert not output.parent.exists() or not any(output.parent.iterdir())


def test_the_stroke_reader_stays_within_memory_on_the_largest_file(tmp_path):
    """A stroke file at the size cap is parsed in bounded memory, in a child."""
    path = tmp_path / "large.json"
    point = "[1,2],"
    with open(path, "w") as stream:
        stream.write('[{"label": 1, "writer": "w", "strokes": [[')
        stream.write(point * ((MAX_STROKE_FILE_BYTES - 200) // len(point)))
        stream.write("[0,0]]]}]")
    assert path.stat().st_size <= MAX_STROKE_FILE_BYTES
    limit = 1500 * 2**20  # address space, numpy included
    script = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"
        "from lenet_gui.files.stroke_files import load_pen_digits\n"
        "digits = load_pen_digits(sys.argv[1])\n"
        "print(len(digits[0].strokes[0]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout) == (MAX_STROKE_FILE_BYTES - 200) // len(point) + 1


def test_a_deep_but_honest_string_is_not_counted_as_nesting():
    assert nesting_depth('{"writer": "[[[[[[[[[[[[[[[[[[[[", "a": [[1]]}') == 3
    assert nesting_depth('["\\"[[[[", [[]]]') == 3
    assert parse_json(b'{"a": "]]]]"}') == {"a": "]]]]"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"[" * 65 + b"]" * 65, "nested deeper than 64 levels"),
        (b"[1" + b"0" * 5000 + b"]", "a number 5001 characters long"),
        (b"[NaN]", "NaN is not a number JSON allows"),
        (b"[-Infinity]", "-Infinity is not a number JSON allows"),
        (b"[1e999]", "the number 1e999 is too large"),
        (b"\xff[]", "cannot be read (not UTF-8 text"),
        (b'"' + b'\\"' * 200_000, "not valid JSON"),  # an unclosed string
    ],
)
def test_bounded_json_refuses_in_one_line(text, reason):
    with pytest.raises(UnusableJson) as caught:
        parse_json(text)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_stroke_files_read_as_before(tmp_path):
    digits = load_pen_digits(SAMPLE)
    assert len(digits) == 56
    with pytest.raises(StrokeFileError, match="digit 0, stroke 0: coordinates"):
        load_pen_digits(hostile_stroke_file("nan", tmp_path))


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge-header"])
def test_a_hostile_mnist_file_stops_training_in_one_line(kind, small_mnist, tmp_path):
    data = tmp_path / "mnist"
    data.mkdir()
    for name in os.listdir(small_mnist):
        (data / name).symlink_to(small_mnist / name)
    target = data / "train-images-idx3-ubyte.gz"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    else:  # raw IDX announcing 10**9 digits of 28 x 28 (784 GB)
        header = bytes([0, 0, 8, 3]) + (10**9).to_bytes(4, "big")
        header += (28).to_bytes(4, "big") + (28).to_bytes(4, "big")
        target.write_bytes(header + b"\0" * 1000)
    result = train(
        "--data", str(data), "--output", str(tmp_path / "w.pt"), "--epochs", "1",
        "--drawn", "0", cwd=tmp_path,
    )  # fmt: skip
    line = one_line_error(result)
    assert line.startswith("error: ") and "train-images" in line, line
    expected = {
        "fifo": "not a regular file (a named pipe)",
        "dev-zero": "not a regular file (a device)",
        "huge-header": "too large",
    }
    assert expected[kind] in line, line
