"""The real-handwriting study's report: tables, calibration, contact sheets.

:func:`print_report` prints each condition's accuracy with its 95 %
interval, and the headline row per digit, per writer and its confusions;
:func:`calibration` fits the softmax temperature on the headline readings;
:func:`offline_sheet` and :func:`misread_sheet` draw the misreads (canvas,
32x32 network input, true and read digit).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from lenet_gui.imaging.preprocess import preprocess
from lenet_gui.training.calibration import expected_calibration_error, softmax
from lenet_gui.training.pen_digits import as_written
from lenet_gui.training.pen_training import calibration_report
from studies.accuracy import (
    contact_sheet,
    ink_image,
    input_ink,
    thumbnail,
    wilson,
)
from studies.real_readings import HEADLINE, Readings, redraw

_THUMB = 112


def summary(readings: Readings) -> dict:
    """Accuracy, interval, per digit, per writer and confusions of one condition."""
    correct = readings.correct()
    low, high = wilson(int(correct.sum()), readings.n)
    per_writer = {
        w: round(float(correct[readings.writers == w].mean()), 4)
        for w in sorted(set(readings.writers))
    }
    confusions = Counter(
        (int(t), int(p))
        for t, p in zip(readings.labels, readings.predictions, strict=True)
        if t != p
    )
    return {
        "n": readings.n,
        "accuracy": round(float(correct.mean()), 5),
        "interval": [round(low, 4), round(high, 4)],
        "per_digit": {
            d: round(float(correct[readings.labels == d].mean()), 4)
            for d in range(10)
            if (readings.labels == d).any()
        },
        "per_writer": per_writer,
        "confusions": [[t, p, c] for (t, p), c in confusions.most_common(10)],
    }


def print_report(rows: list[Readings], calibration: dict) -> dict:
    """Print the table, the details of the headline row and the calibration."""
    print(f"\n  {'condition':<34}{'n':>6}{'accuracy':>10}   95% interval")
    results = {}
    for readings in rows:
        s = summary(readings)
        results[readings.name] = s
        low, high = s["interval"]
        print(
            f"  {readings.name:<34}{s['n']:>6}{s['accuracy']:>10.2%}"
            f"   {low:.1%}-{high:.1%}"
        )
    head = results[rows[0].name]
    print(f"\n  {rows[0].name}, per digit:")
    print("   " + "".join(f"{d:>7}" for d in head["per_digit"]))
    print("   " + "".join(f"{a:>7.1%}" for a in head["per_digit"].values()))
    writers = head["per_writer"]
    worst = min(writers, key=writers.get)
    print(
        f"  per writer: {min(writers.values()):.1%} ({worst}) to "
        f"{max(writers.values()):.1%}, {len(writers)} writers"
    )
    listed = ", ".join(f"{t}->{p} x{c}" for t, p, c in head["confusions"])
    print(f"  confusions (true->read): {listed or 'none'}")
    print(
        f"\n  calibration on these writers: T = {calibration['temperature']}; "
        f"ECE (15 bins) {calibration['ece_before']:.4f} before, "
        f"{calibration['ece_after']:.4f} after (T fitted on the other half of the "
        f"writers: {calibration['half_temperatures']})"
    )
    print(
        f"  misreads said to be >= 99 % sure: {calibration['sure_misreads_before']} "
        f"before, {calibration['sure_misreads_after']} after scaling by T"
    )
    return results


def calibration(readings: Readings) -> dict:
    """Temperature and ECE of the headline readings (writer-split, see report)."""
    report = calibration_report(readings.logits, readings.labels, readings.writers)
    wrong = ~readings.correct()
    sure = softmax(readings.logits).max(axis=1) >= 0.99
    scaled = softmax(readings.logits, report["temperature"]).max(axis=1) >= 0.99
    scaled_probs = softmax(readings.logits, report["temperature"])
    report["ece_after_same_writers"] = round(
        expected_calibration_error(scaled_probs, readings.labels), 5
    )
    report["sure_misreads_before"] = int((wrong & sure).sum())
    report["sure_misreads_after"] = int((wrong & scaled).sum())
    return report


# -- contact sheets ------------------------------------------------------------


def misread_sheet(
    tiles: list[tuple[np.ndarray, np.ndarray | None, str]],
    path: Path,
    columns: int = 5,
) -> None:
    """Save (canvas, network input, caption) tiles as one PNG."""
    pictures = []
    for canvas, network_input, text in tiles:
        inks = [thumbnail(canvas, _THUMB) / 255.0]
        if network_input is not None:
            inks.append(input_ink(network_input))
        pictures.append(([ink_image(ink, _THUMB) for ink in inks], text))
    contact_sheet(pictures, path, _THUMB, 2 * _THUMB + 16, columns)


def offline_sheet(readings: Readings, seed: int, path: Path, limit: int = 60) -> int:
    """Contact sheet of the headline misreads; return how many there were."""
    wrong = np.flatnonzero(~readings.correct())
    probabilities = softmax(readings.logits)
    tiles = []
    for k in wrong[:limit]:
        index = int(readings.indices[k])
        digit = readings.digits[index]
        _, _, paper = redraw(digit, index, seed, as_written(HEADLINE))
        read = int(readings.predictions[k])
        tiles.append(
            (
                paper,
                preprocess(paper),
                f"{digit.label} read {read} ({probabilities[k, read]:.0%}) "
                f"{digit.writer}",
            )
        )
    if tiles:
        misread_sheet(tiles, path)
    return len(wrong)
