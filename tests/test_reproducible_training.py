"""The same seed gives the same weights, byte for byte, whatever the machine's load.

Two short runs of the real training command, with MNIST digits drawn with the
canvas's pen and real pen digits mixed in, run side by side: one drawing on
one process and allowed a single core (as on a machine whose other cores are
busy), the other drawing on two processes with a busy sibling process
competing for the cores and keeping what it drew in a cache folder; a third
reads them from there. Their weights must be identical. Too small to learn
anything; the point is the bytes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lenet_gui.files.idx import load_mnist, write_idx
from lenet_gui.training.train_cli import (
    MAX_STROKE_COPIES,
    MAX_THREADS,
    MAX_WORKERS,
    main,
)

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"
STROKES = REPO / "tests" / "data" / "strokes" / "pendigits-sample.json"
TIME_LIMIT = 300


@pytest.fixture(scope="module")
def small_mnist(tmp_path_factory) -> Path:
    images, labels = load_mnist(MNIST_DIR, "test")
    data = tmp_path_factory.mktemp("mnist")
    for prefix, part in (("train", slice(0, 96)), ("t10k", slice(96, 128))):
        write_idx(data / f"{prefix}-images-idx3-ubyte.gz", images[part])
        write_idx(data / f"{prefix}-labels-idx1-ubyte.gz", labels[part])
    return data


def start(
    data: Path, output: Path, workers: int, one_core: bool, cache: Path | None
) -> subprocess.Popen:
    """Start a short run; `cache` is where it keeps its drawn digits (None: none)."""
    argv = [
        sys.executable, "-m", "lenet_gui.train", "--data", str(data),
        "--output", str(output), "--epochs", "2", "--batch-size", "48",
        "--drawn", "0.5", "--strokes", str(STROKES), "--stroke-copies", "1",
        "--strokes-per-pass", "0.5", "--pen-augment", "placement",
        "--workers", str(workers), "--seed", "7",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if cache is None:
        argv.append("--no-cache")
    else:
        env["LENET_DRAWING_CACHE"] = str(cache)
    first_core = min(os.sched_getaffinity(0))

    def on_one_core() -> None:
        os.sched_setaffinity(0, {first_core})

    return subprocess.Popen(
        argv,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=on_one_core if one_core else None,
    )


def test_the_same_seed_gives_the_same_bytes_whatever_the_load_and_workers(
    small_mnist, tmp_path
):
    cache = tmp_path / "cache"
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    runs = []
    try:
        runs = [
            start(small_mnist, tmp_path / "one" / "w.pt", 1, True, None),
            start(small_mnist, tmp_path / "two" / "w.pt", 2, False, cache),
        ]
        errors = [run.communicate(timeout=TIME_LIMIT)[1] for run in runs]
        # A third run, on one core, reads the digits the second one drew.
        runs.append(start(small_mnist, tmp_path / "three" / "w.pt", 1, True, cache))
        errors.append(runs[-1].communicate(timeout=TIME_LIMIT)[1])
    finally:
        busy.kill()
        busy.wait()
        for run in runs:
            run.kill()
            run.wait()
    for run, err in zip(runs, errors, strict=True):
        assert run.returncode == 0, err[-3000:]
    one, two, three = (
        (tmp_path / name / "w.pt").read_bytes() for name in ("one", "two", "three")
    )
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest()
    assert hashlib.sha256(three).hexdigest() == hashlib.sha256(one).hexdigest()
    assert len(list(cache.iterdir())) == 2  # the MNIST and the pen digits drawn
    checkpoints = [
        sorted((tmp_path / name / "w.checkpoints").glob("*.pt"))
        for name in ("one", "two")
    ]
    assert len(checkpoints[0]) > 2
    assert [p.read_bytes() for p in checkpoints[0]] == [
        p.read_bytes() for p in checkpoints[1]
    ]


@pytest.mark.parametrize(
    ("option", "high"),
    [
        ("--workers", MAX_WORKERS),
        ("--threads", MAX_THREADS),
        ("--stroke-copies", MAX_STROKE_COPIES),
    ],
)
def test_a_thousand_workers_threads_or_copies_is_refused_in_one_line(
    option, high, tmp_path, capsys
):
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(tmp_path), "--output", str(tmp_path / "w.pt"),
              option, "1000"])  # fmt: skip
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"argument {option}: must be from 1 to {high}, not 1000" in err
