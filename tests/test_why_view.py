"""Why?: the credits shown are the attribution's, in words a newcomer reads."""

import numpy as np
import pytest

from lenet_gui.explain.attribution import attribute
from lenet_gui.gui.panels.attribution import AttributionPanel, contrast
from lenet_gui.gui.widgets import AttributionView

UNSURE = AttributionView.RUNNER_UP_IF_UNSURE


def wait_for(qtbot, condition, timeout=20000):
    """Wait in an event loop that lets worker threads run."""
    qtbot.waitUntil(condition, timeout=timeout)


def shown_for(window, qtbot):
    view = window.show_panel("attribution").findChild(AttributionView)
    panel = window.panel("attribution")
    return view, panel


def test_shown_credits_and_scale_are_the_attribution(example_window, qtbot):
    view, panel = shown_for(example_window, qtbot)
    wait_for(qtbot, lambda: panel.settled and view.shown_map() is not None)
    result = example_window.session.last_result
    expected = attribute(example_window.session.network.classifier, result, 7)
    np.testing.assert_allclose(view.shown_map(), expected.map, atol=1e-6)
    # The colours run to the largest credit, not to a fixed end.
    assert view.color_limit() == pytest.approx(np.abs(expected.map).max())
    assert view.caption().startswith(
        "Red pixels made it look more like a 7; blue pixels made it look less"
    )
    assert f"{np.abs(expected.map).max():.2f}" in view.caption()
    # The method and its sums are one click away, not in the first sentence.
    assert "logit" not in view.caption() and "trapezoid" not in view.caption()
    assert f"{expected.total:+.2f}" in view.details()
    assert "trapezoid" in view.details()


def test_an_unsure_reading_is_contrasted_with_its_runner_up(example_window, qtbot):
    view, panel = shown_for(example_window, qtbot)
    wait_for(qtbot, lambda: panel.settled and view.shown_map() is not None)
    # Example 7 turned by 50 degrees reads "7, or 1?".
    example_window.session.network.set_transform({"rotate": 50.0})
    result = example_window.session.last_result
    order = np.argsort(-result.probabilities)
    assert result.probabilities[order[1]] >= AttributionPanel.UNSURE
    wait_for(qtbot, lambda: panel.settled and "than a" in view.caption())
    target, versus = int(order[0]), int(order[1])
    expected = attribute(
        example_window.session.network.classifier, result, target, versus
    )
    np.testing.assert_allclose(view.shown_map(), expected.map, atol=1e-6)
    assert view.caption().startswith(
        f"Red pixels made it look more like a {target} than a {versus}"
    )
    # Sure again: the contrast goes away by itself.
    example_window.session.network.set_transform({})
    wait_for(qtbot, lambda: panel.settled and "than a" not in view.caption())
    assert view.caption().startswith("Red pixels made it look more like a 7;")


def test_a_digit_chosen_for_one_drawing_does_not_stay_for_the_next(
    example_window, qtbot
):
    view, panel = shown_for(example_window, qtbot)
    view.set_choice(3, 5)
    wait_for(qtbot, lambda: panel.settled and "like a 3 than a 5" in view.caption())
    example_window.canvas.clear()
    wait_for(qtbot, lambda: panel.settled and view.shown_map() is None)
    assert view.choice() == (None, UNSURE)


@pytest.mark.parametrize(
    ("probabilities", "read", "target", "versus", "expected"),
    [
        ([0.0] * 7 + [0.9, 0.1, 0.0], 7, None, UNSURE, (7, None)),
        ([0.0, 0.3] + [0.0] * 5 + [0.7, 0.0, 0.0], 7, None, UNSURE, (7, 1)),
        ([0.0, 0.3] + [0.0] * 5 + [0.7, 0.0, 0.0], 7, 1, UNSURE, (1, 7)),
        ([0.0] * 7 + [0.9, 0.1, 0.0], 7, None, -1, (7, 8)),
        ([0.0] * 7 + [0.9, 0.1, 0.0], 7, None, 3, (7, 3)),
        ([0.0] * 7 + [0.9, 0.1, 0.0], 7, 3, 3, (3, None)),
        ([0.0] * 7 + [0.9, 0.1, 0.0], 7, None, None, (7, None)),
    ],
)
def test_the_contrast_chosen(probabilities, read, target, versus, expected):
    assert contrast(np.array(probabilities), read, target, versus) == expected
