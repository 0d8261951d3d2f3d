"""Time reading image files: the app's reader against Qt decoding by name alone.

``read_image`` reads a file once through the bounded regular-file reader and
has Qt decode those bytes from memory, after its checks (truncation, JPEG
scans, SVG budget). For reference, the same files decoded by Qt straight
from their names, with no checks, at the same scaled size. Prints median and
95th percentile milliseconds per file:

    .venv/bin/python -m benchmarks.image_reading [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QImage, QImageReader  # noqa: E402

from lenet_gui.drawing.image_file import MAX_SIDE, read_image  # noqa: E402


def _save(array: np.ndarray, path: Path, quality: int = -1) -> Path:
    height, width = array.shape
    image = QImage(array.data, width, height, width, QImage.Format.Format_Grayscale8)
    assert image.save(str(path), None, quality), path
    return path


def _files(folder: Path) -> dict[str, Path]:
    rng = np.random.default_rng(0)
    digit = np.zeros((28, 28), np.uint8)
    digit[5:23, 12:16] = 255
    page = (rng.random((3000, 4000)) * 40 + 200).astype(np.uint8)
    page[1000:2000, 1800:2100] = 20
    return {
        "MNIST-sized PNG, 28 x 28": _save(digit, folder / "digit.png"),
        "scan PNG, 1024 x 1024": _save(page[:1024, :1024].copy(), folder / "scan.png"),
        "photo JPEG, 4000 x 3000": _save(page, folder / "photo.jpg", 90),
    }


def _by_name(path: Path) -> None:
    reader = QImageReader(str(path))
    size = reader.size()
    if max(size.width(), size.height()) > MAX_SIDE:
        keep = Qt.AspectRatioMode.KeepAspectRatio
        reader.setScaledSize(size.scaled(MAX_SIDE, MAX_SIDE, keep))
    assert not reader.read().isNull()


def _times(read: Callable[[Path], object], path: Path, runs: int) -> list[float]:
    read(path)  # warm: plugins loaded, caches filled
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        read(path)
        found.append((time.perf_counter() - start) * 1000)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    print(f"{'file':28} {'reader':34} {'median ms':>10} {'p95 ms':>8}")
    with tempfile.TemporaryDirectory() as name:
        for label, path in _files(Path(name)).items():
            for reader, read in (
                ("read_image (bytes read once)", read_image),
                ("Qt by name: decode only", _by_name),
            ):
                times = sorted(_times(read, path, args.runs))
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                median = statistics.median(times)
                print(f"{label:28} {reader:34} {median:10.2f} {p95:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
