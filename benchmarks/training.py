"""Training with the README's command: seconds per epoch and time to the target.

Parent only (training is its own process already): the README's training
command (15 passes, seed 1, a third of MNIST drawn again with the canvas's
pen; with the pen digits of ``$LENET_STROKES`` when that names a stroke
file) into a scratch folder, or the JSON a recorded run wrote
(``--training-json``). MNIST comes from ``--data`` or the environment
variable ``LENET_MNIST``. The digits drawn come from the training command's
cache when an earlier run drew them (its record's ``drawing_seconds`` is
then the time to read them); ``LENET_DRAWING_CACHE`` names another cache
folder, an empty one to time the drawing too. ``benchmarks/training_pass.py``
times one pass alone.
"""

from __future__ import annotations

import json
import os
import sys
import time

from benchmarks.harness import DATA_VARIABLE, REPO, Context, Row, median
from benchmarks.targets import TARGETS

NAME = "training"
EPOCHS = 15
#: A stroke file of real pen digits to mix in, as the README's command does.
STROKES_VARIABLE = "LENET_STROKES"
#: The README's command, less --data, --strokes and --output.
README_OPTIONS = ["--epochs", str(EPOCHS), "--seed", "1", "--drawn", "0.35"]
PEN_OPTIONS = [
    "--stroke-copies", "2", "--strokes-per-pass", "2",
    "--pen-augment", "placement", "--pen-styles", "all",
]  # fmt: skip


def data_dir(args) -> str | None:
    """Return the MNIST directory: ``--data``, else ``$LENET_MNIST``, else None."""
    return args.data or os.environ.get(DATA_VARIABLE) or None


def measure(ctx: Context, keep_weights: str | None = None) -> dict:
    """Train (or read a recorded run); copy the weights to `keep_weights` if given."""
    import subprocess
    import tempfile

    args = ctx.args
    if args.training_json:
        with open(args.training_json) as f:
            meta = json.load(f)
        return {
            "source": f"recorded in {args.training_json}",
            "meta": meta,
            "wall_s": None,
        }
    with tempfile.TemporaryDirectory(prefix="lenet-train-") as tmp:
        output = os.path.join(tmp, "lenet5.pt")
        cmd = [
            sys.executable,
            "-m",
            "lenet_gui.training.train_cli",
            "--data",
            data_dir(args),
        ]
        cmd += [*README_OPTIONS, "--output", output]
        strokes = os.environ.get(STROKES_VARIABLE)
        if strokes:
            cmd += ["--strokes", strokes, *PEN_OPTIONS]
        print(
            f"  training: {' '.join(cmd[1:])} (minutes) ...",
            file=sys.stderr,
            flush=True,
        )
        t0 = time.time()
        proc = subprocess.run(
            cmd, cwd=REPO, env=ctx.env, capture_output=True, text=True
        )
        wall = time.time() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"training failed:\n{proc.stderr[-3000:]}")
        with open(os.path.join(tmp, "lenet5.json")) as f:
            meta = json.load(f)
        if keep_weights:
            import shutil

            shutil.copyfile(output, keep_weights)
    return {
        "source": "measured in this run",
        "meta": meta,
        "wall_s": wall,
        "stdout": proc.stdout[-500:],
    }


def report(tr: dict, ctx: Context) -> tuple[list[Row], list]:
    """Return the training rows and notes."""
    meta = tr["meta"]
    hist = meta.get("history", [])
    secs = [h["seconds"] for h in hist]
    per_epoch = [b - a for a, b in zip([0.0, *secs], secs, strict=False)]
    accuracy = TARGETS["accuracy"]
    reach = next((h for h in hist if accuracy.met(h["test_accuracy"])), None)
    # Drawing the training digits again (MNIST's, and any real pen digits)
    # comes before the first epoch.
    strokes = meta.get("strokes") or {}
    drawing = meta.get("drawing_seconds", 0.0) + strokes.get("drawing_seconds", 0.0)
    label = "recorded" if tr["wall_s"] is None else "measured"
    images = (
        meta.get("training_images", 0)
        + meta.get("drawn_per_pass", 0)
        + strokes.get("per_pass", 0)
    )
    rows = [
        Row(
            f"5. Training ({label}): seconds per epoch ({images:,} images + "
            "10,000 test)",
            f"{median(per_epoch):.1f} s",
            f"max {max(per_epoch):.1f} s",
            load=(
                tr.get("load", "")
                if tr["wall_s"] is not None
                else "recorded run: load not known"
            ),
        )
    ]
    to_target = f"time to {accuracy.bound_text()} test accuracy"
    if reach:
        rows.append(
            Row(
                f"   {to_target} (epoch {reach['epoch']}, "
                f"after {drawing:.0f} s drawing the digits)",
                f"{drawing + reach['seconds']:.0f} s",
                target="train_s",
                value=drawing + reach["seconds"],
            )
        )
        slow = [i + 1 for i, x in enumerate(per_epoch) if x > 2 * median(per_epoch)]
        if slow:
            estimate = drawing + reach["epoch"] * median(per_epoch)
            rows.append(
                Row(
                    "   same at the median epoch time (epochs "
                    f"{', '.join(map(str, slow))} ran > 2x slower)",
                    f"~{estimate:.0f} s (estimate)",
                    target="train_s",
                )
            )
    else:
        best = max((h["test_accuracy"] for h in hist), default=float("nan"))
        rows.append(
            Row(
                f"   {to_target}",
                f"never (best {best:.2%})",
                target="train_s",
                value=float("inf"),
            )
        )
    rows.append(
        Row(
            f"   final test accuracy after {len(hist) or EPOCHS} epochs",
            f"{meta.get('test_accuracy', float('nan')):.2%}",
            target="accuracy",
            value=meta.get("test_accuracy", 0),
        )
    )
    notes = [
        f"Training {tr['source']}: threads {meta.get('threads')}, total "
        f"{drawing:.1f} s drawing the digits and "
        f"{meta.get('training_seconds')} s of training"
        + (
            f", {tr['wall_s']:.0f} s wall clock including data loading"
            if tr["wall_s"]
            else ""
        )
        + "; per-epoch test accuracy: "
        + ", ".join(f"{h['test_accuracy']:.4f}" for h in hist)
        + "; seconds per epoch: "
        + ", ".join(f"{x:.1f}" for x in per_epoch)
        + "."
    ]
    return rows, notes
