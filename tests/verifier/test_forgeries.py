"""Forgeries that must not verify: duplicate JSON member names (more classes are added below)."""
from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime

import pytest
from joserfc import jws
from joserfc.jwk import RSAKey
from support.files import fixture_path
from support.ob2_badges import ASSERTION, Issuer, sign, tiny_png

from verifier import verify
from verifier.bake import bake_png
from verifier.context import VerifyContext
from verifier.fetch import SafeFetcher
from verifier.keys import resolve_verification_method

pytestmark = pytest.mark.attack

NOW = datetime(2026, 3, 1, tzinfo=UTC)
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
    assert verify(token, now=datetime(2024, 6, 1, tzinfo=UTC)).verdict == "valid"
    # The signature covers the payload bytes as sent, so the duplicate is signed: an issuer tool that
    # serializes by string concatenation, or a crafted signing request.
    doubled = json.dumps(issuer.signed_payload()).replace(
        '"badge":', '"badge": "https://attacker.example/b.json", "badge":', 1)
    forged = jws.serialize_compact({"alg": "RS256"}, doubled.encode(), RSAKey.import_key(issuer.private),
                                   algorithms=["RS256"])
    report = verify(forged, now=datetime(2024, 6, 1, tzinfo=UTC))
    assert report.verdict != "valid"
    assert '"badge" appears twice' in " ".join(c.message for c in report.checks)


def test_duplicate_member_in_a_hosted_ob2_assertion_is_refused(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    text = json.dumps(issuer.assertion).replace('"recipient":', '"recipient": {"type": "email", "hashed": false, '
                                                '"identity": "mallory@example.org"}, "recipient":', 1)
    http.get(ASSERTION, body=text, content_type="application/json")
    report = verify(ASSERTION, now=datetime(2024, 6, 1, tzinfo=UTC))
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


# --- cross-origin redirects during key discovery -------------------------------------------------
# The real-world shape: a university site with an open redirect (``/out?next=…``). The attacker points
# the university's key document address at it; the redirect lands on a server the attacker runs.

UNI = "https://www.uni.example"
EVIL = "https://evil.example"
OPEN_REDIRECT = f"{UNI}/out?next="


def _ob3(issuer: str) -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:6c1d0c8e-1d3a-4a4e-9d5f-000000000007",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer, "type": ["Profile"], "name": "University of Example"},
            "validFrom": "2025-01-01T00:00:00Z", "name": "Doctor of Medicine",
            "credentialSubject": {"id": "did:example:mallory", "type": ["AchievementSubject"],
                                  "achievement": {"id": f"{UNI}/achievements/md", "type": ["Achievement"],
                                                  "name": "Doctor of Medicine", "description": "d",
                                                  "criteria": {"narrative": "n"}}}}


def _did_doc(did: str, key, vm_id: str | None = None) -> dict:
    from verifier.keys import ed25519_multikey
    vm_id = vm_id or f"{did}#key-1"
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
            "verificationMethod": [{"id": vm_id, "type": "Multikey", "controller": did,
                                    "publicKeyMultibase": ed25519_multikey(key.verify_key)}],
            "assertionMethod": [vm_id]}


def _redirect(http, url: str, location: str, status: int = 302) -> None:
    http.get(url, status=status, headers={"Location": location})


def _signed_by(key, issuer: str, vm: str) -> dict:
    from verifier.proofs.data_integrity import sign_credential
    return sign_credential(_ob3(issuer), key, vm, created="2025-01-01T00:00:00Z")


def _said(report) -> str:
    return " ".join(c.message for c in report.checks)


def test_did_web_document_redirected_to_another_origin_is_refused(http):
    from nacl.signing import SigningKey
    attacker = SigningKey.generate()
    did = "did:web:www.uni.example"
    _redirect(http, f"{UNI}/.well-known/did.json", f"{OPEN_REDIRECT}{EVIL}/did.json")
    _redirect(http, f"{OPEN_REDIRECT}{EVIL}/did.json", f"{EVIL}/did.json")
    http.get(f"{EVIL}/did.json", json=_did_doc(did, attacker))
    report = verify(_signed_by(attacker, did, f"{did}#key-1"), now=NOW)
    assert report.verdict != "valid"
    assert report.verdict == "invalid"  # a definite refusal, not "try again later"
    said = _said(report)
    assert f"redirected to {EVIL}/did.json" in said and "another origin" in said


def test_did_web_same_origin_redirect_is_still_followed(http):
    from nacl.signing import SigningKey
    key = SigningKey.generate()
    did = "did:web:www.uni.example"
    _redirect(http, f"{UNI}/.well-known/did.json", "/keys/did.json", status=301)  # relative, same origin
    http.get(f"{UNI}/keys/did.json", json=_did_doc(did, key))
    report = verify(_signed_by(key, did, f"{did}#key-1"), now=NOW)
    assert report.verdict == "valid", _said(report)


def test_same_origin_redirects_beyond_the_cap_are_refused(http):
    from nacl.signing import SigningKey

    from verifier.fetch import MAX_REDIRECTS
    key = SigningKey.generate()
    did = "did:web:www.uni.example"
    hops = [f"{UNI}/.well-known/did.json"] + [f"{UNI}/hop/{i}" for i in range(MAX_REDIRECTS + 1)]
    for here, there in itertools.pairwise(hops):
        _redirect(http, here, there)
    http.get(hops[-1], json=_did_doc(did, key))
    report = verify(_signed_by(key, did, f"{did}#key-1"), now=NOW)
    assert report.verdict != "valid" and "too many redirects" in _said(report)


def test_https_controller_document_redirected_to_another_origin_is_refused(http):
    from nacl.signing import SigningKey
    attacker = SigningKey.generate()
    issuer = f"{UNI}/issuer"
    _redirect(http, issuer, f"{OPEN_REDIRECT}{EVIL}/issuer")
    _redirect(http, f"{OPEN_REDIRECT}{EVIL}/issuer", f"{EVIL}/issuer")
    http.get(f"{EVIL}/issuer", json=_did_doc(issuer, attacker, f"{issuer}#key-1"))
    report = verify(_signed_by(attacker, issuer, f"{issuer}#key-1"), now=NOW)
    assert report.verdict == "invalid"
    assert f"redirected to {EVIL}/issuer, on another origin" in _said(report)


def test_https_controller_document_upgraded_to_https_on_the_same_host_is_followed(http):
    from nacl.signing import SigningKey
    key = SigningKey.generate()
    issuer = "http://www.uni.example/issuer"
    _redirect(http, issuer, f"{UNI}/issuer", status=301)
    http.get(f"{UNI}/issuer", json=_did_doc(issuer, key, f"{issuer}#key-1"))
    report = verify(_signed_by(key, issuer, f"{issuer}#key-1"), now=NOW)
    assert report.verdict == "valid", _said(report)


def test_jwks_redirected_to_another_origin_is_refused(http):
    import warnings

    from joserfc.jws import JWSRegistry
    attacker = RSAKey.generate_key(2048)
    _redirect(http, f"{UNI}/.well-known/jwks.json", f"{OPEN_REDIRECT}{EVIL}/jwks.json")
    _redirect(http, f"{OPEN_REDIRECT}{EVIL}/jwks.json", f"{EVIL}/jwks.json")
    http.get(f"{EVIL}/jwks.json", json={"keys": [{**attacker.as_dict(private=False), "kid": "k1", "use": "sig"}]})
    registry = JWSRegistry(algorithms=["RS256"], strict_check_header=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jws.serialize_compact({"alg": "RS256", "kid": "k1"}, json.dumps(_ob3(f"{UNI}/issuer")).encode(),
                                      attacker, registry=registry)
    report = verify(token, now=NOW)
    assert report.verdict != "valid"
    assert f"redirected to {EVIL}/jwks.json, on another origin" in _said(report)


def test_ob1_key_behind_an_open_redirect_on_the_issuer_site_is_refused(http):
    from cryptography.hazmat.primitives.asymmetric import rsa
    from support.ob2_badges import public_pem
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_url = f"{OPEN_REDIRECT}{EVIL}/public.pem"  # on the issuer's site, so the OB 1.0 origin rule passes
    _redirect(http, key_url, f"{EVIL}/public.pem")
    http.get(f"{EVIL}/public.pem", body=public_pem(attacker))
    http.get(f"{UNI}/badge.json", json={"name": "Old Badge", "description": "d", "image": "/i.png",
                                        "criteria": "/c", "issuer": f"{UNI}/org.json"})
    http.get(f"{UNI}/org.json", json={"name": "University of Example", "url": UNI})
    payload = {"uid": "1", "recipient": {"type": "email", "hashed": False, "identity": "m@evil.example"},
               "badge": f"{UNI}/badge.json", "issuedOn": 1373681532, "verify": {"type": "signed", "url": key_url}}
    report = verify(sign(payload, attacker), now=datetime(2024, 6, 1, tzinfo=UTC))
    assert report.verdict != "valid"
    assert f"redirected to {EVIL}/public.pem" in _said(report)


def test_ob2_key_document_redirected_to_another_origin_is_refused(http):
    from support.ob2_badges import KEY, public_pem, rsa_key
    issuer = Issuer()
    attacker = rsa_key(3)
    issuer.serve(http, assertion=False)
    http.upsert("GET", KEY, status=302, headers={"Location": f"{EVIL}/key.json"})
    http.get(f"{EVIL}/key.json", json={**issuer.key, "publicKeyPem": public_pem(attacker)})
    report = verify(sign(issuer.signed_payload(), attacker), now=datetime(2024, 6, 1, tzinfo=UTC))
    assert report.verdict != "valid" and f"redirected to {EVIL}/key.json" in _said(report)


@pytest.mark.parametrize("start, target, same", [
    ("https://a.example/x", "https://a.example/y?z", True),
    ("https://a.example/x", "https://A.EXAMPLE:443/y", True),
    ("http://a.example/x", "https://a.example/y", True),  # upgrade
    ("https://a.example/x", "http://a.example/y", False),  # downgrade
    ("https://a.example/x", "https://a.example:8443/y", False),
    ("https://a.example/x", "https://b.a.example/y", False),
    ("https://a.example/x", "https://a.example.evil.example/y", False),
])
def test_same_origin_rule(start, target, same):
    from verifier.fetch import same_origin_url
    assert same_origin_url(start, target) is same


def test_a_cached_cross_origin_answer_is_still_refused_to_a_key_lookup(http):
    _redirect(http, f"{UNI}/doc.json", f"{EVIL}/doc.json")
    http.get(f"{EVIL}/doc.json", json={"id": "x"})
    fetcher = SafeFetcher()
    assert fetcher.get(f"{UNI}/doc.json").ok  # a hosted badge may move; an ordinary fetch follows
    strict = fetcher.get(f"{UNI}/doc.json", same_origin=True)
    assert not strict.ok and strict.redirect_refused and f"redirected to {EVIL}/doc.json" in strict.error


# --- two different badges in one file --------------------------------------------------------------

def _png_with(*chunks: tuple[str, str]) -> bytes:
    """A PNG carrying one iTXt chunk per (keyword, text), before IEND."""
    import struct
    import zlib

    png = tiny_png()
    extra = b""
    for keyword, text in chunks:
        body = keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
        extra += struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    return png[:-12] + extra + png[-12:]


def test_two_different_badges_under_the_two_png_keywords_are_refused():
    from verifier import unbake
    genuine = DCC.read_text()
    other = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                        "id": "https://issuer.example/assertions/1.json"})
    for order in ((("openbadges", other), ("openbadgecredential", genuine)),
                  (("openbadgecredential", genuine), ("openbadges", other))):
        data = _png_with(*order)
        result = unbake(data)
        assert not result.ok and "more than one badge" in result.error
        assert "'openbadges'" in result.error and "'openbadgecredential'" in result.error
        report = verify(data, now=NOW, offline=True)
        assert report.verdict != "valid" and "more than one badge" in report.checks[0].message


def test_the_same_badge_under_both_png_keywords_is_one_badge():
    data = _png_with(("openbadges", DCC.read_text()), ("openbadgecredential", DCC.read_text()))
    assert verify(data, now=NOW, offline=True).verdict == "valid"


# --- VCDM structure ------------------------------------------------------------------------------

def _resigned(mutate, *, suite: str = "eddsa-rdfc-2022", created: str = "2025-01-01T00:00:00Z"):
    """The DCC credential re-signed by a did:key of ours after ``mutate(doc)``."""
    from nacl.signing import SigningKey

    from verifier.keys import ed25519_multikey
    from verifier.proofs.data_integrity import sign_credential
    key = SigningKey(b"\x07" * 32)
    did = "did:key:" + ed25519_multikey(key.verify_key)
    doc = json.loads(DCC.read_text())
    doc.pop("proof")
    doc["issuer"]["id"] = did
    mutate(doc)
    return sign_credential(doc, key, f"{did}#{did[8:]}", cryptosuite=suite, created=created)


def test_vc_context_must_come_first_even_when_signed():
    def reorder(doc):
        doc["@context"] = [doc["@context"][1], doc["@context"][0], doc["@context"][2]]
    report = verify(_resigned(reorder), now=NOW)
    assert report.verdict == "invalid"
    structure = next(c for c in report.checks if c.id == "structure")
    assert structure.status == "fail" and "first @context" in structure.message
    assert "order of contexts is significant" in structure.message


def test_an_inline_context_before_the_vc_context_is_refused():
    def inline_first(doc):
        doc["@context"].insert(0, {"name": "https://attacker.example/name"})
    report = verify(_resigned(inline_first), now=NOW)
    assert report.verdict == "invalid" and "first @context is an inline context" in _said(report)


def test_vcdm_1_1_context_first_is_accepted():
    v1 = fixture_path("digitalcredentials-vc-test-fixtures", "vc", "v1", "dataIntegrityProof", "didKey",
                      "legacy-noStatus-noExpiry.json")
    report = verify(v1.read_bytes(), now=NOW, offline=True)
    assert report.verdict == "valid" and "first @context" not in _said(report)


def test_vc_jwt_with_the_vc_context_second_is_refused():
    import base64
    import warnings

    from joserfc.jwk import OKPKey
    from joserfc.jws import JWSRegistry
    from nacl.signing import VerifyKey

    from verifier.keys import ed25519_multikey
    key = OKPKey.generate_key("Ed25519")
    x = key.as_dict(private=False)["x"]
    did = "did:key:" + ed25519_multikey(VerifyKey(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))))
    cred = json.loads(DCC.read_text())
    cred.pop("proof")
    cred["issuer"]["id"] = did
    cred["@context"] = [cred["@context"][1], cred["@context"][0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jws.serialize_compact({"alg": "EdDSA", "kid": f"{did}#{did[8:]}"}, json.dumps(cred).encode(), key,
                                      registry=JWSRegistry(algorithms=["EdDSA"]))
    report = verify(token, now=NOW)
    assert report.verdict == "invalid" and "first @context" in _said(report)


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_proof_created_after_now_is_not_valid(suite):
    doc = _resigned(lambda d: None, suite=suite, created="2026-03-02T00:00:00Z")  # a day after NOW
    report = verify(doc, now=NOW)
    assert report.verdict == "invalid"
    assert "created on 2026-03-02T00:00:00Z, after the time it is checked at" in _said(report)
    assert verify(doc, now=datetime(2026, 3, 3, tzinfo=UTC)).verdict == "valid"  # fine once it is past


def test_a_proof_created_a_moment_ahead_is_a_clock_difference():
    doc = _resigned(lambda d: None, created="2026-03-01T00:02:00Z")  # two minutes ahead of NOW
    assert verify(doc, now=NOW).verdict == "valid"


def test_eddsa_jcs_proof_context_removed_after_signing_fails():
    doc = _resigned(lambda d: None, suite="eddsa-jcs-2022")
    assert doc["proof"]["@context"] == doc["@context"]  # signed as the spec says: options carry the context
    assert verify(doc, now=NOW).verdict == "valid"
    stripped = json.loads(json.dumps(doc))
    del stripped["proof"]["@context"]
    report = verify(stripped, now=NOW)
    assert report.verdict == "invalid" and "altered after signing" in _said(report)


def test_eddsa_jcs_proof_signed_without_a_context_as_earlier_drafts_did_verifies():
    import hashlib

    import rfc8785
    from nacl.signing import SigningKey

    from verifier.keys import b58encode, ed25519_multikey
    key = SigningKey(b"\x08" * 32)
    did = "did:key:" + ed25519_multikey(key.verify_key)
    doc = json.loads(DCC.read_text())
    doc.pop("proof")
    doc["issuer"]["id"] = did
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": "2025-01-01T00:00:00Z",
               "verificationMethod": f"{did}#{did[8:]}", "proofPurpose": "assertionMethod"}
    data = hashlib.sha256(rfc8785.dumps(options)).digest() + hashlib.sha256(rfc8785.dumps(doc)).digest()
    signed = {**doc, "proof": {**options, "proofValue": "z" + b58encode(key.sign(data).signature)}}
    assert verify(signed, now=NOW).verdict == "valid", _said(verify(signed, now=NOW))
    # and adding a context to that proof afterwards breaks it
    signed["proof"]["@context"] = doc["@context"]
    assert verify(signed, now=NOW).verdict == "invalid"


def test_eddsa_jcs_w3c_vector_still_verifies_its_signature():
    from verifier.context import VerifyContext
    from verifier.proofs.data_integrity import verify_document_proofs
    doc = json.loads(fixture_path("w3c-vc-di-eddsa", "eddsa-jcs-2022", "signedJCS.json").read_text())
    checks = verify_document_proofs(doc, VerifyContext(now=NOW, fetcher=SafeFetcher(offline=True)),
                                    expected_controller=None)
    signature = next(c for c in checks if c.id == "signature")
    assert signature.status == "pass" and signature.authenticates


def test_issuer_registry_redirected_to_another_origin_is_refused(http):
    from verifier.registry import load_registry
    url = "https://registry.example.org/registry.json"
    _redirect(http, url, f"{EVIL}/registry.json")
    http.get(f"{EVIL}/registry.json", json={"meta": {}, "registry": {}})
    load = load_registry(url, SafeFetcher())
    assert not load.ok and f"redirected to {EVIL}/registry.json, on another origin" in load.error
