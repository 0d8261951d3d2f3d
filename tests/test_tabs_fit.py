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
    bar = tabs.tabBar()
    assert not bar.usesScrollButtons()
    shown = [i for i in range(bar.count()) if bar.isTabVisible(i)]
    assert sum(bar.tabSizeHint(i).width() for i in shown) <= tabs.width()
    # The views whose tabs do not fit are named in "More views", the shown one
    # keeps its tab.
    hidden = tabs.hidden_tabs()
    more = tabs.cornerWidget()
    assert hidden and more.isVisible() and more.objectName() == "more-views"
    more.menu().aboutToShow.emit()
    titles = [action.text() for action in more.menu().actions()]
    assert titles == [panel.TITLE for panel in tabs.panels()]
    window.show_panel(hidden[-1])
    assert hidden[-1] not in tabs.hidden_tabs()
    assert bar.isTabVisible(tabs.currentIndex())
    texts = [tabs.tabText(i) for i in range(tabs.count())]
    assert "Net" in texts and "Maps" in texts
    # Each tab still says in full what it shows, on hover.
    assert all(tabs.tabToolTip(i) for i in range(tabs.count()))
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: tabs.tabText(1) == "Network")
    assert not tabs.hidden_tabs() and not tabs.cornerWidget().isVisible()
