"""The digit's ink for the photo study, as coverage in [0, 1].

Real pen trajectories (pendigits) smoothed by a spline and drawn with a round
pen of some width on the app's own paper (:func:`lenet_gui.drawing.paper.render`,
as the canvas draws them), or an MNIST digit enlarged by the app's
resampling (:mod:`lenet_gui.imaging.resampling`) and sharpened back to a
crisp edge: what :func:`studies.photo_scene.photograph` lays on paper. Only
numpy and QtGui are used.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lenet_gui.drawing.paper import PAPER_SIZE, render
from lenet_gui.imaging.resampling import scaled

__all__ = ["INK_HEIGHT", "catmull_rom", "ink_from_mnist", "ink_from_strokes", "zoom"]

#: Height of a pen digit on the paper it is drawn on, in paper pixels: the
#: paper has room for a digit 1.2 times as wide as tall, drawn with a pen of
#: 10 % of its height, and a margin of the pen around it.
INK_HEIGHT = 300.0


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


def ink_from_strokes(strokes: Sequence[np.ndarray], pen_fraction: float) -> np.ndarray:
    """Draw pen trajectories as ink coverage, :data:`INK_HEIGHT` pixels tall.

    The trajectories are smoothed (:func:`catmull_rom`), scaled to the height
    (a very wide one to 1.2 times it), drawn on the app's paper with its pen
    and cut out with a margin of the pen.

    Parameters
    ----------
    strokes : sequence of np.ndarray
        (n, 2) point arrays, x right and y down, in any unit.
    pen_fraction : float
        Pen width as a fraction of the digit's height, up to 0.1.

    Returns
    -------
    np.ndarray
        2-D float32 coverage in [0, 1], the digit with a margin of the pen.

    Raises
    ------
    ValueError
        If the digit with that pen and its margin would not fit on the paper.
    """
    smooth = [catmull_rom(s) for s in strokes]
    points = np.concatenate(smooth)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = INK_HEIGHT / max(high[1] - low[1], 1e-6)
    if (high[0] - low[0]) * scale > 1.2 * INK_HEIGHT:
        # A very wide trajectory (a flat 1 written sideways) stays on the page.
        scale = 1.2 * INK_HEIGHT / (high[0] - low[0])
    pen = pen_fraction * INK_HEIGHT
    margin = pen + 2.0
    width = int(np.ceil((high[0] - low[0]) * scale + 2 * margin))
    tall = int(np.ceil((high[1] - low[1]) * scale + 2 * margin))
    if max(width, tall) > PAPER_SIZE:
        raise ValueError(f"a pen of {pen_fraction:.1%} of the height is too wide")
    paper = render([(s - low) * scale + margin for s in smooth], pen)
    return paper[:tall, :width].astype(np.float32) / 255.0


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


def zoom(image: np.ndarray, factor: float) -> np.ndarray:
    """Scale a 2-D image by `factor` with the app's resampling, whole pixels."""
    size = (
        max(1, round(image.shape[0] * factor)),
        max(1, round(image.shape[1] * factor)),
    )
    return scaled(image.astype(np.float32), factor, size)
