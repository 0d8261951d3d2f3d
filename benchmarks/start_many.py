"""Start the app many times in a row; every start must paint and get ready.

    python -m benchmarks.start_many [--starts 30] [--weights FILE]
    python -m benchmarks.start_many --starts 10 --tree OTHER --tree .

Each start is the start-up benchmark's child (``cli.main`` as ``main.py``
runs it, offscreen, a fresh settings folder), which closes the window once
the model has read something. A start that crashes, hangs (more than
``--timeout`` seconds), writes a traceback or never gets ready counts as a
failure. Prints one line per start and a summary; exits 1 if any failed.
With ``--tree`` (given twice or more), starts each copy of the app in
turn, start by start (the order reversed every other round), each with
its own start-up child, and prints the medians of each: a comparison
that a machine whose load drifts disturbs less than runs one after the
other.
The weights load on a worker thread while the window paints: that must
never deadlock or crash a start, and thirty starts in a row find out.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.harness import MARKER, REPO, child_env


def one_start(
    weights: str | None, timeout: float, tree: str = REPO
) -> tuple[str, dict]:
    """Run one start of the app in `tree`; return ("ok" or what went wrong, stamps)."""
    import json

    extra = ["--weights", weights] if weights else []
    with tempfile.TemporaryDirectory(prefix="lenet-start-") as config:
        began = time.time()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "benchmarks", "--child", "startup", *extra],
                cwd=tree,
                env=dict(child_env(), XDG_CONFIG_HOME=config, PYTHONPATH=tree),
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return f"hung for more than {timeout:.0f} s", {}
    stamps: dict = {}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARKER):
            stamps = json.loads(line[len(MARKER) :])
            break
    if proc.returncode != 0:
        return f"exit status {proc.returncode}: {proc.stderr.strip()[-300:]}", stamps
    if "Traceback" in proc.stderr:
        return "traceback: " + proc.stderr.strip()[-300:], stamps
    if "ready" not in stamps or "painted" not in stamps:
        return f"never got ready: {stamps}", stamps
    stamps["began"] = began
    return "ok", stamps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=30)
    parser.add_argument("--weights", help="a weights file for every start")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        help="a copy of the app to start (repeat: alternated start by start)",
    )
    args = parser.parse_args(argv)
    trees = [os.path.abspath(t) for t in args.tree] or [REPO]
    times: dict[str, list[tuple[float, float]]] = {t: [] for t in trees}
    failures = 0
    for n in range(1, args.starts + 1):
        for tree in trees if n % 2 else trees[::-1]:
            failures += _start(n, tree, args, times, len(trees) > 1)
    if len(trees) > 1:
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        for tree, pairs in times.items():
            if pairs:
                painted = statistics.median(p for p, _ in pairs)
                ready = statistics.median(r for _, r in pairs)
                print(
                    f"{tree}: painted {painted:.3f} s, ready {ready:.3f} s "
                    f"(medians of {len(pairs)})"
                )
    total = args.starts * len(trees)
    print(f"{total - failures} of {total} starts ready, {failures} failed")
    return 1 if failures else 0


def _start(
    n: int,
    tree: str,
    args: argparse.Namespace,
    times: dict[str, list[tuple[float, float]]],
    named: bool,
) -> int:
    """Start the app in `tree` once, print how it went; return 1 if it failed."""
    outcome, stamps = one_start(args.weights, args.timeout, tree)
    where = f" {tree}" if named else ""
    if outcome != "ok":
        print(f"start {n:>3}{where}: FAILED, {outcome}", flush=True)
        return 1
    began = stamps["began"]
    painted, ready = stamps["painted"] - began, stamps["ready"] - began
    times[tree].append((painted, ready))
    print(
        f"start {n:>3}{where}: ok, painted {painted:.2f} s, ready {ready:.2f} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
