"""FeatureMapPanel: packing, fixed levels, hover text and showing one layer."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from lenet_gui.gui.widgets import FeatureMapPanel
from lenet_gui.spec.lenet5 import LENET5

LAYERS = {layer.name: layer.shape for layer in LENET5.feature_layers}


@pytest.fixture
def panel(qtbot):
    widget = FeatureMapPanel(LENET5)
    qtbot.addWidget(widget)
    widget.resize(700, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def coded_activations():
    """Every value names its own place: 10000 k + 100 i + j (exact in float32)."""
    acts = {}
    for name, shape in LAYERS.items():
        k, i, j = np.indices(shape)
        acts[name] = (10000 * k + 100 * i + j).astype(np.float32)
    return acts


def random_activations(seed=0, scale=1.7159):
    rng = np.random.default_rng(seed)
    return {
        name: rng.uniform(-scale, scale, shape).astype(np.float32)
        for name, shape in LAYERS.items()
    }


def packed_position(name, k, i, j):
    _, height, width = LAYERS[name]
    _, cols = FeatureMapPanel.GRIDS[name]
    gap = FeatureMapPanel.GAP
    return (k // cols) * (height + gap) + i, (k % cols) * (width + gap) + j


def graphics_view(panel):
    (view,) = panel.findChildren(pg.GraphicsView)
    return view


def view_of_layer(panel, name):
    """The ViewBox holding the image item that shows `name`'s packed image."""
    shape = panel.image_of_layer(name).shape
    for item in graphics_view(panel).scene().items():
        if isinstance(item, pg.ImageItem) and item.image.shape == shape:
            return item.getViewBox()
    raise AssertionError(f"no image of {name}")


def image_items(panel):
    return [
        i for i in graphics_view(panel).scene().items() if isinstance(i, pg.ImageItem)
    ]


def viewport_pos(panel, name, row, col):
    """Viewport position of the centre of packed pixel (row, col) of a layer."""
    view = view_of_layer(panel, name)
    scene_pos = view.mapViewToScene(QPointF(col + 0.5, row + 0.5))
    return graphics_view(panel).mapFromScene(scene_pos)


def test_layers_are_in_network_order_with_their_shapes():
    assert list(LAYERS.items()) == [
        ("C1", (6, 28, 28)),
        ("S2", (6, 14, 14)),
        ("C3", (16, 10, 10)),
        ("S4", (16, 5, 5)),
    ]


def test_maps_are_packed_into_a_grid_with_gaps(panel):
    acts = coded_activations()
    panel.set_activations(acts)
    gap = FeatureMapPanel.GAP
    for name, (count, height, width) in LAYERS.items():
        image = panel.image_of_layer(name)
        rows, cols = FeatureMapPanel.GRIDS[name]
        assert rows * cols >= count
        assert image.shape == (rows * (height + gap) - gap, cols * (width + gap) - gap)
        for k, i, j in np.ndindex(count, height, width):
            r, c = packed_position(name, k, i, j)
            assert image[r, c] == acts[name][k, i, j], (name, k, i, j)
        assert np.count_nonzero(~np.isnan(image)) == count * height * width


def test_image_of_layer_is_a_copy(panel):
    panel.set_activations(coded_activations())
    panel.image_of_layer("C1")[:] = -5
    assert panel.image_of_layer("C1")[0, 1] == 1


def test_extra_keys_and_a_batch_axis_are_accepted(panel):
    acts = {name: a[None] for name, a in random_activations().items()}
    acts["F6"] = np.zeros(84)
    panel.set_activations(acts)
    r, c = packed_position("C3", 7, 2, 5)
    assert panel.image_of_layer("C3")[r, c] == acts["C3"][0, 7, 2, 5]


def test_none_clears_every_layer(panel):
    panel.set_activations(random_activations())
    panel.set_activations(None)
    for name in LAYERS:
        assert np.isnan(panel.image_of_layer(name)).all()


@pytest.mark.parametrize(
    ("name", "shape"), [("C1", (6, 28, 27)), ("S4", (16, 25)), ("C3", (6, 10, 10))]
)
def test_a_wrong_shape_raises_and_leaves_the_display_alone(panel, name, shape):
    good = random_activations()
    panel.set_activations(good)
    shown = {n: panel.image_of_layer(n) for n in LAYERS}
    bad = random_activations(seed=1)
    bad[name] = np.zeros(shape, dtype=np.float32)
    with pytest.raises(ValueError, match=rf"layer {name} expects shape"):
        panel.set_activations(bad)
    for n in LAYERS:
        np.testing.assert_array_equal(panel.image_of_layer(n), shown[n])


def test_a_missing_layer_raises(panel):
    acts = random_activations()
    del acts["S2"]
    with pytest.raises(ValueError, match="S2"):
        panel.set_activations(acts)


def test_colour_levels_stay_fixed_across_updates(panel):
    limit = LENET5.amplitude
    ranges = {}
    for seed, scale in enumerate((0.01, 1.0, 50.0)):
        panel.set_activations(random_activations(seed, scale))
        panel.repaint()
        for item in image_items(panel):
            assert tuple(item.getLevels()) == pytest.approx((-limit, limit))
            ranges.setdefault(id(item), item.getViewBox().viewRange())
            assert item.getViewBox().viewRange() == ranges[id(item)]
    (bar,) = [
        i
        for i in graphics_view(panel).scene().items()
        if isinstance(i, pg.ColorBarItem)
    ]
    assert tuple(bar.levels()) == pytest.approx((-limit, limit))


def test_hover_names_layer_map_position_and_value(qtbot, panel):
    acts = random_activations()
    acts["C3"][7, 2, 5] = -0.834
    panel.set_activations(acts)
    infos = []
    panel.hoverInfoChanged.connect(infos.append)
    row, col = packed_position("C3", 7, 2, 5)
    qtbot.mouseMove(
        graphics_view(panel).viewport(), viewport_pos(panel, "C3", row, col)
    )
    qtbot.waitUntil(lambda: infos[-1:] == ["C3 map 7 (2, 5): -0.834"])
    assert panel.findChild(QLabel, "hoverInfo").text() == "C3 map 7 (2, 5): -0.834"

    acts["C3"][7, 2, 5] = 1.5
    panel.set_activations(acts)
    assert infos[-1] == "C3 map 7 (2, 5): 1.500", "refreshed under a still pointer"

    gap_row = packed_position("C3", 0, 9, 0)[0] + 1
    qtbot.mouseMove(
        graphics_view(panel).viewport(), viewport_pos(panel, "C3", gap_row, 3)
    )
    qtbot.waitUntil(lambda: infos[-1] == "")


def test_hover_over_every_layer(qtbot, panel):
    panel.set_activations(coded_activations())
    infos = []
    panel.hoverInfoChanged.connect(infos.append)
    viewport = graphics_view(panel).viewport()
    for name, (count, height, _) in LAYERS.items():
        k, i, j = count - 1, height - 1, 0
        qtbot.mouseMove(
            viewport, viewport_pos(panel, name, *packed_position(name, k, i, j))
        )
        value = 10000 * k + 100 * i + j
        expected = f"{name} map {k} ({i}, {j}): {value:.3f}"
        qtbot.waitUntil(lambda expected=expected: infos[-1:] == [expected])


def test_show_layer_shows_one_layer_larger(qtbot, panel):
    assert panel.shown_layer() is None
    small = view_of_layer(panel, "C3").sceneBoundingRect()
    panel.show_layer("C3")
    assert panel.shown_layer() == "C3"
    qtbot.waitUntil(
        lambda: (
            view_of_layer(panel, "C3").sceneBoundingRect().height()
            > 1.5 * small.height()
        )
    )
    for name in LAYERS:
        assert view_of_layer(panel, name).isVisible() == (name == "C3")
    assert panel.findChild(QToolButton, "showC3").isChecked()
    panel.show_layer(None)
    assert panel.shown_layer() is None
    assert all(view_of_layer(panel, name).isVisible() for name in LAYERS)
    with pytest.raises(KeyError, match="F6"):
        panel.show_layer("F6")


def test_selector_buttons_switch_layers(qtbot, panel):
    qtbot.mouseClick(panel.findChild(QToolButton, "showS2"), Qt.MouseButton.LeftButton)
    assert panel.shown_layer() == "S2"
    qtbot.mouseClick(panel.findChild(QToolButton, "showAll"), Qt.MouseButton.LeftButton)
    assert panel.shown_layer() is None


def test_double_click_toggles_a_layer_alone(qtbot, panel):
    viewport = graphics_view(panel).viewport()
    qtbot.mouseDClick(
        viewport, Qt.MouseButton.LeftButton, pos=viewport_pos(panel, "S4", 3, 3)
    )
    assert panel.shown_layer() == "S4"
    qtbot.mouseDClick(
        viewport, Qt.MouseButton.LeftButton, pos=viewport_pos(panel, "S4", 3, 3)
    )
    assert panel.shown_layer() is None


def test_leaving_the_maps_clears_the_hover_text(qtbot, panel):
    panel.set_activations(random_activations())
    infos = []
    panel.hoverInfoChanged.connect(infos.append)
    viewport = graphics_view(panel).viewport()
    qtbot.mouseMove(viewport, viewport_pos(panel, "S2", 0, 0))
    qtbot.waitUntil(lambda: infos[-1:] != [] and infos[-1].startswith("S2 map 0"))
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    assert infos[-1] == ""
    assert panel.findChild(QLabel, "hoverInfo").text() == ""


def test_hovering_reports_each_new_unit_once(qtbot, panel):
    units = []
    panel.unitHovered.connect(units.append)
    viewport = graphics_view(panel).viewport()
    qtbot.mouseMove(
        viewport, viewport_pos(panel, "C3", *packed_position("C3", 7, 2, 5))
    )
    qtbot.waitUntil(lambda: units[-1:] == [("C3", 7, 2, 5)])
    assert panel.hovered_unit() == ("C3", 7, 2, 5)
    row, col = packed_position("C3", 7, 2, 5)
    assert outline_pixels(panel, "C3") == [QRectF(col, row, 1, 1)], "unit framed"
    # New activations under a still pointer change the value, not the unit.
    panel.set_activations(random_activations())
    assert units == [("C3", 7, 2, 5)]
    gap_row = packed_position("C3", 0, 9, 0)[0] + 1
    qtbot.mouseMove(viewport, viewport_pos(panel, "C3", gap_row, 3))
    qtbot.waitUntil(lambda: units[-1:] == [None])
    assert panel.hovered_unit() is None
    assert outline_pixels(panel, "C3") == []


def outline_pixels(panel, name):
    """Packed-image rectangles of the visible frames drawn over a layer."""
    view = view_of_layer(panel, name)
    return [
        item.rect()
        for item in view.addedItems
        if not isinstance(item, pg.ImageItem) and item.isVisible()
    ]


def test_outlined_maps_are_framed_where_they_are_packed(qtbot, panel):
    panel.outline_maps("S2", (1, 2, 3))
    assert panel.outlined_maps() == {"S2": [1, 2, 3]}
    rects = outline_pixels(panel, "S2")
    assert len(rects) == 3
    for k, rect in zip((1, 2, 3), rects, strict=True):
        top, left = packed_position("S2", k, 0, 0)
        assert (rect.top(), rect.left(), rect.width(), rect.height()) == (
            top,
            left,
            14,
            14,
        )
    panel.outline_maps("C3", [15])
    assert panel.outlined_maps() == {"C3": [15]}
    assert outline_pixels(panel, "S2") == []
    panel.outline_maps(None)
    assert panel.outlined_maps() == {}
    with pytest.raises(IndexError, match="0 to 5"):
        panel.outline_maps("S2", [6])
    with pytest.raises(KeyError):
        panel.outline_maps("F6", [0])
