"""The test suite's own layout rules: fixtures come from conftest by name, never by import, and test
files are named for what they guard (not ``test_x_2.py``)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _modules() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if "fixtures" not in p.relative_to(TESTS).parts]


def _imports_conftest(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "conftest" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "conftest":
            return True
    return False


def test_no_test_module_imports_conftest():
    offenders = sorted(str(p.relative_to(TESTS)) for p in _modules() if _imports_conftest(p))
    assert not offenders, f"import shared helpers from tests/support, not conftest: {offenders}"


def test_the_conftest_check_sees_an_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from conftest import load_json\n")
    assert _imports_conftest(probe)
    probe.write_text("from support.files import load_json\n")
    assert not _imports_conftest(probe)


def test_no_test_file_is_named_by_round():
    """``test_attacks_2.py`` says when it was written, not what it guards (a spec year such as 2018 is fine)."""
    numbered = sorted(p.name for p in _modules() if re.fullmatch(r"test_.*_\d{1,2}\.py", p.name))
    assert not numbered, f"name test files for what they guard: {numbered}"
    assert re.fullmatch(r"test_.*_\d{1,2}\.py", "test_attacks_2.py")
