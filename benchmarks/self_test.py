"""The benchmark suite's own checks: ``python -m benchmarks --self-test``.

Statistics, targets, the table and every measure's report, fed made-up
results: nothing here runs a measure or times anything, so a renamed key or
a broken row shows up in a second instead of at the end of a seven-minute
run. Standard library only, as the suite.
"""

from __future__ import annotations

import contextlib
import io
import math
import subprocess
import sys
import unittest
from types import SimpleNamespace

from benchmarks import live, memory, startup, stroke, suite, training
from benchmarks.harness import (
    REPO,
    Context,
    Row,
    Table,
    failures,
    median,
    percentile,
    render,
)
from benchmarks.targets import TARGETS, Target


def context(**options) -> Context:
    """Return a measure's context with the given options, as the suite makes it."""
    args = SimpleNamespace(rate=250.0, show=None, **options)
    return Context(args, {}, None, runs=4, startup_runs=2, updates=10)


def labels(rows: list[Row]) -> list[str]:
    """Return the measure column of report rows."""
    return [r.measure for r in rows]


class Harness(unittest.TestCase):
    """Statistics, targets and the table."""

    def test_percentile_interpolates_between_ranks(self):
        """Percentiles interpolate between ranks; none of nothing."""
        values = [4.0, 1.0, 3.0, 2.0]
        self.assertEqual(percentile(values, 0), 1.0)
        self.assertEqual(percentile(values, 100), 4.0)
        self.assertEqual(percentile(values, 50), 2.5)
        self.assertEqual(median(values), 2.5)
        self.assertAlmostEqual(percentile(values, 95), 3.85)
        self.assertEqual(percentile([7.0], 95), 7.0)
        self.assertTrue(math.isnan(percentile([], 50)))

    def test_target_texts_are_the_reports(self):
        """Each target's text is what the report's target column shows."""
        texts = {key: target.text() for key, target in TARGETS.items()}
        self.assertEqual(
            texts,
            {
                "live_p95_ms": "p95 <= 6 ms",
                "gap_ms": "< 20 ms",
                "final_match": "must match",
                "painted_s": "<= 1.0 s",
                "ready_s": "<= 2.0 s",
                "rss_mb": "< 450 MB",
                "growth_mb": "< 20 MB",
                "train_s": "< 300 s",
                "accuracy": ">= 99.2 %",
            },
        )

    def test_verdicts_respect_each_comparison_at_the_bound(self):
        """A figure at the bound passes or fails as its comparison says."""
        self.assertEqual(TARGETS["live_p95_ms"].verdict(6.0), "PASS")
        self.assertEqual(TARGETS["live_p95_ms"].verdict(6.01), "FAIL")
        self.assertEqual(TARGETS["gap_ms"].verdict(20.0), "FAIL")
        self.assertEqual(TARGETS["accuracy"].verdict(0.992), "PASS")
        self.assertEqual(TARGETS["accuracy"].verdict(0.9919), "FAIL")
        self.assertEqual(TARGETS["final_match"].verdict(True), "PASS")
        self.assertEqual(TARGETS["final_match"].verdict(False), "FAIL")
        with self.assertRaisesRegex(ValueError, "comparison"):
            Target("x", "x", 1.0, "s", "==")

    def test_a_row_takes_its_target_text_and_verdict_from_the_table(self):
        """A row's target text and verdict come from its target's key."""
        row = Row("   growth", "+25.0 MB", target="growth_mb", value=25.0)
        self.assertEqual(
            row.cells(), ["   growth", "+25.0 MB", "", "< 20 MB", "FAIL", ""]
        )
        short = Row("   growth", target="growth_mb", status="n/a", target_note=" (x)")
        self.assertEqual(short.cells()[3:5], ["< 20 MB (x)", "n/a"])
        self.assertEqual(Row("plain", "1 s").cells()[3:5], ["", ""])
        rows = [row, short, Row("ok", target="gap_ms", value=1.0)]
        self.assertEqual(failures(rows), ["growth"])

    def test_render_gives_text_and_markdown_with_the_same_cells(self):
        """The text and the Markdown table hold the same cells and notes."""
        rows = [
            Row("1. Thing", "1.00 ms", "2.00 ms", target="live_p95_ms", value=2.0),
            Row("   part | of it", "0.50 ms"),
        ]
        table = Table("Breakdown (ms)", ["step", "median"], "lr", [(0, ["a", "1"])])
        table.rows.append((1, ["b", "22"]))
        plain, markdown = render(rows, ["A note.", table], {"cpu": "x"}, "cmd", "W.")
        lines = plain.splitlines()
        self.assertTrue(
            lines[0].startswith("measure          median   p95 / max  target")
        )
        self.assertIn("PASS", lines[2])
        self.assertIn("p95 <= 6 ms", lines[2])
        self.assertIn("W.", lines)
        self.assertIn("A note.", lines)
        self.assertIn("Breakdown (ms):", plain)
        self.assertIn("  step median\n  a         1\n    b      22", plain)
        self.assertIn(
            "| 1. Thing | 1.00 ms | 2.00 ms | p95 <= 6 ms | PASS |  |", markdown
        )
        self.assertIn("| &nbsp;&nbsp;&nbsp;part \\| of it | 0.50 ms |", markdown)
        self.assertIn("### Breakdown (ms)", markdown)
        self.assertIn("|---|---:|", markdown)
        self.assertIn("| &nbsp;&nbsp;b | 22 |", markdown)
        self.assertTrue(markdown.startswith("Command: `cmd`"))


class Reports(unittest.TestCase):
    """Every measure's report, from made-up results."""

    def test_live_report_has_every_row_the_breakdown_and_view_rows(self):
        """The live update's rows, its breakdown and one row per view shown."""
        sample = {
            "mouse event (stroke ink + refresh)": 3.0,
            "repaint pass": 4.0,
            "total": 7.0,
            "refresh (all)": 2.5,
            "canvas.to_array": 0.1,
            "predict": 1.5,
            live.FORWARD: 1.0,
            **dict.fromkeys(live.SETTERS, 0.1),
            **dict.fromkeys(live.PAINTS, 0.5),
        }
        derived = live._derive(sample)
        self.assertAlmostEqual(derived["preprocess"], 0.5)
        self.assertAlmostEqual(derived["refresh: other (Python glue)"], 0.6)
        self.assertAlmostEqual(derived["mouse event: canvas ink + dispatch"], 0.4)
        self.assertAlmostEqual(
            derived["repaint: Qt repaint manager, flush, other"], 1.0
        )
        info = {
            "window": [1, 2],
            "canvas": [3, 4],
            "feature_maps": [5, 6],
            "torch_threads": 1,
        }
        run = {"total_ms": [5.0, 6.0], "complete": 2}
        result = {
            **run,
            "info": info,
            "event_ms": [2.0],
            "paint_ms": [3.0],
            "rows": [sample],
            "cpu_ms": [3.0, 4.0],
            "cpu_rows": [sample, sample],
            "back_to_back_ms": [4.0],
            "bare_forward_ms": [0.5],
            "bare_forward_1thread_ms": [0.4],
            "load": "L",
            "views": {"kernels": {"total_ms": [6.0, 7.5], "complete": 2}},
        }
        rows, notes = live.report(result, context())
        self.assertTrue(labels(rows)[0].startswith("1. Live update"))
        self.assertEqual(rows[0].status, "PASS")
        self.assertIn(
            "   live update with kernels shown: added cost per update", labels(rows)
        )
        self.assertEqual(rows[-1].median, "+1.25 ms")
        (table,) = [n for n in notes if isinstance(n, Table)]
        self.assertEqual(
            [cells[0] for _, cells in table.rows], [key for _, key in live.BREAKDOWN]
        )
        self.assertIn("   same, the main thread's CPU time only", labels(rows))
        # The breakdown's CPU columns: the total of the made-up samples.
        self.assertEqual(table.rows[-1][1][3:5], ["7.000", "7.000"])

    def test_stroke_startup_memory_and_training_reports(self):
        """The other measures' rows and verdicts."""
        final = {"match": True, "dirty": False}
        rows, _ = stroke.report(
            {
                "events": 750,
                "processed": 750,
                "refreshes": 9,
                "feature_map_paints": 9,
                "max_gap_ms": 12.0,
                "gaps_ms": [1.0, 12.0],
                "latency_ms": [1.0, 2.0],
                "final": final,
                "frame_interval_ms": 17,
                "load": "L",
            },
            context(),
        )
        self.assertEqual([r.status for r in rows], ["", "PASS", "", "PASS"])
        series = {k: [1.0, 2.0] for k in ("painted_s", "ready_s", "built_s")}
        series.update(
            {
                k: [0.5, 0.6]
                for k in (
                    "started_s",
                    "gui_imported_s",
                    "bare_import_s",
                    "torch_import_s",
                )
            },
            rss_mb=[300.0, 301.0],
            load="L",
        )
        rows, notes = startup.report(series, context())
        self.assertEqual([r.status for r in rows], ["FAIL", "PASS", "", ""])
        self.assertEqual(len(notes), 2)
        mem = {
            "after_start_mb": 300.0,
            "after_updates_mb": 310.0,
            "after_gc_mb": 310.0,
            "series": [[0, 300.0], [10, 310.0]],
            "updates": 10,
            "load": "L",
        }
        rows, _ = memory.report(mem, context())
        self.assertEqual([r.status for r in rows], ["PASS", "PASS", "n/a (--quick)"])
        history = [
            {"epoch": 1, "seconds": 10.0, "test_accuracy": 0.98},
            {"epoch": 2, "seconds": 20.0, "test_accuracy": 0.993},
        ]
        meta = {"history": history, "test_accuracy": 0.993, "drawing_seconds": 5.0}
        rows, _ = training.report({"meta": meta, "wall_s": None, "source": "x"}, None)
        self.assertTrue(
            labels(rows)[1].startswith("   time to 99.2 % test accuracy (epoch 2")
        )
        self.assertEqual([r.status for r in rows], ["", "PASS", "PASS"])
        # Real pen digits count in each pass and their drawing in the time to target.
        meta.update(training_images=100, drawn_per_pass=20)
        meta["strokes"] = {"per_pass": 30, "drawing_seconds": 3.0}
        rows, _ = training.report({"meta": meta, "wall_s": None, "source": "x"}, None)
        self.assertIn("(150 images + 10,000 test)", labels(rows)[0])
        self.assertEqual(rows[1].median, "28 s")
        meta["history"] = history[:1]
        rows, _ = training.report({"meta": meta, "wall_s": None, "source": "x"}, None)
        self.assertTrue(rows[1].median.startswith("never"))
        self.assertEqual(rows[1].status, "FAIL")


class Options(unittest.TestCase):
    """The suite's options and what it imports."""

    def test_options_name_known_sections_only(self):
        """``--only`` takes known sections; ``--show`` repeats."""
        args = suite.parse_args(["--only", "live,stroke", "--show", "a", "--show", "b"])
        self.assertEqual(args.only, "live,stroke")
        self.assertEqual(args.show, ["a", "b"])
        with (
            contextlib.redirect_stderr(io.StringIO()),
            self.assertRaises(SystemExit),
        ):
            suite.parse_args(["--only", "live,nonsense"])

    def test_every_view_gets_a_row_unless_views_are_named(self):
        """Every view is timed by default, none with ``--show none``."""
        self.assertEqual(suite.parse_args([]).show, list(suite.VIEWS))
        self.assertEqual(suite.parse_args(["--show", "none"]).show, [])
        # A child times only the views its parent names.
        self.assertEqual(suite.parse_args(["--child", "live"]).show, [])

    def test_the_suite_imports_only_the_standard_library(self):
        """The start-up child runs through the suite: it costs what main.py costs."""
        code = (
            "import sys, benchmarks.suite; "
            "print(sorted(m for m in ('torch', 'numpy', 'PySide6', 'pyqtgraph', "
            "'lenet_gui') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True
        )
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), "[]")


def run() -> int:
    """Run every check; return the exit status (1 if any failed)."""
    checks = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(checks)
    return 0 if result.wasSuccessful() else 1
