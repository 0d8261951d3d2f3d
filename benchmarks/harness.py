"""The benchmark harness: child processes, statistics, the machine, the table.

Measures run in fresh child processes (``python -m benchmarks --child NAME``)
that print one line ``BENCH_JSON:{...}`` with their raw figures; the parent
collects them, adds the machine's load, and renders one table, as text and
as Markdown, whose target column and verdicts come from
:mod:`benchmarks.targets`.

Only the standard library is imported at module level: the start-up child
imports this module and must cost what ``main.py`` costs.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field

from benchmarks.targets import TARGETS

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Starts the line a child prints its results on.
MARKER = "BENCH_JSON:"
#: Names the MNIST directory for training when ``--data`` is not given.
DATA_VARIABLE = "LENET_MNIST"

# =============================================================================
# Child processes
# =============================================================================


def emit(payload: dict) -> None:
    """Print a child's results for the parent (the last marker line counts)."""
    sys.stdout.write(MARKER + json.dumps(payload) + "\n")
    sys.stdout.flush()


#: The screen the children's offscreen platform has: a common desktop monitor.
#: Qt's default offscreen screen is 800x800, which the window, fitted to the
#: screen, would shrink to; measured windows open at their usual 1180x820.
SCREEN = {"name": "bench", "width": 1920, "height": 1080}


def child_env() -> dict:
    """Return the environment for child processes: offscreen, the repo importable."""
    import json
    import tempfile

    env = dict(os.environ)
    screen = os.path.join(tempfile.gettempdir(), "lenet-bench-screen.json")
    with open(screen, "w") as f:
        json.dump({"screens": [SCREEN]}, f)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    env["PYTHONPATH"] = REPO + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    env.setdefault("XDG_RUNTIME_DIR", "/tmp")
    return env


def run_child(name: str, extra: list[str], env: dict, timeout: float = 900) -> dict:
    """Run one measure's child process and return the results it printed.

    Each child gets a throw-away ``XDG_CONFIG_HOME``, so saved window
    geometry never changes the window size and nothing is saved for the user.

    Raises
    ------
    RuntimeError
        If the child printed no results; the message holds its output.
    """
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lenet-bench-") as config:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks", "--child", name, *extra],
            cwd=REPO,
            env=dict(env, XDG_CONFIG_HOME=config),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    raise RuntimeError(
        f"child {name} failed "
        f"({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    )


@dataclass
class Context:
    """What every measure of one run needs: options, environment, weights.

    Attributes
    ----------
    args : argparse.Namespace
        The command line.
    env : dict
        The children's environment (:func:`child_env`).
    weights : str or None
        Weights file for the children; None for the bundled weights.
    runs, startup_runs, updates : int
        Timed live updates, start-up repetitions, memory-test updates.
    """

    args: object
    env: dict
    weights: str | None
    runs: int
    startup_runs: int
    updates: int

    @property
    def weights_args(self) -> list[str]:
        """Return the children's ``--weights`` option, if any."""
        return ["--weights", self.weights] if self.weights else []


# =============================================================================
# Statistics
# =============================================================================


def percentile(values, q: float) -> float:
    """Return the linear-interpolated percentile (`q` in 0..100); NaN if empty."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values) -> float:
    """Return the median (the 50th percentile)."""
    return percentile(values, 50)


# =============================================================================
# The machine and its load
# =============================================================================


def loadavg() -> str:
    """Return the 1, 5 and 15 minute load averages, e.g. ``"0.53/0.89/1.57"``."""
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_snapshot() -> tuple[float, float, float, float]:
    """Return (wall time, CPU s busy machine-wide, CPU s of this benchmark, steal)."""
    import resource

    import psutil

    c = psutil.cpu_times()
    busy = (
        c.user + c.nice + c.system + getattr(c, "irq", 0.0) + getattr(c, "softirq", 0.0)
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    me = resource.getrusage(resource.RUSAGE_SELF)
    own = children.ru_utime + children.ru_stime + me.ru_utime + me.ru_stime
    return time.time(), busy, own, getattr(c, "steal", 0.0)


def other_load(before, after) -> str:
    """Describe the CPU cores other processes kept busy between two snapshots."""
    wall = after[0] - before[0]
    if wall <= 0:
        return "?"
    others = max(0.0, (after[1] - before[1]) - (after[2] - before[2])) / wall
    steal = (after[3] - before[3]) / wall
    return f"{others:.2f} cores busy with other processes" + (
        f", steal {steal:.2f}" if steal > 0.01 else ""
    )


def machine_info() -> dict:
    """Describe the CPU, memory, OS and the versions that matter."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def ver(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "missing"

    mem = "?"
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": ver("torch"),
        "PySide6": ver("PySide6-Essentials")
        if ver("PySide6") == "missing"
        else ver("PySide6"),
        "pyqtgraph": ver("pyqtgraph"),
        "numpy": ver("numpy"),
        "qpa": "offscreen",
    }


def code_fingerprint() -> str:
    """Return the sha256 of the lenet_gui sources measured, with the newest mtime."""
    import hashlib

    digest = hashlib.sha256()
    newest = 0.0
    package = os.path.join(REPO, "lenet_gui")
    for folder, _, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, REPO).encode())
                with open(path, "rb") as f:
                    digest.update(f.read())
                newest = max(newest, os.path.getmtime(path))
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(newest))
    return f"lenet_gui sources sha256 {digest.hexdigest()[:12]} (newest file {stamp})"


def timed_section(name: str, run) -> dict:
    """Run one measure, adding to its results the machine's load while it ran."""
    print(f"  running {name} ...", file=sys.stderr, flush=True)
    before, snap = loadavg(), cpu_snapshot()
    t = time.time()
    result = run()
    result["load"] = f"{before} -> {loadavg()}; {other_load(snap, cpu_snapshot())}"
    print(
        f"    done in {time.time() - t:.0f} s, load {result['load']}",
        file=sys.stderr,
        flush=True,
    )
    return result


# =============================================================================
# The table
# =============================================================================

HEAD = ["measure", "median", "p95 / max", "target", "status", "load avg (1/5/15 min)"]


@dataclass
class Row:
    """One row of the results table.

    Parameters
    ----------
    measure : str
        What the row shows; rows that belong to the one above start with
        three spaces.
    median, spread : str
        The figure and its spread (p95 or max), formatted.
    target : str
        A key of :data:`~benchmarks.targets.TARGETS`, or ``""``.
    value : float or bool, optional
        Compared with the target for the verdict; None gives none.
    status : str
        The status shown when there is no value to compare.
    target_note : str
        Added to the target's text, e.g. ``" (over 10,000)"``.
    load : str
        The machine's load while the measure ran (its first row only).
    """

    measure: str
    median: str = ""
    spread: str = ""
    target: str = ""
    value: float | bool | None = None
    status: str = ""
    target_note: str = ""
    load: str = ""

    def __post_init__(self) -> None:
        if self.target and self.value is not None:
            self.status = TARGETS[self.target].verdict(self.value)

    def cells(self) -> list[str]:
        """Return the six cells of the row, as in :data:`HEAD`."""
        target = TARGETS[self.target].text() + self.target_note if self.target else ""
        return [self.measure, self.median, self.spread, target, self.status, self.load]


@dataclass
class Table:
    """A smaller table printed after the results, e.g. the live update's breakdown.

    Rows are (depth, cells): depth indents the first cell, by two spaces in
    text and ``&nbsp;&nbsp;`` in Markdown.
    """

    title: str
    head: list[str]
    align: str  # one of "l" or "r" per column
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def text(self) -> list[str]:
        """Return the table as plain-text lines."""
        lines = [[*self.head], *([" " * 2 * d + c[0], *c[1:]] for d, c in self.rows)]
        widths = [max(len(line[i]) for line in lines) for i in range(len(self.head))]

        def fmt(line):
            return "  " + " ".join(
                c.ljust(w) if a == "l" else c.rjust(w)
                for c, w, a in zip(line, widths, self.align, strict=True)
            )

        return [f"\n{self.title}:", *(fmt(line).rstrip() for line in lines)]

    def markdown(self) -> list[str]:
        """Return the table as Markdown lines, under a heading."""
        rule = "|" + "|".join("---" if a == "l" else "---:" for a in self.align) + "|"
        rows = [
            "| " + " | ".join(["&nbsp;&nbsp;" * d + c[0], *c[1:]]) + " |"
            for d, c in self.rows
        ]
        return [
            f"\n### {self.title}\n",
            "| " + " | ".join(self.head) + " |",
            rule,
            *rows,
        ]


def fmt_ms(v: float) -> str:
    """Format milliseconds as the table shows them."""
    return f"{v:.2f} ms"


def stat_row(label: str, values: list[float]) -> Row:
    """Return a row with the median and p95 of `values`, in ms."""
    return Row(label, fmt_ms(median(values)), fmt_ms(percentile(values, 95)))


def render(
    rows: list[Row], notes: list, machine: dict, command: str, weights_note: str
) -> tuple[str, str]:
    """Render the results as plain text and as Markdown.

    Parameters
    ----------
    rows : list of Row
        The results table.
    notes : list of str or Table
        Lines and smaller tables printed after it.
    machine : dict
        :func:`machine_info` (and the code's fingerprint), for the Markdown.
    command, weights_note : str
        The command run and which weights were used.
    """
    cells = [r.cells() for r in rows]
    widths = [max(len(str(r[i])) for r in [HEAD, *cells]) for i in range(len(HEAD))]
    text = ["  ".join(str(c).ljust(w) for c, w in zip(HEAD, widths, strict=True))]
    text.append("  ".join("-" * w for w in widths))
    text += [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in cells
    ]
    md = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    md += [
        ("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |").replace(
            "|    ", "| &nbsp;&nbsp;&nbsp;", 1
        )
        for r in cells
    ]
    text_notes, md_notes = [], []
    for note in notes:
        if isinstance(note, Table):
            text_notes += note.text()
            md_notes += note.markdown()
        else:
            text_notes.append(note)
            md_notes.append("\n" + note)
    mach = ", ".join(f"{k} {v}" for k, v in machine.items())
    plain = "\n".join([*text, "", weights_note, *text_notes])
    markdown = "\n".join(
        [f"Command: `{command}`\n", f"Machine: {mach}\n", weights_note + "\n", *md]
        + md_notes
    )
    return plain, markdown


def failures(rows: list[Row]) -> list[str]:
    """Return the measures whose verdict is FAIL."""
    return [r.measure.strip() for r in rows if r.status == "FAIL"]


def write_json(path: str, machine: dict, results: dict, failed: list[str]) -> None:
    """Write the raw results, the machine and the failed measures as JSON."""
    with open(path, "w") as f:
        json.dump({"machine": machine, "results": results, "failed": failed}, f)
