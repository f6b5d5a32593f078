"""The one JOSE policy of the verifier: OB 1.x/2.0 signed badges, VC-JWT and detached JWS in LD proofs.

Security decisions, in one place:

* **Algorithms are allow-listed** and tied to a key type: EdDSA/Ed25519 only with an Ed25519 (OKP)
  key, ES256 only with P-256, ES384 only with P-384, RS256/RS384/RS512 only with an RSA key of at
  least :data:`MIN_RSA_BITS` bits. ``alg: none`` and the HMAC algorithms (HS*) are refused outright:
  a shared secret proves nothing about who issued a badge, and with HMAC a public key could be
  abused as the secret (the alg-confusion attack behind CVE-2024-33663 in python-jose).
* **Header parameters** (RFC 7515 §4): a parameter this verifier does not understand is ignored,
  unless the token lists it in ``crit``. Tokens carry ``typ``, ``cty`` (VC-JOSE-COSE), ``x5t``…;
  ignoring them is what the RFC asks. Key-carrying parameters (``jwk``, ``jku``, ``x5u``, ``x5c``)
  are never a source of trust: keys come from the issuer (VC-JWT may compare a header ``jwk`` with
  the issuer's published keys; nothing is ever fetched from ``jku``/``x5u``).
* **``crit``** (RFC 7515 §4.1.11): every extension it names must be one the caller understands and
  must be present; otherwise the token is refused. The only extension understood anywhere is
  ``b64`` (RFC 7797), and only for the detached JWS of ``Ed25519Signature2018`` proofs.
* JOSE is done by ``joserfc`` (with unknown parameters allowed, per the RFC); nothing is
  hand-written.
"""
from __future__ import annotations

import warnings
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.jws import JWSRegistry

# alg → (kty, curve or None)
ALGORITHMS: dict[str, tuple[str, str | None]] = {
    "EdDSA": ("OKP", "Ed25519"), "Ed25519": ("OKP", "Ed25519"),
    "ES256": ("EC", "P-256"), "ES384": ("EC", "P-384"),
    "RS256": ("RSA", None), "RS384": ("RSA", None), "RS512": ("RSA", None),
}
MIN_RSA_BITS = 2048
MAX_HEADER_BYTES = 16 * 1024  # a header jwk with an RSA modulus exceeds joserfc's 512 bytes
MAX_SIGNATURE_BYTES = 4096

JoseKey = OKPKey | ECKey | RSAKey


def algorithm_problem(alg: Any, subject: str, allowed: tuple[str, ...] | None = None) -> str | None:
    """Why ``alg`` is refused whatever the key (a full sentence about ``subject``), or None.

    ``subject`` names the thing in the sentence ("The signed badge", "The credential token");
    ``allowed`` narrows :data:`ALGORITHMS` for a format (OB 2.0 keys are RSA or EC only).
    """
    if not isinstance(alg, str) or not alg:
        return f"{subject} does not say which signature algorithm it uses."
    if alg.lower() == "none":
        return f"{subject} declares no signature at all (algorithm 'none'); it is refused."
    if alg.upper().startswith("HS"):
        return (f"{subject} uses {alg}, a shared-secret (HMAC) algorithm; only public-key "
                "signatures can prove who issued a badge, so it is refused.")
    if alg not in ALGORITHMS or (allowed is not None and alg not in allowed):
        return f"{subject} uses the unsupported signature algorithm {alg}."
    return None


def header_problem(header: dict[str, Any], subject: str, *,
                   understood_crit: frozenset[str] = frozenset()) -> str | None:
    """Why the protected header is refused (``crit``/``b64`` rules above), or None.

    Parameters not understood and not listed in ``crit`` are ignored (RFC 7515 §4).
    """
    crit = header.get("crit")
    if crit is not None:
        if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
            return f"{subject} has a malformed crit header (it must be a non-empty list of names)."
        unknown = [c for c in crit if c not in understood_crit]
        if unknown:
            return (f"{subject} requires the header extension(s) {', '.join(unknown)} (crit), which this "
                    "verifier does not understand, so it is refused.")
        missing = [c for c in crit if c not in header]
        if missing:
            return f"{subject} lists {', '.join(missing)} as critical (crit) but does not carry it."
    if "b64" in header:
        if "b64" not in understood_crit:
            if header["b64"] is not True:
                return (f"{subject} uses an unencoded payload (b64), which is not allowed for this kind of "
                        "signature, so it is refused.")
        elif header["b64"] is not False or "b64" not in (crit or []):
            return f"{subject} must declare b64 false and list it in crit (RFC 7797)."
    return None


def fits(alg: str, key: JoseKey) -> str | None:
    """Why ``alg`` cannot be used with ``key`` (key type, curve, RSA size), or None."""
    kty, curve = ALGORITHMS[alg]
    if key.key_type != kty:
        return f"{alg} needs a {kty} key, not {key.key_type}"
    if curve is not None and getattr(key, "curve_name", None) != curve:
        return f"{alg} needs the {curve} curve, not {getattr(key, 'curve_name', '?')}"
    if kty == "RSA":
        public = key.public_key
        bits = public.key_size if isinstance(public, rsa.RSAPublicKey) else 0
        if bits < MIN_RSA_BITS:
            return f"the RSA key is only {bits} bits; at least {MIN_RSA_BITS} are required"
    return None


def verify_compact(token: str, alg: str, key: JoseKey, *, max_payload: int = 2 * 1024 * 1024,
                   detached_payload: bytes | None = None) -> tuple[bool, str]:
    """Check a compact JWS made with ``alg`` against ``key``: (ok, reason when not ok).

    The caller has applied :func:`algorithm_problem`, :func:`header_problem` and :func:`fits`.
    ``detached_payload`` is the content of a detached JWS (``header..signature``).
    """
    registry = JWSRegistry(algorithms=[alg], strict_check_header=False)
    registry.max_payload_length = max_payload
    registry.max_header_length = MAX_HEADER_BYTES
    registry.max_signature_length = MAX_SIGNATURE_BYTES
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc warns that "EdDSA" is deprecated by RFC 9864
            jws.deserialize_compact(token.strip(), key, registry=registry, payload=detached_payload)
    except JoseError as exc:
        return False, exc.error
    except (ValueError, TypeError) as exc:
        return False, exc.__class__.__name__
    return True, ""
