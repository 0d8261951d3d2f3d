"""The drawn non-digits the not-a-digit head learns from: forms, tags, held-out sets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from lenet_gui.files.idx import load_mnist
from lenet_gui.files.stroke_files import load_pen_digits
from lenet_gui.imaging.preprocess import from_mnist, preprocess
from lenet_gui.reading.verdict import FEATURES, MEMBERS
from lenet_gui.training.letters import (
    LETTERS,
    glyph_strokes,
    letter_of,
    letter_strokes,
)
from lenet_gui.training.non_digits import TURNS, draw_tagged_non_digits
from lenet_gui.training.shapes import SHAPES, non_digit_strokes
from lenet_gui.training.verdict_cli import _as_labelled_files, _held_out, train_head

STROKES = Path(__file__).parent / "data" / "strokes" / "pendigits-sample.json"
# Letters that handwriting shares with digits, never drawn as non-digits.
LIKE_DIGITS = set("OoDQIliJjZzSsbBdgq")


def test_every_letter_form_draws_finite_strokes_and_no_digit_like_letter():
    rng = np.random.default_rng(0)
    assert not {letter_of(name) for name in LETTERS} & LIKE_DIGITS
    assert len(LETTERS) > 2 * len({letter_of(name) for name in LETTERS})
    for name in LETTERS:
        strokes = letter_strokes(name, rng)
        points = np.concatenate(strokes)
        assert points.ndim == 2 and points.shape[1] == 2, name
        assert np.isfinite(points).all(), name
        assert np.ptp(points, axis=0).max() > 0.2, name


def test_every_mark_draws_inside_its_cell():
    rng = np.random.default_rng(1)
    for kind in SHAPES:
        points = np.concatenate(non_digit_strokes(kind, rng))
        assert np.isfinite(points).all(), kind
        assert points.min() > -0.2 and points.max() < 1.2, kind


def test_turned_digits_never_turn_a_digit_into_another():
    # A 6 upside down is a 9, a 0, 1 or 8 mirrored is itself, a 5 or a 2
    # turned reads as 2 or 5.
    for labels, quarter in TURNS:
        assert not labels & {0, 1, 2, 5, 6, 9}, quarter


def test_drawings_are_tagged_and_held_out_letters_are_found_in_words():
    digits = load_pen_digits(STROKES)
    inputs, tags = draw_tagged_non_digits(120, digits, np.random.default_rng(2))
    assert inputs.shape == (120, 32, 32) and len(tags) == 120
    kinds = {tag.partition(":")[0] for tag in tags}
    assert {"letter", "word", "glyph", "shape", "turned", "piece", "glued"} <= kinds
    for tag in tags:
        kind, _, what = tag.partition(":")
        if kind in ("letter", "word", "glyph"):
            assert what and set(what) <= {letter_of(n) for n in LETTERS}, tag
        if kind == "shape":
            assert what in SHAPES, tag
    held = _held_out(
        ["letter:K", "word:aKt", "word:at", "shape:heart", "shape:star", "piece"]
        + ["glyph:Ka", "glyph:tK", "glyph:at"],
        {"K"},
        {"heart"},
    )
    assert held.tolist() == [True, True, False, True, False, False, True, True, False]


def test_signs_of_two_letters_use_only_the_letters_given():
    rng = np.random.default_rng(3)
    names = [n for n in LETTERS if letter_of(n) in "AMant"]
    for _ in range(40):
        strokes, used = glyph_strokes(names, rng)
        assert len(used) == 2 and set(used) <= set("AMant"), used
        points = np.concatenate(strokes)
        assert np.isfinite(points).all() and np.ptp(points, axis=0).max() > 0.2
        assert len(strokes) >= 2


def test_the_hand_varies_a_letter_but_keeps_it_in_its_frame():
    # Squashed, stretched, joined, shaky or with loops left open, a letter
    # stays about a unit tall and never collapses to a point.
    rng = np.random.default_rng(4)
    sizes = []
    for _ in range(200):
        points = np.concatenate(letter_strokes("n", rng))
        sizes.append(np.ptp(points, axis=0))
    sizes = np.array(sizes)
    assert np.isfinite(sizes).all()
    assert sizes.min() > 0.15 and sizes.max() < 2.5
    # Widths vary well beyond a plotter's: squashed and stretched letters.
    ratio = sizes[:, 0] / sizes[:, 1]
    assert ratio.max() / ratio.min() > 2.5


def test_mnist_images_are_framed_as_files_with_their_labels():
    """The head learns MNIST digits framed as --predict frames a file too."""
    images, labels = load_mnist(Path(__file__).parent / "data" / "mnist", "test")
    chosen = np.concatenate([images[:6], np.zeros((1, 28, 28), np.uint8), images[6:9]])
    marks = np.concatenate([labels[:6], [99], labels[6:9]])
    inputs, kept = _as_labelled_files(chosen, marks)
    assert inputs.shape == (9, 32, 32)
    assert kept.tolist() == labels[:9].tolist()  # the blank image and its label go
    for got, image in zip(inputs, images[:9], strict=True):
        framed = preprocess(image)
        assert framed is not None
        np.testing.assert_array_equal(got, framed)
    # Framed again, the input differs from MNIST's own 28 x 28 framing.
    assert float(np.abs(inputs[0] - from_mnist(images[:1])[0]).max()) > 0.1


def test_the_members_of_a_head_are_fitted_each_to_its_own_loss():
    """Fitted side by side, each member learns alone; their mean is the head."""
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.normal(size=(64, FEATURES)).astype(np.float32))
    y = torch.zeros(64)
    y[32:] = 1.0
    x[32:, :120] += 1.5  # the non-digits differ in what C5 reads
    labels = torch.arange(32) % 10
    head = train_head(x, y, labels, epochs=8, members=MEMBERS)
    with torch.inference_mode():
        logits = head.member_logits(x)
    assert logits.shape == (MEMBERS, 64)
    for k in range(MEMBERS):  # every member tells the two apart by itself
        assert float(logits[k, 32:].min()) > float(logits[k, :32].max())
    assert float((logits[0] - logits[1]).abs().max()) > 1e-3  # different starts
    np.testing.assert_allclose(
        head(x).detach().numpy(), logits.mean(0).numpy(), atol=1e-5
    )
