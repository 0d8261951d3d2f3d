"""``python -m lenet_gui.adapt``: teach the network your digits from a stroke file.

One real adaptation of the bundled weights on one writer's digits (the
weights it writes load and read as the printed figures say), and every bad
input refused in one line, without a traceback, before anything is written.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from lenet_gui.drawing.image_file import read_ink
from lenet_gui.explain.top_digits import load_digit_set
from lenet_gui.files.stroke_files import load_pen_digits
from lenet_gui.gui.predict_cli import run_predict
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.weights import load_model
from lenet_gui.training import adapt_cli
from lenet_gui.training.learning import evaluate

SAMPLE = Path(__file__).resolve().parent / "data" / "strokes" / "pendigits-sample.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in process; return its status, output and error output."""
    try:
        status = adapt_cli.main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def one_writer(tmp_path: Path) -> Path:
    """Write the first writer's digits of the shipped sample as a stroke file."""
    items = json.loads(SAMPLE.read_text())
    first = items[0]["writer"]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps([item for item in items if item["writer"] == first]))
    return path


def test_adapts_writes_weights_that_load_and_prints_their_own_figures(
    tmp_path, capsys, one_torch_thread
):
    strokes = one_writer(tmp_path)
    strokes_before = strokes.read_bytes()
    # As documented: MINE.pt beside MINE.json, whose name its record would take.
    output = tmp_path / "mine.pt"
    status, out, err = run(capsys, "--strokes", str(strokes), "--output", str(output))
    assert status == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["saved"] == str(output)
    assert summary["taught_digits"] == len(load_pen_digits(strokes))
    adapted, metadata = load_model(output)
    assert metadata == {}  # the stroke file beside it is not a record
    # The figure printed is the adapted weights' own reading of the digits.
    sample = load_digit_set()
    result = evaluate(adapted, np.asarray(sample.images), np.asarray(sample.labels))
    assert summary["mnist_after"]["correct"] == result.n - result.errors
    assert summary["mnist_after"]["n"] == 2000
    assert abs(summary["mnist_cost_points"]) <= 0.5
    # A copy was trained: the weights differ from the bundled ones.
    base, _ = load_model()
    assert not np.allclose(
        adapted.c1.weight.detach().numpy(), base.c1.weight.detach().numpy()
    )
    assert output.with_suffix(".json").read_bytes() == strokes_before
    # They read in --predict, as the network reads the same digit.
    image = tmp_path / "digit.png"
    QImage(
        np.ascontiguousarray(255 - sample.images[0]).data,
        28,
        28,
        28,
        QImage.Format.Format_Grayscale8,
    ).save(str(image))
    out, err = io.StringIO(), io.StringIO()
    assert run_predict([str(image)], str(output), out, err) == 0, err.getvalue()
    predicted = json.loads(out.getvalue())
    assert predicted["digit"] == Classifier.load(output).predict(read_ink(image)).digit
    # Without --force an existing file stays.
    before = output.read_bytes()
    status, _, err = run(capsys, "--strokes", str(strokes), "--output", str(output))
    assert status == 1 and "--force" in err and err.count("\n") == 1
    assert output.read_bytes() == before


def digit(label: object = 1, strokes: object = None) -> dict[str, object]:
    return {
        "label": label,
        "writer": "me",
        "strokes": [[[10, 10], [10, 60]]] if strokes is None else strokes,
    }


BAD_FILES = {
    "empty": "",
    "no digits": "[]",
    "malformed": '[{"label": 1, "writer": "me", "strokes": [[[1, 2]',
    "not a list": '{"label": 1}',
    "wrong label": json.dumps([digit(label=12)]),
    "label as text": json.dumps([digit(label="7")]),
    "NaN": '[{"label": 1, "writer": "me", "strokes": [[[NaN, 1], [2, 3]]]}]',
    "huge": json.dumps([digit(strokes=[[[1e300, 1], [2, 3]]])]),
    "deep": "[" * 100_000 + "]" * 100_000,
    "too many digits": json.dumps([digit()] * 2001),
    "too many points": json.dumps(
        [digit(strokes=[[[i % 50, i % 70] for i in range(30_000)]])]
    ),
    "too many strokes": json.dumps([digit(strokes=[[[1, 2], [3, 4]]] * 60)]),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_one_line_and_nothing_is_written(tmp_path, capsys, name):
    strokes = tmp_path / "bad.json"
    strokes.write_text(BAD_FILES[name])
    output = tmp_path / "out.pt"
    status, _, err = run(capsys, "--strokes", str(strokes), "--output", str(output))
    assert status == 1
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "Traceback" not in err
    assert "nothing was written" in err
    assert not output.exists() and not output.with_suffix(".json").exists()


def test_a_fifo_a_folder_and_a_missing_file_are_refused_unread(tmp_path, capsys):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    output = tmp_path / "out.pt"
    for strokes in (fifo, tmp_path, tmp_path / "missing.json"):
        status, _, err = run(capsys, "--strokes", str(strokes), "--output", str(output))
        assert status == 1 and err.count("\n") == 1, err
        assert str(strokes) in err
    assert not output.exists()


def test_a_million_digits_are_refused_by_size(tmp_path, capsys):
    strokes = tmp_path / "million.json"
    one = json.dumps(digit())
    strokes.write_text("[" + ",".join([one] * 1_000_000) + "]")
    status, _, err = run(
        capsys, "--strokes", str(strokes), "--output", str(tmp_path / "out.pt")
    )
    assert status == 1 and err.count("\n") == 1
    assert "MB" in err or "large" in err, err


def test_the_output_rules_of_the_training_command(tmp_path, capsys):
    strokes = one_writer(tmp_path)
    status, _, err = run(
        capsys, "--strokes", str(strokes), "--output", str(tmp_path / "w.json")
    )
    assert status == 1 and ".json" in err and err.count("\n") == 1
    status, _, err = run(capsys, "--strokes", str(strokes), "--output", str(tmp_path))
    assert status == 1 and err.count("\n") == 1
    assert status == 1 and err.count("\n") == 1
    status, _, err = run(capsys, "--strokes", str(strokes))
    assert status == 2 and "--output" in err and err.count("\n") == 1
    status, _, err = run(
        capsys, "--strokes", str(strokes), "--output", "x.pt", "--folds", "1"
    )
    assert status == 2 and err.count("\n") == 1


def test_bad_base_weights_are_one_line(tmp_path, capsys):
    strokes = one_writer(tmp_path)
    weights = tmp_path / "base.pt"
    weights.write_bytes(b"not torch")
    output = tmp_path / "out.pt"
    status, _, err = run(
        capsys,
        "--strokes",
        str(strokes),
        "--output",
        str(output),
        "--weights",
        str(weights),
    )
    assert status == 1 and err.count("\n") == 1 and "base.pt" in err
    assert not output.exists()


def test_an_adaptation_that_costs_mnist_accuracy_is_refused_and_not_written(
    tmp_path, capsys, monkeypatch, one_torch_thread
):
    from lenet_gui.training import adaptation, adaptation_check

    # Short, and any cost at all refused (-1 point allowed: even a gain is refused).
    monkeypatch.setitem(
        adaptation.SCHEDULES, "quick", adaptation.Schedule("quick", 1, 2, 1e-3)
    )
    monkeypatch.setattr(adaptation_check, "MNIST_COST_LIMIT", -0.01)
    strokes = one_writer(tmp_path)
    output = tmp_path / "refused.pt"
    status, out, err = run(capsys, "--strokes", str(strokes), "--output", str(output))
    assert status == 1
    assert err.startswith("error: refused:") and err.count("\n") == 1
    assert "MNIST test digits" in err and "nothing was written" in err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["refused"] is True and summary["saved"] is None
    assert not output.exists() and not output.with_suffix(".json").exists()
