"""EndorsementCredentials signed here by a did:key endorser (eddsa-rdfc-2022)."""
from __future__ import annotations

from nacl.signing import SigningKey

from support.data_integrity import OB3_CONTEXT, did_key
from verifier.proofs.data_integrity import sign_credential


def endorsement(key: SigningKey, subject: str, name: str = "Example Accreditation Body",
                comment: str = "Meets our quality standard.") -> dict:
    did, vm = did_key(key)
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT],
           "id": "urn:uuid:6b4f0d62-1f52-4c4e-8f0e-1a2b3c4d5e6f",
           "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Endorsement",
           "issuer": {"id": did, "type": ["Profile"], "name": name}, "validFrom": "2025-01-01T00:00:00Z",
           "credentialSubject": {"id": subject, "type": ["EndorsementSubject"], "endorsementComment": comment}}
    return sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z")
