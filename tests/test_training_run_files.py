"""A training run never loses the previous run's weights, record or checkpoints.

The earlier ``r.pt``, ``r.json`` and ``r.checkpoints/`` stay byte for byte as
they were when the new run is stopped by SIGTERM or Ctrl-C, or its save
fails; they are replaced, the checkpoint folder whole, only once the new
weights are saved; a checkpoint folder without weights is never replaced
without ``--force``; checkpoints are never listed beside weights they do not
belong to; every file training writes gets a new file's permissions. The
real command runs in a child process with a time limit.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lenet_gui.files.idx import load_mnist, write_idx
from lenet_gui.network.checkpoints import (
    CheckpointPlan,
    checkpoint_folder,
    file_sha256,
    list_checkpoints,
    save_checkpoint,
    write_index,
)
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import WeightsError, save_weights
from lenet_gui.training import train_cli

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"
TIME_LIMIT = 180


@pytest.fixture(scope="module")
def small_mnist(tmp_path_factory) -> Path:
    """A tiny MNIST folder: 64 training and 32 test digits."""
    images, labels = load_mnist(MNIST_DIR, "test")
    data = tmp_path_factory.mktemp("mnist")
    for prefix, part in (("train", slice(0, 64)), ("t10k", slice(64, 96))):
        write_idx(data / f"{prefix}-images-idx3-ubyte.gz", images[part])
        write_idx(data / f"{prefix}-labels-idx1-ubyte.gz", labels[part])
    return data


def old_run(folder: Path) -> Path:
    """Save an earlier run's weights, record and three checkpoints; return r.pt."""
    weights = folder / "r.pt"
    save_weights(LeNet5(), weights, {"note": "the earlier run"})
    checkpoints = checkpoint_folder(weights)
    checkpoints.mkdir()
    saved = [
        save_checkpoint(LeNet5(), checkpoints, k, CheckpointPlan(k, k / 2, f"p{k}"))
        for k in range(3)
    ]
    write_index(checkpoints, saved)
    (checkpoints / "notes.txt").write_text("a person's own notes")
    return weights


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder`, with its bytes (None: a folder)."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        found[key] = None if path.is_dir() else path.read_bytes()
    return found


def train_args(data: Path, output: Path, *extra: str) -> list[str]:
    return [
        "--data", str(data), "--output", str(output), "--drawn", "0",
        "--batch-size", "32", "--threads", "1", "--workers", "1", *extra,
    ]  # fmt: skip


def start_training(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lenet_gui.train", *argv],
        cwd=REPO,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_run_leaves_the_earlier_run_as_it_was(signum, small_mnist, tmp_path):
    weights = old_run(tmp_path)
    before = snapshot(tmp_path)
    child = start_training(
        *train_args(small_mnist, weights, "--force", "--epochs", "2000")
    )
    try:
        # Wait until the run is saving its own checkpoints, then stop it.
        deadline = time.monotonic() + TIME_LIMIT
        while not any(tmp_path.glob(".r.checkpoints.*.partial/01.pt")):
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            assert time.monotonic() < deadline, "training never started"
            time.sleep(0.05)
        child.send_signal(signum)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 128 + signum, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("stopped by ") and "nothing saved" in last, err
    assert "r.checkpoints are unchanged" in last
    assert snapshot(tmp_path) == before  # the partial folder is gone too


def test_a_failed_save_of_the_weights_leaves_the_earlier_run_as_it_was(
    small_mnist, tmp_path, monkeypatch, capsys
):
    weights = old_run(tmp_path)
    before = snapshot(tmp_path)

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(train_cli, "save_weights", full_disk)
    status = train_cli.main(
        train_args(small_mnist, weights, "--force", "--epochs", "1")
    )
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip().splitlines()[-1].startswith("error: cannot write")
    assert "r.checkpoints are unchanged" in err
    assert snapshot(tmp_path) == before


def test_a_finished_run_replaces_the_checkpoint_folder_whole(
    small_mnist, tmp_path, capsys
):
    weights = old_run(tmp_path)
    old_index = (checkpoint_folder(weights) / "index.json").read_bytes()
    # An earlier, longer run's checkpoint that this run does not make.
    save_checkpoint(LeNet5(), checkpoint_folder(weights), 40, CheckpointPlan(9, 9, "x"))
    status = train_cli.main(
        train_args(small_mnist, weights, "--force", "--epochs", "2")
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "(the earlier ones replaced)" in out
    folder = checkpoint_folder(weights)
    names = sorted(os.listdir(folder))
    assert "40.pt" not in names and "notes.txt" in names
    assert (folder / "index.json").read_bytes() != old_index
    infos = list_checkpoints(weights)
    assert [info.path.name for info in infos] == [n for n in names if n.endswith(".pt")]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "r.checkpoints", "r.json", "r.pt"
    ]  # fmt: skip


def test_everything_training_writes_gets_a_new_files_permissions(
    small_mnist, tmp_path, capsys
):
    umask = os.umask(0o022)
    try:
        status = train_cli.main(
            train_args(small_mnist, tmp_path / "r.pt", "--epochs", "1")
        )
    finally:
        os.umask(umask)
    assert status == 0
    folder = checkpoint_folder(tmp_path / "r.pt")
    modes = {
        str(path.relative_to(tmp_path)): stat.S_IMODE(path.stat().st_mode)
        for path in [folder, *tmp_path.rglob("*")]
    }
    assert modes.pop("r.checkpoints") == 0o755
    assert modes and set(modes.values()) == {0o644}, modes


def test_a_checkpoint_folder_without_weights_is_not_replaced_without_force(
    small_mnist, tmp_path, capsys
):
    weights = old_run(tmp_path)
    weights.unlink()
    weights.with_suffix(".json").unlink()
    before = snapshot(tmp_path)
    status = train_cli.main(train_args(small_mnist, weights, "--epochs", "1"))
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1
    assert "r.checkpoints already exists; r.checkpoints has no weights beside it" in err
    assert "--force" in err
    assert snapshot(tmp_path) == before


def test_checkpoints_are_never_listed_beside_other_weights(tmp_path):
    weights = tmp_path / "r.pt"
    save_weights(LeNet5(), weights, {})
    folder = checkpoint_folder(weights)
    folder.mkdir()
    info = save_checkpoint(LeNet5(), folder, 0, CheckpointPlan(0, 0.0, "start"))
    write_index(folder, [info], file_sha256(weights))
    assert [i.path.name for i in list_checkpoints(weights)] == ["00.pt"]
    save_weights(LeNet5(), weights, {})  # other weights, same name
    with pytest.raises(WeightsError) as caught:
        list_checkpoints(weights)
    message = str(caught.value)
    assert message == (
        "r.checkpoints: not shown, since these checkpoints belong to other "
        "weights than r.pt"
    )
    weights.unlink()
    with pytest.raises(WeightsError, match="r.pt beside it is no such file"):
        list_checkpoints(weights)
    index = json.loads((folder / "index.json").read_text())
    assert index["weights_sha256"] and index["checkpoints"][0]["file"] == "00.pt"


def test_no_checkpoints_never_leaves_old_checkpoints_beside_new_weights(
    small_mnist, tmp_path, capsys
):
    weights = old_run(tmp_path)
    before = snapshot(tmp_path)
    status = train_cli.main(
        train_args(small_mnist, weights, "--force", "--no-checkpoints", "--epochs", "1")
    )
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1
    assert "holds an earlier run's checkpoints" in err
    assert snapshot(tmp_path) == before
