"""The studies' own checks: ``python -m studies --self-test``.

A quick run of ``python -m studies.real_digits`` on the pen digits shipped
for the tests (four writers' digits drawn offline and, for a few, with mouse
events on the real window), its messages, its folds and the pooling of their
readings: a broken option or a renamed row shows up here, in seconds,
instead of at the end of a long run. The not-a-digit study
(``python -m studies.non_digits``) runs on the same sample, one drawing of
each kind, without MNIST.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import numpy as np

from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.network.weights import BUNDLED_WEIGHTS
from studies import non_digits, real_digits, real_folds, real_readings

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "data"
    / "strokes"
    / "pendigits-sample.json"
)


def _main(argv: list[str]) -> tuple[int, str, str]:
    """Run the real-digits study; return its status, output and error output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = real_digits.main(argv)
    return status, out.getvalue(), err.getvalue()


class RealDigits(unittest.TestCase):
    """``python -m studies.real_digits`` and its parts."""

    def test_reads_held_out_writers_offline_and_in_the_window(self):
        """Every row, the window's sample, the sheet and the recorded temperature."""
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            weights = folder / "lenet5.pt"
            shutil.copy(BUNDLED_WEIGHTS, weights)
            shutil.copy(
                BUNDLED_WEIGHTS.with_suffix(".json"), weights.with_suffix(".json")
            )
            out = folder / "result.json"
            sheet = folder / "misses.png"
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
            with mock.patch.dict(os.environ, {real_digits.ENVIRONMENT: str(SAMPLE)}):
                status, printed, _ = _main(argv)
            self.assertEqual(status, 0)
            result = json.loads(out.read_text())
            self.assertEqual(len(result["writers"]), 4)
            rows = result["rows"]
            headline = rows["headline 45-80%, default pen"]
            self.assertEqual(headline["n"], 56)
            self.assertEqual(set(headline["per_digit"]), set(map(str, range(10))))
            self.assertEqual(set(headline["per_writer"]), set(result["writers"]))
            self.assertEqual(rows["small 10-25%, default pen"]["n"], 56)
            self.assertEqual(rows["random pen 8-48 px, 45-80%"]["n"], 56)
            # Every 0 of the sample takes a slash.
            self.assertEqual(rows["styled: slashed_zero"]["n"], 4)
            window = result["window"]
            self.assertEqual(window["n"], 6)
            self.assertTrue(0.0 <= window["agreement_with_offline"] <= 1.0)
            # The bundled weights misread some of these (one in ten or so).
            misses = round((1 - headline["accuracy"]) * 56)
            self.assertEqual(sheet.exists(), misses > 0)
            record = json.loads(weights.with_suffix(".json").read_text())
            temperature = result["calibration"]["temperature"]
            self.assertEqual(record["temperature"], temperature)
            self.assertGreater(temperature, 0)
            self.assertEqual(record["temperature_fit"]["writers"], result["writers"])
            self.assertIn("test_accuracy", record)  # the rest of the record is kept
            self.assertIn("per digit", printed)
            self.assertIn("real window, 6 headline digits", printed)

    def test_no_stroke_file_is_a_message_not_a_traceback(self):
        """Missing stroke files end the study with a message and status 1."""
        environment = dict(os.environ)
        environment.pop(real_digits.ENVIRONMENT, None)
        with (
            mock.patch.dict(os.environ, environment, clear=True),
            tempfile.TemporaryDirectory() as empty,
        ):
            status, _, err = _main(["--gui", "0"])
            self.assertEqual(status, 1)
            self.assertIn("no stroke file: give --strokes FILE", err)
            status, _, err = _main(["--data", empty, "--gui", "0"])
            self.assertEqual(status, 1)
            self.assertIn("no .json stroke files", err)

    def test_writers_split_into_folds_of_equal_size(self):
        """Folds hold every writer once, in groups of equal size."""
        digits = load_pen_digits(SAMPLE)
        folds = real_folds.fold_writers(digits, 2, seed=1)
        self.assertEqual(sorted(sum(folds, [])), sorted({d.writer for d in digits}))
        self.assertEqual([len(f) for f in folds], [2, 2])
        with (
            contextlib.redirect_stderr(io.StringIO()),
            self.assertRaises(SystemExit),
        ):
            real_digits.parse_args(["--folds"])

    def test_out_of_fold_readings_pool_by_condition(self):
        """Pooled readings keep each condition, and indices into the pooled digits."""

        def readings(name, writer, n):
            digits = [PenDigit(k % 10, writer, (np.zeros((1, 2)),)) for k in range(n)]
            labels = np.arange(n) % 10
            return real_readings.Readings(
                name,
                labels,
                np.eye(10)[labels],
                np.full(n, writer),
                np.arange(n),
                digits,
            )

        first = [readings("headline", "a", 3), readings("styled", "a", 2)]
        second = [readings("headline", "b", 4)]  # no digit of b takes the style
        rows = real_readings.pooled(real_readings.pooled([], first), second)
        self.assertEqual([r.name for r in rows], ["headline", "styled"])
        headline = rows[0]
        self.assertEqual(headline.n, 7)
        self.assertEqual(list(headline.writers), ["a"] * 3 + ["b"] * 4)
        # Indices point into the pooled digits.
        self.assertEqual(
            [headline.digits[i].writer for i in headline.indices],
            list(headline.writers),
        )
        self.assertEqual(rows[1].n, 2)


class SegmentsStudy(unittest.TestCase):
    """``python -m studies.segments``: each digit found among the candidates."""

    def test_digits_apart_are_among_the_candidates_and_straddling_marks_not(self):
        """Each digit of a number apart matches a candidate; straddling marks none."""
        from lenet_gui.drawing.paper import render
        from lenet_gui.reading.pieces import find_pieces
        from lenet_gui.training.numbers import compose_number
        from studies.segments import best_match

        mine = [d for d in load_pen_digits(SAMPLE) if d.writer == "train_w03"]
        chosen = [next(d for d in mine if d.label == label) for label in (3, 5, 0)]
        strokes, _ = compose_number(chosen, (0.3, 0.4), np.random.default_rng(0))
        pieces = find_pieces(render(strokes, 16.0) / 255.0)
        assert pieces is not None
        start, marks = 0, []
        for digit in chosen:
            part = strokes[start : start + len(digit.strokes)]
            start += len(digit.strokes)
            marks.append(render(part, 16.0) / 255.0 >= 0.2)
            self.assertGreater(best_match(pieces, marks[-1]), 0.95)
        # The first digit's marks moved half their width right straddle two
        # digits: no candidate matches them well.
        columns = np.flatnonzero(marks[0].any(axis=0))
        moved = np.roll(marks[0], (columns[-1] - columns[0]) // 2, axis=1)
        self.assertLess(best_match(pieces, moved), 0.8)

    def test_prints_its_figures(self):
        """The study runs on the shipped sample and prints its figures."""
        from studies import segments

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = segments.main(
                ["--strokes", str(SAMPLE), "--writers", "train_w01,train_w02"]
                + ["--gap", "apart", "--count", "3"]
            )
        self.assertEqual(status, 0)
        self.assertIn("numbers with every digit among the candidates:", out.getvalue())


class NonDigits(unittest.TestCase):
    """``python -m studies.non_digits`` on the sample, without MNIST."""

    def test_prints_every_row_and_writes_the_sheets(self):
        """Letters seen and unseen, words, marks, real digits, two contact sheets."""
        with tempfile.TemporaryDirectory() as scratch:
            argv = ["--strokes", str(SAMPLE), "--mnist", scratch, "--no-mnist"]
            argv += ["--holdout", "train_w01", "--count", "1", "--sheets", scratch]
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = non_digits.main(argv)
            self.assertEqual(status, 0)
            text = out.getvalue()
            for row in (
                "letters seen",
                "letters unseen",
                "words unseen",
                "mark dot",
                "marks",
                "every mark read whole",
                "real digits, as in the numbers study",
            ):
                self.assertIn(row, text)
            self.assertIn("(n=14)", text)  # the held-out writer's 14 digits
            whole = next(r for r in text.splitlines() if r.startswith("every mark"))
            self.assertIn(f"(n={len(non_digits.SHAPES)})", whole)  # one of each kind
            for name in ("refused-digits.png", "passed-non-digits.png"):
                self.assertGreater((Path(scratch) / name).stat().st_size, 0)


def run() -> int:
    """Run every check; return the exit status (1 if any failed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    checks = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(checks)
    return 0 if result.wasSuccessful() else 1
