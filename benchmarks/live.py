"""Live update: one mouse move on the canvas to every view updated and painted.

Child (``--child live``): real mouse moves on the canvas of a shown window,
each one when the session's frame-rate throttle is idle (as in use), timed
from the event to the end of the repaint; half of them, interleaved, with
every step wrapped by a timer for the breakdown; the same back to back;
then the bare forward pass. With ``--show NAME`` (repeatable) the window
first shows those extra views (``window.show_panel(NAME)``) and only the
clean samples are taken.

Parent: one child for the window as it opens, then one per extra view asked
for with ``--show``; each view gives a row "live update with NAME shown:
added cost per update".
"""

from __future__ import annotations

from benchmarks.harness import (
    Context,
    Row,
    Table,
    fmt_ms,
    median,
    percentile,
    run_child,
    stat_row,
)

NAME = "live"
FORWARD = "forward + activations + softmax"

# The breakdown's rows, (depth, key) in table order. Keys of the steps the
# child times; the derived ones are computed by _derive().
BREAKDOWN = [
    (0, "mouse event (stroke ink + refresh)"),
    (1, "mouse event: canvas ink + dispatch"),
    (1, "canvas.to_array"),
    (1, "refresh (all)"),
    (2, "preprocess"),
    (3, "to_ink"),
    (3, "preprocess_ink"),
    (2, "one_piece (one digit or several?)"),
    (2, FORWARD),
    (2, "not-a-digit head"),
    (2, "PredictionLabel.set_prediction"),
    (2, "ProbabilityChart.set_probabilities"),
    (2, "NetworkInputView.set_input"),
    (2, "FeatureMapPanel.set_activations"),
    (2, "refresh: other (Python glue)"),
    (0, "repaint pass"),
    (1, "paint: canvas"),
    (1, "paint: probability chart"),
    (1, "paint: input view"),
    (1, "paint: feature maps"),
    (1, "paint: prediction digit"),
    (1, "paint: prediction confidence"),
    (1, "repaint: Qt repaint manager, flush, other"),
    (0, "total"),
]
SETTERS = [key for depth, key in BREAKDOWN if depth == 2 and "." in key]
READING = [FORWARD, "one_piece (one digit or several?)", "not-a-digit head"]
PAINTS = [key for _, key in BREAKDOWN if key.startswith("paint:")]


# =============================================================================
# Child
# =============================================================================


def _instrumented(window) -> list[tuple[object, str, str]]:
    """Return (object, method, key) for each step of an update that is timed.

    All public: the session's ``refresh``, the classifier's ``predict`` and
    ``classify_input``, the widgets' setters and the views' ``paintEvent``
    (pyqtgraph views paint in ``paintEvent`` of the view, for its viewport).
    Wrapping a method of an instance leaves the classes untouched; the
    reader's functions are wrapped where it looks them up, and put back.
    """
    from PySide6.QtWidgets import QLabel

    import lenet_gui.reading.number as number
    from benchmarks.driver import find_views
    from lenet_gui.gui.widgets import PredictionLabel, ProbabilityChart

    chart = window.findChild(ProbabilityChart)
    maps = find_views(window)["feature_maps"].parentWidget()
    return [
        (window.session, "refresh", "refresh (all)"),
        # The reading path: the reader's own calls, by the names it uses.
        (number, "to_ink", "to_ink"),
        (number, "preprocess_ink", "preprocess_ink"),
        (number, "cut_apart", "one_piece (one digit or several?)"),
        (number.NotDigitHead, "probability", "not-a-digit head"),
        (window.canvas, "to_array", "canvas.to_array"),
        (window.session.network.classifier, "predict", "predict"),
        (window.session.network.classifier, "classify_input", FORWARD),
        (window.findChild(PredictionLabel), "set_prediction", SETTERS[0]),
        (chart, "set_probabilities", SETTERS[1]),
        (window.input_view, "set_input", SETTERS[2]),
        (window.feature_maps, "set_activations", SETTERS[3]),
        (window.canvas, "paintEvent", "paint: canvas"),
        (chart.plot_widget, "paintEvent", "paint: probability chart"),
        (window.input_view.graphics, "paintEvent", "paint: input view"),
        (maps, "paintEvent", "paint: feature maps"),
        (window.findChild(QLabel, "predictedDigit"), "paintEvent", PAINTS[4]),
        (window.findChild(QLabel, "predictionConfidence"), "paintEvent", PAINTS[5]),
    ]


class _Stopwatches:
    """Wraps methods of instances with timers, on demand, and sums their times."""

    def __init__(self, targets: list[tuple[object, str, str]]):
        from time import perf_counter, thread_time

        self.parts: dict[str, float] = {}
        # The same steps in the main thread's CPU time.
        self.cpu_parts: dict[str, float] = {}

        def timed(key, fn):
            def wrapper(*a, **k):
                t, c = perf_counter(), thread_time()
                try:
                    return fn(*a, **k)
                finally:
                    cpu = thread_time() - c
                    self.parts[key] = self.parts.get(key, 0.0) + (perf_counter() - t)
                    self.cpu_parts[key] = self.cpu_parts.get(key, 0.0) + cpu

            return wrapper

        # Modules and classes hold their functions themselves: those are put
        # back; on an instance, removing the wrapper uncovers its class's.
        self._wrappers = [
            (
                obj,
                name,
                timed(key, getattr(obj, name)),
                getattr(obj, "__dict__", {}).get(name),
            )
            for obj, name, key in targets
        ]

    def wrap(self, on: bool) -> None:
        """Put the timers in place, or take them away."""
        for obj, name, wrapper, own in self._wrappers:
            if on:
                setattr(obj, name, wrapper)
            elif own is not None:
                setattr(obj, name, own)
            elif name in getattr(obj, "__dict__", {}):
                delattr(obj, name)


def _bare_forward(network_input, weights: str | None, runs: int) -> tuple[list, list]:
    """Time the bare forward pass: as the app runs torch, then on one thread."""
    from time import perf_counter

    import numpy as np
    import torch

    from lenet_gui.network.weights import load_model

    model, _ = load_model(weights)
    x = torch.from_numpy(np.ascontiguousarray(network_input, dtype=np.float32))
    x = x.view(1, 1, 32, 32)

    def timings(n):
        out = []
        for _ in range(n):
            t = perf_counter()
            with torch.inference_mode():
                model.forward_with_activations(x)
            out.append((perf_counter() - t) * 1e3)
        return out

    timings(50)  # warm-up
    bare = timings(max(runs, 200))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    bare1 = timings(max(runs, 200))
    torch.set_num_threads(threads)
    return bare, bare1


def _row_ms(parts: dict, start: float, mid: float, end: float) -> dict:
    """Return one update's steps and its two halves, in ms (clock: seconds).

    `mid` is where the mouse event ended and the repaint pass began.
    """
    row = dict(parts)
    row.update(
        {
            "total": end - start,
            "mouse event (stroke ink + refresh)": mid - start,
            "repaint pass": end - mid,
        }
    )
    return {k: v * 1e3 for k, v in row.items()}


def child(args) -> dict:
    """Time live updates in a shown window; return the raw figures (ms)."""
    from time import perf_counter, thread_time

    import torch

    from benchmarks.driver import CORE_VIEWS, Driver, make_app, show_panels
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    app = make_app()
    window = MainWindow(Classifier.load(args.weights))
    show_panels(window, args.show or [])
    window.show()
    driver = Driver(app, window)
    driver.settle(0.5)
    info = driver.window_info()
    info["torch_threads"] = torch.get_num_threads()
    info["shown"] = args.show or []
    expected = set(CORE_VIEWS)

    driver.run_updates(300, driver.move_and_paint, paced=False)  # warm-up

    # Even samples run the product code untouched, odd ones with every step
    # wrapped by a timer. Interleaving gives both the same machine load, so
    # the two medians show the wrappers' own cost.
    broken_down = not args.show
    watches = _Stopwatches(_instrumented(window)) if broken_down else None
    totals, event_ms, paint_ms, rows, cpu_ms = [], [], [], [], []
    cpu_rows: list[dict] = []
    complete = 0

    def timed_update(x, y):
        nonlocal complete
        wrapped = broken_down and len(totals) > len(rows)
        if wrapped:
            watches.wrap(True)
            watches.parts.clear()
            watches.cpu_parts.clear()
        c0 = thread_time()
        t0 = perf_counter()
        at_once = driver.move(x, y)
        t1, c_mid = perf_counter(), thread_time()
        end, painted = driver.paint_pass()
        c1 = thread_time()
        if wrapped:
            watches.wrap(False)
        if not at_once:
            return False
        if wrapped:
            rows.append(_row_ms(watches.parts, t0, t1, end))
            cpu_rows.append(_row_ms(watches.cpu_parts, c0, c_mid, c1))
        else:
            totals.append((end - t0) * 1e3)
            cpu_ms.append((c1 - c0) * 1e3)
            event_ms.append((t1 - t0) * 1e3)
            paint_ms.append((end - t1) * 1e3)
            complete += expected <= painted
        return True

    samples = 2 * args.runs if broken_down else args.runs
    driver.run_updates(samples, timed_update, paced=True)
    result = {
        "info": info,
        "total_ms": totals,
        "cpu_ms": cpu_ms,
        "event_ms": event_ms,
        "paint_ms": paint_ms,
        "complete": complete,
        "rows": rows,
        "cpu_rows": cpu_rows,
    }
    if broken_down:
        back_to_back = []

        def unpaced(x, y):
            t0 = perf_counter()
            at_once = driver.move(x, y)
            end, _ = driver.paint_pass()
            if at_once:
                back_to_back.append((end - t0) * 1e3)
            return at_once

        driver.run_updates(args.runs, unpaced, paced=False)
        bare, bare1 = _bare_forward(
            window.session.last_result.network_input, args.weights, args.runs
        )
        result.update(
            back_to_back_ms=back_to_back,
            bare_forward_ms=bare,
            bare_forward_1thread_ms=bare1,
        )
    result["held_back"] = driver.held_back
    window.close()
    return result


# =============================================================================
# Parent
# =============================================================================


def measure(ctx: Context) -> dict:
    """Run once with each extra view shown, then the window as it opens."""
    extra = [*ctx.weights_args, "--runs", str(ctx.runs)]
    # Views first: a view this app does not have fails in seconds.
    views = {
        view: run_child(NAME, [*extra, "--show", view], ctx.env)
        for view in ctx.args.show or []
    }
    return {**run_child(NAME, extra, ctx.env), "views": views}


def _derive(row: dict) -> dict:
    """Add the breakdown's derived steps to one broken-down sample."""
    r = dict(row)
    get = r.get
    # The session reads the drawing: ink, framing, one digit or several, the
    # forward pass and the not-a-digit head (predict, if a version calls it,
    # holds the framing and the forward pass).
    framing = get("to_ink", 0.0) + get("preprocess_ink", 0.0)
    r["preprocess"] = framing or get("predict", 0.0) - get(FORWARD, 0.0)
    reading = sum(get(k, 0.0) for k in READING) + r["preprocess"]
    refresh = get("refresh (all)", 0.0)
    r["refresh: other (Python glue)"] = (
        refresh - reading - sum(get(k, 0.0) for k in SETTERS)
    )
    r["mouse event: canvas ink + dispatch"] = (
        r["mouse event (stroke ink + refresh)"] - refresh - get("canvas.to_array", 0.0)
    )
    r["repaint: Qt repaint manager, flush, other"] = r["repaint pass"] - sum(
        get(k, 0.0) for k in PAINTS
    )
    return r


def _breakdown(live: dict) -> list:
    """Return the breakdown table and its note."""
    derived = [_derive(r) for r in live["rows"]]
    # CPU time of the main thread, step by step (older results have none).
    cpu = [_derive(r) for r in live.get("cpu_rows", [])]
    total_med = median([r["total"] for r in derived])
    table = Table(
        "Live update breakdown (ms)",
        ["step", "median", "p95", "CPU median", "CPU p95", "share of median total"],
        "lrrrrr",
    )
    for depth, key in BREAKDOWN:
        vals = [r.get(key, 0.0) for r in derived]
        cells = [f"{median(vals):.3f}", f"{percentile(vals, 95):.3f}"]
        cpu_vals = [r.get(key, 0.0) for r in cpu]
        cells += (
            [f"{median(cpu_vals):.3f}", f"{percentile(cpu_vals, 95):.3f}"]
            if cpu_vals
            else ["", ""]
        )
        table.rows.append(
            (depth, [key, *cells, f"{100 * median(vals) / total_med:.0f} %"])
        )
    return [
        table,
        f"(Breakdown pass: every step wrapped with a timer, {len(derived)} updates; "
        f"its total median {total_med:.2f} ms vs {median(live['total_ms']):.2f} ms "
        "unwrapped. Medians of parts do not add up exactly.)",
    ]


def _view_rows(live: dict) -> tuple[list[Row], list[str]]:
    """Return one row per extra view shown: its added cost per update."""
    rows, notes = [], []
    base = live["total_ms"]
    for view, run in live.get("views", {}).items():
        tot = run["total_ms"]
        added = median(tot) - median(base)
        added95 = percentile(tot, 95) - percentile(base, 95)
        rows.append(
            Row(
                f"   live update with {view} shown: added cost per update",
                f"{added:+.2f} ms",
                f"{added95:+.2f} ms",
            )
        )
        notes.append(
            f"Live update with {view} shown: {len(tot)} timed updates, median "
            f"{median(tot):.2f} ms against {median(base):.2f} ms without (separate "
            "processes: the machine's drift between them counts too); all four "
            f"views painted in {run['complete']}/{len(tot)} updates."
        )
    return rows, notes


def report(live: dict, ctx: Context) -> tuple[list[Row], list]:
    """Return the live update's rows and notes."""
    tot = live["total_ms"]
    p95 = percentile(tot, 95)
    n = len(tot)
    rows = [
        Row(
            "1. Live update: mouse move -> all views updated + painted",
            fmt_ms(median(tot)),
            fmt_ms(p95),
            target="live_p95_ms",
            value=p95,
            load=live["load"],
        )
    ]
    if live.get("back_to_back_ms"):
        rows.append(
            stat_row(
                "   same, updates back to back (no idle frame between)",
                live["back_to_back_ms"],
            )
        )
    if live.get("cpu_ms"):
        # The main thread's own CPU time: what other processes on a busy
        # machine add to the wall time is left out (the paint pass's wait for
        # the event loop's last round counts, as a few microseconds).
        rows.append(
            stat_row("   same, the main thread's CPU time only", live["cpu_ms"])
        )
    rows.append(
        stat_row("   of which the mouse event (ink + refresh)", live["event_ms"])
    )
    rows.append(stat_row("   of which the repaint pass", live["paint_ms"]))
    bf = live["bare_forward_ms"]
    rows.append(stat_row("   bare forward_with_activations (inference_mode)", bf))
    rows.append(
        Row(
            "   full update / bare forward",
            f"{median(tot) / median(bf):.1f}x",
            f"{p95 / percentile(bf, 95):.1f}x",
        )
    )
    view_rows, view_notes = _view_rows(live)
    rows += view_rows
    info = live["info"]
    held = live.get("held_back", 0)
    notes: list = [
        f"Live update: {n} timed updates (mouse moves about every 4 px along digits "
        "0-9, each one when the frame-rate throttle is idle, i.e. about one frame "
        "after the previous refresh, as in use), window "
        f"{info['window'][0]}x{info['window'][1]}, canvas "
        f"{info['canvas'][0]}x{info['canvas'][1]}, "
        f"feature maps {info['feature_maps'][0]}x{info['feature_maps'][1]}, torch "
        f"threads {info['torch_threads']}; "
        f"all four views painted in {live['complete']}/{n} updates"
        + (f"; {held} move(s) held back by the throttle, not timed." if held else ".")
    ]
    notes += _breakdown(live)
    b1 = live.get("bare_forward_1thread_ms")
    if b1:
        notes.append(
            f"Bare forward with torch.set_num_threads(1): median {median(b1):.3f} "
            f"ms, p95 {percentile(b1, 95):.3f} ms (the app ran torch with "
            f"{info['torch_threads']} thread(s))."
        )
    return rows, notes + view_notes
