"""The SVG budget counts what filters cost: their region's area, every use followed."""

from __future__ import annotations

import pytest

from lenet_gui.drawing.image_file import ImageFileError, read_image
from lenet_gui.files.svg_budget import MAX_FILTER_PIXELS, SvgRefused, check_svg

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def blurred_rects(count: int, side: int = 1024, region: str = "") -> bytes:
    """Full-canvas rectangles, each blurred: the freeze a hostile file asks for."""
    rects = "".join(
        f'<rect width="{side}" height="{side}" filter="url(#b)"/>' for _ in range(count)
    )
    return (
        f'{SVG} width="{side}" height="{side}"><filter id="b" {region}>'
        f'<feGaussianBlur stdDeviation="40"/></filter>{rects}</svg>'
    ).encode()


def test_a_hundred_blurred_full_canvas_rectangles_are_refused_before_qt_draws(
    tmp_path,
):
    data = blurred_rects(100)
    assert len(data) < 10_000  # a few kilobytes, within every shape limit
    with pytest.raises(SvgRefused, match="filters"):
        check_svg(data)
    path = tmp_path / "blurs.svg"
    path.write_bytes(data)
    with pytest.raises(ImageFileError, match="filters") as refused:
        read_image(path)
    assert "\n" not in str(refused.value)


def test_the_cost_grows_with_the_area_and_the_uses():
    one = check_svg(blurred_rects(1)).filter_pixels
    assert 1024**2 * 2 <= one <= 1024**2 * 2 * 1.44 + 1  # a blur counts twice
    assert check_svg(blurred_rects(4)).filter_pixels == pytest.approx(4 * one)
    # The same blurs on a 100-pixel drawing cost a hundredth as much: accepted.
    small = check_svg(blurred_rects(100, side=100))
    assert small.filter_pixels == pytest.approx(100 * one * (100 / 1024) ** 2)
    assert small.filter_pixels < MAX_FILTER_PIXELS


def test_uses_of_a_blurred_shape_count_each_time():
    uses = "".join('<use xlink:href="#r"/>' for _ in range(10))
    data = (
        f'{SVG} width="1024" height="1024"><filter id="b"><feGaussianBlur '
        f'stdDeviation="3"/></filter><rect id="r" width="1024" height="1024" '
        f'filter="url(#b)"/>{uses}</svg>'
    ).encode()
    with pytest.raises(SvgRefused, match="filters"):
        check_svg(data)


def test_a_larger_filter_region_costs_more():
    with pytest.raises(SvgRefused, match="filters"):
        check_svg(blurred_rects(1, region='x="-5" y="-5" width="1000%" height="1000%"'))


def test_an_unused_filter_costs_nothing_and_a_plain_digit_nothing_at_all():
    unused = (
        f'{SVG} width="1024" height="1024"><filter id="b"><feGaussianBlur '
        f'stdDeviation="3"/></filter><path d="M 500 100 L 500 900" '
        f'stroke="black" stroke-width="60"/></svg>'
    ).encode()
    assert check_svg(unused).filter_pixels == 0
