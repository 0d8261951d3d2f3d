"""The training command refuses, in one line and before training, what would lose files.

``--output`` is required and an existing file is replaced only with
``--force``; ``--output x.json`` and outputs that cannot be written are
refused before any data is read; the weights and their record are replaced
whole or not at all; bad numbers are one-line errors. The refusals are
checked with a data folder that does not exist, so a check that came after
loading the data would fail on the data instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from test_safe_save import file_size_limit

from lenet_gui.files.idx import load_mnist, write_idx
from lenet_gui.network.checkpoints import CheckpointPlan, save_checkpoint
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import BUNDLED_WEIGHTS, load_model, save_weights
from lenet_gui.training import train_cli as train

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *argv: str) -> tuple[int, str]:
    """Run the command in process; return its status and its one stderr line."""
    try:
        status = train.main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    err = capsys.readouterr().err
    assert err.count("\n") == 1, f"not one line: {err!r}"
    return status, err.strip()


@pytest.fixture
def no_data(tmp_path) -> str:
    """A data folder that does not exist: any training would fail on it."""
    return str(tmp_path / "no-mnist-here")


def test_output_is_required_and_the_bundled_weights_stay(capsys, no_data):
    before = digest(BUNDLED_WEIGHTS)
    status, err = run(capsys, "--data", no_data, "--epochs", "1")
    assert status == 2
    assert "--output" in err and "required" in err
    assert digest(BUNDLED_WEIGHTS) == before


def test_an_existing_output_is_replaced_only_with_force(capsys, tmp_path, no_data):
    weights = tmp_path / "w.pt"
    weights.write_bytes(b"weights someone keeps")
    status, err = run(capsys, "--data", no_data, "--output", str(weights))
    assert status == 1
    assert "w.pt already exists" in err and "--force" in err
    assert "nothing was trained" in err
    assert weights.read_bytes() == b"weights someone keeps"
    # With --force the output passes and the run goes on, to the data.
    status, err = run(capsys, "--data", no_data, "--output", str(weights), "--force")
    assert status == 1 and "not found" in err


def test_an_existing_record_alone_also_needs_force(capsys, tmp_path, no_data):
    (tmp_path / "w.json").write_text('{"note": "kept"}')
    status, err = run(capsys, "--data", no_data, "--output", str(tmp_path / "w.pt"))
    assert status == 1 and "w.json already exists" in err
    assert (tmp_path / "w.json").read_text() == '{"note": "kept"}'


@pytest.mark.parametrize("name", ["model.json", "model.JSON", "run.pt.json"])
def test_a_json_output_is_refused(capsys, tmp_path, no_data, name):
    status, err = run(capsys, "--data", no_data, "--output", str(tmp_path / name))
    assert status == 1
    assert "would overwrite the weights" in err and "nothing was trained" in err
    assert os.listdir(tmp_path) == []


def test_save_weights_refuses_a_json_path(tmp_path):
    with pytest.raises(ValueError, match="would overwrite the weights"):
        save_weights(LeNet5(), tmp_path / "model.json", {})
    assert os.listdir(tmp_path) == []


def _unwritable(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """Build an output path that cannot be saved; return it and the reason."""
    if kind == "folder":
        (tmp_path / "out.pt").mkdir()
        return tmp_path / "out.pt", "it is a folder"
    if kind == "through-a-file":
        (tmp_path / "plain").write_text("x")
        return tmp_path / "plain" / "out.pt", "is a file"
    if kind == "device":
        (tmp_path / "out.pt").symlink_to("/dev/full")
        return tmp_path / "out.pt", "not a regular file"
    if kind == "record-is-a-folder":
        (tmp_path / "out.json").mkdir()
        return tmp_path / "out.pt", "it is a folder"
    assert kind == "checkpoints-is-a-file"
    (tmp_path / "out.checkpoints").write_text("x")
    return tmp_path / "out.pt", "checkpoint folder"


@pytest.mark.parametrize(
    "kind",
    [
        "folder",
        "through-a-file",
        "device",
        "record-is-a-folder",
        "checkpoints-is-a-file",
    ],
)
def test_an_unwritable_output_is_refused_before_the_data_is_read(
    capsys, tmp_path, no_data, kind
):
    output, reason = _unwritable(tmp_path, kind)
    before = sorted(os.listdir(tmp_path))
    status, err = run(capsys, "--data", no_data, "--output", str(output), "--force")
    assert status == 1
    assert err.startswith("error: ") and reason in err
    assert "nothing was trained" in err and "not found" not in err
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--epochs", "0"),
        ("--epochs", "-3"),
        ("--epochs", "two"),
        ("--batch-size", "0"),
        ("--lr", "nan"),
        ("--lr", "inf"),
        ("--lr", "-0.001"),
        ("--lr", "0"),
        ("--limit", "-5"),
        ("--limit", "0"),
        ("--drawn", "-0.1"),
        ("--drawn", "1.5"),
        ("--drawn", "nan"),
        ("--workers", "0"),
        ("--threads", "0"),
        ("--seed", "-1"),
        ("--seed", str(2**32)),
        ("--stroke-copies", "0"),
        ("--strokes-per-pass", "nan"),
        ("--strokes-per-pass", "-1"),
    ],
)
def test_bad_numbers_are_one_line_errors(capsys, tmp_path, no_data, flag, value):
    output = tmp_path / "w.pt"
    status, err = run(capsys, "--data", no_data, "--output", str(output), flag, value)
    assert status == 2
    assert f"argument {flag}" in err and "error" in err
    assert "not found" not in err
    assert os.listdir(tmp_path) == []


def test_numbers_at_the_edges_are_accepted(tmp_path):
    args = train.parse_args(
        [
            "--data", "d", "--output", str(tmp_path / "w.pt"),
            "--drawn", "0", "--lr", "1e-6", "--limit", "1", "--seed", "0",
            "--epochs", "1", "--batch-size", "1", "--strokes-per-pass", "0",
        ]
    )  # fmt: skip
    assert args.drawn == 0 and args.limit == 1 and args.seed == 0
    assert train.parse_args(["--data", "d", "--output", "w", "--drawn", "1"]).drawn == 1


# --- a save that fails keeps the old weights and their record ----------------


def test_save_weights_past_a_size_limit_keeps_the_old_pair(tmp_path):
    torch.manual_seed(1)
    old_model = LeNet5()
    path = tmp_path / "w.pt"
    save_weights(old_model, path, {"note": "old"})
    weights_before, record_before = digest(path), path.with_suffix(".json").read_text()
    with file_size_limit(100_000), pytest.raises(OSError):
        save_weights(LeNet5(), path, {"note": "new"})
    assert digest(path) == weights_before
    assert path.with_suffix(".json").read_text() == record_before
    model, metadata = load_model(path)
    assert torch.equal(model.f6.weight, old_model.f6.weight)
    assert metadata == {"note": "old"}
    assert sorted(os.listdir(tmp_path)) == ["w.json", "w.pt"]


def test_a_checkpoint_past_a_size_limit_keeps_the_old_one(tmp_path):
    plan = CheckpointPlan(0, 0.0, "start")
    info = save_checkpoint(LeNet5(), tmp_path, 0, plan)
    before = digest(info.path)
    with file_size_limit(100_000), pytest.raises(OSError):
        save_checkpoint(LeNet5(), tmp_path, 0, plan)
    assert digest(info.path) == before
    assert os.listdir(tmp_path) == ["00.pt"]


def test_training_whose_save_fails_says_so_in_one_line_and_keeps_the_old(tmp_path):
    """A real, tiny run in a child process limited to 100 kB files.

    The weights (about 250 kB) cannot be written, their record (a few kB)
    could: the old pair must stay, with one line and status 1.
    """
    images, labels = load_mnist(MNIST_DIR, "test")
    data = tmp_path / "mnist"
    data.mkdir()
    for prefix, part in (("train", slice(0, 64)), ("t10k", slice(64, 96))):
        write_idx(data / f"{prefix}-images-idx3-ubyte.gz", images[part])
        write_idx(data / f"{prefix}-labels-idx1-ubyte.gz", labels[part])
    output = tmp_path / "out" / "w.pt"
    save_weights(LeNet5(), output, {"note": "old"})
    before = digest(output), output.with_suffix(".json").read_text()

    # The limit is set in the child itself, before the command starts.
    limited = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))\n"
        "from lenet_gui.training.train_cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [
            sys.executable, "-c", limited, "--data", str(data),
            "--output", str(output), "--force", "--epochs", "1", "--drawn", "0",
            "--no-checkpoints", "--threads", "1", "--batch-size", "32",
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: cannot write") and "w.pt" in last
    assert "file-size limit" in last and "unchanged" in last
    assert "Traceback" not in result.stderr
    assert (digest(output), output.with_suffix(".json").read_text()) == before
    assert json.loads(before[1]) == {"note": "old"}
    assert sorted(os.listdir(output.parent)) == ["w.json", "w.pt"]
