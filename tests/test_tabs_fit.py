"""Every tab stays in sight, at the window's minimum size too."""

from lenet_gui.gui.panel_tabs import PanelTabs


def tabs_of(window):
    (tabs,) = window.findChildren(PanelTabs)
    return tabs


def needed(tabs):
    bar = tabs.tabBar()
    return sum(bar.tabSizeHint(i).width() for i in range(bar.count()))


def test_all_tabs_fit_at_the_minimum_size(window, qtbot):
    tabs = tabs_of(window)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: tabs.tabText(1) == "Network")
    assert needed(tabs) <= tabs.width()
    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: tabs.width() < 500)
    assert needed(tabs) <= tabs.width(), "a tab would hide behind scroll arrows"
    texts = [tabs.tabText(i) for i in range(tabs.count())]
    assert "Net" in texts and "Maps" in texts
    # Each tab still says in full what it shows, on hover.
    assert all(tabs.tabToolTip(i) for i in range(tabs.count()))
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: tabs.tabText(1) == "Network")
