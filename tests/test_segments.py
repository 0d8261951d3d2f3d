"""Cutting digits that touch: slanted cuts, the segment scorer and its file."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest
import torch

from lenet_gui.drawing.paper import render
from lenet_gui.gui import predict_cli
from lenet_gui.reading.number import NumberReader
from lenet_gui.reading.pieces import find_pieces
from lenet_gui.reading.segment_scorer import (
    GLUED,
    INPUTS,
    PART,
    WHOLE,
    ScorerError,
    geometry,
    load_scorer,
    places,
    scorer_inputs,
)
from lenet_gui.reading.verdict import load_head
from lenet_gui.training.numbers import compose_number
from lenet_gui.training.segments_cli import label_candidates


@pytest.fixture(scope="module")
def scorer():
    return load_scorer()


def test_pieces_cover_the_ink_once_and_in_order(pen):
    rng = np.random.default_rng(4)
    for k in range(6):
        chosen = [pen[int(i)] for i in rng.integers(len(pen), size=3)]
        strokes, _ = compose_number(chosen, (-0.05, 0.02), rng)
        ink = render(strokes, 16.0) / 255.0
        pieces = find_pieces(ink, slanted=k % 2 == 0)
        assert pieces is not None, k
        marked = np.zeros_like(pieces.labels, dtype=bool)
        b = pieces.block
        marked[: ink.shape[0] // b, : ink.shape[1] // b] = (ink >= 0.2)[::b, ::b][
            : ink.shape[0] // b, : ink.shape[1] // b
        ]
        assert (pieces.labels[marked] > 0).all(), "every mark belongs to a piece"
        ys, xs = np.nonzero(pieces.labels)
        owner = pieces.labels[ys, xs]
        centres = np.bincount(owner, weights=xs)[1:] / np.bincount(owner)[1:]
        assert centres.size == pieces.count
        assert np.all(np.diff(centres) > 0), "numbered left to right"


def test_labels_of_candidates_follow_the_digits_ink():
    one = np.zeros((10, 30), dtype=bool)
    one[:, 2:8] = True
    two = np.zeros((10, 30), dtype=bool)
    two[:, 12:18] = True
    assert label_candidates(one, [one, two]) == WHOLE
    half = one.copy()
    half[5:] = False
    assert label_candidates(half, [one, two]) == PART
    assert label_candidates(one | two, [one, two]) == GLUED


def test_the_scorer_tells_a_whole_digit_from_half_and_from_two(pen, classifier, scorer):
    """Read by the real network: whole digits score whole, pairs glued, halves part.

    As the reader judges the whole ink, to decide whether to cut it at all.
    """
    rng = np.random.default_rng(2)
    verdicts = {WHOLE: [], PART: [], GLUED: []}
    for digit in pen[:40]:
        strokes, _ = compose_number([digit], (0, 0), rng)
        ink = render(strokes, 24.0) / 255.0
        pieces = find_pieces(ink)
        assert pieces is not None
        verdicts[WHOLE].append(_judge(classifier, scorer, ink, pieces))
        top = ink.copy()
        rows = np.flatnonzero((ink >= 0.2).any(axis=1))
        top[(rows[0] + rows[-1]) // 2 :] = 0.0
        verdicts[PART].append(_judge(classifier, scorer, top, find_pieces(top)))
    for writer in sorted({d.writer for d in pen}):
        mine = [d for d in pen if d.writer == writer and d.label != 1]
        pairs = list(zip(mine[0::2], mine[1::2], strict=False))
        for left, right in pairs:
            strokes, _ = compose_number([left, right], (-0.03, -0.03), rng)
            ink = render(strokes, 20.0) / 255.0
            verdicts[GLUED].append(_judge(classifier, scorer, ink, find_pieces(ink)))
    for kind, found in verdicts.items():
        assert np.mean(np.array(found) == kind) >= 0.7, (kind, found)


def _judge(classifier, scorer, ink, pieces) -> int:
    """The scorer's verdict on the whole ink read as one candidate."""
    from lenet_gui.imaging.preprocess import preprocess_ink

    n = pieces.count
    probabilities, activations = classifier.outputs(preprocess_ink(ink)[None])
    x = scorer_inputs(activations["F6"], probabilities, places(pieces, [(0, n)]))
    return int(scorer.glance_log_probabilities(x)[0].argmax())


def test_geometry_of_the_whole_line():
    place = geometry((10, 20, 60, 120), (10, 20, 60, 120), False, False)
    np.testing.assert_allclose(place[:6], [0.5, 1.0, 0.5, 0.0, 0.0, 1.0])
    assert place[6:].tolist() == [0.0, 0.0]


def test_the_scorer_file_is_checked(tmp_path):
    state = {k: v.clone() for k, v in load_scorer().state_dict().items()}
    torch.save(dict(state, scale=torch.zeros_like(state["scale"])), tmp_path / "0.pt")
    nan = dict(state)
    nan["out.bias"] = torch.full((3,), float("nan"))
    torch.save(nan, tmp_path / "nan.pt")
    wrong = dict(state)
    del wrong["out.bias"]
    torch.save(wrong, tmp_path / "keys.pt")
    torch.save(dict(state, mean=torch.zeros(5)), tmp_path / "shape.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a weights file")
    os.mkfifo(tmp_path / "pipe.pt")
    (tmp_path / "big.pt").write_bytes(b"\0" * (1 << 20))
    os.symlink("/dev/zero", tmp_path / "device.pt")
    names = ("0.pt", "nan.pt", "keys.pt", "shape.pt", "junk.pt", "pipe.pt")
    for name in (*names, "big.pt", "device.pt", "none.pt"):
        with pytest.raises(ScorerError):
            load_scorer(tmp_path / name)


def test_a_broken_scorer_file_is_said_once_and_numbers_are_still_read(
    tmp_path, monkeypatch, pen
):
    (tmp_path / "segments.pt").write_bytes(b"junk")
    monkeypatch.setattr(
        predict_cli, "load_scorer", lambda: load_scorer(tmp_path / "segments.pt")
    )
    mine = [d for d in pen if d.writer == "train_w01"]
    digits = [next(d for d in mine if d.label == k) for k in (2, 0)]
    strokes, _ = compose_number(digits, (0.3, 0.3), np.random.default_rng(0))
    from PySide6.QtGui import QImage

    grey = np.ascontiguousarray(255 - render(strokes, 20.0))
    image = QImage(grey.data, 448, 448, 448, QImage.Format.Format_Grayscale8)
    assert image.save(str(tmp_path / "20.png"))
    out, err = io.StringIO(), io.StringIO()
    status = predict_cli.run_predict([str(tmp_path / "20.png")], out=out, err=err)
    result = json.loads(out.getvalue())
    assert status == 0 and result["text"] == "20"
    assert err.getvalue().count("\n") == 1 and "segments.pt" in err.getvalue()


def test_the_reader_with_the_scorer_reads_a_single_digit_as_before(
    pen, classifier, scorer
):
    """A whole single digit is one digit with the network's own probabilities."""
    reader = NumberReader(classifier, load_head(), scorer)
    rng = np.random.default_rng(3)
    for digit in pen[:30]:
        strokes, _ = compose_number([digit], (0, 0), rng)
        image = render(strokes, 24.0)
        reading = reader.read(image)
        alone = classifier.predict(image)
        assert reading is not None and alone is not None
        assert len(reading.digits) == 1, digit.label
        np.testing.assert_array_equal(
            reading.digits[0].prediction.probabilities, alone.probabilities
        )


@pytest.mark.parametrize(
    ("text", "writer"),
    [
        ("47", "train_w01"),
        ("63", "train_w02"),
        ("25", "train_w03"),
        ("07", "train_w01"),
        ("23", "train_w02"),
    ],
)
def test_digits_that_touch_are_read_apart_with_the_scorer(
    pen, classifier, scorer, text, writer
):
    from test_reading import number

    strokes, _ = number(pen, text, writer, gap=(-0.03, -0.03), classifier=classifier)
    image = render(strokes, 16.0)
    pieces = find_pieces(image / 255.0, slanted=True)
    assert pieces is not None and len(set(pieces.joined.tolist())) == 1, "they touch"
    reading = NumberReader(classifier, load_head(), scorer).read(image)
    # The cut is what is tested: the digits read, even where the not-a-digit
    # head then refuses a piece that carries a scrap of its neighbour (the
    # 7 of this "07" does; README, "Numbers and "not a digit"").
    assert reading is not None and reading.nearest == text


def test_digits_of_several_strokes_stay_one_with_the_scorer(pen, classifier, scorer):
    """A slashed 0, a 4, a 5 or a barred 7 of several strokes is one digit."""
    from test_reading import assert_several_strokes_read_as_one

    assert_several_strokes_read_as_one(
        pen, NumberReader(classifier, load_head(), scorer)
    )


def test_training_with_fragments_adds_their_sets_labelled_by_the_digits_ink(
    pen, classifier
):
    from lenet_gui.training import segments_cli

    mine = [d for d in pen if d.writer == "train_w02"]
    chosen = [next(d for d in mine if d.label == k) for k in (0, 6)]
    plain = segments_cli._number(
        classifier, chosen, (-0.05, -0.05), 16.0, np.random.default_rng(0)
    )
    both = segments_cli._number(
        classifier, chosen, (-0.05, -0.05), 16.0, np.random.default_rng(0), True
    )
    assert plain is not None and both is not None
    runs = plain[1].size
    # The runs of pieces come first, exactly as without fragments.
    assert torch.equal(both[0][:runs], plain[0])
    assert np.array_equal(both[1][:runs], plain[1])
    sets = both[1][runs:]
    assert sets.size > 0 and both[0].shape == (both[1].size, INPUTS)
    # The loop of the 0 and the 6 are each one set of fragments, and a set
    # holding both digits is glued.
    assert (sets == WHOLE).sum() >= 2 and (sets == GLUED).any()
    # A drawn non-digit whose strokes cross gives its sets of fragments too,
    # every one a part: not one digit, nor several.
    more = 0
    for seed in range(10):
        alone = segments_cli._shape(classifier, np.random.default_rng(seed))
        shape = segments_cli._shape(classifier, np.random.default_rng(seed), True)
        assert (alone is None) == (shape is None)
        if shape is not None and alone is not None:
            assert (shape[1] == PART).all() and shape[1].size >= alone[1].size
            more += shape[1].size > alone[1].size
    assert more > 0


def test_the_path_scorer_averages_the_logits_of_its_members():
    """Several scorers, each with its own input scaling, folded into one layer."""
    from lenet_gui.reading.segment_scorer import MEMBERS, SegmentScorer, fold

    torch.manual_seed(5)
    members = []
    for k in range(MEMBERS):
        member = SegmentScorer()
        member.get_buffer("mean").copy_(torch.randn(INPUTS))
        member.get_buffer("scale").copy_(torch.rand(INPUTS) + 0.1 * (k + 1))
        members.append(member.eval())
    x = torch.randn(64, INPUTS)
    scorer = members[0]
    with torch.no_grad():
        own = scorer(x)
        mean = sum(member(x) for member in members) / MEMBERS
        scorer.paths = fold(members)
        np.testing.assert_allclose(scorer.paths(x).numpy(), mean.numpy(), atol=1e-4)
    np.testing.assert_allclose(
        scorer.log_probabilities(x),
        torch.log_softmax(mean, dim=1).double().numpy(),
        atol=1e-4,
    )
    # The whole ink is judged at a glance by the first scorer alone.
    np.testing.assert_allclose(
        scorer.glance_log_probabilities(x),
        torch.log_softmax(own, dim=1).double().numpy(),
        atol=1e-5,
    )
    bundled = load_scorer()
    assert scorer.state_dict().keys() == bundled.state_dict().keys()
    for key, value in scorer.state_dict().items():
        assert value.shape == bundled.state_dict()[key].shape, key
