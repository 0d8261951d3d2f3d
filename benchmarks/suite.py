"""The benchmark suite: options, the measures in order, the report, the verdict.

``python benchmarks/bench.py`` and ``python -m benchmarks`` both run
:func:`main`. Each measure is a module with ``measure(ctx)`` (run in the
parent: starts its child processes), ``report(result, ctx)`` (its rows and
notes) and, unless it is training, ``child(args)`` (what runs in the child,
``--child NAME``). The exit status is 1 when a figure misses its target
(:mod:`benchmarks.targets`), 2 when a measure could not run. ``--self-test``
runs the suite's own checks instead (:mod:`benchmarks.self_test`).

Only the standard library is imported at module level: the start-up child
runs through here and must cost what ``main.py`` costs.
"""

from __future__ import annotations

import argparse
import os
import sys

from benchmarks import live, memory, startup, stroke, training
from benchmarks.harness import (
    DATA_VARIABLE,
    REPO,
    Context,
    child_env,
    code_fingerprint,
    emit,
    failures,
    loadavg,
    machine_info,
    render,
    timed_section,
    write_json,
)

# With a weights file, start-up is not main.py's deferred load of the bundled file.
_STARTUP_WITH_FILE = (
    "start-up runs `main.py --weights FILE`, which loads the weights before "
    "the window shows"
)

#: The views timed by default, one live-update row each (`--show`).
VIEWS = (
    "network",
    "kernels",
    "attribution",
    "looks-for",
    "invariance",
    "compare",
    "checkpoints",
    "convolution",
)

#: The measures, in the order they run and are reported.
MEASURES = {m.NAME: m for m in (live, stroke, startup, memory, training)}


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line (the parent's options and the children's)."""
    p = argparse.ArgumentParser(
        prog="python benchmarks/bench.py",
        description="Benchmarks of LeNet-5 Explorer (offscreen).",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="short run: fewer samples, 1,000 memory updates, no training",
    )
    p.add_argument(
        "--skip-training",
        action="store_true",
        help="skip the training benchmark (minutes)",
    )
    p.add_argument(
        "--training-json",
        metavar="FILE",
        help="report a recorded training run's JSON instead of training",
    )
    p.add_argument(
        "--runs",
        type=int,
        default=None,
        help="timed live updates (default 1000, --quick 200)",
    )
    p.add_argument(
        "--startup-runs",
        type=int,
        default=None,
        help="start-up repetitions (default 7, --quick 3)",
    )
    p.add_argument(
        "--updates",
        type=int,
        default=None,
        help=f"live updates for the memory test (default {memory.FULL_RUN})",
    )
    p.add_argument(
        "--only",
        default=",".join(MEASURES),
        help="comma-separated sections to run (default: %(default)s)",
    )
    p.add_argument(
        "--show",
        action="append",
        metavar="VIEW",
        help="also time the live update with this view shown "
        "(window.show_panel(VIEW)); one row per view; repeatable "
        f"(default: {', '.join(VIEWS)}; 'none' for no view rows)",
    )
    p.add_argument(
        "--weights",
        metavar="FILE",
        help="weights to use (default: the bundled weights/lenet5.pt)",
    )
    p.add_argument(
        "--data",
        metavar="DIR",
        help=f"MNIST directory for training (default: ${DATA_VARIABLE})",
    )
    p.add_argument(
        "--markdown", metavar="FILE", help="also write the results as Markdown"
    )
    p.add_argument("--json", metavar="FILE", help="also write the raw results as JSON")
    p.add_argument(
        "--self-test",
        action="store_true",
        help="check the suite itself (statistics, targets, reports) and exit; "
        "measures nothing",
    )
    p.add_argument("--rate", type=float, default=250.0, help=argparse.SUPPRESS)
    p.add_argument("--duration", type=float, default=3.0, help=argparse.SUPPRESS)
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.show is None and args.child is None:
        args.show = list(VIEWS)
    args.show = [view for view in args.show or [] if view != "none"]
    unknown = set(args.only.split(",")) - set(MEASURES)
    if unknown:
        p.error(f"--only: unknown sections {', '.join(sorted(unknown))}")
    return args


def run_child_measure(args) -> int:
    """Run one measure's child part and print its results for the parent."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.child == "make-weights":
        _make_untrained_weights(args.weights)
        return 0
    emit(MEASURES[args.child].child(args))
    return 0


def _make_untrained_weights(path: str) -> None:
    """Save an untrained LeNet-5 (for timing only, when no weights exist)."""
    import torch

    from lenet_gui.network.model import LeNet5

    torch.manual_seed(0)
    torch.save(LeNet5().state_dict(), path)


def _choose_weights(args, sections: set, env: dict, scratch: str):
    """Return (weights file or None for the bundled, note, whether to train first)."""
    import subprocess

    bundled = os.path.join(REPO, "weights", "lenet5.pt")
    if args.weights:
        return (
            os.path.abspath(args.weights),
            f"Weights: {args.weights} ({_STARTUP_WITH_FILE}).",
            False,
        )
    if os.path.exists(bundled):
        return None, "Weights: the bundled weights/lenet5.pt.", False
    if "training" in sections and not args.training_json:
        return (
            os.path.join(scratch, "trained.pt"),
            "Weights: weights/lenet5.pt is missing, so the training benchmark (5) "
            f"ran first and its weights were used for 1-4 ({_STARTUP_WITH_FILE}).",
            True,
        )
    weights = os.path.join(scratch, "untrained.pt")
    subprocess.run(
        [sys.executable, "-m", "benchmarks", "--child", "make-weights"]
        + ["--weights", weights],
        cwd=REPO,
        env=env,
        check=True,
    )
    return (
        weights,
        "Weights: weights/lenet5.pt is missing, so an UNTRAINED LeNet-5 was used "
        "(timings and memory do not depend on the weight values; "
        f"{_STARTUP_WITH_FILE}).",
        False,
    )


def main(argv=None) -> int:
    """Run the benchmarks and print the table; return the exit status."""
    args = parse_args(argv)
    if args.child:
        return run_child_measure(args)
    if args.self_test:
        from benchmarks.self_test import run

        return run()

    import tempfile

    sections = set(args.only.split(","))
    if (args.quick or args.skip_training) and not args.training_json:
        sections.discard("training")
    if (
        "training" in sections
        and not args.training_json
        and not training.data_dir(args)
    ):
        print(
            f"error: training needs MNIST: pass --data DIR or set {DATA_VARIABLE} "
            "(or --training-json FILE, or --skip-training)",
            file=sys.stderr,
        )
        return 2
    env = child_env()
    machine = machine_info()
    machine["code"] = code_fingerprint()
    command = "python benchmarks/bench.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    print("LeNet-5 Explorer benchmarks (offscreen)")
    for k, v in machine.items():
        print(f"  {k:10} {v}")
    print(f"  load avg   {loadavg()} (1/5/15 min) at start")

    results: dict = {}
    # Weights made for this run (none are bundled) live as long as the run.
    with tempfile.TemporaryDirectory(prefix="lenet-bench-") as scratch:
        weights, weights_note, train_first = _choose_weights(
            args, sections, env, scratch
        )
        ctx = Context(
            args=args,
            env=env,
            weights=weights,
            runs=args.runs or (200 if args.quick else 1000),
            startup_runs=args.startup_runs or (3 if args.quick else 7),
            updates=args.updates or (1000 if args.quick else memory.FULL_RUN),
        )
        try:
            if train_first:
                results["training"] = timed_section(
                    "training", lambda: training.measure(ctx, keep_weights=weights)
                )
            for name, module in MEASURES.items():
                if name in sections and name not in results:
                    results[name] = timed_section(name, lambda m=module: m.measure(ctx))
        except (RuntimeError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2

    rows, notes = [], []
    for name, module in MEASURES.items():
        if name in results:
            r, n = module.report(results[name], ctx)
            rows += r
            notes += n
    plain, markdown = render(rows, notes, machine, command.strip(), weights_note)
    failed = failures(rows)
    print(f"  load avg   {loadavg()} (1/5/15 min) at end\n")
    print(plain)
    print(
        f"\n{len(failed)} figure(s) missed their target: {'; '.join(failed)}"
        if failed
        else "\nEvery figure with a target met it."
    )
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown + "\n")
    if args.json:
        write_json(args.json, machine, results, failed)
    return 1 if failed else 0
