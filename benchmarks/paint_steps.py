#!/usr/bin/env python
"""Cost of each view's part of a live update: ``python benchmarks/paint_steps.py``.

Offscreen, in the window at its usual size with a digit drawn by real mouse
moves: for the feature maps, the probability chart and the network input,
the setter with the newest reading and a synchronous repaint of the view,
and the repaint alone; then the canvas's repaint. Prints, per step, the 10th
percentile, median and 90th percentile of ``--repeat`` calls in milliseconds,
in wall time and in the main thread's CPU time (steadier when the machine is
shared), and how many times each view coloured or moved its items. With
``--count N``, also how many paints, resizes and layout passes each widget
gets per mouse move over N moves (counts a busy machine does not change). Run it
on two versions of the code in one sitting (``PYTHONPATH=OTHER python
OTHER/benchmarks/paint_steps.py``) to compare; the whole update is timed by
``bench.py --only live``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run as a script, Python puts benchmarks/ itself first on the path, where its
# numbers.py would shadow the standard library's. The repository goes last, so
# PYTHONPATH can name another copy of the app to time.
if Path(sys.path[0]).resolve() == REPO / "benchmarks":
    sys.path.pop(0)
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _figures(call: Callable[[], object], repeat: int) -> str:
    """Return 'p10 / median / p90 ms (CPU median ms)' of `repeat` calls."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.thread_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    wall.sort()
    cpu.sort()
    n = len(wall)
    return (
        f"{wall[n // 10]:6.3f} / {wall[n // 2]:6.3f} / {wall[9 * n // 10]:6.3f} ms"
        f"   (CPU median {cpu[n // 2]:6.3f} ms)"
    )


def _count_events(app, driver, updates: int) -> None:
    """Print, per mouse move, the paints, resizes and layout passes by widget.

    Counts do not depend on how busy the machine is: a widget repainted or
    laid out that did not change is work saved on any machine.
    """
    from collections import Counter

    from PySide6.QtCore import QEvent, QObject

    kinds = {
        QEvent.Type.Paint: "paint",
        QEvent.Type.Resize: "resize",
        QEvent.Type.LayoutRequest: "layout",
    }
    seen: Counter[tuple[str, str]] = Counter()

    class Watcher(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            kind = kinds.get(event.type())
            if kind is not None and watched.isWidgetType():
                seen[(kind, watched.objectName() or type(watched).__name__)] += 1
            return False

    watcher = Watcher()
    app.installEventFilter(watcher)
    driver.run_updates(updates, driver.move_and_paint, paced=False)
    app.removeEventFilter(watcher)
    print(f"events per mouse move, {updates} moves along digits 0-9:")
    for kind in kinds.values():
        total = sum(n for (k, _), n in seen.items() if k == kind)
        print(f"  {kind + 's':8s} {total / updates:6.2f}")
        top = sorted(((n, w) for (k, w), n in seen.items() if k == kind), reverse=True)
        for n, widget in top[:6]:
            print(f"    {widget:30s} {n / updates:6.2f}")


def main(argv: list[str] | None = None) -> int:
    """Time each view's setter and repaint; print one line per step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument(
        "--count",
        type=int,
        default=0,
        metavar="N",
        help="also count paints, resizes and layout passes over N mouse moves",
    )
    args = parser.parse_args(argv)

    import torch

    from benchmarks.driver import Driver, find_views, make_app
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    torch.set_num_threads(1)
    app = make_app()
    window = MainWindow(Classifier.load(None))
    window.show()
    driver = Driver(app, window)
    driver.settle(0.5)
    driver.run_updates(100, driver.move_and_paint, paced=False)
    result = window.session.last_result
    views = find_views(window)
    maps, chart = window.feature_maps, window.reading_column.probabilities
    inputs = window.input_view

    def maps_step() -> None:
        maps.set_activations(result.activations)
        views["feature_maps"].repaint()

    def chart_step() -> None:
        chart.set_probabilities(result.probabilities)
        views["probabilities"].repaint()

    def input_step() -> None:
        inputs.set_input(result.network_input)
        views["input"].repaint()

    steps = [
        ("feature maps: set + repaint", maps_step),
        ("feature maps: repaint only", views["feature_maps"].repaint),
        ("probability chart: set + repaint", chart_step),
        ("network input: set + repaint", input_step),
        ("canvas: whole repaint", window.canvas.repaint),
    ]
    import lenet_gui

    print(f"the app from {Path(lenet_gui.__file__).parent}")
    print(f"{args.repeat} calls each; p10 / median / p90 wall time, CPU median")
    for name, call in steps:
        call()  # warm-up
        print(f"{name:34s} {_figures(call, args.repeat)}")
    if args.count:
        _count_events(app, driver, args.count)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
