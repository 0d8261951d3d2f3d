"""Pen strokes recovered from digit images: thinning and tracing."""

from pathlib import Path

import numpy as np

from lenet_gui.files.idx import load_mnist
from lenet_gui.training.skeletons import (
    digit_strokes,
    place_strokes,
    skeleton_paths,
    zhang_suen,
)

MNIST = Path(__file__).parent / "data" / "mnist"


def components(mask):
    """Number of 8-connected components of a small boolean image."""
    left = {(int(r), int(c)) for r, c in zip(*np.nonzero(mask), strict=True)}
    count = 0
    while left:
        count += 1
        stack = [left.pop()]
        while stack:
            r, c = stack.pop()
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if (r + dr, c + dc) in left:
                        left.remove((r + dr, c + dc))
                        stack.append((r + dr, c + dc))
    return count


def test_strokes_cover_the_skeleton_and_keep_it_connected():
    images, _ = load_mnist(MNIST, "test")
    for image in images[:200]:
        mask = image >= 128
        skeleton = zhang_suen(mask)
        assert not (skeleton & ~mask).any()
        assert components(skeleton) == components(mask)
        paths = skeleton_paths(skeleton)
        covered = np.zeros_like(skeleton)
        for path in paths:
            for r, c in path:
                covered[r, c] = True
            steps = np.abs(np.diff(np.array(path), axis=0))
            assert steps.size == 0 or (steps.max(axis=1) == 1).all()
        assert (covered == skeleton).all()


def test_thinning_a_bar_leaves_its_centre_line():
    bar = np.zeros((9, 20), dtype=bool)
    bar[3:6, 2:18] = True
    skeleton = zhang_suen(bar)
    assert skeleton[4, 4:16].all() and skeleton.sum() == skeleton[4].sum()
    (path,) = skeleton_paths(skeleton)
    assert path == [(4, c) for c in np.flatnonzero(skeleton[4])]


def test_a_ring_is_one_closed_stroke():
    ring = np.zeros((7, 7), dtype=bool)
    ring[1, 2:5] = ring[5, 2:5] = ring[2:5, 1] = ring[2:5, 5] = True
    (path,) = skeleton_paths(ring)
    assert path[0] == path[-1] and len(path) == ring.sum() + 1


def test_placed_strokes_have_the_height_asked_for_and_stay_on_the_paper():
    images, _ = load_mnist(MNIST, "test")
    rng = np.random.default_rng(0)
    for image in images[:50]:
        placed = place_strokes(digit_strokes(image), 200.0, 448.0, 24.0, rng)
        points = np.concatenate(placed)
        low, high = points.min(axis=0), points.max(axis=0)
        assert high[1] - low[1] <= 200.0 + 1e-6
        assert high[1] - low[1] >= 199.0 or high[0] - low[0] >= 399.0
        assert (low >= 24.0 - 1e-6).all() and (high <= 448.0 - 24.0 + 1e-6).all()
