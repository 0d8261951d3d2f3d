"""Make the README's screenshots, or a survey of every view in every state.

Run from the repository root (no display needed)::

    python resources/make_screenshots.py [--out resources]
    python resources/make_screenshots.py --survey shots/ [--views maps,network]
        [--sizes 1366x768,min] [--themes light,dark] [--states digit,empty]
        [--text 1.5] [--tour]

Each README picture is the whole window at 1280x860 with one of the bundled
examples loaded as strokes and one view shown, in the light or the dark
theme. ``--survey`` writes one picture per view, window size, theme and
state of the drawing (:data:`STATES`: an empty canvas, a digit, a digit the
network is unsure of, the number 2026, a shape that is not a digit, a digit
with an experiment switched on), named ``view-size-theme-state.png``, so
each can be looked at as a newcomer would see it; ``--tour`` adds the
tour's offer and its stops. Views that compute in the background are waited
for until they show the drawing. Settings go to a throw-away folder, so the
person's own are never read or changed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: (file name, example index or None for the empty window, view, theme); the
#: view "tour" is the guided tour at its C1 stop, "convolution" steps through
#: C3 map 12's sum.
SHOTS = (
    ("screenshot.png", 17, "maps", "light"),
    ("screenshot-welcome.png", None, "maps", "light"),
    ("screenshot-network-dark.png", 14, "network", "dark"),
    ("screenshot-why.png", 19, "attribution", "light"),
    ("screenshot-weights-dark.png", 17, "kernels", "dark"),
    ("screenshot-invariance.png", 13, "invariance", "light"),
    ("screenshot-step-through.png", 17, "convolution", "light"),
    ("screenshot-tour.png", 17, "tour", "light"),
)
SIZE = (1280, 860)

#: The drawings a survey shows each view with.
STATES = ("empty", "digit", "unsure", "number", "not-digit", "experiment")

#: Pen examples (index into the bundled examples) used to write a number.
_PEN_DIGITS = {0: 10, 1: 11, 2: 12, 3: 13, 4: 14, 5: 15, 6: 16, 7: 17, 8: 18, 9: 19}


def _wait_until_settled(app: Any, window: Any, seconds: float = 20.0) -> None:
    """Let Qt run until every panel shows the session as it is."""
    window.session.last_result  # noqa: B018 - runs the pending refresh
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        panels = [window.panel(name) for name in window.panels()]
        if all(getattr(panel, "settled", True) for panel in panels):
            break
        time.sleep(0.02)
    for _ in range(20):  # the last repaints
        app.processEvents()
        time.sleep(0.01)


def _new_window(app: Any, size: tuple[int, int] | None, theme: str) -> Any:
    """Return a window of `size` (None: its minimum) in `theme`, its weights loaded."""
    from lenet_gui.gui import MainWindow

    window = MainWindow()
    window.guide.card.hide()
    window.guide.highlight.hide()
    if size is None:
        minimum = window.minimumSize()
        size = (minimum.width(), minimum.height())
    window.resize(*size)
    window.show()
    window.set_theme(theme)
    while window.session.network.loading:  # the bundled weights, off-thread
        app.processEvents()
        time.sleep(0.02)
    return window


def _number_strokes(text: str) -> list[Any]:
    """Return the number `text` written with the bundled pen examples, side by side."""
    import numpy as np

    from lenet_gui.drawing.examples import load_examples
    from lenet_gui.drawing.paper import PAPER_SIZE, Stroke

    examples = load_examples()
    cell = (PAPER_SIZE - 40) / len(text)
    strokes = []
    for place, char in enumerate(text):
        example = examples[_PEN_DIGITS[int(char)]]
        points = np.concatenate([np.asarray(s.points) for s in example.strokes])
        low, high = points.min(axis=0), points.max(axis=0)
        scale = min(0.8 * cell / max(high[0] - low[0], 1), 160 / (high[1] - low[1]))
        centre = (low + high) / 2
        target = np.array([20 + cell * (place + 0.5), PAPER_SIZE / 2])
        for stroke in example.strokes:
            moved = (np.asarray(stroke.points) - centre) * scale + target
            strokes.append(Stroke(tuple(map(tuple, moved.tolist())), 20.0))
    return strokes


def _unsure_strokes() -> list[Any]:
    """Return a 1 with a long flag: the network hesitates between 1 and 7."""
    from lenet_gui.drawing.paper import Stroke

    flag = ((150.0, 150.0), (205.0, 110.0), (240.0, 90.0))
    stem = ((240.0, 90.0), (236.0, 200.0), (232.0, 360.0))
    return [Stroke(flag + stem[1:], 22.0)]


def _not_digit_strokes() -> list[Any]:
    """Return a five-pointed star, which is no digit."""
    import numpy as np

    from lenet_gui.drawing.paper import Stroke

    angles = np.pi / 2 + np.arange(6) * 4 * np.pi / 5
    points = np.stack([224 + 150 * np.cos(angles), 224 - 150 * np.sin(angles)], 1)
    return [Stroke(tuple(map(tuple, points.tolist())), 20.0)]


def _set_state(window: Any, state: str) -> None:
    """Put `state` (one of :data:`STATES`) on the window's canvas."""
    network = window.session.network
    network.reset_experiments()
    canvas = window.canvas
    if state == "empty":
        canvas.clear()
    elif state == "digit":
        window.files.open_example(17)
    elif state == "unsure":
        canvas.set_strokes(_unsure_strokes())
    elif state == "number":
        canvas.set_strokes(_number_strokes("2026"))
        window.session.last_result  # noqa: B018 - reads the number
        window.session.choose_digit(3)
    elif state == "not-digit":
        canvas.set_strokes(_not_digit_strokes())
    elif state == "experiment":
        window.files.open_example(17)
        network.set_switched_off("C1", 2, True)
        network.set_transform({"rotate": 20.0})
    else:
        raise ValueError(f"unknown state {state!r}")


def _sizes(text: str) -> list[tuple[str, tuple[int, int] | None]]:
    out: list[tuple[str, tuple[int, int] | None]] = []
    for item in text.split(","):
        if item == "min":
            out.append(("min", None))
        else:
            width, height = item.split("x")
            out.append((item, (int(width), int(height))))
    return out


def survey(args: argparse.Namespace) -> int:
    """Write one picture per view, size, theme and state into ``args.survey``."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out: Path = args.survey
    out.mkdir(parents=True, exist_ok=True)
    states = args.states.split(",")
    for size_name, size in _sizes(args.sizes):
        for theme in args.themes.split(","):
            window = _new_window(app, size, theme)
            window.text_size.set_scale(args.text)
            views = args.views.split(",") if args.views else window.panels()
            for state in states:
                _set_state(window, state)
                for view in views:
                    window.show_panel(view)
                    _wait_until_settled(app, window)
                    name = f"{view}-{size_name}-{theme}-{state}.png"
                    window.grab().save(str(out / name))
                    print(out / name)
            if args.tour:
                _tour_shots(app, window, out, f"{size_name}-{theme}")
            window.text_size.set_scale(1.0)
            window.close()
            window.deleteLater()
            app.processEvents()
    return 0


def _tour_shots(app: Any, window: Any, out: Path, tag: str) -> None:
    """Take the tour's offer, then each of its stops, on the digit."""
    _set_state(window, "digit")
    card = window.guide.card
    card.offer()
    window.guide._place(window.guide.highlight.target())  # noqa: SLF001
    _wait_until_settled(app, window)
    window.grab().save(str(out / f"tour-{tag}-offer.png"))
    print(out / f"tour-{tag}-offer.png")
    window.guide.start_tour()
    for index in range(len(card.steps())):
        card.go(index)
        _wait_until_settled(app, window)
        name = out / f"tour-{tag}-stop{index}.png"
        window.grab().save(str(name))
        print(name)
    card.finish()


def readme_shots(args: argparse.Namespace) -> int:
    """Write the README's screenshots into ``args.out``."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    for file_name, example, view, theme in SHOTS:
        window = _new_window(app, SIZE, theme)
        if example is not None:
            window.files.open_example(example)
        if view == "tour":
            window.guide.start_tour()
            window.guide.card.go(2)  # C1
        elif view == "convolution":
            window.session.step_through(("C3", 12, 3, 4))
        else:
            window.show_panel(view)
        _wait_until_settled(app, window)
        window.grab().save(str(args.out / file_name))
        print(f"{args.out / file_name}: {view}, {theme}")
        window.close()
        window.deleteLater()
        app.processEvents()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Write the README's screenshots into ``--out``, or a survey."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("resources"))
    parser.add_argument("--survey", type=Path, help="folder for a survey of views")
    parser.add_argument("--views", default="", help="panel names (default: all)")
    parser.add_argument("--sizes", default="1366x768,min")
    parser.add_argument("--themes", default="light,dark")
    parser.add_argument("--states", default=",".join(STATES))
    parser.add_argument("--text", type=float, default=1.0, help="text scale")
    parser.add_argument("--tour", action="store_true", help="add the tour's stops")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="lenet-shots-")
    run: Callable[[argparse.Namespace], int] = (
        survey if args.survey is not None else readme_shots
    )
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
