"""Weights loaded for the window: a classifier, or one line saying why not.

Used by :class:`~lenet_gui.gui.state.network_setup.NetworkSetup`, on its
loading thread; torch is imported only when a load runs, with Python's cycle
collector paused meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier

__all__ = ["load_classifier"]


def load_classifier(path: Path | None) -> tuple[Classifier | None, str]:
    """Load weights (None: the bundled ones): (classifier, "") or (None, why).

    Anything that goes wrong, a bad file or a broken torch install, becomes
    one line for the person, never an exception: the window must say so,
    not hang at "Loading".
    """
    name = "the bundled weights" if path is None else path.name
    try:
        with _cycle_collection_paused():  # torch's import: a second, the first time
            from lenet_gui.network.classifier import Classifier, use_one_thread
            from lenet_gui.network.weights import WeightsError
    except Exception as error:  # a broken torch install
        return None, f"{name}: cannot be loaded ({_one_line(error)})"
    try:
        # Before the weights' checks run the network: a pool of threads
        # started for them costs a tenth of a second, more on a busy machine.
        use_one_thread()
        return Classifier.load(path), ""
    except WeightsError as error:
        return None, str(error)
    except Exception as error:  # reported to the person, never raised
        return None, f"{name}: cannot be loaded ({_one_line(error)})"


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector, e.g. while torch is imported.

    Importing torch makes hundreds of thousands of objects, and every so
    many of them start a collection that walks all the objects the window
    already holds: about an eighth of the import's time. Objects it leaves
    in cycles are collected once the collector runs again.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__
