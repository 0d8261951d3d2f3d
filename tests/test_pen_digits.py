"""Real pen trajectories: stroke files, style variants, augmentation, drawing."""

import json
from pathlib import Path

import numpy as np
import pytest

import lenet_gui.training.pen_digits as pen_digits
import lenet_gui.training.pen_styles as pen_styles
from lenet_gui.files.stroke_files import (
    StrokeFileError,
    load_pen_digits,
    pick_writers,
)
from lenet_gui.imaging.preprocess import BACKGROUND, INK
from lenet_gui.training.pen_digits import (
    PLACEMENT_ONLY,
    PenAugmentation,
    augment_strokes,
    draw_pen_digit,
    pen_inputs,
)
from lenet_gui.training.pen_styles import STYLES, style_variant

SAMPLE = Path(__file__).parent / "data" / "strokes" / "pendigits-sample.json"


@pytest.fixture(scope="module")
def digits():
    return load_pen_digits(SAMPLE)


def test_the_sample_loads_with_every_digit_and_several_writers(digits):
    assert len(digits) == 56
    assert {d.label for d in digits} == set(range(10))
    assert {d.writer for d in digits} == {f"train_w0{k}" for k in range(1, 5)}
    for digit in digits:
        assert all(s.ndim == 2 and s.shape[1] == 2 for s in digit.strokes)
        assert all(s.dtype == np.float64 for s in digit.strokes)
    # Points as in the file: integers 0-500.
    first = json.loads(SAMPLE.read_text())[0]
    assert np.array_equal(digits[0].strokes[0], np.array(first["strokes"][0]))


def test_several_files_are_read_in_order(digits, tmp_path):
    second = tmp_path / "more.json"
    second.write_text(json.dumps([{"label": 3, "writer": "me", "strokes": [[[1, 2]]]}]))
    both = load_pen_digits([SAMPLE, second])
    assert len(both) == len(digits) + 1 and both[-1].writer == "me"


def _digit(**change):
    digit = {"label": 7, "writer": "w", "strokes": [[[0, 0], [10, 0], [5, 20]]]}
    digit.update(change)
    return digit


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "not valid JSON (line 1"),
        ('{"label": 1}', "must hold a JSON array of digits, not a dict"),
        ("[]", "holds no digits"),
        ("[3]", "digit 0: must be an object, not a int"),
        (json.dumps([_digit(), {"label": 1}]), "digit 1: missing writer, strokes"),
        (json.dumps([_digit(label=10)]), "label must be an integer 0-9, got 10"),
        (json.dumps([_digit(label="7")]), "label must be an integer 0-9, got '7'"),
        (json.dumps([_digit(label=True)]), "label must be an integer 0-9, got True"),
        (json.dumps([_digit(writer="")]), "writer must be a non-empty string"),
        (json.dumps([_digit(writer=None)]), "writer must be a non-empty string"),
        (json.dumps([_digit(strokes=[])]), "strokes must be a non-empty list"),
        (json.dumps([_digit(strokes=[[]])]), "stroke 0: must be a non-empty list"),
        (
            json.dumps([_digit(strokes=[[[0, 0]], [[1, 2, 3]]])]),
            "stroke 1: every point must be [x, y] numbers, got [1, 2, 3]",
        ),
        (
            json.dumps([_digit(strokes=[[["a", 0]]])]),
            "every point must be [x, y] numbers, got ['a', 0]",
        ),
        ('[{"label": 1, "writer": "w", "strokes": [[[NaN, 0]]]}]', "must be finite"),
        (json.dumps([_digit(strokes=[[[1e300, 0]]])]), "must be finite and at most"),
    ],
)
def test_a_bad_stroke_file_gets_a_clear_message_naming_it(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(StrokeFileError) as caught:
        load_pen_digits(path)
    assert str(caught.value).startswith(f"{path}:")
    assert message in str(caught.value)


def test_missing_and_unreadable_files_are_named(tmp_path):
    with pytest.raises(StrokeFileError, match="no such file"):
        load_pen_digits(tmp_path / "absent.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(StrokeFileError, match="binary.json: cannot be read"):
        load_pen_digits(binary)


def test_writers_are_held_out_by_number_or_name(digits):
    picked = pick_writers(digits, 2, seed=1)
    assert len(picked) == 2 and picked == pick_writers(digits, 2, seed=1)
    assert picked == sorted(picked)
    assert pick_writers(digits, 0, seed=1) == []
    assert pick_writers(digits, ["train_w03"], seed=0) == ["train_w03"]
    with pytest.raises(ValueError, match="no digits by writer"):
        pick_writers(digits, ["nobody"], seed=0)
    with pytest.raises(ValueError, match="can hold out 0 to 3 of 4"):
        pick_writers(digits, 4, seed=0)


def _lengths(strokes):
    return np.concatenate([np.hypot(*np.diff(s, axis=0).T) for s in strokes])


def test_a_rotation_keeps_every_length(digits):
    rotate_only = PenAugmentation(
        rotate=15.0, shear=0.0, aspect=0.0, wobble=0.0, sparse_probability=1.0
    )
    for k, digit in enumerate(digits[:10]):
        turned = augment_strokes(digit.strokes, np.random.default_rng(k), rotate_only)
        assert np.allclose(_lengths(turned), _lengths(digit.strokes))
        assert not np.allclose(np.concatenate(turned), np.concatenate(digit.strokes))


def test_without_changes_the_strokes_stay_as_written(digits):
    digit = digits[3]
    same = augment_strokes(digit.strokes, np.random.default_rng(0), PLACEMENT_ONLY)
    assert all(np.allclose(a, b) for a, b in zip(same, digit.strokes, strict=True))


@pytest.mark.parametrize("wobble", [0.0, 0.015])
def test_a_slow_hand_gives_dense_smooth_strokes_ending_where_they_did(digits, wobble):
    dense = PenAugmentation(
        rotate=0.0, shear=0.0, aspect=0.0, wobble=wobble, sparse_probability=0.0
    )
    digit = digits[5]
    out = augment_strokes(digit.strokes, np.random.default_rng(0), dense)
    height = np.ptp(np.concatenate(digit.strokes)[:, 1])
    for before, after in zip(digit.strokes, out, strict=True):
        assert len(after) > len(before)
        assert _lengths([after]).max() <= 0.03 * height
        # Smoothing keeps the ends; the wobble moves them by a few per cent.
        moved = np.hypot(*(after[[0, -1]] - before[[0, -1]]).T).max()
        assert moved <= (1e-9 if wobble == 0 else 0.06 * height)


def test_a_drawn_pen_digit_is_a_network_input(digits):
    for k, digit in enumerate(digits[:20]):
        x = draw_pen_digit(
            digit.strokes, digit.label, np.random.default_rng(k), PenAugmentation()
        )
        assert x.shape == (32, 32) and x.dtype == np.float32
        assert x.min() == pytest.approx(BACKGROUND)
        assert x.max() <= INK + 1e-6 and x.max() > 0.9 * INK


def test_drawing_is_repeatable_whatever_the_number_of_workers(digits, monkeypatch):
    monkeypatch.setattr(pen_digits, "_CHUNK", 30)
    alone = pen_inputs(digits, seed=3, copies=2, workers=1)
    shared = pen_inputs(digits, seed=3, copies=2, workers=2)
    for a, b in zip(alone, shared, strict=True):
        assert np.array_equal(a, b)
    inputs, labels, indices = alone
    assert len(inputs) == 2 * len(digits)
    assert np.array_equal(indices, np.tile(np.arange(len(digits)), 2))
    assert np.array_equal(labels, [digits[i].label for i in indices])
    # Each copy, seed and pass draws new variants.
    assert not np.array_equal(inputs[: len(digits)], inputs[len(digits) :])
    other_seed = pen_inputs(digits, seed=4, copies=1, workers=1)[0]
    assert not np.array_equal(other_seed, inputs[: len(digits)])
    later = pen_inputs(digits, seed=3, copies=1, workers=1, first_copy=1)[0]
    assert np.array_equal(later, inputs[len(digits) :])


def _box(strokes):
    points = np.concatenate(strokes)
    return points.min(axis=0), points.max(axis=0)


def _first(digits, label, style):
    for k, digit in enumerate(digits):
        if digit.label == label:
            varied = STYLES[style][1](list(digit.strokes), np.random.default_rng(k))
            if varied is not None:
                return digit, varied
    raise AssertionError(f"no {label} in the sample takes {style}")


def test_a_slashed_zero_is_crossed_corner_to_corner(digits):
    digit, varied = _first(digits, 0, "slashed_zero")
    assert len(varied) == len(digit.strokes) + 1
    (left, top), (right, bottom) = _box(digit.strokes)
    slash = varied[-1]
    ends = slash[[0, -1]]
    # From above the top to below the bottom, leaning right to left.
    assert ends[:, 1].min() <= top and ends[:, 1].max() >= bottom
    upper, lower = ends[np.argmin(ends[:, 1])], ends[np.argmax(ends[:, 1])]
    assert upper[0] > lower[0] + 0.3 * (right - left)


def test_a_flag_on_a_one_is_short_and_steep(digits):
    digit, varied = _first(digits, 1, "flagged_one")
    height = np.ptp(np.concatenate(digit.strokes)[:, 1])
    top = digit.strokes[0][0]
    start = varied[0][0]
    dx, dy = top - start
    assert dx > 0 and dy < 0  # up and to the right, into the top of the stem
    assert 0.15 * height <= np.hypot(dx, dy) <= 0.4 * height + 1e-9
    assert 30 - 1e-6 <= np.degrees(np.arctan2(-dy, dx)) <= 60 + 1e-6


def test_a_barred_seven_gets_one_bar_across_its_stem(digits):
    # The sample's writers bar their 7s already (most of the 30 do): a plain 7.
    seven = [np.array([[0.0, 0.0], [60.0, 0.0], [45.0, 40.0], [20.0, 100.0]])]
    varied = STYLES["barred_seven"][1](seven, np.random.default_rng(0))
    bar = varied[-1]
    assert len(varied) == 2
    level = bar[:, 1].mean()
    assert 35 <= level <= 65
    crossings = pen_styles._crossings(seven, level)
    assert bar[:, 0].min() < min(crossings) and bar[:, 0].max() > max(crossings)
    # A seven that has its bar already gets no second one.
    assert STYLES["barred_seven"][1](varied, np.random.default_rng(0)) is None
    barred = next(d for d in digits if d.label == 7)
    assert (
        STYLES["barred_seven"][1](list(barred.strokes), np.random.default_rng(0))
        is None
    )


def test_a_curled_nine_goes_on_from_the_end_of_its_tail(digits):
    digit, varied = _first(digits, 9, "curled_nine")
    tail, curled = digit.strokes[-1], varied[-1]
    assert len(curled) > len(tail) and np.array_equal(curled[: len(tail)], tail)
    assert curled[-1, 0] < tail[-1, 0]  # it curls to the left


def test_a_closed_four_keeps_its_two_strokes(digits):
    digit, varied = _first(digits, 4, "closed_four")
    assert len(varied) == 2 and np.array_equal(varied[1], digit.strokes[1])
    # The first leg now starts at the top of the stem.
    stem_top = digit.strokes[1][np.argmin(digit.strokes[1][:, 1]), 0]
    assert varied[0][0, 0] == pytest.approx(stem_top)


def test_styles_only_touch_their_own_digit(digits):
    three = next(d for d in digits if d.label == 3)
    strokes, style = style_variant(
        list(three.strokes), 3, STYLES, np.random.default_rng(0)
    )
    assert style is None and strokes == list(three.strokes)
    with pytest.raises(ValueError, match="unknown style"):
        PenAugmentation(styles=("wavy_two",))
