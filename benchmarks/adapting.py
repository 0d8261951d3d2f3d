"""Live update while adapting: ``python -m benchmarks.adapting``.

Real mouse moves on the canvas of a shown window (offscreen), each timed
from the event to the end of the repaint, as ``benchmarks/live.py`` does:
first with nothing else running, then while "Adapt to my handwriting" runs
on the worker thread (restarted whenever it ends before the samples are
taken), once with the Maps tab shown and once with the My digits tab and
its live curve shown. Prints p50, p95 and the largest for each, and as its
last line one JSON object. My digits are the pen digits shipped for the
tests (56 by four writers) unless ``--strokes FILE`` is given; the settings
and data folders are temporary.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from time import perf_counter

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "data" / "strokes" / "pendigits-sample.json"


def _stats(values: list[float]) -> dict[str, float]:
    import numpy as np

    a = np.asarray(values)
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(a, 50)), 2),
        "p95_ms": round(float(np.percentile(a, 95)), 2),
        "max_ms": round(float(a.max()), 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure and print the live update, idle and while adapting."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.adapting", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=150, help="moves per condition")
    parser.add_argument("--strokes", type=Path, default=SAMPLE)
    parser.add_argument(
        "--schedule", default="thorough", help="the longer one: more batches to time"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="adapting-data-")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="adapting-config-")

    from benchmarks.driver import Driver, make_app
    from lenet_gui.gui import MainWindow
    from lenet_gui.gui.panels.my_digits import MyDigitsPanel

    app = make_app()
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    panel = window.panel("my_digits")
    assert isinstance(panel, MyDigitsPanel)
    panel.ensure_built()
    panel.import_file(args.strokes)
    control = panel.adapting
    driver = Driver(app, window)
    driver.settle(0.5)
    batches = 0

    def count(_progress: object) -> None:
        nonlocal batches
        batches += 1

    control.job.stepped.connect(count)

    def timed(adapting: bool) -> list[float]:
        samples: list[float] = []

        def sample(x: float, y: float) -> bool:
            if adapting and not control.job.running:
                control.adapt(args.schedule)
                while control.job.running and batches == seen[0]:
                    driver.settle(0.2)  # the variants are being drawn
                seen[0] = batches
            t0 = perf_counter()
            at_once = driver.move(x, y)
            end, _ = driver.paint_pass()
            if at_once:
                samples.append((end - t0) * 1e3)
            return at_once

        driver.run_updates(30, lambda x, y: driver.move_and_paint(x, y), paced=False)
        driver.run_updates(args.runs, sample, paced=True)
        return samples

    seen = [0]
    results = {"idle, Maps shown": _stats(timed(False))}
    during = {}
    for name, tab in (("Maps", "maps"), ("My digits", "my_digits")):
        window.show_panel(tab)
        driver.settle(0.3)
        start = batches
        results[f"adapting, {name} shown"] = _stats(timed(True))
        during[name] = batches - start
    control.job.cancel()
    while control.job.running:
        driver.settle(0.1)
    window.close()
    load = os.getloadavg()
    for name, row in results.items():
        print(
            f"{name:28s} p50 {row['p50_ms']:7.2f} ms   p95 {row['p95_ms']:7.2f} ms   "
            f"max {row['max_ms']:7.2f} ms   ({row['n']} moves)"
        )
    print(f"batches learnt while timing: {during}; load average {load}")
    print(json.dumps({"results": results, "batches": during, "loadavg": load}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
