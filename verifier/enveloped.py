"""Enveloped credentials (VCDM 2.0 ``EnvelopedVerifiableCredential``, W3C VC-JOSE-COSE): a credential
secured by an external proof — a JWT — carried in a presentation as a ``data:`` URL in its ``id``::

    {"@context": "https://www.w3.org/ns/credentials/v2", "type": "EnvelopedVerifiableCredential",
     "id": "data:application/vc+jwt,eyJhbGciOi…"}

Media types: ``application/vc+jwt`` (VC-JOSE-COSE's JOSE type; this wallet also uses it for the Open
Badges 3.0 VC-JWTs in the VCDM 1.1 style, whose ``vc`` claim the verifier reads the same way),
``application/vc+ld+json+jwt`` (the name in earlier drafts, still read) and ``application/vc+sd-jwt``
(SD-JWT, recognised but not checked here: its disclosures are not verified, so it is never trusted).
The wallet chooses from the token's ``typ`` header (:func:`media_type_for`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .detect import decode_jws_unverified
from .jsonutil import as_list

ENVELOPED = "EnvelopedVerifiableCredential"
JWT_TYPES = ("application/vc+jwt", "application/vc+ld+json+jwt")
SD_JWT = "application/vc+sd-jwt"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
MAX_TOKEN = 1_000_000


def is_enveloped(item: Any) -> bool:
    return isinstance(item, dict) and ENVELOPED in as_list(item.get("type"))


def media_type_for(token: str) -> str:
    """The VC-JOSE-COSE media type for a compact JWT, from its ``typ`` header."""
    header, _, _ = decode_jws_unverified(token.strip())
    typ = str((header or {}).get("typ") or "").lower().removeprefix("application/")
    if typ in ("vc+sd-jwt", "dc+sd-jwt"):
        return SD_JWT
    if typ == "vc+ld+json+jwt":
        return "application/vc+ld+json+jwt"
    return "application/vc+jwt"


def envelope(token: str) -> dict[str, Any]:
    """The ``EnvelopedVerifiableCredential`` of a compact JWT, as it goes into a presentation."""
    token = token.strip()
    return {"@context": VC_V2, "id": f"data:{media_type_for(token)},{token}", "type": ENVELOPED}


@dataclass(frozen=True)
class Opened:
    """What an enveloped credential carries: its media type and token, or why it cannot be read."""

    media_type: str | None
    token: str | None
    error: str | None = None


def open_envelope(item: dict[str, Any]) -> Opened:
    data = item.get("id")
    if not isinstance(data, str) or not data.startswith("data:") or "," not in data:
        return Opened(None, None, "its id is not a data: URL holding the credential")
    if len(data) > MAX_TOKEN:
        return Opened(None, None, "it is too large to check")
    head, _, body = data[len("data:"):].partition(",")
    media, *params = [p.strip().lower() for p in head.split(";")]
    if "base64" in params:
        return Opened(media, None, "its data: URL is base64-encoded, which VC-JOSE-COSE does not use for JWTs")
    if media == SD_JWT:
        return Opened(media, None, "it is an SD-JWT credential, whose selective disclosures this verifier does "
                      "not check")
    if media not in JWT_TYPES:
        return Opened(media or None, None, f"its media type {media or 'is missing'!r} is not one this verifier "
                      "checks (application/vc+jwt)")
    return Opened(media, unquote(body).strip())


def subject_ids(token: str) -> list[str]:
    """The subject ids a JWT credential names (``credentialSubject.id``, and the ``sub`` claim)."""
    _, payload, err = decode_jws_unverified(token)
    if err or not isinstance(payload, dict):
        return []
    vc = payload.get("vc")
    credential: dict[str, Any] = vc if isinstance(vc, dict) else payload
    ids = [s["id"] for s in as_list(credential.get("credentialSubject"))
           if isinstance(s, dict) and isinstance(s.get("id"), str)]
    if isinstance(payload.get("sub"), str) and payload["sub"] not in ids:
        ids.append(payload["sub"])
    return ids
