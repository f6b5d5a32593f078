"""Shared helpers of the wallet tests: hosted OB 2.0 badges served by the ``http`` mock, a fixed clock."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import responses
from nacl.signing import SigningKey

from support.paths import FIXTURES
from verifier import bake_png
from verifier.keys import ed25519_multikey
from verifier.proofs.data_integrity import sign_credential

HEART = (FIXTURES / "1edtech-openbadges-validator-core" / "public_domain_heart.png").read_bytes()
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
HOST = "https://skills.example.edu"
ISSUER_URL = f"{HOST}/issuer.json"
CTX = "https://w3id.org/openbadges/v2"
EMAIL = "learner@example.org"
SALT = "pepper"


def assertion_url(slug: str) -> str:
    return f"{HOST}/assertions/{slug}.json"


def hosted_assertion(http: responses.RequestsMock, slug: str, *, name: str | None = None,
                     email: str = EMAIL, hashed: bool = True, expires: str | None = None,
                     revoked: bool = False, badgeclass_extra: dict[str, Any] | None = None,
                     host: str = HOST) -> dict[str, Any]:
    """Serve an issuer, a BadgeClass and a hosted Assertion for ``slug``; return the assertion."""
    issuer_url = f"{host}/issuer.json"
    badgeclass_url = f"{host}/badges/{slug}.json"
    url = f"{host}/assertions/{slug}.json"
    identity = "sha256$" + hashlib.sha256((email + SALT).encode()).hexdigest() if hashed else email
    recipient = {"type": "email", "hashed": hashed, "identity": identity}
    if hashed:
        recipient["salt"] = SALT
    assertion = {"@context": CTX, "type": "Assertion", "id": url, "recipient": recipient,
                 "badge": badgeclass_url, "issuedOn": "2024-03-15T10:00:00Z", "verification": {"type": "hosted"}}
    if expires:
        assertion["expires"] = expires
    badgeclass = {"@context": CTX, "type": "BadgeClass", "id": badgeclass_url,
                  "name": name or f"Badge {slug}", "description": f"Awarded for {slug}.",
                  "image": f"{host}/badges/{slug}.png", "criteria": {"narrative": "Attend the workshop."},
                  "issuer": issuer_url, **(badgeclass_extra or {})}
    issuer = {"@context": CTX, "type": "Issuer", "id": issuer_url, "name": "Example Skills College",
              "url": host, "email": "badges@" + host.split("//")[1].split(":")[0]}
    http.upsert(responses.GET, issuer_url, json=issuer)
    http.upsert(responses.GET, badgeclass_url, json=badgeclass)
    if revoked:
        http.upsert(responses.GET, url, status=410)
    else:
        http.upsert(responses.GET, url, json=assertion)
    return assertion


def hosted_badge(http: responses.RequestsMock, slug: str, **kwargs: Any) -> bytes:
    """A PNG baked with a hosted assertion served by ``http`` (see :func:`hosted_assertion`)."""
    return bake_png(HEART, json.dumps(hosted_assertion(http, slug, **kwargs)))


def revoke(http: responses.RequestsMock, slug: str, host: str = HOST) -> None:
    """The issuer withdraws the badge: its URL now answers 410 Gone."""
    http.upsert(responses.GET, f"{host}/assertions/{slug}.json", status=410)


def baked_ob3_badge(png: bytes, seed: int, *, credential_id: str, name: str, issuer_name: str,
                    valid_from: str, achievement: dict[str, Any]) -> bytes:
    """An OB 3.0 badge baked into ``png``, signed (eddsa-rdfc-2022) by a did:key made from ``seed``.

    It verifies offline. ``achievement`` holds the Achievement's fields besides its type and name.
    """
    key = SigningKey(bytes([seed]) * 32)
    did = "did:key:" + ed25519_multikey(key.verify_key)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": issuer_name},
        "validFrom": valid_from,
        "name": name,
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "type": ["Achievement"], "name": name, **achievement}},
    }
    signed = sign_credential(credential, key, f"{did}#{did.removeprefix('did:key:')}", created=valid_from)
    return bake_png(png, json.dumps(signed), keyword="openbadgecredential")
