"""SVG files are bounded before Qt draws them.

A 2.5 KB SVG of ten levels of ten nested ``<use>`` asks Qt to draw 10^10
shapes: hours with the window frozen. Every test that hands a hostile SVG to
the real reader runs it in a child process with a timeout, so a regression
fails instead of hanging the suite.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from image_samples import grey_qimage, save

from lenet_gui.drawing.image_file import ImageFileError, image_formats, read_image
from lenet_gui.files.idx import load_mnist
from lenet_gui.files.svg_budget import (
    MAX_DEPTH,
    MAX_DRAWN,
    MAX_ELEMENTS,
    MAX_SVG_BYTES,
    SvgRefused,
    check_svg,
)

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"
SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
# Far longer than any bounded read takes, far shorter than the bomb would.
GUARD = 120

pytestmark = pytest.mark.skipif(
    "svg" not in image_formats(), reason="no Qt SVG plugin here"
)


def use_bomb(levels: int = 10, fan: int = 10) -> bytes:
    """`levels` levels of `fan` ``<use>`` each: fan**levels squares to draw."""
    parts = [f'<svg {SVG} width="100" height="100"><defs>']
    parts.append('<rect id="l0" width="1" height="1"/>')
    for level in range(1, levels + 1):
        uses = f'<use xlink:href="#l{level - 1}"/>' * fan
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use xlink:href="#l{levels}"/></svg>')
    return "".join(parts).encode()


def use_chain(length: int) -> bytes:
    """Groups side by side, each drawing the next through a <use>."""
    groups = "".join(
        f'<g id="l{i}"><use xlink:href="#l{i + 1}"/></g>' for i in range(length)
    )
    return f'<svg {SVG}>{groups}<rect id="l{length}"/></svg>'.encode()


def run_guarded(script: str, *args: str, env=None) -> subprocess.CompletedProcess:
    """Run a Python script in a child process; fail (not hang) past GUARD s."""
    environment = dict(os.environ if env is None else env)
    environment["QT_QPA_PLATFORM"] = "offscreen"
    environment["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "tests")])
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script), *args],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            timeout=GUARD,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still drawing after {GUARD} s: the SVG is not bounded")


READ = """
    import json, sys
    from lenet_gui.drawing.image_file import ImageFileError, read_image
    try:
        a = read_image(sys.argv[1])
        print(json.dumps({"shape": list(a.shape), "max": float(a.max())}))
    except ImageFileError as error:
        print(json.dumps({"error": error.reason}))
"""


def read_in_child(path: Path) -> dict:
    run = run_guarded(READ, str(path))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


# --- the bomb, through every way in ---------------------------------------------------


def test_nested_use_bomb_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.svg"
    path.write_bytes(use_bomb())
    assert path.stat().st_size < 3000
    result = read_in_child(path)
    assert "use" in result["error"] and f"{MAX_DRAWN:,}" in result["error"]


def test_nested_use_bomb_named_png_is_refused_too(tmp_path):
    """The content decides the format, so a wrong suffix is no way around it."""
    path = tmp_path / "innocent.png"
    path.write_bytes(use_bomb())
    assert "use" in read_in_child(path)["error"]


def test_predict_reports_the_bomb_and_goes_on(tmp_path):
    bomb = tmp_path / "bomb.svg"
    bomb.write_bytes(use_bomb())
    digit = load_mnist(MNIST_DIR, "test")[0][0]
    good = save(grey_qimage(digit), tmp_path / "seven.png")
    run = run_guarded(
        "import sys; from lenet_gui.gui.cli import main; sys.exit(main())",
        "--predict",
        str(bomb),
        str(good),
    )
    assert run.returncode == 1, run.stderr
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    assert first["file"] == str(bomb) and "use" in first["error"]
    assert second["file"] == str(good) and second["digit"] == 7


WINDOW_OPENS_BOMB = """
    import json, sys
    from PySide6.QtWidgets import QApplication, QMessageBox
    from lenet_gui.gui import MainWindow
    from lenet_gui.network.classifier import Classifier

    app = QApplication([])
    said = []
    QMessageBox.warning = staticmethod(lambda _w, _t, text, *_: said.append(text))
    window = MainWindow(Classifier.load())
    window.show()
    before = window.canvas.to_array().copy()
    opened = window.files.open_image(sys.argv[1])
    app.processEvents()
    same = bool((window.canvas.to_array() == before).all())
    print(json.dumps({"opened": opened, "said": said, "canvas kept": same}))
    window.close()
"""


def test_window_refuses_the_bomb_and_keeps_its_canvas(tmp_path):
    path = tmp_path / "bomb.svg"
    path.write_bytes(use_bomb())
    run = run_guarded(WINDOW_OPENS_BOMB, str(path))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["opened"] is False and report["canvas kept"] is True
    (said,) = report["said"]
    assert "bomb.svg" in said and "use" in said and "\n" not in said


def test_image_from_a_fifo_is_refused_not_waited_for(tmp_path):
    """Qt reads any file an <image> names; a FIFO would block it for ever."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    path = tmp_path / "peek.svg"
    path.write_text(
        f'<svg {SVG} width="10" height="10">'
        f'<image xlink:href="{fifo}" width="10" height="10"/></svg>'
    )
    assert "another file" in read_in_child(path)["error"]


# --- SVGs that are fine still load ----------------------------------------------------


def bar_svg(uses: int) -> str:
    """A 100x80 picture of `uses` bars, each drawn through one <use>."""
    bars = "".join(
        f'<use xlink:href="#bar" x="{20 + 25 * i}" y="0"/>' for i in range(uses)
    )
    return (
        f'<svg {SVG} width="100" height="80">'
        '<defs><rect id="bar" y="10" width="10" height="60" fill="#202020"/></defs>'
        f"{bars}</svg>"
    )


def test_svg_drawn_with_use_still_loads(tmp_path):
    path = tmp_path / "bars.svg"
    path.write_text(bar_svg(3))
    a = read_image(path)
    assert a.shape == (80, 100)
    for left in (20, 45, 70):
        assert a[40, left + 5] == pytest.approx(1.0)  # inside a bar: opaque
        assert a[40, left + 15] == 0.0  # between bars: transparent
    assert a[5, 25] == 0.0


def test_compressed_svgz_still_loads(tmp_path):
    path = tmp_path / "bars.svgz"
    path.write_bytes(gzip.compress(bar_svg(2).encode()))
    a = read_image(path)
    assert a.shape == (80, 100) and a[40, 25] == pytest.approx(1.0)


def test_svg_with_a_doctype_but_no_entities_loads(tmp_path):
    path = tmp_path / "doctype.svg"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + bar_svg(1)
    )
    assert read_image(path)[40, 25] == pytest.approx(1.0)


# --- the budget itself ----------------------------------------------------------------


def test_the_count_follows_use_exactly_enough():
    # 3 levels of 5: 5 + 25 + 125 squares drawn; the check counts every
    # element once more for <defs>, so it is an upper bound, not far off.
    summary = check_svg(use_bomb(levels=3, fan=5))
    assert 155 < summary.drawn < 2 * 400
    assert summary.elements == 2 + 1 + 3 * 6 + 1
    assert not summary.uses_fonts


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (use_bomb(), "shapes"),
        (use_bomb(levels=30, fan=2), "shapes"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg>&b;</svg>',
            "entity",
        ),
        (
            b'<!DOCTYPE svg [<!ENTITY % p SYSTEM "/dev/zero"> %p;]><svg/>',
            "entity",
        ),
        (f'<svg {SVG}><g id="a"><use xlink:href="#a"/></g></svg>'.encode(), "itself"),
        (
            f'<svg {SVG}><use id="a" href="#b"/><use id="b" href="#a"/></svg>'.encode(),
            "itself",
        ),
        (
            f'<svg {SVG}><use xlink:href="other.svg#x"/></svg>'.encode(),
            "another file",
        ),
        (
            b"<svg>" + b"<g>" * (MAX_DEPTH + 5) + b"</g>" * (MAX_DEPTH + 5) + b"</svg>",
            "deep",
        ),
        (use_chain(MAX_DEPTH), "deep"),
        (b"<svg>" + b"<rect/>" * (MAX_ELEMENTS + 1) + b"</svg>", "elements"),
        (b"<svg><rect", "well-formed"),
        (b"\x1f\x8b" + b"not really gzip", "damaged"),
        (gzip.compress(b"<svg>" + b" " * (MAX_SVG_BYTES + 10) + b"</svg>"), "MiB"),
        (b"<svg>" + b" " * (MAX_SVG_BYTES + 10) + b"</svg>", "MiB"),
    ],
    ids=[
        "use bomb 10x10",
        "use bomb 30x2",
        "billion laughs",
        "parameter entity",
        "use of its own group",
        "use cycle",
        "use of another file",
        "nested too deep",
        "use chain too deep",
        "too many elements",
        "not XML",
        "broken gzip",
        "gzip bomb",
        "too large",
    ],
)
def test_refused(document, reason):
    with pytest.raises(SvgRefused, match=reason) as refused:
        check_svg(document)
    assert "\n" not in str(refused.value)


def test_markers_count_once_per_vertex():
    """A marker is drawn at every vertex: a long path of them is costly."""
    marker = '<marker id="m">' + '<circle r="1"/>' * 50 + "</marker>"
    points = " ".join(f"{i} {i}" for i in range(400))
    document = (
        f"<svg {SVG}><defs>{marker}</defs>"
        f'<polyline points="{points}" marker-mid="url(#m)"/></svg>'
    )
    with pytest.raises(SvgRefused, match="shapes"):
        check_svg(document.encode())
    few = document.replace(points, "0 0 5 5 9 9")
    assert check_svg(few.encode()).drawn < 1000


def test_text_is_noticed_as_needing_fonts():
    assert check_svg(f"<svg {SVG}><text>7</text></svg>".encode()).uses_fonts
    styled = f'<svg {SVG}><g style="font-size: 9px"><rect/></g></svg>'
    assert check_svg(styled.encode()).uses_fonts
    assert not check_svg(bar_svg(2).encode()).uses_fonts


def test_a_refused_svg_is_an_image_file_error(tmp_path):
    """In process too, for the one-line reason (the bound makes this safe)."""
    path = tmp_path / "laughs.svg"
    path.write_text('<!DOCTYPE svg [<!ENTITY a "x">]><svg>&a;</svg>')
    with pytest.raises(ImageFileError, match="laughs.svg: .*entity"):
        read_image(path)


def test_data_image_inside_the_svg_is_allowed():
    document = (
        f'<svg {SVG}><image xlink:href="data:image/png;base64,iVBORw0KGgo=" '
        'width="1" height="1"/></svg>'
    )
    assert check_svg(document.encode()).elements == 2
