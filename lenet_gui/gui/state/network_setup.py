"""The network as the person has set it up: weights, checkpoint, switched-off units.

One :class:`NetworkSetup` holds which weights are in use (the bundled ones,
a file, or one checkpoint of their training run), which maps or units are
switched off, and how the input is distorted before the network reads it.
:meth:`NetworkSetup.classify` reads a drawing with all of that; the session
asks it for every prediction. It says what changed through its signals.

torch is imported only when weights are loaded, so a window can be painted
before the ~1 s torch import (see :meth:`NetworkSetup.load_bundled`). Files
the person picks are read on worker threads too
(:class:`~lenet_gui.gui.state.jobs.LatestJob`): the window keeps answering,
and a bad file costs a message, never the weights in use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from lenet_gui.gui.state.experiments import describe_experiments
from lenet_gui.gui.state.jobs import LatestJob
from lenet_gui.gui.state.status import StatusLine
from lenet_gui.gui.state.weights_loading import load_classifier
from lenet_gui.spec.lenet5 import NetworkSpec

if TYPE_CHECKING:
    from lenet_gui.network.checkpoints import CheckpointInfo
    from lenet_gui.network.classifier import Classifier, Prediction

__all__ = ["NetworkSetup", "describe"]

_STILL_DRAW = (
    "\n\nYou can still draw; load a weights file with "
    "File > Load Weights… to see predictions."
)


class NetworkSetup(QObject):
    """Which weights, which units switched off, which distortion of the input.

    Parameters
    ----------
    spec : NetworkSpec
        The network.
    status : StatusLine
        Where messages about the weights go.
    parent : QObject, optional
        The Qt parent.
    """

    changed = Signal()
    """Anything that changes how a drawing is read changed."""
    classifierChanged = Signal(object)
    """Other weights are in use (a ``Classifier``), or None: none loaded."""
    checkpointChanged = Signal(object)
    """Another checkpoint of the training run is in use: its
    ``CheckpointInfo``, or None for the weights as loaded."""
    ablationChanged = Signal(object)
    """Units were switched off or on: the mapping of layer to the maps (or
    units) now off; empty when everything is on."""
    transformChanged = Signal(object)
    """The input's distortion changed: its settings by name, empty when the
    input is read as drawn."""
    weightsLoaded = Signal(bool)
    """The newest load asked for ended: True, its weights are in use; False."""

    def __init__(
        self, spec: NetworkSpec, status: StatusLine, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.spec, self.status = spec, status
        self._loaded: Classifier | None = None  # the weights as loaded
        self._classifier: Classifier | None = None  # in use: those, or a checkpoint
        self._checkpoints: list[CheckpointInfo] = []
        self._checkpoint: int | None = None
        self._checkpoint_classifiers: dict[int, Classifier] = {}
        self._ablation: dict[str, frozenset[int]] = {}
        self._transform: dict[str, float] = {}
        # Each file on a thread of its own: a slow or hostile one never holds
        # up the next one asked for, and only the newest request's outcome counts.
        self._loader = LatestJob(self, name="load-weights", parallel=True, daemon=False)
        self._loader.done.connect(lambda outcome, _: self._on_loaded(*outcome))

    # -- reading a drawing ---------------------------------------------------------

    @property
    def classifier(self) -> Classifier | None:
        """The classifier in use (a checkpoint's, if one is chosen), or None."""
        return self._classifier

    def classify(self, image: np.ndarray) -> Prediction | None:
        """Read a drawing with the weights, switched-off units and distortion set.

        Returns None without weights or without a digit.

        Raises
        ------
        ValueError, RuntimeError
            If the image cannot be read (not 2-D, not numbers, ...).
        """
        if self._classifier is None:
            return None
        ablation = self._ablation or None
        if not self._transform:
            return self._classifier.predict(image, ablation)
        from lenet_gui.explain.invariance import transform_input
        from lenet_gui.imaging.preprocess import preprocess

        network_input = preprocess(image)
        if network_input is None:
            return None
        network_input = transform_input(network_input, self._transform)
        return self._classifier.classify_input(network_input, ablation)

    def describe(self) -> str:
        """Name the weights in use for people, e.g. "bundled weights, 99.38 %..."."""
        if self._loaded is None:
            return "no weights loaded"
        if self._checkpoint is None:
            return describe(self._loaded)
        info = self._checkpoints[self._checkpoint]
        accuracy = info.test_accuracy
        measured = "" if accuracy is None else f", {accuracy:.2%} on MNIST test"
        return f"training checkpoint: {info.label}{measured}"

    def experiments(self) -> list[str]:
        """Name what makes the reading differ from the plain one ([]: nothing)."""
        return describe_experiments(
            self.spec,
            transform=self._transform,
            ablation=self._ablation,
            checkpoint=self._checkpoint,
            checkpoints=self._checkpoints,
            weights_file=_weights_file(self._loaded),
        )

    # -- weights ------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Whether weights are being loaded in the background."""
        return self._loader.busy

    def load_bundled(self, *, background: bool = False) -> None:
        """Load the bundled weights, on a worker thread if `background`.

        Failure is a warning, never an exception: the person can still draw
        and load other weights.
        """
        self._load(None, background)

    @Slot(str)
    def load_weights(self, path: str | Path, *, background: bool = True) -> bool:
        """Switch to another weights file, checked first; keep the old on failure.

        Read on a worker thread (:attr:`weightsLoaded` says how it went), or
        else at once, returning whether the weights are in use.
        """
        return self._load(Path(path), background)

    def use_classifier(self, classifier: Classifier) -> None:
        """Classify with `classifier`'s weights from now on (their final state)."""
        from lenet_gui.network.checkpoints import list_checkpoints
        from lenet_gui.network.classifier import use_one_thread
        from lenet_gui.network.weights import BUNDLED_WEIGHTS, WeightsError

        use_one_thread()
        self._loaded = self._classifier = classifier
        self._checkpoint = None
        self._checkpoint_classifiers = {}
        try:
            self._checkpoints = list_checkpoints(classifier.source or BUNDLED_WEIGHTS)
        except WeightsError as error:
            self._checkpoints = []
            self.status.say(f"Training checkpoints unusable: {error}", 8000)
        self.classifierChanged.emit(classifier)
        self.checkpointChanged.emit(None)
        self.status.say(f"Using {describe(classifier)}", 5000)
        self.changed.emit()

    def shutdown(self) -> None:
        """Wait for a weights load still running (its weights are still used)."""
        self._loader.join()

    # -- the training run's checkpoints ----------------------------------------------

    @property
    def checkpoints(self) -> list[CheckpointInfo]:
        """The checkpoints saved with the loaded weights' training run, in order."""
        return list(self._checkpoints)

    @property
    def checkpoint(self) -> int | None:
        """The checkpoint in use (an index into :attr:`checkpoints`), or None."""
        return self._checkpoint

    def use_checkpoint(self, index: int | None) -> bool:
        """Read with checkpoint `index` of the training run; None: the weights.

        The last checkpoint is the end of the run: the weights themselves.
        A checkpoint that cannot be loaded costs a warning, and the weights in
        use stay.

        Raises
        ------
        IndexError
            If there is no checkpoint `index`.
        """
        if index is not None and not 0 <= index < len(self._checkpoints):
            raise IndexError(f"no checkpoint {index} of {len(self._checkpoints)}")
        if index == len(self._checkpoints) - 1:
            index = None
        if index == self._checkpoint:
            return True
        if index is None:
            classifier = self._loaded
        else:
            classifier = self._checkpoint_classifiers.get(index)
            if classifier is None:
                path = self._checkpoints[index].path
                classifier, error = load_classifier(path)
                if classifier is None:
                    self.status.warn("Cannot load the checkpoint", error)
                    return False
                self._checkpoint_classifiers[index] = classifier
        self._classifier = classifier
        self._checkpoint = index
        self.classifierChanged.emit(classifier)
        self.checkpointChanged.emit(None if index is None else self._checkpoints[index])
        self.changed.emit()
        return True

    # -- experiments: switched-off units, distorted input -----------------------------

    @property
    def ablation(self) -> dict[str, frozenset[int]]:
        """The maps (C1 to S4) and units (C5, F6) switched off, by layer."""
        return dict(self._ablation)

    def set_switched_off(self, layer: str, index: int, off: bool) -> None:
        """Switch map (or unit) `index` of `layer` off (its output 0) or on again.

        Raises
        ------
        KeyError
            If `layer` is not C1 to F6.
        IndexError
            If the layer has no map or unit `index`.
        """
        spec = self.spec.layer(layer)
        if spec.name == self.spec.layers[-1].name:
            raise KeyError("the output layer cannot be switched off")
        if not 0 <= index < spec.maps:
            raise IndexError(f"{layer} has maps 0 to {spec.maps - 1}, not {index}")
        maps = set(self._ablation.get(layer, ()))
        (maps.add if off else maps.discard)(index)
        if maps:
            self._ablation[layer] = frozenset(maps)
        else:
            self._ablation.pop(layer, None)
        self.ablationChanged.emit(self.ablation)
        self.changed.emit()

    def is_switched_off(self, layer: str, index: int) -> bool:
        """Return whether map (or unit) `index` of `layer` is switched off."""
        return index in self._ablation.get(layer, ())

    @Slot()
    def reset_experiments(self) -> None:
        """Read as drawn, every unit on, with the bundled final weights."""
        self.switch_all_on()
        self.set_transform({})
        self.use_checkpoint(None)
        if _weights_file(self._loaded) is not None:
            self.load_bundled()

    def switch_all_on(self) -> None:
        """Switch every map and unit on again."""
        if self._ablation:
            self._ablation.clear()
            self.ablationChanged.emit({})
            self.changed.emit()

    @property
    def transform(self) -> dict[str, float]:
        """How the input is distorted before the network reads it.

        Settings by name (see :data:`lenet_gui.explain.invariance.TRANSFORMS`);
        empty when the input is read as drawn.
        """
        return dict(self._transform)

    @Slot(object)
    def set_transform(self, params: dict[str, float]) -> None:
        """Distort the input by these settings (neutral ones may be left out).

        Raises
        ------
        KeyError, ValueError
            If a setting is not a transform, or out of its range.
        """
        from lenet_gui.explain.invariance import TRANSFORMS, transform_input

        neutral = {t.name: t.neutral for t in TRANSFORMS}
        params = {k: float(v) for k, v in params.items() if neutral.get(k) != v}
        if params:
            side = self.spec.input_size
            transform_input(np.zeros((side, side), np.float32), params)  # checks
        if params != self._transform:
            self._transform = params
            self.transformChanged.emit(dict(params))
            self.changed.emit()

    # -- private ----------------------------------------------------------------------

    def _load(self, path: Path | None, background: bool) -> bool:
        if not background:
            self._loader.supersede()  # a load still running must not undo this
            return self._on_loaded(path, *load_classifier(path))
        self.status.say(f"Loading {'LeNet-5' if path is None else path.name}…", 0)
        self._loader.submit(lambda: (path, *load_classifier(path)))
        return True

    @Slot(object, object, str)
    def _on_loaded(
        self, path: Path | None, classifier: Classifier | None, error: str
    ) -> bool:
        if classifier is not None:
            self.use_classifier(classifier)
        elif path is not None:
            self.status.warn("Cannot load weights", error)
        else:
            self.classifierChanged.emit(None)
            self.status.warn("Cannot load the bundled weights", error + _STILL_DRAW)
        self.weightsLoaded.emit(classifier is not None)
        return classifier is not None


def describe(classifier: Classifier) -> str:
    """Name a classifier's weights and their measured accuracy, for people."""
    name = "bundled weights" if classifier.source is None else classifier.source.name
    accuracy = classifier.test_accuracy
    measured = f", {accuracy:.2%} on MNIST test" if accuracy is not None else ""
    return f"{name}{measured}"


def _weights_file(classifier: Classifier | None) -> str | None:
    """Return the name of the weights file in use, None for the bundled one."""
    if classifier is None or classifier.source is None:
        return None
    from lenet_gui.network.weights import BUNDLED_WEIGHTS

    try:
        if classifier.source.resolve() == Path(BUNDLED_WEIGHTS).resolve():
            return None
    except OSError:
        pass
    return classifier.source.name
