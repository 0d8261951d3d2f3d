"""Pin a drawing and compare: every stage of both, and their difference."""

import numpy as np

from lenet_gui.gui.widgets import ComparisonView


def test_pinned_and_current_drawings_and_their_difference(window):
    page = window.show_panel("compare")
    assert page.objectName() == "compare"
    view = page.findChild(ComparisonView)
    assert not window.session.pin()  # nothing drawn yet: nothing to pin
    window.files.open_example(7)
    assert window.session.pin()
    pinned = window.session.last_result
    window.files.open_example(17)
    now = window.session.last_result
    grid = view.grid
    for layer in ("C1", "C3", "F6"):
        first = grid.layer(f"{layer} pinned").packing.pack(pinned.activations[layer])
        second = grid.layer(f"{layer} now").packing.pack(now.activations[layer])
        np.testing.assert_array_equal(grid.layer(f"{layer} pinned").buffer, first)
        np.testing.assert_array_equal(grid.layer(f"{layer} now").buffer, second)
        np.testing.assert_allclose(
            grid.layer(f"{layer} now \N{MINUS SIGN} pinned").buffer,
            second - first,
            atol=1e-6,
        )
    window.session.unpin()
    assert window.session.pinned is None
    assert np.isnan(grid.layer("C1 pinned").buffer).all()
