"""Generated OB 2.0 issuers, keys and assertions for the OB2 tests (hosted and signed)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey
from PIL import Image

ISSUER = "https://issuer.example/issuer.json"
BADGECLASS = "https://issuer.example/badges/robotics.json"
KEY = "https://issuer.example/keys/1.json"
REVOCATIONS = "https://issuer.example/revoked.json"
ASSERTION = "https://issuer.example/assertions/1.json"
EMAIL = "Alice@Example.org"
SALT = "pepper"
CTX = "https://w3id.org/openbadges/v2"


@cache
def rsa_key(n: int = 0) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def ec_key(n: int = 0) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(private: Any) -> str:
    return private.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def hashed(email: str = "alice@example.org", salt: str = SALT) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(payload: dict[str, Any], private: Any, alg: str = "RS256") -> str:
    key = RSAKey.import_key(private) if isinstance(private, rsa.RSAPrivateKey) else ECKey.import_key(
        private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))
    return jws.serialize_compact({"alg": alg}, json.dumps(payload).encode(), key, algorithms=[alg])


def sign_hmac(payload: dict[str, Any], secret: bytes, alg: str = "HS256") -> str:
    """An attacker's HMAC token; the secret may be the issuer's public PEM (alg confusion), which joserfc
    rightly refuses to use, so the attacker's side is forged with the standard library."""
    signing_input = b64(json.dumps({"alg": alg}).encode()) + "." + b64(json.dumps(payload).encode())
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    return signing_input + "." + b64(hmac.new(secret, signing_input.encode(), digest).digest())


def unsigned(payload: dict[str, Any]) -> str:
    """An ``alg: none`` token (no signature)."""
    return b64(json.dumps({"alg": "none"}).encode()) + "." + b64(json.dumps(payload).encode()) + "."


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (4, 4), (200, 30, 30, 255)).save(out, format="PNG")
    return out.getvalue()


TINY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


@dataclass
class Issuer:
    """One issuer's documents, editable per test, served with :meth:`serve`."""

    private: Any = field(default_factory=rsa_key)
    assertion: dict[str, Any] = field(default_factory=dict)
    badgeclass: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    key: dict[str, Any] = field(default_factory=dict)
    revocations: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.assertion = self.assertion or {
            "@context": CTX, "type": "Assertion", "id": ASSERTION,
            "recipient": {"type": "email", "hashed": True, "salt": SALT, "identity": hashed()},
            "badge": BADGECLASS, "issuedOn": "2023-03-01T12:00:00Z",
            "verification": {"type": "hosted"}}
        self.badgeclass = self.badgeclass or {
            "@context": CTX, "type": "BadgeClass", "id": BADGECLASS, "name": "Robotics Level 1",
            "description": "Built and programmed a robot.", "image": "https://issuer.example/badges/robotics.png",
            "criteria": {"narrative": "Build a robot."}, "issuer": ISSUER, "tags": ["robots"]}
        self.profile = self.profile or {
            "@context": CTX, "type": "Issuer", "id": ISSUER, "name": "Example Robotics School",
            "url": "https://issuer.example", "email": "badges@issuer.example", "publicKey": KEY}
        self.key = self.key or {"@context": CTX, "type": "CryptographicKey", "id": KEY, "owner": ISSUER,
                                "publicKeyPem": public_pem(self.private)}

    def signed_payload(self, **changes: Any) -> dict[str, Any]:
        payload = {**self.assertion, "verification": {"type": "SignedBadge", "creator": KEY}}
        payload.update(changes)
        return payload

    def serve(self, http, *, assertion: bool = True) -> None:
        if self.revocations is not None:
            self.profile["revocationList"] = REVOCATIONS
            http.get(REVOCATIONS, json=self.revocations)
        if assertion:
            http.get(ASSERTION, json=self.assertion)
        http.get(BADGECLASS, json=self.badgeclass)
        http.get(ISSUER, json=self.profile)
        http.get(KEY, json=self.key)
