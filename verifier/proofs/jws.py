"""OB 1.x/2.0 signed badges: a compact JWS whose payload is the assertion.

Security decisions, in one place:

* The algorithm is allow-listed *by key type* before anything is verified: an RSA key only verifies
  RS256/RS384/RS512, an EC key only ES256 (P-256) / ES384 (P-384). ``alg: none`` and the HMAC
  algorithms (HS*) are refused outright: with HMAC a public key would become a shared secret
  (the alg-confusion attack behind CVE-2024-33663 in python-jose).
* Keys never come from the token itself: ``jwk``/``jku``/``x5u``/``x5c`` headers are ignored. The
  caller supplies a key it fetched from the issuer's profile.
* A ``crit`` header is refused: no extension is understood, so none may be required.
* JOSE is done by ``joserfc`` and key parsing by ``cryptography``; nothing is hand-written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from ..detect import decode_jws_unverified

RSA_ALGORITHMS = ("RS256", "RS384", "RS512")
EC_ALGORITHMS = {"ES256": "secp256r1", "ES384": "secp384r1"}  # algorithm → the curve it must use
MIN_RSA_BITS = 2048


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
    """Why the header's algorithm is refused whatever the key, or None if it may be checked."""
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg:
        return "The signed badge does not say which signature algorithm it uses."
    if alg.lower() == "none":
        return "The signed badge declares no signature at all (algorithm 'none'); it is refused."
    if alg.upper().startswith("HS"):
        return (f"The signed badge uses {alg}, a shared-secret (HMAC) algorithm; only public-key "
                "signatures can prove who issued a badge, so it is refused.")
    if alg not in RSA_ALGORITHMS and alg not in EC_ALGORITHMS:
        return f"The signed badge uses the unsupported signature algorithm {alg}."
    if "crit" in header:
        return "The signed badge requires header extensions (crit) that this verifier does not support."
    return None


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
    misfit = algorithm_fits_key(alg, key)
    if misfit:
        return False, misfit
    try:
        jws.deserialize_compact(token.strip(), key.jwk, algorithms=[alg])
    except JoseError as exc:
        return False, f"the signature does not match ({exc.error})"
    except (ValueError, TypeError) as exc:
        return False, f"the signature could not be checked ({exc.__class__.__name__})"
    return True, ""
