"""What the explanations, the tour card and the figures cost, in one process.

``python benchmarks/teaching_cost.py``: offscreen, the real window with the
bundled weights:

- **live update**: the drawing changes (two example digits in turn), the
  session reads it and the window paints what changed, timed from the new
  drawing to the end of the paint; in interleaved blocks with the
  explanations and the offered tour card shown, and with both hidden, so the
  machine's load falls on both alike;
- **start-up**: the time ``MainWindow`` spends making its explanations,
  tour, figure commands and text size (their constructors, timed inside a
  real construction);
- **figures**: making the figure of the Maps view as a 2x PNG, an SVG and a
  PDF.

It prints medians and 95th percentiles; run it on a quiet machine for
figures to compare. ``--updates N`` sets the updates per condition.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="lenet-teaching-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def _stats(values: list[float]) -> str:
    array = np.asarray(values) * 1000
    return f"median {np.median(array):7.3f} ms   p95 {np.percentile(array, 95):7.3f} ms"


def _timed_constructors() -> dict[str, list[float]]:
    """Wrap the teaching parts' constructors so a window's construction times them."""
    from lenet_gui.gui import figures, guide, text_size

    spent: dict[str, list[float]] = {}
    for name, cls in (
        ("Guide (explanations, glossary, tour)", guide.Guide),
        ("FigureCommands", figures.FigureCommands),
        ("TextSize", text_size.TextSize),
    ):
        original = cls.__init__

        def timed(self, *args, _original=original, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            _original(self, *args, **kwargs)
            spent.setdefault(_name, []).append(time.perf_counter() - start)

        cls.__init__ = timed  # type: ignore[method-assign]
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--windows", type=int, default=3)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    classifier = Classifier.load()
    spent = _timed_constructors()
    built = []
    for _ in range(args.windows):
        start = time.perf_counter()
        window = MainWindow(classifier)
        built.append(time.perf_counter() - start)
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"MainWindow built ({args.windows} times):            {_stats(built)}")
    for name, values in spent.items():
        print(f"  of which {name:38s} {_stats(values)}")

    window = MainWindow(classifier)
    window.resize(1180, 820)
    window.show()
    for _ in range(20):
        app.processEvents()
    drawings = []
    for index in (3, 7):
        window.files.open_example(index)
        drawings.append(window.canvas.to_array().copy())
    session = window.session
    conditions = ("both hidden", "explanations shown", "tour card shown")
    samples: dict[str, list[float]] = {name: [] for name in conditions}
    cpu_samples: dict[str, list[float]] = {name: [] for name in conditions}
    block = 20
    for k in range(len(conditions) * args.updates // block):
        condition = conditions[k % len(conditions)]
        window.guide.set_explanations_shown(condition == "explanations shown")
        if condition == "tour card shown":
            window.guide.card.offer()
        else:
            window.guide.card.hide()
        for _ in range(5):
            app.processEvents()
        for j in range(block):
            start, cpu = time.perf_counter(), time.thread_time()
            session.set_drawing(drawings[j % 2])
            session.refresh()
            app.processEvents()
            samples[condition].append(time.perf_counter() - start)
            cpu_samples[condition].append(time.thread_time() - cpu)
    for title, table in (("wall clock", samples), ("GUI thread's CPU", cpu_samples)):
        base = np.median(table[conditions[0]])
        print(f"live update, {title} (the CPU time is steadier on a busy machine):")
        for condition in conditions:
            added = (np.median(table[condition]) - base) * 1000
            print(f"  {condition:20s} {_stats(table[condition])}   {added:+.3f} ms")
    window.guide.card.hide()
    from lenet_gui.gui.file_commands import png_bytes
    from lenet_gui.gui.widgets.figure import figure_image, figure_pdf, figure_svg

    for label, make in (
        ("PNG at 2x", lambda f: png_bytes(figure_image(f))),
        ("SVG", figure_svg),
        ("PDF", figure_pdf),
    ):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            data = make(window.figures.figure())
            times.append(time.perf_counter() - start)
        size = f"({len(data):,} bytes)"
        print(f"figure of the Maps view as {label:10s} {_stats(times)}  {size}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
