"""The issuer-identity level on the check page, the wallet cards and detail, and the public page (AppTest)."""
from __future__ import annotations

import json
from urllib.parse import quote

from nacl.signing import SigningKey
from support.apptest import DEMO, app, no_crash, texts

from verifier import bake_png
from verifier.keys import ed25519_multikey
from verifier.proofs.data_integrity import sign_credential
from wallet.service import Wallet

SEED = 0x51
DID = "did:key:" + ed25519_multikey(SigningKey(bytes([SEED]) * 32).verify_key)
PNG = DEMO["hackathon.png"].path.read_bytes()


def credential(issuer: dict, name: str = "Cloud Security") -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:3c9e1a44-5b6d-4e7f-8a90-1b2c3d4e5f60",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": issuer,
            "validFrom": "2025-01-01T00:00:00Z", "name": name,
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "https://harvard.example/achievements/cloud", "type": ["Achievement"], "name": name,
                "description": "Secured a cloud.", "criteria": {"id": "https://harvard.example/criteria",
                                                                 "narrative": "Pass the exam."}}}}


def impostor() -> bytes:
    """A genuine signature by a fresh did:key that calls itself Harvard University."""
    key = SigningKey(bytes([SEED]) * 32)
    issuer = {"id": DID, "type": ["Profile"], "name": "Harvard University", "url": "https://harvard.example"}
    signed = sign_credential(credential(issuer), key, f"{DID}#{DID[8:]}", created="2025-01-01T00:00:00Z")
    return bake_png(PNG, json.dumps(signed), keyword="openbadgecredential")


def did_web(http) -> bytes:
    key = SigningKey.generate()
    did = "did:web:" + quote("badges.college.example", safe="")
    vm = f"{did}#key-1"
    http.get("https://badges.college.example/.well-known/did.json", json={
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
        "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": ed25519_multikey(key.verify_key)}], "assertionMethod": [vm]})
    signed = sign_credential(credential({"id": did, "type": ["Profile"], "name": "College"}), key, vm,
                             created="2025-01-01T00:00:00Z")
    return bake_png(PNG, json.dumps(signed), keyword="openbadgecredential")


def check(at, data: bytes, name: str = "badge.png"):
    at.switch_page("app_pages/verify_badge.py").run()
    at.file_uploader(key="recruiter_file").set_value((name, data, "image/png")).run()
    no_crash(at)
    return at


def test_check_page_separates_genuine_from_who_the_issuer_is(db):
    at = check(app(), impostor())
    [box] = at.success
    assert box.value.startswith("### Verified") and "genuine" in box.value
    assert "Harvard" not in box.value  # the answer about authenticity names no one
    page = texts(at)
    assert "Issuer not confirmed" in page  # the level, at a glance, outside any expander
    assert "Nothing confirms who issued it: the issuer only calls itself “Harvard University”" in page
    assert "Issuer: calls itself “Harvard University” (not confirmed)" in page
    assert "Issued by: Harvard" not in page
    # Links from the badge's text are not clickable.
    assert not any("](http" in str(m.value) for m in at.markdown)


def test_check_page_uses_the_wallets_registry(db, tmp_path):
    app()
    reg = tmp_path / "reg.json"
    reg.write_text(json.dumps({"meta": {}, "registry": {DID: {"name": "Registered Test College"}}}))
    Wallet(db).add_registry(str(reg))
    at = check(app(), impostor())
    page = texts(at)
    assert "Registered issuer" in page
    assert "Issuer: Registered Test College · listed in the issuer registry reg.json" in page
    assert "the badge says “Harvard University”" in page


def test_check_page_shows_a_did_web_domain(db, http):
    at = check(app(), did_web(http))
    page = texts(at)
    assert "Issuer's website: badges.college.example" in page
    assert "Issuer: whoever controls badges.college.example · calls itself “College”" in page


def test_wallet_cards_and_detail_show_the_level_and_trust_changes_it(db):
    app()
    w = Wallet(db)
    [result] = w.import_files([("harvard.png", impostor())])
    at = app()
    no_crash(at)
    assert any("Issuer not confirmed" in str(m.value) for m in at.markdown)  # on the card
    assert any("calls itself “Harvard University”" in str(c.value) for c in at.caption)
    at.button(key=f"open_{result.entry_id}").click().run()
    page = texts(at)
    assert "Issuer not confirmed" in page and "Nothing confirms who issued it" in page
    at.button(key=f"trust_{result.entry_id}").click().run()
    no_crash(at)
    page = texts(at)
    assert "Issuer you trust" in page and "you marked it as trusted" in page
    assert w.get(result.entry_id).identity.level == "trusted"
    # Settings list the trusted issuer; nothing else is trusted or used by default.
    assert w.issuer_settings().trusted == [DID] and w.issuer_settings().registries == []


def test_public_page_shows_the_level_without_the_owners_trust(db):
    app()
    w = Wallet(db)
    [result] = w.import_files([("harvard.png", impostor())])
    w.set_trusted(DID)
    _, link = w.create_portfolio([result.entry_id], "My skills", expires_days=30)
    at = app(p=link.split("?p=", 1)[1])
    no_crash(at)
    page = texts(at)
    assert "Issuer not confirmed" in page and "Issuer you trust" not in page
    assert "calls itself “Harvard University”" in page
    assert not any("](http" in str(m.value) for m in at.markdown)


def test_demo_badges_show_a_level_on_every_card(db):
    at = app()
    no_crash(at)
    chips = [str(m.value) for m in at.markdown if "-badge[" in str(m.value)]
    assert chips and all("Issuer" in c for c in chips if "Verified" in c or "Revoked" in c)


def endorsed_badge() -> bytes:
    """A did:key badge whose achievement carries a genuine and a tampered endorsement."""
    from support.endorsements import endorsement
    good = endorsement(SigningKey(bytes([0x61]) * 32), "https://harvard.example/achievements/cloud",
                       name="Cloud Alliance")
    bad = endorsement(SigningKey(bytes([0x62]) * 32), "https://harvard.example/achievements/cloud", name="Forger")
    bad["credentialSubject"]["endorsementComment"] = "Changed after signing."
    key = SigningKey(bytes([SEED]) * 32)
    doc = credential({"id": DID, "type": ["Profile"], "name": "Harvard University"})
    doc["credentialSubject"]["achievement"]["endorsement"] = [good, bad]
    signed = sign_credential(doc, key, f"{DID}#{DID[8:]}", created="2025-01-01T00:00:00Z")
    return bake_png(PNG, json.dumps(signed), keyword="openbadgecredential")


def test_endorsements_are_shown_on_all_three_pages(db):
    at = check(app(), endorsed_badge())
    assert at.success and at.success[0].value.startswith("### Verified")  # a forged endorsement changes nothing
    page = texts(at)
    assert "Endorsements (2):" in page
    assert "Someone calling itself “Cloud Alliance” endorses the achievement; the endorsement is genuine" in page
    assert "An endorsement from someone calling itself “Forger” did not pass verification" in page
    w = Wallet(db)
    [result] = w.import_files([("endorsed.png", endorsed_badge())])
    at = app()
    at.button(key=f"open_{result.entry_id}").click().run()
    assert "Cloud Alliance" in texts(at) and "Endorsements (2):" in texts(at)
    _, link = w.create_portfolio([result.entry_id], "Endorsed", expires_days=30)
    at = app(p=link.split("?p=", 1)[1])
    no_crash(at)
    assert "Endorsements (2):" in texts(at) and "“Cloud Alliance” endorses the achievement" in texts(at)
