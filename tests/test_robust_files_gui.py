"""Bad and odd image files never crash the app nor cost the person's drawing.

Every file goes through the real main window twice, once by File > Open
(``open_image``) and once by a real drag and drop, and the whole set through
``run_predict`` in one call. A file the app cannot use must give one clear
line (dialog and status bar; an ``error`` in the JSON) and leave the canvas,
the undo and redo history and the prediction exactly as they were. A usable
but unusual file is either placed and classified, or refused with "no digit
found"; either way, undo brings back the drawing from before.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import psutil
import pytest
from image_samples import (
    GREYS,
    gif_bytes,
    grey_qimage,
    palette_qimage,
    png_claiming,
    rgba_qimage,
    save,
)
from PySide6.QtGui import QImage, QImageWriter
from robust_helpers import (
    MNIST_DIR,
    REPO,
    MessageLog,
    Session,
    assert_result_matches_canvas,
    assert_valid_prediction,
    drop_file,
)

from lenet_gui.drawing.image_file import MAX_FILE_BYTES
from lenet_gui.files.idx import load_mnist
from lenet_gui.gui import MainWindow
from lenet_gui.gui.predict_cli import NO_DIGIT, run_predict

SEVEN = 7  # label of the first MNIST test image, the digit in the good files
NON_ASCII = "chiffre sept ✓ 数字 é.png"

# --- the files ------------------------------------------------------------------


def _digit(mnist, index: int = 0, factor: int = 4) -> np.ndarray:
    """An MNIST test digit enlarged: uint8, light ink on dark."""
    return np.kron(mnist[0][index], np.ones((factor, factor), dtype=np.uint8))


def _jpeg(folder: Path, name: str, pixels: np.ndarray) -> bytes:
    writer = QImageWriter(str(folder / name))
    assert writer.write(grey_qimage(pixels))
    return (folder / name).read_bytes()


def _bad_files(folder: Path, mnist) -> dict[str, tuple[Path, list[str]]]:
    """Files the app must refuse: name -> (path, words the reason must hold)."""
    digit = _digit(mnist)
    files: dict[str, tuple[Path, list[str]]] = {}

    def add(name: str, path: Path, *words: str) -> None:
        files[name] = (path, list(words))

    (folder / "empty.png").touch()
    add("empty", folder / "empty.png", "empty")

    png = save(grey_qimage(digit), folder / "whole.png").read_bytes()
    (folder / "cut.png").write_bytes(png[: len(png) // 2])
    add("truncated-png", folder / "cut.png", "PNG", "truncated")

    jpeg = _jpeg(folder, "whole.jpg", 255 - digit)
    (folder / "cut.jpg").write_bytes(jpeg[: len(jpeg) * 7 // 10])
    add("truncated-jpeg", folder / "cut.jpg", "JPEG", "truncated")

    (folder / "notes.png").write_text("A text file, not a picture.\n" * 20)
    add("text-as-png", folder / "notes.png", "not an image", ".png name")

    (folder / "random.jpg").write_bytes(np.random.default_rng(4).bytes(5000))
    add("binary-as-jpg", folder / "random.jpg", "not an image", ".jpg name")

    (folder / "folder.png").mkdir()
    add("directory", folder / "folder.png", "directory")

    add("missing", folder / "nowhere.png", "no such file")

    (folder / "bomb.png").write_bytes(png_claiming(100_000, 100_000))
    add("decompression-bomb", folder / "bomb.png", "100000 x 100000", "megapixels")

    # Beyond the list.
    gif = gif_bytes([digit], GREYS)
    (folder / "cut.gif").write_bytes(gif[: len(gif) // 2])
    add("truncated-gif", folder / "cut.gif", "GIF", "truncated")

    (folder / "vide é ✓.png").touch()
    add("non-ascii-empty", folder / "vide é ✓.png", "empty")

    (folder / "two\nlines.png").touch()
    add("newline-in-name", folder / "two\nlines.png", "empty")

    os.symlink("loop.png", folder / "loop.png")
    add("symlink-loop", folder / "loop.png", "cannot be read")

    with (folder / "huge.png").open("wb") as stream:
        stream.write(png_claiming(10, 10))
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk space needed
    add("over-size-limit", folder / "huge.png", "256 MiB")

    if hasattr(os, "mkfifo"):
        # Opening a named pipe for reading would block until a writer came.
        os.mkfifo(folder / "pipe.png")
        add("named-pipe", folder / "pipe.png", "not a regular file")
    return files


def _large_photo(folder: Path, mnist) -> Path:
    """A 24-megapixel RGB JPEG: a big dark 7 on white paper."""
    paper = np.full((4000, 6000), 255, dtype=np.uint8)
    seven = 255 - _digit(mnist, factor=120)  # 3360 x 3360
    paper[320:3680, 1320:4680] = seven
    image = grey_qimage(paper).convertToFormat(QImage.Format.Format_RGB32)
    return save(image, folder / "photo.jpg", quality=85)


def _odd_files(folder: Path, mnist) -> dict[str, tuple[Path, str]]:
    """Unusual but legitimate files: name -> (path, what the app must make of it).

    ``"7"``: placed and read as a 7. ``"none"``: "no digit found". ``"either"``:
    placed (and classified, or no digit in it) or "no digit found".
    """
    digit = _digit(mnist)
    files: dict[str, tuple[Path, str]] = {}

    deep = digit.astype(np.uint16) * 257
    files["16-bit-grey"] = (save(grey_qimage(deep), folder / "deep.png"), "7")

    colours = [(255, 255, 255), (200, 30, 30), (20, 20, 120), (0, 0, 0)]
    palette = palette_qimage((digit // 64).astype(np.uint8), colours)
    files["palette"] = (save(palette, folder / "palette.png"), "7")

    black = np.zeros((*digit.shape, 3), np.uint8)
    transparent = rgba_qimage(np.dstack([black, digit]))
    files["rgba-transparent"] = (save(transparent, folder / "rgba.png"), "7")

    if hasattr(QImage.Format, "Format_CMYK8888"):
        cmyk = grey_qimage(255 - digit).convertToFormat(QImage.Format.Format_CMYK8888)
        files["cmyk-jpeg"] = (save(cmyk, folder / "cmyk.jpg", quality=95), "7")

    # A 7, then a (dark on light) 2: only the first frame may be read.
    (folder / "animated.gif").write_bytes(
        gif_bytes([digit, 255 - _digit(mnist, 1)], GREYS)
    )
    files["animated-gif"] = (folder / "animated.gif", "7")

    files["non-ascii-name"] = (save(grey_qimage(digit), folder / NON_ASCII), "7")
    files["large-photo"] = (_large_photo(folder, mnist), "7")
    one = np.array([[200]], np.uint8)
    files["1x1"] = (save(grey_qimage(one), folder / "one.png"), "either")
    blank = np.full((64, 64), 255, np.uint8)
    files["blank"] = (save(grey_qimage(blank), folder / "blank.png"), "none")
    ink = np.zeros((64, 64), np.uint8)
    files["all-ink"] = (save(grey_qimage(ink), folder / "ink.png"), "none")
    noise = np.random.default_rng(3).integers(0, 256, (64, 64), dtype=np.uint8)
    files["noise"] = (save(grey_qimage(noise), folder / "noise.png"), "either")
    return files


@pytest.fixture(scope="module")
def mnist():
    return load_mnist(MNIST_DIR, "test")


@pytest.fixture(scope="module")
def samples(tmp_path_factory, mnist):
    folder = tmp_path_factory.mktemp("samples")
    return _bad_files(folder, mnist), _odd_files(folder, mnist)


def _open(window: MainWindow, path: Path, how: str) -> bool | None:
    """Open a file by File > Open or by drag and drop; what open_image said."""
    if how == "open":
        return window.files.open_image(path)
    drop_file(window, path)
    return None


def _one_line_warning(window: MainWindow, messages: MessageLog) -> str:
    """The single warning shown; it is one line, and the status bar shows it too."""
    assert messages.others == []
    assert len(messages.warnings) == 1, messages.warnings
    title, text = messages.warnings[0]
    assert title == "Cannot open image"
    assert "\n" not in text and text.strip() == text and text
    assert window.statusBar().currentMessage() == text
    return text


BAD = [
    "empty",
    "truncated-png",
    "truncated-jpeg",
    "text-as-png",
    "binary-as-jpg",
    "directory",
    "missing",
    "decompression-bomb",
    "truncated-gif",
    "non-ascii-empty",
    "newline-in-name",
    "symlink-loop",
    "over-size-limit",
    "named-pipe",
]
ODD = [
    "16-bit-grey",
    "palette",
    "rgba-transparent",
    "cmyk-jpeg",
    "animated-gif",
    "non-ascii-name",
    "large-photo",
    "1x1",
    "blank",
    "all-ink",
    "noise",
]
HOW = ["open", "drop"]


# --- files the app must refuse ------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("case", BAD)
def test_bad_file_is_refused_and_everything_kept(window, messages, samples, case, how):
    bad, _ = samples
    if case not in bad:
        pytest.skip(f"{case} cannot be made on this platform")
    path, words = bad[case]
    session = Session.start(window)
    assert session.digit is not None  # a real prediction to keep
    process = psutil.Process()
    rss = process.memory_info().rss
    start = time.perf_counter()

    opened = _open(window, path, how)

    elapsed = time.perf_counter() - start
    assert opened is (False if how == "open" else None)
    text = _one_line_warning(window, messages)
    # The file named as the person sees it (control characters escaped).
    assert path.name.replace("\n", "\\n") in text
    for word in words:
        assert word in text, text
    session.assert_untouched(window)
    session.assert_history_intact(window)
    if case == "decompression-bomb":
        # Refused from the header: 10 gigapixels were never decoded.
        assert elapsed < 2.0, f"refusing took {elapsed:.1f} s"
        growth = (process.memory_info().rss - rss) / 2**20
        assert growth < 64, f"memory grew by {growth:.0f} MiB"


def test_refusals_do_not_pile_up_or_drift(window, messages, samples):
    """Every bad file, one after another, by both routes: still the same drawing."""
    bad, _ = samples
    session = Session.start(window)
    for path, _ in bad.values():
        window.files.open_image(path)
        drop_file(window, path)
        session.assert_untouched(window)
    assert len(messages.warnings) == 2 * len(bad)
    assert all("\n" not in text for _, text in messages.warnings)
    session.assert_history_intact(window)


@pytest.mark.skipif(
    sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8",
    reason="needs a POSIX file system with UTF-8 names",
)
def test_file_name_that_is_not_utf8(window, messages, tmp_path, mnist):
    """A name Qt cannot hold opens all the same: Qt decodes the bytes read."""
    png = save(grey_qimage(_digit(mnist)), tmp_path / "d.png").read_bytes()
    raw = os.fsencode(tmp_path) + b"/latin1-\xe9t\xe9.png"
    with open(raw, "wb") as stream:
        stream.write(png)
    assert window.files.open_image(os.fsdecode(raw)) is True
    assert messages.warnings == []
    assert window.canvas.to_array().any()
    assert window.statusBar().currentMessage().startswith("Opened latin1-")


UNREADABLE_CHILD = """
import io, json, os, sys
import numpy as np
from PySide6.QtWidgets import QApplication, QMessageBox
from robust_helpers import STEM, TOP, Session, drop_file, draw
from lenet_gui.gui import MainWindow
from lenet_gui.drawing.image_file import read_image
from lenet_gui.network.classifier import Classifier
from lenet_gui.gui.predict_cli import run_predict

app = QApplication([])
shown = []
QMessageBox.warning = lambda parent, title, text, *a: shown.append(text)
window = MainWindow(Classifier.load())
window.resize(window.sizeHint())
window.show()
app.processEvents()
read_image(sys.argv[2])  # the image plugins load while still root
session = Session.start(window)
if os.geteuid() == 0:
    # Root reads anything: become nobody, after the imports.
    os.setgid(65534)
    os.setuid(65534)
report = {"opened": window.files.open_image(sys.argv[1])}
session.assert_untouched(window)
drop_file(window, sys.argv[1])
session.assert_untouched(window)
report["status"] = window.statusBar().currentMessage()
session.assert_history_intact(window)
out = io.StringIO()
report["exit"] = run_predict([sys.argv[1]], out=out)
report["json"] = out.getvalue()
report["shown"] = shown
print(json.dumps(report))
"""


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions only")
def test_unreadable_file_is_refused_and_everything_kept(mnist):
    """No read permission: Open, drop and --predict all say so, nothing changes.

    Run in a child process, which drops root to nobody (root reads anything).
    """
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)  # only the file's own bits deny
        good = save(grey_qimage(_digit(mnist)), folder / "good.png")
        secret = save(grey_qimage(_digit(mnist)), folder / "secret.png")
        secret.chmod(0)
        result = subprocess.run(
            [sys.executable, "-c", UNREADABLE_CHILD, str(secret), str(good)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=180,
            env={
                **os.environ,
                "QT_QPA_PLATFORM": "offscreen",
                "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), str(REPO)]),
                "XDG_CONFIG_HOME": str(folder / "config"),
            },
        )
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout.splitlines()[-1])
    finally:
        (folder / "secret.png").chmod(stat.S_IWUSR | stat.S_IRUSR)
        shutil.rmtree(folder)
    reason = "permission denied (the file cannot be read)"
    assert report["opened"] is False
    assert report["shown"] == [f"{secret}: {reason}"] * 2
    assert report["status"] == f"{secret}: {reason}"
    assert report["exit"] == 1
    assert json.loads(report["json"]) == {"file": str(secret), "error": reason}


# --- unusual files the app can use ---------------------------------------------------


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("case", ODD)
def test_odd_file_is_placed_or_has_no_digit_and_undo_restores(
    window, messages, samples, case, how
):
    _, odd = samples
    if case not in odd:
        pytest.skip(f"{case} cannot be made with this Qt")
    path, expected = odd[case]
    session = Session.start(window)
    start = time.perf_counter()

    opened = _open(window, path, how)

    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"opening {path.name} froze the window for {elapsed:.1f} s"
    assert messages.others == []
    canvas = window.canvas
    placed = not np.array_equal(canvas.to_array(), session.one_stroke)
    assert opened is (placed if how == "open" else None)
    if expected == "7":
        assert placed, messages.warnings
    elif expected == "none":
        assert not placed
    if not placed:
        text = _one_line_warning(window, messages)
        assert text == f"{path.name}: no digit found (blank image)"
        session.assert_untouched(window)
        session.assert_history_intact(window)
        return

    assert messages.warnings == []
    assert window.statusBar().currentMessage() == f"Opened {path.name}"
    assert canvas.can_undo() and not canvas.can_redo()
    assert_result_matches_canvas(window)
    result = window.session.last_result
    if expected == "7":
        assert result is not None and result.digit == SEVEN
    if result is not None:
        assert_valid_prediction(result)
    loaded = canvas.to_array()
    # The load is one undoable step: undo brings back the drawing before it.
    canvas.undo()
    assert np.array_equal(canvas.to_array(), session.one_stroke)
    assert_result_matches_canvas(window)
    assert window.session.last_result.digit == session.digit
    canvas.redo()
    assert np.array_equal(canvas.to_array(), loaded)
    canvas.undo()
    canvas.undo()
    assert np.array_equal(canvas.to_array(), session.empty)
    assert not canvas.can_undo()


# --- the headless command over the whole set -----------------------------------------


def test_run_predict_over_every_file_at_once(samples, capsys):
    bad, odd = samples
    checks: dict[str, Callable[[dict], None]] = {}

    def refused(words):
        def check(result):
            assert set(result) == {"file", "error"}, result
            assert "\n" not in result["error"]
            for word in words:
                assert word in result["error"], result

        return check

    def classified(expected):
        def check(result):
            if "error" in result:
                assert expected in ("none", "either"), result
                assert result == {
                    "file": result["file"],
                    "text": "",
                    "digits": [],
                    "digit": None,
                    "probabilities": None,
                    "not_digit": None,
                    "error": NO_DIGIT,
                }
                return
            assert expected in ("7", "either"), result
            assert set(result) == {
                "file",
                "text",
                "digits",
                "digit",
                "probabilities",
                "not_digit",
            }
            if result["digit"] is None:
                # Not one digit: "not a digit", or noise read as several.
                assert expected == "either", result
                return
            p = np.array(result["probabilities"])
            assert p.shape == (10,) and np.isfinite(p).all()
            assert abs(p.sum() - 1.0) < 1e-5 and result["digit"] == int(p.argmax())
            if expected == "7":
                assert result["digit"] == SEVEN

        return check

    for path, words in bad.values():
        checks[str(path)] = refused(words)
    for path, expected in odd.values():
        checks[str(path)] = classified(expected)
    # Interleaved, so a refusal cannot disturb the next file's result.
    paths = [p for pair in zip(checks, reversed(checks), strict=True) for p in pair]
    paths = list(dict.fromkeys(paths))
    assert len(paths) == len(checks)

    out, err = io.StringIO(), io.StringIO()
    status = run_predict(paths, out=out, err=err)

    assert status == 1
    assert err.getvalue() == ""
    lines = out.getvalue().splitlines()
    assert len(lines) == len(paths)
    for line, path in zip(lines, paths, strict=True):
        result = json.loads(line)
        assert result["file"] == path
        checks[path](result)
    assert capsys.readouterr().out == ""
