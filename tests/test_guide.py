"""Each view explains itself; the glossary and the guided tour, in the real window."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QRect
from robust_helpers import show_window

from lenet_gui.gui import MainWindow
from lenet_gui.gui.widgets import PredictionLabel
from lenet_gui.gui.widgets.explanations import (
    glossary,
    tour_steps,
    view_explanations,
)
from lenet_gui.spec.lenet5 import LENET5

GLOSSARY_TERMS = (
    "feature map",
    "kernel",
    "convolution",
    "subsampling",
    "squashing function",
    "receptive field",
    "logit",
    "softmax",
    "calibration",
    "attribution",
)


def _spec_with_c1_maps(maps: int):
    layers = tuple(
        dataclasses.replace(layer, maps=maps) if layer.name == "C1" else layer
        for layer in LENET5.layers
    )
    return dataclasses.replace(LENET5, layers=layers)


def test_texts_quote_the_spec_not_retyped_numbers():
    """Change C1's map count in the spec and the texts follow it."""
    times = "\N{MULTIPLICATION SIGN}"
    for maps in (6, 9):
        spec = _spec_with_c1_maps(maps)
        explained = view_explanations(spec)
        assert (
            f"C1 \N{MIDDLE DOT} {maps}@28{times}28 means {maps} maps"
            in (explained["maps"])
        )
        assert f"{maps} maps of 28{times}28 units" in glossary(spec)["feature map"]
        c1 = next(step for step in tour_steps(spec) if step.target == "C1")
        assert c1.title == f"C1: {maps} detectors of strokes"
    # The receptive fields quoted are the spec's own arithmetic.
    field = glossary(LENET5)["receptive field"]
    assert f"{LENET5.receptive_field('C3').size}\N{NO-BREAK SPACE}px" in field


def test_glossary_holds_every_term_and_links_resolve():
    entries = glossary(LENET5)
    assert set(GLOSSARY_TERMS) <= set(entries)
    texts = [*entries.values(), *view_explanations(LENET5).values()]
    texts += [step.text for step in tour_steps(LENET5)]
    linked = set()
    for text in texts:
        for link in text.split('href="glossary:')[1:]:
            linked.add(link.split('"')[0])
    assert linked <= set(entries)
    # Every term is explained where it is used: some view's line links to it.
    in_views = " ".join(view_explanations(LENET5).values())
    for term in GLOSSARY_TERMS:
        assert f'href="glossary:{term}"' in in_views, term


def test_every_view_has_a_line_that_hides_and_is_remembered(window, qtbot):
    names = window.panels()
    assert set(view_explanations(LENET5)) == set(names)
    lines = window.guide.lines
    assert set(lines) == set(view_explanations(LENET5))
    for name, line in lines.items():
        page = window.show_panel(name)
        assert line.parent() is page and line.isVisible()
        assert "What am I looking at?" in line.label.text()
    shown = window.action_set.guide_actions[0]
    assert shown.isChecked()
    lines["maps"].hide_button.click()
    assert not any(line.isVisibleTo(line.parentWidget()) for line in lines.values())
    assert not shown.isChecked()
    assert "What Am I Looking At?" in window.statusBar().currentMessage()
    window.close()
    again = show_window(qtbot, MainWindow(window.session.network.classifier))
    assert not again.guide.explanations_shown()
    assert not again.guide.lines["maps"].isVisible()
    again.action_set.guide_actions[0].trigger()
    assert again.guide.lines["maps"].isVisible()


def test_a_glossary_link_opens_the_glossary_at_its_term(window):
    line = window.guide.lines["maps"]
    line.label.linkActivated.emit("glossary:kernel")
    glossary_view = window.guide.glossary
    assert glossary_view.isVisible()
    assert glossary_view.term() == "kernel"
    assert "learned weights" in glossary_view.text.toPlainText()
    window.action_set.guide_actions[2].trigger()  # Help > Glossary
    assert glossary_view.isVisible()
    with pytest.raises(KeyError):
        glossary_view.show_term("backpropagation")


def test_the_tour_is_offered_once_only(window, qtbot):
    card = window.guide.card
    assert card.isVisible() and card.offering
    card.close_button.click()  # No, thanks
    assert not card.isVisible()
    assert "Guided Tour" in window.statusBar().currentMessage()
    window.close()
    again = show_window(qtbot, MainWindow(window.session.network.classifier))
    assert not again.guide.card.isVisible()
    again.action_set.guide_actions[1].trigger()  # Help > Guided Tour
    assert again.guide.card.isVisible() and again.guide.card.index() == 0


def _rect_of(window, widget):
    return (widget.mapTo(window, widget.rect().topLeft()), widget.size())


def test_the_tour_walks_every_layer_framing_what_it_speaks_of(
    example_window, classifier, qtbot
):
    window = example_window
    guide, card = window.guide, window.guide.card
    card.next_button.click()  # takes the offered tour
    targets = [step.target for step in card.steps()]
    assert targets == ["canvas", "input", "C1", "S2", "C3", "S4", "C5", "F6", "output"]
    expected = classifier.predict(window.canvas.to_array())
    for index, target in enumerate(targets):
        assert card.index() == index
        # The docked card takes the height its words need; the frame follows
        # the layout once it has settled.
        qtbot.waitUntil(
            lambda: guide.highlight.target().contains(
                QRect(*_rect_of(window, guide.tour_target()))
            ),
            timeout=2000,
        )
        framed = guide.highlight.target()
        origin, size = _rect_of(window, guide.tour_target())
        assert framed.contains(QRect(origin, size))
        card_rect = QRect(*_rect_of(window, card))
        assert not card_rect.intersects(framed)
        if target != "output":
            assert framed == QRect(origin, size)
        note = card.note.text()
        if target in ("C1", "S2", "C3", "S4"):
            assert window.panel("maps").shown
            assert window.feature_maps.shown_layer() == target
            means = (
                expected.activations[target]
                .reshape(expected.activations[target].shape[0], -1)
                .mean(axis=1)
            )
            k = int(means.argmax())
            assert f"{target} map {k} (counted from 0, row by row)" in note
            assert f"most active (mean {means[k]:+.2f})" in note
        elif target in ("C5", "F6"):
            assert window.panel("network").shown
            values = expected.activations[target]
            k = int(np.argmax(values))
            assert f"{target} unit {k} is the most active ({values[k]:+.2f})" in note
        elif target == "output":  # the digit read and the ten probabilities
            reading = window.findChildren(PredictionLabel)[0]
            assert framed.contains(QRect(*_rect_of(window, reading)))
            digit = expected.digit
            logit = expected.activations["output"][digit]
            assert f"output {digit} has the largest logit, {logit:.2f}" in note
            assert f"{expected.probabilities[digit]:.1%}" in note
        card.next_button.click()
    assert not card.isVisible() and not guide.highlight.isVisible()
    assert window.panel("maps").shown  # back where the person was
    assert window.feature_maps.shown_layer() is None


def _spoken_of(window):
    """The parts of the window the tour speaks of, as window rectangles."""
    column = window.reading_column
    parts = [column.canvas, column.input_view, column.prediction]
    parts += [column.probabilities, window.panel("maps").widget]
    return {part: QRect(*_rect_of(window, part)) for part in parts}


@pytest.mark.parametrize("size", [(1366, 768), None])
def test_the_tour_card_hides_nothing_it_speaks_of(example_window, qtbot, size):
    window = example_window
    window.resize(*size) if size else window.resize(window.minimumSize())
    card = window.guide.card
    assert card.offering and card.isVisible()
    for step in range(-1, len(card.steps())):
        if step >= 0:
            card.go(step) if step else card.next_button.click()
        qtbot.wait(5)
        on_window = QRect(*_rect_of(window, card))
        assert window.rect().contains(on_window)
        for part, rect in _spoken_of(window).items():
            if part.isVisible():
                assert not on_window.intersects(rect), (step, part)
        # The card's words are whole: it is as tall as they need.
        layout = card.layout()
        assert card.height() >= layout.totalHeightForWidth(card.width())
    card.finish()
    assert not window.guide.dock.isVisible()


def test_the_tour_on_an_empty_canvas_offers_an_example(window, qtbot):
    card = window.guide.card
    window.guide.start_tour()
    assert window.session.blank
    assert card.example_button.isVisible()
    assert "empty" in card.note.text()
    card.example_button.click()
    assert not window.session.blank
    result = window.session.last_result
    qtbot.waitUntil(lambda: "reads your drawing as" in card.note.text())
    assert f"as {result.digit} " in card.note.text()
    assert not card.example_button.isVisible()
    card.back_button.click()  # already at the first stop: stays there
    assert card.index() == 0
    card.close_button.click()
    assert not card.isVisible()


def test_a_narrow_view_shows_the_first_sentence_and_more_on_demand(window, qtbot):
    line = window.guide.lines["maps"]
    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: line.shortened)
    text = line.label.text()
    assert "feature map" in text and "hover a unit" not in text
    line.label.linkActivated.emit("more:")
    assert "hover a unit to see its sum" in line.label.text()
    assert not line.shortened and "Less" in line.label.text()
    line.label.linkActivated.emit("less:")
    assert line.shortened
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: "hover a unit" in line.label.text())
    assert "More" not in line.label.text() and "Less" not in line.label.text()


def test_at_the_minimum_size_the_tour_gives_c5_and_f6_the_lines_room(
    example_window, qtbot
):
    window = example_window
    window.resize(window.minimumSize())
    guide, card = window.guide, window.guide.card
    guide.set_explanations_shown(True)
    window.show_panel("network")
    view = window.panel("network").view
    view.show_stage("late")
    qtbot.wait(20)
    late = view.late_layers.graphics
    before = late.height()
    guide.start_tour()
    c5 = next(k for k, step in enumerate(card.steps()) if step.target == "C5")
    card.go(c5)
    qtbot.waitUntil(lambda: window.panel("network").shown)
    qtbot.wait(20)
    # The card explains the stop: no view's line takes room from what it frames.
    assert not any(line.isVisible() for line in guide.lines.values())
    assert late.height() >= 1.5 * before  # C5 and F6 half as large again, or more
    assert guide.tour_target() is view.late_layers
    card.finish()
    # The lines are back as the person had them, and so is the setting.
    qtbot.waitUntil(lambda: guide.lines["network"].isVisible())
    assert guide.explanations_shown()
