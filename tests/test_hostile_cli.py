"""The command line under hostile use; the xcb check.

Every run is a real process (``main.py``) with a timeout: a command line that
wrongly starts the window, or output that blocks, fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from image_samples import grey_qimage, save

from lenet_gui.drawing.image_file import image_formats
from lenet_gui.files.idx import load_mnist
from lenet_gui.gui import cli
from lenet_gui.gui.cli import (
    MISSING_LIBRARY,
    MISSING_XCB_CURSOR,
    USAGE_ERROR,
    UsageError,
    parse_arguments,
    xcb_cursor_missing,
)
from lenet_gui.gui.predict_cli import CLOSED_OUTPUT, WRITE_FAILED

REPO = Path(__file__).resolve().parents[1]
MAIN = str(REPO / "main.py")
MNIST_DIR = REPO / "tests" / "data" / "mnist"
TIMEOUT = 180


@pytest.fixture(scope="module")
def seven(tmp_path_factory) -> Path:
    """An MNIST 7 as a PNG, which the bundled weights read as 7."""
    digit = load_mnist(MNIST_DIR, "test")[0][0]
    return save(grey_qimage(digit), tmp_path_factory.mktemp("digits") / "seven.png")


def headless_env(**changes: str | None) -> dict[str, str]:
    """This environment without a display (and no Qt platform), plus `changes`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_main(*args: str, env=None, cwd=REPO, stdout=None):
    """Run ``main.py`` with `args`; a window started by mistake times out."""
    return subprocess.run(
        [sys.executable, MAIN, *args],
        cwd=cwd,
        env=headless_env(QT_QPA_PLATFORM="offscreen") if env is None else env,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT,
    )


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


# --- item 6: an SVG with text in --predict ----------------------------------------


@pytest.mark.skipif("svg" not in image_formats(), reason="no Qt SVG plugin here")
@pytest.mark.parametrize("platform", [None, "xcb"], ids=["no platform", "xcb"])
def test_svg_with_text_then_png_gives_a_line_each(tmp_path, seven, platform):
    """Qt draws SVG text only with a QGuiApplication; without, it aborted."""
    svg = tmp_path / "seven.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120">'
        '<rect width="120" height="120" fill="white"/>'
        '<text x="30" y="100" font-family="sans-serif" font-size="100">7</text>'
        "</svg>"
    )
    # No display at all, even when Qt is told to use X11.
    run = run_main(
        "--predict", str(svg), str(seven), env=headless_env(QT_QPA_PLATFORM=platform)
    )
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    first, second = json_lines(run.stdout)
    assert first["file"] == str(svg)
    assert "digit" in first or "error" in first
    assert second["file"] == str(seven) and second["digit"] == 7


# --- item 14: every argument is checked -------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--predict", "{seven}", "--wieghts", "x.pt"], "--wieghts"),
        (["--predict", "-dash.png"], "put -- before"),
        (["--predict"], "at least one"),
        (["{seven}", "{seven}"], "opens one image, not 2"),
        (["--bogus"], "--bogus"),
        (["--pred", "{seven}"], "--pred"),
        (["--predict", "{seven}", "--weights"], "--weights"),
        (["-platform"], "-platform"),
        (["-reverse"], "-reverse"),
        (["two\nlines.png", "b.png"], "two\\nlines.png"),
    ],
    ids=[
        "misspelt --weights",
        "file starting with a dash",
        "--predict alone",
        "two files without --predict",
        "unknown option, no window",
        "abbreviation",
        "--weights without a file",
        "-platform without a name",
        "undocumented Qt option",
        "a new line in a name",
    ],
)
def test_usage_errors_say_so_in_one_line_with_their_own_status(seven, args, said):
    run = run_main(*(a.format(seven=seven) for a in args))
    assert run.returncode == USAGE_ERROR, run.stderr
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and said in run.stderr
    assert run.stderr.startswith("lenet-gui: ")


def test_usage_error_status_is_not_the_weights_status():
    assert USAGE_ERROR not in (0, 1, 2)
    assert len({USAGE_ERROR, MISSING_LIBRARY, WRITE_FAILED, 2}) == 4


def test_double_dash_ends_the_options(tmp_path, seven):
    dashed = tmp_path / "-dash.png"
    dashed.write_bytes(seven.read_bytes())
    twice = tmp_path / "--"
    twice.write_bytes(seven.read_bytes())
    run = run_main("--predict", "--", "-dash.png", "--", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    first, second = json_lines(run.stdout)
    assert first["file"] == "-dash.png" and first["digit"] == 7
    assert second["file"] == "--" and second["digit"] == 7


def test_unusable_weights_keep_status_2(tmp_path, seven):
    run = run_main("--predict", str(seven), "--weights", str(tmp_path / "no.pt"))
    assert run.returncode == 2
    assert run.stdout == "" and "no.pt" in run.stderr


@pytest.mark.parametrize(
    ("argv", "files", "weights"),
    [
        (["--predict", "a", "b"], ["a", "b"], None),
        (["--predict", "a", "--weights", "w", "b"], ["a", "b"], "w"),
        (["a", "--predict"], ["a"], None),
        (
            ["--weights=w", "--predict", "--", "-x", "--", "--weights"],
            ["-x", "--", "--weights"],
            "w",
        ),
    ],
)
def test_options_and_files_in_any_order(argv, files, weights):
    args = parse_arguments(argv)
    assert args.predict and args.files == files and args.weights == weights


def test_qt_platform_and_style_are_taken_for_the_window():
    args = parse_arguments(["-platform", "offscreen", "-style", "fusion"])
    assert (args.predict, args.platform, args.style) == (False, "offscreen", "fusion")
    args = parse_arguments(["-platform", "offscreen", "x.png"])
    assert (args.predict, args.platform, args.files) == (False, "offscreen", ["x.png"])
    with pytest.raises(UsageError, match="opens one image"):
        parse_arguments(["-platform", "offscreen", "x.png", "y.png"])


def test_help_documents_the_exit_statuses(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for status in ("2 the", f"{USAGE_ERROR} a wrong", f"{MISSING_LIBRARY} a system"):
        assert status in out


# --- item 15: a closed pipe, a full disk ------------------------------------------


def test_reader_closing_the_pipe_early_ends_quietly(seven):
    """``--predict ... | head -1``: the rest is not wanted; no traceback."""
    # Far more output than a pipe buffers, so the writer meets the closed end.
    files = [str(seven)] * 1500
    process = subprocess.Popen(
        [sys.executable, MAIN, "--predict", *files],
        cwd=REPO,
        env=headless_env(QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        first = json.loads(process.stdout.readline())
        process.stdout.close()
        _, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert first["digit"] == 7
    assert process.returncode == CLOSED_OUTPUT
    assert stderr.decode() == ""


def test_full_disk_is_one_line_and_a_failure(seven):
    with open("/dev/full", "w") as full:
        run = run_main("--predict", str(seven), str(seven), stdout=full)
    assert run.returncode == WRITE_FAILED
    assert run.stderr == ("error: cannot write the results: No space left on device\n")


# --- the window's xcb platform without libxcb-cursor ----------------------------


@pytest.mark.parametrize(
    ("environ", "platform", "checked"),
    [
        ({"DISPLAY": ":0"}, None, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, None, True),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, None, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, None, False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"}, None, False),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, None, False),
        ({}, None, False),
        ({"DISPLAY": ":0"}, "offscreen", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "xcb", True),
    ],
)
def test_xcb_cursor_is_checked_when_qt_will_use_xcb(
    monkeypatch, environ, platform, checked
):
    if not sys.platform.startswith("linux"):
        pytest.skip("xcb is Linux's")
    monkeypatch.setattr(cli, "XCB_CURSOR_LIBRARY", "libxcb-cursor-missing.so.0")
    assert xcb_cursor_missing(environ, platform) is checked


def test_xcb_cursor_found_when_installed():
    import ctypes.util

    if ctypes.util.find_library("xcb-cursor") is None:
        pytest.skip("libxcb-cursor0 is not installed here")
    assert xcb_cursor_missing({"DISPLAY": ":0"}) is False


def test_missing_xcb_cursor_is_one_line_not_a_qt_abort():
    if not sys.platform.startswith("linux"):
        pytest.skip("xcb is Linux's")
    script = (
        "import sys; import lenet_gui.gui.cli as cli; "
        "cli.XCB_CURSOR_LIBRARY = 'libxcb-cursor-missing.so.0'; "
        "sys.exit(cli.main([]))"
    )
    # A display that does not exist: before the check, Qt aborted here.
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=headless_env(DISPLAY=":97", XDG_SESSION_TYPE=None),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert run.returncode == MISSING_LIBRARY
    assert run.stderr == MISSING_XCB_CURSOR + "\n"
    assert "sudo apt-get install libxcb-cursor0" in MISSING_XCB_CURSOR
