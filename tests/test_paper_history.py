"""The undo history: bounded in memory, cheap to walk, and exact to the pixel."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from lenet_gui.drawing import paper as paper_module
from lenet_gui.drawing import strokes as strokes_module
from lenet_gui.drawing.paper import Paper, Stroke, render


def random_strokes(count: int, seed: int, points: int = 6) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(-20, 468, size=(points, 2)).round(1) for _ in range(count)]


def draw_live(paper: Paper, stroke: np.ndarray) -> None:
    paper.begin_stroke(tuple(stroke[0]))
    for point in stroke[1:]:
        paper.extend_stroke(tuple(point))
    paper.end_stroke()


def from_scratch(
    strokes: tuple[Stroke, ...], background: np.ndarray | None
) -> np.ndarray:
    """The pixels of painting every stroke on a fresh page, in one go."""
    fresh = Paper()
    if background is not None:
        fresh._history[0] = paper_module.Drawing(background)  # noqa: SLF001
        fresh._render_current()  # noqa: SLF001
    for stroke in strokes:
        fresh.set_pen_width(stroke.width)
        fresh.draw_strokes([stroke.points])
    return fresh.to_array()


@pytest.mark.parametrize("seed", [0, 1])
def test_undo_redo_and_clear_give_the_pixels_of_drawing_from_scratch(seed):
    rng = np.random.default_rng(seed)
    paper = Paper()
    if seed == 1:
        image = np.zeros((60, 40), dtype=np.uint8)
        image[10:50, 15:25] = 255
        paper.set_image(image)
    for index, stroke in enumerate(random_strokes(70, seed)):
        paper.set_pen_width(float(rng.uniform(4, 64)))
        draw_live(paper, stroke)
        if index % 9 == 8:
            for _ in range(int(rng.integers(1, 25))):
                paper.undo()
            for _ in range(int(rng.integers(0, 10))):
                paper.redo()
            current = paper.current
            expected = from_scratch(current.strokes, current.background)
            assert np.array_equal(paper.ink, expected)
    paper.clear()
    assert paper.is_empty()
    while paper.undo():
        current = paper.current
        assert np.array_equal(
            paper.ink, from_scratch(current.strokes, current.background)
        )


def test_the_rendered_drawing_is_unchanged_for_the_same_strokes():
    strokes = random_strokes(40, 7)
    live = Paper()
    for stroke in strokes:
        draw_live(live, stroke)
    assert np.array_equal(live.ink, render(strokes, 24.0))
    for _ in range(25):
        live.undo()
    assert np.array_equal(live.ink, render(strokes[:15], 24.0))


def segments_painted_by_one_undo(count: int, monkeypatch) -> int:
    paper = Paper()
    for stroke in random_strokes(count, 3):
        draw_live(paper, stroke)
    painted = []
    original = strokes_module.paint_segment  # noqa: SLF001

    def counting(*args: object) -> None:
        painted.append(1)
        original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(strokes_module, "paint_segment", counting)
    assert paper.undo()
    monkeypatch.setattr(strokes_module, "paint_segment", original)
    return len(painted)


def test_undo_cost_does_not_grow_with_the_number_of_strokes(monkeypatch):
    few = segments_painted_by_one_undo(40, monkeypatch)
    many = segments_painted_by_one_undo(400, monkeypatch)
    limit = (paper_module._SNAPSHOT_EVERY + 1) * 6  # noqa: SLF001 (6 points a stroke)
    assert few <= limit and many <= limit, (few, many)


def test_a_long_history_undoes_past_its_oldest_kept_raster():
    paper = Paper()
    strokes = random_strokes(paper_module._MAX_HISTORY + 40, 5, points=2)  # noqa: SLF001
    paper.draw_strokes(strokes[:30])
    for stroke in strokes[30:]:
        draw_live(paper, stroke)
    while paper.undo():
        pass
    assert paper.current.count > 30  # the oldest states were dropped
    assert np.array_equal(paper.ink, from_scratch(paper.current.strokes, None))


def test_states_share_their_strokes_instead_of_copying_them():
    paper = Paper()
    paper.draw_strokes(random_strokes(50, 2))
    last = paper.current.strokes
    for _ in range(30):
        paper.undo()
    assert all(a is b for a, b in zip(paper.current.strokes, last, strict=False))


def test_history_memory_per_stroke_stays_small_as_the_drawing_grows():
    """Each stroke costs its own points once, not once per undo state."""
    paper = Paper()
    strokes = random_strokes(2000, 4, points=3)
    tracemalloc.start()
    try:
        paper.draw_strokes(strokes[:1000])
        before = tracemalloc.get_traced_memory()[0]
        paper.draw_strokes(strokes[1000:])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Three points and a width are ~0.5 KB as Python objects; a copy of the
    # stroke list per state costs 500 states x 8 bytes = 4 KB per stroke.
    assert grown / 1000 < 1500, f"{grown / 1000:.0f} bytes per stroke"
