"""Tests for lenet_gui.imaging.preprocess, on digits drawn with numpy.

The digits are polylines rendered as anti-aliased round strokes, ink 255 on 0,
like the app's 448x448 canvas. No MNIST file is needed.
"""

from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lenet_gui.imaging.preprocess import (
    BACKGROUND,
    INK,
    INPUT_SIZE,
    from_mnist,
    preprocess,
    stroke_width,
    to_ink,
)

CANVAS = 448
# MNIST puts the centre of mass at pixel (14, 14) of 28x28, so (16, 16) of 32x32.
CENTRE = 16.0
# Same digit drawn differently: mean |difference| allowed between the inputs
# (network levels, full scale 1.275), and distance of the centre of mass from
# CENTRE.
SAME_DIGIT_MAD = 0.07
CENTRE_TOLERANCE = 0.5
# MNIST's stroke-width band (p10..p90 in its 20 px box) that preprocess aims at,
# with a little room for the width estimate's own spread.
BAND = (1.9 - 0.2, 3.42 + 0.2)

# Digit shapes as polylines in a unit box: (y, x), y from 0 (top) to 1
# (bottom), x relative to the vertical centre line.
_RING = np.linspace(0.0, 2.0 * np.pi, 49)
SHAPES = {
    "seven": [[(0.0, -0.3), (0.0, 0.3), (1.0, -0.05)]],
    "one": [[(0.2, -0.15), (0.0, 0.05), (1.0, 0.05)]],
    "zero": [list(zip(0.5 - 0.5 * np.cos(_RING), 0.33 * np.sin(_RING), strict=True))],
    "four": [[(0.0, -0.1), (0.65, -0.35), (0.65, 0.3)], [(0.3, 0.15), (1.0, 0.15)]],
}


def render(polylines, pen, size=CANVAS):
    """Anti-aliased round-capped strokes of width `pen`, uint8 ink 255 on 0."""
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    distance = np.full((size, size), np.inf)
    for line in polylines:
        points = np.asarray(line, dtype=np.float64)
        for (y0, x0), (y1, x1) in zip(points[:-1], points[1:], strict=True):
            vy, vx = y1 - y0, x1 - x0
            t = ((yy - y0) * vy + (xx - x0) * vx) / max(vy * vy + vx * vx, 1e-12)
            t = np.clip(t, 0.0, 1.0)
            distance = np.minimum(
                distance, np.hypot(yy - y0 - t * vy, xx - x0 - t * vx)
            )
    coverage = np.clip(pen / 2.0 + 0.5 - distance, 0.0, 1.0)
    return np.round(coverage * 255.0).astype(np.uint8)


@cache
def drawn(shape, cy=224.0, cx=224.0, height=270.0, pen=24.0, size=CANVAS):
    """A digit drawn on the canvas: centre (cy, cx), box height, pen width."""
    polylines = [
        [(cy + (y - 0.5) * height, cx + x * height) for y, x in line]
        for line in SHAPES[shape]
    ]
    image = render(polylines, pen, size)
    image.setflags(write=False)
    return image


def centre_of_mass(network_input):
    mass = network_input - BACKGROUND
    index = np.arange(INPUT_SIZE)
    total = mass.sum()
    return mass.sum(axis=1) @ index / total, mass.sum(axis=0) @ index / total


def output_width(network_input):
    """Stroke width of a network input, in pixels of its 20 px box."""
    return stroke_width((network_input - BACKGROUND) / (INK - BACKGROUND))


def assert_valid_input(x):
    assert x.shape == (INPUT_SIZE, INPUT_SIZE)
    assert x.dtype == np.float32
    assert np.isfinite(x).all()
    assert x.min() >= np.float32(BACKGROUND)
    assert x.max() <= np.float32(INK)


def assert_centred(x, tolerance=CENTRE_TOLERANCE):
    cy, cx = centre_of_mass(x)
    assert abs(cy - CENTRE) < tolerance and abs(cx - CENTRE) < tolerance, (cy, cx)


# --- the same digit, however it is drawn ------------------------------------

VARIANTS = {
    "off-centre": {"cy": 120.0, "cx": 320.0, "height": 180.0},
    "near the corner": {"cy": 350.0, "cx": 90.0, "height": 150.0},
    "small": {"height": 90.0},
    "large": {"height": 420.0},
    "thick pen": {"pen": 48.0},
    "thin pen": {"pen": 8.0, "height": 300.0},
    "large, thin pen": {"pen": 6.0, "height": 400.0},
    "small, thick pen": {"pen": 30.0, "height": 100.0},
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_the_same_digit_drawn_differently_gives_the_same_input(shape, variant):
    reference = preprocess(drawn(shape))
    x = preprocess(drawn(shape, **VARIANTS[variant]))
    assert_valid_input(x)
    assert_centred(x)
    assert np.abs(x - reference).mean() < SAME_DIGIT_MAD


@pytest.mark.parametrize("shape", SHAPES)
def test_polarity_and_dtype_do_not_change_the_input(shape):
    white_on_black = drawn(shape)
    reference = preprocess(white_on_black)
    assert_valid_input(reference)
    assert_centred(reference)
    ink = white_on_black / 255.0
    for image in [
        255 - white_on_black,  # black on white, like a scan or a PNG
        ink,  # float64 in [0, 1]
        (1.0 - ink).astype(np.float32),
        ink.astype(np.float16),
        (ink * 65535).round().astype(np.uint16),
        white_on_black.astype(np.int64),  # plain ints 0..255
        white_on_black.astype(np.float64),  # floats 0..255
        ink * 4.0 - 2.0,  # any other range is stretched
    ]:
        np.testing.assert_allclose(preprocess(image), reference, atol=2e-3)


def test_bool_image_reads_as_ink():
    binary = drawn("seven") >= 128
    reference = preprocess(binary.astype(np.uint8) * 255)
    np.testing.assert_allclose(preprocess(binary), reference, atol=1e-6)
    np.testing.assert_allclose(preprocess(~binary), reference, atol=1e-6)


def test_thin_and_thick_strokes_are_brought_into_mnist_band():
    for shape in SHAPES:
        for variant in ("large, thin pen", "small, thick pen", "thin pen", "small"):
            image = drawn(shape, **VARIANTS[variant])
            raw = output_width(preprocess(image, normalize_stroke=False))
            fixed = output_width(preprocess(image))
            assert not BAND[0] <= raw <= BAND[1], (shape, variant, raw)
            assert BAND[0] <= fixed <= BAND[1], (shape, variant, fixed)


def test_strokes_inside_the_band_are_left_alone():
    # 180 px high with the default 24 px pen is a typical MNIST stroke width.
    image = drawn("seven", height=180.0)
    x = preprocess(image)
    assert BAND[0] <= output_width(x) <= BAND[1]
    np.testing.assert_array_equal(x, preprocess(image, normalize_stroke=False))


def test_normalize_stroke_off_still_normalises_size_and_position():
    x = preprocess(
        drawn("zero", cy=100.0, cx=300.0, height=160.0, pen=6.0), normalize_stroke=False
    )
    assert_valid_input(x)
    assert_centred(x)
    ink = x > BACKGROUND + 0.1
    rows = np.flatnonzero(ink.any(axis=1))
    assert 19 <= rows[-1] - rows[0] + 1 <= 21  # the larger side fills 20 px
    assert output_width(x) < BAND[0]  # but the thin pen stays thin


# --- output format ---------------------------------------------------------


def test_output_format_margin_and_levels():
    x = preprocess(drawn("seven", pen=40.0, height=300.0))
    assert_valid_input(x)
    margin = np.ones_like(x, dtype=bool)
    margin[2:-2, 2:-2] = False
    assert (x[margin] == np.float32(BACKGROUND)).all()
    # A solid stroke reaches full ink, exactly.
    assert x.max() == np.float32(INK)
    # Most of the field is untouched paper, exactly at the background level.
    assert (x == np.float32(BACKGROUND)).mean() > 0.5
    # The larger side of the digit's box is 20 px, as in MNIST.
    ink = x > BACKGROUND
    rows = np.flatnonzero(ink.any(axis=1))
    assert 20 <= rows[-1] - rows[0] + 1 <= 21


def test_centre_of_mass_is_placed_to_a_fraction_of_a_pixel():
    for cy, cx in [(200.3, 231.7), (150.0, 300.5), (301.9, 99.1)]:
        assert_centred(preprocess(drawn("four", cy=cy, cx=cx)), tolerance=0.1)


def test_wide_digit_is_scaled_by_its_larger_side():
    # A "one" lying down: 300 px wide, 24 px high.
    image = render([[(224.0, 74.0), (224.0, 374.0)]], pen=24.0)
    x = preprocess(image)
    assert_valid_input(x)
    assert_centred(x)
    ink = x > BACKGROUND + 0.05
    cols = np.flatnonzero(ink.any(axis=0))
    rows = np.flatnonzero(ink.any(axis=1))
    assert 19 <= cols[-1] - cols[0] + 1 <= 21
    assert rows[-1] - rows[0] + 1 <= 5


# --- no digit ----------------------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((CANVAS, CANVAS), np.uint8),
        np.full((CANVAS, CANVAS), 255, np.uint8),
        np.full((50, 70), 0.5),
        np.full((28, 28), np.nan),
        np.full((10, 10), np.inf),
        np.zeros((1, 1)),
        np.array([[7]], np.int64),
        # all faint: a whole digit, but at most 10 % ink
        (drawn("seven") // 10).astype(np.uint8),
        # a speck: one pixel of ink
        np.pad(np.full((1, 1), 255, np.uint8), 100),
        # scanner noise on white paper, no mark
        np.random.default_rng(1).integers(215, 256, (200, 300)).astype(np.uint8),
    ],
    ids=[
        "blank",
        "white",
        "constant grey",
        "all NaN",
        "all inf",
        "1x1",
        "1x1 int",
        "all faint",
        "speck",
        "paper noise",
    ],
)
def test_no_digit_gives_none(image):
    assert preprocess(image) is None


def test_nan_is_paper():
    image = drawn("zero").astype(np.float64)
    holes = np.random.default_rng(0).random(image.shape) < 0.3
    with_nan = np.where(holes & (image == 0), np.nan, image)
    np.testing.assert_allclose(preprocess(with_nan), preprocess(image), atol=1e-6)


# --- odd sizes don't crash -----------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        np.array([[0.0, 1.0]]),
        np.array([[0], [255]], np.uint8),
        np.eye(3),
        np.pad(np.full((1, 300), 255, np.uint8), ((0, 0), (50, 50))),  # 1 px high
        np.pad(np.ones((300, 1)), ((50, 50), (0, 0))),  # 1 px wide
        np.pad(np.ones((2, 5000)), ((3, 3), (10, 10))),  # very wide
        np.ones((3, 3)) - np.eye(3),
    ],
)
def test_odd_shapes_give_none_or_a_valid_input(image):
    x = preprocess(image)
    if x is not None:
        assert_valid_input(x)


def test_a_small_image_is_enough():
    x = preprocess(drawn("seven", cy=14.0, cx=14.0, height=20.0, pen=2.5, size=28))
    assert_valid_input(x)
    assert_centred(x)


# --- MNIST ------------------------------------------------------------------


def mnist_like_seven():
    """A 28x28 uint8 "7" the way MNIST has them: 20 px box, mass at (14, 14)."""
    # Polyline 17.4 px high plus a 2.6 px pen: a box of exactly rows 4..23.
    image = drawn("seven", cy=14.0, cx=14.0, height=17.4, pen=2.6, size=28)
    ink = image / 255.0
    index = np.arange(28)
    cy = ink.sum(axis=1) @ index / ink.sum()
    cx = ink.sum(axis=0) @ index / ink.sum()
    # MNIST's whole-pixel shift; the digit stays clear of the edges.
    shifted = np.roll(image, (round(14 - cy), round(14 - cx)), axis=(0, 1))
    rows = np.flatnonzero(shifted.any(axis=1))
    assert rows[-1] - rows[0] + 1 == 20 and rows[0] > 0 and rows[-1] < 27
    return shifted


def test_an_mnist_digit_passes_through_nearly_unchanged():
    image = mnist_like_seven()
    expected = from_mnist(image[None])[0]
    x = preprocess(image)
    assert_valid_input(x)
    # Only the centring differs: to a fraction of a pixel instead of MNIST's
    # whole-pixel shift, here by 0.37 and 0.44 px, close to the worst case.
    assert np.abs(x - expected).mean() < 0.05
    assert ((x > 0.6) == (expected > 0.6)).mean() > 0.95
    np.testing.assert_array_equal(x, preprocess(image, normalize_stroke=False))


def test_from_mnist():
    images = np.zeros((3, 28, 28), np.uint8)
    images[0] = mnist_like_seven()
    images[1, 5:20, 10:15] = 255
    images[2, 0, 0] = 128
    x = from_mnist(images)
    assert x.shape == (3, INPUT_SIZE, INPUT_SIZE)
    assert x.dtype == np.float32
    assert (x[:, :2] == np.float32(BACKGROUND)).all()
    assert (x[:, -2:] == np.float32(BACKGROUND)).all()
    assert (x[:, :, :2] == np.float32(BACKGROUND)).all()
    assert (x[:, :, -2:] == np.float32(BACKGROUND)).all()
    assert x[1, 2 + 5, 2 + 10] == np.float32(INK)
    assert x[1, 2 + 4, 2 + 10] == np.float32(BACKGROUND)
    assert x[2, 2, 2] == pytest.approx(BACKGROUND + 128 / 255 * (INK - BACKGROUND))
    # No re-centring: the pixels are where MNIST put them.
    np.testing.assert_array_equal(x[:, 2:-2, 2:-2] > BACKGROUND, images > 0)
    assert from_mnist(np.zeros((0, 28, 28), np.uint8)).shape == (0, 32, 32)


@pytest.mark.parametrize(
    "images",
    [
        np.zeros((28, 28), np.uint8),
        np.zeros((2, 32, 32), np.uint8),
        np.zeros((2, 28, 28), np.float32),
    ],
)
def test_from_mnist_rejects_anything_but_uint8_batches(images):
    with pytest.raises(ValueError, match="28, 28"):
        from_mnist(images)


# --- to_ink ------------------------------------------------------------------


def test_to_ink_reads_levels_and_polarity():
    canvas = np.zeros((40, 40), np.uint8)
    canvas[10:30, 18:22] = 255
    canvas[5, 5] = 51
    ink = to_ink(canvas)
    assert ink.dtype == np.float32 and ink.shape == canvas.shape
    assert ink[15, 20] == 1.0 and ink[0, 0] == 0.0
    assert ink[5, 5] == pytest.approx(0.2)
    np.testing.assert_allclose(to_ink(255 - canvas), ink, atol=1e-6)
    np.testing.assert_allclose(to_ink(canvas.astype(np.uint16) * 257), ink, atol=1e-6)
    # 16-bit levels are read by 65535, not stretched: a faint mark stays faint.
    faint = np.zeros((10, 10), np.uint16)
    faint[5, 5] = 6553
    assert to_ink(faint)[5, 5] == pytest.approx(0.1, abs=1e-4)


def test_to_ink_maps_grey_paper_to_zero():
    rng = np.random.default_rng(2)
    scan = np.clip(rng.normal(190.0, 3.0, (60, 60)), 0, 255).astype(np.uint8)
    scan[10:50, 28:33] = 10  # dark ink on grey paper
    ink = to_ink(scan)
    # The paper's level (its median, 190) becomes 0; only its noise remains.
    assert ink[:, :20].mean() < 0.01
    assert ink[:, :20].max() < 0.1
    assert ink[30, 30] == pytest.approx(180 / 190, abs=0.02)
    # And the digit it holds reads like the same stroke drawn on a clean canvas.
    clean = np.zeros_like(scan)
    clean[10:50, 28:33] = 255
    assert np.abs(preprocess(scan) - preprocess(clean)).mean() < 0.02


def test_to_ink_border_touching_stroke_keeps_polarity():
    image = np.zeros((50, 50), np.uint8)
    image[:, 20:30] = 255  # a bar crossing the whole image, top to bottom
    ink = to_ink(image)
    assert ink[25, 25] == 1.0 and ink[25, 5] == 0.0


def test_to_ink_nan_and_inf():
    image = np.array([[0.0, np.nan, 0.0], [0.2, np.inf, 0.0], [0.0, -np.inf, 0.0]])
    ink = to_ink(image)
    assert np.isfinite(ink).all()
    assert ink[0, 1] == 0.0  # NaN is paper
    # Floats within [0, 1] are read as they are; +inf is clipped to the
    # largest finite value, 0.2, and -inf to the smallest, 0.
    assert ink[1, 0] == pytest.approx(0.2)
    assert ink[1, 1] == pytest.approx(0.2)
    assert ink[2, 1] == 0.0


def test_to_ink_constant_images_are_blank():
    for image in [
        np.full((3, 4), 9.0),
        np.ones((5, 5), bool),
        np.full((2, 2), 255, np.uint8),
        np.full((4, 4), np.nan),
        np.array([[3]]),
        np.full((3, 3), -3.0),
        np.full((2, 5), 1e308),
        np.array([[np.nan, -4.0], [np.inf, -4.0]]),
    ]:
        ink = to_ink(image)
        assert ink.shape == image.shape and ink.dtype == np.float32
        assert (ink == 0).all()


def test_to_ink_extreme_float_ranges():
    # A range wider than float64's maximum, and one of two subnormal steps.
    huge = np.full((5, 5), -1.7e308)
    huge[2, 1:4] = 1.7e308
    tiny = np.full((5, 5), -5e-324)
    tiny[2, 1:4] = 5e-324
    for image in (huge, tiny):
        ink = to_ink(image)
        np.testing.assert_array_equal(ink, (image > 0).astype(np.float32))


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((4, 4, 3)), "2-D"),
        (np.zeros(16), "2-D"),
        (np.zeros((0, 4)), "empty"),
        (np.zeros((4, 4), complex), "real numbers"),
        (np.full((2, 2), "a"), "real numbers"),
        (np.array([[None, 1]]), "real numbers"),
    ],
)
def test_to_ink_and_preprocess_reject_non_images(image, message):
    with pytest.raises(ValueError, match=message):
        to_ink(image)
    with pytest.raises(ValueError, match=message):
        preprocess(image)


# --- stroke_width --------------------------------------------------------------


def test_stroke_width_of_bars_and_lines():
    bar = np.zeros((120, 40))
    bar[10:110, 18:22] = 1.0  # 4 px wide, 100 long: 2A/P = 800 / 208
    assert stroke_width(bar) == pytest.approx(800 / 208, rel=0.02)
    assert stroke_width(np.zeros((5, 5))) == 0.0
    # A one-pixel line has two edges.
    line = np.zeros((3, 50))
    line[1, 5:45] = 1.0
    assert stroke_width(line) == pytest.approx(1.0, rel=0.1)


def test_stroke_width_scales_with_the_drawing():
    small = drawn("zero", cy=40.0, cx=40.0, height=60.0, pen=6.0, size=80) / 255.0
    big = drawn("zero", cy=160.0, cx=160.0, height=240.0, pen=24.0, size=320) / 255.0
    assert stroke_width(big) == pytest.approx(4 * stroke_width(small), rel=0.05)
    assert stroke_width(big) == pytest.approx(24.0, rel=0.1)


def test_stroke_width_rejects_non_2d():
    with pytest.raises(ValueError, match="2-D"):
        stroke_width(np.zeros(5))


# --- any array at all -------------------------------------------------------------

_shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=64)


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.float64, np.float32, np.float16]),
        shape=_shapes,
        elements={"allow_nan": True, "allow_infinity": True},
    )
)
def test_any_float_array_gives_none_or_a_valid_input(image):
    ink = to_ink(image)
    assert ink.shape == image.shape and ink.dtype == np.float32
    assert ((ink >= 0) & (ink <= 1)).all()
    x = preprocess(image)
    if x is not None:
        assert_valid_input(x)


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.uint16, np.int32, np.bool_]),
        shape=_shapes,
    )
)
def test_any_integer_array_gives_none_or_a_valid_input(image):
    x = preprocess(image)
    if x is not None:
        assert_valid_input(x)
