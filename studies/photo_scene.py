"""Photo-like pictures of a digit written on paper, for the photo study.

A digit's ink (:mod:`studies.photo_ink`: pen trajectories drawn with a pen
of some width, or an MNIST digit enlarged) is laid on a sheet of paper and
photographed, in a simple physical model of what a phone camera or a scanner
does:

* **paper**: white, grey or cream, with a faint fibre texture; one picture in
  three on ruled paper (blue or grey lines, sometimes a red margin line,
  sometimes squared), the lines' spacing near the digit's height, so they
  cross it or run under it as on real exercise paper;
* **ink**: black, blue or pencil grey; ballpoint and pencil vary in density
  along the stroke, pencil is grainy;
* **the camera**: the sheet slightly rotated and seen in perspective; light
  falling off across the page (a gradient), vignetting, sometimes a soft
  shadow (a hand or a phone) and a colour cast; exposure; lens blur; sensor
  noise; JPEG at phone qualities. Half the pictures are colour, half grey.

Each factor's strength is drawn within one of three levels (``LEVELS``), so
the study can report accuracy by level. Only numpy and QtGui are used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QImage

from lenet_gui.imaging.resampling import resample, taps
from studies.photo_ink import zoom

__all__ = ["LEVELS", "Photo", "photograph", "save_photo"]

#: Names of the three strength levels of lighting and of noise.
LEVELS = ("mild", "moderate", "strong")

_LUMA = np.array([0.299, 0.587, 0.114])
# Colours as reflectances (0 absorbs all light, 1 reflects all).
_PAPERS = {
    "white": (0.93, 0.93, 0.93),
    "grey": (0.78, 0.78, 0.78),
    "cream": (0.95, 0.92, 0.83),
}
_INKS = {
    "black": (0.10, 0.10, 0.12),
    "blue": (0.12, 0.16, 0.48),
    "pencil": (0.38, 0.38, 0.40),
}
_LINE_COLOURS = {
    "blue": (0.55, 0.70, 0.92),
    "grey": (0.62, 0.62, 0.64),
}
_MARGIN_COLOUR = (0.88, 0.35, 0.38)


@dataclass(frozen=True)
class Photo:
    """One synthesised photograph and how it was made.

    Attributes
    ----------
    pixels : np.ndarray
        (height, width, 3) uint8 RGB, or (height, width) uint8 grey.
    paper : str
        ``"white"``, ``"grey"`` or ``"cream"``.
    ruling : str
        ``"plain"``, ``"ruled"`` (horizontal lines, perhaps a margin) or
        ``"squared"``.
    ink : str
        ``"black"``, ``"blue"`` or ``"pencil"``.
    lighting, noise : str
        Strength level of the lighting (gradient, vignette, shadow) and of
        the sensor noise and blur, one of :data:`LEVELS`.
    shadow : bool
        Whether a shadow falls across the page.
    quality : int
        JPEG quality the picture is to be saved with.
    rotation : float
        Rotation of the sheet, degrees.
    """

    pixels: np.ndarray
    paper: str
    ruling: str
    ink: str
    lighting: str
    noise: str
    shadow: bool
    quality: int
    rotation: float

    @property
    def colour(self) -> bool:
        """Whether the picture is RGB rather than grey."""
        return self.pixels.ndim == 3


# --- the photograph -------------------------------------------------------------------


def photograph(
    ink: np.ndarray,
    rng: np.random.Generator,
    *,
    size: tuple[int, int] | None = None,
    digit_fraction: float | None = None,
    ruled: bool | None = None,
    colour: bool | None = None,
    pen_kind: str | None = None,
) -> Photo:
    """Lay a digit's ink on paper and photograph it.

    The scene is computed in the picture's own pixels: each pixel is traced
    back through the camera's projection to a point of the sheet, where the
    paper, the lines and the ink are looked up; light, blur and noise follow.

    Parameters
    ----------
    ink : np.ndarray
        2-D coverage in [0, 1] of the digit, e.g. from
        :func:`~studies.photo_ink.ink_from_strokes`.
    rng : numpy.random.Generator
        Source of every random choice.
    size : (int, int), optional
        (height, width) of the picture; by default its longer side is
        600-1500 px, in 4:3, 3:4 or 1:1.
    digit_fraction : float, optional
        Height of the ink image as a fraction of the picture's shorter side;
        random in 0.25-0.70 by default.
    ruled : bool, optional
        Ruled or squared paper; one time in three by default.
    colour : bool, optional
        RGB rather than grey; one time in two by default.
    pen_kind : str, optional
        ``"black"``, ``"blue"`` or ``"pencil"``; random by default.

    Returns
    -------
    Photo
        The picture and its conditions.
    """
    if size is None:
        longer = int(rng.uniform(600, 1500))
        shorter = int(longer / rng.choice([4 / 3, 1.0]))
        size = (longer, shorter) if rng.random() < 0.5 else (shorter, longer)
    height, width = size
    frame = min(height, width)
    if digit_fraction is None:
        digit_fraction = rng.uniform(0.25, 0.70)
    if ruled is None:
        ruled = rng.random() < 1 / 3
    if colour is None:
        colour = rng.random() < 0.5
    if pen_kind is None:
        pen_kind = str(rng.choice(list(_INKS), p=[0.45, 0.35, 0.20]))
    lighting = LEVELS[rng.integers(3)]
    noise = LEVELS[rng.integers(3)]
    paper_kind = str(rng.choice(list(_PAPERS), p=[0.5, 0.25, 0.25]))

    # Sheet coordinates of every pixel: the sheet's origin at the frame's
    # centre, the frame rotated and in slight perspective on it.
    rotation = float(rng.uniform(-6.0, 6.0))
    u, v = _camera_view((height, width), rotation, rng)
    reflectance = _paper((height, width), paper_kind, rng)
    ruling = "plain"
    if ruled:
        ruling = _rule(reflectance, u, v, digit_fraction * frame, frame, rng)
    digit_height = digit_fraction * frame
    layer = _ink_density(zoom(ink, digit_height / ink.shape[0]), pen_kind, rng)
    # The digit's centre lands within 12 % of the frame from its centre.
    centre = rng.uniform(-0.12, 0.12, 2) * [width, height]
    rows = v - centre[1] + layer.shape[0] / 2
    cols = u - centre[0] + layer.shape[1] / 2
    coverage = _sample_inside(layer, rows, cols)
    absorbed = 1.0 - np.asarray(_INKS[pen_kind], dtype=np.float32)
    reflectance *= 1.0 - coverage[..., None] * absorbed

    strength = LEVELS.index(lighting)
    light = _illumination((height, width), strength, rng)
    shadow = strength > 0 and rng.random() < (0.3, 0.6)[strength - 1]
    if shadow:
        light *= _shadow((height, width), strength, rng)
    cast = rng.uniform(0.75, 1.08) * (1.0 + rng.uniform(-0.04, 0.04, 3))
    picture = reflectance * light[..., None] * cast.astype(np.float32)
    if not colour:
        picture = picture @ _LUMA.astype(np.float32)
    level = LEVELS.index(noise)
    picture = _blur(
        picture, rng.uniform((0.0, 0.6, 1.0)[level], (0.8, 1.4, 2.2)[level])
    )
    sigma = rng.uniform((0.003, 0.010, 0.025)[level], (0.010, 0.025, 0.050)[level])
    # Shot noise grows with the light collected, read noise does not.
    picture += (
        rng.standard_normal(picture.shape, dtype=np.float32)
        * np.float32(sigma)
        * np.sqrt(0.3 + np.maximum(picture, 0.0))
    )
    pixels = np.clip(np.rint(255.0 * picture), 0, 255).astype(np.uint8)
    quality = int(rng.choice([60, 70, 75, 80, 85, 90, 95]))
    return Photo(
        pixels,
        paper_kind,
        ruling,
        pen_kind,
        lighting,
        noise,
        bool(shadow),
        quality,
        rotation,
    )


def save_photo(photo: Photo, path: str) -> None:
    """Write a photo as a JPEG at its quality.

    Raises
    ------
    OSError
        If Qt cannot write the file.
    """
    pixels = np.ascontiguousarray(photo.pixels)
    if photo.colour:
        height, width, _ = pixels.shape
        image = QImage(
            pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888
        )
    else:
        height, width = pixels.shape
        image = QImage(
            pixels.data, width, height, width, QImage.Format.Format_Grayscale8
        )
    if not image.save(path, "JPEG", photo.quality):
        raise OSError(f"Qt could not write {path}")


# --- pieces ---------------------------------------------------------------------------


def _blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur over the first two axes, edges extended."""
    if sigma < 0.3:
        return image
    radius = int(np.ceil(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel = (kernel / kernel.sum()).astype(np.float32)
    for axis in (0, 1):
        pad = [(0, 0)] * image.ndim
        pad[axis] = (radius, radius)
        padded = np.pad(image, pad, mode="edge")
        out = np.zeros_like(image)
        n = image.shape[axis]
        for k, weight in enumerate(kernel):
            window = [slice(None)] * image.ndim
            window[axis] = slice(k, k + n)
            out += weight * padded[tuple(window)]
        image = out
    return image


def _smooth_field(shape: tuple[int, int], scale: float, rng) -> np.ndarray:
    """Smooth random float32 field of unit spread, features about `scale` px wide."""
    coarse = (
        max(2, int(shape[0] / scale) + 2),
        max(2, int(shape[1] / scale) + 2),
    )
    field = rng.normal(0.0, 1.0, coarse).astype(np.float32)
    out = resample(field, *map(_spread, coarse, shape))
    return (out - out.mean()) / (out.std() + 1e-9)


def _spread(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Taps enlarging `n_in` pixels bilinearly to `n_out` between the outer ones.

    Output pixel centres run evenly from the centre of the second input pixel
    to that of the last but one, so that every output pixel lies between two
    input pixels (:func:`~lenet_gui.imaging.resampling.taps`).
    """
    scale = max(n_out - 1, 1) / max(n_in - 2, 1)
    return taps(n_in, n_out, scale, 0.5 - scale)


def _sample_inside(image: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Bilinear samples of a 2-D image at pixel centres, 0 outside it.

    The camera's projection takes each picture pixel to a point of the sheet
    anywhere between the ink's pixels, so the ink is looked up point by point
    here rather than resampled row by row.
    """
    out = np.zeros(rows.shape, dtype=np.float32)
    inside = (
        (rows > -1) & (rows < image.shape[0]) & (cols > -1) & (cols < image.shape[1])
    )
    if not inside.any():
        return out
    r = np.flatnonzero(inside.any(axis=1))
    c = np.flatnonzero(inside.any(axis=0))
    box = (slice(r[0], r[-1] + 1), slice(c[0], c[-1] + 1))
    padded = np.pad(image, 1)
    ys = np.clip(rows[box] + 0.5, 0.0, padded.shape[0] - 1.0)
    xs = np.clip(cols[box] + 0.5, 0.0, padded.shape[1] - 1.0)
    y0 = np.minimum(ys.astype(np.intp), padded.shape[0] - 2)
    x0 = np.minimum(xs.astype(np.intp), padded.shape[1] - 2)
    fy, fx = ys - y0, xs - x0
    top = padded[y0, x0] * (1 - fx) + padded[y0, x0 + 1] * fx
    bottom = padded[y0 + 1, x0] * (1 - fx) + padded[y0 + 1, x0 + 1] * fx
    out[box] = top * (1 - fy) + bottom * fy
    return out


def _paper(size: tuple[int, int], kind: str, rng) -> np.ndarray:
    """Return a faintly textured sheet of paper's reflectance, (height, width, 3)."""
    base = np.asarray(_PAPERS[kind], dtype=np.float32) * rng.uniform(0.96, 1.03)
    texture = 1.0 + 0.008 * _smooth_field(size, 6.0, rng)
    texture += 0.01 * _smooth_field(size, max(size) / 4, rng)
    return np.clip(texture[..., None] * base, 0.0, 1.0)


def _line_profile(
    coordinate: np.ndarray, spacing: float, phase: float, thickness: float
) -> np.ndarray:
    """Coverage of evenly spaced anti-aliased lines across `coordinate`."""
    distance = np.abs((coordinate - phase + spacing / 2) % spacing - spacing / 2)
    return np.clip(thickness / 2 + 0.5 - distance, 0.0, 1.0)


def _rule(
    reflectance: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    digit_height: float,
    frame: int,
    rng,
) -> str:
    """Print ruled or squared lines on the paper in place; return which."""
    spacing = digit_height * rng.uniform(0.45, 1.1)
    thickness = frame * rng.uniform(0.0015, 0.004)
    colour = np.asarray(_LINE_COLOURS[str(rng.choice(list(_LINE_COLOURS)))])
    strength = rng.uniform(0.6, 1.0)
    absorbed = ((1.0 - colour) * strength).astype(np.float32)
    phase = rng.uniform(0.0, spacing)
    lines = _line_profile(v, spacing, phase, thickness)
    reflectance *= 1.0 - lines[..., None] * absorbed
    if rng.random() < 0.25:
        columns = _line_profile(u, spacing, rng.uniform(0.0, spacing), thickness)
        reflectance *= 1.0 - columns[..., None] * absorbed
        return "squared"
    if rng.random() < 0.4:
        # A margin line, off to one side of the digit.
        x = rng.choice([-1, 1]) * rng.uniform(0.3, 0.45) * frame
        margin = np.clip(thickness * 0.65 + 0.5 - np.abs(u - x), 0.0, 1.0)
        red = ((1.0 - np.asarray(_MARGIN_COLOUR)) * strength).astype(np.float32)
        reflectance *= 1.0 - margin[..., None] * red
    return "ruled"


def _ink_density(ink: np.ndarray, kind: str, rng) -> np.ndarray:
    """Coverage times the pen's varying density (ballpoint skips, pencil grain)."""
    shape = ink.shape
    if kind == "pencil":
        grain = 1.0 + 0.35 * _blur(rng.standard_normal(shape, dtype=np.float32), 0.8)
        density = rng.uniform(0.6, 0.9) * (1 + 0.1 * _smooth_field(shape, 20, rng))
        return np.clip(ink * density * grain, 0.0, 1.0)
    variation = 0.08 if kind == "black" else 0.12
    density = rng.uniform(0.85, 1.0) * (
        1 + variation * _smooth_field(shape, max(shape) / 6, rng)
    )
    return np.clip(ink * density, 0.0, 1.0)


def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """3x3 projective map taking four `src` points to four `dst` points."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    h = np.linalg.solve(np.asarray(rows, dtype=np.float64), dst.reshape(-1))
    return np.append(h, 1.0).reshape(3, 3)


def _camera_view(
    size: tuple[int, int], rotation: float, rng
) -> tuple[np.ndarray, np.ndarray]:
    """Sheet coordinates (u right, v down; 0 at the frame's centre) of each pixel.

    The frame is rotated on the sheet and each corner moved by up to 4 % of
    the frame, a slight perspective.
    """
    height, width = size
    corners = np.array(
        [[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64
    )
    angle = np.radians(rotation)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    centred = corners - [width / 2, height / 2]
    keystone = rng.uniform(-0.04, 0.04, (4, 2)) * [width, height]
    to_sheet = _homography(corners, (centred + keystone) @ turn.T).astype(np.float32)
    ys = np.arange(height, dtype=np.float32)[:, None] + 0.5
    xs = np.arange(width, dtype=np.float32)[None, :] + 0.5
    w = to_sheet[2, 0] * xs + to_sheet[2, 1] * ys + to_sheet[2, 2]
    u = (to_sheet[0, 0] * xs + to_sheet[0, 1] * ys + to_sheet[0, 2]) / w
    v = (to_sheet[1, 0] * xs + to_sheet[1, 1] * ys + to_sheet[1, 2]) / w
    return u, v


def _coordinates(size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Pixel centres as fractions of the frame, -0.5 to 0.5: (x row, y column)."""
    height, width = size
    x = ((np.arange(width, dtype=np.float32) + 0.5) / width - 0.5)[None, :]
    y = ((np.arange(height, dtype=np.float32) + 0.5) / height - 0.5)[:, None]
    return x, y


def _illumination(size: tuple[int, int], strength: int, rng) -> np.ndarray:
    """Light falling on the page: a gradient and vignetting, (height, width)."""
    x, y = _coordinates(size)
    drop = rng.uniform((0.0, 0.15, 0.35)[strength], (0.15, 0.35, 0.60)[strength])
    angle = rng.uniform(0, 2 * np.pi)
    along = x * np.float32(np.cos(angle)) + y * np.float32(np.sin(angle))
    light = 1.0 - np.float32(drop) * (along + 0.5)
    vignette = rng.uniform((0.0, 0.10, 0.25)[strength], (0.10, 0.25, 0.40)[strength])
    cx, cy = rng.uniform(-0.15, 0.15, 2).astype(np.float32)
    light *= 1.0 - np.float32(2.0 * vignette) * ((x - cx) ** 2 + (y - cy) ** 2)
    return np.clip(light, 0.05, None)


def _shadow(size: tuple[int, int], strength: int, rng) -> np.ndarray:
    """Return a soft shadow (a hand, a phone) over part of the page, (h, w)."""
    x, y = _coordinates(size)
    angle = rng.uniform(0, 2 * np.pi)
    # A curved edge: a circle's boundary, the shadow inside it.
    reach = rng.uniform(0.25, 0.6)
    cx, cy = (0.5 + reach) * np.cos(angle), (0.5 + reach) * np.sin(angle)
    radius = np.hypot(cx, cy) - rng.uniform(0.2, 0.45)
    distance = np.sqrt((x - np.float32(cx)) ** 2 + (y - np.float32(cy)) ** 2) - radius
    softness = rng.uniform(0.01, 0.08)
    depth = rng.uniform(*((0.15, 0.3), (0.25, 0.5))[strength - 1])
    inside = 1.0 / (1.0 + np.exp(np.clip(distance / softness, -50, 50)))
    return (1.0 - depth * inside).astype(np.float32)
