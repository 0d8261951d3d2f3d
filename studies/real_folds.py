"""The real-handwriting study's folds: a model trained without each group.

With ``--folds K`` the writers split into K groups (:func:`fold_writers`),
and the training command trains one model without each group
(:func:`train_folds`); each model is then read on the writers it left out.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import numpy as np

from lenet_gui.files.stroke_files import PenDigit


def fold_writers(digits: list[PenDigit], folds: int, seed: int) -> list[list[str]]:
    """Split the writers into `folds` groups of (nearly) equal size, by seed."""
    writers = sorted({d.writer for d in digits})
    order = np.random.default_rng(seed).permutation(len(writers))
    return [sorted(writers[i] for i in order[k::folds]) for k in range(folds)]


def train_folds(args: argparse.Namespace, digits: list[PenDigit]) -> list[Path]:
    """Train one model per fold with the training command; return their weights."""
    from lenet_gui.training import train_cli as train

    paths = []
    for k, group in enumerate(fold_writers(digits, args.folds, args.split_seed)):
        out = args.fold_dir / f"fold{k}.pt"
        argv = [
            *shlex.split(args.train_args),
            "--strokes",
            *map(str, args.strokes),
            "--holdout-writers",
            ",".join(group),
            "--output",
            str(out),
            "--force",  # reached only for a new fold or with --retrain
        ]
        if out.exists() and not args.retrain:
            print(f"fold {k}: using {out} (--retrain to train it again)")
        else:
            print(f"fold {k}: training without {', '.join(group)}")
            if train.main(argv) != 0:
                raise RuntimeError(f"training fold {k} failed")
        paths.append(out)
    return paths
