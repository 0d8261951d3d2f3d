"""The training command with real pen trajectories: --strokes and held-out writers."""

import json
from pathlib import Path

import numpy as np
import pytest

from lenet_gui.files.idx import load_mnist
from lenet_gui.training import train_cli as train
from lenet_gui.training.calibration import softmax
from lenet_gui.training.pen_training import calibration_report
from tests.test_training import mnist_directory

MNIST = Path(__file__).parent / "data" / "mnist"
SAMPLE = Path(__file__).parent / "data" / "strokes" / "pendigits-sample.json"


@pytest.fixture(scope="module")
def digits():
    return load_mnist(MNIST, "test")


@pytest.fixture
def data(tmp_path, digits):
    images, labels = digits
    return mnist_directory(
        tmp_path,
        train=(images[:200], labels[:200]),
        test=(images[200:300], labels[200:300]),
    )


def _argv(data, out, *more):
    return [
        "--data",
        str(data),
        "--epochs",
        "1",
        "--seed",
        "2",
        "--drawn",
        "0",
        "--workers",
        "1",
        "--output",
        str(out),
        "--strokes",
        str(SAMPLE),
        *more,
    ]


def test_pen_digits_join_every_pass_and_held_out_writers_are_validated(
    tmp_path, data, capsys
):
    out = tmp_path / "w.pt"
    argv = _argv(data, out, "--holdout-writers", "1", "--stroke-copies", "2")
    assert train.main(argv) == 0
    record = json.loads(out.with_suffix(".json").read_text())
    strokes = record["strokes"]
    held = strokes["holdout_writers"]
    assert len(held) == 1 and held[0].startswith("train_w0")
    # The held-out writer's 14 digits are not trained on; the other 42 are,
    # two variants each, and twice that many join each pass.
    assert strokes["trained_digits"] == 42 and strokes["trained_writers"] == 3
    assert strokes["drawn"] == 84 and strokes["per_pass"] == 84
    assert strokes["augmentation"]["styles"] == [
        "slashed_zero",
        "flagged_one",
        "footed_one",
        "closed_four",
        "barred_seven",
        "curled_nine",
    ]
    validation = record["validation"]
    assert validation["n"] == 14 and 0.0 <= validation["accuracy"] <= 1.0
    assert len(validation["per_digit"]) == 10
    assert record["temperature"] == validation["temperature"] > 0
    assert "held-out writers:" in capsys.readouterr().out
    # 200 MNIST digits + 84 pen digits in the one pass, batches of 128.
    assert record["training_images"] == 200


def test_the_same_writers_are_held_out_by_name(tmp_path, data):
    out = tmp_path / "w.pt"
    argv = _argv(
        data,
        out,
        "--holdout-writers",
        "train_w02,train_w04",
        "--stroke-copies",
        "1",
        "--pen-styles",
        "none",
        "--pen-augment",
        "placement",
    )
    assert train.main(argv) == 0
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["strokes"]["holdout_writers"] == ["train_w02", "train_w04"]
    assert record["strokes"]["augmentation"]["rotate"] == 0.0
    assert record["validation"]["n"] == 28


def test_without_held_out_writers_there_is_nothing_to_validate(tmp_path, data):
    out = tmp_path / "w.pt"
    argv = _argv(
        data,
        out,
        "--stroke-copies",
        "1",
        "--pen-augment",
        "placement",
        "--pen-styles",
        "slashed_zero",
    )
    assert train.main(argv) == 0
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["strokes"]["trained_digits"] == 56
    # Style variants apply with or without the geometric changes.
    augmentation = record["strokes"]["augmentation"]
    assert augmentation["styles"] == ["slashed_zero"] and augmentation["shear"] == 0
    assert "validation" not in record and "temperature" not in record


@pytest.mark.parametrize(
    ("content", "more", "message"),
    [
        ("[1, 2", (), "bad.json: not valid JSON"),
        ("[]", (), "bad.json: holds no digits"),
        (None, ("--holdout-writers", "nobody"), "no digits by writer(s) nobody"),
        (None, ("--holdout-writers", "4"), "can hold out 0 to 3 of 4 writers"),
    ],
)
def test_bad_stroke_input_stops_the_command_with_a_message(
    tmp_path, data, capsys, content, more, message
):
    path = SAMPLE
    if content is not None:
        path = tmp_path / "bad.json"
        path.write_text(content)
    out = tmp_path / "w.pt"
    argv = _argv(data, out, *more)
    argv[argv.index(str(SAMPLE))] = str(path)
    assert train.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err and not out.exists()


def test_unknown_styles_are_refused_by_the_parser(tmp_path, data, capsys):
    with pytest.raises(SystemExit):
        train.parse_args(_argv(data, tmp_path / "w.pt", "--pen-styles", "wavy_two"))
    assert "unknown style(s) wavy_two" in capsys.readouterr().err


def test_calibration_is_scored_on_writers_the_temperature_was_not_fitted_on():
    rng = np.random.default_rng(0)
    logits = rng.normal(0.0, 6.0, (600, 10))
    labels = np.array([rng.choice(10, p=p) for p in softmax(logits, 3.0)])
    writers = np.array([f"w{k % 6}" for k in range(600)])
    report = calibration_report(logits, labels, writers)
    assert report["temperature"] == pytest.approx(3.0, rel=0.15)
    assert len(report["half_temperatures"]) == 2
    assert report["ece_after"] < 0.5 * report["ece_before"]
