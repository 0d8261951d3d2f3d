"""ColouredImage: pyqtgraph's colours, pixel for pixel, and the maps' pictures.

The feature maps and the network input are coloured by ColouredImage rather
than pyqtgraph's own ImageItem; these tests hold its colours to pyqtgraph's
and the pictures on screen to the model's activations, map by map.
"""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from lenet_gui.drawing.paper import PAPER_SIZE, render
from lenet_gui.gui.widgets import FeatureMapPanel, NetworkInputView
from lenet_gui.gui.widgets.coloured_image import ColouredImage, argb_table
from lenet_gui.gui.widgets.layer_grid import ColorScale
from lenet_gui.spec.lenet5 import LENET5

LIMIT = LENET5.amplitude
D1 = ColorScale((-LIMIT, LIMIT), "CET-D1").lookup_table()


def as_words(image: QImage) -> np.ndarray:
    """Return a QImage's pixels as premultiplied ARGB32 words, row by row."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    words = np.frombuffer(image.constBits(), dtype=np.uint32)
    rows = words.reshape(image.height(), image.bytesPerLine() // 4)
    return rows[:, : image.width()].copy()


def pyqtgraph_words(values, lut, levels) -> np.ndarray:
    """The colours pyqtgraph's own ImageItem gives the same values."""
    item = pg.ImageItem(axisOrder="row-major")
    if lut is not None:
        item.setLookupTable(lut)
    item.setImage(values, autoLevels=False, levels=levels)
    item.render()
    return as_words(item.qimage)


def sample_values(seed, shape=(29, 43), spread=2.5):
    rng = np.random.default_rng(seed)
    values = rng.uniform(-spread, spread, shape).astype(np.float32)
    values[::7, :] = np.nan  # gaps, as between packed maps
    values[3, 4] = LIMIT  # the ends of the levels exactly
    values[5, 6] = -LIMIT
    return values


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_colours_equal_pyqtgraphs_with_a_lookup_table(qtbot, seed):
    values = sample_values(seed)
    item = ColouredImage(D1, (-LIMIT, LIMIT))
    item.setImage(values, autoLevels=False, levels=(-LIMIT, LIMIT))
    np.testing.assert_array_equal(
        item.colours(), pyqtgraph_words(values, D1, (-LIMIT, LIMIT))
    )


def test_colours_equal_pyqtgraphs_in_grey(qtbot):
    levels = (LENET5.background, LENET5.ink)
    values = np.random.default_rng(3).uniform(-0.5, 1.5, (32, 32))
    values = values.astype(np.float32)
    item = ColouredImage(levels=levels)
    item.setImage(values, autoLevels=False, levels=levels)
    np.testing.assert_array_equal(item.colours(), pyqtgraph_words(values, None, levels))


def test_gaps_are_transparent_and_new_levels_recolour(qtbot):
    values = sample_values(4)
    item = ColouredImage(D1, (-LIMIT, LIMIT))
    item.setImage(values, autoLevels=False, levels=(-LIMIT, LIMIT))
    colours = item.colours()
    assert (colours[np.isnan(values)] == 0).all()
    assert (colours[~np.isnan(values)] >> 24 == 255).all()
    item.setLevels((-10.0, 10.0))
    np.testing.assert_array_equal(
        item.colours(), pyqtgraph_words(values, D1, (-10.0, 10.0))
    )
    assert tuple(item.getLevels()) == (-10.0, 10.0)


def test_colours_are_made_once_per_new_image(qtbot):
    values = sample_values(5)
    item = ColouredImage(D1, (-LIMIT, LIMIT))
    item.setImage(values, autoLevels=False, levels=(-LIMIT, LIMIT))
    item.colours()
    item.colours()
    assert item.colourings == 1
    item.setImage(values, autoLevels=False, levels=(-LIMIT, LIMIT))
    item.colours()
    assert item.colourings == 2


def paper_points(*corners):
    """A stroke through corners given in fractions of the paper, every pixel or so."""
    points = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:], strict=False):
        for t in np.linspace(0.0, 1.0, 100, endpoint=False):
            points.append(
                (PAPER_SIZE * (x0 + t * (x1 - x0)), PAPER_SIZE * (y0 + t * (y1 - y0)))
            )
    points.append((PAPER_SIZE * corners[-1][0], PAPER_SIZE * corners[-1][1]))
    return points


def expected_word(values: np.ndarray) -> np.ndarray:
    """The colour of each value as the maps are meant to show it."""
    table = argb_table(D1)
    index = np.clip((values.astype(np.float32) + LIMIT) * (256 / (2 * LIMIT)), 0, 255)
    return table[index.astype(np.uint8)]


@pytest.fixture
def digit_activations(classifier):
    """The model's own C1 to S4 for a drawn 7."""
    ink = render([paper_points((0.25, 0.2), (0.75, 0.2), (0.45, 0.85))], 28.0)
    prediction = classifier.predict(ink)
    return {
        name: np.asarray(prediction.activations[name]) for name in "C1 S2 C3 S4".split()
    }


def test_each_shown_map_is_coloured_by_the_models_values(qtbot, digit_activations):
    panel = FeatureMapPanel(LENET5)
    qtbot.addWidget(panel)
    panel.resize(900, 640)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_activations(digit_activations)
    grid = panel.grid
    shot = as_words(grid.graphics.grab().toImage())
    for name, shape in panel.layers().items():
        layer = grid.layer(name)
        acts = digit_activations[name].reshape(shape)
        drawn = layer.image.colours()
        view = layer.view
        for k in range(shape[0]):
            rect = layer.packing.map_rect(k)
            top, left = int(rect.top()), int(rect.left())
            height, width = shape[1:]
            # The packed picture: this map's own values, in their colours.
            np.testing.assert_array_equal(
                drawn[top : top + height, left : left + width],
                expected_word(acts[k]),
                err_msg=f"{name} map {k}",
            )
            # On screen: the centre of every unit of the map has its colour.
            rows, cols = np.mgrid[0:height, 0:width]
            centres = [
                grid.graphics.mapFromScene(
                    view.mapViewToScene(QPointF(left + j + 0.5, top + i + 0.5))
                )
                for i, j in zip(rows.ravel(), cols.ravel(), strict=True)
            ]
            seen = np.array([shot[p.y(), p.x()] for p in centres])
            np.testing.assert_array_equal(
                seen, expected_word(acts[k]).ravel(), err_msg=f"{name} map {k}"
            )


def test_the_input_view_shows_the_network_input(qtbot, classifier):
    ink = render([paper_points((0.5, 0.15), (0.5, 0.85))], 28.0)
    network_input = classifier.predict(ink).network_input.reshape(32, 32)
    view = NetworkInputView(LENET5)
    qtbot.addWidget(view)
    view.set_input(network_input)
    (item,) = [i for i in view.graphics.scene().items() if isinstance(i, ColouredImage)]
    levels = (LENET5.background, LENET5.ink)
    np.testing.assert_array_equal(
        item.colours(), pyqtgraph_words(network_input, None, levels)
    )
