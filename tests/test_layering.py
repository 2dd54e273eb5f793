"""Layering: the engine and the deck loader are pure Python (no Qt, no database); the store and the
session controller have no Qt. Checked twice: by importing every module in a fresh interpreter, and
statically over the source (which also catches imports hidden inside functions).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QT = ("PySide6", "shiboken6")
DATABASE = ("sqlalchemy", "sqlmodel")

# package -> top-level modules it must not import
RULES: dict[str, tuple[str, ...]] = {
    "wargame.engine": QT + DATABASE,
    "wargame.deck": QT + DATABASE,
    "wargame.store": QT,
    "wargame.session": QT,
}

IMPORT_ALL = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [package.__name__]
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
    names.append(info.name)
forbidden = tuple(sys.argv[2:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps({"modules": names, "forbidden": loaded}))
"""


def _package_dir(package: str) -> Path:
    return REPO.joinpath(*package.split("."))


@pytest.mark.parametrize("package", sorted(RULES))
def test_importing_every_module_loads_nothing_forbidden(package: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, package, *RULES[package]],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    sources = sorted(_package_dir(package).rglob("*.py"))
    assert len(report["modules"]) == len(sources), "every source file is a module that was imported"
    assert report["forbidden"] == [], f"importing {package} loaded {report['forbidden']}"


def _imported_top_levels(source: str) -> set[str]:
    """Top-level names of every module imported anywhere in `source` (also inside functions)."""
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(RULES))
def test_sources_do_not_import_forbidden_packages(package: str) -> None:
    sources = sorted(_package_dir(package).rglob("*.py"))
    assert sources
    offenders = {
        str(path.relative_to(REPO)): sorted(
            _imported_top_levels(path.read_text(encoding="utf-8")) & set(RULES[package])
        )
        for path in sources
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_static_check_sees_imports() -> None:
    """The checker itself: it finds plain, from-, nested and importlib imports, not relative ones."""
    sample = (
        "import os.path, json\n"
        "from . import sibling\n"
        "from .sibling import thing\n"
        "def f():\n"
        "    import PySide6.QtCore\n"
        "    from sqlmodel import Field\n"
        "importlib.import_module('sqlalchemy.orm')\n"
        "__import__('shiboken6')\n"
    )
    assert _imported_top_levels(sample) == {"os", "json", "PySide6", "sqlmodel", "sqlalchemy", "shiboken6"}
