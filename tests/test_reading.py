"""Numbers and "not a digit": the reading core, --predict and the window."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtGui import QImage

from lenet_gui.drawing.paper import render
from lenet_gui.gui.predict_cli import run_predict, shown_name
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.pieces import find_pieces, one_piece
from lenet_gui.reading.verdict import VerdictError, load_head
from lenet_gui.training.numbers import SHAPES, compose_number, non_digit_strokes


@pytest.fixture(scope="module")
def reader(classifier):
    return NumberReader(classifier, load_head())


def number(pen, text: str, writer: str, gap=(0.25, 0.45), seed=0, classifier=None):
    """Strokes of `text` written by `writer` (digits from the test sample).

    With a classifier, only digits it reads right on their own are used, so
    that what is tested is the cutting, not the reading of one digit.
    """
    mine = [d for d in pen if d.writer == writer]

    def fits(digit, label):
        if digit.label != label:
            return False
        if classifier is None:
            return True
        alone = classifier.predict(render(list(digit.strokes), 24.0))
        return alone is not None and alone.digit == label

    digits = [next(d for d in mine if fits(d, int(c))) for c in text]
    strokes, boxes = compose_number(digits, gap, np.random.default_rng(seed))
    return strokes, boxes


def save_ink(ink: np.ndarray, path: Path) -> str:
    grey = np.ascontiguousarray(255 - ink)
    image = QImage(
        grey.data,
        grey.shape[1],
        grey.shape[0],
        grey.shape[1],
        QImage.Format.Format_Grayscale8,
    )
    assert image.save(str(path))
    return str(path)


NUMBERS = [("2026", "train_w01"), ("4719", "train_w02"), ("350", "train_w03")]


@pytest.mark.parametrize(("text", "writer"), NUMBERS)
def test_a_number_reads_left_to_right(pen, reader, classifier, text, writer):
    strokes, boxes = number(pen, text, writer, classifier=classifier)
    reading = reader.read(render(strokes, 16.0))
    assert reading is not None
    assert reading.text == text
    assert reading.not_digit is None
    # Each box holds its digit's strokes (the pen adds half its width).
    for digit, (x0, y0, x1, y1) in zip(reading.digits, boxes, strict=True):
        bx0, by0, bx1, by1 = digit.box
        assert bx0 <= x0 + 9 and bx1 >= x1 - 9
        assert bx0 >= x0 - 10 and bx1 <= x1 + 10
        assert by0 <= y0 + 9 and by1 >= y1 - 9


def test_each_digit_of_a_number_is_the_networks_own_reading(pen, reader, classifier):
    strokes, _ = number(pen, "2026", "train_w01")
    reading = reader.read(render(strokes, 16.0))
    for digit in reading.digits:
        alone = classifier.classify_input(digit.prediction.network_input)
        np.testing.assert_allclose(
            digit.prediction.probabilities, alone.probabilities, atol=1e-6
        )
        for name, values in alone.activations.items():
            np.testing.assert_allclose(
                digit.prediction.activations[name], values, atol=1e-5
            )


def test_a_single_digit_reads_exactly_as_before(pen, reader, classifier):
    for digit in pen[:20]:
        strokes, _ = compose_number([digit], (0, 0), np.random.default_rng(1))
        image = render(strokes, 24.0)
        assert one_piece(image / 255.0)
        reading = reader.read(image)
        before = classifier.predict(image)
        assert len(reading.digits) == 1
        got = reading.digits[0].prediction
        np.testing.assert_array_equal(got.network_input, before.network_input)
        np.testing.assert_array_equal(got.probabilities, before.probabilities)


def test_multi_stroke_digits_stay_one(pen, reader):
    several = [d for d in pen if len(d.strokes) > 1][:10]
    assert several, "the sample holds digits written in several strokes"
    for digit in several:
        strokes, _ = compose_number([digit], (0, 0), np.random.default_rng(2))
        reading = reader.read(render(strokes, 24.0))
        assert len(reading.digits) == 1, digit.label


def test_pieces_are_numbered_left_to_right(pen):
    strokes, _ = number(pen, "1111", "train_w01")
    pieces = find_pieces(render(strokes, 16.0) / 255.0)
    assert pieces is not None and pieces.count >= 4
    assert (np.diff(pieces.boxes[:, 0]) >= 0).all()


def test_shapes_are_not_digits(reader):
    rng = np.random.default_rng(7)
    flagged = total = 0
    for kind in SHAPES:
        for _ in range(4):
            strokes = [s * 300 + 74 for s in non_digit_strokes(kind, rng)]
            reading = reader.read(render(strokes, 20.0))
            flagged += reading is not None and reading.not_digit is not None
            total += 1
    assert flagged >= 0.7 * total


def test_real_digits_are_not_flagged(pen, reader):
    flagged = []
    for digit in pen:
        strokes, _ = compose_number([digit], (0, 0), np.random.default_rng(3))
        reading = reader.read(render(strokes, 24.0))
        if reading.not_digit is not None:
            flagged.append(digit.label)
    assert len(flagged) <= 1, flagged


def test_the_head_file_is_checked(tmp_path):
    good = load_head()
    state = {k: v.clone() for k, v in good.state_dict().items()}
    broken = dict(state, threshold=torch.tensor(float("nan")))
    torch.save(broken, tmp_path / "nan.pt")
    wrong = dict(state)
    del wrong["out_bias"]
    torch.save(wrong, tmp_path / "keys.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a weights file")
    os.mkfifo(tmp_path / "pipe.pt")
    (tmp_path / "big.pt").write_bytes(b"\0" * (2 << 20))
    for name in ("nan.pt", "keys.pt", "junk.pt", "pipe.pt", "big.pt", "none.pt"):
        with pytest.raises(VerdictError):
            load_head(tmp_path / name)


def predict(paths: list[str]) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_predict(paths, out=out, err=err)
    return (
        status,
        [json.loads(line) for line in out.getvalue().splitlines()],
        err.getvalue(),
    )


def test_predict_reads_a_number_with_boxes_in_file_pixels(tmp_path, pen, classifier):
    strokes, boxes = number(pen, "2026", "train_w01", classifier=classifier)
    path = save_ink(render(strokes, 16.0), tmp_path / "2026.png")
    status, (result,), err = predict([path])
    assert status == 0 and err == ""
    assert result["text"] == "2026"
    assert result["digit"] is None and result["probabilities"] is None
    assert result["not_digit"] is None
    assert [d["digit"] for d in result["digits"]] == [2, 0, 2, 6]
    lefts = [d["box"][0] for d in result["digits"]]
    assert lefts == sorted(lefts)
    for digit, (x0, _, x1, _) in zip(result["digits"], boxes, strict=True):
        assert abs(digit["box"][0] - x0) <= 10 and abs(digit["box"][2] - x1) <= 10
        assert all(round(p, 6) == p for p in digit["probabilities"])


def test_predict_says_not_a_digit(tmp_path):
    rng = np.random.default_rng(11)
    strokes = [s * 300 + 74 for s in non_digit_strokes("star", rng)]
    path = save_ink(render(strokes, 20.0), tmp_path / "star.png")
    status, (result,), _ = predict([path])
    assert status == 0
    assert result["text"] == "" and result["digits"] == []
    assert result["digit"] is None and isinstance(result["not_digit"], str)


def test_names_that_are_not_utf8_print_as_valid_utf8(tmp_path, pen):
    strokes, _ = number(pen, "7", "train_w02")
    raw = os.fsencode(tmp_path) + b"/caf\xe9.png"
    os.rename(save_ink(render(strokes, 24.0), tmp_path / "plain.png"), raw)
    path = os.fsdecode(raw)
    out = io.StringIO()
    run_predict([path], out=out, err=io.StringIO())
    line = out.getvalue()
    line.encode("utf-8")  # no lone surrogates
    result = json.loads(line)
    assert result["file"].endswith("caf\\xe9.png")
    assert result["file"] == shown_name(path)
    assert "error" not in result and result["text"] == "7"


def test_a_number_drawn_stroke_by_stroke_reads_as_if_read_afresh(pen, classifier):
    """Outputs remembered between live updates change nothing that is read."""
    strokes, _ = number(pen, "4719", "train_w02", classifier=classifier)
    live = NumberReader(classifier, load_head())
    passes = []
    outputs = classifier.outputs

    def counted(batch, ablation=None):
        passes.append(len(batch))
        return outputs(batch, ablation)

    counting = type("Counted", (), {})()
    counting.outputs = counted
    counting.classify_input = classifier.classify_input
    live.reads.classifier = counting
    growing = [render(strokes[:k], 16.0) for k in range(2, len(strokes) + 1)]
    for image in growing:
        fresh = NumberReader(classifier, load_head()).read(image)
        again = live.read(image)
        assert again.text == fresh.text and again.unsure == fresh.unsure
        for mine, theirs in zip(again.digits, fresh.digits, strict=True):
            assert mine.box == theirs.box
            np.testing.assert_array_equal(
                mine.prediction.probabilities, theirs.prediction.probabilities
            )
            assert mine.not_digit == pytest.approx(theirs.not_digit, abs=1e-6)
    assert passes, "the number was never searched"
    # Read once more: every candidate is remembered, nothing is read again.
    before = len(passes)
    live.read(growing[-1])
    assert len(passes) == before


TOUCHING = [
    ("47", "train_w01"),
    ("63", "train_w02"),
    ("25", "train_w03"),
    ("07", "train_w01"),
    ("23", "train_w02"),
]


@pytest.mark.parametrize(("text", "writer"), TOUCHING)
def test_digits_that_touch_are_cut_apart(pen, reader, classifier, text, writer):
    """Neighbours whose ink meets are one piece of ink, cut where it is thinnest."""
    strokes, _ = number(pen, text, writer, gap=(-0.03, -0.03), classifier=classifier)
    image = render(strokes, 16.0)
    pieces = find_pieces(image / 255.0)
    assert pieces is not None and pieces.count > 1
    assert len(set(pieces.joined.tolist())) == 1, "the two digits' ink touches"
    reading = reader.read(image)
    # The cut is tested here (what the network reads in each piece); whether
    # the pieces are digits at all is the verdict's (test_not_digit.py).
    assert reading is not None and reading.nearest == text


def test_slashed_zeros_fours_fives_and_sevens_of_several_strokes_stay_one(pen, reader):
    """A digit made of several strokes is never cut into two."""
    assert_several_strokes_read_as_one(pen, reader)


def assert_several_strokes_read_as_one(pen, reader) -> None:
    """Slashed 0s, and 4s, 5s and 7s of several strokes, each read as that one digit."""
    from lenet_gui.files.stroke_files import PenDigit
    from lenet_gui.training.pen_styles import STYLES

    cases = []
    for k, digit in enumerate(pen):
        if digit.label == 0:
            slashed = STYLES["slashed_zero"][1](
                list(digit.strokes), np.random.default_rng(k)
            )
            if slashed is not None:
                cases.append(PenDigit(0, digit.writer, tuple(slashed)))
        elif digit.label in (4, 5, 7) and len(digit.strokes) > 1:
            cases.append(digit)
    assert {d.label for d in cases} >= {0, 4, 5}
    for digit in cases:
        strokes, _ = compose_number([digit], (0, 0), np.random.default_rng(3))
        reading = reader.read(render(strokes, 24.0))
        assert reading is not None and len(reading.digits) == 1, digit.label
        assert reading.digits[0].digit == digit.label


def test_the_best_path_is_the_best_of_every_split():
    """For each number of digits, the path search finds the best cover."""
    import itertools

    from lenet_gui.reading.number import _best_paths

    rng = np.random.default_rng(5)
    for n in range(1, 7):
        spans = [(a, b) for a in range(n) for b in range(a + 1, min(n, a + 4) + 1)]
        scores = rng.normal(size=len(spans))
        paths = _best_paths(n, spans, scores)
        best: dict[int, float] = {}
        for cuts in itertools.product([False, True], repeat=n - 1):
            bounds = [0, *[i + 1 for i, c in enumerate(cuts) if c], n]
            parts = list(zip(bounds[:-1], bounds[1:], strict=True))
            if any(p not in spans for p in parts):
                continue
            total = sum(scores[spans.index(p)] for p in parts)
            best[len(parts)] = max(best.get(len(parts), -np.inf), total)
        assert set(paths) == set(best)
        for k, (total, chosen) in paths.items():
            assert total == pytest.approx(best[k])
            assert len(chosen) == k
            assert [spans[i][0] for i in chosen][0] == 0
            assert spans[chosen[-1]][1] == n
            for left, right in itertools.pairwise(chosen):
                assert spans[left][1] == spans[right][0]
            assert sum(scores[i] for i in chosen) == pytest.approx(total)


def test_single_digits_read_together_go_through_the_network_once(
    pen, classifier, monkeypatch
):
    from lenet_gui.network.classifier import Classifier
    from lenet_gui.reading.segment_scorer import load_scorer

    passes: list[int] = []
    classify, outputs = Classifier.classify_input, Classifier.outputs

    def one(self, network_input, ablation=None):
        passes.append(1)
        return classify(self, network_input, ablation)

    def batch(self, network_inputs, ablation=None):
        passes.append(len(network_inputs))
        return outputs(self, network_inputs, ablation)

    monkeypatch.setattr(Classifier, "classify_input", one)
    monkeypatch.setattr(Classifier, "outputs", batch)
    images = [render(list(d.strokes), 24.0) for d in pen[:8]]
    readings = NumberReader(classifier, load_head(), load_scorer()).read_many(images)
    assert [len(r.digits) for r in readings] == [1] * len(images)
    assert sum(passes) == len(images)


def test_many_images_read_together_read_as_each_alone(pen, classifier):
    from lenet_gui.reading.segment_scorer import load_scorer

    images = [
        render(number(pen, "2026", "train_w01", classifier=classifier)[0], 16.0),
        render(number(pen, "7", "train_w02")[0], 24.0),
        render(
            [s * 300 + 74 for s in non_digit_strokes("star", np.random.default_rng(3))],
            20.0,
        ),
        np.zeros((64, 64), dtype=np.uint8),
        *(render(list(d.strokes), 24.0) for d in pen[:12]),
    ]
    together = NumberReader(classifier, load_head(), load_scorer()).read_many(images)
    alone = NumberReader(classifier, load_head(), load_scorer())
    for image, reading in zip(images, together, strict=True):
        expected = alone.read(image)
        if expected is None:
            assert reading is None
            continue
        assert reading is not None
        assert reading.as_json() == expected.as_json()
        chances = [d.not_digit for d in reading.digits]
        np.testing.assert_allclose(
            chances, [d.not_digit for d in expected.digits], atol=1e-5
        )
