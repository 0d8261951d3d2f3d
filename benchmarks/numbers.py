"""Speed of reading numbers: the live update and ``--predict``, same sitting.

    python -m benchmarks.numbers [--strokes FILE] [--files 1000] [--repeats 3]

1. One digit, as the session reads it while drawing: the drawing at each
   growing prefix of its strokes, read the way the session read it before
   numbers (``NetworkSetup.classify``) and the way it reads it now
   (``DrawingReader.read``), alternately, so both see the same load.
2. The window's whole live update (read, bars, input view, maps painted)
   for one digit and for a 4-digit number, at each growing prefix.
3. ``--predict``'s per-file work on single-digit PNG files (MNIST test
   digits): ``Classifier.predict(read_ink(f))`` as before, against
   ``NumberReader.read(read_ink(f))`` now, alternately; and the whole
   ``run_predict`` over all the files.

Prints medians and 95th percentiles in milliseconds.

``--only-reading`` measures only the reading of the drawing while it grows
(``DrawingReader.read``, what each live update of the canvas computes), for
one digit and for 4-digit numbers, in wall-clock and in CPU time (on a
loaded machine the CPU time is the steadier figure), and for 4-digit
numbers whose digits touch (what is cut where strokes cross). It uses only the
project's public API, so the same file can measure another copy of the
project: ``PYTHONPATH=/other/copy python -P benchmarks/numbers.py --only-reading``
(``-P``: the file's folder is not put on the path, where this file would
hide the standard ``numbers`` module).
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "data" / "strokes" / "pendigits-sample.json"


def _stats(name: str, times: list[float]) -> str:
    ms = 1000 * np.array(times)
    return (
        f"{name}: median {np.median(ms):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms "
        f"(n={ms.size})"
    )


def _prefixes(strokes: list[np.ndarray], width: float) -> list[np.ndarray]:
    """Renders of the drawing as it grows, a few points at a time."""
    from lenet_gui.drawing.paper import render

    out = []
    for k in range(len(strokes)):
        stroke = strokes[k]
        for end in range(2, len(stroke) + 1, max(1, len(stroke) // 6)):
            out.append(render([*strokes[:k], stroke[:end]], width))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the measures and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", default=str(SAMPLE))
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--mnist", default=str(REPO / "tests" / "data" / "mnist"))
    parser.add_argument(
        "--only-predict", action="store_true", help="measure 3 alone, with no window"
    )
    parser.add_argument(
        "--only-reading",
        action="store_true",
        help="measure only the reading of a growing drawing, with no window shown",
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lenet_gui.network.classifier import Classifier, use_one_thread

    use_one_thread()
    app = QApplication.instance() or QApplication([])
    classifier = Classifier.load()
    if args.only_reading:
        _reading(classifier, args.strokes, args.repeats)
        return 0
    if not args.only_predict:
        _live(classifier, app, args.strokes)
    _predict(classifier, args.mnist, args.files)
    return 0


def _drawings(strokes_file: str) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Growing drawings of single digits, and of 4-digit numbers, one per writer."""
    from lenet_gui.files.stroke_files import load_pen_digits
    from lenet_gui.training.numbers import compose_number

    rng = np.random.default_rng(0)
    digits = load_pen_digits(strokes_file)
    singles = []
    for digit in digits[:24]:
        strokes, _ = compose_number([digit], (0, 0), rng)
        singles.extend(_prefixes(strokes, 24.0))
    numbers = []
    for writer in sorted({d.writer for d in digits}):
        mine = [d for d in digits if d.writer == writer]
        chosen = [mine[int(i)] for i in rng.integers(len(mine), size=4)]
        strokes, _ = compose_number(chosen, (0.2, 0.45), rng)
        numbers.extend(_prefixes(strokes, 16.0))
    return singles, numbers


def _touching(strokes_file: str) -> list[np.ndarray]:
    """Growing drawings of 4-digit numbers whose digits touch, one per writer."""
    from lenet_gui.files.stroke_files import load_pen_digits
    from lenet_gui.training.numbers import compose_number

    rng = np.random.default_rng(1)
    digits = load_pen_digits(strokes_file)
    out = []
    for writer in sorted({d.writer for d in digits}):
        mine = [d for d in digits if d.writer == writer]
        chosen = [mine[int(i)] for i in rng.integers(len(mine), size=4)]
        strokes, _ = compose_number(chosen, (-0.05, 0.02), rng)
        out.extend(_prefixes(strokes, 16.0))
    return out


def _reading(classifier, strokes_file: str, repeats: int) -> None:
    """The reading of growing drawings, as each live update computes it."""
    from lenet_gui.gui import MainWindow
    from lenet_gui.gui.state.drawing_reader import DrawingReader

    singles, numbers = _drawings(strokes_file)
    touching = _touching(strokes_file)
    window = MainWindow(classifier)  # never shown: only its network setup is used
    reader = DrawingReader(window.session.network, window.session.status)
    results: dict[str, tuple[list[float], list[float]]] = {
        "one digit": ([], []),
        "4-digit number": ([], []),
        "4-digit number, touching": ([], []),
    }
    drawings = (
        ("one digit", singles),
        ("4-digit number", numbers),
        ("4-digit number, touching", touching),
    )
    for _ in range(repeats):
        for name, images in drawings:
            wall, cpu = results[name]
            for image in images:
                start, start_cpu = time.perf_counter(), time.process_time()
                reader.read(image)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
    load = os.getloadavg()
    print(f"reading a growing drawing (load average {load[0]:.1f}, {load[1]:.1f}):")
    for name, (wall, cpu) in results.items():
        print(f"   {name}: " + _stats("wall", wall) + "; " + _stats("cpu", cpu))


def _live(classifier, app, strokes_file: str) -> None:
    """Measures 1 and 2: the reading and the window's live update."""
    from lenet_gui.files.stroke_files import load_pen_digits
    from lenet_gui.gui import MainWindow
    from lenet_gui.gui.state.drawing_reader import DrawingReader
    from lenet_gui.training.numbers import compose_number

    rng = np.random.default_rng(0)
    digits = load_pen_digits(strokes_file)
    window = MainWindow(classifier)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    session = window.session
    reader = DrawingReader(session.network, session.status)

    singles = []
    for digit in digits[:24]:
        strokes, _ = compose_number([digit], (0, 0), rng)
        singles.extend(_prefixes(strokes, 24.0))
    before, now = [], []
    for image in singles * 3:
        start = time.perf_counter()
        session.network.classify(image)
        before.append(time.perf_counter() - start)
        start = time.perf_counter()
        reader.read(image)
        now.append(time.perf_counter() - start)
    print("1. one digit, reading only (same sitting, alternating):")
    print("   " + _stats("before (classify)", before))
    print("   " + _stats("now (read)", now))

    numbers = []
    writers = sorted({d.writer for d in digits})
    for writer in writers:
        mine = [d for d in digits if d.writer == writer]
        chosen = [mine[int(i)] for i in rng.integers(len(mine), size=4)]
        strokes, _ = compose_number(chosen, (0.2, 0.45), rng)
        numbers.extend(_prefixes(strokes, 16.0)[-12:])

    def live(images: list[np.ndarray]) -> list[float]:
        times = []
        for image in images:
            start = time.perf_counter()
            session.set_drawing(image)
            session.refresh()
            window.repaint()
            app.processEvents()
            times.append(time.perf_counter() - start)
        return times

    print("2. the window's live update (read, bars, input, maps painted):")
    print("   " + _stats("one digit", live(singles)))
    print("   " + _stats("4-digit number", live(numbers)))
    window.hide()


def _predict(classifier, mnist: str, files: int) -> None:
    """Measure 3: ``--predict``'s work per single-digit file."""
    from PySide6.QtGui import QImage

    from lenet_gui.drawing.image_file import read_ink
    from lenet_gui.files.idx import load_mnist
    from lenet_gui.gui.predict_cli import run_predict
    from lenet_gui.reading.number import NumberReader
    from lenet_gui.reading.segment_scorer import load_scorer
    from lenet_gui.reading.verdict import load_head

    images, _ = load_mnist(mnist, "test")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for k in range(files):
            grey = np.ascontiguousarray(255 - images[k % len(images)])
            path = os.path.join(folder, f"{k}.png")
            QImage(grey.data, 28, 28, 28, QImage.Format.Format_Grayscale8).save(path)
            paths.append(path)
        number_reader = NumberReader(classifier, load_head(), load_scorer())
        before, now = [], []
        for path in paths:
            start = time.perf_counter()
            classifier.predict(read_ink(path))
            before.append(time.perf_counter() - start)
            start = time.perf_counter()
            number_reader.read(read_ink(path))
            now.append(time.perf_counter() - start)
        print(f"3. --predict's work per single-digit file ({len(paths)} files):")
        print("   " + _stats("before (predict)", before))
        print("   " + _stats("now (read)", now))
        start = time.perf_counter()
        run_predict(paths, out=io.StringIO(), err=io.StringIO())
        total = time.perf_counter() - start
        print(f"   run_predict over all files: {total:.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())
