"""Every third-party package the code imports is declared in pyproject.toml, pinned exactly.

A package that only arrives as someone else's dependency can change or vanish with that package's next
release; declaring it (``==``) keeps a clean install the same as the one the tests ran on.
"""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from support.paths import ROOT

LOCAL = {"verifier", "wallet", "app_pages", "app", "bench", "tests", "conftest"}


def _top_level_imports(paths: list[Path]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in LOCAL and top != "__future__":
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _declared() -> dict[str, str]:
    """Normalized distribution name → its requirement, over the dependencies and every extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {_norm(re.split(r"[\[=<>!~ ;]", r, maxsplit=1)[0]): r for r in requirements}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _library_files() -> list[Path]:
    return [*(ROOT / "verifier").rglob("*.py"), *(ROOT / "wallet").rglob("*.py"),
            *(ROOT / "app_pages").rglob("*.py"), ROOT / "app.py"]


def test_every_package_the_product_imports_is_declared_and_pinned():
    declared = _declared()
    by_module = metadata.packages_distributions()
    undeclared = {}
    for module, where in _top_level_imports(_library_files()).items():
        dists = by_module.get(module, [module])
        if not any(_norm(d) in declared for d in dists):
            undeclared[module] = sorted(where)[:3]
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
    unpinned = [r for r in declared.values() if "==" not in r]
    assert not unpinned, f"not pinned exactly: {unpinned}"


def test_the_checker_sees_an_undeclared_import(tmp_path, monkeypatch):
    """The scan itself works: a module importing a package missing from pyproject.toml is found."""
    module = tmp_path / "probe.py"
    module.write_text("import cachetools\nfrom urllib3.util import connection\nimport json\nfrom . import x\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert set(_top_level_imports([module])) == {"cachetools", "urllib3"}
