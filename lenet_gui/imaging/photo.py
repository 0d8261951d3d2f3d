"""Ink of a loaded image: photos and scans of digits written on paper.

A clean image (a drawing saved by this app, a black-on-white PNG) is read by
:func:`~lenet_gui.imaging.ink_levels.to_ink` alone. A photo or a scan is not
clean: the paper is grey and unevenly lit, there is noise, perhaps ruled
lines, and ``to_ink`` would read the shading as faint ink, so the crop would
take in the whole gradient and the digit would shrink into a corner of the
network input. :func:`extract_ink` therefore

1. tells a clean image from a photo: in a clean one, every pixel that is
   not paper lies close to the ink and no printed line crosses it; it is
   returned as ``to_ink`` reads it, unchanged;
2. estimates the paper's brightness everywhere, on a small copy (a
   morphological closing just wider than the ink, and the paper pixels
   averaged; the smaller of the two), and divides it out, so lighting
   gradients, vignetting and shadows vanish and ink is what is darker than
   the paper around it;
3. separates ink from paper by Otsu's threshold on the normalised image,
   never below what the paper's own noise reaches, with hysteresis;
4. removes printed lines that run across the whole picture (ruled or
   squared paper, a margin line), keeping where a stroke crosses them and
   any "line" that is really a stroke (thicker than print, or thicker or
   darker than the other lines, or as thick and dark as the strokes);
5. keeps the digit: the main connected piece and those close to it, not
   specks, shadow edges along the border or marks elsewhere on the page;
6. returns the kept ink with its soft edges, paper exactly 0, cropped to
   the digit with a margin.

Steps 2-5 run on a copy at most ``_ANALYSIS_SIDE`` pixels long; only the
final ink is computed at the image's own resolution. Step 4 is
:mod:`lenet_gui.imaging.photo_lines`, step 5
:mod:`lenet_gui.imaging.photo_pieces`; the closings and box filters are
:mod:`lenet_gui.imaging.square_filters`. Only numpy is used.
"""

from __future__ import annotations

import numpy as np

from lenet_gui.imaging.ink_levels import ink_from_levels, read_levels, to_ink
from lenet_gui.imaging.photo_lines import find_lines, remove_lines
from lenet_gui.imaging.photo_pieces import digit_pieces
from lenet_gui.imaging.resampling import scaled
from lenet_gui.imaging.square_filters import box_any, box_mean, max_filter, min_filter

__all__ = ["extract_ink", "is_clean"]

# Longer side of the copy on which ink is found (a photo's digit keeps strokes
# several pixels wide there, and a pass over it costs a few milliseconds).
_ANALYSIS_SIDE = 512
# Longer side of the copy on which the paper's brightness is estimated.
_BACKGROUND_SIDE = 256
# Radius of the closing that removes the ink from that copy, as a fraction of
# its longer side: wider than a marker's stroke on a digit filling the frame.
_CLOSING_RADIUS = 0.10
# Radius of the box (applied twice) averaging the paper pixels, likewise.
_SMOOTHING_RADIUS = 0.04
# Clean-image test: ink levels above _STRAY that lie farther than _NEAR pixels
# from ink of at least 0.2 are stray (shading, noise); a clean image has at
# most _STRAY_FRACTION of its pixels stray.
_STRAY = 0.05
_NEAR = 8
_STRAY_FRACTION = 5e-4
# The ink threshold is at least this far above the paper, and at least
# _NOISE_SIGMAS times the paper's noise above it.
_MIN_CONTRAST = 0.06
_NOISE_SIGMAS = 5.0
# Margin around the kept ink, as a fraction of its bounding box's longer side.
_MARGIN = 0.15


def is_clean(image: np.ndarray) -> bool:
    """Whether an image is a clean digit: flat paper, nothing stray on it.

    The image is read by :func:`~lenet_gui.imaging.ink_levels.to_ink`; pixels
    above a faint ink level that lie far from the ink proper (shading,
    gradients, noise, ruled lines far from the digit) are stray. A drawing
    saved by the app, a black-on-white PNG or a clean scan has (almost)
    none.

    Parameters
    ----------
    image : np.ndarray
        2-D array of any size and real dtype, either polarity.

    Returns
    -------
    bool
        True when at most a tiny fraction of the pixels are stray.

    Raises
    ------
    ValueError
        If `image` is not 2-D, is empty, or does not hold real numbers.
    """
    return _is_clean_ink(to_ink(image))


def _is_clean_ink(ink: np.ndarray) -> bool:
    """Whether `to_ink`'s reading is clean: nothing stray, no printed line."""
    near = box_any(ink >= 0.2, _NEAR)
    stray = (ink > _STRAY) & ~near
    if np.count_nonzero(stray) > _STRAY_FRACTION * ink.size:
        return False
    small = _resize(ink, min(1.0, _ANALYSIS_SIDE / max(ink.shape)))
    mask = small >= 0.2
    return not (
        find_lines(mask, small)[0].any() or find_lines(mask.T, small.T)[0].any()
    )


def extract_ink(image: np.ndarray) -> np.ndarray:
    """Read a loaded image as ink on paper, cleaning photos and scans.

    A clean image gives exactly :func:`~lenet_gui.imaging.ink_levels.to_ink`
    of it. Any other image is read as a photo of ink on paper (see the
    module's description): the paper's uneven light is divided out, ink is
    separated from paper adaptively, printed lines and specks are removed,
    and the digit is returned cropped with a margin.

    Polarity: a clean image's comes from its frame, as ``to_ink`` reads it.
    A photo's frame may lie in a shadow, so its polarity comes from the
    whole picture: the paper is most of it, so the median is the paper's
    level, and the ink lies on the side of the median that reaches farther.

    Parameters
    ----------
    image : np.ndarray
        2-D array of any size and real dtype (as ``to_ink`` takes it), e.g.
        :func:`lenet_gui.drawing.image_file.read_image`'s grey levels.

    Returns
    -------
    np.ndarray
        2-D float32 ink in [0, 1], 0 paper and 1 full ink: for a clean image
        ``to_ink(image)``; for a photo the kept ink, cropped to it with a
        margin, or all zeros of the image's shape when no ink is found.

    Raises
    ------
    ValueError
        If `image` is not 2-D, is empty, or does not hold real numbers.
    """
    levels, nan, lo, hi = read_levels(image)
    ink = ink_from_levels(levels, nan, lo, hi)
    if _is_clean_ink(ink):
        return ink
    grey = _lightness(levels, nan, lo, hi)
    if grey is None:
        return np.zeros(ink.shape, dtype=np.float32)
    kept = _photo_ink(grey)
    return np.zeros(ink.shape, dtype=np.float32) if kept is None else kept


def _lightness(
    levels: np.ndarray, nan: np.ndarray | None, lo: float, hi: float
) -> np.ndarray | None:
    """Float32 levels, NaN as the paper's level; None if constant."""
    if hi <= lo:
        return None
    x = np.asarray(levels, dtype=np.float32)
    if nan is not None:
        x = x.copy()
        x[nan] = np.median(x[~nan])
    return x


def _ink_is_light(small: np.ndarray) -> bool:
    """Whether a photo's marks are lighter than its paper (chalk on a board).

    The paper is most of the picture, so its median is the paper's level;
    the ink lies on the side of it that reaches farther (the 0.5th and
    99.5th percentiles, so that a few stray pixels do not decide).
    """
    sample = small[:: max(1, small.shape[0] // 256), :: max(1, small.shape[1] // 256)]
    low, paper, high = np.percentile(sample, [0.5, 50.0, 99.5])
    return bool(high - paper > paper - low)


def _photo_ink(grey: np.ndarray) -> np.ndarray | None:
    """Run steps 2-6 of the module's description; None when no ink is found."""
    height, width = grey.shape
    scale = min(1.0, _ANALYSIS_SIDE / max(height, width))
    small = _resize(grey, scale)
    # From here on the paper is light and the ink dark.
    lightness = grey
    if _ink_is_light(small):
        lightness, small = 1.0 - grey, 1.0 - small
    paper = _paper_brightness(small)
    darkness = 1.0 - small / paper
    smooth = box_mean(darkness, 1)
    threshold, floor = _threshold(smooth)
    # Hysteresis: ink is what is darker than `low` and connected to what is
    # darker than `threshold`, so grainy pencil stays whole and faint noise,
    # which reaches `low` but rarely `threshold`, goes.
    low = 0.5 * (floor + threshold)
    mask = smooth > low
    if np.count_nonzero(mask) < 4:
        return None
    pieces = digit_pieces(remove_lines(mask, smooth), smooth > threshold)
    if pieces is None:
        return None
    level = float(np.percentile(smooth[pieces], 80.0))
    if level <= floor:
        return None

    # The ink at full resolution: darkness against the paper's brightness
    # enlarged, a soft ramp from between paper and threshold up to the ink's
    # level, kept only on and right around the pieces kept.
    full_paper = _enlarge(paper, (height, width))
    full = 1.0 - lightness / full_paper
    full = box_mean(full, 1)
    ink = np.clip((full - low) / (level - low), 0.0, 1.0)
    keep = box_any(pieces, 1)
    rows = np.minimum((np.arange(height) + 0.5) * scale, keep.shape[0] - 1)
    cols = np.minimum((np.arange(width) + 0.5) * scale, keep.shape[1] - 1)
    ink *= keep[rows.astype(np.intp)][:, cols.astype(np.intp)]
    return _crop(ink.astype(np.float32))


# --- step 2: the paper's brightness ---------------------------------------------------


def _paper_brightness(small: np.ndarray) -> np.ndarray:
    """Estimate the paper's brightness at each pixel of `small`, without the ink.

    On a copy ``_BACKGROUND_SIDE`` long, two estimates:

    * a closing (largest, then smallest value over a square wider than any
      stroke) removes everything darker than its surroundings; it keeps
      the sharp edge of a shadow, but overshoots where the light falls off
      fast (a vignetted corner);
    * the paper pixels alone (those not darker than the closing by the ink
      threshold, nor next to such), averaged over a smaller neighbourhood
      (a normalised convolution): it follows vignetting closely, but blurs
      a shadow's edge.

    Each errs by being too bright in its own places, and a too-bright paper
    would turn into false ink, so the smaller of the two is taken (the
    closing alone where too little paper is near, inside a thick blot of
    ink). The result is enlarged back, and never below 1/20 of the
    brightest paper, so the division by it stays bounded.
    """
    scale = min(1.0, _BACKGROUND_SIDE / max(small.shape))
    tiny = _resize(small, scale)
    widest = max(1, round(_CLOSING_RADIUS * max(tiny.shape)))
    closed = _closing(tiny, widest)
    darkness = 1.0 - tiny / np.maximum(closed, 1e-6)
    threshold, _ = _threshold(darkness)
    ink = darkness > threshold
    # The closing need only be wider than the ink; the narrower it is, the
    # closer it follows the light. Half the widest ink is how many 3x3
    # erosions wear (nearly) all of it away.
    radius = min(widest, round(1.5 * _half_width(ink)) + 2)
    if radius < widest:
        closed = _closing(tiny, radius)
        darkness = 1.0 - tiny / np.maximum(closed, 1e-6)
        ink = darkness > threshold
    paper = (~box_any(ink, 2)).astype(np.float32)
    reach = max(1, round(_SMOOTHING_RADIUS * max(tiny.shape)))
    weight = box_mean(box_mean(paper, reach), reach)
    total = box_mean(box_mean(tiny * paper, reach), reach)
    enough = weight > 0.05
    smooth = np.where(enough, total / np.where(enough, weight, 1.0), closed)
    estimate = _enlarge(np.minimum(closed, smooth), small.shape)
    return np.maximum(estimate, max(float(estimate.max()) / 20.0, 1e-6))


def _closing(image: np.ndarray, radius: int) -> np.ndarray:
    """Grey closing by a square (largest, then smallest value), lightly smoothed."""
    return box_mean(min_filter(max_filter(image, radius), radius), 1)


def _half_width(mask: np.ndarray) -> int:
    """Erosions by a 3x3 square until at most 2 % of the mask is left.

    Thin printed lines and specks go at once, strokes at half their width,
    blots (a loop filled in) last.
    """
    # Close pinholes first (pencil grain), so a grainy stroke wears as a whole.
    mask = ~box_any(~box_any(mask, 1), 1)
    total = np.count_nonzero(mask)
    steps = 0
    while np.count_nonzero(mask) > 0.02 * total:
        mask = ~box_any(~mask, 1)
        steps += 1
    return steps


def _resize(image: np.ndarray, scale: float) -> np.ndarray:
    """Shrink a 2-D image by `scale` <= 1, averaging the area of each pixel."""
    if scale >= 1.0:
        return image.astype(np.float32, copy=False)
    size = (
        max(1, round(image.shape[0] * scale)),
        max(1, round(image.shape[1] * scale)),
    )
    return scaled(image, scale, size).astype(np.float32, copy=False)


def _enlarge(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Stretch a 2-D image to `size` bilinearly between pixel centres.

    Beyond the outer pixel centres the edge value holds (no fade to 0): the
    paper's brightness goes on to the image's edge.
    """
    out = image.astype(np.float32, copy=False)
    for axis, n in enumerate(size):
        m = out.shape[axis]
        x = np.clip((np.arange(n) + 0.5) * (m / n) - 0.5, 0.0, m - 1.0)
        low = np.floor(x).astype(np.intp)
        high = np.minimum(low + 1, m - 1)
        frac = (x - low).astype(np.float32)
        if axis == 0:
            frac = frac[:, None]
        out = (
            np.take(out, low, axis=axis) * (1.0 - frac)
            + np.take(out, high, axis=axis) * frac
        )
    return out


# --- step 3: ink or paper -------------------------------------------------------------


def _threshold(darkness: np.ndarray) -> tuple[float, float]:
    """Return the ink threshold on normalised darkness and the paper's noise floor.

    The floor is the paper's median plus `_NOISE_SIGMAS` robust standard
    deviations (median absolute deviation) and at least `_MIN_CONTRAST`;
    the threshold is Otsu's over the whole histogram, never below the floor.
    """
    sample = darkness[
        :: max(1, darkness.shape[0] // 256), :: max(1, darkness.shape[1] // 256)
    ]
    median = float(np.median(sample))
    sigma = 1.4826 * float(np.median(np.abs(sample - median)))
    floor = median + max(_MIN_CONTRAST, _NOISE_SIGMAS * sigma)
    return max(_otsu(darkness), floor), floor


def _otsu(values: np.ndarray, bins: int = 256) -> float:
    """Return Otsu's threshold of values in [0, 1] (clipped).

    The split of the histogram with the largest between-class variance.
    """
    index = np.clip((values * bins).astype(np.intp), 0, bins - 1)
    counts = np.bincount(index.ravel(), minlength=bins).astype(np.float64)
    centres = (np.arange(bins) + 0.5) / bins
    weight = np.cumsum(counts)
    mass = np.cumsum(counts * centres)
    total, total_mass = weight[-1], mass[-1]
    below, above = weight[:-1], total - weight[:-1]
    valid = (below > 0) & (above > 0)
    mean_below = np.divide(mass[:-1], below, out=np.zeros(bins - 1), where=valid)
    mean_above = np.divide(
        total_mass - mass[:-1], above, out=np.zeros(bins - 1), where=valid
    )
    between = np.where(valid, below * above * (mean_below - mean_above) ** 2, -1.0)
    return float((np.argmax(between) + 1) / bins)


# --- step 6: the crop -----------------------------------------------------------------


def _crop(ink: np.ndarray) -> np.ndarray | None:
    """Crop the ink to its bounding box plus a `_MARGIN` of paper; None if blank."""
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    margin = int(np.ceil(_MARGIN * max(bottom - top, right - left)))
    out = np.zeros(
        (bottom - top + 2 * margin, right - left + 2 * margin), dtype=np.float32
    )
    out[margin:-margin, margin:-margin] = ink[top:bottom, left:right]
    return out
