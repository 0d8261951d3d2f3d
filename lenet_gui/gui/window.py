"""The main window: a passive frame that lays out the parts and connects them.

The window holds its parts and builds them in one place, :meth:`MainWindow.__init__`:

- the state, an :class:`~lenet_gui.gui.state.session.ExplorerSession` (the
  drawing, its prediction, the hovered unit, the live-update throttle) with
  its ``network`` (weights and experiments) and ``status`` (what the app says);
- the left column, a :class:`~lenet_gui.gui.reading_column.ReadingColumn`
  (canvas, reading, input view, experiments, probabilities, correction), and
  on the right the panels' tabs over the hovered unit's sum;
- :class:`~lenet_gui.gui.file_commands.FileCommands` (``window.files``),
  :class:`~lenet_gui.gui.actions.WindowActions` (``window.action_set``: the
  menus, toolbar and shortcuts), and
  :class:`~lenet_gui.gui.settings.WindowSettings`, which loads and saves a
  :class:`~lenet_gui.gui.settings.Remembered` and never sees the window.

Widgets only say what happened and offer setters; the window connects the
session's signals to them. torch is imported only when the classifier is
loaded, so the window can be painted before the ~1 s torch import
(``MainWindow(defer_model=True)``, as ``main.py`` does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.drawing.examples import load_examples
from lenet_gui.gui.actions import WindowActions
from lenet_gui.gui.figures import FigureCommands
from lenet_gui.gui.file_commands import FileCommands
from lenet_gui.gui.first_paint import after_first_paint
from lenet_gui.gui.guide import Guide
from lenet_gui.gui.panel_tabs import PanelTabs
from lenet_gui.gui.panels import MapsPanel, Panel, make_panels
from lenet_gui.gui.panels.my_digits import MyDigitsPanel
from lenet_gui.gui.reading_column import ReadingColumn
from lenet_gui.gui.reading_view import ReadingView
from lenet_gui.gui.screen import fit_to_screen, side_by_side_minimum
from lenet_gui.gui.settings import Remembered, WindowSettings
from lenet_gui.gui.state.session import ExplorerSession, UnitInfo
from lenet_gui.gui.text_size import TextSize
from lenet_gui.gui.theme import apply_theme
from lenet_gui.gui.widgets import (
    DrawingCanvas,
    FeatureMapPanel,
    NetworkInputView,
    UnitSumView,
)
from lenet_gui.gui.widgets.drop_highlight import DropHighlight
from lenet_gui.spec.lenet5 import LENET5

if TYPE_CHECKING:
    from lenet_gui.drawing.examples import Example
    from lenet_gui.drawing.paper import Drawing
    from lenet_gui.network.classifier import Classifier

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    """Draw or load a digit; see LeNet-5's prediction and feature maps live.

    Parameters
    ----------
    classifier : Classifier, optional
        The network to use; the bundled weights when omitted.
    defer_model : bool
        Load the bundled weights on a worker thread once the window has been
        painted, instead of before returning. Predictions start once loaded.
    """

    MINIMUM = QSize(760, 560)
    """The smallest window at actual text size; larger text widens it as far
    as the reading column and the panels need (:meth:`fit_minimum`)."""

    def __init__(
        self, classifier: Classifier | None = None, *, defer_model: bool = False
    ) -> None:
        super().__init__()
        self.setWindowTitle("LeNet-5 Explorer")
        self.setAcceptDrops(True)
        self.setMinimumSize(self.MINIMUM)
        self._settings = WindowSettings()
        self._session = ExplorerSession(LENET5, self)
        examples = load_examples()
        self._build_widgets(examples)
        #: The file commands: open, save, export, examples, weights.
        self.files = FileCommands(
            self,
            self._canvas,
            self._session,
            self._settings,
            examples,
            self._tabs.currentWidget,
        )
        #: The views' explanations and tour; figures for slides.
        self.guide, self.figures = _teaching(self, self._settings, self._tabs)
        self.text_size = TextSize(self, self._settings)
        #: The window's actions, menus and toolbar.
        self.action_set = WindowActions(
            self,
            canvas=self._canvas,
            session=self._session,
            files=self.files,
            panels=self._tabs.panels(),
            feature_maps=self.feature_maps,
            show_panel=self.show_panel,
            set_theme=self.set_theme,
            guide=self.guide,
            figures=self.figures,
            text_size=self.text_size,
        )
        self._connect()
        #: The reading shown: a number's digits boxed, "Not a digit?".
        self.reading_view = ReadingView(
            self._session, self._canvas, self._reading.prediction
        )
        self._apply(self._settings.load())
        self.guide.offer_tour_once()
        self._tabs.shownPanelChanged.connect(self.text_size.apply)
        self.text_size.apply()
        # Once the views have taken the new text size (on the next turn).
        self.text_size.scaleChanged.connect(
            lambda _: QTimer.singleShot(0, self, self.fit_minimum)
        )
        QTimer.singleShot(0, self, self.fit_minimum)
        screen = self.screen()
        rate = screen.refreshRate() if screen is not None else 60.0
        self._session.set_frame_interval(
            max(4, round(1000 / (rate if rate > 1 else 60.0)))
        )

        if classifier is not None:
            self._session.network.use_classifier(classifier)
        elif defer_model:
            # Once painted: torch's import would hold the first paint back.
            after_first_paint(self, self._load_bundled_in_background)
        else:
            self._session.network.load_bundled()

    # -- public API -----------------------------------------------------------

    @property
    def session(self) -> ExplorerSession:
        """The state behind the window: classifier, prediction, hovered unit."""
        return self._session

    def reading(self) -> dict[str, Any] | None:
        """Return what the canvas reads as, as ``--predict`` prints it (or None)."""
        return self.reading_view.reading()

    @property
    def canvas(self) -> DrawingCanvas:
        """The drawing canvas."""
        return self._canvas

    @property
    def feature_maps(self) -> FeatureMapPanel:
        """The feature-map panel."""
        return self._maps.feature_maps

    @property
    def splitter(self) -> QSplitter:
        """The splitter between the drawing (left) and the panels (right)."""
        return self._splitter

    @property
    def input_view(self) -> NetworkInputView:
        """The view of the 32x32 network input."""
        return self._reading.input_view

    @property
    def reading_column(self) -> ReadingColumn:
        """The left column: canvas, reading, input view, experiments, probabilities."""
        return self._reading

    def experiments(self) -> list[str]:
        """Say what changes the reading now, a short line each; [] when nothing."""
        return self._session.network.experiments()

    def panels(self) -> list[str]:
        """Return the names of the panels, in the order of their tabs."""
        return self._tabs.names()

    def panel(self, name: str) -> Panel:
        """Return the panel (the view's controller) called `name` (KeyError if none)."""
        return self._tabs.panel(name)

    def show_panel(self, name: str) -> QWidget:
        """Bring a panel to the front and return its widget (KeyError if none)."""
        return self._tabs.show_panel(name)

    def set_theme(self, name: str) -> None:
        """Use the ``"system"``, ``"light"`` or ``"dark"`` theme, and remember it."""
        apply_theme(name)
        self.action_set.show_theme(name)
        self._settings.remember_theme(name)

    @Slot()
    def fit_minimum(self) -> None:
        """Keep the window wide enough for its parts at the text size in use."""
        widths = (ReadingColumn.MINIMUM_WIDTH, self._reading.minimumWidth())
        self.setMinimumSize(
            side_by_side_minimum(self, self._splitter, self.MINIMUM, widths)
        )

    # -- construction ---------------------------------------------------------

    def _load_bundled_in_background(self) -> None:
        self._session.network.load_bundled(background=True)

    def _apply(self, remembered: Remembered) -> None:
        """Give the window what it remembers, fitted to the screen."""
        restored = remembered.geometry is not None and self.restoreGeometry(
            remembered.geometry
        )
        if not restored:
            self.resize(self.sizeHint())
        fit_to_screen(self, place=restored)
        if remembered.splitter is not None:
            self._splitter.restoreState(remembered.splitter)
        if remembered.pen_width is not None:
            self._canvas.set_pen_width(remembered.pen_width)  # clamped to its range
        maps = self.feature_maps
        maps.show_layer(remembered.layer if remembered.layer in maps.layers() else None)
        self.set_theme(remembered.theme)
        problem = self._settings.problem
        if problem is not None:
            # Said for the whole session, beside the weights, and once in full.
            label = QLabel("Settings not saved")
            label.setToolTip(problem)
            self.statusBar().addPermanentWidget(label)
            self._session.status.say(problem, 15000)

    def _remembered(self) -> Remembered:
        """Return what the window remembers of itself as it is now."""
        return Remembered(
            geometry=self.saveGeometry(),
            splitter=self._splitter.saveState(),
            pen_width=self._canvas.pen_width(),
            layer=self.feature_maps.shown_layer(),
        )

    def _build_widgets(self, examples: list[Example]) -> None:
        # Left: what the person does and what the network concludes. Right:
        # how it got there, one panel at a time, most of the room for it.
        self._reading = ReadingColumn(self._session)
        self._canvas = self._reading.canvas
        self._unit_sum = UnitSumView(LENET5)

        self._tabs = PanelTabs(make_panels(self._session, examples))
        maps = self._tabs.panel("maps")
        assert isinstance(maps, MapsPanel)
        self._maps = maps
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self._tabs, 1)
        right_column.addWidget(self._unit_sum)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._reading)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setContentsMargins(6, 6, 6, 6)
        splitter.setSizes([440, 740])
        self._splitter = splitter
        self.setCentralWidget(splitter)
        self._weights_label = QLabel()
        self.statusBar().addPermanentWidget(self._weights_label)

    def _connect(self) -> None:
        session = self._session
        session.unitChanged.connect(self._on_session_unit_changed)
        session.network.classifierChanged.connect(self._on_network_classifier_changed)
        session.status.said.connect(self._on_status_said)
        session.status.warned.connect(self._on_status_warned)
        self._maps.exampleChosen.connect(self.files.open_example)
        self._tabs.shownPanelChanged.connect(self._on_tabs_shown_panel_changed)
        self._reading.corrected.connect(self._on_reading_corrected)
        session.stepThroughRequested.connect(lambda _: self.show_panel("convolution"))
        self._tabs.start()

    # -- what the column and the panels do not show themselves ------------------

    @Slot(object, int)
    def _on_reading_corrected(self, drawing: Drawing, digit: int) -> None:
        my_digits = self._tabs.panel(MyDigitsPanel.NAME)
        assert isinstance(my_digits, MyDigitsPanel)
        my_digits.keep(drawing, digit)

    @Slot(object)
    def _on_session_unit_changed(self, info: UnitInfo | None) -> None:
        """Show the hovered unit's sum (the column frames its input patch)."""
        if info is None or info.terms is None:
            self._unit_sum.clear()
        else:
            terms = info.terms
            self._unit_sum.show_sum(
                info.sum_heading(), info.captions(), terms.inputs, terms.weights
            )

    @Slot(object)
    def _on_network_classifier_changed(self, classifier: Classifier | None) -> None:
        if classifier is None:
            self._weights_label.setText("No weights loaded")
        else:
            self._weights_label.setText(f"LeNet-5 · {self._session.network.describe()}")

    @Slot(str, int)
    def _on_status_said(self, text: str, milliseconds: int) -> None:
        if text:
            self.statusBar().showMessage(text, milliseconds)
        else:
            self.statusBar().clearMessage()

    @Slot(str, str)
    def _on_status_warned(self, title: str, text: str) -> None:
        self.statusBar().showMessage(text.splitlines()[0], 8000)
        QMessageBox.warning(self, title, text)

    @Slot(object)
    def _on_tabs_shown_panel_changed(self, panel: Panel) -> None:
        self._unit_sum.setVisible(panel.SHOWS_UNITS)

    # -- settings and closing -----------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802
        """Room for a comfortable canvas and all feature maps (fitted to the screen)."""
        return QSize(1180, 820)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Remember the settings and wait for work still running."""
        self._session.shutdown()
        self._tabs.shutdown()
        self._settings.save(self._remembered())
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        """Accept drags that carry local files."""
        if self.files.dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Open the first dropped file."""
        files = self.files.dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.files.open_image(files[0])


def _teaching(
    window: MainWindow, settings: WindowSettings, tabs: PanelTabs
) -> tuple[Guide, FigureCommands]:
    """Make the window's explanations, tour, figure commands and drop highlight."""
    canvas, session = window.canvas, window.session
    guide = Guide(
        window,
        session=session,
        settings=settings,
        tabs=tabs,
        canvas=canvas,
        input_view=window.input_view,
        reading=[window.reading_column.prediction, window.reading_column.probabilities],
        files=window.files,
    )
    figures = FigureCommands(
        window,
        canvas=canvas,
        session=session,
        tabs=tabs,
        probabilities=window.reading_column.probabilities,
        settings=settings,
    )
    DropHighlight(window, canvas, lambda data: bool(window.files.dropped_files(data)))
    return guide, figures
