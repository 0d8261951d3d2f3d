"""Skeletons and even-pen redrawing used by the training distortions."""

import torch

from lenet_gui.network.pen_strokes import draw_with_pen, skeletonize


def bar(width):
    ink = torch.zeros(1, 1, 32, 32)
    ink[0, 0, 6:26, 16 - width // 2 : 16 - width // 2 + width] = 1.0
    return ink


def test_a_thick_bar_thins_to_a_one_pixel_line():
    skeleton = skeletonize(bar(6))
    columns = skeleton[0, 0].any(dim=0).nonzero().flatten()
    rows = skeleton[0, 0].any(dim=1).nonzero().flatten()
    assert skeleton.dtype == torch.bool
    assert len(columns) <= 2  # one column, or two where the middle is even
    assert rows.min() >= 6 and rows.max() <= 25 and len(rows) >= 14
    assert (skeleton[0, 0].sum(dim=1)[rows] == 1).all()


def test_a_ring_keeps_its_hole():
    y, x = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
    radius = ((y - 16) ** 2 + (x - 16) ** 2).sqrt()
    ring = ((radius > 6) & (radius < 11)).float()[None, None]
    skeleton = skeletonize(ring)[0, 0]
    assert not skeleton[16, 16]
    # Still closed: every row through the middle crosses the ring twice.
    for row in range(12, 21):
        assert skeleton[row, :16].any() and skeleton[row, 16:].any()


def test_the_pen_width_sets_the_stroke_width():
    skeleton = skeletonize(bar(5)).float().repeat(2, 1, 1, 1)
    drawn = draw_with_pen(skeleton, torch.tensor([1.5, 3.5]))
    thin, thick = drawn[0, 0, 16].sum(), drawn[1, 0, 16].sum()
    assert 1.0 < thin < 2.2
    assert 3.0 < thick < 4.2
    assert drawn.min() >= 0 and drawn.max() <= 1
