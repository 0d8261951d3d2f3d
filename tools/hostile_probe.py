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
import io
import json
import os
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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


# --- files ------------------------------------------------------------------------


def png(width: int, height: int, depth: int = 8, colour: int = 0) -> bytes:
    """Return a PNG of the given size, every pixel 0, written by hand."""
    channels = {0: 1, 2: 3, 6: 4}[colour]
    row = b"\0" + bytes(width * channels * depth // 8)
    body = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", body)
        + chunk(b"IEND", b"")
    )


def apng(frames: int) -> bytes:
    """Return a 16x16 animated PNG of `frames` frames."""
    base = png(16, 16)
    iend = base.rindex(b"IEND") - 4
    extra = b""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr_end = 8 + 25
    actl = chunk(b"acTL", struct.pack(">II", frames, 0))
    data = zlib.compress((b"\0" + bytes(16)) * 16)
    sequence = 0
    for k in range(frames):
        fctl = struct.pack(">IIIIIHHBB", sequence, 16, 16, 0, 0, 1, 10, 0, 0)
        extra += chunk(b"fcTL", fctl)
        sequence += 1
        if k:
            extra += chunk(b"fdAT", struct.pack(">I", sequence) + data)
            sequence += 1
    return base[:ihdr_end] + actl + base[ihdr_end:iend] + extra + base[iend:]


def gif(frames: int) -> bytes:
    """Return a 16x16 GIF of `frames` frames."""
    out = b"GIF89a" + struct.pack("<HHBBB", 16, 16, 0x80, 0, 0) + bytes(6)
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    lzw = bytes([2, 2, 0x4C, 0x01, 0])  # a tiny valid LZW stream (clear, 0, end)
    for _ in range(frames):
        out += b"\x21\xf9\x04\x00\x01\x00\x00\x00"
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, 16, 16, 0) + lzw
    return out + b"\x3b"


def tiff_pages(pages: int) -> bytes:
    """Return a little-endian TIFF of `pages` 8x8 grey pages."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    pixels_at = []
    entries = 8
    for page in range(pages):
        ifd_at = len(out)
        strip_at = ifd_at + 2 + entries * 12 + 4
        nxt = strip_at + 64 if page + 1 < pages else 0
        tags = [
            (256, 3, 1, 8),
            (257, 3, 1, 8),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, strip_at),
            (278, 3, 1, 8),
            (279, 4, 1, 64),
        ]
        out += struct.pack("<H", entries)
        for tag, kind, count, value in tags:
            out += struct.pack("<HHII", tag, kind, count, value)
        out += struct.pack("<I", nxt)
        out += bytes(64)
        pixels_at.append(strip_at)
    return bytes(out)


def cmyk_jpeg(folder: Path) -> bytes:
    """Return a 32x32 CMYK JPEG, as Qt writes it."""
    from PySide6.QtGui import QImage

    image = QImage(32, 32, QImage.Format.Format_CMYK8888)
    image.fill(0)
    path = folder / ".cmyk.jpg"
    image.save(str(path), "JPEG")
    data = path.read_bytes()
    path.unlink()
    return data


def weights_variants(folder: Path, kind: str) -> bytes:
    """Return the bundled weights made `kind`: another dtype, strided or shared."""
    import torch

    state = torch.load(REPO / "weights" / "lenet5.pt", weights_only=True)
    if kind in ("bfloat16", "float16", "float8"):
        dtype = {
            "bfloat16": torch.bfloat16,
            "float16": torch.float16,
            "float8": getattr(torch, "float8_e4m3fn", torch.float16),
        }[kind]
        state = {k: v.to(dtype) for k, v in state.items()}
    elif kind == "strided":
        state = {k: torch.stack([v, v], -1)[..., 0] for k, v in state.items()}
    elif kind == "shared":
        whole = torch.cat([v.flatten() for v in state.values()])
        shared, at = {}, 0
        for key, value in state.items():
            shared[key] = whole[at : at + value.numel()].view(value.shape)
            at += value.numel()
        state = shared
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def disagreeing_zip(claim: int) -> bytes:
    """Return weights whose zip central directory claims `claim` bytes for an entry.

    The local header and the data keep the true size; only the central
    directory, which Python's zipfile reads, says otherwise.
    """
    data = bytearray((REPO / "weights" / "lenet5.pt").read_bytes())
    central = data.rindex(b"PK\x01\x02", 0, len(data))
    data[central + 20 : central + 24] = struct.pack("<I", claim)  # compressed
    data[central + 24 : central + 28] = struct.pack("<I", claim)  # uncompressed
    return bytes(data)


def pickle_with_code() -> bytes:
    """Return a weights-like archive whose pickle would run a command."""
    payload = b"cos\nsystem\n(S'touch owned'\ntR."
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", payload)
        archive.writestr("archive/version", "3\n")
    return buffer.getvalue()


def strokes(kind: str) -> bytes:
    """Return a stroke file of the hostile `kind`."""
    one = [[[10, 10], [20, 20], [30, 40]]]
    if kind == "deep":
        return b"[" * 100_000 + b"]" * 100_000
    if kind == "huge number":
        return (
            b'[{"label": 1, "writer": "w", "strokes": [[[1' + b"0" * 400 + b", 2]]]}]"
        )
    if kind == "nan":
        return b'[{"label": 1, "writer": "w", "strokes": [[[NaN, 2], [3, 4]]]}]'
    if kind == "empty":
        return b""
    if kind == "no strokes":
        return json.dumps([{"label": 1, "writer": "w", "strokes": []}]).encode()
    if kind == "million points":
        points = [[k % 500, k % 300] for k in range(1_000_000)]
        return json.dumps([{"label": 1, "writer": "w", "strokes": [points]}]).encode()
    if kind == "good":
        return json.dumps([{"label": 1, "writer": "w", "strokes": one}] * 3).encode()
    raise ValueError(kind)


SVG_CASES = {
    "svg external": b'<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:xlink="http://www.w3.org/1999/xlink" width="28" height="28">'
    b'<use xlink:href="other.svg#x"/></svg>',
    "svg image dev zero": b'<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:xlink="http://www.w3.org/1999/xlink" width="28" height="28">'
    b'<image width="28" height="28" xlink:href="file:///dev/zero"/></svg>',
    "svg entities": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
}


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
