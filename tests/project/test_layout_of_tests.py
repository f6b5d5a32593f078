"""The test suite's own layout rules.

Tests mirror the code: ``tests/verifier``, ``tests/wallet``, ``tests/app`` (pages in AppTest and the
browser tests) and ``tests/project`` (packaging, dependencies, this file). Shared builders live in
``tests/support`` and are imported as ``support.X``; fixtures come from ``tests/conftest.py`` by name,
never by import; no test module imports another. Files are named for what they guard (not
``test_x_2.py``), names are unique across folders (pytest's default import mode needs that), and a file
whose name says it is adversarial carries the ``attack`` marker, so ``pytest -m attack`` selects it.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FOLDERS = ("verifier", "wallet", "app", "project")
ATTACK_NAME = re.compile(r"attack|forg|hostile")


def _modules() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if "fixtures" not in p.relative_to(TESTS).parts]


def _test_files() -> list[Path]:
    return [p for p in _modules() if p.name.startswith("test_")]


def _imported(path: Path) -> set[str]:
    """Top-level names of every absolute import in ``path`` (function-level imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _imports_conftest(path: Path) -> bool:
    return "conftest" in _imported(path)


def _imports_a_test_module(path: Path) -> bool:
    return any(name.startswith("test_") for name in _imported(path))


def _has_attack_marker(path: Path) -> bool:
    """A module-level ``pytestmark`` that is, or lists, ``pytest.mark.attack``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark"
                                                for t in node.targets):
            return any(isinstance(n, ast.Attribute) and n.attr == "attack" for n in ast.walk(node.value))
    return False


def test_every_test_file_lives_in_a_package_folder():
    misplaced = sorted(str(p.relative_to(TESTS)) for p in _test_files()
                       if p.relative_to(TESTS).parts[0] not in FOLDERS)
    assert not misplaced, f"put test files in tests/{{{','.join(FOLDERS)}}}/: {misplaced}"
    assert {p.relative_to(TESTS).parts[0] for p in _test_files()} == set(FOLDERS)


def test_shared_code_lives_in_support_and_conftest_only_at_the_root():
    stray = sorted(str(p.relative_to(TESTS)) for p in _modules()
                   if not p.name.startswith("test_") and p.relative_to(TESTS).parts[0] != "support"
                   and p.relative_to(TESTS) not in (Path("conftest.py"), Path("interop") / "README.md"))
    assert not stray, f"helpers go to tests/support (imported as support.X): {stray}"
    assert not list((TESTS / "support").glob("test_*.py"))


def test_test_file_names_are_unique_across_folders():
    seen: dict[str, list[str]] = {}
    for p in _test_files():
        seen.setdefault(p.name, []).append(str(p.relative_to(TESTS)))
    assert not {name: paths for name, paths in seen.items() if len(paths) > 1}


def test_no_test_module_imports_another():
    offenders = sorted(str(p.relative_to(TESTS)) for p in _modules() if _imports_a_test_module(p))
    assert not offenders, f"move shared builders to tests/support instead: {offenders}"


def test_no_test_module_imports_conftest():
    offenders = sorted(str(p.relative_to(TESTS)) for p in _modules() if _imports_conftest(p))
    assert not offenders, f"import shared helpers from tests/support, not conftest: {offenders}"


def test_the_import_checks_see_an_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from conftest import load_json\n")
    assert _imports_conftest(probe) and not _imports_a_test_module(probe)
    probe.write_text("def f():\n    from test_app import app\n")
    assert _imports_a_test_module(probe)
    probe.write_text("import test_ob3 as ob3\n")
    assert _imports_a_test_module(probe)
    probe.write_text("from support.files import load_json\nfrom support import ob2_badges\n")
    assert not _imports_conftest(probe) and not _imports_a_test_module(probe)


def test_no_test_file_is_named_by_round():
    """``test_attacks_2.py`` says when it was written, not what it guards (a spec year such as 2018 is fine)."""
    numbered = sorted(p.name for p in _modules() if re.fullmatch(r"test_.*_\d{1,2}\.py", p.name))
    assert not numbered, f"name test files for what they guard: {numbered}"
    assert re.fullmatch(r"test_.*_\d{1,2}\.py", "test_attacks_2.py")
    assert not re.fullmatch(r"test_.*_\d{1,2}\.py", "test_ed25519_2018.py")


def _attack_named() -> list[Path]:
    return sorted(p for p in _test_files() if ATTACK_NAME.search(p.name.removeprefix("test_")))


def test_files_named_as_attacks_carry_the_attack_marker():
    assert len(_attack_named()) >= 4  # app and wallet attacks, forgeries, forged keys
    unmarked = [str(p.relative_to(TESTS)) for p in _attack_named() if not _has_attack_marker(p)]
    assert not unmarked, f"add pytestmark = pytest.mark.attack to: {unmarked}"


def test_the_marker_check_reads_pytestmark(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import pytest\npytestmark = [pytest.mark.browser, pytest.mark.attack]\n")
    assert _has_attack_marker(probe)
    probe.write_text("import pytest\npytestmark = pytest.mark.browser\nattack = 1\n")
    assert not _has_attack_marker(probe)


def test_the_markers_are_registered():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    registered = {m.split(":")[0].strip() for m in options["markers"]}
    assert {"attack", "browser"} <= registered
    assert "tests" in options["pythonpath"]  # `from support.X import ...` works from every folder


def test_minus_m_attack_selects_every_test_of_the_attack_files():
    files = [str(p) for p in _attack_named()]

    def collected(*extra: str) -> str:
        out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                              *extra, *files], cwd=ROOT, capture_output=True, text=True, timeout=240)
        assert out.returncode in (0, 5), out.stdout[-2000:] + out.stderr[-2000:]  # 5: nothing selected
        return out.stdout.strip().splitlines()[-1]

    everything = collected()
    count = re.match(r"(\d+) tests collected", everything)
    assert count and int(count.group(1)) > 50, everything
    assert collected("-m", "attack").startswith(f"{count.group(1)} tests collected")
    assert collected("-m", "not attack").startswith(f"no tests collected ({count.group(1)} deselected)")
