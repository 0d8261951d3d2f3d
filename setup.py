"""Build step: ship the bundled weights and run-time resources in the package.

Everything else about the project is in ``pyproject.toml``; this file only
adds one step to ``build_py``. The shipped files are kept once in git, in the
top-level ``weights/`` and ``resources/`` folders, and listed in
``lenet_gui/files/bundled.py`` (``BUNDLED``, which also says how the app finds
them). The step copies each into ``lenet_gui/_bundled/`` in the built
package, and names them as sources, so an sdist carries them and a wheel
built from the sdist has them too. A listed file that is missing stops the
build: a wheel without its weights only fails later, on someone else's
machine. An editable install (``pip install -e``) copies nothing; the app
reads the checkout's own folders.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGE = "lenet_gui"


def _bundled_module() -> ModuleType:
    """Load lenet_gui/files/bundled.py alone: its package's imports may be absent."""
    path = ROOT / PACKAGE / "files" / "bundled.py"
    spec = importlib.util.spec_from_file_location("_lenet_gui_bundled", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bundled_sources() -> list[str]:
    """Return the files to ship, relative to the root, with folders expanded.

    Hidden files (a training run's half-written ``.index-*.tmp``) and
    ``__pycache__`` are left out.

    Raises
    ------
    FileNotFoundError
        If a listed file or folder is missing.
    """
    files = []
    for entry in _bundled_module().BUNDLED:
        path = ROOT / entry
        if entry.endswith("/") and path.is_dir():
            files += sorted(
                found.relative_to(ROOT).as_posix()
                for found in path.rglob("*")
                if found.is_file()
                and not any(part.startswith((".", "__")) for part in found.parts)
            )
        elif not entry.endswith("/") and path.is_file():
            files.append(entry)
        else:
            raise FileNotFoundError(f"{entry}: listed in BUNDLED but missing")
    return files


class BuildPyWithBundled(build_py):
    """``build_py`` that also copies the bundled files into the package."""

    def run(self) -> None:
        """Build the package, then copy the bundled files into it."""
        super().run()
        if self.editable_mode:
            return
        # Start empty, so a file dropped from the list leaves no stale copy.
        shutil.rmtree(self._bundled_dir(), ignore_errors=True)
        for source in bundled_sources():
            target = self._target(source)
            self.mkpath(str(target.parent))
            self.copy_file(str(ROOT / source), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """List the built files, the bundled ones included."""
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return [*outputs, *(str(self._target(s)) for s in bundled_sources())]

    def get_source_files(self) -> list[str]:
        """List the sources, so an sdist (made from this list) carries them."""
        return [*super().get_source_files(), *bundled_sources()]

    def _bundled_dir(self) -> Path:
        return Path(self.build_lib, PACKAGE, _bundled_module().BUNDLED_FOLDER)

    def _target(self, source: str) -> Path:
        return self._bundled_dir() / source


setup(cmdclass={"build_py": BuildPyWithBundled})
