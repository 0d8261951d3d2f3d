"""Drawing under load: a fast stroke replayed in real time through the event loop.

Child (``--child stroke``): a figure 8 traced twice in 3 s; a 1 ms precise
``QTimer`` posts every mouse event (250 Hz) whose time has come, so events
queue up while the window is busy, as the window system's would. Measured:
the refreshes the session made (``predictionChanged``), the feature-map
paints, the gaps between mouse events the canvas processed, their latency,
and whether what the window shows at the end is the final drawing's
prediction, read from the widgets' public state.
"""

from __future__ import annotations

from benchmarks.harness import Context, Row, fmt_ms, median, percentile, run_child

NAME = "stroke"


# =============================================================================
# Child
# =============================================================================


def shown_maps(panel, name: str):
    """Return a layer's maps as the feature-map panel shows them, (maps, h, w)."""
    import numpy as np

    image = panel.image_of_layer(name)
    count, height, width = panel.layers()[name]
    cols = panel.GRIDS[name][1]
    gap = panel.GAP

    def cell(k):
        top, left = (k // cols) * (height + gap), (k % cols) * (width + gap)
        return image[top : top + height, left : left + width]

    return np.stack([cell(k) for k in range(count)])


def shown_matches(window, shown) -> dict:
    """Compare what the window shows with a fresh prediction of the canvas.

    Parameters
    ----------
    window : MainWindow
        The window.
    shown : Prediction or None
        The last prediction the session announced (what the views were given).
    """
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QLabel

    from lenet_gui.gui.widgets import ProbabilityChart

    reference = window.session.network.classifier.predict(window.canvas.to_array())
    dirty = window.session.pending  # read before last_result would catch up
    out = {
        "dirty": dirty,
        "reference_digit": None if reference is None else reference.digit,
    }
    if reference is None or shown is None:
        out["match"] = reference is None and shown is None
        return out
    chart = window.findChild(ProbabilityChart)
    (bars,) = [
        item
        for item in chart.plot_widget.getPlotItem().items
        if isinstance(item, pg.BarGraphItem)
    ]
    (image,) = [
        item
        for item in window.input_view.graphics.scene().items()
        if isinstance(item, pg.ImageItem)
    ]
    checks = {
        "digit_label": window.findChild(QLabel, "predictedDigit").text()
        == str(reference.digit),
        "probabilities": bool(
            np.allclose(bars.opts["height"], reference.probabilities)
        ),
        "input_view": bool(np.array_equal(image.image, reference.network_input)),
        "feature_maps_C1": bool(
            np.allclose(
                shown_maps(window.feature_maps, "C1"), reference.activations["C1"]
            )
        ),
        "result": bool(np.allclose(shown.probabilities, reference.probabilities)),
    }
    out.update(checks)
    out["match"] = all(checks.values()) and not dirty
    return out


def child(args) -> dict:
    """Replay a fast stroke in real time; return what was processed and shown."""
    from time import perf_counter

    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer

    from benchmarks.driver import Driver, make_app
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    app = make_app()
    window = MainWindow(Classifier.load(args.weights))
    window.show()
    driver = Driver(app, window)
    driver.settle(0.5)
    driver.run_updates(100, driver.move_and_paint, paced=False)  # warm-up
    window.canvas.clear()
    driver.settle(0.3)

    rate, duration = args.rate, args.duration
    n_events = int(rate * duration)
    # A fast "8" traced over and over: the path for 3 s at 250 Hz.
    base = driver.stroke_points("8", 1.0)
    speed = max(1, round(len(base) * 2 / n_events))  # the 8 about twice in 3 s
    path = [base[(i * speed) % len(base)] for i in range(n_events)]
    schedule = [i / rate for i in range(n_events)]

    processed: list[float] = []
    shown = []
    fm_paints_before = driver.paint_counts["feature_maps"]

    class MouseLog(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() in (
                QEvent.Type.MouseMove,
                QEvent.Type.MouseButtonPress,
                QEvent.Type.MouseButtonRelease,
            ):
                processed.append(perf_counter())
            return False

    log = MouseLog()
    window.canvas.installEventFilter(log)
    window.session.predictionChanged.connect(shown.append)

    loop = QEventLoop()
    state = {"next": 0, "start": perf_counter()}

    def post_due():
        now = perf_counter() - state["start"]
        while state["next"] < n_events and schedule[state["next"]] <= now:
            i = state["next"]
            kind = "press" if i == 0 else ("release" if i == n_events - 1 else "move")
            app.postEvent(window.canvas, driver.mouse_event(kind, *path[i]))
            state["next"] += 1
        if state["next"] >= n_events:
            feeder.stop()
            # Let the throttle's last refresh and its paint happen.
            QTimer.singleShot(250, loop.quit)

    feeder = QTimer()
    feeder.setTimerType(Qt.TimerType.PreciseTimer)
    feeder.setInterval(1)
    feeder.timeout.connect(post_due)
    state["start"] = perf_counter()
    feeder.start()
    loop.exec()
    window.session.predictionChanged.disconnect(shown.append)

    start = state["start"]
    gaps = [(b - a) * 1e3 for a, b in zip(processed, processed[1:], strict=False)]
    latency = [(t - start - s) * 1e3 for t, s in zip(processed, schedule, strict=False)]
    result = {
        "events": n_events,
        "processed": len(processed),
        "refreshes": len(shown),
        "feature_map_paints": driver.paint_counts["feature_maps"] - fm_paints_before,
        "max_gap_ms": max(gaps) if gaps else None,
        "gaps_ms": gaps,
        "latency_ms": latency,
        "wall_s": (processed[-1] - start) if processed else None,
        "final": shown_matches(window, shown[-1] if shown else None),
        "frame_interval_ms": window.session.frame_interval,
    }
    window.close()
    return result


# =============================================================================
# Parent
# =============================================================================


def measure(ctx: Context) -> dict:
    """Run the fast stroke in a child process."""
    args = ctx.args
    extra = [*ctx.weights_args, "--rate", str(args.rate)]
    return run_child(NAME, [*extra, "--duration", str(args.duration)], ctx.env)


def report(st: dict, ctx: Context) -> tuple[list[Row], list]:
    """Return the fast stroke's rows and notes."""
    gap = st["max_gap_ms"]
    final = st["final"]
    rows = [
        Row(
            f"2. Fast stroke ({st['events']} mouse events at {ctx.args.rate:g} Hz): "
            "refreshes shown",
            f"{st['refreshes']} refreshes, {st['feature_map_paints']} feature-map "
            "paints",
            load=st["load"],
        ),
        Row(
            "   longest gap between processed mouse events",
            fmt_ms(gap),
            f"p99 {fmt_ms(percentile(st['gaps_ms'], 99))}",
            target="gap_ms",
            value=gap,
        ),
        Row(
            "   mouse event latency (processed - due)",
            fmt_ms(median(st["latency_ms"])),
            f"max {fmt_ms(max(st['latency_ms']))}",
        ),
        Row(
            "   final shown result == predict(final drawing)",
            "yes" if final["match"] else "NO",
            target="final_match",
            value=final["match"],
        ),
    ]
    notes = [
        f"Fast stroke: {st['processed']}/{st['events']} mouse events processed, "
        f"refresh throttle {st['frame_interval_ms']} ms; final check {final}."
    ]
    return rows, notes
