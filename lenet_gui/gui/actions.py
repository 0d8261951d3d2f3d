"""The main window's actions, its menus and its toolbar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QSlider

from lenet_gui.gui.theme import THEMES

if TYPE_CHECKING:
    from lenet_gui.gui.window import MainWindow

__all__ = ["WindowActions", "about_text"]


class WindowActions(QObject):
    """Every action of the window, with its shortcut, and where it is offered.

    Built once by the window, which it calls back for what each action does.
    The actions are attributes (``open``, ``undo``, ``pin``, ...); the
    checkable ones come in dictionaries by what they show (``layers``,
    ``themes``).

    Parameters
    ----------
    window : MainWindow
        The window the actions belong to.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        canvas, network = window.canvas, window.session.network
        action = self._action
        self.open = action(
            "&Open Image…",
            window._on_open_triggered,
            [QKeySequence.StandardKey.Open],
            "Load an image file onto the canvas",
        )
        self.save = action(
            "&Save Drawing as PNG…",
            window._on_save_triggered,
            [QKeySequence.StandardKey.Save],
            "Save the canvas as a PNG image",
        )
        self.export = action(
            "&Export Picture of the Panel…",
            window._on_export_triggered,
            ["Ctrl+E"],
            "Save a picture of the panel shown",
        )
        self.weights = action(
            "Load &Weights…",
            window._on_load_weights_triggered,
            ["Ctrl+L"],
            "Use another LeNet-5 weights file (.pt state_dict)",
        )
        self.quit = action(
            "&Quit", window.close, [QKeySequence.StandardKey.Quit], "Quit"
        )
        self.undo = action("&Undo", canvas.undo, ["Ctrl+Z"], "Undo the last stroke")
        self.redo = action("&Redo", canvas.redo, ["Ctrl+Shift+Z", "Ctrl+Y"], "Redo")
        self.clear = action(
            "&Clear", canvas.clear, ["Esc", "Delete"], "Clear the canvas"
        )
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        self.pin = action(
            "&Pin Drawing for Comparison",
            self._on_pin_triggered,
            ["Ctrl+P"],
            "Keep this drawing to compare the next with it (Compare panel)",
        )
        self.reset = action(
            "&Reset Experiments",
            window.reset_experiments,
            ["Ctrl+R"],
            "Switch every map back on and read the input as drawn",
        )
        self.layers = self._checkable(
            {None: "&All Layers"}
            | {n: f"Layer {n}" for n in window.feature_maps.layers()},
            self._show_layer,
            lambda name, key: (
                [f"Ctrl+{key}"],
                "Show every layer" if name is None else f"Show {name} large",
            ),
        )
        self.panels = [
            action(
                f"{title} Panel",
                lambda _=False, n=name: window.show_panel(n),
                [f"Alt+{k + 1}"],
                tip,
            )
            for k, (name, title, tip) in enumerate(
                (n, window.panel(n).TITLE, window.panel(n).TIP) for n in window.panels()
            )
        ]
        self.examples = [
            action(
                f"{example.label} \N{EM DASH} {example.source}",
                lambda _=False, k=k: window.load_example(k),
            )
            for k, example in enumerate(window.examples)
        ]
        self.themes = self._checkable(
            {theme: f"{theme.title()} Theme" for theme in THEMES},
            window.set_theme,
            lambda theme, key: ((), f"Colours: {theme}"),
        )
        self.about = action("&About LeNet-5 Explorer", self._on_about_triggered)
        window.feature_maps.shownLayerChanged.connect(self._on_layer_shown)
        self._on_layer_shown(window.feature_maps.shown_layer())
        canvas.undoAvailableChanged.connect(self.undo.setEnabled)
        canvas.redoAvailableChanged.connect(self.redo.setEnabled)
        # A permanent line in the status bar while an experiment runs.
        self.experiments_label = QLabel()
        self.experiments_label.setObjectName("experiments")
        window.statusBar().addPermanentWidget(self.experiments_label)
        network.ablationChanged.connect(self._on_experiments_changed)
        network.transformChanged.connect(self._on_experiments_changed)
        self._on_experiments_changed()
        self._build_menus()
        self._build_toolbar()

    def _action(
        self, text: str, slot: Callable, shortcuts: Sequence = (), tip: str = ""
    ) -> QAction:
        act = QAction(text, self._window, triggered=slot)
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.setStatusTip(tip)
        act.setToolTip(
            f"{tip} ({QKeySequence(shortcuts[0]).toString()})" if shortcuts else tip
        )
        self._window.addAction(act)
        return act

    def _checkable(self, labels: dict, slot: Callable, extra: Callable) -> dict:
        """Make one checkable action per key, calling ``slot(key)``."""
        actions = {}
        for position, (key, label) in enumerate(labels.items()):
            shortcuts, tip = extra(key, position)
            act = self._action(label, lambda _=False, k=key: slot(k), shortcuts, tip)
            act.setCheckable(True)
            actions[key] = act
        return actions

    def _build_menus(self) -> None:
        menus = self._window.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addActions([self.open, self.save, self.export])
        examples = file_menu.addMenu("E&xamples")
        examples.addActions(self.examples)
        examples.setEnabled(bool(self.examples))
        file_menu.addSeparator()
        file_menu.addAction(self.weights)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = menus.addMenu("&Edit")
        edit.addActions([self.undo, self.redo, self.clear])
        edit.addSeparator()
        edit.addActions([self.pin, self.reset])
        view = menus.addMenu("&View")
        view.addActions(self.panels)
        view.addSeparator()
        view.addActions(list(self.layers.values()))
        view.addSeparator()
        view.addActions(list(self.themes.values()))
        menus.addMenu("&Help").addAction(self.about)

    def _build_toolbar(self) -> None:
        window = self._window
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(
            round(window.canvas.MIN_PEN_WIDTH), round(window.canvas.MAX_PEN_WIDTH)
        )
        self.pen_slider.setValue(round(window.canvas.pen_width()))
        self.pen_slider.setFixedWidth(140)
        self.pen_slider.setToolTip("Pen width in canvas pixels")
        self.pen_label = QLabel()
        toolbar = window.addToolBar("Drawing")
        toolbar.setObjectName("drawing-toolbar")
        toolbar.setMovable(False)
        toolbar.addActions([self.open, self.save])
        toolbar.addSeparator()
        toolbar.addActions([self.undo, self.redo, self.clear])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Pen "))
        toolbar.addWidget(self.pen_slider)
        toolbar.addWidget(self.pen_label)
        window.canvas.penWidthChanged.connect(self._on_canvas_pen_width_changed)
        self.pen_slider.valueChanged.connect(window.canvas.set_pen_width)
        self._on_canvas_pen_width_changed(window.canvas.pen_width())

    def _show_layer(self, name: str | None) -> None:
        self._window.show_panel("maps")
        self._window.feature_maps.show_layer(name)

    def _on_layer_shown(self, name: str | None) -> None:
        for layer, act in self.layers.items():
            act.setChecked(layer == name)

    def _on_pin_triggered(self) -> None:
        if self._window.session.pin():
            self._window.show_panel("compare")
        else:
            self._window.statusBar().showMessage(
                "Nothing to pin: draw a digit first", 5000
            )

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self._window, "About LeNet-5 Explorer", about_text(self._window.classifier)
        )

    def _on_canvas_pen_width_changed(self, width: float) -> None:
        self.pen_slider.setValue(round(width))
        self.pen_label.setText(f" {round(width)} px")

    def _on_experiments_changed(self, *_: object) -> None:
        text = self._window.session.network.describe_experiments()
        self.reset.setEnabled(bool(text))
        self.experiments_label.setText(
            f"Experiment: {text} (Ctrl+R resets)" if text else ""
        )


def about_text(classifier) -> str:
    """Return the About box's text: the model, its paper and its layer table."""
    rows = ""
    if classifier is not None:
        for layer in classifier.summary():
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
