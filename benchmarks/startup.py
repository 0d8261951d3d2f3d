"""Start-up: ``python main.py`` to the first painted window and to the model ready.

Child (``--child startup``): does what ``main.py`` does, ``cli.main()``, with
the same imports in the same order, but makes the QApplication itself first
(``cli.main`` reuses it) to install an application-wide event filter. The
filter notes the main window's first ``Show`` (built and shown), its first
``Paint`` (done once that paint pass has returned to the event loop) and
then, through the public ``window.session`` signals, the first prediction
the session makes with the loaded model; at the last two also the CPU time
the process has used, which a busy machine changes far less than the
clock. Only the standard library is imported before that, as ``main.py``
imports nothing else either.

Parent: the child several times (one warm-up not counted), each followed by
a bare ``python -c "import torch, PySide6.QtWidgets, pyqtgraph"`` and
``python -c "import torch"``.
"""

from __future__ import annotations

import sys
import time

from benchmarks.harness import REPO, Context, Row, median, run_child

NAME = "startup"


# =============================================================================
# Child
# =============================================================================


def child(args) -> dict:
    """Start the app as main.py does and return the moments it got somewhere."""
    stamps: dict = {"child_start": time.time(), "cpu": {}}
    # The imports main.py and cli.main make, in their order, timed.
    from PySide6.QtWidgets import QApplication

    from lenet_gui.gui.cli import main

    stamps["gui_imported"] = time.time()
    app = QApplication([sys.argv[0]])
    # The window's class is looked up when a window shows: importing it here
    # would import the window's modules before cli.main, unlike main.py.
    probe = _probe(app, stamps, _is_main_window)
    app.installEventFilter(probe)
    stamps["status"] = main(["--weights", args.weights] if args.weights else [])
    return stamps


def _is_main_window(widget) -> bool:
    window = sys.modules.get("lenet_gui.gui.window")
    return window is not None and isinstance(widget, window.MainWindow)


def _probe(app, stamps: dict, is_window):
    """Return the event filter that stamps the window's progress and then closes it."""
    from PySide6.QtCore import QEvent, QObject, QTimer, Slot
    from PySide6.QtWidgets import QMessageBox

    class Probe(QObject):
        def __init__(self):
            super().__init__()
            self.window = None

        def eventFilter(self, watched, event):  # noqa: N802
            kind = event.type()
            if kind == QEvent.Type.Show and isinstance(watched, QMessageBox):
                # A warning (e.g. no bundled weights) must not wait for a person.
                stamps.setdefault("warnings", []).append(watched.text())
                QTimer.singleShot(0, watched.reject)
            elif kind == QEvent.Type.Show and is_window(watched):
                if self.window is None:
                    self.found(watched)
            elif (
                kind == QEvent.Type.Paint
                and watched is self.window
                and "paint_start" not in stamps
            ):
                stamps["paint_start"] = time.time()
                # Filtering every event costs; the first paint is all we need.
                app.removeEventFilter(self)
                # Posted now, run once this paint pass (children too) and the
                # flush to the backing store are done.
                QTimer.singleShot(0, self.painted)
            return False

        def found(self, window):
            stamps["window_built"] = time.time()
            self.window = window
            session = window.session
            session.predictionChanged.connect(self.predicted)
            session.network.classifierChanged.connect(self.classifier_changed)
            # Weights loaded before the window showed.
            if window.session.network.classifier is not None:
                stamps["ready"] = time.time()
            QTimer.singleShot(60_000, app.quit)

        @Slot()
        def painted(self):
            stamps["painted"] = time.time()
            stamps["cpu"]["painted"] = time.process_time()
            self.maybe_quit()

        @Slot(object)
        def predicted(self, _result):
            # The session's first prediction with a model: the refresh it
            # makes on taking the classifier, after the window's own slots.
            if (
                "ready" not in stamps
                and self.window.session.network.classifier is not None
            ):
                stamps["ready"] = time.time()
                stamps["cpu"]["ready"] = time.process_time()
                self.maybe_quit()

        @Slot(object)
        def classifier_changed(self, classifier):
            if classifier is None:
                # The window warns next: dismiss that and stop, unready.
                stamps["load_error"] = "the weights could not be loaded"
                app.installEventFilter(self)
                QTimer.singleShot(0, self.window.close)

        def maybe_quit(self):
            if "painted" in stamps and "ready" in stamps:
                import psutil

                stamps["rss_mb"] = psutil.Process().memory_info().rss / 2**20
                QTimer.singleShot(0, self.window.close)

    return Probe()


# =============================================================================
# Parent
# =============================================================================


def measure(ctx: Context) -> dict:
    """Start the app several times, each beside the bare imports."""
    import subprocess

    series = {
        k: []
        for k in (
            "painted_s",
            "ready_s",
            "built_s",
            "started_s",
            "gui_imported_s",
            "bare_import_s",
            "torch_import_s",
            "rss_mb",
            "painted_cpu_s",
            "ready_cpu_s",
        )
    }

    def imported_at(code: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", f"{code}; import time; print(time.time())"],
            cwd=REPO,
            env=ctx.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout.strip().splitlines()[-1])

    for i in range(ctx.startup_runs + 1):  # run 0 warms the file cache only
        t0 = time.time()
        s = run_child(NAME, ctx.weights_args, ctx.env)
        t1 = time.time()
        bare = imported_at("import torch, PySide6.QtWidgets, pyqtgraph") - t1
        t2 = time.time()
        torch_only = imported_at("import torch") - t2
        if "ready" not in s or "painted" not in s:
            raise RuntimeError(f"start-up: the app never got ready: {s}")
        if i == 0:
            continue
        for key, stamp in (
            ("painted_s", "painted"),
            ("ready_s", "ready"),
            ("built_s", "window_built"),
            ("started_s", "child_start"),
            ("gui_imported_s", "gui_imported"),
        ):
            series[key].append(s[stamp] - t0)
        series["bare_import_s"].append(bare)
        series["torch_import_s"].append(torch_only)
        series["rss_mb"].append(s.get("rss_mb", float("nan")))
        for key in ("painted", "ready"):
            series[f"{key}_cpu_s"].append(s["cpu"].get(key, float("nan")))
    return series


def report(su: dict, ctx: Context) -> tuple[list[Row], list]:
    """Return the start-up rows and notes."""
    n = len(su["painted_s"])
    p, r = median(su["painted_s"]), median(su["ready_s"])

    def bare(label, key):
        values = su[key]
        return Row(label, f"{median(values):.3f} s", f"max {max(values):.3f} s")

    rows = [
        Row(
            f"3. Start-up: process start -> first painted window (median of {n})",
            f"{p:.3f} s",
            f"max {max(su['painted_s']):.3f} s",
            target="painted_s",
            value=p,
            load=su["load"],
        ),
        Row(
            "   process start -> model loaded, first prediction possible",
            f"{r:.3f} s",
            f"max {max(su['ready_s']):.3f} s",
            target="ready_s",
            value=r,
        ),
        bare(
            '   bare `python -c "import torch, PySide6.QtWidgets, pyqtgraph"`',
            "bare_import_s",
        ),
        bare('   bare `python -c "import torch"`', "torch_import_s"),
    ]
    notes = [
        "Start-up phases (medians, from process start): interpreter up and "
        f"benchmark wrapper loaded {median(su['started_s']):.3f} s; "
        "PySide6.QtWidgets and the lenet_gui.gui package imported "
        f"{median(su['gui_imported_s']):.3f} s; QApplication + MainWindow built "
        f"and shown {median(su['built_s']):.3f} s; first paint done {p:.3f} s; "
        f"model ready {r:.3f} s. RSS at ready: {median(su['rss_mb']):.0f} MB.",
        "Start-up: painted/ready runs: "
        + ", ".join(
            f"{a:.2f}/{b:.2f}"
            for a, b in zip(su["painted_s"], su["ready_s"], strict=True)
        )
        + " s; bare imports: "
        + ", ".join(f"{a:.2f}" for a in su["bare_import_s"])
        + " s (one warm-up run not counted).",
    ]
    if su.get("painted_cpu_s") and su.get("ready_cpu_s"):  # not in older results
        notes.append(
            "Start-up: CPU time of the whole process (every thread) at the first "
            f"paint {median(su['painted_cpu_s']):.3f} s and at ready "
            f"{median(su['ready_cpu_s']):.3f} s (medians; a busy machine changes "
            "these far less than the wall-clock times)."
        )
    return rows, notes
