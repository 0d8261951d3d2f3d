"""Compare: both readings as labelled bars, one stage large, titled colour bars."""

import numpy as np

from lenet_gui.gui.widgets import ComparisonView


def test_both_readings_and_one_stage_large(window):
    view = window.show_panel("compare").findChild(ComparisonView)
    window.files.open_example(7)
    assert window.session.pin()
    pinned = window.session.last_result
    window.files.open_example(1)
    now = window.session.last_result
    for which, reading in ((0, pinned), (1, now)):
        chart = view.chart(which)
        heights = chart.plot_widget.getPlotItem().items[0].opts["height"]
        np.testing.assert_allclose(heights, reading.probabilities)
    assert view.stage() == "C1"
    grid = view.grid
    shown = {name for name in grid.names() if grid.layer(name).view.isVisible()}
    assert shown == {f"C1 {column}" for column in ComparisonView.COLUMNS}
    view.show_stage("input")
    shown = {name for name in grid.names() if grid.layer(name).view.isVisible()}
    assert shown == {f"input {column}" for column in ComparisonView.COLUMNS}
    difference = grid.layer("input now \N{MINUS SIGN} pinned")
    np.testing.assert_allclose(
        difference.buffer,
        difference.packing.pack(now.network_input - pinned.network_input),
        atol=1e-6,
    )
    bars = [item for item in grid.graphics.scene().items() if hasattr(item, "axis")]
    titles = {bar.getAxis("left").labelText for bar in bars if bar.isVisible()}
    assert titles == {"ink", "change of ink"}
    view.show_stage("S4")
    titles = {bar.getAxis("left").labelText for bar in bars if bar.isVisible()}
    assert titles == {"unit output, or its change"}


def test_with_nothing_to_compare_it_says_what_to_do_instead_of_empty_columns(
    window, qtbot
):
    from PySide6.QtWidgets import QLabel

    view = window.show_panel("compare").findChild(ComparisonView)
    window.canvas.clear()
    nothing = view.findChild(QLabel, "nothing-to-compare")
    qtbot.waitUntil(lambda: nothing.isVisible())
    assert not view.grid.isVisible()
    assert "Pin This Drawing" in nothing.text()
    window.files.open_example(7)
    qtbot.waitUntil(lambda: view.grid.isVisible())
    assert not nothing.isVisible()


def test_at_the_minimum_size_the_stage_shown_has_room_for_its_pictures(window, qtbot):
    window.resize(window.minimumSize())
    view = window.show_panel("compare").findChild(ComparisonView)
    window.files.open_example(7)
    assert window.session.pin()
    window.files.open_example(1)
    grid = view.grid
    shown = [grid.layer(f"C1 {column}").view for column in ComparisonView.COLUMNS]
    # Hidden stages' titles take no height, so the pictures shown get it.
    qtbot.waitUntil(lambda: all(v.size().height() >= 40 for v in shown))
