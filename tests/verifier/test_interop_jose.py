"""VC-JWT interop: did:key Ed25519 / P-256 / P-384 and did:jwk issuers, and the shared JOSE header policy
(unknown parameters ignored per RFC 7515 §4, unknown ``crit`` refused, the algorithm allow-list kept)."""
from __future__ import annotations

import base64
import json
import warnings
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from joserfc import jws
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.jws import JWSRegistry
from nacl.signing import VerifyKey
from support import ob2_badges as ob2
from support.credentials import ob3_credential

from verifier import verify
from verifier.fetch import SafeFetcher
from verifier.keys import ec_multikey, ed25519_multikey
from verifier.proofs import jose_policy, vcjwt
from verifier.proofs import jws as ob2_jws

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def credential(issuer: str) -> dict:
    return ob3_credential(issuer, "urn:uuid:0d1b7f5e-1111-4000-8000-00000000abcd")


def sign(payload: dict, key, alg: str, **header) -> str:
    registry = JWSRegistry(algorithms=[alg], strict_check_header=False)
    registry.max_header_length = 16 * 1024
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jws.serialize_compact({"alg": alg, **header}, json.dumps(payload).encode(), key, registry=registry)


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def did_key(kind: str):
    """(joserfc private key, alg, did, kid) for a did:key of the given key type."""
    if kind == "Ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
        raw = private.public_key().public_bytes_raw()
        did = "did:key:" + ed25519_multikey(VerifyKey(raw))
        return OKPKey.import_key(private), "EdDSA", did, f"{did}#{did[8:]}"
    curve, alg = {"P-256": (ec.SECP256R1(), "ES256"), "P-384": (ec.SECP384R1(), "ES384")}[kind]
    private = ec.generate_private_key(curve)
    did = "did:key:" + ec_multikey(private.public_key())
    return ECKey.import_key(private), alg, did, f"{did}#{did[8:]}"


def did_jwk(kind: str, **members):
    if kind == "Ed25519":
        key, alg = OKPKey.generate_key("Ed25519"), "EdDSA"
    else:
        key, alg = ECKey.generate_key(kind), {"P-256": "ES256", "P-384": "ES384"}[kind]
    public = {**key.as_dict(private=False), **members}
    public.pop("kid", None)
    did = "did:jwk:" + b64(json.dumps(public, separators=(",", ":")).encode())
    return key, alg, did, f"{did}#0"


def check(report, check_id):
    return report.check(check_id)


# --- did:key and did:jwk issuers -------------------------------------------------------------

@pytest.mark.parametrize("kind, prefix", [("Ed25519", "did:key:z6Mk"), ("P-256", "did:key:zDn"),
                                          ("P-384", "did:key:z82")])
def test_vc_jwt_from_did_key_verifies(kind, prefix):
    key, alg, did, kid = did_key(kind)
    assert did.startswith(prefix)
    token = sign({**credential(did), "iss": did}, key, alg, kid=kid, typ="vc+jwt")
    report = verify(token, now=NOW, fetcher=SafeFetcher())
    assert report.format == "ob3-jwt" and report.verdict == "valid", [c.to_dict() for c in report.checks]
    assert check(report, "signature").authenticates and check(report, "key-owner").status == "pass"


@pytest.mark.parametrize("kind", ["P-256", "P-384"])
def test_vc_jwt_from_did_key_without_kid_uses_the_issuer_document(kind):
    key, alg, did, _kid = did_key(kind)
    report = verify(sign(credential(did), key, alg), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "valid", [c.to_dict() for c in report.checks]


@pytest.mark.parametrize("kind", ["Ed25519", "P-256", "P-384"])
def test_vc_jwt_from_did_jwk_verifies(kind):
    key, alg, did, kid = did_jwk(kind)
    report = verify(sign(credential(did), key, alg, kid=kid), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "valid", [c.to_dict() for c in report.checks]
    assert check(report, "key").status == "pass" and did in check(report, "key").message


def test_did_jwk_bare_kid_names_key_zero():
    key, alg, did, _kid = did_jwk("P-256")
    assert verify(sign(credential(did), key, alg, kid=did), now=NOW, fetcher=SafeFetcher()).verdict == "valid"


def test_did_jwk_encryption_key_may_not_issue():
    key, alg, did, kid = did_jwk("P-256", use="enc")
    report = verify(sign(credential(did), key, alg, kid=kid), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid"
    assert check(report, "key-owner").status == "fail" and "assertionMethod" in check(report, "key-owner").message


def test_did_jwk_with_private_key_material_is_refused():
    key, alg, did, kid = did_jwk("P-256")
    private_did = "did:jwk:" + b64(json.dumps(key.as_dict(private=True)).encode())
    report = verify(sign(credential(private_did), key, alg, kid=private_did + "#0"), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid" and "private" in check(report, "key").message


def test_did_jwk_garbage_is_a_sentence():
    key, alg, did, kid = did_jwk("P-256")
    bogus = "did:jwk:%%%not-base64"
    report = verify(sign(credential(bogus), key, alg, kid=bogus + "#0"), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid" and "did:jwk" in check(report, "key").message


def test_es384_with_a_p256_did_key_is_refused():
    key, _alg, did, kid = did_key("P-256")
    header = b64({"alg": "ES384", "kid": kid})
    report = verify(f"{header}.{b64(credential(did))}.{b64(b'x' * 96)}", now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid" and check(report, "key").status == "fail"
    assert "ES384" in check(report, "key").message


def test_p256_signature_does_not_verify_for_another_did_key():
    key, alg, _did, kid = did_key("P-256")
    _k2, _a2, victim, _kid2 = did_key("P-256")
    report = verify(sign(credential(victim), key, alg, kid=kid), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid" and check(report, "key-owner").status == "fail"


# --- header parameters -----------------------------------------------------------------------

@pytest.mark.parametrize("extra", [
    {"cty": "vc"}, {"cty": "application/vc"}, {"x5t": "bm90LWEtcmVhbC10aHVtYnByaW50"},
    {"x5t#S256": "bm90LWEtcmVhbC10aHVtYnByaW50"}, {"vendor-extension": {"trace": 7}},
    {"jku": "https://evil.example/jwks.json"}, {"x5u": "https://evil.example/cert.pem"},
])
def test_header_parameters_not_understood_are_ignored(extra, http):
    """RFC 7515 §4: parameters not understood and not in crit are ignored; jku/x5u are never fetched
    (the strict HTTP mock would raise on any request to evil.example)."""
    key, alg, did, kid = did_key("P-256")
    report = verify(sign(credential(did), key, alg, kid=kid, typ="vc+jwt", **extra), now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "valid", [c.to_dict() for c in report.checks]
    assert not any("evil.example" in call.request.url for call in http.calls)


@pytest.mark.parametrize("extra, word", [
    ({"crit": ["urn:example:policy"], "urn:example:policy": "strict"}, "urn:example:policy"),
    ({"crit": ["cty"], "cty": "vc"}, "cty"),
    ({"crit": "b64", "b64": False}, "crit"),
    ({"crit": ["missing"]}, "missing"),
])
def test_unknown_crit_extension_is_refused(extra, word):
    key, alg, did, kid = did_key("Ed25519")
    header = b64({"alg": alg, "kid": kid, **extra})
    payload = b64(credential(did))
    signature = b64(key.private_key.sign(f"{header}.{payload}".encode()))
    report = verify(f"{header}.{payload}.{signature}", now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid"
    sig = check(report, "signature")
    assert sig.status == "fail" and word in sig.message and not sig.authenticates


@pytest.mark.parametrize("alg", ["PS256", "ES512", "ES256K", "HS256", "none", "RSA-OAEP"])
def test_algorithm_allow_list_stays(alg):
    assert jose_policy.algorithm_problem(alg, "The token") is not None
    _key, _alg, did, kid = did_key("P-256")
    token = f"{b64({'alg': alg, 'kid': kid})}.{b64(credential(did))}.{b64(b'x' * 64)}"
    report = verify(token, now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "invalid" and check(report, "algorithm").status == "fail"


def test_one_policy_module_for_both_jose_formats():
    """The OB 2.0 JWS and VC-JWT paths share one allow-list and one minimum RSA size."""
    assert not hasattr(vcjwt, "MIN_RSA_BITS") or vcjwt.MIN_RSA_BITS is jose_policy.MIN_RSA_BITS
    assert ob2_jws.MIN_RSA_BITS == jose_policy.MIN_RSA_BITS == 2048
    assert vcjwt.ALGORITHMS is jose_policy.ALGORITHMS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc warns about the small key, which is the point
        small = RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    assert "2048" in (jose_policy.fits("RS256", small) or "")


def test_ob2_signed_badge_with_cty_verifies_and_with_crit_is_refused(http):
    issuer = ob2.Issuer()
    issuer.serve(http, assertion=False)
    key = RSAKey.import_key(issuer.private)
    payload = json.dumps(issuer.signed_payload()).encode()
    registry = JWSRegistry(algorithms=["RS256"], strict_check_header=False)
    plain = jws.serialize_compact({"alg": "RS256", "cty": "json", "x5t": "abc"}, payload, key, registry=registry)
    assert verify(plain, now=NOW).verdict == "valid"
    header = b64({"alg": "RS256", "crit": ["urn:x"], "urn:x": "y"})
    body = b64(payload)
    signature = issuer.private.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    report = verify(f"{header}.{body}.{b64(signature)}", now=NOW)
    assert report.verdict == "invalid" and "urn:x" in report.check("algorithm").message
