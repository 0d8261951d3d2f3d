"""Photos and scans of digits on paper: lenet_gui.imaging.photo and read_ink.

The photos are made here with numpy: digits drawn as anti-aliased strokes or
taken from the MNIST test subset, laid dark on grey paper under a lighting
gradient, with ruled lines, specks, noise and JPEG compression. Nothing
outside the repository is needed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PySide6.QtGui import QImage
from robust_helpers import assert_result_matches_canvas, show_window

from lenet_gui.drawing.image_file import read_image, read_ink
from lenet_gui.drawing.paper import render
from lenet_gui.files.idx import load_mnist
from lenet_gui.gui import MainWindow
from lenet_gui.gui.predict_cli import NO_DIGIT, run_predict
from lenet_gui.imaging.photo import extract_ink, is_clean
from lenet_gui.imaging.preprocess import BACKGROUND, INK, preprocess, to_ink
from lenet_gui.network.classifier import Classifier

MNIST = Path(__file__).parent / "data" / "mnist"
HEIGHT, WIDTH = 480, 640


# --- making photos --------------------------------------------------------------------


def strokes_ink(segments, width, shape=(HEIGHT, WIDTH)) -> np.ndarray:
    """Coverage in [0, 1] of round-capped straight strokes ((y0, x0), (y1, x1))."""
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]] + 0.5
    distance = np.full(shape, np.inf)
    for (y0, x0), (y1, x1) in segments:
        vy, vx = y1 - y0, x1 - x0
        t = np.clip(((yy - y0) * vy + (xx - x0) * vx) / (vy * vy + vx * vx), 0, 1)
        distance = np.minimum(distance, np.hypot(yy - y0 - t * vy, xx - x0 - t * vx))
    return np.clip(width / 2 + 0.5 - distance, 0.0, 1.0)


def mnist_ink(index: int, height: int = 240) -> np.ndarray:
    """An MNIST test digit enlarged into the middle of a HEIGHT x WIDTH page."""
    digit = load_mnist(MNIST, "test")[0][index] / 255.0
    factor = height // 28
    big = np.kron(digit, np.ones((factor, factor)))
    ink = np.zeros((HEIGHT, WIDTH))
    top, left = (HEIGHT - big.shape[0]) // 2, (WIDTH - big.shape[1]) // 2
    ink[top : top + big.shape[0], left : left + big.shape[1]] = big
    return ink


def photo(
    ink: np.ndarray,
    *,
    paper: float = 0.8,
    drop: float = 0.0,
    ink_level: float = 0.12,
    lines: float = 0.0,
    spacing: int = 60,
    phase: int = 30,
    noise: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """Grey levels in [0, 1] of ink on paper under light falling off to the right.

    `drop` is the fraction of light lost from the left edge to the right;
    `lines` the darkness of horizontal ruled lines (2 px) every `spacing`
    rows from `phase`.
    """
    height, width = ink.shape
    reflectance = np.full(ink.shape, paper)
    if lines:
        rows = np.arange(height)
        ruled = ((rows - phase) % spacing) < 2
        reflectance[ruled] *= 1.0 - lines
    reflectance = reflectance * (1.0 - ink) + ink_level * ink
    light = 1.0 - drop * (np.arange(width) + 0.5) / width
    grey = reflectance * light[None, :]
    if noise:
        grey = grey + np.random.default_rng(seed).normal(0.0, noise, grey.shape)
    return np.clip(grey, 0.0, 1.0)


def save_grey(grey: np.ndarray, path: Path, fmt: str = "PNG", quality: int = -1):
    pixels = np.ascontiguousarray(np.rint(np.clip(grey, 0, 1) * 255), np.uint8)
    height, width = pixels.shape
    image = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8)
    assert image.copy().save(str(path), fmt, quality)
    return str(path)


def box_and_centre(network_input: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounding box (top, bottom, left, right) of the ink and its centre of mass."""
    ink = network_input - BACKGROUND
    rows = np.flatnonzero((ink > 0.2).any(axis=1))
    cols = np.flatnonzero((ink > 0.2).any(axis=0))
    box = np.array([rows[0], rows[-1], cols[0], cols[-1]])
    yy, xx = np.indices(ink.shape) + 0.5
    centre = np.array([(yy * ink).sum(), (xx * ink).sum()]) / ink.sum()
    return box, centre


SEVEN = [((140, 230), (140, 410)), ((140, 410), (350, 290))]
TWO = [
    ((170, 250), (130, 320)),
    ((130, 320), (170, 390)),
    ((170, 390), (330, 250)),
    ((330, 250), (330, 400)),
]


@pytest.fixture(scope="module")
def classifier():
    return Classifier.load()


# --- the clean path: exactly as before ------------------------------------------------


def test_clean_png_reads_exactly_as_before(tmp_path, classifier):
    digits = load_mnist(MNIST, "test")[0][:10]
    for index, digit in enumerate(digits):
        big = 255 - np.kron(digit, np.ones((6, 6), dtype=np.uint8))
        path = save_grey(big / 255.0, tmp_path / f"{index}.png")
        grey = read_image(path)
        assert is_clean(grey)
        ink = read_ink(path)
        np.testing.assert_array_equal(ink, to_ink(grey))
        before = classifier.predict(grey)  # what --predict did before
        after = classifier.predict(ink)
        np.testing.assert_array_equal(after.network_input, before.network_input)
        np.testing.assert_array_equal(after.probabilities, before.probabilities)


def test_the_apps_own_saved_drawing_reads_exactly_as_before(qtbot, tmp_path):
    window = show_window(qtbot, MainWindow(Classifier.load()))
    strokes = [
        [(150.0, 120.0), (300.0, 120.0), (200.0, 340.0)],
        [(170, 230), (260, 230)],
    ]
    window.canvas.set_image(render(strokes, 24.0))
    path = tmp_path / "saved.png"
    assert window.files.save_drawing(path)
    grey = read_image(path)
    assert is_clean(grey)
    np.testing.assert_array_equal(read_ink(path), to_ink(grey))


def test_to_ink_of_its_own_output_changes_nothing():
    """Why read_ink's clean images give --predict exactly its old answers."""
    grey = photo(strokes_ink(SEVEN, 20), paper=0.7)
    ink = to_ink(grey)
    np.testing.assert_array_equal(to_ink(ink), ink)
    np.testing.assert_array_equal(preprocess(ink), preprocess(grey))


def test_a_tall_one_alone_is_a_stroke_not_a_printed_line():
    """A single stroke across most of the image stays, in a clean and a photo."""
    one = strokes_ink([((40, 320), (440, 320))], 18)
    assert is_clean(1.0 - one)
    np.testing.assert_array_equal(extract_ink(1.0 - one), to_ink(1.0 - one))
    kept = extract_ink(photo(one, drop=0.5, noise=0.01))
    assert kept.any() and kept.shape[0] > 2 * kept.shape[1]


# --- photos ---------------------------------------------------------------------------


def test_strong_gradient_is_divided_out(classifier):
    """Light falling to 35 %: the digit is found as if the paper were even."""
    for index in range(5):
        ink = mnist_ink(index)
        clean = preprocess(ink)
        grey = photo(ink, drop=0.65, noise=0.01, seed=index)
        assert not is_clean(grey)
        # The plain reading takes the shaded side of the page for ink.
        assert (to_ink(grey)[:, -60:] >= 0.2).mean() > 0.5
        clean_box, clean_centre = box_and_centre(clean)

        read = preprocess(extract_ink(grey))
        box, centre = box_and_centre(read)
        assert np.abs(box - clean_box).max() <= 1
        assert np.abs(centre - clean_centre).max() <= 0.5
        assert np.abs(read - clean).mean() < 0.05
        label = load_mnist(MNIST, "test")[1][index]
        assert classifier.predict(extract_ink(grey)).digit == label


def test_ruled_lines_go_and_horizontal_strokes_stay():
    """Lines across the page vanish; the bar of a 7 and the base of a 2 lying
    on a line, and the strokes crossing lines, are kept whole."""
    for segments, bar_row in ((SEVEN, 140), (TWO, 330)):
        pen = 14
        ink = strokes_ink(segments, pen)
        # A ruled line through the bar's middle, others every 60 rows.
        grey = photo(ink, lines=0.35, spacing=60, phase=bar_row - 1, drop=0.3)
        kept = extract_ink(grey)
        # Cropped to the digit: find where, by matching the clean digit's box.
        rows = np.flatnonzero(ink.max(axis=1) >= 0.5)
        cols = np.flatnonzero(ink.max(axis=0) >= 0.5)
        kept_rows = np.flatnonzero(kept.max(axis=1) >= 0.5)
        kept_cols = np.flatnonzero(kept.max(axis=0) >= 0.5)
        assert abs((kept_rows[-1] - kept_rows[0]) - (rows[-1] - rows[0])) <= 2
        assert abs((kept_cols[-1] - kept_cols[0]) - (cols[-1] - cols[0])) <= 2
        dy, dx = kept_rows[0] - rows[0], kept_cols[0] - cols[0]
        placed = np.zeros_like(ink)
        top, left = max(0, -dy), max(0, -dx)
        view = kept[top + dy : top + dy + HEIGHT, left + dx : left + dx + WIDTH]
        placed[top : top + view.shape[0], left : left + view.shape[1]] = view
        strokes = ink >= 0.99
        assert (placed[strokes] >= 0.5).mean() > 0.97
        # Nothing away from the digit: the lines are gone.
        away = ~np.pad(ink > 0, 8, mode="constant")[8:-8, 8:-8]
        far = np.ones_like(away)
        far[rows[0] - 8 : rows[-1] + 9, cols[0] - 8 : cols[-1] + 9] = False
        assert (kept >= 0.2).sum() > 0
        assert placed[far & away].max() == 0.0


def test_squared_paper_and_a_margin_line_go():
    ink = strokes_ink(TWO, 12)
    grey = photo(ink, lines=0.3, spacing=50, phase=7, drop=0.2)
    grey[:, 15::50] *= 0.75  # vertical rules
    grey[:, 100:103] *= 0.6  # a margin line
    kept = extract_ink(grey)
    tall = np.flatnonzero(ink.max(axis=1) > 0).size
    wide = np.flatnonzero(ink.max(axis=0) > 0).size
    # Cropped to the 2 alone (plus its margin), not to the page's grid.
    assert kept.shape[0] < 1.5 * tall and kept.shape[1] < 1.5 * wide


def test_specks_are_removed():
    ink = strokes_ink(SEVEN, 14)
    rng = np.random.default_rng(5)
    for y, x in rng.integers((10, 10), (HEIGHT - 10, WIDTH - 10), (40, 2)):
        ink[y : y + 3, x : x + 3] = 1.0  # dust, 3 px each
    grey = photo(ink, drop=0.4, noise=0.02)
    kept = extract_ink(grey)
    clean_rows = np.flatnonzero(strokes_ink(SEVEN, 14).max(axis=1) > 0).size
    assert kept.shape[0] < 1.4 * clean_rows


def test_light_ink_on_dark_paper_photo():
    """Chalk on a board: the polarity comes from the photo's own levels."""
    ink = mnist_ink(0)
    grey = 1.0 - photo(ink, paper=0.85, drop=0.5, noise=0.01)
    kept = extract_ink(grey)
    assert preprocess(kept) is not None
    box, centre = box_and_centre(preprocess(kept))
    clean_box, clean_centre = box_and_centre(preprocess(ink))
    assert np.abs(box - clean_box).max() <= 1


@pytest.mark.parametrize("drop", [0.0, 0.5])
def test_blank_grey_photo_has_no_digit(tmp_path, drop):
    grey = photo(np.zeros((HEIGHT, WIDTH)), paper=0.6, drop=drop, noise=0.03)
    path = save_grey(grey, tmp_path / "blank.jpg", "JPEG", 70)
    assert not read_ink(path).any()
    out, err = io.StringIO(), io.StringIO()
    assert run_predict([path], out=out, err=err) == 1
    assert json.loads(out.getvalue())["error"] == NO_DIGIT


def test_blank_ruled_paper_has_no_digit():
    grey = photo(np.zeros((HEIGHT, WIDTH)), lines=0.4, drop=0.3, noise=0.01)
    assert not extract_ink(grey).any()


def test_jpeg_photos_read_through_predict(tmp_path):
    labels = load_mnist(MNIST, "test")[1]
    paths = []
    for index in range(10):
        grey = photo(
            mnist_ink(index), drop=0.5, lines=0.3 * (index % 3 == 0), noise=0.02
        )
        paths.append(save_grey(grey, tmp_path / f"{index}.jpg", "JPEG", 75))
    out, err = io.StringIO(), io.StringIO()
    assert run_predict(paths, out=out, err=err) == 0
    digits = [json.loads(line)["digit"] for line in out.getvalue().splitlines()]
    assert sum(d == label for d, label in zip(digits, labels, strict=False)) >= 9


def test_open_image_shows_the_cleaned_ink_and_agrees_with_predict(qtbot, tmp_path):
    grey = photo(strokes_ink(SEVEN, 14), lines=0.35, drop=0.5, noise=0.02)
    path = save_grey(grey, tmp_path / "seven.jpg", "JPEG", 80)
    window = show_window(qtbot, MainWindow(Classifier.load()))
    assert window.files.open_image(path)
    canvas = window.canvas.to_array()
    # The canvas holds the 7 alone: no ruled line reaches its edges.
    inked = np.flatnonzero(canvas.max(axis=0) > 0)
    assert inked[0] > 40 and inked[-1] < canvas.shape[1] - 40
    assert_result_matches_canvas(window)
    out, err = io.StringIO(), io.StringIO()
    run_predict([path], out=out, err=err)
    assert window.session.last_result.digit == json.loads(out.getvalue())["digit"] == 7
    shown = window.input_view  # the 32x32 view shows what the network received
    assert shown is not None
    assert (window.session.last_result.network_input > BACKGROUND).any()
    assert window.session.last_result.network_input.max() <= INK


# --- contracts ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 80), st.integers(1, 80)),
        elements=st.floats(allow_nan=True, allow_infinity=True),
    )
)
def test_any_float_array_gives_valid_ink(image):
    ink = extract_ink(image)
    assert ink.dtype == np.float32 and ink.ndim == 2
    assert np.isfinite(ink).all() and ink.min() >= 0.0 and ink.max() <= 1.0
    result = preprocess(ink)
    assert result is None or result.shape == (32, 32)


@pytest.mark.parametrize(
    "image", [np.zeros((0, 5)), np.zeros((3, 3, 3)), np.array([["a"]])]
)
def test_non_images_are_refused_as_by_to_ink(image):
    with pytest.raises(ValueError):
        extract_ink(image)


def test_nan_is_paper_in_a_photo():
    grey = photo(mnist_ink(1), drop=0.5, noise=0.01)
    holed = grey.copy()
    holed[:40, :40] = np.nan
    kept = extract_ink(holed)
    assert np.isfinite(kept).all()
    np.testing.assert_allclose(
        box_and_centre(preprocess(kept))[1],
        box_and_centre(preprocess(extract_ink(grey)))[1],
        atol=0.2,
    )
