"""Published test vectors: 1EdTech OB 3.0 eddsa-rdfc-2022 first, then W3C vc-di-eddsa (REC, Appendix A).

Each intermediate value (canonical N-Quads, hashes, signature) is reproduced byte for byte, and
signing the unsigned input with the published key yields the published proofValue.
"""
from __future__ import annotations

import hashlib

import pytest
from nacl.signing import SigningKey
from support.files import fixture_path, load_json

from verifier import jsonld
from verifier.context import VerifyContext
from verifier.fetch import SafeFetcher
from verifier.keys import b58decode, multibase_decode
from verifier.proofs.data_integrity import hash_data, sign_credential, verify_document_proofs

OB3 = "1edtech-openbadges-specification/ob3-test-vector"
W3C = "w3c-vc-di-eddsa"


def _text(*parts: str) -> str:
    return fixture_path(*parts).read_text(encoding="utf-8")


def _unsecured(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "proof"}


def _offline() -> VerifyContext:
    return VerifyContext(fetcher=SafeFetcher(offline=True))


# --- 1EdTech OB 3.0 ---------------------------------------------------------------------------

def test_ob3_vector_canonical_document_byte_for_byte():
    signed = load_json(OB3, "signed-credential.json")
    canon = jsonld.canonicalize(_unsecured(signed))
    assert canon.nquads == _text(OB3, "document-canon.txt")
    assert canon.dropped == ()
    values = load_json(OB3, "values.json")
    assert hashlib.sha256(canon.nquads.encode()).hexdigest() == values["documentHashHex"]


def test_ob3_vector_proof_options_and_signature():
    signed = load_json(OB3, "signed-credential.json")
    values = load_json(OB3, "values.json")
    proof = signed["proof"]
    config = {k: v for k, v in proof.items() if k != "proofValue"} | {"@context": signed["@context"]}
    assert jsonld.canonicalize(config).nquads == _text(OB3, "proof-canon.txt")
    data, dropped = hash_data(_unsecured(signed), proof, "eddsa-rdfc-2022")
    assert data.hex() == values["dataToSignHex"] and dropped == ()
    assert multibase_decode(proof["proofValue"]).hex() == values["signatureHex"]
    key = load_json(OB3, "keypair.json")
    seed = bytes.fromhex(key["privateKeyHex"])[:32]
    resigned = sign_credential(load_json(OB3, "credential-unsigned.json"), SigningKey(seed),
                               proof["verificationMethod"], created=proof["created"])
    assert resigned["proof"]["proofValue"] == values["proofValue"]


def test_ob3_vector_matches_pyld_normalize_call():
    """Our budgeted pipeline equals the plain pyld call the issue prescribes."""
    from pyld import jsonld as pyld_jsonld
    doc = _unsecured(load_json(OB3, "signed-credential.json"))
    expected = pyld_jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                           "base": None, "documentLoader": jsonld.LOADER})
    assert jsonld.canonicalize(doc).nquads == expected


# --- W3C vc-di-eddsa --------------------------------------------------------------------------

def _w3c_seed(private_multibase: str) -> bytes:
    raw = b58decode(private_multibase[1:])
    assert raw[:2] == b"\x80\x26" and len(raw) == 34  # multicodec ed25519-priv
    return raw[2:]


@pytest.mark.parametrize("folder, suffix, suite", [
    ("eddsa-rdfc-2022", "DataInt", "eddsa-rdfc-2022"),
    ("eddsa-rdfc-2022/employ", "DataInt", "eddsa-rdfc-2022"),
    ("Ed25519Signature2020", "EdSig", "Ed25519Signature2020"),
    ("eddsa-jcs-2022", "JCS", "eddsa-jcs-2022"),
])
def test_w3c_vector_intermediates(folder, suffix, suite):
    signed = load_json(W3C, folder, f"signed{suffix}.json")
    proof = signed["proof"]
    unsecured = _unsecured(signed)
    data, _ = hash_data(unsecured, proof, suite)
    assert data.hex() == _text(W3C, folder, f"combinedHash{suffix}.txt").strip()
    assert data[32:].hex() == _text(W3C, folder, f"docHash{suffix}.txt").strip()
    assert data[:32].hex() == _text(W3C, folder, f"proofHash{suffix}.txt").strip()
    if suite != "eddsa-jcs-2022":
        assert jsonld.canonicalize(unsecured).nquads == _text(W3C, folder, f"canonDoc{suffix}.txt")
    assert proof["proofValue"] == _text(W3C, folder, f"sigBTC58{suffix}.txt").strip()
    seed = _w3c_seed(load_json(W3C, "keyPair.json")["privateKeyMultibase"])
    cryptosuite = "Ed25519Signature2020" if suite == "Ed25519Signature2020" else suite
    resigned = sign_credential(unsecured, SigningKey(seed), proof["verificationMethod"],
                               cryptosuite=cryptosuite, created=proof["created"])
    assert resigned["proof"]["proofValue"] == proof["proofValue"]


@pytest.mark.parametrize("name, count", [("signedProofSet1.json", 1), ("signedProofSet2.json", 2),
                                         ("signedProofChain1.json", 3), ("signedProofChain2.json", 4)])
def test_w3c_proof_sets_and_chains_verify(name, count):
    doc = load_json(W3C, "proof-set-chain", name)
    checks = verify_document_proofs(doc, _offline(), expected_controller=None)
    proof = next(c for c in checks if c.id == "signature")
    assert proof.status == "pass" and proof.authenticates
    if count > 1:
        assert f"All {count} proofs verified" in proof.message and "every proof" in proof.message
    # The vectors sign an https issuer with did:keys: the signatures are fine, the binding is not.
    bindings = [c for c in checks if c.id == "key-owner"]
    assert len(bindings) == count and all(c.status == "fail" for c in bindings)


def test_w3c_chain_with_a_removed_previous_proof_fails():
    doc = load_json(W3C, "proof-set-chain", "signedProofChain2.json")
    doc["proof"] = doc["proof"][1:]  # drop proof 1, which proof 3 builds on
    checks = verify_document_proofs(doc, _offline(), expected_controller=None)
    proof = next(c for c in checks if c.id == "signature")
    assert proof.status == "fail" and "previous proof" in proof.message


def test_w3c_vector_passes_when_the_signer_is_the_expected_controller():
    doc = load_json(W3C, "eddsa-rdfc-2022", "signedDataInt.json")
    did = doc["proof"]["verificationMethod"].split("#")[0]
    checks = verify_document_proofs(doc, _offline(), expected_controller=did)
    assert {c.id: c.status for c in checks} == {"context": "pass", "unsigned-fields": "pass", "signature": "pass",
                                                "key": "pass", "key-owner": "pass"}
