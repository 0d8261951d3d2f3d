"""A bound on what an SVG file costs to draw, checked before Qt sees it.

Qt's SVG renderer draws every ``<use>`` by drawing what it points to again,
so ten levels of ten ``<use>`` elements in a 2.5 KB file ask it to draw ten
thousand million shapes: hours, with the window frozen and no way to stop
it. Qt has no limit of its own, so :func:`check_svg` reads the document
first, with Python's expat parser, and refuses it unless drawing it stays
small:

* no entity declarations (``<!ENTITY ...>``): they are how a small XML file
  expands to gigabytes, and no digit drawing needs them;
* at most :data:`MAX_SVG_BYTES` of XML (after gunzip, for ``.svgz``), at
  most :data:`MAX_ELEMENTS` elements and nesting at most :data:`MAX_DEPTH`
  deep, counting through references;
* at most :data:`MAX_DRAWN` elements drawn once every reference is followed:
  ``href`` (``<use>``, gradients, patterns, text paths) and ``url(#id)`` in
  attributes and styles (fill, stroke, clip paths, masks, filters, markers,
  a marker once for every vertex in the document), with CSS rules in
  ``<style>`` counted as if they applied to every element and vertex;
* at most :data:`MAX_FILTER_PIXELS` pixels run through filters once every
  reference is followed: each filter primitive (``feGaussianBlur`` counted
  twice, as the costliest) costs the area of its filter region, taken as the
  drawing's area at the size it is decoded (at most 1024 pixels a side)
  times the region's share (120 % a side by default). Qt blurs a full
  1024-pixel canvas in 0.3-0.8 s whatever the radius, and clips the region
  to nothing smaller than the element, so a hundred blurred rectangles in a
  few kilobytes would otherwise take minutes;
* no reference that points outside the file (Qt would read any file named in
  an ``<image>``, a FIFO or a device included), nor one that points back to
  itself.

The count is exact for what Qt expands and an upper bound for the rest, and
it takes time linear in the file's size, so the check itself is bounded.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from xml.parsers import expat

__all__ = [
    "MAX_DEPTH",
    "MAX_DRAWN",
    "MAX_ELEMENTS",
    "MAX_FILTER_PIXELS",
    "MAX_SVG_BYTES",
    "SvgRefused",
    "SvgSummary",
    "check_svg",
]

#: Largest SVG document read, in bytes of XML (4 MiB; a digit needs a few KB).
MAX_SVG_BYTES = 4 * 2**20
#: Most elements a document may hold.
MAX_ELEMENTS = 10_000
#: Most elements drawn once every reference is followed.
MAX_DRAWN = 20_000
#: Deepest nesting, counting through references (Qt draws recursively).
MAX_DEPTH = 128
#: Most pixels run through filter primitives, every reference followed
#: (about five blurs of a full 1024 x 1024 drawing: a few seconds).
MAX_FILTER_PIXELS = 16 * 2**20
# The longest side images are decoded at (drawing.image_file.MAX_SIDE).
_RENDER_SIDE = 1024
# Filter primitives that cost more than one pass over their region.
_PRIMITIVE_WEIGHT = {"feGaussianBlur": 2.0, "feConvolveMatrix": 2.0}

_XLINK_HREF = "http://www.w3.org/1999/xlink href"
_SVG_NS = "http://www.w3.org/2000/svg"
_URL = re.compile(r"url\(\s*['\"]?\s*#([^)'\"\s]+)")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_MARKERS = ("marker-start", "marker-mid", "marker-end", "marker")
# Elements whose href names an image file rather than an element.
_IMAGES = ("image", "feImage")
_TEXT = ("text", "tspan", "textPath", "tref", "textArea", "font", "font-face")


class SvgRefused(ValueError):
    """An SVG document refused before drawing; the message says why, one line."""


@dataclass
class SvgSummary:
    """What :func:`check_svg` learnt about an accepted document.

    Attributes
    ----------
    elements : int
        Elements in the file.
    drawn : int
        Elements drawn once every reference is followed (an upper bound).
    filter_pixels : float
        Pixels run through filter primitives (an estimate from above).
    uses_fonts : bool
        Whether it has text or font settings, which need Qt's font database
        (and so a ``QGuiApplication``) to be drawn.
    """

    elements: int
    drawn: int
    uses_fonts: bool
    filter_pixels: float = 0.0


def check_svg(data: bytes) -> SvgSummary:
    """Check that an SVG (or gzipped SVGZ) document is cheap to draw.

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    SvgSummary
        The counts, for a document within every limit.

    Raises
    ------
    SvgRefused
        The document is not well-formed XML, declares entities, is too large,
        too deep or too costly to draw, or refers outside itself or to itself.
    """
    document = _Document()
    document.parse(_inflate(data))
    costs = _Costs(document)
    drawn = costs.of(0, 0)[0]
    return SvgSummary(
        len(document.children) - 1, drawn, document.uses_fonts, costs.filtered(0)
    )


def _inflate(data: bytes) -> bytes:
    """Return the XML of a document, gunzipped when it is gzipped, bounded."""
    if not data.startswith(b"\x1f\x8b"):
        if len(data) > MAX_SVG_BYTES:
            raise SvgRefused(_TOO_LARGE)
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        xml = inflater.decompress(data, MAX_SVG_BYTES + 1)
    except zlib.error as error:
        raise SvgRefused(f"the compressed SVG is damaged ({error})") from None
    if len(xml) > MAX_SVG_BYTES:
        raise SvgRefused(_TOO_LARGE)
    return xml


_TOO_LARGE = (
    f"the SVG holds more than {MAX_SVG_BYTES // 2**20} MiB of XML, "
    f"more than any digit drawing needs"
)
_TOO_DEEP = (
    f"the SVG nests elements (counting <use> references) more than {MAX_DEPTH} deep"
)


class _Document:
    """A document's element tree, ids and references, as parsed.

    Elements are numbered in document order; 0 is the document itself.
    """

    def __init__(self) -> None:
        self.children: list[list[int]] = [[]]
        # Per element: (id referred to, how often: "once", "vertex" or "any")
        self.references: list[list[tuple[str, str]]] = [[]]
        self.ids: dict[str, list[int]] = {}
        self.uses_fonts = False
        self.vertices = 0  # numbers in every d and points: a bound on vertices
        self._open: list[tuple[int, bool]] = [(0, False)]
        # Pixels each element runs through filters itself (filter primitives).
        self.own_filter_pixels: list[float] = [0.0]
        self._canvas = float(_RENDER_SIDE**2)  # the area drawn, once known
        self._regions: dict[int, float] = {}  # <filter> element: region area
        self._style_references: list[str] = []

    def parse(self, xml: bytes) -> None:
        """Read `xml` into the tree; refuse it as soon as it breaks a limit."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self._refuse_entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        try:
            parser.Parse(xml, True)
        except expat.ExpatError as error:
            reason = expat.ErrorString(error.code)
            raise SvgRefused(
                f"the SVG is not well-formed XML ({reason}, line {error.lineno})"
            ) from None
        # A CSS rule may apply to every element, a marker to every vertex.
        self.references[0] += [(name, "any") for name in self._style_references]

    def times(self, how: str) -> int:
        """How many times a reference's target is drawn, at most."""
        if how == "once":
            return 1
        if how == "vertex":  # a marker: once per vertex of the shape
            return max(2, self.vertices)
        return max(2, self.vertices, len(self.children))  # a CSS rule: anywhere

    def _refuse_entity(self, name: str, *_args: object) -> None:
        raise SvgRefused(
            f"the SVG declares the XML entity {name!r}; entities are refused, "
            f"as they can expand a small file without bound"
        )

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        if len(self.children) > MAX_ELEMENTS:
            raise SvgRefused(
                f"the SVG has more than {MAX_ELEMENTS:,} elements, "
                f"more than any digit drawing needs"
            )
        if len(self._open) > MAX_DEPTH:
            raise SvgRefused(_TOO_DEEP)
        namespace, _, name = tag.rpartition(" ")
        index = len(self.children)
        parent = self._open[-1][0]
        self.own_filter_pixels.append(self._filter_pixels(name, parent, attributes))
        if index == 1:
            self._canvas = _canvas_area(attributes)
        self.children.append([])
        self.references.append(_references(name, attributes))
        self.children[self._open[-1][0]].append(index)
        svg = namespace in ("", _SVG_NS)
        self._open.append((index, svg and name == "style"))
        if "id" in attributes:
            self.ids.setdefault(attributes["id"], []).append(index)
        for key in ("d", "points"):
            self.vertices += len(_NUMBER.findall(attributes.get(key, "")))
        if (svg and name in _TEXT) or any("font" in key for key in attributes):
            self.uses_fonts = True
        elif "font" in attributes.get("style", ""):
            self.uses_fonts = True

    def is_filter(self, index: int) -> bool:
        """Whether element `index` is a ``<filter>``."""
        return index in self._regions

    def _filter_pixels(
        self, name: str, parent: int, attributes: dict[str, str]
    ) -> float:
        """Pixels an element runs through a filter each time it is drawn."""
        if name == "filter":
            share = 1.44  # the default region: 120 % of the element a side
            if attributes.get("filterUnits") != "userSpaceOnUse":
                share = max(
                    share, _share(attributes, "width") * _share(attributes, "height")
                )
            self._regions[len(self.children)] = self._canvas * share
            return 0.0
        if name.startswith("fe") and parent in self._regions:
            return _PRIMITIVE_WEIGHT.get(name, 1.0) * self._regions[parent]
        return 0.0

    def _end(self, _tag: str) -> None:
        self._open.pop()

    def _characters(self, text: str) -> None:
        if self._open[-1][1]:  # inside <style>
            self._style_references += _URL.findall(text)
            self.uses_fonts = self.uses_fonts or "font" in text


def _canvas_area(attributes: dict[str, str]) -> float:
    """Area, in pixels, an SVG with these root attributes is decoded at, at most."""
    sides = [_number(attributes.get(key, "")) for key in ("width", "height")]
    if None in sides:
        box = _NUMBER.findall(attributes.get("viewBox", ""))
        sides = [float(box[2]), float(box[3])] if len(box) == 4 else [None, None]
    width, height = sides
    if width is None or height is None or width <= 0 or height <= 0:
        return float(_RENDER_SIDE**2)
    longest = max(width, height)
    scale = min(1.0, _RENDER_SIDE / longest)
    return max(1.0, width * scale) * max(1.0, height * scale)


def _share(attributes: dict[str, str], key: str) -> float:
    """Return a filter region's width or height as a share of its element."""
    value = attributes.get(key, "").strip()
    percent = value.endswith("%")
    number = _number(value[:-1] if percent else value)
    if number is None:
        return 1.2
    return abs(number) / 100 if percent else abs(number)


def _number(value: str) -> float | None:
    match = _NUMBER.match(value.strip())
    if match is None or value.strip().endswith("%"):
        return None
    try:
        return float(match.group())
    except (OverflowError, ValueError):
        return None


def _references(name: str, attributes: dict[str, str]) -> list[tuple[str, str]]:
    """Return what an element refers to, each with how often it is drawn."""
    references = []
    href = attributes.get("href", attributes.get(_XLINK_HREF))
    if href is not None:
        href = href.strip()
        if name in _IMAGES:
            if not href.startswith("data:"):
                raise SvgRefused(
                    "the SVG shows an image from another file; only images "
                    "held in the SVG itself (data: URLs) are read"
                )
        elif href.startswith("#"):
            references.append((href[1:], "once"))
        elif href:
            raise SvgRefused(
                "the SVG refers to another file; only references within "
                "the SVG itself (#id) are read"
            )
    for key, value in attributes.items():
        marker = key in _MARKERS or (key == "style" and "marker" in value)
        how = "vertex" if marker else "once"
        references += [(target, how) for target in _URL.findall(value)]
    return references


class _Costs:
    """Elements drawn under each element, every reference followed, memoised."""

    def __init__(self, document: _Document) -> None:
        self._document = document
        self._known: dict[int, tuple[int, int]] = {}
        self._filtered: dict[int, float] = {}  # filter pixels, as _known
        self._open: set[int] = set()

    def filtered(self, index: int) -> float:
        """Pixels filtered under element `index`, once :meth:`of` has counted it."""
        return self._filtered[index]

    def of(self, index: int, depth: int) -> tuple[int, int]:
        """Return (elements drawn, depth below) for element `index`.

        Raises
        ------
        SvgRefused
            Past :data:`MAX_DRAWN` or :data:`MAX_DEPTH` (checked as the sums
            grow, so the numbers stay small), or on a reference cycle.
        """
        if index not in self._known:
            self._known[index] = self._count(index, depth)
        drawn, below = self._known[index]
        if depth + below > MAX_DEPTH:
            raise SvgRefused(_TOO_DEEP)
        return drawn, below

    def _count(self, index: int, depth: int) -> tuple[int, int]:
        if index in self._open:
            raise SvgRefused("the SVG has an element that refers to itself")
        self._open.add(index)
        document = self._document
        parts = [(child, 1, False) for child in document.children[index]]
        for name, how in document.references[index]:
            times = document.times(how)
            parts += [(target, times, True) for target in document.ids.get(name, ())]
        drawn, below = (1 if index else 0), 0
        filtered = document.own_filter_pixels[index]
        for target, times, referred in parts:
            more, deeper = self.of(target, depth + 1)
            drawn += times * more
            below = max(below, deeper + 1)
            if referred or not document.is_filter(target):  # applied, not defined
                filtered += times * self._filtered[target]
            if filtered > MAX_FILTER_PIXELS:
                raise SvgRefused(
                    f"the SVG's filters (blurs and the like) would process more "
                    f"than {MAX_FILTER_PIXELS / 2**20:.0f} megapixels, which "
                    f"takes Qt too long"
                )
            if drawn > MAX_DRAWN:
                raise SvgRefused(
                    f"drawing the SVG would take more than {MAX_DRAWN:,} shapes "
                    f"once its references (<use>, markers, patterns) are followed"
                )
        self._open.discard(index)
        self._filtered[index] = filtered
        return drawn, below
