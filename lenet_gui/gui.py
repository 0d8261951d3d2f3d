"""The main window: the one place that connects the widgets to LeNet-5.

Widgets only say what happened (the canvas: "drawing changed"; the feature
map panel: "hover text changed") and offer setters. This window owns the
state: the classifier, the last result and the live-update throttle.

torch is imported only when the classifier is loaded, so that the window can
be painted before the ~1 s torch import (``MainWindow(defer_model=True)``,
as ``main.py`` does).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lenet_gui.image_file import ImageFileError, image_formats, read_ink
from lenet_gui.network.wiring import receptive_field, sources
from lenet_gui.widgets import (
    DrawingCanvas,
    FeatureMapPanel,
    NetworkInputView,
    PredictionLabel,
    ProbabilityChart,
    UnitSumView,
)

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier, Prediction

__all__ = ["MainWindow"]

#: Where the window keeps pen width, geometry and the enlarged layer.
SETTINGS_SCOPE = ("lenet-gui", "LeNet-5 Explorer")


class MainWindow(QMainWindow):
    """Draw or load a digit; see LeNet-5's prediction and feature maps live.

    Parameters
    ----------
    classifier : Classifier, optional
        The network to use; the bundled weights when omitted.
    defer_model : bool
        Load the bundled weights on a worker thread after the window is
        shown, instead of before returning. Predictions start once loaded.
    """

    _modelLoaded = Signal(object, str)  # (Classifier or None, error message)

    def __init__(
        self, classifier: Classifier | None = None, *, defer_model: bool = False
    ) -> None:
        super().__init__()
        self.setWindowTitle("LeNet-5 Explorer")
        self.setAcceptDrops(True)
        self._classifier: Classifier | None = None
        self._result: Prediction | None = None
        self._dirty = False
        self._loader: threading.Thread | None = None
        self._settings = QSettings(*SETTINGS_SCOPE)

        self._build_widgets()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._connect()
        self._frame_timer = QTimer(self)
        self._frame_timer.timeout.connect(self._on_frame_timer_timeout)
        self._restore_settings()

        if classifier is not None:
            self._use_classifier(classifier)
        elif defer_model:
            self.statusBar().showMessage("Loading LeNet-5…")
            self._modelLoaded.connect(self._on_model_loaded)
            self._loader = threading.Thread(
                target=self._load_bundled_in_background, name="load-weights"
            )
            self._loader.start()
        else:
            self._on_model_loaded(*_load_bundled())

    # -- public API -----------------------------------------------------------

    @property
    def last_result(self) -> Prediction | None:
        """The prediction for the canvas as it is now; None when it is empty.

        A refresh held back by the frame-rate throttle is done first, so the
        result always matches the drawing.
        """
        if self._dirty:
            self._refresh()
        return self._result

    @property
    def classifier(self) -> Classifier | None:
        """The network in use, or None while it is still loading."""
        return self._classifier

    @property
    def canvas(self) -> DrawingCanvas:
        """The drawing canvas."""
        return self._canvas

    @property
    def feature_maps(self) -> FeatureMapPanel:
        """The feature-map panel."""
        return self._feature_maps

    @property
    def input_view(self) -> NetworkInputView:
        """The view of the 32x32 network input."""
        return self._input_view

    def open_image(self, path: str | Path) -> bool:
        """Place an image file's ink on the canvas; on failure say why and keep all.

        The ink is :func:`~lenet_gui.image_file.read_ink`'s, as ``--predict``
        reads it: a photo or scan arrives cleaned and cropped to its digit.

        Returns
        -------
        bool
            True when the image was placed on the canvas.
        """
        path = Path(path)
        try:
            ink = read_ink(path)
        except (ImageFileError, ValueError) as error:
            self._warn("Cannot open image", str(error))
            return False
        if not ink.any():
            self._warn(
                "Cannot open image", f"{path.name}: no digit found (blank image)"
            )
            return False
        self._canvas.set_image(np.round(ink * 255).astype(np.uint8))
        self.statusBar().showMessage(f"Opened {path.name}", 5000)
        return True

    def load_weights(self, path: str | Path) -> bool:
        """Switch to another weights file, checked first; keep the old on failure."""
        from lenet_gui.network.classifier import Classifier
        from lenet_gui.network.weights import WeightsError

        try:
            classifier = Classifier.load(path)
        except WeightsError as error:
            self._warn("Cannot load weights", str(error))
            return False
        self._use_classifier(classifier)
        return True

    def save_drawing(self, path: str | Path) -> bool:
        """Save the canvas as a PNG, dark ink on white paper as it is shown."""
        paper = np.ascontiguousarray(255 - self._canvas.to_array())
        height, width = paper.shape
        image = QImage(
            paper.data, width, height, width, QImage.Format.Format_Grayscale8
        )
        return self._save_image(image.copy(), path)

    def export_feature_maps(self, path: str | Path) -> bool:
        """Save a picture of the feature-map panel as PNG."""
        return self._save_image(self._feature_maps.grab().toImage(), path)

    # -- construction ---------------------------------------------------------

    def _build_widgets(self) -> None:
        self._canvas = DrawingCanvas()
        self._canvas.setToolTip(
            "Draw a digit with the mouse or a pen. Esc clears, Ctrl+Z undoes."
        )
        self._prediction = PredictionLabel()
        self._probabilities = ProbabilityChart()
        self._probabilities.setToolTip("Probability of each digit (softmax output)")
        self._input_view = NetworkInputView()
        self._input_view.setToolTip(
            "What LeNet-5 receives: your drawing cropped, scaled to fit 20×20, "
            "centred by its centre of mass in 28×28 and padded to 32×32. "
            "Hover a feature map: a pink frame shows the patch its unit sees."
        )
        self._feature_maps = FeatureMapPanel()
        self._unit_sum = UnitSumView()

        self._pen_slider = QSlider(Qt.Orientation.Horizontal)
        self._pen_slider.setRange(4, 64)
        self._pen_slider.setValue(round(self._canvas.pen_width()))
        self._pen_slider.setFixedWidth(140)
        self._pen_slider.setToolTip("Pen width in canvas pixels")
        self._pen_label = QLabel()

        # Left: what the person does and what the network concludes. Right:
        # how it got there, with most of the room for the feature maps.
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

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self._feature_maps, 1)
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

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcuts=(), tip: str = "") -> QAction:
            act = QAction(text, self, triggered=slot)
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            act.setStatusTip(tip)
            act.setToolTip(
                f"{tip} ({QKeySequence(shortcuts[0]).toString()})" if shortcuts else tip
            )
            self.addAction(act)
            return act

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
            "&Export Feature Maps…",
            self._on_export_triggered,
            ["Ctrl+E"],
            "Save a picture of the feature-map panel",
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
        for key, name in enumerate((None, *self._feature_maps.LAYERS)):
            label = "&All Layers" if name is None else f"Layer {name}"
            act = action(
                label,
                lambda _=False, n=name: self._feature_maps.show_layer(n),
                [f"Ctrl+{key}"],
                "Show every layer" if name is None else f"Show {name} large",
            )
            act.setCheckable(True)
            self._layer_actions[name] = act
        self._about_action = action("&About LeNet-5 Explorer", self._on_about_triggered)

    def _build_menus_and_toolbar(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addActions(
            [self._open_action, self._save_action, self._export_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self._weights_action)
        file_menu.addSeparator()
        file_menu.addAction(self._quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addActions([self._undo_action, self._redo_action, self._clear_action])
        view_menu = menus.addMenu("&View")
        view_menu.addActions(list(self._layer_actions.values()))
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
        self._canvas.drawingChanged.connect(self._on_canvas_drawing_changed)
        self._canvas.undoAvailableChanged.connect(self._undo_action.setEnabled)
        self._canvas.redoAvailableChanged.connect(self._redo_action.setEnabled)
        self._canvas.penWidthChanged.connect(self._on_canvas_pen_width_changed)
        self._pen_slider.valueChanged.connect(self._canvas.set_pen_width)
        self._feature_maps.hoverInfoChanged.connect(self._on_feature_maps_hover)
        self._feature_maps.unitHovered.connect(self._on_feature_map_unit_hovered)
        self._feature_maps.shownLayerChanged.connect(self._on_feature_maps_layer_shown)

    # -- live update ----------------------------------------------------------

    @Slot()
    def _on_canvas_drawing_changed(self) -> None:
        # Mouse moves come faster than the screen refreshes: update at once,
        # then at most once per frame while changes keep coming, and always
        # once after the last change.
        self._dirty = True
        if not self._frame_timer.isActive():
            self._refresh()
            self._frame_timer.start(self._frame_interval_ms())

    @Slot()
    def _on_frame_timer_timeout(self) -> None:
        if self._dirty:
            self._refresh()
        else:
            self._frame_timer.stop()  # a frame with no change: drawing paused

    def _frame_interval_ms(self) -> int:
        screen = self.screen()
        rate = screen.refreshRate() if screen is not None else 60.0
        return max(4, round(1000 / (rate if rate > 1 else 60.0)))

    def _refresh(self) -> None:
        """Classify the canvas and show the result everywhere."""
        self._dirty = False
        if self._classifier is None:
            return
        try:
            result = self._classifier.predict(self._canvas.to_array())
        except (ValueError, RuntimeError) as error:
            # Never let a strange drawing take the app down; keep the canvas.
            self.statusBar().showMessage(
                f"Could not classify the drawing: {error}", 5000
            )
            result = None
        self._result = result
        if result is None:
            self._prediction.set_prediction(None, None)
            self._probabilities.set_probabilities(None)
            self._input_view.set_input(None)
            self._feature_maps.set_activations(None)
        else:
            self._prediction.set_prediction(result.digit, result.confidence)
            self._probabilities.set_probabilities(result.probabilities)
            self._input_view.set_input(result.network_input)
            self._feature_maps.set_activations(result.activations)
        self._show_unit_sum()

    # -- model loading --------------------------------------------------------

    def _load_bundled_in_background(self) -> None:
        self._modelLoaded.emit(*_load_bundled())

    @Slot(object, str)
    def _on_model_loaded(self, classifier: Classifier | None, error: str) -> None:
        if classifier is None:
            self._weights_label.setText("No weights loaded")
            self._warn(
                "Cannot load the bundled weights",
                f"{error}\n\nYou can still draw; load a weights file with "
                "File > Load Weights… to see predictions.",
            )
            return
        self._use_classifier(classifier)

    def _use_classifier(self, classifier: Classifier) -> None:
        from lenet_gui.network.classifier import use_one_thread

        use_one_thread()
        self._classifier = classifier
        name = (
            "bundled weights" if classifier.source is None else classifier.source.name
        )
        accuracy = classifier.test_accuracy
        measured = f", {accuracy:.2%} on MNIST test" if accuracy is not None else ""
        self._weights_label.setText(f"LeNet-5 · {name}{measured}")
        self.statusBar().showMessage(f"Using {name}{measured}", 5000)
        self._refresh()

    # -- slots ------------------------------------------------------------------

    @Slot(float)
    def _on_canvas_pen_width_changed(self, width: float) -> None:
        self._pen_slider.setValue(round(width))
        self._pen_label.setText(f" {round(width)} px")

    @Slot(str)
    def _on_feature_maps_hover(self, text: str) -> None:
        unit = self._feature_maps.hovered_unit()
        if text and unit is not None:
            text += " — " + _wiring_text(*unit)
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    @Slot(object)
    def _on_feature_map_unit_hovered(
        self, unit: tuple[str, int, int, int] | None
    ) -> None:
        """Show what the unit under the pointer reads: its input patch and maps."""
        if unit is None:
            self._input_view.set_field(None)
            self._feature_maps.outline_maps(None)
            self._unit_sum.show_hint()
            return
        layer, index, row, col = unit
        field = receptive_field(layer, row, col)
        self._input_view.set_field((field.top, field.left, field.size))
        below, maps = sources(layer, index)
        if below in self._feature_maps.LAYERS:
            self._feature_maps.outline_maps(below, maps)
        else:
            self._feature_maps.outline_maps(None)
        self._show_unit_sum()

    def _show_unit_sum(self) -> None:
        """Work out the hovered unit's value for the current result, if any."""
        unit = self._feature_maps.hovered_unit()
        if unit is None or self._result is None or self._classifier is None:
            self._unit_sum.show_hint()
            return
        layer, index, row, col = unit
        terms = self._classifier.unit_sum(self._result, *unit)
        limit = float(abs(terms.weights).max())
        self._unit_sum.show_sum(
            f"{layer} map {index} ({row}, {col}) = f(\N{GREEK CAPITAL LETTER SIGMA} "
            f"w\N{MIDDLE DOT}x + b) = f({terms.total:.3f}) = {terms.value:.3f}, "
            f"b = {terms.bias:.3f} \N{EM DASH} left: values read, right: weights "
            f"(\N{PLUS-MINUS SIGN}{limit:.2f})",
            [
                f"{terms.below} map {k}" if terms.below != "input" else "input"
                for k in terms.maps
            ],
            terms.inputs,
            terms.weights,
        )

    @Slot(object)
    def _on_feature_maps_layer_shown(self, name: str | None) -> None:
        for layer, act in self._layer_actions.items():
            act.setChecked(layer == name)

    @Slot()
    def _on_open_triggered(self) -> None:
        patterns = " ".join(f"*.{suffix}" for suffix in image_formats())
        path, _ = QFileDialog.getOpenFileName(
            self, "Open Image", self._last_dir(), f"Images ({patterns});;All files (*)"
        )
        if path:
            self._remember_dir(path)
            self.open_image(path)

    @Slot()
    def _on_save_triggered(self) -> None:
        path = self._ask_save_path("Save Drawing", "digit.png")
        if path:
            self.save_drawing(path)

    @Slot()
    def _on_export_triggered(self) -> None:
        path = self._ask_save_path("Export Feature Maps", "feature-maps.png")
        if path:
            self.export_feature_maps(path)

    @Slot()
    def _on_load_weights_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Load Weights",
            self._last_dir(),
            "PyTorch state_dict (*.pt *.pth);;All files (*)",
        )
        if path:
            self._remember_dir(path)
            self.load_weights(path)

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, "About LeNet-5 Explorer", self._about_text())

    # -- drag and drop ----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        """Accept drags that carry local files."""
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Open the first dropped file."""
        files = [
            url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()
        ]
        if files:
            event.acceptProposedAction()
            self.open_image(files[0])

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
        self._feature_maps.show_layer(
            layer if layer in self._feature_maps.LAYERS else None
        )
        self._on_feature_maps_layer_shown(self._feature_maps.shown_layer())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Remember the settings and wait for a weights load still running."""
        self._frame_timer.stop()
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/splitter", self._splitter.saveState())
        self._settings.setValue("canvas/pen_width", self._canvas.pen_width())
        self._settings.setValue("view/layer", self._feature_maps.shown_layer() or "")
        self._settings.sync()
        if self._loader is not None:
            self._loader.join()
        super().closeEvent(event)

    # -- helpers ------------------------------------------------------------------

    def _warn(self, title: str, message: str) -> None:
        self.statusBar().showMessage(message.splitlines()[0], 8000)
        QMessageBox.warning(self, title, message)

    def _save_image(self, image: QImage, path: str | Path) -> bool:
        if image.save(str(path), "PNG"):
            self.statusBar().showMessage(f"Saved {Path(path).name}", 5000)
            return True
        self._warn("Cannot save", f"{Path(path).name}: could not be written")
        return False

    def _ask_save_path(self, title: str, name: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, title, str(Path(self._last_dir()) / name), "PNG image (*.png)"
        )
        if path:
            self._remember_dir(path)
            if not path.lower().endswith(".png"):
                path += ".png"
        return path

    def _last_dir(self) -> str:
        return str(self._settings.value("files/last_dir", str(Path.home())))

    def _remember_dir(self, path: str) -> None:
        self._settings.setValue("files/last_dir", str(Path(path).parent))

    def _about_text(self) -> str:
        rows = ""
        if self._classifier is not None:
            for layer in self._classifier.summary():
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


def _wiring_text(layer: str, index: int, row: int, col: int) -> str:
    """Describe what a feature-map unit reads, e.g. for the status bar."""
    field = receptive_field(layer, row, col)
    last = field.size - 1
    seen = (
        f"sees input rows {field.top}–{field.top + last}, "
        f"columns {field.left}–{field.left + last}"
    )
    below, maps = sources(layer, index)
    if below == "input":
        return seen
    verb = "reads" if layer.startswith("C") else "subsamples"
    names = ", ".join(map(str, maps))
    return f"{seen}; {verb} {below} map{'s' if len(maps) > 1 else ''} {names}"


def _load_bundled() -> tuple[Classifier | None, str]:
    """Load the bundled weights: (classifier, "") or (None, the reason).

    Anything that goes wrong, a bad file or a broken torch install, becomes
    a message: the window must come up and say so, not hang at "Loading".
    """
    try:
        from lenet_gui.network.classifier import Classifier

        return Classifier.load(), ""
    except Exception as error:  # reported to the person, never raised
        return None, str(error) or type(error).__name__
