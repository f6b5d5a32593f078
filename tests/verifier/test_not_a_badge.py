"""Documents that live beside badges are "not a badge" (exit 2, a sentence saying what the file is), and the
wallet refuses to store them: JSON-LD contexts, DID documents, status lists, BadgeClass/Issuer on their own."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from support.files import fixture_path
from support.paths import ROOT

from verifier import verify
from verifier.bake import bake_png
from verifier.cli import main as cli_main
from verifier.detect import not_a_badge
from wallet import Wallet

NOW = datetime(2025, 6, 1, tzinfo=UTC)
CONTEXTS = ROOT / "verifier" / "contexts"
SPEC = ("1edtech-openbadges-specification",)

# (file, words the sentence must contain)
CASES = [
    (CONTEXTS / "openbadges-v2.json", "JSON-LD context document"),
    (CONTEXTS / "credentials-v1.jsonld", "JSON-LD context document"),
    (fixture_path("digitalcredentials-dcc-did-web", "did.json"), "DID document of did:web:digitalcredentials"),
    (fixture_path("digitalcredentials-vc-test-fixtures", "dids", "oidf", "did.json"), "DID document"),
    (fixture_path("1edtech-digital-credentials-public-validator", "ob30", "bit-string-list", "testlist.json"),
     "status list (BitstringStatusListCredential)"),
    (fixture_path("digitalcredentials-credential-status-playground", "JWZM3H8WKU.json"),
     "status list (StatusList2021Credential)"),
    (fixture_path(*SPEC, "ob2-examples", "badgeclass.json"), "BadgeClass (the description of the badge “Awesome"),
    (fixture_path("1edtech-openbadges-validator-core", "components", "1_0_basic_badgeclass.json"), "BadgeClass"),
    (fixture_path(*SPEC, "ob3-examples", "getting-started-achievement.json"), "Achievement"),
    (fixture_path(*SPEC, "ob2-examples", "issuer.json"), "issuer profile “An Example Badge Issuer”"),
    (fixture_path("1edtech-openbadges-validator-core", "components", "1_0_basic_issuer.json"), "issuer profile"),
    (fixture_path(*SPEC, "ob3-examples", "getting-started-issuer-profile.json"), "issuer profile “Example"),
    (fixture_path(*SPEC, "ob2-examples", "revocationlist.json"), "revocation list"),
    (fixture_path(*SPEC, "ob2-examples", "cryptographickey-abbreviated.json"), "public key"),
]

REVOCATION_LIST_2020 = {
    "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc-revocation-list-2020/v1"],
    "id": "https://issuer.example/status/1", "type": ["VerifiableCredential", "RevocationList2020Credential"],
    "issuer": "did:example:issuer", "issuanceDate": "2021-04-05T14:27:40Z",
    "credentialSubject": {"id": "https://issuer.example/status/1#list", "type": "RevocationList2020",
                          "encodedList": "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQsvoAAAAAAAAAAAAAAAAP4GcwM92tQwAAA"}}


@pytest.mark.parametrize("path, words", CASES, ids=[c[0].name for c in CASES])
def test_document_is_not_a_badge_with_a_sentence_saying_what_it_is(path, words, capsys):
    data = path.read_bytes()
    report = verify(data, now=NOW, offline=True)
    assert report.format == "none" and report.badge is None
    [failure] = [c for c in report.checks if c.status == "fail"]
    assert words in failure.message and "not a badge" in failure.message
    assert cli_main(["--json", "--offline", str(path)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "none" and words in out["checks"][-1]["message"]


def test_revocation_list_2020_credential_is_not_a_badge():
    report = verify(json.dumps(REVOCATION_LIST_2020), now=NOW, offline=True)
    assert report.format == "none"
    assert "status list (RevocationList2020Credential)" in report.checks[0].message
    assert "“did:example:issuer”" in report.checks[0].message


@pytest.mark.parametrize("path, words", CASES[:8], ids=[c[0].name for c in CASES[:8]])
def test_wallet_refuses_to_store_them(tmp_path, path, words):
    w = Wallet(tmp_path / "wallet.json", now=NOW, offline=True)
    result = w.import_file(path.name, path.read_bytes())
    assert result.status == "rejected" and words in result.message
    assert w.entries() == []


def test_a_badgeclass_baked_into_a_png_is_not_a_badge(tmp_path):
    from support.ob2_badges import tiny_png

    badgeclass = fixture_path(*SPEC, "ob2-examples", "badgeclass.json").read_text()
    report = verify(bake_png(tiny_png(), badgeclass), now=NOW, offline=True)
    assert report.format == "none" and "BadgeClass" in report.checks[-1].message


def test_a_url_serving_a_badgeclass_is_not_a_badge(http):
    http.get("https://issuer.example/badges/1", json=json.loads(
        fixture_path(*SPEC, "ob2-examples", "badgeclass.json").read_text()))
    report = verify("https://issuer.example/badges/1", now=NOW)
    assert report.format == "none" and "BadgeClass" in report.checks[0].message
    assert "https://issuer.example/badges/1" in report.checks[0].message


@pytest.mark.parametrize("doc", [
    {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://x.example/a/1",
     "recipient": {"type": "email", "identity": "a@b.example", "hashed": False}, "badge": "https://x.example/b",
     "issuedOn": "2020-01-01", "verification": {"type": "hosted"}},
    {"uid": "abc", "recipient": "sha256$00", "badge": {"name": "Old", "criteria": "c", "issuer": {"name": "I",
                                                                                              "origin": "https://i.example"}},
     "issued_on": "2012-01-01"},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
     "issuer": {"id": "did:example:1", "type": "Profile", "name": "I"}, "credentialSubject": {"id": "did:example:2"}},
    {"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:example:1", "type": ["VerifiableCredential"],
     "credentialSubject": {}, "verificationMethod": []},
])
def test_assertions_and_credentials_are_still_badges(doc):
    """The classifier only names documents that are *not* awarded: anything with a recipient, a badge or a
    credential subject goes on to verification."""
    assert not_a_badge(doc) is None
    assert verify(json.dumps(doc), now=NOW, offline=True).format != "none"
