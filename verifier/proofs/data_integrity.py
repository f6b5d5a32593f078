"""Data Integrity proofs: ``eddsa-rdfc-2022`` (and legacy ``eddsa-2022``), ``Ed25519Signature2020``,
``eddsa-jcs-2022``, ``ecdsa-rdfc-2019`` and ``ecdsa-jcs-2019`` (``Ed25519Signature2018``, a detached JWS, is
verified by :mod:`verifier.proofs.ed25519_2018` and bound to the issuer here like the others).

Verification follows W3C vc-di-eddsa and vc-di-ecdsa exactly:

1. the *unsecured document* is the document without ``proof`` (for a proof with ``previousProof``,
   the proofs it names are put back as ``proof``);
2. the *proof options* are the proof without ``proofValue``, with the document's ``@context``;
3. both are canonicalized (RDFC-1.0 / URDNA2015 N-Quads, or JCS for the ``-jcs-`` suites) and hashed
   with SHA-256; the signed data is ``sha256(proof options) ‖ sha256(document)``;
4. ``proofValue`` (multibase base58btc) is an Ed25519 signature over it by the verification method.

The ECDSA suites differ in two points: the hash is SHA-256 for a P-256 key and SHA-384 for a P-384
key (chosen by the key's curve, so a signature hashed for the other curve fails); ``proofValue`` is
the raw ``r ‖ s`` (64 or 96 bytes), verified as ECDSA with that same hash over the concatenated
hashes.

For the JCS suites (``eddsa-jcs-2022``, ``ecdsa-jcs-2019``) the proof options are the proof exactly
as received: its ``@context`` if it has one (which must then begin the document's ``@context`` and
replaces it), none if it has none. Adding the document's context to a proof that lacks one (as the
RDFC suites do) would let anyone strip the proof's ``@context`` after signing; a proof signed without
one, as earlier drafts of eddsa-jcs-2022 did, still verifies.

A proof ``created`` after the moment of verification (beyond :data:`CLOCK_SKEW`) is not accepted: a
signature cannot have been made in the future, and a backdated clock is how one would be passed off.

Policy beyond the spec: when a document carries several proofs (a set, or a chain) **every** proof
must verify — the spec would let a verifier accept any one. Each proof's key must be controlled by
the expected controller (the issuer) and authorized for the proof's purpose.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from .. import jsonld
from ..checks import CheckId
from ..jsonutil import as_list, issuer_id
from ..keys import KeyResult, ResolvedKey, b58encode, multibase_decode, resolve_verification_method
from ..model import Check, failed, passed, skipped, unreachable, unverifiable, warned
from ..validity import day, parse_datetime
from . import ed25519_2018

if TYPE_CHECKING:
    from ..context import VerifyContext

RDFC_SUITES = {"eddsa-rdfc-2022", "eddsa-2022", "ecdsa-rdfc-2019"}
LEGACY_SUITES = {"eddsa-2022": "eddsa-rdfc-2022"}
JCS_SUITES = {"eddsa-jcs-2022", "ecdsa-jcs-2019"}
ECDSA_SUITES = {"ecdsa-rdfc-2019", "ecdsa-jcs-2019"}
CLOCK_SKEW = timedelta(minutes=5)  # a proof "created" this little ahead is a clock difference, not the future
MAX_PROOFS = 16  # each proof may fetch and read a DID document: hundreds would hold a check for minutes
KNOWN_UNSUPPORTED = {"ecdsa-sd-2023", "bbs-2023"}
SUPPORTED = ("eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019, Ed25519Signature2020 and "
             "Ed25519Signature2018")
# curve name → (label, digest for the proof hashes and for ECDSA itself, r/s length in bytes)
ECDSA_CURVES = {"secp256r1": ("P-256", "sha256", 32), "secp384r1": ("P-384", "sha384", 48)}
_ECDSA_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384}


def _suite(proof: dict[str, Any]) -> str | None:
    """A name for the proof's suite: the cryptosuite of a DataIntegrityProof, else the proof type."""
    if proof.get("type") == "DataIntegrityProof":
        suite = proof.get("cryptosuite")
        return suite if isinstance(suite, str) else None
    ptype = proof.get("type")
    return ptype if isinstance(ptype, str) else None


@dataclass
class _Outcome:
    """How one proof fared: ``status`` is verified / bad / unverifiable."""

    label: str
    status: str
    message: str
    key_check: Check | None = None
    binding_check: Check | None = None
    warning: str | None = None


class ContextMismatch(ValueError):
    """A JCS proof's ``@context`` is not a prefix of the document's."""


class _ProofError(Exception):
    def __init__(self, message: str, status: str = "bad"):
        super().__init__(message)
        self.status = status


def _hash(data: bytes, hash_name: str = "sha256") -> bytes:
    return hashlib.new(hash_name, data).digest()


def _proof_config(proof: dict[str, Any], context: Any) -> dict[str, Any]:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = context
    return config


def _jcs_inputs(unsecured: dict[str, Any], proof: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]:
    """(proof options, document, dropped) for the JCS suites: the proof as received; its own
    ``@context``, if any, must begin the document's and replaces it; contexts after that prefix are
    not signed."""
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" not in config:
        return config, unsecured, ()
    signed_ctx, doc_ctx = as_list(config["@context"]), as_list(unsecured.get("@context"))
    if doc_ctx[:len(signed_ctx)] != signed_ctx:
        raise ContextMismatch("the proof's @context does not begin the credential's @context, so the "
                              "credential was re-contextualized after signing")
    extra = tuple(f"@context {c}" if isinstance(c, str) else "@context (an inline context)"
                  for c in doc_ctx[len(signed_ctx):])
    return config, dict(unsecured, **{"@context": config["@context"]}), extra


def _previous(proof: dict[str, Any], all_proofs: list[Any]) -> list[dict[str, Any]] | None:
    """The proofs named by ``previousProof`` (None if any is missing)."""
    wanted = proof.get("previousProof")
    ids = wanted if isinstance(wanted, list) else [wanted]
    found = []
    for pid in ids:
        match = [p for p in all_proofs if isinstance(p, dict) and p.get("id") == pid and p is not proof]
        if not match:
            return None
        found.append(match[0])
    return found


def transform(unsecured: dict[str, Any], proof: dict[str, Any], suite: str,
              budget: jsonld.Budget = jsonld.DEFAULT_BUDGET,
              doc_canon: jsonld.Canonical | None = None) -> tuple[bytes, bytes, tuple[str, ...]]:
    """(canonical proof options, canonical document, dropped fields) — the bytes that get hashed.

    Raises jsonld.UnknownContext / JsonLdInvalid / TooComplex.
    """
    if suite in JCS_SUITES:
        config, document, extra = _jcs_inputs(unsecured, proof)
        return rfc8785.dumps(config), rfc8785.dumps(document), extra
    config = _proof_config(proof, unsecured.get("@context"))
    doc_canon = doc_canon or jsonld.canonicalize(unsecured, budget)
    proof_canon = jsonld.canonicalize(config, budget)
    dropped = doc_canon.dropped + tuple(f"proof.{name}" for name in proof_canon.dropped)
    return proof_canon.nquads.encode(), doc_canon.nquads.encode(), dropped


def hash_data(unsecured: dict[str, Any], proof: dict[str, Any], suite: str,
              budget: jsonld.Budget = jsonld.DEFAULT_BUDGET,
              doc_canon: jsonld.Canonical | None = None, *,
              hash_name: str = "sha256") -> tuple[bytes, tuple[str, ...]]:
    """``hash(canonical proof options) ‖ hash(canonical document)`` and the dropped fields.

    ``hash_name`` is ``sha256``, or ``sha384`` for ECDSA with a P-384 key.
    Raises jsonld.UnknownContext / JsonLdInvalid / TooComplex.
    """
    config_bytes, doc_bytes, dropped = transform(unsecured, proof, suite, budget, doc_canon)
    return _hash(config_bytes, hash_name) + _hash(doc_bytes, hash_name), dropped


def ecdsa_curve(public_key: Any) -> tuple[str, str, int] | None:
    """(label, hash name, r/s length) of a P-256 or P-384 public key; None for any other key."""
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        return None
    return ECDSA_CURVES.get(public_key.curve.name)


def _verify_ecdsa(public_key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes,
                  hash_name: str, size: int) -> bool:
    """ECDSA (with ``hash_name`` applied to ``data`` by ECDSA itself) over a raw ``r ‖ s`` signature."""
    if len(signature) != 2 * size:
        return False
    der = encode_dss_signature(int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big"))
    try:
        public_key.verify(der, data, ec.ECDSA(_ECDSA_HASHES[hash_name]()))
    except InvalidSignature:
        return False
    return True


def _check_shape(proof: Any) -> str:
    if not isinstance(proof, dict):
        raise _ProofError("a proof is not a JSON object")
    suite = _suite(proof)
    if proof.get("type") == "DataIntegrityProof":
        if suite is None:
            raise _ProofError("a DataIntegrityProof does not name its cryptosuite")
        if suite in KNOWN_UNSUPPORTED:
            raise _ProofError(f"the proof uses the {suite} cryptosuite, which this verifier does not support "
                              f"yet (only {SUPPORTED})", "unverifiable")
        if suite not in RDFC_SUITES | JCS_SUITES:
            raise _ProofError(f"the proof uses an unknown cryptosuite {suite!r}", "unverifiable")
    elif suite == ed25519_2018.PROOF_TYPE:  # a detached JWS, checked by its own module
        problem = ed25519_2018.shape_problem(proof)
        if problem:
            raise _ProofError(problem)
        return suite
    elif suite != "Ed25519Signature2020":
        if not (proof.get("proofValue") or proof.get("jws")) or not proof.get("verificationMethod"):
            raise _ProofError(f"a proof of type {suite!r} has no verification method or value")
        raise _ProofError(f"the proof type {suite!r} is not supported (only DataIntegrityProof, "
                          "Ed25519Signature2020 and Ed25519Signature2018)", "unverifiable")
    for field in ("verificationMethod", "proofValue", "proofPurpose"):
        if not isinstance(proof.get(field), str) or not proof.get(field):
            raise _ProofError(f"the proof has no {field}")
    if "created" in proof and parse_datetime(proof.get("created")) is None:
        raise _ProofError(f"the proof's created date {proof.get('created')!r} is not a date")
    return suite or ""


def _verify_one(doc: dict[str, Any], unsecured: dict[str, Any], proof: Any, all_proofs: list[Any],
                ctx: VerifyContext, expected_controller: str | None, expected_purpose: str,
                canon_cache: dict[str, Any], dropped: list[str], budget: jsonld.Budget, label: str) -> _Outcome:
    try:
        suite = _check_shape(proof)
    except _ProofError as exc:
        return _Outcome(label, exc.status, str(exc))
    future = _created_in_future(proof, getattr(ctx, "now", None), label)
    if future:
        return _Outcome(label, "bad", future)
    warning = None
    if suite in LEGACY_SUITES:
        warning = (f"{label} uses the legacy cryptosuite name {suite!r}; it is checked as "
                   f"{LEGACY_SUITES[suite]}, which replaced it.")
    if suite == ed25519_2018.PROOF_TYPE:
        r = ed25519_2018.verify_proof(unsecured, proof, ctx, label, budget=budget, canon_cache=canon_cache)
        dropped.extend(d for d in r.dropped if d not in dropped)
        binding = _binding(r.key, proof, expected_controller, expected_purpose, label) if r.key else None
        return _Outcome(label, r.status, r.message, r.key_check, binding)
    target = unsecured
    if proof.get("previousProof") is not None:
        previous = _previous(proof, all_proofs)
        if previous is None:
            return _Outcome(label, "bad", f"{label} builds on a previous proof "
                            f"({proof.get('previousProof')}) that is not in the document")
        target = dict(unsecured, proof=previous[0] if len(previous) == 1 else previous)
    try:
        signature = multibase_decode(proof["proofValue"])
    except ValueError as exc:
        return _Outcome(label, "bad", f"{label} has an unreadable proofValue ({exc})")
    try:
        cached = canon_cache.get("doc") if target is unsecured and suite not in JCS_SUITES else None
        if target is unsecured and suite not in JCS_SUITES and cached is None:
            cached = canon_cache["doc"] = jsonld.canonicalize(unsecured, budget)
        config_bytes, doc_bytes, lost = transform(target, proof, suite, budget, cached)
    except ContextMismatch as exc:
        return _Outcome(label, "bad", f"{label} does not match the credential: {exc}")
    except jsonld.TooComplex as exc:
        return _Outcome(label, "unverifiable", f"the credential is too complex to check ({exc})")
    except jsonld.UnknownContext as exc:
        return _Outcome(label, "unverifiable", f"{exc}")
    except jsonld.JsonLdInvalid as exc:
        return _Outcome(label, "bad", f"the credential is not valid JSON-LD ({exc})")
    dropped.extend(d for d in lost if d not in dropped)

    vm = proof["verificationMethod"]
    resolved: KeyResult = resolve_verification_method(vm, ctx)
    if resolved.key is None:
        key_check = (unreachable if resolved.unreachable else failed)(
            "key", f"The signing key of {label} could not be obtained: {resolved.error}")
        status = "unverifiable" if resolved.unreachable else "bad"
        return _Outcome(label, status, f"the signing key {vm} could not be obtained: {resolved.error}",
                        key_check, warning=warning)
    key: ResolvedKey = resolved.key
    key_check = passed(CheckId.KEY, f"The signing key of {label} was found: {vm} ({key.type}, controlled by "
                       f"{key.controller}).")
    binding = _binding(key, proof, expected_controller, expected_purpose, label)
    mismatch = (f"the signature of {label} does not match the credential: "
                "it was altered after signing or signed with another key")
    if suite in ECDSA_SUITES:
        curve = ecdsa_curve(key.public_key)
        if curve is None:
            return _Outcome(label, "bad", f"{label} ({suite}) needs a P-256 or P-384 key, but {vm} is not one",
                            key_check, binding, warning)
        curve_label, hash_name, size = curve
        if len(signature) != 2 * size:
            return _Outcome(label, "bad", f"the signature of {label} is {len(signature)} bytes, not the "
                            f"{2 * size} of an ECDSA {curve_label} signature (r ‖ s)", key_check, binding, warning)
        data = _hash(config_bytes, hash_name) + _hash(doc_bytes, hash_name)
        if not _verify_ecdsa(key.public_key, signature, data, hash_name, size):
            return _Outcome(label, "bad", f"{mismatch} (ECDSA {curve_label} with {hash_name.upper()})",
                            key_check, binding, warning)
        return _Outcome(label, "verified", f"{label} ({suite}, {curve_label}) verified", key_check, binding,
                        warning)
    if not isinstance(key.public_key, VerifyKey):
        return _Outcome(label, "bad", f"{label} needs an Ed25519 key, but {vm} is not one", key_check,
                        binding, warning)
    try:
        key.public_key.verify(_hash(config_bytes) + _hash(doc_bytes), signature)
    except (BadSignatureError, ValueError, TypeError):
        return _Outcome(label, "bad", mismatch, key_check, binding, warning)
    return _Outcome(label, "verified", f"{label} ({suite}) verified", key_check, binding, warning)


def _created_in_future(proof: dict[str, Any], now: datetime | None, label: str) -> str | None:
    """Why a proof whose ``created`` is later than ``now`` (beyond the clock skew) is refused, or None."""
    created = parse_datetime(proof.get("created")) if "created" in proof else None
    if created is None or now is None or created <= now + CLOCK_SKEW:
        return None
    return (f"{label} says it was created on {created.isoformat().replace('+00:00', 'Z')}, after the time it "
            f"is checked at ({now.isoformat(timespec='seconds').replace('+00:00', 'Z')}); a signature cannot "
            "have been made in the future, so it is not accepted")


def _binding(key: ResolvedKey, proof: dict[str, Any], expected_controller: str | None,
             expected_purpose: str, label: str) -> Check:
    purpose = proof.get("proofPurpose")
    if purpose != expected_purpose:
        return failed(CheckId.KEY_OWNER, f"{label} was made for {purpose!r}, not {expected_purpose!r}: "
                      "it does not assert this credential.")
    if expected_controller is None:
        return failed(CheckId.KEY_OWNER, f"The document names no issuer, so the key of {label} "
                      "cannot be tied to anyone.")
    if key.controller != expected_controller:
        return failed(CheckId.KEY_OWNER, f"The key of {label} belongs to {key.controller}, not to the issuer "
                      f"{expected_controller}: someone other than the issuer signed it.")
    if expected_purpose not in key.relationships:
        return failed(CheckId.KEY_OWNER, f"The issuer's document does not authorize the key {key.id} for "
                      f"{expected_purpose} (it lists it for: {', '.join(sorted(key.relationships)) or 'nothing'}).")
    return passed(CheckId.KEY_OWNER, f"The key of {label} belongs to the issuer {expected_controller} and is "
                  f"authorized for {expected_purpose}.")


def verify_document_proofs(doc: dict[str, Any], ctx: VerifyContext, *, expected_controller: str | None,
                           expected_purpose: str = "assertionMethod",
                           budget: jsonld.Budget = jsonld.DEFAULT_BUDGET) -> list[Check]:
    """Checks ``context``, ``unsigned-fields``, ``key``, ``key-binding`` and ``proof`` for every proof.

    ``expected_controller`` is who must control each signing key; ``None`` means the document's own
    ``issuer``. The ``proof`` check authenticates only when every proof verified.
    """
    if not isinstance(doc, dict):
        return [failed(CheckId.SIGNATURE, "The document is not a JSON object.")]
    if expected_controller is None:
        expected_controller = issuer_id(doc)
    proofs = as_list(doc.get("proof"))
    if not proofs:
        return [unverifiable(CheckId.SIGNATURE, "This credential is not signed: it carries no proof, so nothing "
                             "shows who issued it or that it was not changed.", retry=False)]
    if len(proofs) > MAX_PROOFS:
        return [unverifiable(CheckId.SIGNATURE, f"The credential carries {len(proofs)} proofs; we check at most "
                             f"{MAX_PROOFS}, so its signatures were not checked.", retry=False)]
    checks: list[Check] = []
    too_big = _oversized(doc, budget)
    if too_big:
        return [unverifiable(CheckId.SIGNATURE, f"The credential is too complex to check ({too_big}).")]
    contexts = jsonld.remote_contexts(doc)
    unknown = [url for url in contexts if not jsonld.LOADER.knows(url)]
    if unknown:
        return [unverifiable(CheckId.CONTEXT, f"The credential uses JSON-LD context(s) we do not have pinned: "
                             f"{', '.join(unknown)}. They are never fetched, so the signature cannot be checked.",
                             retry=False),
                skipped(CheckId.SIGNATURE, "The proof was not checked because a context is unknown.")]
    checks.append(passed(CheckId.CONTEXT, f"All {len(contexts)} JSON-LD contexts are pinned locally."))
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    dropped: list[str] = []
    canon_cache: dict[str, Any] = {}
    total = len(proofs)
    outcomes = []
    for i, proof in enumerate(proofs):
        label = "the proof" if total == 1 else f"proof {i + 1} of {total}"
        outcomes.append(_verify_one(doc, unsecured, proof, proofs, ctx, expected_controller, expected_purpose,
                                    canon_cache, dropped, budget, label))
    if dropped:
        checks.append(failed(CheckId.UNSIGNED_FIELDS, "These fields are not covered by the signature: "
                             f"{', '.join(dropped)}. They are not defined by the credential's JSON-LD "
                             "contexts, so anyone could have added or changed them."))
    elif canon_cache.get("doc") is not None or any(o.status == "verified" for o in outcomes):
        checks.append(passed(CheckId.UNSIGNED_FIELDS, "Every field of the credential is covered by the signature."))
    for outcome in outcomes:
        if outcome.warning:
            checks.append(warned(CheckId.SIGNATURE_SUITE, outcome.warning))
    checks.append(_summary(outcomes))
    for outcome in outcomes:
        for check in (outcome.key_check, outcome.binding_check):
            if check is not None:
                checks.append(check)
    now = getattr(ctx, "now", None)
    for i, proof in enumerate(proofs):
        if isinstance(proof, dict) and "expires" in proof and now is not None:
            label = "the proof" if total == 1 else f"proof {i + 1} of {total}"
            checks.append(_proof_expiry(proof.get("expires"), now, label))
    return checks


def _oversized(doc: dict[str, Any], budget: jsonld.Budget) -> str | None:
    """Why ``doc`` is too large to check under ``budget`` (any suite), or None. Measured first, before
    any walk over the document, so a 19 MB credential is answered at once."""
    try:
        size = len(json.dumps(doc, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError) as exc:
        return f"it is not plain JSON ({exc.__class__.__name__})"
    if size > budget.max_bytes:
        return f"the document is {size} bytes, more than the {budget.max_bytes} we check"
    return None


def _proof_expiry(raw: Any, now: datetime, label: str) -> Check:
    """``proof-expiry``: past a proof's ``expires`` its issuer no longer stands behind the signature."""
    until = parse_datetime(raw)
    if until is None:
        return failed(CheckId.SIGNATURE_EXPIRY, f"The expiry date of {label} ({raw!r}) is not a date.")
    if until <= now:
        return failed(CheckId.SIGNATURE_EXPIRY, f"The issuer's signature ({label}) was only valid until "
                      f"{day(until)}.", "expired")
    return passed(CheckId.SIGNATURE_EXPIRY, f"The issuer's signature ({label}) is valid until {day(until)}.")


def _summary(outcomes: list[_Outcome]) -> Check:
    total = len(outcomes)
    bad = [o for o in outcomes if o.status == "bad"]
    unknown = [o for o in outcomes if o.status == "unverifiable"]
    policy = "" if total == 1 else (" We require every proof to verify (the standard would accept any one).")
    if bad:
        return failed(CheckId.SIGNATURE, _sentence("; ".join(o.message for o in bad)) + policy)
    if unknown:
        # Only a key that could not be fetched may be had later; an unsupported suite, an unpinned context or
        # a document over budget will never check this way.
        retry = all(o.key_check is not None and o.key_check.retry is True for o in unknown)
        return unverifiable(CheckId.SIGNATURE, _sentence("; ".join(o.message for o in unknown)) + policy, retry=retry)
    if total == 1:
        return passed(CheckId.SIGNATURE, f"The signature is valid: {outcomes[0].message}.", authenticates=True)
    return passed(CheckId.SIGNATURE, f"All {total} proofs verified; we require every proof to verify.",
                  authenticates=True)


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


# --- signing (tests, demo data, benchmark) ----------------------------------------------------

def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign_credential(credential: dict[str, Any], signing_key: SigningKey | ec.EllipticCurvePrivateKey,
                    verification_method: str, *, cryptosuite: str = "eddsa-rdfc-2022",
                    created: str | None = None, proof_purpose: str = "assertionMethod") -> dict[str, Any]:
    """Return a copy of ``credential`` with one more proof (a proof set if it already had some).

    ``cryptosuite``: ``eddsa-rdfc-2022``, ``eddsa-jcs-2022``, legacy ``eddsa-2022`` or
    ``Ed25519Signature2020`` (the proof type of that older suite) with a nacl ``SigningKey``;
    ``ecdsa-rdfc-2019`` or ``ecdsa-jcs-2019`` with a cryptography P-256 or P-384 private key
    (deterministic ECDSA, RFC 6979, as the W3C vectors use).
    """
    signed = copy.deepcopy(credential)
    existing = as_list(signed.get("proof"))
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    if cryptosuite == "Ed25519Signature2020":
        proof: dict[str, Any] = {"type": "Ed25519Signature2020"}
    elif cryptosuite in RDFC_SUITES | JCS_SUITES:
        proof = {"type": "DataIntegrityProof", "cryptosuite": cryptosuite}
    else:
        raise ValueError(f"cannot sign with {cryptosuite!r}")
    proof.update({"created": created or _now_iso(), "verificationMethod": verification_method,
                  "proofPurpose": proof_purpose})
    if cryptosuite == "eddsa-jcs-2022" and "@context" in unsecured:
        proof["@context"] = unsecured["@context"]  # vc-di-eddsa: the proof options carry the document's context
    if cryptosuite in ECDSA_SUITES:
        proof["proofValue"] = "z" + b58encode(sign_ecdsa(unsecured, proof, cryptosuite, signing_key))
    elif isinstance(signing_key, SigningKey):
        data, _ = hash_data(unsecured, proof, proof.get("cryptosuite", cryptosuite))
        proof["proofValue"] = "z" + b58encode(signing_key.sign(data).signature)
    else:
        raise ValueError(f"{cryptosuite} needs an Ed25519 SigningKey")
    signed["proof"] = existing + [proof] if existing else proof
    return signed


def sign_ecdsa(unsecured: dict[str, Any], proof: dict[str, Any], suite: str, private_key: Any) -> bytes:
    """Raw ``r ‖ s`` ECDSA signature of the proof's hash data, with the hash of the key's curve."""
    curve = ecdsa_curve(private_key.public_key()) if isinstance(private_key, ec.EllipticCurvePrivateKey) else None
    if curve is None:
        raise ValueError(f"{suite} needs a P-256 or P-384 private key")
    _, hash_name, size = curve
    data, _ = hash_data(unsecured, proof, suite, hash_name=hash_name)
    der = private_key.sign(data, ec.ECDSA(_ECDSA_HASHES[hash_name](), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")
