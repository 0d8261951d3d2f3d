"""Where the memory of a long session goes: growth over live updates, by kind.

    python -m benchmarks.memory_growth [--marks 1 200 1000 3000 10000]

Starts the window as ``benchmarks.memory`` does (offscreen, the bundled
weights loaded after the first paint), then draws digits update after
update, back to back, and at each mark prints the change since the mark
before in:

- RSS by mapping (``/proc/self/smaps``): ``[heap]`` is the C library's main
  heap (Python's large objects, numpy's and torch's arrays, Qt's and
  torch's own allocations), ``[anon]`` anonymous mappings (Python's object
  arenas, other threads' heaps), a library's name the pages of its code and
  data read in for the first time;
- the main heap's bytes in use and free (``mallinfo2``);
- Python objects by type (``gc.get_objects``), and with ``--trace`` the
  lines of Python that allocated the most (``tracemalloc``, slow).

It prints figures; it asserts nothing. Linux only (``/proc``, glibc).
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import gc
import os
import tempfile
import time
import tracemalloc


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks "
            "keepcost"
        ).split()
    ]


def rss_by_mapping() -> collections.Counter[str]:
    """Resident KB per mapping name: a library's file name, [heap], [anon], ..."""
    out: collections.Counter[str] = collections.Counter()
    name = "[anon]"
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            parts = line.split()
            if parts and "-" in parts[0] and len(parts) >= 5 and ":" in parts[3]:
                name = parts[5].rsplit("/", 1)[-1] if len(parts) > 5 else "[anon]"
            elif parts and parts[0] == "Rss:":
                out[name] += int(parts[1])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--marks", type=int, nargs="+", default=[1, 200, 1000, 3000, 10000]
    )
    parser.add_argument("--trace", action="store_true", help="tracemalloc, slow")
    args = parser.parse_args(argv)

    from benchmarks.harness import child_env

    # Offscreen on the benchmarks' screen, with no saved settings.
    os.environ.update({k: v for k, v in child_env().items() if k.startswith("QT_")})
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="lenet-memory-")
    from lenet_gui.gui.pyside_imports import skip_feature_check

    skip_feature_check()
    from benchmarks.driver import Driver, make_app
    from lenet_gui.gui import MainWindow

    app = make_app()
    window = MainWindow(defer_model=True)
    window.show()
    driver = Driver(app, window)
    while window.session.network.classifier is None:
        app.processEvents()
        time.sleep(0.002)
    driver.settle(0.5)
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2

    def counts() -> collections.Counter[str]:
        return collections.Counter(type(o).__name__ for o in gc.get_objects())

    def report(label: str) -> None:
        nonlocal before_maps, before_counts, before_trace
        maps, objects, info = rss_by_mapping(), counts(), libc.mallinfo2()
        total = sum(maps.values()) / 1024
        print(
            f"{label}: RSS {total:.1f} MB; main heap in use "
            f"{info.uordblks / 2**20:.1f} MB, free {info.fordblks / 2**20:.1f} MB; "
            f"{sum(objects.values()):,} Python objects",
            flush=True,
        )
        if before_maps is not None:
            changed = {
                k: maps[k] - before_maps[k]
                for k in maps | before_maps
                if abs(maps[k] - before_maps[k]) >= 100
            }
            top = sorted(changed.items(), key=lambda kv: -abs(kv[1]))[:8]
            print("   RSS change by mapping (KB):", top)
            moved = {
                k: objects[k] - before_counts[k]
                for k in objects | before_counts
                if objects[k] != before_counts[k]
            }
            top_objects = sorted(moved.items(), key=lambda kv: -abs(kv[1]))[:8]
            print("   Python objects by type:", top_objects)
        if args.trace:
            snapshot = tracemalloc.take_snapshot()
            if before_trace is not None:
                for stat in snapshot.compare_to(before_trace, "lineno")[:5]:
                    print(f"   {stat}")
            before_trace = snapshot
        before_maps, before_counts = maps, objects

    before_maps: collections.Counter[str] | None = None
    before_counts: collections.Counter[str] = collections.Counter()
    before_trace: tracemalloc.Snapshot | None = None
    if args.trace:
        tracemalloc.start()
    report("model ready")
    done = 0

    def update(x: float, y: float) -> None:
        nonlocal done
        driver.move_and_paint(x, y)
        done += 1

    for mark in sorted(args.marks):
        driver.run_updates(mark - done, update, paced=False)
        driver.settle(0.2)
        report(f"after {done:,} updates")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
