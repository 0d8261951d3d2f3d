"""Read any 2-D image as ink on paper: levels, polarity and the paper's level.

:func:`to_ink` is the one reading every image goes through before anything
else looks at it: the MNIST-style preprocessing
(:mod:`lenet_gui.imaging.preprocess`) and the cleaning of photos
(:mod:`lenet_gui.imaging.photo`). The latter also needs the levels before
polarity is decided, so the two halves of ``to_ink`` are public too:
:func:`read_levels` (dtype to levels in [0, 1]) and :func:`ink_from_levels`
(paper to 0, full ink to 1).

Only numpy is used here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ink_from_levels", "read_levels", "to_ink"]


def _check_image(a: np.ndarray) -> None:
    """Raise ValueError unless `a` can be read as a 2-D image of real numbers."""
    if a.dtype.kind not in "biuf":
        raise ValueError(
            f"an image must hold real numbers (bool, integer or float), not {a.dtype}"
        )
    if a.ndim != 2:
        raise ValueError(
            f"an image must be a 2-D array (height, width), got shape {a.shape}; "
            f"convert colour images to grey first"
        )
    if a.size == 0:
        raise ValueError(f"an image must not be empty, got shape {a.shape}")


def _border(x: np.ndarray) -> np.ndarray:
    """Return the outermost rows and columns of `x`, each pixel once."""
    if min(x.shape) <= 2:
        return x.ravel()
    return np.concatenate([x[0], x[-1], x[1:-1, 0], x[1:-1, -1]])


def _float_levels(a: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, float, float]:
    """Map a float or non-image-integer array to [0, 1] by its values.

    Returns
    -------
    levels : np.ndarray
        Float64 levels; NaN pixels stay NaN.
    nan : np.ndarray or None
        Mask of the NaN pixels, None if there are none.
    lo, hi : float
        Lowest and highest level of the non-NaN pixels (both 0 if there are
        none).
    """
    x = a.astype(np.float64)
    finite = x[np.isfinite(x)]
    # +-inf are clipped to the finite range; an image of nothing but infinities
    # is read as saturated ink (+inf) on paper (-inf).
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    np.clip(x, lo, hi, out=x)
    nan_pixels = np.isnan(x)
    known = x[~nan_pixels]
    if known.size == 0:
        return x, nan_pixels, 0.0, 0.0
    lo, hi = float(known.min()), float(known.max())
    nan = nan_pixels if nan_pixels.any() else None
    if hi == lo or (lo >= 0.0 and hi <= 1.0):
        return x, nan, lo, hi
    if lo >= 0.0 and hi <= 255.0:
        x /= 255.0
        return x, nan, lo / 255.0, hi / 255.0
    # A range wider than float64's maximum (hi - lo is then inf) is halved
    # first; a narrower one is not, as halving a tiny range can round it to 0.
    half = 0.5 if hi - lo == np.inf else 1.0
    x = (x * half - lo * half) / (hi * half - lo * half)
    np.clip(x, 0.0, 1.0, out=x)
    return x, nan, 0.0, 1.0


def read_levels(
    image: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None, float, float]:
    """Check an image and read its levels in [0, 1], as :func:`to_ink` documents.

    Parameters
    ----------
    image : np.ndarray
        The image, as :func:`to_ink` takes it.

    Returns
    -------
    levels : np.ndarray
        Float32 (bool, uint8, uint16) or float64 levels; NaN pixels stay NaN.
    nan : np.ndarray or None
        Mask of the NaN pixels, None if there are none.
    lo, hi : float
        Lowest and highest level of the non-NaN pixels.

    Raises
    ------
    ValueError
        If `image` is not 2-D, is empty, or does not hold real numbers.
    """
    a = np.asarray(image)
    _check_image(a)
    if a.dtype.kind == "b" or a.dtype in (np.uint8, np.uint16):
        full = 1.0 if a.dtype.kind == "b" else float(np.iinfo(a.dtype).max)
        # Extremes of the raw integers cost a fraction of the float pass.
        lo, hi = float(a.min()) / full, float(a.max()) / full
        if full != 1.0:
            # Converted and scaled in one pass: the numbers of astype then *=.
            x = np.multiply(a, np.float32(1.0 / full), dtype=np.float32)
        else:
            x = a.astype(np.float32)
        return x, None, lo, hi
    return _float_levels(a)


def _paper_level(x: np.ndarray, nan: np.ndarray | None, lo: float) -> float:
    """Return the paper's level: the median of the image's frame, NaN left out."""
    border = _border(x)
    if nan is not None:
        border = border[~np.isnan(border)]
    return float(np.median(border)) if border.size else lo


def to_ink(image: np.ndarray) -> np.ndarray:
    """Read any 2-D image as ink on paper: float32, 0 = paper, 1 = full ink.

    Levels are read from the dtype where it says what they mean: uint8 by 255,
    uint16 by 65535, bool as 0/1. Other integers (a plain ``np.array`` of
    Python ints is int64, whatever its values) and floats are read by their
    values: within [0, 1] as is, within [0, 255] divided by 255, anything else
    stretched from its minimum to its maximum. NaN is paper; +-inf are clipped
    to the finite range.

    Polarity and paper level come from the one-pixel frame of outermost rows
    and columns: paper fills most of it even when a stroke touches the edge,
    so its median (NaN left out) is the paper's level. If that median is
    nearer the image's maximum than its minimum, the paper is light and the
    ink dark (a scan, a black-on-white PNG), and the image is inverted. The
    paper level is then mapped to 0 and pure ink to 1, so grey paper becomes
    clean background without stretching a faint mark into a bold one.

    Parameters
    ----------
    image : np.ndarray
        2-D array of any size and real dtype.

    Returns
    -------
    np.ndarray
        Float32 array of the same shape, values in [0, 1]. All zeros when the
        image is constant (or all NaN): a constant image holds no mark.

    Raises
    ------
    ValueError
        If `image` is not 2-D, is empty, or does not hold real numbers.
    """
    return ink_from_levels(*read_levels(image))


def ink_from_levels(
    x: np.ndarray, nan: np.ndarray | None, lo: float, hi: float
) -> np.ndarray:
    """Map levels read by :func:`read_levels` to ink, as :func:`to_ink` does.

    ``to_ink(image)`` is ``ink_from_levels(*read_levels(image))``.

    Parameters
    ----------
    x : np.ndarray
        The levels in [0, 1], NaN where `nan` is set. It may be changed in
        place and returned, not copied.
    nan : np.ndarray or None
        Mask of the NaN pixels, None if there are none.
    lo, hi : float
        Lowest and highest level of the non-NaN pixels.

    Returns
    -------
    np.ndarray
        Float32 ink of the same shape, 0 = paper, 1 = full ink; all zeros
        when ``hi <= lo``.
    """
    if hi <= lo:
        return np.zeros(x.shape, dtype=np.float32)
    paper = _paper_level(x, nan, lo)
    if paper - lo > hi - paper:
        # Light paper, dark ink: black (0) is full ink. Clipping at the paper
        # level keeps the quotient in [0, 1] however close to 0 the paper is.
        x = paper - x
        if paper < hi:
            np.maximum(x, 0.0, out=x)
        if paper != 1.0:
            x /= paper
    elif paper > 0.0:
        x = x - paper
        np.maximum(x, 0.0, out=x)
        x /= 1.0 - paper
    if nan is not None:
        x[nan] = 0.0
    return x.astype(np.float32, copy=False)
