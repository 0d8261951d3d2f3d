"""NetworkInputView: shows the 32x32 input, pixel-exact, with fixed levels."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF

from lenet_gui.gui.widgets import NetworkInputView
from lenet_gui.spec.lenet5 import LENET5

BACKGROUND, INK = -0.1, 1.175


@pytest.fixture
def view(qtbot):
    widget = NetworkInputView(LENET5)
    qtbot.addWidget(widget)
    widget.resize(240, 280)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def image_item(view):
    (item,) = [i for i in view.graphics.scene().items() if isinstance(i, pg.ImageItem)]
    return item


def shown_pixel(view, row, col):
    """Screen colour at the centre of input pixel (row, col)."""
    item = image_item(view)
    pos = view.graphics.mapFromScene(item.mapToScene(QPointF(col + 0.5, row + 0.5)))
    return view.graphics.grab().toImage().pixelColor(pos)


def test_shows_the_array_it_is_given(qtbot, view):
    x = np.full((32, 32), BACKGROUND, dtype=np.float32)
    x[:, :16] = INK
    view.set_input(x)
    assert np.array_equal(image_item(view).image, x)
    assert tuple(image_item(view).getLevels()) == pytest.approx((BACKGROUND, INK))
    assert shown_pixel(view, 16, 4).lightness() > 240
    assert shown_pixel(view, 16, 27).lightness() < 15


def test_pixels_are_not_smoothed(view):
    x = np.full((32, 32), BACKGROUND, dtype=np.float32)
    x[10, 10] = INK
    view.set_input(x)
    assert shown_pixel(view, 10, 10).lightness() > 240
    assert shown_pixel(view, 10, 11).lightness() < 15
    assert shown_pixel(view, 11, 10).lightness() < 15


def test_levels_stay_fixed_whatever_the_values(view):
    view.set_input(np.zeros((32, 32)))
    view.set_input(np.full((32, 32), 0.2))
    assert tuple(image_item(view).getLevels()) == pytest.approx((BACKGROUND, INK))


def test_accepts_a_batch_and_channel_axis_and_copies(view):
    x = np.full((1, 1, 32, 32), INK, dtype=np.float32)
    view.set_input(x)
    x[:] = BACKGROUND
    assert np.all(image_item(view).image == INK)


def test_none_blanks_the_view(view):
    view.set_input(np.zeros((32, 32)))
    view.set_input(None)
    assert image_item(view).image is None


@pytest.mark.parametrize("shape", [(28, 28), (32, 31), (2, 32, 32)])
def test_rejects_inputs_that_are_not_32x32(view, shape):
    with pytest.raises(ValueError, match="32x32"):
        view.set_input(np.zeros(shape))


def test_a_unit_field_is_framed_over_the_input(view):
    assert view.field() is None
    view.set_field((4, 10, 14))
    assert view.field() == (4, 10, 14)
    picture = view.grab().toImage()
    view.set_field(None)
    assert view.field() is None
    # The frame is drawn: the picture changes when it goes.
    assert view.grab().toImage() != picture
