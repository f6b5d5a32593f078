"""OB 3.0 credentials we sign ourselves (fresh keys per test), and the negatives the issue lists."""
from __future__ import annotations

import copy
import time
from datetime import UTC, datetime

import pytest
from nacl.signing import SigningKey
from support.data_integrity import NOW, credential, did_key, did_web_document, fails, signed
from support.files import load_json

import verifier.ob3
from verifier.api import verify
from verifier.keys import ed25519_multikey
from verifier.model import passed
from verifier.proofs.data_integrity import sign_credential
from verifier.proofs.vcjwt import VcJwtResult


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


# --- positives ---------------------------------------------------------------------------------

@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"])
def test_own_credential_is_valid(key, suite):
    did, vm = did_key(key)
    extra = {}
    doc = credential(did)
    if suite == "Ed25519Signature2020":
        doc["@context"].append("https://w3id.org/security/suites/ed25519-2020/v1")
    vc = sign_credential(doc, key, vm, cryptosuite=suite, created="2025-01-01T00:00:00Z", **extra)
    report = verify(vc, now=NOW, recipient="alice@example.org")
    assert report.verdict == "valid", fails(report)
    assert report.format == "ob3-data-integrity"
    assert report.check("signature").authenticates
    assert report.check("recipient").status == "pass"
    assert report.badge.name == "Teamwork" and report.badge.issuer.id == did


def test_legacy_suite_name_is_accepted_with_a_warning(key):
    did, vm = did_key(key)
    vc = sign_credential(credential(did), key, vm, cryptosuite="eddsa-2022", created="2025-01-01T00:00:00Z")
    report = verify(vc, now=NOW)
    assert report.verdict == "valid"
    assert report.check("proof-suite").status == "warn" and "legacy" in report.check("proof-suite").message


def test_json_text_input_goes_through_verify(key):
    import json
    report = verify(json.dumps(signed(key)), now=NOW)
    assert report.verdict == "valid" and report.payload


def test_vcdm_1_1_dates_and_expiry(key):
    did, vm = did_key(key)
    doc = credential(did)
    doc["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                       "https://w3id.org/security/data-integrity/v2"]
    del doc["validFrom"]
    doc["issuanceDate"] = "2024-01-01T00:00:00Z"
    doc["expirationDate"] = "2025-06-01T00:00:00Z"
    report = verify(sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z"), now=NOW)
    assert report.verdict == "expired"
    assert "expired on 1 June 2025" in report.check("expiry").message  # read from expirationDate
    assert report.badge.issued_on == datetime(2024, 1, 1, tzinfo=UTC)
    assert verify(sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z"), now=datetime(2025, 1, 1, tzinfo=UTC)).verdict == "valid"


def test_valid_until_and_not_yet_valid(key):
    assert verify(signed(key, validUntil="2025-06-01T00:00:00Z"), now=NOW).verdict == "expired"
    report = verify(signed(key, validFrom="2030-01-01T00:00:00Z"), now=NOW)
    assert report.verdict == "not-yet-valid"


# --- negatives ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [("name",), ("credentialSubject", "achievement", "description"),
                                  ("issuer", "name"), ("validFrom",), ("credentialSubject", "achievement", "id"),
                                  ("proof", "created"), ("proof", "verificationMethod")])
def test_one_changed_character_is_invalid(key, path):
    vc = signed(key)
    target = vc
    for part in path[:-1]:
        target = target[part]
    value = target[path[-1]]
    i = len(value) - 2 if path[-1] != "verificationMethod" else len(value) - 1
    target[path[-1]] = value[:i] + ("1" if value[i] != "1" else "2") + value[i + 1:]
    report = verify(vc, now=NOW)
    assert report.verdict in ("invalid",), fails(report)
    assert report.check("signature").status == "fail"


def test_proof_by_a_key_of_another_did_is_invalid(key):
    other = SigningKey.generate()
    issuer_did, _ = did_key(key)
    _, other_vm = did_key(other)
    vc = sign_credential(credential(issuer_did), other, other_vm, created="2025-01-01T00:00:00Z")
    report = verify(vc, now=NOW)
    assert report.verdict == "invalid"
    assert report.check("signature").status == "pass"  # the signature itself is fine
    binding = report.check("key-owner")
    assert binding.status == "fail" and "not to the issuer" in binding.message


def test_did_web_issuer_is_valid(http, key):
    did, vm = "did:web:issuer.example", "did:web:issuer.example#key-1"
    http.get("https://issuer.example/.well-known/did.json", json=did_web_document(did, vm, key))
    report = verify(sign_credential(credential(did), key, vm, created="2025-01-01T00:00:00Z"), now=NOW)
    assert report.verdict == "valid", fails(report)


def test_verification_method_not_in_assertion_method_is_invalid(http, key):
    did, vm = "did:web:issuer.example:org:1", "did:web:issuer.example:org:1#key-1"
    http.get("https://issuer.example/org/1/did.json",
             json=did_web_document(did, vm, key, relationships=("authentication",)))
    report = verify(sign_credential(credential(did), key, vm, created="2025-01-01T00:00:00Z"), now=NOW)
    assert report.verdict == "invalid"
    assert "does not authorize" in report.check("key-owner").message
    assert "authentication" in report.check("key-owner").message


def test_controller_other_than_issuer_is_invalid(http, key):
    did, vm = "did:web:issuer.example", "did:web:issuer.example#key-1"
    http.get("https://issuer.example/.well-known/did.json",
             json=did_web_document(did, vm, key, controller="did:web:someone.else"))
    report = verify(sign_credential(credential(did), key, vm, created="2025-01-01T00:00:00Z"), now=NOW)
    assert report.verdict == "invalid"
    assert "did:web:someone.else" in report.check("key-owner").message


def test_proof_purpose_other_than_assertion_is_invalid(key):
    did, vm = did_key(key)
    vc = sign_credential(credential(did), key, vm, proof_purpose="authentication", created="2025-01-01T00:00:00Z")
    report = verify(vc, now=NOW)
    assert report.verdict == "invalid" and "'authentication'" in report.check("key-owner").message


def test_https_fragment_key_without_controller_document_is_not_valid(key):
    vm = "https://issuer.example/profile#" + ed25519_multikey(key.verify_key)
    vc = sign_credential(credential("https://issuer.example/profile"), key, vm, created="2025-01-01T00:00:00Z")
    report = verify(vc, now=NOW)
    assert report.verdict == "unverifiable"
    assert "anyone could sign as that URL" in report.check("key").message


def test_unknown_context_is_unverifiable_and_never_fetched(http, key):
    did, vm = did_key(key)
    doc = credential(did)
    doc["@context"].append("https://contexts.example/unknown/v1")
    http.get("https://contexts.example/unknown/v1", json={"@context": {}})
    report = verify(sign_credential(credential(did), key, vm, created="2025-01-01T00:00:00Z") | {"@context": doc["@context"]}, now=NOW)
    assert report.verdict == "unverifiable"
    assert "https://contexts.example/unknown/v1" in report.check("context").message
    assert len(http.calls) == 0


def test_undefined_term_is_reported_as_unsigned(key):
    did, vm = did_key(key)
    doc = credential(did)
    doc["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                       "https://w3id.org/security/data-integrity/v2"]
    doc["issuanceDate"] = doc.pop("validFrom")
    doc["credentialSubject"]["grade"] = "A+"  # no definition and no @vocab in VCDM 1.1: dropped
    vc = sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z")
    vc["credentialSubject"]["grade"] = "F"  # changing it does not break the signature...
    report = verify(vc, now=NOW)
    assert report.check("signature").status == "pass"
    unsigned = report.check("unsigned-fields")  # ...so it must be flagged
    assert unsigned.status == "fail" and "grade" in unsigned.message and "not covered" in unsigned.message
    assert report.verdict == "invalid"


def test_relative_type_is_reported_as_unsigned(key):
    did, vm = did_key(key)
    doc = credential(did)
    doc["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                       "https://w3id.org/security/data-integrity/v2"]
    doc["issuanceDate"] = doc.pop("validFrom")
    doc["evidence"] = [{"type": ["MadeUpEvidence"], "name": "essay"}]
    report = verify(sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z"), now=NOW)
    assert "MadeUpEvidence" in report.check("unsigned-fields").message
    assert report.verdict == "invalid"


def test_blank_node_clique_is_unverifiable_quickly(key):
    did, vm = did_key(key)
    n = 8
    nodes = [{"id": f"_:n{i}", "knows": [{"id": f"_:n{j}"} for j in range(n) if j != i]} for i in range(n)]
    doc = credential(did)
    doc["@context"].append({"knows": {"@id": "https://schema.org/knows", "@type": "@id"}})
    doc["credentialSubject"]["knows"] = nodes
    doc["proof"] = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2025-01-01T00:00:00Z",
                    "verificationMethod": vm, "proofPurpose": "assertionMethod", "proofValue": "z" + "1" * 80}
    start = time.monotonic()
    report = verify(doc, now=NOW)
    assert time.monotonic() - start < 10
    assert report.verdict == "unverifiable"
    assert "too complex" in report.check("signature").message


def test_multiple_proofs_with_one_bad_is_invalid(key):
    vc = signed(key)
    did, vm = did_key(key)
    both = sign_credential(vc, key, vm, cryptosuite="eddsa-jcs-2022", created="2025-01-01T00:00:00Z")
    assert isinstance(both["proof"], list) and len(both["proof"]) == 2
    assert verify(both, now=NOW).verdict == "valid"
    assert "All 2 proofs verified" in verify(both, now=NOW).check("signature").message
    both["proof"][1]["proofValue"] = both["proof"][0]["proofValue"]
    report = verify(both, now=NOW)
    assert report.verdict == "invalid"
    assert "every proof" in report.check("signature").message and "proof 2 of 2" in report.check("signature").message


def test_unsupported_suite_is_unverifiable(key):
    vc = signed(key)
    vc["proof"]["cryptosuite"] = "ecdsa-sd-2023"
    report = verify(vc, now=NOW)
    assert report.verdict == "unverifiable" and "ecdsa-sd-2023" in report.check("signature").message


def test_unsigned_credential_is_not_valid(key):
    did, _ = did_key(key)
    report = verify(credential(did), now=NOW)
    assert report.format == "ob3-unsigned" and report.verdict == "unverifiable"
    assert "not signed" in report.check("signature").message
    assert report.badge is not None and report.badge.name == "Teamwork"


def test_garbage_never_raises():
    for doc in ({"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiableCredential", "proof": 5},
                {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                 "issuer": {"id": 3}, "credentialSubject": "x", "validFrom": "yesterday", "proof": [{}]},
                {"@context": ["https://www.w3.org/ns/credentials/v2", {"id": "http://x"}],
                 "type": "VerifiableCredential", "issuer": "did:key:z6Mk", "proof": {"type": "DataIntegrityProof"}}):
        report = verify(doc, now=NOW)
        assert report.verdict in ("invalid", "unverifiable") and fails(report)


# --- normalization, JWT and the other helpers' steps -------------------------------------------

def test_normalize_complete_ob3_example():
    doc = load_json("1edtech-openbadges-specification/ob3-examples/complete-openbadgecredential.json")
    badge = verifier.ob3.normalize(doc)
    assert badge.spec_version == "3.0" and badge.achievement_type == "Degree"
    assert badge.credits_available == 36.0 and badge.alignment[0].target_code == "degree"
    assert badge.criteria_url or badge.criteria
    assert badge.field_of_study and badge.specialization and badge.human_code
    assert badge.result_description and badge.result and badge.evidence
    assert "OpenBadgeCredential" in badge.credential_types
    assert badge.recipient.identity == "student@1edtech.edu" and badge.recipient.type == "email"
    assert badge.issuer.type and badge.raw["credential"] is doc


def test_status_and_schema_placeholders_become_skips(monkeypatch, key):
    def not_yet(*args, **kwargs):
        raise NotImplementedError

    monkeypatch.setattr(verifier.ob3.status, "check_status", not_yet)
    monkeypatch.setattr(verifier.ob3.schema, "check_schema", not_yet)
    report = verify(signed(key), now=NOW)
    assert report.check("revocation").status == "skip" and report.check("schema").status == "skip"
    assert report.verdict == "valid"


def test_verify_jwt_runs_the_shared_checks(monkeypatch, key):
    did, _ = did_key(key)
    expired = credential(did, validUntil="2025-06-01T00:00:00Z")
    monkeypatch.setattr(verifier.ob3.vcjwt, "verify_vcjwt", lambda token, ctx: VcJwtResult(
        [passed("proof", "The JWT signature is valid.", authenticates=True)], copy.deepcopy(expired)))
    report = verifier.ob3.verify_jwt("a.b.c", verifier.ob3.VerifyContext(now=NOW))
    assert report.format == "ob3-jwt" and report.verdict == "expired"
    assert report.badge.name == "Teamwork" and report.check("recipient") is not None

    monkeypatch.setattr(verifier.ob3.vcjwt, "verify_vcjwt", lambda token, ctx: VcJwtResult([], None))
    assert verifier.ob3.verify_jwt("a.b.c", verifier.ob3.VerifyContext(now=NOW)).verdict == "unverifiable"
