"""Key resolution: did:key, did:web, https controller documents, and every verification method type."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.jwk import ECKey, OKPKey, RSAKey
from nacl.signing import SigningKey, VerifyKey
from support.files import fixture_path, load_json

from verifier.context import VerifyContext
from verifier.fetch import SafeFetcher
from verifier.keys import (
    b58decode,
    b58encode,
    did_web_url,
    ed25519_multikey,
    key_from_method,
    resolve_did_document,
    resolve_verification_method,
)

OB3_KEY = load_json("1edtech-openbadges-specification/ob3-test-vector/keypair.json")


def ctx(**kw) -> VerifyContext:
    return VerifyContext(fetcher=SafeFetcher(**kw))


def test_base58_round_trip_and_leading_zeros():
    for data in (b"", b"\x00", b"\x00\x00\x01\x02", bytes(range(40))):
        assert b58decode(b58encode(data)) == data
    with pytest.raises(ValueError):
        b58decode("0OIl")


def test_multikey_decodes_to_the_published_public_key():
    multikey = OB3_KEY["publicKeyMultibase"]
    key, jwk = key_from_method({"type": "Multikey", "publicKeyMultibase": multikey})
    assert bytes(key).hex() == OB3_KEY["publicKeyHex"] and jwk is None
    assert ed25519_multikey(key) == multikey


def test_did_key_resolves_locally_for_every_relationship():
    did = "did:key:" + OB3_KEY["publicKeyMultibase"]
    result = resolve_verification_method(f"{did}#{OB3_KEY['publicKeyMultibase']}", ctx(offline=True))
    assert result.key is not None and result.key.controller == did
    assert {"assertionMethod", "authentication"} <= result.key.relationships
    assert isinstance(result.key.public_key, VerifyKey)
    bare = resolve_verification_method(did, ctx(offline=True))  # a bare did:key names its only key
    assert bare.key is not None and bare.key.id.endswith("#" + OB3_KEY["publicKeyMultibase"])


def test_did_key_of_an_unsupported_key_type_is_refused():
    secp256k1 = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"  # multicodec 0xe7
    result = resolve_verification_method(f"{secp256k1}#{secp256k1[8:]}", ctx())
    assert result.key is None and "Ed25519, P-256 or P-384" in result.error and not result.unreachable
    p256 = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"  # P-256 is supported (tests/verifier/test_ecdsa.py)
    assert resolve_verification_method(f"{p256}#x", ctx()).key is None  # but only under its own fragment
    assert isinstance(resolve_verification_method(p256, ctx()).key.public_key, ec.EllipticCurvePublicKey)


@pytest.mark.parametrize("did, url", [
    ("did:web:example.com", "https://example.com/.well-known/did.json"),
    ("did:web:example.com:user:alice", "https://example.com/user/alice/did.json"),
    ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
    ("did:web:digitalcredentials.github.io:dcc-did-web", "https://digitalcredentials.github.io/dcc-did-web/did.json"),
])
def test_did_web_urls(did, url):
    assert did_web_url(did) == url


@pytest.mark.parametrize("did", ["did:web:", "did:web:a.example:..:x", "did:web:a.example%2Fevil"])
def test_bad_did_web_identifiers(did):
    assert did_web_url(did) is None


def test_did_web_with_key_embedded_in_assertion_method(http):
    http.get("https://digitalcredentials.github.io/dcc-did-web/did.json",
             body=fixture_path("digitalcredentials-dcc-did-web/did.json").read_bytes())
    vm = "did:web:digitalcredentials.github.io:dcc-did-web#z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"
    result = resolve_verification_method(vm, ctx())
    assert result.key.type == "Ed25519VerificationKey2020"
    assert result.key.relationships == frozenset({"assertionMethod"})
    assert result.key.controller == "did:web:digitalcredentials.github.io:dcc-did-web"


def test_did_web_multikey_document(http):
    http.get("https://digitalcredentials.github.io/dcc-did-web/multikey/did.json",
             body=fixture_path("digitalcredentials-dcc-did-web/multikey/did.json").read_bytes())
    doc, err, unreachable = resolve_did_document("did:web:digitalcredentials.github.io:dcc-did-web:multikey", ctx())
    assert err is None and doc["id"].endswith(":multikey") and not unreachable


def test_did_web_failures_say_whether_the_network_is_to_blame(http):
    http.get("https://gone.example/.well-known/did.json", status=404)
    http.get("https://other.example/.well-known/did.json", json={"id": "did:web:someone.else"})
    missing = resolve_verification_method("did:web:gone.example#k", ctx())
    assert missing.key is None and not missing.unreachable and "404" in missing.error
    down = resolve_verification_method("did:web:down.example#k", ctx())  # not served: connection error
    assert down.key is None and down.unreachable
    offline = resolve_verification_method("did:web:gone.example#k", ctx(offline=True))
    assert offline.unreachable and "offline" in offline.error
    wrong = resolve_verification_method("did:web:other.example#k", ctx())
    assert wrong.key is None and "did:web:someone.else" in wrong.error and not wrong.unreachable


def test_unsupported_did_method_and_scheme():
    assert "not supported" in resolve_verification_method("did:example:123#k", ctx()).error
    assert "neither" in resolve_verification_method("urn:uuid:1#z6Mk", ctx()).error


def test_https_controller_document(http):
    key = SigningKey.generate()
    vm = "https://issuer.example/profile#key-1"
    http.get("https://issuer.example/profile", json={
        "id": "https://issuer.example/profile",
        "verificationMethod": [{"id": "#key-1", "type": "Ed25519VerificationKey2018",
                                "controller": "https://issuer.example/profile",
                                "publicKeyBase58": b58encode(bytes(key.verify_key))}],
        "assertionMethod": ["#key-1"]})
    result = resolve_verification_method(vm, ctx())
    assert result.key.public_key == key.verify_key
    assert result.key.relationships == frozenset({"assertionMethod"})
    other = resolve_verification_method("https://issuer.example/profile#z6MkOther", ctx())
    assert other.key is None and "does not list" in other.error


def test_fragment_key_without_document_explains_the_risk():
    result = resolve_verification_method("https://issuer.example/x#" + ed25519_multikey(SigningKey.generate().verify_key),
                                         ctx(offline=True))
    assert result.key is None and result.unreachable and "anyone could sign as that URL" in result.error


@pytest.mark.parametrize("make", [
    lambda: OKPKey.generate_key("Ed25519"),
    lambda: ECKey.import_key(ec.generate_private_key(ec.SECP256R1())),
    lambda: RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
])
@pytest.mark.parametrize("vm_type", ["JsonWebKey", "JsonWebKey2020"])
def test_json_web_keys(make, vm_type):
    jwk = make().as_dict(private=False)
    public_key, kept = key_from_method({"type": vm_type, "publicKeyJwk": jwk})
    assert kept == jwk
    if jwk["kty"] == "OKP":
        assert isinstance(public_key, VerifyKey)
    else:
        assert hasattr(public_key, "public_numbers")


def test_private_jwk_and_unknown_types_are_refused():
    private = OKPKey.generate_key("Ed25519").as_dict(private=True)
    with pytest.raises(ValueError, match="private"):
        key_from_method({"type": "JsonWebKey", "publicKeyJwk": private})
    with pytest.raises(ValueError, match="unsupported"):
        key_from_method({"type": "EcdsaSecp256k1VerificationKey2019", "publicKeyHex": "00"})
