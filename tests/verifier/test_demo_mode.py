"""Demo only in demo mode: the demo issuer's mirror (its keys are public) is used only then."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.paths import ROOT

import verifier
import wallet
from verifier import SafeFetcher, verify
from verifier.cli import main as verify_cli
from verifier.demo import DEMO_DIR, DEMO_MIRRORS, demo_mirrors, demo_mode
from wallet import Wallet
from wallet.demo import demo_files, load_demo
from wallet.settings import settings_from_env

DEMO = {f.filename: f for f in demo_files()}
# Badges whose issuer lives under issuer.demo.example (the OB 3.0 ones use a did:key and need no mirror).
HOSTED_DEMO = ["workshop-participant.png", "data-analysis.png", "first-aid.png"]


@pytest.fixture
def demo_off(monkeypatch):
    monkeypatch.delenv("BADGE_WALLET_DEMO", raising=False)


@pytest.mark.parametrize("value, on", [("1", True), ("true", True), ("ON", True), ("", False), ("0", False),
                                       ("maybe", False), (None, False)])
def test_demo_mode_is_on_only_when_asked(value, on):
    env = {} if value is None else {"BADGE_WALLET_DEMO": value}
    assert demo_mode(env) is on


def test_without_demo_mode_the_demo_issuer_is_not_served(demo_off, tmp_path):
    assert demo_mirrors(False) == {} and not settings_from_env().demo
    w = Wallet.from_settings(settings_from_env().with_db(str(tmp_path / "w.json")), offline=True)
    assert w.mirrors == {} and not w.demo
    results = load_demo(w)
    by_name = {r.filename: r for r in results}
    for name in HOSTED_DEMO:
        assert by_name[name].verdict != "valid", (name, by_name[name].message)
    report = verify(DEMO["data-analysis.png"].path.read_bytes(), fetcher=SafeFetcher(offline=True,
                                                                                       mirrors=demo_mirrors(False)))
    assert report.verdict == "unverifiable" and report.check("mirror") is None


def test_in_demo_mode_the_demo_set_verifies_with_a_mirror_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("BADGE_WALLET_DEMO", "1")
    assert Wallet(tmp_path / "plain.json").mirrors == {}  # the library never turns demo mode on by itself
    w = Wallet.from_settings(settings_from_env().with_db(str(tmp_path / "w.json")), offline=True)
    assert w.demo and w.mirrors == DEMO_MIRRORS
    results = {r.filename: r for r in load_demo(w)}
    assert results["data-analysis.png"].verdict == "valid"
    entry = w.get(results["data-analysis.png"].entry_id)
    assert any(c["id"] == "mirror" and c["status"] == "warn" for c in entry.report["checks"])


def test_verifier_cli_uses_the_demo_issuer_only_with_demo(demo_off, capsys):
    badge = str(DEMO["data-analysis.png"].path)
    assert verify_cli(["--offline", badge]) == 1
    assert "UNVERIFIABLE" in capsys.readouterr().out
    assert verify_cli(["--offline", "--demo", badge]) == 0
    assert "VALID" in capsys.readouterr().out


def test_app_first_run_imports_demo_badges_only_in_demo_mode(demo_off, tmp_path, monkeypatch):
    monkeypatch.setenv("BADGE_WALLET_DB", str(tmp_path / "w.json"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert Wallet(tmp_path / "w.json").entries() == []
    assert not [b for b in at.button if b.label == "Load demo badges"]
    assert any("Your wallet is empty" in str(i.value) for i in at.info)


def test_default_wallet_lives_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("BADGE_WALLET_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.delenv("BADGE_WALLET_DEMO", raising=False)
    assert settings_from_env().wallet_path == tmp_path / "data-home" / "badge-wallet" / "wallet.json"
    monkeypatch.setenv("BADGE_WALLET_DEMO", "1")  # the demo set never lands in the learner's own wallet
    assert settings_from_env().wallet_path == tmp_path / "data-home" / "badge-wallet" / "demo-wallet.json"
    assert Wallet(demo=True).path == settings_from_env().wallet_path
    package = Path(wallet.__file__).resolve().parent.parent
    assert package not in settings_from_env().wallet_path.parents


def test_demo_files_are_package_data_without_private_keys():
    assert DEMO_DIR == Path(verifier.__file__).resolve().parent / "demo_data"
    assert {f.filename for f in demo_files()} == {p.name for p in (DEMO_DIR / "badges").iterdir()}
    seed = (ROOT / "data" / "demo" / "keys" / "issuer-ed25519-seed.hex").read_text().strip()
    for path in DEMO_DIR.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"PRIVATE KEY" not in data and seed.encode() not in data, path
    assert not (DEMO_DIR / "keys").exists()
