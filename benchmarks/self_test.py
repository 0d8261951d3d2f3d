"""The benchmark suite's pure parts: statistics, targets, the table, the reports.

Nothing here runs a benchmark or times anything: the reports are fed
made-up results, so a renamed key or a broken row shows up in the test suite
instead of at the end of a seven-minute run.
"""

import math
import subprocess
import sys
from types import SimpleNamespace

import pytest

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


def test_percentile_interpolates_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile(values, 50) == median(values) == 2.5
    assert percentile(values, 95) == pytest.approx(3.85)
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_target_texts_are_the_reports():
    texts = {key: target.text() for key, target in TARGETS.items()}
    assert texts == {
        "live_p95_ms": "p95 <= 6 ms",
        "gap_ms": "< 20 ms",
        "final_match": "must match",
        "painted_s": "<= 1.0 s",
        "ready_s": "<= 2.0 s",
        "rss_mb": "< 450 MB",
        "growth_mb": "< 20 MB",
        "train_s": "< 300 s",
        "accuracy": ">= 99.2 %",
    }


def test_verdicts_respect_each_comparison_at_the_bound():
    assert TARGETS["live_p95_ms"].verdict(6.0) == "PASS"
    assert TARGETS["live_p95_ms"].verdict(6.01) == "FAIL"
    assert TARGETS["gap_ms"].verdict(20.0) == "FAIL"
    assert TARGETS["accuracy"].verdict(0.992) == "PASS"
    assert TARGETS["accuracy"].verdict(0.9919) == "FAIL"
    assert TARGETS["final_match"].verdict(True) == "PASS"
    assert TARGETS["final_match"].verdict(False) == "FAIL"
    with pytest.raises(ValueError, match="comparison"):
        Target("x", "x", 1.0, "s", "==")


def test_a_row_takes_its_target_text_and_verdict_from_the_table():
    row = Row("   growth", "+25.0 MB", target="growth_mb", value=25.0)
    assert row.cells() == ["   growth", "+25.0 MB", "", "< 20 MB", "FAIL", ""]
    short = Row("   growth", target="growth_mb", status="n/a", target_note=" (x)")
    assert short.cells()[3:5] == ["< 20 MB (x)", "n/a"]
    assert Row("plain", "1 s").cells()[3:5] == ["", ""]
    rows = [row, short, Row("ok", target="gap_ms", value=1.0)]
    assert failures(rows) == ["growth"]


def test_render_gives_text_and_markdown_with_the_same_cells():
    rows = [
        Row("1. Thing", "1.00 ms", "2.00 ms", target="live_p95_ms", value=2.0),
        Row("   part | of it", "0.50 ms"),
    ]
    table = Table("Breakdown (ms)", ["step", "median"], "lr", [(0, ["a", "1"])])
    table.rows.append((1, ["b", "22"]))
    plain, markdown = render(rows, ["A note.", table], {"cpu": "x"}, "cmd", "W.")
    lines = plain.splitlines()
    assert lines[0].startswith("measure          median   p95 / max  target")
    assert "PASS" in lines[2] and "p95 <= 6 ms" in lines[2]
    assert "W." in lines and "A note." in lines
    assert "Breakdown (ms):" in plain
    assert "  step median\n  a         1\n    b      22" in plain
    assert "| 1. Thing | 1.00 ms | 2.00 ms | p95 <= 6 ms | PASS |  |" in markdown
    assert "| &nbsp;&nbsp;&nbsp;part \\| of it | 0.50 ms |" in markdown
    assert "### Breakdown (ms)" in markdown and "|---|---:|" in markdown
    assert "| &nbsp;&nbsp;b | 22 |" in markdown
    assert markdown.startswith("Command: `cmd`")


def context(**options):
    args = SimpleNamespace(rate=250.0, show=None, **options)
    return Context(args, {}, None, runs=4, startup_runs=2, updates=10)


def labels(rows):
    return [r.measure for r in rows]


def test_live_report_has_every_row_the_breakdown_and_view_rows():
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
    assert derived["preprocess"] == pytest.approx(0.5)
    assert derived["refresh: other (Python glue)"] == pytest.approx(0.6)
    assert derived["mouse event: canvas ink + dispatch"] == pytest.approx(0.4)
    assert derived["repaint: Qt repaint manager, flush, other"] == pytest.approx(1.0)
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
        "back_to_back_ms": [4.0],
        "bare_forward_ms": [0.5],
        "bare_forward_1thread_ms": [0.4],
        "load": "L",
        "views": {"kernels": {"total_ms": [6.0, 7.5], "complete": 2}},
    }
    rows, notes = live.report(result, context())
    assert labels(rows)[0].startswith("1. Live update")
    assert rows[0].status == "PASS"
    assert "   live update with kernels shown: added cost per update" in labels(rows)
    assert rows[-1].median == "+1.25 ms"
    (table,) = [n for n in notes if isinstance(n, Table)]
    assert [cells[0] for _, cells in table.rows] == [key for _, key in live.BREAKDOWN]


def test_stroke_startup_memory_and_training_reports():
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
    assert [r.status for r in rows] == ["", "PASS", "", "PASS"]
    series = {k: [1.0, 2.0] for k in ("painted_s", "ready_s", "built_s")}
    series.update(
        {
            k: [0.5, 0.6]
            for k in ("started_s", "gui_imported_s", "bare_import_s", "torch_import_s")
        },
        rss_mb=[300.0, 301.0],
        load="L",
    )
    rows, notes = startup.report(series, context())
    assert [r.status for r in rows] == ["FAIL", "PASS", "", ""]
    assert len(notes) == 2
    mem = {
        "after_start_mb": 300.0,
        "after_updates_mb": 310.0,
        "after_gc_mb": 310.0,
        "series": [[0, 300.0], [10, 310.0]],
        "updates": 10,
        "load": "L",
    }
    rows, _ = memory.report(mem, context())
    assert [r.status for r in rows] == ["PASS", "PASS", "n/a (--quick)"]
    history = [
        {"epoch": 1, "seconds": 10.0, "test_accuracy": 0.98},
        {"epoch": 2, "seconds": 20.0, "test_accuracy": 0.993},
    ]
    meta = {"history": history, "test_accuracy": 0.993, "drawing_seconds": 5.0}
    rows, _ = training.report({"meta": meta, "wall_s": None, "source": "x"}, None)
    assert labels(rows)[1].startswith("   time to 99.2 % test accuracy (epoch 2")
    assert [r.status for r in rows] == ["", "PASS", "PASS"]
    # Real pen digits count in each pass and their drawing in the time to target.
    meta.update(training_images=100, drawn_per_pass=20)
    meta["strokes"] = {"per_pass": 30, "drawing_seconds": 3.0}
    rows, _ = training.report({"meta": meta, "wall_s": None, "source": "x"}, None)
    assert "(150 images + 10,000 test)" in labels(rows)[0]
    assert rows[1].median == "28 s"
    meta["history"] = history[:1]
    rows, _ = training.report({"meta": meta, "wall_s": None, "source": "x"}, None)
    assert rows[1].median.startswith("never") and rows[1].status == "FAIL"


def test_options_name_known_sections_only():
    args = suite.parse_args(["--only", "live,stroke", "--show", "a", "--show", "b"])
    assert args.only == "live,stroke" and args.show == ["a", "b"]
    with pytest.raises(SystemExit):
        suite.parse_args(["--only", "live,nonsense"])


def test_every_view_gets_a_row_unless_views_are_named():
    assert suite.parse_args([]).show == list(suite.VIEWS)
    assert suite.parse_args(["--show", "none"]).show == []
    # A child times only the views its parent names.
    assert suite.parse_args(["--child", "live"]).show == []


def test_the_suite_imports_only_the_standard_library():
    # The start-up child runs through the suite: it must cost what main.py costs.
    code = (
        "import sys, benchmarks.suite; "
        "print(sorted(m for m in ('torch', 'numpy', 'PySide6', 'pyqtgraph', "
        "'lenet_gui') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
