"""What the accuracy studies share: intervals, samples and contact sheets.

``drawn_digits``, ``real_digits`` and ``photo_digits`` each report an
accuracy with its 95 % interval (:func:`wilson`), show an evenly spread
sample of their misreads (:func:`spread`) on a contact sheet of pictures
with a caption above each tile (:func:`contact_sheet`), drawn from ink
arrays (:func:`ink_image`, :func:`thumbnail`, :func:`input_ink`).

Text on a sheet needs a ``QGuiApplication`` (for its fonts); no display.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from lenet_gui.drawing.paper import PAPER_SIZE
from lenet_gui.imaging.preprocess import BACKGROUND, INK

__all__ = [
    "accuracy_row",
    "contact_sheet",
    "ink_image",
    "input_ink",
    "spread",
    "thumbnail",
    "wilson",
]

T = TypeVar("T")
#: Height of a tile's caption, above its pictures, in pixels.
CAPTION = 18


def wilson(correct: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    z = 1.96
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def accuracy_row(
    name: str, width: int, readers: Sequence[Sequence[bool]], app: Sequence[bool]
) -> str:
    """Format a table row: its name, the count, each reader's accuracy, an interval.

    Parameters
    ----------
    name : str
        What the row counts, in a column `width` characters wide.
    width : int
        Width of the name column.
    readers : sequence of sequences of bool
        For each reader, whether each of its readings was right; a reader
        with no readings shows ``-``.
    app : sequence of bool
        Whether the app read each one right: the count and the 95 % interval.
    """
    cells = [f"{np.mean(r):>9.1%}" if len(r) else f"{'-':>9}" for r in readers]
    low, high = wilson(int(np.sum(app)), len(app))
    interval = f"   {low:.1%}-{high:.1%}"
    return f"  {name:<{width}}{len(app):>6}" + "".join(cells) + interval


def spread(items: list[T], count: int) -> list[T]:
    """At most `count` items, evenly spread over the list."""
    if len(items) <= count:
        return items
    return [items[i] for i in np.linspace(0, len(items) - 1, count).astype(int)]


def thumbnail(paper: np.ndarray, size: int) -> np.ndarray:
    """Shrink the paper by area averaging to `size` pixels a side."""
    factor = PAPER_SIZE // size
    return paper.reshape(size, factor, size, factor).mean(axis=(1, 3))


def input_ink(network_input: np.ndarray) -> np.ndarray:
    """Return a network input as ink in [0, 1]: 0 the background, 1 full ink."""
    return (network_input - BACKGROUND) / (INK - BACKGROUND)


def ink_image(ink: np.ndarray, size: int, smooth: bool = False) -> QImage:
    """Ink in [0, 1] as dark on light, scaled to `size`.

    Plain: stretched to `size` x `size` without smoothing, each pixel a
    block. Smooth: scaled smoothly to fit `size`, keeping the aspect ratio.
    """
    grey = np.ascontiguousarray(np.rint(255 * (1 - np.clip(ink, 0, 1))), np.uint8)
    height, width = grey.shape
    image = QImage(grey.data, width, height, width, QImage.Format.Format_Grayscale8)
    if not smooth:
        return image.scaled(size, size).copy()
    return image.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).copy()


def contact_sheet(
    tiles: Sequence[tuple[Sequence[QImage], str]],
    path: Path,
    thumb: int,
    tile_width: int,
    columns: int,
) -> None:
    """Save tiles of pictures, each tile under its caption, as one PNG.

    Parameters
    ----------
    tiles : sequence of (pictures, caption)
        Each tile's pictures, left to right, `thumb` + 4 pixels apart and
        framed in grey, and its caption, in red above them.
    path : Path
        The PNG to write.
    thumb : int
        Side of the pictures' slots, in pixels.
    tile_width : int
        Width of a tile, in pixels.
    columns : int
        Tiles per row.

    Raises
    ------
    OSError
        If the file cannot be written.
    """
    tile_h = thumb + CAPTION + 8
    rows = max(1, -(-len(tiles) // columns))
    sheet = QImage(columns * tile_width, rows * tile_h, QImage.Format.Format_RGB32)
    sheet.fill(QColor(255, 255, 255))
    painter = QPainter(sheet)
    for k, (pictures, text) in enumerate(tiles):
        x, y = (k % columns) * tile_width, (k // columns) * tile_h
        painter.setPen(QColor(160, 160, 160))
        for slot, picture in enumerate(pictures):
            left = x + slot * (thumb + 4)
            painter.drawImage(left, y + CAPTION, picture)
            painter.drawRect(left, y + CAPTION, picture.width(), picture.height())
        painter.setPen(QColor(180, 0, 0))
        painter.drawText(
            QRect(x, y, tile_width, CAPTION),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
    painter.end()
    if not sheet.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
