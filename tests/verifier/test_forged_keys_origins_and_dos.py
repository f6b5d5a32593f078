"""Adversarial review of verifier/: forgeries that must never come out ``valid``, and DoS inputs.

Each test is an attack that worked (or nearly did) against an earlier version of the verifier; the
docstring says what the attacker gains if the check regresses.
"""
from __future__ import annotations

import base64
import copy
import json
import time
from datetime import UTC, datetime

import pytest
from joserfc.jwk import OKPKey
from nacl.signing import SigningKey, VerifyKey
from support.data_integrity import NOW, credential, did_key, did_web_document
from support.ob2_badges import ASSERTION, BADGECLASS, ISSUER, Issuer, hashed, public_pem, rsa_key
from support.ob2_badges import sign as sign_jws
from support.vc_jwt import sign

from verifier import verify
from verifier.keys import did_web_url, ed25519_multikey
from verifier.proofs.data_integrity import sign_credential

pytestmark = pytest.mark.attack

OB2_NOW = datetime(2024, 6, 1, tzinfo=UTC)
VICTIM_DID = "did:web:university.example"
ATTACKER_DID = "did:web:attacker.example"
ATTACKER_VM = "did:web:attacker.example#key-1"


def _fails(report) -> str:
    return " ".join(f"[{c.id}] {c.message}" for c in report.checks if c.status == "fail")


# --- keys: a controller document may only speak for itself -------------------------------------

def test_did_document_cannot_claim_its_key_is_controlled_by_another_did(http):
    """The attacker's own DID document lists a key whose ``controller`` names the victim's DID. If the
    method's self-declared controller were believed, anyone could issue as any DID."""
    key = SigningKey.generate()
    http.get("https://attacker.example/.well-known/did.json",
             json=did_web_document(ATTACKER_DID, ATTACKER_VM, key, controller=VICTIM_DID))
    report = verify(sign_credential(credential(VICTIM_DID), key, ATTACKER_VM, created="2025-01-01T00:00:00Z"), now=NOW)
    assert report.verdict == "invalid", report.checks
    binding = report.check("key-owner")
    assert binding.status == "fail" and "does not authorize" in binding.message


def test_https_controller_document_cannot_claim_another_controller(http):
    key = SigningKey.generate()
    vm = "https://attacker.example/keys#k1"
    http.get("https://attacker.example/keys", json={
        "id": "https://attacker.example/keys",
        "verificationMethod": [{"id": vm, "type": "Multikey", "controller": "https://university.example/issuer",
                                "publicKeyMultibase": ed25519_multikey(key.verify_key)}],
        "assertionMethod": [vm]})
    report = verify(sign_credential(credential("https://university.example/issuer"), key, vm, created="2025-01-01T00:00:00Z"), now=NOW)
    assert report.verdict == "invalid", report.checks


def test_vcjwt_kid_in_attacker_did_claiming_the_issuer_as_controller_is_not_bound(http):
    """VC-JWT flavour of the same forgery: ``kid`` points into the attacker's DID document."""
    jwk = OKPKey.generate_key("Ed25519")
    raw = base64.urlsafe_b64decode(jwk.as_dict(private=False)["x"] + "==")
    http.get("https://attacker.example/.well-known/did.json",
             json=did_web_document(ATTACKER_DID, ATTACKER_VM, SigningKey.generate(), controller=VICTIM_DID)
             | {"verificationMethod": [{"id": ATTACKER_VM, "type": "Multikey", "controller": VICTIM_DID,
                                        "publicKeyMultibase": ed25519_multikey(VerifyKey(raw))}]})
    payload = credential(VICTIM_DID)
    token = sign(payload, jwk, "EdDSA", kid=ATTACKER_VM)
    report = verify(token, now=NOW)
    assert report.verdict == "invalid", report.checks
    assert report.check("key-owner").status == "fail"


def test_did_web_host_with_url_delimiters_is_refused():
    """``did:web:attacker.example%23.university.example`` would be fetched from attacker.example's
    root while reading like a university sub-domain."""
    for did in ("did:web:attacker.example%23.university.example", "did:web:attacker.example%3Fx.university.example",
                "did:web:attacker.example%5C.university.example", "did:web:university.example%20", "did:web:university.example%0A"):
        assert did_web_url(did) is None, did
    assert did_web_url("did:web:localhost%3A8443") == "https://localhost:8443/.well-known/did.json"


# --- JSON-LD: nothing shown may be left out of what is signed -----------------------------------

def test_blank_node_vocab_hides_added_fields_from_the_signature():
    """``@vocab: "_:"`` (or a term mapped to a blank node) makes pyld emit blank-node predicates,
    which RDF canonicalization drops silently: the field is displayed yet not signed."""
    key = SigningKey.generate()
    did, vm = did_key(key)
    doc = credential(did)
    doc["issuer"] = {"id": did, "name": "Example University"}  # no type: Profile's scoped terms absent
    vc = sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z")
    forged = copy.deepcopy(vc)
    forged["issuer"]["@context"] = {"@vocab": "_:"}
    forged["issuer"]["email"] = "registrar@university.example"
    report = verify(forged, now=NOW)
    assert report.verdict == "invalid", report.checks
    assert "email" in report.check("unsigned-fields").message

    term = copy.deepcopy(vc)
    term["@context"] = term["@context"] + [{"grade": "_:grade"}]
    term["credentialSubject"]["grade"] = "A+"
    report = verify(term, now=NOW)
    assert report.verdict == "invalid" and "grade" in report.check("unsigned-fields").message


# --- OB2 hosted: where the assertion lives ------------------------------------------------------

def test_embedded_issuer_cannot_vouch_for_other_origins(http):
    """An attacker hosts an assertion on their own site with an embedded BadgeClass whose embedded
    issuer claims the real issuer's id and lists the attacker's host in allowedOrigins."""
    real = Issuer()
    real.serve(http, assertion=False)
    url = "https://evil.example/a.json"
    badgeclass = {**real.badgeclass, "issuer": {**real.profile, "verification": {
        "type": "VerificationObject", "allowedOrigins": ["evil.example"]}}}
    assertion = {**real.assertion, "id": url, "badge": badgeclass,
                 "recipient": {"type": "email", "hashed": True, "salt": "x", "identity": hashed("mallory@x.org", "x")}}
    http.get(url, json=assertion)
    report = verify(url, now=OB2_NOW)
    assert report.verdict != "valid", report.checks
    assert report.check("origin").status == "fail"


def test_hosted_assertion_redirected_to_another_origin_is_not_valid(http):
    """An open redirect on the issuer's site must not let another host serve the 'issuer's copy'."""
    real = Issuer()
    real.serve(http, assertion=False)
    url = "https://issuer.example/go?to=https://evil.example/a.json"
    forged = {**real.assertion, "id": url,
              "recipient": {"type": "email", "hashed": True, "salt": "x", "identity": hashed("mallory@x.org", "x")}}
    http.get("https://issuer.example/go", status=302, headers={"Location": "https://evil.example/a.json"})
    http.get("https://evil.example/a.json", json=forged)
    report = verify(url, now=OB2_NOW)
    assert report.verdict != "valid", report.checks
    assert "evil.example" in report.check("origin").message


def test_hosted_redirect_within_the_issuers_origin_stays_valid(http):
    real = Issuer()
    real.serve(http, assertion=False)
    http.get(ASSERTION, status=301, headers={"Location": "https://issuer.example/assertions/1-moved.json"})
    http.get("https://issuer.example/assertions/1-moved.json", json=real.assertion)
    report = verify(ASSERTION, now=OB2_NOW)
    assert report.verdict == "valid", _fails(report)
    assert (BADGECLASS, ISSUER) == (report.badge.badge_class_id, report.badge.issuer.id)


def test_signed_badge_issuer_profile_redirected_to_another_origin_is_not_trusted(http):
    """An open redirect on the issuer's site must not let another host serve the issuer's profile (and
    with it the list of keys the issuer owns)."""
    real = Issuer()
    attacker = Issuer(private=rsa_key(1))
    profile_url = "https://issuer.example/go?to=https://evil.example/issuer.json"
    http.get("https://issuer.example/go", status=302, headers={"Location": "https://evil.example/issuer.json"})
    http.get("https://evil.example/issuer.json", json={**real.profile, "publicKey": [
        {"id": "https://evil.example/key", "owner": ISSUER, "publicKeyPem": public_pem(attacker.private)}]})
    payload = {**real.signed_payload(), "badge": {**real.badgeclass, "issuer": profile_url},
               "verification": {"type": "SignedBadge", "creator": "https://evil.example/key"}}
    report = verify(sign_jws(payload, attacker.private), now=OB2_NOW)
    assert report.verdict != "valid", report.checks
    assert "evil.example" in report.check("issuer").message


# --- denial of service: errors as values, never an exception ------------------------------------

def _nested(depth: int) -> dict:
    root: dict = {}
    node = root
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


def test_absurdly_deep_json_is_refused_not_raised(http):
    """100 000 nested objects overflow the JSON parser's recursion; 500 parse but then crash every
    recursive step after it (the report's to_dict, JSON-LD expansion)."""
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    token = "e30." + base64.urlsafe_b64encode(deep.encode()).rstrip(b"=").decode() + ".c2ln"
    for source in (deep, deep.encode(), token):
        report = verify(source, now=NOW)
        assert report.verdict == "invalid" and report.format == "none", report.checks
    ob2 = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://x.example/a",
           "extra": _nested(500)}
    for source in (json.dumps(ob2), ob2):
        report = verify(source, now=NOW)
        assert report.verdict == "invalid" and "nested" in report.checks[0].message
        report.to_dict()
    http.get("https://x.example/a", body=json.dumps(ob2))
    report = verify("https://x.example/a", now=NOW)
    assert report.verdict != "valid"
    report.to_dict()


def test_legitimately_nested_credential_is_still_read():
    key = SigningKey.generate()
    did, vm = did_key(key)
    doc = credential(did)
    doc["credentialSubject"]["achievement"]["alignment"] = [{"type": ["Alignment"], "targetName": "x",
                                                             "targetUrl": "https://example.org/a",
                                                             "targetType": "CFItem"}]
    report = verify(json.dumps(sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z")), now=NOW)
    assert report.verdict == "valid", _fails(report)


def test_number_too_long_to_read_is_refused_not_raised():
    report = verify('{"@context": "https://w3id.org/openbadges/v2", "issuedOn": ' + "9" * 5000 + "}", now=NOW)
    assert report.verdict == "invalid" and "cannot be read safely" in report.checks[0].message


def test_embedded_issuer_without_id_cannot_borrow_a_website(http):
    """An embedded issuer with no id but the real issuer's ``url``: the badge record would show that
    url as the issuer's id, so the badge must be hosted there."""
    real = Issuer()
    url = "https://evil.example/a.json"
    issuer = {"type": "Issuer", "name": "Example Robotics School", "url": "https://issuer.example"}
    assertion = {**real.assertion, "id": url, "badge": {**real.badgeclass, "id": "https://evil.example/b",
                                                        "issuer": issuer}}
    http.get(url, json=assertion)
    report = verify(url, now=OB2_NOW)
    assert report.verdict != "valid", report.checks
    assert report.check("origin").status == "fail"
    # The same embedded issuer on its own website is fine.
    own = {**assertion, "id": "https://issuer.example/a.json"}
    http.get("https://issuer.example/a.json", json=own)
    assert verify("https://issuer.example/a.json", now=OB2_NOW).verdict == "valid"


def test_did_document_with_thousands_of_assertion_methods_is_read_once(http):
    """Each assertionMethod entry used to re-read (re-parse) the whole DID document: quadratic, so a
    5 MB document held a VC-JWT check for hours."""
    jwk = OKPKey.generate_key("Ed25519")
    did = "did:web:big.example"
    doc = {"id": did, "verificationMethod": [{"id": did + "#k", "type": "JsonWebKey", "controller": did,
                                              "publicKeyJwk": jwk.as_dict(private=False)}],
           "assertionMethod": [f"{did}#x{i}" for i in range(8000)] + [did + "#k"] * 8000}
    http.get("https://big.example/.well-known/did.json", json=doc)
    start = time.monotonic()
    report = verify(sign(credential(did), jwk, "EdDSA"), now=NOW)
    assert time.monotonic() - start < 5
    assert report.verdict == "valid", _fails(report)


def test_hundreds_of_proofs_are_refused_quickly():
    key = SigningKey.generate()
    did, vm = did_key(key)
    vc = sign_credential(credential(did), key, vm, created="2025-01-01T00:00:00Z")
    vc["proof"] = [vc["proof"]] * 500
    start = time.monotonic()
    report = verify(vc, now=NOW)
    assert time.monotonic() - start < 5
    assert report.verdict == "unverifiable" and "500 proofs" in report.check("signature").message
