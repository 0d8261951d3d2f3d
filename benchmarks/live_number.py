"""The live update while a 4-digit number is written, in the real window.

``python -m benchmarks.live_number [--runs N] [--json FILE]``

The same measure as ``bench.py --only live`` (a mouse move on the canvas,
then every view updated and painted, each move let through by the app's
frame-rate throttle as in use), but the drawing is a number: four digits
written side by side, each a quarter of the paper wide. The first three
are drawn untimed; every mouse move of the fourth is timed, when the
number reader has the most to read. Numbers are cycled from a fixed list,
so two runs draw the same strokes. Prints the median and 95th percentile
of wall-clock and main-thread CPU time, the load average, and how many of
the finished numbers the window read exactly (``window.reading()``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from time import perf_counter, thread_time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The numbers written, in turn.
NUMBERS = ("2026", "4815", "7390", "1562", "9047", "3681")
# Where digit k of four goes, in fractions of the paper's side.
_WIDTH, _GAP, _TOP, _BOTTOM = 0.19, 0.045, 0.3, 0.7


def _box(k: int) -> tuple[float, float, float, float]:
    left = 0.06 + k * (_WIDTH + _GAP)
    return (left, _TOP, left + _WIDTH, _BOTTOM)


def _stats(values: list[float]) -> dict[str, float]:
    import numpy as np

    return {
        "median": float(np.median(values)),
        "p95": float(np.percentile(values, 95)),
        "max": float(np.max(values)),
    }


def run(runs: int, shot: str | None = None) -> dict:
    """Write numbers until `runs` moves of their last digit are timed.

    With `shot`, the window as the last number left it is saved there (PNG).
    """
    from benchmarks.driver import Driver, make_app
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    app = make_app()
    window = MainWindow(Classifier.load())
    window.resize(1366, 768)
    window.show()
    driver = Driver(app, window)
    driver.settle(0.5)

    def draw(points, timed: list | None) -> None:
        driver.send("press", *points[0])
        driver.paint_pass()
        for x, y in points[1:]:
            if timed is None:
                driver.move_and_paint(x, y)
                continue
            driver.wait_for_throttle()
            c0, t0 = thread_time(), perf_counter()
            at_once = driver.move(x, y)
            end, _ = driver.paint_pass()
            if at_once:
                timed.append(((end - t0) * 1e3, (thread_time() - c0) * 1e3))
        driver.send("release", *points[-1])
        driver.paint_pass()

    timed: list[tuple[float, float]] = []
    written = exact = 0
    warm = True
    while len(timed) < runs:
        number = NUMBERS[written % len(NUMBERS)]
        driver.canvas.clear()
        driver.paint_pass()
        for k, digit in enumerate(number):
            points = driver.stroke_points(digit, 4.0, _box(k))
            draw(points, None if warm or k < 3 else timed)
        driver.settle(0.05)
        reading = window.reading()
        exact += reading is not None and reading["text"] == number
        written += 1
        warm = False
    if shot:
        window.grab().save(shot)
    window.close()
    wall = [w for w, _ in timed[:runs]]
    cpu = [c for _, c in timed[:runs]]
    return {
        "updates": len(wall),
        "numbers_written": written,
        "numbers_read_exactly": exact,
        "total_ms": wall,
        "cpu_ms": cpu,
        "wall": _stats(wall),
        "cpu": _stats(cpu),
        "load_average": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the measure and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--shot", metavar="PNG", help="save the window at the end")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    result = run(args.runs, args.shot)
    wall, cpu = result["wall"], result["cpu"]
    print(
        f"4-digit number, live update while its last digit is drawn "
        f"({result['updates']} moves, {result['numbers_written']} numbers, "
        f"{result['numbers_read_exactly']} read exactly):"
    )
    print(f"   wall: median {wall['median']:.2f} ms, p95 {wall['p95']:.2f} ms")
    print(f"   cpu:  median {cpu['median']:.2f} ms, p95 {cpu['p95']:.2f} ms")
    before, after = load, result["load_average"]
    print(
        "   load average "
        + " ".join(f"{x:.1f}" for x in before)
        + " -> "
        + " ".join(f"{x:.1f}" for x in after)
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
