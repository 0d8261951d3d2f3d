"""The real-handwriting benchmark, run on the shipped sample of pen digits.

A quick in-suite run of ``python -m benchmarks.real_digits``: four writers'
digits drawn offline and, for a few, with mouse events on the real window.
"""

import json
import shutil
from pathlib import Path

import pytest

from benchmarks import real_digits, real_folds, real_readings
from lenet_gui.network.weights import BUNDLED_WEIGHTS

SAMPLE = Path(__file__).parent / "data" / "strokes" / "pendigits-sample.json"


def test_the_benchmark_reads_held_out_writers_offline_and_in_the_window(
    tmp_path, capsys, monkeypatch
):
    weights = tmp_path / "lenet5.pt"
    shutil.copy(BUNDLED_WEIGHTS, weights)
    shutil.copy(BUNDLED_WEIGHTS.with_suffix(".json"), weights.with_suffix(".json"))
    monkeypatch.setenv(real_digits.ENVIRONMENT, str(SAMPLE))
    out = tmp_path / "result.json"
    sheet = tmp_path / "misses.png"
    argv = [
        "--weights",
        str(weights),
        "--all-writers",
        "--gui",
        "6",
        "--workers",
        "1",
        "--sheet",
        str(sheet),
        "--json",
        str(out),
        "--record-temperature",
        str(weights),
    ]
    assert real_digits.main(argv) == 0
    result = json.loads(out.read_text())
    assert len(result["writers"]) == 4
    rows = result["rows"]
    headline = rows["headline 45-80%, default pen"]
    assert headline["n"] == 56 and set(headline["per_digit"]) == set(
        map(str, range(10))
    )
    assert set(headline["per_writer"]) == set(result["writers"])
    assert rows["small 10-25%, default pen"]["n"] == 56
    assert rows["random pen 8-48 px, 45-80%"]["n"] == 56
    # Every 0 of the sample takes a slash.
    assert rows["styled: slashed_zero"]["n"] == 4
    window = result["window"]
    assert window["n"] == 6 and 0.0 <= window["agreement_with_offline"] <= 1.0
    # The bundled weights misread some of these (one in ten or so).
    misses = round((1 - headline["accuracy"]) * 56)
    assert sheet.exists() == (misses > 0)
    record = json.loads(weights.with_suffix(".json").read_text())
    assert record["temperature"] == result["calibration"]["temperature"] > 0
    assert record["temperature_fit"]["writers"] == result["writers"]
    assert "test_accuracy" in record  # the rest of the record is kept
    printed = capsys.readouterr().out
    assert "per digit" in printed and "real window, 6 headline digits" in printed


def test_no_stroke_file_is_a_message_not_a_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv(real_digits.ENVIRONMENT, raising=False)
    assert real_digits.main(["--gui", "0"]) == 1
    assert "no stroke file: give --strokes FILE" in capsys.readouterr().err
    assert real_digits.main(["--data", str(tmp_path), "--gui", "0"]) == 1
    assert "no .json stroke files" in capsys.readouterr().err


def test_writers_split_into_folds_of_equal_size():
    from lenet_gui.files.stroke_files import load_pen_digits

    digits = load_pen_digits(SAMPLE)
    folds = real_folds.fold_writers(digits, 2, seed=1)
    assert sorted(sum(folds, [])) == sorted({d.writer for d in digits})
    assert [len(f) for f in folds] == [2, 2]
    with pytest.raises(SystemExit):
        real_digits.parse_args(["--folds"])


def test_out_of_fold_readings_pool_by_condition():
    import numpy as np

    from lenet_gui.files.stroke_files import PenDigit

    def readings(name, writer, n):
        digits = [PenDigit(k % 10, writer, (np.zeros((1, 2)),)) for k in range(n)]
        labels = np.arange(n) % 10
        return real_readings.Readings(
            name, labels, np.eye(10)[labels], np.full(n, writer), np.arange(n), digits
        )

    first = [readings("headline", "a", 3), readings("styled", "a", 2)]
    second = [readings("headline", "b", 4)]  # no digit of b takes the style
    rows = real_readings.pooled(real_readings.pooled([], first), second)
    assert [r.name for r in rows] == ["headline", "styled"]
    headline = rows[0]
    assert headline.n == 7 and list(headline.writers) == ["a"] * 3 + ["b"] * 4
    # Indices point into the pooled digits.
    assert [headline.digits[i].writer for i in headline.indices] == list(
        headline.writers
    )
    assert rows[1].n == 2
