#!/usr/bin/env python
"""Cost of the step-through view: ``python benchmarks/step_through.py``.

Offscreen, in a window of 1366x768 with an MNIST example drawn and the
step-through view shown, for a unit of each layer with a window (C1 to C5):
the panel's update (the numbers from the model, given to the view) and a
repaint of the view's canvas (maps, number grids, sum). Prints the median
and 90th percentile of ``--repeat`` calls (default 50) in milliseconds. The
live update with the view shown is timed by ``bench.py --show convolution``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

UNITS = [
    ("C1", 2, 10, 12),
    ("S2", 1, 5, 6),
    ("C3", 15, 3, 3),
    ("S4", 3, 1, 2),
    ("C5", 17, 0, 0),
]


def timed(call, repeat: int) -> str:
    """Return 'median / p90 ms' of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return f"{times[len(times) // 2]:7.2f} / {times[int(len(times) * 0.9)]:7.2f} ms"


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier, use_one_thread

    use_one_thread()
    window = MainWindow(Classifier.load())
    window.resize(1366, 768)
    window.show()
    window.files.open_example(7)
    window.session.last_result  # noqa: B018 - flushes the pending refresh
    window.show_panel("convolution")
    panel = window._tabs.panel("convolution")
    app.processEvents()
    print(f"step-through view, 1366x768, median / p90 of {args.repeat} calls")
    for unit in UNITS:
        panel.choose(unit)
        app.processEvents()
        update = timed(panel.update_view, args.repeat)
        repaint = timed(panel.view.canvas.repaint, args.repeat)
        name = " ".join(map(str, unit))
        print(f"  {name:<14} update {update}   repaint {repaint}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
