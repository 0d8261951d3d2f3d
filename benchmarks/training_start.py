"""What the training command does before its first pass, timed step by step.

``python -m benchmarks.training_start --data DIR --strokes FILE`` runs, in a
fresh process each time, the steps the README's training command takes
before training: importing torch and the command, seeding, reading MNIST,
reading the stroke file and the pen digits drawn from it, the drawn MNIST
digits (from the drawing cache: run the command once first to fill it),
and putting every digit into one tensor; then one reading of the test set,
as after each pass. Prints the wall-clock seconds of each step, the median of
``--runs`` processes. ``--code OTHER_CHECKOUT`` times another copy of the
code, alternating with this one, to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

STEPS = ("import", "seed", "mnist", "pen digits", "drawn digits", "pool", "evaluate")


def _child(data: str, strokes: str) -> dict[str, float]:
    """Run the steps in this process; return their seconds."""
    times: dict[str, float] = {}
    mark = time.perf_counter()

    def done(step: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[step] = round(now - mark, 3)
        mark = now

    import lenet_gui.training  # noqa: F401, I001 (its thread settings first)
    import torch

    from lenet_gui.training import train_cli

    done("import")
    args = train_cli.parse_args(
        ["--data", data, "--seed", "1", "--drawn", "0.35", "--strokes", strokes,
         "--stroke-copies", "2", "--strokes-per-pass", "2", "--pen-augment",
         "placement", "--pen-styles", "all", "--output", os.devnull]
    )  # fmt: skip
    try:
        from lenet_gui.training.freed_memory import keep_freed_memory
    except ImportError:  # code from before it
        pass
    else:
        keep_freed_memory()
    torch.set_num_threads(args.threads)
    train_cli.seed_everything(args.seed)
    done("seed")
    images, labels = train_cli.load_mnist(args.data, "train")
    test_images, test_labels = train_cli.load_mnist(args.data, "test")
    done("mnist")
    pen = train_cli.prepare_pen_digits(args, None)
    assert pen is not None
    done("pen digits")
    target = torch.from_numpy(labels).long()
    try:
        from lenet_gui.training.digit_pool import draw_mnist, pool_of
    except ImportError:  # code from before it: the digits as separate tensors
        from lenet_gui.training.learning import ink_tensor

        drawn_ink, drawn_labels, _ = train_cli._draw(  # type: ignore[attr-defined]
            images, labels, 0.35, 1, None
        )
        done("drawn digits")
        ink = torch.cat([ink_tensor(images), drawn_ink, pen.ink])
    else:
        inputs, drawn_labels, _ = draw_mnist(images, labels, 0.35, 1, None)
        done("drawn digits")
        ink, _ = pool_of(images, target, (inputs, drawn_labels), (pen.ink, pen.labels))
    done("pool")
    from lenet_gui.network.model import LeNet5
    from lenet_gui.training.learning import evaluate

    evaluate(LeNet5(), test_images, test_labels)
    done("evaluate")
    times["digits"] = len(ink)
    return times


def _measure(code: Path, data: str, strokes: str) -> dict[str, float]:
    """Run the steps in a fresh process on `code`; return their seconds."""
    script = (
        "import json, runpy, sys; sys.path.insert(0, sys.argv[1]); "
        "steps = runpy.run_path(sys.argv[2])['_child']; "
        "print(json.dumps(steps(sys.argv[3], sys.argv[4])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(code), __file__, data, strokes],
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Parse the options, measure, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("LENET_MNIST"))
    parser.add_argument("--strokes", required=True, help="the pen digits' file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", default=None, help="another checkout to compare")
    args = parser.parse_args(argv)
    if not args.data:
        print("error: pass --data DIR (MNIST) or set LENET_MNIST", file=sys.stderr)
        return 2
    codes = [Path(__file__).resolve().parents[1]]
    if args.code:
        codes.append(Path(args.code).resolve())
    results: dict[Path, list[dict[str, float]]] = {code: [] for code in codes}
    for _ in range(args.runs):
        for code in codes:
            results[code].append(_measure(code, args.data, args.strokes))
    for code, runs in results.items():
        medians = {s: statistics.median(r[s] for r in runs) for s in STEPS}
        total = sum(medians.values())
        steps = " ".join(f"{s.replace(' ', '_')}={v:.2f}" for s, v in medians.items())
        print(f"code={code} {steps} total={total:.2f} load={os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
