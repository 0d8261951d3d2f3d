"""UnitSumView: the values a unit reads and its weights, one pair per map."""

import numpy as np
import pyqtgraph as pg
import pytest

from lenet_gui.gui.widgets import UnitSumView
from lenet_gui.spec.lenet5 import LENET5


@pytest.fixture
def view(qtbot):
    widget = UnitSumView(LENET5)
    qtbot.addWidget(widget)
    widget.resize(730, 130)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def images(view):
    return [i for i in view.graphics.scene().items() if isinstance(i, pg.ImageItem)]


def test_starts_with_a_hint_and_no_squares(view):
    assert view.heading() == UnitSumView.HINT
    assert view.shown_columns() == 0
    assert not any(image.getViewBox().isVisible() for image in images(view))


def test_shows_one_pair_of_squares_per_map_read(view):
    rng = np.random.default_rng(0)
    inputs = rng.uniform(-1.7, 1.7, (4, 5, 5))
    weights = rng.normal(0, 0.3, (4, 5, 5))
    view.show_sum("C3 map 7 (2, 5) = f(1.000)", ["S2 map 1"] * 4, inputs, weights)
    assert view.heading() == "C3 map 7 (2, 5) = f(1.000)"
    assert view.shown_columns() == 4
    shown = [image for image in images(view) if image.getViewBox().isVisible()]
    assert len(shown) == 8
    limit = np.abs(weights).max()
    levels = sorted(tuple(image.levels) for image in shown)
    assert levels.count((-1.7159, 1.7159)) == 4
    assert levels.count((-limit, limit)) == 4
    # Each square's pixels are a map's values or weights, unchanged.
    pictures = [image.image for image in shown]
    for k in range(4):
        assert any(np.array_equal(p, inputs[k]) for p in pictures)
        assert any(np.array_equal(p, weights[k]) for p in pictures)

    view.show_sum(
        "S4 map 0 (0, 0)", ["C3 map 0"], np.ones((1, 2, 2)), np.ones((1, 2, 2))
    )
    assert view.shown_columns() == 1
    view.clear()
    assert view.heading() == UnitSumView.HINT and view.shown_columns() == 0
    assert len(images(view)) == 12, "the squares stay, hidden, for the next unit"


def test_inputs_and_weights_must_agree(view):
    with pytest.raises(ValueError, match="one .n, k, k. shape"):
        view.show_sum("x", ["a", "b"], np.zeros((2, 5, 5)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError):
        view.show_sum("x", ["a"] * 7, np.zeros((7, 5, 5)), np.zeros((7, 5, 5)))
    with pytest.raises(ValueError):
        view.show_sum("x", ["a", "b"], np.zeros((3, 5, 5)), np.zeros((3, 5, 5)))
    assert view.heading() == UnitSumView.HINT


def test_units_reading_many_maps_or_units_are_packed_into_one_pair(view):
    rng = np.random.default_rng(0)
    inputs, weights = rng.normal(size=(16, 5, 5)), rng.normal(size=(16, 5, 5))
    view.show_sum("C5 unit 3", ["S4 maps 0–15"], inputs, weights)
    assert view.shown_columns() == 1
    shown = [i.image for i in images(view) if i.getViewBox().isVisible()]
    assert [s.shape for s in shown] == [(23, 23), (23, 23)]  # 4 x 4 maps, 1 px gaps
    # Map 6 sits in grid row 1, column 2: rows 6-10, columns 12-16.
    pictured = sorted(float(s[6:11, 12:17].sum()) for s in shown)
    assert pictured == pytest.approx(sorted([inputs[6].sum(), weights[6].sum()]))
    f6 = rng.normal(size=(84, 1, 1))
    view.show_sum("output unit 7", ["F6 units 0–83"], f6, f6)
    shown = [i.image for i in images(view) if i.getViewBox().isVisible()]
    assert shown[0].shape == (12, 7)  # the paper's 7-wide, 12-high bitmap
    assert shown[0][2, 3] == pytest.approx(f6[2 * 7 + 3, 0, 0])
