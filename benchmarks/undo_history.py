"""Undo history cost as a drawing grows: memory per stroke and time of one Undo.

    python -m benchmarks.undo_history [--strokes 1000 5000 20000]

For each count, draws that many strokes of 40 points (as a long session
would), then prints the memory the history holds per stroke (tracemalloc,
Python objects only) and the median time of one Undo and one Redo.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np

from lenet_gui.drawing.paper import Paper


def measure(count: int, points: int = 40) -> dict[str, float]:
    rng = np.random.default_rng(0)
    strokes = [rng.uniform(0, 448, size=(points, 2)) for _ in range(count)]
    paper = Paper()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    paper.draw_strokes(strokes)
    paper.clear()  # the strokes stay undoable
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    paper.undo()
    undo, redo = [], []
    for _ in range(9):
        start = time.perf_counter()
        paper.undo()
        undo.append(time.perf_counter() - start)
        start = time.perf_counter()
        paper.redo()
        redo.append(time.perf_counter() - start)
    return {
        "bytes_per_stroke": held / count,
        "undo_ms": 1000 * statistics.median(undo),
        "redo_ms": 1000 * statistics.median(redo),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, nargs="+", default=[1000, 5000, 20000])
    args = parser.parse_args(argv)
    print(f"{'strokes':>8} {'bytes/stroke':>13} {'undo ms':>8} {'redo ms':>8}")
    for count in args.strokes:
        row = measure(count)
        print(
            f"{count:>8} {row['bytes_per_stroke']:>13.0f} "
            f"{row['undo_ms']:>8.2f} {row['redo_ms']:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
