"""ECDSA Data Integrity: ``ecdsa-rdfc-2019`` and ``ecdsa-jcs-2019`` with P-256 (SHA-256) and P-384 (SHA-384).

First the W3C vc-di-ecdsa vectors (Appendix A, the Recommendation's did:key form), reproduced byte for
byte — canonical proof options, hashes and, since the vectors use deterministic ECDSA (RFC 6979), the
signature itself. Then credentials we sign ourselves and the ways they must fail.
"""
from __future__ import annotations

import copy
import hashlib

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey
from support.data_integrity import NOW, credential, fails
from support.files import fixture_path, load_json

from verifier import jsonld
from verifier.api import verify
from verifier.context import VerifyContext
from verifier.fetch import SafeFetcher
from verifier.keys import b58decode, b58encode, ec_from_multikey, ec_multikey, key_from_method
from verifier.proofs.data_integrity import hash_data, sign_credential, sign_ecdsa, verify_document_proofs

W3C = "w3c-vc-di-ecdsa"
EDDSA = "w3c-vc-di-eddsa"  # the same Alumni credential: its canonical N-Quads are published there
CURVES = {"P-256": (ec.SECP256R1(), "sha256", b"\x86\x26"), "P-384": (ec.SECP384R1(), "sha384", b"\x87\x26")}
VECTORS = [  # folder, file suffix, suite, curve
    ("ecdsa-rdfc-2019-p256", "ECDSAP256", "ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019-p384", "ECDSAP384", "ecdsa-rdfc-2019", "P-384"),
    ("ecdsa-jcs-2019-p256", "JCSECDSAP256", "ecdsa-jcs-2019", "P-256"),
    ("ecdsa-jcs-2019-p384", "JCSECDSAP384", "ecdsa-jcs-2019", "P-384"),
]


def _text(*parts: str) -> str:
    return fixture_path(*parts).read_text(encoding="utf-8")


def _offline() -> VerifyContext:
    return VerifyContext(fetcher=SafeFetcher(offline=True))


def _unsecured(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "proof"}


def _w3c_private_key(curve: str) -> ec.EllipticCurvePrivateKey:
    pair = load_json(W3C, f"p{curve[2:]}KeyPair.json")
    secret = pair.get("secretKeyMultibase") or pair["privateKeyMultibase"]
    raw = b58decode(secret[1:])
    named, _, prefix = CURVES[curve]
    assert raw[:2] == prefix  # multicodec p256-priv 0x1306 / p384-priv 0x1307
    private = ec.derive_private_key(int.from_bytes(raw[2:], "big"), named)
    assert ec_multikey(private.public_key()) == pair["publicKeyMultibase"]
    return private


def _did_key(private: ec.EllipticCurvePrivateKey) -> tuple[str, str]:
    fingerprint = ec_multikey(private.public_key())
    return f"did:key:{fingerprint}", f"did:key:{fingerprint}#{fingerprint}"


# --- W3C vc-di-ecdsa vectors --------------------------------------------------------------------

@pytest.mark.parametrize("curve, prefix", [("P-256", "zDn"), ("P-384", "z82")])
def test_w3c_public_keys_decode_as_compressed_points(curve, prefix):
    multikey = load_json(W3C, f"p{curve[2:]}KeyPair.json")["publicKeyMultibase"]
    key, jwk = key_from_method({"type": "Multikey", "publicKeyMultibase": multikey})
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == CURVES[curve][0].name and jwk is None
    assert multikey.startswith(prefix) and ec_multikey(key) == multikey
    with pytest.raises(ValueError):  # a point that is not on the curve
        ec_from_multikey("z" + b58encode(b58decode(multikey[1:])[:-1] + b"\x00"))


@pytest.mark.parametrize("folder, suffix, suite, curve", VECTORS)
def test_w3c_vector_hashes_and_signature_byte_for_byte(folder, suffix, suite, curve):
    signed = load_json(W3C, folder, f"signed{suffix}.json")
    proof, unsecured = signed["proof"], _unsecured(signed)
    _, hash_name, _ = CURVES[curve]
    size = hashlib.new(hash_name).digest_size
    data, dropped = hash_data(unsecured, proof, suite, hash_name=hash_name)
    assert data.hex() == _text(W3C, folder, f"combinedHash{suffix}.txt").strip() and dropped == ()
    assert len(data) == 2 * size
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if suite == "ecdsa-jcs-2019":  # the proof options are the proof as it is: no @context added
        canonical = _text(W3C, folder, f"proofCanon{suffix}.txt")
        assert rfc8785.dumps(config).decode() == canonical
        assert data[size:] == hashlib.new(hash_name, rfc8785.dumps(unsecured)).digest()
    else:
        nquads = jsonld.canonicalize(config | {"@context": signed["@context"]}).nquads
        if fixture_path(W3C, folder, f"proofCanon{suffix}.txt").exists():
            assert nquads == _text(W3C, folder, f"proofCanon{suffix}.txt")
        doc_nquads = jsonld.canonicalize(unsecured).nquads
        assert doc_nquads == _text(EDDSA, "eddsa-rdfc-2022", "canonDocDataInt.txt")
        assert data[size:] == hashlib.new(hash_name, doc_nquads.encode()).digest()
    assert data[:size] == hashlib.new(hash_name, rfc8785.dumps(config) if suite == "ecdsa-jcs-2019"
                                      else nquads.encode()).digest()
    assert proof["proofValue"] == _text(W3C, folder, f"sigBTC58{suffix}.txt").strip()
    signature = b58decode(proof["proofValue"][1:])
    assert len(signature) == 2 * size  # raw r ‖ s
    if fixture_path(W3C, folder, f"sigHex{suffix}.txt").exists():
        assert signature.hex() == _text(W3C, folder, f"sigHex{suffix}.txt").strip()
    # deterministic ECDSA (RFC 6979) with the published private key gives the published proofValue
    resigned = sign_credential(unsecured, _w3c_private_key(curve), proof["verificationMethod"],
                               cryptosuite=suite, created=proof["created"])
    assert resigned["proof"] == proof


@pytest.mark.parametrize("folder, suffix, suite, curve", VECTORS)
def test_w3c_vector_verifies_when_the_did_key_is_the_controller(folder, suffix, suite, curve):
    signed = load_json(W3C, folder, f"signed{suffix}.json")
    did = signed["proof"]["verificationMethod"].split("#")[0]
    checks = verify_document_proofs(signed, _offline(), expected_controller=did)
    assert {c.id: c.status for c in checks} == {"context": "pass", "unsigned-fields": "pass", "signature": "pass",
                                                "key": "pass", "key-owner": "pass"}
    proof = next(c for c in checks if c.id == "signature")
    assert proof.authenticates and suite in proof.message and curve in proof.message
    # as published, the issuer is an https URL the did:key does not belong to
    published = verify_document_proofs(signed, _offline(), expected_controller=None)
    assert next(c for c in published if c.id == "signature").status == "pass"
    assert "not to the issuer" in next(c for c in published if c.id == "key-owner").message


@pytest.mark.parametrize("folder, suffix, suite, curve", VECTORS)
def test_w3c_vector_with_one_changed_character_fails(folder, suffix, suite, curve):
    signed = load_json(W3C, folder, f"signed{suffix}.json")
    signed["credentialSubject"]["alumniOf"] = "The School of Examplez"
    did = signed["proof"]["verificationMethod"].split("#")[0]
    proof = next(c for c in verify_document_proofs(signed, _offline(), expected_controller=did) if c.id == "signature")
    assert proof.status == "fail" and "does not match" in proof.message


# --- credentials we sign ourselves --------------------------------------------------------------

@pytest.fixture(params=["P-256", "P-384"])
def curve(request) -> str:
    return request.param


@pytest.fixture
def private(curve) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(CURVES[curve][0])


@pytest.mark.parametrize("suite", ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"])
def test_own_credential_with_a_did_key_issuer_is_valid(private, curve, suite):
    did, vm = _did_key(private)
    assert did.startswith("did:key:zDn" if curve == "P-256" else "did:key:z82")
    vc = sign_credential(credential(did), private, vm, cryptosuite=suite, created="2025-01-01T00:00:00Z")
    assert len(b58decode(vc["proof"]["proofValue"][1:])) == (64 if curve == "P-256" else 96)
    report = verify(vc, now=NOW, recipient="alice@example.org")
    assert report.verdict == "valid", fails(report)
    assert report.format == "ob3-data-integrity" and report.check("signature").authenticates
    assert f"{suite}, {curve}" in report.check("signature").message
    assert report.check("key-owner").status == "pass"
    assert report.badge.issuer.id == did


@pytest.mark.parametrize("suite", ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"])
def test_one_changed_character_is_invalid(private, suite):
    did, vm = _did_key(private)
    vc = sign_credential(credential(did), private, vm, cryptosuite=suite, created="2025-01-01T00:00:00Z")
    vc["credentialSubject"]["achievement"]["name"] = "Teamworc"
    report = verify(vc, now=NOW)
    assert report.verdict == "invalid" and "does not match" in report.check("signature").message


def test_signature_hashed_for_the_other_curve_is_invalid(private, curve):
    """A P-256 signature over SHA-384 hashes (or P-384 over SHA-256) is not a valid proof: the curve fixes the hash."""
    did, vm = _did_key(private)
    proof = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019", "created": "2025-01-01T00:00:00Z",
             "verificationMethod": vm, "proofPurpose": "assertionMethod"}
    doc = credential(did)
    wrong = "sha384" if curve == "P-256" else "sha256"
    size = 32 if curve == "P-256" else 48
    data, _ = hash_data(doc, proof, "ecdsa-rdfc-2019", hash_name=wrong)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    r, s = decode_dss_signature(private.sign(data, ec.ECDSA(hashes.SHA384() if wrong == "sha384" else hashes.SHA256())))
    vc = doc | {"proof": proof | {"proofValue": "z" + b58encode(r.to_bytes(size, "big") + s.to_bytes(size, "big"))}}
    report = verify(vc, now=NOW)
    assert report.verdict == "invalid", fails(report)
    assert curve in report.check("signature").message and "does not match" in report.check("signature").message
    # the same document signed the right way is valid: only the hash pairing was wrong
    assert verify(sign_credential(doc, private, vm, created="2025-01-01T00:00:00Z",
                                  cryptosuite="ecdsa-rdfc-2019"), now=NOW).verdict == "valid"


def test_p256_key_of_another_did_is_invalid():
    issuer, attacker = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    issuer_did, _ = _did_key(issuer)
    _, attacker_vm = _did_key(attacker)
    vc = sign_credential(credential(issuer_did), attacker, attacker_vm, cryptosuite="ecdsa-rdfc-2019",
                         created="2025-01-01T00:00:00Z")
    report = verify(vc, now=NOW)
    assert report.verdict == "invalid"
    assert report.check("signature").status == "pass"  # the signature is fine …
    assert "not to the issuer" in report.check("key-owner").message  # … but it is not the issuer's key


def test_ecdsa_proof_with_an_ed25519_key_is_invalid():
    from nacl.signing import SigningKey
    from support.data_integrity import did_key
    ed = SigningKey.generate()
    did, vm = did_key(ed)
    vc = sign_credential(credential(did), ed, vm, created="2025-01-01T00:00:00Z")
    vc["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    report = verify(vc, now=NOW)
    assert report.verdict == "invalid" and "needs a P-256 or P-384 key" in report.check("signature").message


def test_truncated_ecdsa_signature_is_invalid(private):
    did, vm = _did_key(private)
    vc = sign_credential(credential(did), private, vm, cryptosuite="ecdsa-rdfc-2019", created="2025-01-01T00:00:00Z")
    vc["proof"]["proofValue"] = "z" + b58encode(b58decode(vc["proof"]["proofValue"][1:])[:-1])
    report = verify(vc, now=NOW)
    assert report.verdict == "invalid" and "not the" in report.check("signature").message


def test_ecdsa_jcs_proof_context_is_signed_and_must_begin_the_documents(private):
    """A proof's own @context is signed; contexts the document adds after it are not (unsigned-fields)."""
    did, vm = _did_key(private)
    doc = credential(did)
    options = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-jcs-2019", "created": "2025-01-01T00:00:00Z",
               "verificationMethod": vm, "proofPurpose": "assertionMethod"}

    def with_proof(context: list) -> dict:
        proof = options | {"@context": context}
        return doc | {"proof": proof | {"proofValue": "z" + b58encode(sign_ecdsa(doc, proof, "ecdsa-jcs-2019",
                                                                                   private))}}

    full = with_proof(doc["@context"])
    assert verify(full, now=NOW).verdict == "valid", fails(verify(full, now=NOW))
    prefix = with_proof(doc["@context"][:1])
    report = verify(prefix, now=NOW)
    assert report.check("signature").status == "pass"  # the signature covers the document under the proof's context
    assert report.verdict == "invalid" and doc["@context"][1] in report.check("unsigned-fields").message
    reordered = copy.deepcopy(full)
    reordered["proof"]["@context"] = list(reversed(doc["@context"]))
    report = verify(reordered, now=NOW)
    assert report.verdict == "invalid" and "does not begin" in report.check("signature").message
    stripped = copy.deepcopy(full)
    del stripped["proof"]["@context"]  # the proof options change, so the signature no longer matches
    assert "does not match" in verify(stripped, now=NOW).check("signature").message


def test_did_web_multikey_and_jwk_methods(http, private, curve):
    did = "did:web:issuer.example"
    jwk = ECKey.import_key(private.public_key()).as_dict(private=False)
    assert jwk["crv"] == curve
    http.get("https://issuer.example/.well-known/did.json", json={
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {"id": f"{did}#multikey", "type": "Multikey", "controller": did,
             "publicKeyMultibase": ec_multikey(private.public_key())},
            {"id": f"{did}#jwk", "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk},
        ],
        "assertionMethod": [f"{did}#multikey", f"{did}#jwk"],
    })
    for vm in (f"{did}#multikey", f"{did}#jwk"):
        vc = sign_credential(credential(did), private, vm, cryptosuite="ecdsa-rdfc-2019",
                             created="2025-01-01T00:00:00Z")
        report = verify(vc, now=NOW)
        assert report.verdict == "valid", fails(report)


def test_sign_credential_refuses_a_mismatched_key(private):
    from nacl.signing import SigningKey
    with pytest.raises(ValueError):
        sign_credential(credential("did:example:x"), SigningKey.generate(), "did:example:x#k",
                        cryptosuite="ecdsa-rdfc-2019")
    with pytest.raises(ValueError):
        sign_credential(credential("did:example:x"), private, "did:example:x#k", cryptosuite="eddsa-rdfc-2022")
    with pytest.raises(ValueError):
        sign_credential(credential("did:example:x"), ec.generate_private_key(ec.SECP521R1()), "did:example:x#k",
                        cryptosuite="ecdsa-rdfc-2019")


def test_unsupported_ecdsa_sd_suite_is_still_unverifiable(private):
    did, vm = _did_key(private)
    vc = sign_credential(credential(did), private, vm, cryptosuite="ecdsa-rdfc-2019", created="2025-01-01T00:00:00Z")
    vc["proof"]["cryptosuite"] = "ecdsa-sd-2023"
    report = verify(vc, now=NOW)
    assert report.verdict == "unverifiable"
    message = report.check("signature").message
    assert "ecdsa-sd-2023" in message and "does not support" in message and "ecdsa-rdfc-2019" in message
