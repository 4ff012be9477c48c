"""Every package PaidUp's code imports is one it declares, or a pip-installed PaidUp (and the
bundle, whose spec leaves test tools out) would fail at the first import of it."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def imported_top_level_names() -> dict[str, Path]:
    names: dict[str, Path] = {}
    for source in (ROOT / "desktop_app").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [node.module]
            else:
                continue
            for name in found:
                names.setdefault(name.split(".")[0], source)
    return names


def test_every_imported_package_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    distributions = packages_distributions()
    undeclared = {}
    for name, where in imported_top_level_names().items():
        # _typeshed: the standard library's stubs, imported by type checkers only
        if name in sys.stdlib_module_names or name in ("desktop_app", "__future__", "_typeshed"):
            continue
        providers = {canonicalize_name(d) for d in distributions.get(name, [name])}
        if not providers & declared:
            undeclared[name] = str(where.relative_to(ROOT))
    assert undeclared == {}
