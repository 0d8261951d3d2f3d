"""Install anywhere: the wheel carries every run-time file and runs from any folder.

The wheel is built as ``python -m build`` would: an sdist first, then the
wheel from the unpacked sdist, so a file the sdist forgets is missing from the
wheel too. The build runs on a copy of the project's build inputs in a
temporary folder, so it leaves no ``build/`` folder or stale copies in the
checkout. The built wheel is installed with ``pip install --target`` into a
folder of its own and run with ``python -S`` (no site-packages, so no editable
install of the checkout) from a folder outside the checkout; torch, PySide6
and numpy come from this environment's site-packages, named on PYTHONPATH
after the installed wheel.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import shutil
import site
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from lenet_gui.files.idx import load_mnist

REPO = Path(__file__).resolve().parents[1]
MNIST = REPO / "tests" / "data" / "mnist"
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "lenet_gui")
BUILD_INPUTS += ("weights", "resources")
ICON_SIZES = (16, 32, 48, 64, 128, 256)
ICONS = [f"resources/icons/lenet-gui-{size}.png" for size in ICON_SIZES]
CHECKPOINTS = sorted(
    path.relative_to(REPO).as_posix()
    for path in (REPO / "weights" / "lenet5.checkpoints").iterdir()
)
#: What the app reads at run time, listed here independently of BUNDLED.
RUNTIME_FILES = [
    "weights/lenet5.pt",
    "weights/lenet5.json",
    "weights/not_digit.pt",
    "weights/segments.pt",
    *CHECKPOINTS,
    "resources/examples.json",
    "resources/mnist-test-sample.npz",
    "resources/mnist-train-replay.npz",
    "resources/lenet-gui.desktop",
    "resources/icons/lenet-gui.svg",
    *ICONS,
]
SCRIPTS = {
    "lenet-gui": "lenet_gui.gui.cli:main",
    "lenet-train": "lenet_gui.train:main",
    "lenet-evaluate": "lenet_gui.evaluate:main",
    "lenet-adapt": "lenet_gui.adapt:main",
}
TIMEOUT = 120  # seconds for one build or run; all of it takes about 30 s


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command to completion; return its standard output."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    """The sdist of a copy of the project's build inputs."""
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled")
    for name in BUILD_INPUTS:
        if not (REPO / name).exists():
            continue
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=ignore)
        else:
            shutil.copy2(REPO / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    build = "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))"
    name = run([sys.executable, "-c", build, str(dist)], cwd=source).split()[-1]
    return dist / name


@pytest.fixture(scope="module")
def wheel(sdist, tmp_path_factory) -> Path:
    """The wheel pip builds from the sdist, with this environment's setuptools."""
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run(
        [
            *pip,
            "wheel",
            str(sdist),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
        ],
        cwd=out,
    )
    (found,) = out.glob("lenet_gui-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A folder the wheel is installed into, alone, outside the checkout."""
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], cwd=target)
    return target


def outside_env(site_dir: Path) -> dict[str, str]:
    """The environment for ``python -S``: the wheel first, then the dependencies."""
    dependencies = [*site.getsitepackages(), site.getusersitepackages()]
    paths = [str(site_dir), *(p for p in dependencies if os.path.isdir(p))]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), PYTHONNOUSERSITE="1")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


# -- the wheel's content ---------------------------------------------------------------


@pytest.mark.install
def test_wheel_ships_every_runtime_file_once(wheel):
    assert len(CHECKPOINTS) == 12  # index.json and 11 state_dicts
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in RUNTIME_FILES:
            shipped = f"lenet_gui/_bundled/{name}"
            assert shipped in names, f"{name} is missing from {wheel.name}"
            assert sha256(archive.read(shipped)) == sha256((REPO / name).read_bytes())
        (entry_points,) = [
            n for n in names if n.endswith(".dist-info/entry_points.txt")
        ]
        scripts = configparser.ConfigParser()
        scripts.read_string(archive.read(entry_points).decode())
    assert dict(scripts["console_scripts"]) == SCRIPTS
    assert {"lenet_gui/__main__.py", "lenet_gui/files/bundled.py"} <= names
    # One copy of each: nothing outside the package, no training leftovers.
    assert all(n.startswith(("lenet_gui/", "lenet_gui-")) for n in names)
    bundled = {n for n in names if n.startswith("lenet_gui/_bundled/")}
    assert bundled == {f"lenet_gui/_bundled/{n}" for n in RUNTIME_FILES}


@pytest.mark.install
def test_sdist_keeps_the_files_at_the_top_level_only(sdist):
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert set(RUNTIME_FILES) <= names
    assert "setup.py" in names
    assert not any("_bundled" in name for name in names)


# -- the installed wheel, run from elsewhere -------------------------------------------

FIND_FILES = """
import json
from PySide6.QtGui import QGuiApplication
import lenet_gui
from lenet_gui.gui.desktop import app_icon
from lenet_gui.drawing.examples import EXAMPLES_FILE, load_examples
from lenet_gui.network.checkpoints import list_checkpoints
from lenet_gui.explain.top_digits import DIGIT_SET, load_digit_set
from lenet_gui.network.weights import BUNDLED_WEIGHTS, load_model

app = QGuiApplication([])
print(json.dumps({
    "package": lenet_gui.__file__,
    "files": [str(p) for p in (BUNDLED_WEIGHTS, EXAMPLES_FILE, DIGIT_SET)],
    "accuracy": load_model()[1].get("test_accuracy"),
    "checkpoints": len(list_checkpoints(BUNDLED_WEIGHTS)),
    "examples": len(load_examples()),
    "digits": len(load_digit_set().labels),
    "icon": sorted(size.width() for size in app_icon().availableSizes()),
}))
"""


@pytest.mark.install
def test_installed_wheel_finds_every_resource(installed, tmp_path):
    out = run(
        [sys.executable, "-S", "-c", FIND_FILES],
        cwd=tmp_path,
        env=outside_env(installed),
    )
    found = json.loads(out.splitlines()[-1])
    package = installed / "lenet_gui"
    assert Path(found["package"]).parent == package, "imported from the checkout"
    for path in found["files"]:
        assert Path(path).is_relative_to(package / "_bundled"), path
    recorded = json.loads((REPO / "weights" / "lenet5.json").read_text())
    assert found["accuracy"] == recorded["test_accuracy"]  # the metadata was read
    assert found["checkpoints"] == 11
    assert found["examples"] == 24
    assert found["digits"] == 2000
    assert found["icon"] == list(ICON_SIZES)


@pytest.fixture(scope="module")
def seven_png(tmp_path_factory) -> Path:
    """The first MNIST test digit, a 7, dark on light at 112 x 112 pixels."""
    images, labels = load_mnist(MNIST, "test")
    assert labels[0] == 7
    pixels = np.ascontiguousarray(np.kron(255 - images[0], np.ones((4, 4), np.uint8)))
    image = QImage(pixels.data, 112, 112, 112, QImage.Format.Format_Grayscale8)
    path = tmp_path_factory.mktemp("digit") / "seven.png"
    assert image.copy().save(str(path))
    return path


@pytest.mark.install
@pytest.mark.parametrize("how", ["python -m lenet_gui", "lenet-gui"])
def test_installed_wheel_classifies_a_digit_from_any_folder(
    installed, seven_png, tmp_path, how
):
    if how == "lenet-gui":  # the console script pip wrote, run by this Python
        command = [sys.executable, "-S", str(installed / "bin" / "lenet-gui")]
    else:
        command = [sys.executable, "-S", "-m", "lenet_gui"]
    out = run([*command, "--predict", str(seven_png)], tmp_path, outside_env(installed))
    (line,) = out.splitlines()
    assert json.loads(line)["digit"] == 7


@pytest.mark.install
@pytest.mark.parametrize(
    ("script", "option"),
    [("lenet-train", "--output"), ("lenet-evaluate", "--data")]
    + [("lenet-adapt", "--strokes")],
)
def test_installed_training_and_evaluation_scripts_run(
    installed, tmp_path, script, option
):
    command = [sys.executable, "-S", str(installed / "bin" / script), "--help"]
    assert option in run(command, tmp_path, outside_env(installed))


# -- a checkout or editable install ----------------------------------------------------


def test_checkout_reads_the_top_level_folders():
    from lenet_gui.drawing.examples import EXAMPLES_FILE
    from lenet_gui.explain.top_digits import DIGIT_SET
    from lenet_gui.files.bundled import BUNDLED, bundled_file
    from lenet_gui.network.weights import BUNDLED_WEIGHTS

    assert BUNDLED_WEIGHTS == REPO / "weights" / "lenet5.pt"
    assert EXAMPLES_FILE == REPO / "resources" / "examples.json"
    assert DIGIT_SET == REPO / "resources" / "mnist-test-sample.npz"
    for name in RUNTIME_FILES:
        assert bundled_file(name) == REPO / name
        assert (REPO / name).is_file()
    assert {name.rstrip("/") for name in BUNDLED} <= {
        *RUNTIME_FILES,
        "weights/lenet5.checkpoints",
    }


@pytest.mark.parametrize(
    "name", ["weights/other.pt", "../weights/lenet5.pt", "/etc/passwd", "", "setup.py"]
)
def test_bundled_file_refuses_what_is_not_shipped(name):
    from lenet_gui.files.bundled import bundled_file

    with pytest.raises(ValueError, match="not a file the app ships"):
        bundled_file(name)


# -- the icon and the desktop entry ----------------------------------------------------


def test_every_icon_bitmap_has_its_size():
    for size, name in zip(ICON_SIZES, ICONS, strict=True):
        image = QImage(str(REPO / name))
        assert image.size() == QSize(size, size), name
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # a rounded tile, clear corners
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


@pytest.fixture
def app_identity(qapp):
    """Give the shared application back its names and icon after the test."""
    saved = (
        qapp.applicationName(),
        qapp.organizationName(),
        qapp.desktopFileName(),
        qapp.windowIcon(),
    )
    yield qapp
    qapp.setApplicationName(saved[0])
    qapp.setOrganizationName(saved[1])
    qapp.setDesktopFileName(saved[2])
    qapp.setWindowIcon(saved[3])


def test_app_starts_with_its_icon(app_identity, qtbot):
    from lenet_gui.gui import MainWindow
    from lenet_gui.gui.cli import main

    app = app_identity
    QTimer.singleShot(0, app.quit)  # leave the event loop once the window is up
    assert main([]) == 0
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            qtbot.addWidget(widget)  # closed, and its model load joined, afterwards
    sizes = app.windowIcon().availableSizes()
    assert sorted(size.width() for size in sizes) == list(ICON_SIZES)
    assert app.desktopFileName() == "lenet-gui"


def read_desktop_entry(path: Path) -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    entry.optionxform = str  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    return entry["Desktop Entry"]


def test_desktop_entry_file():
    entry = read_desktop_entry(REPO / "resources" / "lenet-gui.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == "LeNet-5 Explorer"
    assert entry["Exec"] == "lenet-gui"
    assert entry["Icon"] == "lenet-gui"
    assert entry["Categories"] == "Education;Science;"
    assert entry["Terminal"] == "false"


def test_desktop_entry_installs_and_uninstalls(tmp_path, monkeypatch, capsys):
    from lenet_gui.gui.desktop import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main([]) == 0
    entry = read_desktop_entry(tmp_path / "applications" / "lenet-gui.desktop")
    # A menu has no virtual environment on PATH: the script by its full path.
    python = os.path.abspath(sys.executable)
    script = Path(python).with_name("lenet-gui")
    if script.is_file():
        assert entry["Exec"] == str(script)
    else:  # run without installing the project
        assert entry["Exec"] == f"{python} -m lenet_gui"
    assert entry["Icon"] == "lenet-gui"
    icons = tmp_path / "icons" / "hicolor"
    for size in ICON_SIZES:
        installed = icons / f"{size}x{size}" / "apps" / "lenet-gui.png"
        assert (
            installed.read_bytes()
            == (REPO / f"resources/icons/lenet-gui-{size}.png").read_bytes()
        )
    assert (icons / "scalable" / "apps" / "lenet-gui.svg").is_file()
    assert main(["--uninstall"]) == 0
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
    assert "installed" in capsys.readouterr().out


def test_desktop_entry_quotes_an_awkward_command(tmp_path):
    from lenet_gui.gui.desktop import install_desktop_entry

    command = ["/opt/my apps/bin/python", "-m", "lenet_gui", '50% "odd" $x\\y']
    install_desktop_entry(tmp_path, command)
    entry = read_desktop_entry(tmp_path / "applications" / "lenet-gui.desktop")
    assert entry["Exec"] == (
        '"/opt/my apps/bin/python" -m lenet_gui "50%% \\\\"odd\\\\" \\\\$x\\\\\\\\y"'
    )


def test_desktop_entry_names_the_script_by_a_clean_full_path(tmp_path, monkeypatch):
    from lenet_gui.gui.desktop import main

    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text("")
    (bin_dir / "lenet-gui").write_text("")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    monkeypatch.setattr(sys, "executable", "../venv/bin/python")  # as typed
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main([]) == 0
    entry = read_desktop_entry(tmp_path / "share/applications/lenet-gui.desktop")
    assert entry["Exec"] == str(bin_dir / "lenet-gui")
