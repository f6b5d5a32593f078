"""The wallet package has no import cycle.

The facade (``wallet.service``) sits on modules that each do one job; a cycle between them (even one
hidden in a function-level import) would make the order of imports matter and is refused here.
Imports under ``if TYPE_CHECKING:`` are only for annotations and are not counted.
"""
from __future__ import annotations

import ast
from pathlib import Path

WALLET = Path(__file__).resolve().parents[2] / "wallet"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _wallet_imports(path: Path, package: str = "wallet") -> set[str]:
    """Modules of ``package`` that ``path`` imports (module level and inside functions)."""
    found: set[str] = set()
    known = {p.stem for p in path.parent.glob("*.py")}

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:
                target = module.split(".")[0]
                if target:
                    found.add(target)
                else:  # from . import a, b
                    found.update(a.name for a in node.names if a.name in known)
            elif node.level == 0 and module.split(".")[0] == package:
                parts = module.split(".")
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == package and len(parts) > 1:
                    found.add(parts[1])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(path.stem)
    return found


def import_graph(folder: Path = WALLET) -> dict[str, set[str]]:
    modules = {p.stem: p for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")}
    return {name: _wallet_imports(path) & set(modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path a → b → … → a), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def test_wallet_modules_import_no_cycle():
    graph = import_graph()
    assert {"service", "core", "importer", "uploads", "backup", "entries", "reverify", "trust", "sharing",
            "profile", "settings"} <= set(graph)
    assert find_cycle(graph) is None, f"import cycle in wallet/: {' -> '.join(find_cycle(graph) or [])}"


def test_the_core_imports_none_of_the_jobs():
    """core.py is what every job shares; it must not reach back up to them (or to the facade)."""
    assert not import_graph()["core"] & {"service", "importer", "uploads", "backup", "entries", "reverify",
                                         "trust", "sharing", "profile"}


def test_the_cycle_check_sees_a_cycle_even_inside_a_function(tmp_path):
    (tmp_path / "a.py").write_text("from .b import x\n")
    (tmp_path / "b.py").write_text("def f():\n    from . import a\n")
    (tmp_path / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import y\n")
    graph = import_graph(tmp_path)
    assert graph["c"] == set()
    assert find_cycle(graph) in (["a", "b", "a"], ["b", "a", "b"])
    (tmp_path / "b.py").write_text("x = 1\n")
    assert find_cycle(import_graph(tmp_path)) is None

