"""Data Integrity proofs: ``eddsa-rdfc-2022`` (and legacy ``eddsa-2022``), ``Ed25519Signature2020``, ``eddsa-jcs-2022``.

Verification follows W3C vc-di-eddsa exactly:

1. the *unsecured document* is the document without ``proof`` (for a proof with ``previousProof``,
   the proofs it names are put back as ``proof``);
2. the *proof options* are the proof without ``proofValue``, with the document's ``@context``;
3. both are canonicalized (RDFC-1.0 / URDNA2015 N-Quads, or JCS for ``eddsa-jcs-2022``) and hashed
   with SHA-256; the signed data is ``sha256(proof options) ‖ sha256(document)``;
4. ``proofValue`` (multibase base58btc) is an Ed25519 signature over it by the verification method.

Policy beyond the spec: when a document carries several proofs (a set, or a chain) **every** proof
must verify — the spec would let a verifier accept any one. Each proof's key must be controlled by
the expected controller (the issuer) and authorized for the proof's purpose.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import rfc8785
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from .. import jsonld
from ..jsonutil import as_list
from ..keys import KeyResult, ResolvedKey, multibase_decode, b58encode, resolve_verification_method
from ..model import Check, failed, passed, unverifiable, warned, skipped
from ..validity import parse_datetime

RDFC_SUITES = {"eddsa-rdfc-2022", "eddsa-2022"}
LEGACY_SUITES = {"eddsa-2022": "eddsa-rdfc-2022"}
JCS_SUITES = {"eddsa-jcs-2022"}
MAX_PROOFS = 16  # each proof may fetch and read a DID document: hundreds would hold a check for minutes
KNOWN_UNSUPPORTED = {"ecdsa-rdfc-2019", "ecdsa-jcs-2019", "ecdsa-sd-2023", "bbs-2023"}


def issuer_id(doc: dict[str, Any]) -> str | None:
    """The ``issuer`` of a credential, given as a string or an object with ``id``.

    Unlike :func:`verifier.jsonutil.issuer_id`, an empty string is returned as it is, not as None.
    """
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


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


class _ProofError(Exception):
    def __init__(self, message: str, status: str = "bad"):
        super().__init__(message)
        self.status = status


def _hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _proof_config(proof: dict[str, Any], context: Any) -> dict[str, Any]:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = context
    return config


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


def hash_data(unsecured: dict[str, Any], proof: dict[str, Any], suite: str,
              budget: jsonld.Budget = jsonld.DEFAULT_BUDGET,
              doc_canon: jsonld.Canonical | None = None) -> tuple[bytes, tuple[str, ...]]:
    """``sha256(canonical proof options) ‖ sha256(canonical document)`` and the dropped fields.

    Raises jsonld.UnknownContext / JsonLdInvalid / TooComplex.
    """
    config = _proof_config(proof, unsecured.get("@context"))
    if suite in JCS_SUITES:
        return _hash(rfc8785.dumps(config)) + _hash(rfc8785.dumps(unsecured)), ()
    doc_canon = doc_canon or jsonld.canonicalize(unsecured, budget)
    proof_canon = jsonld.canonicalize(config, budget)
    dropped = doc_canon.dropped + tuple(f"proof.{name}" for name in proof_canon.dropped)
    return _hash(proof_canon.nquads.encode()) + _hash(doc_canon.nquads.encode()), dropped


def _check_shape(proof: Any) -> str:
    if not isinstance(proof, dict):
        raise _ProofError("a proof is not a JSON object")
    suite = _suite(proof)
    if proof.get("type") == "DataIntegrityProof":
        if suite is None:
            raise _ProofError("a DataIntegrityProof does not name its cryptosuite")
        if suite in KNOWN_UNSUPPORTED:
            raise _ProofError(f"the proof uses the {suite} cryptosuite, which this verifier does not support "
                              "yet (only eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020)",
                              "unverifiable")
        if suite not in RDFC_SUITES | JCS_SUITES:
            raise _ProofError(f"the proof uses an unknown cryptosuite {suite!r}", "unverifiable")
    elif suite != "Ed25519Signature2020":
        if not proof.get("proofValue") or not proof.get("verificationMethod"):
            raise _ProofError(f"a proof of type {suite!r} has no verification method or value")
        raise _ProofError(f"the proof type {suite!r} is not supported (only DataIntegrityProof "
                          "and Ed25519Signature2020)", "unverifiable")
    for field in ("verificationMethod", "proofValue", "proofPurpose"):
        if not isinstance(proof.get(field), str) or not proof.get(field):
            raise _ProofError(f"the proof has no {field}")
    if "created" in proof and parse_datetime(proof.get("created")) is None:
        raise _ProofError(f"the proof's created date {proof.get('created')!r} is not a date")
    return suite or ""


def _verify_one(doc: dict[str, Any], unsecured: dict[str, Any], proof: Any, all_proofs: list[Any],
                ctx, expected_controller: str | None, expected_purpose: str,
                canon_cache: dict[str, Any], dropped: list[str], budget: jsonld.Budget, label: str) -> _Outcome:
    try:
        suite = _check_shape(proof)
    except _ProofError as exc:
        return _Outcome(label, exc.status, str(exc))
    warning = None
    if suite in LEGACY_SUITES:
        warning = (f"{label} uses the legacy cryptosuite name {suite!r}; it is checked as "
                   f"{LEGACY_SUITES[suite]}, which replaced it.")
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
        data, lost = hash_data(target, proof, suite, budget, cached)
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
        key_check = (unverifiable if resolved.unreachable else failed)(
            "key", f"The signing key of {label} could not be obtained: {resolved.error}")
        status = "unverifiable" if resolved.unreachable else "bad"
        return _Outcome(label, status, f"the signing key {vm} could not be obtained: {resolved.error}",
                        key_check, warning=warning)
    key: ResolvedKey = resolved.key
    key_check = passed("key", f"The signing key of {label} was found: {vm} ({key.type}, controlled by "
                       f"{key.controller}).")
    binding = _binding(key, proof, expected_controller, expected_purpose, label)
    if not isinstance(key.public_key, VerifyKey):
        return _Outcome(label, "bad", f"{label} needs an Ed25519 key, but {vm} is not one", key_check,
                        binding, warning)
    try:
        key.public_key.verify(data, signature)
    except (BadSignatureError, ValueError, TypeError):
        return _Outcome(label, "bad", f"the signature of {label} does not match the credential: "
                        "it was altered after signing or signed with another key", key_check, binding, warning)
    return _Outcome(label, "verified", f"{label} ({suite}) verified", key_check, binding, warning)


def _binding(key: ResolvedKey, proof: dict[str, Any], expected_controller: str | None,
             expected_purpose: str, label: str) -> Check:
    purpose = proof.get("proofPurpose")
    if purpose != expected_purpose:
        return failed("key-binding", f"{label} was made for {purpose!r}, not {expected_purpose!r}: "
                      "it does not assert this credential.")
    if expected_controller is None:
        return failed("key-binding", f"The document names no issuer, so the key of {label} "
                      "cannot be tied to anyone.")
    if key.controller != expected_controller:
        return failed("key-binding", f"The key of {label} belongs to {key.controller}, not to the issuer "
                      f"{expected_controller}: someone other than the issuer signed it.")
    if expected_purpose not in key.relationships:
        return failed("key-binding", f"The issuer's document does not authorize the key {key.id} for "
                      f"{expected_purpose} (it lists it for: {', '.join(sorted(key.relationships)) or 'nothing'}).")
    return passed("key-binding", f"The key of {label} belongs to the issuer {expected_controller} and is "
                  f"authorized for {expected_purpose}.")


def verify_document_proofs(doc: dict[str, Any], ctx, *, expected_controller: str | None,
                           expected_purpose: str = "assertionMethod",
                           budget: jsonld.Budget = jsonld.DEFAULT_BUDGET) -> list[Check]:
    """Checks ``context``, ``unsigned-fields``, ``key``, ``key-binding`` and ``proof`` for every proof.

    ``expected_controller`` is who must control each signing key; ``None`` means the document's own
    ``issuer``. The ``proof`` check authenticates only when every proof verified.
    """
    if not isinstance(doc, dict):
        return [failed("proof", "The document is not a JSON object.")]
    if expected_controller is None:
        expected_controller = issuer_id(doc)
    proofs = as_list(doc.get("proof"))
    if not proofs:
        return [unverifiable("proof", "This credential is not signed: it carries no proof, so nothing "
                             "shows who issued it or that it was not changed.")]
    if len(proofs) > MAX_PROOFS:
        return [unverifiable("proof", f"The credential carries {len(proofs)} proofs; we check at most "
                             f"{MAX_PROOFS}, so its signatures were not checked.")]
    checks: list[Check] = []
    unknown = jsonld.unknown_contexts(doc)
    if unknown:
        return [unverifiable("context", f"The credential uses JSON-LD context(s) we do not have pinned: "
                             f"{', '.join(unknown)}. They are never fetched, so the signature cannot be checked."),
                skipped("proof", "The proof was not checked because a context is unknown.")]
    contexts = jsonld.remote_contexts(doc)
    checks.append(passed("context", f"All {len(contexts)} JSON-LD contexts are pinned locally."))
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
        checks.append(failed("unsigned-fields", "These fields are not covered by the signature: "
                             f"{', '.join(dropped)}. They are not defined by the credential's JSON-LD "
                             "contexts, so anyone could have added or changed them."))
    elif canon_cache.get("doc") is not None or any(o.status == "verified" for o in outcomes):
        checks.append(passed("unsigned-fields", "Every field of the credential is covered by the signature."))
    for outcome in outcomes:
        if outcome.warning:
            checks.append(warned("proof-suite", outcome.warning))
    checks.append(_summary(outcomes))
    for outcome in outcomes:
        for check in (outcome.key_check, outcome.binding_check):
            if check is not None:
                checks.append(check)
    return checks


def _summary(outcomes: list[_Outcome]) -> Check:
    total = len(outcomes)
    bad = [o for o in outcomes if o.status == "bad"]
    unknown = [o for o in outcomes if o.status == "unverifiable"]
    policy = "" if total == 1 else (" We require every proof to verify (the standard would accept any one).")
    if bad:
        return failed("proof", _sentence("; ".join(o.message for o in bad)) + policy)
    if unknown:
        return unverifiable("proof", _sentence("; ".join(o.message for o in unknown)) + policy)
    if total == 1:
        return passed("proof", f"The signature is valid: {outcomes[0].message}.", authenticates=True)
    return passed("proof", f"All {total} proofs verified; we require every proof to verify.",
                  authenticates=True)


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


# --- signing (tests, demo data, benchmark) ----------------------------------------------------

def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign_credential(credential: dict, signing_key: SigningKey, verification_method: str, *,
                    cryptosuite: str = "eddsa-rdfc-2022", created: str | None = None,
                    proof_purpose: str = "assertionMethod") -> dict:
    """Return a copy of ``credential`` with one more proof (a proof set if it already had some).

    ``cryptosuite``: ``eddsa-rdfc-2022``, ``eddsa-jcs-2022``, legacy ``eddsa-2022`` or
    ``Ed25519Signature2020`` (the proof type of that older suite).
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
    data, _ = hash_data(unsecured, proof, proof.get("cryptosuite", cryptosuite))
    proof["proofValue"] = "z" + b58encode(signing_key.sign(data).signature)
    signed["proof"] = existing + [proof] if existing else proof
    return signed
