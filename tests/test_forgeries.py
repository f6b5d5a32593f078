"""Forgeries that must not verify: duplicate JSON member names (more classes are added below)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from joserfc import jws
from joserfc.jwk import RSAKey

from conftest import fixture_path
from ob2_fixtures import ASSERTION, Issuer, sign, tiny_png
from verifier import verify
from verifier.bake import bake_png
from verifier.context import VerifyContext
from verifier.fetch import SafeFetcher
from verifier.keys import resolve_verification_method

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)
# A real DCC credential (eddsa-rdfc-2022, did:key): verifies offline as it is.
DCC = fixture_path("digitalcredentials-vc-test-fixtures", "vc", "v2", "dataIntegrityProof", "didKey",
                   "legacyRegistry-noStatus-noExpiry-credName.json")
SIGNED_NAME = '"name": "Truth, veracity, candor, and verisimilitude."'


def _with_first_name(text: str, forged: str) -> str:
    """The credential with a second ``name`` member put *before* the signed one: Python (and this
    verifier, before) keeps the last value, so the signature held, while a reader that keeps the first
    value shows ``forged``."""
    assert SIGNED_NAME in text
    return text.replace('"achievementType": "Program",', f'"name": "{forged}", "achievementType": "Program",')


def test_the_genuine_dcc_credential_still_verifies():
    assert verify(DCC.read_bytes(), now=NOW, offline=True).verdict == "valid"


def test_duplicate_member_in_a_signed_credential_is_refused_with_a_sentence():
    forged = _with_first_name(DCC.read_text(), "Doctor of Medicine")
    assert json.loads(forged)["credentialSubject"]["achievement"]["name"].startswith("Truth")  # last wins
    report = verify(forged.encode(), now=NOW, offline=True)
    assert report.verdict != "valid"
    assert report.verdict == "invalid"
    message = " ".join(c.message for c in report.checks)
    assert '"name" appears twice' in message


def test_duplicate_member_in_a_baked_png_is_refused():
    forged = _with_first_name(DCC.read_text(), "Doctor of Medicine")
    report = verify(bake_png(tiny_png(), forged, keyword="openbadgecredential"), now=NOW, offline=True)
    assert report.verdict == "invalid" and '"name" appears twice' in report.checks[-1].message


def test_duplicate_member_deep_inside_an_array_is_refused():
    doc = json.loads(DCC.read_text())
    text = json.dumps(doc).replace('"type": "Image", "caption": "Certificate logo"',
                                   '"type": "Image", "caption": "x", "caption": "Certificate logo"')
    assert text != json.dumps(doc)
    assert verify(text.encode(), now=NOW, offline=True).verdict == "invalid"


def test_duplicate_member_in_a_signed_ob2_payload_is_refused(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    token = sign(issuer.signed_payload(), issuer.private)
    assert verify(token, now=datetime(2024, 6, 1, tzinfo=timezone.utc)).verdict == "valid"
    # The signature covers the payload bytes as sent, so the duplicate is signed: an issuer tool that
    # serializes by string concatenation, or a crafted signing request.
    doubled = json.dumps(issuer.signed_payload()).replace(
        '"badge":', '"badge": "https://attacker.example/b.json", "badge":', 1)
    forged = jws.serialize_compact({"alg": "RS256"}, doubled.encode(), RSAKey.import_key(issuer.private),
                                   algorithms=["RS256"])
    report = verify(forged, now=datetime(2024, 6, 1, tzinfo=timezone.utc))
    assert report.verdict != "valid"
    assert '"badge" appears twice' in " ".join(c.message for c in report.checks)


def test_duplicate_member_in_a_hosted_ob2_assertion_is_refused(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    text = json.dumps(issuer.assertion).replace('"recipient":', '"recipient": {"type": "email", "hashed": false, '
                                                '"identity": "mallory@example.org"}, "recipient":', 1)
    http.get(ASSERTION, body=text, content_type="application/json")
    report = verify(ASSERTION, now=datetime(2024, 6, 1, tzinfo=timezone.utc))
    assert report.verdict != "valid"
    assert '"recipient" appears twice' in " ".join(c.message for c in report.checks)


def test_duplicate_member_in_a_fetched_did_document_is_refused(http):
    body = fixture_path("digitalcredentials-dcc-did-web/did.json").read_text()
    doc = json.loads(body)
    vm = doc["assertionMethod"][0]["id"] if isinstance(doc["assertionMethod"][0], dict) else doc["assertionMethod"][0]
    doubled = body.replace('"assertionMethod"', '"assertionMethod": [], "assertionMethod"', 1)
    assert doubled != body
    http.get("https://digitalcredentials.github.io/dcc-did-web/did.json", body=doubled)
    result = resolve_verification_method(vm if "#" in vm else doc["id"] + vm, VerifyContext(fetcher=SafeFetcher()))
    assert result.key is None
    assert '"assertionMethod" appears twice' in result.error
