"""Ed25519Signature2018 (detached JWS in proof.jws): a real JFF Plugfest badge, fixtures signed here, and
every way the detached JWS can be wrong."""
from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime

import pytest
from nacl.signing import SigningKey
from support.files import load_json

from verifier import verify
from verifier.fetch import SafeFetcher
from verifier.keys import b58encode, ed25519_multikey
from verifier.proofs.ed25519_2018 import sign_proof, signed_data

NOW = datetime(2025, 6, 1, tzinfo=UTC)
PLUGFEST3 = ("w3c-ccg-vc-ed", "plugfest-3-2023", "signed_badge_example-p3.json")
CONTEXT = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json"]


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def did_key(seed: bytes = b"\x07" * 32) -> tuple[SigningKey, str]:
    key = SigningKey(seed)
    return key, "did:key:" + ed25519_multikey(key.verify_key)


def credential(issuer: str) -> dict:
    return {"@context": list(CONTEXT), "id": "urn:uuid:6d3f9c1e-2018-4000-8000-000000000001",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Plugfest-style badge",
            "issuer": {"type": ["Profile"], "id": issuer, "name": "Example Issuer"},
            "issuanceDate": "2023-01-01T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:learner",
                                  "achievement": {"id": "urn:uuid:ac0b1c2d-0000-4000-8000-000000000002",
                                                  "type": ["Achievement"], "name": "Interoperability",
                                                  "description": "d", "criteria": {"narrative": "n"}}}}


def signed(issuer_key: SigningKey, issuer: str, vm: str | None = None, **proof_changes) -> dict:
    cred = credential(issuer)
    proof = sign_proof(cred, issuer_key, vm or f"{issuer}#{issuer[8:]}", created="2023-01-01T00:00:00Z")
    proof.update(proof_changes)
    return {**cred, "proof": proof}


def run(cred: dict):
    return verify(json.dumps(cred), now=NOW, fetcher=SafeFetcher())


# --- genuine credentials verify --------------------------------------------------------------

def test_real_jff_plugfest3_badge_verifies():
    """Published by JFF/W3C CCG for Plugfest 3 (2023), signed by did:key:z6MknTHV…; reproduced offline."""
    report = verify(json.dumps(load_json(*PLUGFEST3)), now=NOW, fetcher=SafeFetcher())
    assert report.format == "ob3-data-integrity" and report.verdict == "valid", [c.to_dict() for c in report.checks]
    assert "Ed25519Signature2018" in report.check("signature").message and report.check("signature").authenticates
    assert report.check("key-owner").status == "pass"
    assert report.badge.name == "JFF x vc-edu PlugFest 3 Interoperability"


def test_real_jff_plugfest3_badge_tampered_fails():
    cred = load_json(*PLUGFEST3)
    cred["credentialSubject"]["achievement"]["name"] = "Master of Everything"
    report = verify(json.dumps(cred), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid" and report.check("signature").status == "fail"
    assert "does not match" in report.check("signature").message


def test_self_signed_fixture_verifies_and_matches_the_ld_signature_algorithm():
    key, did = did_key()
    cred = signed(key, did)
    assert run(cred).verdict == "valid"
    # The signed bytes are header "." sha256(c14n(proof options)) ‖ sha256(c14n(document)), per LD signatures.
    header, _, signature = cred["proof"]["jws"].split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "EdDSA", "b64": False, "crit": ["b64"]}
    data, dropped = signed_data({k: v for k, v in cred.items() if k != "proof"},
                                {k: v for k, v in cred["proof"].items() if k != "jws"})
    assert len(data) == 64 and dropped == ()
    key.verify_key.verify(header.encode() + b"." + data, base64.urlsafe_b64decode(signature + "=="))


def test_proof_set_with_2018_and_2020_proofs(http):
    from verifier.proofs.data_integrity import sign_credential

    key, did = did_key()
    cred = credential(did)
    cred["@context"].append("https://w3id.org/security/suites/ed25519-2020/v1")  # defines Ed25519Signature2020
    cred["proof"] = sign_proof(cred, key, f"{did}#{did[8:]}", created="2023-01-01T00:00:00Z")
    both = sign_credential(cred, key, f"{did}#{did[8:]}", cryptosuite="Ed25519Signature2020",
                           created="2023-01-02T00:00:00Z")
    assert isinstance(both["proof"], list) and len(both["proof"]) == 2
    report = run(both)
    assert report.verdict == "valid", [c.to_dict() for c in report.checks]


def test_did_web_issuer_with_ed25519_verification_key_2018(http):
    key = SigningKey(b"\x09" * 32)
    did = "did:web:college.example"
    http.get("https://college.example/.well-known/did.json", json={
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/ed25519-2018/v1"],
        "id": did, "verificationMethod": [{"id": f"{did}#key-1", "type": "Ed25519VerificationKey2018",
                                           "controller": did, "publicKeyBase58": b58encode(bytes(key.verify_key))}],
        "assertionMethod": [f"{did}#key-1"]})
    assert run(signed(key, did, f"{did}#key-1")).verdict == "valid"


# --- forgeries and malformed proofs ----------------------------------------------------------

def test_proof_options_are_signed_too():
    key, did = did_key()
    cred = signed(key, did)
    cred["proof"]["created"] = "2024-06-01T00:00:00Z"
    assert run(cred).check("signature").status == "fail"


def test_signed_by_another_did_key_is_not_the_issuer():
    attacker, attacker_did = did_key(b"\x01" * 32)
    _victim, victim_did = did_key(b"\x02" * 32)
    report = run(signed(attacker, victim_did, f"{attacker_did}#{attacker_did[8:]}"))
    assert report.verdict == "invalid" and report.check("key-owner").status == "fail"
    assert attacker_did in report.check("key-owner").message


def _with_header(cred: dict, header: dict, key: SigningKey) -> dict:
    """Re-sign ``cred``'s proof under another JWS header (so only the header rule can refuse it)."""
    out = copy.deepcopy(cred)
    options = {k: v for k, v in out["proof"].items() if k != "jws"}
    data, _ = signed_data({k: v for k, v in out.items() if k != "proof"}, options)
    head = b64(header)
    signing_input = head.encode() + b"." + (data if header.get("b64") is False else b64(data).encode())
    out["proof"]["jws"] = f"{head}..{b64(key.sign(signing_input).signature)}"
    return out


@pytest.mark.parametrize("header, words", [
    ({"alg": "EdDSA"}, "b64"),
    ({"alg": "EdDSA", "b64": False}, "crit"),
    ({"alg": "EdDSA", "b64": True, "crit": ["b64"]}, "b64"),
    ({"alg": "EdDSA", "b64": False, "crit": ["b64", "urn:x"], "urn:x": 1}, "urn:x"),
    ({"alg": "ES256", "b64": False, "crit": ["b64"]}, "ES256"),
    ({"alg": "HS256", "b64": False, "crit": ["b64"]}, "HMAC"),
    ({"alg": "none", "b64": False, "crit": ["b64"]}, "'none'"),
])
def test_detached_jws_header_rules(header, words):
    key, did = did_key()
    report = run(_with_header(signed(key, did), header, key))
    sig = report.check("signature")
    assert report.verdict == "invalid" and sig.status == "fail" and words in sig.message, sig.message


def test_unknown_header_parameters_are_ignored():
    key, did = did_key()
    header = {"alg": "EdDSA", "b64": False, "crit": ["b64"], "kid": "whatever", "cty": "ld+json"}
    assert run(_with_header(signed(key, did), header, key)).verdict == "valid"


@pytest.mark.parametrize("jws, words", [
    ("", "jws"), ("not-a-jws", "detached"), ("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln", "detached"),
    ("!!!..???", "cannot be read"),
])
def test_malformed_jws_is_a_sentence(jws, words):
    key, did = did_key()
    report = run(signed(key, did, jws=jws))
    assert report.verdict == "invalid" and words in report.check("signature").message


def test_unknown_context_is_unverifiable_not_invalid():
    key, did = did_key()
    cred = credential(did)
    cred["@context"].append("https://example.org/unpinned-context.jsonld")
    cred["proof"] = {"type": "Ed25519Signature2018", "created": "2023-01-01T00:00:00Z",
                     "verificationMethod": f"{did}#{did[8:]}", "proofPurpose": "assertionMethod",
                     "jws": "eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19..c2ln"}
    report = run(cred)
    assert report.verdict == "unverifiable" and report.check("context").status == "fail"


def test_unreachable_did_web_key_is_unverifiable():
    key = SigningKey(b"\x0a" * 32)
    did = "did:web:offline.example"
    report = run(signed(key, did, f"{did}#key-1"))
    assert report.verdict == "unverifiable" and report.check("key").status == "fail"


def test_other_jws_suites_are_unsupported_not_falsely_unsigned():
    """JsonWebSignature2020 also carries a jws: it is an unsupported suite, not a proof without a value."""
    key, did = did_key()
    cred = signed(key, did)
    cred["proof"]["type"] = "JsonWebSignature2020"
    report = run(cred)
    sig = report.check("signature")
    assert report.verdict == "unverifiable" and "not supported" in sig.message
    assert "no verification method or value" not in sig.message
