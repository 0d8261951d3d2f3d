"""Invariance: labelled curves, the reading now said, a readout where the pointer is."""

import numpy as np
import pytest

from lenet_gui.gui.widgets import InvarianceView
from lenet_gui.gui.widgets.sweep_plot import LABEL_LEAST


@pytest.fixture
def turned(example_window, qtbot):
    """The Invariance view on example 7 turned by 40 degrees, its curves shown."""
    view = example_window.show_panel("invariance").findChild(InvarianceView)
    view.slider("rotate").setValue(view.slider("rotate").value() + 40)
    panel = example_window.panel("invariance")
    qtbot.waitUntil(
        lambda: panel.settled and view.curves("rotate") is not None, timeout=20000
    )
    return example_window, view


def test_curves_are_labelled_where_they_peak(turned):
    _, view = turned
    plot = view.plot("rotate")
    values, probabilities = view.curves("rotate")
    shown = 0
    for digit, label in enumerate(plot.labels):
        curve = probabilities[:, digit]
        peak = int(np.argmax(curve))
        assert label.isVisible() == (curve[peak] >= LABEL_LEAST)
        if label.isVisible():
            shown += 1
            assert label.pos().x() == pytest.approx(values[peak])
            assert label.pos().y() == pytest.approx(curve[peak])
    assert shown >= 2  # turning a 7 far enough reads other digits


def test_the_reading_now_is_marked_and_said(turned):
    window, view = turned
    result = window.session.last_result
    plot = view.plot("rotate")
    assert plot.read == result.digit
    widths = [line.opts["pen"].widthF() for line in plot.curves]
    assert widths[result.digit] == max(widths) > min(widths)
    x, y = plot.dot.getData()
    assert x[0] == 40.0
    assert y[0] == pytest.approx(result.probabilities[result.digit], abs=1e-6)
    percent = f"{100 * result.probabilities[result.digit]:.0f} %"
    assert f">{result.digit}</b> at {percent}" in view.reading_now()


def test_pointing_at_a_plot_reads_it_out(turned):
    _, view = turned
    plot = view.plot("rotate")
    values, probabilities = view.curves("rotate")
    box = plot.plot.getViewBox()
    from PySide6.QtCore import QPointF

    scene = box.mapViewToScene(QPointF(-30.0, 0.5))
    view.graphics.scene().sigMouseMoved.emit(scene)
    at = int(np.argmin(np.abs(values + 30.0)))
    digit = int(probabilities[at].argmax())
    expected = (
        f"Rotate {values[at]:g} °: {digit} at {100 * probabilities[at, digit]:.0f} %"
    )
    assert view.hover_text().startswith(expected)
