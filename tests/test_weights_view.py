"""Weights: C3's grid and S2's and S4's strips say which map is which."""

from lenet_gui.gui.widgets import KernelView


def test_maps_are_numbered(window):
    view = window.show_panel("kernels").findChild(KernelView)
    c3, s2, s4 = view.map_numbers()
    assert c3.texts() == [str(k) for k in range(16)] + [str(k) for k in range(6)]
    assert s2.texts() == [str(k) for k in range(6)]
    assert s4.texts() == [str(k) for k in range(16)]
    # Each column's number sits over its own map.
    layer = view.grid("S4").layer("S4 weights")
    for k, item in enumerate(s4.items):
        assert item.pos().x() == layer.packing.map_rect(k).center().x()
    # Row numbers stand at the height of their C3 map's row of kernels.
    kernels = view.grid("C3").layer("C3 kernels")
    for k, item in enumerate(c3.items[:16]):
        assert item.pos().y() == kernels.packing.map_rect(6 * k).center().y()
