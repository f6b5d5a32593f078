"""``Ed25519Signature2018``: the Linked Data signature of the JFF Plugfest badges and of many 2021–23
OB 3.0 credentials (a detached JWS in ``proof.jws``).

Verification follows the LD-signatures algorithm that suite was defined with (jsonld-signatures'
``LinkedDataSignature.createVerifyData`` and ``JwsLinkedDataSignature``):

1. the *proof options* are the proof without ``jws`` (and without ``signatureValue``/``proofValue``),
   with the document's ``@context``; the *document* is the credential without ``proof``;
2. both are canonicalized with URDNA2015 (pinned contexts only, :mod:`verifier.jsonld`) and hashed
   with SHA-256; the signed data is ``sha256(proof options) ‖ sha256(document)``;
3. ``proof.jws`` is a compact JWS with a detached, unencoded payload (RFC 7797): the protected
   header must be exactly EdDSA with ``b64: false`` listed in ``crit``; the JWS signing input is
   ``ASCII(header) || "." || signed data`` and the signature is Ed25519 by the verification method.

The header is checked by the shared JOSE policy (:mod:`verifier.proofs.jose_policy`) with ``b64``
as the only understood ``crit`` extension, and verified by ``joserfc``. The key must be an Ed25519
key; its binding to the issuer is checked by the caller, as for every other proof.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from joserfc.jwk import OKPKey
from nacl.signing import VerifyKey

from .. import jsonld
from ..checks import CheckId
from ..detect import decode_jws_unverified
from ..keys import ResolvedKey, resolve_verification_method
from ..model import Check, failed, passed, unreachable
from ..validity import parse_datetime
from . import jose_policy

PROOF_TYPE = "Ed25519Signature2018"
_NOT_SIGNED = ("jws", "signatureValue", "proofValue")
_SUBJECT = "The proof's signature (jws)"


@dataclass
class Outcome:
    """How the proof fared: ``status`` is verified / bad / unverifiable (as the Data Integrity proofs)."""

    status: str
    message: str
    key: ResolvedKey | None = None
    key_check: Check | None = None
    dropped: tuple[str, ...] = ()


def shape_problem(proof: dict[str, Any]) -> str | None:
    """Why the proof cannot be an Ed25519Signature2018 proof, or None."""
    for field in ("verificationMethod", "jws", "proofPurpose"):
        if not isinstance(proof.get(field), str) or not proof.get(field):
            return f"the {PROOF_TYPE} proof has no {field}"
    if "created" in proof and parse_datetime(proof.get("created")) is None:
        return f"the proof's created date {proof.get('created')!r} is not a date"
    parts = proof["jws"].split(".")
    if len(parts) != 3 or parts[1]:
        return f"the {PROOF_TYPE} proof's jws is not a detached JWS (header..signature)"
    header, _payload, err = decode_jws_unverified(f"{parts[0]}.e30.{parts[2]}")
    if err or header is None:
        return f"the {PROOF_TYPE} proof's jws cannot be read ({err})"
    if header.get("alg") != "EdDSA":
        return (jose_policy.algorithm_problem(header.get("alg"), _SUBJECT)
                or f"{_SUBJECT} uses {header.get('alg')}, but {PROOF_TYPE} is EdDSA").rstrip(".")
    problem = jose_policy.header_problem(header, _SUBJECT, understood_crit=frozenset({"b64"}))
    if problem:
        return problem.rstrip(".")
    if header.get("b64") is not False:
        return f"{_SUBJECT} must sign an unencoded payload (b64 false), as {PROOF_TYPE} requires"
    return None


def signed_data(unsecured: dict[str, Any], proof: dict[str, Any], budget: jsonld.Budget = jsonld.DEFAULT_BUDGET,
                doc_canon: jsonld.Canonical | None = None) -> tuple[bytes, tuple[str, ...]]:
    """``sha256(canonical proof options) ‖ sha256(canonical document)`` and the fields left unsigned.

    Raises jsonld.UnknownContext / JsonLdInvalid / TooComplex.
    """
    options = {k: v for k, v in proof.items() if k not in _NOT_SIGNED}
    options["@context"] = unsecured.get("@context")
    doc_canon = doc_canon or jsonld.canonicalize(unsecured, budget)
    proof_canon = jsonld.canonicalize(options, budget)
    dropped = doc_canon.dropped + tuple(f"proof.{name}" for name in proof_canon.dropped)
    return (hashlib.sha256(proof_canon.nquads.encode()).digest()
            + hashlib.sha256(doc_canon.nquads.encode()).digest()), dropped


def verify_proof(unsecured: dict[str, Any], proof: dict[str, Any], ctx: Any, label: str, *,
                 budget: jsonld.Budget = jsonld.DEFAULT_BUDGET,
                 canon_cache: dict[str, Any] | None = None) -> Outcome:
    """Verify one Ed25519Signature2018 ``proof`` of ``unsecured`` (the document without its proofs)."""
    problem = shape_problem(proof)
    if problem:
        return Outcome("bad", problem)
    cache = canon_cache if canon_cache is not None else {}
    try:
        if cache.get("doc") is None:
            cache["doc"] = jsonld.canonicalize(unsecured, budget)
        data, dropped = signed_data(unsecured, proof, budget, cache["doc"])
    except jsonld.TooComplex as exc:
        return Outcome("unverifiable", f"the credential is too complex to check ({exc})")
    except jsonld.UnknownContext as exc:
        return Outcome("unverifiable", str(exc))
    except jsonld.JsonLdInvalid as exc:
        return Outcome("bad", f"the credential is not valid JSON-LD ({exc})")

    vm = proof["verificationMethod"]
    resolved = resolve_verification_method(vm, ctx)
    if resolved.key is None:
        key_check = (unreachable if resolved.unreachable else failed)(
            CheckId.KEY, f"The signing key of {label} could not be obtained: {resolved.error}")
        return Outcome("unverifiable" if resolved.unreachable else "bad",
                       f"the signing key {vm} could not be obtained: {resolved.error}", None, key_check, dropped)
    key = resolved.key
    key_check = passed(CheckId.KEY, f"The signing key of {label} was found: {vm} ({key.type}, controlled by "
                       f"{key.controller}).")
    if not isinstance(key.public_key, VerifyKey):
        return Outcome("bad", f"{label} ({PROOF_TYPE}) needs an Ed25519 key, but {vm} is not one", key, key_check,
                       dropped)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    jose_key = OKPKey.import_key(Ed25519PublicKey.from_public_bytes(bytes(key.public_key)))
    ok, why = jose_policy.verify_compact(proof["jws"], "EdDSA", jose_key, detached_payload=data)
    if not ok:
        return Outcome("bad", f"the signature of {label} does not match the credential: it was altered after "
                       f"signing or signed with another key ({why})", key, key_check, dropped)
    return Outcome("verified", f"{label} ({PROOF_TYPE}) verified", key, key_check, dropped)


def sign_proof(unsecured: dict[str, Any], signing_key: Any, verification_method: str, *, created: str,
               proof_purpose: str = "assertionMethod") -> dict[str, Any]:
    """An Ed25519Signature2018 proof of ``unsecured`` with a nacl ``SigningKey`` (tests and fixtures)."""
    import base64
    import json

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    proof = {"type": PROOF_TYPE, "created": created, "verificationMethod": verification_method,
             "proofPurpose": proof_purpose}
    data, _ = signed_data(unsecured, proof)
    header = b64(json.dumps({"alg": "EdDSA", "b64": False, "crit": ["b64"]}, separators=(",", ":")).encode())
    signature = signing_key.sign(header.encode() + b"." + data).signature
    return {**proof, "jws": f"{header}..{b64(signature)}"}
