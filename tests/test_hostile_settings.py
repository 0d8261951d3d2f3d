"""The settings file under hostile use; the window size it remembers.

Settings always point into ``tmp_path`` here (``XDG_CONFIG_HOME``), and each
test checks that before building anything there. Traps that hang Qt (a FIFO,
a terminal) are opened only by a child process with a timeout.

No trap points at a system device such as ``/dev/null``: writing through a
symlink, Qt saves to a new file beside the target and renames it over the
target, so a regression would replace the device itself (run as root, an
unfixed build once did). The terminal trap is a pseudo-terminal the test
opens; ``/dev/pts`` accepts no new files, so there a regression can only
write to the test's own terminal, where the test looks for it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QApplication, QLabel

from lenet_gui.gui import MainWindow
from lenet_gui.gui.screen import SCREEN_MARGIN, fit_rect
from lenet_gui.gui.settings import (
    MAX_SETTINGS_BYTES,
    WindowSettings,
    settings_path,
)
from lenet_gui.gui.widgets import DrawingCanvas

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120
NOTE = "Settings not saved"


@pytest.fixture
def settings_file(tmp_path, monkeypatch) -> Path:
    """The settings file, moved into tmp_path (its folder made, not the file)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = settings_path()
    assert tmp_path in path.parents, "settings must never point outside tmp_path"
    path.parent.mkdir(parents=True)
    return path


def open_window(qtbot, classifier) -> MainWindow:
    window = MainWindow(classifier)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def settings_note(window: MainWindow) -> list[str]:
    """The tooltips of the status bar's "settings not saved" notes."""
    labels = window.statusBar().findChildren(QLabel)
    return [label.toolTip() for label in labels if label.text() == NOTE]


def assert_fits_screen(window: MainWindow) -> None:
    available = window.screen().availableGeometry()
    assert available.contains(window.frameGeometry()), (
        window.frameGeometry(),
        available,
    )


def assert_defaults(window: MainWindow) -> None:
    """The window came up on its defaults, whole and usable."""
    width = window.canvas.pen_width()
    assert DrawingCanvas.MIN_PEN_WIDTH <= width <= DrawingCanvas.MAX_PEN_WIDTH
    assert window.feature_maps.shown_layer() is None
    assert window.action_set.themes["system"].isChecked()
    assert WindowSettings().last_folder() == str(Path.home())
    assert_fits_screen(window)


WHERE = """
    from PySide6.QtCore import QSettings
    from lenet_gui.gui.settings import SETTINGS_SCOPE, settings_path
    print(QSettings(*SETTINGS_SCOPE).fileName())
    print(settings_path())
"""


@pytest.mark.parametrize("xdg", [True, False], ids=["XDG_CONFIG_HOME", "HOME"])
def test_settings_file_is_the_one_qsettings_uses(tmp_path, xdg):
    """The file Qt's own QSettings would use, in a fresh process (Qt reads the
    environment once per process)."""
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)}
    env.pop("XDG_CONFIG_HOME", None)
    if xdg:
        env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(WHERE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert run.returncode == 0, run.stderr
    qt, ours = run.stdout.splitlines()
    assert qt == ours
    assert ours.startswith(str(tmp_path))
    assert ours.endswith("/lenet-gui/LeNet-5 Explorer.conf")


# --- item 7: values of any type ------------------------------------------------------

KEYS = {
    "window": ["geometry", "splitter"],
    "canvas": ["pen_width"],
    "view": ["layer", "theme"],
    "files": ["last_dir"],
}

HOSTILE = {
    "the issue's list": b"C3, S4",
    "list": b"a, b, c",
    "huge number": b"1e999999",
    "huge integer": b"9" * 400,
    "hugely negative": b"-1e308",
    "not a number": b"nan",
    "garbage bytes": bytes([0, 1, 2, 7, 27, 127, 128, 200, 254, 255]) + b"\xc3(",
    "byte array": b"@ByteArray(\\xff\\0garbage)",
    "variant": b"@Variant(\\0\\0\\0\\x7f\\xff\\xff\\xff\\xff)",
    "rectangle": b"@Rect(0 0 -5 99999999999)",
    "size": b"@Size(2147483647 2147483647)",
    "point": b"@Point(-2147483648 2147483647)",
    "long": b"x" * 100_000,
    "empty": b"",
}


def write_every_key(path: Path, value: bytes) -> None:
    lines = []
    for group, keys in KEYS.items():
        lines.append(f"[{group}]".encode())
        lines += [key.encode() + b"=" + value for key in keys]
    path.write_bytes(b"\n".join(lines) + b"\n")


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_key_set_to_garbage_still_starts(
    qtbot, messages, classifier, settings_file, value
):
    write_every_key(settings_file, value)
    with qtbot.captureExceptions() as exceptions:
        window = open_window(qtbot, classifier)
        assert_defaults(window)
        assert settings_note(window) == []  # a readable file: it is used
        window.close()
    assert exceptions == [], [str(e[1]) for e in exceptions]
    assert messages.warnings == []


STARTS = """
    import json
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier
    from lenet_gui.gui.settings import WindowSettings

    app = QApplication([])
    window = MainWindow(Classifier.load())
    window.show()
    app.processEvents()
    report = {
        "pen": window.canvas.pen_width(),
        "layer": window.feature_maps.shown_layer(),
        "system theme": window.action_set.themes["system"].isChecked(),
        "folder is home": WindowSettings().last_folder() == str(Path.home()),
    }
    window.close()
    print(json.dumps(report))
"""


@pytest.mark.parametrize(
    "value", [b"C3, S4", HOSTILE["garbage bytes"]], ids=["the issue's", "garbage"]
)
def test_hostile_values_in_a_fresh_process(settings_file, tmp_path, value):
    """As the issue found it: a new process, settings read from the start."""
    write_every_key(settings_file, value)
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(STARTS)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout.splitlines()[-1])
    assert report == {
        "pen": DrawingCanvas.DEFAULT_PEN_WIDTH,
        "layer": None,
        "system theme": True,
        "folder is home": True,
    }


TYPED = {
    "dict": {"C3": [1, 2]},
    "list of lists": [["S4"], [1.5]],
    "rectangle": QRect(-(2**30), -(2**30), 2**30, 2**30),
    "zero bytes": QByteArray(b"\0" * 64),
    "large integer": 2**62,
    "infinity": float("inf"),
    "boolean": True,
}


@pytest.mark.parametrize("value", TYPED.values(), ids=TYPED.keys())
def test_every_key_written_as_another_type_still_starts(
    qtbot, messages, classifier, settings_file, value
):
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    for group, keys in KEYS.items():
        for key in keys:
            settings.setValue(f"{group}/{key}", value)
    settings.sync()
    del settings
    with qtbot.captureExceptions() as exceptions:
        window = open_window(qtbot, classifier)
        assert_defaults(window)
        window.close()
    assert exceptions == [], [str(e[1]) for e in exceptions]


def test_good_values_are_still_remembered(qtbot, messages, classifier, settings_file):
    settings_file.write_text(
        f"[canvas]\npen_width=40\n[view]\nlayer=S4\ntheme=dark\n"
        f"[files]\nlast_dir={settings_file.parent}\n"
    )
    window = open_window(qtbot, classifier)
    assert window.canvas.pen_width() == 40
    assert window.feature_maps.shown_layer() == "S4"
    assert window.action_set.themes["dark"].isChecked()
    assert WindowSettings().last_folder() == str(settings_file.parent)
    window.set_theme("system")


def test_settings_symlinked_to_a_regular_file_are_used(
    qtbot, messages, classifier, settings_file, tmp_path
):
    """A dotfiles manager's symlink is fine: only non-regular targets are not."""
    target = tmp_path / "dotfiles" / "lenet.conf"
    target.parent.mkdir()
    target.write_text("[canvas]\npen_width=33\n")
    settings_file.symlink_to(target)
    window = open_window(qtbot, classifier)
    assert window.canvas.pen_width() == 33
    assert settings_note(window) == []
    window.canvas.set_pen_width(35)
    window.close()
    assert "pen_width=35" in target.read_text()


# --- item 13: a settings file that is not a file -------------------------------------

OPEN_AND_CLOSE = """
    import json
    from PySide6.QtWidgets import QApplication, QLabel
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    app = QApplication([])
    window = MainWindow(Classifier.load())
    window.show()
    app.processEvents()
    labels = window.statusBar().findChildren(QLabel)
    notes = [x.toolTip() for x in labels if x.text() == "Settings not saved"]
    window.canvas.set_pen_width(40)
    window.set_theme("dark")
    window.close()  # saves, when settings are used
    print(json.dumps({"notes": notes, "pen": window.canvas.pen_width()}))
"""


def make_trap(kind: str, path: Path, tmp_path: Path) -> tuple[Path, object]:
    """Build a trap at (or beside) the settings file; return it and its state."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink to a fifo":
        os.mkfifo(tmp_path / "pipe")
        path.symlink_to(tmp_path / "pipe")
    elif kind == "symlink to a terminal":
        master, slave = os.openpty()
        os.set_blocking(master, False)
        path.symlink_to(os.ttyname(slave))
        return path, (master, slave)
    elif kind == "symlink to a folder":
        (tmp_path / "folder").mkdir()
        path.symlink_to(tmp_path / "folder")
    elif kind == "symlink to nothing":
        path.symlink_to(tmp_path / "nowhere" / "settings.conf")
    elif kind == "lock file is a fifo":
        path.write_text("[canvas]\npen_width=20\n")
        os.mkfifo(path.with_name(path.name + ".lock"))
    elif kind == "folder is a file":
        path.parent.rmdir()
        path.parent.write_text("not a folder\n")
    elif kind == "too large":
        with path.open("wb") as file:
            file.truncate(MAX_SETTINGS_BYTES + 1)  # sparse: costs no disk
    return path, None


def describe(path: Path) -> tuple:
    """What is at `path`, without opening it."""
    try:
        info = path.lstat()
    except OSError as error:
        return ("missing", error.errno)
    target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else None
    return (stat.S_IFMT(info.st_mode), target, info.st_size, info.st_mtime_ns)


TRAPS = [
    "fifo",
    "symlink to a fifo",
    "symlink to a terminal",
    "symlink to a folder",
    "symlink to nothing",
    "lock file is a fifo",
    "folder is a file",
    "too large",
]


@pytest.mark.parametrize("kind", TRAPS)
def test_settings_trap_is_not_opened_and_the_window_says_so(
    settings_file, tmp_path, kind
):
    path, handles = make_trap(kind, settings_file, tmp_path)
    watched = [path, path.with_name(path.name + ".lock"), path.parent]
    before = [describe(p) for p in watched]
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    try:
        run = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(OPEN_AND_CLOSE)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the window hung on a settings file that is a {kind}")
    finally:
        written = b""
        if handles is not None:
            master, slave = handles
            try:
                written = os.read(master, 4096)
            except BlockingIOError:
                pass
            os.close(master)
            os.close(slave)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.splitlines()[-1])
    (note,) = report["notes"]
    assert note.startswith("Settings not loaded or saved: ")
    assert str(settings_file.parent.name) in note and "\n" not in note
    assert report["pen"] == 40  # the window worked all the same
    # Nothing was written through, created or replaced.
    assert written == b""
    assert [describe(p) for p in watched] == before
    assert not (tmp_path / "nowhere").exists()


def test_settings_trap_in_process_shows_the_note_once(
    qtbot, messages, classifier, settings_file, tmp_path
):
    (tmp_path / "folder").mkdir()
    settings_file.symlink_to(tmp_path / "folder")
    window = open_window(qtbot, classifier)
    (note,) = settings_note(window)
    assert "is not a regular file (through a symlink)" in note
    assert str(settings_file) in note
    assert_defaults(window)
    window.close()
    assert os.readlink(settings_file) == str(tmp_path / "folder")
    assert list((tmp_path / "folder").iterdir()) == []


# --- the window fits its screen ------------------------------------------------------

MINIMUM = QSize(760, 560)


@pytest.mark.parametrize(
    ("rect", "available", "expected"),
    [
        # Fits already: unchanged.
        (QRect(10, 20, 1180, 820), QRect(0, 0, 1920, 1080), QRect(10, 20, 1180, 820)),
        # 1366x768 with a 40 px panel: shorter, with the margin, inside.
        (QRect(0, 0, 1180, 820), QRect(0, 0, 1366, 728), QRect(0, 0, 1180, 680)),
        # Off to the right and below: moved back in.
        (
            QRect(3000, 2000, 800, 600),
            QRect(0, 0, 1366, 728),
            QRect(566, 128, 800, 600),
        ),
        # A panel on the left and at the top: kept clear of.
        (QRect(0, 0, 1180, 820), QRect(60, 30, 1306, 738), QRect(60, 30, 1180, 690)),
        # Margin or minimum: the margin goes first.
        (QRect(0, 0, 1180, 820), QRect(0, 0, 800, 600), QRect(0, 0, 760, 560)),
        # 1366x768 at 200 %: smaller than the minimum, so the screen's size.
        (QRect(0, 0, 1180, 820), QRect(0, 0, 683, 364), QRect(0, 0, 683, 364)),
        # Second screen to the left, at negative coordinates.
        (
            QRect(-5000, -10, 1180, 820),
            QRect(-1920, 0, 1920, 1080),
            QRect(-1920, 0, 1180, 820),
        ),
    ],
)
def test_fit_rect(rect, available, expected):
    fitted = fit_rect(rect, available, MINIMUM)
    assert fitted == expected
    assert available.contains(fitted)


def test_fit_rect_leaves_the_margin_when_there_is_room():
    fitted = fit_rect(QRect(0, 0, 5000, 5000), QRect(0, 0, 1920, 1080), MINIMUM)
    assert fitted.size() == QSize(1920 - 2 * SCREEN_MARGIN, 1080 - 2 * SCREEN_MARGIN)


def test_first_window_fits_the_screen(qtbot, messages, classifier, settings_file):
    window = open_window(qtbot, classifier)
    screen = window.screen().availableGeometry()
    assert window.sizeHint() == QSize(1180, 820)
    assert screen.width() < 1180 or screen.height() < 820, "screen too big to tell"
    assert_fits_screen(window)


def test_restored_geometry_larger_than_the_screen_fits(
    qtbot, messages, classifier, settings_file
):
    first = open_window(qtbot, classifier)
    first.resize(3000, 2000)
    first.move(QPoint(2500, -300))
    QApplication.processEvents()
    first.close()
    second = open_window(qtbot, classifier)
    # Qt places a restored window by its saved frame, and the frame's side
    # borders are known only once shown: the frame may stick out by those.
    available = second.screen().availableGeometry()
    assert available.contains(second.geometry()), (second.geometry(), available)
    frame = second.frameGeometry()
    assert frame.width() <= available.width()
    assert frame.height() <= available.height()


SMALL_SCREEN = """
    import json
    from PySide6.QtWidgets import QApplication
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    app = QApplication([])
    window = MainWindow(Classifier.load())
    window.show()
    app.processEvents()
    screen = window.screen()
    report = {
        "available": screen.availableGeometry().getRect(),
        "frame": window.frameGeometry().getRect(),
        "fits": screen.availableGeometry().contains(window.frameGeometry()),
        "status bar shown": window.statusBar().isVisible(),
    }
    window.close()
    print(json.dumps(report))
"""


def report_on_screen(script: str, screen: dict, tmp_path: Path) -> dict:
    """Run `script` in a child with one offscreen screen; return the JSON it printed."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "small", **screen}]}))
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "PYTHONPATH": str(REPO),
    }
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    "screen",
    [
        {"width": 1366, "height": 768},
        {"width": 1366, "height": 768, "dpr": 2},
    ],
    ids=["1366x768", "1366x768 at 200%"],
)
def test_window_fits_a_small_screen(settings_file, tmp_path, screen):
    report = report_on_screen(SMALL_SCREEN, screen, tmp_path)
    assert report["fits"], report
    assert report["status bar shown"]


LARGER_TEXT = """
    import json, time
    from PySide6.QtWidgets import QApplication
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    app = QApplication([])
    window = MainWindow(Classifier.load())
    window.show()
    window.text_size.set_scale(1.5)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)
    window.resize(window.minimumSize())
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)
    column, panels = window.splitter.widget(0), window.splitter.widget(1)
    report = {
        "minimum": window.minimumSize().toTuple(),
        "column right": column.geometry().right(),
        "panels left": panels.geometry().left(),
        "fits": window.screen().availableGeometry().contains(window.frameGeometry()),
    }
    print(json.dumps(report))
"""


def test_larger_text_raises_the_smallest_window_so_no_part_covers_another(
    settings_file, tmp_path
):
    screen = {"width": 1366, "height": 768}
    report = report_on_screen(LARGER_TEXT, screen, tmp_path)
    assert report["minimum"][0] > MINIMUM.width(), report  # it grew with the text
    assert report["column right"] < report["panels left"], report
    assert report["fits"], report
