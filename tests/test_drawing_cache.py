"""Training digits drawn once and read back: the same bytes, or drawn again.

Real drawing (MNIST test digits through the canvas's pen) and real files in
temporary folders; a counting stand-in for the drawing only where the test is
about when it is called.
"""

from __future__ import annotations

import gzip
import io
import os
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lenet_gui.files.idx import load_mnist
from lenet_gui.training.drawing_cache import (
    CACHE_VARIABLE,
    DrawingCache,
    cache_folder,
    cached_drawn_inputs,
    cached_pen_inputs,
)

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"
STROKES = REPO / "tests" / "data" / "strokes" / "pendigits-sample.json"
RECIPE = {"kind": "test", "seed": 3}


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    return load_mnist(MNIST_DIR, "test")[0][:12]


class Drawing:
    """Draws three fixed digits and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.inputs = np.arange(3 * 32 * 32, dtype=np.float32).reshape(3, 32, 32)
        self.numbers = np.array([0, 2, 5], dtype=np.int64)

    def __call__(self) -> tuple[np.ndarray, np.ndarray]:
        self.calls += 1
        return self.inputs.copy(), self.numbers.copy()


def _cache(folder: Path) -> tuple[DrawingCache, list[str]]:
    said: list[str] = []
    return DrawingCache(folder, said.append), said


def test_real_digits_are_drawn_once_and_read_back_byte_for_byte(images, tmp_path):
    cache, said = _cache(tmp_path / "cache")
    drawn, indices, cached = cached_drawn_inputs(images, 5, 1, cache)
    assert not cached
    again, indices_again, cached_again = cached_drawn_inputs(images, 5, 1, cache)
    assert cached_again
    assert again.tobytes() == drawn.tobytes()
    assert np.array_equal(indices_again, indices)
    assert said == []
    # Another seed is another recipe: drawn anew, into its own entry.
    other, _, cached_other = cached_drawn_inputs(images, 6, 1, cache)
    assert not cached_other and other.tobytes() != drawn.tobytes()
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_pen_digits_are_kept_by_their_content(tmp_path):
    from lenet_gui.files.stroke_files import load_pen_digits
    from lenet_gui.training.pen_digits import PLACEMENT_ONLY, pen_inputs

    digits = load_pen_digits(STROKES)[:8]
    cache, _ = _cache(tmp_path)
    inputs, labels, cached = cached_pen_inputs(digits, 2, 2, PLACEMENT_ONLY, 1, cache)
    fresh, fresh_labels, _ = pen_inputs(digits, 2, 2, PLACEMENT_ONLY, 1)
    assert not cached and inputs.tobytes() == fresh.tobytes()
    again, again_labels, cached = cached_pen_inputs(
        digits, 2, 2, PLACEMENT_ONLY, 1, cache
    )
    assert cached and again.tobytes() == fresh.tobytes()
    assert np.array_equal(again_labels, fresh_labels)
    # One point moved in one stroke: another recipe.
    moved = list(digits)
    first = moved[0]
    strokes = (first.strokes[0] + 1.0, *first.strokes[1:])
    moved[0] = type(first)(first.label, first.writer, strokes)
    *_, cached = cached_pen_inputs(moved, 2, 2, PLACEMENT_ONLY, 1, cache)
    assert not cached


def _entry_bytes(
    recipe: bytes, inputs: np.ndarray, numbers: np.ndarray, compressed: bool = False
) -> bytes:
    buffer = io.BytesIO()
    save = np.savez_compressed if compressed else np.savez
    save(
        buffer,
        recipe=np.frombuffer(recipe, dtype=np.uint8),
        inputs=inputs,
        numbers=numbers,
    )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[: len(data) // 2], "ignoring cached digits"),
        (lambda data: b"\x00" * 100, "ignoring cached digits"),
        (lambda data: gzip.compress(data), "ignoring cached digits"),
    ],
    ids=["truncated", "zeros", "not-an-npz"],
)
def test_a_damaged_entry_is_ignored_with_one_line_and_drawn_again(
    tmp_path, damage, reason
):
    cache, said = _cache(tmp_path)
    drawing = Drawing()
    cache.drawn(RECIPE, 3, 10, drawing)
    entry = cache.entry(RECIPE)
    assert entry is not None
    entry.write_bytes(damage(entry.read_bytes()))
    inputs, numbers, cached = cache.drawn(RECIPE, 3, 10, drawing)
    assert not cached and drawing.calls == 2
    assert inputs.tobytes() == drawing.inputs.tobytes()
    assert len(said) == 1 and reason in said[0] and "\n" not in said[0]
    # Drawn again and written whole: the next run reads it.
    *_, cached = cache.drawn(RECIPE, 3, 10, drawing)
    assert cached and drawing.calls == 2


def _foreign(entry: Path) -> dict[str, bytes]:
    """Entries that are whole .npz files but not this recipe's digits."""
    ours = entry.read_bytes()
    with np.load(io.BytesIO(ours)) as npz:
        recipe, inputs, numbers = npz["recipe"], npz["inputs"], npz["numbers"]
    other_recipe = recipe.tobytes().replace(b'"seed":3', b'"seed":4')
    nan = inputs.copy()
    nan[0, 0, 0] = np.nan
    big = np.zeros((200, 32, 32), np.float32)
    return {
        "another recipe": _entry_bytes(other_recipe, inputs, numbers),
        "not finite": _entry_bytes(recipe.tobytes(), nan, numbers),
        "numbered out of range": _entry_bytes(recipe.tobytes(), inputs, numbers + 10),
        "wrong shape": _entry_bytes(recipe.tobytes(), inputs[:, :8], numbers),
        "unpacks too large": _entry_bytes(
            recipe.tobytes(), big, np.zeros(200, np.int64), compressed=True
        ),
    }


def test_an_entry_of_another_recipe_or_with_wrong_arrays_is_not_used(tmp_path):
    cache, said = _cache(tmp_path)
    drawing = Drawing()
    cache.drawn(RECIPE, 3, 10, drawing)
    entry = cache.entry(RECIPE)
    assert entry is not None
    for name, data in _foreign(entry).items():
        entry.write_bytes(data)
        said.clear()
        inputs, numbers, cached = cache.drawn(RECIPE, 3, 10, drawing)
        assert not cached, name
        assert inputs.tobytes() == drawing.inputs.tobytes(), name
        assert len(said) == 1, name


def test_a_pipe_in_place_of_an_entry_is_refused_without_waiting(tmp_path):
    cache, said = _cache(tmp_path)
    entry = cache.entry(RECIPE)
    assert entry is not None
    tmp_path.mkdir(exist_ok=True)
    os.mkfifo(entry)
    result: list[bool] = []
    worker = threading.Thread(
        target=lambda: result.append(cache.drawn(RECIPE, 3, 10, Drawing())[2]),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=20)
    assert result == [False]
    assert "not a regular file" in said[0]


def test_a_link_in_place_of_an_entry_is_replaced_not_written_through(tmp_path):
    cache, said = _cache(tmp_path / "cache")
    entry = cache.entry(RECIPE)
    assert entry is not None
    entry.parent.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("mine")
    entry.symlink_to(precious)
    cache.drawn(RECIPE, 3, 10, Drawing())
    assert precious.read_text() == "mine"
    assert not entry.is_symlink()


def test_an_unwritable_cache_still_gives_the_digits_with_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cache, said = _cache(blocker / "cache")
    inputs, _, cached = cache.drawn(RECIPE, 3, 10, Drawing())
    assert not cached and len(inputs) == 3
    assert len(said) == 1 and said[0].startswith("cannot keep the drawn digits")


def test_no_cache_neither_reads_nor_writes(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    drawing = Drawing()
    cache = DrawingCache.for_command(False)
    cache.drawn(RECIPE, 3, 10, drawing)
    cache.drawn(RECIPE, 3, 10, drawing)
    assert drawing.calls == 2
    assert not (tmp_path / "cache").exists()


def test_the_cache_folder_follows_the_xdg_rules(tmp_path):
    home = str(tmp_path)
    assert cache_folder({"HOME": home}) == tmp_path / ".cache/lenet-gui/training-digits"
    assert cache_folder({"HOME": home, "XDG_CACHE_HOME": "/x"}) == Path(
        "/x/lenet-gui/training-digits"
    )
    # A relative XDG_CACHE_HOME is ignored, as the XDG rules say.
    assert cache_folder({"HOME": home, "XDG_CACHE_HOME": "rel"}) == Path(
        home, ".cache/lenet-gui/training-digits"
    )
    assert cache_folder({}) is None
    assert cache_folder({CACHE_VARIABLE: "/c"}) == Path("/c")
    assert DrawingCache(None).entry(RECIPE) is None


def test_an_entry_is_an_ordinary_npz_with_its_recipe(tmp_path):
    cache, _ = _cache(tmp_path)
    cache.drawn(RECIPE, 3, 10, Drawing())
    entry = cache.entry(RECIPE)
    assert entry is not None
    with zipfile.ZipFile(entry) as archive:
        assert sorted(archive.namelist()) == [
            "inputs.npy",
            "numbers.npy",
            "recipe.npy",
        ]


@pytest.fixture(scope="module")
def small_mnist(tmp_path_factory) -> Path:
    from lenet_gui.files.idx import write_idx

    images, labels = load_mnist(MNIST_DIR, "test")
    data = tmp_path_factory.mktemp("mnist")
    for prefix, part in (("train", slice(0, 64)), ("t10k", slice(64, 96))):
        write_idx(data / f"{prefix}-images-idx3-ubyte.gz", images[part])
        write_idx(data / f"{prefix}-labels-idx1-ubyte.gz", labels[part])
    return data


def test_training_from_cached_digits_gives_the_same_weights(
    small_mnist, tmp_path, monkeypatch, capsys
):
    from lenet_gui.training.train_cli import main

    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    common = [
        "--data", str(small_mnist), "--epochs", "1", "--batch-size", "32",
        "--drawn", "0.5", "--strokes", str(STROKES), "--stroke-copies", "1",
        "--strokes-per-pass", "0.25", "--pen-augment", "placement",
        "--workers", "1", "--seed", "9", "--no-checkpoints",
    ]  # fmt: skip
    outputs = []
    for name, extra in (("cold", []), ("warm", []), ("none", ["--no-cache"])):
        output = tmp_path / name / "w.pt"
        assert main([*common, *extra, "--output", str(output)]) == 0
        outputs.append(output.read_bytes())
        printed = capsys.readouterr().out
        assert ("read them from the cache" in printed) == (name == "warm"), name
    assert outputs[0] == outputs[1] == outputs[2]
    # Two entries: the MNIST digits drawn and the pen digits.
    assert len(list((tmp_path / "cache").iterdir())) == 2
