"""The wallet and the app use only the verifier's public API (``from verifier import …``, names in
``verifier.__all__``); the verifier's submodules are internal and may change under them."""
from __future__ import annotations

import ast
from pathlib import Path

import verifier

ROOT = Path(__file__).resolve().parents[2]


def _verifier_imports(path: Path) -> tuple[list[str], list[str]]:
    """(submodule imports, names imported from ``verifier``) of one file."""
    submodules: list[str] = []
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            submodules += [a.name for a in node.names if a.name.startswith("verifier.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("verifier."):
                submodules.append(node.module)
            elif node.module == "verifier":
                names += [a.name for a in node.names]
    return submodules, names


def _callers() -> list[Path]:
    return [*sorted(ROOT.glob("wallet/**/*.py")), *sorted(ROOT.glob("app_pages/*.py")), ROOT / "app.py"]


def test_wallet_and_app_import_no_verifier_submodule():
    offenders = {str(p.relative_to(ROOT)): subs for p in _callers() if (subs := _verifier_imports(p)[0])}
    assert not offenders, f"import these from `verifier` (add them to verifier.__all__ if they are public): {offenders}"


def test_every_name_taken_from_the_verifier_is_public():
    public = set(verifier.__all__)
    private = {str(p.relative_to(ROOT)): sorted(set(names) - public)
               for p in _callers() if set(names := _verifier_imports(p)[1]) - public}
    assert not private, f"not in verifier.__all__: {private}"


def test_the_check_sees_a_submodule_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from verifier.ob2_normalize import to_badge\nimport verifier.fetch\n"
                     "from verifier import verify\n")
    submodules, names = _verifier_imports(probe)
    assert sorted(submodules) == ["verifier.fetch", "verifier.ob2_normalize"] and names == ["verify"]


def test_nothing_in_the_wallet_parses_badge_payloads_again():
    """The report carries the badge as stated; the wallet never reads ``report.payload`` as JSON."""
    for path in ROOT.glob("wallet/**/*.py"):
        text = path.read_text(encoding="utf-8")
        assert "_badge_of" not in text and "to_badge(" not in text, path
        assert "loads(report.payload" not in text.replace(" ", ""), path
