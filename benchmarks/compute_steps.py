"""The live update's computing half, step by step, without a window.

``python -m benchmarks.compute_steps [--rounds N] [--json FILE] [--tree DIR]``

The example digits are drawn point by point as a person draws them (the
canvas grows stroke by stroke), and each state is read as the window reads
it: ``ExplorerSession.set_drawing`` then ``refresh``. Every public step on
that path is wrapped with a timer: reading the image as ink (``to_ink``),
the MNIST framing (``preprocess_ink``), the one-digit check (``one_piece``),
the forward pass (``Classifier.classify_input``), the not-a-digit head
(``NotDigitHead.probability``), the reader as a whole
(``NumberReader.read``) and the session's ``refresh``. Each step's median
is reported in CPU time (``time.process_time_ns``, steadier than wall time
on a busy machine) and wall time; "glue" is the session's refresh less the
reader, the reader less its steps.

It uses only names every version of the app has, so ``--tree DIR`` (the
app's code read from another checkout, e.g. an unchanged copy) measures
that one with the same script.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STEPS = (
    "to_ink",
    "preprocess_ink",
    "one_piece",
    "forward (classify_input)",
    "not-a-digit head",
    "NumberReader.read",
    "session.refresh",
)


class _Timers:
    """Wrap functions with timers that add up CPU and wall time per step."""

    def __init__(self) -> None:
        self.cpu: dict[str, int] = {}
        self.wall: dict[str, int] = {}

    def wrap(self, owner: Any, name: str, key: str) -> None:
        """Replace ``owner.name`` with a timed version of itself."""
        fn: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            c, w = time.process_time_ns(), time.perf_counter_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                self.cpu[key] = self.cpu.get(key, 0) + time.process_time_ns() - c
                self.wall[key] = self.wall.get(key, 0) + time.perf_counter_ns() - w

        setattr(owner, name, timed)

    def take(self) -> tuple[dict[str, int], dict[str, int]]:
        """Return the sums since the last call, and start again."""
        out = (self.cpu, self.wall)
        self.cpu, self.wall = {}, {}
        return out


def _states(points_per_update: int) -> list[Any]:
    """Return the canvas after each update while the examples are drawn."""
    from lenet_gui.drawing.examples import load_examples
    from lenet_gui.drawing.paper import Paper

    states = []
    for example in load_examples():
        paper = Paper()
        paper.set_pen_width(example.strokes[0].width)
        for stroke in example.strokes:
            points = [(float(x), float(y)) for x, y in stroke.points]
            paper.begin_stroke(points[0])
            for k, point in enumerate(points[1:], 1):
                paper.extend_stroke(point)
                if k % points_per_update == 0:
                    states.append(paper.to_array())
            paper.end_stroke()
            states.append(paper.to_array())
    return states


def run(rounds: int, points_per_update: int) -> dict[str, Any]:
    """Read every drawing state `rounds` times; return per-step medians (ms)."""
    from PySide6.QtCore import QCoreApplication

    import lenet_gui.reading.number as number
    from lenet_gui.gui.state.session import ExplorerSession
    from lenet_gui.network.classifier import Classifier

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    states = _states(points_per_update)
    session = ExplorerSession()
    session.network.use_classifier(Classifier.load())
    session.set_frame_interval(1)
    session.set_drawing(states[0])  # loads the head, warms torch
    timers = _Timers()
    timers.wrap(number, "to_ink", "to_ink")
    timers.wrap(number, "preprocess_ink", "preprocess_ink")
    timers.wrap(number, "cut_apart", "one_piece")
    classifier = session.network.classifier
    timers.wrap(classifier, "classify_input", "forward (classify_input)")
    timers.wrap(number.NotDigitHead, "probability", "not-a-digit head")
    timers.wrap(number.NumberReader, "read", "NumberReader.read")
    timers.wrap(session, "refresh", "session.refresh")
    samples: list[tuple[dict[str, int], dict[str, int]]] = []
    for _ in range(rounds):
        for state in states:
            timers.take()
            session.set_drawing(state)
            session.last_result  # noqa: B018 - the refresh a frame would do
            samples.append(timers.take())
            app.processEvents()
    session.shutdown()
    return _summary(samples, len(states))


def _summary(
    samples: list[tuple[dict[str, int], dict[str, int]]], states: int
) -> dict[str, Any]:
    """Return per-step medians in ms, CPU and wall, and the derived glue."""

    def medians(which: int) -> dict[str, float]:
        out = {}
        for key in STEPS:
            values = [s[which].get(key, 0) / 1e6 for s in samples]
            out[key] = statistics.median(values)
        reader_parts = [sum(s[which].get(k, 0) for k in STEPS[:5]) for s in samples]
        out["reader glue"] = statistics.median(
            (s[which].get("NumberReader.read", 0) - p) / 1e6
            for s, p in zip(samples, reader_parts, strict=True)
        )
        out["session glue"] = statistics.median(
            (s[which].get("session.refresh", 0) - s[which].get("NumberReader.read", 0))
            / 1e6
            for s in samples
        )
        return out

    return {
        "updates": len(samples),
        "drawing_states": states,
        "loadavg": os.getloadavg(),
        "cpu_ms": medians(0),
        "wall_ms": medians(1),
    }


def main(argv: list[str] | None = None) -> int:
    """Run and print the table; write JSON with ``--json``."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.compute_steps")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--points", type=int, default=3, help="pen points per update")
    p.add_argument("--json", metavar="FILE")
    p.add_argument("--tree", metavar="DIR", help="read lenet_gui from this checkout")
    args = p.parse_args(argv)
    if args.tree:
        sys.path.insert(0, os.path.abspath(args.tree))
    import torch

    torch.set_num_threads(1)
    result = run(args.rounds, args.points)
    import lenet_gui

    print(f"lenet_gui from {os.path.dirname(lenet_gui.__file__)}")
    print(
        f"{result['updates']} updates over {result['drawing_states']} drawing "
        f"states, load average {result['loadavg'][0]:.2f}"
    )
    print(f"{'step':<28}{'CPU ms':>10}{'wall ms':>10}")
    for key in result["cpu_ms"]:
        print(f"{key:<28}{result['cpu_ms'][key]:>10.3f}{result['wall_ms'][key]:>10.3f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
