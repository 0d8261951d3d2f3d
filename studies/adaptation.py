"""How much adapting to a writer helps: ``python -m studies.adaptation``.

For each writer the weights never saw, 2 instances of each digit (the first
ones in the file) are written to a stroke file and taught through the real
command, ``python -m lenet_gui.adapt --strokes FILE --output W.pt --weights
BASE``, in a fresh process timed from start to exit. The writer's other
digits are then read, drawn as written on the canvas (45-80 % of its height,
the default pen: the held-out writers' condition), by the base and by the
adapted weights, and the errors are pooled over the writers. With ``--data``
the adapted weights are also read on MNIST's 10,000 test digits, as
``python -m lenet_gui.evaluate --weights W.pt --data DIR`` does.

Usage::

    python -m studies.adaptation --strokes pendigits-train.json
        --weights holdout/lenet5.pt --data path/to/mnist   (one line)

The writers default to those the base weights' record lists as held out
(``--holdout-writers`` of the training command); ``--writers a,b`` names them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from lenet_gui.files.idx import load_mnist
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import load_model
from lenet_gui.training.learning import evaluate, evaluate_inputs


def split_writer(digits: list[PenDigit], taught: int) -> tuple[list[PenDigit], ...]:
    """Return the first `taught` instances of each digit, and the others."""
    seen: Counter[int] = Counter()
    first, rest = [], []
    for digit in digits:
        if seen[digit.label] < taught:
            first.append(digit)
            seen[digit.label] += 1
        else:
            rest.append(digit)
    return first, rest


def to_json(digits: list[PenDigit]) -> list[dict[str, Any]]:
    """Return digits in the stroke-file shape."""
    return [
        {
            "label": d.label,
            "writer": d.writer,
            "strokes": [s.tolist() for s in d.strokes],
        }
        for d in digits
    ]


def read_errors(model: LeNet5, inputs: np.ndarray, labels: np.ndarray) -> int:
    """Return how many of the inputs the model misreads."""
    return evaluate_inputs(model, inputs, labels).errors


def _children_cpu() -> float:
    """CPU seconds used so far by finished child processes (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def held_out_writers(weights: Path) -> list[str]:
    """Return the writers the weights' record says were held out of training."""
    record = json.loads(weights.with_suffix(".json").read_text())
    return list(record.get("strokes", {}).get("holdout_writers", []))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Teach and read every writer; return the pooled figures."""
    from lenet_gui.training.pen_digits import as_written, pen_inputs
    from lenet_gui.training.pen_training import VALIDATION_SEED

    digits = load_pen_digits(args.strokes)
    writers = args.writers or held_out_writers(args.weights)
    if not writers:
        raise SystemExit("no writers: the weights record none held out; use --writers")
    base, _ = load_model(args.weights)
    mnist = load_mnist(args.data, "test") if args.data else None
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for writer in writers:
            mine = [d for d in digits if d.writer == writer]
            taught, rest = split_writer(mine, args.taught)
            strokes = Path(folder) / f"{writer}-digits.json"
            output = Path(folder) / f"{writer}.pt"
            strokes.write_text(json.dumps(to_json(taught)))
            command = [
                sys.executable,
                "-m",
                "lenet_gui.adapt",
                "--strokes",
                str(strokes),
                "--output",
                str(output),
                "--weights",
                str(args.weights),
                "--schedule",
                args.schedule,
            ]
            started = time.perf_counter()
            cpu = _children_cpu()
            done = subprocess.run(command, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            cpu = _children_cpu() - cpu
            lines = done.stdout.strip().splitlines()
            summary = json.loads(lines[-1]) if lines else {}
            inputs, labels, _ = pen_inputs(rest, VALIDATION_SEED, 1, as_written(), 1)
            row: dict[str, Any] = {
                "writer": writer,
                "taught": len(taught),
                "read": int(len(labels)),
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "status": done.returncode,
                "errors_before": read_errors(base, inputs, labels),
                "errors_after": None,
                "mnist_sample_cost": summary.get("mnist_cost_points"),
            }
            if done.returncode == 0:
                adapted, _ = load_model(output)
                row["errors_after"] = read_errors(adapted, inputs, labels)
                if mnist is not None:
                    row["mnist_after"] = evaluate(adapted, *mnist).accuracy
            else:
                row["error"] = done.stderr.strip()[-500:]
            rows.append(row)
            print(json.dumps(row), flush=True)
    before = sum(r["errors_before"] for r in rows)
    after = sum(
        r["errors_after"] if r["errors_after"] is not None else r["errors_before"]
        for r in rows
    )
    result = {
        "writers": len(rows),
        "read": sum(r["read"] for r in rows),
        "errors_before": before,
        "errors_after": after,
        "error_cut": round(1 - after / before, 4) if before else None,
        "seconds_max": max(r["seconds"] for r in rows),
        "seconds_median": float(np.median([r["seconds"] for r in rows])),
        "cpu_seconds_max": max(r["cpu_seconds"] for r in rows),
        "refused": sum(r["status"] != 0 for r in rows),
    }
    if mnist is not None:
        result["mnist_base"] = evaluate(base, *mnist).accuracy
        result["mnist_after_min"] = min(r.get("mnist_after", 1.0) for r in rows)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the study from the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m studies.adaptation", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--strokes", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True, help="base weights")
    parser.add_argument("--data", type=Path, help="MNIST directory (optional)")
    parser.add_argument(
        "--writers", type=lambda text: [w for w in text.split(",") if w], default=None
    )
    parser.add_argument("--taught", type=int, default=2, help="instances per digit")
    parser.add_argument("--schedule", default="quick")
    args = parser.parse_args(argv)
    result = run(args)
    print(
        f"{result['writers']} writers, {result['read']} untaught digits read: "
        f"errors {result['errors_before']} -> {result['errors_after']} "
        f"(cut {result['error_cut']}); adaptation {result['seconds_median']} s "
        f"median, {result['seconds_max']} s at most, process start included "
        f"(CPU time at most {result['cpu_seconds_max']} s)"
    )
    if "mnist_base" in result:
        print(
            f"MNIST test (10,000): base {result['mnist_base']:.2%}, adapted at "
            f"worst {result['mnist_after_min']:.2%}"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
