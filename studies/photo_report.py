"""The photo study's report: accuracy tables and a contact sheet of misses.

:func:`report` prints each reader's accuracy overall, by condition of the
photo and by digit, with the confusions; :func:`miss_sheet` draws each miss
as the photo, the ink the app keeps and the network input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from lenet_gui.drawing.image_file import read_ink
from lenet_gui.network.classifier import Classifier
from studies.accuracy import accuracy_row, contact_sheet, ink_image, input_ink
from studies.photo_scene import LEVELS
from studies.photo_trials import READERS, Trial

_THUMB = 120  # side of each picture on the contact sheet


# --- the report -----------------------------------------------------------------------


def _row(name: str, trials: list[Trial]) -> str:
    if not trials:
        return f"  {name:<26}{0:>6}"
    # Only pen trajectories are drawn on the canvas.
    readers = [
        [getattr(t, r) == t.label for t in trials if r != "canvas" or t.strokes]
        for r in READERS
    ]
    return accuracy_row(name, 26, readers, [t.app == t.label for t in trials])


CONDITIONS: list[tuple[str, Callable[[Trial], str]]] = [
    ("source", lambda t: t.source),
    ("paper ruling", lambda t: t.photo.ruling),
    ("lighting", lambda t: t.photo.lighting),
    ("noise and blur", lambda t: t.photo.noise),
    ("shadow", lambda t: "shadow" if t.photo.shadow else "no shadow"),
    ("paper", lambda t: t.photo.paper),
    ("ink", lambda t: t.photo.ink),
    ("colour", lambda t: "colour" if t.photo.colour else "grey"),
    ("JPEG quality", lambda t: "60-75" if t.photo.quality <= 75 else "80-95"),
]
_ORDER = {level: k for k, level in enumerate(LEVELS)}


def report(trials: list[Trial]) -> dict[str, float]:
    """Print the tables; return the overall accuracy of each reader."""
    print(
        f"\n  {'condition':<26}{'n':>6}"
        + "".join(f"{r:>9}" for r in READERS)
        + "   app 95% CI"
    )
    print(_row("all", trials))
    ruled = [t for t in trials if t.photo.ruling != "plain"]
    print(_row("ruled or squared", ruled))
    print(_row("plain", [t for t in trials if t.photo.ruling == "plain"]))
    for title, key in CONDITIONS:
        print(f"  {title}")
        values = sorted({key(t) for t in trials}, key=lambda v: (_ORDER.get(v, 9), v))
        for value in values:
            print(_row(f"  {value}", [t for t in trials if key(t) == value]))
    print("  digit")
    for digit in range(10):
        print(_row(f"  {digit}", [t for t in trials if t.label == digit]))
    print(
        "\n  app: --predict (run_predict), the shipped path; plain: predict("
        "read_image(file)),\n  no photo cleaning (the code before it); clean: "
        "the same ink, black on white;\n  canvas: the same pen strokes drawn "
        "on the app's paper with its default pen."
    )
    for reader in ("app", "plain"):
        errors = Counter(
            (t.label, getattr(t, reader))
            for t in trials
            if getattr(t, reader) != t.label
        )
        listed = ", ".join(
            f"{true}->{'none' if seen < 0 else seen} x{count}"
            for (true, seen), count in errors.most_common(15)
        )
        print(f"\n  {reader} confusions (true->read), most common: {listed or 'none'}")
    return {
        reader: float(np.mean([getattr(t, reader) == t.label for t in trials]))
        for reader in ("app", "plain", "clean")
    }


# --- the contact sheet ----------------------------------------------------------------


def miss_sheet(
    misses: list[Trial], classifier: Classifier, path: Path, columns: int = 4
) -> None:
    """Save each miss: the photo, the ink the app keeps, and the network input."""
    tiles = []
    for trial in misses:
        photo = QImage(str(trial.path)).scaled(
            _THUMB,
            _THUMB,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        ink = read_ink(trial.path)
        prediction = classifier.predict(ink)
        pictures = [photo, ink_image(ink, _THUMB, smooth=True)]
        if prediction is not None:
            network = input_ink(prediction.network_input)
            pictures.append(
                ink_image(network, _THUMB, smooth=True).scaled(_THUMB, _THUMB)
            )
        read = "none" if trial.app < 0 else trial.app
        tiles.append(
            (
                pictures,
                f"{trial.source} #{trial.index}: {trial.label} read {read}, "
                f"{trial.photo.ruling}, {trial.photo.lighting}/{trial.photo.noise}",
            )
        )
    contact_sheet(tiles, path, _THUMB, 3 * (_THUMB + 4) + 16, columns)
