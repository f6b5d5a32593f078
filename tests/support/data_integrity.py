"""OB 3.0 credentials signed here with Data Integrity proofs (eddsa, did:key or did:web issuers), and the
messages of a report's failed checks."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from nacl.signing import SigningKey

from verifier.keys import ed25519_multikey
from verifier.proofs.data_integrity import sign_credential

NOW = datetime(2026, 3, 1, tzinfo=UTC)
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def did_key(signing_key: SigningKey) -> tuple[str, str]:
    """(did, verification method id) of a did:key."""
    fingerprint = ed25519_multikey(signing_key.verify_key)
    return f"did:key:{fingerprint}", f"did:key:{fingerprint}#{fingerprint}"


def credential(issuer: str, **extra) -> dict:
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT],
        "id": "urn:uuid:2f7d6c1e-8c1b-4c5e-9d0e-0a1b2c3d4e5f",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "hashed": True, "identityType": "emailAddress",
                            "salt": "pepper",
                            "identityHash": "sha256$" + hashlib.sha256(b"alice@example.orgpepper").hexdigest()}],
            "achievement": {
                "id": "https://example.edu/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Works well in a team.",
                "criteria": {"narrative": "Nominated by peers."},
                "achievementType": "Competency",
            },
        },
    }
    doc.update(extra)
    return doc


def signed(key: SigningKey, **extra) -> dict:
    did, vm = did_key(key)
    return sign_credential(credential(did, **extra), key, vm, created="2025-01-01T00:00:00Z")


def fails(report) -> str:
    return " ".join(c.message for c in report.checks if c.status == "fail")


def did_web_document(did: str, vm: str, key: SigningKey, *, relationships=("assertionMethod",),
                      controller: str | None = None) -> dict:
    doc = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
           "verificationMethod": [{"id": vm, "type": "Multikey", "controller": controller or did,
                                   "publicKeyMultibase": ed25519_multikey(key.verify_key)}]}
    for rel in relationships:
        doc[rel] = [vm]
    return doc


def fixed_key_credential(subject_id: str | None, name: str = "Presented Badge") -> dict:
    """The same issuer every time (a did:key from a fixed seed) names ``subject_id`` (or no one) as holder."""
    key = SigningKey(bytes([0x33]) * 32)
    did = "did:key:" + ed25519_multikey(key.verify_key)
    subject = {"type": ["AchievementSubject"], "achievement": {
        "id": "https://academy.test/a/1", "type": ["Achievement"], "name": name,
        "description": "Presented.", "criteria": {"narrative": "Do it."}}}
    if subject_id:
        subject["id"] = subject_id
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                  "id": f"urn:uuid:{int(hashlib.sha256(name.encode()).hexdigest()[:12], 16):012d}"[:21] + "-0000-4000-8000-000000000000",
                  "type": ["VerifiableCredential", "OpenBadgeCredential"],
                  "issuer": {"id": did, "type": ["Profile"], "name": "Presentation Academy"},
                  "validFrom": "2025-01-01T00:00:00Z", "name": name, "credentialSubject": subject}
    return sign_credential(credential, key, f"{did}#{did.removeprefix('did:key:')}", created="2025-01-01T00:00:00Z")
