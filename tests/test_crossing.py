"""Fragments cut where strokes cross, and the exact cover of the fragments."""

from __future__ import annotations

import numpy as np

from lenet_gui.imaging.ink_levels import to_ink
from lenet_gui.reading.crossing import best_covers, fragment_candidates
from lenet_gui.reading.fragments import split_at_crossings
from lenet_gui.reading.pieces import find_pieces


def _cross() -> np.ndarray:
    """A plus sign of long thin arms, narrow enough to be one piece."""
    image = np.full((320, 320), 255, dtype=np.uint8)
    image[156:162, 95:225] = 0
    image[50:270, 157:163] = 0
    return image


def test_a_cross_is_cut_into_its_four_arms():
    pieces = find_pieces(to_ink(_cross()), slanted=True)
    assert pieces is not None and pieces.count == 1
    fragments = split_at_crossings(pieces)
    assert fragments is not None
    assert fragments.count == 4
    # Every block of ink belongs to one fragment, and the arms all touch.
    assert ((fragments.labels > 0) == (pieces.labels > 0)).all()
    assert fragments.touching.sum(axis=1).min() >= 1
    # Numbered by their centre, left to right: the left arm first.
    assert np.all(np.diff(fragments.centres) >= 0)
    x0, _, x1, _ = fragments.box([0])
    assert x1 <= 160 and x0 <= 97


def test_the_fragments_of_a_set_are_its_ink_alone():
    pieces = find_pieces(to_ink(_cross()), slanted=True)
    fragments = split_at_crossings(pieces)
    assert fragments is not None
    left_and_right = fragments.image([0, fragments.count - 1])
    assert left_and_right.max() > 0.9
    assert left_and_right.shape[0] < 20, "the arms above and below are left out"


def test_ink_with_no_crossing_cuts_nothing_new():
    image = np.full((200, 200), 255, dtype=np.uint8)
    image[90:110, 30:170] = 0  # a dash: one stroke, no junction
    pieces = find_pieces(to_ink(image), slanted=True)
    assert pieces is not None
    assert split_at_crossings(pieces) is None


def test_the_cover_may_take_a_fragment_out_of_order():
    # Fragments 0, 1, 2 by their centre: the digit of 0 and 2 has 1 inside it.
    sets = [(0,), (1,), (2,), (0, 1), (1, 2), (0, 2), (0, 1, 2)]
    scores = np.array([-5.0, -1.0, -5.0, -4.0, -4.0, -0.5, -9.0])
    paths = best_covers(3, sets, scores)
    assert paths[2] == (-1.5, [5, 1])
    assert paths[1] == (-9.0, [6])
    assert paths[3][0] == -11.0
    assert max(paths, key=lambda k: paths[k][0]) == 2


def test_every_fragment_is_covered_exactly_once():
    sets = [(0, 2), (1,), (1, 2), (0,)]
    paths = best_covers(3, sets, np.zeros(4))
    for _, chosen in paths.values():
        taken = sorted(m for index in chosen for m in sets[index])
        assert taken == [0, 1, 2]


def test_the_whole_ink_is_the_last_candidate():
    pieces = find_pieces(to_ink(_cross()), slanted=True)
    fragments = split_at_crossings(pieces)
    assert fragments is not None
    whole = np.zeros((32, 32), dtype=np.float32)
    sets, inputs = fragment_candidates(fragments, whole, lambda ink: ink[:4, :4])
    assert sets[-1] == tuple(range(fragments.count))
    assert inputs[-1] is whole
    assert len(set(sets)) == len(sets)


def test_a_speck_is_read_without_cutting_it():
    """A soft speck of a few pixels (a tiny image opened) has no skeleton to cut."""
    from lenet_gui.network.classifier import Classifier
    from lenet_gui.reading.number import NumberReader
    from lenet_gui.reading.segment_scorer import load_scorer
    from lenet_gui.reading.verdict import load_head

    profile = np.array([0.2, 0.45, 0.7, 1.0, 0.75, 0.47, 0.2])
    image = np.zeros((448, 448), dtype=np.uint8)
    image[109:116, 131:138] = np.round(245 * np.outer(profile, profile))
    pieces = find_pieces(to_ink(image), slanted=True)
    assert pieces is not None
    assert split_at_crossings(pieces) is None
    reader = NumberReader(Classifier.load(), load_head(), load_scorer())
    assert reader.read(image) is not None
