"""Looks for: the digits are ranked by the map's sum, as the forward pass has it."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lenet_gui.explain.layer_weights import layer_weights
from lenet_gui.explain.top_digits import layer_sums, load_digit_set
from lenet_gui.gui.widgets import TopDigitsView
from lenet_gui.imaging.preprocess import from_mnist


def c1_sums(model, inputs, index):
    """C1 map `index`'s sums w·x + b over a batch of (N, 32, 32) inputs, by hand."""
    x = torch.from_numpy(np.asarray(inputs, dtype=np.float32))[:, None]
    weight = model.c1.weight[index : index + 1].detach()
    return F.conv2d(x, weight, model.c1.bias[index : index + 1].detach())[:, 0]


def test_the_ranking_and_your_map_are_the_forward_passs(example_window, qtbot):
    page = example_window.show_panel("looks-for")
    view = page.findChild(TopDigitsView)
    panel = example_window.panel("looks-for")
    view.set_choice("C1", 2)
    view.mapChosen.emit("C1", 2)
    qtbot.waitUntil(
        lambda: panel.settled and len(view.shown_sums()) == 9, timeout=20000
    )
    model = example_window.session.network.classifier.model
    digits = load_digit_set()
    sums = c1_sums(model, from_mnist(digits.images), 2).flatten(1).max(dim=1).values
    expected = np.sort(sums.numpy())[::-1][:9]
    np.testing.assert_allclose(view.shown_sums(), expected, rtol=1e-5, atol=1e-5)
    # Ranked by the sum they are distinct, where the squashed values tie.
    assert len(set(np.round(view.shown_sums(), 4))) > 1
    result = example_window.session.last_result
    own = c1_sums(model, result.network_input[None], 2)[0]
    assert view.own_sum() == pytest.approx(float(own.max()), abs=1e-5)


def test_layer_sums_squash_to_the_forward_passs_activations(classifier):
    inputs = torch.from_numpy(from_mnist(load_digit_set().images[:20]))[:, None]
    found = layer_sums(classifier, inputs)
    with torch.inference_mode():
        _, activations = classifier.model.forward_with_activations(inputs)
    for name, (total, value) in found.items():
        torch.testing.assert_close(value, activations[name])
        if name != "output":
            torch.testing.assert_close(classifier.model.squash(total), value)


def test_the_weights_shown_are_the_maps_own(classifier):
    from lenet_gui.gui.panels.top_digits import looks_for

    shown = looks_for(classifier, "C3", 9, None)
    weights = layer_weights(classifier.model, "C3")
    sources = [j for j in range(6) if weights.mask[9, j]]
    assert shown.sources == tuple(sources) and len(sources) in (3, 4, 6)
    np.testing.assert_array_equal(shown.kernels, weights.weights[9][sources])
    assert shown.bias == pytest.approx(float(classifier.model.c3.bias[9].detach()))
    s4 = looks_for(classifier, "S4", 3, None)
    assert s4.kernels is None and s4.sources == (3,)
    coefficient = float(classifier.model.s4.coefficient[3].detach())
    assert s4.coefficient == pytest.approx(coefficient)


def test_the_words_under_the_kernels_name_what_they_read_and_the_bias(
    qtbot, classifier
):
    from PySide6.QtWidgets import QLabel

    from lenet_gui.gui.panels.top_digits import looks_for

    view = TopDigitsView([("C1", 6), ("C3", 16)])
    qtbot.addWidget(view)
    for layer, index, read in (("C1", 4, "the input"), ("C3", 9, None)):
        shown = looks_for(classifier, layer, index, None)
        view.set_choice(layer, index)
        view.set_weights(
            shown.kernels, shown.sources, shown.below, shown.limit, shown.bias
        )
        words = " ".join(label.text() for label in view.findChildren(QLabel))
        if read is None:
            read = "S2 maps " + ", ".join(str(j) for j in shown.sources)
        assert f"slid over {read};" in words
        bias = float(getattr(classifier.model, layer.lower()).bias[index].detach())
        assert f"a bias of {bias:+.3f}".replace("-", "\N{MINUS SIGN}") in words
