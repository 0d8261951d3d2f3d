"""The example digits say what they are, and the network reads each of them.

The bundled examples file, the bundled weights and the real window.
"""

import json
import re

import numpy as np
import pytest

from lenet_gui.drawing.examples import KINDS, load_examples
from lenet_gui.drawing.paper import render
from lenet_gui.files.bundled import bundled_file

EXAMPLES = load_examples()


def test_the_examples_are_all_there_in_their_kinds():
    kinds = [example.kind for example in EXAMPLES]
    assert kinds == ["mnist"] * 10 + ["pen"] * 10 + ["lesson"] * 4
    # One of each digit, in order, among the MNIST and the pen digits.
    assert [e.label for e in EXAMPLES[:20]] == list(range(10)) * 2
    assert set(kinds) <= set(KINDS)


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_the_network_reads_each_example_as_its_digit(index, classifier):
    example = EXAMPLES[index]
    drawn = render([s.points for s in example.strokes], example.strokes[0].width)
    read = classifier.predict(drawn)
    assert read is not None
    assert read.digit == example.label, example.source
    assert read.confidence >= 0.95, f"{example.source}: {read.confidence:.1%}"


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_example_says_what_it_is(index):
    example = EXAMPLES[index]
    article = "an" if example.label == 8 else "a"
    assert "train_w" not in example.source + example.caption  # no internal ids
    if example.kind == "mnist":
        match = re.fullmatch(r"MNIST test #(\d+), written as an? (\d)", example.source)
        assert match is not None, example.source
        assert int(match[2]) == example.label
        assert example.caption == f"#{match[1]}"
    elif example.kind == "pen":
        match = re.fullmatch(
            r"pen digit, writer (\d+), written as an? (\d)", example.source
        )
        assert match is not None, example.source
        assert example.source.endswith(f"written as {article} {example.label}")
        assert example.caption == f"writer {match[1]}"
    else:  # instructive: says which digit it is, and why it is shown
        assert re.match(r"pen digit, writer \d+: ", example.source), example.source
        assert f"{article} {example.label} " in example.source
        assert str(example.label) in example.caption


def test_an_mnist_example_is_the_test_digit_it_names():
    with np.load(bundled_file("resources/mnist-test-sample.npz")) as sample:
        indices, digits = sample["indices"].tolist(), sample["labels"].tolist()
    labels = dict(zip(indices, digits, strict=True))
    for example in EXAMPLES[:10]:
        number = int(example.caption.removeprefix("#"))
        assert labels[number] == example.label, example.source


def test_examples_without_kind_or_caption_still_load(tmp_path):
    path = tmp_path / "examples.json"
    entry = {"label": 3, "source": "a 3", "strokes": [[[10, 10], [40, 50]]]}
    path.write_text(json.dumps([entry, {**entry, "kind": "nonsense"}, 5]))
    loaded = load_examples(path)
    assert [(e.kind, e.caption) for e in loaded] == [("pen", ""), ("pen", "")]


def test_the_window_shows_and_reads_each_example(window):
    from lenet_gui.gui.widgets import WelcomeView

    welcome = window.show_panel("maps").findChild(WelcomeView)
    buttons = welcome.buttons()
    assert len(buttons) == len(EXAMPLES)
    for button, example in zip(buttons, EXAMPLES, strict=True):
        assert button.toolTip() == example.source
        assert button.text() == example.caption
        window.canvas.clear()
        button.click()
        read = window.session.last_result
        assert read.digit == example.label
        assert read.confidence >= 0.95
        assert window.statusBar().currentMessage() == f"Example: {example.source}"
