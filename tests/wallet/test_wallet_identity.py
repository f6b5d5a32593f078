"""The wallet's issuer-identity settings: registries and trusted issuers, stored, applied, never shown to others."""
from __future__ import annotations

import json

import pytest
from nacl.signing import SigningKey
from support.ob2_badges import tiny_png
from support.wallet_badges import NOW, baked_ob3_badge

from verifier.keys import ed25519_multikey
from wallet import Wallet
from wallet.cli import main as wallet_main
from wallet.store import WalletError

SEED = 0x33
DID = "did:key:" + ed25519_multikey(SigningKey(bytes([SEED]) * 32).verify_key)


def impostor() -> bytes:
    return baked_ob3_badge(tiny_png(), SEED, credential_id="urn:uuid:9d7e0c5a-1111-4c1e-9d0e-0a1b2c3d4e5f",
                           name="Data Stewardship", issuer_name="Harvard University", valid_from="2025-01-01T00:00:00Z",
                           achievement={"description": "d", "criteria": {"narrative": "n"}})


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "wallet.json", now=NOW, mirrors={})


def registry(tmp_path, name: str = "Registered College") -> str:
    path = tmp_path / "reg.json"
    path.write_text(json.dumps({"meta": {}, "registry": {DID: {"name": name}}}))
    return str(path)


def test_nothing_is_trusted_by_default(w):
    [result] = w.import_files([("a.png", impostor())])
    entry = w.get(result.entry_id)
    assert entry.verdict == "valid" and entry.identity.level == "self-asserted"
    assert entry.identity.claimed_name == "Harvard University"
    assert w.issuer_settings().registries == [] and w.issuer_settings().trusted == []
    [summary] = w.summaries()
    assert summary.identity.level == "self-asserted"  # the card's level comes without reading the report


def test_trusting_an_issuer_updates_stored_badges_without_verifying_again(w):
    [result] = w.import_files([("a.png", impostor())])
    assert w.set_trusted(DID) == 1
    entry = w.get(result.entry_id)
    assert entry.identity.level == "trusted" and entry.verdict == "valid"
    check = next(c for c in entry.report["checks"] if c["id"] == "issuer-identity")
    assert check["status"] == "pass" and "trusted" in check["message"]
    assert w.summaries()[0].identity.level == "trusted"
    assert w.reverify()[0].verdict == "valid" and w.get(result.entry_id).identity.level == "trusted"
    assert w.set_trusted(DID, False) == 1
    assert w.get(result.entry_id).identity.level == "self-asserted"


def test_public_portfolio_ignores_the_owners_trust(w):
    [result] = w.import_files([("a.png", impostor())])
    w.set_trusted(DID)
    portfolio, link = w.create_portfolio([result.entry_id], "Mine")
    view = w.open_portfolio(link)
    [badge] = view.badges
    assert badge.verdict == "valid" and badge.issuer_identity["level"] == "self-asserted"
    assert "calls itself “Harvard University”" in badge.summary


def test_registry_setting_applies_to_import_and_public_page(w, tmp_path):
    load = w.add_registry(registry(tmp_path))
    assert load.ok and w.issuer_settings().registries == [str(tmp_path / "reg.json")]
    [result] = w.import_files([("a.png", impostor())])
    entry = w.get(result.entry_id)
    assert entry.identity.level == "registry" and entry.identity.name == "Registered College"
    _, link = w.create_portfolio([result.entry_id], "Mine")
    assert w.open_portfolio(link).badges[0].issuer_identity["name"] == "Registered College"
    assert w.remove_registry(str(tmp_path / "reg.json"))
    assert w.reverify()[0].verdict == "valid" and w.get(result.entry_id).identity.level == "self-asserted"


def test_a_broken_registry_is_refused_with_a_sentence(w, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(WalletError, match="not valid JSON"):
        w.add_registry(str(bad))
    assert w.issuer_settings().registries == []


def test_damaged_settings_file_is_read_as_empty(w, tmp_path):
    (tmp_path / "wallet.issuers.json").write_text("[1, 2")
    assert w.issuer_settings().trusted == []
    [result] = w.import_files([("a.png", impostor())])
    assert w.get(result.entry_id).verdict == "valid"


def test_wallet_cli_registry_and_trust(tmp_path, capsys):
    db = str(tmp_path / "wallet.json")
    badge = tmp_path / "a.png"
    badge.write_bytes(impostor())
    assert wallet_main(["--db", db, "registry", "list"]) == 0
    assert "No issuer registry is in use" in capsys.readouterr().out
    assert wallet_main(["--db", db, "import", str(badge)]) == 0
    assert wallet_main(["--db", db, "trust", DID]) == 0
    assert "1 badge(s) updated" in capsys.readouterr().out
    assert wallet_main(["--db", db, "trust"]) == 0
    assert DID in capsys.readouterr().out
    assert wallet_main(["--db", db, "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["issuer_identity"]["level"] == "trusted" and row["verdict"] == "valid"
    assert wallet_main(["--db", db, "registry", "add", registry(tmp_path)]) == 0
    assert "1 issuers" in capsys.readouterr().out
    assert wallet_main(["--db", db, "registry", "add", str(tmp_path / "missing.json")]) == 2
    assert "cannot be read" in capsys.readouterr().err
