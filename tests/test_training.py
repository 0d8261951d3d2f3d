"""Training on a few hundred digits, distortions, and evaluation."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from lenet_gui.files.idx import load_mnist
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import load_model
from lenet_gui.training.distortions import Distortion
from lenet_gui.training.learning import (
    Evaluation,
    evaluate,
    ink_from_inputs,
    ink_tensor,
    make_optimizer,
    seed_everything,
    to_network_input,
    train_epoch,
    with_drawn_indices,
)

DATA = Path(__file__).parent / "data" / "mnist"


@pytest.fixture(scope="module")
def digits():
    images, labels = load_mnist(DATA, "test")
    return images, labels


def test_inputs_use_the_papers_levels(digits):
    images, _ = digits
    ink = ink_tensor(images[:5])
    assert ink.shape == (5, 1, 32, 32)
    x = to_network_input(ink)
    assert x[:, :, :2, :].eq(-0.1).all()  # the 2-pixel padding is background
    assert x.max().item() == pytest.approx(1.175)


def test_network_inputs_turn_back_into_the_ink_they_came_from(digits):
    images, _ = digits
    ink = ink_tensor(images[:5])
    inputs = to_network_input(ink).squeeze(1).numpy()
    assert torch.allclose(ink_from_inputs(inputs), ink, atol=1e-6)


def test_a_pass_holds_every_mnist_digit_and_some_drawn_ones():
    ink, labels = torch.zeros(6, 1, 32, 32), torch.arange(6)
    drawn_ink, drawn_labels = torch.ones(4, 1, 32, 32), torch.arange(10, 14)
    pool_ink, pool_labels = (
        torch.cat([ink, drawn_ink]),
        torch.cat([labels, drawn_labels]),
    )
    generator = torch.Generator().manual_seed(0)
    subset = with_drawn_indices(torch.arange(6), 6, 4, 3, generator)
    mixed, mixed_labels = pool_ink[subset], pool_labels[subset]
    assert torch.equal(mixed[:6], ink) and torch.equal(mixed_labels[:6], labels)
    assert len(mixed_labels) == 9 and (mixed[6:] == 1).all()
    picked = mixed_labels[6:].tolist()
    assert len(set(picked)) == 3 and set(picked) <= {10, 11, 12, 13}


def _train(images, labels, epochs, seed, distortion=None):
    generator = seed_everything(seed)
    model = LeNet5()
    ink = ink_tensor(images)
    target = torch.from_numpy(labels).long()
    optimizer, scheduler = make_optimizer(model, epochs, -(-len(target) // 32), 3e-3)
    losses = [
        train_epoch(
            model,
            ink,
            target,
            optimizer,
            scheduler,
            generator,
            batch_size=32,
            distortion=distortion,
        )[0]
        for _ in range(epochs)
    ]
    return model, losses


def test_a_short_training_run_lowers_the_loss(digits):
    images, labels = digits
    model, losses = _train(images[:800], labels[:800], epochs=4, seed=0)
    assert losses[-1] < 0.5 * losses[0]
    assert evaluate(model, images[1000:1400], labels[1000:1400]).accuracy > 0.5
    absent = model.c3.mask.expand_as(model.c3.weight) == 0
    assert (model.c3.weight[absent] == 0).all()


def test_training_is_deterministic_for_a_seed(digits):
    images, labels = digits
    first, _ = _train(images[:128], labels[:128], epochs=1, seed=7)
    second, _ = _train(images[:128], labels[:128], epochs=1, seed=7)
    other, _ = _train(images[:128], labels[:128], epochs=1, seed=8)
    assert torch.equal(first.f6.weight, second.f6.weight)
    assert not torch.equal(first.f6.weight, other.f6.weight)


def test_distortions_keep_the_digit_recognisable(digits):
    images, _ = digits
    ink = ink_tensor(images[:64])
    out = Distortion()(ink, torch.Generator().manual_seed(0))
    assert out.shape == ink.shape
    assert out.min() >= 0 and out.max() <= 1.0001
    assert not torch.equal(out, ink)
    # Moved, warped, thinned or thickened, but still a whole digit near the
    # centre: ink is neither lost nor pushed off the edge.
    ratio = out.sum(dim=(1, 2, 3)) / ink.sum(dim=(1, 2, 3))
    assert ratio.min() > 0.3 and ratio.max() < 3.0
    edge = out[:, :, [0, -1], :].sum() + out[:, :, :, [0, -1]].sum()
    assert edge / out.sum() < 0.01
    grid = torch.arange(32.0)

    def centre_row(x):
        return (x.sum(dim=(1, 3)) * grid).sum(1) / x.sum(dim=(1, 2, 3))

    assert (centre_row(out) - centre_row(ink)).abs().max() < 3.5


def test_no_distortion_is_identity(digits):
    images, _ = digits
    ink = ink_tensor(images[:8])
    plain = Distortion(
        translate=0,
        scale=0,
        squeeze=0,
        shear=0,
        rotate=0,
        elastic_alpha=0,
        thickness_probability=0,
    )
    assert torch.allclose(plain(ink, torch.Generator()), ink, atol=1e-5)


def test_evaluation_counts():
    result = Evaluation(np.array([1, 2, 3, 3]), np.array([1, 2, 3, 4]))
    assert result.n == 4 and result.errors == 1 and result.accuracy == 0.75
    matrix = result.confusion_matrix()
    assert matrix.sum() == 4 and matrix[4, 3] == 1 and matrix[3, 3] == 1
    per_class = result.per_class_accuracy()
    assert per_class[4] == 0 and per_class[1] == 1 and np.isnan(per_class[0])


def test_bundled_weights_read_the_shipped_subset(digits):
    images, labels = digits
    model, _ = load_model()
    result = evaluate(model, images, labels)
    assert result.n == 2000
    # 21 errors (98.95 %) with the bundled weights, 99.38 % on all 10,000
    # test digits; weights of about the same quality made 18 to 21 errors
    # here, so the bound leaves room for that spread and still fails for
    # weights that are merely good (98 %). The full-set check (>= 99.20 %)
    # runs in CI, where the official files are.
    assert result.accuracy >= 0.985


def mnist_directory(tmp_path, train=None, test=None):
    """Write (images, labels) as MNIST's gzipped IDX files in tmp_path/mnist."""
    from lenet_gui.files.idx import write_idx

    data = tmp_path / "mnist"
    data.mkdir(exist_ok=True)
    for split, pair in (("train", train), ("t10k", test)):
        if pair is not None:
            write_idx(data / f"{split}-images-idx3-ubyte.gz", pair[0])
            write_idx(data / f"{split}-labels-idx1-ubyte.gz", pair[1])
    return data


def test_training_command_saves_weights_and_their_record(tmp_path, digits, capsys):
    from lenet_gui.training import evaluate_cli
    from lenet_gui.training import train_cli as train

    images, labels = digits
    data = mnist_directory(
        tmp_path,
        train=(images[:300], labels[:300]),
        test=(images[300:500], labels[300:500]),
    )
    out = tmp_path / "w" / "lenet5.pt"
    argv = ["--data", str(data), "--epochs", "1", "--seed", "3", "--output", str(out)]
    assert train.main(argv) == 0
    state = torch.load(out, weights_only=True)
    assert set(state) == set(LeNet5().state_dict())
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["epochs"] == 1 and record["seed"] == 3
    assert record["training_images"] == 300 and record["test_images"] == 200
    # Every training digit is drawn again, except the bold ones, and all the
    # drawn ones join each pass.
    drawn = record["drawn_digits"]
    assert 250 < drawn < 300 and record["drawn_per_pass"] == drawn
    assert set(record["data_sha256"]) == {
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    }
    assert "--seed 3" in record["command"]
    capsys.readouterr()
    assert evaluate_cli.main(["--data", str(data), "--weights", str(out)]) == 0
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert last["n"] == 200
    assert last["accuracy"] == pytest.approx(record["test_accuracy"])


def test_training_without_drawn_digits(tmp_path, digits):
    from lenet_gui.training import train_cli as train

    images, labels = digits
    data = mnist_directory(
        tmp_path,
        train=(images[:200], labels[:200]),
        test=(images[200:300], labels[200:300]),
    )
    out = tmp_path / "plain.pt"
    argv = ["--data", str(data), "--epochs", "1", "--drawn", "0", "--output", str(out)]
    assert train.main(argv) == 0
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["drawn_digits"] == 0 and record["drawn_per_pass"] == 0
    assert record["drawing_seconds"] == 0


def test_evaluation_of_drawn_digits_reads_what_the_app_would(tmp_path, digits, capsys):
    from lenet_gui.network.classifier import Classifier
    from lenet_gui.training import evaluate_cli
    from lenet_gui.training.drawn import drawn_inputs

    images, labels = digits
    data = mnist_directory(tmp_path, test=(images[:150], labels[:150]))
    assert evaluate_cli.main(["--data", str(data), "--drawn", "--seed", "4"]) == 0
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    inputs, indices = drawn_inputs(images[:150], 4, workers=1)
    classifier = Classifier.load()
    read = [classifier.classify_input(x).digit for x in inputs]
    assert last["drawn"] and last["n"] == len(indices) < 150
    assert last["accuracy"] == pytest.approx(np.mean(read == labels[indices]))


def test_training_command_without_data_says_so(tmp_path, capsys):
    from lenet_gui.training import train_cli as train

    weights = tmp_path / "w.pt"
    assert train.main(["--data", str(tmp_path), "--output", str(weights)]) == 1
    assert "not found" in capsys.readouterr().err
    assert not weights.exists()
