"""Corpus credentials, table-driven: our verdict for each, equal to MANIFEST ``expected`` unless explained.

Every fixture is a verbatim copy of a ``../shared/corpus`` file (see tests/fixtures/SOURCES.md).
did:web documents are served from fixtures; everything else is unreachable (no network).
Credentials with a ``credentialStatus`` are left to the status-list tests, except two did:web ones
whose proof and key checks are asserted below.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.files import fixture_path, load_json

from verifier.api import verify

NOW = datetime(2026, 3, 1, tzinfo=UTC)

DID_DOCS = {
    "https://digitalcredentials.github.io/dcc-did-web/did.json": "digitalcredentials-dcc-did-web/did.json",
    "https://digitalcredentials.github.io/dcc-did-web/multikey/did.json": "digitalcredentials-dcc-did-web/multikey/did.json",
    "https://digitalcredentials.github.io/vc-test-fixtures/dids/legacy/did.json":
        "digitalcredentials-vc-test-fixtures/dids/legacy/did.json",
    "https://digitalcredentials.github.io/vc-test-fixtures/dids/oidf/did.json":
        "digitalcredentials-vc-test-fixtures/dids/oidf/did.json",
}

# Why we deliberately judge a fixture differently from the corpus MANIFEST (or where it has none),
# and a phrase the failing check must contain.
FRAGMENT_KEY = ("1EdTech takes the key from the fragment of https://issuer#z6Mk… without a controller "
                "document; anyone could sign as that URL, so without the issuer's document it is not valid",
                "anyone could sign as that URL")
UNSUPPORTED_SUITE = ("ecdsa-sd-2023 (selective disclosure) is not implemented: unverifiable, not invalid",
                     "ecdsa-sd-2023")
UNKNOWN_SUITE = ("a placeholder proof with the misspelt cryptosuite 'eddsa-rdf-2022'", "unknown cryptosuite")
CONTROLLER_NOT_ISSUER = ("the signing did:key is not the issuer (the W3C vectors and 1EdTech sign an https/urn "
                         "issuer with a did:key); the signature itself verifies", "not to the issuer")
UNPINNED_CONTEXT = ("uses https://w3id.org/dcc/v1, which is not pinned and never fetched", "https://w3id.org/dcc/v1")
NOT_YET_VALID = ("validFrom 2099: we have a verdict of its own for this (DCC reports invalid)", "2099")
UNSIGNED = ("no proof: unverifiable with the sentence 'not signed' (DCC reports invalid)", "not signed")
EDITED_AFTER_SIGNING = ("DCC's experimentation fixture: its eddsa-rdfc-2022 proof does not match the document "
                        "(MANIFEST has no verdict)", "does not match")
NO_MANIFEST_VERDICT = ("MANIFEST has no verdict; the proof verifies with the key of the issuer's did:key", "")

CASES = [
    ('1edtech-digital-credentials-public-validator/ob30/endorsement-valid.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/sd/derivedcredential.json', 'unverifiable', UNSUPPORTED_SUITE),
    ('1edtech-digital-credentials-public-validator/ob30/simple-context-alias.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-context-version.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-did-key-method.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('1edtech-digital-credentials-public-validator/ob30/simple-did-web-method.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-eddsa-2022.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-context.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-credential-subject-achievement-result-description-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-credential-subject-identifier-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-credential-subject-profile-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-credential-subject-result-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-credential-subject-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-evidence-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-expired.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-issued.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-issuer-otheridentifier-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-issuer-parentorg-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-issuer-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-issuer.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-proof-method-no-scheme.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-proof-method-unknown-did-method.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-proof-method-unknown-scheme.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-proof-method.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-proof-value.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple-err-type.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple-multiple-proofs.json', 'invalid', None),
    ('1edtech-digital-credentials-public-validator/ob30/simple.1ob', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-digital-credentials-public-validator/ob30/simple_v1.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-openbadges-specification/clr2-test-vector/signed-credential.json', 'unverifiable', FRAGMENT_KEY),
    ('1edtech-openbadges-specification/ob3-examples/getting-started-credential-placeholder-proof.json', 'unverifiable', UNKNOWN_SUITE),
    ('1edtech-openbadges-specification/ob3-test-vector/signed-credential.json', 'unverifiable', FRAGMENT_KEY),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didKey/fourRegistry-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry-basicOBv3.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didKey/noRegistry-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didKey/oidf-noStatus-expired.json', 'expired', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didKey/oidf-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didWeb/legacy-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/bothSignatureTypes/didWeb/oidf-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didKey/fourRegistry-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-oldDCCExample.json', 'unverifiable', UNPINNED_CONTEXT),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didKey/noRegistry-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didKey/oidf-noStatus-expired.json', 'expired', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didKey/oidf-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didWeb/legacy-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/dataIntegrityProof/didWeb/oidf-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didKey/fourRegistry-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didKey/legacy-noStatus-expired.json', 'expired', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didKey/legacyRegistry-noStatus-noExpiry-issuerImageId.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didKey/noRegistry-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didKey/oidf-noStatus-expired.json', 'expired', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didKey/oidf-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didWeb/legacy-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v1/ed25519/didWeb/oidf-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry-nonOBWithOBContext.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement-withSchema.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/bothSignatureTypes/didweb/oidf-noStatus-notExpired.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-achievementTypeExample.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credSubjName.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-minimal.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-notYetValid.json', 'not-yet-valid', NOT_YET_VALID),
    ('digitalcredentials-vc-test-fixtures/vc/v2/dataIntegrityProof/didweb/oidf-noStatus-notExpired.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didKey/legacy-noStatus-expired.json', 'expired', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didKey/legacy-noStatus-noExpiry-lcwExperience.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json', 'invalid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didKey/legacy-noStatus-noExpiry.json', 'valid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didWeb/badDidWeb.json', 'invalid', None),
    ('digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didWeb/oidf-noStatus-notExpired.json', 'valid', None),
    ('digitalcredentials-verifier-core/derived/v1-expired-tampered.json', 'invalid', None),
    ('digitalcredentials-verifier-core/derived/v1-no-proof.json', 'unverifiable', UNSIGNED),
    ('digitalcredentials-verifier-core/derived/v1-non-uri-id.json', 'invalid', None),
    ('digitalcredentials-verifier-core/derived/v1-tampered.json', 'invalid', None),
    ('digitalcredentials-verifier-core/derived/v2-expired-tampered.json', 'invalid', None),
    ('digitalcredentials-verifier-core/derived/v2-no-context.json', 'invalid', None),
    ('digitalcredentials-verifier-core/derived/v2-no-proof.json', 'unverifiable', UNSIGNED),
    ('digitalcredentials-verifier-core/derived/v2-no-vc-context.json', 'invalid', None),
    ('digitalcredentials-verifier-core/derived/v2-non-uri-id.json', 'invalid', None),
    ('digitalcredentials-verifier-core/derived/v2-tampered.json', 'invalid', None),
    ('digitalcredentials-verifier-core/fixtures/testVC.json', 'invalid', EDITED_AFTER_SIGNING),
    ('digitalcredentials-verifier-core/fixtures/v1Expired.json', 'expired', None),
    ('digitalcredentials-verifier-core/fixtures/v1NoStatus.json', 'valid', None),
    ('digitalcredentials-verifier-core/fixtures/v1OBv3SpecExample.json', 'valid', NO_MANIFEST_VERDICT),
    ('digitalcredentials-verifier-core/fixtures/v1SimpleIssuerId.json', 'valid', None),
    ('digitalcredentials-verifier-core/fixtures/v2Expired.json', 'expired', None),
    ('digitalcredentials-verifier-core/fixtures/v2NoStatus.json', 'valid', None),
    ('digitalcredentials-verifier-core/fixtures/v2OBv3SpecExample.json', 'valid', NO_MANIFEST_VERDICT),
    ('digitalcredentials-verifier-core/fixtures/v2SimpleIssuerId.json', 'valid', None),
    ('digitalcredentials-verifier-core/fixtures/v2WithBadDidWeb.json', 'invalid', None),
    ('digitalcredentials-verifier-plus/derived/minimalVCv2-tampered.json', 'invalid', None),
    ('digitalcredentials-verifier-plus/minimalVCv2.json', 'valid', None),
    ('digitalcredentials-verifier-plus/obv3_v1.json', 'valid', None),
    ('digitalcredentials-verifier-plus/obv3_v2.json', 'valid', None),
    ('w3c-vc-di-eddsa/Ed25519Signature2020/signedEdSig.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('w3c-vc-di-eddsa/eddsa-jcs-2022/signedJCS.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('w3c-vc-di-eddsa/proof-set-chain/signedProofChain1.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('w3c-vc-di-eddsa/proof-set-chain/signedProofChain2.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('w3c-vc-di-eddsa/proof-set-chain/signedProofSet1.json', 'invalid', CONTROLLER_NOT_ISSUER),
    ('w3c-vc-di-eddsa/proof-set-chain/signedProofSet2.json', 'invalid', CONTROLLER_NOT_ISSUER),
]


def _serve_did_docs(http) -> None:
    for url, path in DID_DOCS.items():
        http.get(url, body=fixture_path(path).read_bytes(), content_type="application/json")
    # GitHub Pages answers 404 for the DID that DCC's "bad did:web" fixtures name.
    http.get("https://digitalcredentials.github.io/dcc-did-web-bad/did.json", status=404)


@pytest.mark.parametrize("path, verdict, why", CASES, ids=[c[0].split("/", 1)[1] for c in CASES])
def test_corpus_credential(http, path, verdict, why):
    _serve_did_docs(http)
    report = verify(load_json(path), now=NOW)
    failing = " ".join(c.message for c in report.checks if c.status == "fail")
    assert report.verdict == verdict, failing
    if why is not None and why[1]:
        assert why[1] in failing, failing
    if verdict == "valid":
        assert report.check("signature").authenticates
        assert report.check("key-owner").status == "pass"
        assert report.badge is not None and report.badge.spec_version == "3.0"


def test_corpus_table_covers_every_verdict():
    verdicts = {v for _, v, _ in CASES}
    assert {"valid", "invalid", "expired", "unverifiable", "not-yet-valid"} <= verdicts
    assert len(CASES) >= 100


@pytest.mark.parametrize("path", ["digitalcredentials-verifier-core/fixtures/v2didWebWithValidStatus.json",
                                  "digitalcredentials-verifier-core/fixtures/v2didWebMultikeyWithValidStatus.json"])
def test_did_web_credentials_with_status_authenticate(http, path):
    """Ed25519VerificationKey2020 embedded in assertionMethod, and a Multikey did:web document."""
    _serve_did_docs(http)
    report = verify(load_json(path), now=NOW)
    assert report.check("signature").status == "pass" and report.check("signature").authenticates
    assert report.check("key-owner").status == "pass"
    assert report.check("revocation") is not None


def test_did_web_unreachable_is_unverifiable(http):
    """Without the DID document (network down) the verdict is unverifiable, not invalid."""
    path = "digitalcredentials-vc-test-fixtures/vc/v2/ed25519/didWeb/oidf-noStatus-notExpired.json"
    report = verify(load_json(path), now=NOW)
    assert report.verdict == "unverifiable"
    assert report.check("key").outcome == "unverifiable"
    offline = verify(load_json(path), now=NOW, offline=True)
    assert offline.verdict == "unverifiable" and "offline" in offline.check("key").message


def _controller_document(credential: dict) -> tuple[str, dict]:
    """What the issuer would publish: its id, and the fragment key listed for assertionMethod."""
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    vm = proof["verificationMethod"]
    issuer = credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"]
    method = {"id": vm, "type": "Multikey", "controller": issuer, "publicKeyMultibase": vm.split("#", 1)[1]}
    return issuer, {"@context": ["https://www.w3.org/ns/did/v1"], "id": issuer, "verificationMethod": [method],
                    "assertionMethod": [vm]}


@pytest.mark.parametrize("path, verdict", [
    ("1edtech-digital-credentials-public-validator/ob30/simple.json", "valid"),
    ("1edtech-digital-credentials-public-validator/ob30/simple_v1.json", "valid"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-context-alias.json", "valid"),
    ("1edtech-digital-credentials-public-validator/ob30/endorsement-valid.json", "valid"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-eddsa-2022.json", "valid"),
    ("1edtech-openbadges-specification/ob3-test-vector/signed-credential.json", "valid"),
    ("1edtech-openbadges-specification/clr2-test-vector/signed-credential.json", "valid"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-err-expired.json", "expired"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-err-issued.json", "not-yet-valid"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-err-proof-value.json", "invalid"),
])
def test_fragment_key_fixtures_verify_once_the_issuer_publishes_the_key(http, path, verdict):
    """With a controller document at the issuer URL, the 1EdTech fixtures reach the MANIFEST verdict."""
    credential = load_json(path)
    url, doc = _controller_document(credential)
    http.get(url, json=doc)
    report = verify(credential, now=NOW)
    assert report.verdict == verdict, [c.message for c in report.checks if c.status == "fail"]
    if path.endswith("simple-eddsa-2022.json"):
        assert report.check("proof-suite").status == "warn" and "eddsa-2022" in report.check("proof-suite").message


def test_fragment_key_must_match_a_published_key(http):
    """simple-err-proof-method names a key the issuer does not list: invalid (1EdTech: invalid too)."""
    credential = load_json("1edtech-digital-credentials-public-validator/ob30/simple-err-proof-method.json")
    genuine = load_json("1edtech-digital-credentials-public-validator/ob30/simple-err-issued.json")
    url, doc = _controller_document(genuine)  # the issuer's real key, same issuer URL
    assert url == credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"]
    http.get(url, json=doc)
    report = verify(credential, now=NOW)
    assert report.verdict == "invalid"
    assert "does not list the key" in report.check("key").message
