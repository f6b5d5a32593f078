"""OB 1.x/2.0 signed badges: a compact JWS whose payload is the assertion.

The JOSE rules (algorithm allow-list tied to key type, ``none``/HMAC refused, header parameters
ignored unless ``crit``, no ``crit`` extension understood, minimum RSA size) are those of
:mod:`verifier.proofs.jose_policy`, shared with VC-JWT. Keys never come from the token itself:
``jwk``/``jku``/``x5u``/``x5c`` headers are ignored; the caller supplies a key it fetched from the
issuer's profile. OB 2.0 keys are PEM (RSA or EC), so EdDSA is not accepted here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.jwk import ECKey, RSAKey

from ..detect import decode_jws_unverified
from . import jose_policy
from .jose_policy import MIN_RSA_BITS

RSA_ALGORITHMS = ("RS256", "RS384", "RS512")
EC_ALGORITHMS = {"ES256": "secp256r1", "ES384": "secp384r1"}  # algorithm → the curve it must use
SUBJECT = "The signed badge"


@dataclass(frozen=True)
class PublicKey:
    """A public key ready for JWS verification. ``kind`` is "RSA" or "EC"."""

    jwk: RSAKey | ECKey
    kind: str
    curve: str | None = None
    bits: int = 0


@dataclass(frozen=True)
class Decoded:
    """The unverified parts of a compact JWS, or why it cannot be read."""

    header: dict[str, Any] | None
    payload: Any
    error: str | None = None


def decode(token: str) -> Decoded:
    """Split and decode a compact JWS without checking the signature (to find the key to use)."""
    header, payload, err = decode_jws_unverified(token)
    if err:
        return Decoded(None, None, f"The signed badge cannot be read: {err}.")
    return Decoded(header, payload)


def load_public_key(pem: str) -> tuple[PublicKey | None, str | None]:
    """Parse a PEM public key (``publicKeyPem`` of an OB2 CryptographicKey, or an OB1 key file)."""
    try:
        loaded = serialization.load_pem_public_key(pem.strip().encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        return None, f"the issuer's public key is not a readable PEM key ({exc.__class__.__name__})"
    if isinstance(loaded, rsa.RSAPublicKey):
        if loaded.key_size < MIN_RSA_BITS:
            return None, f"the issuer's RSA key is only {loaded.key_size} bits; at least {MIN_RSA_BITS} are required"
        return PublicKey(RSAKey.import_key(loaded), "RSA", bits=loaded.key_size), None
    if isinstance(loaded, ec.EllipticCurvePublicKey):
        if loaded.curve.name not in EC_ALGORITHMS.values():
            return None, f"the issuer's key uses the unsupported curve {loaded.curve.name}"
        pem_bytes = loaded.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return PublicKey(ECKey.import_key(pem_bytes), "EC", curve=loaded.curve.name), None
    return None, "the issuer's key is neither an RSA nor an elliptic-curve key"


def algorithm_problem(header: dict[str, Any]) -> str | None:
    """Why the header's algorithm or its extensions are refused whatever the key, or None."""
    return (jose_policy.algorithm_problem(header.get("alg"), SUBJECT, (*RSA_ALGORITHMS, *EC_ALGORITHMS))
            or jose_policy.header_problem(header, SUBJECT))


def algorithm_fits_key(alg: str, key: PublicKey) -> str | None:
    """Why ``alg`` may not be used with ``key``, or None if it may."""
    if key.kind == "RSA" and alg in RSA_ALGORITHMS:
        return None
    if key.kind == "EC" and EC_ALGORITHMS.get(alg) == key.curve:
        return None
    return f"the signature algorithm {alg} does not match the issuer's {key.kind} key"


def verify_compact(token: str, key: PublicKey) -> tuple[bool, str]:
    """Check the signature of ``token`` with ``key``: (ok, reason when not ok)."""
    decoded = decode(token)
    if decoded.error or decoded.header is None:
        return False, decoded.error or "unreadable token"
    problem = algorithm_problem(decoded.header)
    if problem:
        return False, problem
    alg = decoded.header["alg"]
    misfit = algorithm_fits_key(alg, key) or jose_policy.fits(alg, key.jwk)
    if misfit:
        return False, misfit
    ok, why = jose_policy.verify_compact(token, alg, key.jwk)
    return ok, "" if ok else f"the signature does not match ({why})"
