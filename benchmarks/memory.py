"""Memory: resident set size after start-up, then over many live updates.

Child (``--child memory``): a window started as ``main.py`` starts it
(PySide6's import check skipped, then ``MainWindow(defer_model=True)``: the
bundled weights load on a worker thread), RSS once the model is ready, then
every tenth of the updates, back to back, and after ``gc.collect()``. With
``--weights FILE`` the window is given that classifier instead.
"""

from __future__ import annotations

from benchmarks.harness import Context, Row, run_child

NAME = "memory"
#: Updates the growth target is stated for.
FULL_RUN = 10_000


def child(args) -> dict:
    """Return RSS (MB) after start-up and over `args.updates` live updates."""
    import gc
    import time

    import psutil

    from lenet_gui.gui.pyside_imports import skip_feature_check

    skip_feature_check()  # as the command line does before the window's imports
    from benchmarks.driver import Driver, make_app
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    proc = psutil.Process()
    app = make_app()
    if args.weights:
        window = MainWindow(Classifier.load(args.weights))
    else:
        window = MainWindow(defer_model=True)
    window.show()
    driver = Driver(app, window)
    deadline = time.perf_counter() + 60
    while window.session.network.classifier is None and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)
    driver.settle(0.5)

    def rss() -> float:
        return proc.memory_info().rss / 2**20

    after_start = rss()
    series = [(0, after_start)]
    every = max(1, args.updates // 10)
    count = 0

    def update(x, y):
        nonlocal count
        driver.move_and_paint(x, y)
        count += 1
        if count % every == 0:
            series.append((count, rss()))

    driver.run_updates(args.updates, update, paced=False)
    driver.settle(0.2)
    final = rss()
    gc.collect()
    after_gc = rss()
    window.close()
    return {
        "after_start_mb": after_start,
        "after_updates_mb": final,
        "after_gc_mb": after_gc,
        "series": series,
        "updates": count,
    }


def measure(ctx: Context) -> dict:
    """Run the memory child."""
    extra = [*ctx.weights_args, "--updates", str(ctx.updates)]
    return run_child(NAME, extra, ctx.env, timeout=3600)


def report(mem: dict, ctx: Context) -> tuple[list[Row], list]:
    """Return the memory rows and notes."""
    growth = mem["after_updates_mb"] - mem["after_start_mb"]
    full = mem["updates"] >= FULL_RUN
    rows = [
        Row(
            "4. RSS after start-up (model loaded, window shown)",
            f"{mem['after_start_mb']:.0f} MB",
            target="rss_mb",
            value=mem["after_start_mb"],
            load=mem["load"],
        ),
        Row(
            f"   RSS after {mem['updates']:,} live updates",
            f"{mem['after_updates_mb']:.0f} MB",
            target="rss_mb",
            value=mem["after_updates_mb"],
        ),
        Row(
            f"   growth over {mem['updates']:,} updates",
            f"{growth:+.1f} MB",
            target="growth_mb",
            # A short run cannot tell a one-off warm-up from a leak.
            value=growth if full else None,
            status="" if full else "n/a (--quick)",
            target_note="" if full else f" (over {FULL_RUN:,})",
        ),
    ]
    notes = [
        "Memory (updates, RSS MB): "
        + ", ".join(f"{c}: {m:.1f}" for c, m in mem["series"])
        + f"; after gc.collect(): {mem['after_gc_mb']:.1f}."
    ]
    return rows, notes
