"""One builder of the unsigned OB 3.0 credential the JOSE, VC-JWT and honest-answer tests sign."""
from __future__ import annotations

from typing import Any

V2 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def ob3_credential(issuer: str, credential_id: str, **extra: Any) -> dict[str, Any]:
    """A minimal OpenBadgeCredential (VCDM 2.0) issued by ``issuer``; ``extra`` replaces top-level fields."""
    cred: dict[str, Any] = {
        "@context": list(V2), "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example College"},
        "validFrom": "2024-01-01T00:00:00Z", "name": "Teamwork",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                              "achievement": {"id": "https://example.edu/a/1", "type": ["Achievement"],
                                              "name": "Teamwork", "description": "d",
                                              "criteria": {"narrative": "n"}}}}
    cred.update(extra)
    return cred
