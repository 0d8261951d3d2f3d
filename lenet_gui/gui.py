"""The main window: lays out the widgets and panels and connects them to the session.

Widgets only say what happened (the canvas: "drawing changed"; a map:
"unit hovered") and offer setters. The state behind them, the classifier,
the current prediction, the hovered unit and the live-update throttle,
belongs to the :class:`~lenet_gui.session.ExplorerSession`. Each tab on the
right is a :class:`~lenet_gui.panels.panel.Panel` that keeps its own view up
to date from the session while it is shown. This window keeps the layout,
the actions and menus and the settings, and shows the prediction, the network
input and the hovered unit's sum, which every panel shares.

torch is imported only when the classifier is loaded, so that the window can
be painted before the ~1 s torch import (``MainWindow(defer_model=True)``,
as ``main.py`` does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.drawing.examples import load_examples
from lenet_gui.network.spec import LENET5
from lenet_gui.panels import Panel, make_panels
from lenet_gui.session import ExplorerSession, UnitInfo
from lenet_gui.theme import THEMES, apply_theme
from lenet_gui.widgets import (
    DrawingCanvas,
    FeatureMapPanel,
    NetworkInputView,
    PredictionLabel,
    ProbabilityChart,
    UnitSumView,
)
from lenet_gui.window_files import FilesMixin

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier, Prediction

__all__ = ["MainWindow"]

#: Where the window keeps pen width, geometry and the enlarged layer.
SETTINGS_SCOPE = ("lenet-gui", "LeNet-5 Explorer")


class MainWindow(FilesMixin):
    """Draw or load a digit; see LeNet-5's prediction and feature maps live.

    Parameters
    ----------
    classifier : Classifier, optional
        The network to use; the bundled weights when omitted.
    defer_model : bool
        Load the bundled weights on a worker thread after the window is
        shown, instead of before returning. Predictions start once loaded.
    """

    def __init__(
        self, classifier: Classifier | None = None, *, defer_model: bool = False
    ) -> None:
        super().__init__()
        self.setWindowTitle("LeNet-5 Explorer")
        self.setAcceptDrops(True)
        self._settings = QSettings(*SETTINGS_SCOPE)
        self._session = ExplorerSession(LENET5, self)
        self._examples = load_examples()

        self._build_widgets()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._connect()
        self._restore_settings()
        screen = self.screen()
        rate = screen.refreshRate() if screen is not None else 60.0
        self._session.set_frame_interval(
            max(4, round(1000 / (rate if rate > 1 else 60.0)))
        )

        if classifier is not None:
            self._session.use_classifier(classifier)
        else:
            self._session.load_bundled(background=defer_model)

    # -- public API -----------------------------------------------------------

    @property
    def session(self) -> ExplorerSession:
        """The state behind the window: classifier, prediction, hovered unit."""
        return self._session

    @property
    def last_result(self) -> Prediction | None:
        """The prediction for the canvas as it is now; None when it is empty.

        A refresh held back by the frame-rate throttle is done first, so the
        result always matches the drawing.
        """
        return self._session.last_result

    @property
    def classifier(self) -> Classifier | None:
        """The network in use, or None while it is still loading."""
        return self._session.classifier

    @property
    def canvas(self) -> DrawingCanvas:
        """The drawing canvas."""
        return self._canvas

    @property
    def feature_maps(self) -> FeatureMapPanel:
        """The feature-map panel."""
        return self._panels["maps"].feature_maps

    @property
    def input_view(self) -> NetworkInputView:
        """The view of the 32x32 network input."""
        return self._input_view

    def panels(self) -> list[str]:
        """Return the names of the panels, in the order of their tabs."""
        return list(self._panels)

    def show_panel(self, name: str) -> QWidget:
        """Bring a panel to the front and return its widget.

        Raises
        ------
        KeyError
            If there is no panel called `name` (see :meth:`panels`).
        """
        try:
            panel = self._panels[name]
        except KeyError:
            raise KeyError(
                f"no panel {name!r}; panels are {', '.join(self._panels)}"
            ) from None
        self._tabs.setCurrentWidget(panel.widget)
        return panel.widget

    def set_theme(self, name: str) -> None:
        """Use the ``"system"``, ``"light"`` or ``"dark"`` theme, and remember it."""
        apply_theme(name)
        for theme, act in self._theme_actions.items():
            act.setChecked(theme == name)
        self._settings.setValue("view/theme", name)

    def load_example(self, index: int) -> None:
        """Draw example `index` (see the Examples menu) on the canvas, undoably."""
        self._canvas.set_strokes(list(self._examples[index].strokes))
        self.statusBar().showMessage(f"Example: {self._examples[index].source}", 5000)

    # -- construction ---------------------------------------------------------

    def _build_widgets(self) -> None:
        self._canvas = DrawingCanvas()
        self._canvas.setToolTip(
            "Draw a digit with the mouse or a pen. Esc clears, Ctrl+Z undoes."
        )
        self._prediction = PredictionLabel()
        self._probabilities = ProbabilityChart()
        self._probabilities.setToolTip("Probability of each digit (softmax output)")
        self._input_view = NetworkInputView(LENET5)
        self._input_view.setToolTip(
            "What LeNet-5 receives: your drawing cropped, scaled to fit 20×20, "
            "centred by its centre of mass in 28×28 and padded to 32×32. "
            "Hover a unit: a pink frame shows the patch it sees."
        )
        self._unit_sum = UnitSumView(LENET5)

        self._pen_slider = QSlider(Qt.Orientation.Horizontal)
        self._pen_slider.setRange(4, 64)
        self._pen_slider.setValue(round(self._canvas.pen_width()))
        self._pen_slider.setFixedWidth(140)
        self._pen_slider.setToolTip("Pen width in canvas pixels")
        self._pen_label = QLabel()

        # Left: what the person does and what the network concludes. Right:
        # how it got there, one panel at a time, most of the room for it.
        result_row = QHBoxLayout()
        result_row.addWidget(self._prediction, 1)
        result_row.addWidget(self._input_view, 1)
        left = QWidget()
        left.setMinimumWidth(330)  # room for the 32x32 view's title and legend
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self._canvas, 5)
        left_column.addLayout(result_row, 2)
        left_column.addWidget(self._probabilities, 2)

        self._panels: dict[str, Panel] = {
            panel.NAME: panel for panel in make_panels(self._session, self._examples)
        }
        self._tabs = QTabWidget()
        self._tabs.setDocumentMode(True)
        for panel in self._panels.values():
            index = self._tabs.addTab(panel.widget, panel.TITLE)
            self._tabs.setTabToolTip(index, panel.TIP)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self._tabs, 1)
        right_column.addWidget(self._unit_sum)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
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

    def _action(self, text: str, slot, shortcuts=(), tip: str = "") -> QAction:
        act = QAction(text, self, triggered=slot)
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.setStatusTip(tip)
        act.setToolTip(
            f"{tip} ({QKeySequence(shortcuts[0]).toString()})" if shortcuts else tip
        )
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        action = self._action
        self._open_action = action(
            "&Open Image…",
            self._on_open_triggered,
            [QKeySequence.StandardKey.Open],
            "Load an image file onto the canvas",
        )
        self._save_action = action(
            "&Save Drawing as PNG…",
            self._on_save_triggered,
            [QKeySequence.StandardKey.Save],
            "Save the canvas as a PNG image",
        )
        self._export_action = action(
            "&Export Picture of the Panel…",
            self._on_export_triggered,
            ["Ctrl+E"],
            "Save a picture of the panel shown",
        )
        self._weights_action = action(
            "Load &Weights…",
            self._on_load_weights_triggered,
            ["Ctrl+L"],
            "Use another LeNet-5 weights file (.pt state_dict)",
        )
        self._quit_action = action(
            "&Quit", self.close, [QKeySequence.StandardKey.Quit], "Quit"
        )
        self._undo_action = action(
            "&Undo", self._canvas.undo, ["Ctrl+Z"], "Undo the last stroke"
        )
        self._redo_action = action(
            "&Redo", self._canvas.redo, ["Ctrl+Shift+Z", "Ctrl+Y"], "Redo"
        )
        self._clear_action = action(
            "&Clear", self._canvas.clear, ["Esc", "Delete"], "Clear the canvas"
        )
        self._undo_action.setEnabled(False)
        self._redo_action.setEnabled(False)
        self._layer_actions: dict[str | None, QAction] = {}
        for key, name in enumerate((None, *self.feature_maps.layers())):
            label = "&All Layers" if name is None else f"Layer {name}"
            act = action(
                label,
                lambda _=False, n=name: self._show_layer(n),
                [f"Ctrl+{key}"],
                "Show every layer" if name is None else f"Show {name} large",
            )
            act.setCheckable(True)
            self._layer_actions[name] = act
        self._panel_actions = [
            action(
                f"{panel.TITLE} Panel",
                lambda _=False, n=panel.NAME: self.show_panel(n),
                [f"Alt+{k + 1}"],
                panel.TIP,
            )
            for k, panel in enumerate(self._panels.values())
        ]
        self._example_actions = [
            action(
                f"{example.label} \N{EM DASH} {example.source}",
                lambda _=False, k=k: self.load_example(k),
            )
            for k, example in enumerate(self._examples)
        ]
        self._pin_action = action(
            "&Pin Drawing for Comparison",
            self._on_pin_triggered,
            ["Ctrl+P"],
            "Keep this drawing to compare the next with it (Compare panel)",
        )
        self._theme_actions = {}
        for theme in THEMES:
            act = action(
                f"{theme.title()} Theme",
                lambda _=False, t=theme: self.set_theme(t),
                tip=f"Colours: {theme}",
            )
            act.setCheckable(True)
            self._theme_actions[theme] = act
        self._about_action = action("&About LeNet-5 Explorer", self._on_about_triggered)

    def _build_menus_and_toolbar(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addActions(
            [self._open_action, self._save_action, self._export_action]
        )
        examples_menu = file_menu.addMenu("E&xamples")
        examples_menu.addActions(self._example_actions)
        examples_menu.setEnabled(bool(self._example_actions))
        file_menu.addSeparator()
        file_menu.addAction(self._weights_action)
        file_menu.addSeparator()
        file_menu.addAction(self._quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addActions([self._undo_action, self._redo_action, self._clear_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self._pin_action)
        view_menu = menus.addMenu("&View")
        view_menu.addActions(self._panel_actions)
        view_menu.addSeparator()
        view_menu.addActions(list(self._layer_actions.values()))
        view_menu.addSeparator()
        view_menu.addActions(list(self._theme_actions.values()))
        menus.addMenu("&Help").addAction(self._about_action)

        toolbar = self.addToolBar("Drawing")
        toolbar.setObjectName("drawing-toolbar")
        toolbar.setMovable(False)
        toolbar.addActions([self._open_action, self._save_action])
        toolbar.addSeparator()
        toolbar.addActions([self._undo_action, self._redo_action, self._clear_action])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Pen "))
        toolbar.addWidget(self._pen_slider)
        toolbar.addWidget(self._pen_label)

    def _connect(self) -> None:
        session = self._session
        session.predictionChanged.connect(self._on_session_prediction_changed)
        session.unitChanged.connect(self._on_session_unit_changed)
        session.classifierChanged.connect(self._on_session_classifier_changed)
        session.message.connect(self._on_session_message)
        session.warning.connect(self._warn)
        self._canvas.drawingChanged.connect(self._on_canvas_drawing_changed)
        self._canvas.undoAvailableChanged.connect(self._undo_action.setEnabled)
        self._canvas.redoAvailableChanged.connect(self._redo_action.setEnabled)
        self._canvas.penWidthChanged.connect(self._on_canvas_pen_width_changed)
        self._pen_slider.valueChanged.connect(self._canvas.set_pen_width)
        self.feature_maps.shownLayerChanged.connect(self._on_feature_maps_layer_shown)
        self._panels["maps"].exampleChosen.connect(self.load_example)
        self._tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._on_tabs_current_changed(self._tabs.currentIndex())

    # -- live update ----------------------------------------------------------

    @Slot()
    def _on_canvas_drawing_changed(self) -> None:
        self._session.set_drawing(self._canvas.to_array())

    @Slot(object)
    def _on_session_prediction_changed(self, result: Prediction | None) -> None:
        if result is None:
            self._prediction.set_prediction(None, None)
            self._probabilities.set_probabilities(None)
            self._input_view.set_input(None)
        else:
            self._prediction.set_prediction(result.digit, result.confidence)
            self._probabilities.set_probabilities(result.probabilities)
            self._input_view.set_input(result.network_input)

    @Slot(object)
    def _on_session_unit_changed(self, info: UnitInfo | None) -> None:
        """Show what the hovered unit reads: its input patch and its sum."""
        if info is None:
            self._input_view.set_field(None)
            self._unit_sum.clear()
            return
        field = info.field
        self._input_view.set_field((field.top, field.left, field.size))
        if info.terms is None:
            self._unit_sum.clear()
        else:
            terms = info.terms
            self._unit_sum.show_sum(
                info.sum_heading(), info.captions(), terms.inputs, terms.weights
            )

    @Slot(object)
    def _on_session_classifier_changed(self, classifier: Classifier | None) -> None:
        if classifier is None:
            self._weights_label.setText("No weights loaded")
        else:
            self._weights_label.setText(f"LeNet-5 · {self._session.network.describe()}")

    @Slot(str, int)
    def _on_session_message(self, text: str, milliseconds: int) -> None:
        if text:
            self.statusBar().showMessage(text, milliseconds)
        else:
            self.statusBar().clearMessage()

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        current = self._tabs.widget(index)
        for panel in self._panels.values():
            panel.set_shown(panel.widget is current)
            if panel.widget is current:
                self._unit_sum.setVisible(panel.SHOWS_UNITS)

    @Slot(float)
    def _on_canvas_pen_width_changed(self, width: float) -> None:
        self._pen_slider.setValue(round(width))
        self._pen_label.setText(f" {round(width)} px")

    def _show_layer(self, name: str | None) -> None:
        self.show_panel("maps")
        self.feature_maps.show_layer(name)

    @Slot(object)
    def _on_feature_maps_layer_shown(self, name: str | None) -> None:
        for layer, act in self._layer_actions.items():
            act.setChecked(layer == name)

    @Slot()
    def _on_pin_triggered(self) -> None:
        if self._session.pin():
            self.show_panel("compare")
        else:
            self.statusBar().showMessage("Nothing to pin: draw a digit first", 5000)

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, "About LeNet-5 Explorer", self._about_text())

    # -- settings and closing -----------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802
        """Room for a comfortable canvas and every feature map at once."""
        return QSize(1180, 820)

    def _restore_settings(self) -> None:
        self.setMinimumSize(760, 560)
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(self.sizeHint())
        splitter = self._settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self._splitter.restoreState(splitter)
        pen = self._settings.value("canvas/pen_width")
        try:
            self._canvas.set_pen_width(float(pen))
        except (TypeError, ValueError):
            pass  # no saved value yet, or an unreadable one: keep the default
        self._on_canvas_pen_width_changed(self._canvas.pen_width())
        layer = self._settings.value("view/layer")
        self.feature_maps.show_layer(
            layer if layer in self.feature_maps.layers() else None
        )
        self._on_feature_maps_layer_shown(self.feature_maps.shown_layer())
        theme = self._settings.value("view/theme")
        self.set_theme(theme if theme in THEMES else "system")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Remember the settings and wait for work still running."""
        self._session.shutdown()
        for panel in self._panels.values():
            panel.shutdown()
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/splitter", self._splitter.saveState())
        self._settings.setValue("canvas/pen_width", self._canvas.pen_width())
        self._settings.setValue("view/layer", self.feature_maps.shown_layer() or "")
        self._settings.sync()
        super().closeEvent(event)

    # -- helpers ------------------------------------------------------------------

    def _warn(self, title: str, message: str) -> None:
        self.statusBar().showMessage(message.splitlines()[0], 8000)
        QMessageBox.warning(self, title, message)

    def _export_widget(self) -> QWidget:
        return self._tabs.currentWidget()

    def _about_text(self) -> str:
        rows = ""
        if self.classifier is not None:
            for layer in self.classifier.summary():
                shape = "×".join(str(n) for n in layer.output_shape)
                rows += (
                    f"<tr><td>{layer.name}</td><td>{shape}</td>"
                    f"<td align=right>{layer.trainable_parameters:,}</td>"
                    f"<td align=right>{layer.connections:,}</td></tr>"
                )
        return (
            "<h3>LeNet-5 Explorer</h3>"
            "<p>LeNet-5 as LeCun, Bottou, Bengio and Haffner described it in "
            "<i>Gradient-based learning applied to document recognition</i> (1998): "
            "scaled tanh, trainable subsampling and the C3 connection table, "
            "with a softmax output.</p>"
            "<table cellspacing=6><tr><th>layer</th><th>output</th>"
            "<th>parameters</th><th>connections</th></tr>"
            f"{rows}</table>"
        )
