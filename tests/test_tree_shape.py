"""The tree keeps its shape: layer folders, and files and classes one can read.

The import rules themselves are import-linter contracts in pyproject.toml,
checked by ``lint-imports`` in CI; these are the rules it cannot state.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lenet_gui"
MAX_FILE_LINES = 500
MAX_CLASS_LINES = 300
# The package's entry points: `python -m lenet_gui`, and the documented
# `python -m lenet_gui.train / .evaluate / .desktop` commands.
ENTRY_POINTS = {"__init__.py", "__main__.py", "train.py", "evaluate.py", "desktop.py"}
ENTRY_POINTS |= {"adapt.py"}  # python -m lenet_gui.adapt

SOURCES = sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_nothing_but_entry_points_at_the_top_of_the_package():
    loose = {path.name for path in PACKAGE.glob("*.py")}
    assert loose <= ENTRY_POINTS, sorted(loose - ENTRY_POINTS)


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_files_and_classes_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_FILE_LINES
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_CLASS_LINES, f"class {node.name}: {length} lines"


@pytest.mark.parametrize(
    "folder", sorted(p.parent for p in PACKAGE.rglob("__init__.py")), ids=_name
)
def test_every_folder_says_what_it_holds(folder):
    docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text()))
    assert docstring, f"{_name(folder)}/__init__.py has no docstring"


def test_the_entry_modules_only_hand_over_to_their_homes():
    for name in ENTRY_POINTS - {"__init__.py"}:
        tree = ast.parse((PACKAGE / name).read_text())
        imports = [n for n in tree.body if isinstance(n, ast.ImportFrom | ast.Import)]
        defined = [
            n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)
        ]
        assert imports and not defined, name


@pytest.mark.parametrize("path", sorted(Path(__file__).parent.rglob("*.py")), ids=_name)
def test_tests_import_neither_benchmarks_nor_studies(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in {"benchmarks", "studies"}, name
