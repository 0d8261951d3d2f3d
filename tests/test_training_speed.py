"""What makes a training run faster keeps it the same run, bit for bit.

A pass read by index from one tensor of every digit instead of copied,
evaluation in smaller batches, and a pass that ends on a checkpoint reporting
the checkpoint's reading of the test set: each is checked against the plain
way on the real model and the shipped MNIST digits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from lenet_gui.files.idx import load_mnist
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import load_model
from lenet_gui.training.distortions import Distortion
from lenet_gui.training.learning import (
    evaluate,
    ink_tensor,
    make_optimizer,
    seed_everything,
    train_epoch,
    with_drawn_indices,
)

DATA = Path(__file__).parent / "data" / "mnist"


@pytest.fixture(scope="module")
def digits():
    return load_mnist(DATA, "test")


def _weights(model: LeNet5) -> bytes:
    return b"".join(
        t.contiguous().numpy().tobytes() for t in model.state_dict().values()
    )


def _pass(ink, labels, *, subset=None, seed=5, batch_size=32):
    generator = seed_everything(seed)
    model = LeNet5()
    size = len(labels) if subset is None else len(subset)
    optimizer, scheduler = make_optimizer(model, 1, -(-size // batch_size), 3e-3)
    seen = []
    loss, accuracy = train_epoch(
        model,
        ink,
        labels,
        optimizer,
        scheduler,
        generator,
        batch_size=batch_size,
        distortion=Distortion(),
        on_batch=lambda loss, acc: seen.append((loss, acc)),
        subset=subset,
    )
    # What the generator gives next: the same only if the pass drew as many
    # random numbers, in the same order.
    after = torch.rand(4, generator=generator)
    return _weights(model), (loss, accuracy), seen, after


def test_a_pass_read_by_index_is_the_pass_on_the_copied_digits(digits):
    images, labels = digits
    ink, target = ink_tensor(images[:300]), torch.from_numpy(labels[:300]).long()
    drawn_ink = ink_tensor(images[300:420]).flip(-1)  # other digits, to be told apart
    drawn_labels = torch.from_numpy(labels[300:420]).long()

    generator = torch.Generator().manual_seed(3)
    subset = with_drawn_indices(torch.arange(300), 300, 120, 50, generator)
    # The drawn digits a pass copied out before: the same random numbers.
    pick = torch.randperm(120, generator=torch.Generator().manual_seed(3))[:50]
    pool_ink, pool_labels = (
        torch.cat([ink, drawn_ink]),
        torch.cat([target, drawn_labels]),
    )
    copied = (
        torch.cat([ink, drawn_ink[pick]]),
        torch.cat([target, drawn_labels[pick]]),
    )
    assert torch.equal(pool_ink[subset], copied[0])
    assert torch.equal(pool_labels[subset], copied[1])

    by_index = _pass(pool_ink, pool_labels, subset=subset)
    on_copy = _pass(*copied)
    assert by_index[0] == on_copy[0] and by_index[1] == on_copy[1]
    assert torch.equal(by_index[3], on_copy[3])


def test_evaluation_in_batches_reads_as_digit_by_digit(digits):
    images, labels = digits
    model, _ = load_model()
    result = evaluate(model, images, labels)  # the default batch size
    assert result.n == 2000
    for batch_size in (1000, 2000):
        other = evaluate(model, images, labels, batch_size=batch_size)
        assert (other.predictions == result.predictions).all()
    one_by_one = evaluate(model, images[:200], labels[:200], batch_size=1)
    assert (one_by_one.predictions == result.predictions[:200]).all()
    # The predictions are the model's own forward pass.
    from lenet_gui.imaging.preprocess import from_mnist

    with torch.no_grad():
        logits = model(torch.from_numpy(from_mnist(images[:64])).unsqueeze(1))
    assert (logits.argmax(1).numpy() == result.predictions[:64]).all()


def test_a_pass_ending_on_a_checkpoint_reports_the_test_set_it_read(tmp_path, digits):
    from lenet_gui.files.idx import write_idx
    from lenet_gui.training import train_cli

    images, labels = digits
    data = tmp_path / "mnist"
    data.mkdir()
    for split, part in (("train", slice(0, 256)), ("t10k", slice(256, 456))):
        write_idx(data / f"{split}-images-idx3-ubyte.gz", images[part])
        write_idx(data / f"{split}-labels-idx1-ubyte.gz", labels[part])
    common = ["--data", str(data), "--epochs", "3", "--seed", "2", "--drawn", "0"]
    with_checkpoints = tmp_path / "a" / "w.pt"
    without = tmp_path / "b" / "w.pt"
    assert train_cli.main([*common, "--output", str(with_checkpoints)]) == 0
    argv = [*common, "--no-checkpoints", "--output", str(without)]
    assert train_cli.main(argv) == 0
    assert with_checkpoints.read_bytes() == without.read_bytes()
    records = [
        json.loads(path.with_suffix(".json").read_text())
        for path in (with_checkpoints, without)
    ]
    assert [h["test_accuracy"] for h in records[0]["history"]] == [
        h["test_accuracy"] for h in records[1]["history"]
    ]
    # Every figure is the saved weights' own reading of the test set.
    model, _ = load_model(with_checkpoints)
    own = evaluate(model, images[256:456], labels[256:456]).accuracy
    assert records[0]["test_accuracy"] == records[1]["test_accuracy"] == own
    assert records[0]["history"][-1]["test_accuracy"] == own
    index = json.loads((tmp_path / "a" / "w.checkpoints" / "index.json").read_text())
    by_pass = {c["pass"]: c["test_accuracy"] for c in index["checkpoints"]}
    ends = [h for h in records[0]["history"] if float(h["epoch"]) in by_pass]
    assert len(ends) == 3  # a checkpoint at the end of every pass of three
    for entry in ends:
        assert by_pass[float(entry["epoch"])] == entry["test_accuracy"]
