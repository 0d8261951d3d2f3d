"""MNIST-style preprocessing: turn a drawing or a loaded image into LeNet-5's input.

MNIST was made by scaling each binary NIST digit, keeping its aspect ratio, so
that the larger side of its bounding box is 20 px (anti-aliased), then placing
it in a 28x28 field with its centre of mass at pixel (14, 14). LeNet-5 reads
that field padded to 32x32, background at -0.1 and full ink at 1.175.
:func:`preprocess` applies the same steps to whatever the person draws or
loads, plus one the original data did not need: people draw big digits with a
thin pen and small digits with a thick one, so the stroke width is brought
back into MNIST's range before the final scaling.

Only numpy is used here (no torch, no Qt). The input's size, levels and
framing come from the network's spec; reading an image as ink is
:mod:`lenet_gui.imaging.ink_levels`' :func:`to_ink`, also importable from
here.
"""

from __future__ import annotations

import numpy as np

from lenet_gui.imaging.ink_levels import to_ink
from lenet_gui.imaging.resampling import resample, scaled, taps
from lenet_gui.spec.lenet5 import LENET5, MNIST_SIDE

__all__ = [
    "BACKGROUND",
    "INK",
    "INPUT_SIZE",
    "from_mnist",
    "preprocess",
    "preprocess_ink",
    "stroke_width",
    "to_ink",
]

#: Network level of the paper.
BACKGROUND = LENET5.background
#: Network level of full ink.
INK = LENET5.ink
#: Side of the (square) network input.
INPUT_SIZE = LENET5.input_size

_FIELD = LENET5.field  # MNIST's image size
_MARGIN = LENET5.margin  # paper on each side of it in the input
_BOX = LENET5.box  # larger side of the digit's bounding box in MNIST
# MNIST's centre of mass sits at pixel 14 (rows and columns), not at the
# geometric centre 13.5: over all 70k images its mean is (14.00, 14.01) with a
# spread of +-0.5 px, the trace of an integer shift. In continuous coordinates,
# where pixel i spans [i, i + 1), that is 14.5.
_MASS_CENTRE = 14.5
# Stroke width is measured and corrected at 4x the 20 px box, where a thin pen
# stroke still spans several pixels and a disc of radius 1 changes the width by
# only half a pixel of the final image.
_WORK = 4 * _BOX
# Ink below this is faint noise (paper texture, scanner dust, the outer rim of
# anti-aliasing): it neither counts as a mark nor stretches the bounding box.
_FAINT = 0.2
# Fewer pixels of the source image reaching _FAINT are a speck, not a digit.
_MIN_PIXELS = 4

# MNIST's stroke width in its 20 px box, by stroke_width on all 70k images
# (train + t10k): p10 1.896, median 2.486, p75 2.919, p90 3.415 px. Measured with
#   python -c "import numpy as np; from lenet_gui.files.idx import load_mnist;
#   from lenet_gui.imaging.preprocess import stroke_width; x = np.concatenate(
#   [load_mnist('path/to/mnist', s)[0] for s in ('train', 'test')]);
#   print(np.percentile([stroke_width(i / 255) for i in x], [10, 50, 75, 90]))"
# Widths inside p10..p90 are left alone. Thin strokes are dilated to the
# median. Thick ones are eroded only to p75: erosion also eats the shape (loops
# a thick pen filled in stay filled, corners round off). On the first 3000
# MNIST test digits enlarged 4x and dilated by 10 px to mimic a thick pen, a
# LeNet-5 trained on plain MNIST read 90.3 % after eroding to p75, 88.4 % to
# the median, 90.7 % to p90 (which lands on the band's edge), 72.6 % untouched.
_WIDTH_LOW = 1.90
_WIDTH_TARGET = 2.49
_WIDTH_ERODED = 2.92
_WIDTH_HIGH = 3.42


def _ink_box(ink: np.ndarray) -> tuple[slice, slice] | None:
    """Bounding box of the ink at or above `_FAINT`, plus its anti-aliased rim.

    The rim (one pixel of fainter ink just outside) belongs to the digit: on a
    28 px MNIST image it is 5 % of the box, and MNIST's boxes include it.
    None when fewer than `_MIN_PIXELS` pixels reach `_FAINT`: a speck or
    faint noise, not a digit.
    """
    # Rows first, by their peaks (one pass that never allocates the image
    # again), then columns of the rows that hold ink, then the count of
    # strong pixels inside the box: the same box as thresholding the whole
    # image, for a fraction of the work on a big canvas. fmax skips NaN.
    rows = np.flatnonzero(np.fmax.reduce(ink, axis=1) >= _FAINT)
    if rows.size == 0:
        return None
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    band = ink[top:bottom]
    cols = np.flatnonzero(np.fmax.reduce(band, axis=0) >= _FAINT)
    left, right = int(cols[0]), int(cols[-1]) + 1
    if np.count_nonzero(band[:, left:right] >= _FAINT) < _MIN_PIXELS:
        return None
    if top > 0 and ink[top - 1, left:right].any():
        top -= 1
    if bottom < ink.shape[0] and ink[bottom, left:right].any():
        bottom += 1
    if left > 0 and ink[top:bottom, left - 1].any():
        left -= 1
    if right < ink.shape[1] and ink[top:bottom, right].any():
        right += 1
    return slice(top, bottom), slice(left, right)


def stroke_width(ink20: np.ndarray) -> float:
    """Estimate the stroke width of a digit, in pixels of its own image.

    The width of a long stroke is twice its area over its perimeter,
    ``2 * A / P``: ink mass ``A`` over the total variation ``P`` (the sum of
    the gradient magnitude, taken on the pixel corners so a one-pixel line
    still has two edges). Anti-aliasing and blur leave both unchanged, so the
    estimate works on grey images and at any resolution; it scales with the
    image, so divide by the box size to compare digits drawn at different
    sizes. Stroke ends and crossings make it read somewhat below the pen width.

    Parameters
    ----------
    ink20 : np.ndarray
        2-D ink image (0 = paper, 1 = full ink), typically the digit in its
        20 px box (e.g. an MNIST image divided by 255).

    Returns
    -------
    float
        The estimated width in pixels; 0.0 for an image without ink.

    Raises
    ------
    ValueError
        If `ink20` is not a 2-D array.
    """
    # float32 in, float32 arithmetic: this runs on every preprocessed drawing.
    a = np.asarray(ink20, dtype=np.result_type(ink20, np.float32))
    if a.ndim != 2:
        raise ValueError(f"stroke_width needs a 2-D ink image, got shape {a.shape}")
    p = np.zeros((a.shape[0] + 2, a.shape[1] + 2), dtype=a.dtype)
    p[1:-1, 1:-1] = a
    dx = np.diff(p, axis=1)
    dy = np.diff(p, axis=0)
    gx = (dx[1:] + dx[:-1]) * 0.5
    gy = (dy[:, 1:] + dy[:, :-1]) * 0.5
    perimeter = float(np.sqrt(gx * gx + gy * gy).sum())
    return 2.0 * float(a.sum()) / perimeter if perimeter > 0.0 else 0.0


def _disc_filter(image: np.ndarray, radius: int, op: np.ufunc) -> np.ndarray:
    """Grey dilation (``np.maximum``) or erosion (``np.minimum``) by a disc.

    The disc is an octagon, a square of half-side ``0.41 * radius`` summed
    with a diamond of the remaining radius, which reaches `radius` both along
    the axes and the diagonals. Both are built from 3x3 steps on shifted
    slices, so the cost is ~4 * radius array operations. The image is padded
    by `radius` with paper, so a dilated stroke is not cut and an eroded one
    is worn from outside the box too.
    """
    a = np.zeros(
        (image.shape[0] + 2 * radius, image.shape[1] + 2 * radius), dtype=image.dtype
    )
    a[radius : radius + image.shape[0], radius : radius + image.shape[1]] = image
    square_steps = round(radius * (np.sqrt(2.0) - 1.0))
    for step in range(radius):
        b = a.copy()
        op(b[1:], a[:-1], out=b[1:])
        op(b[:-1], a[1:], out=b[:-1])
        # A square step widens the vertical 3-window sideways; a diamond
        # (cross) step takes the sideways neighbours of the original instead.
        source = b.copy() if step < square_steps else a
        op(b[:, 1:], source[:, :-1], out=b[:, 1:])
        op(b[:, :-1], source[:, 1:], out=b[:, :-1])
        a = b
    return a


def _normalise_stroke(work: np.ndarray) -> np.ndarray | None:
    """Bring a digit's stroke width into MNIST's band, or None if it is there.

    `work` is the cropped digit with its larger side `_WORK` px. A thin
    stroke is dilated to MNIST's median width, a thick one eroded to its p75
    (see `_WIDTH_ERODED`). Filtering by radius ``r`` changes the stroke width
    by ``2r`` but also the box, which the final scaling brings back to 20 px;
    ``r`` is chosen so the width lands on its target after that scaling.
    """
    width = stroke_width(work) * _BOX / _WORK
    if _WIDTH_LOW <= width <= _WIDTH_HIGH:
        return None
    thin = width < _WIDTH_LOW
    target = (_WIDTH_TARGET if thin else _WIDTH_ERODED) * _WORK / _BOX
    # (w +- 2r) * _WORK / (_WORK +- 2r) = target, solved for r.
    radius = round(abs(target - width * _WORK / _BOX) / (2.0 - 2.0 * target / _WORK))
    if radius == 0:
        return None
    filtered = _disc_filter(work, radius, np.maximum if thin else np.minimum)
    box = _ink_box(filtered)
    return None if box is None else filtered[box]


def _place(digit: np.ndarray) -> np.ndarray:
    """Scale a cropped digit into the 20 px box, centre its mass, pad to 32."""
    height, width = digit.shape
    scale = _BOX / max(height, width)
    mass = digit.sum(dtype=np.float64)
    centre_y = digit.sum(axis=1, dtype=np.float64) @ (np.arange(height) + 0.5) / mass
    centre_x = digit.sum(axis=0, dtype=np.float64) @ (np.arange(width) + 0.5) / mass
    rows = taps(height, _FIELD, scale, _MASS_CENTRE - scale * centre_y)
    cols = taps(width, _FIELD, scale, _MASS_CENTRE - scale * centre_x)
    field = resample(digit, rows, cols)
    # np.clip's own ufuncs, without its wrappers: the same numbers.
    np.minimum(np.maximum(field, 0.0, out=field), 1.0, out=field)
    out = np.full((INPUT_SIZE, INPUT_SIZE), BACKGROUND, dtype=np.float32)
    margin = _MARGIN
    out[margin:-margin, margin:-margin] = BACKGROUND + field * (INK - BACKGROUND)
    return np.minimum(
        np.maximum(out, np.float32(BACKGROUND), out=out), np.float32(INK), out=out
    )


def preprocess(
    image: np.ndarray, *, normalize_stroke: bool = True
) -> np.ndarray | None:
    """Turn a drawn or loaded digit into LeNet-5's input, as MNIST was made.

    Steps: read the image as ink (:func:`to_ink`); crop to the bounding box of
    the ink (faint noise below 0.2 ignored, its anti-aliased rim kept); scale
    the ink so its peak is full ink (MNIST's source digits were binary);
    optionally normalise the stroke width (below); scale so the larger side is
    20 px keeping the aspect ratio (area averaging when shrinking, bilinear
    when enlarging); place in 28x28 with the centre of mass at pixel (14, 14)
    as in MNIST; pad to 32x32.

    The centre of mass is placed to a fraction of a pixel, folded into the
    scaling so no extra interpolation blurs the digit; MNIST shifted by whole
    pixels, but a fractional shift keeps the input steady while the person
    draws instead of jumping by a pixel.

    Stroke normalisation: after scaling to 20 px, a big digit drawn with a thin
    pen has much thinner strokes than MNIST, and a small one drawn with a thick
    pen much thicker ones; LeNet-5 misreads both. The width is measured with
    :func:`stroke_width` at 4x the final scale. Below MNIST's p10 the digit is
    dilated with a disc to MNIST's median width, above its p90 eroded to its
    p75 (eroding further eats the digit's shape). Digits inside the band,
    most of MNIST's own, are left untouched.

    Parameters
    ----------
    image : np.ndarray
        2-D array of any size and real dtype, either polarity (see
        :func:`to_ink`), e.g. the 448x448 uint8 canvas.
    normalize_stroke : bool, default True
        Bring the stroke width into MNIST's band. Off, only size and position
        are normalised.

    Returns
    -------
    np.ndarray or None
        (32, 32) float32 in [BACKGROUND, INK], background exactly BACKGROUND;
        None when there is no digit: fewer than 4 pixels of the image reach
        an ink level of 0.2 (blank, constant, faint or a mere speck).

    Raises
    ------
    ValueError
        If `image` is not 2-D, is empty, or does not hold real numbers.
    """
    return preprocess_ink(to_ink(image), normalize_stroke=normalize_stroke)


def preprocess_ink(
    ink: np.ndarray, *, normalize_stroke: bool = True
) -> np.ndarray | None:
    """Do :func:`preprocess`'s work on an image already read as ink.

    `ink` is float ink in [0, 1], 0 paper (what :func:`to_ink` gives):
    ``preprocess(image)`` is ``preprocess_ink(to_ink(image))``. For parts
    cut out of one drawing, which need reading as ink only once.
    """
    box = _ink_box(ink)
    if box is None:
        return None
    crop = ink[box]
    peak = float(crop.max())
    height, width = crop.shape
    longest = max(height, width)
    if longest <= _WORK and not normalize_stroke:
        return _place(crop / peak)
    # Ceiling division, so the last, partly covered row and column stay.
    size = (-(-height * _WORK // longest), -(-width * _WORK // longest))
    # Full ink is 1, as in MNIST's binary source digits. Dividing after the
    # scaling touches 80x80 pixels instead of a whole crop of the canvas.
    work = scaled(crop, _WORK / longest, size)
    work *= np.float32(1.0 / peak)
    normalised = _normalise_stroke(work) if normalize_stroke else None
    if normalised is not None:
        return _place(normalised)
    if longest > _WORK:
        # Shrinking the working image by 4 is as sharp as shrinking the crop,
        # and far cheaper than a second pass over a big crop.
        return _place(work)
    # A small crop is placed directly: enlarging to the working size and
    # shrinking again would blur it (an MNIST image would not pass unchanged).
    return _place(crop / peak)


def from_mnist(images: np.ndarray) -> np.ndarray:
    """Turn a batch of MNIST images into network inputs.

    MNIST is already size-normalised and centred, so this only pads by 2 px
    and maps 0..255 to BACKGROUND..INK.

    Parameters
    ----------
    images : np.ndarray
        (N, 28, 28) uint8 MNIST images.

    Returns
    -------
    np.ndarray
        (N, 32, 32) float32 in [BACKGROUND, INK].

    Raises
    ------
    ValueError
        If `images` is not a uint8 array of shape (N, 28, 28).
    """
    images = np.asarray(images)
    side = (MNIST_SIDE, MNIST_SIDE)
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != side:
        raise ValueError(
            f"from_mnist needs (N, {MNIST_SIDE}, {MNIST_SIDE}) uint8 MNIST images, "
            f"got {images.dtype} {images.shape}"
        )
    # A lookup table in float64 makes 0 and 255 land exactly on the two levels.
    levels = (BACKGROUND + np.arange(256) / 255.0 * (INK - BACKGROUND)).astype(
        np.float32
    )
    out = np.full(
        (images.shape[0], INPUT_SIZE, INPUT_SIZE), levels[0], dtype=np.float32
    )
    margin = _MARGIN
    out[:, margin:-margin, margin:-margin] = levels[images]
    return out
