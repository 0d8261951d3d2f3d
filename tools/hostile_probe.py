"""Try hostile and unlucky files on every command and on the window; report each.

Every case runs in its own child process, with a time limit and an address-
space limit, inside a fresh temporary folder (no trap is ever made outside
it). A case passes when the child ends in time, prints no Python traceback,
writes only one-line messages, leaves every file it was given unchanged,
and exits with the status the command documents. The slow counterpart of the
``tests/test_hostile_*.py`` files; run it on a quiet machine:

    .venv/bin/python tools/hostile_probe.py            # every case
    .venv/bin/python tools/hostile_probe.py --only svg # cases whose name has "svg"
    .venv/bin/python tools/hostile_probe.py --list

It prints one line per case (``ok`` or what went wrong, seconds, the first
line the command said) and exits with status 1 if any case failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hostile_files import (
    SVG_CASES,
    apng,
    cmyk_jpeg,
    disagreeing_zip,
    gif,
    pickle_with_code,
    png,
    strokes,
    tiff_pages,
    weights_variants,
)

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
#: Seconds a case may run (a command that hangs is killed and reported).
TIME_LIMIT = 120.0
#: Address space a case may use (torch alone reserves some 2 GB of it).
MEMORY_LIMIT = 6 * 2**30
WINDOW = """
import json, sys, traceback
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMessageBox, QFileDialog
said = []
def record(kind):
    def call(parent, title, text, *args, **kwargs):
        said.append([kind, title, text])
        return QMessageBox.StandardButton.Ok
    return call
for kind in ("warning", "critical", "information", "question"):
    setattr(QMessageBox, kind, staticmethod(record(kind)))
errors = []
sys.excepthook = lambda *e: errors.append("".join(traceback.format_exception(*e)))
app = QApplication(["probe"])
from lenet_gui.gui import MainWindow
from lenet_gui.network.classifier import Classifier
window = MainWindow(Classifier.load())
window.show()
app.processEvents()
action, path = sys.argv[1], sys.argv[2]
if action == "open":
    window.files.open_image(path)
elif action == "weights":
    window.files.load_weights(path)
    for _ in range(200):
        app.processEvents()
elif action == "import":
    from lenet_gui.gui.state.my_digits import MyDigits, MyDigitsError
    digits = MyDigits(Path(sys.argv[3]))
    try:
        digits.import_file(Path(path))
    except MyDigitsError as error:
        said.append(["import", "", str(error)])
app.processEvents()
window.close()
status = window.statusBar().currentMessage()
print(json.dumps({"said": said, "status": status, "errors": errors}))
sys.exit(1 if errors else 0)
"""


@dataclass
class Case:
    """One hostile input and the command that meets it."""

    name: str
    make: Callable[[Path], list[str]]  # builds the files; returns the arguments
    statuses: tuple[int, ...] = (0, 1, 2)
    env: dict[str, str] = field(default_factory=dict)
    interrupt_after: float | None = None  # seconds before Ctrl-C, if any


@dataclass
class Outcome:
    """What one case did: its problems (none when it passed), time and first words."""

    case: str
    problems: list[str]
    seconds: float
    said: str


# --- cases ------------------------------------------------------------------------


def image_file(name: str, data: bytes) -> Callable[[Path], Path]:
    """Return a maker of the file `name` holding `data`."""

    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def special(kind: str, name: str) -> Callable[[Path], Path]:
    """Return a maker of a pipe, a link to /dev/zero, a folder or an empty file."""

    def make(folder: Path) -> Path:
        path = folder / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dev zero":
            path.symlink_to("/dev/zero")
        elif kind == "folder":
            path.mkdir()
        elif kind == "empty":
            path.touch()
        return path

    return make


def predict(make_file: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    """Return the arguments of ``main.py --predict`` on the file made."""
    return lambda folder: [
        str(REPO / "main.py"),
        "--predict",
        "--",
        str(make_file(folder)),
    ]


def in_window(
    action: str, make_file: Callable[[Path], Path]
) -> Callable[[Path], list[str]]:
    """Return the arguments of a window that meets the file made by `action`."""

    def args(folder: Path) -> list[str]:
        path = make_file(folder)
        return ["-c", WINDOW, action, str(path), str(folder / "my-digits.json")]

    return args


def bytes_file(name: str, data: Callable[[Path], bytes]) -> Callable[[Path], Path]:
    """Return a maker of the file `name` holding what `data` makes."""

    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data(folder))
        return path

    return make


def cases() -> list[Case]:
    """Return every case, command line and window."""
    images: dict[str, Callable[[Path], Path]] = {
        "png 0x0": image_file("zero.png", png(0, 0)),
        "png 1x100000": image_file("thin.png", png(1, 100_000)),
        "png 16-bit": image_file("deep.png", png(64, 64, depth=16)),
        "jpeg cmyk": bytes_file("cmyk.jpg", cmyk_jpeg),
        "gif 10000 frames": image_file("many.gif", gif(10_000)),
        "apng 10000 frames": image_file("many.png", apng(10_000)),
        "tiff 2000 pages": image_file("pages.tif", tiff_pages(2000)),
        "image fifo": special("fifo", "pipe.png"),
        "image dev zero": special("dev zero", "zero.png"),
        "image folder": special("folder", "folder.png"),
        "image empty": special("empty", "empty.png"),
        "name with newline": image_file("two\nlines.png", png(28, 28)),
        "name with byte ff": lambda folder: _raw_name(folder, b"bad\xff.png"),
        "name 250 long": image_file("n" * 246 + ".png", png(28, 28)),
        "png truncated": image_file("cut.png", png(64, 64)[:60]),
    }
    images.update({name: image_file("x.svg", data) for name, data in SVG_CASES.items()})
    weights = {
        "weights bfloat16": bytes_file(
            "w.pt", lambda f: weights_variants(f, "bfloat16")
        ),
        "weights float16": bytes_file("w.pt", lambda f: weights_variants(f, "float16")),
        "weights float8": bytes_file("w.pt", lambda f: weights_variants(f, "float8")),
        "weights strided": bytes_file("w.pt", lambda f: weights_variants(f, "strided")),
        "weights shared storage": bytes_file(
            "w.pt", lambda f: weights_variants(f, "shared")
        ),
        "weights zip claims more": bytes_file(
            "w.pt", lambda f: disagreeing_zip(100_000_000)
        ),
        "weights zip claims less": bytes_file("w.pt", lambda f: disagreeing_zip(3)),
        "weights pickle with code": bytes_file("w.pt", lambda f: pickle_with_code()),
        "weights fifo": special("fifo", "w.pt"),
        "weights dev zero": special("dev zero", "w.pt"),
        "weights empty": special("empty", "w.pt"),
    }
    stroke_files = {
        f"strokes {kind}": bytes_file("s.json", lambda f, k=kind: strokes(k))
        for kind in (
            "deep",
            "huge number",
            "nan",
            "empty",
            "no strokes",
            "million points",
        )
    }
    stroke_files["strokes fifo"] = special("fifo", "s.json")
    stroke_files["strokes dev zero"] = special("dev zero", "s.json")

    found = []
    for name, make in images.items():
        found.append(Case(f"predict: {name}", predict(make)))
        found.append(Case(f"window open: {name}", in_window("open", make), (0,)))
    seven = image_file("seven.png", png(28, 28))
    for name, make in weights.items():
        found.append(
            Case(
                f"predict --weights: {name}",
                lambda folder, m=make: [
                    str(REPO / "main.py"),
                    "--predict",
                    "--weights",
                    str(m(folder)),
                    str(seven(folder)),
                ],
            )
        )
        found.append(
            Case(
                f"evaluate --weights: {name}",
                lambda folder, m=make: [
                    "-m",
                    "lenet_gui.evaluate",
                    "--data",
                    str(REPO / "tests" / "data" / "mnist"),
                    "--weights",
                    str(m(folder)),
                ],
            )
        )
        found.append(
            Case(f"window load weights: {name}", in_window("weights", make), (0,))
        )
    for name, make in stroke_files.items():
        found.append(
            Case(
                f"adapt --strokes: {name}",
                lambda folder, m=make: [
                    "-m",
                    "lenet_gui.adapt",
                    "--strokes",
                    str(m(folder)),
                    "--output",
                    str(folder / "out.pt"),
                ],
            )
        )
        found.append(Case(f"window import: {name}", in_window("import", make), (0,)))
    found.append(
        Case(
            "desktop: data folder is a file",
            lambda folder: ["-m", "lenet_gui.desktop", "--force"],
            (0, 1, 2, 64),
            env={"XDG_DATA_HOME": "{folder}/datafile"},
        )
    )
    for seconds in (0.5, 2.0, 5.0):
        found.append(
            Case(
                f"predict: Ctrl-C after {seconds:g} s",
                lambda folder: [
                    str(REPO / "main.py"),
                    "--predict",
                    *[
                        str(image_file(f"d{k}.png", png(28, 28))(folder))
                        for k in range(40)
                    ],
                ],
                (0, 1, 130),
                interrupt_after=seconds,
            )
        )
        found.append(
            Case(
                f"adapt: Ctrl-C after {seconds:g} s",
                lambda folder: [
                    "-m",
                    "lenet_gui.adapt",
                    "--strokes",
                    str(bytes_file("s.json", lambda f: strokes("good"))(folder)),
                    "--output",
                    str(folder / "out.pt"),
                ],
                (0, 1, 130),
                interrupt_after=seconds,
            )
        )
    return found


def _raw_name(folder: Path, name: bytes) -> Path:
    raw = os.fsencode(folder) + b"/" + name
    with open(raw, "wb") as stream:
        stream.write(png(28, 28))
    return Path(os.fsdecode(raw))


# --- running ----------------------------------------------------------------------


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every entry under `folder`: its kind and, for a regular file, its sha256."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = ""
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        seen[os.fsencode(path.relative_to(folder)).hex()] = (info.st_mode >> 12, digest)
    return seen


def run(case: Case) -> Outcome:
    """Run one case in a child process in a fresh temporary folder."""
    with tempfile.TemporaryDirectory(prefix="lenet-probe-") as name:
        folder = Path(name)
        home = folder / "home"
        home.mkdir()
        args = case.make(folder)
        before = _snapshot(folder)
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(REPO),
        }
        env.update({k: v.format(folder=folder) for k, v in case.env.items()})
        if "datafile" in env.get("XDG_DATA_HOME", ""):
            Path(env["XDG_DATA_HOME"]).write_text("a file, not a folder\n")
            before = _snapshot(folder)
        start = time.monotonic()
        child = subprocess.Popen(
            [PYTHON, *args],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_limits,
        )
        problems = []
        try:
            if case.interrupt_after is not None:
                try:
                    child.wait(case.interrupt_after)
                except subprocess.TimeoutExpired:
                    child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            out, err = child.communicate()
            problems.append(f"HANG (over {TIME_LIMIT:g} s)")
        seconds = time.monotonic() - start
        text = err.decode("utf-8", "replace") + out.decode("utf-8", "replace")
        if "Traceback (most recent call last)" in text:
            problems.append("TRACEBACK")
        if "MemoryError" in text or child.returncode in (-6, -9, -11):
            problems.append(f"CRASH or MEMORY (status {child.returncode})")
        elif child.returncode not in case.statuses and not problems:
            problems.append(f"status {child.returncode}")
        try:
            out.decode("utf-8")
        except UnicodeDecodeError:
            problems.append("output not UTF-8")
        for line in out.decode("utf-8", "replace").splitlines():
            if line.startswith("{"):
                try:
                    report = json.loads(line)
                except ValueError:
                    problems.append("a JSON line that does not parse")
                    continue
                if args[0] == "-c" and report.get("errors"):
                    problems.append("TRACEBACK in the window")
        if (folder / "owned").exists():
            problems.append("CODE RAN from a pickle")
        after = _snapshot(folder)
        changed = [k for k in before if after.get(k) != before[k]]
        if changed:
            problems.append(f"CHANGED {len(changed)} given file(s)")
        said = next((line for line in err.decode("utf-8", "replace").splitlines()), "")
        return Outcome(case.name, problems, seconds, said[:110])


def main(argv: list[str] | None = None) -> int:
    """Run the cases chosen; return 1 if any failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name has this")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args(argv)
    chosen = [c for c in cases() if args.only in c.name]
    if args.list:
        print("\n".join(c.name for c in chosen))
        return 0
    failed = 0
    for case in chosen:
        outcome = run(case)
        failed += bool(outcome.problems)
        verdict = "ok" if not outcome.problems else "; ".join(outcome.problems)
        print(
            f"{outcome.case:48.48} {verdict:28.28} "
            f"{outcome.seconds:6.1f} s  {outcome.said}"
        )
        sys.stdout.flush()
    print(f"{len(chosen) - failed} of {len(chosen)} cases ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
