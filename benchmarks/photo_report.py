"""The photo benchmark's report: accuracy tables and a contact sheet of misses.

:func:`report` prints each reader's accuracy overall, by condition of the
photo and by digit, with the confusions; :func:`contact_sheet` draws each
miss as the photo, the ink the app keeps and the network input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from benchmarks.photo_scene import LEVELS
from benchmarks.photo_trials import READERS, Trial
from lenet_gui.image_file import read_ink
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.preprocess import BACKGROUND, INK

_THUMB = 120  # side of each picture on the contact sheet


# --- the report -----------------------------------------------------------------------


def _wilson(correct: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    z = 1.96
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _row(name: str, trials: list[Trial]) -> str:
    n = len(trials)
    if n == 0:
        return f"  {name:<26}{0:>6}"
    cells = []
    for reader in READERS:
        group = trials if reader != "canvas" else [t for t in trials if t.strokes]
        if not group:
            cells.append(f"{'-':>9}")
            continue
        correct = sum(getattr(t, reader) == t.label for t in group)
        cells.append(f"{correct / len(group):>9.1%}")
    low, high = _wilson(sum(t.app == t.label for t in trials), n)
    return f"  {name:<26}{n:>6}" + "".join(cells) + f"   {low:.1%}-{high:.1%}"


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


def _grey_qimage(values: np.ndarray, size: int) -> QImage:
    """A 2-D array in [0, 1] (1 white) as a QImage scaled to fit `size`."""
    grey = np.ascontiguousarray(np.rint(255 * np.clip(values, 0, 1)), np.uint8)
    height, width = grey.shape
    image = QImage(grey.data, width, height, width, QImage.Format.Format_Grayscale8)
    return image.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).copy()


def contact_sheet(
    misses: list[Trial], classifier: Classifier, path: Path, columns: int = 4
) -> None:
    """Save each miss: the photo, the ink the app keeps, and the network input."""
    caption = 18
    tile_w, tile_h = 3 * (_THUMB + 4) + 16, _THUMB + caption + 8
    rows = max(1, -(-len(misses) // columns))
    sheet = QImage(columns * tile_w, rows * tile_h, QImage.Format.Format_RGB32)
    sheet.fill(QColor(255, 255, 255))
    painter = QPainter(sheet)
    for k, trial in enumerate(misses):
        x, y = (k % columns) * tile_w, (k // columns) * tile_h
        photo = QImage(str(trial.path)).scaled(
            _THUMB,
            _THUMB,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        ink = read_ink(trial.path)
        kept = 1.0 - ink
        prediction = classifier.predict(ink)
        pictures = [photo, _grey_qimage(kept, _THUMB)]
        if prediction is not None:
            network = (prediction.network_input - BACKGROUND) / (INK - BACKGROUND)
            pictures.append(_grey_qimage(1.0 - network, _THUMB).scaled(_THUMB, _THUMB))
        painter.setPen(QColor(160, 160, 160))
        for slot, picture in enumerate(pictures):
            left = x + slot * (_THUMB + 4)
            painter.drawImage(left, y + caption, picture)
            painter.drawRect(left, y + caption, picture.width(), picture.height())
        painter.setPen(QColor(180, 0, 0))
        read = "none" if trial.app < 0 else trial.app
        painter.drawText(
            QRect(x, y, tile_w, caption),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{trial.source} #{trial.index}: {trial.label} read {read}, "
            f"{trial.photo.ruling}, {trial.photo.lighting}/{trial.photo.noise}",
        )
    painter.end()
    if not sheet.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
