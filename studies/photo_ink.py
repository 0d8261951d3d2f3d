"""The digit's ink for the photo study, as coverage in [0, 1].

Real pen trajectories (pendigits) smoothed by a spline and drawn with a round
pen of some width, or an MNIST digit enlarged and sharpened back to a crisp
edge: what :func:`studies.photo_scene.photograph` lays on paper. Also the
resizing the scene samples it with (:func:`zoom`, :func:`bilinear`). Only
numpy and QtGui are used.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

__all__ = [
    "bilinear",
    "catmull_rom",
    "ink_from_mnist",
    "ink_from_strokes",
    "zoom",
]


def catmull_rom(points: np.ndarray, steps: int = 8) -> np.ndarray:
    """Smooth a sparse polyline by a centripetal Catmull-Rom spline through it.

    Tablets sample the pen every so often (pendigits: every 100 ms), so a
    quick curve is a few points far apart; the spline passes through each and
    bends smoothly between them, as the pen did.

    Parameters
    ----------
    points : np.ndarray
        (n, 2) points; repeated consecutive points are dropped.
    steps : int
        Points per segment of the output.

    Returns
    -------
    np.ndarray
        (m, 2) float64 points through all input points.
    """
    p = np.asarray(points, dtype=np.float64)
    keep = np.concatenate([[True], np.any(np.diff(p, axis=0) != 0, axis=1)])
    p = p[keep]
    if len(p) < 3:
        return p
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out = [p[:1]]
    t = np.linspace(0.0, 1.0, steps + 1)[1:, None]
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        d01 = max(np.linalg.norm(p1 - p0) ** 0.5, 1e-6)
        d12 = max(np.linalg.norm(p2 - p1) ** 0.5, 1e-6)
        d23 = max(np.linalg.norm(p3 - p2) ** 0.5, 1e-6)
        # Tangents of the centripetal parametrisation (Yuksel et al. 2011).
        m1 = p2 - p1 + d12 * ((p1 - p0) / d01 - (p2 - p0) / (d01 + d12))
        m2 = p2 - p1 + d12 * ((p3 - p2) / d23 - (p3 - p1) / (d12 + d23))
        a = 2 * p1 - 2 * p2 + m1 + m2
        b = -3 * p1 + 3 * p2 - 2 * m1 - m2
        out.append(a * t**3 + b * t**2 + m1 * t + p1)
    return np.vstack(out)


def ink_from_strokes(
    strokes: Sequence[np.ndarray], height: float, pen: float
) -> np.ndarray:
    """Draw pen trajectories as ink coverage, the digit `height` pixels tall.

    Parameters
    ----------
    strokes : sequence of np.ndarray
        (n, 2) point arrays, x right and y down, in any unit.
    height : float
        Height of the trajectories' bounding box in the output, pixels.
    pen : float
        Pen width, pixels.

    Returns
    -------
    np.ndarray
        2-D float32 coverage in [0, 1], the digit with a margin of the pen.
    """
    smooth = [catmull_rom(s) for s in strokes]
    points = np.concatenate(smooth)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = height / max(high[1] - low[1], 1e-6)
    if (high[0] - low[0]) * scale > 1.2 * height:
        # A very wide trajectory (a flat 1 written sideways) stays on the page.
        scale = 1.2 * height / (high[0] - low[0])
    margin = pen + 2.0
    width = int(np.ceil((high[0] - low[0]) * scale + 2 * margin))
    tall = int(np.ceil((high[1] - low[1]) * scale + 2 * margin))
    pixels = np.zeros((tall, width, 4), dtype=np.uint8)
    image = QImage(
        pixels.data, width, tall, 4 * width, QImage.Format.Format_ARGB32_Premultiplied
    )
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(
        QPen(
            QColor(255, 255, 255),
            pen,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
            Qt.PenJoinStyle.RoundJoin,
        )
    )
    for stroke in smooth:
        xy = (stroke - low) * scale + margin
        path = QPainterPath(QPointF(*xy[0]))
        if len(xy) == 1:
            path.lineTo(QPointF(xy[0][0] + 0.01, xy[0][1]))
        for x, y in xy[1:]:
            path.lineTo(QPointF(x, y))
        painter.drawPath(path)
    painter.end()
    return pixels[..., 3].astype(np.float32) / 255.0


def ink_from_mnist(image: np.ndarray, height: float) -> np.ndarray:
    """Enlarge an MNIST digit to `height` pixels as crisp ink coverage.

    MNIST's 28x28 grey levels are an anti-aliased binary scan; enlarged
    bilinearly they would be a blur several pixels wide, so the levels are
    sharpened back to an edge a couple of pixels wide, as pen ink has.

    Parameters
    ----------
    image : np.ndarray
        (28, 28) uint8 MNIST digit, ink 255.
    height : float
        Height of the digit's bounding box in the output, pixels.

    Returns
    -------
    np.ndarray
        2-D float32 coverage in [0, 1].
    """
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    crop = np.pad(image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] / 255.0, 2)
    factor = height / (rows[-1] - rows[0] + 1)
    big = zoom(crop, factor)
    # The edge's ramp shrinks by the gain (4): ~factor / 4 px wide.
    return np.clip((big - 0.45) * 4.0 + 0.5, 0.0, 1.0).astype(np.float32)


# --- resizing -------------------------------------------------------------------------


def zoom(image: np.ndarray, factor: float) -> np.ndarray:
    """Resize a 2-D image by `factor`, bilinear (area averaging when shrinking)."""
    height, width = image.shape
    out_h = max(1, int(round(height * factor)))
    out_w = max(1, int(round(width * factor)))
    if factor < 1.0:
        # Box-average first so shrinking does not alias thin strokes.
        k = int(1.0 / factor)
        if k > 1:
            h2, w2 = height // k * k, width // k * k
            image = image[:h2, :w2].reshape(h2 // k, k, w2 // k, k).mean(axis=(1, 3))
            height, width = image.shape
    ys = (np.arange(out_h) + 0.5) * height / out_h - 0.5
    xs = (np.arange(out_w) + 0.5) * width / out_w - 0.5
    return bilinear(image, ys[:, None], xs[None, :])


def bilinear(image: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """Sample `image` (2-D or 3-D) at fractional coordinates, edges clamped."""
    height, width = image.shape[:2]
    ys = np.clip(ys, 0.0, height - 1.0)
    xs = np.clip(xs, 0.0, width - 1.0)
    y0 = np.minimum(np.floor(ys).astype(np.intp), height - 2 if height > 1 else 0)
    x0 = np.minimum(np.floor(xs).astype(np.intp), width - 2 if width > 1 else 0)
    fy, fx = ys - y0, xs - x0
    y1 = np.minimum(y0 + 1, height - 1)
    x1 = np.minimum(x0 + 1, width - 1)
    if image.ndim == 3:
        fy, fx = fy[..., None], fx[..., None]
    top = image[y0, x0] * (1 - fx) + image[y0, x1] * fx
    bottom = image[y1, x0] * (1 - fx) + image[y1, x1] * fx
    return top * (1 - fy) + bottom * fy
