"""The panels' tabs: one tab per panel, and only the panel shown kept up to date."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QMenu, QTabWidget, QToolButton, QWidget

from lenet_gui.gui.panels import Panel

__all__ = ["PanelTabs"]


# What a change of theme sends: a new style, a new palette.
_THEME_CHANGES = (
    QEvent.Type.PaletteChange,
    QEvent.Type.ApplicationPaletteChange,
    QEvent.Type.StyleChange,
)


class PanelTabs(QTabWidget):
    """A tab for each panel, in order; tells each panel whether it is shown.

    Parameters
    ----------
    panels : sequence of Panel
        The panels, in the order of their tabs.
    parent : QWidget, optional
        The Qt parent.
    """

    shownPanelChanged = Signal(object)
    """Another panel is shown: the :class:`~lenet_gui.gui.panels.Panel`."""

    COMPACT = (
        "QTabBar::tab { padding: 3px 5px; }"
        "QTabBar::tab:selected { border-bottom: 2px solid palette(highlight); }"
    )
    """Tabs with less padding, when the usual ones do not all fit."""

    def __init__(self, panels: Sequence[Panel], parent: QWidget | None = None):
        super().__init__(parent)
        self.setDocumentMode(True)
        self._panels = {panel.NAME: panel for panel in panels}
        for panel in panels:
            index = self.addTab(panel.widget, panel.TITLE)
            self.setTabToolTip(index, panel.TIP)
        self.currentChanged.connect(self._on_current_changed)
        self._compact = False
        self.tabBar().setUsesScrollButtons(False)
        self._more = QToolButton(self)
        self._more.setObjectName("more-views")
        self._more.setText("More views \N{BLACK DOWN-POINTING SMALL TRIANGLE}")
        self._more.setToolTip("The views whose tabs do not fit in this window's width")
        self._more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._more.setMenu(QMenu(self._more))
        self._more.menu().aboutToShow.connect(self._fill_more_menu)
        self.setCornerWidget(self._more, Qt.Corner.TopRightCorner)
        self._more.hide()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Return the narrowest the views can be: the widest tab and "More views".

        Tabs that do not fit fold into "More views" (:meth:`_fit_tabs`), so
        the row of every tab is not the minimum; the widest view is.
        """
        hint = super().minimumSizeHint()
        bar = self.tabBar()
        tabs = [bar.tabSizeHint(index).width() for index in range(bar.count())]
        folded = max(tabs, default=0) + self._more.sizeHint().width() + 4
        pages = [
            panel.widget.minimumSizeHint().width() for panel in self._panels.values()
        ]
        return QSize(max([folded, *pages]), hint.height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Give the narrow tabs the new palette when the theme changes.

        A widget with a style sheet (the narrow tabs' tighter padding) keeps
        the palette it was polished under: after dark then light, the tabs
        stayed dark and the shown tab's title vanished.
        """
        super().changeEvent(event)
        if event.type() in _THEME_CHANGES:
            # Once every widget has the new palette (on the next turn).
            QTimer.singleShot(0, self, self._restyle_tabs)

    @Slot()
    def _restyle_tabs(self) -> None:
        bar = self.tabBar()
        sheet = bar.styleSheet()
        if sheet:
            bar.setStyleSheet("")
            bar.setStyleSheet(sheet)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102
        super().resizeEvent(event)
        self._fit_tabs()

    def _fit_tabs(self) -> None:
        """Keep every view in reach: less padding and shorter titles when narrow.

        If even those do not fit, the tabs that do not fit make way for a
        "More views" menu naming every view (the shown one keeps its tab), never
        scroll arrows that hide tabs.
        """
        bar = self.tabBar()
        panels = list(self._panels.values())
        for index in range(bar.count()):
            bar.setTabVisible(index, True)
        if self._compact:  # measured at the usual size
            self._compact = False
            bar.setStyleSheet("")
            for index, panel in enumerate(panels):
                self.setTabText(index, panel.TITLE)
        widths = [bar.tabSizeHint(i).width() for i in range(bar.count())]
        if sum(widths) <= self.width():
            self._more.hide()
            return
        self._compact = True
        bar.setStyleSheet(self.COMPACT)
        for index, panel in enumerate(panels):
            self.setTabText(index, panel.SHORT_TITLE or panel.TITLE)
        widths = [bar.tabSizeHint(i).width() for i in range(bar.count())]
        if sum(widths) <= self.width():
            self._more.hide()
            return
        room = self.width() - self._more.sizeHint().width() - 4
        current = self.currentIndex()
        room -= widths[current] if current >= 0 else 0
        for index, width in enumerate(widths):
            if index == current:
                continue
            fits = width <= room
            room -= width if fits else 0
            bar.setTabVisible(index, fits)
        self._more.show()
        # The corner is placed when the tabs are laid out: lay them out again.
        QTabWidget.resizeEvent(self, QResizeEvent(self.size(), self.size()))
        # The bar scrolled to the shown tab while every tab was in: scroll back,
        # now that the tabs left fit, so none is cut at the left edge.
        QApplication.sendEvent(bar, QResizeEvent(bar.size(), bar.size()))

    def hidden_tabs(self) -> list[str]:
        """Return the names of the views reached by "More views" only, now."""
        bar = self.tabBar()
        return [
            name
            for index, name in enumerate(self._panels)
            if not bar.isTabVisible(index)
        ]

    @Slot()
    def _fill_more_menu(self) -> None:
        menu = self._more.menu()
        menu.clear()
        for index, panel in enumerate(self._panels.values()):
            action = menu.addAction(panel.TITLE)
            action.setToolTip(panel.TIP)
            action.setCheckable(True)
            action.setChecked(index == self.currentIndex())
            action.triggered.connect(lambda _=False, i=index: self.setCurrentIndex(i))

    def names(self) -> list[str]:
        """Return the names of the panels, in the order of their tabs."""
        return list(self._panels)

    def panels(self) -> list[Panel]:
        """Return the panels, in the order of their tabs."""
        return list(self._panels.values())

    def panel(self, name: str) -> Panel:
        """Return the panel called `name`.

        Raises
        ------
        KeyError
            If there is no such panel (see :meth:`names`).
        """
        try:
            return self._panels[name]
        except KeyError:
            raise KeyError(
                f"no panel {name!r}; panels are {', '.join(self._panels)}"
            ) from None

    def show_panel(self, name: str) -> QWidget:
        """Bring the panel called `name` to the front and return its widget."""
        panel = self.panel(name)
        self.setCurrentWidget(panel.widget)
        return panel.widget

    def start(self) -> None:
        """Show the current tab's panel (builds its view); once everything is wired."""
        self._on_current_changed(self.currentIndex())

    def shutdown(self) -> None:
        """Stop every panel's work still running."""
        for panel in self._panels.values():
            panel.shutdown()

    @Slot(int)
    def _on_current_changed(self, index: int) -> None:
        if self._more.isVisible() and not self.tabBar().isTabVisible(index):
            self._fit_tabs()
        current = self.widget(index)
        for panel in self._panels.values():
            panel.set_shown(panel.widget is current)
            if panel.widget is current:
                # What another tab said (a hovered unit, a credit) is not of this one.
                panel.session.status.leave(panel.NAME)
                self.shownPanelChanged.emit(panel)
