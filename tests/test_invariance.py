"""Transforms of the network input and the probability curves swept over them."""

from pathlib import Path

import numpy as np
import pytest

from lenet_gui.explain.invariance import (
    TRANSFORMS,
    probability_curves,
    transform_input,
    transform_inputs,
)
from lenet_gui.files.idx import load_mnist
from lenet_gui.imaging.preprocess import BACKGROUND, INK, _disc_filter, from_mnist

MNIST = Path(__file__).parent / "data" / "mnist"
NAMES = [transform.name for transform in TRANSFORMS]
# A value of each transform far enough from neutral to change any digit.
STRONG = {
    "shift_x": 2.5,
    "shift_y": -3.0,
    "scale": 0.8,
    "rotate": 25.0,
    "squeeze": 1.2,
    "thicken": 1.5,
    "noise": 0.2,
}


@pytest.fixture(scope="module")
def digits():
    images, _ = load_mnist(MNIST, "test")
    return from_mnist(images[:8])


def _ink(network_input):
    return network_input.astype(np.float64) - BACKGROUND


def _centre_of_mass(network_input):
    ink = _ink(network_input)
    places = np.arange(32) + 0.5
    return np.array([ink.sum(1) @ places, ink.sum(0) @ places]) / ink.sum()


def _blank():
    return np.full((32, 32), BACKGROUND, dtype=np.float32)


def test_the_table_describes_usable_sliders():
    assert set(NAMES) == set(STRONG)
    for transform in TRANSFORMS:
        assert transform.low <= transform.neutral <= transform.high, transform.name
        assert 0 < transform.step < transform.high - transform.low, transform.name
        assert transform.label and transform.unit and transform.description


def test_neutral_values_return_the_input_exactly(digits):
    x = digits[0]
    neutral = {transform.name: transform.neutral for transform in TRANSFORMS}
    for params in ({}, neutral, *({name: value} for name, value in neutral.items())):
        out = transform_input(x, params)
        assert out.dtype == np.float32 and np.array_equal(out, x)
        assert not np.shares_memory(out, x)
    # Even an input outside the levels is left alone, not clipped.
    odd = np.linspace(-1, 2, 1024, dtype=np.float32).reshape(32, 32)
    assert np.array_equal(transform_input(odd, neutral), odd)


@pytest.mark.parametrize("name", NAMES)
def test_each_transform_changes_the_input_and_keeps_its_levels(digits, name):
    x = digits[1]
    out = transform_input(x, {name: STRONG[name]})
    assert out.shape == (32, 32) and out.dtype == np.float32
    assert not np.allclose(out, x, atol=1e-3)
    assert out.min() >= np.float32(BACKGROUND) and out.max() <= np.float32(INK)


@pytest.mark.parametrize(("dx", "dy"), [(3.0, -2.0), (-4.0, 1.0), (1.5, 2.25)])
def test_a_shift_moves_the_centre_of_mass_by_the_shift(digits, dx, dy):
    x = digits[2]
    moved = transform_input(x, {"shift_x": dx, "shift_y": dy})
    np.testing.assert_allclose(
        _centre_of_mass(moved) - _centre_of_mass(x), [dy, dx], atol=1e-3
    )
    # The ink neither grows nor fades, and the paper that slides in is paper.
    assert _ink(moved).sum() == pytest.approx(_ink(x).sum(), rel=1e-4)
    assert (moved[:, :2] == np.float32(BACKGROUND)).all()


def test_a_quarter_turn_stands_a_bar_up_anticlockwise():
    bar = _blank()
    bar[15:17, 8:24] = INK  # rows 15-16, columns 8-23
    turned = transform_input(bar, {"rotate": 90.0})
    rows, cols = np.nonzero(turned > 0.5 * (BACKGROUND + INK))
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (8, 23, 15, 16)
    dot = _blank()
    dot[15:17, 22:24] = INK  # right of the centre (16, 16)
    rows, cols = np.nonzero(transform_input(dot, {"rotate": 90.0}) > 0.5)
    assert (rows.mean(), cols.mean()) == pytest.approx((8.5, 15.5))  # now above
    assert turned[0, 0] == np.float32(BACKGROUND)


def test_scale_and_squeeze_stretch_the_axes_they_say():
    square = _blank()
    square[12:20, 12:20] = INK

    def extent(image):
        rows, cols = np.nonzero(image > 0.5)
        return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1

    assert extent(square) == (8, 8)
    assert extent(transform_input(square, {"scale": 1.5})) == (12, 12)
    assert extent(transform_input(square, {"scale": 0.5})) == (4, 4)
    assert extent(transform_input(square, {"squeeze": 1.25})) == (6, 10)


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_whole_radii_are_preprocessings_disc_filters(digits, radius):
    x = digits[3]
    ink = _ink(x)
    for sign, op in ((1, np.maximum), (-1, np.minimum)):
        expected = _disc_filter(ink, radius, op)[radius:-radius, radius:-radius]
        expected = np.clip(expected + BACKGROUND, BACKGROUND, INK)
        out = transform_input(x, {"thicken": sign * radius})
        np.testing.assert_allclose(out, expected, rtol=0, atol=1e-6)


def test_fractional_thickness_blends_the_whole_radii(digits):
    x = digits[3]
    one, two = (transform_input(x, {"thicken": r}) for r in (1.0, 2.0))
    blend = transform_input(x, {"thicken": 1.25})
    np.testing.assert_allclose(blend, 0.75 * one + 0.25 * two, atol=1e-6)
    thin = transform_input(x, {"thicken": -0.5})
    assert _ink(thin).sum() < _ink(x).sum() < _ink(one).sum()


def test_noise_is_a_fixed_pattern_scaled_by_the_slider(digits):
    x = digits[4]
    a = transform_input(x, {"noise": 0.1}, seed=3)
    assert np.array_equal(a, transform_input(x, {"noise": 0.1}, seed=3))
    assert not np.array_equal(a, transform_input(x, {"noise": 0.1}, seed=4))
    b = transform_input(x, {"noise": 0.2}, seed=3)
    # Where neither is clipped, doubling the slider doubles the noise.
    inside = (a > BACKGROUND + 0.01) & (a < INK - 0.01) & (b > BACKGROUND + 0.01)
    inside &= b < INK - 0.01
    assert inside.sum() > 50
    np.testing.assert_allclose((b - x)[inside], 2 * (a - x)[inside], atol=1e-5)
    # The standard deviation is in units of full ink.
    noise = (b - x)[inside] / (INK - BACKGROUND)
    assert 0.1 < noise.std() < 0.3


def test_a_batch_is_the_single_transforms_stacked(digits):
    x = digits[5]
    angles = np.array([-30.0, 0.0, 12.5])
    batch = transform_inputs(x, {"rotate": angles, "thicken": 0.5, "noise": 0.05})
    assert batch.shape == (3, 32, 32)
    for row, angle in zip(batch, angles, strict=True):
        single = transform_input(x, {"rotate": angle, "thicken": 0.5, "noise": 0.05})
        np.testing.assert_allclose(row, single, rtol=0, atol=1e-7)


@pytest.mark.parametrize("name", NAMES)
def test_curves_sum_to_one_and_pass_through_the_current_value(classifier, digits, name):
    x = digits[6]
    params = {"rotate": 10.0, "thicken": 0.3, "noise": 0.05}
    transform = next(t for t in TRANSFORMS if t.name == name)
    current = transform.neutral + 0.3 * (transform.high - transform.neutral)
    params[name] = current
    values, probabilities = probability_curves(classifier, x, params, name, count=9)
    assert values.shape == (9,) and probabilities.shape == (9, 10)
    assert (np.diff(values) > 0).all()
    assert values[0] == transform.low and values[-1] == transform.high
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    (at,) = np.nonzero(values == current)
    assert len(at) == 1
    for k in (at[0], 0, 8):
        shown = classifier.classify_input(
            transform_input(x, {**params, name: values[k]})
        )
        np.testing.assert_allclose(
            probabilities[k], shown.probabilities, rtol=0, atol=1e-6
        )


def test_curves_of_the_ablated_network(classifier, digits):
    x = digits[7]
    ablation = {"C3": {2, 9}}
    values, probabilities = probability_curves(
        classifier, x, {}, "scale", ablation=ablation
    )
    assert len(values) == 25
    neutral = int(np.nonzero(values == 1.0)[0][0])
    expected = classifier.classify_input(x, ablation).probabilities
    np.testing.assert_allclose(probabilities[neutral], expected, atol=1e-6)


def test_bad_settings_say_what_is_wrong(classifier, digits):
    x = digits[0]
    with pytest.raises(KeyError, match="no transform 'shear'"):
        transform_input(x, {"shear": 0.2})
    with pytest.raises(KeyError, match="no transform 'blur'"):
        probability_curves(classifier, x, {}, "blur")
    with pytest.raises(ValueError, match="scale must be positive"):
        transform_input(x, {"scale": 0.0})
    with pytest.raises(ValueError, match="noise must be 0 or more"):
        transform_input(x, {"noise": -0.1})
    with pytest.raises(ValueError, match="rotate must be finite"):
        transform_input(x, {"rotate": float("nan")})
    with pytest.raises(ValueError, match="must be a number"):
        transform_input(x, {"rotate": "left"})
    with pytest.raises(ValueError, match=r"must be \(32, 32\)"):
        transform_input(x[:28, :28], {})
    with pytest.raises(ValueError, match="count must be an integer of at least 2"):
        probability_curves(classifier, x, {}, "rotate", count=1)


def test_a_read_only_input_is_fine(digits):
    x = digits[0].copy()
    x.flags.writeable = False
    out = transform_input(x, {"rotate": 10.0, "thicken": -0.5, "noise": 0.1})
    assert out.flags.writeable and not np.shares_memory(out, x)
