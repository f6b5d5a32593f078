"""Holder-signed Verifiable Presentations of the learner's OB 3.0 credentials (VCDM 2.0).

``make_presentation(credentials, key, challenge=None, domain=None)`` wraps the credentials *exactly as
issued* (their own proofs untouched) in a ``VerifiablePresentation`` whose ``holder`` is the wallet's
did:key, and signs it with an ``eddsa-rdfc-2022`` Data Integrity proof whose ``proofPurpose`` is
``authentication`` (the holder proves control of the DID, it asserts nothing about the contents). A
verifier's ``challenge`` and ``domain`` go into the signed proof options, so the presentation cannot be
replayed to another verifier or for another request.

OB 3.0 credentials with an embedded Data Integrity proof go in as they are; OB 3.0 VC-JWTs go in as
VCDM 2.0 ``EnvelopedVerifiableCredential`` s (``data:application/vc+jwt,<jwt>``, W3C VC-JOSE-COSE;
verifier/enveloped.py), the token untouched. Open Badges 1.x/2.0 badges are not W3C Verifiable Credentials
and cannot be put in a W3C presentation: they are refused with a sentence naming them (share them by a
portfolio link or as files instead).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from verifier import b58encode, envelope, hash_data, looks_like_jws, unbake

from .holder import HolderKey
from .model import Entry
from .store import WalletError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
SUITE = "eddsa-rdfc-2022"


PRESENTABLE = ("ob3-data-integrity", "ob3-jwt")


def not_presentable_reason(entry: Entry) -> str | None:
    """Why an entry cannot go into a W3C presentation (None when it can)."""
    if entry.format in PRESENTABLE:
        return None
    if (entry.format or "").startswith(("ob1-", "ob2-")):
        version = "2.0" if entry.format.startswith("ob2-") else "1.x"
        return (f"“{entry.name}” is an Open Badges {version} badge, not a W3C Verifiable Credential, so it cannot go "
                "into a presentation; share it with a portfolio link or as its file.")
    return (f"“{entry.name}” cannot go into a presentation: only signed Open Badges 3.0 credentials can "
            f"(this one is {entry.format or 'of an unknown format'}).")


def credential_of(entry: Entry) -> dict[str, Any]:
    """The credential of an entry as issued (parsed from the stored file; a VC-JWT enveloped), or
    WalletError saying why not."""
    reason = not_presentable_reason(entry)
    if reason:
        raise WalletError(reason)
    unbaked = unbake(entry.content)
    if entry.format == "ob3-jwt":
        token = (unbaked.payload or "").strip() if unbaked.ok else ""
        if not looks_like_jws(token):
            raise WalletError(f"“{entry.name}”: its file no longer reads as a signed credential token.")
        return envelope(token)
    try:
        doc = json.loads(unbaked.payload or "") if unbaked.ok else None
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or "proof" not in doc:
        raise WalletError(f"“{entry.name}”: its file no longer reads as a signed credential.")
    return doc


def credentials_of(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """:func:`credential_of` of each entry; one WalletError naming every entry that cannot go in."""
    refused = [r for r in map(not_presentable_reason, entries) if r]
    if refused:
        raise WalletError(" ".join(refused))
    return [credential_of(e) for e in entries]


def make_presentation(credentials: Sequence[dict[str, Any]], key: HolderKey, *, challenge: str | None = None,
                      domain: str | None = None, created: datetime | None = None) -> dict[str, Any]:
    """A signed VerifiablePresentation of ``credentials`` by ``key`` (see the module doc)."""
    if not credentials:
        raise WalletError("Choose at least one credential to present.")
    unsecured: dict[str, Any] = {"@context": [VC_V2], "type": ["VerifiablePresentation"], "holder": key.did,
                                 "verifiableCredential": [dict(c) for c in credentials]}
    when = (created or datetime.now(UTC)).replace(microsecond=0)
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": SUITE,
                             "created": when.isoformat().replace("+00:00", "Z"),
                             "verificationMethod": key.verification_method, "proofPurpose": "authentication"}
    if challenge:
        proof["challenge"] = challenge
    if domain:
        proof["domain"] = domain
    data, _ = hash_data(unsecured, proof, SUITE)
    proof["proofValue"] = "z" + b58encode(key.signing_key.sign(data).signature)
    return {**unsecured, "proof": proof}
