"""Integrated gradients: complete, linear, zero on blank paper, strict about digits."""

from pathlib import Path

import numpy as np
import pytest
import torch

from lenet_gui.explain.attribution import attribute, integrated_gradients
from lenet_gui.files.idx import load_mnist
from lenet_gui.imaging.preprocess import BACKGROUND, from_mnist

pytestmark = pytest.mark.usefixtures("one_torch_thread")

MNIST = Path(__file__).parent / "data" / "mnist"


@pytest.fixture(scope="module")
def predictions(classifier):
    images, _ = load_mnist(MNIST, "test")
    return [classifier.classify_input(x) for x in from_mnist(images[:40])]


def _runner_up(prediction):
    return int(np.argsort(prediction.probabilities)[-2])


def test_attribution_is_complete_on_real_digits(classifier, predictions):
    """The credits add up to the logit's change; the module states the error."""
    gaps, contrast_gaps = [], []
    for prediction in predictions:
        single = attribute(classifier, prediction, prediction.digit)
        logits = prediction.activations["output"]
        assert single.change == pytest.approx(
            logits[prediction.digit] - _blank_logits(classifier)[prediction.digit],
            abs=1e-4,
        )
        assert single.total == pytest.approx(single.map.sum())
        gaps.append(abs(single.gap) / abs(single.change))
        contrast = attribute(
            classifier, prediction, prediction.digit, _runner_up(prediction)
        )
        contrast_gaps.append(abs(contrast.gap) / abs(contrast.change))
    # Typical digits complete to well under 1 %, nine in ten to a few per cent.
    assert np.median(gaps) < 0.005
    assert np.median(contrast_gaps) < 0.01
    assert np.percentile(gaps, 90) < 0.03
    assert np.percentile(contrast_gaps, 90) < 0.05


def _blank_logits(classifier):
    blank = np.full((32, 32), BACKGROUND, dtype=np.float32)
    return classifier.classify_input(blank).activations["output"]


def test_more_steps_close_the_gap(classifier, predictions):
    prediction = predictions[0]
    coarse = attribute(classifier, prediction, prediction.digit, steps=16)
    fine = attribute(classifier, prediction, prediction.digit, steps=256)
    assert abs(fine.gap) < abs(coarse.gap)
    assert abs(fine.gap) < 1e-3 * abs(fine.change)


def test_contrast_is_the_difference_of_two_attributions(classifier, predictions):
    for prediction in predictions[:5]:
        target, versus = prediction.digit, _runner_up(prediction)
        contrast = attribute(classifier, prediction, target, versus)
        first = attribute(classifier, prediction, target)
        second = attribute(classifier, prediction, versus)
        np.testing.assert_allclose(
            contrast.map, first.map - second.map, rtol=0, atol=1e-5
        )
        assert contrast.change == pytest.approx(first.change - second.change)
        assert (contrast.target, contrast.versus) == (target, versus)
        assert "minus logit" in contrast.method


def test_blank_paper_earns_nothing(classifier, predictions):
    """Pixels equal to the baseline stay on it along the whole path: credit 0."""
    prediction = predictions[1]
    attribution = attribute(classifier, prediction, 3)
    paper = prediction.network_input == np.float32(BACKGROUND)
    assert paper.sum() > 500  # most of an MNIST input is blank paper
    assert (attribution.map[paper] == 0).all()
    assert np.abs(attribution.map[~paper]).max() > 0.01
    blank = classifier.classify_input(np.full((32, 32), BACKGROUND, np.float32))
    nothing = attribute(classifier, blank, 7, 1)
    assert (nothing.map == 0).all()
    assert nothing.change == 0.0 and nothing.total == 0.0


def test_attribution_of_the_ablated_network(classifier, predictions):
    prediction = predictions[2]
    ablation = {"C3": {0, 1, 2, 3, 4, 5}}
    plain = attribute(classifier, prediction, prediction.digit)
    ablated = attribute(classifier, prediction, prediction.digit, ablation=ablation)
    ablated_logits = classifier.classify_input(
        prediction.network_input, ablation
    ).activations["output"]
    blank = np.full((32, 32), BACKGROUND, np.float32)
    blank_logits = classifier.classify_input(blank, ablation).activations["output"]
    digit = prediction.digit
    assert ablated.change == pytest.approx(
        ablated_logits[digit] - blank_logits[digit], abs=1e-4
    )
    assert not np.allclose(ablated.map, plain.map)
    assert "ablated" in ablated.method


def test_works_inside_inference_mode(classifier, predictions):
    prediction = predictions[0]
    expected = attribute(classifier, prediction, 4)
    with torch.inference_mode():
        inside = attribute(classifier, prediction, 4)
    assert np.array_equal(inside.map, expected.map)
    assert inside.map.dtype == np.float64 and inside.map.shape == (32, 32)


def test_numpy_digits_are_plain_ints(classifier, predictions):
    attribution = attribute(classifier, predictions[0], np.int64(2), np.uint8(5))
    assert type(attribution.target) is int and type(attribution.versus) is int


@pytest.mark.parametrize(
    ("target", "versus", "message"),
    [
        (10, None, "target must be a digit 0 to 9, not 10"),
        (-1, None, "target must be a digit 0 to 9, not -1"),
        (3.0, None, "target must be a digit 0 to 9, not 3.0"),
        (True, None, "target must be a digit 0 to 9, not True"),
        ("7", None, "target must be a digit 0 to 9, not '7'"),
        (7, 12, "versus must be a digit 0 to 9, not 12"),
        (7, 7, r"versus must differ from target \(7\)"),
    ],
)
def test_bad_digits_are_refused(classifier, predictions, target, versus, message):
    with pytest.raises(ValueError, match=message):
        attribute(classifier, predictions[0], target, versus)


def test_bad_steps_and_inputs_are_refused(classifier, predictions):
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        attribute(classifier, predictions[0], 1, steps=0)
    with pytest.raises(ValueError, match=r"must be \(32, 32\), not \(28, 28\)"):
        integrated_gradients(classifier.model, np.zeros((28, 28)), 1)
