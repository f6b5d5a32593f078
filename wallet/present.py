"""Holder-signed Verifiable Presentations of the learner's OB 3.0 credentials (VCDM 2.0).

``make_presentation(credentials, key, challenge=None, domain=None)`` wraps the credentials *exactly as
issued* (their own proofs untouched) in a ``VerifiablePresentation`` whose ``holder`` is the wallet's
did:key, and signs it with an ``eddsa-rdfc-2022`` Data Integrity proof whose ``proofPurpose`` is
``authentication`` (the holder proves control of the DID, it asserts nothing about the contents). A
verifier's ``challenge`` and ``domain`` go into the signed proof options, so the presentation cannot be
replayed to another verifier or for another request.

Only credentials secured with an embedded Data Integrity proof can be presented this way: an OB 2.0
badge is not a VC, and a VC-JWT would have to be enveloped (not done here).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from verifier import b58encode, hash_data, unbake

from .holder import HolderKey
from .model import Entry
from .store import WalletError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
SUITE = "eddsa-rdfc-2022"


def credential_of(entry: Entry) -> dict[str, Any]:
    """The credential of an entry as issued (parsed from the stored file), or WalletError saying why not."""
    if entry.format != "ob3-data-integrity":
        raise WalletError(f"“{entry.name}” cannot go into a presentation: only Open Badges 3.0 credentials with "
                          f"an embedded proof can (this one is {entry.format or 'of an unknown format'}).")
    unbaked = unbake(entry.content)
    try:
        doc = json.loads(unbaked.payload or "") if unbaked.ok else None
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or "proof" not in doc:
        raise WalletError(f"“{entry.name}”: its file no longer reads as a signed credential.")
    return doc


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
