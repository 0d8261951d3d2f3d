"""Render the app icon's bitmaps from its SVG drawings, with Qt's SVG renderer.

From the repository root::

    python resources/make_icon.py

writes ``resources/icons/lenet-gui-<size>.png`` for every size in
``lenet_gui.files.bundled.ICON_SIZES``. A size with its own drawing,
``lenet-gui-<size>.svg`` (16 and 32 px: strokes on whole pixels, no feature
map), is rendered from it; the others from ``lenet-gui.svg``. Needs no
display (Qt's offscreen platform is used when none is set).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"


def render(svg: Path, size: int, out: Path) -> None:
    """Render `svg` as a `size` x `size` PNG with a transparent background."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not an SVG Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(str(out)):
        raise SystemExit(f"{out}: cannot be written")


def main() -> int:
    """Write every bitmap size; return the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtGui import QGuiApplication

    from lenet_gui.files.bundled import ICON_SIZES

    _app = QGuiApplication.instance() or QGuiApplication([])
    for size in ICON_SIZES:
        own = ICONS / f"lenet-gui-{size}.svg"
        svg = own if own.is_file() else ICONS / "lenet-gui.svg"
        out = ICONS / f"lenet-gui-{size}.png"
        render(svg, size, out)
        print(f"{out.relative_to(ROOT)} from {svg.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
