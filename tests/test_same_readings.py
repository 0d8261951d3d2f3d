"""Preprocessing and the forward pass give exactly the readings they gave.

``tests/data/readings.npz`` holds what the bundled weights read in the cases
of ``tests/reading_cases.py`` (the bundled MNIST sample, the example digits
drawn stroke by stroke, numbers of several examples), written by
``tests/data/make_readings.py``. A faster preprocessing or forward pass must
give the same bytes: the same network inputs, the same layer outputs and the
same probabilities, to the last bit.
"""

from pathlib import Path

import numpy as np
import pytest
from reading_cases import readings

STORED = Path(__file__).resolve().parent / "data" / "readings.npz"


@pytest.fixture(scope="module")
def now(classifier, one_torch_thread):
    return readings(classifier)


@pytest.fixture(scope="module")
def stored():
    with np.load(STORED) as data:
        return {k: data[k] for k in data.files}


def test_the_same_cases_are_read(now, stored):
    assert sorted(now) == sorted(stored)
    assert len(now["drawn_texts"]) == len(stored["drawn_texts"]) > 300
    assert list(now["drawn_texts"]) == list(stored["drawn_texts"])


@pytest.mark.parametrize("name", ["mnist_inputs", "drawn_inputs"])
def test_network_inputs_are_bit_identical(now, stored, name):
    assert str(now[name]) == str(stored[name])


@pytest.mark.parametrize("name", ["mnist_layers", "drawn_layers"])
def test_layer_outputs_are_bit_identical(now, stored, name):
    assert str(now[name]) == str(stored[name])


@pytest.mark.parametrize(
    "name",
    ["mnist_batch", "mnist_single", "drawn_probabilities", "drawn_not_digit"],
)
def test_probabilities_are_bit_identical(now, stored, name):
    assert now[name].shape == stored[name].shape
    moved = float(np.abs(now[name] - stored[name]).max())
    assert np.array_equal(now[name], stored[name]), f"{name} moved by {moved:g}"


def test_digit_boxes_are_the_same(now, stored):
    assert np.array_equal(now["drawn_boxes"], stored["drawn_boxes"])
