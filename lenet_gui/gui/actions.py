"""The main window's actions, its menus and its toolbar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSlider

from lenet_gui.gui.figures import FigureCommands
from lenet_gui.gui.file_commands import FileCommands
from lenet_gui.gui.guide import Guide
from lenet_gui.gui.panels import Panel
from lenet_gui.gui.state.my_digits import my_weights_path
from lenet_gui.gui.state.session import ExplorerSession
from lenet_gui.gui.text_size import TextSize
from lenet_gui.gui.theme import THEMES
from lenet_gui.gui.widgets import DrawingCanvas, FeatureMapPanel

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier

__all__ = ["WindowActions", "about_text", "teaching_actions", "text_size_actions"]

#: What a checkable action stands for: a layer's name (None: all), a theme's.
_Key = TypeVar("_Key")


class WindowActions(QObject):
    """Every action of the window, with its shortcut, and where it is offered.

    The actions are attributes (``open``, ``undo``, ``pin``, ...); the
    checkable ones come in dictionaries by what they show (``layers``,
    ``themes``). They act on the parts they are given, and go into `window`'s
    menus, toolbar and status bar.

    Parameters
    ----------
    window : QMainWindow
        Where the menus, the toolbar and the shortcuts go.
    canvas : DrawingCanvas
        What Undo, Redo, Clear and the pen slider act on.
    session : ExplorerSession
        What Pin and Reset act on, and where messages go.
    files : FileCommands
        What the File menu does.
    panels : sequence of Panel
        The panels, in the order of their tabs (View menu).
    feature_maps : FeatureMapPanel
        The maps the layer actions show large.
    show_panel : callable
        Brings a panel to the front by name.
    set_theme : callable
        Uses a theme by name.
    guide, figures, text_size : Guide, FigureCommands, TextSize, optional
        The explanations, glossary and tour; Export and Copy Figure; text size.
    """

    def __init__(
        self,
        window: QMainWindow,
        *,
        canvas: DrawingCanvas,
        session: ExplorerSession,
        files: FileCommands,
        panels: Sequence[Panel],
        feature_maps: FeatureMapPanel,
        show_panel: Callable[[str], Any],
        set_theme: Callable[[str], None],
        guide: Guide | None = None,
        figures: FigureCommands | None = None,
        text_size: TextSize | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._canvas = canvas
        self._session = session
        self._feature_maps = feature_maps
        self._show_panel = show_panel
        network = session.network
        action = self._action
        self.open = action(
            "&Open Image…",
            files.ask_open_image,
            [QKeySequence.StandardKey.Open],
            "Load an image file onto the canvas",
        )
        self.save = action(
            "&Save Drawing as PNG…",
            files.ask_save_drawing,
            [QKeySequence.StandardKey.Save],
            "Save the canvas as a PNG image",
        )
        self.export = action(
            "&Export Picture of the Panel…",
            files.ask_export_picture,
            ["Ctrl+E"],
            "Save a picture of the panel shown",
        )
        self.weights = action(
            "Load &Weights…",
            files.ask_load_weights,
            ["Ctrl+L"],
            "Use another LeNet-5 weights file (.pt state_dict)",
        )
        self.bundled_weights = action(
            "Read with &Bundled Weights",
            lambda: network.load_bundled(),
            [],
            "Read with the weights the app ships with",
        )
        self.my_weights = action(
            "Read with &My Weights",
            self._use_my_weights,
            [],
            "Read with the weights adapted to your handwriting (My digits tab)",
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
            network.reset_experiments,
            ["Ctrl+R"],
            "Undo every experiment: every map back on, the input as drawn, "
            "the bundled weights at the end of their training",
        )
        self.layers = self._checkable(
            {None: "&All Layers"} | {n: f"Layer {n}" for n in feature_maps.layers()},
            self._show_layer,
            lambda name, key: (
                [f"Ctrl+{key}"],
                "Show every layer" if name is None else f"Show {name} large",
            ),
        )
        self.panels = [
            action(
                f"{panel.TITLE} Panel",
                lambda _=False, n=panel.NAME: show_panel(n),
                [f"Alt+{k + 1}"],
                panel.TIP,
            )
            for k, panel in enumerate(panels)
        ]
        self.examples = [
            action(
                f"{example.label} \N{EM DASH} {example.source}",
                lambda _=False, k=k: files.open_example(k),
            )
            for k, example in enumerate(files.examples)
        ]
        self.themes = self._checkable(
            {theme: f"{theme.title()} Theme" for theme in THEMES},
            set_theme,
            lambda theme, key: ((), f"Colours: {theme}"),
        )
        self.about = action("&About LeNet-5 Explorer", self._on_about_triggered)
        self.guide_actions, self.figure_actions = teaching_actions(
            self._action, guide, figures
        )
        self.text_actions = text_size_actions(self._action, text_size)
        feature_maps.shownLayerChanged.connect(self._on_layer_shown)
        self._on_layer_shown(feature_maps.shown_layer())
        canvas.undoAvailableChanged.connect(self.undo.setEnabled)
        canvas.redoAvailableChanged.connect(self.redo.setEnabled)
        # Reset is offered while anything changes the reading (said beside it).
        network.changed.connect(self._on_experiments_changed)
        self._on_experiments_changed()
        self._build_menus()
        self._build_toolbar()

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcuts: Sequence[str | QKeySequence.StandardKey] = (),
        tip: str = "",
    ) -> QAction:
        act = QAction(text, self._window)
        act.triggered.connect(slot)
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.setStatusTip(tip)
        act.setToolTip(
            f"{tip} ({QKeySequence(shortcuts[0]).toString()})" if shortcuts else tip
        )
        self._window.addAction(act)
        return act

    def _checkable(
        self,
        labels: dict[_Key, str],
        slot: Callable[[_Key], object],
        extra: Callable[
            [_Key, int], tuple[Sequence[str | QKeySequence.StandardKey], str]
        ],
    ) -> dict[_Key, QAction]:
        """Make one checkable action per key, calling ``slot(key)``."""
        actions: dict[_Key, QAction] = {}
        for position, (key, label) in enumerate(labels.items()):
            shortcuts, tip = extra(key, position)
            act = self._action(label, lambda _=False, k=key: slot(k), shortcuts, tip)
            act.setCheckable(True)
            actions[key] = act
        return actions

    def _use_my_weights(self) -> None:
        path = my_weights_path()
        if not path.is_file():
            self._session.status.say(
                "No weights of your own yet: adapt to your handwriting in My digits"
            )
            return
        self._session.network.load_weights(path, background=False)

    def _build_menus(self) -> None:
        menus = self._window.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addActions([self.open, self.save, self.export])
        file_menu.addActions(self.figure_actions[:1])
        examples = file_menu.addMenu("E&xamples")
        examples.addActions(self.examples)
        examples.setEnabled(bool(self.examples))
        file_menu.addSeparator()
        file_menu.addAction(self.weights)
        file_menu.addActions([self.bundled_weights, self.my_weights])
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = menus.addMenu("&Edit")
        edit.addActions([self.undo, self.redo, self.clear])
        edit.addActions(self.figure_actions[1:])
        edit.addSeparator()
        edit.addActions([self.pin, self.reset])
        view = menus.addMenu("&View")
        view.addActions(self.panels)
        view.addSeparator()
        view.addActions(list(self.layers.values()))
        view.addSeparator()
        view.addActions(list(self.themes.values()))
        view.addSeparator()
        view.addActions(self.guide_actions[:1])
        view.addActions(self.text_actions)
        help_menu = menus.addMenu("&Help")
        help_menu.addActions(self.guide_actions[1:])
        help_menu.addAction(self.about)

    def show_theme(self, name: str) -> None:
        """Check the theme action of `name` (the theme in use)."""
        for theme, act in self.themes.items():
            act.setChecked(theme == name)

    def _build_toolbar(self) -> None:
        window, canvas = self._window, self._canvas
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(
            round(canvas.MIN_PEN_WIDTH), round(canvas.MAX_PEN_WIDTH)
        )
        self.pen_slider.setValue(round(canvas.pen_width()))
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
        canvas.penWidthChanged.connect(self._on_canvas_pen_width_changed)
        self.pen_slider.valueChanged.connect(canvas.set_pen_width)
        self._on_canvas_pen_width_changed(canvas.pen_width())

    def _show_layer(self, name: str | None) -> None:
        self._show_panel("maps")
        self._feature_maps.show_layer(name)

    def _on_layer_shown(self, name: str | None) -> None:
        for layer, act in self.layers.items():
            act.setChecked(layer == name)

    def _on_pin_triggered(self) -> None:
        if self._session.pin():
            self._show_panel("compare")
        else:
            self._session.status.say("Nothing to pin: draw a digit first")

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self._window,
            "About LeNet-5 Explorer",
            about_text(self._session.network.classifier),
        )

    def _on_canvas_pen_width_changed(self, width: float) -> None:
        self.pen_slider.setValue(round(width))
        self.pen_label.setText(f" {round(width)} px")

    def _on_experiments_changed(self, *_: object) -> None:
        self.reset.setEnabled(bool(self._session.network.experiments()))


def about_text(classifier: Classifier | None) -> str:
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


def teaching_actions(
    action: Callable[..., QAction],
    guide: Guide | None,
    figures: FigureCommands | None,
) -> tuple[list[QAction], list[QAction]]:
    """Make the actions of the explanations, the tour, the glossary and figures.

    Returns ``[What Am I Looking At?, Guided Tour, Glossary]`` and ``[Export
    Figure, Copy Figure]``, each empty without its part; `action` makes one
    (text, slot, shortcuts, tip).
    """
    guide_actions: list[QAction] = []
    figure_actions: list[QAction] = []
    if guide is not None:
        shown = action(
            "&What Am I Looking At?",
            guide.set_explanations_shown,
            [],
            "Show a few plain words above each view on what it shows",
        )
        shown.setCheckable(True)
        shown.setChecked(guide.explanations_shown())
        guide.explanationsShownChanged.connect(shown.setChecked)
        tour = action(
            "Guided &Tour",
            guide.start_tour,
            ["F1"],
            "A walk from your drawing through every layer to the reading",
        )
        words = action(
            "&Glossary",
            lambda _=False: guide.show_glossary(),
            [],
            "The words of the views, explained: feature map, kernel, logit, ...",
        )
        guide_actions = [shown, tour, words]
    if figures is not None:
        export = action(
            "Export &Figure…",
            figures.ask_export_figure,
            ["Ctrl+Shift+E"],
            "Save the drawing, the reading and the view as one titled "
            "picture for slides (PNG at 2x, SVG or PDF)",
        )
        copy = action(
            "Copy &Figure",
            figures.copy_figure,
            ["Ctrl+Shift+C"],
            "Copy the drawing, the reading and the view as one picture",
        )
        figure_actions = [export, copy]
    return guide_actions, figure_actions


def text_size_actions(
    action: Callable[..., QAction], text_size: TextSize | None
) -> list[QAction]:
    """Make View > Larger Text, Smaller Text and Actual Size (none without sizes)."""
    if text_size is None:
        return []
    return [
        action(
            "&Larger Text",
            text_size.larger,
            ["Ctrl+=", "Ctrl++"],
            "Make all text larger, for a projector",
        ),
        action("&Smaller Text", text_size.smaller, ["Ctrl+-"], "Make all text smaller"),
        action(
            "Actual &Size", text_size.actual_size, [], "Give the text its usual size"
        ),
    ]
