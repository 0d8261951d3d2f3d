"""Find the files the app ships with: weights, examples, digits and icons.

The repository keeps them once, at the top level, where people and the
training command expect them (``weights/lenet5.pt``, ``resources/...``). A
package cannot reach files outside itself once installed, so the build
(``setup.py``) copies the files listed in :data:`BUNDLED` into the package,
under ``lenet_gui/_bundled/`` with the same relative paths. That keeps one
copy in git and a complete wheel. Symbolic links inside the package would
do the same on Linux, but not in a Windows checkout, and a build step makes
the list of shipped files explicit.

:func:`bundled_file` looks first inside the package, through
:mod:`importlib.resources`: an installed wheel has ``_bundled/``. A
checkout or an editable install (``pip install -e``) has no ``_bundled/``
(the build step does nothing in editable mode) and a ``pyproject.toml``
beside the package, so the files are read where they are kept, in the
top-level folders, and retraining into ``weights/`` changes what the app
reads. The choice is made once for the whole installation, never
file by file, and an installed package never looks in ``site-packages``
itself, where a stray ``weights/`` folder could be.

This module imports nothing outside the standard library at the top:
``setup.py`` reads :data:`BUNDLED` from it before anything is installed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path, PurePosixPath

__all__ = ["BUNDLED", "BUNDLED_FOLDER", "ICON_SIZES", "bundled_file"]

#: Where the build puts the shipped files inside the package.
BUNDLED_FOLDER = "_bundled"

#: The icon's bitmap sizes in pixels, made by ``resources/make_icon.py``.
ICON_SIZES = (16, 32, 48, 64, 128, 256)

#: Every run-time file the app reads, relative to the repository root (a name
#: ending in "/" is a whole folder). The build ships exactly these.
BUNDLED = (
    "weights/lenet5.pt",
    "weights/lenet5.json",
    "weights/lenet5.checkpoints/",
    "weights/not_digit.pt",
    "weights/segments.pt",
    "resources/examples.json",
    "resources/mnist-test-sample.npz",
    "resources/mnist-train-replay.npz",
    "resources/lenet-gui.desktop",
    "resources/icons/lenet-gui.svg",
    *(f"resources/icons/lenet-gui-{size}.png" for size in ICON_SIZES),
)


def bundled_file(name: str) -> Path:
    """Return where a shipped file is, whether or not it is there.

    Parameters
    ----------
    name : str
        The file's path relative to the repository root, as listed in
        :data:`BUNDLED`, e.g. ``"weights/lenet5.pt"``; a file inside a listed
        folder is allowed too.

    Returns
    -------
    Path
        Inside the installed package when it was installed from a wheel or
        sdist, otherwise in the checkout's top-level folders. A missing file
        is left to the caller to report, with its full path.

    Raises
    ------
    ValueError
        If `name` is not a shipped file: reading it would work in a checkout
        and fail once installed.
    """
    if not _is_shipped(name):
        raise ValueError(f"{name!r} is not a file the app ships (see BUNDLED)")
    return _root() / name


def _is_shipped(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return False
    return any(
        name == entry
        or (entry.endswith("/") and name.startswith(entry) and name != entry)
        for entry in BUNDLED
    )


def _root() -> Path:
    """Return the folder the shipped paths are relative to."""
    package = resources.files("lenet_gui")
    # A zipped package has no real files for torch or numpy to open (and torch
    # cannot be imported from a zip), so only a real folder is expected here.
    if not isinstance(package, Path):
        package = Path(__file__).resolve().parents[1]
    bundled = package / BUNDLED_FOLDER
    if not bundled.is_dir() and (package.parent / "pyproject.toml").is_file():
        return package.parent  # a checkout or an editable install
    return bundled
