"""The digits that excite each map most, and the bundled set they come from."""

import gc
import io
import weakref
from pathlib import Path

import numpy as np
import pytest
import torch

from lenet_gui.explain.top_digits import (
    DIGIT_SET,
    DigitSet,
    DigitSetError,
    Patch,
    load_digit_set,
    top_activating,
)
from lenet_gui.files.idx import load_mnist
from lenet_gui.imaging.preprocess import from_mnist
from lenet_gui.network.classifier import Classifier
from lenet_gui.spec.lenet5 import LENET5

pytestmark = pytest.mark.usefixtures("one_torch_thread")

MNIST = Path(__file__).parent / "data" / "mnist"


@pytest.fixture(scope="module")
def small_set():
    """The first 120 test digits, so brute force stays quick."""
    images, labels = load_mnist(MNIST, "test")
    return DigitSet(images[:120], labels[:120], np.arange(120))


def test_the_bundled_set_is_the_first_2000_test_digits():
    digits = load_digit_set()
    images, labels = load_mnist(MNIST, "test")
    assert len(digits) == 2000
    assert np.array_equal(digits.images, images)
    assert np.array_equal(digits.labels, labels)
    assert np.array_equal(digits.indices, np.arange(2000))
    assert DIGIT_SET.stat().st_size < 1_000_000
    assert load_digit_set() is digits  # read once


@pytest.mark.parametrize(
    ("layer", "index"),
    [("C1", 0), ("C1", 5), ("S2", 3), ("C3", 4), ("C3", 15), ("S4", 9)],
)
def test_values_are_the_classifiers_own_activations(classifier, layer, index):
    found = top_activating(classifier, layer, index)
    assert len(found) == 9
    values = [digit.value for digit in found]
    assert values == sorted(values, reverse=True)
    spec = LENET5.layer(layer)
    for digit in found:
        prediction = classifier.classify_input(from_mnist(digit.image[None])[0])
        activation = prediction.activations[layer][index]
        row, col = digit.unit
        assert digit.value == pytest.approx(activation[row, col], abs=1e-5)
        # The unit reported is the map's strongest for this digit.
        assert digit.value == pytest.approx(activation.max(), abs=1e-5)
        assert digit.field == LENET5.receptive_field(layer, row, col)
        assert digit.field.size == LENET5.receptive_field(layer).size
        assert 0 <= row < spec.side and 0 <= col < spec.side
        assert digit.label == load_digit_set().labels[digit.index]


@pytest.mark.parametrize(("layer", "index"), [("C5", 7), ("F6", 40), ("output", 3)])
def test_single_unit_layers_rank_by_the_unit(classifier, layer, index):
    found = top_activating(classifier, layer, index, k=4)
    for digit in found:
        prediction = classifier.classify_input(from_mnist(digit.image[None])[0])
        assert digit.value == pytest.approx(
            prediction.activations[layer][index], abs=1e-5
        )
        assert digit.unit == (0, 0)
        assert digit.thumbnail_field == Patch(0, 0, 28, 28)
    if layer == "output":
        assert [digit.label for digit in found] == [3, 3, 3, 3]


def _c3_sums_by_hand(classifier, inputs, index):
    """C3 map `index`'s sums before squashing: Table I's S2 maps, convolved."""
    import torch.nn.functional as F

    model = classifier.model
    s2 = torch.stack(
        [
            torch.from_numpy(classifier.classify_input(x).activations["S2"])
            for x in inputs
        ]
    )
    kernel = (model.c3.weight * model.c3.mask)[index : index + 1].detach()
    bias = model.c3.bias[index : index + 1].detach()
    return F.conv2d(s2, kernel, bias)[:, 0].numpy()


def test_the_ranking_is_by_each_digits_strongest_sum(classifier, small_set):
    inputs = from_mnist(small_set.images)
    sums = _c3_sums_by_hand(classifier, inputs, 6)
    strongest = sums.reshape(len(inputs), -1).max(axis=1)
    found = top_activating(classifier, "C3", 6, k=5, digits=small_set)
    expected = np.argsort(-strongest, kind="stable")[:5]
    assert [digit.index for digit in found] == list(expected)
    for digit, n in zip(found, expected, strict=True):
        assert digit.sum == pytest.approx(strongest[n], abs=1e-4)
        row, col = digit.unit
        assert sums[n, row, col] == pytest.approx(digit.sum, abs=1e-4)
    everything = top_activating(classifier, "C3", 6, k=500, digits=small_set)
    assert len(everything) == 120


def test_saturated_maps_are_ranked_by_the_sum(classifier):
    # C1 map 2 squashes most top digits to the same float32 output; the
    # sums before squashing still tell them apart, strongest first.
    found = top_activating(classifier, "C1", 2, k=9)
    sums = [digit.sum for digit in found]
    assert sums == sorted(sums, reverse=True)
    assert len(set(sums)) == len(sums)
    amplitude, slope = LENET5.amplitude, LENET5.slope
    for digit in found:
        assert digit.value == pytest.approx(
            amplitude * np.tanh(slope * digit.sum), abs=1e-5
        )


def test_thumbnail_fields_are_the_input_fields_moved_and_clipped(classifier):
    for layer in ("C1", "S2", "C3", "S4"):
        for digit in top_activating(classifier, layer, 1, k=20):
            field, patch = digit.field, digit.thumbnail_field
            top, left = field.top - 2, field.left - 2
            bottom, right = top + field.size, left + field.size
            assert patch == Patch(
                max(top, 0),
                max(left, 0),
                min(bottom, 28) - max(top, 0),
                min(right, 28) - max(left, 0),
            )
            assert patch.height > 0 and patch.width > 0


def test_one_pass_per_classifier_then_instant(monkeypatch, small_set):
    import lenet_gui.explain.top_digits as top_digits

    classifier = Classifier.load()
    calls = []
    forward = top_digits.layer_sums

    def counting(network, x):
        calls.append(len(x))
        return forward(network, x)

    monkeypatch.setattr(top_digits, "layer_sums", counting)
    top_activating(classifier, "C1", 0, digits=small_set)
    assert calls == [120]
    for layer, index in (("S4", 2), ("C3", 9), ("F6", 0)):
        top_activating(classifier, layer, index, digits=small_set)
    assert calls == [120]
    # The cache does not keep a classifier alive.
    gone = weakref.ref(classifier)
    del classifier
    gc.collect()
    assert gone() is None


def test_bad_requests_say_what_is_wrong(classifier, small_set):
    with pytest.raises(KeyError, match="no layer 'C7'"):
        top_activating(classifier, "C7", 0, digits=small_set)
    with pytest.raises(IndexError, match="S2 has maps 0 to 5, not 6"):
        top_activating(classifier, "S2", 6, digits=small_set)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        top_activating(classifier, "S2", 0, k=0, digits=small_set)


def _npz(path, **arrays):
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    path.write_bytes(buffer.getvalue())
    return path


def _good_arrays():
    return {
        "images": np.zeros((3, 28, 28), np.uint8),
        "labels": np.array([1, 2, 3], np.uint8),
        "indices": np.array([5, 6, 7]),
    }


def test_a_set_file_loads(tmp_path):
    digits = load_digit_set(_npz(tmp_path / "d.npz", **_good_arrays()))
    assert len(digits) == 3 and list(digits.indices) == [5, 6, 7]
    with pytest.raises(ValueError, match="read-only"):
        digits.images[0, 0, 0] = 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"labels": np.array([1, 2, 10])}, "labels must be digits 0 to 9"),
        ({"labels": np.array([1, 2])}, "labels are int64 \\(2,\\)"),
        ({"indices": np.array([5, 5, 7])}, "indices must be distinct"),
        ({"indices": np.array([0.5, 1, 2])}, "indices are float64"),
        ({"images": np.zeros((3, 28, 28), np.float32)}, "images are float32"),
        (
            {"images": np.zeros((3, 32, 32), np.uint8)},
            "images are uint8 \\(3, 32, 32\\)",
        ),
    ],
)
def test_a_wrong_set_is_refused_by_name(tmp_path, change, message):
    path = _npz(tmp_path / "d.npz", **{**_good_arrays(), **change})
    with pytest.raises(DigitSetError, match=f"d.npz: {message}"):
        load_digit_set(path)


def test_a_missing_or_damaged_set_is_refused_by_name(tmp_path):
    with pytest.raises(DigitSetError, match="absent.npz: no such file"):
        load_digit_set(tmp_path / "absent.npz")
    (tmp_path / "text.npz").write_text("not an archive")
    with pytest.raises(DigitSetError, match="text.npz: not a readable digit set"):
        load_digit_set(tmp_path / "text.npz")
    good = _npz(tmp_path / "good.npz", **_good_arrays()).read_bytes()
    (tmp_path / "cut.npz").write_bytes(good[: len(good) // 2])
    with pytest.raises(DigitSetError, match="cut.npz: not a readable digit set"):
        load_digit_set(tmp_path / "cut.npz")
    arrays = _good_arrays()
    del arrays["indices"]
    with pytest.raises(DigitSetError, match="partial.npz: has no 'indices' array"):
        load_digit_set(_npz(tmp_path / "partial.npz", **arrays))
    with pytest.raises(DigitSetError, match="objects.npz: not a readable digit set"):
        load_digit_set(
            _npz(
                tmp_path / "objects.npz",
                **{
                    **_good_arrays(),
                    "labels": np.array([object(), 1, 2], dtype=object),
                },
            )
        )
